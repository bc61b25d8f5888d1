"""Round trips (write_survey, networkx) and the networkx / igraph views agreeing."""

from __future__ import annotations

import math

import networkx as nx
import pandas as pd
import pytest
from conftest import DATASETS, ROOT, bundled, shared

import kflow

ADJACENCY = ROOT / "tests" / "data" / "adjacency"


@pytest.fixture
def example() -> kflow.Survey:
    d = DATASETS / "example_cluster"
    return kflow.read_survey(
        d / "ties.csv",
        orientation="asks",
        firms=d / "firms.csv",
        external=d / "external.csv",
        scale=(0, 3),
    )


def assert_same_survey(a: kflow.Survey, b: kflow.Survey) -> None:
    pd.testing.assert_frame_equal(a.firms, b.firms)
    pd.testing.assert_frame_equal(a.ties, b.ties)
    pd.testing.assert_frame_equal(a.external, b.external)


def test_write_survey_round_trip(example, tmp_path):
    folder = kflow.write_survey(example, tmp_path / "saved")
    assert sorted(p.name for p in folder.iterdir()) == [
        "external.csv",
        "firms.csv",
        "meta.json",
        "ties.csv",
    ]
    again = kflow.read_survey(folder)
    assert_same_survey(example, again)
    assert again.meta["scale"] == [0.0, 3.0]
    # The files alone, read as flow, give the same survey as well.
    alone = kflow.read_survey(
        folder / "ties.csv",
        orientation="flow",
        firms=folder / "firms.csv",
        external=folder / "external.csv",
    )
    pd.testing.assert_frame_equal(alone.ties, example.ties)
    pd.testing.assert_frame_equal(alone.external, example.external)
    # Same survey, same bytes.
    second = kflow.write_survey(again, tmp_path / "again")
    for name in ("ties.csv", "firms.csv", "external.csv"):
        assert (folder / name).read_bytes() == (second / name).read_bytes()


def test_round_trip_keeps_text_attributes_that_look_numeric(tmp_path):
    firms = pd.DataFrame({"firm_id": ["A", "B"], "nace": ["0181", "1812"], "size": [3, 4]})
    ties = pd.DataFrame({"source": ["A"], "target": ["B"], "weight": [2.5]})
    s = kflow.read_survey(ties, orientation="flow", firms=firms)
    again = kflow.read_survey(kflow.write_survey(s, tmp_path / "s"))
    assert again.firms["nace"].tolist() == ["0181", "1812"]
    assert again.firms["size"].tolist() == [3, 4]
    assert_same_survey(s, again)


def test_round_trip_with_waves_and_relations(tmp_path):
    ties = pd.DataFrame(
        {
            "source": ["A", "A", "B"],
            "target": ["B", "B", "A"],
            "relation": ["advice", "advice", "business"],
            "wave": ["2012", "2015", "2012"],
        }
    )
    s = kflow.read_survey(ties, orientation="flow")
    assert_same_survey(s, kflow.read_survey(kflow.write_survey(s, tmp_path / "w")))


def test_networkx_round_trip(example):
    G = example.to_networkx(include_external=True)
    again = kflow.Survey.from_networkx(G)
    pd.testing.assert_frame_equal(again.ties, example.ties)
    pd.testing.assert_frame_equal(again.external, example.external)
    pd.testing.assert_frame_equal(again.firms, example.firms, check_dtype=False)


def test_from_networkx_rejects_undirected():
    with pytest.raises(kflow.SurveyError, match="needs a networkx DiGraph"):
        kflow.Survey.from_networkx(nx.Graph([("A", "B")]))


def _igraph_as_dicts(g):
    nodes = {v["name"]: {k: v[k] for k in g.vs.attributes() if k != "name"} for v in g.vs}
    edges = {(g.vs[e.source]["name"], g.vs[e.target]["name"]): e["weight"] for e in g.es}
    return nodes, edges


