"""Reading the field's network formats: UCINET DL, Pajek, GraphML and GEXF.

Expected ties are counted without the reader under test: by hand on small files, from the
published edge lists of the same data, from R's network package (golden files), or from the
library (igraph, networkx) that wrote the file.
"""

from __future__ import annotations

from pathlib import Path

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import pytest

import kflow
from kflow import SurveyError

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ROOT / "tests" / "data" / "formats"
GOLDEN = ROOT / "tests" / "reference" / "golden"
KNOKE = ROOT / "datasets" / "knoke_bureaucracies"
SHARED = ROOT.parent / "shared" / "data"


def _arcs(survey: kflow.Survey, relation: str | None = None) -> set[tuple]:
    ties = survey.ties if relation is None else survey.ties[survey.ties.relation == relation]
    return {(s, t, w) for s, t, w in ties[["source", "target", "weight"]].itertuples(index=False)}


def _write(tmp_path: Path, name: str, text: str, newline: str = "\n") -> Path:
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return path


# --- UCINET DL ---------------------------------------------------------------------------------


def test_dl_with_two_matrices_matches_the_published_edge_lists():
    s = kflow.read_survey(FORMATS / "knokbur.dl", orientation="flow")
    assert s.relations == ["KNOKI", "KNOKM"]
    for level, relation in (("KNOKI", "information"), ("KNOKM", "money")):
        published = pd.read_csv(KNOKE / f"{relation}_edges.csv", dtype=str)
        expected = {(a, b, 1.0) for a, b in published.itertuples(index=False)}
        assert _arcs(s, level) == expected
    nodes = pd.read_csv(KNOKE / "nodes.csv", dtype=str)
    assert sorted(s.firm_ids) == sorted(nodes["label"])
    # 2 matrices of 10 x 10 cells: every cell a record, each used or reported.
    table = s.validation.tables.loc["ties"]
    assert table["records_read"] == 200
    assert table["records_used"] + table["records_dropped"] == 200


def test_dl_written_by_r_sna_matches_the_published_edge_lists():
    # tests/reference/make_format_golden.R writes the file with sna::write.dl (edgelist1 data,
    # quoted labels, matrix labels, '!' between the two matrices).
    s = kflow.read_survey(FORMATS / "knoke_sna_write_dl.dl", orientation="flow")
    assert s.relations == ["KNOKI", "KNOKM"]
    for level, relation in (("KNOKI", "information"), ("KNOKM", "money")):
        published = pd.read_csv(KNOKE / f"{relation}_edges.csv", dtype=str)
        assert _arcs(s, level) == {(a, b, 1.0) for a, b in published.itertuples(index=False)}


def test_dl_arc_is_a_roster_row_so_orientation_decides_the_flow(tmp_path):
    path = _write(tmp_path, "asks.dl", "DL N=3\nLABELS:\nA,B,C\nDATA:\n0 2 0\n0 0 0\n1 0 0\n")
    asks = kflow.read_survey(path, orientation="asks")
    flow = kflow.read_survey(path, orientation="flow")
    assert _arcs(flow) == {("A", "B", 2.0), ("C", "A", 1.0)}
    assert _arcs(asks) == {("B", "A", 2.0), ("A", "C", 1.0)}


