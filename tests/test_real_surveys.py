"""Real surveys end to end: waves, relations, outside links as counts, the user's own columns.

One test per defect seen on a real two-wave survey, and the whole workflow through the command
line on the Kecskemet files (kept beside the project) and on the bundled two-wave panel.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import shared

import kflow
from kflow.cli import main

KEC = ("kecskemet_printing_cluster", "original_saom_cluster")
ATTRIBUTES = {
    "external_ties.csv": {"external links": "external_links"},
    "export.csv": {},
    "age.csv": {"Years in industry": "years_in_industry"},
    "emp.csv": {},
    "ownership.csv": {},
}


@pytest.fixture(scope="module")
def kecskemet(tmp_path_factory):
    """The files a researcher makes from the published ones: the two roster matrices kept as
    they are (semicolons, old-Mac line ends) and one firms table joining the attribute files."""
    folder = tmp_path_factory.mktemp("kecskemet")
    firms = None
    for name, rename in ATTRIBUTES.items():
        part = pd.read_csv(shared(*KEC, name), sep=";", index_col=0).rename(columns=rename)
        firms = part if firms is None else firms.join(part)
    firms.index.name = "firm_id"
    firms.to_csv(folder / "firms.csv")
    return {
        "waves": [str(shared(*KEC, "KNetwork1.csv")), str(shared(*KEC, "KNetwork2.csv"))],
        "firms": str(folder / "firms.csv"),
        "folder": folder,
    }


def _kec_args(k, *more):
    return [*k["waves"], "--orientation", "asks", "--wave-labels", "2012", "2015",
            "--membership", "infer", "--firms", k["firms"], *more]


def test_kecskemet_workflow_through_the_command_line(kecskemet, capsys):
    k = kecskemet
    out = k["folder"]
    assert main(["validate", *_kec_args(k)]) == 0
    assert "wave 2012: absent P31, P32" in capsys.readouterr().out
    assert main(["roles", *_kec_args(k, "--external-axis", "external_links", "--wave", "2012",
                                     "-o", str(out / "roles.csv"))]) == 0
    roles = pd.read_csv(out / "roles.csv").set_index("firm_id")
    assert "P31" not in roles.index and "P32" not in roles.index
    assert set(roles["role"]) == set(kflow.vocabulary.ROLES)
    assert main(["brokerage", *_kec_args(k, "-o", str(out / "b.csv"))]) == 0
    assert "outside -> firm -> local relays need" in capsys.readouterr().err
    assert main(["link", *_kec_args(k, "--outcomes", "export_vol,employee",
                                    "--capacity", "years_in_industry", "--permutations", "99",
                                    "-o", str(out / "link.csv"))]) == 0
    assert set(pd.read_csv(out / "link.csv")["y"]) == {"export_vol", "employee"}
    assert main(["compare", *_kec_args(k, "--external-axis", "external_links",
                                       "-o", str(out / "cmp.csv"))]) == 0
    cmp = pd.read_csv(out / "cmp.csv").set_index("firm_id")
    assert sorted(cmp.index[cmp["status"] == "entered"]) == ["P31", "P32"]
    assert sorted(cmp.index[cmp["status"] == "left"]) == ["P13", "P7"]
    assert main(["report", *_kec_args(k, "--external-axis", "external_links", "--outcomes",
                                      "export_vol", "--resamples", "30", "--permutations", "99",
                                      "-o", str(out / "report"))]) == 0
    html = (out / "report" / "report.html").read_text(encoding="utf-8")
    assert "Change between waves" in html and "P31, P32" in html


def test_kecskemet_2012_excludes_absent_firms_from_the_response_rate(kecskemet):
    s = kflow.read_survey(
        {"2012": kecskemet["waves"][0], "2015": kecskemet["waves"][1]},
        orientation="asks",
        membership="infer",
    )
    w2012 = s.select(wave=2012)
    assert w2012.n_firms == 26 and "P31" not in w2012.firm_ids
    assert w2012.response_rate == 1.0
    assert len(w2012.ties) == 223 and len(s.select(wave="2015").ties) == 181
    roles = kflow.classify_roles(s, wave="2012").table
    assert "P31" not in roles.index


def test_bundled_panel_workflow_through_the_command_line(tmp_path, capsys):
    data = ["--dataset", "wine_cluster_panel"]
    assert main(["validate", *data]) == 0
    assert "wave 1: absent W33, W34" in capsys.readouterr().out
    assert main(["roles", *data, "--wave", "1", "-o", str(tmp_path / "r.csv")]) == 0
    assert "W33" not in set(pd.read_csv(tmp_path / "r.csv")["firm_id"])
    assert main(["brokerage", *data, "-o", str(tmp_path / "b.csv")]) == 0
    assert main(["link", *data, "--outcomes", "product,process", "--permutations", "99",
                 "-o", str(tmp_path / "l.csv")]) == 0
    assert main(["compare", *data, "-o", str(tmp_path / "c.csv")]) == 0
    cmp = pd.read_csv(tmp_path / "c.csv").set_index("firm_id")
    assert sorted(cmp.index[cmp["status"] == "entered"]) == ["W33", "W34"]
    assert sorted(cmp.index[cmp["status"] == "left"]) == ["W27", "W32"]
    assert main(["report", *data, "--resamples", "20", "--permutations", "99",
                 "-o", str(tmp_path / "rep")]) == 0
    md = (tmp_path / "rep" / "report.md").read_text(encoding="utf-8")
    assert "## Change between waves" in md and "**Wave**: 2 \\(the last" in md
    firms = pd.read_csv(tmp_path / "rep" / "tables" / "wave_firms.csv")
    assert set(firms["status"]) <= {"same_role", "changed_role", "unclassified", "entered", "left"}


# -- the defects seen on main, one test each (the slow start, defect 8, is in test_startup) --
def _two_waves(tmp_path):
    ties = pd.DataFrame(
        {
            "respondent": ["a", "b", "c", "a", "b", "d"],
            "alter": ["b", "c", "a", "b", "d", "a"],
            "value": [1, 1, 1, 1, 1, 1],
            "wave": ["2012", "2012", "2012", "2015", "2015", "2015"],
        }
    )
    firms = pd.DataFrame({"firm_id": list("abcd"), "links": [3, 0, 1, 2],
                          "waves": ["2012 2015", "2012 2015", "2012", "2015"]})
    ties.to_csv(tmp_path / "ties.csv", index=False)
    firms.to_csv(tmp_path / "firms.csv", index=False)
    return str(tmp_path / "ties.csv"), str(tmp_path / "firms.csv")


def test_1_report_on_a_multi_wave_edge_list_and_on_several_relations(tmp_path, capsys):
    ties, firms = _two_waves(tmp_path)
    args = ["report", ties, "--orientation", "asks", "--firms", firms, "--scale", "0", "1",
            "--wave-column", "wave", "--resamples", "10", "--permutations", "9"]
    assert main([*args, "-o", str(tmp_path / "out")]) == 0
    assert "Change between waves" in (tmp_path / "out" / "report.html").read_text()
    multi = kflow.read_survey(
        pd.DataFrame({"source": ["a", "b", "a"], "target": ["b", "c", "c"],
                      "relation": ["advice", "advice", "friendship"]}),
        orientation="flow",
    )
    with pytest.raises(kflow.SurveyError, match="several relations.*pass relation="):
        kflow.report(multi, tmp_path / "m")
    assert not (tmp_path / "m").exists()  # nothing half-written
    out = kflow.report(multi, tmp_path / "m", relation="advice", n_resamples=5, n_permutations=9)
    assert "advice" in (out / "report.md").read_text()


def test_2_waves_and_relations_chosen_as_text_everywhere(tmp_path, capsys):
    ties, firms = _two_waves(tmp_path)
    s = kflow.read_survey(ties, orientation="asks", firms=firms)
    assert s.select(wave=2012).ties.equals(s.select(wave="2012").ties)
    assert kflow.centrality(s, wave=2015).index.tolist() == ["a", "b", "d"]
    code = main(["roles", ties, "--orientation", "asks", "--firms", firms,
                 "--external-axis", "links", "--wave", "2012"])
    assert code == 0 and "d" not in capsys.readouterr().out.split()
    assert main(["roles", ties, "--orientation", "asks", "--wave", "1999"]) == 2
    assert "--wave '1999' is not in this survey" in capsys.readouterr().err


def test_3_compare_reports_membership_and_status_words():
    panel = kflow.datasets.load_network("wine_cluster_panel")
    cmp = kflow.compare_waves(panel.select(wave=1), panel.select(wave=2))
    assert cmp.entered == ["W33", "W34"] and cmp.left == ["W27", "W32"]
    status = cmp.roles["status"]
    changed = cmp.roles["role_before"] != cmp.roles["role_after"]
    both = status.isin(["same_role", "changed_role"])
    assert (status[both & changed] == "changed_role").all()
    assert (status[both & ~changed] == "same_role").all()
    assert cmp.changed() == status.index[status == "changed_role"].tolist()
    w1 = panel.select(wave=1)
    assert "W33" not in w1.firm_ids and "W33" not in kflow.classify_roles(w1).table.index


def test_4_counts_axis_in_the_report_and_no_outside_data(tmp_path):
    ties = pd.DataFrame({"source": list("abcdab"), "target": list("bcdaca")})
    firms = pd.DataFrame({"firm_id": list("abcd"), "outside_links": [5, 0, 1, 7]})
    counted = kflow.read_survey(ties, orientation="flow", firms=firms)
    out = kflow.report(counted, tmp_path / "c", external="outside_links", n_resamples=10,
                       n_permutations=9)
    md = (out / "report.md").read_text()
    assert "No data on knowledge from outside" not in md and "a count per firm" in md
    roles = pd.read_csv(out / "tables" / "roles.csv")
    assert roles["external_score"].tolist() == [5, 0, 1, 7]
    assert not (out / "tables" / "gatekeeper_relays.csv").exists()  # no invented actors
    bare = kflow.read_survey(ties, orientation="flow")
    out = kflow.report(bare, tmp_path / "b", n_resamples=10, n_permutations=9)
    md = (out / "report.md").read_text()
    assert md.index("No data on knowledge from outside") < md.index("## The data")
    assert "few technological gatekeepers" not in md
    assert not (out / "tables" / "roles.csv").exists() and "figures/quadrant.svg" not in md


def test_5_matrix_firm_missing_from_the_firms_table(tmp_path, capsys):
    (tmp_path / "m.csv").write_text(",A,B,C\nA,0,1,0\nB,1,0,0\nC,0,0,0\n")
    (tmp_path / "f.csv").write_text("firm_id,size\nA,1\nB,2\n")
    code = main(["validate", str(tmp_path / "m.csv"), "--orientation", "asks",
                 "--firms", str(tmp_path / "f.csv")])
    err = capsys.readouterr().err
    assert code == 2 and "firm 'C' is not on the roster in" in err
    assert "--add-unknown-firms" in err and "AttributeError" not in err


def test_6_the_users_own_outcome_columns(tmp_path, capsys):
    s = kflow.datasets.load_network("wine_cluster")
    firms = s.firms.rename(columns={"product": "new_products", "process": "new_processes"})
    own = kflow.Survey.from_frames(ties=s.ties, firms=firms.reset_index(), external=s.external)
    link = kflow.link_upgrading(own, outcomes=["new_products", "new_processes"],
                                n_permutations=9, seed=0)
    assert set(link.correlations["y"]) == {"new_products", "new_processes"}
    with pytest.raises(kflow.DataError, match="no column 'sales'.*'new_products'"):
        kflow.link_upgrading(own, outcomes=["sales"])
    assert main(["link", "--dataset", "wine_cluster", "--outcomes", "sales"]) == 2
    assert "no column 'sales'" in capsys.readouterr().err
    assert main(["link", "--dataset", "example_cluster", "--permutations", "9"]) == 2
    assert "--outcomes" in capsys.readouterr().err


def test_7_messages_and_options_in_flag_terms(tmp_path, capsys):
    from kflow.cli.flags import in_flag_terms
    from kflow.cli.parser import EXAMPLES, build_parser

    assert in_flag_terms("pass add_unknown_firms=True") == "pass --add-unknown-firms"
    assert in_flag_terms("declare it with scale=(min, max).") == "declare it with --scale MIN MAX."
    assert in_flag_terms("Rename them or pass source= and target=.") == (
        "Rename them or pass --source and --target.")
    ties, firms = _two_waves(tmp_path)
    assert main(["roles", ties, "--orientation", "asks", "--external-axis", "links",
                 "--firms", firms, "--threshold", "quantile:0.75", "--wave", "2012"]) == 0
    assert "('quantile', 0.75)" in capsys.readouterr().err
    assert main(["roles", ties, "--orientation", "asks", "--threshold", "average"]) == 2
    assert "--threshold must be mean, median, quantile:Q" in capsys.readouterr().err
    assert main(["datasets", "nosuch"]) == 2
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    for name, sub in commands.items():
        assert EXAMPLES[name] in sub.epilog
        for action in sub._actions:
            if action.option_strings and action.dest != "help":
                assert action.help, (name, action.dest)
    assert "required" in commands["report"].format_help()
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("my notes")
    assert main(["report", "--dataset", "example_cluster", "-o", str(tmp_path / "mine"),
                 "--resamples", "5", "--permutations", "9"]) == 2
    assert "--force" in capsys.readouterr().err
    assert (tmp_path / "mine" / "notes.txt").read_text() == "my notes"


def test_9_report_tables_for_machines(tmp_path):
    s = kflow.datasets.load_network("wine_cluster")
    out = kflow.report(s, tmp_path / "r", n_resamples=10, n_permutations=9)
    tables = out / "tables"
    roles = pd.read_csv(tables / "roles.csv")
    assert roles.columns[:2].tolist() == ["firm_id", "name"]
    assert set(roles["firm_id"]) <= set(s.firm_ids)
    relays = pd.read_csv(tables / "gatekeeper_relays.csv")
    assert set(relays["firm_id"]) <= set(s.firm_ids) and set(relays["local"]) <= set(s.firm_ids)
    summary = pd.read_csv(tables / "network_summary.csv")
    assert summary.columns.tolist() == ["statistic", "value"]
    broker = pd.read_csv(tables / "brokerage.csv")
    for role in kflow.vocabulary.BROKERAGE_ROLES:
        assert role in broker.columns and f"{role}_z" in broker.columns
    expected = kflow.brokerage(s).raw.loc[broker["firm_id"], "liaison"].to_numpy()
    np.testing.assert_array_equal(broker["liaison"].to_numpy(), expected)
    manifest = json.loads((out / ".kflow-report.json").read_text())
    assert "tables/roles.csv" in manifest["files"]
