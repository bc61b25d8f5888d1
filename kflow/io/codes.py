"""Id columns coded as integers against one table of distinct ids: the ties of a national
network repeat a few million firm ids tens of millions of times, so each id is hashed once and
the columns compare code to code.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from kflow import vocabulary as V
from kflow._memo import recall, remember

__all__ = [
    "arrow_text", "constant", "distinct", "distinct_dtype", "factorize", "ids_in_order",
    "positions_in", "release_arrow_memory", "same_ids", "shared_ids",
]

# What a table of ids coded through its numbers is remembered as (see kflow._memo): its
# prefix and its numbers, in natural order.
_IN_ORDER = "in natural order"


def shared_ids(first: pd.Series, second: pd.Series) -> tuple[pd.Categorical, pd.Categorical]:
    """Two id columns coded once against one table of distinct ids: each cell is an integer
    code, each id one string, and the two columns compare code to code."""
    # Each column is coded on its own (no copy of both columns end to end), then the second's
    # distinct ids are placed in the first's table. (Coding the two columns in two threads saves
    # about a second at 5 M rows but holds both hash tables at once: 7-10 more bytes per row at
    # the reader's peak, measured by benchmarks/bench_scale.py; memory is what bounds a
    # national network on one machine.)
    numbered = _numbered_ids(first, second)
    if numbered is not None:
        return numbered
    codes, ids = factorize(first)
    other, extra = factorize(second)
    place = _place(ids, extra)
    new = place < 0
    place[new] = len(ids) + np.arange(int(new.sum()))
    ids = pd.Index(np.concatenate([np.asarray(ids, dtype=object),
                                   np.asarray(extra, dtype=object)[new]]), dtype=object)
    dtype = distinct_dtype(ids)  # one table of ids for both columns
    return (pd.Categorical.from_codes(codes, dtype=dtype, validate=False),
            pd.Categorical.from_codes(place[other], dtype=dtype, validate=False))


def _numbered_ids(first: pd.Series, second: pd.Series
                  ) -> tuple[pd.Categorical, pd.Categorical] | None:
    """:func:`shared_ids` of two columns of Arrow text whose every id is one common prefix and
    a number written without leading zeros ("F123", "4521", a register or tax number), coded
    through the numbers: id and number then stand for each other, and integers code without
    hashing text. The table of ids is in order of the number. None when any id has another
    shape ("F007", "F", "A-12", a second prefix), and the ids are hashed as text."""
    columns = [arrow_text(first), arrow_text(second)]
    if any(c is None or c.null_count or len(c) == 0 for c in columns):
        return None
    prefix = V.id_prefix(columns[0][0].as_py())
    # The two columns are read at once, one of them on a second thread: Arrow's casts and
    # numpy's passes run without holding the interpreter, and each column needs only its own
    # array of numbers (no hash table), so reading both at once costs no more memory.
    stop = threading.Event()  # set when a column has an id of another shape
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kflow-ids") as worker:
        second_numbers = worker.submit(_numbers_after, columns[1], prefix, stop)
        x = _numbers_after(columns[0], prefix, stop)
        y = second_numbers.result()
    if x is None or y is None:
        return None
    (x, x_lo, x_hi), (y, y_lo, y_hi) = x, y
    lo, hi = min(x_lo, y_lo), max(x_hi, y_hi)
    if hi - lo < len(x):  # a table of every number in the range (at most 5 bytes per row)
        if lo:
            x -= lo
            y -= lo
        seen = np.zeros(hi - lo + 1, dtype=bool)
        seen[x] = True
        seen[y] = True
        width = np.int32 if len(seen) < 2**31 else np.int64
        if seen.all():  # every number in the range is used (ids numbered 1 to n): code = x - lo
            values = np.arange(lo, hi + 1)
            cx, cy = x.astype(width, copy=False), y.astype(width, copy=False)
        else:
            values = np.flatnonzero(seen) + lo
            # The code of each number: how many numbers in use come before it.
            code = np.cumsum(seen, dtype=width)
            code -= 1
            cx, cy = code[x], code[y]
            del code
        del seen
    else:  # numbers far apart (tax numbers): hashed as integers
        cx, ux = pd.factorize(x)
        cy, uy = pd.factorize(y)
        place = pd.Index(ux).get_indexer(uy)
        new = place < 0
        place[new] = len(ux) + np.arange(int(new.sum()))
        values = np.concatenate([ux, uy[new]])
        cy = place[cy]
        # The table in order of the number, as the range table gives it: the natural order.
        order = np.argsort(values)
        rank = np.empty(len(order), dtype=cx.dtype)
        rank[order] = np.arange(len(order), dtype=cx.dtype)
        values, cx, cy = values[order], rank[cx], rank[cy]
        del order, rank
    del x, y
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pc.cast(pa.array(values), pa.string())
    if prefix:
        text = pc.binary_join_element_wise(prefix, text, "")
    ids = pd.Index(text.to_numpy(zero_copy_only=False), dtype=object)
    remember(ids, _IN_ORDER, (prefix, values))  # in the order of the number: natural order
    dtype = distinct_dtype(ids)
    return (pd.Categorical.from_codes(cx, dtype=dtype, validate=False),
            pd.Categorical.from_codes(cy, dtype=dtype, validate=False))


def distinct_dtype(ids: pd.Index) -> pd.CategoricalDtype:
    """The categorical dtype over a table of ids that are distinct by construction (the
    distinct values of a coding, or numbers written with one prefix), made without pandas'
    check of the table: that check hashes every id (0.5 s at 1.5 M ids) and finds nothing. The
    hash table is then built only by a lookup that needs it. Where pandas has no unchecked
    constructor, the checked one is used."""
    unchecked = getattr(pd.CategoricalDtype, "_from_fastpath", None)
    return pd.CategoricalDtype(ids) if unchecked is None else unchecked(ids, False)


def _numbers_after(column, prefix: str, stop: threading.Event | None = None
                   ) -> tuple[np.ndarray, int, int] | None:
    """The numbers that follow ``prefix`` in every cell of an Arrow text column, chunk by chunk
    (no full-length copy of the text), with their least and greatest; None when a cell is not
    the prefix followed by 1 to 18 ASCII digits without a leading zero (see
    :func:`kflow.vocabulary.numbers_after`), and then ``stop`` is set; None also once ``stop``
    is set (the other column has such a cell). The numbers are 32-bit integers while they fit
    (register numbers usually do): half the memory, and the codes are made from them in place."""
    import pyarrow as pa

    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    out = np.empty(len(column), dtype=np.int32)
    at, lo, hi = 0, None, None
    for chunk in chunks:
        if stop is not None and stop.is_set():
            return None
        if len(chunk) == 0:
            continue
        found = V.numbers_after(chunk, prefix)
        # No leading zero ("007" and "7" are two ids).
        if found is None or V.leading_zeros(*found).any():
            if stop is not None:
                stop.set()
            return None
        number = found[0]
        least, most = int(number.min()), int(number.max())
        lo = least if lo is None else min(lo, least)
        hi = most if hi is None else max(hi, most)
        if hi > np.iinfo(out.dtype).max:
            out = out.astype(np.int64)  # a number beyond 32 bits: the rest are read as 64
        out[at: at + len(chunk)] = number
        at += len(chunk)
    return out, lo, hi


def arrow_text(values: pd.Series):
    """The Arrow array (or chunked array) behind a column of Arrow-backed text, without a copy;
    None for any other column."""
    try:
        data = values.array.__arrow_array__()
    except (AttributeError, TypeError):
        return None
    import pyarrow as pa

    return data if pa.types.is_string(data.type) or pa.types.is_large_string(data.type) else None


def factorize(values: pd.Series) -> tuple[np.ndarray, object]:
    """Integer codes of a column (-1 for a missing value) and its distinct values, in order of
    first appearance, as :func:`pandas.factorize` gives them. Arrow-backed text is coded by
    Arrow's dictionary encoding directly, keeping its 32-bit codes (pandas copies them twice to
    widen them: about 1.5 s per column of 14 M cells); the distinct values are then an Arrow
    array."""
    data = arrow_text(values)
    if data is None:
        return pd.factorize(values)
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(data) == 0:
        return np.zeros(0, dtype=np.int32), pa.array([], type=data.type)
    encoded = data.dictionary_encode()
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    indices = encoded.indices
    if indices.null_count:
        indices = pc.fill_null(indices, -1)
    return indices.to_numpy(zero_copy_only=False), encoded.dictionary


def _place(ids, extra) -> np.ndarray:
    """The position of each of the distinct values ``extra`` among the distinct values
    ``ids``, -1 when absent (Arrow's hash lookup when both are Arrow arrays, as
    :func:`factorize` gives them for Arrow text: a national network has millions of distinct
    ids)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arrow = (pa.Array, pa.ChunkedArray)
    if isinstance(ids, arrow) and isinstance(extra, arrow) and ids.type == extra.type:
        found = pc.index_in(extra, value_set=ids)
        return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
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


