"""Id columns coded as integers against one table of distinct ids: the ties of a national
network repeat a few million firm ids tens of millions of times, so each id is hashed once and
the columns compare code to code.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["constant", "distinct", "same_ids", "shared_ids"]


def shared_ids(first: pd.Series, second: pd.Series) -> tuple[pd.Categorical, pd.Categorical]:
    """Two id columns coded once against one table of distinct ids: each cell is an integer
    code, each id one string, and the two columns compare code to code."""
    # Each column is coded on its own (no copy of both columns end to end), then the second's
    # distinct ids are placed in the first's table.
    codes, ids = pd.factorize(first)
    other, extra = pd.factorize(second)
    place = _place(ids, extra)
    new = place < 0
    place[new] = len(ids) + np.arange(int(new.sum()))
    ids = pd.Index(np.concatenate([np.asarray(ids, dtype=object),
                                   np.asarray(extra, dtype=object)[new]]), dtype=object)
    dtype = pd.CategoricalDtype(ids)  # the table of ids checked once, for both columns
    return (pd.Categorical.from_codes(codes, dtype=dtype, validate=False),
            pd.Categorical.from_codes(place[other], dtype=dtype, validate=False))


def _place(ids, extra) -> np.ndarray:
    """The position of each of the distinct values ``extra`` among the distinct values
    ``ids``, -1 when absent (Arrow's hash lookup for Arrow text: a national network has
    millions of distinct ids)."""
    ids, extra = getattr(ids, "array", ids), getattr(extra, "array", extra)
    if isinstance(ids, pd.arrays.ArrowStringArray) and isinstance(extra,
                                                                  pd.arrays.ArrowStringArray):
        import pyarrow.compute as pc

        found = pc.index_in(extra._pa_array, value_set=ids._pa_array)
        return found.fill_null(-1).to_numpy().astype(np.int64)
    ids = pd.Index(np.asarray(ids, dtype=object), dtype=object)
    return ids.get_indexer(pd.Index(np.asarray(extra, dtype=object), dtype=object))


def same_ids(first: pd.Series, second: pd.Series) -> np.ndarray:
    """Where two id columns name the same firm (code to code when both are coded against one
    table of ids, as :func:`shared_ids` codes them)."""
    if (isinstance(first.dtype, pd.CategoricalDtype)
            and isinstance(second.dtype, pd.CategoricalDtype)
            and first.cat.categories is second.cat.categories):
        return first.cat.codes.to_numpy() == second.cat.codes.to_numpy()
    return (first == second).to_numpy()


def constant(value: str | None, n: int) -> pd.Categorical:
    """A column holding one value (or nothing) in every cell, one byte per cell."""
    categories = pd.Index([] if value is None else [value], dtype=object)
    return pd.Categorical.from_codes(np.full(n, -1 if value is None else 0, dtype=np.int8),
                                     categories=categories)


def distinct(values: pd.Series) -> set[str]:
    """The distinct values of a column, hashed once (a column of millions of cells repeats a
    few thousand ids)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        used = np.bincount(codes[codes >= 0], minlength=len(values.cat.categories)) > 0
        return set(values.cat.categories[used].tolist())
    return set(np.asarray(values.unique(), dtype=object).tolist())
