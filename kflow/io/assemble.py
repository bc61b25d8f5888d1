"""The assembly of a :class:`kflow.Survey`: final tables in natural order, metadata and the
validation report that accounts for every record read.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from kflow import vocabulary as V
from kflow._positions import hold_external_positions
from kflow._tiecodes import TieCodes
from kflow._version import __version__
from kflow.exceptions import SurveyError
from kflow.io._common import Drops, combined_key
from kflow.io.codes import distinct
from kflow.io.tables import Table
from kflow.io.tieorder import PackedTies, pack_sorted
from kflow.io.ties import TieRecords
from kflow.survey import Survey, ValidationReport

__all__ = ["REPORTED_SIDE", "assemble_survey"]

# Which of a respondent's knowledge ties its answers report: under "asks" the knowledge it
# received (its incoming ties), under "gives" the knowledge it passed on. A non-respondent's ties
# on that side are unknown. For "flow" files the side is not known.
REPORTED_SIDE = {"asks": "in", "gives": "out"}


def assemble_survey(
    ties: TieRecords,
    roster: pd.DataFrame,
    firm_table: Table | None,
    ext: pd.DataFrame | None,
    ext_table: Table | None,
    options: dict,
    drops: Drops,
    notes: list[str],
) -> Survey:
    """Put the checked parts together into a Survey with its metadata and validation report."""
    for table in [t for _, t, _ in ties.tables] + [firm_table, ext_table]:
        if table is not None:
            notes.extend(table.notes)
        if table is not None and table.encoding in ("cp1252", "latin-1"):
            notes.append(
                f"{table.label}: not UTF-8; read as {table.encoding} (a Windows or ISO export). "
                "If accented names look wrong, pass the file's encoding with encoding=."
            )
    firms_out = finish_firms(roster, ordered=options.get("roster_sorted", False))
    if firms_out.empty:
        reasons = drops.frame()["reason"].value_counts()
        listed = "; ".join(f"{r}: {n}" for r, n in reasons.items()) or "no records"
        raise SurveyError(
            f"{ties.table.label}: no firm is left on the roster: every record was dropped "
            f"({listed}). Check that the right file and columns were given."
        )
    # The firms index itself (object dtype): its hash table, built for the lookups below, is
    # the one the measures use later.
    order = firms_out.index
    ties_out = finish_ties(ties.records, order, ties.has_wave, ties.presorted)
    ext_out, ext_firms = finish_external(ext, order, options.get("external_positions"))
    non = firms_out.index[~firms_out[V.RESPONDENT].to_numpy(dtype=bool)].tolist()
    if non:
        notes.append(
            f"non-respondents ({len(non)}): {', '.join(non)}; their unknown answers are "
            f"treated by the measures under missing=\"{options['missing']}\""
        )
    single = len(ties.tables) == 1
    tables = table_summary(
        [
            *((what, table, layout, len(ties_out) if single else None)
              for what, table, layout in ties.tables),
            ("firms", firm_table, "attribute table", None),
            ("external", ext_table, "external ties", None if ext is None else len(ext_out)),
        ],
        drops,
    )
    report = ValidationReport(
        tables=tables,
        dropped=drops.frame(),
        notes=tuple(notes),
        n_firms=len(firms_out),
        n_respondents=int(firms_out[V.RESPONDENT].sum()),
    )
    meta = _meta(ties, ties_out, firm_table, ext_table, options)
    survey = Survey(firms=firms_out, ties=ties_out, external=ext_out, meta=meta, validation=report)
    hold_external_positions(survey, ext_firms)
    return survey


def _meta(
    ties: TieRecords,
    ties_out: TieCodes,
    firm_table: Table | None,
    ext_table: Table | None,
    options: dict,
) -> dict[str, Any]:
    scale = options["scale"]
    # The relations of the records kept, as the ties hold them (one read of a coded column).
    relations = sorted(distinct(ties.records[V.RELATION])) or [V.DEFAULT_RELATION]
    tables = (
        *((what, table) for what, table, _ in ties.tables),
        ("firms", firm_table),
        ("external", ext_table),
    )
    meta: dict[str, Any] = {
        "orientation": options.get("saved_orientation") or options["orientation"],
        "layout": options.get("saved_layout") or ("matrix" if ties.is_matrix else "edgelist"),
        "scale": list(scale) if scale is not None else None,
        "relations": relations,
        "waves": ties_out.present(V.WAVE) if ties.has_wave else [],
        "sources": options["source_names"]
        or {name: t.label for name, t in tables if t is not None},
        "reported_side": options["reported_side"],
        "missing": options["missing"],
        "absent": options.get("saved_absent") or options["absent"],
        "duplicates": options["duplicates"],
        "kflow_version": __version__,
    }
    if options.get("file_format"):
        meta["file_format"] = options["file_format"]
    if ties.table.encoding is not None:
        meta["encoding"] = ties.table.encoding
        meta["sep"] = ties.table.sep
    return meta


def finish_firms(roster: pd.DataFrame, ordered: bool = False) -> pd.DataFrame:
    """The roster in natural order of ids (``ordered``: it is already), name and respondent
    first."""
    ids = np.asarray(roster.index, dtype=object)
    out = roster.drop(columns=["_pos"], errors="ignore")
    order = None if ordered else V.natural_argsort(ids)
    if order is not None and not (np.diff(order) == 1).all():
        out = out.iloc[order]
        ids = ids[order]
        out.index = pd.Index(ids, dtype=object, name=V.FIRM_ID)
    elif roster.index.dtype != object or roster.index.name != V.FIRM_ID:
        out.index = pd.Index(ids, dtype=object, name=V.FIRM_ID)
    # else the roster's own index, a view of the table of ids the ties are coded against when
    # the reader found the ids in order: its hash table is built once for every lookup.
    if V.NAME not in out.columns:
        out.insert(0, V.NAME, pd.Series(ids, index=out.index, dtype=object))
    else:
        out[V.NAME] = out[V.NAME].where(out[V.NAME].notna(), out.index.to_series()).astype(object)
    out[V.RESPONDENT] = out[V.RESPONDENT].astype(bool)
    first = [V.NAME, V.RESPONDENT]
    return out[first + [c for c in out.columns if c not in first]]


def finish_ties(records: pd.DataFrame, order: pd.Index, has_wave: bool,
                presorted: PackedTies | None = None) -> TieCodes:
    """The ties in report order: relation, wave (natural order), source and target (roster
    order), as codes: positions into the roster ``order`` and into the relation and wave
    labels (the Survey builds its text table from them when it is first read).

    ``presorted``: the records already sorted by source and target code with their values
    (:func:`kflow.io.tieorder.presorted`, one relation, no wave); used when the codes are the
    roster positions, which makes that sort the report order."""
    n = len(order)
    source, target, same = _ranks(records[V.SOURCE], records[V.TARGET], order)
    rel_codes, relations = _codes(records[V.RELATION], sort=True)
    if presorted is not None and same and not has_wave and len(relations) == 1:
        (source, target), weight = presorted.unpack()
        rel_codes = np.zeros(len(source), dtype=rel_codes.dtype)
        return TieCodes(order, source, target, weight, rel_codes, relations, None, None)
    keys = [(rel_codes, len(relations))]
    wave_codes = waves = None
    if has_wave:
        raw_codes, raw_waves = _codes(records[V.WAVE])
        waves = np.asarray(V.sorted_ids(raw_waves), dtype=object)
        wave_rank = pd.Index(waves, dtype=object).get_indexer(raw_waves)
        wave_codes = wave_rank.astype(np.int32)[raw_codes]
        del raw_codes
        keys.append((wave_codes, len(waves)))
    keys += [(source, n), (target, n)]
    weight = records[V.WEIGHT].to_numpy(dtype=float)
    ordered = _sorted_with_weights(keys, weight)
    if ordered is not None:
        parts, weight = ordered
        rel_codes, *parts = parts
        wave_codes = parts.pop(0) if wave_codes is not None else None
        source, target = parts
        return TieCodes(order, source, target, weight, rel_codes, relations, wave_codes, waves)
    idx = _order_of(keys)
    del keys
    # Reordered one column at a time, each freed once done: a national file has millions of
    # rows, and every column of them is one more array of that length.
    source = source[idx]
    target = target[idx]
    weight = weight[idx]
    rel_codes = rel_codes[idx]
    if wave_codes is not None:
        wave_codes = wave_codes[idx]
    return TieCodes(order, source, target, weight, rel_codes, relations, wave_codes, waves)


def _sorted_with_weights(keys: list[tuple[np.ndarray, int]], weight: np.ndarray
                         ) -> tuple[list[np.ndarray], np.ndarray] | None:
    """The keys and the tie values sorted by the keys, the first key first, when the values are
    whole numbers of a short range and every key fits, with them, in one 63-bit integer (see
    :mod:`kflow.io.tieorder`). The keys are distinct (repeats are merged before), so the order
    is the one :func:`_order_of` gives. None otherwise."""
    packed = pack_sorted(keys, weight)
    return None if packed is None else packed.unpack()


def _ranks(first: pd.Series, second: pd.Series, order: pd.Index
           ) -> tuple[np.ndarray, np.ndarray, bool]:
    """The position in ``order`` of each id of two columns, looking up each distinct id once
    (once for both columns when they are coded against one table of ids; 32-bit positions when
    they fit), and whether both columns' codes are those positions."""
    codes, ids = _codes(first)
    other, extra = _codes(second)
    narrow = np.int32 if len(order) < 2**31 else np.int64
    position = _positions(ids, order)
    elsewhere = position if extra is ids else _positions(extra, order)

    def placed(found: np.ndarray, where: np.ndarray | None) -> np.ndarray:
        # coded against the roster itself: the codes are the positions
        return found.astype(narrow, copy=False) if where is None else where[found]

    same = position is None and elsewhere is None
    return placed(codes, position), placed(other, elsewhere), same


