"""How stable each firm's cognitive role is under resampling (kflow, beyond the literature).

A role read off one survey rests on answers that could have come out a little differently, and
on a threshold rule the analyst chose. ``role_stability`` redoes the classification many times:

- ``"respondents"``: a bootstrap of respondents: draw as many respondents as answered, with
  replacement; the answers (knowledge ties and outside ties) of respondents not drawn are removed;
- ``"ties"``: a bootstrap of answers: draw as many knowledge ties and as many outside ties as were
  reported, with replacement, and keep those drawn;
- ``"thresholds"``: the survey as it is, with each axis's threshold the q-quantile of its scores,
  q drawn uniformly in [0.25, 0.75].

Each firm's stability is the share of resamples in which it keeps its observed role. Degree and
outside-tie axes are recomputed for all resamples at once with numpy; other local axes (e.g.
betweenness) are recomputed per resample with igraph.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from kflow import vocabulary as V
from kflow._layers import build_layer, focus, one_layer, resolve_missing
from kflow._random import as_generator
from kflow.exceptions import bad_parameter
from kflow.measures.centrality import centrality_of_layer
from kflow.roles.cognitive import NORMALIZED_AXES, above, classify_roles, split_rule
from kflow.survey import Survey

__all__ = ["role_stability"]

SCHEMES = ("respondents", "ties", "thresholds")
_ROLE_CODES = np.array(V.ROLES, dtype=object)
_VECTOR_LOCAL = {
    "degree_norm",
    "in_degree_norm",
    "out_degree_norm",
    "degree",
    "in_degree",
    "out_degree",
    "in_strength",
    "out_strength",
}
_VECTOR_EXTERNAL = {"external_ties", "external_strength"}


def _role_codes(local: np.ndarray, external: np.ndarray, t_local, t_ext) -> np.ndarray:
    """Role index (order of V.ROLES) per resample and firm; -1 where a score is NaN."""
    lo = above(local, t_local)
    ex = above(external, t_ext)
    code = np.select([lo & ex, ~lo & ex, lo & ~ex], [0, 1, 2], default=3)
    code[np.broadcast_to(np.isnan(local) | np.isnan(external), code.shape)] = -1
    return code


def _quantile_threshold(scores: np.ndarray, rule: Any) -> np.ndarray:
    """Thresholds per resample (rows) from a rule on that resample's known scores."""
    if isinstance(rule, float):
        return np.full((scores.shape[0], 1), rule)
    if rule == "mean":
        return np.nanmean(scores, axis=1, keepdims=True)
    if rule == "median":
        return np.nanmedian(scores, axis=1, keepdims=True)
    return np.nanquantile(scores, rule[1], axis=1, keepdims=True)


