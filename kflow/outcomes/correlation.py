"""Correlations between firm measures and outcomes with permutation p-values."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from kflow._inference import permutation_p
from kflow._random import as_generator, random_orders, seed_echo
from kflow._validation import check_count
from kflow.exceptions import DataError, bad_parameter
from kflow.outcomes._stats import adjust_p

__all__ = ["correlate"]

COLUMNS = (
    "x",
    "y",
    "method",
    "r",
    "n",
    "p_asymptotic",
    "p_permutation",
    "p_adjusted",
    "adjust",
    "n_permutations",
    "seed",
)


def _as_frame(obj, name: str) -> pd.DataFrame:
    if isinstance(obj, pd.Series):
        return obj.to_frame(obj.name or name)
    if isinstance(obj, pd.DataFrame):
        return obj
    raise DataError(f"correlate: {name} must be a pandas DataFrame or Series indexed by firm_id.")


def _numeric(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    if not frame.index.is_unique:
        raise DataError(
            f"correlate: the index of {name} repeats firms "
            f"({list(frame.index[frame.index.duplicated()][:5])}); give one row per firm."
        )
    return frame.apply(pd.to_numeric, errors="coerce")


def _standardized(v: np.ndarray) -> np.ndarray:
    centred = v - v.mean()
    return centred / np.sqrt((centred**2).sum())


def _permutation_ps(rows: list, tests: list, n_permutations: int, rng) -> None:
    """Two-sided permutation p-value of every tested pair, in place in ``rows``.

    One set of random orders of the largest sample is drawn; a smaller sample of n firms uses
    the order each of them gives to the positions 0..n-1 (itself a uniformly random order).
    Shuffling either column of a pair gives the same null distribution, so pairs that share a
    column on the same firms share its shuffles: the side with fewer distinct (column, firms)
    is shuffled, and each of its columns' null correlations are one matrix product.
    """
    largest = max(len(t[4]) for t in tests)
    orders = random_orders(rng, n_permutations, largest)
    by_side: list[dict[tuple, list]] = [{}, {}]
    for test in tests:
        _, i, j, keep, *_ = test
        by_side[0].setdefault((i, keep.tobytes()), []).append(test)
        by_side[1].setdefault((j, keep.tobytes()), []).append(test)
    # Shuffle x (item 4 of a test) when it has fewer groups, else y (item 5); ties go to y.
    side = 0 if len(by_side[0]) < len(by_side[1]) else 1
    perms = {largest: orders}
    for group in by_side[side].values():
        n = len(group[0][4])
        if n not in perms:
            perms[n] = orders[orders < n].reshape(n_permutations, n)
        shuffled = group[0][4 + side][perms[n]]
        null = shuffled @ np.column_stack([t[5 - side] for t in group])
        for (row, *_), sims in zip(group, null.T, strict=True):
            r = rows[row][3]
            rows[row] = (*rows[row][:6], permutation_p(r, sims, alternative="two-sided"))


def correlate(
    x: pd.DataFrame | pd.Series,
    y: pd.DataFrame | pd.Series,
    *,
    method: str = "spearman",
    n_permutations: int = 9999,
    adjust: str = "holm",
    seed: int | np.random.Generator | None = None,
) -> pd.DataFrame:
    r"""Correlate every column of ``x`` (e.g. network measures) with every column of ``y`` (e.g.
    upgrading outcomes), firm by firm.

    Parameters
    ----------
    x, y : pandas.DataFrame or Series
        Indexed by ``firm_id``; rows are matched on the index and each pair uses the firms with
        both values (pairwise complete).
    method : {"spearman", "pearson"}
        Spearman's rank correlation (default) or Pearson's r.
    n_permutations : int
        Random permutations of y against x for the two-sided permutation p-value; 0 skips it.
    adjust : {"holm", "bh", "none"}
        Adjustment across the whole table, applied to the permutation p-values (asymptotic ones
        when n_permutations = 0).
    seed : int or numpy.random.Generator, optional

    Returns
    -------
    pandas.DataFrame
        One row per (x, y) pair: ``x``, ``y``, ``method``, ``r``, ``n``, ``p_asymptotic``
        (scipy's), ``p_permutation`` counts b, the permutations whose |r| is at
        least the observed |r|, ``p_adjusted``, ``adjust``, ``n_permutations``, ``seed``.

    Notes
    -----
    Spearman's :math:`\rho` [1]_ is Pearson's r on ranks:

    .. math::

        r = \frac{\sum_i (a_i - \bar a)(b_i - \bar b)}
                 {\sqrt{\sum_i (a_i - \bar a)^2 \sum_i (b_i - \bar b)^2}}

    The permutation p-value shuffles one column against the other and counts the observed pairing as
    one permutation [2]_; the table is adjusted by Holm [3]_ or Benjamini-Hochberg [4]_.

    See Also
    --------
    compare_groups : an outcome across roles.
    regress : several predictors at once.

    References
    ----------
    .. [1] Spearman, C. (1904). The proof and measurement of association between two things.
       *American Journal of Psychology*, 15(1), 72-101. https://doi.org/10.2307/1412159
    .. [2] Phipson, B., & Smyth, G. K. (2010). Permutation p-values should never be zero.
       *Statistical Applications in Genetics and Molecular Biology*, 9(1), 39.
       https://doi.org/10.2202/1544-6115.1585
    .. [3] Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
       Journal of Statistics*, 6(2), 65-70.
    .. [4] Benjamini, Y., & Hochberg, Y. (1995). Controlling the false discovery rate: a practical
       and powerful approach to multiple testing. *Journal of the Royal Statistical Society B*,
       57(1), 289-300. https://doi.org/10.1111/j.2517-6161.1995.tb02031.x

    Examples
    --------
    >>> import pandas as pd, kflow
    >>> m = pd.DataFrame({"degree": [1, 2, 3, 4, 5]}, index=list("abcde"))
    >>> o = pd.DataFrame({"product": [0, 1, 1, 2, 3]}, index=list("abcde"))
    >>> row = kflow.correlate(m, o, seed=0).iloc[0]
    >>> row["x"], row["y"], round(float(row["r"]), 4), int(row["n"])
    ('degree', 'product', 0.9747, 5)
    """
    if method not in ("spearman", "pearson"):
        raise bad_parameter("correlate", "method", "one of {'spearman', 'pearson'}", method)
    if adjust not in ("holm", "bh", "none"):
        raise bad_parameter("correlate", "adjust", "one of {'holm', 'bh', 'none'}", adjust)
    X, Y = _numeric(_as_frame(x, "x"), "x"), _numeric(_as_frame(y, "y"), "y")
    check_count(n_permutations, "n_permutations", "correlate")
    rng = as_generator(seed, "correlate")
    common = X.index.intersection(Y.index)
    xs, ys = X.loc[common].to_numpy(float), Y.loc[common].to_numpy(float)
    rows, tests = [], []
    for i, xc in enumerate(X.columns):
        for j, yc in enumerate(Y.columns):
            keep = ~(np.isnan(xs[:, i]) | np.isnan(ys[:, j]))
            a, b = xs[keep, i], ys[keep, j]
            n = len(a)
            if n < 3 or np.ptp(a) == 0 or np.ptp(b) == 0:
                rows.append((xc, yc, method, np.nan, n, np.nan, np.nan))
                continue
            if method == "spearman":
                res = stats.spearmanr(a, b)
                a, b = stats.rankdata(a), stats.rankdata(b)
            else:
                res = stats.pearsonr(a, b)
            rows.append((xc, yc, method, float(res.statistic), n, float(res.pvalue), np.nan))
            tests.append((len(rows) - 1, i, j, keep, _standardized(a), _standardized(b)))
    if n_permutations > 0 and tests:
        _permutation_ps(rows, tests, n_permutations, rng)
    out = pd.DataFrame(rows, columns=list(COLUMNS[:7]))
    basis = out["p_permutation"] if n_permutations > 0 else out["p_asymptotic"]
    out["p_adjusted"] = adjust_p(basis.to_numpy(), adjust, "correlate")
    out["adjust"] = adjust
    out["n_permutations"] = int(n_permutations)
    out["seed"] = seed_echo(seed)
    return out
