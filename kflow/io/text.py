"""Delimited text files: their encoding and separator (sniffed when not given), their line
ends, and their cells read as text with the line each record starts on.

A plain file (no quotes, the same number of fields on every line) is parsed by Arrow's CSV reader;
anything else by pandas' reader, which reports malformed lines.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from kflow.exceptions import SurveyError
from kflow.io.bytescan import ASCII_SPACES

__all__ = ["decode", "read_text"]

_DELIMITERS = (",", ";", "\t")


def decode(raw: bytes, encoding: str | None, label: str) -> tuple[str, str]:
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
    header = next((line for line in _lines(text) if line.strip()), None)
    if header is None:
        return ","
    counts = {d: _count_outside_quotes(header, d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    if counts[best] == 0:
        return "\t" if suffix in {".tsv", ".tab"} else ","
    return best


def _lines(text: str):
    """The lines of a text one at a time (any line ending), without splitting all of it."""
    return (m.group(0) for m in re.finditer(r"[^\r\n]*", text))


def _count_outside_quotes(line: str, delimiter: str) -> int:
    try:
        fields = next(csv.reader([line], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return 0
    return len(fields) - 1


def read_text(path: Path, label: str, encoding: str | None, sep: str | None):
    """The cells of a delimited text file as one text column per field (the header row among
    them), the line each record starts on, the encoding and separator used, and whether no
    cell can have surrounding whitespace (known from the bytes of a plain file; False when it
    was not looked for)."""
    raw = path.read_bytes()
    if encoding is None:
        plain = _read_plain_utf8(raw, path.suffix.lower(), sep)
        if plain is not None:
            return plain
    text, used_encoding = decode(raw, encoding, label)
    if not text.strip():
        raise SurveyError(f"{label}: the file is empty. Check that the right file was given.")
    used_sep = sep if sep is not None else _sniff_sep(text, path.suffix.lower())
    # Universal newlines: old Mac CR line endings read like LF ones.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Blank lines before the header are not records; they only shift the line numbers.
    lead = len(text) - len(text.lstrip("\n"))
    text = text[lead:]
    frame = _read_delimited(text, used_sep)
    if frame is None:
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
    lines = _record_lines(text, used_sep, len(frame))
    line_numbers = range(lead + 1, lead + len(frame) + 1) if lines is None else [
        lead + n for n in lines]
    return frame, line_numbers, used_encoding, used_sep, False


def _read_plain_utf8(raw: bytes, suffix: str, sep: str | None):
    """:func:`read_text` of a plain UTF-8 file (no quotes, no CR line ends), parsed from the
    bytes as read, without decoding the whole file into a string first: the same result, with
    one copy of a large file fewer. None when the file needs the general path (which then
    detects the encoding and reports any problem)."""
    start = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    if b"\r" in raw or b'"' in raw:
        return None
    lead = 0
    while start + lead < len(raw) and raw[start + lead] == 0x0A:  # blank lines before the header
        lead += 1
    body = memoryview(raw)[start + lead:]
    end = raw.find(b"\n", start + lead)
    try:
        header = raw[start + lead: len(raw) if end < 0 else end].decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not header.strip():
        return None
    used_sep = sep if sep is not None else _sniff_sep(header, suffix)
    frame = _read_delimited(body, used_sep, header)
    if frame is None:
        return None
    frame = frame.fillna("")
    encoding = "utf-8-sig" if start else "utf-8"
    return (frame, range(lead + 1, lead + len(frame) + 1), encoding, used_sep,
            _nothing_to_trim(raw, used_sep))


def _nothing_to_trim(raw: bytes, sep: str) -> bool:
    """Whether no cell of a plain file (no quotes: a cell holds no separator and no line break)
    can begin or end with whitespace: the file is ASCII and has no whitespace byte other than
    line breaks and the separator. A few scans of the bytes at memory speed (0.2 s for 14 M
    rows), where checking the ends of every cell of every column takes twice as long."""
    # (a line break ends a line, not a cell)
    inside = [bytes([b]) for b in ASCII_SPACES if b != ord("\n") and bytes([b]) != sep.encode()]
    return raw.isascii() and not any(b in raw for b in inside)


def _read_delimited(text: str | memoryview, sep: str, first: str | None = None
                    ) -> pd.DataFrame | None:
    """The cells of a plain delimited text (no quotes, the same number of fields on every line)
    read by Arrow's CSV parser into Arrow-backed text columns; None when the text needs the
    general reader (quoted fields, ragged lines, bytes that are not UTF-8), which then reports
    any malformed line. ``text`` is a string, or UTF-8 bytes whose first line is ``first``."""
    if isinstance(text, str) and '"' in text:
        return None
    import pyarrow as pa
    import pyarrow.csv as pv

    if first is None:
        first = text[: text.find("\n")] if "\n" in text else text
    width = first.count(sep) + 1
    data = pa.py_buffer(text) if not isinstance(text, str) else text.encode("utf-8")
    try:
        arrow = pv.read_csv(
            pa.BufferReader(data),
            read_options=pv.ReadOptions(autogenerate_column_names=True),
            parse_options=pv.ParseOptions(delimiter=sep, quote_char=False,
                                          ignore_empty_lines=False),
            convert_options=pv.ConvertOptions(
                # large_string is what pandas' "str" columns hold: no conversion after
                column_types={f"f{i}": pa.large_string() for i in range(width)},
                strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except pa.ArrowInvalid:
        return None
    frame = arrow.to_pandas()  # Arrow-backed text columns ("str")
    frame.columns = range(frame.shape[1])
    return frame


def _record_lines(text: str, sep: str, n_records: int) -> list[int] | None:
    """The line on which each record starts: a quoted field with a line break spans lines, so
    record k is not always on line k. None when record k is on line k."""
    if '"' not in text:
        return None
    starts, end = [], 0
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    for _ in reader:
        starts.append(end + 1)
        end = reader.line_num
    return starts if len(starts) == n_records else None
