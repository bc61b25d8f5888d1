"""Tie tables: edge lists and roster matrices, turned into knowledge-flow records.

The one place where a file's question ("asks", "gives", "flow") is turned into knowledge-flow
ties (:func:`orient`). :func:`read_ties` runs the steps for one ties table: read the records,
orient them, drop zero values and self-ties, and merge or refuse duplicates, every dropped record
going into the ledger with its reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from kflow import vocabulary as V
from kflow.exceptions import SurveyError
from kflow.io._common import (
    Drops,
    check_weights,
    drop_blank_rows,
    drop_zeros,
    find_column,
    first_bad_at,
    kept,
    merge_duplicates,
    tie_values,
    unused_columns,
)
from kflow.io.bytescan import empty_cells
from kflow.io.codes import (
    constant,
    distinct,
    ids_in_order,
    release_arrow_memory,
    same_ids,
    shared_ids,
)
from kflow.io.tables import Table, load_table, parse_numbers
from kflow.io.tieorder import PackedTies, presorted
from kflow.vocabulary import PAIR_DEFAULTS, WEIGHT_DEFAULTS

__all__ = ["TieRecords", "orient", "read_ties"]


@dataclass(frozen=True)
class TieRecords:
    """The ties of one or more tables after reading: oriented, cleaned and merged records.

    ``tables`` holds, for each input, its name in the validation report (``ties``, or
    ``ties <wave>`` when each wave has a file of its own), the :class:`Table` and its layout;
    the ``src`` column of ``records`` says which input a record came from.
    """

    tables: list[tuple[str, Table, str]]
    records: pd.DataFrame
    matrix_ids: list[str]
    silent_rows: list[str]
    answered_by: set[str]
    #: the firms the ties name: a set, or, when the ids were coded through their numbers, an
    #: Index in natural order (the table the ties are coded against when every id is used)
    named_ids: set[str] | pd.Index
    #: the records sorted by source and target code with their values, when the reading
    #: sorted them so to find repeated ties (:func:`kflow.io.tieorder.presorted`)
    presorted: PackedTies | None = None

    @property
    def named(self) -> set[str]:
        ids = self.named_ids
        return ids if isinstance(ids, set) else set(ids.tolist())

    @property
    def named_in_order(self) -> pd.Index | None:
        """The firms the ties name in natural order, when the reading found them so."""
        return None if isinstance(self.named_ids, set) else self.named_ids

    @property
    def has_wave(self) -> bool:
        return "wave" in self.records.columns

    @property
    def is_matrix(self) -> bool:
        return all(layout == "matrix" for _, _, layout in self.tables)

    @property
    def table(self) -> Table:
        """The first input (the only one unless each wave has a file)."""
        return self.tables[0][1]

    def where(self, record: pd.Series, column: str | None = None) -> str:
        """Where a record was read: file, row (and column)."""
        table = self.tables[int(record["src"])][1]
        return table.where(int(record["pos"]), column)

    def firm_ids(self) -> set[str]:
        """Every firm the ties name, answer for, or (in a matrix) list."""
        return self.named | set(self.matrix_ids) | self.answered_by


def read_ties(ties, options: dict, drops: Drops, notes: list[str]) -> TieRecords:
    """Read the ties into oriented knowledge-flow records (see :func:`read_survey`).

    ``ties`` is one table, or a mapping from wave label to table (one file per wave).
    """
    if not isinstance(ties, Mapping):
        return _read_one(ties, options, drops, notes, "ties", None)
    if not ties:
        raise SurveyError("read_survey: the mapping of waves to ties files is empty.")
    parts = [
        _read_one(obj, options, drops, notes, f"ties {label}", wave_label(label))
        for label, obj in ties.items()
    ]
    records = pd.concat(
        [p.records.assign(src=k) for k, p in enumerate(parts)], ignore_index=True
    )
    silent = set.intersection(*(set(p.silent_rows) for p in parts))
    return TieRecords(
        tables=[p.tables[0] for p in parts],
        records=records,
        matrix_ids=sorted(set().union(*(p.matrix_ids for p in parts))),
        silent_rows=V.sorted_ids(silent),
        answered_by=set().union(*(p.answered_by for p in parts)),
        named_ids=set().union(*(p.named for p in parts)),
    )


def wave_label(value: object) -> str:
    """A wave label as text: ``2012`` and ``"2012"`` name the same wave."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read_one(
    ties, options: dict, drops: Drops, notes: list[str], what: str, wave: str | None
) -> TieRecords:
    table = load_table(
        ties,
        what="ties",
        encoding=options["encoding"],
        sep=options["sep"],
        sheet=options["sheet"],
        allow_empty=options.get("saved_folder", False),
    )
    explicit_pair = options["source"] is not None or options["target"] is not None
    table = _without_index_column(table, explicit_pair, notes)
    layout = options["layout"]
    matrix = layout == "matrix" or (layout == "auto" and is_matrix(table, explicit_pair))
    matrix_ids: list[str] = []
    silent_rows: list[str] = []
    if matrix:
        records, matrix_ids, silent_rows = matrix_records(table, drops, what)
    else:
        records, unused = edge_records(table, options, drops, what)
        # The cells are not read again: keep only their count (for the validation report), not
        # the text of millions of rows while the ties are checked and the survey assembled.
        table = replace(table, cells=pd.DataFrame(index=pd.RangeIndex(len(table.cells))))
        release_arrow_memory()
        if unused:
            notes.append(f"columns of {table.label} not used: {', '.join(map(repr, unused))}")
    if wave is not None:
        if "wave" in records.columns:
            raise SurveyError(
                f"{table.label}: has a wave column, and was given as the file of wave {wave!r}. "
                "Give one file per wave, or one file with a wave column."
            )
        records["wave"] = wave
    orientation = options["orientation"]
    records = orient(records, orientation)
    answered_by = distinct(records["respondent"].dropna()) if orientation != "flow" else set()
    # An edge list's records use every id of the table they were coded against, until one is
    # dropped (a matrix's records are coded before its blank answers are left out).
    coded = None if matrix else records
    if options.get("negative") == "drop":
        negative = records["weight"].to_numpy(dtype=float) < 0
        drops.add_records(what, table, records, negative, "negative value (negative='drop')")
        records = kept(records, negative)
    check_weights(records, table, options["scale"])
    self_tie = same_ids(records["source"], records["target"])
    drops.add_records(what, table, records, self_tie, "self-tie")
    records = kept(records, self_tie)
    # Firms named with a 0 ("no tie") are still on the roster the answers list.
    named = ids_in_order(records["source"], records["target"], all_used=records is coded)
    if named is None:
        named = distinct(records["source"], records["target"])
    has_wave = "wave" in records.columns
    key = ["source", "target", "relation"] + (["wave"] if has_wave else [])

    def describe(r: pd.Series) -> str:
        wave_text = f", wave {r['wave']!r}" if has_wave else ""
        return f"the tie {r['source']} -> {r['target']} (relation {r['relation']!r}{wave_text})"

    # Duplicates are merged (or refused) before zeros are dropped: a 0 and a 3 for the same tie
    # are two answers to one question, not one answer.
    # One sort finds repeated ties and, for the usual national file, orders the survey's ties.
    ordered = presorted(records)
    if ordered is None or ordered.repeats():
        ordered = None
        records = merge_duplicates(records, key, options["duplicates"], table, drops, what,
                                   describe)
    check_weights(records, table, None)
    before = len(records)
    records = drop_zeros(records, table, drops, what)
    if ordered is not None and len(records) < before:
        ordered = ordered.without_value(0.0)
    # Every drop is reported: the cell text kept for the report is no longer needed.
    records = records.drop(columns=["value", "column"])
    records["src"] = np.zeros(len(records), dtype=np.int16)  # which input file (of the waves)
    layout_name = options.get("file_format") or ("matrix" if matrix else "edge list")
    return TieRecords(
        [(what, table, layout_name)], records, matrix_ids, silent_rows, answered_by, named,
        ordered,
    )


