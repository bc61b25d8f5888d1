"""Writing a report to disk: to a temporary folder first, then moved into place.

A folder kflow wrote holds a manifest, ``.kflow-report.json``, listing its files. kflow replaces
such a folder whole (no stale file of an earlier run survives); it refuses any other non-empty
folder unless ``force=True``, and then only adds or replaces its own files there. Nothing is
written through a symbolic link.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from kflow._version import __version__
from kflow.exceptions import KflowError
from kflow.reporting.model import ReportModel
from kflow.reporting.render import render_html, render_markdown, write_tables

__all__ = ["MANIFEST", "MissingToolError", "OutputFolderError", "print_pdf", "write_report"]

MANIFEST = ".kflow-report.json"


class OutputFolderError(KflowError, FileExistsError):
    """The output folder holds files kflow did not write."""


class MissingToolError(KflowError, LookupError):
    """A format needs a program that is not installed (the message names it)."""


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
    if "html" in formats or "pdf" in formats:
        (folder / "report.html").write_text(render_html(model), encoding="utf-8")
    if "pdf" in formats:
        print_pdf(folder / "report.html", folder / "report.pdf")
        if "html" not in formats:
            (folder / "report.html").unlink()
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


BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def find_browser() -> str:
    """A headless-capable Chromium on PATH, or a clear error saying what to install."""
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    raise MissingToolError(
        "formats with 'pdf' print the HTML report with a headless Chromium, and none is on "
        f"PATH (looked for {', '.join(BROWSERS)}). Install one (Debian/Ubuntu: apt-get install "
        "chromium), or leave 'pdf' out and print report.html from a browser."
    )


def print_pdf(html: Path, pdf: Path) -> None:
    """Print ``html`` to ``pdf`` (A4, the report's print stylesheet) with headless Chromium."""
    browser = find_browser()
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
             "--print-to-pdf-no-header", f"--user-data-dir={profile}",
             f"--print-to-pdf={pdf}", html.resolve().as_uri()],
            capture_output=True, text=True, timeout=300, check=False,
        )
    if done.returncode != 0 or not pdf.exists():
        raise KflowError(
            f"{Path(browser).name} could not print the report to PDF (exit {done.returncode}): "
            f"{done.stderr.strip()[-300:]}"
        )


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
