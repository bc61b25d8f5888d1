"""Read one input table (CSV/TSV, XLSX, Parquet or a DataFrame) into cells of text.

Every cell becomes a trimmed string ("" for an empty cell), so that firm ids stay exactly as
written ("007" is never 7) and every later check works on one representation. Each data row keeps
the row number a person sees in the file: the line number in a text file, the sheet row in a
workbook, the 1-based row in a Parquet file, or the index label of a DataFrame.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from kflow.exceptions import SurveyError
from kflow.io.bytescan import all_ascii, empty_cells, needs_trim
from kflow.io.codes import arrow_text
from kflow.io.text import read_text

__all__ = ["Table", "load_table", "parse_numbers"]

TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ".tab"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
SUPPORTED = sorted(TEXT_SUFFIXES | EXCEL_SUFFIXES | PARQUET_SUFFIXES)

# Cells are held as pandas' Arrow-backed text, so that checks over millions of cells are
# vectorized rather than run cell by cell.
TEXT = pd.StringDtype("pyarrow", na_value=np.nan)
_DECIMAL_COMMA = re.compile(r"^[+-]?\d*,\d+$")
# "1,000" is a thousand with a thousands separator, or one with a decimal comma: refused.
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+$")


@dataclass(frozen=True)
class Table:
    """A table read from one input.

    Attributes
    ----------
    label : str
        The file name, or ``"<name DataFrame>"`` for an in-memory table; used in every message.
    header : list of str
        The column names as written (trimmed).
    cells : pandas.DataFrame
        The data rows, every cell a trimmed string, columns numbered 0..k-1.
    rows : list or range
        For each data row, the row number a person sees (line, sheet row, or index label).
    row_word : str
        What ``rows`` counts: ``"line"``, ``"row"`` or ``"index"``.
    encoding, sep : str or None
        What a text file was read with (sniffed when not given).
    notes : tuple of str
        What reading changed in the cells (Unicode normalization), for the validation report.
    """

    label: str
    header: list[str]
    cells: pd.DataFrame
    rows: list | range
    row_word: str
    encoding: str | None = None
    sep: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def rows_word(self) -> str:
        """The plural of ``row_word`` (lines, rows, indexes)."""
        return "indexes" if self.row_word == "index" else f"{self.row_word}s"

    def where(self, position: int, column: str | None = None) -> str:
        """Describe a data row (and column) for an error message."""
        place = f"{self.label}, {self.row_word} {self.rows[position]}"
        return f"{place}, column {column!r}" if column is not None else place

    def blank_rows(self) -> np.ndarray:
        """Boolean mask of rows whose every cell is empty."""
        return _blank_rows(self.cells)


def _blank_rows(cells: pd.DataFrame) -> np.ndarray:
    """Rows whose every cell is empty, column by column (no table of millions of flags); the
    usual file's first column is filled throughout, and then no other column is read."""
    blank = np.ones(len(cells), dtype=bool)
    for column in cells.columns:
        blank &= empty_cells(cells[column])
        if not blank.any():
            break
    return blank


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (np.floating,)):
        return _cell_text(float(value))
    if value is pd.NA or value is pd.NaT:
        return ""
    return str(value).strip()


def _as_text(frame: pd.DataFrame, trimmed: bool = False) -> pd.DataFrame:
    """Turn every cell into trimmed text, writing integral floats without '.0'. The columns are
    pandas' Arrow-backed text ("str"), so that the checks that follow are vectorized.
    ``trimmed``: no text cell has surrounding whitespace (known from the file's bytes)."""
    out = {}
    for i, name in enumerate(frame.columns):
        col = frame[name]
        if pd.api.types.is_string_dtype(col.dtype) and not pd.api.types.is_object_dtype(col.dtype):
            text = col.fillna("")
            if not trimmed and needs_trim(col):
                text = text.str.strip()
        elif pd.api.types.is_integer_dtype(col.dtype) and not col.isna().any():
            text = col.astype(str)
        else:
            text = [_cell_text(v) for v in col.tolist()]
        out[i] = pd.Series(text, index=col.index, dtype=TEXT)
    cells = pd.DataFrame(out, index=frame.index)
    cells.columns = range(frame.shape[1])
    return cells


