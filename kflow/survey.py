"""The Survey data model and its validation report.

A :class:`Survey` holds one cluster's roster survey after validation: the firms on the roster,
the knowledge ties among them (always oriented as knowledge flow, source -> target), the ties to
actors outside the cluster, a metadata dict and the :class:`ValidationReport` that accounts for
every row read.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

from kflow import vocabulary as V
from kflow._results import Result
from kflow._tiecodes import TieCodes, TiesSlot, held_codes
from kflow.exceptions import SurveyError

if TYPE_CHECKING:
    import igraph
    import networkx as nx

__all__ = ["Survey", "ValidationReport"]

DROPPED_COLUMNS = ("table", "file", "row", "column", "value", "reason")


@dataclass(frozen=True, repr=False)
class ValidationReport(Result):
    """What happened to every row (or matrix cell) read for a survey.

    Attributes
    ----------
    tables : pandas.DataFrame
        One row per input table (index ``ties``, ``firms``, ``external``) with columns ``file``,
        ``layout``, ``row_word`` (what the row numbers count: ``line`` of a text file, ``row`` of
        a sheet or Parquet file, ``index`` label of a DataFrame), ``records_read``,
        ``records_used`` and ``records_dropped``. A record is a row of
        an edge list or attribute table, or a cell of a roster matrix. For every table
        ``records_read == records_used + records_dropped``.
    dropped : pandas.DataFrame
        One row per record not used as read, with columns ``table``, ``file``, ``row``,
        ``column``, ``value`` and ``reason`` (blank line, self-tie, zero value, duplicate merged,
        blank cell, ...). Duplicates merged into another row's tie are listed here too, with the
        merge policy in the reason.
    notes : tuple of str
        Decisions taken on the data as a whole (roster taken from the ties, firms added,
        non-respondents inferred, the missing-answer treatment).
    n_firms, n_respondents : int
        Roster size and number of firms that answered.
    """

    _main: ClassVar[str | None] = "dropped"

    tables: pd.DataFrame
    dropped: pd.DataFrame
    notes: tuple[str, ...]
    n_firms: int
    n_respondents: int

    @property
    def response_rate(self) -> float:
        """Share of roster firms that answered: ``n_respondents / n_firms``."""
        return self.n_respondents / self.n_firms if self.n_firms else float("nan")

    def reason_counts(self) -> pd.DataFrame:
        """Number of dropped records per table and reason."""
        if self.dropped.empty:
            return pd.DataFrame(columns=["table", "reason", "records"])
        counts = self.dropped.groupby(["table", "reason"], sort=True).size()
        return counts.rename("records").reset_index()

    def summary(self) -> str:
        """The report as plain text, as ``kflow validate`` prints it."""
        lines = ["Validation report", "================="]
        for table, row in self.tables.iterrows():
            lines.append(
                f"{table}: {row['file']} ({row['layout']}): {row['records_read']} records read, "
                f"{row['records_used']} used, {row['records_dropped']} dropped"
            )
            part = self.dropped[self.dropped["table"] == table]
            for reason, group in part.groupby("reason", sort=True):
                where = _row_list(group["row"].tolist(), row["row_word"])
                lines.append(f"  - {reason}: {len(group)} ({where})")
        lines.append(
            f"Roster: {self.n_firms} firms, {self.n_respondents} respondents "
            f"(response rate {self.response_rate:.1%})"
        )
        lines.extend(f"Note: {note}" for note in self.notes)
        return "\n".join(lines)


def _row_list(rows: list, word: str, limit: int = 8) -> str:
    distinct = list(dict.fromkeys(rows))
    shown = ", ".join(str(r) for r in distinct[:limit])
    more = f", ... {len(distinct) - limit} more" if len(distinct) > limit else ""
    plural = "indexes" if word == "index" else f"{word}s"
    return f"{plural} {shown}{more}" if len(distinct) > 1 else f"{word} {shown}"


_TIES = TiesSlot()


@dataclass(frozen=True, repr=False)
class Survey:
    """A validated roster survey of one cluster.

    Build one with :func:`kflow.read_survey`, :meth:`Survey.from_frames` or
    :meth:`Survey.from_networkx` (builders that live in :mod:`kflow.io` and are attached to the
    class there); every operation that changes a survey returns a new one.

    Attributes
    ----------
    firms : pandas.DataFrame
        Indexed by ``firm_id`` (str, natural order): ``name``, ``respondent`` (bool) and any
        attributes.
    ties : pandas.DataFrame
        One directed knowledge tie per row: ``source``, ``target`` (knowledge flows source ->
        target), ``weight`` (float > 0), ``relation`` (str) and, for multi-wave surveys,
        ``wave`` (str). No self-ties, no duplicates within a relation and wave. A survey read
        from files keeps its ties as integer codes into the firms index and builds this table
        the first time it is read; treat it as read-only (edit a copy and build a new survey
        with :meth:`Survey.from_frames`).
    external : pandas.DataFrame
        Ties between firms and actors outside the cluster: ``firm_id``, ``actor``,
        ``actor_type``, ``direction`` (``"in"``: knowledge into the firm; ``"out"``) and
        ``weight``.
    meta : dict
        ``orientation`` the ties were read with, ``reported_side`` (``"in"`` when respondents
        reported the knowledge they received, as in "asks" files; ``"out"`` for "gives"; None
        when unknown), ``layout``, ``scale``, ``relations``, ``waves``,
        ``sources`` (file names), ``missing`` treatment, ``duplicates`` policy, ``kflow_version``.
    validation : ValidationReport
        What was read, used and dropped, and why.

    Examples
    --------
    >>> import pandas as pd, kflow
    >>> asks = pd.DataFrame({"respondent": ["B", "C"], "alter": ["A", "A"], "value": [3, 1]})
    >>> s = kflow.read_survey(asks, orientation="asks", source="respondent", target="alter",
    ...                       weight="value")
    >>> s.ties[["source", "target", "weight"]].to_records(index=False).tolist()
    [('A', 'B', 3.0), ('A', 'C', 1.0)]
    """

    firms: pd.DataFrame
    # Not a default: the slot builds the table from the codes a survey read from files holds.
    ties: pd.DataFrame = _TIES  # type: ignore[assignment]
    external: pd.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)
    validation: ValidationReport | None = None

    def __repr__(self) -> str:
        waves = f", waves {self.waves}" if self.waves else ""
        return (
            f"Survey({self.n_firms} firms, {len(self.respondents)} respondents, "
            f"{self.n_ties} ties, {len(self.external)} outside ties; relations "
            f"{self.relations}{waves}; read as {self.meta.get('orientation', '?')!r})"
        )

    # -- simple facts -------------------------------------------------------------------------
    @property
    def firm_ids(self) -> list[str]:
        """Roster firm ids in natural order."""
        return self.firms.index.tolist()

    @property
    def n_firms(self) -> int:
        """Number of firms on the roster."""
        return len(self.firms)

    @property
    def n_ties(self) -> int:
        """Number of knowledge ties, over every relation and wave."""
        codes = held_codes(self)
        return len(codes) if codes is not None else len(self.ties)

    @property
    def respondents(self) -> list[str]:
        """Ids of the firms that answered the survey."""
        return self.firms.index[self.firms[V.RESPONDENT].to_numpy(dtype=bool)].tolist()

    @property
    def response_rate(self) -> float:
        """Share of roster firms that answered."""
        return len(self.respondents) / self.n_firms if self.n_firms else float("nan")

    @property
    def relations(self) -> list[str]:
        """The relations present (``["knowledge"]`` for a single-relation survey)."""
        if "relations" in self.meta:
            return list(self.meta["relations"])
        codes = held_codes(self)
        if codes is not None:
            return sorted(codes.present(V.RELATION))
        return sorted(self.ties[V.RELATION].unique())

    @property
    def waves(self) -> list[str]:
        """The waves present, or an empty list for a single-wave survey."""
        return list(self.meta.get("waves", []))

    def layer(self, relation: str | None = None, wave: str | None = None) -> pd.DataFrame:
        """The ties of one relation and wave.

        With ``None``, the only relation (or wave) is taken; a survey with several needs the
        name, and a :class:`kflow.SurveyError` lists them.
        """
        relation, wave = self._layer_key(relation, wave)
        codes = held_codes(self)
        if codes is not None:
            return codes.frame(codes.mask(relation, wave))
        ties = self.ties
        keep = (ties[V.RELATION] == relation).to_numpy(dtype=bool)
        if wave is not None:
            keep = keep & (ties[V.WAVE] == wave).to_numpy(dtype=bool)
        # Every tie in the layer (one relation, one wave): a view, not a copy of millions of rows.
        return ties.copy(deep=False) if keep.all() else ties[keep]

    def _layer_key(self, relation: str | None, wave: str | None) -> tuple[str, str | None]:
        """The (relation, wave) that :meth:`layer` selects, checked against those present."""
        relation = _pick(_as_label(relation), self.relations, "relation")
        if self.waves:
            return relation, _pick(_as_label(wave), self.waves, "wave")
        if wave is not None:
            raise SurveyError(f"wave={wave!r} was given but this survey has no waves.")
        return relation, None

    def absent(self, wave: str | int | None = None) -> list[str]:
        """Roster firms absent from ``wave`` (not yet founded, closed, left the cluster).

        Membership is declared in the firms table (a ``waves`` column) or inferred from the
        ties when the survey is read with ``membership="infer"``; see :func:`kflow.read_survey`.
        With ``wave=None``, the firms absent from every wave of a single-wave survey (none).
        """
        if wave is None:
            return []
        wave = _pick(_as_label(wave), self.waves, "wave")
        return list(self.meta.get("absent", {}).get(wave, []))

    def select(self, *, relation: str | None = None, wave: str | int | None = None) -> Survey:
        """One relation and/or one wave as a Survey of its own.

        Wave labels compare as text (``wave=2012`` selects the wave ``"2012"``). Selecting a wave
        leaves out the firms absent from it (see :meth:`absent`): they are neither on the roster
        nor respondents there, so the response rate and every measure refer to the firms present.
        The validation report is kept, with the roster counts of the selection and a note.

        Examples
        --------
        >>> import pandas as pd, kflow
        >>> ties = pd.DataFrame({"source": ["a", "b", "a"], "target": ["b", "c", "c"],
        ...                      "wave": [1, 1, 2]})
        >>> s = kflow.read_survey(ties, orientation="flow", membership="infer")
        >>> s.select(wave=2).firm_ids, s.select(wave=1).n_firms
        (['a', 'c'], 3)
        """
        firms, external = self.firms, self.external
        meta = dict(self.meta)
        chosen = []
        if relation is not None:
            relation = _pick(_as_label(relation), self.relations, "relation")
            meta["relations"] = [relation]
            chosen.append(f"relation {relation!r}")
        if wave is not None:
            if not self.waves:
                raise SurveyError(f"wave={wave!r} was given but this survey has no waves.")
            wave = _pick(_as_label(wave), self.waves, "wave")
            absent = set(self.absent(wave))
            firms = firms[~firms.index.isin(absent)]
            external = external[~external[V.FIRM_ID].isin(absent)]
            meta["waves"] = [wave]
            meta["absent"] = {}
            gone = f"; absent firms left out: {', '.join(V.sorted_ids(absent))}" if absent else ""
            chosen.append(f"wave {wave!r}{gone}")
        if not chosen:
            return self
        meta["selected"] = {"relation": relation, "wave": wave}
        validation = self.validation
        if validation is not None:
            validation = replace(
                validation,
                notes=(*validation.notes, "selected " + ", ".join(chosen)),
                n_firms=len(firms),
                n_respondents=int(firms[V.RESPONDENT].sum()),
            )
        return Survey(
            firms=firms,
            ties=self._selected_ties(relation, wave, firms),
            external=external.reset_index(drop=True),
            meta=meta,
            validation=validation,
        )

    def _selected_ties(self, relation: str | None, wave: str | None,
                       firms: pd.DataFrame) -> pd.DataFrame | TieCodes:
        """The ties of a selection: as codes renumbered to the selected firms when the survey
        holds codes and every tie kept is between them, else as a table."""
        codes = held_codes(self)
        if codes is not None:
            keep = codes.mask(relation, wave)
            position = None
            if len(firms) < self.n_firms:
                position = np.full(self.n_firms, -1, dtype=codes.source.dtype)
                kept = self.firms.index.get_indexer(firms.index)
                position[kept] = np.arange(len(kept), dtype=position.dtype)
            selected = codes.take(keep, firms.index, position)
            if position is None or not ((selected.source < 0) | (selected.target < 0)).any():
                return selected
        ties = self.ties
        if relation is not None:
            ties = ties[ties[V.RELATION] == relation]
        if wave is not None:
            ties = ties[ties[V.WAVE] == wave]
        return ties.reset_index(drop=True)

    # -- conversions ----------------------------------------------------------------------------
    def to_networkx(
        self,
        include_external: bool = False,
        *,
        relation: str | None = None,
        wave: str | None = None,
    ) -> nx.DiGraph:
        """A networkx DiGraph of one relation and wave, knowledge flowing along the edges.

        Nodes are firm ids with the firm attributes plus ``group="cluster"``; edges carry
        ``weight``. With ``include_external=True`` outside actors become nodes with
        ``group="outside"`` and ``actor_type``; ``"in"`` ties point actor -> firm.
        """
        from kflow.graph import to_networkx

        return to_networkx(self, include_external=include_external, relation=relation, wave=wave)

    def to_igraph(
        self,
        include_external: bool = False,
        *,
        relation: str | None = None,
        wave: str | None = None,
    ) -> igraph.Graph:
        """An igraph Graph equal to :meth:`to_networkx` (vertex ``name`` is the firm id).

        The firm's display name is the vertex attribute ``firm_name`` (igraph reserves ``name``).
        """
        from kflow.graph import to_igraph

        return to_igraph(self, include_external=include_external, relation=relation, wave=wave)


def _as_label(value: object) -> str | None:
    """A relation or wave label as text (``2012`` and ``"2012"`` name the same wave)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _pick(value: str | None, present: list[str], what: str) -> str:
    if value is None:
        if len(present) == 1:
            return present[0]
        raise SurveyError(
            f"This survey has several {what}s ({', '.join(map(repr, present))}); "
            f"pass {what}= to choose one."
        )
    if value not in present:
        raise SurveyError(
            f"{what}={value!r} is not in this survey; its {what}s are "
            f"{', '.join(map(repr, present))}."
        )
    return value
