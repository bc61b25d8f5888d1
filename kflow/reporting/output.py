"""Writing a report to disk: to a temporary folder first, then moved into place.

A folder kflow wrote holds a manifest, ``.kflow-report.json``, listing its files. kflow replaces
such a folder whole (no stale file of an earlier run survives); it refuses any other non-empty
folder unless ``force=True``, and then only adds or replaces its own files there. Nothing is
written through a symbolic link.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from kflow._version import __version__
from kflow.exceptions import KflowError
from kflow.reporting.model import ReportModel
from kflow.reporting.render import render_html, render_markdown, write_tables

__all__ = ["MANIFEST", "OutputFolderError", "write_report"]

MANIFEST = ".kflow-report.json"


class OutputFolderError(KflowError, FileExistsError):
    """The output folder holds files kflow did not write."""


def write_report(
    model: ReportModel, out: Path, formats: Sequence[str], *, force: bool = False
) -> Path:
    """Render ``model`` in ``formats`` into ``out`` (see the module notes)."""
    kind = _folder_kind(out)
    if kind == "foreign" and not force:
        raise OutputFolderError(
            f"{out}: the folder is not empty and is not an earlier kflow report. Choose a new "
            "folder, or pass force=True to write the report's files into it."
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        _render(model, tmp, formats)
        _move_into_place(tmp, out, kind)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return out


def _folder_kind(out: Path) -> str:
    if out.is_symlink():
        raise OutputFolderError(f"{out}: is a symbolic link; give a real folder.")
    if not out.exists():
        return "new"
    if not out.is_dir():
        raise OutputFolderError(f"{out}: is a file; give a folder for the report.")
    if not any(out.iterdir()):
        return "empty"
    return "kflow" if (out / MANIFEST).is_file() else "foreign"


def _render(model: ReportModel, folder: Path, formats: Sequence[str]) -> None:
    if "html" in formats:
        (folder / "report.html").write_text(render_html(model), encoding="utf-8")
    if "md" in formats:
        fig_dir = folder / "figures"
        fig_dir.mkdir()
        paths = {}
        for name, svg in model.figures.items():
            (fig_dir / f"{name}.svg").write_text(svg, encoding="utf-8")
            paths[name] = f"figures/{name}.svg"
        (folder / "report.md").write_text(render_markdown(model, paths), encoding="utf-8")
    if "csv" in formats or "json" in formats:
        write_tables(model, folder / "tables")
    files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    manifest = {"kflow_version": __version__, "files": files}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


def _move_into_place(tmp: Path, out: Path, kind: str) -> None:
    if kind == "new":
        tmp.rename(out)
        return
    if kind in ("empty", "kflow"):
        old = out.with_name(f".{out.name}.old")
        if old.exists():
            shutil.rmtree(old)
        out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old)
        return
    for path in sorted(tmp.rglob("*")):
        target = out / path.relative_to(tmp)
        if target.is_symlink():
            target.unlink()
        if path.is_dir():
            target.mkdir(exist_ok=True)
        else:
            path.replace(target)
