"""Comparing two waves of a cluster survey: role transitions, entries and exits, tie persistence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import pandas as pd

from kflow import vocabulary as V
from kflow._results import Result
from kflow.exceptions import bad_parameter
from kflow.roles.cognitive import RoleAssignment, RoleClassifier, classify_roles
from kflow.survey import Survey

__all__ = ["WaveComparison", "compare_waves"]


@dataclass(frozen=True, repr=False)
class WaveComparison(Result):
    """What changed between two waves.

    Attributes
    ----------
    transitions : pandas.DataFrame
        Role before (rows) by role after (columns), counting firms present in both waves.
    roles : pandas.DataFrame
        Indexed by ``firm_id`` (every firm of either wave): ``role_before``, ``role_after``
        (None where absent or unclassified), ``status``: ``same_role``, ``changed_role``,
        ``unclassified`` (present in both waves, no role in one of them, e.g. a non-respondent
        under ``missing="nan"``), ``entered`` or ``left``.
    entered, left : list of str
        Firms only in the later wave / only in the earlier one: for surveys taken with
        :meth:`Survey.select`, firms absent from a wave (declared or inferred membership).
    ties : pandas.Series
        ``before``, ``after``, ``persisted`` (in both), ``dissolved``, ``created`` and
        ``jaccard`` = persisted / (before + after - persisted), over (source, target, relation).
    gatekeepers_stayed : list of str
        Technological gatekeepers in both waves.
    before, after : RoleAssignment
    """

    _main: ClassVar[str | None] = "roles"

    transitions: pd.DataFrame
    roles: pd.DataFrame
    entered: list[str]
    left: list[str]
    ties: pd.Series
    gatekeepers_stayed: list[str]
    before: RoleAssignment
    after: RoleAssignment

    def changed(self) -> list[str]:
        """Firms present in both waves whose role changed."""
        return self.roles.index[self.roles["status"] == "changed_role"].tolist()

    def summary(self) -> str:
        t = self.ties
        return "\n".join(
            [
                f"firms: {len(self.roles)} in either wave, {len(self.entered)} entered, "
                f"{len(self.left)} left",
                f"ties: {t['before']} before, {t['after']} after, {t['persisted']} persisted "
                f"(Jaccard {t['jaccard']:.3f}), {t['dissolved']} dissolved, {t['created']} created",
                "gatekeepers in both waves: " + (", ".join(self.gatekeepers_stayed) or "none"),
                "changed role: " + (", ".join(self.changed()) or "none"),
                "role transitions (rows: before, columns: after):",
                self.transitions.to_string(),
            ]
        )


STATUSES = ("same_role", "changed_role", "unclassified", "entered", "left")


def _status(in_before: bool, in_after: bool, before_role, after_role) -> str:
    if not in_before:
        return "entered"
    if not in_after:
        return "left"
    if before_role is None or after_role is None:
        return "unclassified"
    return "same_role" if before_role == after_role else "changed_role"


def compare_waves(
    before: Survey,
    after: Survey,
    *,
    thresholds: str = "each",
    local: str = "degree",
    external: str = "external_ties",
    threshold: Any = "mean",
    relation: str | None = None,
) -> WaveComparison:
    r"""Compare two waves of the same cluster.

    Parameters
    ----------
    before, after : Survey
        The earlier and the later wave.
    thresholds : {"each", "before"}
        ``"each"``: each wave's roles use its own thresholds (relative position in that wave);
        ``"before"``: thresholds learned on the earlier wave are applied to the later one
        (:class:`kflow.RoleClassifier`), so a role change reflects the firm's own change.
    local, external, threshold, relation
        As in :func:`kflow.classify_roles`.

    Returns
    -------
    WaveComparison

    Notes
    -----
    Tie persistence between waves is the Jaccard index of the two tie sets [1]_:

    .. math::

        J = \frac{|T_1 \cap T_2|}{|T_1 \cup T_2|}

    By default each wave is classified with its own thresholds (``thresholds="each"``); with
    ``thresholds="before"`` the later wave is classified with the thresholds learned on the
    earlier one (:class:`RoleClassifier`), so that a change of role is a change of the firm, not
    of the cluster mean. Two-wave roster studies of a cluster: [2]_.

    See Also
    --------
    RoleClassifier : thresholds of one wave applied to another.
    classify_roles : the roles of one wave.

    References
    ----------
    .. [1] Jaccard, P. (1912). The distribution of the flora in the alpine zone. *New Phytologist*,
       11(2), 37-50. https://doi.org/10.1111/j.1469-8137.1912.tb05611.x
    .. [2] Juhasz, S., & Lengyel, B. (2018). Creation and persistence of ties in cluster knowledge
       networks. *Journal of Economic Geography*, 18(6), 1203-1226.
       https://doi.org/10.1093/jeg/lbx039

    Examples
    --------
    >>> import pandas as pd, kflow
    >>> w1 = kflow.read_survey(pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"]}),
    ...                        orientation="flow")
    >>> w2 = kflow.read_survey(pd.DataFrame({"source": ["a", "c"], "target": ["b", "d"]}),
    ...                        orientation="flow")
    >>> cmp = kflow.compare_waves(w1, w2)
    >>> cmp.ties["jaccard"], cmp.entered, cmp.left
    (0.3333333333333333, ['d'], [])
    """
    if thresholds not in ("each", "before"):
        raise bad_parameter("compare_waves", "thresholds", "one of {'each', 'before'}", thresholds)
    options = {"local": local, "external": external, "threshold": threshold}
    r_before = classify_roles(before, relation=relation, **options)
    if thresholds == "before":
        r_after = (
            RoleClassifier(**options)
            .fit(before, relation=relation)
            .predict(after, relation=relation)
        )
    else:
        r_after = classify_roles(after, relation=relation, **options)

    ids_before, ids_after = set(before.firm_ids), set(after.firm_ids)
    everyone = V.sorted_ids(ids_before | ids_after)
    roles = pd.DataFrame(index=pd.Index(everyone, name=V.FIRM_ID))
    roles["role_before"] = r_before.table["role"].reindex(everyone).astype(object)
    roles["role_after"] = r_after.table["role"].reindex(everyone).astype(object)
    roles = roles.where(roles.notna(), None)
    roles["status"] = [
        _status(f in ids_before, f in ids_after, before_role, after_role)
        for f, before_role, after_role in zip(
            everyone, roles["role_before"], roles["role_after"], strict=True
        )
    ]
    both = roles[roles["status"].isin(["same_role", "changed_role"])]
    transitions = pd.crosstab(
        pd.Categorical(both["role_before"], categories=V.ROLES),
        pd.Categorical(both["role_after"], categories=V.ROLES),
        dropna=False,
    )
    transitions.index.name = "before"
    transitions.columns.name = "after"

    key = [V.SOURCE, V.TARGET, V.RELATION]
    t1 = set(before.ties[key].itertuples(index=False, name=None))
    t2 = set(after.ties[key].itertuples(index=False, name=None))
    persisted = len(t1 & t2)
    union = len(t1 | t2)
    ties = pd.Series(
        {
            "before": len(t1),
            "after": len(t2),
            "persisted": persisted,
            "dissolved": len(t1 - t2),
            "created": len(t2 - t1),
            "jaccard": persisted / union if union else float("nan"),
        },
        dtype=object,
    )
    stayed = both.index[
        (both["role_before"] == V.GATEKEEPER) & (both["role_after"] == V.GATEKEEPER)
    ].tolist()
    return WaveComparison(
        transitions=transitions,
        roles=roles,
        entered=[f for f in everyone if f not in ids_before],
        left=[f for f in everyone if f not in ids_after],
        ties=ties,
        gatekeepers_stayed=stayed,
        before=r_before,
        after=r_after,
    )
