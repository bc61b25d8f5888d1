"""Network measures against hand-worked values, networkx, R sna golden files and published
statistics."""

from __future__ import annotations

import itertools
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from conftest import DATASETS, bundled, shared
from scipy.optimize import minimize

import kflow
from kflow.measures import CENTRALITY_COLUMNS, SUMMARY_FIELDS

GOLDEN = Path(__file__).parent / "reference" / "golden"
TOL = 1e-9


def flow(pairs, **kw) -> kflow.Survey:
    frame = pd.DataFrame(pairs, columns=["source", "target", "weight"][: len(pairs[0])])
    return kflow.read_survey(frame, orientation="flow", **kw)


# -- hand-worked small graphs -----------------------------------------------------------------
class TestDirectedStar:
    """hub gives knowledge to a, b and c."""

    @pytest.fixture
    def star(self):
        return flow([("hub", "a"), ("hub", "b"), ("hub", "c")])

    def test_degrees_and_closeness(self, star):
        c = kflow.centrality(star)
        assert c.index.tolist() == ["a", "b", "c", "hub"]
        assert c.loc["hub", ["out_degree", "in_degree", "degree"]].tolist() == [3, 0, 3]
        assert c.loc["a", ["out_degree", "in_degree"]].tolist() == [0, 1]
        assert c.loc["hub", "out_degree_norm"] == 1.0
        assert c.loc["hub", "degree_norm"] == 0.5
        assert (c["betweenness"] == 0).all()
        assert c.loc["hub", "closeness_out"] == 1.0  # (1 + 1 + 1) / 3
        assert c.loc["a", "closeness_in"] == pytest.approx(1 / 3)
        assert c.loc["a", "closeness_out"] == 0.0

    def test_source_prestige_by_hand(self, star):
        # Reversed graph a, b, c -> hub; hub dangling. Solving the PageRank equations with
        # d = 0.85 by hand gives hub = 71/131 and each leaf 20/131.
        c = kflow.centrality(star)
        assert c.loc["hub", "source_prestige"] == pytest.approx(71 / 131, abs=TOL)
        assert c.loc["a", "source_prestige"] == pytest.approx(20 / 131, abs=TOL)

    def test_hits(self, star):
        c = kflow.centrality(star)
        assert c["hub"].tolist() == pytest.approx([0, 0, 0, 1])
        assert c["authority"].tolist() == pytest.approx([1 / 3, 1 / 3, 1 / 3, 0])

    def test_centralization(self, star):
        s = kflow.network_summary(star)
        assert s["out_centralization"] == 1.0  # (0 + 3 + 3 + 3) / 3^2
        assert s["in_centralization"] == pytest.approx(1 / 9)  # (1 + 0 + 0 + 0) / 9
        assert s["betweenness_centralization"] == 0.0
        assert s["density"] == 3 / 12
        assert s["reciprocity"] == 0.0
        assert (s["n_weak_components"], s["n_strong_components"], s["n_isolates"]) == (1, 4, 0)


class TestPath:
    """a -> b -> c -> d."""

    @pytest.fixture
    def path(self):
        return flow([("a", "b"), ("b", "c"), ("c", "d")])

    def test_betweenness(self, path):
        c = kflow.centrality(path)
        # b lies on a->c and a->d, c on a->d and b->d.
        assert c["betweenness_raw"].tolist() == [0, 2, 2, 0]
        assert c["betweenness"].tolist() == pytest.approx([0, 1 / 3, 1 / 3, 0])

    def test_harmonic_closeness(self, path):
        c = kflow.centrality(path)
        assert c["closeness_out"].tolist() == pytest.approx([11 / 18, 1 / 2, 1 / 3, 0])
        assert c["closeness_in"].tolist() == pytest.approx([0, 1 / 3, 1 / 2, 11 / 18])

    def test_hits_not_unique_is_nan(self, path):
        # Every singular value of a path's adjacency matrix is 1: HITS has no unique solution.
        c = kflow.centrality(path)
        assert c["hub"].isna().all() and c["authority"].isna().all()

    def test_summary(self, path):
        s = kflow.network_summary(path)
        # Betweenness: max 2; sum of (2 - b) = 4; over (n-1)^2 (n-2) = 18.
        assert s["betweenness_centralization"] == pytest.approx(4 / 18)
        assert s["transitivity"] == 0.0  # two 2-paths, none closed
        assert s["n_isolates"] == 0


