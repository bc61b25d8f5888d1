"""Read one input table (CSV/TSV, XLSX, Parquet or a DataFrame) into cells of text.

Every cell becomes a trimmed string ("" for an empty cell), so that firm ids stay exactly as
written ("007" is never 7) and every later check works on one representation. Each data row keeps
the row number a person sees in the file: the line number in a text file, the sheet row in a
workbook, the 1-based row in a Parquet file, or the index label of a DataFrame.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from kflow.exceptions import SurveyError

__all__ = ["Table", "load_table", "parse_numbers"]

TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ".tab"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
SUPPORTED = sorted(TEXT_SUFFIXES | EXCEL_SUFFIXES | PARQUET_SUFFIXES)

_DELIMITERS = (",", ";", "\t")
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
    rows : list
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
    rows: list
    row_word: str
    encoding: str | None = None
    sep: str | None = None
    notes: tuple[str, ...] = ()

    def where(self, position: int, column: str | None = None) -> str:
        """Describe a data row (and column) for an error message."""
        place = f"{self.label}, {self.row_word} {self.rows[position]}"
        return f"{place}, column {column!r}" if column is not None else place

    def blank_rows(self) -> np.ndarray:
        """Boolean mask of rows whose every cell is empty."""
        if self.cells.shape[1] == 0:
            return np.ones(len(self.cells), dtype=bool)
        return (self.cells == "").all(axis=1).to_numpy()


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


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Turn every cell into a trimmed string, writing integral floats without '.0'."""
    out = {}
    for i, name in enumerate(frame.columns):
        col = frame[name]
        if pd.api.types.is_string_dtype(col.dtype) and not pd.api.types.is_object_dtype(col.dtype):
            out[i] = col.fillna("").str.strip().astype(object)
        elif pd.api.types.is_integer_dtype(col.dtype) and not col.isna().any():
            out[i] = col.astype(str).astype(object)
        else:
            out[i] = pd.Series([_cell_text(v) for v in col.tolist()], index=col.index, dtype=object)
    cells = pd.DataFrame(out, index=frame.index)
    cells.columns = range(frame.shape[1])
    return cells


def _decode(raw: bytes, encoding: str | None, label: str) -> tuple[str, str]:
    if encoding is not None:
        try:
            return raw.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise SurveyError(
                f"{label}: cannot be read with encoding {encoding!r} ({exc}). "
                "Pass the file's real encoding, or encoding=None to let kflow detect it."
            ) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        return _strict(raw, "utf-8-sig", label), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        bad = exc.start
    if _has_utf8_sequences(raw):
        line = raw[:bad].count(b"\n") + 1
        raise SurveyError(
            f"{label}, line {line}: byte 0x{raw[bad]:02X} is not UTF-8, though other lines are: "
            "the file mixes encodings (e.g. pasted from two programs). Re-save it as UTF-8, or "
            "pass the encoding of the whole file with encoding=."
        )
    # No UTF-8 at all: a single-byte Windows or ISO export. Bytes 0x80-0x9F are punctuation in
    # cp1252 (curly quotes, dashes, the euro sign) and control characters in latin-1.
    if any(0x80 <= b <= 0x9F for b in raw):
        try:
            return raw.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    return raw.decode("latin-1"), "latin-1"


