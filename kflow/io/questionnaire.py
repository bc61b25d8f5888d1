"""The roster questionnaire workbook: where its cells are, and how a filled one is read back.

:func:`kflow.questionnaire` writes the workbook; ``read_survey(path, layout="questionnaire")``
reads it. One sheet per respondent firm lists every other firm with an answer cell (column C)
and, below, a block of rows for outside sources (actor, type, direction, importance). A hidden
sheet records which firm each sheet belongs to, the answer scale and where the blocks are, so
the reader never guesses. A sheet with no answer at all is a non-respondent; a blank answer cell
of a respondent is "not named"; anything typed outside the answer cells is listed in the
validation report; an answer that is text or outside the scale is an error naming the sheet and
cell.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import NamedTuple

from kflow import vocabulary as V
from kflow.exceptions import SurveyError
from kflow.io.netfile import ForeignTables, records_table
from kflow.io.tables import Table

__all__ = ["LAYOUT_VERSION", "META_SHEET", "SheetPlan", "plan_sheet", "read_questionnaire"]

META_SHEET = "kflow"
LAYOUT_VERSION = 1
MARK = "kflow roster questionnaire"
ID_ROW = 2
HEADER_ROW = 6
FIRST_ROW = 7
OUTSIDE_ROWS = 25
ANSWER_COLUMN = "C"
OUTSIDE_COLUMNS = ("A", "B", "C", "D")
META_HEADER = ("sheet", "firm_id", "name", "first_answer_row", "last_answer_row",
               "first_outside_row", "last_outside_row")
META_FIRST_ROW = 7


class SheetPlan(NamedTuple):
    """Where the blocks of one respondent's sheet are: answer rows and outside-source rows."""

    first_answer: int
    last_answer: int
    first_outside: int
    last_outside: int


def plan_sheet(n_others: int) -> SheetPlan:
    """The rows of a sheet listing ``n_others`` firms: answers from row 7, then a heading row,
    a header row and the outside-source rows."""
    last = FIRST_ROW + n_others - 1
    first_outside = last + 4
    return SheetPlan(FIRST_ROW, last, first_outside, first_outside + OUTSIDE_ROWS - 1)


