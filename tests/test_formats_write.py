"""Writing the field's formats (``kflow.export``) and the roster questionnaire round trip.

Written files are opened with the libraries users open them with (networkx, igraph) and read
back with ``read_survey``; the questionnaire is filled with openpyxl from the demo's ties.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import igraph as ig
import networkx as nx
import pandas as pd
import pytest
from openpyxl import load_workbook

import kflow
from kflow import SurveyError
from kflow.cli import main
from kflow.io.questionnaire import META_SHEET, plan_sheet

TIE_KEY = ["relation", "source", "target"]


@pytest.fixture(scope="module")
def wine():
    return kflow.datasets.load_dataset("wine_cluster")


@pytest.fixture(scope="module")
def panel():
    return kflow.datasets.load_dataset("wine_cluster_panel")


def _ties(survey: kflow.Survey) -> pd.DataFrame:
    key = TIE_KEY + (["wave"] if survey.waves else [])
    cols = [*key, "weight"]
    return survey.ties[cols].sort_values(key).reset_index(drop=True)


@pytest.mark.parametrize("suffix", ["dl", "net", "paj", "graphml", "gexf"])
@pytest.mark.parametrize("name", ["wine", "panel"])
def test_export_round_trip(tmp_path, request, name, suffix):
    survey = request.getfixturevalue(name)
    out = kflow.export(survey, tmp_path / f"cluster.{suffix}")
    back = kflow.read_survey(out, orientation="flow")
    pd.testing.assert_frame_equal(_ties(back), _ties(survey))
    assert back.firm_ids == survey.firm_ids
    if suffix not in ("dl", "net"):  # DL and .net hold the network alone
        pd.testing.assert_frame_equal(back.firms, survey.firms, check_dtype=False)
        assert back.meta["absent"] == survey.meta["absent"]
        assert any("kflow results of the export were left out" in n
                   for n in back.validation.notes)


@pytest.mark.parametrize("suffix", ["dl", "net", "paj", "graphml", "gexf"])
def test_export_is_byte_identical(tmp_path, wine, suffix):
    a = kflow.export(wine, tmp_path / f"a.{suffix}").read_bytes()
    b = kflow.export(wine, tmp_path / f"b.{suffix}").read_bytes()
    assert hashlib.sha256(a).digest() == hashlib.sha256(b).digest()


@pytest.mark.parametrize("suffix", ["graphml", "gexf"])
def test_role_attribute_on_every_node_for_networkx_and_igraph(tmp_path, wine, suffix):
    out = kflow.export(wine, tmp_path / f"roles.{suffix}")
    roles = kflow.classify_roles(wine).table["role"].fillna("unclassified")  # non-respondents
    g = nx.read_graphml(out) if suffix == "graphml" else nx.read_gexf(out)
    by_id = {g.nodes[n]["firm_id"]: g.nodes[n] for n in g.nodes}
    assert set(by_id) == set(wine.firm_ids)
    assert {f: d["role"] for f, d in by_id.items()} == roles.to_dict()
    z = kflow.brokerage(wine).z["gatekeeper"]
    for firm, d in by_id.items():
        if pd.isna(z[firm]):  # a non-respondent's own counts are unknown: no attribute
            assert "brokerage_gatekeeper_z" not in d
        else:
            assert d["brokerage_gatekeeper_z"] == pytest.approx(z[firm])
        assert d["position"] in {"source", "absorber", "mutual_exchanger", "isolated",
                                 "unclassified"}
    if suffix == "graphml":
        h = ig.Graph.Read_GraphML(str(out))
        assert dict(zip(h.vs["firm_id"], h.vs["role"], strict=True)) == roles.to_dict()
        assert h.ecount() == len(wine.ties)


def test_dl_opens_in_igraph(tmp_path):
    # igraph reads one binary fullmatrix (no NM=, no values above 1): the Knoke network.
    knoke = kflow.datasets.load_dataset("knoke_information")
    expected = {(a, b) for a, b in knoke.ties[["source", "target"]].itertuples(index=False)}
    dl = kflow.export(knoke, tmp_path / "k.dl")
    h = ig.Graph.Read_DL(str(dl), directed=True)
    assert {(h.vs[e.source]["name"], h.vs[e.target]["name"]) for e in h.es} == expected


def test_pajek_opens_in_igraph_and_networkx(tmp_path, wine):
    expected = {(a, b) for a, b in wine.ties[["source", "target"]].itertuples(index=False)}
    net = kflow.export(wine, tmp_path / "w.net")
    g = nx.read_pajek(net)
    assert {(u, v) for u, v, _ in g.edges} == expected
    p = ig.Graph.Read_Pajek(str(net))
    assert p.ecount() == len(expected)


def test_pajek_roles_are_a_partition(tmp_path, wine):
    roles = kflow.classify_roles(wine).table["role"].fillna("unclassified")
    for name, suffix in (("w.paj", ""), ("w.net", "w_role.clu")):
        out = kflow.export(wine, tmp_path / name)
        text = (tmp_path / suffix if suffix else out).read_text(encoding="utf-8")
        lines = text.splitlines()
        codes = next(line for line in lines if line.startswith("% kflow codes role:"))
        names = json.loads(codes.split(":", 1)[1])
        start = lines.index("*Partition role") + 2
        got = [names[c] for c in lines[start:start + wine.n_firms]]
        assert got == roles.loc[wine.firm_ids].tolist()


def test_export_needs_a_known_format(tmp_path, wine):
    with pytest.raises(SurveyError, match="format="):
        kflow.export(wine, tmp_path / "w.xyz")
    with pytest.raises(kflow.ParameterError):
        kflow.export(wine, tmp_path / "w.xyz", format="svg")


def test_cli_export_and_questionnaire(tmp_path, capsys):
    assert main(["export", "--dataset", "wine_cluster", "-o", str(tmp_path / "w.gexf")]) == 0
    assert nx.read_gexf(tmp_path / "w.gexf").number_of_nodes() == 32
    firms = tmp_path / "firms.csv"
    firms.write_text("firm_id,name\nA1,Alfa\nB2,Beta\nC3,Gamma\n", encoding="utf-8")
    out = tmp_path / "roster.xlsx"
    assert main(["questionnaire", str(firms), "-o", str(out), "--language", "es"]) == 0
    book = load_workbook(out)
    assert book.sheetnames[:4] == ["Instrucciones", "A1", "B2", "C3"]
    assert main(["validate", str(out), "--layout", "questionnaire"]) == 0


# --- the roster questionnaire ------------------------------------------------------------------


def _fill(path: Path, survey: kflow.Survey, out: Path) -> None:
    """Type the survey's answers into the questionnaire, as a field team would."""
    book = load_workbook(path)
    meta = book[META_SHEET]
    sheets = {row[1]: row[0] for row in meta.iter_rows(min_row=7, values_only=True) if row[0]}
    ids = survey.firm_ids
    plan = plan_sheet(len(ids) - 1)
    for tie in survey.ties.itertuples():
        # knowledge flowed source -> target: the target asked the source for advice
        others = [f for f in ids if f != tie.target]
        book[sheets[tie.target]][f"C{plan.first_answer + others.index(tie.source)}"] = tie.weight
    for firm, rows in survey.external.groupby("firm_id"):
        for k, row in enumerate(rows.itertuples()):
            for col, value in zip("ABCD", (row.actor, row.actor_type, row.direction, row.weight),
                                  strict=True):
                book[sheets[firm]][f"{col}{plan.first_outside + k}"] = value
    book.save(out)


