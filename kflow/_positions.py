"""The ties of one layer as positions into the survey's firms index, looked up once.

A survey read from files holds its ties as positions already (see :mod:`kflow._tiecodes`); one
built by hand has its ids looked up in the roster. Within a :func:`shared_layers` block, each
layer is looked up once and its arrays are shared, read-only, by every measure of the call.
This module sits below :mod:`kflow.survey` and :mod:`kflow.graph` (it imports neither), so both
the layers and the graph views read positions from it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kflow import vocabulary as V
from kflow._memo import recall, remember
from kflow._tiecodes import held_codes

if TYPE_CHECKING:
    from kflow.survey import Survey

__all__ = [
    "edge_pairs", "external_positions", "firm_index", "hold_external_positions", "object_index",
    "roster_index", "shared_layers", "tie_arrays", "tie_positions",
]


# Tie positions already looked up within one call (see shared_layers), by survey and layer.
_SHARED: ContextVar[dict | None] = ContextVar("kflow_shared_layers", default=None)


@contextmanager
def shared_layers() -> Iterator[None]:
    """Within the block, each layer's ties are looked up in the roster once: a function that
    runs several measures on one survey (roles: a centrality and the openness) does not map
    millions of ids to positions once per measure. The survey is not copied or changed."""
    if _SHARED.get() is not None:
        yield
        return
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def tie_arrays(survey: Survey, relation: str, wave: str | None
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Source and target positions in the roster, and weights, of one layer's ties."""
    shared = _SHARED.get()
    key = (id(survey), relation, wave)
    if shared is not None and key in shared and shared[key][0] is survey:
        return shared[key][1:]
    codes = held_codes(survey)
    if codes is not None:
        # A survey read from files holds its ties as positions into its firms: no lookup.
        keep = codes.mask(relation, wave)
        src = (codes.source if keep is None else codes.source[keep]).astype(np.int64)
        dst = (codes.target if keep is None else codes.target[keep]).astype(np.int64)
        weight = codes.weight if keep is None else codes.weight[keep]
        return _share(survey, key, src, dst, weight)
    ties = survey.layer(relation, wave)
    # Looked up as Python objects: the tie columns hold the roster's own id strings, whose
    # hashes Python keeps, so no id is converted or rehashed.
    index = roster_index(survey)
    src = index.get_indexer(object_index(ties[V.SOURCE])).astype(np.int64)
    dst = index.get_indexer(object_index(ties[V.TARGET])).astype(np.int64)
    weight = ties[V.WEIGHT].to_numpy(dtype=float)
    return _share(survey, key, src, dst, weight)


def _share(survey: Survey, key: tuple, src: np.ndarray, dst: np.ndarray, weight: np.ndarray
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Read-only arrays of a layer, kept for the rest of a :func:`shared_layers` block."""
    for array in (src, dst, weight):
        array.flags.writeable = False  # shared by the layers built from them
    shared = _SHARED.get()
    if shared is not None:
        shared[key] = (survey, src, dst, weight)
    return src, dst, weight


def roster_index(survey: Survey) -> pd.Index:
    """The firms index as an Index of Python objects: the survey's own when it is one, so that
    pandas builds its hash table once for every lookup into it."""
    index = survey.firms.index
    return index if index.dtype == object else pd.Index(index, dtype=object)


def firm_index(survey: Survey) -> pd.Index:
    """The roster's ids as the index of a result table (``firm_id``, text, natural order).
    Made once per survey, since a national roster holds millions of ids, and handed out as a
    new view each time: renaming one table's index leaves the others as they are."""
    index = recall(survey, "firm_index", lambda: pd.Index(survey.firm_ids, name=V.FIRM_ID))
    return index.rename(V.FIRM_ID)


def external_positions(survey: Survey) -> np.ndarray:
    """The roster position of each row of the survey's external table (-1 for a firm not on
    the roster), read-only: looked up once per survey (the reader hands over the positions it
    found while ordering the table; see :func:`hold_external_positions`)."""
    ext = survey.external
    table, positions = recall(survey, "external", lambda: (ext, _external_lookup(survey)))
    if table is not ext:  # a survey whose external table was replaced after it was made
        return _external_lookup(survey)
    return positions


def hold_external_positions(survey: Survey, positions: np.ndarray) -> None:
    """Keep the roster positions of the survey's external rows, found while it was read."""
    positions.flags.writeable = False
    remember(survey, "external", (survey.external, positions))


def _external_lookup(survey: Survey) -> np.ndarray:
    found = roster_index(survey).get_indexer(object_index(survey.external[V.FIRM_ID]))
    found.flags.writeable = False
    return found


def object_index(values: pd.Series) -> pd.Index:
    """A column as an Index of Python objects, to look up in :func:`roster_index` (pandas
    would otherwise infer a text dtype and convert every cell)."""
    return pd.Index(values.to_numpy(dtype=object), dtype=object, copy=False)


def tie_positions(survey: Survey, relation: str | None, wave: str | None
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Source and target positions in ``survey.firm_ids``, and weights, of the ties of one
    layer, in the order of :meth:`Survey.layer` (as observed: no treatment of missing answers)."""
    return tie_arrays(survey, *survey._layer_key(relation, wave))


def edge_pairs(src: np.ndarray, dst: np.ndarray) -> Iterator[tuple[int, int]]:
    """Edges for igraph as an iterator of pairs of Python ints. igraph reads a two-column numpy
    array row by row, each row a small array (about 0.8 microseconds an edge); the two columns
    turned into lists and zipped are read two to three times faster (100,000 edges: 26-30 ms
    against 70-90 ms), which is most of what a sampled path measure costs beyond igraph's own
    work."""
    return zip(np.asarray(src).tolist(), np.asarray(dst).tolist(), strict=True)