def read_questionnaire(path: Path, options: dict) -> ForeignTables:
    """Read a filled questionnaire (see the module) into the tables the survey reader checks."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, data_only=True)
    except (OSError, ValueError, KeyError) as exc:
        raise SurveyError(f"{path.name}: cannot be opened as a workbook ({exc}).") from None
    except Exception as exc:  # zip and XML errors of a damaged file come in several classes
        raise SurveyError(f"{path.name}: is not a readable .xlsx workbook ({exc}).") from None
    if META_SHEET not in book.sheetnames or book[META_SHEET]["A1"].value != MARK:
        raise SurveyError(
            f"{path.name}: is not a kflow roster questionnaire (it has no hidden {META_SHEET!r} "
            "sheet). Write the questionnaire with kflow.questionnaire, or read the workbook as "
            "an edge list or roster matrix without layout='questionnaire'."
        )
    meta = book[META_SHEET]
    scale = (float(meta["B3"].value), float(meta["C3"].value))
    plans = _plans(path, meta)
    firms = [p[1] for p in plans]
    ties: list[tuple] = []
    outside: list[tuple] = []
    respondent: dict[str, bool] = {}
    notes: list[str] = []
    bad: list[str] = []
    for sheet_name, firm, _, plan in plans:
        if sheet_name not in book.sheetnames:
            raise SurveyError(f"{path.name}: the sheet {sheet_name!r} of firm {firm!r} is "
                              "missing; restore it (a blank sheet means the firm did not answer).")
        sheet = book[sheet_name]
        others = [f for f in firms if f != firm]
        answers = _answers(path, sheet, firm, others, plan, scale, bad)
        sources = _outside(sheet, firm, plan)
        ties += answers
        outside += sources
        respondent[firm] = bool(answers or sources)
        notes += _stray(path, sheet, plan)
    if bad:
        more = f" (and {len(bad) - 10} more)" if len(bad) > 10 else ""
        raise SurveyError(
            f"{path.name}: {len(bad)} answer cell(s) hold a value that is not a number from "
            f"{scale[0]:g} to {scale[1]:g}: {'; '.join(bad[:10])}{more}. Correct them in the "
            "workbook (leave a cell blank when the firm was not named)."
        )
    label = path.name
    firm_names = [p[2] or "" for p in plans]
    firms_tab = _firms_table(label, firms, firm_names, respondent)
    ext = _external_table(label, outside) if outside else None
    silent = [f for f in firms if not respondent[f]]
    if silent:
        notes.append(f"{label}: {len(silent)} sheets hold no answer; those firms are "
                     f"non-respondents: {', '.join(silent)}")
    return ForeignTables(records_table(label, ties, word="sheet"), firms_tab, ext, tuple(notes),
                         scale)


def _plans(path: Path, meta) -> list[tuple[str, str, str | None, SheetPlan]]:
    out = []
    for row in meta.iter_rows(min_row=META_FIRST_ROW, values_only=True):
        if not row or row[0] is None:
            continue
        sheet, firm, name, *rows = row[: len(META_HEADER)]
        out.append((str(sheet), str(firm), None if name is None else str(name),
                    SheetPlan(*(int(r) for r in rows))))
    if not out:
        raise SurveyError(f"{path.name}: the hidden {META_SHEET!r} sheet lists no firm; write "
                          "the questionnaire again with kflow.questionnaire.")
    return out


def _where(sheet, cell: str) -> str:
    return f"'{sheet.title}', cell {cell}"


def _answers(path: Path, sheet, firm: str, others: list[str], plan: SheetPlan, scale,
             bad: list[str]) -> list[tuple]:
    rows: list[tuple] = []
    for k, other in enumerate(others):
        r = plan[0] + k
        written = sheet[f"A{r}"].value
        if written is None or str(written).strip() != other:
            raise SurveyError(
                f"{path.name}, sheet {_where(sheet, f'A{r}')}: holds {written!r} where the "
                f"questionnaire listed firm {other!r}. Restore the firm id; rows must not be "
                "moved, added or deleted."
            )
        cell = f"{ANSWER_COLUMN}{r}"
        value = sheet[cell].value
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        number = _number(value)
        if number is None or not scale[0] <= number <= scale[1]:
            bad.append(f"sheet {_where(sheet, cell)}: {value!r}")
            continue
        rows.append((_where(sheet, cell), firm, other, f"{number:g}", V.DEFAULT_RELATION, None))
    return rows


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _outside(sheet, firm: str, plan: SheetPlan) -> list[tuple]:
    rows = []
    for r in range(plan[2], plan[3] + 1):
        cells = [sheet[f"{c}{r}"].value for c in OUTSIDE_COLUMNS]
        text = ["" if v is None else str(v).strip() for v in cells]
        if any(text):
            rows.append((f"'{sheet.title}', row {r}", firm, *text))
    return rows


def _stray(path: Path, sheet, plan: SheetPlan) -> list[str]:
    """Cells typed where no answer belongs: listed in the validation report, not read."""
    allowed_answer = range(plan[0], plan[1] + 1)
    allowed_outside = range(plan[2], plan[3] + 1)
    out = []
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1):
        for cell in row:
            if cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
                continue
            r, c = cell.row, cell.column_letter
            if r in allowed_answer and c in ("A", "B", ANSWER_COLUMN):
                continue
            if r in allowed_outside and c in OUTSIDE_COLUMNS:
                continue
            if r in (plan[2] - 2, plan[2] - 1) and c in OUTSIDE_COLUMNS:
                continue
            out.append(f"{cell.coordinate} {cell.value!r}")
    if not out:
        return []
    more = f" and {len(out) - 8} more" if len(out) > 8 else ""
    return [f"{path.name}, sheet '{sheet.title}': {len(out)} cells typed outside the answer "
            f"cells were not read: {', '.join(out[:8])}{more}"]


def _firms_table(label: str, firms: list[str], names: list[str], answered: dict) -> Table:
    import pandas as pd

    cells = pd.DataFrame({0: firms, 1: names, 2: ["yes" if answered[f] else "no" for f in firms]},
                         dtype=object)
    return Table(label, ["firm_id", "name", "respondent"], cells,
                 [f"'{META_SHEET}' row {META_FIRST_ROW + k}" for k in range(len(firms))], "sheet")


def _external_table(label: str, rows: list[tuple]) -> Table:
    import pandas as pd

    cells = pd.DataFrame({i: [r[i + 1] for r in rows] for i in range(5)}, dtype=object)
    return Table(label, ["firm_id", "actor", "actor_type", "direction", "weight"], cells,
                 [r[0] for r in rows], "sheet")
