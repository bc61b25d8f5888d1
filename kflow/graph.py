"""Graph views of a Survey: igraph for computing, networkx for interop.

Both views hold the same nodes (firm ids, plus outside actors on request), the same edges
oriented as knowledge flow, and the same attributes; a test checks that they agree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import igraph as ig
import numpy as np
import pandas as pd

from kflow import vocabulary as V
from kflow._positions import edge_pairs, tie_positions

if TYPE_CHECKING:
    import networkx as nx

    from kflow.survey import Survey

__all__ = ["edge_table", "node_table", "to_igraph", "to_networkx"]


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
    import networkx as nx  # interop only: the analyses compute in igraph

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
    src, dst, weight = tie_positions(survey, relation, wave)
    if include_external and not survey.external.empty:
        ext = survey.external
        index = pd.Index(nodes.index, dtype=object)
        firm = index.get_indexer(np.asarray(ext[V.FIRM_ID], dtype=object))
        actor = index.get_indexer(np.asarray(ext[V.ACTOR], dtype=object))
        inflow = (ext[V.DIRECTION] == "in").to_numpy(dtype=bool)
        src = np.concatenate([src, np.where(inflow, actor, firm)])
        dst = np.concatenate([dst, np.where(inflow, firm, actor)])
        weight = np.concatenate([weight, ext[V.WEIGHT].to_numpy(dtype=float)])
    G = ig.Graph(n=len(nodes), edges=edge_pairs(src, dst), directed=True)
    G.vs["name"] = nodes.index.tolist()
    for column in nodes.columns:
        key = "firm_name" if column == V.NAME else column
        G.vs[key] = [_plain(v) for v in nodes[column].tolist()]
    G.es[V.WEIGHT] = np.asarray(weight, dtype=float).tolist()
    return G
