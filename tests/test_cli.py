"""The command line, run in-process through main(argv)."""

from __future__ import annotations

import threading

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
    assert "needs --orientation" in capsys.readouterr().err
    assert main(["validate", str(EXAMPLE / "ties.csv"), "--orientation", "sideways"]) == 2
    assert "invalid choice" in capsys.readouterr().err
    assert main([]) == 2
    assert main(["--version"]) == 0


SURVEY = [
    str(EXAMPLE / "ties.csv"),
    "--orientation",
    "asks",
    "--firms",
    str(EXAMPLE / "firms.csv"),
    "--external",
    str(EXAMPLE / "external.csv"),
]


def test_measures_roles_brokerage_link_write_tables(tmp_path, capsys):
    import pandas as pd

    import kflow

    survey = kflow.read_survey(
        EXAMPLE / "ties.csv",
        orientation="asks",
        firms=EXAMPLE / "firms.csv",
        external=EXAMPLE / "external.csv",
    )
    out = tmp_path / "m.csv"
    assert main(["measures", *SURVEY, "-o", str(out)]) == 0
    table = pd.read_csv(out, dtype={"firm_id": str}).set_index("firm_id")
    expected = kflow.centrality(survey).join(kflow.external_openness(survey))
    pd.testing.assert_frame_equal(table, expected, check_dtype=False, check_index_type=False)

    assert main(["roles", *SURVEY, "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert '"role":"technological_gatekeeper"' in captured.out
    assert "strictly above" in captured.err

    pq = tmp_path / "b.parquet"
    assert main(["brokerage", *SURVEY, "--format", "parquet", "-o", str(pq)]) == 0
    b = pd.read_parquet(pq).set_index("firm_id")
    pd.testing.assert_series_equal(
        b["gatekeeper"], kflow.brokerage(survey).raw["gatekeeper"], check_index_type=False
    )

    # The example cluster has no outcome columns: an error naming the columns found (exit 2),
    # not an empty table; the demo cluster has them.
    assert main(["link", *SURVEY, "--permutations", "99", "-o", str(tmp_path / "l.csv")]) == 2
    assert "--outcomes" in capsys.readouterr().err
    link = ["link", "--dataset", "wine_cluster", "--permutations", "99"]
    assert main([*link, "-o", str(tmp_path / "l.csv")]) == 0
    assert (tmp_path / "l.csv").exists()


def test_report_and_demo(tmp_path, capsys):
    out = tmp_path / "r"
    assert (
        main(
            [
                "report",
                *SURVEY,
                "-o",
                str(out),
                "--resamples",
                "20",
                "--permutations",
                "99",
                "--anonymize",
                "--salt",
                "k",
            ]
        )
        == 0
    )
    assert (out / "report.html").exists()
    assert "Bodega Norte" not in (out / "report.html").read_text(encoding="utf-8")
    demo = tmp_path / "demo"
    assert main(["demo", "-o", str(demo), "--resamples", "20", "--permutations", "99"]) == 0
    assert "report written to" in capsys.readouterr().out
    assert (demo / "report.md").exists() and (demo / "tables" / "roles.csv").exists()


def test_datasets_command(capsys):
    assert main(["datasets"]) == 0
    assert "wine_cluster" in capsys.readouterr().out
    assert main(["datasets", "krackhardt_advice"]) == 0
    assert "Krackhardt" in capsys.readouterr().out
    assert main(["datasets", "nope"]) == 2
    err = capsys.readouterr().err
    assert "No dataset named 'nope'" in err and "Traceback" not in err


def test_usage_errors_exit_2(capsys):
    assert main(["measures", *SURVEY, "--format", "parquet"]) == 2
    assert "needs -o FILE" in capsys.readouterr().err
    assert main(["report", *SURVEY]) == 2  # -o is required
    assert main(["frobnicate"]) == 2


def test_progress_bar_in_a_terminal(capsys):
    from kflow.cli import progress_bar
    from kflow.reporting import N_STEPS as REPORT_STEPS

    assert progress_bar(False) is None
    threads = threading.active_count()
    show = progress_bar(True)
    # no thread of its own, which would keep the report from forking its resampling
    assert threading.active_count() == threads
    for k in range(REPORT_STEPS):
        show(f"step {k}")
    err = capsys.readouterr().err
    assert "[" + "#" * 20 + "]" in err and f"{REPORT_STEPS}/{REPORT_STEPS}" in err
    assert err.endswith("\n")