class TestNonRespondent:
    """Five firms; E did not answer. Answers (respondent asks named firm): A asks B, B asks A,
    C asks A, D asks E. So knowledge flows B->A, A->B, A->C and E->D; E's own asks are unknown."""

    @pytest.fixture
    def survey(self):
        answers = pd.DataFrame({"respondent": ["A", "B", "C", "D"], "alter": ["B", "A", "A", "E"]})
        firms = pd.DataFrame({"firm_id": list("ABCDE"), "respondent": ["yes"] * 4 + ["no"]})
        return kflow.read_survey(answers, orientation="asks", firms=firms)

    def test_nan_treatment(self, survey):
        c = kflow.centrality(survey)
        # E's incoming side is unknown; the side others reported (E -> D) is known.
        for col in (
            "in_degree",
            "in_strength",
            "degree",
            "betweenness",
            "closeness_in",
            "authority",
        ):
            assert np.isnan(c.loc["E", col]), col
        assert c.loc["E", "out_degree"] == 1
        assert c.loc["E", "closeness_out"] == pytest.approx(1 / 4)
        assert not c.drop(index="E").isna().any().any()
        assert kflow.network_summary(survey)["missing"] == "nan"
        assert kflow.network_summary(survey)["response_rate"] == 0.8

    def test_zero_treatment(self, survey):
        c = kflow.centrality(survey, missing="zero")
        assert c.loc["E", "in_degree"] == 0
        assert not c.isna().any().any()

    def test_reconstruct_treatment(self, survey):
        # D asked E, so E is taken to ask D as well: D -> E is added.
        c = kflow.centrality(survey, missing="reconstruct")
        assert c.loc["E", "in_degree"] == 1
        assert c.loc["D", "out_degree"] == 1
        s = kflow.network_summary(survey, missing="reconstruct")
        assert (s["n_ties"], s["missing"]) == (5, "reconstruct")

    def test_reconstruct_needs_known_side(self, survey, tmp_path):
        frame = survey.ties.copy()
        as_flow = kflow.read_survey(frame, orientation="flow", firms=survey.firms.reset_index())
        with pytest.raises(kflow.SurveyError, match="reconstruct.*orientation='flow'"):
            kflow.centrality(as_flow, missing="reconstruct")


def test_measures_subset_and_columns():
    s = flow([("a", "b"), ("b", "c")])
    c = kflow.centrality(s)
    assert tuple(c.columns) == CENTRALITY_COLUMNS
    assert kflow.centrality(s, measures=["in_strength"]).columns.tolist() == ["in_strength"]
    raw = kflow.centrality(s, normalized=False)
    assert "betweenness" not in raw.columns and "betweenness_raw" in raw.columns
    with pytest.raises(ValueError, match="'measures' parameter of centrality"):
        kflow.centrality(s, measures=["eigenvector"])
    assert tuple(kflow.network_summary(s).index) == SUMMARY_FIELDS


