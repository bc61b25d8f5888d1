"""The report's analysis in one call: do network positions go with upgrading?"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from kflow import vocabulary as V
from kflow._random import as_generator, seed_echo
from kflow._results import Result
from kflow._validation import check_count, require_columns
from kflow.exceptions import KflowError
from kflow.measures.centrality import centrality
from kflow.measures.openness import external_openness
from kflow.outcomes._stats import UPGRADING_TYPES, check_upgrading_scale
from kflow.outcomes.capacity import CapacityIndex, absorptive_capacity_index
from kflow.outcomes.correlation import correlate
from kflow.outcomes.groups import GroupComparison, compare_groups
from kflow.outcomes.qap import QAP_MAX_FIRMS, QAPResult, attribute_matrix, qap, relation_matrix
from kflow.roles.cognitive import RoleAssignment, classify_roles
from kflow.survey import Survey

__all__ = ["UpgradingLink", "link_upgrading"]

CAPACITY_DEFAULT = ("graduate_share", "experience_years", "experimentation")
MEASURES = ("degree_norm", "in_degree", "out_degree", "betweenness", "external_ties", "ei_index")


@dataclass(frozen=True, repr=False)
class UpgradingLink(Result):
    """Network positions and upgrading, as the report shows them.

    Attributes
    ----------
    data : pandas.DataFrame
        Per firm: role, the measures, absorptive capacity (if built) and the outcomes.
    roles : RoleAssignment
    comparisons : dict of str -> GroupComparison
        Outcome by role, per outcome.
    omnibus : pandas.DataFrame
        The omnibus row of every comparison, one per outcome.
    correlations : pandas.DataFrame
        Every measure with every outcome (:func:`kflow.correlate`).
    capacity : CapacityIndex or None
    capacity_correlations : pandas.DataFrame or None
        Absorptive capacity with centrality and openness.
    homophily : QAPResult or None
        QAP correlation of the knowledge ties with |difference in absorptive capacity|: a
        negative r means ties concentrate among firms of similar capacity.
    notes : list of str
        What was left out and why.
    seed, n_permutations
    """

    _main: ClassVar[str | None] = "omnibus"

    data: pd.DataFrame
    roles: RoleAssignment
    comparisons: dict[str, GroupComparison]
    omnibus: pd.DataFrame
    correlations: pd.DataFrame
    capacity: CapacityIndex | None
    capacity_correlations: pd.DataFrame | None
    homophily: QAPResult | None
    notes: list[str] = field(default_factory=list)
    seed: object = None
    n_permutations: int = 0

    def summary(self) -> str:
        lines = ["Network positions and upgrading"]
        for comp in self.comparisons.values():
            lines.append("  " + comp.summary().replace("\n", "\n  "))
        if len(self.correlations):
            best = self.correlations.sort_values("p_adjusted", kind="stable").head(5)
            lines.append("strongest measure-outcome correlations (adjusted p):")
            lines.extend(
                f"  {r.x} ~ {r.y}: r = {r.r:.3f}, p = {r.p_adjusted:.4f}" for r in best.itertuples()
            )
        if self.homophily is not None:
            row = self.homophily.table.iloc[0]
            lines.append(
                f"capacity homophily (QAP r with |capacity difference|): r = "
                f"{row['r']:.3f}, p (less) = {row['p_less']:.4f}"
            )
        lines.extend(f"note: {n}" for n in self.notes)
        return "\n".join(lines)


def link_upgrading(
    survey: Survey,
    *,
    roles: RoleAssignment | None = None,
    outcomes: Sequence[str] | None = None,
    capacity: Sequence[str] | None = None,
    n_permutations: int = 9999,
    seed: int | np.random.Generator | None = None,
    compare_roles: bool = True,
    local: str = "degree",
    external: str = "external_ties",
    threshold: Any = "mean",
    relation: str | None = None,
    wave: str | None = None,
) -> UpgradingLink:
    r"""Roles x outcomes comparisons, measure x outcome correlations, absorptive capacity vs
    centrality and openness, and the capacity homophily QAP, in one call.

    Parameters
    ----------
    survey : Survey
        A survey whose firms carry the outcomes (e.g. product, process, functional and
        intersectoral upgrading on 0-3) and, optionally, absorptive-capacity components.
    roles : RoleAssignment, optional
        Roles to use (default: :func:`kflow.classify_roles` with ``local``, ``external`` and
        ``threshold``).
    outcomes : sequence of str, optional
        The outcome columns of the firms table. Default: the four upgrading types ``product``,
        ``process``, ``functional`` and ``intersectoral`` (each 0-3), those absent skipped with a
        note. Columns named here must exist: a missing one is a :class:`kflow.DataError` listing
        the columns found. When all four upgrading types are present, their sum
        ``upgrading_sum`` is added. Upgrading types must be on 0-3.
    capacity : sequence of str, optional
        Absorptive-capacity components. Default: ``graduate_share``, ``experience_years`` and
        ``experimentation``, those present; columns named here must exist.
    n_permutations : int
        Permutations for every p-value (vectorized with numpy).
    seed : int or numpy.random.Generator, optional
    compare_roles : bool
        Compare the outcomes across cognitive roles (False when roles cannot be classified, e.g.
        without outside data: only the correlations and capacity analyses run).
    local, external, threshold
        The role axes and threshold rule, as in :func:`kflow.classify_roles`. When ``external``
        is a firms-table column (e.g. a count of outside links) it replaces ``external_ties``
        and ``ei_index`` among the measures correlated with the outcomes.
    relation, wave : str, optional
        The layer (default: the only one); firms absent from the wave are left out.

    Returns
    -------
    UpgradingLink

    Notes
    -----
    Upgrading is product, process, functional and intersectoral upgrading, each 0-3 [3]_ [4]_;
    their sum when all four are present. The analyses are :func:`compare_groups` of each outcome by
    role, :func:`correlate` of the position measures with each outcome, the absorptive capacity
    index [2]_ against centrality and openness, and the capacity homophily QAP, Pearson r of the
    knowledge ties with :math:`|c_i - c_j|` [1]_ [5]_.

    See Also
    --------
    compare_groups
    correlate
    qap
    absorptive_capacity_index

    References
    ----------
    .. [1] Giuliani, E., & Bell, M. (2005). The micro-determinants of meso-level learning and
       innovation: evidence from a Chilean wine cluster. *Research Policy*, 34(1), 47-68.
       https://doi.org/10.1016/j.respol.2004.10.008
    .. [2] Cohen, W. M., & Levinthal, D. A. (1990). Absorptive capacity: a new perspective on
       learning and innovation. *Administrative Science Quarterly*, 35(1), 128-152.
       https://doi.org/10.2307/2393553
    .. [3] Humphrey, J., & Schmitz, H. (2002). How does insertion in global value chains affect
       upgrading in industrial clusters? *Regional Studies*, 36(9), 1017-1027.
       https://doi.org/10.1080/0034340022000022198
    .. [4] Pietrobelli, C., & Rabellotti, R. (Eds.) (2006). *Upgrading to Compete: Global Value
       Chains, Clusters, and SMEs in Latin America*. Inter-American Development Bank.
    .. [5] Krackhardt, D. (1988). Predicting with networks: nonparametric multiple regression
       analysis of dyadic data. *Social Networks*, 10(4), 359-381.
       https://doi.org/10.1016/0378-8733(88)90004-4

    Examples
    --------
    >>> import kflow
    >>> s = kflow.datasets.simulate_cluster(30, seed=1)
    >>> link = kflow.link_upgrading(s, n_permutations=99, seed=0)
    >>> sorted(link.comparisons)
    ['functional', 'intersectoral', 'process', 'product', 'upgrading_sum']
    """
    fn = "link_upgrading"
    check_count(n_permutations, "n_permutations", fn)
    rng = as_generator(seed, fn)
    seed_out = seed_echo(seed)
    survey = survey.select(relation=relation, wave=wave)
    notes: list[str] = []
    firms = survey.firms
    for named, what in ((outcomes, "outcome"), (capacity, "absorptive-capacity")):
        if named is not None:
            require_columns(firms, named, fn, what="the firms table",
                            hint=f"Name the {what} columns the firms table has.")
    if compare_roles and roles is None:
        roles = classify_roles(survey, local=local, external=external, threshold=threshold)
    data, outcome_cols = _outcome_data(survey, roles, outcomes, notes)
    measures = _measures(data, firms, external)
    comparisons, omnibus = (
        _role_comparisons(data, outcome_cols, n_permutations, rng, notes)
        if compare_roles
        else ({}, pd.DataFrame())
    )
    correlations = (
        correlate(data[measures], data[outcome_cols], n_permutations=n_permutations, seed=rng)
        if outcome_cols
        else pd.DataFrame()
    )
    cap, cap_corr, homophily = _capacity(
        survey, data, capacity, n_permutations, rng, notes, measures
    )
    # The sub-analyses drew from one generator seeded with ``seed``; report that seed.
    for table in (correlations, cap_corr):
        if table is not None and len(table):
            table["seed"] = seed_out
    data.index.name = V.FIRM_ID
    return UpgradingLink(
        data,
        roles,
        comparisons,
        omnibus,
        correlations,
        cap,
        cap_corr,
        homophily,
        notes,
        seed_out,
        int(n_permutations),
    )


def _measures(data: pd.DataFrame, firms: pd.DataFrame, external: str) -> list[str]:
    """The position measures correlated with the outcomes (a count axis replaces openness)."""
    if external in firms.columns and external not in MEASURES:
        data[external] = pd.to_numeric(firms[external], errors="coerce")
        return [m for m in MEASURES if m not in ("external_ties", "ei_index")] + [external]
    return list(MEASURES)


def _outcome_data(
    survey: Survey, roles: RoleAssignment | None, outcomes: Sequence[str] | None, notes: list[str]
) -> tuple[pd.DataFrame, list[str]]:
    """One row per firm: role, the position measures and the outcomes found."""
    outcomes = UPGRADING_TYPES if outcomes is None else tuple(outcomes)
    firms = survey.firms
    check_upgrading_scale(firms, [c for c in outcomes if c in UPGRADING_TYPES], "survey.firms")
    present = [c for c in outcomes if c in firms.columns]
    absent = [c for c in outcomes if c not in firms.columns]
    if absent:
        notes.append(f"outcomes not in the firms table, skipped: {', '.join(absent)}")
    data = pd.DataFrame(index=firms.index)
    if roles is not None:
        data["role"] = roles.table["role"]
    c = centrality(survey, measures=["degree_norm", "in_degree", "out_degree", "betweenness"])
    o = external_openness(survey)
    data = data.join(c).join(o[["external_ties", "ei_index"]])
    for col in present:
        data[col] = pd.to_numeric(firms[col], errors="coerce")
    outcome_cols = list(present)
    if all(t in present for t in UPGRADING_TYPES):
        data["upgrading_sum"] = data[list(UPGRADING_TYPES)].sum(axis=1, skipna=False)
        outcome_cols.append("upgrading_sum")
    return data, outcome_cols


def _role_comparisons(
    data: pd.DataFrame,
    outcome_cols: list[str],
    n_permutations: int,
    rng: np.random.Generator,
    notes: list[str],
) -> tuple[dict[str, GroupComparison], pd.DataFrame]:
    """Each outcome compared across roles; a comparison that cannot run is reported."""
    comparisons: dict[str, GroupComparison] = {}
    for col in outcome_cols:
        try:
            comparisons[col] = compare_groups(
                data, col, by="role", n_permutations=n_permutations, seed=rng
            )
        except KflowError as exc:
            notes.append(f"{col} by role not compared: {exc}")
    if not comparisons:
        return comparisons, pd.DataFrame()
    omnibus = pd.concat(
        [comp.omnibus.assign(outcome=name) for name, comp in comparisons.items()],
        ignore_index=True,
    )
    return comparisons, omnibus


def _capacity(
    survey: Survey,
    data: pd.DataFrame,
    capacity: Sequence[str] | None,
    n_permutations: int,
    rng: np.random.Generator,
    notes: list[str],
    measures: list[str],
) -> tuple[CapacityIndex | None, pd.DataFrame | None, QAPResult | None]:
    """Absorptive capacity index, its correlations with position, and capacity homophily."""
    firms = survey.firms
    cap_cols = (
        list(capacity)
        if capacity is not None
        else [col for col in CAPACITY_DEFAULT if col in firms.columns]
    )
    if not cap_cols:
        notes.append("no absorptive-capacity components: capacity analyses skipped")
        return None, None, None
    cap = absorptive_capacity_index(firms, cap_cols)
    data["absorptive_capacity"] = cap.scores
    cap_corr = correlate(
        data[measures],
        data[["absorptive_capacity"]],
        n_permutations=n_permutations,
        seed=rng,
    )
    homophily = None
    known = cap.scores.dropna().index
    if len(known) > QAP_MAX_FIRMS:
        notes.append(f"capacity homophily (QAP) not tested: {len(known):,} firms is more than "
                     f"the {QAP_MAX_FIRMS:,} a QAP test relabels")
    elif len(known) >= 4:
        y = relation_matrix(survey).loc[known, known]
        x = attribute_matrix(cap.scores.loc[known], "absdiff")
        homophily = qap(y, {"capacity_absdiff": x}, n_permutations=n_permutations, seed=rng)
    return cap, cap_corr, homophily
