"""Graph views of a Survey: igraph for computing, networkx for interop.

Both views hold the same nodes (firm ids, plus outside actors on request), the same edges
oriented as knowledge flow, and the same attributes; a test checks that they agree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from kflow import vocabulary as V
from kflow.exceptions import SurveyError

if TYPE_CHECKING:
    from kflow.survey import Survey

__all__ = ["edge_table", "from_networkx", "node_table", "to_igraph", "to_networkx"]


def _plain(value: Any) -> Any:
    """Numpy scalars and pandas missing values as plain Python objects."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def node_table(survey: Survey, include_external: bool = False) -> pd.DataFrame:
    """One row per node: firm attributes with ``group="cluster"``; actors with ``"outside"``."""
    firms = survey.firms.copy()
    firms["group"] = V.GROUP_CLUSTER
    if not include_external or survey.external.empty:
        return firms
    actors = survey.external.groupby(V.ACTOR, sort=False)[V.ACTOR_TYPE].first()
    ids = V.sorted_ids(actors.index)
    outside = pd.DataFrame(
        {V.NAME: ids, V.ACTOR_TYPE: actors.loc[ids].to_numpy(), "group": V.GROUP_OUTSIDE},
        index=pd.Index(ids, dtype=object, name=V.FIRM_ID),
    )
    return pd.concat([firms, outside])


def edge_table(
    survey: Survey,
    include_external: bool = False,
    *,
    relation: str | None = None,
    wave: str | None = None,
) -> pd.DataFrame:
    """Edges of one relation and wave as ``source``, ``target``, ``weight`` (knowledge flow).

    External ties join as actor -> firm (direction ``in``) or firm -> actor (``out``).
    """
    ties = survey.layer(relation, wave)[[V.SOURCE, V.TARGET, V.WEIGHT]]
    if not include_external or survey.external.empty:
        return ties.reset_index(drop=True)
    ext = survey.external
    inflow = ext[V.DIRECTION] == "in"
    outside = pd.DataFrame(
        {
            V.SOURCE: np.where(inflow, ext[V.ACTOR], ext[V.FIRM_ID]),
            V.TARGET: np.where(inflow, ext[V.FIRM_ID], ext[V.ACTOR]),
            V.WEIGHT: ext[V.WEIGHT].to_numpy(),
        }
    )
    return pd.concat([ties, outside], ignore_index=True)


def to_networkx(
    survey: Survey,
    include_external: bool = False,
    *,
    relation: str | None = None,
    wave: str | None = None,
) -> nx.DiGraph:
    """The survey as a networkx DiGraph (see :meth:`kflow.Survey.to_networkx`)."""
    nodes = node_table(survey, include_external)
    edges = edge_table(survey, include_external, relation=relation, wave=wave)
    G = nx.DiGraph()
    for firm, row in zip(nodes.index, nodes.to_dict("records"), strict=True):
        G.add_node(firm, **{k: _plain(v) for k, v in row.items() if _plain(v) is not None})
    G.add_weighted_edges_from(
        zip(edges[V.SOURCE], edges[V.TARGET], edges[V.WEIGHT].astype(float).tolist(), strict=True)
    )
    G.graph.update(relation=relation or survey.relations[0], orientation="knowledge flow")
    return G


def to_igraph(
    survey: Survey,
    include_external: bool = False,
    *,
    relation: str | None = None,
    wave: str | None = None,
) -> ig.Graph:
    """The survey as a directed igraph Graph (see :meth:`kflow.Survey.to_igraph`).

    Vertex ``name`` holds the firm (or actor) id and ``firm_name`` the display name; vertex order
    is the node order of :func:`node_table`, so vertex ``i`` is ``survey.firm_ids[i]``.
    """
    nodes = node_table(survey, include_external)
    edges = edge_table(survey, include_external, relation=relation, wave=wave)
    index = {f: i for i, f in enumerate(nodes.index)}
    pairs = np.column_stack(
        [edges[V.SOURCE].map(index).to_numpy(), edges[V.TARGET].map(index).to_numpy()]
    ).astype(np.int64)
    G = ig.Graph(n=len(nodes), edges=pairs.tolist(), directed=True)
    G.vs["name"] = nodes.index.tolist()
    for column in nodes.columns:
        key = "firm_name" if column == V.NAME else column
        G.vs[key] = [_plain(v) for v in nodes[column].tolist()]
    G.es[V.WEIGHT] = edges[V.WEIGHT].astype(float).tolist()
    return G


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
    from kflow.io.reader import read_survey

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