def test_per_relation_and_wave():
    ties = pd.DataFrame(
        {
            "source": ["a", "a", "b", "c"],
            "target": ["b", "c", "c", "a"],
            "wave": ["1", "2", "2", "1"],
        }
    )
    s = kflow.read_survey(ties, orientation="flow")
    long = kflow.centrality(s)
    assert long.index.names == ["relation", "wave", "firm_id"]
    assert len(long) == 2 * s.n_firms
    for w in ("1", "2"):
        one = kflow.centrality(s, wave=w)
        part = long.xs(("knowledge", w), level=["relation", "wave"])
        pd.testing.assert_frame_equal(part, one)
    summary = kflow.network_summaries(s)
    assert summary["n_ties"].tolist() == [2, 2]
    assert kflow.network_summary(s, wave="2")["n_ties"] == 2
    with pytest.raises(kflow.SurveyError, match="several waves"):
        kflow.network_summary(s)


# -- networkx on the real networks --------------------------------------------------------------
def real_networks():
    return {
        "knoke_information": lambda: kflow.read_survey(
            bundled("knoke_bureaucracies", "information_edges.csv"), orientation="flow"
        ),
        "krackhardt_advice": lambda: kflow.read_survey(
            bundled("krackhardt_hightech", "advice_edges.csv"),
            orientation="asks",
            firms=bundled("krackhardt_hightech", "attributes.csv"),
        ),
        "lazega_advice": lambda: kflow.read_survey(
            bundled("lazega_lawfirm", "advice_edges.csv"), orientation="asks"
        ),
        "kecskemet_2012": lambda: kflow.read_survey(
            shared("kecskemet_printing_cluster", "advice_2012_edges.csv"), orientation="asks"
        ),
        "kecskemet_2015": lambda: kflow.read_survey(
            shared("kecskemet_printing_cluster", "advice_2015_edges.csv"), orientation="asks"
        ),
    }


def networkx_centrality(G: nx.DiGraph, weighted: bool = False) -> pd.DataFrame:
    """The same quantities computed independently with networkx."""
    n = G.number_of_nodes()
    nodes = list(G.nodes)
    w = "weight" if weighted else None
    for _, _, d in G.edges(data=True):
        d["dist"] = 1.0 / d["weight"]
    dist = "dist" if weighted else None
    hubs, auths = nx.hits(G, max_iter=100_000, tol=1e-15)
    pr = nx.pagerank(G.reverse(copy=True), alpha=0.85, tol=1e-15, weight=w)
    bc = nx.betweenness_centrality(G, normalized=False, weight=dist)
    # networkx harmonic centrality sums 1/d(v -> u) over v: the in-closeness.
    h_in = nx.harmonic_centrality(G, distance=dist)
    h_out = nx.harmonic_centrality(G.reverse(copy=True), distance=dist)
    return pd.DataFrame(
        {
            "out_degree": [G.out_degree(v) for v in nodes],
            "in_degree": [G.in_degree(v) for v in nodes],
            "out_strength": [G.out_degree(v, weight="weight") for v in nodes],
            "in_strength": [G.in_degree(v, weight="weight") for v in nodes],
            "betweenness_raw": [bc[v] for v in nodes],
            "betweenness": [bc[v] / ((n - 1) * (n - 2)) for v in nodes],
            "closeness_out": [h_out[v] / (n - 1) for v in nodes],
            "closeness_in": [h_in[v] / (n - 1) for v in nodes],
            "source_prestige": [pr[v] for v in nodes],
            "hub": [hubs[v] for v in nodes],
            "authority": [auths[v] for v in nodes],
        },
        index=pd.Index(nodes, name="firm_id"),
    )


@pytest.mark.parametrize("name", list(real_networks()))
def test_igraph_and_networkx_agree_on_real_networks(name):
    survey = real_networks()[name]()
    ours = kflow.centrality(survey)
    ref = networkx_centrality(survey.to_networkx())
    for col in ref.columns:
        np.testing.assert_allclose(
            ours.loc[ref.index, col], ref[col], rtol=0, atol=TOL, err_msg=col
        )


