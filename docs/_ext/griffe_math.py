"""Docstring math for the API pages: the reStructuredText ``.. math::`` blocks and ``:math:``
roles of kflow's numpy-style docstrings become the ``\\[ … \\]`` and ``\\( … \\)`` that the
site's MathJax renders."""

from __future__ import annotations

import re

import griffe

_ROLE = re.compile(r":math:`([^`]*)`")
_BLOCK = re.compile(r"^(?P<indent>[ ]*)\.\. math::[ ]*\n\n(?P<body>(?:(?P=indent)[ ]{2,}.*\n|\n)+)",
                    re.M)


def rst_math(text: str) -> str:
    """Turn the math of one docstring into MathJax delimiters."""

    def block(match: re.Match) -> str:
        lines = [ln.strip() for ln in match.group("body").splitlines()]
        body = " \\\\\n".join(ln for ln in lines if ln)
        indent = match.group("indent")
        return f"{indent}\\[\n{indent}{body}\n{indent}\\]\n\n"

    text = _BLOCK.sub(block, text + "\n")
    return _ROLE.sub(lambda m: f"\\({m.group(1)}\\)", text).rstrip("\n")


class RstMath(griffe.Extension):
    """Apply :func:`rst_math` to every docstring griffe loads."""

    def on_instance(self, *, obj: griffe.Object, **kwargs) -> None:
        if obj.docstring is not None:
            obj.docstring.value = rst_math(obj.docstring.value)