# Small files of each variant, with the ties counted by hand.
DL_CASES = {
    "gephi fullmatrix": (
        "dl n=5\nformat = fullmatrix\nlabels:\nbarry,david,lin,pat,russ\ndata:\n"
        "0 1 1 1 0\n1 0 0 0 1\n1 0 0 1 0\n1 0 1 0 1\n0 1 0 1 0\n",
        {("barry", "david"), ("barry", "lin"), ("barry", "pat"), ("david", "barry"),
         ("david", "russ"), ("lin", "barry"), ("lin", "pat"), ("pat", "barry"), ("pat", "lin"),
         ("pat", "russ"), ("russ", "david"), ("russ", "pat")},
    ),
    "edgelist1 numbered with values": (
        "DL n=5\nformat = edgelist1\nlabels:\ngeorge, sally, jim, billy, jane\ndata:\n"
        "1 2 2\n1 3\n2 3 3\n3 1\n4 3 1\n",
        {("george", "sally"), ("george", "jim"), ("sally", "jim"), ("jim", "george"),
         ("billy", "jim")},
    ),
    "edgelist1 labels embedded": (
        "DL n=5\nformat = edgelist1\nlabels embedded:\ndata:\n"
        "george sally\ngeorge jim\nsally jim\nbilly george\njane jim\n",
        {("george", "sally"), ("george", "jim"), ("sally", "jim"), ("billy", "george"),
         ("jane", "jim")},
    ),
    "nodelist1": (
        "dl n=4 format=nodelist1\nlabels:\na,b,c,d\ndata:\n1 2 3\n3 4\n4 1 2 3\n",
        {("a", "b"), ("a", "c"), ("c", "d"), ("d", "a"), ("d", "b"), ("d", "c")},
    ),
    "fullmatrix labels embedded": (
        "DL N=3 FORMAT=FULLMATRIX\nLABELS EMBEDDED\nDATA:\nx y z\nx 0 1 0\ny 0 0 1\nz 1 1 0\n",
        {("x", "y"), ("y", "z"), ("z", "x"), ("z", "y")},
    ),
    "diagonal absent": (
        "dl n=3\nformat=fullmatrix diagonal absent\nlabels:\na b c\ndata:\n1 0\n0 1\n1 1\n",
        {("a", "b"), ("b", "c"), ("c", "a"), ("c", "b")},
    ),
    "labels with spaces, one per line, values with commas": (
        'DL N=3\nROW LABELS:\nAcme Print\n"Beta, Ltd"\nGamma Press\nDATA:\n'
        "0,1,0\n0,0,1\n0,0,0\n",
        {("Acme Print", "Beta, Ltd"), ("Beta, Ltd", "Gamma Press")},
    ),
    "values wrapped over lines": (
        "dl n=3\nlabels:\na,b,c\ndata:\n0 1 0 0\n0 1 1 0 0\n",
        {("a", "b"), ("b", "c"), ("c", "a")},
    ),
}


@pytest.mark.parametrize("case", sorted(DL_CASES))
def test_dl_variants(tmp_path, case):
    text, expected = DL_CASES[case]
    s = kflow.read_survey(_write(tmp_path, "case.dl", text), orientation="flow")
    assert {(a, b) for a, b, _ in _arcs(s)} == expected


def test_dl_values_and_several_edgelist_matrices(tmp_path):
    text = ("dl n=3 nm=2 format=edgelist1\nlabels:\na,b,c\nlevel labels:\nadvice\ntrust\n"
            "data:\n1 2 3\n2 3 1.5\n!\n3 1\n")
    s = kflow.read_survey(_write(tmp_path, "two.dl", text), orientation="flow")
    assert _arcs(s, "advice") == {("a", "b", 3.0), ("b", "c", 1.5)}
    assert _arcs(s, "trust") == {("c", "a", 1.0)}


def test_dl_crlf_and_old_mac_line_ends_read_alike(tmp_path):
    text, expected = DL_CASES["gephi fullmatrix"]
    for newline in ("\r\n", "\r"):
        s = kflow.read_survey(_write(tmp_path, "x.dl", text, newline), orientation="flow")
        assert {(a, b) for a, b, _ in _arcs(s)} == expected


def test_dl_by_content_without_the_suffix(tmp_path):
    text, expected = DL_CASES["nodelist1"]
    s = kflow.read_survey(_write(tmp_path, "network.txt", text), orientation="flow")
    assert {(a, b) for a, b, _ in _arcs(s)} == expected
    assert s.meta["file_format"] == "UCINET DL"


def test_dl_missing_values_are_reported(tmp_path):
    path = _write(tmp_path, "m.dl", "dl n=2\nlabels:\na,b\ndata:\n0 .\n1 0\n")
    s = kflow.read_survey(path, orientation="flow")
    assert _arcs(s) == {("b", "a", 1.0)}
    assert any("missing value" in n and "line 5" in n for n in s.validation.notes)