def _without_index_column(table: Table, explicit_pair: bool, notes: list[str]) -> Table:
    """An edge list saved with a row index (as pandas writes it): an unnamed first column of
    0, 1, 2, ... beside named tie columns. The index is left out, with a note."""
    if not table.header or table.header[0] != "" or len(table.header) < 3:
        return table
    rest = [h.lower() for h in table.header[1:]]
    has_pair = explicit_pair or any(a in rest and b in rest for a, b in PAIR_DEFAULTS)
    first = table.cells[0]
    counting = first.str.fullmatch(r"\d+").all() and (
        first.astype(int).to_numpy() == np.arange(len(first)) + int(first.iloc[0])
    ).all()
    if not (has_pair and counting):
        return table
    notes.append(f"{table.label}: the unnamed first column numbers the rows (a saved index); "
                 "it was left out")
    cells = table.cells.iloc[:, 1:].copy()
    cells.columns = range(cells.shape[1])
    return replace(table, header=table.header[1:], cells=cells)


def is_matrix(table: Table, explicit_pair: bool) -> bool:
    if table.header[0] == "":
        return True
    if explicit_pair:
        return False
    lowered = {h.lower() for h in table.header}
    if any(a in lowered and b in lowered for a, b in PAIR_DEFAULTS):
        return False
    row_ids = set(table.cells[0]) - {""}
    return bool(row_ids) and row_ids <= set(table.header[1:])


