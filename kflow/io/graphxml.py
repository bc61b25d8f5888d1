"""GraphML and GEXF files (Gephi, yEd, igraph, networkx), read with networkx's readers.

The firm id of a node is its ``firm_id`` attribute (files kflow writes), else its ``name``
(igraph writes node ids ``n0, n1, …`` and keeps names there), else its ``label`` (Gephi), when
every node has a distinct one; otherwise the node id. Node attributes become firm attributes
(drawing attributes such as coordinates, size and colour are left out); edge attributes
``weight`` (or ``value``), ``relation`` and ``wave`` become the tie's value, relation and wave.
An undirected graph gives a tie each way.
"""

from __future__ import annotations

import re
from pathlib import Path

from kflow import vocabulary as V
from kflow.exceptions import SurveyError
from kflow.io.netfile import FORMAT_NAMES, ForeignTables, firms_table, records_table

__all__ = ["read_graph_xml"]

_ID_ATTRIBUTES = ("firm_id", "name", "label")
_DRAWING = {"x", "y", "z", "size", "r", "g", "b", "color", "colour", "viz", "shape", "id",
            "start", "end", "pid", "position", "thickness"}
_WEIGHT = ("weight", "value", "Weight")


def read_graph_xml(path: Path, fmt: str) -> ForeignTables:
    """Read a GraphML or GEXF file (see the module) into the tables the survey reader checks."""
    import networkx as nx

    reader = nx.read_graphml if fmt == "graphml" else nx.read_gexf
    try:
        graph = reader(path)
    except (OSError, ValueError, KeyError, TypeError, nx.NetworkXError) as exc:
        raise SurveyError(
            f"{path.name}: is not a {FORMAT_NAMES[fmt]} file kflow can read ({exc}). Save it "
            f"again from the tool that made it, as {FORMAT_NAMES[fmt]}."
        ) from None
    except Exception as exc:  # XML parse errors come in several classes
        raise SurveyError(f"{path.name}: is not well-formed XML ({exc}).") from None
    nodes = list(graph.nodes)
    key, ids = _firm_ids(graph, nodes)
    results = [r for r in str(graph.graph.get("kflow_results", "")).split(",") if r]
    if fmt == "gexf":
        results += _gexf_results(path)
    attributes = _node_attributes(graph, nodes, key)
    attributes = {k: v for k, v in attributes.items() if k not in results}
    rows, unused = _edges(graph, ids)
    kind = "directed" if graph.is_directed() else "undirected: each edge is a tie both ways"
    notes = [f"{path.name}: read as {FORMAT_NAMES[fmt]} ({kind}, {len(nodes)} nodes, "
             f"{graph.number_of_edges()} edges)"]
    if key is not None:
        notes.append(f"{path.name}: firm ids taken from the node attribute {key!r}")
    if results:
        notes.append(f"{path.name}: {len(results)} kflow results of the export were left out of "
                     "the firms table (kflow computes them again)")
    if unused:
        notes.append(f"{path.name}: edge attributes not used: {', '.join(map(repr, unused))}")
    return ForeignTables(
        records_table(path.name, rows, word="edge"),
        firms_table(path.name, [ids[n] for n in nodes], attributes),
        None,
        tuple(notes),
    )


def _firm_ids(graph, nodes: list) -> tuple[str | None, dict]:
    for key in _ID_ATTRIBUTES:
        values = [graph.nodes[n].get(key) for n in nodes]
        text = [str(v).strip() for v in values if v is not None and str(v).strip()]
        if len(text) == len(nodes) and len(set(text)) == len(nodes):
            return key, dict(zip(nodes, text, strict=True))
    return None, {n: str(n).strip() for n in nodes}


def _node_attributes(graph, nodes: list, key: str | None) -> dict[str, list]:
    names: list[str] = []
    for n in nodes:
        names += [a for a in graph.nodes[n] if a not in names]
    keep = [a for a in names if a != key and a.lower() not in _DRAWING]
    out = {a: [graph.nodes[n].get(a) for n in nodes] for a in keep}
    if key in ("firm_id", "name") and "label" in out:
        del out["label"]
    if "label" in out and "name" not in out:
        out["name"] = out.pop("label")
    return out


def _edges(graph, ids: dict) -> tuple[list[tuple], list[str]]:
    rows: list[tuple] = []
    seen: list[str] = []
    multi = graph.is_multigraph()
    edges = graph.edges(keys=True, data=True) if multi else graph.edges(data=True)
    for k, edge in enumerate(edges, start=1):
        u, v, data = edge[0], edge[1], edge[-1]
        seen += [a for a in data if a not in seen]
        weight = next((data[w] for w in _WEIGHT if w in data), 1)
        relation = data.get("relation") or None
        wave = data.get("wave")
        pairs = [(u, v)] if graph.is_directed() or u == v else [(u, v), (v, u)]
        rows += [(k, ids[a], ids[b], weight, relation, wave) for a, b in pairs]
    used = {*_WEIGHT, "relation", "wave", "id", "key", "label"}
    rows = [(*r[:4], r[4] if r[4] is not None else V.DEFAULT_RELATION, r[5]) for r in rows]
    return rows, [a for a in seen if a not in used]


def _gexf_results(path: Path) -> list[str]:
    """The result attributes kflow lists in the ``<meta><description>`` of a GEXF it wrote."""
    head = path.read_bytes()[:4096].decode("utf-8", "replace")
    found = re.search(r"<description>kflow_results: ([^<]*)</description>", head)
    return [r for r in found.group(1).split(",") if r] if found else []