@pytest.mark.parametrize("include_external", [False, True])
def test_networkx_and_igraph_views_agree(example, include_external):
    G = example.to_networkx(include_external=include_external)
    g = example.to_igraph(include_external=include_external)
    nodes, edges = _igraph_as_dicts(g)
    assert list(G.nodes) == list(nodes)
    assert {(u, v): d["weight"] for u, v, d in G.edges(data=True)} == edges
    for firm, attrs in nodes.items():
        nx_attrs = dict(G.nodes[firm])
        nx_attrs["firm_name"] = nx_attrs.pop("name")
        clean = {
            k: v
            for k, v in attrs.items()
            if v is not None and not (isinstance(v, float) and math.isnan(v))
        }
        assert clean == nx_attrs, firm


def test_views_hold_the_survey(example):
    G = example.to_networkx(include_external=True)
    # Knowledge flows along the edges: F01 is named by F02 as an advice source, so F01 -> F02.
    assert G.has_edge("F01", "F02") and not G.has_edge("F02", "F01")
    assert G.nodes["F01"]["name"] == "Bodega Norte"
    assert G.nodes["F06"]["respondent"] is False
    assert G.nodes["National Wine Research Institute"]["group"] == "outside"
    assert G.nodes["F01"]["group"] == "cluster"
    # External "in" ties point actor -> firm, "out" ties firm -> actor.
    assert G["National Wine Research Institute"]["F01"]["weight"] == 3.0
    assert G["F01"]["Export buyer (UK)"]["weight"] == 1.0
    assert G.number_of_nodes() == 10 + 5  # five distinct outside actors
    assert G.number_of_edges() == 15 + 9
    plain = example.to_networkx()
    assert plain.number_of_nodes() == 10 and plain.number_of_edges() == 15


def test_real_networks_load_with_published_counts():
    # Tie and node counts from each network's PROVENANCE.md.
    k = kflow.read_survey(
        bundled("knoke_bureaucracies", "information_edges.csv"), orientation="flow"
    )
    assert (k.n_firms, len(k.ties)) == (10, 49)
    a = kflow.read_survey(
        bundled("krackhardt_hightech", "advice_edges.csv"),
        orientation="asks",
        firms=bundled("krackhardt_hightech", "attributes.csv"),
    )
    assert (a.n_firms, len(a.ties)) == (21, 190)


def test_adjacency_matrices_load_with_published_counts():
    # The adjacency-matrix forms are test fixtures (tests/data/adjacency); counts from
    # the networks' PROVENANCE.md.
    m = kflow.read_survey(ADJACENCY / "knoke_money_adjacency.csv", orientation="flow")
    assert len(m.ties) == 22
    law = kflow.read_survey(ADJACENCY / "lazega_advice_adjacency.csv", orientation="asks")
    assert (law.n_firms, len(law.ties)) == (71, 892)


@pytest.mark.parametrize(("wave", "n_ties"), [("1", 223), ("2", 181)])
def test_kecskemet_matrix_equals_edge_list(wave, n_ties):
    year = {"1": "2012", "2": "2015"}[wave]
    matrix = kflow.read_survey(
        shared("kecskemet_printing_cluster", "original_saom_cluster", f"KNetwork{wave}.csv"),
        orientation="asks",
    )
    edges = kflow.read_survey(
        shared("kecskemet_printing_cluster", f"advice_{year}_edges.csv"), orientation="asks"
    )
    assert len(matrix.ties) == n_ties
    pd.testing.assert_frame_equal(matrix.ties, edges.ties)
    # Orientation: in the file the row firm asks the column firm, so knowledge flows col -> row.
    raw = pd.read_csv(
        shared("kecskemet_printing_cluster", "original_saom_cluster", f"KNetwork{wave}.csv"),
        sep=";",
        index_col=0,
    )
    asker, asked = raw.stack()[lambda x: x == 1].index[0]
    assert ((matrix.ties["source"] == asked) & (matrix.ties["target"] == asker)).any()


def test_from_frames_equals_read_survey_flow(example):
    again = kflow.Survey.from_frames(
        ties=example.ties, firms=example.firms.reset_index(), external=example.external
    )
    assert_same_survey(example, again)
