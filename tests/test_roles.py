"""Cognitive roles, knowledge positions, brokerage, role stability and wave comparison."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import DATASETS, bundled, shared

import kflow
from kflow.roles.brokerage import broker_counts

GOLDEN = Path(__file__).parent / "reference" / "golden"
TOL = 1e-9
GK, ES, MX, ISO = (
    "technological_gatekeeper",
    "external_star",
    "active_mutual_exchanger",
    "isolated_firm",
)


@pytest.fixture
def four() -> kflow.Survey:
    """Degrees (in + out): a 4, b 3, c 3, d 0, so degree_norm = degree / 6; outside links
    (a firm attribute): a 5, b 0, c 1, d 4."""
    ties = pd.DataFrame({"source": ["a", "b", "a", "c", "b"], "target": ["b", "a", "c", "a", "c"]})
    firms = pd.DataFrame({"firm_id": list("abcd"), "links": [5, 0, 1, 4]})
    return kflow.read_survey(ties, orientation="flow", firms=firms)


class TestClassifyRoles:
    def test_mean_rule(self, four):
        r = kflow.classify_roles(four, external="links")
        assert r.table["role"].tolist() == [GK, MX, MX, ES]
        assert r.thresholds == pytest.approx({"local": 10 / 4 / 6, "external": 2.5})
        assert r.table["local_score"].tolist() == pytest.approx([4 / 6, 3 / 6, 3 / 6, 0])
        assert r.table["local_high"].tolist() == [True, True, True, False]
        assert r.table["external_high"].tolist() == [True, False, False, True]

    def test_median_rule_ties_at_threshold_are_low(self, four):
        # Local median 0.5: b and c sit exactly on it and count as low.
        r = kflow.classify_roles(four, external="links", threshold="median")
        assert r.thresholds["local"] == 0.5
        assert r.table["role"].tolist() == [GK, ISO, ISO, ES]

    def test_quantile_rule(self, four):
        # 0.75-quantiles (linear): local 0.5 + 0.25 (4/6 - 0.5); external 4 + 0.25.
        r = kflow.classify_roles(four, external="links", threshold=("quantile", 0.75))
        assert r.thresholds["local"] == pytest.approx(0.5 + 0.25 * (4 / 6 - 0.5))
        assert r.thresholds["external"] == pytest.approx(4.25)
        assert r.table["role"].tolist() == [GK, ISO, ISO, ISO]

    def test_number_rule(self, four):
        r = kflow.classify_roles(four, external="links", threshold=0.4)
        assert r.table["role"].tolist() == [GK, MX, GK, ES]

    def test_per_axis_rule(self, four):
        r = kflow.classify_roles(
            four, external="links", threshold={"local": "median", "external": 0}
        )
        assert r.table["role"].tolist() == [GK, ISO, ES, ES]

    def test_every_firm_equal_is_all_low(self):
        # A directed 3-cycle, each firm with one outside source: nobody is above the mean.
        ties = pd.DataFrame({"source": list("abc"), "target": list("bca")})
        ext = pd.DataFrame({"firm_id": list("abc"), "actor": ["U1", "U2", "U3"]})
        r = kflow.classify_roles(kflow.read_survey(ties, orientation="flow", external=ext))
        assert r.table["role"].tolist() == [ISO, ISO, ISO]

    def test_external_openness_axes(self):
        d = DATASETS / "example_cluster"
        s = kflow.read_survey(
            d / "ties.csv",
            orientation="asks",
            firms=d / "firms.csv",
            external=d / "external.csv",
            missing="zero",
        )
        r = kflow.classify_roles(s, external="external_strength", local="betweenness")
        o = kflow.external_openness(s, missing="zero")
        assert r.table["external_score"].tolist() == o["external_strength"].tolist()
        assert r.thresholds["external"] == pytest.approx(o["external_strength"].mean())
        default = kflow.classify_roles(s)
        # F01 is named by five firms and has three outside sources: the gatekeeper.
        assert default.table.loc["F01", "role"] == GK
        assert default.table.loc["F09", "role"] == ES

    def test_unknown_scores_are_unclassified(self):
        d = DATASETS / "example_cluster"
        s = kflow.read_survey(
            d / "ties.csv", orientation="asks", firms=d / "firms.csv", external=d / "external.csv"
        )
        r = kflow.classify_roles(s)
        assert r.table.loc["F06", "role"] is None  # non-respondent under missing="nan"
        assert r.counts["unclassified"] == 1
        assert "strictly above the threshold" in r.summary()

    def test_bad_parameters(self, four):
        with pytest.raises(
            ValueError,
            match="'threshold' parameter of classify_roles must be "
            "'mean', 'median'.*Got 'avg' instead",
        ):
            kflow.classify_roles(four, external="links", threshold="avg")
        with pytest.raises(ValueError, match="'local' parameter"):
            kflow.classify_roles(four, local="popularity")
        with pytest.raises(ValueError, match="'external' parameter"):
            kflow.classify_roles(four, external="nope")


def test_role_classifier_applies_learned_thresholds(four):
    ties = pd.DataFrame({"source": ["a", "b", "c", "d"], "target": ["b", "c", "d", "a"]})
    firms = pd.DataFrame({"firm_id": list("abcd"), "links": [1, 1, 6, 0]})
    later = kflow.read_survey(ties, orientation="flow", firms=firms)
    clf = kflow.RoleClassifier(external="links").fit(four)
    predicted = clf.predict(later)
    assert predicted.thresholds == clf.thresholds_
    # Every firm of the later wave has degree 2/6 < 10/24 and c has 6 > 2.5 links.
    assert predicted.table["role"].tolist() == [ISO, ISO, ES, ISO]
    direct = kflow.classify_roles(later, external="links", threshold=clf.thresholds_)
    pd.testing.assert_frame_equal(predicted.table, direct.table)
    assert clf.fit_predict(four).table.equals(kflow.classify_roles(four, external="links").table)


def test_knowledge_positions():
    # a gives to b, c, d; b gives to a; d gives to e and c; e gives nothing; f isolated.
    ties = pd.DataFrame(
        {"source": ["a", "a", "a", "b", "d", "d"], "target": ["b", "c", "d", "a", "e", "c"]}
    )
    firms = pd.DataFrame({"firm_id": list("abcdef")})
    s = kflow.read_survey(ties, orientation="flow", firms=firms)
    p = kflow.knowledge_positions(s)
    # balances: a (3-1)/4 = 0.5, b 0, c -1, d (2-1)/3 = 1/3, e -1
    assert p["balance"].tolist()[:5] == pytest.approx([0.5, 0, -1, 1 / 3, -1])
    assert p["position"].tolist() == [
        "source",
        "mutual_exchanger",
        "absorber",
        "source",
        "absorber",
        "isolated",
    ]
    wide = kflow.knowledge_positions(s, tolerance=0.4)
    assert wide.loc["d", "position"] == "mutual_exchanger"


# -- brokerage ----------------------------------------------------------------------------------
SNA_ROLE = {
    "w_I": "coordinator",
    "w_O": "itinerant",
    "b_IO": "representative",
    "b_OI": "gatekeeper",
    "b_O": "liaison",
    "t": "total",
}


def methods_example() -> kflow.Survey:
    ties = pd.DataFrame(
        {"source": ["0", "1", "2", "3", "1", "4"], "target": ["1", "2", "3", "4", "3", "0"]}
    )
    firms = pd.DataFrame({"firm_id": list("01234"), "g": list("AABBC")})
    return kflow.read_survey(ties, orientation="flow", firms=firms)


def test_brokerage_methods_vector():
    b = kflow.brokerage(methods_example(), "g", include_external=False)
    expected = {
        "0": [0, 0, 0, 1, 0, 1],
        "1": [0, 0, 2, 0, 0, 2],
        "2": [0, 0, 0, 0, 0, 0],
        "3": [0, 0, 1, 0, 1, 2],
        "4": [0, 0, 0, 0, 1, 1],
    }
    assert b.raw.to_dict("index") == {
        k: dict(zip(b.raw.columns, map(float, v), strict=True)) for k, v in expected.items()
    }


@pytest.mark.parametrize(
    ("groups", "role"),
    [
        ("XXX", "coordinator"),
        ("XYX", "itinerant"),
        ("XXY", "representative"),
        ("XYY", "gatekeeper"),
        ("XYZ", "liaison"),
    ],
)
def test_each_brokerage_role_by_its_definition(groups, role):
    # a -> b -> c with the groups of a, b, c as given; b is the broker.
    ties = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"]})
    firms = pd.DataFrame({"firm_id": list("abc"), "g": list(groups)})
    s = kflow.read_survey(ties, orientation="flow", firms=firms)
    raw = kflow.brokerage(s, "g", include_external=False).raw.loc["b"]
    assert raw[role] == 1 and raw["total"] == 1
    assert raw.drop([role, "total"]).sum() == 0
    # A direct a -> c tie closes the two-path: no brokerage.
    closed = pd.concat([ties, pd.DataFrame({"source": ["a"], "target": ["c"]})])
    s2 = kflow.read_survey(closed, orientation="flow", firms=firms)
    assert kflow.brokerage(s2, "g", include_external=False).raw.loc["b", "total"] == 0


def brokerage_networks():
    def knoke():
        nodes = pd.read_csv(bundled("knoke_bureaucracies", "nodes.csv")).rename(
            columns={"id": "num", "label": "firm_id"}
        )
        return kflow.read_survey(
            bundled("knoke_bureaucracies", "information_edges.csv"), orientation="flow", firms=nodes
        ), "sector"

    def krack():
        return kflow.read_survey(
            bundled("krackhardt_hightech", "advice_edges.csv"),
            orientation="asks",
            firms=bundled("krackhardt_hightech", "attributes.csv"),
        ), "dept"

    def lazega():
        return kflow.read_survey(
            bundled("lazega_lawfirm", "advice_edges.csv"),
            orientation="asks",
            firms=bundled("lazega_lawfirm", "attributes.csv"),
        ), "office"

    def kecskemet(year):
        def load():
            edges = shared("kecskemet_printing_cluster", f"advice_{year}_edges.csv")
            own = pd.read_csv(
                shared("kecskemet_printing_cluster", "original_saom_cluster", "ownership.csv"),
                sep=";",
                index_col=0,
            )
            ids = set(pd.read_csv(edges).stack())
            own = own.loc[sorted(ids)].rename_axis("firm_id").reset_index()
            return kflow.read_survey(edges, orientation="asks", firms=own), "f_owner"

        return load

    return {
        "knoke_information": knoke,
        "krackhardt_advice": krack,
        "lazega_advice": lazega,
        "kecskemet_2012": kecskemet("2012"),
        "kecskemet_2015": kecskemet("2015"),
        "methods_example": lambda: (methods_example(), "g"),
    }


@pytest.mark.parametrize("name", list(brokerage_networks()))
def test_brokerage_matches_r_sna(name):
    survey, attr = brokerage_networks()[name]()
    b = kflow.brokerage(survey, attr, include_external=False)
    nodes = pd.read_csv(GOLDEN / f"sna_{name}_brokerage_nodes.csv", dtype={"firm_id": str})
    nodes = nodes.set_index("firm_id")
    for stat, table in (("raw", b.raw), ("exp", b.expected), ("sd", b.sd), ("z", b.z)):
        for sna_col, role in SNA_ROLE.items():
            np.testing.assert_allclose(
                table.loc[nodes.index, role],
                nodes[f"{stat}_{sna_col}"],
                atol=TOL,
                err_msg=f"{stat} {role}",
            )
    net = pd.read_csv(GOLDEN / f"sna_{name}_brokerage_network.csv").set_index("role")
    net.index = net.index.map(SNA_ROLE)
    for ours, theirs in (("raw", "raw"), ("expected", "exp"), ("sd", "sd"), ("z", "z")):
        np.testing.assert_allclose(
            b.network.loc[net.index, ours], net[theirs], atol=TOL, err_msg=ours
        )


def test_brokerage_expected_equals_simulated_mean():
    rng = np.random.default_rng(11)
    n = 30
    A = rng.random((n, n)) < 0.12
    np.fill_diagonal(A, False)
    names = [f"f{i:02d}" for i in range(n)]
    src, dst = np.nonzero(A)
    ties = pd.DataFrame({"source": [names[i] for i in src], "target": [names[j] for j in dst]})
    firms = pd.DataFrame({"firm_id": names, "g": ["x"] * 12 + ["y"] * 10 + ["z"] * 8})
    s = kflow.read_survey(ties, orientation="flow", firms=firms)
    k = 3000
    b = kflow.brokerage(s, "g", include_external=False, n_simulations=k, seed=5)
    se = b.sd / np.sqrt(k)
    gap = ((b.simulated_mean - b.expected).abs() / se.where(se > 0)).max().max()
    assert gap < 5  # within five standard errors for every firm and role
    again = kflow.brokerage(s, "g", include_external=False, n_simulations=50, seed=5)
    same = kflow.brokerage(s, "g", include_external=False, n_simulations=50, seed=5)
    pd.testing.assert_frame_equal(again.p_simulated, same.p_simulated)
    assert ((b.p_simulated > 0) & (b.p_simulated <= 1)).all().all()


def test_broker_counts_against_enumeration():
    rng = np.random.default_rng(2)
    A = (rng.random((3, 12, 12)) < 0.3).astype(float)
    A[:, np.arange(12), np.arange(12)] = 0
    codes = rng.integers(0, 3, 12)
    counts = broker_counts(A, codes)
    for s in range(3):
        ref = np.zeros((12, 6))
        for b in range(12):
            for a in range(12):
                for c in range(12):
                    if a in (b, c) or b == c or not (A[s, a, b] and A[s, b, c]) or A[s, a, c]:
                        continue
                    ga, gb, gc = codes[a], codes[b], codes[c]
                    role = (
                        0
                        if ga == gb == gc
                        else 1
                        if ga == gc != gb
                        else 2
                        if ga == gb != gc
                        else 3
                        if gb == gc != ga
                        else 4
                    )
                    ref[b, role] += 1
                    ref[b, 5] += 1
        np.testing.assert_array_equal(counts[s], ref)


def test_gatekeeper_relays_in_the_example_cluster():
    d = DATASETS / "example_cluster"
    s = kflow.read_survey(
        d / "ties.csv",
        orientation="asks",
        firms=d / "firms.csv",
        external=d / "external.csv",
        missing="zero",
    )
    b = kflow.brokerage(s)
    per_firm = b.relays.groupby("firm_id").size().reindex(s.firm_ids, fill_value=0)
    assert b.raw["gatekeeper"].tolist() == per_firm.astype(float).tolist()
    # The institute also advises F04 directly, so it is no relay through F01 to F04.
    relays = set(map(tuple, b.relays.to_numpy()))
    assert ("National Wine Research Institute", "F01", "F02") in relays
    assert ("National Wine Research Institute", "F01", "F04") not in relays
    assert b.raw.loc["F01", "gatekeeper"] == 3 * 5 - 1 - 1  # 3 sources x 5 local, minus closed
    assert set(b.groups.unique()) == {"cluster", "outside"}


# -- stability and waves ----------------------------------------------------------------------
def test_role_stability_is_one_when_nothing_can_change():
    pair = pd.DataFrame({"source": ["a", "b"], "target": ["b", "a"]})
    for orientation in ("flow", "asks"):
        s = kflow.read_survey(pair, orientation=orientation)
        for scheme in ("respondents", "ties", "thresholds"):
            st = kflow.role_stability(s, n_resamples=200, scheme=scheme, seed=0)
            assert st["stability"].tolist() == [1.0, 1.0], scheme
            assert st["alternative"].isna().all()


def test_role_stability_reproducible_and_bounded():
    d = DATASETS / "example_cluster"
    s = kflow.read_survey(
        d / "ties.csv",
        orientation="asks",
        firms=d / "firms.csv",
        external=d / "external.csv",
        missing="zero",
    )
    for scheme in ("respondents", "ties", "thresholds"):
        a = kflow.role_stability(s, n_resamples=300, scheme=scheme, seed=42)
        b = kflow.role_stability(s, n_resamples=300, scheme=scheme, seed=42)
        pd.testing.assert_frame_equal(a, b)
        assert ((a["stability"] >= 0) & (a["stability"] <= 1)).all()
        assert (a["stability"] + a["alternative_share"] <= 1 + 1e-12).all()
    observed = kflow.classify_roles(s).table["role"]
    assert a["role"].tolist() == observed.tolist()
    loop = kflow.role_stability(s, n_resamples=30, scheme="ties", seed=1, local="betweenness")
    assert loop["stability"].between(0, 1).all()


def test_compare_waves_kecskemet():
    w1 = kflow.read_survey(
        shared("kecskemet_printing_cluster", "advice_2012_edges.csv"), orientation="asks"
    )
    w2 = kflow.read_survey(
        shared("kecskemet_printing_cluster", "advice_2015_edges.csv"), orientation="asks"
    )
    cmp = kflow.compare_waves(w1, w2)
    raw1 = pd.read_csv(shared("kecskemet_printing_cluster", "advice_2012_edges.csv"))
    raw2 = pd.read_csv(shared("kecskemet_printing_cluster", "advice_2015_edges.csv"))
    both = raw1.merge(raw2, how="inner")
    union = pd.concat([raw1, raw2]).drop_duplicates()
    assert cmp.ties["persisted"] == len(both)
    assert cmp.ties["jaccard"] == pytest.approx(len(both) / len(union))
    assert cmp.ties["dissolved"] == len(raw1) - len(both)
    assert cmp.ties["created"] == len(raw2) - len(both)
    ids1 = set(raw1.stack())
    ids2 = set(raw2.stack())
    assert set(cmp.entered) == ids2 - ids1 and set(cmp.left) == ids1 - ids2
    assert cmp.transitions.to_numpy().sum() == len(ids1 & ids2)
    assert "Jaccard" in cmp.summary()


def test_role_stability_thresholds_scheme_matches_a_hand_worked_case():
    # Degrees (in + out) 0, 1, 2, 3, 4 and an outside-link count 4, 3, 2, 1, 0. Under the
    # "thresholds" scheme each axis's threshold is its q-quantile, q ~ U[0.25, 0.75]; with
    # numpy's linear quantile of 0..4 that is 4q. The observed rule is the mean (2): only the
    # firm scoring exactly 2 on an axis can switch, staying low iff 4q >= 2, i.e. with
    # probability 1/2 on each axis: firm c (2 on both) keeps its role with probability 1/4,
    # and each of the three other roles takes 1/4; every other firm keeps its role always.
    ties = pd.DataFrame(
        {"source": ["e", "d", "e", "e", "d"], "target": ["d", "e", "c", "b", "c"]}
    )
    firms = pd.DataFrame({"firm_id": list("abcde"), "outside_links": [4, 3, 2, 1, 0]})
    s = kflow.read_survey(ties, orientation="flow", firms=firms)
    degree = kflow.centrality(s, measures=["degree"])["degree"]
    assert degree.tolist() == [0, 1, 2, 3, 4]
    k = 40_000
    st = kflow.role_stability(
        s, n_resamples=k, scheme="thresholds", external="outside_links", seed=7
    )
    se = (0.25 * 0.75 / k) ** 0.5
    assert st.loc["c", "role"] == "isolated_firm"
    assert st.loc["c", "stability"] == pytest.approx(0.25, abs=4 * se)
    assert st.loc["c", "alternative_share"] == pytest.approx(0.25, abs=4 * se)
    assert st.drop("c")["stability"].tolist() == [1.0] * 4


def _stability_by_reclassifying(s, n_resamples, seed, local):
    """Independent reference for the "ties" scheme: draw the same bootstrap masks, build each
    resampled survey with read_survey and classify it with classify_roles, one at a time."""
    from kflow.roles.stability import _bootstrap_presence

    rng = np.random.default_rng(seed)
    ext = s.external[s.external["direction"] == "in"].reset_index(drop=True)
    tie_keep = _bootstrap_presence(rng, len(s.ties), n_resamples)
    ext_keep = _bootstrap_presence(rng, len(ext), n_resamples)
    observed = kflow.classify_roles(s, local=local).table["role"]
    same = pd.Series(0, index=observed.index)
    for r in range(n_resamples):
        sub = kflow.read_survey(
            s.ties[tie_keep[r]],
            orientation="flow",
            firms=s.firms.reset_index()[["firm_id"]],
            external=ext[ext_keep[r]] if ext_keep[r].any() else None,
        )
        roles = kflow.classify_roles(sub, local=local).table["role"]
        same += (roles == observed).astype(int)
    return same / n_resamples


@pytest.mark.parametrize("local", ["degree", "betweenness"])
def test_role_stability_vectorised_and_per_resample_paths_match_a_loop(local):
    # "degree" takes the vectorised path, "betweenness" the per-resample igraph path; both must
    # equal classifying each resampled survey from scratch.
    s = kflow.datasets.simulate_cluster(16, seed=5, nonresponse=0.0)
    flat = kflow.read_survey(
        s.ties, orientation="flow", firms=s.firms.reset_index()[["firm_id"]], external=s.external
    )
    got = kflow.role_stability(flat, n_resamples=40, scheme="ties", seed=11, local=local)
    want = _stability_by_reclassifying(flat, 40, 11, local)
    assert 0 < got["stability"].min() < 1  # the case is not trivial
    np.testing.assert_allclose(got["stability"].to_numpy(), want.to_numpy())


@pytest.mark.parametrize("rule", ["mean", "median", ("quantile", 0.75)])
def test_equal_scores_are_all_low_whatever_the_rounding(rule):
    # Six firms in a directed cycle: every degree_norm is 0.2, and np.mean of six 0.2 is
    # 0.19999999999999998, a rounding error below them. The documented rule: a score equal to
    # the threshold counts as low, so all six are isolated firms (and so on a firm column).
    ties = pd.DataFrame({"source": list("abcdef"), "target": list("bcdefa")})
    firms = pd.DataFrame({"firm_id": list("abcdef"), "links": [0.1] * 6})
    s = kflow.read_survey(ties, orientation="flow", firms=firms)
    roles = kflow.classify_roles(s, external="links", threshold=rule)
    assert set(roles.table["role"]) == {"isolated_firm"}
    stability = kflow.role_stability(s, n_resamples=20, scheme="ties", seed=0, threshold=rule)
    assert stability["role"].eq("isolated_firm").all()


def test_a_score_just_above_the_threshold_is_high():
    ties = pd.DataFrame({"source": list("abc"), "target": list("bca")})
    firms = pd.DataFrame({"firm_id": list("abc"), "links": [1.0, 1.0, 1.0 + 1e-6]})
    s = kflow.read_survey(ties, orientation="flow", firms=firms)
    roles = kflow.classify_roles(s, external="links").table
    assert roles.loc["c", "external_high"] and not roles.loc["a", "external_high"]


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), ("quantile", 1.5), "avg"])
def test_threshold_that_cannot_split_is_refused(bad):
    s = kflow.datasets.load_network("example_cluster")
    with pytest.raises(kflow.ParameterError, match="'threshold' parameter of classify_roles"):
        kflow.classify_roles(s, threshold=bad)


@pytest.mark.parametrize("seed", range(6))
def test_sparse_broker_counts_equal_the_dense_counts(seed):
    from kflow.roles.sparse_brokerage import BLOCK_ENTRIES, sparse_broker_counts

    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 40))
    A = (rng.random((n, n)) < rng.uniform(0.05, 0.6)).astype(float)
    A[np.arange(n), np.arange(n)] = 0
    codes = rng.integers(0, int(rng.integers(1, 5)), n)
    codes = np.unique(codes, return_inverse=True)[1]
    src, dst = np.nonzero(A)
    dense = broker_counts(A[None], codes)[0]
    np.testing.assert_allclose(sparse_broker_counts(src, dst, codes), dense)
    assert BLOCK_ENTRIES > 0


def _random_digraph(seed: int, n: int, p: float, groups: int):
    """A random digraph without self-ties as a dense matrix and its tie lists, and groups."""
    rng = np.random.default_rng(seed)
    A = (rng.random((n, n)) < p).astype(float)
    A[np.arange(n), np.arange(n)] = 0
    src, dst = np.nonzero(A)
    return A, src, dst, rng.integers(0, groups, n)


def test_sparse_broker_counts_in_many_small_blocks(monkeypatch):
    import kflow.roles.sparse_brokerage as sb

    A, src, dst, codes = _random_digraph(9, 30, 0.3, 3)
    whole = sb.sparse_broker_counts(src, dst, codes)
    monkeypatch.setattr(sb, "BLOCK_ENTRIES", 7)  # one or two brokers per block
    np.testing.assert_allclose(sb.sparse_broker_counts(src, dst, codes), whole)
    np.testing.assert_allclose(whole, broker_counts(A[None], codes)[0])


def test_layers_are_looked_up_once_within_a_call_and_never_across_surveys():
    from kflow._layers import build_layer
    from kflow._positions import shared_layers

    d = DATASETS / "example_cluster"
    s = kflow.read_survey(d / "ties.csv", orientation="asks", firms=d / "firms.csv")
    other = kflow.read_survey(d / "ties.csv", orientation="asks", firms=d / "firms.csv")
    outside = build_layer(s, "knowledge", None, "nan")
    with shared_layers():
        first = build_layer(s, "knowledge", None, "nan")
        again = build_layer(s, "knowledge", None, "zero")
        elsewhere = build_layer(other, "knowledge", None, "nan")
    assert again.src is first.src and elsewhere.src is not first.src
    assert build_layer(s, "knowledge", None, "nan").src is not first.src
    assert (first.src == outside.src).all() and (first.dst == outside.dst).all()
    # "nan" and "zero" share the ties, not the treatment of unknown answers
    assert first.unknown_in.any() and not again.unknown_in.any()


def test_sparse_broker_counts_from_two_products_when_the_digits_would_overflow(monkeypatch):
    import kflow.roles.sparse_brokerage as sb

    A, src, dst, codes = _random_digraph(11, 35, 0.35, 4)
    monkeypatch.setattr(sb, "DIGITS_LIMIT", 16)  # B^4 never fits: N_c from a second product
    monkeypatch.setattr(sb, "BLOCK_ENTRIES", 40)
    np.testing.assert_allclose(sb.sparse_broker_counts(src, dst, codes),
                               broker_counts(A[None], codes)[0])
