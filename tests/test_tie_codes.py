"""A survey read from files keeps its ties as integer codes into its firms index.

Every view of the codes (the ``ties`` table, layers, selections, the measures) is checked
against the same survey after its table has been built, when kflow looks the ids up in the
roster instead: two ways of reaching the same numbers.
"""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pandas as pd
import pytest

import kflow
from kflow._tiecodes import held_codes


def _read_panel() -> kflow.Survey:
    return kflow.datasets.load_network("wine_cluster_panel")


def _two_relations() -> kflow.Survey:
    ties = pd.DataFrame(
        {
            "source": ["f10", "f2", "f2", "f3", "f1", "f3", "f10", "f1"],
            "target": ["f2", "f10", "f3", "f1", "f3", "f10", "f3", "f2"],
            "relation": ["advice", "advice", "advice", "advice", "trade", "trade", "trade",
                         "trade"],
            "weight": [1, 2, 3, 1, 2, 1, 3, 2],
        }
    )
    ext = pd.DataFrame({"firm_id": ["f1", "f1", "f3"], "actor": ["Uni", "Lab", "Uni"]})
    return kflow.read_survey(ties, orientation="flow", external=ext)


def _as_table(survey: kflow.Survey) -> kflow.Survey:
    """The same survey with its ties table built (its codes let go)."""
    other = copy.copy(survey)
    other.ties  # noqa: B018 - building the table is the point
    assert held_codes(other) is None
    assert held_codes(survey) is not None
    return other


def test_read_surveys_hold_codes_until_the_table_is_read():
    s = _read_panel()
    codes = held_codes(s)
    assert codes is not None
    # Counting, printing and measuring do not build the table.
    n = s.n_ties
    assert f"{n} ties" in repr(s)
    kflow.centrality(s, measures=["in_degree"], wave="1")
    kflow.classify_roles(s, wave="2")
    s.layer(wave="1")
    assert held_codes(s) is codes
    table = s.ties
    assert held_codes(s) is None
    assert len(table) == n
    assert s.ties is table  # built once


def test_codes_are_read_only_and_the_table_is_the_users():
    s = _read_panel()
    codes = held_codes(s)
    for values in (codes.source, codes.target, codes.weight, codes.relation, codes.wave):
        assert not values.flags.writeable
    with pytest.raises(ValueError):
        codes.weight[0] = 5.0
    s.ties.loc[0, "weight"] = 2.5
    assert s.ties.loc[0, "weight"] == 2.5


def test_table_edited_in_place_is_what_measures_read():
    s = _read_panel()
    first = s.ties.iloc[0]
    options = {"measures": ["in_strength"], "weighted": True, "normalized": False,
               "wave": first["wave"], "missing": "zero"}
    before = kflow.centrality(s, **options)["in_strength"]
    s.ties.loc[0, "weight"] = first["weight"] + 10
    change = kflow.centrality(s, **options)["in_strength"] - before
    # Only the edited tie's target gains, by the 10 added.
    assert change[change != 0].to_dict() == {first["target"]: 10.0}


@pytest.mark.parametrize("make", [_read_panel, _two_relations])
def test_layers_and_selections_agree_with_the_table(make):
    s = make()
    t = _as_table(s)
    pd.testing.assert_frame_equal(s.ties, t.ties)
    s = make()
    for relation in s.relations:
        for wave in s.waves or [None]:
            # Same rows, same labels (a tie's row in the whole table).
            pd.testing.assert_frame_equal(s.layer(relation, wave), t.layer(relation, wave))
    choices = [{"relation": r} for r in s.relations] + [{"wave": w} for w in s.waves]
    for choice in choices:
        a, b = s.select(**choice), t.select(**choice)
        assert held_codes(a) is not None
        pd.testing.assert_frame_equal(a.firms, b.firms)
        pd.testing.assert_frame_equal(a.external, b.external)
        assert a.meta == b.meta
        assert a.validation.summary() == b.validation.summary()
        pd.testing.assert_frame_equal(a.ties, b.ties)


def test_selected_wave_renumbers_firms():
    s = _read_panel()
    for wave in s.waves:
        sel = s.select(wave=wave)
        codes = held_codes(sel)
        absent = set(s.absent(wave))
        assert absent and absent.isdisjoint(sel.firm_ids)
        assert codes.source.max() < sel.n_firms and codes.target.max() < sel.n_firms
        # The ties as ids are those of the wave in the whole survey.
        whole = s.layer(wave=wave)
        assert set(zip(sel.ties["source"], sel.ties["target"], strict=True)) == set(
            zip(whole["source"], whole["target"], strict=True))


