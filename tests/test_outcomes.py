"""Outcome statistics against scipy / statsmodels called directly, and full enumeration."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.miscmodels.ordinal_model import OrderedModel
from statsmodels.stats.multitest import multipletests

import kflow
from kflow.outcomes import adjust_p


@pytest.fixture
def groups_data() -> pd.DataFrame:
    rng = np.random.default_rng(4)
    roles = ["gk"] * 8 + ["star"] * 7 + ["iso"] * 9 + ["solo"]
    y = np.concatenate([rng.normal(2, 1, 8), rng.normal(1, 1, 7), rng.normal(0, 1, 9), [5.0]])
    return pd.DataFrame({"role": roles, "y": y.round(2)})


class TestCompareGroups:
    def test_against_scipy(self, groups_data):
        g = kflow.compare_groups(groups_data, "y", n_permutations=999, seed=1)
        d = groups_data[groups_data["role"] != "solo"]
        samples = [d.loc[d["role"] == r, "y"].to_numpy() for r in ("gk", "iso", "star")]
        h, p = stats.kruskal(*samples)
        o = g.omnibus.iloc[0]
        assert o["statistic"] == pytest.approx(h, abs=1e-12)
        assert o["p_asymptotic"] == pytest.approx(p, abs=1e-12)
        assert o["effect_size"] == pytest.approx(h / (len(d) - 1))
        assert o["n"] == 24 and o["n_groups"] == 3
        for row in g.pairwise.itertuples():
            a = d.loc[d["role"] == row.group_1, "y"].to_numpy()
            b = d.loc[d["role"] == row.group_2, "y"].to_numpy()
            ref = stats.mannwhitneyu(a, b, alternative="two-sided", method="asymptotic")
            assert row.statistic == pytest.approx(ref.statistic)
            assert row.p_asymptotic == pytest.approx(ref.pvalue)
            assert row.effect_size == pytest.approx(2 * ref.statistic / (len(a) * len(b)) - 1)
            pooled = np.concatenate([a, b])
            if row.p_method == "exact" and len(np.unique(pooled)) == len(pooled):
                # scipy's exact distribution assumes no ties.
                exact = stats.mannwhitneyu(a, b, alternative="two-sided", method="exact")
                assert row.p_exact_or_permutation == pytest.approx(exact.pvalue, abs=1e-9)
        holm = multipletests(g.pairwise["p_exact_or_permutation"], method="holm")[1]
        np.testing.assert_allclose(g.pairwise["p_holm"], holm)

    def test_exact_pair_p_with_ties_by_enumeration(self):
        d = pd.DataFrame({"role": list("aaaabbbb"), "y": [1, 2, 2, 3, 2, 3, 4, 4]})
        row = kflow.compare_groups(d, "y", n_permutations=10, seed=0).pairwise.iloc[0]
        assert row["p_method"] == "exact"
        y = d["y"].to_numpy(float)
        u_obs = stats.mannwhitneyu(y[:4], y[4:]).statistic
        us = []
        for idx in itertools.combinations(range(8), 4):
            rest = [i for i in range(8) if i not in idx]
            us.append(stats.mannwhitneyu(y[list(idx)], y[rest]).statistic)
        us = np.array(us)
        exact = np.mean(np.abs(us - 8) >= abs(u_obs - 8) - 1e-9)
        assert row["p_exact_or_permutation"] == pytest.approx(exact)

    def test_small_groups_reported_not_skipped_silently(self, groups_data):
        g = kflow.compare_groups(groups_data, "y", n_permutations=99, seed=1)
        assert not g.groups.loc["solo", "tested"] and g.groups.loc["solo", "n"] == 1
        assert "solo" not in set(g.pairwise["group_1"]) | set(g.pairwise["group_2"])
        assert "solo" in g.summary()

    def test_kruskal_permutation_p_matches_full_enumeration(self):
        d = pd.DataFrame({"role": list("aabbcc"), "y": [1.0, 2.0, 3.5, 4.0, 6.0, 5.0]})
        g = kflow.compare_groups(d, "y", n_permutations=40_000, seed=2)
        h_obs = g.omnibus.iloc[0]["statistic"]
        hs = []
        for labels in set(itertools.permutations(d["role"])):
            parts = [d["y"][np.array(labels) == k] for k in "abc"]
            hs.append(stats.kruskal(*parts).statistic)
        exact = np.mean(np.array(hs) >= h_obs - 1e-12)
        assert g.omnibus.iloc[0]["p_permutation"] == pytest.approx(exact, abs=0.01)

    def test_binary_outcome_uses_fisher(self):
        d = pd.DataFrame(
            {"role": ["a"] * 6 + ["b"] * 6, "exports": [1, 1, 1, 1, 0, 1, 0, 0, 1, 0, 0, 0]}
        )
        g = kflow.compare_groups(d, "exports", n_permutations=20_000, seed=0)
        odds, p = stats.fisher_exact([[5, 1], [1, 5]])
        row = g.pairwise.iloc[0]
        assert row["statistic"] == pytest.approx(odds) and row["p_exact_or_permutation"] == (
            pytest.approx(p)
        )
        chi2 = stats.chi2_contingency([[5, 1], [1, 5]], correction=False)[0]
        assert g.omnibus.iloc[0]["statistic"] == pytest.approx(chi2)
        # Permutation p of chi2 by full enumeration of which six firms are in group a.
        y = d["exports"].to_numpy()
        sims = []
        for idx in itertools.combinations(range(12), 6):
            a = y[list(idx)].sum()
            sims.append(
                stats.chi2_contingency([[a, 6 - a], [6 - a, a]], correction=False)[0]
                if 0 < a < 6
                else 12.0
                if a in (0, 6)
                else 0
            )
        exact = np.mean(np.array(sims) >= chi2 - 1e-9)
        assert g.omnibus.iloc[0]["p_permutation"] == pytest.approx(exact, abs=0.01)

    def test_seeded_and_labelled(self, groups_data):
        a = kflow.compare_groups(groups_data, "y", n_permutations=500, seed=9)
        b = kflow.compare_groups(groups_data, "y", n_permutations=500, seed=9)
        pd.testing.assert_frame_equal(a.omnibus, b.omnibus)
        assert (a.seed, a.n_permutations) == (9, 500)


class TestCorrelate:
    def test_against_scipy(self):
        rng = np.random.default_rng(0)
        x = pd.DataFrame(rng.normal(size=(30, 2)), columns=["deg", "btw"])
        y = pd.DataFrame({"product": x["deg"] + rng.normal(size=30)})
        y.iloc[3, 0] = np.nan
        for method, fn in (("spearman", stats.spearmanr), ("pearson", stats.pearsonr)):
            out = kflow.correlate(x, y, method=method, n_permutations=999, seed=1)
            for row in out.itertuples():
                pair = pd.concat([x[row.x], y[row.y]], axis=1).dropna()
                ref = fn(pair.iloc[:, 0], pair.iloc[:, 1])
                assert row.r == pytest.approx(ref.statistic, abs=1e-12)
                assert row.p_asymptotic == pytest.approx(ref.pvalue, abs=1e-12)
                assert row.n == 29
            holm = multipletests(out["p_permutation"], method="holm")[1]
            np.testing.assert_allclose(out["p_adjusted"], holm)

    def test_permutation_p_matches_full_enumeration(self):
        x = pd.Series([1.0, 2, 3, 4, 5, 6], name="x")
        y = pd.Series([2.0, 1, 4, 3, 6, 5], name="y")
        out = kflow.correlate(x, y, method="pearson", n_permutations=50_000, seed=3).iloc[0]
        sims = [abs(np.corrcoef(x, np.array(p))[0, 1]) for p in itertools.permutations(y)]
        exact = np.mean(np.array(sims) >= abs(out["r"]) - 1e-12)
        assert out["p_permutation"] == pytest.approx(exact, abs=0.01)

    def test_pairs_of_different_sizes_match_full_enumeration(self):
        # y2 misses a firm, so its pairs permute 6 firms while y1's permute 7: each p-value
        # is checked against every relabelling of its own pair.
        idx = list("abcdefg")
        # Ratings with ties, so that the null distribution depends on both columns.
        x = pd.DataFrame({"deg": [1.0, 2, 3, 4, 5, 6, 7], "btw": [0.0, 0, 0, 0, 0, 5, 6]}, idx)
        y = pd.DataFrame(
            {"y1": [0.0, 0, 1, 1, 3, 3, 3], "y2": [1.0, 0, 3, np.nan, 3, 3, 2]}, idx
        )
        # Either side may be the one shuffled (the one with fewer distinct columns and firm
        # sets): swapping the arguments tries both.
        out = pd.concat(
            [
                kflow.correlate(x, y, method="spearman", n_permutations=40_000, seed=8),
                kflow.correlate(y, x, method="spearman", n_permutations=40_000, seed=9),
            ]
        )
        both = pd.concat([x, y], axis=1)
        for row in out.itertuples():
            pair = both[[row.x, row.y]].dropna()
            a, b = stats.rankdata(pair.iloc[:, 0]), stats.rankdata(pair.iloc[:, 1])
            sims = [abs(np.corrcoef(a, np.array(p))[0, 1]) for p in itertools.permutations(b)]
            exact = np.mean(np.array(sims) >= abs(row.r) - 1e-12)
            assert row.p_permutation == pytest.approx(exact, abs=0.01)

    def test_benjamini_hochberg(self):
        p = np.array([0.01, 0.04, 0.03, 0.2, np.nan])
        ref = multipletests(p[:4], method="fdr_bh")[1]
        np.testing.assert_allclose(adjust_p(p, "bh")[:4], ref)
        assert np.isnan(adjust_p(p, "bh")[4])


class TestRegress:
    @pytest.fixture
    def data(self):
        rng = np.random.default_rng(5)
        n = 60
        x1, x2 = rng.normal(size=n), rng.normal(size=n)
        latent = 0.8 * x1 - 0.5 * x2 + rng.logistic(size=n)
        return pd.DataFrame(
            {
                "x1": x1,
                "x2": x2,
                "y": 1 + 2 * x1 + rng.normal(size=n) * (1 + np.abs(x1)),
                "score": np.digitize(latent, [-1, 0.5, 2]),
                "count": rng.negative_binomial(2, 2 / (2 + np.exp(0.5 + 0.4 * x1))),
                "binary": (latent > 0).astype(int),
            }
        )

    def test_ols_hc3(self, data):
        r = kflow.regress(data, "y", ["x1", "x2"])
        ref = sm.OLS(data["y"], sm.add_constant(data[["x1", "x2"]])).fit(cov_type="HC3")
        np.testing.assert_allclose(r.coefficients["estimate"], ref.params)
        np.testing.assert_allclose(r.coefficients["std_error"], ref.bse)
        np.testing.assert_allclose(r.coefficients["p_value"], ref.pvalues)
        assert r.fit["r_squared"] == pytest.approx(ref.rsquared)
        assert "OLS Regression Results" in r.summary()

    def test_other_models(self, data):
        X = data[["x1", "x2"]]
        ordered = kflow.regress(data, "score", ["x1", "x2"], model="ordered_logit")
        ref = OrderedModel(data["score"], X, distr="logit").fit(
            method="bfgs", disp=False, maxiter=2000
        )
        np.testing.assert_allclose(ordered.coefficients["estimate"], ref.params, rtol=1e-4)
        nb = kflow.regress(data, "count", ["x1"], model="negbin")
        with np.errstate(all="ignore"):
            ref_nb = sm.NegativeBinomial(data["count"], sm.add_constant(data[["x1"]])).fit(
                disp=False, maxiter=500
            )
        np.testing.assert_allclose(nb.coefficients["estimate"], ref_nb.params, rtol=1e-5)
        lg = kflow.regress(data, "binary", ["x1", "x2"], model="logit")
        ref_lg = sm.Logit(data["binary"], sm.add_constant(X)).fit(disp=False)
        np.testing.assert_allclose(lg.coefficients["estimate"], ref_lg.params, rtol=1e-6)

    def test_node_level_permutation_matches_enumeration(self):
        d = pd.DataFrame({"y": [1.0, 3.0, 2.0, 5.0, 4.0, 6.0], "x": [1, 2, 3, 4, 5, 6]})
        r = kflow.regress(d, "y", ["x"], n_permutations=50_000, seed=2)
        X = sm.add_constant(d[["x"]]).to_numpy()
        obs = abs(np.linalg.lstsq(X, d["y"], rcond=None)[0][1])
        sims = [
            abs(np.linalg.lstsq(X, np.array(p), rcond=None)[0][1])
            for p in itertools.permutations(d["y"])
        ]
        exact = np.mean(np.array(sims) >= obs - 1e-12)
        assert r.coefficients.loc["x", "p_permutation"] == pytest.approx(exact, abs=0.01)
        assert r.n_permutations == 50_000 and r.seed == 2

    def test_errors(self, data):
        with pytest.raises(ValueError, match="'model' parameter of regress"):
            kflow.regress(data, "y", ["x1"], model="probit")
        with pytest.raises(kflow.DataError, match="no column 'x9'"):
            kflow.regress(data, "y", ["x9"])


class TestQAP:
    def test_correlation_equals_cell_correlation_and_enumeration(self):
        rng = np.random.default_rng(1)
        Y, X = rng.random((4, 4)), rng.random((4, 4))
        res = kflow.qap(Y, X, n_permutations=40_000, seed=0)
        off = ~np.eye(4, dtype=bool)
        r = np.corrcoef(Y[off], X[off])[0, 1]
        assert res.table.loc["x1", "r"] == pytest.approx(r, abs=1e-12)
        sims = [
            np.corrcoef(Y[off], X[np.ix_(p, p)][off])[0, 1]
            for p in map(list, itertools.permutations(range(4)))
        ]
        exact = np.mean(np.array(sims) >= r - 1e-12)
        assert res.table.loc["x1", "p_greater"] == pytest.approx(exact, abs=0.01)

    @pytest.mark.parametrize("sparser", ["y", "x"])
    def test_cross_products_of_relabellings_by_a_loop(self, sparser):
        # Every relabelling's sum of Y[i, j] X[p(i), p(j)] over off-diagonal cells, against a
        # plain double loop; the sparse side has empty rows and weights. When X is the sparser
        # it is the one held fixed, which relabels Y by p, i.e. X by the inverse of p.
        from kflow.outcomes.qap import _permuted_cross_products

        rng = np.random.default_rng(5)
        n = 9
        sparse_m = np.where(rng.random((n, n)) < 0.2, rng.integers(1, 4, (n, n)), 0).astype(float)
        sparse_m[[2, 6], :] = 0
        dense_m = rng.random((n, n))
        Y, X = (sparse_m, dense_m) if sparser == "y" else (dense_m, sparse_m)
        off = ~np.eye(n, dtype=bool)
        perms = np.array([rng.permutation(n) for _ in range(30)])
        got = _permuted_cross_products(Y, X, off, perms)
        if sparser == "x":
            perms = np.argsort(perms, axis=1)
        want = [
            sum(Y[i, j] * X[p[i], p[j]] for i in range(n) for j in range(n) if i != j)
            for p in perms
        ]
        np.testing.assert_allclose(got, want, rtol=1e-12)

    def test_unrelated_matrices_give_uniform_ish_p(self):
        ps = []
        for s in range(40):
            rng = np.random.default_rng(100 + s)
            Y = (rng.random((15, 15)) < 0.3).astype(float)
            X = rng.random((15, 15))
            ps.append(kflow.qap(Y, X, n_permutations=199, seed=s).table.loc["x1", "p_two_sided"])
        ps = np.array(ps)
        assert 0.3 < ps.mean() < 0.7
        assert np.mean(ps < 0.05) <= 0.2

    def test_strong_relation_is_detected(self):
        rng = np.random.default_rng(3)
        X = rng.random((20, 20))
        Y = (X + 0.3 * rng.random((20, 20)) > 0.8).astype(float)
        res = kflow.qap(Y, X, n_permutations=499, seed=1)
        assert res.table.loc["x1", "p_greater"] < 0.01
        mr = kflow.qap(Y, {"x": X}, method="mrqap", n_permutations=499, seed=1)
        assert mr.table.loc["x", "p_two_sided"] < 0.01

    def test_mrqap_coefficients_are_ols_on_cells(self):
        rng = np.random.default_rng(7)
        n = 12
        X1, X2 = rng.random((n, n)), rng.random((n, n))
        Y = 0.5 * X1 - 0.2 * X2 + rng.normal(scale=0.3, size=(n, n))
        res = kflow.qap(Y, {"a": X1, "b": X2}, method="mrqap", n_permutations=199, seed=0)
        off = ~np.eye(n, dtype=bool)
        ref = sm.OLS(Y[off], sm.add_constant(np.column_stack([X1[off], X2[off]]))).fit()
        np.testing.assert_allclose(res.table["estimate"], ref.params, atol=1e-10)
        np.testing.assert_allclose(res.table["t"], ref.tvalues, atol=1e-8)
        assert res.table["r_squared"].iloc[0] == pytest.approx(ref.rsquared)
        again = kflow.qap(Y, {"a": X1, "b": X2}, method="mrqap", n_permutations=199, seed=0)
        pd.testing.assert_frame_equal(res.table, again.table)

    def test_mrqap_p_values_match_full_enumeration(self):
        # Five firms: all 120 relabellings can be enumerated. For each predictor, the reference
        # regresses it on the others (with intercept) over off-diagonal cells, relabels the
        # residual matrix by every permutation, refits the full OLS with statsmodels and takes
        # the t of the relabelled residual; p is the share of |t*| >= |t| (identity included).
        rng = np.random.default_rng(21)
        n = 5
        X1, X2 = rng.random((n, n)), rng.random((n, n))
        Y = 0.8 * X1 + rng.normal(scale=0.2, size=(n, n))
        off = ~np.eye(n, dtype=bool)
        xs = {"a": X1, "b": X2}
        k = 20_000
        res = kflow.qap(Y, xs, method="mrqap", n_permutations=k, seed=3)
        exacts = []
        for name in xs:
            others = [m[off] for key, m in xs.items() if key != name]
            Z = sm.add_constant(np.column_stack(others))
            E = np.zeros((n, n))
            E[off] = sm.OLS(xs[name][off], Z).fit().resid
            t_obs = sm.OLS(Y[off], np.column_stack([Z, E[off]])).fit().tvalues[-1]
            ts = []
            for perm in itertools.permutations(range(n)):
                Ep = E[np.ix_(perm, perm)][off]
                ts.append(sm.OLS(Y[off], np.column_stack([Z, Ep])).fit().tvalues[-1])
            exact = np.mean(np.abs(ts) >= abs(t_obs) - 1e-9)
            assert res.table.loc[name, "t"] == pytest.approx(t_obs, rel=1e-8)
            se = np.sqrt(exact * (1 - exact) / k)
            assert res.table.loc[name, "p_two_sided"] == pytest.approx(exact, abs=4 * se + 1e-4)
            exacts.append(exact)
        assert exacts[0] < 0.05 < exacts[1] < 1  # one clear effect, one not

    def test_helpers(self):
        s = kflow.read_survey(
            pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "weight": [2, 3]}),
            orientation="flow",
        )
        M = kflow.relation_matrix(s, weighted=True)
        assert M.loc["a", "b"] == 2 and M.loc["b", "a"] == 0 and M.loc["b", "c"] == 3
        v = pd.Series([1.0, 2.0, 4.0], index=["a", "b", "c"])
        assert kflow.attribute_matrix(v, "similarity").loc["a", "c"] == 0.0
        assert kflow.attribute_matrix(v, "sender").loc["c", "a"] == 4.0
        assert (
            kflow.attribute_matrix(pd.Series(list("xxy"), index=list("abc")), "same")
            .to_numpy()
            .sum()
            == 5
        )


class TestCapacity:
    @pytest.fixture
    def firms(self):
        rng = np.random.default_rng(2)
        return pd.DataFrame(
            rng.normal(size=(20, 3)), columns=["g", "e", "x"], index=[f"f{i}" for i in range(20)]
        )

    def test_zscore_and_minmax(self, firms):
        z = stats.zscore(firms, ddof=1).mean(axis=1)
        np.testing.assert_allclose(kflow.absorptive_capacity(firms, ["g", "e", "x"]), z)
        mm = ((firms - firms.min()) / (firms.max() - firms.min())).mean(axis=1)
        np.testing.assert_allclose(
            kflow.absorptive_capacity(firms, ["g", "e", "x"], method="minmax"), mm
        )

    def test_pca(self, firms):
        idx = kflow.absorptive_capacity_index(firms, ["g", "e", "x"], method="pca")
        Z = np.asarray(stats.zscore(firms, ddof=1))
        _, s, vt = np.linalg.svd(Z, full_matrices=False)
        v = vt[0] * np.sign(vt[0].sum())
        np.testing.assert_allclose(idx.weights, v, atol=1e-10)
        np.testing.assert_allclose(idx.scores, Z @ v, atol=1e-10)
        assert idx.explained_variance == pytest.approx(s[0] ** 2 / (s**2).sum())


def test_link_upgrading_on_the_synthetic_cluster():
    s = kflow.datasets.simulate_cluster(40, seed=3)
    a = kflow.link_upgrading(s, n_permutations=199, seed=11)
    b = kflow.link_upgrading(s, n_permutations=199, seed=11)
    pd.testing.assert_frame_equal(a.correlations, b.correlations)
    pd.testing.assert_frame_equal(a.omnibus, b.omnibus)
    assert (a.seed, a.n_permutations) == (11, 199)
    assert set(a.correlations["y"]) == {
        "product",
        "process",
        "functional",
        "intersectoral",
        "upgrading_sum",
    }
    assert a.homophily is not None and a.capacity is not None
    assert "Network positions and upgrading" in a.summary()
    bad = s.firms.copy()
    bad.loc[bad.index[0], "product"] = 4
    broken = kflow.Survey(
        firms=bad, ties=s.ties, external=s.external, meta=s.meta, validation=s.validation
    )
    with pytest.raises(kflow.DataError, match="column 'product': value 4 is not on the 0-3"):
        kflow.link_upgrading(broken, n_permutations=9)


def test_effect_size_intervals_agree_with_scipy_bootstrap():
    from scipy import stats as st

    rng = np.random.default_rng(4)
    groups = [rng.normal(m, 1.0, 14).round(1) for m in (0.0, 0.6, 1.4)]
    data = pd.DataFrame({"g": np.repeat(["a", "b", "c"], 14), "y": np.concatenate(groups)})
    res = kflow.compare_groups(data, "y", by="g", n_permutations=0, seed=1, n_bootstrap=20_000)

    def eps(*samples):
        n = sum(len(x) for x in samples)
        return st.kruskal(*samples).statistic / (n - 1)

    ref = st.bootstrap(groups, eps, method="percentile", n_resamples=4_000, random_state=2,
                       vectorized=False).confidence_interval
    omnibus = res.omnibus.iloc[0]
    assert omnibus["effect_ci_low"] == pytest.approx(ref.low, abs=0.03)
    assert omnibus["effect_ci_high"] == pytest.approx(ref.high, abs=0.03)

    def rank_biserial(x, y):
        return 2 * st.mannwhitneyu(x, y).statistic / (len(x) * len(y)) - 1

    ref = st.bootstrap(groups[:2], rank_biserial, method="percentile", n_resamples=4_000,
                       random_state=3, vectorized=False).confidence_interval
    pair = res.pairwise.iloc[0]
    assert (pair["group_1"], pair["group_2"]) == ("a", "b")
    assert pair["effect_ci_low"] == pytest.approx(ref.low, abs=0.04)
    assert pair["effect_ci_high"] == pytest.approx(ref.high, abs=0.04)
    assert pair["effect_ci_low"] < pair["effect_size"] < pair["effect_ci_high"]


@pytest.mark.parametrize("model", ["ols", "ordered_logit", "negbin", "logit"])
def test_regression_summary_reads_the_same_at_any_time(model):
    # statsmodels prints the date and time into its table; the summary leaves them out, so the
    # same fit reads the same (and str() equals summary() even across a second's change).
    rng = np.random.default_rng(1)
    x = rng.normal(size=80)
    data = pd.DataFrame({
        "x": x,
        "ols": x + rng.normal(size=80),
        "ordered_logit": np.clip(np.round(1.5 + x + rng.normal(size=80)), 0, 3),
        "negbin": rng.poisson(np.exp(0.5 + 0.3 * x)),
        "logit": (x + rng.normal(size=80) > 0).astype(int),
    })
    r = kflow.regress(data, model, ["x"], model=model)
    text = r.summary()
    printed = str(r.result.summary())
    assert "Date:" in printed and "Time:" in printed
    assert "Date:" not in text and "Time:" not in text
    assert len(text) == len(printed)  # the cells are blanked, the table keeps its layout
    assert str(r) == text
