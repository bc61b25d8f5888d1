"""What the readers of network files share: the tables they return and how they build them.

Each reader (:mod:`kflow.io.dl`, :mod:`kflow.io.pajek`, :mod:`kflow.io.graphxml`,
:mod:`kflow.io.questionnaire`) returns a :class:`ForeignTables`: an edge list whose header is
``source, target, weight, relation`` (and ``wave`` when the file has time points) and whose rows
keep the line (or element) of the file they came from, plus a firms table of every vertex with
its attributes. From there :func:`kflow.read_survey` applies the same orientation rule, checks
and validation report as to a CSV file, so a DL file and a CSV of the same answers give the same
survey.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kflow import vocabulary as V
from kflow.exceptions import SurveyError
from kflow.io.tables import Table
from kflow.io.text import decode

__all__ = [
    "FORMAT_NAMES", "ForeignTables", "firms_table", "read_text", "records_table", "relation_name"
]

FORMAT_NAMES = {
    "dl": "UCINET DL",
    "pajek": "Pajek",
    "graphml": "GraphML",
    "gexf": "GEXF",
    "questionnaire": "kflow roster questionnaire",
}


@dataclass(frozen=True)
class ForeignTables:
    """What a network file holds, as tables the survey reader checks.

    Attributes
    ----------
    ties : Table
        Edge list with columns ``source``, ``target``, ``weight``, ``relation`` (and ``wave``).
    firms : Table
        Every vertex of the file (``firm_id`` and its attributes), isolates included.
    external : Table or None
        Outside ties (the questionnaire's outside-sources block).
    notes : tuple of str
        What reading left out or decided, for the validation report.
    scale : (float, float) or None
        The answer scale the file declares (the questionnaire's), if any.
    """

    ties: Table
    firms: Table | None
    external: Table | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    scale: tuple[float, float] | None = None


def read_text(path: Path, encoding: str | None) -> tuple[str, str]:
    """A text network file decoded (UTF-8, else a Windows/ISO code page, as for CSV files)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SurveyError(f"{path}: cannot be read ({exc.strerror}).") from None
    return decode(raw, encoding, path.name)


def records_table(label: str, rows: list[tuple], *, word: str = "line") -> Table:
    """An edge-list :class:`Table` from ``(where, source, target, weight, relation, wave)`` tuples.

    ``where`` is the line (or element) of the file a tie was read from; ``wave`` is None when
    the file has no time points. Every cell is text, as the survey reader expects.
    """
    has_wave = any(r[5] is not None for r in rows)
    header = ["source", "target", "weight", "relation"] + (["wave"] if has_wave else [])
    columns = {
        i: [str(r[i + 1]) if r[i + 1] is not None else "" for r in rows]
        for i in range(len(header))
    }
    cells = pd.DataFrame({i: pd.Series(columns[i], dtype=object) for i in range(len(header))})
    return Table(label, header, cells, [r[0] for r in rows], word)


def firms_table(label: str, ids: list[str], attributes: dict[str, list]) -> Table:
    """A firms :class:`Table`: ``firm_id`` and one column per vertex attribute, as text."""
    header = ["firm_id", *attributes]
    data = [ids, *([("" if v is None else str(v)) for v in vals] for vals in attributes.values())]
    cells = pd.DataFrame({i: pd.Series(col, dtype=object) for i, col in enumerate(data)})
    return Table(label, header, cells, list(range(1, len(ids) + 1)), "vertex")


def relation_name(label: str | None, k: int, n: int) -> str:
    """The relation of the k-th matrix or arc set (1-based) of a file holding n of them."""
    if label:
        return label
    return V.DEFAULT_RELATION if n == 1 else f"{V.DEFAULT_RELATION}_{k}"