@pytest.mark.parametrize(
    "text, words",
    [
        ("dl n=3\nlabels:\na,b\ndata:\n0 1 0\n0 0 1\n0 0 0\n", ["2 labels for N=3", "line 3"]),
        ("dl n=2\nlabels:\na,b\ndata:\n0 1\n0\n", ["the data end", "line 6"]),
        ("dl n=2\nlabels:\na,b\ndata:\n0 1\n0 0\n1\n", ["more values", "line 7"]),
        ("dl nr=2 nc=3\ndata:\n0 1 0\n0 0 1\n", ["two-mode"]),
        ("dl n=2 format=blockmatrix\ndata:\n0 1\n0 0\n", ["FORMAT='blockmatrix'", "line 1"]),
        ("dl n=2 format=edgelist1\ndata:\n1 3\n", ["vertex '3'", "line 3"]),
        ("dl n=2\nlabels:\na,a\ndata:\n0 1\n0 0\n", ["appears twice"]),
        ("dl n=2\nlabels:\na,b\n0 1\n", ["no 'DATA:'"]),
        ("dl n=2\nlabels:\na,b\ndata:\n0 x\n0 0\n", ["line 5", "'x'"]),
        ("dl n=2\nlabels:\na,b\ndata:\n0 -1\n0 0\n", ["line 5", "negative"]),
    ],
)
def test_dl_errors_name_the_line_and_the_fix(tmp_path, text, words):
    with pytest.raises(SurveyError) as err:
        kflow.read_survey(_write(tmp_path, "bad.dl", text), orientation="flow")
    for word in ["bad.dl", *words]:
        assert word in str(err.value)


# --- Pajek -------------------------------------------------------------------------------------


def test_pajek_project_matches_r_network_read_paj():
    s = kflow.read_survey(FORMATS / "cluster.paj", orientation="flow")
    golden = pd.read_csv(GOLDEN / "network_cluster_paj_arcs.csv", dtype={"value": float})
    for relation, arcs in golden.groupby("network"):
        assert _arcs(s, relation) == set(arcs[["source", "target", "value"]].itertuples(
            index=False, name=None))
    parts = pd.read_csv(GOLDEN / "network_cluster_paj_partitions.csv").set_index("firm_id")
    for name in ("sector", "exporter"):
        got = s.firms[name].astype(int).sort_index()
        assert got.to_dict() == parts[f"{name}.clu"].sort_index().to_dict()


def test_pajek_network_picks_one_by_name():
    s = kflow.read_survey(FORMATS / "cluster.paj", orientation="flow", network="trust")
    assert s.relations == ["trust"]  # the label of its *Arcs section
    assert len(s.ties) == 8
    with pytest.raises(SurveyError, match="'advice', 'trust'"):
        kflow.read_survey(FORMATS / "cluster.paj", orientation="flow", network="money")


PAJEK_LISTS = """% drawn in Pajek: coordinates, shapes and colours are ignored
*Vertices 5
1 "Acme" 0.1 0.2 0.5 ic Red bc Black
2 "Beta" 0.4 0.2 0.5 box
3 "Gamma"
4 "Delta"
5 "Eps"
*Arcslist
1 2 3
4 5
*Edgeslist
2 4
*Arcs
5 1 2.5 c Blue
*Vector employees.vec
*Vertices 5
10
20.5
3
4
5
*Permutation
*Vertices 5
1
2
3
4
5
"""


def test_pajek_lists_vectors_and_decorations_counted_by_hand(tmp_path):
    s = kflow.read_survey(_write(tmp_path, "lists.net", PAJEK_LISTS), orientation="flow")
    assert _arcs(s) == {("Acme", "Beta", 1.0), ("Acme", "Gamma", 1.0), ("Delta", "Eps", 1.0),
                        ("Beta", "Delta", 1.0), ("Delta", "Beta", 1.0), ("Eps", "Acme", 2.5)}
    assert s.firms.loc["Beta", "employees"] == 20.5
    assert any("*Permutation" in n for n in s.validation.notes)


