"""Cognitive roles of firms in the cluster's knowledge system and their knowledge positions.

Giuliani & Bell (2005), after Allen (1977): technological gatekeepers are well connected to both
local firms and outside sources; external stars to outside sources but hardly to local firms;
active mutual exchangers locally but not outside; isolated firms to neither. The published
thresholds could not be checked, so kflow states its operationalization (METHODS 4): a firm is
"high" on an axis when its score is strictly above the threshold (ties at the threshold are low).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from kflow import vocabulary as V
from kflow._layers import focus, resolve_missing
from kflow._positions import shared_layers
from kflow._results import Result
from kflow.exceptions import NotFittedError, SurveyError, bad_parameter
from kflow.measures.centrality import CENTRALITY_COLUMNS, centrality
from kflow.measures.openness import openness_columns
from kflow.survey import Survey

__all__ = ["RoleAssignment", "RoleClassifier", "classify_roles"]

_OPENNESS_COLUMNS = (
    "external_ties",
    "external_strength",
    "external_types",
    "external_out_ties",
    "external_out_strength",
)
# Degree-type local axes use the normalized column, so a numeric threshold means the same in
# clusters of different size.
NORMALIZED_AXES = {
    "degree": "degree_norm",
    "in_degree": "in_degree_norm",
    "out_degree": "out_degree_norm",
}
_THRESHOLD_HELP = "'mean', 'median', a ('quantile', q) pair with 0 <= q <= 1, or a number"


def _check_rule(rule: Any, fn: str, name: str = "threshold") -> Any:
    if isinstance(rule, str) and rule in ("mean", "median"):
        return rule
    if (
        isinstance(rule, (int, float, np.integer, np.floating))
        and not isinstance(rule, bool)
        and np.isfinite(rule)
    ):
        return float(rule)
    if (
        isinstance(rule, tuple)
        and len(rule) == 2
        and rule[0] == "quantile"
        and isinstance(rule[1], (int, float))
        and 0 <= rule[1] <= 1
    ):
        return ("quantile", float(rule[1]))
    raise bad_parameter(fn, name, _THRESHOLD_HELP, rule)


def split_rule(threshold: Any, fn: str) -> dict[str, Any]:
    if isinstance(threshold, Mapping):
        extra = set(threshold) - {"local", "external"}
        if extra:
            raise bad_parameter(
                fn, "threshold", "a rule or a dict with keys 'local' and 'external'", threshold
            )
        return {
            axis: _check_rule(threshold.get(axis, "mean"), fn, f"threshold[{axis!r}]")
            for axis in ("local", "external")
        }
    rule = _check_rule(threshold, fn)
    return {"local": rule, "external": rule}


#: Scores within this relative distance of a threshold count as equal to it (so as low): a mean
#: of equal scores computed in floating point may fall a rounding error below them.
THRESHOLD_TOLERANCE = 1e-9


def above(scores: np.ndarray, threshold) -> np.ndarray:
    """High on an axis: strictly above the threshold, beyond floating-point rounding."""
    threshold = np.asarray(threshold, dtype=float)
    return scores > threshold + THRESHOLD_TOLERANCE * np.maximum(1.0, np.abs(threshold))


def threshold_value(scores: pd.Series, rule: Any) -> float:
    """The cut-off a rule gives on the known (non-NaN) scores."""
    known = scores.to_numpy(dtype=float)
    known = known[~np.isnan(known)]
    if isinstance(rule, float):
        return rule
    if len(known) == 0:
        return float("nan")
    if rule == "mean":
        return float(known.mean())
    if rule == "median":
        return float(np.median(known))
    return float(np.quantile(known, rule[1]))


def axis_scores(
    survey: Survey,
    local: str,
    external: str,
    *,
    relation: str | None = None,
    wave: str | None = None,
    missing: str | None = None,
) -> tuple[pd.Series, pd.Series]:
    """The local-connectivity and external-openness score of every firm."""
    fn = "classify_roles"
    local_col = NORMALIZED_AXES.get(local, local)
    if local_col not in CENTRALITY_COLUMNS:
        raise bad_parameter(fn, "local", f"a centrality column {list(CENTRALITY_COLUMNS)}", local)
    table = centrality(survey, measures=[local_col], relation=relation, wave=wave, missing=missing)
    if table.index.nlevels > 1:
        raise SurveyError(
            "classify_roles works on one layer; this survey has several relations or waves: "
            "pass relation= and wave=."
        )
    local_scores = table[local_col].rename("local_score")
    if external in _OPENNESS_COLUMNS:
        # Only the column asked for: the local partners need not be counted for the roles.
        focused = focus(survey, wave)
        treatment = resolve_missing(focused, missing, fn)
        ext = openness_columns(focused, [external], relation, wave, treatment)[external]
    elif external in survey.firms.columns:
        ext = survey.firms[external]
        if not (pd.api.types.is_numeric_dtype(ext) and not pd.api.types.is_bool_dtype(ext)):
            raise SurveyError(
                f"classify_roles: the firm attribute {external!r} is not numeric "
                f"(dtype {ext.dtype}); the external axis needs a number per firm, such as a count "
                "of outside links."
            )
        ext = ext.astype(float)
    else:
        raise bad_parameter(
            fn,
            "external",
            f"one of {list(_OPENNESS_COLUMNS)} or a numeric firm attribute "
            f"{[c for c in survey.firms.columns if c not in (V.NAME, V.RESPONDENT)]}",
            external,
        )
    return local_scores, ext.rename("external_score")


def assign(
    local_scores: pd.Series, external_scores: pd.Series, thresholds: Mapping[str, float]
) -> pd.DataFrame:
    """Roles from two score columns and two cut-offs (high = strictly above)."""
    table = pd.concat([local_scores, external_scores], axis=1)
    known = table.notna().all(axis=1).to_numpy()
    lo = above(table["local_score"].to_numpy(dtype=float), thresholds["local"])
    ex = above(table["external_score"].to_numpy(dtype=float), thresholds["external"])
    # Each firm's role as a number (2 x high local + high external), then its name: no array
    # of text is built for a national roster's millions of firms.
    names = np.array([V.ISOLATED, V.EXTERNAL_STAR, V.MUTUAL_EXCHANGER, V.GATEKEEPER, None],
                     dtype=object)
    code = 2 * lo.astype(np.int8) + ex
    code[~known] = 4
    table.insert(0, "role", pd.Series(names[code], index=table.index, dtype=object))
    table["local_high"] = pd.arrays.BooleanArray(lo, ~known)
    table["external_high"] = pd.arrays.BooleanArray(ex, ~known)
    table.index.name = V.FIRM_ID
    return table


@dataclass(frozen=True, repr=False)
class RoleAssignment(Result):
    """Cognitive roles of the firms of one survey.

    Attributes
    ----------
    table : pandas.DataFrame
        Indexed by ``firm_id``: ``role`` (one of ``technological_gatekeeper``,
        ``external_star``, ``active_mutual_exchanger``, ``isolated_firm``; None when a score is
        unknown), ``local_score``, ``external_score``, ``local_high``, ``external_high``.
    thresholds : dict
        ``{"local": float, "external": float}``: the cut-offs used.
    local, external : str
        The score columns of the two axes.
    rule : dict
        The threshold rule of each axis ("mean", "median", ("quantile", q) or a number).
    """

    _main: ClassVar[str | None] = "table"

    table: pd.DataFrame
    thresholds: dict[str, float]
    local: str
    external: str
    rule: dict[str, Any] = field(default_factory=dict)

    @property
    def counts(self) -> pd.Series:
        """Firms per role, in the order technological_gatekeeper, external_star,
        active_mutual_exchanger, isolated_firm (plus unclassified)."""
        counts = self.table["role"].value_counts().reindex(V.ROLES, fill_value=0)
        unclassified = int(self.table["role"].isna().sum())
        if unclassified:
            counts["unclassified"] = unclassified
        return counts.rename("firms")

    def summary(self) -> str:
        """Counts per role, the thresholds and the rule, as text."""
        lines = [
            "Cognitive roles (Giuliani & Bell 2005)",
            f"local axis: {self.local} (threshold {self.thresholds['local']:.4g}, "
            f"rule {self.rule.get('local')!r})",
            f"external axis: {self.external} (threshold {self.thresholds['external']:.4g}, "
            f"rule {self.rule.get('external')!r})",
            "high = strictly above the threshold; a score equal to it counts as low",
        ]
        for role, count in self.counts.items():
            firms = self.table.index[self.table["role"] == role].tolist()
            lines.append(f"  {role}: {count}" + (f" ({', '.join(firms)})" if firms else ""))
        return "\n".join(lines)


def classify_roles(
    survey: Survey,
    *,
    local: str = "degree",
    external: str = "external_ties",
    threshold: Any = "mean",
    relation: str | None = None,
    wave: str | None = None,
    missing: str | None = None,
) -> RoleAssignment:
    r"""Classify each firm's cognitive role in the cluster's knowledge system.

    Two axes: local connectivity (``local``) and external openness (``external``). A firm is high
    on an axis when its score is strictly above the axis threshold:

    ============  ============  ============================
    local         external      role
    ============  ============  ============================
    high          high          ``technological_gatekeeper``
    low           high          ``external_star``
    high          low           ``active_mutual_exchanger``
    low           low           ``isolated_firm``
    ============  ============  ============================

    Parameters
    ----------
    survey : Survey
        A validated survey.
    local : str
        A :func:`kflow.centrality` column. ``"degree"`` (default), ``"in_degree"`` and
        ``"out_degree"`` use their normalized forms (degree over 2(n - 1), resp. n - 1).
    external : str
        ``"external_ties"`` (default), ``"external_strength"``, another
        :func:`kflow.external_openness` count, or any numeric firm attribute (surveys often record
        only a count of outside links per firm).
    threshold : rule or dict
        ``"mean"`` (default), ``"median"``, ``("quantile", q)``, a number, or a dict
        ``{"local": rule, "external": rule}``. Rules are computed on the firms whose score is
        known.
    relation, wave, missing
        The layer and the treatment of non-respondents, as in :func:`kflow.centrality`. Firms
        with an unknown score get role None.

    Returns
    -------
    RoleAssignment

    Notes
    -----
    With local score :math:`\ell_i`, external score :math:`e_i` and thresholds
    :math:`t_\ell, t_e` (the cluster mean by default), a firm is high on an axis when its score is
    strictly above the threshold:

    .. math::

        \mathrm{role}_i = \begin{cases}
        \text{technological gatekeeper} & \ell_i > t_\ell,\ e_i > t_e \\
        \text{external star} & \ell_i \le t_\ell,\ e_i > t_e \\
        \text{active mutual exchanger} & \ell_i > t_\ell,\ e_i \le t_e \\
        \text{isolated firm} & \ell_i \le t_\ell,\ e_i \le t_e
        \end{cases}

    after Allen's gatekeepers [2]_ as operationalized for clusters [1]_ [3]_. When every firm has
    the same score on an axis, nobody is above the mean: all are low on it.

    See Also
    --------
    knowledge_positions : sources, absorbers and mutual exchangers inside the cluster.
    brokerage : outside -> firm -> local relays counted (Gould-Fernandez gatekeeper).
    role_stability : how much each role depends on the sample and the threshold.
    RoleClassifier : thresholds learned on one wave applied to another.

    References
    ----------
    .. [1] Giuliani, E., & Bell, M. (2005). The micro-determinants of meso-level learning and
       innovation: evidence from a Chilean wine cluster. *Research Policy*, 34(1), 47-68.
       https://doi.org/10.1016/j.respol.2004.10.008
    .. [2] Allen, T. J. (1977). *Managing the Flow of Technology*. MIT Press.
    .. [3] Pietrobelli, C., & Rabellotti, R. (Eds.) (2006). *Upgrading to Compete: Global Value
       Chains, Clusters, and SMEs in Latin America*. Inter-American Development Bank.

    Examples
    --------
    >>> import pandas as pd, kflow
    >>> ties = pd.DataFrame({"source": ["a", "a", "b", "c", "c"],
    ...                      "target": ["b", "c", "a", "d", "b"]})
    >>> ext = pd.DataFrame({"firm_id": ["a", "a", "d", "d"], "actor": ["U", "L", "U", "B"]})
    >>> r = kflow.classify_roles(kflow.read_survey(ties, orientation="flow", external=ext))
    >>> r.table["role"].tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['technological_gatekeeper', 'active_mutual_exchanger', 'active_mutual_exchanger',
     'external_star']
    """
    survey = focus(survey, wave)
    fn = "classify_roles"
    rule = split_rule(threshold, fn)
    with shared_layers():  # the centrality and the openness map the ties to firms once
        local_scores, external_scores = axis_scores(
            survey, local, external, relation=relation, wave=wave, missing=missing
        )
    thresholds = {
        "local": threshold_value(local_scores, rule["local"]),
        "external": threshold_value(external_scores, rule["external"]),
    }
    table = assign(local_scores, external_scores, thresholds)
    return RoleAssignment(table, thresholds, local, external, rule)


class RoleClassifier:
    """Learn role thresholds on one survey (a wave) and apply them to another.

    ``fit`` computes the thresholds of :func:`classify_roles` on a survey; ``predict`` classifies
    another survey with those fixed numbers, so that a firm's role change between waves reflects
    its own change, not a moving cluster mean.

    Parameters
    ----------
    local, external, threshold
        As in :func:`classify_roles`.

    Attributes
    ----------
    thresholds_ : dict
        ``{"local": float, "external": float}`` learned by ``fit``.

    Raises
    ------
    kflow.NotFittedError
        From ``predict`` before ``fit``.

    See Also
    --------
    classify_roles : the rule the thresholds come from.
    compare_waves : role transitions between two waves, with thresholds of the first.

    References
    ----------
    .. [1] Giuliani, E., & Bell, M. (2005). The micro-determinants of meso-level learning and
       innovation: evidence from a Chilean wine cluster. *Research Policy*, 34(1), 47-68.
       https://doi.org/10.1016/j.respol.2004.10.008

    Examples
    --------
    >>> import pandas as pd, kflow
    >>> w1 = kflow.read_survey(pd.DataFrame({"source": ["a", "a"], "target": ["b", "c"]}),
    ...                        orientation="flow")
    >>> clf = kflow.RoleClassifier(external="external_ties").fit(w1)
    >>> clf.thresholds_["local"]
    0.3333333333333333
    """

    def __init__(
        self, local: str = "degree", external: str = "external_ties", threshold: Any = "mean"
    ) -> None:
        self.local = local
        self.external = external
        self.threshold = threshold

    def fit(self, survey: Survey, **layer: Any) -> RoleClassifier:
        """Learn the thresholds on ``survey``; returns self."""
        fitted = classify_roles(
            survey, local=self.local, external=self.external, threshold=self.threshold, **layer
        )
        self.thresholds_ = dict(fitted.thresholds)
        return self

    def predict(self, survey: Survey, **layer: Any) -> RoleAssignment:
        """Classify ``survey`` with the learned thresholds."""
        if not hasattr(self, "thresholds_"):
            raise NotFittedError(
                "This RoleClassifier is not fitted yet: call fit(survey) before predict(other)."
            )
        return classify_roles(
            survey,
            local=self.local,
            external=self.external,
            threshold=dict(self.thresholds_),
            **layer,
        )

    def fit_predict(self, survey: Survey, **layer: Any) -> RoleAssignment:
        """Fit on ``survey`` and classify it."""
        return self.fit(survey, **layer).predict(survey, **layer)
