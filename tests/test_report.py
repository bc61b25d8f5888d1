"""The gatekeeper report: determinism, escaping, anonymization, rendering in a browser."""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest

import kflow
from kflow.reporting import SECTIONS, build_model
from kflow.reporting.render import md_escape

EVIL = "<script>alert(1)</script>"
FAST = {"n_resamples": 30, "n_permutations": 99}


def evil_survey() -> kflow.Survey:
    """A small cluster whose firm names and ids must never reach a report unescaped."""
    base = kflow.datasets.simulate_cluster(14, seed=4)
    firms = base.firms.reset_index()
    firms["firm_id"] = [f"ACME-{i:02d}" for i in range(len(firms))]
    mapping = dict(zip(base.firm_ids, firms["firm_id"], strict=True))
    firms["name"] = [f"Quintessa Winery {i}" for i in range(len(firms))]
    firms.loc[0, "name"] = EVIL
    firms["respondent"] = firms["respondent"].map({True: "yes", False: "no"})
    ties = base.ties.assign(
        source=base.ties["source"].map(mapping), target=base.ties["target"].map(mapping)
    )
    ext = base.external.assign(firm_id=base.external["firm_id"].map(mapping))
    return kflow.read_survey(ties, orientation="flow", firms=firms, external=ext)


def all_files(folder):
    return sorted(p for p in folder.rglob("*") if p.is_file())


def test_same_input_and_seed_give_identical_bytes(tmp_path):
    s = kflow.datasets.load_dataset("example_cluster")
    a = kflow.report(s, tmp_path / "a", seed=3, **FAST)
    b = kflow.report(s, tmp_path / "b", seed=3, **FAST)
    files_a, files_b = all_files(a), all_files(b)
    assert [p.relative_to(a) for p in files_a] == [p.relative_to(b) for p in files_b]
    assert any(p.suffix == ".csv" for p in files_a) and any(p.suffix == ".json" for p in files_a)
    for pa, pb in zip(files_a, files_b, strict=True):
        assert pa.read_bytes() == pb.read_bytes(), pa.name


def test_every_section_is_in_both_renderings(tmp_path):
    out = kflow.report(kflow.datasets.load_dataset("example_cluster"), tmp_path, **FAST)
    html = (out / "report.html").read_text(encoding="utf-8")
    md = (out / "report.md").read_text(encoding="utf-8")
    for key, heading in SECTIONS:
        assert f'<section id="{key}">' in html and f"<h2>{heading}</h2>" in html
        assert f"## {heading}" in md
    assert "Prompts for the analyst, not findings" in html
    assert "<svg" in html and "figures/quadrant.svg" in md


def test_model_matches_the_analyses():
    s = kflow.datasets.load_dataset("example_cluster")
    model = build_model(s, seed=0, **FAST)
    roles = kflow.classify_roles(s).table["role"]
    table = model.sections["roles"]["table"]
    assert table["role"].tolist() == roles.tolist()
    summary = model.sections["network"]["summary"]["value"]
    assert summary["n_ties"] == len(s.ties)
    gk = model.sections["brokerage"]["table"]["gatekeeper"]
    assert gk.sum() == kflow.brokerage(s).raw["gatekeeper"].sum()


def test_input_strings_are_escaped(tmp_path):
    out = kflow.report(evil_survey(), tmp_path, **FAST)
    html = (out / "report.html").read_text(encoding="utf-8")
    md = (out / "report.md").read_text(encoding="utf-8")
    assert EVIL not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert EVIL not in md and "&lt;script&gt;alert\\(1\\)&lt;/script&gt;" in md
    for svg in (out / "figures").glob("*.svg"):
        assert EVIL not in svg.read_text(encoding="utf-8")
    # The tables for scripts keep the data as it is.
    assert EVIL in (out / "tables" / "roles.csv").read_text(encoding="utf-8")


def test_markdown_escape():
    assert md_escape("a|b*c_[d](e)<f>") == "a\\|b\\*c\\_\\[d\\]\\(e\\)&lt;f&gt;"


def test_anonymized_report_leaks_no_name_or_id(tmp_path):
    s = evil_survey()
    out = kflow.report(s, tmp_path, anonymize=True, salt="secret-key-123", **FAST)
    secrets_ = set(s.firm_ids) | set(s.firms["name"]) | {"Quintessa", "ACME", "secret-key-123"}
    for path in all_files(out):
        text = path.read_text(encoding="utf-8")
        for secret in secrets_:
            assert secret not in text, (secret, path.name)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Firm-" in html
    # Same salt, same pseudonyms; another salt, other pseudonyms.
    again = kflow.report(s, tmp_path / "again", anonymize=True, salt="secret-key-123", **FAST)
    assert (again / "report.html").read_bytes() == (out / "report.html").read_bytes()
    other = kflow.report(s, tmp_path / "other", anonymize=True, salt="another", **FAST)
    assert (other / "report.html").read_bytes() != (out / "report.html").read_bytes()


