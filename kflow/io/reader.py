"""``read_survey``: from survey files (or DataFrames) to a validated :class:`kflow.Survey`.

The reader owns the one place where a file's question ("asks", "gives", "flow") is turned into
knowledge-flow ties, and it accounts for every record it reads: each one becomes a tie, a firm or
an external tie, or is listed in the validation report with the reason it was not used. Anything
that cannot be used without guessing is a :class:`kflow.SurveyError` naming the file, row, column
and value, and what to do.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kflow import vocabulary as V
from kflow.exceptions import SurveyError, bad_parameter
from kflow.io.tables import Table, load_table, parse_numbers
from kflow.survey import DROPPED_COLUMNS, Survey, ValidationReport

__all__ = ["read_survey"]

# Default column names, tried case-insensitively when the caller names none. For "asks" and
# "gives" files the first column of a pair holds the respondent, the second the named firm.
_PAIR_DEFAULTS = (("source", "target"), ("respondent", "alter"), ("ego", "alter"), ("from", "to"))
_WEIGHT_DEFAULTS = ("weight", "value")
_FIRM_ID_DEFAULTS = ("firm_id", "id", "firm")
_ACTOR_TYPE_DEFAULTS = ("actor_type", "type")
_TRUE = {"1", "true", "yes", "y", "t"}
_FALSE = {"0", "false", "no", "n", "f"}

META_FILE = "meta.json"

# Which of a respondent's knowledge ties its answers report: under "asks" the knowledge it
# received (its incoming ties), under "gives" the knowledge it passed on. A non-respondent's ties
# on that side are unknown. For "flow" files the side is not known.
REPORTED_SIDE = {"asks": "in", "gives": "out"}


@dataclass
class _Drops:
    """Collects the records that are not used, with their reasons."""

    rows: list[pd.DataFrame] = field(default_factory=list)

    def add(self, table: str, src: Table, positions: np.ndarray, column, value, reason) -> None:
        positions = np.asarray(positions, dtype=int)
        if len(positions) == 0:
            return
        n = len(positions)
        self.rows.append(
            pd.DataFrame(
                {
                    "table": [table] * n,
                    "file": [src.label] * n,
                    "row": [src.rows[p] for p in positions],
                    "column": _broadcast(column, n),
                    "value": _broadcast(value, n),
                    "reason": _broadcast(reason, n),
                }
            )
        )

    def add_records(
        self, table: str, src: Table, records: pd.DataFrame, mask: np.ndarray, reason
    ) -> None:
        """Drop the records selected by ``mask``, with their row, column and value."""
        self.add(
            table,
            src,
            records["pos"].to_numpy()[mask],
            records["column"].to_numpy()[mask],
            records["value"].to_numpy()[mask],
            reason,
        )

    def frame(self) -> pd.DataFrame:
        if not self.rows:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in DROPPED_COLUMNS})
        out = pd.concat(self.rows, ignore_index=True)
        return out.astype({"column": object, "value": object, "row": object})

    def count(self, table: str) -> int:
        return sum(int((d["table"] == table).sum()) for d in self.rows)


def _broadcast(value, n: int) -> list:
    if isinstance(value, (list, np.ndarray, pd.Series)):
        return list(value)
    return [value] * n


def _check_choice(function: str, name: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise bad_parameter(function, name, f"one of {set(allowed)}", value)


def _find_column(
    table: Table, wanted: str | None, defaults: tuple[str, ...], what: str, required: bool
) -> int | None:
    """Position of a column: the name given (exact), else the first default (any case)."""
    if wanted is not None:
        if wanted in table.header:
            return table.header.index(wanted)
        raise SurveyError(
            f"{table.label}: there is no column {wanted!r} ({what}). The columns found are "
            f"{', '.join(map(repr, table.header))}. Pass the right column name."
        )
    lowered = [h.lower() for h in table.header]
    for name in defaults:
        if name in lowered:
            return lowered.index(name)
    if required:
        raise SurveyError(
            f"{table.label}: no {what} column. Looked for {', '.join(map(repr, defaults))}; the "
            f"columns found are {', '.join(map(repr, table.header))}. Rename the column or pass "
            "its name."
        )
    return None


# ---------------------------------------------------------------------------------------------
# Ties
# ---------------------------------------------------------------------------------------------
def _is_matrix(table: Table, explicit_pair: bool) -> bool:
    if table.header[0] == "":
        return True
    if explicit_pair:
        return False
    lowered = {h.lower() for h in table.header}
    if any(a in lowered and b in lowered for a, b in _PAIR_DEFAULTS):
        return False
    row_ids = set(table.cells[0]) - {""}
    return bool(row_ids) and row_ids <= set(table.header[1:])


def _edge_records(table: Table, opts: dict, drops: _Drops) -> tuple[pd.DataFrame, list[str]]:
    """Records of an edge list: one per non-blank row, columns as written (not yet oriented)."""
    explicit = opts["source"] is not None or opts["target"] is not None
    if explicit:
        si = _find_column(table, opts["source"] or "source", (), "source", True)
        ti = _find_column(table, opts["target"] or "target", (), "target", True)
    else:
        lowered = [h.lower() for h in table.header]
        pair = next((p for p in _PAIR_DEFAULTS if p[0] in lowered and p[1] in lowered), None)
        if pair is None:
            raise SurveyError(
                f"{table.label}: no pair of tie columns. Looked for "
                f"{', '.join(f'{a!r}/{b!r}' for a, b in _PAIR_DEFAULTS)}; the columns found are "
                f"{', '.join(map(repr, table.header))}. Rename them or pass source= and target=."
            )
        si, ti = lowered.index(pair[0]), lowered.index(pair[1])
    wi = _find_column(table, opts["weight"], _WEIGHT_DEFAULTS, "weight", False)
    ri = _find_column(table, opts["relation"], ("relation",), "relation", False)
    vi = _find_column(table, opts["wave"], ("wave",), "wave", False)
    used_cols = {si, ti, wi, ri, vi} - {None}
    unused = [h for i, h in enumerate(table.header) if i not in used_cols]

    cells = table.cells
    blank = table.blank_rows()
    word = "blank line" if table.row_word == "line" else "blank row"
    drops.add("ties", table, np.flatnonzero(blank), None, "", word)
    keep = np.flatnonzero(~blank)
    sub = cells.iloc[keep]

    for idx in (si, ti):
        empty = (sub[idx] == "").to_numpy()
        _first_bad_at(
            table,
            keep,
            empty,
            table.header[idx],
            sub[idx],
            "A tie needs both firm ids: fill in the id, or delete the row.",
        )
    weights = _tie_values(table, keep, sub, wi)
    wcol = table.header[wi] if wi is not None else None
    records = pd.DataFrame(
        {
            "a": sub[si].to_numpy(dtype=object),
            "b": sub[ti].to_numpy(dtype=object),
            "weight": weights,
            "relation": sub[ri].replace("", V.DEFAULT_RELATION).to_numpy(dtype=object)
            if ri is not None
            else V.DEFAULT_RELATION,
            "pos": keep,
            "column": wcol,
            "value": sub[wi].to_numpy(dtype=object) if wi is not None else "",
        }
    )
    if vi is not None:
        empty = (sub[vi] == "").to_numpy()
        _first_bad_at(
            table,
            keep,
            empty,
            table.header[vi],
            sub[vi],
            "The wave is blank: every tie of a multi-wave survey needs its wave.",
        )
        records["wave"] = sub[vi].to_numpy(dtype=object)
    return records, unused


def _tie_values(table: Table, keep: np.ndarray, sub: pd.DataFrame, wi: int | None) -> np.ndarray:
    """Parse the tie-value column (1 for every row when there is none); a blank or
    non-numeric value is an error naming its row."""
    if wi is None:
        return np.ones(len(sub))
    weights, bad = parse_numbers(sub[wi])
    _first_bad_at(
        table,
        keep,
        bad,
        table.header[wi],
        sub[wi],
        "Tie values must be numbers (decimal point or comma); fix the cell.",
    )
    _first_bad_at(
        table,
        keep,
        (sub[wi] == "").to_numpy(),
        table.header[wi],
        sub[wi],
        "The tie value is blank: write the value, or 0 for no tie.",
    )
    return weights


def _first_bad_at(
    table: Table, positions: np.ndarray, mask: np.ndarray, column: str, values: pd.Series, fix: str
) -> None:
    if mask.any():
        k = int(np.flatnonzero(mask)[0])
        extra = f" ({int(mask.sum())} such cells in all)" if mask.sum() > 1 else ""
        raise SurveyError(
            f"{table.where(int(positions[k]), column)}: value {values.iloc[k]!r}{extra}. {fix}"
        )


def _matrix_records(table: Table, drops: _Drops) -> tuple[pd.DataFrame, list[str], list[str]]:
    """Records of a roster matrix: one per cell; rows are respondents, columns named firms."""
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
    blank = table.blank_rows()
    word = "blank line" if table.row_word == "line" else "blank row"
    drops.add("ties", table, np.flatnonzero(blank), None, "", word)
    keep = np.flatnonzero(~blank)
    sub = table.cells.iloc[keep]
    ids = sub[0]
    _first_bad_at(
        table,
        keep,
        (ids == "").to_numpy(),
        table.header[0] or "(first column)",
        ids,
        "Each matrix row needs the id of the respondent in its first cell.",
    )
    dup = ids.duplicated().to_numpy()
    _first_bad_at(
        table,
        keep,
        dup,
        table.header[0] or "(first column)",
        ids,
        "This respondent has two rows in the matrix; keep one.",
    )
    stray = ~ids.isin(cols).to_numpy()
    _first_bad_at(
        table,
        keep,
        stray,
        table.header[0] or "(first column)",
        ids,
        "A matrix row's firm must also head a column (square roster matrix); add the "
        "column or correct the id.",
    )
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
            "must be numbers (decimal point or comma), 0 for no tie, or empty for no answer."
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
    diagonal = (records["a"] == records["b"]).to_numpy()
    empty = np.isnan(numbers)
    quiet_diag = diagonal & (empty | (numbers == 0))
    drops.add_records(
        "ties", table, records, quiet_diag, "diagonal cell (a firm does not name itself)"
    )
    no_answer = empty & ~diagonal
    drops.add(
        "ties",
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
    records = records.loc[~(quiet_diag | no_answer)].reset_index(drop=True)
    return records, cols, silent_rows


def _orient(records: pd.DataFrame, orientation: str) -> pd.DataFrame:
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
        records["respondent"] = None
    return records


def _clean_weights(
    records: pd.DataFrame, table: Table, drops: _Drops, scale, what: str
) -> pd.DataFrame:
    w = records["weight"].to_numpy(dtype=float)
    neg = w < 0
    if neg.any():
        k = int(np.flatnonzero(neg)[0])
        raise SurveyError(
            f"{table.where(int(records['pos'].iat[k]), records['column'].iat[k])}: value "
            f"{records['value'].iat[k]!r}. Tie values cannot be negative; use 0 for no tie."
        )
    if scale is not None:
        lo, hi = scale
        out = (w < lo) | (w > hi)
        if out.any():
            k = int(np.flatnonzero(out)[0])
            extra = f" ({int(out.sum())} values in all)" if out.sum() > 1 else ""
            raise SurveyError(
                f"{table.where(int(records['pos'].iat[k]), records['column'].iat[k])}: value "
                f"{records['value'].iat[k]!r} is outside the declared scale {lo:g}..{hi:g}{extra}. "
                "Correct the value, or declare the scale the survey used with scale=(min, max)."
            )
    zero = w == 0
    drops.add_records(
        what,
        table,
        records,
        zero,
        "zero value (0 = no tie)",
    )
    return records.loc[~zero].reset_index(drop=True)


def _merge_duplicates(
    records: pd.DataFrame,
    key: list[str],
    policy: str,
    table: Table,
    drops: _Drops,
    what: str,
    describe,
) -> pd.DataFrame:
    dup_mask = records.duplicated(key, keep=False).to_numpy()
    if not dup_mask.any():
        return records
    if policy == "error":
        first = records.loc[dup_mask].iloc[0]
        same = records.loc[dup_mask & (records[key] == first[key]).all(axis=1).to_numpy()]
        rows = " and ".join(str(table.rows[p]) for p in same["pos"].tolist()[:2])
        raise SurveyError(
            f"{table.label}, {table.row_word}s {rows}: {describe(first)} appears more than once. "
            "Remove the repeated rows, or pass duplicates='max', 'sum', 'mean' or 'last' to merge "
            "them."
        )
    grouped = records.groupby(key, sort=False, dropna=False)
    agg = {"max": "max", "sum": "sum", "mean": "mean", "last": "last"}[policy]
    merged_weight = grouped["weight"].transform(agg)
    first_pos = grouped["pos"].transform("first")
    later = records.duplicated(key, keep="first").to_numpy()
    reasons = [
        f"duplicate merged ({policy}) into {table.row_word} {table.rows[int(p)]}"
        for p in first_pos.to_numpy()[later]
    ]
    drops.add_records(what, table, records, later, reasons)
    records = records.assign(weight=merged_weight)
    return records.loc[~later].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Firms and external ties
# ---------------------------------------------------------------------------------------------
def _parse_bool(table: Table, positions: np.ndarray, column: str, values: pd.Series) -> np.ndarray:
    low = values.str.lower()
    ok = low.isin(_TRUE | _FALSE).to_numpy()
    _first_bad_at(
        table,
        positions,
        ~ok,
        column,
        values,
        "The respondent flag must be yes/no, true/false or 1/0.",
    )
    return low.isin(_TRUE).to_numpy()


def _attribute(values: pd.Series, dtype: str | None) -> pd.Series:
    """Type an attribute column read as text: numbers, booleans, or text (blank = missing)."""
    blank = values == ""
    if dtype == "str":
        return values.where(~blank, None).astype(object)
    low = values.str.lower()
    if dtype == "bool" or (
        dtype is None and not blank.all() and low[~blank].isin({"true", "false"}).all()
    ):
        if not blank.any():
            return low == "true"
        return low.map({"true": True, "false": False}).astype("boolean")
    numbers, bad = parse_numbers(values)
    numeric = dtype in ("int", "float") or (dtype is None and not blank.all())
    if numeric and not bad.any():
        integral = not np.isnan(numbers).any() and np.all(numbers == np.round(numbers))
        if dtype == "int" or (dtype is None and integral):
            return pd.Series(numbers.astype(np.int64), index=values.index)
        return pd.Series(numbers, index=values.index)
    return values.where(~blank, None).astype(object)


def _firm_table(
    table: Table, firm_id: str | None, drops: _Drops, types: dict[str, str] | None
) -> pd.DataFrame:
    fi = _find_column(table, firm_id, _FIRM_ID_DEFAULTS, "firm id", True)
    blank = table.blank_rows()
    word = "blank line" if table.row_word == "line" else "blank row"
    drops.add("firms", table, np.flatnonzero(blank), None, "", word)
    keep = np.flatnonzero(~blank)
    sub = table.cells.iloc[keep]
    ids = sub[fi]
    col = table.header[fi]
    _first_bad_at(
        table,
        keep,
        (ids == "").to_numpy(),
        col,
        ids,
        "Every firm needs an id: fill it in, or delete the row.",
    )
    dup = ids.duplicated().to_numpy()
    _first_bad_at(
        table,
        keep,
        dup,
        col,
        ids,
        "This firm id appears twice in the firms table; each firm needs exactly one row.",
    )
    out = pd.DataFrame(index=pd.Index(ids.to_numpy(dtype=object), name=V.FIRM_ID))
    out["_pos"] = keep
    for i, name in enumerate(table.header):
        if i == fi or name == "":
            continue
        values = sub[i].reset_index(drop=True)
        values.index = out.index
        if name.lower() == V.RESPONDENT:
            out[V.RESPONDENT] = _parse_bool(table, keep, name, values)
        elif name.lower() == V.NAME:
            out[V.NAME] = values.where(values != "", out.index.to_series()).astype(object)
        else:
            out[name] = _attribute(values, (types or {}).get(name))
    return out


def _firm_frame_from_dataframe(
    frame: pd.DataFrame, firm_id: str | None, table: Table, drops: _Drops
) -> pd.DataFrame:
    """Firms given as a DataFrame keep their attribute dtypes; ids and flags are checked."""
    parsed = _firm_table(table, firm_id, drops, None)
    fi = _find_column(table, firm_id, _FIRM_ID_DEFAULTS, "firm id", True)
    original = frame.reset_index(drop=True).iloc[parsed["_pos"].to_numpy()]
    for i, name in enumerate(table.header):
        if i == fi or name.lower() in (V.RESPONDENT, V.NAME) or name == "":
            continue
        col = original.iloc[:, i]
        if pd.api.types.is_string_dtype(col.dtype):
            # Text columns are plain objects with None for missing, as when read from a file.
            parsed[name] = pd.Series(
                col.astype(object).where(col.notna(), None).to_numpy(),
                index=parsed.index,
                dtype=object,
            )
        else:
            parsed[name] = col.to_numpy()
    return parsed


def _external_table(
    table: Table, firm_id: str | None, scale, policy: str, drops: _Drops
) -> pd.DataFrame:
    fi = _find_column(table, firm_id, _FIRM_ID_DEFAULTS, "firm id", True)
    ai = _find_column(table, None, ("actor",), "actor", True)
    ti = _find_column(table, None, _ACTOR_TYPE_DEFAULTS, "actor type", False)
    di = _find_column(table, None, ("direction",), "direction", False)
    wi = _find_column(table, None, _WEIGHT_DEFAULTS, "weight", False)
    blank = table.blank_rows()
    word = "blank line" if table.row_word == "line" else "blank row"
    drops.add("external", table, np.flatnonzero(blank), None, "", word)
    keep = np.flatnonzero(~blank)
    sub = table.cells.iloc[keep]
    for idx, fix in (
        (fi, "Every external tie needs the firm's id."),
        (ai, "Every external tie needs the outside actor's name."),
    ):
        _first_bad_at(table, keep, (sub[idx] == "").to_numpy(), table.header[idx], sub[idx], fix)
    if di is not None:
        direction = sub[di].str.lower().replace("", "in")
        bad = ~direction.isin(V.DIRECTIONS).to_numpy()
        _first_bad_at(
            table,
            keep,
            bad,
            table.header[di],
            sub[di],
            "direction must be 'in' (knowledge into the firm) or 'out'.",
        )
    else:
        direction = pd.Series("in", index=sub.index)
    weights = _tie_values(table, keep, sub, wi)
    records = pd.DataFrame(
        {
            V.FIRM_ID: sub[fi].to_numpy(dtype=object),
            V.ACTOR: sub[ai].to_numpy(dtype=object),
            V.ACTOR_TYPE: (
                sub[ti].replace("", V.UNKNOWN_ACTOR_TYPE).to_numpy(dtype=object)
                if ti is not None
                else V.UNKNOWN_ACTOR_TYPE
            ),
            V.DIRECTION: direction.to_numpy(dtype=object),
            "weight": weights,
            "pos": keep,
            "column": table.header[wi] if wi is not None else None,
            "value": sub[wi].to_numpy(dtype=object) if wi is not None else "",
        }
    )
    types = records.groupby(V.ACTOR)[V.ACTOR_TYPE].nunique()
    if (types > 1).any():
        actor = types.index[(types > 1).to_numpy()][0]
        rows = records.loc[records[V.ACTOR] == actor]
        found = ", ".join(sorted(set(rows[V.ACTOR_TYPE])))
        raise SurveyError(
            f"{table.label}, {table.row_word}s "
            f"{', '.join(str(table.rows[p]) for p in rows['pos'].tolist()[:4])}: actor {actor!r} "
            f"has several actor types ({found}). Give each outside actor one type."
        )
    records = _clean_weights(records, table, drops, None, "external")
    return _merge_duplicates(
        records,
        [V.FIRM_ID, V.ACTOR, V.DIRECTION],
        policy,
        table,
        drops,
        "external",
        lambda r: f"the external tie {r[V.FIRM_ID]} / {r[V.ACTOR]} ({r[V.DIRECTION]})",
    )


# ---------------------------------------------------------------------------------------------
# The entry point
# ---------------------------------------------------------------------------------------------
def read_survey(
    ties: str | Path | pd.DataFrame,
    *,
    orientation: str | None = None,
    firms: str | Path | pd.DataFrame | None = None,
    external: str | Path | pd.DataFrame | None = None,
    layout: str = "auto",
    source: str | None = None,
    target: str | None = None,
    weight: str | None = None,
    relation: str | None = None,
    wave: str | None = None,
    firm_id: str | None = None,
    scale: tuple[float, float] | None = None,
    duplicates: str = "error",
    missing: str = "nan",
    add_unknown_firms: bool = False,
    encoding: str | None = None,
    sep: str | None = None,
    sheet: str | int | None = None,
) -> Survey:
    """Read and validate a roster survey.

    Inside kflow a tie u -> v always means *knowledge flowed from u to v*. The file's question
    decides how a row becomes a tie, so ``orientation`` has no default:

    - ``"asks"``: the respondent names the firms it turns to for advice (the roster question of
      the cluster literature): the row (respondent, named firm) becomes named firm -> respondent.
    - ``"gives"``: the respondent names the firms it gave knowledge to: respondent -> named firm.
    - ``"flow"``: the columns already hold source -> target.

    Parameters
    ----------
    ties : path or pandas.DataFrame
        An edge list (one tie per row) or a square roster matrix (respondents in rows, named firms
        in columns, the answer in the cell; empty cell = no answer) as ``.csv``/``.tsv``/``.txt``,
        ``.xlsx`` or ``.parquet``, or a DataFrame; or a folder written by
        :func:`kflow.write_survey`.
    orientation : {"asks", "gives", "flow"}
        Which question the ties answer (see above). Required.
    firms : path or pandas.DataFrame, optional
        The roster: a ``firm_id`` (or ``id``) column, optional ``name`` and ``respondent``
        (yes/no) columns, and any attributes. Without it, the roster is every firm named in the
        ties and all are taken to have answered (for an "asks"/"gives" roster matrix, firms with
        no row or an all-blank row are taken as non-respondents); the report says so.
    external : path or pandas.DataFrame, optional
        Ties to actors outside the cluster: ``firm_id``, ``actor``, optional ``actor_type``,
        ``direction`` (``in`` = knowledge into the firm, the default; ``out``) and ``weight``.
    layout : {"auto", "edgelist", "matrix"}
        ``"auto"`` takes a table whose header starts with an empty cell, or whose row ids are its
        column names, as a matrix.
    source, target, weight, relation, wave : str, optional
        Column names of an edge list. Defaults: the pair ``source``/``target`` (or
        ``respondent``/``alter``, ``ego``/``alter``, ``from``/``to``), ``weight`` (or
        ``value``), ``relation``, ``wave``. For "asks" and "gives" files, ``source`` names the
        respondent's column and ``target`` the named firm's.
    firm_id : str, optional
        The firm id column of the firms and external tables (default ``firm_id``, ``id``,
        ``firm``).
    scale : (float, float), optional
        The answer scale, e.g. ``(0, 3)``; a tie value outside it is an error.
    duplicates : {"error", "max", "sum", "mean", "last"}
        What to do when the same tie (same source, target, relation and wave) appears twice.
    missing : {"nan", "zero", "reconstruct"}
        How measures treat the unknown answers of non-respondents; recorded in ``meta`` and
        applied by the measures.
    add_unknown_firms : bool
        Add firms named in ties but missing from the firms table instead of raising.
    encoding, sep : str, optional
        Text encoding and delimiter; sniffed when None (utf-8, utf-8 with BOM, latin-1; ``,``
        ``;`` tab). Decimal commas in values are read as decimal points.
    sheet : str or int, optional
        Workbook sheet of an ``.xlsx`` ties file (default: the first).

    Returns
    -------
    Survey
        Firms indexed by ``firm_id`` in natural order; ties in flow orientation; external ties;
        ``meta``; and the validation report accounting for every record read.

    Raises
    ------
    SurveyError
        Bad input: the message names the file, row, column and value, and what to do.

    Notes
    -----
    A value of 0 means "no tie" and is dropped (and reported). Self-ties are dropped and reported.
    Firm ids are text exactly as written, trimmed of surrounding spaces: ``"007"`` stays ``"007"``.

    Examples
    --------
    >>> import pandas as pd, kflow
    >>> answers = pd.DataFrame({"source": ["B", "C", "C"], "target": ["A", "A", "B"],
    ...                         "weight": [3, 2, 0]})
    >>> s = kflow.read_survey(answers, orientation="asks", scale=(0, 3))
    >>> s.ties[["source", "target", "weight"]].values.tolist()
    [['A', 'B', 3.0], ['A', 'C', 2.0]]
    >>> counts = ["records_read", "records_used", "records_dropped"]
    >>> s.validation.tables.loc["ties", counts].tolist()
    [3, 2, 1]
    """
    fn = "read_survey"
    _check_choice(fn, "layout", layout, V.LAYOUTS)
    _check_choice(fn, "duplicates", duplicates, V.DUPLICATE_POLICIES)
    _check_choice(fn, "missing", missing, V.MISSING_TREATMENTS)
    if scale is not None:
        try:
            lo, hi = (float(x) for x in scale)
        except (TypeError, ValueError):
            raise bad_parameter(fn, "scale", "a (min, max) pair of numbers", scale) from None
        if not lo <= hi:
            raise bad_parameter(fn, "scale", "a (min, max) pair with min <= max", scale)
        scale = (lo, hi)

    attribute_types = None
    if not isinstance(ties, pd.DataFrame) and Path(ties).is_dir():
        folder = Path(ties)
        meta_path = folder / META_FILE
        if not meta_path.exists():
            raise SurveyError(
                f"{folder}: is a folder without {META_FILE}; give the ties file itself, or a "
                "folder written by kflow.write_survey."
            )
        saved = json.loads(meta_path.read_text(encoding="utf-8"))
        if orientation not in (None, "flow"):
            raise SurveyError(
                f"{folder}: a folder written by kflow.write_survey holds knowledge-flow ties; "
                f"pass orientation='flow' or leave it out (got {orientation!r})."
            )
        orientation = "flow"
        ties = folder / "ties.csv"
        firms = folder / "firms.csv" if firms is None else firms
        ext_path = folder / "external.csv"
        if external is None and ext_path.exists():
            external = ext_path
        scale = tuple(saved["scale"]) if scale is None and saved.get("scale") else scale
        missing = saved.get("missing", missing)
        attribute_types = saved.get("firm_attribute_types")
        source_names = saved.get("sources")
        reported_side = saved.get("reported_side")
    else:
        source_names = None
        reported_side = REPORTED_SIDE.get(orientation)

    if orientation is None:
        raise SurveyError(
            "read_survey needs orientation=: 'asks' (the respondent names the firms it turns to "
            "for advice), 'gives' (the firms it gave knowledge to) or 'flow' (columns already hold "
            "source -> target). Getting it wrong silently swaps knowledge sources and absorbers."
        )
    _check_choice(fn, "orientation", orientation, V.ORIENTATIONS)

    drops = _Drops()
    notes: list[str] = []
    tie_table = load_table(ties, what="ties", encoding=encoding, sep=sep, sheet=sheet)
    explicit_pair = source is not None or target is not None
    is_matrix = layout == "matrix" or (layout == "auto" and _is_matrix(tie_table, explicit_pair))
    matrix_ids: list[str] = []
    silent_rows: list[str] = []
    if is_matrix:
        records, matrix_ids, silent_rows = _matrix_records(tie_table, drops)
        unused_cols: list[str] = []
    else:
        records, unused_cols = _edge_records(
            tie_table,
            {
                "source": source,
                "target": target,
                "weight": weight,
                "relation": relation,
                "wave": wave,
            },
            drops,
        )
    if unused_cols:
        notes.append(f"columns of {tie_table.label} not used: {', '.join(map(repr, unused_cols))}")
    records = _orient(records, orientation)
    answered_by = set(records["respondent"].dropna()) if orientation != "flow" else set()
    records = _clean_weights(records, tie_table, drops, scale, "ties")
    self_tie = (records["source"] == records["target"]).to_numpy()
    drops.add_records("ties", tie_table, records, self_tie, "self-tie")
    records = records.loc[~self_tie].reset_index(drop=True)
    has_wave = "wave" in records.columns
    key = ["source", "target", "relation"] + (["wave"] if has_wave else [])

    def describe(r: pd.Series) -> str:
        wave_text = f", wave {r['wave']!r}" if has_wave else ""
        return f"the tie {r['source']} -> {r['target']} (relation {r['relation']!r}{wave_text})"

    records = _merge_duplicates(records, key, duplicates, tie_table, drops, "ties", describe)

    # Firms.
    firm_table = None
    if firms is not None:
        firm_table = load_table(firms, what="firms", encoding=encoding, sep=sep)
        if isinstance(firms, pd.DataFrame):
            roster = _firm_frame_from_dataframe(firms, firm_id, firm_table, drops)
        else:
            roster = _firm_table(firm_table, firm_id, drops, attribute_types)
    else:
        roster = None

    ext_table = None
    ext = None
    if external is not None:
        ext_table = load_table(external, what="external", encoding=encoding, sep=sep)
        ext = _external_table(ext_table, firm_id, None, duplicates, drops)

    # Which firms are named where.
    named = pd.concat([records["source"], records["target"]], ignore_index=True)
    tie_ids = set(named) | set(matrix_ids) | answered_by
    ext_ids = set(ext[V.FIRM_ID]) if ext is not None else set()
    if roster is not None:
        unknown = (tie_ids | ext_ids) - set(roster.index)
        if unknown and not add_unknown_firms:
            _raise_unknown(unknown, records, tie_table, ext, ext_table, firm_table)
        flagged = V.RESPONDENT in roster.columns
        if unknown:
            added = V.sorted_ids(unknown)
            notes.append(
                f"{len(added)} firms named in ties but not in {firm_table.label} were added to "
                f"the roster (add_unknown_firms=True): {', '.join(added)}"
            )
            extra = pd.DataFrame(index=pd.Index(added, dtype=object, name=V.FIRM_ID))
            extra["_pos"] = -1
            if flagged:
                extra[V.RESPONDENT] = [
                    (f in answered_by) if orientation != "flow" else True for f in added
                ]
            roster = pd.concat([roster, extra])
        if not flagged:
            why = "the firms table has no 'respondent' column"
        elif orientation != "flow":
            _check_respondent_conflicts(roster, answered_by, records, tie_table)
    else:
        ids = V.sorted_ids(tie_ids | ext_ids)
        roster = pd.DataFrame(index=pd.Index(ids, dtype=object, name=V.FIRM_ID))
        notes.append("no firms table: the roster is every firm named in the ties")
        why = "no firms table"
    if V.RESPONDENT not in roster.columns:
        roster[V.RESPONDENT] = _inferred_respondents(
            roster.index, orientation, is_matrix, silent_rows, notes, why
        )

    if ext is not None:
        clash = sorted(set(ext[V.ACTOR]) & set(roster.index))
        if clash:
            rows = ext.loc[ext[V.ACTOR] == clash[0], "pos"].tolist()
            raise SurveyError(
                f"{ext_table.where(int(rows[0]), 'actor')}: value {clash[0]!r} is also a firm of "
                "the cluster roster. An outside actor must not share an id with a roster firm: "
                "record ties among roster firms in the ties file, or rename the actor."
            )

    firms_out = _finish_firms(roster)
    order = {f: i for i, f in enumerate(firms_out.index)}
    ties_out = _finish_ties(records, order, has_wave)
    ext_out = _finish_external(ext, order)
    n_resp = int(firms_out[V.RESPONDENT].sum())
    non = [f for f, r in zip(firms_out.index, firms_out[V.RESPONDENT], strict=True) if not r]
    if non:
        notes.append(
            f"non-respondents ({len(non)}): {', '.join(non)}; their unknown answers are "
            f"treated as {missing!r} by the measures"
        )

    dropped = drops.frame()
    tables = _table_summary(
        [
            ("ties", tie_table, "matrix" if is_matrix else "edge list", len(ties_out)),
            ("firms", firm_table, "attribute table", None),
            ("external", ext_table, "external ties", None if ext is None else len(ext_out)),
        ],
        drops,
    )
    relations = sorted(ties_out[V.RELATION].unique().tolist()) or [V.DEFAULT_RELATION]
    meta: dict[str, Any] = {
        "orientation": orientation,
        "layout": "matrix" if is_matrix else "edgelist",
        "scale": list(scale) if scale is not None else None,
        "relations": relations,
        "waves": V.sorted_ids(ties_out[V.WAVE]) if has_wave else [],
        "sources": source_names
        or {
            name: t.label
            for name, t in (("ties", tie_table), ("firms", firm_table), ("external", ext_table))
            if t is not None
        },
        "reported_side": reported_side,
        "missing": missing,
        "duplicates": duplicates,
        "kflow_version": _version(),
    }
    if tie_table.encoding is not None:
        meta["encoding"] = tie_table.encoding
        meta["sep"] = tie_table.sep
    report = ValidationReport(
        tables=tables,
        dropped=dropped,
        notes=tuple(notes),
        n_firms=len(firms_out),
        n_respondents=n_resp,
    )
    return Survey(firms=firms_out, ties=ties_out, external=ext_out, meta=meta, validation=report)


def _version() -> str:
    from kflow import __version__

    return __version__


def _inferred_respondents(
    index: pd.Index,
    orientation: str,
    is_matrix: bool,
    silent_rows: list[str],
    notes: list[str],
    why: str,
) -> list[bool]:
    """Respondent flags when no table gives them: in an "asks"/"gives" roster matrix, firms with
    no answers are non-respondents; otherwise every firm is taken to have answered."""
    if is_matrix and orientation != "flow":
        silent = set(silent_rows) & set(index)
        if silent:
            notes.append(
                f"{why}: firms with no answers in the roster matrix (no row, or a blank row) are "
                f"taken as non-respondents: {', '.join(V.sorted_ids(silent))}"
            )
        return [f not in silent for f in index]
    notes.append(f"{why}: every firm is taken to have answered")
    return [True] * len(index)


def _check_respondent_conflicts(
    roster: pd.DataFrame, answered_by: set[str], records: pd.DataFrame, table: Table
) -> None:
    non = set(roster.index[~roster[V.RESPONDENT].to_numpy(dtype=bool)])
    conflict = V.sorted_ids(non & answered_by)
    if conflict:
        firm = conflict[0]
        rows = records.loc[records["respondent"] == firm, "pos"].tolist()
        where = table.where(int(rows[0])) if rows else table.label
        raise SurveyError(
            f"{where}: firm {firm!r} answers here but is marked respondent=no in the firms table. "
            "Correct the flag, or remove the answers of a firm that did not respond."
        )


def _raise_unknown(
    unknown: set[str],
    records: pd.DataFrame,
    tie_table: Table,
    ext: pd.DataFrame | None,
    ext_table: Table | None,
    firm_table: Table,
) -> None:
    firm = V.sorted_ids(unknown)[0]
    hit = records.loc[(records["source"] == firm) | (records["target"] == firm)]
    if len(hit):
        where = tie_table.where(int(hit["pos"].iloc[0]))
    else:
        hit = ext.loc[ext[V.FIRM_ID] == firm]
        where = ext_table.where(int(hit["pos"].iloc[0]), V.FIRM_ID)
    more = (
        f" ({len(unknown)} such firms: {', '.join(V.sorted_ids(unknown)[:10])})"
        if len(unknown) > 1
        else ""
    )
    raise SurveyError(
        f"{where}: firm {firm!r} is not on the roster in {firm_table.label}{more}. Correct the id, "
        "add the firm to the firms table, or pass add_unknown_firms=True to add it."
    )


def _finish_firms(roster: pd.DataFrame) -> pd.DataFrame:
    ids = V.sorted_ids(roster.index)
    out = roster.drop(columns=["_pos"], errors="ignore").loc[ids]
    out.index = pd.Index(ids, dtype=object, name=V.FIRM_ID)
    if V.NAME not in out.columns:
        out.insert(0, V.NAME, pd.Series(ids, index=out.index, dtype=object))
    else:
        out[V.NAME] = out[V.NAME].where(out[V.NAME].notna(), out.index.to_series()).astype(object)
    out[V.RESPONDENT] = out[V.RESPONDENT].astype(bool)
    first = [V.NAME, V.RESPONDENT]
    return out[first + [c for c in out.columns if c not in first]]


def _finish_ties(records: pd.DataFrame, order: dict[str, int], has_wave: bool) -> pd.DataFrame:
    cols = [V.SOURCE, V.TARGET, V.WEIGHT, V.RELATION] + ([V.WAVE] if has_wave else [])
    out = records[cols].copy()
    for c in (V.SOURCE, V.TARGET, V.RELATION) + ((V.WAVE,) if has_wave else ()):
        out[c] = out[c].astype(object)
    out[V.WEIGHT] = out[V.WEIGHT].astype(float)
    keys = [out[V.RELATION].to_numpy()]
    if has_wave:
        wave_rank = {w: i for i, w in enumerate(V.sorted_ids(out[V.WAVE]))}
        keys.append(out[V.WAVE].map(wave_rank).to_numpy())
    keys += [out[V.SOURCE].map(order).to_numpy(), out[V.TARGET].map(order).to_numpy()]
    idx = np.lexsort(keys[::-1])
    return out.iloc[idx].reset_index(drop=True)


def _finish_external(ext: pd.DataFrame | None, order: dict[str, int]) -> pd.DataFrame:
    cols = list(V.EXTERNAL_COLUMNS)
    if ext is None:
        out = pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
        out[V.WEIGHT] = out[V.WEIGHT].astype(float)
        return out
    out = ext[cols].copy()
    for c in cols[:-1]:
        out[c] = out[c].astype(object)
    out[V.WEIGHT] = out[V.WEIGHT].astype(float)
    actor_rank = {a: i for i, a in enumerate(V.sorted_ids(out[V.ACTOR]))}
    idx = np.lexsort(
        [
            out[V.DIRECTION].to_numpy(),
            out[V.ACTOR].map(actor_rank).to_numpy(),
            out[V.FIRM_ID].map(order).to_numpy(),
        ]
    )
    return out.iloc[idx].reset_index(drop=True)


def _table_summary(parts, drops: _Drops) -> pd.DataFrame:
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
