"""Which network format a file is (UCINET DL, Pajek, GraphML, GEXF, or a kflow roster
questionnaire), and the reader that turns it into tables the survey reader checks (see
:mod:`kflow.io.netfile`).
"""

from __future__ import annotations

from pathlib import Path

from kflow.exceptions import SurveyError
from kflow.io.dl import read_dl
from kflow.io.graphxml import read_graph_xml
from kflow.io.netfile import FORMAT_NAMES, ForeignTables
from kflow.io.pajek import read_pajek
from kflow.io.questionnaire import read_questionnaire

__all__ = ["detect_format", "read_foreign"]

_SUFFIXES = {".dl": "dl", ".net": "pajek", ".paj": "pajek", ".graphml": "graphml", ".gexf": "gexf"}
_NOT_SNIFFED = {".xlsx", ".xlsm", ".parquet", ".pq"}


def detect_format(obj: object, layout: str) -> str | None:
    """The network format of a path (by suffix, else by its first line), or None for a table."""
    if layout == "questionnaire":
        return "questionnaire"
    if not isinstance(obj, (str, Path)):
        return None
    path = Path(obj)
    suffix = path.suffix.lower()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    if suffix in _NOT_SNIFFED or not path.is_file():
        return None
    with path.open("rb") as handle:
        head = handle.read(2048).decode("latin-1").lstrip("\ufeff\ufffe\xef\xbb\xbf")
    lines = [ln.strip().lower() for ln in head.splitlines() if ln.strip()]
    lines = [ln for ln in lines if not ln.startswith("%")]
    if not lines:
        return None
    first = lines[0]
    if first == "dl" or first.startswith(("dl ", "dl\t", "dl,")):
        return "dl"
    if first.startswith(("*network", "*vertices")):
        return "pajek"
    if "<graphml" in head.lower():
        return "graphml"
    if "<gexf" in head.lower():
        return "gexf"
    return None


def read_foreign(obj, fmt: str, options: dict) -> ForeignTables:
    """Read a network file of format ``fmt`` (see :func:`detect_format`)."""
    named = [k for k in ("source", "target", "weight", "relation", "wave") if options.get(k)]
    if named and fmt != "questionnaire":
        raise SurveyError(
            f"{Path(obj).name}: a {FORMAT_NAMES[fmt]} file has no columns to name; leave out "
            f"{', '.join(f'{k}=' for k in named)} (ties, values, relations and time points are "
            "read from the file's own sections)."
        )
    if options.get("network") is not None and fmt != "pajek":
        raise SurveyError(
            f"{Path(obj).name}: network= picks a *Network of a Pajek project file; this is a "
            f"{FORMAT_NAMES[fmt]} file. Leave network= out."
        )
    if fmt == "dl":
        return read_dl(Path(obj), options)
    if fmt == "pajek":
        return read_pajek(Path(obj), options)
    if fmt in ("graphml", "gexf"):
        return read_graph_xml(Path(obj), fmt)
    return read_questionnaire(Path(obj), options)