def test_pajek_old_mac_line_ends(tmp_path):
    lf = kflow.read_survey(_write(tmp_path, "a.net", PAJEK_LISTS), orientation="flow")
    cr = kflow.read_survey(_write(tmp_path, "b.net", PAJEK_LISTS, "\r"), orientation="flow")
    assert _arcs(lf) == _arcs(cr)


def test_pajek_time_intervals_become_waves(tmp_path):
    text = ("*Vertices 3\n1 \"a\" [1-*]\n2 \"b\" [2]\n3 \"c\"\n*Arcs\n1 2 1 [2]\n"
            "1 3 2 [1-*]\n3 1 1\n")
    s = kflow.read_survey(_write(tmp_path, "t.net", text), orientation="flow")
    assert s.waves == ["1", "2"]
    by_wave = {w: {(a, b) for a, b in g[["source", "target"]].itertuples(index=False)}
               for w, g in s.ties.groupby("wave")}
    assert by_wave == {"1": {("a", "c"), ("c", "a")},
                       "2": {("a", "b"), ("a", "c"), ("c", "a")}}
    assert s.absent("1") == ["b"]


def test_pajek_negative_values_error_or_drop(tmp_path):
    text = "*Vertices 3\n1 a\n2 b\n3 c\n*Arcs\n1 2 1\n2 3 -1\n"
    path = _write(tmp_path, "signed.net", text)
    with pytest.raises(SurveyError, match=r"signed.net, line 7.*negative='drop'"):
        kflow.read_survey(path, orientation="flow")
    s = kflow.read_survey(path, orientation="flow", negative="drop")
    assert _arcs(s) == {("a", "b", 1.0)}
    dropped = s.validation.dropped
    assert dropped["reason"].str.contains("negative").sum() == 1
    assert dropped["row"].tolist() == [7]


@pytest.mark.parametrize(
    "text, words",
    [
        ("*Vertices 3 2\n1 a\n", ["two-mode"]),
        ("*Vertices 2\n1 a\n2 b\n*Arcs\n1 3\n", ["line 5", "vertex '3'"]),
        ("*Vertices 2\n1 a\n3 b\n", ["line 3", "expected 2"]),
        ("*Vertices 2\n1 a\n2 a\n", ["line 3", "two vertices"]),
        ("*Vertices 2\n1 a\n2 b\n*Arcs\n1 2 1 [x]\n", ["line 5", "time interval"]),
    ],
)
def test_pajek_errors_name_the_line(tmp_path, text, words):
    with pytest.raises(SurveyError) as err:
        kflow.read_survey(_write(tmp_path, "bad.net", text), orientation="flow")
    for word in ["bad.net", *words]:
        assert word in str(err.value)


def _random_digraph(seed: int = 3) -> nx.DiGraph:
    rng = np.random.default_rng(seed)
    g = nx.gnp_random_graph(12, 0.3, seed=seed, directed=True)
    g = nx.relabel_nodes(g, {k: f"F{k:02d}" for k in g.nodes})
    for u, v in g.edges:
        g.edges[u, v]["weight"] = float(rng.integers(1, 4))
    for k, n in enumerate(g.nodes):
        g.nodes[n]["sector"] = "print" if k % 2 else "design"
    return g


def test_pajek_written_by_networkx_and_igraph(tmp_path):
    g = _random_digraph()
    nx.write_pajek(g, tmp_path / "nx.net")
    s = kflow.read_survey(tmp_path / "nx.net", orientation="flow")
    assert _arcs(s) == {(u, v, d["weight"]) for u, v, d in g.edges(data=True)}
    h = ig.Graph.from_networkx(g)
    h.vs["name"] = h.vs["_nx_name"]
    h.write_pajek(str(tmp_path / "ig.net"))
    s = kflow.read_survey(tmp_path / "ig.net", orientation="flow")
    expected = {(h.vs[e.source]["name"], h.vs[e.target]["name"], e["weight"]) for e in h.es}
    assert _arcs(s) == expected