def test_questionnaire_filled_with_the_demo_reads_back_exactly(tmp_path, wine):
    blank = kflow.questionnaire(wine, tmp_path / "roster.xlsx")
    _fill(blank, wine, tmp_path / "filled.xlsx")
    back = kflow.read_survey(tmp_path / "filled.xlsx", layout="questionnaire")
    assert back.meta["orientation"] == "asks"
    pd.testing.assert_frame_equal(_ties(back), _ties(wine))
    key = ["firm_id", "actor"]
    ext = wine.external.sort_values(key).reset_index(drop=True)
    got = back.external[ext.columns].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, ext)
    # respondents = sheets with any answer; the demo's three non-respondents left theirs blank
    assert back.firms["respondent"].to_dict() == wine.firms["respondent"].to_dict()
    assert back.firms["name"].to_dict() == wine.firms["name"].to_dict()


def test_questionnaire_cells_out_of_scale_or_text_are_named(tmp_path, wine):
    blank = kflow.questionnaire(wine, tmp_path / "roster.xlsx")
    book = load_workbook(blank)
    book["W05"]["C9"] = 7
    book["W06"]["C12"] = "two"
    book.save(tmp_path / "bad.xlsx")
    with pytest.raises(SurveyError) as err:
        kflow.read_survey(tmp_path / "bad.xlsx", layout="questionnaire")
    text = str(err.value)
    assert "sheet 'W05', cell C9: 7" in text
    assert "sheet 'W06', cell C12: 'two'" in text
    assert "from 0 to 3" in text


