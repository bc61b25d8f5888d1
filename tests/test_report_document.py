"""The report as a document: legible figures, readable tables, evidence-based pointers, stable
bytes. Checked on the demo cluster and on three real networks."""

from __future__ import annotations

import re

import pytest
from conftest import shared

import kflow
from kflow.reporting import figures
from kflow.reporting.labels import COLUMNS, STATISTICS
from kflow.reporting.placement import label_boxes, overlapping_pairs

FAST = {"n_resamples": 20, "n_permutations": 99}
NETWORKS = ["wine_cluster", "knoke_information", "krackhardt_advice", "lazega_advice"]


def _label(survey):
    names = survey.firms["name"].astype(str)
    return {f: (f if names[f] == f else f"{names[f]} ({f})") for f in survey.firm_ids}


@pytest.mark.parametrize("name", NETWORKS)
def test_figure_labels_never_overlap(name):
    s = kflow.datasets.load_network(name)
    roles = kflow.classify_roles(s)
    fig, _ = figures.quadrant_figure(roles.table, roles.thresholds, _label(s), "degree",
                                     "external_ties")
    boxes = label_boxes(fig)
    assert len(boxes) >= 6 and overlapping_pairs(boxes) == []
    fig, caption = figures.sociogram_figure(s, roles.table["role"], _label(s))
    boxes = label_boxes(fig)
    assert overlapping_pairs(boxes) == []
    placed = len([b for b in boxes])
    assert placed + caption.count(",") + 1 >= s.n_firms or s.n_firms > figures.MAX_LABELS


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    out = {}
    for name in NETWORKS:
        folder = kflow.report(kflow.datasets.load_network(name),
                              tmp_path_factory.mktemp(name), **FAST)
        out[name] = (folder / "report.html").read_text(encoding="utf-8")
    return out


def _tables_outside_details(html: str) -> list[str]:
    visible = re.sub(r"<details>.*?</details>", "", html, flags=re.S)
    return re.findall(r"<table>.*?</table>", visible, flags=re.S)


@pytest.mark.parametrize("name", NETWORKS)
def test_tables_show_at_most_15_rows_and_labelled_headers(reports, name):
    html = reports[name]
    for table in _tables_outside_details(html):
        assert len(re.findall(r"<tr>", table)) - 1 <= 15
    allowed = set(COLUMNS.values()) | set(STATISTICS.values())
    for header in re.findall(r"<th>(.*?)</th>", html):
        assert header in allowed or "_" not in header, header


@pytest.mark.parametrize("name", NETWORKS)
def test_p_values_never_print_as_zero(reports, name):
    for table in re.findall(r"<table>.*?</table>", reports[name], flags=re.S):
        header = re.findall(r"<th>(.*?)</th>", table)
        p_cols = [i for i, h in enumerate(header) if h.startswith("p (") or h == "p"]
        for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)[1:]:
            cells = re.findall(r"<td>(.*?)</td>", row)
            for i in p_cols:
                assert cells[i] not in ("0", "0.000", "0.0"), (name, header[i])


def _pointer_texts(survey, **options) -> str:
    model = kflow.reporting.build_model(survey, **FAST, **options)
    return " ".join(p["when"] + p["rule"] for p in model.sections["policy"]["pointers"])


def test_weak_evidence_fires_no_pointer_on_kecskemet_2012():
    s = kflow.read_survey(shared("kecskemet_printing_cluster", "advice_2012_edges.csv"),
                          orientation="asks")
    text = _pointer_texts(s)
    assert "connected group" not in text and "gatekeepers" not in text


def test_no_outside_data_fires_no_role_pointer():
    s = kflow.datasets.load_network("krackhardt_advice")
    model = kflow.reporting.build_model(s, **FAST)
    assert model.sections["roles"]["classified"] is False
    assert not any("gatekeeper" in p["rule"] for p in model.sections["policy"]["pointers"])
    assert any("No data on knowledge from outside" in a for a in model.alerts)


def test_fragmented_network_fires_with_its_rule():
    ties = {"source": ["a", "c", "e", "g"], "target": ["b", "d", "f", "h"]}
    import pandas as pd

    s = kflow.read_survey(pd.DataFrame(ties), orientation="flow")
    text = _pointer_texts(s)
    assert "largest connected group holds 25%" in text


def test_byte_identical_with_source_date_epoch(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    s = kflow.datasets.load_network("wine_cluster_panel")
    a = kflow.report(s, tmp_path / "a", seed=5, **FAST)
    b = kflow.report(s, tmp_path / "b", seed=5, **FAST)
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    for rel in files:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel
    assert "2023-11-14" in (a / "report.html").read_text(encoding="utf-8")


def test_findings_and_alerts_come_first(reports):
    html = reports["wine_cluster"]
    assert html.index("Key findings") < html.index('id="alerts"') < html.index('id="data"')
    assert 'href="#roles"' in html and "Reproducibility" in html


def test_interactive_sociogram_data_matches_the_figure(reports):
    import json

    html = reports["lazega_advice"]
    data = json.loads(re.search(r'id="sociogram-data">(.*?)</script>', html, re.S).group(1))
    figure = re.search(r'id="sociogram-figure".*?</figure>', html, re.S).group(0)
    firms_group = re.search(r'<g id="kflow-firms">(.*?)</g>\s*</g>|<g id="kflow-firms">(.*?)'
                            r'<g id=', figure, re.S)
    assert firms_group is not None
    assert len(data["firms"]) == 71 and len(data["ties"]) == 892
    assert "<script>" in html and "sociogram-tools" in html


def test_pdf_needs_a_browser_and_says_which(tmp_path, monkeypatch):
    from kflow.reporting.output import MissingToolError

    monkeypatch.setenv("PATH", str(tmp_path))
    s = kflow.datasets.load_network("example_cluster")
    with pytest.raises(MissingToolError, match="apt-get install chromium"):
        kflow.report(s, tmp_path / "r", formats=("pdf",), **FAST)
    assert not (tmp_path / "r").exists()


def test_long_tables_fold_up_to_a_cap_and_point_to_the_csv():
    import pandas as pd

    from kflow.reporting import render

    frame = pd.DataFrame({"firm_id": [f"F{i}" for i in range(1200)], "x": range(1200)})
    t = render.table_rows(frame, limit=15, cap=1000)
    assert (len(t["rows"]), len(t["more"]), t["total"], t["cut"]) == (15, 985, 1200, 200)
    assert t["more"][-1] == ["F999", "999"]  # rows in order, none skipped before the cap
    html = render._environment(True).get_template("_table.html.j2").render(frame=frame)
    assert "Show the next 985 of 1200 rows" in html and "The other 200 rows are in the CSV" in html
    assert html.count("<tr>") == 1 + 15 + 1 + 985  # two header rows, the shown and folded rows
    md = render._environment(False).get_template("_table.md.j2").render(frame=frame)
    assert "*1200 rows in all; the first 15 are shown" in md and "F15 " not in md
    small = render._environment(True).get_template("_table.html.j2").render(frame=frame[:40])
    assert "Show the other 25 of 40 rows" in small and "CSV" not in small