@pytest.mark.parametrize("make", [_read_panel, _two_relations])
def test_measures_agree_with_and_without_codes(make):
    s = make()
    t = _as_table(s)
    layer = {"relation": s.relations[0]} | ({"wave": s.waves[-1]} if s.waves else {})
    for missing in ("nan", "zero", "reconstruct"):
        if missing == "reconstruct" and s.meta.get("reported_side") is None:
            continue
        pd.testing.assert_frame_equal(
            kflow.centrality(s, missing=missing, **layer),
            kflow.centrality(t, missing=missing, **layer),
        )
    pd.testing.assert_frame_equal(kflow.external_openness(s, **layer),
                                  kflow.external_openness(t, **layer))
    roles_s, roles_t = kflow.classify_roles(s, **layer), kflow.classify_roles(t, **layer)
    pd.testing.assert_frame_equal(roles_s.table, roles_t.table)
    assert roles_s.thresholds == roles_t.thresholds
    pd.testing.assert_series_equal(kflow.network_summary(s, **layer),
                                   kflow.network_summary(t, **layer))
    a = kflow.brokerage(s, include_external=False, **layer)
    b = kflow.brokerage(t, include_external=False, **layer)
    pd.testing.assert_frame_equal(a.raw, b.raw)
    assert held_codes(s) is not None


def test_pickled_survey_keeps_its_ties():
    s = _read_panel()
    again = pickle.loads(pickle.dumps(s))
    pd.testing.assert_frame_equal(again.ties, s.ties)
    pd.testing.assert_frame_equal(again.firms, s.firms)


def test_tie_order_is_relation_wave_then_roster_order():
    s = _two_relations()
    t = s.ties
    # Hand-checked: relations sorted, then natural order of source and target (f2 before f10).
    assert t[["relation", "source", "target"]].values.tolist() == [
        ["advice", "f2", "f3"], ["advice", "f2", "f10"], ["advice", "f3", "f1"],
        ["advice", "f10", "f2"], ["trade", "f1", "f2"], ["trade", "f1", "f3"],
        ["trade", "f3", "f10"], ["trade", "f10", "f3"],
    ]
    assert t["weight"].tolist() == [3.0, 2.0, 1.0, 1.0, 2.0, 2.0, 1.0, 3.0]
    assert np.array_equal(held_codes(_two_relations()).relation, [0, 0, 0, 0, 1, 1, 1, 1])


@pytest.mark.parametrize("name", ["knoke_information", "wine_cluster_panel"])
def test_firms_reordered_in_place_keep_the_ties_right(name):
    import warnings

    s, fresh = (kflow.datasets.load_network(name) for _ in range(2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas deprecates inplace=; users still write it
        s.firms.sort_values("name", ascending=False, inplace=True)  # noqa: PD002 - the point
    assert s.firm_ids != fresh.firm_ids and sorted(s.firm_ids) == sorted(fresh.firm_ids)
    # The codes count firms in the old order: measures (first, before the table is read) and
    # the table both stay right.
    wave = fresh.waves[0] if fresh.waves else None
    pd.testing.assert_frame_equal(kflow.centrality(s, wave=wave).sort_index(),
                                  kflow.centrality(fresh, wave=wave).sort_index())
    assert held_codes(s) is None
    pd.testing.assert_frame_equal(s.ties, fresh.ties)


def test_adding_a_firm_attribute_keeps_the_codes():
    s = _read_panel()
    codes = held_codes(s)
    s.firms["size"] = range(s.n_firms)
    assert held_codes(s) is codes


@pytest.mark.parametrize("make", [_read_panel, _two_relations])
def test_external_positions_held_by_the_reader_are_those_a_lookup_finds(make):
    import gc

    from kflow._memo import _HELD
    from kflow._positions import external_positions

    survey = make()
    held = external_positions(survey)
    ids = survey.firm_ids
    looked_up = [ids.index(f) if f in ids else -1 for f in survey.external["firm_id"]]
    assert held.tolist() == looked_up and not held.flags.writeable
    # A survey made from it (one wave, a copy) has positions of its own.
    for other in (copy.deepcopy(survey), survey.select(relation=survey.relations[0])):
        ids = other.firm_ids
        assert external_positions(other).tolist() == [
            ids.index(f) if f in ids else -1 for f in other.external["firm_id"]]
    key = ("external", id(survey))
    assert key in _HELD
    del survey, other
    gc.collect()
    assert key not in _HELD  # forgotten with its survey