def test_questionnaire_text_outside_the_answer_cells_is_reported(tmp_path, wine):
    blank = kflow.questionnaire(wine, tmp_path / "roster.xlsx")
    book = load_workbook(blank)
    book["W03"]["C8"] = 2
    book["W03"]["F10"] = "call back on Monday"
    book.save(tmp_path / "note.xlsx")
    s = kflow.read_survey(tmp_path / "note.xlsx", layout="questionnaire")
    assert any("sheet 'W03'" in n and "F10 'call back on Monday'" in n
               for n in s.validation.notes)
    assert s.firms["respondent"].sum() == 1  # only W03 answered


def test_questionnaire_has_data_validation_and_translations(tmp_path, wine):
    for language, word in (("en", "technical advice"), ("es", "asesoramiento técnico"),
                           ("pt", "aconselhamento técnico")):
        path = kflow.questionnaire(wine, tmp_path / f"{language}.xlsx", language=language)
        sheet = load_workbook(path)["W01"]
        assert word in sheet["A3"].value
        rules = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
        plan = plan_sheet(wine.n_firms - 1)
        answer = rules[f"C{plan.first_answer}:C{plan.last_answer}"]
        assert (answer.type, answer.formula1, answer.formula2) == ("whole", "0", "3")
        direction = rules[f"C{plan.first_outside}:C{plan.last_outside}"]
        assert direction.type == "list" and "in,out" in direction.formula1


def test_questionnaire_keeps_formula_like_names_as_text(tmp_path):
    firms = pd.DataFrame({"firm_id": ["A", "B"], "name": ["=HYPERLINK(1)", "Beta"]})
    path = kflow.questionnaire(firms, tmp_path / "r.xlsx", question="Whom do you ask?")
    sheet = load_workbook(path)["B"]
    assert sheet["B7"].value == "=HYPERLINK(1)" and sheet["B7"].data_type == "s"
    assert sheet["A3"].value == "Whom do you ask?"


def test_questionnaire_refuses_other_orientations_and_other_workbooks(tmp_path, wine):
    path = kflow.questionnaire(wine, tmp_path / "r.xlsx")
    with pytest.raises(SurveyError, match="orientation='asks'"):
        kflow.read_survey(path, layout="questionnaire", orientation="gives")
    pd.DataFrame({"source": ["a"], "target": ["b"]}).to_excel(tmp_path / "plain.xlsx",
                                                              index=False)
    with pytest.raises(SurveyError, match="not a kflow roster questionnaire"):
        kflow.read_survey(tmp_path / "plain.xlsx", layout="questionnaire")


def test_questionnaire_sheet_names_excel_cannot_take(tmp_path):
    firms = pd.DataFrame({"firm_id": ["a/b", "x" * 40, "ok"]})
    path = kflow.questionnaire(firms, tmp_path / "r.xlsx")
    book = load_workbook(path)
    assert book.sheetnames[1:4] == ["Firm 001", "Firm 002", "ok"]
    assert book["Firm 001"]["B2"].value == "a/b"
    book["ok"]["C7"] = 3
    book.save(tmp_path / "r2.xlsx")
    s = kflow.read_survey(tmp_path / "r2.xlsx", layout="questionnaire")
    assert _ties(s)[["source", "target", "weight"]].values.tolist() == [["a/b", "ok", 3.0]]
