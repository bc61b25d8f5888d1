"""Do firms in different roles differ in an outcome? Kruskal-Wallis, Mann-Whitney, Fisher."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from math import comb
from typing import ClassVar

import numpy as np
import pandas as pd
from scipy import stats

from kflow._inference import permutation_p
from kflow._random import as_generator, random_orders, seed_echo
from kflow._results import Result
from kflow._validation import check_count, require_columns
from kflow.exceptions import DataError
from kflow.outcomes._stats import adjust_p
from kflow.outcomes._tables import FEW_LEVELS, level_codes, midranks, random_tables
from kflow.outcomes.effects import epsilon_squared_ci, pair_ci

__all__ = ["GroupComparison", "compare_groups"]

EXACT_LIMIT = 20_000


@dataclass(frozen=True, repr=False)
class GroupComparison(Result):
    """Group comparison of one outcome.

    Attributes
    ----------
    omnibus : pandas.DataFrame
        One row: ``test`` (``kruskal_wallis``, or ``chi2_permutation`` for a binary outcome),
        ``statistic``, ``effect_size`` and ``effect_measure`` naming it (``epsilon_squared``
        = H / (n - 1); ``cramers_v`` for a binary outcome), ``p_asymptotic``, ``p_permutation``,
        ``n``, ``n_groups``.
    pairwise : pandas.DataFrame
        One row per pair of groups: ``group_1``, ``group_2``, ``n_1``, ``n_2``, ``statistic``
        (Mann-Whitney U of group 1; for a binary outcome Fisher's odds ratio), ``effect_size``
        and ``effect_measure`` naming it (``rank_biserial`` r = 2 U / (n_1 n_2) - 1, positive
        when group 1 tends higher; for a binary outcome ``share_difference``, the share of
        group 1 minus that of group 2), ``p_asymptotic``, ``p_exact_or_permutation``,
        ``p_method`` (exact or permutation), ``p_holm``.
    groups : pandas.DataFrame
        Per group: ``n``, ``mean``, ``median`` (or ``share`` for binary), and ``tested`` (False
        for groups with fewer than two firms, which are reported, not compared).
    outcome, by : str
    n_permutations : int
    seed : object
    """

    _main: ClassVar[str | None] = "pairwise"

    omnibus: pd.DataFrame
    pairwise: pd.DataFrame
    groups: pd.DataFrame
    outcome: str
    by: str
    n_permutations: int
    seed: object

    def summary(self) -> str:
        o = self.omnibus.iloc[0]
        lines = [
            f"{self.outcome} by {self.by}: {o['test']} statistic {o['statistic']:.3f}, effect "
            f"size {o['effect_size']:.3f}, p (permutation, {self.n_permutations}) "
            f"{o['p_permutation']:.4f}, p (asymptotic) {o['p_asymptotic']:.4f}, n = {o['n']}"
        ]
        untested = self.groups.index[~self.groups["tested"]].tolist()
        if untested:
            lines.append(f"not compared (fewer than two firms): {', '.join(map(str, untested))}")
        return "\n".join(lines)


def _mwu_pair(x: np.ndarray, y: np.ndarray, n_permutations: int, rng: np.random.Generator):
    """U of x, its two-sided exact (all splits) or permutation p-value on the pooled ranks."""
    pooled = np.concatenate([x, y])
    ranks = stats.rankdata(pooled)
    n1, n2 = len(x), len(y)
    u_obs = ranks[:n1].sum() - comb(n1 + 1, 2)
    center = n1 * n2 / 2
    n = n1 + n2
    if comb(n, n1) <= EXACT_LIMIT:
        idx = np.array(list(itertools.combinations(range(n), n1)))
        rank_sums = ranks[idx].sum(axis=1)
        method = "exact"
    else:
        rank_sums = _random_rank_sums(ranks, n1, n_permutations, rng)
        method = "permutation"
    u = rank_sums - comb(n1 + 1, 2)
    p = permutation_p(u_obs, u, alternative="two-sided", center=center, exact=method == "exact")
    return float(u_obs), p, method


def _random_rank_sums(ranks: np.ndarray, n1: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """Rank sums of ``k`` random sets of n1 firms: through the counts of each distinct rank when
    there are few (ratings), else by shuffling."""
    levels, counts = np.unique(ranks, return_counts=True)
    if len(levels) <= FEW_LEVELS:
        return rng.multivariate_hypergeometric(counts, n1, size=k) @ levels
    perms = random_orders(rng, k, len(ranks))[:, :n1]
    return ranks[perms].sum(axis=1)


def _random_group_rank_sums(
    values: np.ndarray, codes: np.ndarray, G: int, k: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Under ``k`` random relabellings of the firms: the (k, G) rank sums of the groups and the
    (k, G) sums of their values (for a binary outcome, the ones per group). Few distinct values
    go through random tables of counts (kflow.outcomes._tables), others through shuffles."""
    sizes = np.bincount(codes, minlength=G)
    levels, level = level_codes(values)
    if len(levels) <= FEW_LEVELS:
        counts = np.bincount(level, minlength=len(levels))
        tables = random_tables(sizes, counts, k, rng).astype(float)
        return tables @ midranks(counts), tables @ levels
    perms = rng.permuted(np.tile(codes, (k, 1)), axis=1)
    cells = (np.arange(k)[:, None] * G + perms).ravel()
    ranks = np.tile(stats.rankdata(values), k)
    rank_sums = np.bincount(cells, weights=ranks, minlength=k * G).reshape(k, G)
    sums = np.bincount(cells, weights=np.tile(values, k), minlength=k * G).reshape(k, G)
    return rank_sums, sums


def compare_groups(
    data: pd.DataFrame,
    outcome: str,
    *,
    by: str = "role",
    n_permutations: int = 9999,
    seed: int | np.random.Generator | None = None,
    n_bootstrap: int = 2000,
) -> GroupComparison:
    r"""Compare an outcome across groups of firms (e.g. cognitive roles).

    A numeric outcome gets the Kruskal-Wallis test with epsilon^2 = H / (n - 1) and pairwise
    Mann-Whitney U tests with the rank-biserial correlation and Holm-adjusted p-values. A binary
    outcome (two values, e.g. 0/1) gets Fisher's exact test for pairs and a permutation
    chi-square test over all groups. p-values from exact enumeration (pairs with at most 20,000
    splits) or seeded permutations are the default, since clusters have 20-60 firms; asymptotic
    p-values stand beside them.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per firm with the outcome and grouping columns (missing values are dropped).
    outcome : str
        The outcome column.
    by : str
        The grouping column (default ``"role"``).
    n_permutations : int
        Permutations of the group labels for the Kruskal-Wallis / chi-square p-value and for
        pairs too large to enumerate.
    seed : int or numpy.random.Generator, optional
        Seed of the permutations and of the bootstrap.
    n_bootstrap : int
        Resamples (within groups) for the 95% percentile intervals ``effect_ci_low`` and
        ``effect_ci_high`` of epsilon^2, the rank-biserial r and the difference in shares
        (Cramer's V gets none); 0 skips them.

    Returns
    -------
    GroupComparison

    Notes
    -----
    Kruskal-Wallis H on the ranks of the outcome [1]_ with the effect size
    :math:`\varepsilon^2 = H / (n - 1)` [4]_; for each pair, Mann-Whitney U [2]_ with the
    rank-biserial correlation [3]_

    .. math::

        r = \frac{2U}{n_1 n_2} - 1

    and Holm-adjusted p-values [5]_. A binary outcome gets a permutation chi-square test with
    Cramer's V and, per pair, Fisher's exact test [6]_ with the difference in shares as effect size.
    Permutation p-values count the observed labelling as one of the permutations [7]_. A rank
    statistic depends only on the table of firms by group and distinct value, so for an outcome
    with at most 16 distinct values (ratings, their sums) a random relabelling is drawn as a
    random table with the observed margins (multivariate hypergeometric cells): the same null
    distribution, at a cost that does not grow with the number of firms.

    See Also
    --------
    correlate : outcome against continuous measures.
    link_upgrading : every outcome against roles and measures at once.

    References
    ----------
    .. [1] Kruskal, W. H., & Wallis, W. A. (1952). Use of ranks in one-criterion variance analysis.
       *Journal of the American Statistical Association*, 47(260), 583-621.
       https://doi.org/10.1080/01621459.1952.10483441
    .. [2] Mann, H. B., & Whitney, D. R. (1947). On a test of whether one of two random variables is
       stochastically larger than the other. *Annals of Mathematical Statistics*, 18(1), 50-60.
       https://doi.org/10.1214/aoms/1177730491
    .. [3] Kerby, D. S. (2014). The simple difference formula: an approach to teaching nonparametric
       correlation. *Comprehensive Psychology*, 3, 11.IT.3.1. https://doi.org/10.2466/11.IT.3.1
    .. [4] Tomczak, M., & Tomczak, E. (2014). The need to report effect size estimates revisited.
       *Trends in Sport Sciences*, 21(1), 19-25.
    .. [5] Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
       Journal of Statistics*, 6(2), 65-70.
    .. [6] Fisher, R. A. (1922). On the interpretation of chi-square from contingency tables, and
       the calculation of P. *Journal of the Royal Statistical Society*, 85(1), 87-94.
       https://doi.org/10.2307/2340521
    .. [7] Phipson, B., & Smyth, G. K. (2010). Permutation p-values should never be zero.
       *Statistical Applications in Genetics and Molecular Biology*, 9(1), 39.
       https://doi.org/10.2202/1544-6115.1585

    Examples
    --------
    >>> import pandas as pd, kflow
    >>> d = pd.DataFrame({"role": ["a"] * 4 + ["b"] * 4, "y": [1, 2, 3, 4, 5, 6, 7, 8]})
    >>> g = kflow.compare_groups(d, "y", by="role", seed=0)
    >>> g.pairwise[["statistic", "effect_size", "p_exact_or_permutation"]].round(4).values.tolist()
    [[0.0, -1.0, 0.0286]]
    """
    require_columns(data, [outcome, by], "compare_groups")
    check_count(n_permutations, "n_permutations", "compare_groups")
    check_count(n_bootstrap, "n_bootstrap", "compare_groups")
    rng = as_generator(seed, "compare_groups")
    d = data[[by, outcome]].dropna()
    y = pd.to_numeric(d[outcome], errors="coerce")
    if y.isna().any():
        raise DataError(f"compare_groups: outcome {outcome!r} has non-numeric values.")
    binary = set(np.unique(y)) <= {0, 1} and y.nunique() == 2
    sizes_all = d.groupby(by).size()
    tested = sizes_all[sizes_all >= 2].index
    group_table = pd.DataFrame({"n": sizes_all})
    group_table["mean"] = y.groupby(d[by]).mean()
    group_table["median"] = y.groupby(d[by]).median()
    group_table["tested"] = group_table.index.isin(tested)
    if binary:
        group_table["share"] = y.groupby(d[by]).mean()
    keep = d[by].isin(tested).to_numpy()
    values = y.to_numpy(dtype=float)[keep]
    codes, names = pd.factorize(pd.Series(d[by].to_numpy()[keep]), sort=True)
    if len(names) < 2:
        raise DataError(
            f"compare_groups: fewer than two groups of {by!r} have two or more firms with "
            f"{outcome!r}; nothing to compare."
        )
    null = (
        _random_group_rank_sums(values, codes, len(names), n_permutations, rng)
        if n_permutations
        else None
    )
    omnibus = (_binary_omnibus if binary else _rank_omnibus)(values, codes, len(names), null)
    pairwise = _pairwise(values, codes, names, binary, n_permutations, rng)
    # Drawn last, so that the permutation p-values do not depend on the number of resamples.
    _add_intervals(omnibus, pairwise, values, codes, binary, rng, n_bootstrap)
    return GroupComparison(
        omnibus=pd.DataFrame([omnibus]),
        pairwise=pairwise,
        groups=group_table,
        outcome=outcome,
        by=by,
        n_permutations=int(n_permutations),
        seed=seed_echo(seed),
    )


def _rank_omnibus(values: np.ndarray, codes: np.ndarray, G: int, null) -> dict:
    """Kruskal-Wallis H with epsilon^2 and its permutation p-value (``null``: the rank sums
    of the groups under random relabellings)."""
    n = len(values)
    h, p_asym = stats.kruskal(*[values[codes == g] for g in range(G)])
    p_perm = np.nan
    if null is not None:
        _, t = np.unique(values, return_counts=True)
        tie = 1 - np.sum(t**3 - t) / (n**3 - n)
        sizes = np.bincount(codes, minlength=G).astype(float)
        sims = 12.0 / (n * (n + 1)) * np.sum(null[0] ** 2 / sizes, axis=1) - 3 * (n + 1)
        p_perm = permutation_p(h, sims / tie)
    return {
        "test": "kruskal_wallis",
        "statistic": float(h),
        "effect_size": float(h / (n - 1)),
        "effect_measure": "epsilon_squared",
        "p_asymptotic": float(p_asym),
        "p_permutation": float(p_perm),
        "n": int(n),
        "n_groups": int(G),
    }


def _binary_omnibus(values: np.ndarray, codes: np.ndarray, G: int, null) -> dict:
    """Pearson chi-square of group x outcome with Cramer's V and its permutation p-value
    (``null``: the ones per group under random relabellings, second item)."""
    n = len(values)
    table = pd.crosstab(codes, values).to_numpy()
    chi2, p_asym, _, _ = stats.chi2_contingency(table, correction=False)
    cramer = np.sqrt(chi2 / (n * (min(table.shape) - 1)))
    p_perm = np.nan
    if null is not None:
        row_totals = np.bincount(codes, minlength=G)
        share = values.mean()
        ones = null[1]
        exp1, exp0 = row_totals * share, row_totals * (1 - share)
        sims = (((ones - exp1) ** 2) / exp1 + ((row_totals - ones - exp0) ** 2) / exp0).sum(axis=1)
        p_perm = permutation_p(chi2, sims)
    return {
        "test": "chi2_permutation",
        "statistic": float(chi2),
        "effect_size": float(cramer),
        "effect_measure": "cramers_v",
        "p_asymptotic": float(p_asym),
        "p_permutation": float(p_perm),
        "n": int(n),
        "n_groups": int(G),
    }


def _add_intervals(omnibus, pairwise, values, codes, binary, rng, n_bootstrap) -> None:
    """95% bootstrap intervals of the effect sizes (none for Cramer's V)."""
    lo, hi = (np.nan, np.nan) if binary else epsilon_squared_ci(values, codes, rng, n_bootstrap)
    omnibus.update(effect_ci_low=lo, effect_ci_high=hi)
    bounds = [
        pair_ci(values[codes == a], values[codes == b], binary, rng, n_bootstrap)
        for a, b in itertools.combinations(range(int(codes.max()) + 1), 2)
    ]
    pairwise["effect_ci_low"] = [lo for lo, _ in bounds]
    pairwise["effect_ci_high"] = [hi for _, hi in bounds]


PAIRWISE_COLUMNS = (
    "group_1",
    "group_2",
    "n_1",
    "n_2",
    "statistic",
    "effect_size",
    "effect_measure",
    "p_asymptotic",
    "p_exact_or_permutation",
    "p_method",
)


def _pairwise(
    values: np.ndarray,
    codes: np.ndarray,
    names: pd.Index,
    binary: bool,
    n_permutations: int,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """One test per pair of groups: Fisher's exact test (binary) or Mann-Whitney U."""
    rows = []
    for a, b in itertools.combinations(range(len(names)), 2):
        x, z = values[codes == a], values[codes == b]
        if binary:
            tab = np.array([[x.sum(), len(x) - x.sum()], [z.sum(), len(z) - z.sum()]])
            odds, p_exact = stats.fisher_exact(tab)
            ok = (tab.sum(0) > 0).all()
            p_as = stats.chi2_contingency(tab, correction=False)[1] if ok else np.nan
            test = (float(odds), float(x.mean() - z.mean()), "share_difference")
            p, method = float(p_exact), "exact"
        else:
            u, p, method = _mwu_pair(x, z, max(n_permutations, 1), rng)
            p_as = stats.mannwhitneyu(x, z, alternative="two-sided", method="asymptotic").pvalue
            test = (u, float(2 * u / (len(x) * len(z)) - 1), "rank_biserial")
        rows.append((names[a], names[b], len(x), len(z), *test, float(p_as), p, method))
    pairwise = pd.DataFrame(rows, columns=list(PAIRWISE_COLUMNS))
    pairwise["p_holm"] = adjust_p(pairwise["p_exact_or_permutation"].to_numpy(), "holm")
    return pairwise