def _split_header(
    frame: pd.DataFrame,
    numbers: list | range,
    label: str,
    row_word: str,
    encoding: str | None = None,
    sep: str | None = None,
    allow_empty: bool = False,
    trimmed: bool = False,
) -> Table:
    cells = _as_text(frame, trimmed)
    del frame
    # Rows whose every cell is empty, column by column (no table of millions of flags); the
    # filled cells are counted only on the rows that may be a title or the header.
    blank = _blank_rows(cells)
    if blank.all():
        raise SurveyError(f"{label}: the file is empty. Check that the right file was given.")
    h = _next_filled(blank, 0)
    notes: tuple[str, ...] = ()
    # A title above the header (a merged cell across the sheet): one filled cell, then a row
    # with several. It is not a record; the note says it was left out.
    second = _next_filled(blank, h + 1)
    if (cells.shape[1] > 2 and second is not None and _filled_in(cells, h) == 1
            and _filled_in(cells, second) > 1):
        title = next(c for c in cells.iloc[h] if c != "")
        notes = (f"{label}, {row_word} {numbers[h]}: the title {title!r} above the header was "
                 "left out",)
        h = second
    header = cells.iloc[h].tolist()
    data = cells.iloc[h + 1 :].reset_index(drop=True)
    rows = numbers[h + 1 :]
    if allow_empty and len(data) == 0:
        empty = pd.DataFrame({i: pd.Series(dtype=object) for i in range(len(header))})
        return Table(label, header, empty, [], row_word, encoding, sep)
    if len(data) == 0 or blank[h + 1:].all():  # no filled cell below the header
        raise SurveyError(
            f"{label}: the file has a header ({', '.join(repr(c) for c in header)}) but no data "
            "rows. Check that the right file was given and that it was saved completely."
        )
    # Trailing columns that are empty in the header and every row come from stray delimiters.
    while header and header[-1] == "" and (data[data.columns[-1]] == "").all():
        header = header[:-1]
        data = data.iloc[:, :-1]
    data.columns = range(len(header))
    return Table(label, header, data, rows, row_word, encoding, sep, notes)


def _next_filled(blank: np.ndarray, start: int) -> int | None:
    """The first row from ``start`` on with a filled cell, or None."""
    rest = blank[start:]
    if rest.all():
        return None
    return start + int(np.argmin(rest))


def _filled_in(cells: pd.DataFrame, row: int) -> int:
    """How many cells of one row are filled."""
    return sum(c != "" for c in cells.iloc[row])


# Characters that print as nothing: zero-width spaces and joiners, word joiner, byte-order mark
# inside a cell, soft hyphen.
_INVISIBLE = "[\u200b\u200c\u200d\u2060\ufeff\u00ad]"


def load_table(
    obj: str | Path | pd.DataFrame | Table,
    *,
    what: str,
    encoding: str | None = None,
    sep: str | None = None,
    sheet: str | int | None = None,
    allow_empty: bool = False,
) -> Table:
    """Read a path or DataFrame into a :class:`Table` of trimmed, Unicode-normalized text cells
    (see :func:`_load_table` for the formats and errors). ``allow_empty`` accepts a text file
    with a header and no rows (a survey without ties, as :func:`kflow.write_survey` writes it);
    a :class:`Table` (a network file already read) is only normalized."""
    if not isinstance(obj, Table):
        obj = _load_table(obj, what=what, encoding=encoding, sep=sep, sheet=sheet,
                          allow_empty=allow_empty)
    return _normalized(obj)