def role_stability(
    survey: Survey,
    *,
    n_resamples: int = 1000,
    scheme: str = "respondents",
    seed: int | np.random.Generator | None = None,
    local: str = "degree",
    external: str = "external_ties",
    threshold: Any = "mean",
    relation: str | None = None,
    wave: str | None = None,
    missing: str | None = None,
) -> pd.DataFrame:
    r"""Share of resamples in which each firm keeps its cognitive role.

    Parameters
    ----------
    survey : Survey
        A validated survey.
    n_resamples : int
        Number of resamples.
    scheme : {"respondents", "ties", "thresholds"}
        What is resampled (see the module description).
    seed : int or numpy.random.Generator, optional
        The same seed gives the same result.
    local, external, threshold, relation, wave, missing
        As in :func:`kflow.classify_roles`. For the ``"ties"`` and ``"respondents"`` schemes the
        external axis must be ``external_ties`` or ``external_strength`` (a firm attribute cannot
        be resampled); the threshold rule is applied anew in each resample.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``firm_id``: ``role`` (observed), ``stability`` (share of resamples with the
        same role, among those in which the firm could be classified), ``alternative`` (the most
        frequent other role, None if none) and ``alternative_share``.

    Notes
    -----
    For B resamples (a bootstrap of respondents or of reported ties [1]_, or a random quantile
    threshold), firm i's stability is the share of the resamples that classify it in which it keeps
    its observed role:

    .. math::

        s_i = \frac{\#\{b : \mathrm{role}^{(b)}_i = \mathrm{role}_i\}}
                   {\#\{b : \mathrm{role}^{(b)}_i \text{ defined}\}}

    This is kflow's check, beyond the published definitions of the roles [2]_.

    See Also
    --------
    classify_roles : the roles being checked.

    References
    ----------
    .. [1] Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman &
       Hall. https://doi.org/10.1007/978-1-4899-4541-9
    .. [2] Giuliani, E., & Bell, M. (2005). The micro-determinants of meso-level learning and
       innovation: evidence from a Chilean wine cluster. *Research Policy*, 34(1), 47-68.
       https://doi.org/10.1016/j.respol.2004.10.008

    Examples
    --------
    >>> import pandas as pd, kflow
    >>> s = kflow.read_survey(pd.DataFrame({"source": ["a", "b"], "target": ["b", "a"]}),
    ...                       orientation="flow")
    >>> kflow.role_stability(s, n_resamples=50, scheme="ties", seed=1)["stability"].tolist()
    [1.0, 1.0]
    """
    survey = focus(survey, wave)
    fn = "role_stability"
    if scheme not in SCHEMES:
        raise bad_parameter(fn, "scheme", f"one of {set(SCHEMES)}", scheme)
    if not isinstance(n_resamples, (int, np.integer)) or n_resamples < 1:
        raise bad_parameter(fn, "n_resamples", "a positive integer", n_resamples)
    missing = resolve_missing(survey, missing, fn)
    rule = split_rule(threshold, fn)
    observed = classify_roles(
        survey,
        local=local,
        external=external,
        threshold=threshold,
        relation=relation,
        wave=wave,
        missing=missing,
    )
    rng = as_generator(seed, "role_stability")
    local_col = NORMALIZED_AXES.get(local, local)
    n = survey.n_firms

    if scheme == "thresholds":
        ls = observed.table["local_score"].to_numpy(dtype=float)
        es = observed.table["external_score"].to_numpy(dtype=float)
        q = rng.uniform(0.25, 0.75, size=(n_resamples, 2))
        t_l = np.nanquantile(ls, q[:, 0]) if np.isfinite(ls).any() else np.full(n_resamples, np.nan)
        t_e = np.nanquantile(es, q[:, 1]) if np.isfinite(es).any() else np.full(n_resamples, np.nan)
        codes = _role_codes(ls[None, :], es[None, :], t_l[:, None], t_e[:, None])
        return _tabulate(observed.table["role"], codes)

    if external not in _VECTOR_EXTERNAL:
        raise bad_parameter(
            fn, "external", f"one of {sorted(_VECTOR_EXTERNAL)} for scheme {scheme!r}", external
        )
    layer = build_layer(survey, *one_layer(survey, relation, wave), missing)
    ext = survey.external[survey.external[V.DIRECTION] == "in"]
    firm_pos = pd.Index(survey.firm_ids)
    ext_firm = firm_pos.get_indexer(ext[V.FIRM_ID])
    ext_weight = ext[V.WEIGHT].to_numpy(dtype=float)

    if scheme == "ties":
        tie_keep = _bootstrap_presence(rng, layer.m, n_resamples)
        ext_keep = _bootstrap_presence(rng, len(ext), n_resamples)
    else:
        respondents = np.flatnonzero(survey.firms[V.RESPONDENT].to_numpy(dtype=bool))
        drawn = np.zeros((n_resamples, n), dtype=bool)
        picks = rng.integers(0, len(respondents), size=(n_resamples, len(respondents)))
        np.put_along_axis(drawn, respondents[picks], True, axis=1)
        drawn[:, ~survey.firms[V.RESPONDENT].to_numpy(dtype=bool)] = True  # not answers to drop
        side = survey.meta.get("reported_side")
        if side == "in":
            tie_keep = drawn[:, layer.dst]
        elif side == "out":
            tie_keep = drawn[:, layer.src]
        else:
            tie_keep = drawn[:, layer.src] & drawn[:, layer.dst]
        ext_keep = drawn[:, ext_firm]

    local_scores = _local_scores(layer, local_col, tie_keep)
    ext_scores = _external_scores(n, ext_firm, ext_weight, ext_keep, external)
    unknown = (
        observed.table["external_score"].isna().to_numpy()
        | observed.table["local_score"].isna().to_numpy()
    )
    local_scores[:, unknown] = np.nan
    ext_scores[:, unknown] = np.nan
    t_l = _quantile_threshold(local_scores, rule["local"])
    t_e = _quantile_threshold(ext_scores, rule["external"])
    codes = _role_codes(local_scores, ext_scores, t_l, t_e)
    return _tabulate(observed.table["role"], codes)


