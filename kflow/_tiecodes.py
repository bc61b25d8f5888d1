"""Ties held as integer codes.

A survey read from a file keeps its ties as positions into its own firms index (the one table
of ids) and small codes for relation and wave, not as millions of repeated id strings. The
``ties`` DataFrame is built from them the first time it is read; measures use the codes
directly, so a national network is never turned into text and back.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kflow import vocabulary as V


@dataclass(frozen=True, eq=False)
class TieCodes:
    """The ties of a survey in report order (relation, wave, source, target).

    ``source`` and ``target`` are positions into ``firm_ids`` (the survey's firms index when
    the codes were made); ``relation`` and ``wave`` are positions into ``relations`` and
    ``waves`` (labels as Python strings, the waves in natural order); ``wave`` is None for a
    survey without waves.
    """

    firm_ids: pd.Index
    source: np.ndarray
    target: np.ndarray
    weight: np.ndarray
    relation: np.ndarray
    relations: np.ndarray
    wave: np.ndarray | None = None
    waves: np.ndarray | None = None

    def __post_init__(self) -> None:
        for values in (self.source, self.target, self.weight, self.relation, self.wave):
            if values is not None:
                values.flags.writeable = False  # a survey's ties do not change

    def __len__(self) -> int:
        return len(self.source)

    def present(self, what: str) -> list[str]:
        """The relation (or wave) labels that some tie carries, in their stored order."""
        codes, labels = (self.relation, self.relations) if what == V.RELATION else (
            self.wave, self.waves)
        if codes is None or labels is None:
            return []
        used = np.zeros(len(labels), dtype=bool)
        used[codes] = True
        return [str(label) for label in labels[used]]

    def mask(self, relation: str | None, wave: str | None) -> np.ndarray | None:
        """The ties of one relation and wave as a boolean mask; None when that is every tie."""
        keep = None
        for codes, labels, label in ((self.relation, self.relations, relation),
                                     (self.wave, self.waves, wave)):
            if label is None or codes is None or labels is None:
                continue
            where = np.flatnonzero(labels == label)
            hit = (codes == where[0]) if len(where) else np.zeros(len(codes), dtype=bool)
            keep = hit if keep is None else keep & hit
        return None if keep is None or keep.all() else keep

    def take(self, keep: np.ndarray | None, firm_ids: pd.Index,
             position: np.ndarray | None = None) -> TieCodes:
        """The ties where ``keep`` holds (all when None), as positions into ``firm_ids``:
        renumbered by ``position`` (the new position of each old one) when given."""

        source, target = _rows(self.source, keep), _rows(self.target, keep)
        if position is not None:
            source, target = position[source], position[target]
        return TieCodes(firm_ids, source, target, _rows(self.weight, keep),
                        _rows(self.relation, keep), self.relations, _rows(self.wave, keep),
                        self.waves)

    def frame(self, keep: np.ndarray | None = None) -> pd.DataFrame:
        """The ties (those where ``keep`` holds) as the public table: ids as Python strings,
        one object per distinct id shared by its cells, in a fresh table that owns its data."""
        ids = np.asarray(self.firm_ids, dtype=object)
        out = {V.SOURCE: ids[_rows(self.source, keep)], V.TARGET: ids[_rows(self.target, keep)],
               V.WEIGHT: np.array(_rows(self.weight, keep), dtype=float),
               V.RELATION: self.relations[_rows(self.relation, keep)]}
        if self.wave is not None and self.waves is not None:
            out[V.WAVE] = self.waves[_rows(self.wave, keep)]
        # Row labels are the ties' rows in the whole table, as a filtered table would keep them.
        rows_index = pd.RangeIndex(len(self)) if keep is None else pd.Index(np.flatnonzero(keep))
        return pd.DataFrame({c: pd.Series(v, dtype=v.dtype, index=rows_index, copy=False)
                             for c, v in out.items()}, copy=False)


def _rows(values: np.ndarray | None, keep: np.ndarray | None) -> np.ndarray | None:
    """The entries of a per-tie array where ``keep`` holds (the array itself when None)."""
    return values if values is None or keep is None else values[keep]


class TiesSlot:
    """The ``ties`` attribute of a Survey: a DataFrame, built from the survey's codes the first
    time it is read. Once built, the codes are let go, so that the table a user may have edited
    in place is what every later measure reads."""

    def __get__(self, survey: object, owner: type | None = None) -> pd.DataFrame:
        if survey is None:
            raise AttributeError("ties")  # no class-level default for the dataclass field
        held = survey.__dict__["_ties"]
        if isinstance(held, TieCodes):
            held = held.frame()
            survey.__dict__["_ties"] = held
        return held

    def __set__(self, survey: object, value: pd.DataFrame | TieCodes) -> None:
        survey.__dict__["_ties"] = value


def held_codes(survey: object) -> TieCodes | None:
    """The survey's tie codes, while its ``ties`` table has not been built and its firms are in
    the order the codes count them in. Firms reordered in place (``survey.firms.sort_values(...,
    inplace=True)``) turn the codes into the table, whose ids stay right, and the measures then
    look the ids up."""
    held = survey.__dict__.get("_ties")
    if not isinstance(held, TieCodes):
        return None
    index = survey.__dict__["firms"].index
    if index is held.firm_ids or index.equals(held.firm_ids):
        return held
    survey.__dict__["_ties"] = held.frame()
    return None