def edge_records(
    table: Table, opts: dict, drops: Drops, what: str = "ties"
) -> tuple[pd.DataFrame, list[str]]:
    """Records of an edge list: one per non-blank row, columns as written (not yet oriented)."""
    explicit = opts["source"] is not None or opts["target"] is not None
    if explicit:
        si = find_column(table, opts["source"] or "source", (), "source", True)
        ti = find_column(table, opts["target"] or "target", (), "target", True)
    else:
        lowered = [h.lower() for h in table.header]
        pair = next((p for p in PAIR_DEFAULTS if p[0] in lowered and p[1] in lowered), None)
        if pair is None:
            raise SurveyError(
                f"{table.label}: no pair of tie columns. Looked for "
                f"{', '.join(f'{a!r}/{b!r}' for a, b in PAIR_DEFAULTS)}; the columns found are "
                f"{', '.join(map(repr, table.header))}. Rename them or pass source= and target=."
            )
        si, ti = lowered.index(pair[0]), lowered.index(pair[1])
    wi = find_column(table, opts["weight"], WEIGHT_DEFAULTS, "weight", False)
    ri = find_column(table, opts["relation"], ("relation",), "relation", False)
    vi = find_column(table, opts["wave"], ("wave",), "wave", False)
    pairs = tuple(name for pair in PAIR_DEFAULTS for name in pair)
    expected = (*pairs, *WEIGHT_DEFAULTS, "relation", "wave")
    unused = unused_columns(table, {si, ti, wi, ri, vi} - {None}, expected)

    keep, sub = drop_blank_rows(table, what, drops)

    for idx in (si, ti):
        empty = empty_cells(sub[idx])
        first_bad_at(
            table,
            keep,
            empty,
            table.header[idx],
            sub[idx],
            "A tie needs both firm ids: fill in the id, or delete the row.",
        )
    # The values are parsed on a second thread while the ids are coded (both work mostly
    # outside the interpreter); a bad value is raised here, as before the ids were coded.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kflow-values") as worker:
        parsed = worker.submit(tie_values, table, keep, sub, wi)
        first, second = shared_ids(sub[si], sub[ti])
        weights = parsed.result()
    wcol = table.header[wi] if wi is not None else None
    records = pd.DataFrame(
        {
            "a": first,
            "b": second,
            "weight": weights,
            "relation": sub[ri].replace("", V.DEFAULT_RELATION).astype("category").array
            if ri is not None
            else constant(V.DEFAULT_RELATION, len(keep)),
            "pos": keep.astype(np.int32, copy=False) if len(table.cells) < 2**31 else keep,
            "column": constant(wcol, len(keep)),
            "value": sub[wi].array if wi is not None else "",
        },
        copy=False,  # every column is new: not copied again (or stacked into blocks)
    )
    if vi is not None:
        empty = empty_cells(sub[vi])
        first_bad_at(
            table,
            keep,
            empty,
            table.header[vi],
            sub[vi],
            "The wave is blank: every tie of a multi-wave survey needs its wave.",
        )
        records["wave"] = sub[vi].to_numpy(dtype=object)
    return records, unused


def _matrix_columns(table: Table) -> list[str]:
    """The firm ids heading a roster matrix's columns, checked to be present and distinct."""
    cols = table.header[1:]
    if not cols:
        raise SurveyError(f"{table.label}: a roster matrix needs firm ids in its header row.")
    if "" in cols:
        j = cols.index("") + 1
        raise SurveyError(
            f"{table.label}: header column {j + 1} has no firm id. Every column of a roster "
            "matrix needs the id of the firm it stands for."
        )
    dup = pd.Index(cols).duplicated()
    if dup.any():
        raise SurveyError(
            f"{table.label}: firm id {cols[int(np.flatnonzero(dup)[0])]!r} heads two columns of "
            "the roster matrix. Each firm needs exactly one column."
        )
    return cols


