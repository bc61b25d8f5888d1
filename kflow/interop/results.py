"""kflow's results per firm, as node attributes of an exported network.

For each layer (relation and wave) of the survey: the cognitive role and its two scores, the
knowledge position, the centralities and the Gould-Fernandez brokerage z-scores, computed with
the same defaults as the report. A firm without a role or position (a non-respondent, a firm
absent from the wave) is ``unclassified``. With one layer the attributes carry plain names
(``role``, ``betweenness``, ``brokerage_gatekeeper_z``); with several, the layer is appended
(``role_advice_2015``; ``role_2015`` when only the waves differ).
"""

from __future__ import annotations

import re

import pandas as pd

from kflow import vocabulary as V
from kflow.exceptions import KflowError
from kflow.survey import Survey

__all__ = ["UNCLASSIFIED", "result_attributes"]

UNCLASSIFIED = "unclassified"
_ROLE_COLUMNS = ("role", "local_score", "external_score")
_CENTRALITIES = ("out_degree", "in_degree", "out_strength", "in_strength", "betweenness",
                 "closeness_out", "closeness_in", "source_prestige", "hub", "authority")


def result_attributes(survey: Survey, *, local: str = "degree", external: str = "external_ties",
                      threshold: object = "mean") -> tuple[pd.DataFrame, list[str]]:
    """The result columns for every firm (index ``firm_id``), and notes on what was left out.

    ``local``, ``external`` and ``threshold`` are the axes and rule of the cognitive roles, as
    in :func:`kflow.classify_roles`."""
    from kflow.measures import centrality
    from kflow.roles import brokerage, classify_roles, knowledge_positions

    layers = [(r, w) for r in survey.relations for w in (survey.waves or [None])]
    parts = []
    notes: list[str] = []
    for relation, wave in layers:
        one = survey.select(relation=relation if len(survey.relations) > 1 else None,
                            wave=wave)
        frame = pd.DataFrame(index=one.firms.index)
        roles = classify_roles(one, local=local, external=external, threshold=threshold)
        frame = frame.join(roles.table[list(_ROLE_COLUMNS)])
        frame["position"] = knowledge_positions(one)["position"]
        # Firms without a role (non-respondents under missing="nan", firms absent from a wave)
        # are written as such, so that every node carries the attribute a tool colours by.
        frame[["role", "position"]] = frame[["role", "position"]].fillna(UNCLASSIFIED)
        frame = frame.join(centrality(one)[list(_CENTRALITIES)])
        try:
            z = brokerage(one).z.drop(columns="total")
        except KflowError as exc:
            notes.append(f"brokerage left out: {exc}")
        else:
            frame = frame.join(z.add_prefix("brokerage_").add_suffix("_z"))
        if len(layers) > 1:
            named = (relation if len(survey.relations) > 1 else None, wave)
            suffix = "_".join(_slug(x) for x in named if x is not None)
            frame = frame.add_suffix(f"_{suffix}")
        parts.append(frame)
    out = pd.concat(parts, axis=1).reindex(survey.firms.index)
    out.index.name = V.FIRM_ID
    return out, notes


def _slug(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z]+", "_", str(text)).strip("_") or "x"
