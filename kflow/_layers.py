"""The tie layers that measures run on, with the survey's treatment of missing answers applied.

A measure sees one relation and wave at a time. Non-respondents' unknown answers are handled here
once, by the survey's ``missing`` treatment (see METHODS 1 and the data-model docs):

- ``"nan"``: ties stay as observed; measures that use a non-respondent's unknown side are NaN for
  that firm (the caller asks :func:`unknown_sides` which side that is);
- ``"zero"``: ties stay as observed and unknown answers count as no tie;
- ``"reconstruct"``: a non-respondent's unknown tie with a respondent is filled in from the
  respondent's answer about the reverse tie (reciprocity-based imputation, after Stork & Richards
  1992): under "asks", respondent j turning to non-respondent i (i -> j) is taken to mean that i
  turns to j too (j -> i), with the same weight. Ties between two non-respondents stay unknown.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kflow import vocabulary as V
from kflow._positions import tie_arrays
from kflow.exceptions import SurveyError, bad_parameter
from kflow.survey import Survey


@dataclass(frozen=True)
class Layer:
    """One relation and wave of a survey, ready for computing.

    ``src`` and ``dst`` are integer positions into ``firm_ids`` (natural order), so results map
    back to firm ids without graph vertex indices leaking out.
    """

    relation: str
    wave: str | None
    firm_ids: list[str]
    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray
    missing: str
    unknown_in: np.ndarray  # bool per firm: its incoming ties are unknown (NaN treatment)
    unknown_out: np.ndarray  # bool per firm: its outgoing ties are unknown (NaN treatment)

    @property
    def n(self) -> int:
        return len(self.firm_ids)

    @property
    def m(self) -> int:
        return len(self.src)


def resolve_missing(survey: Survey, missing: str | None, function: str) -> str:
    value = survey.meta.get("missing", "nan") if missing is None else missing
    if value not in V.MISSING_TREATMENTS:
        raise bad_parameter(function, "missing", f"one of {set(V.MISSING_TREATMENTS)}", value)
    return value


def focus(survey: Survey, wave: str | int | None) -> Survey:
    """The survey with only the firms present in ``wave``, when wave membership is known.

    Every analysis of one wave starts here, so that firms absent from that wave (see
    :meth:`kflow.Survey.absent`) are neither measured, classified nor counted as respondents.
    """
    if wave is None or not survey.meta.get("absent"):
        return survey
    return survey.select(wave=wave)


def layer_keys(
    survey: Survey, relation: str | None, wave: str | None
) -> list[tuple[str, str | None]]:
    """The (relation, wave) pairs to compute: the one asked for, or every one present."""
    relations = [relation] if relation is not None else survey.relations
    if wave is not None:
        waves: list[str | None] = [wave]
    else:
        waves = list(survey.waves) if survey.waves else [None]
    return [(r, w) for r in relations for w in waves]


def build_layer(survey: Survey, relation: str, wave: str | None, missing: str) -> Layer:
    ids = survey.firm_ids
    src, dst, weight = tie_arrays(survey, relation, wave)
    unknown_in, unknown_out = unknown_sides(survey, missing)
    if missing == "reconstruct":
        non = ~survey.firms[V.RESPONDENT].to_numpy(dtype=bool)
        if non.any():
            side = survey.meta.get("reported_side")
            src, dst, weight = _reconstruct(src, dst, weight, non, side)
    return Layer(relation, wave, ids, src, dst, weight, missing, unknown_in, unknown_out)


def unknown_sides(survey: Survey, missing: str) -> tuple[np.ndarray, np.ndarray]:
    """Per firm, whether its incoming and its outgoing ties are unknown: a non-respondent's
    unreported side under the "nan" treatment (both sides when the survey does not say which
    side respondents reported). Refuses "reconstruct" when that side is not known."""
    non = ~survey.firms[V.RESPONDENT].to_numpy(dtype=bool)
    if missing == "reconstruct" and non.any() and survey.meta.get("reported_side") is None:
        raise SurveyError(
            "missing='reconstruct' needs to know which ties respondents reported; this "
            "survey was read with orientation='flow'. Read it with 'asks' or 'gives', or use "
            "missing='nan' or 'zero'."
        )
    unknown_in = np.zeros(len(non), bool)
    unknown_out = np.zeros(len(non), bool)
    if missing == "nan" and non.any():
        side = survey.meta.get("reported_side")
        if side in ("in", None):
            unknown_in = non.copy()
        if side in ("out", None):
            unknown_out = non.copy()
    return unknown_in, unknown_out


def _reconstruct(src, dst, weight, non, side):
    """Add the reverse of each respondent-reported tie that touches a non-respondent."""
    # side "in": unknown ties into non-respondent i (j -> i); known: i -> j reported by j.
    # side "out": unknown ties out of non-respondent i (i -> j); known: j -> i reported by j.
    pick = non[src] & ~non[dst] if side == "in" else non[dst] & ~non[src]
    new_src, new_dst, new_w = dst[pick], src[pick], weight[pick]
    present = set(zip(src.tolist(), dst.tolist(), strict=True))
    keep = np.array(
        [(a, b) not in present for a, b in zip(new_src.tolist(), new_dst.tolist(), strict=True)],
        dtype=bool,
    )
    return (
        np.concatenate([src, new_src[keep]]),
        np.concatenate([dst, new_dst[keep]]),
        np.concatenate([weight, new_w[keep]]),
    )


def per_layer(survey: Survey, relation, wave, compute) -> pd.DataFrame:
    """Run ``compute(relation, wave)`` on each layer asked for.

    One layer gives its table indexed by ``firm_id``; several give one table indexed by
    ``(relation, wave, firm_id)`` (``wave`` is None in a survey without waves).
    """
    keys = layer_keys(survey, relation, wave)
    if len(keys) == 1:
        return compute(*keys[0])
    frames = []
    for r, w in keys:
        table = compute(r, w)
        # Built level by level: a survey without waves has wave None in every row, which
        # pd.concat's keys would turn into NaN and then fail to find.
        table.index = pd.MultiIndex.from_arrays(
            [[r] * len(table), [w] * len(table), table.index],
            names=[V.RELATION, V.WAVE, table.index.name],
        )
        frames.append(table)
    return pd.concat(frames)


def one_layer(survey: Survey, relation: str | None, wave: str | None) -> tuple[str, str | None]:
    """The (relation, wave) of a single layer; raises listing the choices when ambiguous."""
    return survey._layer_key(relation, wave)


def resolve_groups(survey: Survey, groups, function: str, *, cluster: bool = False) -> pd.Series:
    """The group of every roster firm, from a firm attribute name, a mapping or a Series (and,
    with ``cluster=True``, the name "cluster" for one group of all firms)."""
    ids = survey.firm_ids
    if cluster and isinstance(groups, str) and groups == V.GROUP_CLUSTER:
        return pd.Series(V.GROUP_CLUSTER, index=ids, dtype=object)
    if isinstance(groups, str):
        if groups not in survey.firms.columns:
            choices = "'cluster' or a firm attribute" if cluster else "a firm attribute"
            raise SurveyError(
                f"{function}: groups={groups!r} is not {choices}; the attributes are "
                f"{', '.join(map(repr, survey.firms.columns))}."
            )
        labels = survey.firms[groups]
    else:
        labels = groups if isinstance(groups, pd.Series) else pd.Series(dict(groups))
        labels = labels.reindex(ids)
    if labels.isna().any():
        lacking = labels.index[labels.isna().to_numpy()].tolist()
        raise SurveyError(
            f"{function}: firms {', '.join(map(str, lacking[:10]))} have no group. Give every "
            "roster firm a group."
        )
    return labels