def _strict(raw: bytes, encoding: str, label: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SurveyError(
            f"{label}, line {line}: byte 0x{raw[exc.start]:02X} is not UTF-8 although the file "
            "starts with a UTF-8 mark. Re-save it as UTF-8, or pass encoding=."
        ) from None


def _has_utf8_sequences(raw: bytes) -> bool:
    """Whether ``raw`` holds at least one valid multi-byte UTF-8 character."""
    return re.search(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}", raw) is not None


def _sniff_sep(text: str, suffix: str) -> str:
    for line in text.splitlines():
        if line.strip():
            header = line
            break
    else:
        return ","
    counts = {d: _count_outside_quotes(header, d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    if counts[best] == 0:
        return "\t" if suffix in {".tsv", ".tab"} else ","
    return best


def _count_outside_quotes(line: str, delimiter: str) -> int:
    try:
        fields = next(csv.reader([line], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return 0
    return len(fields) - 1


def _read_text(
    path: Path, label: str, encoding: str | None, sep: str | None, allow_empty: bool = False
) -> Table:
    raw = path.read_bytes()
    text, used_encoding = _decode(raw, encoding, label)
    if not text.strip():
        raise SurveyError(f"{label}: the file is empty. Check that the right file was given.")
    used_sep = sep if sep is not None else _sniff_sep(text, path.suffix.lower())
    # Universal newlines: old Mac CR line endings read like LF ones.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Blank lines before the header are not records; they only shift the line numbers.
    lead = len(text) - len(text.lstrip("\n"))
    text = text[lead:]
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=used_sep,
            header=None,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            engine="c",
        )
    except pd.errors.ParserError as exc:
        raise SurveyError(
            f"{label}: not a well-formed delimited file with separator {used_sep!r} ({exc}). "
            "Check that every row has as many fields as the header, or pass sep=."
        ) from None
    frame = frame.fillna("")
    line_numbers = [lead + n for n in _record_lines(text, used_sep, len(frame))]
    return _split_header(
        frame, line_numbers, label, "line", used_encoding, used_sep, allow_empty=allow_empty
    )


def _record_lines(text: str, sep: str, n_records: int) -> list[int]:
    """The line on which each record starts: a quoted field with a line break spans lines, so
    record k is not always on line k."""
    if '"' not in text:
        return list(range(1, n_records + 1))
    starts, end = [], 0
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    for _ in reader:
        starts.append(end + 1)
        end = reader.line_num
    return starts if len(starts) == n_records else list(range(1, n_records + 1))


def _split_header(
    frame: pd.DataFrame,
    numbers: list,
    label: str,
    row_word: str,
    encoding: str | None = None,
    sep: str | None = None,
    allow_empty: bool = False,
) -> Table:
    cells = _as_text(frame)
    blank = (cells == "").all(axis=1).to_numpy() if cells.shape[1] else np.ones(len(cells), bool)
    nonblank = np.flatnonzero(~blank)
    if len(nonblank) == 0:
        raise SurveyError(f"{label}: the file is empty. Check that the right file was given.")
    h = int(nonblank[0])
    notes: tuple[str, ...] = ()
    filled = (cells != "").sum(axis=1).to_numpy()
    # A title above the header (a merged cell across the sheet): one filled cell, then a row
    # with several. It is not a record; the note says it was left out.
    if filled[h] == 1 and cells.shape[1] > 2 and len(nonblank) > 1 and filled[nonblank[1]] > 1:
        title = next(c for c in cells.iloc[h] if c != "")
        notes = (f"{label}, {row_word} {numbers[h]}: the title {title!r} above the header was "
                 "left out",)
        h = int(nonblank[1])
    header = cells.iloc[h].tolist()
    data = cells.iloc[h + 1 :].reset_index(drop=True)
    rows = numbers[h + 1 :]
    if allow_empty and len(data) == 0:
        empty = pd.DataFrame({i: pd.Series(dtype=object) for i in range(len(header))})
        return Table(label, header, empty, [], row_word, encoding, sep)
    if len(data) == 0 or (data == "").all(axis=None):
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
        clean = raw.str.normalize("NFC").str.replace(_INVISIBLE, "", regex=True).str.strip()
        differs = (clean != raw).to_numpy()
        if differs.any():
            changed += int(differs.sum())
            written = dict(zip(raw[~differs], raw[~differs], strict=True))
            merged += [(r, c) for r, c in zip(raw[differs], clean[differs], strict=True)
                       if c in written]
            cells[column] = clean
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
        return _read_text(path, label, encoding, sep, allow_empty)
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
