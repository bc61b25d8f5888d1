"""``kflow.questionnaire``: the roster questionnaire as an Excel workbook, one sheet per firm.

The layout (rows, columns, the hidden sheet that records it) is defined in
:mod:`kflow.io.questionnaire`, which reads the filled workbook back.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from kflow.exceptions import SurveyError, bad_parameter
from kflow.interop.texts import ACTOR_TYPES, LANGUAGES, TEXTS
from kflow.io import questionnaire as Q
from kflow.io.roster import firm_id_column
from kflow.io.tables import load_table
from kflow.survey import Survey

__all__ = ["questionnaire"]

_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")
_FILL = "FFF4CC"


def questionnaire(
    firms: Survey | pd.DataFrame | str | Path,
    path: str | Path,
    *,
    language: str = "en",
    question: str | None = None,
    scale: tuple[int, int] = (0, 3),
    firm_id: str | None = None,
) -> Path:
    """Write a roster questionnaire workbook to fill in and read back with
    ``read_survey(path, layout="questionnaire")``.

    The workbook has an instructions sheet, then one sheet per respondent firm: the question,
    every other firm of the roster with an answer cell restricted by Excel data validation to
    whole numbers of ``scale``, and a block of ten rows for outside sources (actor, type from a
    list, direction ``in``/``out``, importance). A hidden sheet records the layout, so the filled
    workbook is read back without guessing. The answers are read with orientation ``"asks"``:
    respondent r rating firm a with v > 0 gives the knowledge-flow tie a → r of weight v.

    Parameters
    ----------
    firms : Survey, pandas.DataFrame or path
        The roster: a survey's firms, or a table with a ``firm_id`` (or ``id``, ``firm``) column
        and an optional ``name`` column, in the order the firms should be listed.
    path : str or pathlib.Path
        The ``.xlsx`` file to write (replaced if it exists).
    language : {"en", "es", "pt"}
        Language of the fixed texts (title, instructions, headers, the default question).
    question : str, optional
        The roster question; default: the technical-advice question of the cluster literature,
        "If you are in a critical situation and need technical advice, to which of the local
        firms listed below do you turn?"
    scale : (int, int)
        The answer scale; the roster literature uses 0–3.
    firm_id : str, optional
        The id column of a firms table (default ``firm_id``, ``id``, ``firm``).

    Returns
    -------
    pathlib.Path
        The workbook written.

    See Also
    --------
    kflow.read_survey : reads the filled workbook with ``layout="questionnaire"``.

    References
    ----------
    Giuliani, E. (2007). The selective nature of knowledge networks in clusters. *Journal of
    Economic Geography* 7(2), 139–168 (the roster recall method and question).

    Examples
    --------
    >>> import tempfile, pathlib, kflow
    >>> roster = kflow.datasets.load_dataset("wine_cluster")
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "roster.xlsx"
    >>> kflow.questionnaire(roster, out, language="es").name
    'roster.xlsx'
    >>> int(kflow.read_survey(out, layout="questionnaire").firms["respondent"].sum())  # blank
    0
    """
    from openpyxl import Workbook

    if language not in LANGUAGES:
        raise bad_parameter("questionnaire", "language", f"one of {', '.join(LANGUAGES)}",
                            language)
    lo, hi = _scale(scale)
    ids, names = _roster(firms, firm_id)
    texts = {k: v.format(lo=lo, hi=hi, rows=Q.OUTSIDE_ROWS) for k, v in TEXTS[language].items()}
    question = question or texts["question"]
    book = Workbook()
    _instructions(book.active, texts, question, lo, hi)
    sheets = _sheet_names(ids, texts["instructions"])
    meta = book.create_sheet(Q.META_SHEET)
    _meta_header(meta, language, lo, hi, question)
    for k, (fid, sheet_name) in enumerate(zip(ids, sheets, strict=True)):
        others = [(i, n) for i, n in zip(ids, names, strict=True) if i != fid]
        plan = Q.plan_sheet(len(others))
        _firm_sheet(book.create_sheet(sheet_name), fid, names[k], others, plan, texts, question,
                    lo, hi)
        for col, value in enumerate((sheet_name, fid, names[k], *plan), start=1):
            _put(meta.cell(Q.META_FIRST_ROW + k, col), value)
    book.move_sheet(meta, offset=len(book.sheetnames))
    meta.sheet_state = "hidden"
    stamp = datetime(2000, 1, 1, tzinfo=timezone.utc).replace(tzinfo=None)
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = "kflow"
    out = Path(path)
    try:
        book.save(out)
    except OSError as exc:
        raise SurveyError(f"{out}: cannot be written ({exc.strerror}).") from None
    return out


def _scale(scale) -> tuple[int, int]:
    try:
        lo, hi = (int(x) for x in scale)
    except (TypeError, ValueError):
        raise bad_parameter("questionnaire", "scale", "a (min, max) pair of whole numbers",
                            scale) from None
    if lo > hi or (lo, hi) != tuple(scale):
        raise bad_parameter("questionnaire", "scale", "a (min, max) pair of whole numbers with "
                            "min <= max", scale)
    return lo, hi


def _roster(firms, firm_id: str | None) -> tuple[list[str], list[str]]:
    if isinstance(firms, Survey):
        frame = firms.firms
        names = frame["name"] if "name" in frame.columns else pd.Series("", index=frame.index)
        return [str(i) for i in frame.index], ["" if pd.isna(n) else str(n) for n in names]
    table = load_table(firms, what="firms")
    idx = firm_id_column(table, firm_id)
    ids = table.cells[idx].tolist()
    for k, fid in enumerate(ids):
        if not fid or fid in ids[:k]:
            problem = "is blank" if not fid else "appears twice"
            raise SurveyError(f"{table.where(k, table.header[idx])}: the firm id {fid!r} "
                              f"{problem}; every firm of the roster needs an id of its own.")
    lowered = [h.lower() for h in table.header]
    names = table.cells[lowered.index("name")].tolist() if "name" in lowered else [""] * len(ids)
    return ids, names


def _sheet_names(ids: list[str], instructions: str) -> list[str]:
    """The firm id where Excel allows it as a sheet name, else ``Firm 001``, ``Firm 002``…"""
    taken = {instructions.lower(), Q.META_SHEET}
    out = []
    for k, fid in enumerate(ids, start=1):
        name = fid
        if (len(name) > 31 or _BAD_SHEET.search(name) or name.startswith("'")
                or name.endswith("'") or name.lower() in taken or not name):
            name = f"Firm {k:03d}"
        taken.add(name.lower())
        out.append(name)
    return out


def _put(cell, value, *, bold: bool = False, wrap: bool = False) -> None:
    """Write a value as itself: text that starts with '=' stays text, never a formula."""
    from openpyxl.styles import Alignment, Font

    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _instructions(sheet, texts: dict, question: str, lo: int, hi: int) -> None:
    sheet.title = texts["instructions"]
    _put(sheet["A1"], texts["title"], bold=True)
    _put(sheet["A3"], question, wrap=True)
    for k, step in enumerate(texts["steps"].split("|"), start=5):
        _put(sheet.cell(k, 1), f"{k - 4}. {step}", wrap=True)
    _put(sheet.cell(13, 1), f"{texts['scale']}: {lo}–{hi}. {texts['rate']}", wrap=True)
    sheet.column_dimensions["A"].width = 110


def _meta_header(meta, language: str, lo: int, hi: int, question: str) -> None:
    for cell, value in (("A1", Q.MARK), ("B1", Q.LAYOUT_VERSION), ("A2", "language"),
                        ("B2", language), ("A3", "scale"), ("B3", lo), ("C3", hi),
                        ("A4", "question"), ("B4", question)):
        _put(meta[cell], value)
    for col, name in enumerate(Q.META_HEADER, start=1):
        _put(meta.cell(Q.META_FIRST_ROW - 1, col), name)


def _firm_sheet(sheet, fid, name, others, plan, texts, question, lo: int, hi: int) -> None:
    from openpyxl.styles import PatternFill

    _put(sheet["A1"], texts["title"], bold=True)
    _put(sheet[f"A{Q.ID_ROW}"], texts["respondent"], bold=True)
    _put(sheet[f"B{Q.ID_ROW}"], fid, bold=True)
    _put(sheet[f"C{Q.ID_ROW}"], name)
    _put(sheet["A3"], question, wrap=True)
    sheet.merge_cells("A3:D3")
    sheet.row_dimensions[3].height = 45
    _put(sheet["A4"], texts["rate"], wrap=True)
    sheet.merge_cells("A4:D4")
    sheet.row_dimensions[4].height = 45
    for col, key in zip("ABC", ("firm_id", "firm_name", "answer"), strict=True):
        _put(sheet[f"{col}{Q.HEADER_ROW}"], texts[key], bold=True)
    fill = PatternFill("solid", fgColor=_FILL)
    for k, (other, other_name) in enumerate(others):
        row = plan.first_answer + k
        _put(sheet[f"A{row}"], other)
        _put(sheet[f"B{row}"], other_name)
        sheet[f"C{row}"].fill = fill
    answers = _whole(lo, hi, texts)
    sheet.add_data_validation(answers)
    if others:
        answers.add(f"C{plan.first_answer}:C{plan.last_answer}")
    _outside_block(sheet, plan, texts, lo, hi, fill)
    sheet.freeze_panes = f"A{Q.FIRST_ROW}"
    for col, width in zip("ABCD", (18, 34, 16, 16), strict=True):
        sheet.column_dimensions[col].width = width


def _whole(lo: int, hi: int, texts: dict):
    from openpyxl.worksheet.datavalidation import DataValidation

    return DataValidation(type="whole", operator="between", formula1=str(lo), formula2=str(hi),
                          allow_blank=True, showErrorMessage=True, errorTitle=texts["scale"],
                          error=texts["rate"])


def _outside_block(sheet, plan, texts: dict, lo: int, hi: int, fill) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    heading = plan.first_outside - 2
    _put(sheet[f"A{heading}"], texts["outside"], bold=True, wrap=True)
    sheet.merge_cells(f"A{heading}:D{heading}")
    sheet.row_dimensions[heading].height = 45
    for col, key in zip("ABCD", ("actor", "type", "direction", "importance"), strict=True):
        _put(sheet[f"{col}{heading + 1}"], texts[key], bold=True, wrap=True)
    sheet.row_dimensions[heading + 1].height = 45
    span = f"{plan.first_outside}:{plan.last_outside}"
    first, last = span.split(":")
    types = DataValidation(type="list", formula1='"' + ",".join(ACTOR_TYPES) + '"',
                           allow_blank=True)
    directions = DataValidation(type="list", formula1='"in,out"', allow_blank=True)
    importance = _whole(lo, hi, texts)
    for rule, col in ((types, "B"), (directions, "C"), (importance, "D")):
        sheet.add_data_validation(rule)
        rule.add(f"{col}{first}:{col}{last}")
    for row in range(plan.first_outside, plan.last_outside + 1):
        for col in "ABCD":
            sheet[f"{col}{row}"].fill = fill
