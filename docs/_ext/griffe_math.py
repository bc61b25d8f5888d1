"""Docstrings for the API pages: the reStructuredText kflow's numpy-style docstrings use (math
blocks and roles, cross-reference roles, simple tables, numbered references) becomes the
Markdown and MathJax delimiters the site renders."""

from __future__ import annotations

import re

import griffe

_MATH_ROLE = re.compile(r":math:`([^`]*)`")
_XREF = re.compile(r":(?:func|meth|class|mod|data|attr|obj|exc):`~?([^`]*)`")
_BLOCK = re.compile(r"^(?P<indent>[ ]*)\.\. math::[ ]*\n\n(?P<body>(?:(?P=indent)[ ]{2,}.*\n|\n)+)",
                    re.M)
_TABLE = re.compile(r"^(?P<indent>[ ]*)(?P<rule>=+(?:[ ]+=+)+)[ ]*\n(?P<head>(?:.*\n)*?)"
                    r"(?P=indent)(?P=rule)[ ]*\n(?P<body>(?:.*\n)*?)(?P=indent)(?P=rule)[ ]*\n",
                    re.M)
_FOOTNOTE = re.compile(r"^(?P<indent>[ ]*)\.\. \[(?P<n>\d+)\][ ]+", re.M)
_CITE = re.compile(r"\[(\d+)\]_")


def _math_block(match: re.Match) -> str:
    indent = match.group("indent")
    paragraphs = re.split(r"\n[ ]*\n", match.group("body").strip("\n"))
    out = []
    for paragraph in paragraphs:
        lines = [ln.strip() for ln in paragraph.splitlines() if ln.strip()]
        if lines:
            out.append(f"{indent}\\[\n{indent}" + f"\n{indent}".join(lines) + f"\n{indent}\\]")
    return "\n\n".join(out) + "\n\n"


def _cells(line: str, starts: list[int]) -> list[str]:
    bounds = [*starts[1:], None]
    return [line[a:b].strip() if a < len(line) else "" for a, b in zip(starts, bounds, strict=True)]


def _table(match: re.Match) -> str:
    """A reStructuredText simple table (rule, header, rule, rows, rule) as a Markdown table."""
    indent, rule = match.group("indent"), match.group("rule")
    starts = [m.start() for m in re.finditer(r"=+", rule)]

    def rows(block: str) -> list[list[str]]:
        out: list[list[str]] = []
        for line in block.splitlines():
            cells = _cells(line[len(indent):], starts)
            if out and not cells[0]:  # a continuation line of the row above
                out[-1] = [f"{a} {b}".strip() for a, b in zip(out[-1], cells, strict=True)]
            elif any(cells):
                out.append(cells)
        return out

    header = rows(match.group("head")) or [[""] * len(starts)]
    table = [header[0], ["---"] * len(starts), *rows(match.group("body"))]
    return "\n" + "".join(f"{indent}| " + " | ".join(r) + " |\n" for r in table) + "\n"


def rst_to_markdown(text: str) -> str:
    """Convert the reStructuredText of one docstring (see the module)."""
    text = _BLOCK.sub(_math_block, text + "\n")
    text = _TABLE.sub(_table, text)
    # numbered references as [1], written as entities so that no link is looked for
    text = _FOOTNOTE.sub(
        lambda m: f"{m.group('indent')}\n{m.group('indent')}&#91;{m.group('n')}&#93; ", text)
    text = _CITE.sub(r"&#91;\1&#93;", text)
    text = _XREF.sub(r"`\1`", text)
    return _MATH_ROLE.sub(lambda m: f"\\({m.group(1)}\\)", text).rstrip("\n")


class RstMath(griffe.Extension):
    """Apply :func:`rst_to_markdown` to every docstring griffe loads."""

    def on_instance(self, *, obj: griffe.Object, **kwargs) -> None:
        if obj.docstring is not None:
            obj.docstring.value = rst_to_markdown(obj.docstring.value)