def distinct(*columns: pd.Series) -> set[str]:
    """The distinct values of one or more columns, hashed once (a column of millions of cells
    repeats a few thousand ids). Columns coded against one table of ids (as
    :func:`shared_ids` codes them) are read through their codes, and the ids any of them uses
    are turned into Python strings once."""
    used = _used_ids(columns)
    if used is not None:
        return set(used.tolist())
    if len(columns) > 1:
        return set().union(*(distinct(column) for column in columns))
    return set(np.asarray(columns[0].unique(), dtype=object).tolist())


def positions_in(ids: pd.Index, wanted: np.ndarray) -> np.ndarray:
    """The position in ``ids`` of each of the ``wanted`` ids (-1 when absent), as
    ``ids.get_indexer`` gives it. A table of ids coded through their numbers is searched by
    number (the wanted ids read as numbers after the table's prefix): no hash table of a
    national network's millions of ids is built for a few hundred thousand outside ties."""
    numbered = recall(ids, _IN_ORDER)
    if numbered is not None and len(wanted):
        import pyarrow as pa

        prefix, values = numbered
        text = pa.array(np.asarray(wanted, dtype=object), type=pa.string(), from_pandas=True)
        found = None if text.null_count else V.numbers_after(text, prefix)
        if found is not None:
            numbers, length = found
            at = np.searchsorted(values, numbers)
            inside = at < len(values)
            at[~inside] = 0
            # the number is in the table, written as the table writes it (no leading zero)
            hit = inside & (values[at] == numbers) & ~V.leading_zeros(numbers, length)
            return np.where(hit, at, -1)
    return ids.get_indexer(pd.Index(np.asarray(wanted, dtype=object), dtype=object))


