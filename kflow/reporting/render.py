"""Render a report model as HTML (jinja2, autoescaped) and Markdown, and write its tables."""

from __future__ import annotations

import functools
import json
import math
import re
from importlib import resources
from pathlib import Path

import jinja2
import numpy as np
import pandas as pd

from kflow._spreadsheet import neutralize_formulas
from kflow._version import __version__
from kflow.reporting.labels import ROLE_LABELS, column_label, value_label
from kflow.reporting.model import ReportModel
from kflow.reporting.sections import SECTIONS

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~-])")


def md_escape(value: object) -> str:
    """Escape text from the data for Markdown: HTML specials as entities, Markdown punctuation
    with backslashes, so that no input string becomes markup."""
    text = str(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", " ")


#: Rows of a table shown before the rest is folded into a <details> block (HTML) or cut with a
#: pointer to the CSV (Markdown).
VISIBLE_ROWS = 15

#: Rows of a table an HTML report holds at most (shown and folded); a longer table (e.g. the
#: relays of a dense network) points to its CSV for the rest.
DOCUMENT_ROWS = 1000


def fmt(value: object) -> str:
    """One cell as text: integers plain, floats to 3 decimals, missing values empty."""
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return ""
        if float(value).is_integer() and abs(value) < 1e12:
            return str(int(value))
        return f"{value:.3f}"
    return value_label(str(value))


def fmt_p(value: object) -> str:
    """A p-value: "< 0.001" below 0.001, else three significant digits; never "0"."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if not isinstance(value, (int, float, np.integer, np.floating)):
        return fmt(value)
    p = float(value)
    return "< 0.001" if p < 0.001 else f"{p:.3g}"


def _is_p(column: object) -> bool:
    name = str(column)
    return name.startswith("p_") or name == "p"


def table_rows(
    frame: pd.DataFrame | None, limit: int = VISIBLE_ROWS, cap: int = DOCUMENT_ROWS
) -> dict:
    """Labelled header and formatted rows of a table: the first ``limit`` rows apart from the
    rest, of which only rows up to ``cap`` are formatted (``total`` counts them all); a plain
    0..n-1 index is not shown."""
    if frame is None or len(frame) == 0:
        return {"header": [], "rows": [], "more": [], "total": 0, "cut": 0}
    total = len(frame)
    index = frame.index.name is not None or not isinstance(frame.index, pd.RangeIndex)
    names = ([frame.index.name or ""] if index else []) + list(frame.columns)
    header = [column_label(n) for n in names]
    shown = frame.iloc[: max(limit, cap)]
    # Column by column: a column's values come out as Python scalars in one call.
    columns = [
        list(map(fmt_p if _is_p(c) else fmt, shown.iloc[:, j].tolist()))
        for j, c in enumerate(shown.columns)
    ]
    if index:
        columns.insert(0, [value_label(fmt(i)) for i in shown.index.tolist()])
    rows = [list(cells) for cells in zip(*columns, strict=True)] if columns else [
        [] for _ in range(len(shown))
    ]
    return {"header": header, "rows": rows[:limit], "more": rows[limit:], "total": total,
            "cut": total - len(rows)}


@functools.lru_cache(maxsize=2)
def _environment(html: bool) -> jinja2.Environment:
    """Templates with autoescaping for HTML; for Markdown every data string goes through the
    ``md`` filter instead (HTML escaping would be wrong there). One environment per kind, so
    that the templates are compiled once per process."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("kflow.reporting", "templates"),
        autoescape=html,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["md"] = md_escape
    env.filters["fmt"] = fmt
    env.globals["table_rows"] = table_rows
    env.globals["role_label"] = lambda r: ROLE_LABELS.get(r, r)
    return env


def _context(model: ReportModel, figure_paths: dict[str, str]) -> dict:
    return {
        "m": model,
        "sections": SECTIONS,
        "figure_paths": figure_paths,
        "svg": {k: jinja2.utils.markupsafe.Markup(v) for k, v in model.figures.items()},
        "version": __version__,
        "sociogram_js": _SOCIOGRAM_JS,
    }


_SOCIOGRAM_JS = (
    resources.files("kflow.reporting") / "templates" / "_sociogram.js"
).read_text(encoding="utf-8")


def render_html(model: ReportModel) -> str:
    return _environment(html=True).get_template("report.html.j2").render(**_context(model, {}))


def render_markdown(model: ReportModel, figure_paths: dict[str, str]) -> str:
    template = _environment(html=False).get_template("report.md.j2")
    return template.render(**_context(model, figure_paths))


def _records_json(caption: str, records: list[dict]) -> str:
    """``{"caption": ..., "rows": [...]}`` with one row per line."""
    encode = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps' own, built once
    rows = ",\n".join(" " + encode(r) for r in records)
    head = json.dumps(caption, ensure_ascii=False)
    return f'{{"caption": {head},\n "rows": [\n{rows}\n ]}}\n' if records else (
        f'{{"caption": {head},\n "rows": []}}\n'
    )


def write_tables(model: ReportModel, folder: Path) -> list[Path]:
    """Every table as CSV and JSON (records), named after the table. CSV cells that a
    spreadsheet would run as formulas get a leading apostrophe; JSON keeps the data as read."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in model.tables:
        frame = table.frame.copy()
        if frame.index.name is not None or not isinstance(frame.index, pd.RangeIndex):
            frame = frame.reset_index()
        csv_path = folder / f"{table.name}.csv"
        neutralize_formulas(frame).to_csv(
            csv_path, index=False, lineterminator="\n", float_format="%.10g"
        )
        json_path = folder / f"{table.name}.json"
        records = json.loads(frame.to_json(orient="records", double_precision=10))
        json_path.write_text(_records_json(table.caption, records), encoding="utf-8")
        written += [csv_path, json_path]
    return written
