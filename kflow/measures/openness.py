"""External openness of firms and the Krackhardt-Stern E-I index (METHODS 3)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from kflow import vocabulary as V
from kflow._inference import permutation_p
from kflow._layers import (
    build_layer,
    focus,
    one_layer,
    resolve_groups,
    resolve_missing,
    unknown_sides,
)
from kflow._positions import external_positions, firm_index
from kflow._random import as_generator, seed_echo
from kflow._results import Result
from kflow._validation import check_count
from kflow.survey import Survey

__all__ = ["EIResult", "ei_index", "external_openness"]


def _local_partners(survey: Survey, relation: str | None, wave: str | None) -> np.ndarray:
    """Distinct roster firms each firm has an observed knowledge tie with, in either
    direction (in roster order): its in- plus out-degree less its reciprocated pairs, a layer
    holding each directed tie once."""
    layer = build_layer(survey, *one_layer(survey, relation, wave), "zero")
    n = layer.n
    src, dst = layer.src, layer.dst
    # A reciprocated pair is the one unordered pair {i, j} twice: count it once for each end.
    pair = np.sort(np.minimum(src, dst) * n + np.maximum(src, dst))
    twice = pair[np.flatnonzero(pair[1:] == pair[:-1])]
    degree = np.bincount(src, minlength=n) + np.bincount(dst, minlength=n)
    return (degree - np.bincount(twice // n, minlength=n)
            - np.bincount(twice % n, minlength=n)).astype(float)


def _distinct_per_firm(firm: np.ndarray, value: np.ndarray, rows: np.ndarray, n: int) -> np.ndarray:
    """For each of ``n`` firms, the number of distinct codes ``value >= 0`` in the chosen rows
    (a code of -1 is a missing value, not counted)."""
    rows = rows & (value >= 0)
    k = int(value.max()) + 1 if len(value) else 1
    pairs = np.sort(firm[rows].astype(np.int64) * k + value[rows])
    pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]] if len(pairs) else pairs
    return np.bincount(pairs // k, minlength=n).astype(float)


def external_openness(
    survey: Survey,
    *,
    relation: str | None = None,
    wave: str | None = None,
    missing: str | None = None,
) -> pd.DataFrame:
    r"""How open each firm is to knowledge from outside the cluster.

    Parameters
    ----------
    survey : Survey
        A validated survey with an ``external`` table (firms without rows there have none).
    relation, wave : str, optional
        The layer whose local ties enter the E-I index (default: the only one).
    missing : {"nan", "zero", "reconstruct"}, optional
        A non-respondent did not report its outside sources: under "nan" (and "reconstruct",
        which cannot fill outside answers) its external columns are NaN unless the external table
        has rows for it; under "zero" they are 0.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``firm_id``:

        - ``external_ties``: distinct outside actors the firm receives knowledge from
          (direction ``in``); ``external_strength``: the sum of their weights;
        - ``external_types``: distinct actor types among them;
        - ``external_out_ties``, ``external_out_strength``: the same for knowledge the firm passes
          to outside actors (direction ``out``);
        - ``local_partners``: distinct roster firms it has a knowledge tie with (either way);
        - ``ei_index`` = (E - I) / (E + I) with E the distinct outside actors it is tied to (either
          direction) and I = ``local_partners``; -1 all local, +1 all external; NaN when E + I = 0.

    Notes
    -----
    For firm i with outside sources :math:`A_i` (incoming outside ties) and distinct local
    partners :math:`L_i` (in or out):

    .. math::

        \mathrm{external\_ties}_i = |A_i|, \qquad
        \mathrm{ei\_index}_i = \frac{|A_i| - |L_i|}{|A_i| + |L_i|}

    the E-I index [1]_ with the two groups {cluster, outside}, as used at firm level for the
    cognitive roles [2]_.

    See Also
    --------
    ei_index : the E-I index of any grouping of firms, with a permutation test.
    classify_roles : roles on the local and the external axis.

    References
    ----------
    .. [1] Krackhardt, D., & Stern, R. N. (1988). Informal networks and organizational crises: an
       experimental simulation. *Social Psychology Quarterly*, 51(2), 123-140.
       https://doi.org/10.2307/2786835
    .. [2] Giuliani, E., & Bell, M. (2005). The micro-determinants of meso-level learning and
       innovation: evidence from a Chilean wine cluster. *Research Policy*, 34(1), 47-68.
       https://doi.org/10.1016/j.respol.2004.10.008

    Examples
    --------
    >>> import pandas as pd, kflow
    >>> ties = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"]})
    >>> ext = pd.DataFrame({"firm_id": ["a", "a"], "actor": ["Uni", "Lab"],
    ...                     "actor_type": ["university", "research institute"]})
    >>> s = kflow.read_survey(ties, orientation="flow", external=ext)
    >>> cols = ["external_ties", "local_partners", "ei_index"]
    >>> kflow.external_openness(s).loc["a", cols].tolist()
    [2.0, 1.0, 0.3333333333333333]
    """
    survey = focus(survey, wave)
    missing = resolve_missing(survey, missing, "external_openness")
    return openness_columns(survey, OPENNESS_COLUMNS, relation, wave, missing)


# The columns of external_openness; those before local_partners come from the external table.
OPENNESS_COLUMNS = ("external_ties", "external_strength", "external_types", "external_out_ties",
                    "external_out_strength", "local_partners", "ei_index")


def openness_columns(survey: Survey, columns, relation: str | None, wave: str | None,
                     missing: str) -> pd.DataFrame:
    """The columns of :func:`external_openness` asked for, computing only those (on a survey
    already focused on its wave, with the missing treatment resolved)."""
    n = survey.n_firms
    ext = survey.external
    firm = external_positions(survey)
    known = firm >= 0
    direction = ext[V.DIRECTION].to_numpy(dtype=object)
    flows = {"in": (direction == "in") & known, "out": (direction == "out") & known}
    read: dict[str, np.ndarray] = {}  # external-table columns as arrays, each made once

    def code(column: str) -> np.ndarray:
        if column not in read:
            read[column] = pd.factorize(ext[column])[0]
        return read[column]

    def strength(rows: np.ndarray) -> np.ndarray:
        if V.WEIGHT not in read:
            read[V.WEIGHT] = np.nan_to_num(ext[V.WEIGHT].to_numpy(dtype=float))
        weight = read[V.WEIGHT]
        return np.bincount(firm[rows], weight[rows], minlength=n)

    make = {
        "external_ties": lambda: _distinct_per_firm(firm, code(V.ACTOR), flows["in"], n),
        "external_strength": lambda: strength(flows["in"]),
        "external_types": lambda: _distinct_per_firm(firm, code(V.ACTOR_TYPE), flows["in"], n),
        "external_out_ties": lambda: _distinct_per_firm(firm, code(V.ACTOR), flows["out"], n),
        "external_out_strength": lambda: strength(flows["out"]),
        "local_partners": lambda: _local_partners(survey, relation, wave),
    }
    wanted = [c for c in OPENNESS_COLUMNS if c in columns]
    values = {c: make[c]() for c in wanted if c in make}
    if "ei_index" in wanted:
        E = _distinct_per_firm(firm, code(V.ACTOR), known, n)
        I_ = values["local_partners"] if "local_partners" in values else _local_partners(
            survey, relation, wave)
        with np.errstate(invalid="ignore", divide="ignore"):
            values["ei_index"] = np.where(E + I_ > 0, (E - I_) / (E + I_), np.nan)
    table = pd.DataFrame(values, index=firm_index(survey))
    if missing != "zero":
        non = ~survey.firms[V.RESPONDENT].to_numpy(dtype=bool)
        reported = np.zeros(n, dtype=bool)
        reported[firm[known]] = True  # firms with a row in the external table
        unreported = non & ~reported
        outside = [c for c in wanted if c not in ("local_partners",)]
        table.loc[unreported, outside] = np.nan
        unknown_in, unknown_out = unknown_sides(survey, missing)
        local = [c for c in wanted if c in ("local_partners", "ei_index")]
        if local:
            table.loc[unknown_in | unknown_out, local] = np.nan
    return table


@dataclass(frozen=True, repr=False)
class EIResult(Result):
    """The E-I index of a grouping at network, group and firm level.

    Attributes
    ----------
    network : pandas.Series
        ``external`` E (ties between groups), ``internal`` I (within), ``ei_index`` = (E - I) /
        (E + I), ``expected`` (mean over permutations), ``p_greater``, ``p_less`` and
        ``p_two_sided`` from the permutation test, ``n_permutations`` and ``seed``.
    groups : pandas.DataFrame
        One row per group: ties with at least one end in the group that cross (``external``) or
        stay in it (``internal``), ``ei_index`` and ``n_firms``.
    firms : pandas.DataFrame
        Indexed by ``firm_id``: ``group``, ``external``, ``internal`` (the firm's ties, out and in,
        to other and same-group firms) and ``ei_index``.
    """

    _main: ClassVar[str | None] = "firms"

    network: pd.Series
    groups: pd.DataFrame
    firms: pd.DataFrame

    def summary(self) -> str:
        n = self.network
        return (
            f"E-I index {n['ei_index']:.3f} (E = {n['external']}, I = {n['internal']}); "
            f"expected under random group labels {n['expected']:.3f}; permutation p "
            f"(two-sided) = {n['p_two_sided']:.4f} over {n['n_permutations']} permutations "
            f"(seed {n['seed']})"
        )


def _ei(e, i):
    e = np.asarray(e, dtype=float)
    i = np.asarray(i, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(e + i > 0, (e - i) / (e + i), np.nan)


def ei_index(
    survey: Survey,
    groups: str | Mapping[str, object] | pd.Series,
    *,
    relation: str | None = None,
    wave: str | None = None,
    n_permutations: int = 9999,
    seed: int | np.random.Generator | None = None,
) -> EIResult:
    r"""Krackhardt-Stern E-I index of a grouping of firms, with a permutation test.

    E counts directed knowledge ties between firms of different groups, I ties within a group;
    E-I = (E - I) / (E + I), from -1 (all ties internal) to +1 (all external).

    Parameters
    ----------
    survey : Survey
        A validated survey.
    groups : str or mapping or pandas.Series
        A firm attribute name, or a mapping from firm id to group. Every roster firm needs a group.
    relation, wave : str, optional
        The layer (default: the only one).
    n_permutations : int
        Random relabellings of the firms (group sizes kept) for the p-values; 0 skips the test.
    seed : int or numpy.random.Generator, optional
        Seed of the permutations; the same seed gives the same p-values.

    Returns
    -------
    EIResult
        Network, group and firm-level tables, with permutation p-values (the observed grouping
        counted as one of the permutations).

    Notes
    -----
    With E the directed knowledge ties between firms of different groups and I those within a group:

    .. math::

        \mathrm{E\mbox{-}I} = \frac{E - I}{E + I}

    from -1 (all ties internal) to +1 (all external) [1]_. The permutation null keeps the graph and
    the group sizes and shuffles which firm is in which group, as UCINET's E-I procedure; p-values
    count the observed grouping as one of the permutations [2]_.

    The index counts the ties observed in the survey: a non-respondent's unreported ties are absent,
    as under ``missing="zero"``, whatever the survey's treatment of missing answers (a count of ties
    crossing a boundary has no per-firm "unknown"). Read the firm-level values of non-respondents
    with that in mind.

    See Also
    --------
    external_openness : the firm-level E-I index against outside actors.

    References
    ----------
    .. [1] Krackhardt, D., & Stern, R. N. (1988). Informal networks and organizational crises: an
       experimental simulation. *Social Psychology Quarterly*, 51(2), 123-140.
       https://doi.org/10.2307/2786835
    .. [2] Phipson, B., & Smyth, G. K. (2010). Permutation p-values should never be zero.
       *Statistical Applications in Genetics and Molecular Biology*, 9(1), 39.
       https://doi.org/10.2202/1544-6115.1585

    Examples
    --------
    >>> import pandas as pd, kflow
    >>> ties = pd.DataFrame({"source": ["a", "a", "c"], "target": ["b", "c", "d"]})
    >>> s = kflow.read_survey(ties, orientation="flow")
    >>> r = kflow.ei_index(s, {"a": 1, "b": 1, "c": 2, "d": 2}, n_permutations=0)
    >>> float(r.network["ei_index"])  # E = 1 (a -> c), I = 2
    -0.3333333333333333
    """
    survey = focus(survey, wave)
    ids = survey.firm_ids
    labels = resolve_groups(survey, groups, "ei_index")
    codes, uniques = pd.factorize(labels.reindex(ids), sort=True)
    layer = build_layer(survey, *one_layer(survey, relation, wave), "zero")
    src, dst = layer.src, layer.dst
    cross = codes[src] != codes[dst]
    E, I_ = int(cross.sum()), int((~cross).sum())
    observed = float(_ei(E, I_))

    # Groups.
    rows = []
    for k, name in enumerate(uniques):
        touch = (codes[src] == k) | (codes[dst] == k)
        e = int((touch & cross).sum())
        i = int((touch & ~cross).sum())
        rows.append(
            {
                "group": name,
                "n_firms": int((codes == k).sum()),
                "external": e,
                "internal": i,
                "ei_index": float(_ei(e, i)),
            }
        )
    group_table = pd.DataFrame(rows).set_index("group")

    # Firms: each tie counts for both its ends.
    n = layer.n
    ext_f = np.bincount(src[cross], minlength=n) + np.bincount(dst[cross], minlength=n)
    int_f = np.bincount(src[~cross], minlength=n) + np.bincount(dst[~cross], minlength=n)
    firm_table = pd.DataFrame(
        {
            "group": labels.reindex(ids).to_numpy(),
            "external": ext_f,
            "internal": int_f,
            "ei_index": _ei(ext_f, int_f),
        },
        index=pd.Index(ids, name=V.FIRM_ID),
    )

    # Permutation test, vectorised over permutations in blocks.
    check_count(n_permutations, "n_permutations", "ei_index")
    rng = as_generator(seed, "ei_index")
    if n_permutations > 0 and layer.m > 0:
        sims = np.empty(n_permutations)
        block = max(1, min(n_permutations, 2_000_000 // max(layer.m, 1)))
        for start in range(0, n_permutations, block):
            k = min(block, n_permutations - start)
            perm = rng.permuted(np.tile(codes, (k, 1)), axis=1)
            crossing = (perm[:, src] != perm[:, dst]).sum(axis=1)
            sims[start : start + k] = _ei(crossing, layer.m - crossing)
        expected = float(sims.mean())
        p_greater = permutation_p(observed, sims, alternative="greater")
        p_less = permutation_p(observed, sims, alternative="less")
        p_two = permutation_p(observed, sims, alternative="two-sided", center=expected)
    else:
        expected = p_greater = p_less = p_two = float("nan")
    network = pd.Series(
        {
            "external": E,
            "internal": I_,
            "ei_index": observed,
            "expected": expected,
            "p_greater": float(p_greater),
            "p_less": float(p_less),
            "p_two_sided": float(p_two),
            "n_permutations": int(n_permutations),
            "seed": seed_echo(seed),
        },
        dtype=object,
    )
    return EIResult(network=network, groups=group_table, firms=firm_table)
