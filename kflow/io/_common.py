"""Pieces every survey table reader shares: the drop ledger, column lookup, error placement,
tie values, and the merging of duplicate records.

Nothing here knows which table it reads; :mod:`kflow.io.ties`, :mod:`kflow.io.roster` and
:mod:`kflow.io.external` use these pieces, and :mod:`kflow.io.assemble` turns the ledger into the
validation report.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kflow.exceptions import SurveyError, bad_parameter
from kflow.io.tables import Table, parse_numbers
from kflow.survey import DROPPED_COLUMNS

FIRM_ID_DEFAULTS = ("firm_id", "id", "firm")
ACTOR_TYPE_DEFAULTS = ("actor_type", "type")


@dataclass
class Drops:
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
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        picked = records.loc[mask, ["pos", "column", "value"]]
        self.add(
            table,
            src,
            picked["pos"].to_numpy(),
            picked["column"].to_numpy(dtype=object),
            picked["value"].to_numpy(dtype=object),
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


def check_choice(function: str, name: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise bad_parameter(function, name, f"one of {set(allowed)}", value)


# The read_survey parameter that names each kind of column, for the error messages.
_PARAMETERS = {
    "firm id": "firm_id=",
    "weight": "weight=",
    "relation": "relation=",
    "wave": "wave=",
    "source": "source=",
    "target": "target=",
}


def find_column(
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
            f"its name ({_PARAMETERS.get(what, 'the column name')})."
        )
    return None


def first_bad_at(
    table: Table, positions: np.ndarray, mask: np.ndarray, column: str, values: pd.Series, fix: str
) -> None:
    if mask.any():
        k = int(np.flatnonzero(mask)[0])
        extra = f" ({int(mask.sum())} such cells in all)" if mask.sum() > 1 else ""
        raise SurveyError(
            f"{table.where(int(positions[k]), column)}: value {values.iloc[k]!r}{extra}. {fix}"
        )


def tie_values(table: Table, keep: np.ndarray, sub: pd.DataFrame, wi: int | None) -> np.ndarray:
    """Parse the tie-value column (1 for every row when there is none); a blank or
    non-numeric value is an error naming its row."""
    if wi is None:
        return np.ones(len(sub))
    weights, bad = parse_numbers(sub[wi])
    first_bad_at(
        table,
        keep,
        bad,
        table.header[wi],
        sub[wi],
        "Tie values must be numbers (decimal point or comma, no thousands separator: "
        "write 1000 or 1,5); fix the cell.",
    )
    first_bad_at(
        table,
        keep,
        np.isnan(weights) & ~bad,  # a blank cell parses as NaN; any other NaN is a bad cell
        table.header[wi],
        sub[wi],
        "The tie value is blank: write the value, or 0 for no tie.",
    )
    return weights


def clean_weights(
    records: pd.DataFrame, table: Table, drops: Drops, scale, what: str
) -> pd.DataFrame:
    """Check the tie values (see :func:`check_weights`) and drop the zeros (0 = no tie)."""
    check_weights(records, table, scale)
    return drop_zeros(records, table, drops, what)


def check_weights(records: pd.DataFrame, table: Table, scale) -> None:
    """Tie values may not be negative, infinite or outside the declared scale."""
    w = records["weight"].to_numpy(dtype=float)
    huge = ~np.isfinite(w)
    if huge.any():
        k = int(np.flatnonzero(huge)[0])
        raise SurveyError(
            f"{table.where(int(records['pos'].iat[k]), records['column'].iat[k])}: value "
            f"{records['value'].iat[k]!r} is too large to be a tie value (it, or the sum of the "
            "repeated answers it merges, overflows). Correct the value."
        )
    neg = w < 0
    if neg.any():
        k = int(np.flatnonzero(neg)[0])
        raise SurveyError(
            f"{table.where(int(records['pos'].iat[k]), records['column'].iat[k])}: value "
            f"{records['value'].iat[k]!r}. Tie values cannot be negative; use 0 for no tie, or "
            "pass negative='drop' to leave out the negative ties of a signed network (they are "
            "listed in the validation report)."
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


def drop_zeros(records: pd.DataFrame, table: Table, drops: Drops, what: str) -> pd.DataFrame:
    """Records with the value 0 are answers of "no tie": reported, not used."""
    zero = records["weight"].to_numpy(dtype=float) == 0
    drops.add_records(
        what,
        table,
        records,
        zero,
        "zero value (0 = no tie)",
    )
    return kept(records, zero)


def merge_duplicates(
    records: pd.DataFrame,
    key: list[str],
    policy: str,
    table: Table,
    drops: Drops,
    what: str,
    describe,
) -> pd.DataFrame:
    dup_mask, later = _repeats(records, key)
    if not dup_mask.any():
        return records
    if policy == "error":
        first = records.loc[dup_mask].iloc[0]
        same = records.loc[dup_mask & (records[key] == first[key]).all(axis=1).to_numpy()]
        rows = " and ".join(str(table.rows[p]) for p in same["pos"].tolist()[:2])
        raise SurveyError(
            f"{table.label}, {table.rows_word} {rows}: {describe(first)} appears more than once. "
            "Remove the repeated rows, or pass duplicates='max', 'sum', 'mean' or 'last' to merge "
            "them."
        )
    grouped = records.groupby(key, sort=False, dropna=False)
    agg = {"max": "max", "sum": "sum", "mean": "mean", "last": "last"}[policy]
    with np.errstate(over="ignore"):  # an overflowing sum becomes inf, refused just after
        merged_weight = grouped["weight"].transform(agg)
    first_pos = grouped["pos"].transform("first")
    reasons = [
        f"duplicate merged ({policy}) into {table.row_word} {table.rows[int(p)]}"
        for p in first_pos.to_numpy()[later]
    ]
    drops.add_records(what, table, records, later, reasons)
    records = records.assign(weight=merged_weight)
    return kept(records, later)


def kept(records: pd.DataFrame, dropped: np.ndarray) -> pd.DataFrame:
    """The records not dropped, numbered from 0 (the same frame when none is dropped: millions
    of records are not copied for nothing)."""
    if not dropped.any():
        return records
    return records.loc[~dropped].reset_index(drop=True)


def combined_key(keys: list[tuple[np.ndarray, int]]) -> np.ndarray | None:
    """Several integer keys (each with its number of values, codes from 0) as one int64 that
    orders and compares as the keys do, the first key first; None when it would not fit in 63
    bits."""
    if np.prod([float(size) for _, size in keys]) >= 2.0**62:
        return None
    combined = np.zeros(len(keys[0][0]), dtype=np.int64)
    for key, size in keys:
        combined *= max(size, 1)
        combined += key
    return combined


def _repeats(records: pd.DataFrame, key: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Which records repeat another on the ``key`` columns, and which repeat an earlier one.

    The key columns' codes are combined into one integer per record and sorted (a sort is
    several times faster than hashing millions of keys); when the codes would not fit in 63 bits
    the records themselves are compared."""
    codes = []
    for name in key:
        column = records[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            # the codes as stored (8 or 32 bits), shifted so that a missing value (-1) is 0
            codes.append((column.cat.codes.to_numpy() + 1, len(column.cat.categories) + 1))
        else:
            found, uniques = pd.factorize(column, use_na_sentinel=False)
            codes.append((found, len(uniques)))
    combined = combined_key(codes)
    if combined is None:
        return (records.duplicated(key, keep=False).to_numpy(),
                records.duplicated(key, keep="first").to_numpy())
    n = len(combined)
    every, later = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    combined.sort()  # in place: the usual file has no repeat, and then nothing more is needed
    if not (combined[1:] == combined[:-1]).any():
        return every, later
    combined = combined_key(codes)
    order = np.argsort(combined, kind="stable")  # equal keys keep the order of the file
    same = combined[order][1:] == combined[order][:-1]
    later[order[1:][same]] = True
    every[order[1:][same]] = True
    every[order[:-1][same]] = True
    return every, later


def drop_blank_rows(table: Table, what: str, drops: Drops) -> tuple[np.ndarray, pd.DataFrame]:
    """Report the table's all-blank rows as drops; return the positions and cells of the rest."""
    blank = table.blank_rows()
    if not blank.any():  # the usual file: every row kept, as they are
        # positions as 32-bit integers when they fit (what the records keep of them)
        width = np.int32 if len(blank) < 2**31 else np.int64
        return np.arange(len(blank), dtype=width), table.cells
    word = "blank line" if table.row_word == "line" else "blank row"
    drops.add(what, table, np.flatnonzero(blank), None, "", word)
    keep = np.flatnonzero(~blank)
    return keep, table.cells.iloc[keep]


def unused_columns(table: Table, used: set[int | None], expected: tuple[str, ...]) -> list[str]:
    """The columns a table reader did not use. A column whose name is a near miss of one the
    reader looks for (``wieght`` for ``weight``) is an error: read as it is, it would silently
    change the data (a weight of 1, a direction ``in``)."""
    unused = [h for i, h in enumerate(table.header) if i not in used]
    taken = {table.header[i].lower() for i in used if i is not None}
    wanted = [e for e in expected if e not in taken]
    for name in unused:
        close = difflib.get_close_matches(name.lower(), wanted, n=1, cutoff=0.75)
        if close:
            raise SurveyError(
                f"{table.label}: column {name!r} is not one kflow reads; did you mean "
                f"{close[0]!r}? Rename it, or remove it if it is something else."
            )
    return unused

