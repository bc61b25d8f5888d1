"""Input checks for plain tables passed to analyses (not survey files; those are checked in io).

One wording for a missing column and one for a value off a rating scale, so that every function
speaks the same way and names the function, the row, the column and the value.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from kflow.exceptions import DataError, bad_parameter, show_value

__all__ = ["check_count", "check_scale", "require_columns"]


def require_columns(
    table: pd.DataFrame,
    columns: Iterable[str],
    function: str,
    *,
    what: str = "",
    hint: str = "",
) -> None:
    """Raise :class:`kflow.DataError` naming the first of ``columns`` that ``table`` lacks.

    Examples
    --------
    >>> require_columns(pd.DataFrame({"a": [1]}), ["a", "b"], "f")
    Traceback (most recent call last):
    ...
    kflow.exceptions.DataError: f: no column 'b'; the columns are 'a'.
    """
    missing = [c for c in columns if c not in table.columns]
    if missing:
        where = f" in {what}" if what else ""
        found = ", ".join(map(repr, table.columns)) or "(none)"
        tail = f" {hint}" if hint else ""
        raise DataError(
            f"{function}: no column {missing[0]!r}{where}; the columns are {found}.{tail}"
        )


def check_scale(
    table: pd.DataFrame,
    columns: Sequence[str],
    function: str,
    *,
    low: float = 0,
    high: float = 3,
    meaning: str = "0 absent, 1 low, 2 medium, 3 high",
    integers: bool = False,
    what: str = "rating",
    row_word: str = "row",
) -> None:
    """Raise :class:`kflow.DataError` at the first cell of ``columns`` off the ``low..high``
    scale (blank cells are allowed: unknown). Columns absent from ``table`` are skipped.

    Examples
    --------
    >>> check_scale(pd.DataFrame({"x": [1, 5]}, index=["A", "B"]), ["x"], "f")
    Traceback (most recent call last):
    ...
    kflow.exceptions.DataError: f: row 'B', column 'x': value 5 is not on the 0-3 rating scale \
(0 absent, 1 low, 2 medium, 3 high). Correct it, or leave it blank if unknown.
    """
    present = [c for c in columns if c in table.columns]
    if not present:
        return
    raw = table[present]
    values = raw.apply(pd.to_numeric, errors="coerce")
    bad = raw.notna() & (values.isna() | (values < low) | (values > high))
    if integers:
        bad |= raw.notna() & values.notna() & (values % 1 != 0)
    mask = bad.to_numpy()
    if mask.any():
        r, c = np.argwhere(mask)[0]
        raise DataError(
            f"{function}: {row_word} {table.index[r]!r}, column {present[c]!r}: value "
            f"{show_value(raw.iloc[r, c])} is not on the {low:g}-{high:g} {what} scale "
            f"({meaning}). Correct it, or leave it blank if unknown."
        )


def check_count(value: object, name: str, function: str) -> int:
    """A number of permutations, resamples or simulations: a non-negative int.

    Examples
    --------
    >>> check_count(99, "n_permutations", "qap")
    99
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise bad_parameter(function, name, "a whole number >= 0", value)
    return int(value)