def _normalized(table: Table) -> Table:
    """Cells in Unicode NFC with invisible characters removed, so that "Café" typed in two ways
    (or with a zero-width space) names one firm; what changed goes into the table's notes."""
    cells = table.cells.copy()
    changed = 0
    merged: list[tuple[str, str]] = []
    for column in cells.columns:
        raw = cells[column]
        if all_ascii(raw):  # NFC and the invisible characters concern non-ASCII only
            continue
        # Each distinct text is cleaned once, then put back in every cell that holds it.
        codes, distinct = pd.factorize(raw)
        distinct = pd.Series(distinct, dtype=TEXT)
        clean = distinct.str.normalize("NFC").str.replace(_INVISIBLE, "", regex=True).str.strip()
        differs = (clean != distinct).to_numpy()
        if differs.any():
            changed += int(differs[codes].sum())
            written = set(distinct[~differs])
            merged += [(r, c) for r, c in zip(distinct[differs], clean[differs], strict=True)
                       if c in written]
            cells[column] = pd.Series(clean.to_numpy()[codes], index=raw.index, dtype=TEXT)
    header = [unicodedata.normalize("NFC", re.sub(_INVISIBLE, "", h)).strip()
              for h in table.header]
    if header != table.header:
        table = replace(table, header=header)
    if not changed:
        return table
    note = (f"{table.label}: {changed} cells held invisible characters or a decomposed Unicode "
            "form and were normalized (NFC)")
    if merged:
        pairs = sorted({f"{r!r} as {c!r}" for r, c in merged})
        note += "; now read as the same text as other cells: " + ", ".join(pairs[:6])
    return replace(table, cells=cells, notes=(*table.notes, note))


def _load_table(
    obj: str | Path | pd.DataFrame,
    *,
    what: str,
    encoding: str | None = None,
    sep: str | None = None,
    sheet: str | int | None = None,
    allow_empty: bool = False,
) -> Table:
    """Read a path or DataFrame into a :class:`Table` of trimmed text cells.

    Parameters
    ----------
    obj : path or pandas.DataFrame
        A ``.csv``/``.tsv``/``.txt`` file (encoding and delimiter sniffed), an ``.xlsx`` workbook,
        a ``.parquet`` file, or a DataFrame.
    what : str
        What the table holds ("ties", "firms", "external"), used to label DataFrames.
    encoding, sep : str, optional
        Override the sniffed encoding (utf-8, utf-8 with BOM, latin-1) and delimiter (, ; tab).
    sheet : str or int, optional
        The workbook sheet to read (default: the first).

    Raises
    ------
    SurveyError
        If the file is missing, empty, header-only, malformed or of an unsupported type.
    """
    if isinstance(obj, pd.DataFrame):
        label = f"<{what} DataFrame>"
        if obj.shape[1] == 0 or len(obj) == 0:
            raise SurveyError(f"{label}: the DataFrame has no rows or no columns.")
        header = [str(c).strip() for c in obj.columns]
        cells = _as_text(obj)
        cells.columns = range(len(header))
        cells = cells.reset_index(drop=True)
        return Table(label, header, cells, list(obj.index), "index")
    path = Path(obj)
    label = str(path)
    if not path.exists():
        raise SurveyError(f"{label}: no such file. Check the path.")
    if path.is_dir():
        raise SurveyError(f"{label}: is a folder; give the {what} file inside it.")
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        frame, lines, used_encoding, used_sep, trimmed = read_text(path, label, encoding, sep)
        return _split_header(frame, lines, label, "line", used_encoding, used_sep,
                             allow_empty=allow_empty, trimmed=trimmed)
    if suffix in EXCEL_SUFFIXES:
        if path.stat().st_size == 0:
            raise SurveyError(f"{label}: the file is empty. Check that the right file was given.")
        frame = _read_workbook(path, label, sheet)
        return _split_header(frame, list(range(1, len(frame) + 1)), label, "row")
    if suffix in PARQUET_SUFFIXES:
        if path.stat().st_size == 0:
            raise SurveyError(f"{label}: the file is empty. Check that the right file was given.")
        try:
            frame = pd.read_parquet(path)
        except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
            raise SurveyError(
                f"{label}: is not a readable Parquet file ({exc}). Check that the file was "
                "written completely, or save the table as CSV."
            ) from None
        if len(frame) == 0:
            raise SurveyError(
                f"{label}: the file has columns ({', '.join(map(repr, frame.columns))}) but no "
                "data rows. Check that the right file was given."
            )
        header = [str(c).strip() for c in frame.columns]
        cells = _as_text(frame.reset_index(drop=True))
        return Table(label, header, cells, list(range(1, len(frame) + 1)), "row")
    raise SurveyError(
        f"{label}: files ending in {suffix or '(nothing)'!r} are not supported. "
        f"Save the table as one of {', '.join(SUPPORTED)}, or pass a DataFrame."
    )