def test_weighted_measures_agree_with_networkx():
    d = DATASETS / "example_cluster"
    survey = kflow.read_survey(
        d / "ties.csv", orientation="asks", firms=d / "firms.csv", missing="zero"
    )
    ours = kflow.centrality(survey, weighted=True)
    ref = networkx_centrality(survey.to_networkx(), weighted=True)
    for col in (
        "out_strength",
        "in_strength",
        "betweenness_raw",
        "closeness_out",
        "closeness_in",
        "source_prestige",
    ):
        np.testing.assert_allclose(ours.loc[ref.index, col], ref[col], atol=TOL, err_msg=col)


@pytest.mark.parametrize("name", list(real_networks()))
def test_summary_components_against_networkx(name):
    survey = real_networks()[name]()
    s = kflow.network_summary(survey)
    G = survey.to_networkx()
    assert s["n_weak_components"] == nx.number_weakly_connected_components(G)
    assert s["n_strong_components"] == nx.number_strongly_connected_components(G)
    assert s["n_isolates"] == nx.number_of_isolates(G)
    assert s["density"] == pytest.approx(nx.density(G), abs=TOL)
    assert s["reciprocity"] == pytest.approx(nx.reciprocity(G), abs=TOL)


# -- R sna golden files -------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(real_networks()))
def test_centrality_matches_r_sna(name):
    survey = real_networks()[name]()
    golden = pd.read_csv(GOLDEN / f"sna_{name}_centrality.csv", dtype={"firm_id": str})
    golden = golden.set_index("firm_id")
    ours = kflow.centrality(survey).loc[golden.index]
    for col in golden.columns:
        np.testing.assert_allclose(ours[col], golden[col], atol=TOL, err_msg=col)


@pytest.mark.parametrize("name", list(real_networks()))
def test_network_summary_matches_r_sna(name):
    survey = real_networks()[name]()
    golden = pd.read_csv(GOLDEN / "sna_network_summary.csv").set_index("network").loc[name]
    s = kflow.network_summary(survey)
    assert s["n_firms"] == golden["n_firms"] and s["n_ties"] == golden["n_ties"]
    for field in (
        "in_centralization",
        "out_centralization",
        "betweenness_centralization",
        "transitivity",
        "reciprocity",
        "density",
    ):
        assert s[field] == pytest.approx(golden[field], abs=TOL), field


def test_kecskemet_2015_reproduces_published_statistics():
    # Juhász & Lengyel (2018), the authors' RSiena output for wave 2 (reference/rsiena_model01.out)
    survey = real_networks()["kecskemet_2015"]()
    s = kflow.network_summary(survey)
    assert s["n_ties"] == 181
    assert s["n_reciprocated_ties"] == 78
    assert s["n_transitive_triplets"] == 590
    assert s["n_three_cycles"] == 122


# -- external openness and E-I --------------------------------------------------------------------
def test_external_openness_example_cluster():
    d = DATASETS / "example_cluster"
    s = kflow.read_survey(
        d / "ties.csv", orientation="asks", firms=d / "firms.csv", external=d / "external.csv"
    )
    o = kflow.external_openness(s)
    # F01 (counted by hand from the files): in from the institute (3), the buyer (2) and the
    # consultant (2); out to the buyer (1); local partners F02, F03, F04, F07, F10.
    assert o.loc["F01"].to_dict() == {
        "external_ties": 3,
        "external_strength": 7,
        "external_types": 3,
        "external_out_ties": 1,
        "external_out_strength": 1,
        "local_partners": 5,
        "ei_index": (3 - 5) / (3 + 5),
    }
    assert o.loc["F09", "ei_index"] == 1.0  # two outside sources, no local partner
    assert o.loc["F05", ["external_ties", "ei_index"]].tolist() == [0, -1.0]
    assert o.loc["F06"].isna().all()  # non-respondent, nothing reported
    assert kflow.external_openness(s, missing="zero").loc["F06", "external_ties"] == 0


