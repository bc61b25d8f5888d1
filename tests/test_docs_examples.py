"""The documentation's code runs: every ```python block of the tutorial and the how-to pages is
executed in order (one namespace per page, in a temporary folder), and where a ```text block
follows it, the printed output must match it ("..." in the text stands for any characters, as
for paths that differ between machines)."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pandas as pd
import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGES = ["tutorial.md", *sorted(p.relative_to(DOCS).as_posix()
                                for p in (DOCS / "howto").glob("*.md")),
         "formats.md", "ucinet-sna.md"]
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)


def blocks(page: str) -> list[tuple[str, str | None]]:
    """(python code, expected output or None) pairs of a page."""
    found = [(m.group(1), m.group(2)) for m in _FENCE.finditer((DOCS / page).read_text("utf-8"))]
    out = []
    for k, (lang, body) in enumerate(found):
        if lang != "python":
            continue
        after = found[k + 1] if k + 1 < len(found) else None
        out.append((body, after[1] if after and after[0] == "text" else None))
    return out


def _matches(got: str, want: str) -> bool:
    def norm(text: str) -> list[str]:
        return [line.rstrip() for line in text.strip("\n").splitlines()]

    g, w = norm(got), norm(want)
    if len(g) != len(w):
        return False
    for a, b in zip(g, w, strict=True):
        pattern = ".*".join(re.escape(part) for part in b.split("..."))
        if not re.fullmatch(pattern, a):
            return False
    return True


@pytest.mark.parametrize("page", [p for p in PAGES if (DOCS / p).exists() and blocks(p)])
def test_page_code_runs_and_prints_what_the_page_shows(page, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "__docs__"}
    for code, expected in blocks(page):
        buffer = io.StringIO()
        # as printed in a terminal wide enough for the tables of the pages
        with contextlib.redirect_stdout(buffer), pd.option_context(
                "display.width", 160, "display.max_columns", 40):
            exec(compile(code, f"{page}", "exec"), namespace)
        if expected is not None:
            assert _matches(buffer.getvalue(), expected), (
                f"{page}: the block\n{code}\nprinted\n{buffer.getvalue()}\nbut the page shows\n"
                f"{expected}"
            )


def test_the_matcher_is_strict():
    assert _matches("a/b/ties.csv: 3\n", "...ties.csv: 3")
    assert not _matches("a/b/ties.csv: 4\n", "...ties.csv: 3")
    assert not _matches("x\ny\n", "x")
