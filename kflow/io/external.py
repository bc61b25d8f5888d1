"""Outside ties: the table of ties between roster firms and actors outside the cluster."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kflow import vocabulary as V
from kflow.exceptions import SurveyError
from kflow.io._common import (
    ACTOR_TYPE_DEFAULTS,
    FIRM_ID_DEFAULTS,
    Drops,
    clean_weights,
    drop_blank_rows,
    find_column,
    first_bad_at,
    merge_duplicates,
    tie_values,
    unused_columns,
)
from kflow.io.codes import distinct
from kflow.io.tables import Table, load_table
from kflow.vocabulary import WEIGHT_DEFAULTS

__all__ = ["check_actor_names", "read_external"]


def read_external(
    external, options: dict, drops: Drops, notes: list[str]
) -> tuple[Table | None, pd.DataFrame | None]:
    """Read the outside-ties table, if any: its :class:`Table` and the cleaned records."""
    if external is None:
        return None, None
    table = load_table(external, what="external", encoding=options["encoding"], sep=options["sep"])
    return table, external_records(
        table, options["firm_id"], None, options["duplicates"], drops, notes
    )


def check_actor_names(ext: pd.DataFrame | None, table: Table | None, roster: pd.DataFrame) -> None:
    """An outside actor must not share its id with a roster firm."""
    if ext is None:
        return
    # The distinct actors as a set, met by the roster's ids (pandas' isin on Arrow text would
    # walk the roster in Python, and a lookup into the index would hash all of it first).
    clash = sorted(distinct(ext[V.ACTOR]).intersection(
        np.asarray(roster.index, dtype=object).tolist()))
    if clash:
        rows = ext.loc[ext[V.ACTOR] == clash[0], "pos"].tolist()
        raise SurveyError(
            f"{table.where(int(rows[0]), 'actor')}: value {clash[0]!r} is also a firm of "
            "the cluster roster. An outside actor must not share an id with a roster firm: "
            "record ties among roster firms in the ties file, or rename the actor."
        )


def external_records(
    table: Table, firm_id: str | None, scale, policy: str, drops: Drops, notes: list[str]
) -> pd.DataFrame:
    fi = find_column(table, firm_id, FIRM_ID_DEFAULTS, "firm id", True)
    ai = find_column(table, None, ("actor",), "actor", True)
    ti = find_column(table, None, ACTOR_TYPE_DEFAULTS, "actor type", False)
    di = find_column(table, None, ("direction",), "direction", False)
    wi = find_column(table, None, WEIGHT_DEFAULTS, "weight", False)
    expected = ("firm_id", "actor", *ACTOR_TYPE_DEFAULTS, "direction", *WEIGHT_DEFAULTS)
    unused = unused_columns(table, {fi, ai, ti, di, wi}, expected)
    if unused:
        notes.append(f"columns of {table.label} not used: {', '.join(map(repr, unused))}")
    keep, sub = drop_blank_rows(table, "external", drops)
    for idx, fix in (
        (fi, "Every external tie needs the firm's id."),
        (ai, "Every external tie needs the outside actor's name."),
    ):
        first_bad_at(table, keep, (sub[idx] == "").to_numpy(), table.header[idx], sub[idx], fix)
    if di is not None:
        direction = sub[di].str.lower().replace("", "in")
        bad = ~direction.isin(V.DIRECTIONS).to_numpy()
        first_bad_at(
            table,
            keep,
            bad,
            table.header[di],
            sub[di],
            "direction must be 'in' (knowledge into the firm) or 'out'.",
        )
    else:
        direction = pd.Series("in", index=sub.index)
    weights = tie_values(table, keep, sub, wi)
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
            f"{table.label}, {table.rows_word} "
            f"{', '.join(str(table.rows[p]) for p in rows['pos'].tolist()[:4])}: actor {actor!r} "
            f"has several actor types ({found}). Give each outside actor one type."
        )
    records = clean_weights(records, table, drops, None, "external")
    return merge_duplicates(
        records,
        [V.FIRM_ID, V.ACTOR, V.DIRECTION],
        policy,
        table,
        drops,
        "external",
        lambda r: f"the external tie {r[V.FIRM_ID]} / {r[V.ACTOR]} ({r[V.DIRECTION]})",
    )