@pytest.mark.parametrize("name", ["knoke_information", "krackhardt_advice", "lazega_advice"])
def test_local_partners_are_distinct_neighbours_in_networkx(name):
    survey = real_networks()[name]()
    G = survey.to_networkx().to_undirected()
    o = kflow.external_openness(survey, missing="zero")
    expected = pd.Series({v: float(G.degree(v)) for v in G}).reindex(survey.firm_ids)
    assert (o["local_partners"] == expected).all()


def test_external_openness_counts_match_pandas_groupby():
    rng = np.random.default_rng(5)
    firms = [f"F{i}" for i in range(40)]
    ties = pd.DataFrame({"source": rng.choice(firms, 150), "target": rng.choice(firms, 150)})
    ties = ties[ties["source"] != ties["target"]].drop_duplicates()
    ext = pd.DataFrame({
        "firm_id": rng.choice(firms[:30], 120),
        "actor": rng.choice([f"A{i}" for i in range(12)], 120),
        "direction": rng.choice(["in", "out"], 120),
        "weight": rng.integers(1, 4, 120),
    }).drop_duplicates(["firm_id", "actor", "direction"])
    kinds = ["university", "buyer", "supplier"]
    ext["actor_type"] = ext["actor"].map(lambda a: kinds[int(a[1:]) % 3])
    s = kflow.read_survey(ties, orientation="flow", external=ext,
                          firms=pd.DataFrame({"firm_id": firms}))
    o = kflow.external_openness(s)
    inflow, outflow = ext[ext["direction"] == "in"], ext[ext["direction"] == "out"]
    expected = pd.DataFrame({
        "external_ties": inflow.groupby("firm_id")["actor"].nunique(),
        "external_strength": inflow.groupby("firm_id")["weight"].sum(),
        "external_types": inflow.groupby("firm_id")["actor_type"].nunique(),
        "external_out_ties": outflow.groupby("firm_id")["actor"].nunique(),
        "external_out_strength": outflow.groupby("firm_id")["weight"].sum(),
    }).reindex(firms).fillna(0).astype(float)
    pd.testing.assert_frame_equal(o[expected.columns], expected, check_names=False)
    e = ext.groupby("firm_id")["actor"].nunique().reindex(firms, fill_value=0)
    i = o["local_partners"]
    assert np.allclose(o["ei_index"], (e - i) / (e + i), equal_nan=True)


def test_ei_index_hand_case():
    s = flow([("a", "b"), ("a", "c"), ("c", "d"), ("d", "c")])
    r = kflow.ei_index(s, {"a": "x", "b": "x", "c": "y", "d": "y"}, n_permutations=0)
    assert (r.network["external"], r.network["internal"]) == (1, 3)
    assert r.network["ei_index"] == pytest.approx(-0.5)
    assert r.firms.loc["a", ["external", "internal", "ei_index"]].tolist() == [1, 1, 0.0]
    assert r.firms.loc["d", "ei_index"] == -1.0
    assert r.groups.loc["y", ["external", "internal"]].tolist() == [1, 2]
    assert r.groups.loc["x", "ei_index"] == 0.0


def test_ei_permutation_p_matches_full_enumeration():
    s = flow([("a", "b"), ("b", "a"), ("c", "d"), ("a", "c"), ("e", "f"), ("f", "e"), ("b", "e")])
    groups = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2, "f": 2}
    r = kflow.ei_index(s, groups, n_permutations=40_000, seed=3)
    ids = s.firm_ids
    edges = [(ids.index(u), ids.index(v)) for u, v in s.ties[["source", "target"]].values]
    labels = [groups[f] for f in ids]
    values = []
    for perm in itertools.permutations(labels):
        e = sum(perm[u] != perm[v] for u, v in edges)
        values.append((2 * e - len(edges)) / len(edges))
    values = np.array(values)
    exact_less = np.mean(values <= r.network["ei_index"] + 1e-12)
    assert r.network["expected"] == pytest.approx(values.mean(), abs=0.01)
    assert r.network["p_less"] == pytest.approx(exact_less, abs=0.01)
    again = kflow.ei_index(s, groups, n_permutations=500, seed=3)
    assert again.network.equals(kflow.ei_index(s, groups, n_permutations=500, seed=3).network)


