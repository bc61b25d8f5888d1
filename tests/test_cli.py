"""The command line, run in-process through main(argv)."""

from __future__ import annotations

from conftest import DATASETS

from kflow.cli import main

EXAMPLE = DATASETS / "example_cluster"


def test_validate_prints_the_report(capsys):
    code = main(
        [
            "validate",
            str(EXAMPLE / "ties.csv"),
            "--orientation",
            "asks",
            "--firms",
            str(EXAMPLE / "firms.csv"),
            "--external",
            str(EXAMPLE / "external.csv"),
            "--scale",
            "0",
            "3",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "18 records read, 15 used, 3 dropped" in out
    assert "response rate 90.0%" in out
    assert "10 firms, 15 knowledge ties" in out


def test_bad_input_exits_2_with_one_message(capsys, tmp_path):
    bad = tmp_path / "t.csv"
    bad.write_text("respondent,alter,value\nA,B,lots\n")
    code = main(["validate", str(bad), "--orientation", "asks"])
    err = capsys.readouterr().err
    assert code == 2
    assert "line 2, column 'value': value 'lots'" in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_missing_orientation_and_usage_errors(capsys):
    assert main(["validate", str(EXAMPLE / "ties.csv")]) == 2
    assert "needs orientation=" in capsys.readouterr().err
    assert main(["validate", str(EXAMPLE / "ties.csv"), "--orientation", "sideways"]) == 2
    assert "invalid choice" in capsys.readouterr().err
    assert main([]) == 2
    assert main(["--version"]) == 0
