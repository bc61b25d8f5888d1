"""Properties of reading surveys, checked on generated inputs (hypothesis, derandomized: the
same examples in every run, so CI is reproducible)."""

from __future__ import annotations

import string
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kflow

SETTINGS = settings(max_examples=60, derandomize=True, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
IDS = st.sampled_from(["A", "B", "C", "D", "E", "F", "007", "Café", "x y"])


@st.composite
def answers(draw):
    """A roster answer table: distinct (respondent, alter) pairs with values 0-3."""
    pairs = draw(st.lists(st.tuples(IDS, IDS), min_size=1, max_size=14, unique=True))
    values = draw(st.lists(st.integers(0, 3), min_size=len(pairs), max_size=len(pairs)))
    return pd.DataFrame({"respondent": [a for a, _ in pairs], "alter": [b for _, b in pairs],
                         "value": values})


def _read(frame: pd.DataFrame, **options):
    return kflow.read_survey(frame, orientation="asks", scale=(0, 3), **options)


@SETTINGS
@given(text=st.text(alphabet=string.printable + "éü\u200b;\u201c", max_size=200))
def test_loaders_raise_only_kflow_errors(text):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ties.csv"
        path.write_text(text, encoding="utf-8")
        try:
            s = kflow.read_survey(path, orientation="asks")
        except kflow.KflowError:
            return
        t = s.validation.tables
        assert (t["records_read"] == t["records_used"] + t["records_dropped"]).all()


@SETTINGS
@given(frame=answers(), seed=st.integers(0, 2**16))
def test_row_order_does_not_matter(frame, seed):
    try:
        a = _read(frame)
    except kflow.SurveyError:
        return
    shuffled = frame.sample(frac=1.0, random_state=seed)
    b = _read(shuffled)
    pd.testing.assert_frame_equal(a.ties, b.ties)
    pd.testing.assert_frame_equal(a.firms, b.firms)
    t = a.validation.tables
    assert (t["records_read"] == t["records_used"] + t["records_dropped"]).all()


@SETTINGS
@given(frame=answers())
def test_measures_follow_a_relabelling_of_the_firms(frame):
    try:
        a = _read(frame)
    except kflow.SurveyError:
        return
    ids = sorted(set(frame["respondent"]) | set(frame["alter"]))
    rename = {f: f"Z{k:02d}-{f}" for k, f in enumerate(reversed(ids))}
    b = _read(frame.replace({"respondent": rename, "alter": rename}))
    columns = ["out_degree", "in_degree", "betweenness", "closeness_out"]
    ca = kflow.centrality(a, measures=columns, missing="zero")
    cb = kflow.centrality(b, measures=columns, missing="zero")
    cb.index = [next(f for f, g in rename.items() if g == i) for i in cb.index]
    pd.testing.assert_frame_equal(ca, cb.loc[ca.index], check_names=False)


@SETTINGS
@given(frame=answers())
def test_an_isolated_firm_changes_only_what_it_should(frame):
    try:
        a = _read(frame)
    except kflow.SurveyError:
        return
    firms = pd.DataFrame({"firm_id": [*a.firm_ids, "ZZ-new"]})
    b = _read(frame, firms=firms)
    raw = ["out_degree", "in_degree", "out_strength", "in_strength"]
    ca = kflow.centrality(a, measures=raw, missing="zero")
    cb = kflow.centrality(b, measures=raw, missing="zero")
    pd.testing.assert_frame_equal(ca, cb.loc[ca.index])
    assert (cb.loc["ZZ-new"] == 0).all()
    assert kflow.network_summary(b)["n_isolates"] == kflow.network_summary(a)["n_isolates"] + 1


@SETTINGS
@given(frame=answers(), attribute=st.lists(st.floats(-5, 5, allow_nan=False), min_size=9,
                                           max_size=9))
def test_write_and_read_back_exactly(frame, attribute):
    ids = sorted(set(frame["respondent"]) | set(frame["alter"]))
    firms = pd.DataFrame({"firm_id": ids, "size": np.round(attribute[: len(ids)], 3),
                          "region": ["north" if k % 2 else "south" for k in range(len(ids))]})
    try:
        s = _read(frame, firms=firms)
    except kflow.SurveyError:
        return
    with tempfile.TemporaryDirectory() as folder:
        back = kflow.read_survey(kflow.write_survey(s, folder))
    pd.testing.assert_frame_equal(back.ties, s.ties)
    pd.testing.assert_frame_equal(back.firms, s.firms)
    pd.testing.assert_frame_equal(back.external, s.external)
    assert back.meta["orientation"] == s.meta["orientation"] == "asks"
    assert back.meta["scale"] == s.meta["scale"]