def test_report_without_outcomes_says_so(tmp_path):
    out = kflow.report(kflow.datasets.load_dataset("knoke_information"), tmp_path, **FAST)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "outcomes not in the firms table" in html or "has no upgrading outcomes" in html


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip(
            "chromium is not installed (.ci/run installs Debian's chromium; it could "
            "not be installed on this machine)"
        )
    return path


CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.mark.slow
def test_html_renders_in_headless_chromium(tmp_path):
    chromium = _chromium()
    out = kflow.report(evil_survey(), tmp_path / "report", **FAST)
    url = (out / "report.html").resolve().as_uri()
    profile = tmp_path / "profile"
    dom = subprocess.run(
        [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    console = [line for line in dom.stderr.splitlines() if "CONSOLE" in line]
    assert console == [], console
    for _, heading in SECTIONS:
        assert f"<h2>{heading}</h2>" in dom.stdout
    assert "<script>alert" not in dom.stdout
    shot = tmp_path / "report.png"
    subprocess.run(
        [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            "--window-size=1100,2400",
            f"--screenshot={shot}",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    from matplotlib.image import imread

    pixels = imread(shot)
    assert pixels.shape[0] > 1000 and pixels.std() > 0.05  # not a blank page
    kept = out / "screenshot.png"
    shutil.copy(shot, kept)
    assert kept.stat().st_size > 20_000


def test_formats_parameter(tmp_path):
    s = kflow.datasets.load_dataset("example_cluster")
    out = kflow.report(s, tmp_path, formats=("md",), **FAST)
    assert (out / "report.md").exists() and not (out / "report.html").exists()
    with pytest.raises(ValueError, match="'formats' parameter of report"):
        kflow.report(s, tmp_path, formats=("docx",))


def test_pseudonyms_are_stable_and_distinct():
    from kflow.reporting.model import Pseudonyms

    ids = [f"F{i}" for i in range(500)]
    a, b = Pseudonyms(ids, "k"), Pseudonyms(ids, "k")
    assert a.map == b.map and len(set(a.map.values())) == 500
    assert np.mean([v.startswith("Firm-") for v in a.map.values()]) == 1.0
    assert pd.Series(a.map).str.len().min() >= 11


def test_csv_cells_cannot_run_as_spreadsheet_formulas(tmp_path, capsys):
    from kflow.cli import main

    ties = pd.DataFrame({"source": ["=1+1", "+A", "-B", "@C"], "target": ["+A", "-B", "@C", "D"]})
    firms = pd.DataFrame({"firm_id": ["=1+1", "+A", "-B", "@C", "D"],
                          "name": ["=HYPERLINK(1)", "x", "y", "z", "\tw"]})
    ext = pd.DataFrame({"firm_id": ["+A"], "actor": ["=cmd|' /C calc'!A0"]})
    s = kflow.read_survey(ties, orientation="flow", firms=firms, external=ext)
    out = kflow.report(s, tmp_path / "r", **FAST)
    cells = []
    for path in (out / "tables").glob("*.csv"):
        cells += [c for row in pd.read_csv(path, dtype=str).fillna("").to_numpy() for c in row]
    assert "'=HYPERLINK(1)" in cells and "'=cmd|' /C calc'!A0" in cells
    risky = [c for c in cells if c[:1] in ("=", "+", "@", "\t") and c != ""]
    assert risky == []
    texts = [c for c in cells if c.startswith("-") and not c.lstrip("-").replace(".", "").isdigit()]
    assert texts == [], texts
    tie_file = tmp_path / "t.csv"
    ties.to_csv(tie_file, index=False)
    assert main(["measures", str(tie_file), "--orientation", "flow"]) == 0
    assert "\n'=1+1," in capsys.readouterr().out


def test_the_report_worker_shares_the_layers_already_looked_up():
    from concurrent.futures import ThreadPoolExecutor

    from kflow._layers import build_layer
    from kflow._positions import shared_layers
    from kflow.reporting.model import Context, ReportOptions

    s = kflow.datasets.load_network("example_cluster")
    relation = s.relations[0]
    ctx = Context.create(s, ReportOptions(), None)
    with shared_layers(), ThreadPoolExecutor(max_workers=1) as pool:
        here = build_layer(s, relation, None, "nan")
        ctx.worker = pool
        ctx.start("layer", build_layer, s, relation, None, "nan")
        there = ctx.outcome("layer")
    assert there.src is here.src and there.dst is here.dst