def _read_workbook(path: Path, label: str, sheet) -> pd.DataFrame:
    import zipfile

    if not zipfile.is_zipfile(path):
        raise SurveyError(
            f"{label}: is not an Excel workbook (an .xlsx file is a zip archive; this one is "
            "not). Save it from the spreadsheet as .xlsx, or as CSV."
        )
    try:
        book = pd.ExcelFile(path)
    except Exception as exc:  # a damaged archive fails in openpyxl with many error types
        raise SurveyError(f"{label}: the workbook cannot be opened ({exc}).") from None
    with book:
        names = book.sheet_names
        chosen = 0 if sheet is None else sheet
        if isinstance(chosen, str) and chosen not in names:
            raise SurveyError(
                f"{label}: there is no sheet {chosen!r}; the sheets are "
                f"{', '.join(map(repr, names))}. Pass sheet= with one of them."
            )
        if isinstance(chosen, int) and not 0 <= chosen < len(names):
            raise SurveyError(
                f"{label}: sheet number {chosen} does not exist; the workbook has {len(names)} "
                f"sheets ({', '.join(map(repr, names))}), numbered from 0."
            )
        return pd.read_excel(book, sheet_name=chosen, header=None, dtype=object)


def parse_numbers(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Parse text cells as numbers, accepting decimal commas (``"1,5"`` is 1.5).

    A comma followed by exactly three digits (``"1,000"``) could be a thousands separator or a
    decimal comma; such a cell is refused rather than guessed.

    Returns the float values (NaN for empty cells) and a mask of cells that are not empty but
    do not parse; callers turn the first of those into an error naming its row.
    """
    fast = _plain_numbers(values)
    return fast if fast is not None else general_numbers(values)


def general_numbers(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """:func:`parse_numbers` cell by cell, with the decimal-comma and thousands rules."""
    text = values.astype(object)
    comma = text.str.match(_DECIMAL_COMMA).fillna(False).to_numpy(dtype=bool)
    if comma.any():
        text = text.where(~comma, text.str.replace(",", ".", regex=False))
    numbers = pd.to_numeric(text.where(text != "", None), errors="coerce").to_numpy(
        dtype=float, copy=True
    )
    bad = np.isnan(numbers) & (text != "").to_numpy()
    bad |= values.astype(object).str.match(_THOUSANDS).fillna(False).to_numpy(dtype=bool)
    # Literal "nan"/"inf" spellings parse in pandas; they are not tie values.
    bad |= np.isinf(numbers)
    numbers[bad] = np.nan
    return numbers, bad


def _plain_numbers(values: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """:func:`parse_numbers` for a column whose every filled cell is a plain number with a
    decimal point, parsed by Arrow in one pass; None when any cell needs the general rules."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = arrow_text(values)  # Arrow's own chunks, not joined into one array first
    if text is None:
        text = pa.array(values.astype(TEXT).array)
    try:
        numbers = pc.cast(text, pa.float64())  # every cell filled: the usual column of values
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        try:  # empty cells are missing values
            numbers = pc.cast(pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text),
                              pa.float64())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return None
    out = numbers.to_numpy(zero_copy_only=False)
    if not out.flags.writeable:  # a view of Arrow's buffer (one chunk): copied to be written
        out = out.copy()
    finite = np.isfinite(out)
    if finite.all():
        return out, ~finite
    # "nan" and "inf" spellings parse; they are not tie values.
    bad = ~finite & (values != "").to_numpy()
    out[bad] = np.nan
    return out, bad
