"""Hostile inputs: every file of tests/data/hostile gives the outcome its manifest states."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

import kflow

HOSTILE = Path(__file__).parent / "data" / "hostile"
with (HOSTILE / "manifest.csv").open(encoding="utf-8", newline="") as _manifest:
    CASES = list(csv.DictReader(_manifest))


def test_every_file_is_in_the_manifest():
    listed = {case["file"] for case in CASES}
    skip = ("manifest.csv", "README.md")
    present = {p.name for p in HOSTILE.iterdir() if p.is_file() and p.name not in skip}
    assert listed == present


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["file"])
def test_hostile_input(case):
    path = HOSTILE / case["file"]
    read = {"orientation": case["orientation"], "scale": (0, 3)}
    read.update(json.loads(case["options"] or "{}"))
    if case["as"] in ("firms", "external"):
        read[case["as"]] = path
        path = HOSTILE / "_base" / "ties.csv"
    if case["expect"] == "error":
        with pytest.raises(kflow.KflowError) as info:
            kflow.read_survey(path, **read)
        message = str(info.value)
        assert re.search(case["check"], message), message
        assert "Traceback" not in message
        return
    survey = kflow.read_survey(path, **read)
    v = survey.validation
    assert (v.tables["records_read"] == v.tables["records_used"]
            + v.tables["records_dropped"]).all()
    text = " ".join(v.notes) + " " + " ".join(map(str, v.dropped["row"]))
    for check in case["check"].split("|"):
        key, _, value = check.partition("=")
        if key == "ties":
            assert len(survey.ties) == int(value)
        elif key == "firm":
            assert value in survey.firm_ids, (value, survey.firm_ids)
        elif key == "note":
            assert value in " ".join(v.notes)
        elif key == "attr":
            column, _, expected = value.partition(":")
            assert survey.firms[column].iloc[0] == expected, survey.firms[column].tolist()
        elif key == "line":
            assert value in text or int(value) == v.tables.loc["ties", "records_read"] + 2
