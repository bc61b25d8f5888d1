"""Reliability: no crash on ordinary input, no silent change, output folders kflow owns."""

from __future__ import annotations

import pandas as pd
import pytest

import kflow
from kflow.cli import main

FAST = {"n_resamples": 10, "n_permutations": 19}


def test_ctrl_c_exits_130_with_one_line(monkeypatch, capsys):
    from kflow.cli import commands

    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setitem(commands.COMMANDS, "datasets", interrupted)
    assert main(["datasets"]) == 130
    assert capsys.readouterr().err.strip() == "kflow: interrupted"


def test_unexpected_error_says_how_to_see_the_traceback(monkeypatch, capsys):
    from kflow.cli import commands

    def broken(args):
        raise RuntimeError("boom")

    monkeypatch.setitem(commands.COMMANDS, "datasets", broken)
    assert main(["datasets"]) == 1
    err = capsys.readouterr().err
    assert "RuntimeError: boom" in err and "--debug" in err and "Traceback" not in err
    assert main(["--debug", "datasets"]) == 1
    assert "Traceback" in capsys.readouterr().err


@pytest.mark.parametrize("flag", [["--seed", "-1"], ["--permutations", "-1"]])
def test_negative_counts_exit_2(flag, capsys):
    assert main(["link", "--dataset", "wine_cluster", *flag]) == 2
    assert "must be" in capsys.readouterr().err


def test_corrupt_meta_json_exits_2(tmp_path, capsys):
    s = kflow.datasets.load_network("example_cluster")
    folder = kflow.write_survey(s, tmp_path / "saved")
    (folder / "meta.json").write_text("{not json", encoding="utf-8")
    assert main(["validate", str(folder)]) == 2
    assert "meta.json: is not the JSON" in capsys.readouterr().err


def test_line_numbers_count_line_breaks_inside_quoted_cells(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('respondent,alter,value,comment\nA,B,1,"two\nlines"\nB,C,lots,x\n')
    with pytest.raises(kflow.SurveyError, match=r"t.csv, line 4, column 'value': value 'lots'"):
        kflow.read_survey(path, orientation="asks")


def test_report_replaces_its_own_folder_and_never_follows_a_symlink(tmp_path):
    s = kflow.datasets.load_network("example_cluster")
    out = kflow.report(s, tmp_path / "r", formats=("html", "md", "csv"), **FAST)
    outside = tmp_path / "precious.html"
    outside.write_text("keep me")
    (out / "report.html").unlink()
    (out / "report.html").symlink_to(outside)
    (out / "stale.txt").write_text("from an earlier run")
    out = kflow.report(s, out, formats=("html",), **FAST)
    assert outside.read_text() == "keep me"
    assert not (out / "report.html").is_symlink()
    assert sorted(p.name for p in out.iterdir()) == [".kflow-report.json", "report.html"]


def test_a_failed_report_leaves_the_earlier_one_whole(tmp_path, monkeypatch):
    s = kflow.datasets.load_network("example_cluster")
    out = kflow.report(s, tmp_path / "r", **FAST)
    before = {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    from kflow.reporting import output

    def fail(*args, **kwargs):
        raise RuntimeError("killed mid-run")

    monkeypatch.setattr(output, "write_tables", fail)
    with pytest.raises(RuntimeError):
        kflow.report(s, out, **FAST)
    after = {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".r.")]


def test_brokerage_simulation_limit_names_firms_and_outside_actors(monkeypatch):
    import importlib

    module = importlib.import_module("kflow.roles.brokerage")
    monkeypatch.setattr(module, "MAX_NODES", 12)
    s = kflow.datasets.load_network("example_cluster")
    with pytest.raises(kflow.KflowError, match=r"10 firms, 5 outside actors"):
        kflow.brokerage(s, n_simulations=10)
    # the counts themselves are sparse and have no limit
    assert len(kflow.brokerage(s).raw) == 10
    assert len(kflow.brokerage(s, include_external=False, n_simulations=10, seed=1).raw) == 10


def test_sum_of_repeated_answers_cannot_overflow():
    ties = pd.DataFrame({"source": ["A", "A"], "target": ["B", "B"], "weight": [1e308, 1e308]})
    with pytest.raises(kflow.SurveyError, match="too large to be a tie value"):
        kflow.read_survey(ties, orientation="flow", duplicates="sum")


def test_write_and_read_back_an_empty_survey_and_mixed_columns(tmp_path):
    firms = pd.DataFrame({"firm_id": ["A", "B", "C"], "code": [0, "x", None], 0: [1.5, 2.5, 3.5]})
    empty = kflow.read_survey(pd.DataFrame({"respondent": ["A"], "alter": ["B"], "value": [0]}),
                              orientation="asks", firms=firms)
    assert len(empty.ties) == 0 and empty.firms["code"].tolist() == ["0", "x", None]
    back = kflow.read_survey(kflow.write_survey(empty, tmp_path / "e"))
    pd.testing.assert_frame_equal(back.firms, empty.firms)
    pd.testing.assert_frame_equal(back.ties, empty.ties)
    assert back.meta["orientation"] == "asks"
