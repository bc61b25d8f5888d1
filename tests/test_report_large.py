"""The report of a large network: backbone sociogram, sampled path counts and no QAP above the
documented sizes (made small here, so that a bundled cluster stands for a national network)."""

from __future__ import annotations

import json
import re
import sys

import igraph as ig
import networkx as nx
import numpy as np
import pytest

import kflow
from kflow.exceptions import DataError
from kflow.reporting import build_model
from kflow.reporting import sections as S

FAST = {"n_resamples": 20, "n_permutations": 99}


@pytest.fixture
def small_limits(monkeypatch):
    monkeypatch.setattr(S, "SOCIOGRAM_FIRMS", 8)
    monkeypatch.setattr(S, "PATHS_EXACT_FIRMS", 8)
    monkeypatch.setattr(S, "PATH_SOURCES", 6)


def test_sociogram_of_a_large_network_draws_its_backbone(small_limits):
    s = kflow.datasets.load_dataset("example_cluster")
    model = build_model(s, seed=0, **FAST)
    # The 8 firms with most ties, counted by networkx; equal degrees broken by the firm order.
    g = nx.DiGraph(list(zip(s.ties["source"], s.ties["target"], strict=True)))
    g.add_nodes_from(s.firm_ids)
    degree = {f: g.in_degree(f) + g.out_degree(f) for f in s.firm_ids}
    expected = sorted(s.firm_ids, key=lambda f: (-degree[f], s.firm_ids.index(f)))[:8]
    drawn = json.loads(model.sections["sociogram"]["data"])
    # Labels read "name (id)".
    assert sorted(re.search(r"\((\w+)\)$", f["label"]).group(1) for f in drawn["firms"]) == sorted(
        expected)
    inside = sum(1 for a, b in g.edges if a in expected and b in expected)
    assert len(drawn["ties"]) == inside
    caption = model.captions["sociogram"]
    assert f"the 8 firms with most ties and the {inside} ties among them" in caption
    assert f"{s.n_firms} firms" in caption
    # Every firm stays in the roles table.
    assert len(model.sections["roles"]["table"]) == s.n_firms


def test_network_summary_of_a_large_network_samples_paths(small_limits, tmp_path):
    s = kflow.datasets.load_dataset("example_cluster")
    model = build_model(s, seed=3, **FAST)
    summary = model.sections["network"]["summary"]["value"]
    expected = kflow.network_summary(s, k=6, seed=3)["betweenness_centralization"]
    assert summary["betweenness_centralization"] == pytest.approx(expected)
    note = model.sections["network"]["notes"][0]
    assert "6 source firms" in note and "seed 3" in note
    out = kflow.report(s, tmp_path, seed=3, **FAST)
    assert "6 source firms" in (tmp_path / "report.md").read_text(encoding="utf-8")
    assert out is not None


def test_sampled_betweenness_centralization_by_hand():
    s = kflow.datasets.load_dataset("example_cluster")
    n = s.n_firms
    # The sources centrality(k=7, seed=5) draws, igraph's betweenness from them scaled by n/k
    # (Brandes and Pich 2007), and Freeman's centralization by hand.
    sources = np.sort(np.random.default_rng(5).choice(n, size=7, replace=False))
    g = ig.Graph(n=n, edges=[(s.firm_ids.index(a), s.firm_ids.index(b))
                             for a, b in zip(s.ties["source"], s.ties["target"], strict=True)],
                 directed=True)
    raw = np.asarray(g.betweenness(directed=True, sources=sources.tolist())) * n / 7
    by_hand = float((raw.max() - raw).sum()) / ((n - 1) ** 2 * (n - 2))
    sampled = kflow.network_summary(s, k=7, seed=5)
    assert sampled["betweenness_centralization"] == pytest.approx(by_hand)
    assert sampled.attrs["path_sources"] == 7
    exact = kflow.network_summary(s)
    assert kflow.network_summary(s, k=n, seed=1)["betweenness_centralization"] == pytest.approx(
        exact["betweenness_centralization"])
    assert exact.attrs["path_sources"] == n
    with pytest.raises(kflow.KflowError, match="k"):
        kflow.network_summary(s, k=0)


def test_qap_refuses_more_firms_than_it_can_relabel(monkeypatch):
    monkeypatch.setattr(sys.modules["kflow.outcomes.qap"], "QAP_MAX_FIRMS", 5)
    y = np.random.default_rng(0).random((6, 6))
    with pytest.raises(DataError, match=re.escape("6 firms is more than the 5")):
        kflow.qap(y, y, n_permutations=9)
    assert kflow.qap(y[:5, :5], y[:5, :5], n_permutations=9).n_firms == 5


def test_upgrading_link_says_when_capacity_homophily_is_not_tested(monkeypatch):
    import kflow.outcomes.link as L

    s = kflow.datasets.load_dataset("wine_cluster")
    monkeypatch.setattr(L, "QAP_MAX_FIRMS", 5)
    link = kflow.link_upgrading(s, n_permutations=19, seed=0)
    assert link.homophily is None
    assert any("capacity homophily (QAP) not tested" in n for n in link.notes)