def test_ei_index_rejects_missing_groups():
    s = flow([("a", "b")])
    with pytest.raises(kflow.SurveyError, match="have no group"):
        kflow.ei_index(s, {"a": 1})
    with pytest.raises(kflow.SurveyError, match="not a firm attribute"):
        kflow.ei_index(s, "sector")


# -- cohesion ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["knoke_information", "krackhardt_advice", "kecskemet_2015"])
def test_cliques_and_cores_against_networkx(name):
    survey = real_networks()[name]()
    U = survey.to_networkx().to_undirected()
    table = kflow.cliques(survey)
    ours = {frozenset(g.index) for _, g in table.groupby("clique")}
    ref = {frozenset(c) for c in nx.find_cliques(U) if len(c) >= 3}
    assert ours == ref
    assert (table.groupby("clique").size() == table.groupby("clique")["size"].first()).all()
    cores = kflow.k_core(survey)["k_core"]
    assert cores.to_dict() == nx.core_number(U)


def test_strong_cliques_use_mutual_ties():
    s = flow([("a", "b"), ("b", "a"), ("b", "c"), ("c", "b"), ("a", "c")])
    assert kflow.cliques(s, symmetrize="strong").empty
    assert len(kflow.cliques(s)) == 3


def test_continuous_core_periphery_is_the_least_squares_solution():
    survey = real_networks()["knoke_information"]()
    cp = kflow.core_periphery(survey)
    A = nx.to_numpy_array(survey.to_networkx(), nodelist=survey.firm_ids)
    off = ~np.eye(len(A), dtype=bool)

    def loss(c):
        return ((A - np.outer(c, c))[off] ** 2).sum()

    start = np.full(len(A), 0.5)
    ref = minimize(loss, start, method="BFGS", options={"gtol": 1e-10}).x
    ours = cp["coreness"].to_numpy()
    scale = np.linalg.norm(ref)
    np.testing.assert_allclose(ours, np.sign(ref.sum()) * ref / scale, atol=1e-5)
    assert cp["fit"].iloc[0] == pytest.approx(
        np.corrcoef(A[off], np.outer(ours, ours)[off])[0, 1], abs=TOL
    )


def test_discrete_core_periphery_matches_brute_force():
    rng = np.random.default_rng(7)
    n = 10
    core_true = np.arange(n) < 4
    prob = np.where(
        np.outer(core_true, core_true),
        0.9,
        np.where(np.outer(core_true, ~core_true) | np.outer(~core_true, core_true), 0.4, 0.05),
    )
    A = (rng.random((n, n)) < prob).astype(float)
    np.fill_diagonal(A, 0)
    names = [f"f{i}" for i in range(n)]
    pairs = [(names[i], names[j]) for i, j in zip(*np.nonzero(A), strict=True)]
    survey = flow(pairs)
    A = nx.to_numpy_array(survey.to_networkx(), nodelist=survey.firm_ids)
    off = ~np.eye(n, dtype=bool)
    best = (-np.inf, 0, None)
    for bits in itertools.product([False, True], repeat=n):
        core = np.array(bits)
        cc = np.outer(core, core) & off
        pp = np.outer(~core, ~core) & off
        if not cc.any() or not pp.any():
            continue
        cells = cc | pp
        fit = np.corrcoef(A[cells], cc[cells])[0, 1]
        if fit > best[0] + 1e-12 or (abs(fit - best[0]) <= 1e-12 and core.sum() > best[1]):
            best = (fit, core.sum(), core)
    cp = kflow.core_periphery(survey, method="discrete", seed=0)
    assert cp["fit"].iloc[0] == pytest.approx(best[0], abs=TOL)
    assert cp["core"].tolist() == best[2].tolist()
    pd.testing.assert_frame_equal(cp, kflow.core_periphery(survey, method="discrete", seed=0))


