"""Checks of Arrow-backed text columns read from their byte buffers, one pass over the bytes
without a result per cell: a national file's id columns hold tens of millions of cells, and
these checks usually find nothing to do."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kflow.io.codes import arrow_text

__all__ = ["ASCII_SPACES", "all_ascii", "empty_cells", "needs_trim"]


# Bytes that may begin or end a string that str.strip changes: ASCII whitespace, with the
# separators \x1c-\x1f that Python and Arrow strip too, and any byte of a multi-byte character
# (a non-ASCII space such as U+00A0 begins and ends with one).
ASCII_SPACES = (9, 10, 11, 12, 13, 28, 29, 30, 31, 32)
_EDGE_BYTES = np.zeros(256, dtype=bool)
_EDGE_BYTES[list(ASCII_SPACES)] = True
_EDGE_BYTES[128:] = True


def needs_trim(column: pd.Series) -> bool:
    """Whether some cell of an Arrow-backed text column may have surrounding whitespace: False
    only when no cell begins or ends with a byte that could be part of a space. Reads the first
    and last byte of each cell from Arrow's buffers, so that a national file's id columns,
    which have no such cells, are not rewritten by a trim."""
    values = arrow_text(column)
    if values is None:
        return True
    chunks = values.chunks if hasattr(values, "chunks") else [values]
    for chunk in chunks:
        kind = str(chunk.type)
        if len(chunk) == 0:
            continue
        _, offsets, data = chunk.buffers()
        if data is None:
            continue
        width = np.int64 if kind == "large_string" else np.int32
        ends = np.frombuffer(offsets, dtype=width)[chunk.offset : chunk.offset + len(chunk) + 1]
        first, after = ends[:-1], ends[1:]
        filled = after > first
        if chunk.null_count:
            filled &= chunk.is_valid().to_numpy(zero_copy_only=False)
        if not filled.all():  # an id column is filled throughout: nothing to leave out
            first, after = first[filled], after[filled]
        data = np.frombuffer(data, dtype=np.uint8)
        if _EDGE_BYTES[data[first]].any() or _EDGE_BYTES[data[after - 1]].any():
            return True
    return False


def all_ascii(column: pd.Series) -> bool:
    """Whether every cell of a text column is ASCII: for Arrow-backed text, no byte of its
    character buffers is 128 or above (one pass over the bytes, no per-cell result)."""
    values = arrow_text(column)
    if values is None:
        return bool(column.str.isascii().all())
    import pyarrow.compute as pc

    for chunk in values.chunks if hasattr(values, "chunks") else [values]:
        data = chunk.buffers()[2] if len(chunk) else None
        if data is None or not len(data) or np.frombuffer(data, dtype=np.uint8).max() < 128:
            continue
        # A sliced chunk's buffer may hold bytes of cells outside it: asked cell by cell.
        if pc.all(pc.string_is_ascii(chunk)).as_py() is False:
            return False
    return True


def empty_cells(column: pd.Series) -> np.ndarray:
    """Which cells of a text column are empty, as a numpy mask. For Arrow-backed text without
    missing cells, read from the cells' offsets (a cell is empty when it ends where it begins)
    rather than by comparing every cell with "" and unpacking Arrow's bits."""
    values = arrow_text(column)
    if values is None or values.null_count:  # a missing cell is not an empty one
        return (column == "").fillna(False).to_numpy(dtype=bool)
    out = np.empty(len(values), dtype=bool)
    at = 0
    for chunk in values.chunks if hasattr(values, "chunks") else [values]:
        n = len(chunk)
        if n:
            width = np.int64 if str(chunk.type) == "large_string" else np.int32
            ends = np.frombuffer(chunk.buffers()[1], dtype=width)
            ends = ends[chunk.offset: chunk.offset + n + 1]
            np.equal(ends[1:], ends[:-1], out=out[at: at + n])
        at += n
    return out
