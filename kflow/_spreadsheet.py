"""CSV cells that a spreadsheet would run as formulas are neutralized (OWASP's rule).

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
leading apostrophe, which spreadsheets show as text and do not evaluate: ``=1+1`` is written
``'=1+1``. Numbers are written as numbers (a negative number is not a formula). Every CSV kflow
writes goes through :func:`neutralize_formulas`.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["FORMULA_START", "neutralize_formulas"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def neutralize_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names cannot start a formula.

    Examples
    --------
    >>> safe = neutralize_formulas(pd.DataFrame({"firm": ["=HYPERLINK(1)", "A"], "x": [-1, 2]}))
    >>> safe["firm"].tolist(), safe["x"].tolist()
    (["'=HYPERLINK(1)", 'A'], [-1, 2])
    """
    out = frame.copy()
    out.columns = [_safe(c) for c in out.columns]
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column].dtype):
            out[column] = out[column].map(_safe)
    return out
