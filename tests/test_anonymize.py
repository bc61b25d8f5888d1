"""An anonymized report holds no firm id, firm name, outside actor, file name or path, and no
ordering that follows the ids."""

from __future__ import annotations

import pandas as pd

import kflow

IDS = [f"Qx{k}" for k in range(101, 109)]
NAMES = [f"Zyxwvu Works {k}" for k in range(8)]
ACTORS = ["Universidad Qwertyuiop", "Instituto Asdfghjkl", "Proveedor Zxcvbnm"]


def _survey(folder):
    folder.mkdir(parents=True)
    ties = pd.DataFrame({
        "respondent": [IDS[i] for i in (0, 1, 2, 3, 4, 5, 6, 7, 0, 2, 4)],
        "alter": [IDS[i] for i in (1, 2, 3, 4, 5, 6, 7, 0, 3, 5, 7)],
        "value": [1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2],
    })
    firms = pd.DataFrame({"firm_id": IDS, "name": NAMES,
                          "product": [0, 1, 2, 3, 0, 1, 2, 7],  # 7 is off the 0-3 scale
                          "process": [1, 2, 0, 3, 1, 2, 0, 3]})
    ext = pd.DataFrame({"firm_id": [IDS[0], IDS[0], IDS[2], IDS[5]],
                        "actor": [ACTORS[0], ACTORS[1], ACTORS[2], ACTORS[0]]})
    paths = {}
    for name, frame in (("ties", ties), ("firms", firms), ("external", ext)):
        paths[name] = folder / f"zzclustername_{name}.csv"
        frame.to_csv(paths[name], index=False)
    return kflow.read_survey(paths["ties"], orientation="asks", firms=paths["firms"],
                             external=paths["external"], scale=(0, 3))


def test_anonymized_report_leaks_nothing(tmp_path):
    s = _survey(tmp_path / "Zzsecretfolder")
    out = kflow.report(s, tmp_path / "out", anonymize=True, anonymize_actors=True, salt="k",
                       formats=("html", "md", "csv", "json"), n_resamples=20,
                       n_permutations=99)
    secrets = [*IDS, *NAMES, *ACTORS, "Zzsecretfolder", "zzclustername", str(tmp_path)]
    files = [p for p in out.rglob("*") if p.is_file()]
    assert any(p.suffix == ".svg" for p in files) and any(p.suffix == ".json" for p in files)
    for path in files:
        text = path.read_text(encoding="utf-8")
        for secret in secrets:
            assert secret not in text, (path.name, secret)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "not analysed" in html or "0-3 upgrading scale" in html  # the note is there, scrubbed
    roles = pd.read_csv(out / "tables" / "roles.csv")
    assert roles["firm_id"].tolist() == sorted(roles["firm_id"])  # pseudonym order


def test_plain_report_shows_file_names_not_paths(tmp_path):
    s = _survey(tmp_path / "Zzsecretfolder")
    out = kflow.report(s, tmp_path / "plain", n_resamples=20, n_permutations=99)
    for path in (p for p in out.rglob("*") if p.is_file()):
        assert "Zzsecretfolder" not in path.read_text(encoding="utf-8"), path.name
    assert "zzclustername_ties.csv" in (out / "report.html").read_text(encoding="utf-8")


def test_ids_that_are_words_leave_the_wording_alone(tmp_path):
    # Firms called "the" and "nan" are replaced where a note names them, not inside its words.
    ties = pd.DataFrame({"respondent": ["the", "nan", "Qx1"], "alter": ["nan", "Qx1", "the"],
                         "value": [1, 2, 3]})
    firms = pd.DataFrame({"firm_id": ["the", "nan", "Qx1", "Qx2"],
                          "respondent": ["yes", "yes", "yes", "no"]})
    s = kflow.read_survey(ties, orientation="asks", firms=firms)
    model = kflow.reporting.build_model(s, anonymize=True, salt="k", n_resamples=5,
                                        n_permutations=9)
    notes = " ".join(model.sections["data"]["notes"])
    assert "non-respondents (1): Firm-" in notes and "Qx2" not in notes
    assert 'under missing="nan"' in notes and "the measures" in notes
