"""UCINET DL files: ``fullmatrix``, ``edgelist1`` and ``nodelist1`` data, one or several
matrices.

The header (``DL N=… NM=… FORMAT=…``), the label sections (``LABELS:``, ``ROW LABELS:``,
``COLUMN LABELS:``, ``LEVEL LABELS:`` or ``MATRIX LABELS:``, ``LABELS EMBEDDED``) and the
``DATA:`` section are read case-insensitively; values and labels are separated by blanks or
commas, and a label in double quotes may hold blanks and commas. Every value becomes a record
with the line it was read from; several matrices become relations named by their level labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kflow.exceptions import SurveyError
from kflow.io.netfile import ForeignTables, firms_table, read_text, records_table, relation_name

__all__ = ["read_dl"]

_TOKEN = re.compile(r'"([^"]*)"|\'([^\']*)\'|([^\s,]+)')
_KEYVALUE = re.compile(r"\b(n|nr|nc|nm|format)\s*=\s*([^\s,]+)", re.I)
_DIAGONAL = re.compile(r"\bdiagonal\s*=?\s*(present|absent)\b", re.I)
_EMBEDDED = re.compile(r"\blabels\s+embedded\b\s*:?", re.I)
_SECTION = re.compile(r"\b(row\s+|col\s+|column\s+|level\s+|matrix\s+)?labels\s*:", re.I)
_DATA = re.compile(r"\bdata\s*:", re.I)
_FORMATS = ("fullmatrix", "edgelist1", "nodelist1")
_MISSING = {".", "NA", "na"}
_WAVE_LEVEL = re.compile(r"(.+?)\s+wave=(.+)")


@dataclass
class _Header:
    n: int | None = None
    nm: int = 1
    form: str = "fullmatrix"
    diagonal: bool = True
    embedded: bool = False
    labels: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


def _tokens(text: str, line: int) -> list[tuple[str, int]]:
    return [(next(g for g in m.groups() if g is not None), line) for m in _TOKEN.finditer(text)]


def read_dl(path: Path, options: dict) -> ForeignTables:
    """Read a UCINET DL file into the tables the survey reader checks (see the module)."""
    text, _ = read_text(path, options.get("encoding"))
    lines = text.splitlines()
    header, data = _header(path, lines)
    ids = _vertex_ids(path, header, data)
    if header.form == "fullmatrix":
        rows = _fullmatrix(path, header, ids, data)
    else:
        rows = _lists(path, header, ids, data)
    notes = [f"{path.name}: read as UCINET DL ({header.form}, {header.nm} matr"
             f"{'ix' if header.nm == 1 else 'ices'}, {len(ids)} vertices)"]
    missing = [r for r in rows if r[3] == ""]
    if missing:
        rows = [r for r in rows if r[3] != ""]
        notes.append(f"{path.name}: {len(missing)} cells hold a missing value ('.' or NA), read "
                     f"as no answer (first on line {missing[0][0]})")
    firms = firms_table(path.name, ids, {})
    return ForeignTables(records_table(path.name, rows), firms, None, tuple(notes))


def _header(path: Path, lines: list[str]) -> tuple[_Header, list[tuple[str, int]]]:
    """Parse everything before ``DATA:``; return the header and the data tokens."""
    start = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if start is None or not re.match(r"\s*dl\b", lines[start], re.I):
        raise SurveyError(f"{path.name}: a UCINET DL file starts with 'DL'; this one does not.")
    h = _Header()
    section: str | None = None
    for i in range(start, len(lines)):
        line = lines[i]
        if i == start:
            line = re.sub(r"^\s*dl\b", "", line, flags=re.I)
        data = _DATA.search(line)
        keyword = _keywords(path, h, line[: data.start()] if data else line, i + 1)
        if keyword is not None:
            section = keyword[0]
            rest = keyword[1]
        else:
            rest = line[: data.start()] if data else line
        if section is not None and rest.strip():
            h.labels.setdefault(section, []).extend(_label_tokens(rest, i + 1))
        if data:
            tokens = _tokens(line[data.end():], i + 1)
            for j in range(i + 1, len(lines)):
                tokens += _tokens(lines[j], j + 1)
            return h, tokens
    raise SurveyError(f"{path.name}: no 'DATA:' line; a DL file lists its values after 'DATA:'.")


def _keywords(path: Path, h: _Header, line: str, number: int) -> tuple[str | None, str] | None:
    """Apply the header keywords of one line; return (label section, text after it) when the
    line opens a label section or holds keywords, None when it is plain label text."""
    found = False
    for key, value in _KEYVALUE.findall(line):
        found = True
        _set(path, h, key.lower(), value.strip("\"'"), number)
    diagonal = _DIAGONAL.search(line)
    if diagonal:
        found = True
        h.diagonal = diagonal.group(1).lower() == "present"
    if _EMBEDDED.search(line):
        found = True
        h.embedded = True
        line = _EMBEDDED.sub("", line)
    section = _SECTION.search(line)
    if section:
        kind = (section.group(1) or "").strip().lower()
        name = {"": "labels", "col": "column", "column": "column", "row": "row",
                "level": "level", "matrix": "level"}[kind]
        return name, line[section.end():]
    return (None, "") if found else None


def _set(path: Path, h: _Header, key: str, value: str, line: int) -> None:
    if key == "format":
        if value.lower() not in _FORMATS:
            raise SurveyError(
                f"{path.name}, line {line}: FORMAT={value!r} is not read; kflow reads "
                f"{', '.join(_FORMATS)}. Save the network from UCINET in one of these."
            )
        h.form = value.lower()
        return
    try:
        count = int(value)
    except ValueError:
        raise SurveyError(f"{path.name}, line {line}: {key.upper()}={value!r} is not a whole "
                          "number.") from None
    if key in ("n", "nr", "nc"):
        if h.n is not None and h.n != count:
            raise SurveyError(
                f"{path.name}, line {line}: NR and NC differ ({h.n} and {count}): a two-mode "
                "network (firms by events or by actors) is not a firm-to-firm roster. Give the "
                "firm-to-firm matrix, or the firms' outside ties as external=."
            )
        h.n = count
    else:
        h.nm = count


def _label_tokens(text: str, line: int) -> list[tuple[str, int]]:
    """Labels of one line, separated by commas (a quoted label may hold commas and blanks). A
    line without commas or quotes is kept whole here: it is one label (``Acme Print``) or, when
    that does not give N labels, blank-separated ones (``A B C``); see :func:`_fit`."""
    text = text.strip()
    if not text:
        return []
    if "," in text or '"' in text or "'" in text:
        return _tokens(text, line)
    return [(text, line)]


def _fit(labels: list[tuple[str, int]], n: int | None) -> list[tuple[str, int]]:
    """Whole-line labels split at blanks when that, and only that, gives the declared count."""
    if n is None or len(labels) == n:
        return labels
    split = [(t, line) for text, line in labels for t in text.split()]
    return split if len(split) == n else labels


def _vertex_ids(path: Path, h: _Header, data: list[tuple[str, int]]) -> list[str]:
    """The firm ids: the row labels (or labels), else 1..N (or the embedded labels)."""
    labels = h.labels.get("row") or h.labels.get("labels")
    column = h.labels.get("column")
    if labels and column and [c for c, _ in column] != [r for r, _ in labels]:
        raise SurveyError(
            f"{path.name}: the row labels and column labels differ; a firm-to-firm roster lists "
            "the same firms in rows and columns. Make them the same list."
        )
    if labels is None:
        labels = column
    if labels is not None:
        labels = _fit(labels, h.n)
        if h.n is not None and len(labels) != h.n:
            raise SurveyError(
                f"{path.name}, line {labels[0][1]}: {len(labels)} labels for N={h.n} vertices. "
                "Give one label per vertex (quote labels that hold blanks or commas)."
            )
        ids = [lab.strip() for lab, _ in labels]
        _unique(path, ids, labels)
        return ids
    if h.embedded:
        return []
    if h.n is None:
        raise SurveyError(f"{path.name}: no N= in the header; write 'DL N=<number of firms>'.")
    return [str(i) for i in range(1, h.n + 1)]


def _unique(path: Path, ids: list[str], where: list[tuple[str, int]]) -> None:
    seen: set[str] = set()
    for (label, line), fid in zip(where, ids, strict=True):
        if fid in seen or not fid:
            problem = "is blank" if not fid else "appears twice"
            raise SurveyError(f"{path.name}, line {line}: the label {label!r} {problem}; every "
                              "vertex needs a label of its own.")
        seen.add(fid)


def _levels(h: _Header) -> list[tuple[str, str | None]]:
    """(relation, wave) of each matrix: its level label, where ``advice wave=2015`` (as kflow
    writes the waves of a survey) names a relation and a wave."""
    levels = [lab for lab, _ in _fit(h.labels.get("level", []), h.nm)]
    out = []
    for k in range(h.nm):
        label = levels[k] if k < len(levels) else None
        match = _WAVE_LEVEL.fullmatch(label.strip()) if label else None
        if match:
            out.append((match.group(1).strip(), match.group(2).strip()))
        else:
            out.append((relation_name(label, k + 1, h.nm), None))
    return out


def _fullmatrix(path: Path, h: _Header, ids: list[str], data: list) -> list[tuple]:
    """Records of NM square matrices, row by row (the diagonal left out when absent)."""
    rows: list[tuple] = []
    pos = 0
    levels = _levels(h)
    n = h.n if h.n is not None else len(ids)
    for k in range(h.nm):
        cols = ids
        if h.embedded:
            cols = [t for t, _ in data[pos: pos + n]]
            pos += n
            if not ids:
                ids.extend(cols)
        for i in range(n):
            row_id = ids[i]
            if h.embedded:
                row_id = _need(path, data, pos, "a row label")[0]
                pos += 1
            for j in range(n):
                if not h.diagonal and i == j:
                    continue
                value, line = _need(path, data, pos, f"row {i + 1}, column {j + 1} of matrix "
                                    f"{k + 1}")
                pos += 1
                value = "" if value in _MISSING else value
                rows.append((line, row_id, cols[j], value, *levels[k]))
    if pos < len(data):
        raise SurveyError(
            f"{path.name}, line {data[pos][1]}: more values than N={n} x N x NM={h.nm} "
            f"({len(data) - pos} left over, from {data[pos][0]!r}). Check N=, NM= and "
            "DIAGONAL=."
        )
    return rows


def _need(path: Path, data: list, pos: int, what: str) -> tuple[str, int]:
    if pos >= len(data):
        last = data[-1][1] if data else "DATA:"
        raise SurveyError(
            f"{path.name}, line {last}: the data end before {what}. Check N=, NM= and "
            "DIAGONAL=, or complete the matrix."
        )
    return data[pos]


def _lists(path: Path, h: _Header, ids: list[str], data: list) -> list[tuple]:
    """Records of edgelist1 (``a b [value]``) or nodelist1 (``a b c d``) lines; a line holding
    only ``!`` separates the matrices of NM > 1."""
    by_line: dict[int, list[str]] = {}
    for token, line in data:
        by_line.setdefault(line, []).append(token)
    levels = _levels(h)
    k = 0
    rows: list[tuple] = []
    lookup = _lookup(path, h, ids)
    for line, tokens in by_line.items():
        if tokens == ["!"]:
            k += 1
            if k >= h.nm:
                raise SurveyError(f"{path.name}, line {line}: more '!' separators than NM={h.nm} "
                                  "matrices.")
            continue
        if h.form == "edgelist1":
            if len(tokens) not in (2, 3):
                raise SurveyError(
                    f"{path.name}, line {line}: {' '.join(tokens)!r}: an edgelist1 line holds two "
                    "vertices and an optional value."
                )
            value = tokens[2] if len(tokens) == 3 else "1"
            rows.append((line, lookup(tokens[0], line), lookup(tokens[1], line), value,
                         *levels[k]))
        else:
            ego = lookup(tokens[0], line)
            rows += [(line, ego, lookup(t, line), "1", *levels[k]) for t in tokens[1:]]
    for _, a, b, *_ in rows:
        for fid in (a, b):
            if fid not in ids:
                ids.append(fid)
    return rows


def _lookup(path: Path, h: _Header, ids: list[str]):
    """Vertex names in list data: labels when embedded, else 1-based numbers into the labels."""
    known = set(ids)

    def find(token: str, line: int) -> str:
        if h.embedded or not ids:
            return token
        if token.isdigit() and 1 <= int(token) <= len(ids):
            return ids[int(token) - 1]
        if token in known:
            return token
        raise SurveyError(
            f"{path.name}, line {line}: vertex {token!r} is neither a number from 1 to "
            f"{len(ids)} nor a label. Correct it, or declare 'LABELS EMBEDDED'."
        )

    return find