# --- GraphML and GEXF --------------------------------------------------------------------------


@pytest.mark.skipif(not (SHARED / "knoke_bureaucracies").exists(),
                    reason="needs the shared Knoke files beside the project")
def test_graphml_written_by_igraph_for_the_knoke_data():
    original = SHARED / "knoke_bureaucracies" / "original"
    s = kflow.read_survey(original / "KNOKI.GraphML", orientation="flow")
    names = pd.read_csv(original / "KNOKI.nodes", sep=" ", dtype=str).set_index("nodeID")
    edges = pd.read_csv(original / "KNOKI.edgelist", sep=" ", header=None, dtype=str)
    expected = {(names.loc[a, "nodeLabel"], names.loc[b, "nodeLabel"], 1.0)
                for a, b in edges.itertuples(index=False)}
    assert _arcs(s) == expected
    assert sorted(s.firm_ids) == sorted(names["nodeLabel"])
    assert "Sector" in s.firms.columns


def test_graphml_written_by_igraph(tmp_path):
    g = _random_digraph(5)
    h = ig.Graph.from_networkx(g)
    h.vs["name"] = h.vs["_nx_name"]
    del h.vs["_nx_name"]
    h.write_graphml(str(tmp_path / "ig.graphml"))
    s = kflow.read_survey(tmp_path / "ig.graphml", orientation="flow")
    assert _arcs(s) == {(h.vs[e.source]["name"], h.vs[e.target]["name"], e["weight"])
                        for e in h.es}
    assert s.firms["sector"].to_dict() == dict(zip(h.vs["name"], h.vs["sector"], strict=True))


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graphml_and_gexf_written_by_networkx(tmp_path, fmt):
    g = _random_digraph(7)
    path = tmp_path / f"nx.{fmt}"
    (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(g, path)
    s = kflow.read_survey(path, orientation="flow")
    assert _arcs(s) == {(u, v, d["weight"]) for u, v, d in g.edges(data=True)}
    assert s.firms["sector"].to_dict() == dict(g.nodes(data="sector"))


def test_undirected_graph_gives_a_tie_each_way(tmp_path):
    g = nx.Graph([("a", "b"), ("b", "c")])
    nx.write_graphml(g, tmp_path / "u.graphml")
    s = kflow.read_survey(tmp_path / "u.graphml", orientation="flow")
    assert {(a, b) for a, b, _ in _arcs(s)} == {("a", "b"), ("b", "a"), ("b", "c"), ("c", "b")}


def test_gephi_style_gexf_takes_ids_from_labels(tmp_path):
    g = nx.DiGraph()
    g.add_node("0", label="Acme")
    g.add_node("1", label="Beta")
    g.add_edge("0", "1", weight=2.0, relation="advice")
    nx.write_gexf(g, tmp_path / "gephi.gexf")
    s = kflow.read_survey(tmp_path / "gephi.gexf", orientation="flow")
    assert _arcs(s, "advice") == {("Acme", "Beta", 2.0)}


def test_network_files_refuse_column_options(tmp_path):
    with pytest.raises(SurveyError, match="no columns to name"):
        kflow.read_survey(FORMATS / "knokbur.dl", orientation="flow", source="x")
    with pytest.raises(SurveyError, match="Pajek project"):
        kflow.read_survey(FORMATS / "knokbur.dl", orientation="flow", network="x")


def test_pajek_matrix_section(tmp_path):
    text = "*Vertices 3\n1 a\n2 b\n3 c\n*Matrix\n0 2 0\n0 0 1\n3 0 0\n"
    s = kflow.read_survey(_write(tmp_path, "m.net", text), orientation="flow")
    assert _arcs(s) == {("a", "b", 2.0), ("b", "c", 1.0), ("c", "a", 3.0)}
    assert s.validation.tables.loc["ties", "records_read"] == 9
    with pytest.raises(SurveyError, match="m2.net, line 7"):
        kflow.read_survey(_write(tmp_path, "m2.net", text.replace("0 0 1", "0 1")),
                          orientation="flow")