def _positions(distinct, order: pd.Index) -> np.ndarray | None:
    """The position in ``order`` of each of the distinct ids; None when they are ``order``
    itself, id for id."""
    narrow = np.int32 if len(order) < 2**31 else np.int64
    distinct = np.asarray(distinct, dtype=object)
    # Ids coded through their numbers are in the roster's natural order already when the
    # roster is the firms the ties name: compared in one pass, not hashed.
    if len(distinct) == len(order) and np.array_equal(distinct, order.to_numpy(dtype=object)):
        return None
    position = order.get_indexer(pd.Index(distinct, dtype=object))
    return position.astype(narrow)


def _order_of(keys: list[tuple[np.ndarray, int]]) -> np.ndarray:
    """The order of rows sorted by several integer keys, the first key first."""
    combined = combined_key(keys)
    if combined is not None:
        # Duplicates are merged before, so no two ties share a key and any sort gives this
        # order; numpy's default sort is the faster one.
        return np.argsort(combined)
    return np.lexsort([key for key, _ in keys[::-1]])


def _codes(values: pd.Series, sort: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of a column of text and its distinct values as Python strings (a coded
    column keeps its narrow codes)."""
    if isinstance(values.dtype, pd.CategoricalDtype) and not values.isna().any():
        codes, distinct = values.cat.codes.to_numpy(), np.asarray(values.cat.categories,
                                                                   dtype=object)
        if sort and len(distinct) > 1:
            order = np.argsort(distinct)
            position = np.empty(len(order), dtype=codes.dtype)
            position[order] = np.arange(len(order), dtype=codes.dtype)
            codes, distinct = position[codes], distinct[order]
        return codes, distinct
    codes, distinct = pd.factorize(values, sort=sort, use_na_sentinel=False)
    return codes, np.asarray(distinct, dtype=object)


def finish_external(ext: pd.DataFrame | None, order: pd.Index, found=None
                    ) -> tuple[pd.DataFrame, np.ndarray]:
    """The outside ties ordered by firm (roster order), actor (natural order) and direction,
    and the roster position of each row's firm. ``found``: the ids and positions the roster
    was checked with, used when those ids are the roster's (not looked up again)."""
    cols = list(V.EXTERNAL_COLUMNS)
    if ext is None:
        out = pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
        out[V.WEIGHT] = out[V.WEIGHT].astype(float)
        return out, np.zeros(0, dtype=np.intp)
    out = ext[cols].copy()
    for c in cols[:-1]:
        out[c] = out[c].astype(object)
    out[V.WEIGHT] = out[V.WEIGHT].astype(float)
    actor_rank = {a: i for i, a in enumerate(V.sorted_ids(out[V.ACTOR]))}
    if found is not None and len(found[1]) == len(out) and found[0].equals(order):
        firm = found[1]
    else:
        firm = order.get_indexer(out[V.FIRM_ID])
    idx = np.lexsort([out[V.DIRECTION].to_numpy(), out[V.ACTOR].map(actor_rank).to_numpy(), firm])
    return out.iloc[idx].reset_index(drop=True), firm[idx]


def table_summary(parts, drops: Drops) -> pd.DataFrame:
    rows = []
    names = []
    for name, table, layout, used in parts:
        if table is None:
            continue
        read = len(table.cells) if layout != "matrix" else _matrix_size(table)
        dropped = drops.count(name)
        rows.append(
            {
                "file": table.label,
                "layout": layout,
                "row_word": table.row_word,
                "records_read": read,
                "records_used": read - dropped if used is None else used,
                "records_dropped": dropped,
            }
        )
        names.append(name)
    return pd.DataFrame(rows, index=pd.Index(names, name="table"))


def _matrix_size(table: Table) -> int:
    blank = table.blank_rows()
    return int((~blank).sum()) * (len(table.header) - 1) + int(blank.sum())
