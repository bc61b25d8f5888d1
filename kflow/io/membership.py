"""Which roster firms belong to which wave of a multi-wave survey.

A firm may be absent from a wave: not yet founded, closed, or gone from the cluster. Absent firms
are neither on that wave's roster nor respondents in it (:meth:`kflow.Survey.select` leaves them
out). Membership comes from one of two places:

- declared: a ``waves`` column of the firms table lists the waves a firm belongs to, separated
  by ``;``, ``,``, ``|`` or spaces; a blank cell means every wave;
- inferred (``membership="infer"``): a firm with no knowledge tie, in or out, in a wave is taken
  as absent from it. Use it for roster matrices drawn over the union of the firms of all waves,
  where a firm not yet present has an empty row and column; an isolated firm that did exist is
  then taken as absent too, so the validation report lists every firm inferred absent.
"""

from __future__ import annotations

import re

import pandas as pd

from kflow import vocabulary as V
from kflow.exceptions import SurveyError
from kflow.io.codes import distinct
from kflow.io.roster import MEMBERSHIP_COLUMN
from kflow.io.tables import Table
from kflow.io.ties import TieRecords, wave_label

__all__ = ["MEMBERSHIPS", "wave_membership"]

MEMBERSHIPS = ("declared", "infer")
_SEPARATORS = re.compile(r"[;,|\s]+")
_WAVES = "_waves"


def wave_membership(
    roster: pd.DataFrame,
    ties: TieRecords,
    firm_table: Table | None,
    mode: str,
    notes: list[str],
) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """The roster without its membership column, and the firms absent from each wave."""
    declared = roster.pop(_WAVES) if _WAVES in roster.columns else None
    waves = V.sorted_ids(distinct(ties.records["wave"])) if ties.has_wave else []
    if declared is not None and not waves:
        raise SurveyError(
            f"{firm_table.label}: column {MEMBERSHIP_COLUMN!r} lists waves, but the ties have "
            "none. Add a wave column to the ties (or one file per wave), or drop the column."
        )
    if not waves:
        return roster, {}
    if mode == "infer":
        if declared is not None:
            raise SurveyError(
                f"{firm_table.label}: column {MEMBERSHIP_COLUMN!r} declares wave membership and "
                "membership='infer' was asked for too. Use one: drop the column, or keep it and "
                "leave membership at 'declared'."
            )
        absent = _inferred(roster, ties, waves)
        listed = "; ".join(f"{w}: {', '.join(ids)}" for w, ids in absent.items()) or "none"
        notes.append(
            "wave membership inferred from the ties (a firm with no tie in a wave is taken as "
            f"absent from it): {listed}"
        )
        return roster, absent
    if declared is None:
        return roster, {}
    absent = _declared(roster, declared, waves, firm_table)
    _check_no_ties_of_absent(ties, absent)
    listed = "; ".join(f"{w}: {', '.join(ids)}" for w, ids in absent.items()) or "none"
    notes.append(f"wave membership from column {MEMBERSHIP_COLUMN!r}; absent firms {listed}")
    return roster, absent


def _inferred(roster: pd.DataFrame, ties: TieRecords, waves: list[str]) -> dict[str, list[str]]:
    absent = {}
    records = ties.records
    for w in waves:
        part = records[records["wave"] == w]
        present = set(part["source"]) | set(part["target"])
        missing = V.sorted_ids(set(roster.index) - present)
        if missing:
            absent[w] = missing
    return absent


def _declared(
    roster: pd.DataFrame, declared: pd.Series, waves: list[str], table: Table
) -> dict[str, list[str]]:
    absent: dict[str, list[str]] = {w: [] for w in waves}
    for firm, text in declared.items():
        if text is None or pd.isna(text) or not str(text).strip():
            continue
        listed = {wave_label(x) for x in _SEPARATORS.split(str(text).strip()) if x}
        unknown = sorted(listed - set(waves))
        if unknown:
            pos = roster.loc[firm, "_pos"]
            where = table.where(int(pos), MEMBERSHIP_COLUMN) if pos >= 0 else table.label
            raise SurveyError(
                f"{where}: value {text!r} names wave {unknown[0]!r}, which the ties do not have "
                f"(their waves are {', '.join(map(repr, waves))}). Correct the label, or leave "
                "the cell blank for a firm present in every wave."
            )
        for w in waves:
            if w not in listed:
                absent[w].append(firm)
    return {w: V.sorted_ids(ids) for w, ids in absent.items() if ids}


def _check_no_ties_of_absent(ties: TieRecords, absent: dict[str, list[str]]) -> None:
    records = ties.records
    for w, ids in absent.items():
        touches = records["source"].isin(ids) | records["target"].isin(ids)
        hit = records[(records["wave"] == w) & touches]
        if len(hit):
            row = hit.iloc[0]
            firm = row["source"] if row["source"] in ids else row["target"]
            raise SurveyError(
                f"{ties.where(row)}: firm {firm!r} has a tie in wave {w!r}, but the firms table "
                f"does not list {w!r} in its {MEMBERSHIP_COLUMN!r} column. Add the wave to the "
                "firm's list, or correct the tie."
            )
