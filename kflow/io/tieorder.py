"""Ties ordered by sorting packed integer keys.

A national file has tens of millions of ties. Ordering them by finding the order of their keys
and moving every column by it touches each column twice; when the tie values are whole numbers
of a short range (answers on a rating scale) every key and the value fit in one 63-bit integer,
and sorting those integers orders the keys and the values at once. When the ties have one
relation and no wave and their ids are coded against one table, the same sorted integers also
show whether a tie is repeated (two neighbours with the same key), so the reader sorts once for
both: finding repeats and the survey's order of ties.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kflow import vocabulary as V

__all__ = ["PackedTies", "pack_sorted", "presorted"]

# Tie values coded into the key: whole numbers spanning fewer than this many values.
_FEW_VALUES = 2**16

# Neighbours compared this many at a time when looking for a repeated key (no temporary array
# of millions of rows).
_BLOCK = 1 << 20


@dataclass(frozen=True)
class PackedTies:
    """Ties as sorted 63-bit integers: each key takes the bits its number of values needs (the
    first key the highest), the value's steps above ``lo`` the lowest ``bits[-1]``.

    ``dtypes`` are the integer types the keys are read back as."""

    packed: np.ndarray
    bits: tuple[int, ...]
    lo: float
    dtypes: tuple[np.dtype, ...]

    def repeats(self) -> bool:
        """Whether two ties have the same keys (neighbours once sorted; the value aside)."""
        width = self.bits[-1]
        for start in range(0, max(len(self.packed) - 1, 0), _BLOCK):
            keys = self.packed[start: start + _BLOCK + 1] >> width
            if (keys[1:] == keys[:-1]).any():
                return True
        return False

    def without_value(self, value: float) -> PackedTies:
        """The ties whose value is not ``value`` (still sorted: a part of a sorted array)."""
        step = value - self.lo
        if not (step.is_integer() and 0 <= step < 2 ** self.bits[-1]):
            return self
        values = self.packed & ((1 << self.bits[-1]) - 1)
        kept = values != int(step)
        del values
        return PackedTies(self.packed[kept], self.bits, self.lo, self.dtypes)

    def unpack(self) -> tuple[list[np.ndarray], np.ndarray]:
        """The keys and the values, in the sorted order. Each key is shifted out of the packed
        integers straight into an array of its own type (cast element by element, no
        temporary of millions of rows), then the values are written over the packed integers
        (the object is spent): the only new arrays are the keys'."""
        packed, width = self.packed, self.bits[-1]
        parts, shift = [], width
        for dtype, bits in zip(self.dtypes[::-1], self.bits[-2::-1], strict=True):
            digit = np.zeros(len(packed), dtype=dtype)
            if bits:
                # The low bits of the shifted integer, then the key's own bits (bits < the
                # type's width, so the cast keeps them).
                np.right_shift(packed, shift, out=digit, casting="unsafe")
                np.bitwise_and(digit, (1 << bits) - 1, out=digit)
            parts.append(digit)
            shift += bits
        np.bitwise_and(packed, (1 << width) - 1, out=packed)  # the values' steps
        values = packed.view(np.float64)
        np.add(packed, self.lo, out=values, casting="unsafe")  # element by element, in place
        return parts[::-1], values


def pack_sorted(keys: list[tuple[np.ndarray, int]], weight: np.ndarray,
                dtypes: list | None = None) -> PackedTies | None:
    """The keys (each with its number of values, codes from 0) and the tie values packed and
    sorted; None when the values are not whole numbers of a short range or the keys and values
    do not fit in 63 bits. ``dtypes``: the types to read the keys back as (default: their
    own)."""
    if len(weight) == 0:
        return None
    lo, hi = float(weight.min()), float(weight.max())
    # (NaN fails every comparison; values beyond 2^53 are not whole numbers a cast keeps)
    if not (-(2.0**53) < lo <= hi < 2.0**53 and hi - lo < _FEW_VALUES):
        return None
    steps = weight.astype(np.int64)
    if not (steps == weight).all():  # not whole numbers
        return None
    steps -= int(lo)
    # A key with one value (one relation, one wave) takes no bits.
    bits = [(max(int(size), 1) - 1).bit_length() for _, size in keys] + [
        int(hi - lo).bit_length()]
    if sum(bits) > 62:
        return None
    # Packed in place, each key cast as it is written (no temporary copy of a column).
    packed = np.zeros(len(weight), dtype=np.int64)
    for (key, _), width in zip([*keys, (steps, 0)], bits, strict=True):
        if width:
            np.left_shift(packed, width, out=packed)
            np.bitwise_or(packed, key, out=packed, casting="unsafe")
    del steps
    packed.sort()
    types = tuple(np.dtype(d) for d in (dtypes or [key.dtype for key, _ in keys]))
    return PackedTies(packed, tuple(bits), lo, types)


def presorted(records: pd.DataFrame) -> PackedTies | None:
    """The records' ties sorted by source and target code with their values, when they have one
    relation and no wave and both id columns are coded against one table (the usual national
    file); None otherwise. Sorted by code, they are in the survey's order of ties whenever the
    roster is that table of ids (see :func:`kflow.io.assemble.finish_ties`)."""
    if V.WAVE in records.columns:
        return None
    source, target, relation = (records[c] for c in (V.SOURCE, V.TARGET, V.RELATION))
    coded = [c for c in (source, target, relation) if isinstance(c.dtype, pd.CategoricalDtype)]
    if len(coded) < 3 or source.cat.categories is not target.cat.categories:
        return None
    if len(relation.cat.categories) != 1 or (relation.cat.codes.to_numpy() < 0).any():
        return None
    codes = [source.cat.codes.to_numpy(), target.cat.codes.to_numpy()]
    if len(codes[0]) == 0 or min(int(c.min()) for c in codes) < 0:  # a missing id
        return None
    n = len(source.cat.categories)
    narrow = np.int32 if n < 2**31 else np.int64
    return pack_sorted([(codes[0], n), (codes[1], n)], records[V.WEIGHT].to_numpy(dtype=float),
                       [narrow, narrow])