def _check_row_ids(table: Table, keep: np.ndarray, ids: pd.Series, cols: list[str]) -> None:
    """Each matrix row names one respondent, once, that also heads a column."""
    first_bad_at(
        table,
        keep,
        (ids == "").to_numpy(),
        table.header[0] or "(first column)",
        ids,
        "Each matrix row needs the id of the respondent in its first cell.",
    )
    dup = ids.duplicated().to_numpy()
    first_bad_at(
        table,
        keep,
        dup,
        table.header[0] or "(first column)",
        ids,
        "This respondent has two rows in the matrix; keep one.",
    )
    stray = ~ids.isin(cols).to_numpy()
    first_bad_at(
        table,
        keep,
        stray,
        table.header[0] or "(first column)",
        ids,
        "A matrix row's firm must also head a column (square roster matrix); add the "
        "column or correct the id.",
    )


def matrix_records(
    table: Table, drops: Drops, what: str = "ties"
) -> tuple[pd.DataFrame, list[str], list[str]]:
    """Records of a roster matrix: one per cell; rows are respondents, columns named firms."""
    cols = _matrix_columns(table)
    keep, sub = drop_blank_rows(table, what, drops)
    ids = sub[0]
    _check_row_ids(table, keep, ids, cols)
    values = sub.iloc[:, 1:]
    n_rows, n_cols = values.shape
    flat_text = pd.Series(values.to_numpy(dtype=object).ravel(), dtype=object)
    numbers, bad = parse_numbers(flat_text)
    pos = np.repeat(keep, n_cols)
    col_names = np.tile(np.array(cols, dtype=object), n_rows)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise SurveyError(
            f"{table.where(int(pos[k]), col_names[k])}: value {flat_text.iloc[k]!r}. Matrix cells "
            "must be numbers (decimal point or comma, no thousands separator), 0 for no tie, "
            "or empty for no answer."
        )
    records = pd.DataFrame(
        {
            "a": np.repeat(ids.to_numpy(dtype=object), n_cols),
            "b": col_names,
            "weight": numbers,
            "relation": V.DEFAULT_RELATION,
            "pos": pos,
            "column": col_names,
            "value": flat_text.to_numpy(dtype=object),
        }
    )
    return _drop_unanswered(records, table, drops, cols, what)


def _drop_unanswered(
    records: pd.DataFrame, table: Table, drops: Drops, cols: list[str], what: str
) -> tuple[pd.DataFrame, list[str], list[str]]:
    """Drop quiet diagonal cells and blank cells (no answer); find the silent respondents."""
    diagonal = (records["a"] == records["b"]).to_numpy()
    numbers = records["weight"].to_numpy(dtype=float)
    empty = np.isnan(numbers)
    quiet_diag = diagonal & (empty | (numbers == 0))
    drops.add_records(
        what, table, records, quiet_diag, "diagonal cell (a firm does not name itself)"
    )
    no_answer = empty & ~diagonal
    drops.add(
        what,
        table,
        records["pos"].to_numpy()[no_answer],
        records["column"].to_numpy()[no_answer],
        "",
        "blank cell (no answer)",
    )
    # Respondents who left every cell of their row blank, and roster firms with no row at all,
    # gave no answers.
    answered = set(records.loc[~(empty | diagonal), "a"])
    silent_rows = V.sorted_ids(set(cols) - answered)
    records = kept(records, quiet_diag | no_answer)
    return records, cols, silent_rows


def orient(records: pd.DataFrame, orientation: str) -> pd.DataFrame:
    """Turn (first, second) columns into knowledge flow: source -> target."""
    if orientation == "asks":
        # The respondent (first) turns to the named firm (second): knowledge flows second -> first.
        records["source"], records["target"] = records["b"], records["a"]
        records["respondent"] = records["a"]
    elif orientation == "gives":
        records["source"], records["target"] = records["a"], records["b"]
        records["respondent"] = records["a"]
    else:
        records["source"], records["target"] = records["a"], records["b"]
        records["respondent"] = constant(None, len(records))
    return records
