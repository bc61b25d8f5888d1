"""Builders of a Survey from objects already in memory: DataFrames and networkx graphs.

They are attached to :class:`kflow.Survey` as ``Survey.from_frames`` and
``Survey.from_networkx`` by :mod:`kflow.io`, so the data model itself imports no reader.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from kflow import vocabulary as V
from kflow.exceptions import SurveyError
from kflow.io.reader import read_survey
from kflow.survey import Survey

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["from_frames", "from_networkx"]


def from_frames(
    *,
    ties: pd.DataFrame,
    firms: pd.DataFrame | None = None,
    external: pd.DataFrame | None = None,
    **options: Any,
) -> Survey:
    """Build a Survey from DataFrames already in flow orientation (source -> target).

    Takes the columns of the data model and the options of :func:`kflow.read_survey`; the
    same validation applies.

    Examples
    --------
    >>> import pandas as pd, kflow
    >>> s = kflow.Survey.from_frames(ties=pd.DataFrame({"source": ["A"], "target": ["B"]}))
    >>> s.ties[["source", "target"]].values.tolist()
    [['A', 'B']]
    """
    options.setdefault("orientation", "flow")
    return read_survey(ties, firms=firms, external=external, **options)


def from_networkx(
    G: nx.DiGraph,
    *,
    weight: str = V.WEIGHT,
    **options: Any,
) -> Survey:
    """Build a Survey from a directed networkx graph whose edges point along knowledge flow.

    Nodes with attribute ``group == "outside"`` are external actors (their ``actor_type`` kept);
    every other node is a roster firm whose attributes become firm columns (``respondent``
    defaults to True). Edge attribute ``weight`` (default 1) is the tie value. Options go to
    :func:`kflow.read_survey`.

    Examples
    --------
    >>> import networkx as nx, kflow
    >>> G = nx.DiGraph([("A", "B"), ("B", "C")])
    >>> kflow.Survey.from_networkx(G).ties[["source", "target"]].values.tolist()
    [['A', 'B'], ['B', 'C']]
    """
    if not G.is_directed() or G.is_multigraph():
        raise SurveyError(
            "from_networkx needs a networkx DiGraph (directed, one edge per ordered pair); "
            f"got a {type(G).__name__}. Convert it with nx.DiGraph(G) after choosing a direction."
        )
    outside = {n for n, d in G.nodes(data=True) if d.get("group") == V.GROUP_OUTSIDE}
    firm_rows = []
    for n, d in G.nodes(data=True):
        if n in outside:
            continue
        row = {V.FIRM_ID: str(n)}
        row.update({k: v for k, v in d.items() if k not in ("group", V.FIRM_ID)})
        row.setdefault(V.RESPONDENT, True)
        firm_rows.append(row)
    ties, external = [], []
    for u, v, d in G.edges(data=True):
        w = d.get(weight, 1.0)
        if u in outside and v in outside:
            raise SurveyError(
                f"from_networkx: edge {u!r} -> {v!r} joins two outside actors; kflow records "
                "only ties that touch a roster firm. Remove the edge."
            )
        if u in outside or v in outside:
            actor, firm, direction = (u, v, "in") if u in outside else (v, u, "out")
            external.append(
                {
                    V.FIRM_ID: str(firm),
                    V.ACTOR: str(actor),
                    V.ACTOR_TYPE: G.nodes[actor].get(V.ACTOR_TYPE, V.UNKNOWN_ACTOR_TYPE),
                    V.DIRECTION: direction,
                    V.WEIGHT: w,
                }
            )
        else:
            ties.append({V.SOURCE: str(u), V.TARGET: str(v), V.WEIGHT: w})
    if not ties:
        raise SurveyError("from_networkx: the graph has no edges between roster firms.")
    firms = pd.DataFrame(firm_rows)
    return read_survey(
        pd.DataFrame(ties),
        orientation="flow",
        firms=firms,
        external=pd.DataFrame(external) if external else None,
        **options,
    )