def ids_in_order(*columns: pd.Series, all_used: bool = False) -> pd.Index | None:
    """The distinct ids of columns coded through their numbers (see :func:`shared_ids`), in
    natural order: the table of ids itself when every id in it is used (so that its hash table,
    once built, serves every later lookup), else the ids used, in the table's order. None for
    columns coded any other way. ``all_used``: the columns are those the table was made from,
    every row kept, so each of its ids is used (not counted again)."""
    if not all(isinstance(c.dtype, pd.CategoricalDtype) for c in columns):
        return None
    ids = columns[0].cat.categories
    if not recall(ids, _IN_ORDER) or any(c.cat.categories is not ids for c in columns):
        return None
    return ids if all_used else _used_ids(columns)


def _used_ids(columns) -> pd.Index | None:
    """The ids of a shared table of ids that the coded columns use, in the table's order (the
    table itself when all are used); None unless every column is coded against one table."""
    first = columns[0]
    if not all(isinstance(c.dtype, pd.CategoricalDtype)
               and c.cat.categories is first.cat.categories for c in columns):
        return None
    ids = first.cat.categories
    used = np.zeros(len(ids), dtype=bool)
    for column in columns:
        codes = column.cat.codes.to_numpy()
        used[codes[codes >= 0]] = True
    return ids if used.all() else ids[used]


def release_arrow_memory() -> None:
    """Hand the memory Arrow's allocator keeps after the cells of a large file are let go back
    to the system. The allocator returns freed pages only as it allocates again, and the reader's
    next steps allocate through numpy instead, so without this the peak of a national file
    sometimes held the text of its id columns twice over (about 30 more bytes per row at 4.7 M
    rows in two runs of five)."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()

