"""The network files :func:`kflow.export` writes: UCINET DL, Pajek, GraphML and GEXF.

Every writer takes the survey's ties in knowledge-flow orientation (an arc u -> v: knowledge
flowed from u to v) and a table of node attributes (the firms table and kflow's results), and
returns the file's text or writes it. The text formats are built here; GraphML and GEXF go
through networkx's writers.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

from kflow import vocabulary as V
from kflow.survey import Survey

__all__ = [
    "RESULTS_KEY", "dl_text", "layer_label", "pajek_partition", "pajek_text", "write_graph_xml"
]

# The graph attribute (GraphML, GEXF) or comment (Pajek) listing the result attributes, so
# that reading the file back leaves them out of the firms table.
RESULTS_KEY = "kflow_results"


def layer_label(relation: str, wave: str | None) -> str:
    """How a relation (and wave) is named in a DL level label: ``advice wave=2015``."""
    return relation if wave is None else f"{relation} wave={wave}"


def _quote(text: str) -> str:
    return '"' + str(text).replace('"', "'") + '"'


def _label(text: str) -> str:
    """A DL label, quoted only when it holds blanks, commas or quotes."""
    text = str(text)
    return _quote(text) if any(c in text for c in " \t,\"'") else text


def _layers(survey: Survey) -> list[tuple[str, str | None, pd.DataFrame]]:
    waves = survey.waves or [None]
    return [(r, w, survey.layer(r, w)) for r in survey.relations for w in waves]


def _number(value: float) -> str:
    return f"{value:g}" if np.isfinite(value) else "0"


def dl_text(survey: Survey) -> str:
    """A UCINET DL ``fullmatrix`` with one matrix per relation (and wave), labels quoted.

    Row i, column j holds the value of the tie i -> j (0: no tie); the level labels name the
    relations (``advice wave=2015`` for a wave). A label holding a double quote is written with
    a single one (DL has no escape)."""
    ids = survey.firm_ids
    index = {f: k for k, f in enumerate(ids)}
    layers = _layers(survey)
    # The plainest header every DL reader takes (UCINET, NetDraw, igraph): the diagonal is
    # present by default, one LABELS list serves rows and columns, NM only when above 1.
    header = f"DL N={len(ids)}" + (f" NM={len(layers)}" if len(layers) > 1 else "")
    lines = [header, "FORMAT = FULLMATRIX", "LABELS:", *map(_label, ids)]
    if len(layers) > 1:
        lines += ["LEVEL LABELS:", *(_label(layer_label(r, w)) for r, w, _ in layers)]
    lines.append("DATA:")
    for _, _, ties in layers:
        matrix = np.zeros((len(ids), len(ids)))
        rows = ties[V.SOURCE].map(index).to_numpy(dtype=int)
        cols = ties[V.TARGET].map(index).to_numpy(dtype=int)
        matrix[rows, cols] = ties[V.WEIGHT].to_numpy(dtype=float)
        lines += [" ".join(_number(v) for v in row) for row in matrix]
    return "\n".join(lines) + "\n"


def pajek_text(survey: Survey, attributes: pd.DataFrame, results: list[str], *,
               project: bool) -> str:
    """Pajek text: the network (``*Arcs`` per relation, labelled ``:k "relation"`` when there
    are several; waves as time points ``[k]``), and in a project (``.paj``) one ``*Partition``
    per text attribute (codes explained in a comment) and one ``*Vector`` per numeric one. A
    ``.net`` holds the network alone, as every Pajek reader expects."""
    ids = survey.firm_ids
    number = {f: k for k, f in enumerate(ids, start=1)}
    waves = list(survey.waves)
    lines = ["% written by kflow: arcs point the way knowledge flowed (source -> target)"]
    if waves:
        names = {str(k): w for k, w in enumerate(waves, start=1)}
        lines.append("% kflow waves: " + json.dumps(names, ensure_ascii=False))
    if project and results:
        lines.append(f"% {RESULTS_KEY}: " + ", ".join(results))
    lines += (["*Network kflow"] if project else []) + [f"*Vertices {len(ids)}"]
    lines += [f"{number[f]} {_quote(f)}" for f in ids]
    several = len(survey.relations) > 1
    for k, relation in enumerate(survey.relations, start=1):
        lines.append(f"*Arcs :{k} {_quote(relation)}" if several else "*Arcs")
        ties = survey.ties[survey.ties[V.RELATION] == relation]
        for row in ties.itertuples(index=False):
            when = f" [{waves.index(getattr(row, V.WAVE)) + 1}]" if waves else ""
            lines.append(f"{number[row.source]} {number[row.target]} {_number(row.weight)}{when}")
    if project:
        for name in attributes.columns:
            lines += _pajek_attribute(name, attributes[name], len(ids))
    return "\n".join(lines) + "\n"


def pajek_partition(name: str, values: pd.Series) -> str:
    """A Pajek partition file (``.clu``) of one text attribute, its codes in a comment."""
    return "\n".join(_pajek_attribute(name, values, len(values))) + "\n"


def _pajek_attribute(name: str, values: pd.Series, n: int) -> list[str]:
    label = str(name)
    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    if numeric:
        return [f"*Vector {label}", f"*Vertices {n}",
                *(_number(float(v)) if pd.notna(v) else "0" for v in values)]
    text = values.map(lambda v: "" if pd.isna(v) else str(v))
    codes = {t: k for k, t in enumerate(sorted(set(text) - {""}), start=1)}
    mapping = json.dumps({str(k): t for t, k in codes.items()}, ensure_ascii=False)
    return [f"% kflow codes {label}: {mapping}", f"*Partition {label}", f"*Vertices {n}",
            *(str(codes.get(t, 0)) for t in text)]


def write_graph_xml(survey: Survey, attributes: pd.DataFrame, results: list[str], path: Path,
                    fmt: str) -> None:
    """GraphML or GEXF through networkx: node attributes from ``attributes`` (missing values
    left out, as both formats expect), edges with ``weight``, ``relation`` and ``wave``."""
    import networkx as nx

    graph = nx.MultiDiGraph() if len(survey.relations) > 1 or survey.waves else nx.DiGraph()
    graph.graph[RESULTS_KEY] = ",".join(results)
    graph.graph["kflow_orientation"] = "flow"
    for fid, row in attributes.iterrows():
        data = {"firm_id": str(fid)}
        for key, value in row.items():
            if pd.notna(value):
                data[str(key)] = _plain(value)
        if fmt == "gexf":
            data.setdefault("label", data.get("name", str(fid)))
        graph.add_node(str(fid), **data)
    for row in survey.ties.itertuples(index=False):
        data = {"weight": float(row.weight), "relation": str(row.relation)}
        if survey.waves:
            data["wave"] = str(getattr(row, V.WAVE))
        graph.add_edge(str(row.source), str(row.target), **data)
    if fmt == "graphml":
        nx.write_graphml(graph, path)
        return
    # GEXF keeps no graph attributes: the result names go into <meta><description>, and the
    # date networkx stamps is fixed, so the same survey gives the same file.
    text = "\n".join(nx.generate_gexf(graph))
    text = re.sub(r'lastmodifieddate="[^"]*"', 'lastmodifieddate="2000-01-01"', text, count=1)
    description = f"<description>{RESULTS_KEY}: {escape(','.join(results))}</description>"
    text = text.replace("</creator>", "</creator>" + description, 1)
    path.write_text(text + "\n", encoding="utf-8")


def _plain(value: object) -> object:
    """numpy scalars as Python ones (the XML writers know only those)."""
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value if isinstance(value, (int, float, str)) else str(value)
