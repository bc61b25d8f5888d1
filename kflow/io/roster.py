"""The roster: the firms table, its attributes and respondent flags, and who is on the roster.

:func:`read_roster` reads a firms table (file or DataFrame) into typed attributes;
:func:`resolve_roster` joins it with the firms the ties and outside ties name, adds unknown firms
on request, and infers respondent flags when no table gives them.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from kflow import vocabulary as V
from kflow.exceptions import SurveyError
from kflow.io._common import (
    FIRM_ID_DEFAULTS,
    Drops,
    drop_blank_rows,
    find_column,
    first_bad_at,
)
from kflow.io.codes import distinct, positions_in
from kflow.io.tables import Table, load_table, parse_numbers
from kflow.io.ties import TieRecords
from kflow.vocabulary import FALSE_WORDS, TRUE_WORDS

__all__ = ["MEMBERSHIP_COLUMN", "read_roster", "resolve_roster"]

#: The firms-table column that lists the waves a firm belongs to (see :mod:`kflow.io.membership`).
MEMBERSHIP_COLUMN = "waves"
_WAVES = "_waves"


def read_roster(
    firms, options: dict, drops: Drops, attribute_types: dict[str, str] | None
) -> tuple[Table | None, pd.DataFrame | None]:
    """Read the firms table, if any: its :class:`Table` and the typed roster frame."""
    if firms is None:
        return None, None
    table = load_table(firms, what="firms", encoding=options["encoding"], sep=options["sep"])
    if isinstance(firms, pd.DataFrame):
        return table, firm_records_from_dataframe(firms, options["firm_id"], table, drops)
    return table, firm_records(table, options["firm_id"], drops, attribute_types)


def resolve_roster(
    roster: pd.DataFrame | None,
    firm_table: Table | None,
    ties: TieRecords,
    ext: pd.DataFrame | None,
    ext_table: Table | None,
    options: dict,
    notes: list[str],
) -> pd.DataFrame:
    """The roster with every firm the survey names and a respondent flag for each."""
    orientation = options["orientation"]
    if roster is None and (ids := _named_in_order(ties, ext, options)) is not None:
        named = None
    else:
        ext_ids = distinct(ext[V.FIRM_ID]) if ext is not None else set()
        named = ties.firm_ids() | ext_ids
    if roster is None:
        if named is not None:
            ids = pd.Index(V.sorted_ids(named), dtype=object)
        roster = pd.DataFrame(index=ids.rename(V.FIRM_ID))
        options["roster_sorted"] = True  # in natural order already: not sorted again
        notes.append("no firms table: the roster is every firm named in the ties")
        why = "no firms table"
    else:
        unknown = named - set(roster.index)
        if unknown and not options["add_unknown_firms"]:
            raise_unknown(unknown, ties, ext, ext_table, firm_table)
        flagged = V.RESPONDENT in roster.columns
        if unknown:
            roster = _add_unknown(roster, unknown, firm_table, ties, orientation, notes)
        why = "the firms table has no 'respondent' column"
        if flagged and orientation != "flow":
            check_respondent_conflicts(roster, ties)
    if V.RESPONDENT not in roster.columns:
        roster[V.RESPONDENT] = inferred_respondents(
            roster.index, orientation, ties.is_matrix, ties.silent_rows, notes, why
        )
    return roster


def _named_in_order(ties: TieRecords, ext: pd.DataFrame | None, options: dict
                    ) -> pd.Index | None:
    """Every firm the survey names, in natural order, as the reading found them (ids coded
    through their numbers; no sort, and one table of ids for every lookup); None unless the
    ties alone name every firm (no roster matrix, no respondent column, outside ties only of
    firms the ties name). The position of each outside tie's firm, looked up to check this, is
    kept in ``options`` for the assembly of the survey."""
    ids = ties.named_in_order
    if ids is None or ties.matrix_ids or ties.answered_by:
        return None
    if ext is not None and len(ext):
        found = positions_in(ids, ext[V.FIRM_ID].to_numpy(dtype=object))
        if (found < 0).any():
            return None
        options["external_positions"] = (ids, found)
    return ids


def _add_unknown(
    roster: pd.DataFrame,
    unknown: set[str],
    firm_table: Table,
    ties: TieRecords,
    orientation: str,
    notes: list[str],
) -> pd.DataFrame:
    added = V.sorted_ids(unknown)
    notes.append(
        f"{len(added)} firms named in ties but not in {firm_table.label} were added to "
        f"the roster (add_unknown_firms=True): {', '.join(added)}"
    )
    extra = pd.DataFrame(index=pd.Index(added, dtype=object, name=V.FIRM_ID))
    extra["_pos"] = -1
    if V.RESPONDENT in roster.columns:
        extra[V.RESPONDENT] = [
            (f in ties.answered_by) if orientation != "flow" else True for f in added
        ]
    return pd.concat([roster, extra])


def parse_bool(table: Table, positions: np.ndarray, column: str, values: pd.Series) -> np.ndarray:
    low = values.str.lower()
    ok = low.isin(TRUE_WORDS | FALSE_WORDS).to_numpy()
    first_bad_at(
        table,
        positions,
        ~ok,
        column,
        values,
        "The respondent flag must be yes/no, true/false or 1/0.",
    )
    return low.isin(TRUE_WORDS).to_numpy()


def typed_attribute(values: pd.Series, dtype: str | None) -> pd.Series:
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
    numeric = dtype in ("int", "float") or (dtype is None and not blank.all() and
                                            not _looks_like_code(values))
    if numeric and not bad.any():
        integral = not np.isnan(numbers).any() and np.all(numbers == np.round(numbers))
        if dtype == "int" or (dtype is None and integral):
            return pd.Series(numbers.astype(np.int64), index=values.index)
        return pd.Series(numbers, index=values.index)
    return values.where(~blank, None).astype(object)


_CODE = re.compile(r"^[+-]?0\d|^\d{16,}$")


def _looks_like_code(values: pd.Series) -> bool:
    """Digits that are codes, not quantities: a leading zero ("01234") or more digits than a
    float holds exactly (16 or more), kept as text."""
    return bool(values.str.contains(_CODE).any())


def firm_id_column(table: Table, firm_id: str | None) -> int:
    """The firm id column: the one named, else a default name, else an unnamed first column
    (the row names that R and spreadsheets write)."""
    if firm_id is None and table.header and table.header[0] == "":
        found = find_column(table, None, FIRM_ID_DEFAULTS, "firm id", False)
        return 0 if found is None else found
    return find_column(table, firm_id, FIRM_ID_DEFAULTS, "firm id", True)


_SPECIAL = (V.NAME, V.RESPONDENT, MEMBERSHIP_COLUMN)


def check_header(table: Table, id_column: int) -> None:
    """Column names of a firms table: none repeated (in any case for kflow's own names), none
    blank above data."""
    seen: dict[str, int] = {}
    for i, name in enumerate(table.header):
        if name == "":
            if i != id_column and (table.cells[i] != "").any():
                raise SurveyError(
                    f"{table.label}: column {i + 1} has no name but holds data. Name it, or "
                    "delete it."
                )
            continue
        key = name.lower() if name.lower() in _SPECIAL else name
        if key in seen:
            raise SurveyError(
                f"{table.label}: columns {seen[key] + 1} and {i + 1} are both named "
                f"{table.header[seen[key]]!r}/{name!r}. Keep one, or rename the other."
            )
        seen[key] = i


def firm_records(
    table: Table, firm_id: str | None, drops: Drops, types: dict[str, str] | None
) -> pd.DataFrame:
    fi = firm_id_column(table, firm_id)
    keep, sub = drop_blank_rows(table, "firms", drops)
    ids = sub[fi]
    col = table.header[fi]
    first_bad_at(
        table,
        keep,
        (ids == "").to_numpy(),
        col,
        ids,
        "Every firm needs an id: fill it in, or delete the row.",
    )
    dup = ids.duplicated().to_numpy()
    first_bad_at(
        table,
        keep,
        dup,
        col,
        ids,
        "This firm id appears twice in the firms table; each firm needs exactly one row.",
    )
    check_header(table, fi)
    out = pd.DataFrame(index=pd.Index(ids.to_numpy(dtype=object), name=V.FIRM_ID))
    out["_pos"] = keep
    for i, name in enumerate(table.header):
        if i == fi or name == "":
            continue
        values = sub[i].reset_index(drop=True).astype(object)
        values.index = out.index
        if name.lower() == V.RESPONDENT:
            out[V.RESPONDENT] = parse_bool(table, keep, name, values)
        elif name.lower() == V.NAME:
            out[V.NAME] = values.where(values != "", out.index.to_series()).astype(object)
        elif name.lower() == MEMBERSHIP_COLUMN:
            out[_WAVES] = values
        else:
            out[name] = typed_attribute(values, (types or {}).get(name))
    return out


def firm_records_from_dataframe(
    frame: pd.DataFrame, firm_id: str | None, table: Table, drops: Drops
) -> pd.DataFrame:
    """Firms given as a DataFrame keep their attribute dtypes (numbers, booleans); a column of
    mixed Python objects (``[0, "x"]``) is taken as text, as a file would give it, so that a
    survey written and read back is the same; ids and flags are checked."""
    parsed = firm_records(table, firm_id, drops, None)
    fi = firm_id_column(table, firm_id)
    original = frame.reset_index(drop=True).iloc[parsed["_pos"].to_numpy()]
    for i, name in enumerate(table.header):
        if i == fi or name.lower() in (V.RESPONDENT, V.NAME, MEMBERSHIP_COLUMN) or name == "":
            continue
        col = original.iloc[:, i]
        if pd.api.types.is_string_dtype(col.dtype) or col.dtype == object:
            # Text columns are plain objects with None for missing, as when read from a file.
            parsed[name] = pd.Series(
                [_as_text(v) for v in col.astype(object).where(col.notna(), None)],
                index=parsed.index,
                dtype=object,
            )
        else:
            parsed[name] = col.to_numpy()
    return parsed


def _as_text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def inferred_respondents(
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


def check_respondent_conflicts(roster: pd.DataFrame, ties: TieRecords) -> None:
    non = set(roster.index[~roster[V.RESPONDENT].to_numpy(dtype=bool)])
    conflict = V.sorted_ids(non & ties.answered_by)
    if conflict:
        firm = conflict[0]
        rows = ties.records.loc[ties.records["respondent"] == firm]
        where = ties.where(rows.iloc[0]) if len(rows) else ties.table.label
        raise SurveyError(
            f"{where}: firm {firm!r} answers here but is marked respondent=no in the firms table. "
            "Correct the flag, or remove the answers of a firm that did not respond."
        )


def raise_unknown(
    unknown: set[str],
    ties: TieRecords,
    ext: pd.DataFrame | None,
    ext_table: Table | None,
    firm_table: Table,
) -> None:
    firm = V.sorted_ids(unknown)[0]
    records = ties.records
    hit = records.loc[(records["source"] == firm) | (records["target"] == firm)]
    in_ext = ext.loc[ext[V.FIRM_ID] == firm] if ext is not None else ext
    if len(hit):
        where = ties.where(hit.iloc[0])
    elif in_ext is not None and len(in_ext):
        where = ext_table.where(int(in_ext["pos"].iloc[0]), V.FIRM_ID)
    else:
        # Named only by the roster matrix: a row or column of its own, with no tie.
        where = f"{ties.table.label}, the row and column of {firm!r}"
    more = (
        f" ({len(unknown)} such firms: {', '.join(V.sorted_ids(unknown)[:10])})"
        if len(unknown) > 1
        else ""
    )
    raise SurveyError(
        f"{where}: firm {firm!r} is not on the roster in {firm_table.label}{more}. Correct the id, "
        "add the firm to the firms table, or pass add_unknown_firms=True to add it."
    )
