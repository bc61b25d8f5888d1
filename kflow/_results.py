"""The base every kflow result class shares: a short repr, text and notebook summaries, a frame.

A result is a frozen dataclass holding tables and the parameters it was computed with. This base
gives each of them the same face (as statsmodels' ``Summary`` does):

- ``repr(result)``: one line per field, tables shown by their shape, never their content;
- ``str(result)``: :meth:`summary`, the plain-text summary;
- ``result._repr_html_()``: the summary and the main table as HTML, for notebooks;
- ``result.to_frame()``: a copy of the main table (the field named by ``_main``).
"""

from __future__ import annotations

import dataclasses
import html
from typing import Any, ClassVar

import numpy as np
import pandas as pd

__all__ = ["Result", "describe_value"]

_MAX_TEXT = 60


def describe_value(value: Any) -> str:
    """A value as a repr line shows it: shapes for tables, short text for the rest."""
    if isinstance(value, pd.DataFrame):
        return f"DataFrame({value.shape[0]} rows x {value.shape[1]} columns)"
    if isinstance(value, pd.Series):
        return f"Series({len(value)} values)"
    if isinstance(value, np.ndarray):
        return f"ndarray(shape={value.shape})"
    if isinstance(value, Result):
        return f"{type(value).__name__}(...)"
    if isinstance(value, dict) and len(value) > 4:
        return f"dict({len(value)} keys)"
    if isinstance(value, (list, tuple)) and len(value) > 6:
        return f"{type(value).__name__}({len(value)} items)"
    if isinstance(value, float):
        return f"{value:.6g}"
    text = repr(value)
    if len(text) > _MAX_TEXT:
        text = text[: _MAX_TEXT - 3] + "..."
    return text


class Result:
    """Mixin for kflow's result dataclasses (declare them with ``repr=False``)."""

    #: Name of the field that :meth:`to_frame` returns.
    _main: ClassVar[str | None] = None

    def summary(self) -> str:  # pragma: no cover - every subclass defines it
        """The result as plain text."""
        raise NotImplementedError

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        fields = [f.name for f in dataclasses.fields(self)]  # type: ignore[arg-type]
        lines = [f"{type(self).__name__}("]
        lines += [f"    {name}={describe_value(getattr(self, name))}," for name in fields[:11]]
        if len(fields) > 11:
            lines.append(f"    ... {len(fields) - 11} more fields,")
        lines.append(")")
        return "\n".join(lines)

    def to_frame(self) -> pd.DataFrame:
        """A copy of the result's main table."""
        if self._main is None:
            raise NotImplementedError(f"{type(self).__name__} has no main table.")
        value = getattr(self, self._main)
        frame = value.to_frame() if isinstance(value, pd.Series) else value
        return frame.copy()

    def _repr_html_(self) -> str:
        parts = [f"<pre>{html.escape(self.summary())}</pre>"]
        if self._main is not None:
            frame = self.to_frame()
            parts.append(frame.head(20).to_html(escape=True, float_format=lambda x: f"{x:.4g}"))
            if len(frame) > 20:
                parts.append(f"<p>... {len(frame) - 20} more rows (to_frame() has them all)</p>")
        return "\n".join(parts)
