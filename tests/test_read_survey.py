"""read_survey: formats, orientations, validation accounting and every error path."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import DATASETS
from hypothesis import given, settings
from hypothesis import strategies as st

import kflow
from kflow import vocabulary as V
from kflow.exceptions import ParameterError

# One small survey, written by hand as flow ties (source gives knowledge to target). Ids include
# a leading-zero id and a non-ASCII one (for the latin-1 file), weights a fractional value.
FLOW = [
    ("007", "B", 3.0),
    ("007", "C", 1.5),
    ("B", "C", 2.0),
    ("C", "Ñandú", 1.0),
    ("Ñandú", "007", 2.0),
]
FIRMS = ["007", "B", "C", "Ñandú", "E"]


def expected_ties() -> pd.DataFrame:
    # Natural order of ids: 007 < B < C < E < Ñandú; rows sorted by source then target.
    rows = sorted(
        FLOW,
        key=lambda r: (
            ["007", "B", "C", "E", "Ñandú"].index(r[0]),
            ["007", "B", "C", "E", "Ñandú"].index(r[1]),
        ),
    )
    out = pd.DataFrame(rows, columns=["source", "target", "weight"])
    out["relation"] = "knowledge"
    return out.astype({"source": object, "target": object, "relation": object})


def asks_rows() -> list[tuple[str, str, float]]:
    """The same ties as the roster question asks them: (respondent, firm it turns to, value)."""
    return [(t, s, w) for s, t, w in FLOW]


def write_text(path, header, rows, sep=",", encoding="utf-8", decimal="."):
    lines = [sep.join(header)]
    for row in rows:
        cells = [
            str(c) if not isinstance(c, float) else f"{c:g}".replace(".", decimal) for c in row
        ]
        lines.append(sep.join(cells))
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


@pytest.fixture
def firms_file(tmp_path):
    return write_text(
        tmp_path / "firms.csv", ["firm_id", "respondent"], [(f, "yes") for f in FIRMS]
    )


class TestSameTiesEveryWay:
    """The acceptance check: every way of writing the same knowledge ties gives one table."""

    def test_asks_csv(self, tmp_path, firms_file):
        path = write_text(tmp_path / "asks.csv", ["respondent", "alter", "value"], asks_rows())
        s = kflow.read_survey(path, orientation="asks", firms=firms_file)
        pd.testing.assert_frame_equal(s.ties, expected_ties())

    def test_gives_csv(self, tmp_path, firms_file):
        path = write_text(tmp_path / "gives.csv", ["respondent", "alter", "value"], FLOW)
        s = kflow.read_survey(path, orientation="gives", firms=firms_file)
        pd.testing.assert_frame_equal(s.ties, expected_ties())

    def test_flow_csv(self, tmp_path, firms_file):
        path = write_text(tmp_path / "flow.csv", ["source", "target", "weight"], FLOW)
        s = kflow.read_survey(path, orientation="flow", firms=firms_file)
        pd.testing.assert_frame_equal(s.ties, expected_ties())

    def test_square_roster_matrix(self, tmp_path, firms_file):
        # Rows are respondents, columns the firms they turn to (asks); knowledge flows col -> row.
        cell = {(t, s): w for s, t, w in FLOW}
        rows = [[r] + [cell.get((r, c), 0.0) for c in FIRMS] for r in FIRMS]
        path = write_text(tmp_path / "matrix.csv", ["", *FIRMS], rows)
        s = kflow.read_survey(path, orientation="asks", firms=firms_file)
        assert s.meta["layout"] == "matrix"
        pd.testing.assert_frame_equal(s.ties, expected_ties())

    def test_xlsx_sheet(self, tmp_path, firms_file):
        path = tmp_path / "asks.xlsx"
        pd.DataFrame(asks_rows(), columns=["respondent", "alter", "value"]).to_excel(
            path, index=False, sheet_name="advice"
        )
        s = kflow.read_survey(path, orientation="asks", firms=firms_file)
        pd.testing.assert_frame_equal(s.ties, expected_ties())

    def test_latin1_semicolon_decimal_comma(self, tmp_path, firms_file):
        path = write_text(
            tmp_path / "asks_latin1.csv",
            ["respondent", "alter", "value"],
            asks_rows(),
            sep=";",
            encoding="latin-1",
            decimal=",",
        )
        assert b"1,5" in path.read_bytes()
        s = kflow.read_survey(path, orientation="asks", firms=firms_file)
        assert s.meta["encoding"] == "latin-1"
        assert s.meta["sep"] == ";"
        pd.testing.assert_frame_equal(s.ties, expected_ties())

    def test_utf8_bom_tab(self, tmp_path, firms_file):
        path = write_text(
            tmp_path / "asks.tsv",
            ["respondent", "alter", "value"],
            asks_rows(),
            sep="\t",
            encoding="utf-8-sig",
        )
        s = kflow.read_survey(path, orientation="asks", firms=firms_file)
        assert s.meta["encoding"] == "utf-8-sig"
        pd.testing.assert_frame_equal(s.ties, expected_ties())

    def test_parquet(self, tmp_path, firms_file):
        path = tmp_path / "asks.parquet"
        pd.DataFrame(asks_rows(), columns=["respondent", "alter", "value"]).to_parquet(path)
        s = kflow.read_survey(path, orientation="asks", firms=firms_file)
        pd.testing.assert_frame_equal(s.ties, expected_ties())

    def test_dataframe(self, firms_file):
        frame = pd.DataFrame(asks_rows(), columns=["respondent", "alter", "value"])
        s = kflow.read_survey(frame, orientation="asks", firms=firms_file)
        pd.testing.assert_frame_equal(s.ties, expected_ties())

    def test_configured_column_names(self, tmp_path, firms_file):
        path = write_text(tmp_path / "odd.csv", ["wer", "wen", "wie_stark"], asks_rows())
        s = kflow.read_survey(
            path,
            orientation="asks",
            firms=firms_file,
            source="wer",
            target="wen",
            weight="wie_stark",
        )
        pd.testing.assert_frame_equal(s.ties, expected_ties())


def test_ids_stay_text_as_written(tmp_path):
    path = write_text(
        tmp_path / "t.csv", ["source", "target"], [(" 007 ", "7"), ("7", "0.50"), ("0.50", "007")]
    )
    s = kflow.read_survey(path, orientation="flow")
    # Digit runs compare by value, then by written length: "7" and "007" stay distinct.
    assert s.firm_ids == ["0.50", "7", "007"]
    assert set(s.ties["source"]) == {"007", "7", "0.50"}
    assert all(isinstance(f, str) for f in s.firms.index)


def test_natural_order_of_firms(tmp_path):
    path = write_text(
        tmp_path / "t.csv", ["source", "target"], [("P10", "P2"), ("P2", "P1"), ("P1", "P10")]
    )
    s = kflow.read_survey(path, orientation="flow")
    assert s.firm_ids == ["P1", "P2", "P10"]
    assert s.ties[["source", "target"]].values.tolist() == [
        ["P1", "P10"],
        ["P2", "P1"],
        ["P10", "P2"],
    ]


def test_relations_and_waves_kept_apart(tmp_path):
    path = write_text(
        tmp_path / "multi.csv",
        ["source", "target", "relation", "wave", "weight"],
        [
            ("A", "B", "technical", "2012", 1.0),
            ("A", "B", "technical", "2015", 2.0),
            ("A", "B", "business", "2012", 3.0),
            ("B", "C", "technical", "2015", 1.0),
        ],
    )
    s = kflow.read_survey(path, orientation="flow")
    assert s.relations == ["business", "technical"]
    assert s.waves == ["2012", "2015"]
    assert len(s.ties) == 4
    assert s.layer("technical", "2015")[["source", "target", "weight"]].values.tolist() == [
        ["A", "B", 2.0],
        ["B", "C", 1.0],
    ]
    with pytest.raises(kflow.SurveyError, match="several relations"):
        s.layer()
    with pytest.raises(kflow.SurveyError, match="'friendship' is not in this survey"):
        s.layer("friendship", "2012")


class TestValidationReport:
    def test_example_cluster_accounting(self):
        d = DATASETS / "example_cluster"
        s = kflow.read_survey(
            d / "ties.csv",
            orientation="asks",
            firms=d / "firms.csv",
            external=d / "external.csv",
            scale=(0, 3),
        )
        t = s.validation.tables
        # Counted by hand from the file: 18 data lines, one blank, one zero, one self-tie.
        assert t.loc["ties", ["records_read", "records_used", "records_dropped"]].tolist() == [
            18,
            15,
            3,
        ]
        assert (t["records_read"] == t["records_used"] + t["records_dropped"]).all()
        dropped = s.validation.dropped.set_index("reason")["row"].to_dict()
        assert dropped == {"blank line": 14, "zero value (0 = no tie)": 9, "self-tie": 19}
        assert len(s.ties) == 15
        assert s.validation.n_respondents == 9
        assert s.validation.response_rate == pytest.approx(0.9)
        assert s.firms.loc["F06", "respondent"] == False  # noqa: E712
        text = s.validation.summary()
        assert "blank line: 1 (line 14)" in text
        assert "response rate 90.0%" in text
        assert "F06" in text

    def test_every_record_read_is_used_or_reported(self, tmp_path):
        path = write_text(
            tmp_path / "t.csv",
            ["respondent", "alter", "value"],
            [
                ("A", "B", 1.0),
                ("A", "B", 2.0),
                ("A", "B", 3.0),
                ("B", "B", 1.0),
                ("C", "A", 0.0),
                ("", "", ""),
                ("C", "B", 2.0),
            ],
        )
        s = kflow.read_survey(path, orientation="asks", duplicates="sum")
        row = s.validation.tables.loc["ties"]
        assert row["records_read"] == 7
        assert row["records_used"] == len(s.ties) == 2
        assert row["records_dropped"] == len(s.validation.dropped) == 5
        reasons = s.validation.dropped["reason"].tolist()
        assert reasons.count("duplicate merged (sum) into line 2") == 2
        assert s.ties.set_index(["source", "target"]).loc[("B", "A"), "weight"] == 6.0

    @pytest.mark.parametrize(
        ("policy", "expected"), [("max", 3.0), ("sum", 6.0), ("mean", 2.0), ("last", 1.0)]
    )
    def test_duplicate_policies(self, policy, expected):
        frame = pd.DataFrame(
            {"source": ["A", "A", "A"], "target": ["B", "B", "B"], "weight": [2, 3, 1]}
        )
        s = kflow.read_survey(frame, orientation="flow", duplicates=policy)
        assert s.ties["weight"].tolist() == [expected]
        assert len(s.validation.dropped) == 2

    def test_matrix_blank_row_is_a_non_respondent(self, tmp_path):
        path = write_text(
            tmp_path / "m.csv",
            ["", "A", "B", "C"],
            [("A", "", 1, 0), ("B", 2, "", 1), ("C", "", "", "")],
        )
        s = kflow.read_survey(path, orientation="asks")
        assert s.respondents == ["A", "B"]
        assert s.response_rate == pytest.approx(2 / 3)
        # 9 cells: 3 ties (B->A, A->B, C->B), 1 zero, 3 diagonal, 2 blank (C's row).
        assert s.ties[["source", "target"]].values.tolist() == [["A", "B"], ["B", "A"], ["C", "B"]]
        row = s.validation.tables.loc["ties"]
        assert (row["records_read"], row["records_used"]) == (9, 3)
        counts = s.validation.reason_counts().set_index("reason")["records"].to_dict()
        assert counts == {
            "blank cell (no answer)": 2,
            "diagonal cell (a firm does not name itself)": 3,
            "zero value (0 = no tie)": 1,
        }
        assert sum(counts.values()) == row["records_dropped"] == 6

    def test_firms_added_when_allowed(self, tmp_path, firms_file):
        path = write_text(tmp_path / "t.csv", ["respondent", "alter"], [("B", "ZZ"), ("YY", "B")])
        s = kflow.read_survey(path, orientation="asks", firms=firms_file, add_unknown_firms=True)
        assert {"ZZ", "YY"} <= set(s.firm_ids)
        # YY answered, so it is a respondent; ZZ was only named.
        assert bool(s.firms.loc["YY", "respondent"]) is True
        assert bool(s.firms.loc["ZZ", "respondent"]) is False
        assert any("added to the roster" in n for n in s.validation.notes)

    def test_unused_columns_are_reported(self, tmp_path):
        path = write_text(tmp_path / "t.csv", ["source", "target", "comment"], [("A", "B", "x")])
        s = kflow.read_survey(path, orientation="flow")
        assert any("'comment'" in n for n in s.validation.notes)


class TestErrors:
    """Every error names the file, the row, the column and the value, and what to do."""

    def test_orientation_is_required(self, tmp_path):
        path = write_text(tmp_path / "t.csv", ["source", "target"], [("A", "B")])
        with pytest.raises(kflow.SurveyError, match="needs orientation="):
            kflow.read_survey(path)

    def test_bad_parameter_message(self, tmp_path):
        path = write_text(tmp_path / "t.csv", ["source", "target"], [("A", "B")])
        with pytest.raises(
            ParameterError,
            match="'orientation' parameter of read_survey must be one of .* Got 'ask' instead",
        ):
            kflow.read_survey(path, orientation="ask")
        with pytest.raises(ValueError, match="'duplicates' parameter"):
            kflow.read_survey(path, orientation="flow", duplicates="first")

    def test_empty_file(self, tmp_path):
        path = tmp_path / "empty.csv"
        path.write_text("")
        with pytest.raises(kflow.SurveyError, match=r"empty\.csv: the file is empty"):
            kflow.read_survey(path, orientation="asks")

    def test_header_only_file(self, tmp_path):
        path = tmp_path / "header.csv"
        path.write_text("respondent,alter,value\n\n")
        with pytest.raises(
            kflow.SurveyError,
            match=r"header\.csv: the file has a header .* no "
            "data rows",
        ):
            kflow.read_survey(path, orientation="asks")

    def test_missing_column_lists_columns_found(self, tmp_path):
        path = write_text(tmp_path / "t.csv", ["firm", "other"], [("A", "B")])
        with pytest.raises(kflow.SurveyError) as err:
            kflow.read_survey(path, orientation="asks")
        assert "columns found are 'firm', 'other'" in str(err.value)
        assert "t.csv" in str(err.value)
        with pytest.raises(kflow.SurveyError, match="no column 'wert'.*'firm', 'other'"):
            kflow.read_survey(
                path, orientation="asks", source="firm", target="other", weight="wert"
            )

    def test_non_numeric_value(self, tmp_path):
        path = write_text(
            tmp_path / "t.csv",
            ["respondent", "alter", "value"],
            [("A", "B", "2"), ("A", "C", "high")],
        )
        with pytest.raises(kflow.SurveyError) as err:
            kflow.read_survey(path, orientation="asks")
        msg = str(err.value)
        assert "t.csv, line 3, column 'value': value 'high'" in msg
        assert "must be numbers" in msg

    def test_blank_value(self, tmp_path):
        path = write_text(tmp_path / "t.csv", ["respondent", "alter", "value"], [("A", "B", "")])
        with pytest.raises(kflow.SurveyError, match="line 2, column 'value'.*blank"):
            kflow.read_survey(path, orientation="asks")

    def test_blank_firm_id(self, tmp_path):
        path = write_text(tmp_path / "t.csv", ["respondent", "alter"], [("A", "B"), ("", "C")])
        with pytest.raises(kflow.SurveyError, match="line 3, column 'respondent': value ''"):
            kflow.read_survey(path, orientation="asks")

    def test_negative_value(self, tmp_path):
        path = write_text(tmp_path / "t.csv", ["source", "target", "weight"], [("A", "B", -1.0)])
        with pytest.raises(
            kflow.SurveyError, match="line 2, column 'weight': value '-1'.*negative"
        ):
            kflow.read_survey(path, orientation="flow")

    def test_value_outside_scale(self, tmp_path):
        path = write_text(
            tmp_path / "t.csv",
            ["respondent", "alter", "value"],
            [("A", "B", 3.0), ("A", "C", 5.0), ("B", "C", 4.0)],
        )
        with pytest.raises(kflow.SurveyError) as err:
            kflow.read_survey(path, orientation="asks", scale=(0, 3))
        msg = str(err.value)
        assert "line 3, column 'value': value '5' is outside the declared scale 0..3" in msg
        assert "2 values in all" in msg

    def test_firm_not_on_roster(self, tmp_path, firms_file):
        path = write_text(tmp_path / "t.csv", ["respondent", "alter"], [("B", "C"), ("B", "ZZ")])
        with pytest.raises(kflow.SurveyError) as err:
            kflow.read_survey(path, orientation="asks", firms=firms_file)
        msg = str(err.value)
        assert "t.csv, line 3: firm 'ZZ' is not on the roster in" in msg
        assert "firms.csv" in msg and "add_unknown_firms=True" in msg

    def test_duplicate_ties(self, tmp_path):
        path = write_text(
            tmp_path / "t.csv", ["respondent", "alter"], [("A", "B"), ("A", "C"), ("A", "B")]
        )
        with pytest.raises(
            kflow.SurveyError,
            match=r"lines 2 and 4: the tie B -> A .* more than "
            "once.*duplicates='max'",
        ):
            kflow.read_survey(path, orientation="asks")

    def test_non_respondent_who_answers(self, tmp_path):
        firms = write_text(
            tmp_path / "f.csv", ["firm_id", "respondent"], [("A", "yes"), ("B", "no")]
        )
        path = write_text(tmp_path / "t.csv", ["respondent", "alter"], [("A", "B"), ("B", "A")])
        with pytest.raises(
            kflow.SurveyError, match="line 3: firm 'B' answers here but is marked respondent=no"
        ):
            kflow.read_survey(path, orientation="asks", firms=firms)

    def test_bad_respondent_flag(self, tmp_path):
        firms = write_text(
            tmp_path / "f.csv", ["firm_id", "respondent"], [("A", "yes"), ("B", "maybe")]
        )
        path = write_text(tmp_path / "t.csv", ["respondent", "alter"], [("A", "B")])
        with pytest.raises(
            kflow.SurveyError, match="f.csv, line 3, column 'respondent': value 'maybe'.*yes/no"
        ):
            kflow.read_survey(path, orientation="asks", firms=firms)

    def test_duplicate_firm_id(self, tmp_path):
        firms = write_text(tmp_path / "f.csv", ["firm_id"], [("A",), ("B",), ("A",)])
        path = write_text(tmp_path / "t.csv", ["respondent", "alter"], [("A", "B")])
        with pytest.raises(
            kflow.SurveyError, match="f.csv, line 4, column 'firm_id': value 'A'.*appears twice"
        ):
            kflow.read_survey(path, orientation="asks", firms=firms)

    def test_firms_table_without_id_column(self, tmp_path):
        firms = write_text(tmp_path / "f.csv", ["code", "size"], [("A", 1)])
        path = write_text(tmp_path / "t.csv", ["respondent", "alter"], [("A", "B")])
        with pytest.raises(kflow.SurveyError, match="no firm id column.*'code', 'size'"):
            kflow.read_survey(path, orientation="asks", firms=firms)

    def test_external_bad_direction(self, tmp_path):
        ext = write_text(
            tmp_path / "e.csv",
            ["firm_id", "actor", "direction"],
            [("A", "Uni", "in"), ("A", "Buyer", "inbound")],
        )
        path = write_text(tmp_path / "t.csv", ["respondent", "alter"], [("A", "B")])
        with pytest.raises(
            kflow.SurveyError,
            match="e.csv, line 3, column 'direction': value 'inbound'.*'in'.*'out'",
        ):
            kflow.read_survey(path, orientation="asks", external=ext)

    def test_external_actor_with_two_types(self, tmp_path):
        ext = write_text(
            tmp_path / "e.csv",
            ["firm_id", "actor", "actor_type"],
            [("A", "Uni", "university"), ("B", "Uni", "consultant")],
        )
        path = write_text(tmp_path / "t.csv", ["respondent", "alter"], [("A", "B")])
        with pytest.raises(kflow.SurveyError, match="lines 2, 3: actor 'Uni' has several"):
            kflow.read_survey(path, orientation="asks", external=ext)

    def test_external_actor_named_like_a_firm(self, tmp_path):
        ext = write_text(tmp_path / "e.csv", ["firm_id", "actor"], [("A", "B")])
        path = write_text(tmp_path / "t.csv", ["respondent", "alter"], [("A", "B")])
        with pytest.raises(
            kflow.SurveyError, match="e.csv, line 2, column 'actor': value 'B' is also a firm"
        ):
            kflow.read_survey(path, orientation="asks", external=ext)

    def test_external_firm_not_on_roster(self, tmp_path, firms_file):
        ext = write_text(tmp_path / "e.csv", ["firm_id", "actor"], [("QQ", "Uni")])
        path = write_text(tmp_path / "t.csv", ["respondent", "alter"], [("B", "C")])
        with pytest.raises(kflow.SurveyError, match="e.csv, line 2, column 'firm_id': firm 'QQ'"):
            kflow.read_survey(path, orientation="asks", firms=firms_file, external=ext)

    def test_unsupported_and_missing_files(self, tmp_path):
        odd = tmp_path / "t.sav"
        odd.write_text("x")
        with pytest.raises(
            kflow.SurveyError,
            match=r"t\.sav: files ending in '\.sav' are not "
            "supported",
        ):
            kflow.read_survey(odd, orientation="asks")
        with pytest.raises(kflow.SurveyError, match="no such file"):
            kflow.read_survey(tmp_path / "nope.csv", orientation="asks")

    def test_ragged_rows(self, tmp_path):
        path = tmp_path / "t.csv"
        path.write_text("respondent,alter\nA,B\nA,C,3,4\n")
        with pytest.raises(kflow.SurveyError, match="not a well-formed delimited file"):
            kflow.read_survey(path, orientation="asks")

    def test_matrix_bad_cell(self, tmp_path):
        path = write_text(tmp_path / "m.csv", ["", "A", "B"], [("A", 0, "x"), ("B", 1, 0)])
        with pytest.raises(kflow.SurveyError, match="m.csv, line 2, column 'B': value 'x'"):
            kflow.read_survey(path, orientation="asks")

    def test_matrix_row_without_column(self, tmp_path):
        path = write_text(tmp_path / "m.csv", ["", "A", "B"], [("A", 0, 1), ("C", 1, 0)])
        with pytest.raises(
            kflow.SurveyError,
            match=r"line 3, column '\(first column\)': value "
            "'C'.*must also head a column",
        ):
            kflow.read_survey(path, orientation="asks", layout="matrix")

    def test_matrix_duplicate_column(self, tmp_path):
        path = write_text(tmp_path / "m.csv", ["", "A", "A"], [("A", 0, 1)])
        with pytest.raises(kflow.SurveyError, match="'A' heads two columns"):
            kflow.read_survey(path, orientation="asks", layout="matrix")

    def test_survey_error_is_a_value_error(self):
        assert issubclass(kflow.SurveyError, ValueError)
        assert issubclass(kflow.SurveyError, kflow.KflowError)


def test_outside_actor_named_like_a_roster_firm_is_refused(tmp_path):
    ties = pd.DataFrame({"source": ["F1", "F2"], "target": ["F2", "F3"]})
    ext = tmp_path / "outside.csv"
    ext.write_text("firm_id,actor\nF1,Uni\nF2,F10\nF3,F3\nF1,F3\n")
    with pytest.raises(kflow.SurveyError) as info:
        kflow.read_survey(ties, orientation="flow", external=ext,
                          firms=pd.DataFrame({"firm_id": ["F1", "F2", "F3", "F10"]}))
    message = str(info.value)
    # The first clashing id in text order ("F10" before "F3"), at its first line (3).
    assert "outside.csv" in message and "line 3" in message and "'actor'" in message
    assert "value 'F10' is also a firm of the cluster roster" in message
    assert "rename the actor" in message


_SPACES = ["", " ", "\t", "\n", "\x1c", "\x1f", "\u00a0", "\u2003", "\u3000", "\x85"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_SPACES),
                          st.text(alphabet="aZ0é€-_ \u00a0", max_size=4),
                          st.sampled_from(_SPACES)), min_size=1, max_size=30),
       st.booleans(), st.booleans())
def test_trim_check_never_misses_a_cell_to_trim(cells, large, with_null):
    import pyarrow as pa

    from kflow.io.tables import needs_trim

    values = [a + b + c for a, b, c in cells] + ([None] if with_null else [])
    kind = pa.large_string() if large else pa.string()
    array = pa.chunked_array([pa.array(values[:3], kind), pa.array(values[3:], kind)])
    column = pd.Series(pd.arrays.ArrowExtensionArray(array))
    changed = any(v is not None and v.strip() != v for v in values)
    if changed:
        assert needs_trim(column)
    # A column without spaces at its edges is found as such (ASCII-only cells).
    plain = [v.strip() for v in values if v is not None and v.strip().isascii()]
    if plain:
        assert not needs_trim(pd.Series(pd.arrays.ArrowExtensionArray(pa.chunked_array(
            [pa.array(plain, kind)]))))
    # A slice of a column (an offset into Arrow's buffers) is checked at its own cells.
    sliced = pd.Series(pd.arrays.ArrowExtensionArray(array.slice(1)))
    assert needs_trim(sliced) or all(v is None or v.strip() == v for v in values[1:])


def test_cells_are_trimmed_when_needed_and_left_when_not():
    import pyarrow as pa

    frame = pd.DataFrame({
        "source": pd.arrays.ArrowExtensionArray(pa.chunked_array([pa.array(
            ["A", " B", "C\u00a0"], pa.large_string())])),
        "target": pd.arrays.ArrowExtensionArray(pa.chunked_array([pa.array(
            ["B", "C", "A"], pa.large_string())])),
    })
    s = kflow.read_survey(frame, orientation="flow")
    assert s.ties[["source", "target"]].values.tolist() == [["A", "B"], ["B", "C"], ["C", "A"]]


def test_trim_check_reads_a_sliced_column_at_its_own_cells():
    import pyarrow as pa

    from kflow.io.tables import needs_trim

    def column(values, start):
        return pd.Series(pd.arrays.ArrowExtensionArray(
            pa.chunked_array([pa.array(values, pa.string())]).slice(start)))

    assert needs_trim(column(["a", "b", " c"], 1))
    assert not needs_trim(column([" a", "b", "c"], 1))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(["F1", "F10", "F2", "é", "", " F1"])),
                max_size=40),
       st.integers(0, 40), st.booleans())
def test_id_codes_are_pandas_factorize(values, cut, large):
    import numpy as np
    import pyarrow as pa

    from kflow.io.codes import factorize

    kind = pa.large_string() if large else pa.string()
    array = pa.chunked_array([pa.array(values[:cut], kind), pa.array(values[cut:], kind)])
    column = pd.Series(pd.arrays.ArrowExtensionArray(array))
    codes, uniques = factorize(column)
    expected_codes, expected_uniques = pd.factorize(pd.Series(values, dtype=object))
    assert codes.tolist() == expected_codes.tolist()
    assert np.asarray(uniques, dtype=object).tolist() == list(expected_uniques)


@pytest.mark.parametrize("shape", ["F{}", "{}", "firm {}x", "F{:03d}"])
def test_two_id_columns_share_one_table_of_ids(shape):
    import numpy as np

    import kflow.io.codes as codes_module

    rng = np.random.default_rng(4)
    source = [shape.format(v) for v in rng.integers(0, 50, 400)]
    target = [shape.format(v) for v in rng.integers(30, 90, 400)]
    first, second = codes_module.shared_ids(pd.Series(source, dtype="str"),
                                            pd.Series(target, dtype="str"))
    assert first.categories is second.categories
    assert first.categories.is_unique
    # Each cell decodes to the id written in it, and the table holds exactly the ids used.
    assert list(first.astype(object)) == source
    assert list(second.astype(object)) == target
    assert set(first.categories) == set(source) | set(target)
    # Two cells hold the same code exactly when pandas codes both columns alike end to end.
    expected = pd.factorize(pd.Series(source + target, dtype=object))[0]
    both = np.concatenate([first.codes, second.codes])
    assert (both[:, None] == both[None, :]).tolist() == (
        expected[:, None] == expected[None, :]).tolist()


@pytest.mark.parametrize(
    ("source", "target", "numbered"),
    [
        (["F1", "F2", "F10"], ["F10", "F3", "F2"], True),
        (["F3", "F1", "F2", "F1"], ["F2", "F3", "F1", "F1"], True),  # a table of the range
        (["12", "7"], ["7", "300000000000"], True),  # far apart: hashed as integers
        (["F007", "F7"], ["F1", "F2"], False),  # a leading zero: "F007" is not "F7"
        (["A1", "B2"], ["A1", "A2"], False),  # two prefixes
        (["F1", "F"], ["F1", "F2"], False),  # a prefix without a number
        (["F-5", "F5"], ["F1", "F2"], False),  # a sign
        (["F0x0200000000000000", "F5"], ["F1", "F2"], False),  # Arrow reads "0x..." as hex
        (["0", "10", "7"], ["0", "3"], True),  # 0 is written "0"
        (["00", "0"], ["1", "2"], False),
        (["É1", "É2"], ["É1", "É3"], False),  # a prefix beyond ASCII
        (["F1", "F1234567890123456789"], ["F1", "F2"], False),  # more digits than int64 holds
        (["F3", "F1"], ["F2", "F3"], True),  # every number of the range used
        (["5000000001", "5000000000"], ["5000000002", "5000000000"], True),  # beyond 32 bits
    ],
)
def test_ids_coded_through_their_numbers_only_when_id_and_number_stand_for_each_other(
        source, target, numbered):
    import kflow.io.codes as codes_module

    a, b = pd.Series(source, dtype="str"), pd.Series(target, dtype="str")
    assert (codes_module._numbered_ids(a, b) is not None) is numbered
    first, second = codes_module.shared_ids(a, b)
    assert list(first.astype(object)) == source
    assert list(second.astype(object)) == target
    assert first.categories is second.categories and first.categories.is_unique
    assert first.dtype == pd.CategoricalDtype(first.categories)  # the unchecked table is one
    assert first.dtype.ordered is False
    if numbered:  # the table of ids is in natural order, by either coding path
        assert list(first.categories) == sorted(set(source) | set(target), key=V.natural_key)
        assert codes_module.ids_in_order(pd.Series(first), pd.Series(second)) is first.categories
    else:
        assert codes_module.ids_in_order(pd.Series(first), pd.Series(second)) is None


def test_ids_in_order_are_the_ids_the_columns_still_use():
    from kflow.io.codes import ids_in_order, shared_ids

    first, second = shared_ids(pd.Series(["F9", "F2", "F30"], dtype="str"),
                               pd.Series(["F2", "F9", "F4"], dtype="str"))
    assert list(ids_in_order(pd.Series(first), pd.Series(second))) == ["F2", "F4", "F9", "F30"]
    # The columns as coded, every row kept: the table itself, without counting.
    assert ids_in_order(pd.Series(first), pd.Series(second), all_used=True) is first.categories
    # After a row is dropped (a self-tie, say), only the ids still used, in the same order.
    kept = [False, False, True]
    assert list(ids_in_order(pd.Series(first)[kept], pd.Series(second)[kept])) == ["F4", "F30"]


@pytest.mark.parametrize(
    ("ties", "outside", "expected"),
    [
        # Numbered ids: the roster is the ties' own table of ids, in natural order.
        ([("F10", "F2"), ("F2", "F1"), ("F3", "F3")], ["F2"], ["F1", "F2", "F10"]),
        # A firm only the outside ties name joins the roster in its natural place.
        ([("F10", "F2"), ("F2", "F1")], ["F7"], ["F1", "F2", "F7", "F10"]),
        # Tax numbers far apart, coded by hashing the numbers.
        ([("900000000001", "12"), ("12", "7")], [], ["7", "12", "900000000001"]),
        # Ids of another shape, hashed as text and sorted.
        ([("F010", "F2"), ("F2", "F1")], ["F7"], ["F1", "F2", "F7", "F010"]),
    ],
)
def test_roster_of_the_firms_named_is_in_natural_order(tmp_path, ties, outside, expected):
    path = write_text(tmp_path / "t.csv", ["source", "target"], ties)
    ext = pd.DataFrame({"firm_id": outside, "actor": ["Uni"] * len(outside)})
    s = kflow.read_survey(path, orientation="flow", external=ext if outside else None)
    assert s.firm_ids == expected
    assert s.firms.index.name == "firm_id" and s.firms.index.dtype == object
    assert s.firms["name"].tolist() == expected
    # Each tie names the firms written in its row (the self-tie is dropped).
    written = {(a, b) for a, b in ties if a != b}
    assert set(map(tuple, s.ties[["source", "target"]].values.tolist())) == written


def test_distinct_ids_of_two_coded_columns():
    from kflow.io.codes import distinct, shared_ids

    source = ["F1", "F2", None, "F3", "F2"]
    target = ["F4", "F1", "F1", None, "F5"]
    first, second = shared_ids(pd.Series(source, dtype="str"), pd.Series(target, dtype="str"))
    both = distinct(pd.Series(first), pd.Series(second))
    assert both == {v for v in source + target if v is not None}
    assert distinct(pd.Series(second)) == {"F4", "F1", "F5"}


def test_a_column_of_other_ids_stops_the_reading_of_the_other():
    import threading

    import pyarrow as pa

    from kflow.io.codes import _numbers_after

    numbered = pa.chunked_array([pa.array(["F1", "F2"]), pa.array(["F3"])])
    stop = threading.Event()
    numbers, least, greatest = _numbers_after(numbered, "F", stop)
    assert numbers.tolist() == [1, 2, 3] and (least, greatest) == (1, 3)
    assert not stop.is_set()
    assert _numbers_after(pa.chunked_array([pa.array(["F007"])]), "F", stop) is None
    assert stop.is_set()  # the other column's reading ends at its next chunk
    assert _numbers_after(numbered, "F", stop) is None


def test_numbers_beyond_32_bits_are_read_as_64():
    import pyarrow as pa

    from kflow.io.codes import _numbers_after

    numbers, least, greatest = _numbers_after(
        pa.chunked_array([pa.array(["F7", "F2"]), pa.array(["F9999999999", "F3"])]), "F")
    assert numbers.dtype == np.int64 and numbers.tolist() == [7, 2, 9999999999, 3]
    assert (least, greatest) == (2, 9999999999)
    small, _, _ = _numbers_after(pa.chunked_array([pa.array(["F7", "F2"])]), "F")
    assert small.dtype == np.int32


def test_table_of_distinct_ids_without_pandas_unchecked_constructor(monkeypatch):
    from kflow.io.codes import distinct_dtype

    ids = pd.Index(["F1", "F2", "F10"], dtype=object)
    checked = pd.CategoricalDtype(ids)
    assert distinct_dtype(ids) == checked
    monkeypatch.delattr(pd.CategoricalDtype, "_from_fastpath")
    assert distinct_dtype(ids) == checked


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (["F1", "F2", "F3"], ["F3", "F4", "F1"]),  # every number of the range: codes by subtraction
        (["F10", "F2", "F300"], ["F2", "F7", "F10"]),  # numbers with gaps
        (["900000000001", "12"], ["12", "7"]),  # numbers far apart, hashed as integers
    ],
)
def test_outside_firms_found_by_number_where_a_lookup_finds_them(source, target, monkeypatch):
    from kflow.io.codes import ids_in_order, positions_in, shared_ids

    first, second = shared_ids(pd.Series(source, dtype="str"), pd.Series(target, dtype="str"))
    ids = ids_in_order(pd.Series(first), pd.Series(second), all_used=True)
    assert ids is not None
    prefix = "F" if source[0].startswith("F") else ""
    wanted = [*ids, prefix + "5", prefix + "007", prefix + "0", "G2", prefix + "99999",
              prefix + "12 ", "12", "F2"]
    expected = pd.Index(list(ids), dtype=object).get_indexer(pd.Index(wanted, dtype=object))
    assert positions_in(ids, np.array(wanted, dtype=object)).tolist() == expected.tolist()
    # every wanted id of the table's shape: found by number (no lookup), the same positions
    shaped = [w for w in wanted if w.startswith(prefix) and w[len(prefix):].isdigit()]
    expected = pd.Index(list(ids), dtype=object).get_indexer(pd.Index(shaped, dtype=object))

    def no_lookup(*args, **kwargs):
        raise AssertionError("looked up")

    monkeypatch.setattr(pd.Index, "get_indexer", no_lookup)
    assert positions_in(ids, np.array(shaped, dtype=object)).tolist() == expected.tolist()