@pytest.mark.parametrize("name", ["knoke_information", "krackhardt_advice", "kecskemet_2015"])
def test_kflow_pagerank_and_hits_agree_with_igraph(name):
    # kflow computes PageRank by sparse power iteration and HITS by SVD; igraph's own
    # implementations (PRPACK, ARPACK) give the same numbers.
    import igraph as ig

    survey = real_networks()[name]()
    ours = kflow.centrality(survey, measures=["source_prestige", "hub", "authority"])
    ids = survey.firm_ids
    pos = {f: i for i, f in enumerate(ids)}
    edges = [(pos[s], pos[t]) for s, t in survey.ties[["source", "target"]].to_numpy()]
    g = ig.Graph(n=len(ids), edges=edges, directed=True)
    rev = ig.Graph(n=len(ids), edges=[(t, s) for s, t in edges], directed=True)
    np.testing.assert_allclose(ours["source_prestige"], rev.pagerank(damping=0.85), atol=TOL)
    hub = np.abs(g.hub_score(scale=False))
    auth = np.abs(g.authority_score(scale=False))
    np.testing.assert_allclose(ours["hub"], hub / hub.sum(), atol=1e-8)
    np.testing.assert_allclose(ours["authority"], auth / auth.sum(), atol=1e-8)


# -- solvers that stop at their iteration limit say so -------------------------------------------
def test_pagerank_warns_when_it_stops_at_max_iter():
    from kflow._layers import build_layer
    from kflow.measures.centrality import source_prestige

    s = flow([("a", "b"), ("b", "c"), ("c", "a"), ("a", "c")])
    layer = build_layer(s, "knowledge", None, "zero")
    with pytest.warns(kflow.ConvergenceWarning, match="max_iter=2"):
        source_prestige(layer, False, max_iter=2)
    converged = source_prestige(layer, False)
    assert converged.sum() == pytest.approx(1.0)


def test_core_periphery_warns_when_it_stops_at_max_iter():
    from kflow.measures.cohesion import _continuous

    A = np.array([[0, 1, 1, 0], [1, 0, 1, 1], [1, 1, 0, 0], [0, 1, 0, 0]], dtype=float)
    with pytest.warns(kflow.ConvergenceWarning, match="max_iter=1"):
        _continuous(A, max_iter=1)


def test_sampled_paths_are_exact_when_k_reaches_n():
    s = kflow.datasets.load_network("krackhardt_advice")
    cols = ["betweenness", "betweenness_raw", "closeness_out", "closeness_in"]
    exact = kflow.centrality(s, measures=cols)
    full = kflow.centrality(s, measures=cols, k=s.n_firms, seed=1)
    pd.testing.assert_frame_equal(full, exact)
    assert exact.attrs["path_sources"] == {s.relations[0]: s.n_firms}


def test_sampled_betweenness_is_unbiased_on_a_path():
    # Directed path 0 -> 1 -> ... -> 9: firm i lies on i * (9 - i) shortest paths.
    n = 10
    ids = [f"f{i}" for i in range(n)]
    ties = pd.DataFrame({"source": ids[:-1], "target": ids[1:]})
    s = kflow.read_survey(ties, orientation="flow")
    truth = np.array([i * (n - 1 - i) for i in range(n)], dtype=float)
    rng = np.random.default_rng(0)
    draws = np.array([
        kflow.centrality(s, measures=["betweenness_raw"], k=3, seed=rng)["betweenness_raw"]
        .loc[ids].to_numpy() for _ in range(400)
    ])
    se = draws.std(axis=0, ddof=1) / np.sqrt(len(draws))
    assert np.all(np.abs(draws.mean(axis=0) - truth) <= 4 * se + 1e-9)
    # harmonic closeness_in of the last firm: mean of 1/d(j -> 9) over j != 9
    closeness = np.array([
        kflow.centrality(s, measures=["closeness_in"], k=4, seed=rng)["closeness_in"].loc["f9"]
        for _ in range(400)
    ])
    expected = np.mean([1 / (n - 1 - j) for j in range(n - 1)])
    assert abs(closeness.mean() - expected) <= 4 * closeness.std(ddof=1) / 20