def _bootstrap_presence(rng: np.random.Generator, m: int, k: int) -> np.ndarray:
    """(k, m) mask: which of m items a bootstrap draw of m with replacement contains."""
    keep = np.zeros((k, m), dtype=bool)
    if m:
        np.put_along_axis(keep, rng.integers(0, m, size=(k, m)), True, axis=1)
    return keep


def _local_scores(layer, column: str, keep: np.ndarray) -> np.ndarray:
    n, k = layer.n, keep.shape[0]
    if column in _VECTOR_LOCAL:
        w = layer.weight if "strength" in column else np.ones(layer.m)
        kw = _tie_major(keep, w)
        out_s = _per_firm(kw, layer.src, n)
        in_s = _per_firm(kw, layer.dst, n)
        scale = {"degree_norm": 2 * (n - 1), "in_degree_norm": n - 1, "out_degree_norm": n - 1}.get(
            column, 1
        )
        if column.startswith("in_"):
            return in_s / scale
        if column.startswith("out_"):
            return out_s / scale
        return (in_s + out_s) / scale
    scores = np.empty((k, n))
    for s in range(k):
        sub = type(layer)(
            layer.relation,
            layer.wave,
            layer.firm_ids,
            layer.src[keep[s]],
            layer.dst[keep[s]],
            layer.weight[keep[s]],
            layer.missing,
            layer.unknown_in,
            layer.unknown_out,
        )
        scores[s] = centrality_of_layer(sub, [column], False)[column]
    return scores


def _external_scores(
    n: int, firm: np.ndarray, weight: np.ndarray, keep: np.ndarray, column: str
) -> np.ndarray:
    # Incoming outside ties are unique per (firm, actor) once read, so counting kept rows per
    # firm counts distinct actors.
    values = weight if column == "external_strength" else np.ones(len(firm))
    return _per_firm(_tie_major(keep, values), firm, n)


def _tie_major(keep: np.ndarray, values: np.ndarray) -> np.ndarray:
    """(m, k) C-ordered tie values of every resample: ``keep`` (k, m) times ``values`` (m,),
    laid out as the sparse product below reads them (no copy there)."""
    return np.multiply(keep.T, values[:, None], order="C")


def _per_firm(values: np.ndarray, ends: np.ndarray, n: int) -> np.ndarray:
    """(k, n) sums of the (m, k) tie values by the firm at each tie's end, for every resample
    at once: the (n, m) sparse incidence matrix (1 at (ends[e], e)) times the values."""
    m = len(ends)
    from scipy import sparse

    incidence = sparse.csr_matrix((np.ones(m), (ends, np.arange(m))), shape=(n, m))
    return np.asarray(incidence @ values).T


def _tabulate(observed_roles: pd.Series, codes: np.ndarray) -> pd.DataFrame:
    obs = observed_roles.to_numpy(dtype=object)
    rows = []
    for j, role in enumerate(obs):
        col = codes[:, j]
        valid = col[col >= 0]
        counts = np.bincount(valid, minlength=len(V.ROLES))
        total = counts.sum()
        if role is None or total == 0:
            rows.append((role, np.nan, None, np.nan))
            continue
        own = list(V.ROLES).index(role)
        share = counts[own] / total
        others = counts.copy()
        others[own] = 0
        if others.sum() == 0:
            rows.append((role, float(share), None, 0.0))
        else:
            alt = int(np.argmax(others))
            rows.append((role, float(share), V.ROLES[alt], float(others[alt] / total)))
    return pd.DataFrame(
        rows,
        columns=["role", "stability", "alternative", "alternative_share"],
        index=observed_roles.index,
    )
