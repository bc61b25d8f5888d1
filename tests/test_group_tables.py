"""Group comparisons through tables of counts: the random tables follow the law of a random
relabelling, and every permutation path (tables for ratings, shuffles for many distinct values)
gives the p-value that full enumeration or scipy's own permutation test gives."""

from __future__ import annotations

import itertools
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import kflow
from kflow.outcomes._tables import FEW_LEVELS, midranks, random_tables, tables_of


def test_random_tables_follow_relabelling_law():
    values = np.array([0, 0, 1, 2, 2, 2, 3])
    groups = np.array([0, 0, 1, 1, 2, 2, 2])
    # Law of the table under every relabelling (7! orders, by enumeration of label orders).
    exact = Counter()
    labellings = list(itertools.permutations(groups))
    for labels in labellings:
        table = np.zeros((3, 4), dtype=int)
        np.add.at(table, (np.array(labels), values), 1)
        exact[table.tobytes()] += 1
    k = 60_000
    drawn = random_tables(np.bincount(groups), np.bincount(values), k, np.random.default_rng(0))
    assert (drawn.sum(axis=2) == np.bincount(groups)).all()
    assert (drawn.sum(axis=1) == np.bincount(values)).all()
    seen = Counter(t.astype(int).tobytes() for t in drawn)
    assert set(seen) <= set(exact)
    for key, count in exact.items():
        expected = count / len(labellings)
        assert seen[key] / k == pytest.approx(expected, abs=4 * np.sqrt(expected / k) + 1e-3)


def test_midranks_and_tables_equal_rankdata():
    rng = np.random.default_rng(1)
    level = rng.integers(0, 5, size=(30, 40))
    group = rng.integers(0, 3, size=(30, 40))
    tables = tables_of(group, level, 3, 5)
    t = tables.sum(axis=1)
    sums = np.einsum("kgl,kl->kg", tables, midranks(t))
    ranks = stats.rankdata(level, axis=1)
    for g in range(3):
        np.testing.assert_array_equal(sums[:, g], (ranks * (group == g)).sum(axis=1))


def _kruskal_reference(y: np.ndarray, labels: np.ndarray, n: int, seed: int) -> float:
    """scipy's permutation test of the Kruskal-Wallis statistic (its own resampling)."""
    samples = [y[labels == g] for g in np.unique(labels)]
    res = stats.permutation_test(
        samples,
        lambda *s: stats.kruskal(*s).statistic,
        permutation_type="independent",
        n_resamples=n,
        alternative="greater",
        rng=np.random.default_rng(seed),
    )
    return res.pvalue


@pytest.mark.parametrize("levels", [4, 40])
def test_kruskal_permutation_p_both_paths(levels):
    rng = np.random.default_rng(levels)
    labels = np.repeat([0, 1, 2], [9, 11, 10])
    y = rng.integers(0, levels, size=30).astype(float) + 0.4 * labels
    assert (len(np.unique(y)) <= FEW_LEVELS) == (levels == 4)
    d = pd.DataFrame({"role": np.array(list("abc"))[labels], "y": y})
    g = kflow.compare_groups(d, "y", n_permutations=20_000, seed=3, n_bootstrap=0)
    ref = _kruskal_reference(y, labels, 4_000, seed=5)
    assert g.omnibus.iloc[0]["p_permutation"] == pytest.approx(ref, abs=0.03)


@pytest.mark.parametrize("levels", [4, 60])
def test_mann_whitney_permutation_p_both_paths(levels):
    rng = np.random.default_rng(levels)
    x = rng.integers(0, levels, size=25).astype(float)
    z = rng.integers(0, levels, size=30).astype(float) + levels / 8
    d = pd.DataFrame({"role": ["a"] * 25 + ["b"] * 30, "y": np.concatenate([x, z])})
    row = kflow.compare_groups(d, "y", n_permutations=20_000, seed=1, n_bootstrap=0).pairwise
    assert row.iloc[0]["p_method"] == "permutation"

    def u(a, b, axis):
        return stats.mannwhitneyu(a, b, axis=axis).statistic

    ref = stats.permutation_test(
        (x, z), u, vectorized=True, n_resamples=20_000, rng=np.random.default_rng(2)
    ).pvalue
    assert row.iloc[0]["p_exact_or_permutation"] == pytest.approx(ref, abs=0.02)


def test_binary_chi_square_permutation_through_tables():
    # Larger than test_outcomes' enumeration case: the reference is scipy's permutation test.
    rng = np.random.default_rng(7)
    labels = np.repeat([0, 1, 2], [20, 25, 15])
    y = (rng.random(60) < np.array([0.3, 0.5, 0.7])[labels]).astype(float)
    d = pd.DataFrame({"role": np.array(list("abc"))[labels], "y": y})
    g = kflow.compare_groups(d, "y", n_permutations=20_000, seed=2, n_bootstrap=0)

    def chi2(*samples):
        table = [[s.sum(), len(s) - s.sum()] for s in samples]
        return stats.chi2_contingency(table, correction=False)[0]

    ref = stats.permutation_test(
        [y[labels == k] for k in range(3)],
        chi2,
        permutation_type="independent",
        n_resamples=4_000,
        alternative="greater",
        rng=np.random.default_rng(4),
    ).pvalue
    assert g.omnibus.iloc[0]["p_permutation"] == pytest.approx(ref, abs=0.03)