def test_sampled_paths_repeat_with_the_seed_and_match_igraph_sources():
    import igraph as ig

    s = kflow.datasets.load_network("lazega_advice")
    a = kflow.centrality(s, measures=["betweenness_raw"], k=20, seed=7)
    b = kflow.centrality(s, measures=["betweenness_raw"], k=20, seed=7)
    pd.testing.assert_frame_equal(a, b)
    pivots = np.sort(np.random.default_rng(7).choice(s.n_firms, size=20, replace=False))
    g = ig.Graph(n=s.n_firms, directed=True)
    pos = {f: i for i, f in enumerate(s.firm_ids)}
    g.add_edges([(pos[u], pos[v]) for u, v in s.ties[["source", "target"]].itertuples(index=False)])
    direct = np.asarray(g.betweenness(sources=pivots.tolist())) * s.n_firms / 20
    np.testing.assert_allclose(a["betweenness_raw"].loc[s.firm_ids].to_numpy(), direct)
    with pytest.raises(kflow.ParameterError):
        kflow.centrality(s, k=0)


def test_several_relations_without_waves_give_one_long_table():
    ties = pd.DataFrame({"source": ["A", "A", "B", "C"], "target": ["B", "C", "C", "A"],
                         "relation": ["advice", "advice", "advice", "trust"]})
    s = kflow.read_survey(ties, orientation="flow")
    c = kflow.centrality(s, measures=["out_degree"])
    assert c.index.names == ["relation", "wave", "firm_id"]
    # counted by hand: advice A -> B, A -> C, B -> C; trust C -> A
    assert c.loc["advice"]["out_degree"].tolist() == [2.0, 1.0, 0.0]
    assert c.loc["trust"]["out_degree"].tolist() == [0.0, 0.0, 1.0]


@pytest.mark.parametrize("k", [None, 20])
def test_betweenness_in_two_halves_of_the_sources_is_the_whole(monkeypatch, k):
    # Betweenness adds up over sources: the halves (the second in a forked child, or both here)
    # give what one call of igraph gives, and the same numbers whichever way they ran.
    import importlib

    import networkx as nx

    import kflow._forked as forking

    centrality_module = importlib.import_module("kflow.measures.centrality")
    s = kflow.datasets.load_network("lazega_advice")
    whole = kflow.centrality(s, measures=["betweenness_raw"], k=k, seed=7)
    monkeypatch.setattr(centrality_module, "_SPLIT_WORK", 0)
    started = []

    class Counted(forking.ForkedTask):
        def __init__(self, *args):
            started.append(args)
            super().__init__(*args)

    monkeypatch.setattr(forking, "ForkedTask", Counted)
    forked = kflow.centrality(s, measures=["betweenness_raw"], k=k, seed=7)
    assert len(started) == (1 if forking.fork_allowed() else 0)
    monkeypatch.setattr(forking, "fork_allowed", lambda: False)
    here = kflow.centrality(s, measures=["betweenness_raw"], k=k, seed=7)
    pd.testing.assert_frame_equal(forked, here, check_exact=True)
    pd.testing.assert_frame_equal(forked, whole, check_exact=False, rtol=1e-12)
    if k is None:  # and networkx, computing it its own way
        reference = nx.betweenness_centrality(s.to_networkx(), normalized=False)
        np.testing.assert_allclose(forked["betweenness_raw"].loc[list(reference)],
                                   list(reference.values()))
