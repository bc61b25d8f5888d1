"""The report model: what the renderers show (dicts, lists, DataFrames), and the context the
section builders share while computing it.

The model holds no HTML or Markdown: the renderers turn it into text. Every firm id and name in
it has already been replaced by its pseudonym when the report is anonymized, so no later step can
leak one.
"""

from __future__ import annotations

import contextvars
import hashlib
import hmac
import re
import secrets
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from kflow import vocabulary as V
from kflow._forked import ForkedTask
from kflow.exceptions import SurveyError
from kflow.survey import Survey


@dataclass
class Table:
    """A table of the report: its data (for CSV/JSON) and a caption."""

    name: str
    caption: str
    frame: pd.DataFrame
    note: str = ""


@dataclass
class ReportModel:
    """Everything the renderers show, already anonymized when asked."""

    title: str
    subtitle: str
    facts: list[tuple[str, str]]
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)
    tables: list[Table] = field(default_factory=list)
    figures: dict[str, str] = field(default_factory=dict)  # name -> SVG text
    notes: list[str] = field(default_factory=list)
    alerts: list[str] = field(default_factory=list)
    captions: dict[str, str] = field(default_factory=dict)  # figure name -> caption
    findings: list[dict[str, str]] = field(default_factory=list)  # text and section anchor
    parameters: list[tuple[str, str]] = field(default_factory=list)
    date: str = ""


class Pseudonyms:
    """Stable pseudonyms of firm ids, keyed by a secret salt (HMAC-SHA256).

    The same salt always gives the same pseudonym for a firm; the salt is never written anywhere.
    """

    def __init__(self, ids: list[str], salt: str | None) -> None:
        key = (salt if salt is not None else secrets.token_hex(16)).encode("utf-8")
        self.map: dict[str, str] = {}
        used: set[str] = set()
        for firm in ids:
            digest = hmac.new(key, firm.encode("utf-8"), hashlib.sha256).hexdigest()
            width = 6
            while f"Firm-{digest[:width].upper()}" in used:
                width += 1
            alias = f"Firm-{digest[:width].upper()}"
            used.add(alias)
            self.map[firm] = alias

    def __call__(self, firm: str) -> str:
        return self.map.get(firm, firm)

@dataclass(frozen=True)
class ReportOptions:
    """The choices a report is computed with (all of :func:`kflow.report`'s analysis options)."""

    relation: str | None = None
    wave: str | None = None
    local: str = "degree"
    external: str = "external_ties"
    threshold: Any = "mean"
    outcomes: tuple[str, ...] | None = None
    capacity: tuple[str, ...] | None = None
    title: str | None = None
    seed: int = 0
    anonymize: bool = False
    anonymize_actors: bool = False
    n_resamples: int = 1000
    n_permutations: int = 9999


@dataclass
class Context:
    """What the section builders share: the survey of the layer the report describes (one
    relation and wave), the whole survey (for the waves section), the options, the display
    labels of the firms, and results that later sections reuse (computed once)."""

    survey: Survey
    full: Survey
    options: ReportOptions
    label: dict[str, str]
    public_id: dict[str, str]
    outside: str | None
    actor_alias: dict[str, str] = field(default_factory=dict)
    summary: pd.Series | None = None
    roles: Any = None
    results: dict[str, Any] = field(default_factory=dict)
    worker: Executor | None = None
    pending: dict[str, Future] = field(default_factory=dict)
    fork: bool = False
    forked: dict[str, ForkedTask] = field(default_factory=dict)

    def start(self, key: str, compute, /, *args, **kwargs) -> None:
        """Start a computation on the worker, beside the figures the main thread draws (numpy
        releases the interpreter while it computes); :meth:`outcome` collects it. Each
        computation draws from its own generator seeded by the options, so its result does not
        depend on when it runs. Without a worker it runs here and now."""
        if self.worker is not None:
            # In this thread's context, so that the worker shares the layers the report has
            # already looked up (see kflow._positions.shared_layers) instead of redoing them.
            run = contextvars.copy_context().run
            self.pending[key] = self.worker.submit(run, compute, *args, **kwargs)
            return
        done: Future = Future()
        try:
            done.set_result(compute(*args, **kwargs))
        except Exception as exc:  # raised again, as from the worker, by outcome()
            done.set_exception(exc)
        self.pending[key] = done

    def start_all(self, tasks: dict[str, tuple[Any, tuple, dict]]) -> None:
        """Start computations (key -> function, arguments, keyword arguments): each in a forked
        process when the report may fork (see :mod:`kflow._forked`), else each as
        :meth:`start` does."""
        if self.fork and tasks:
            # One child each: the longest (the permutation tests) does not wait for the others.
            try:
                for key, (compute, args, kwargs) in tasks.items():
                    self.forked[key] = ForkedTask(compute, args, kwargs)
                return
            except OSError:  # no process to be had (a limit on processes or memory): the thread
                self.close_forked()
        for key, (compute, args, kwargs) in tasks.items():
            self.start(key, compute, *args, **kwargs)

    def close_forked(self) -> None:
        """Stop and release the forked children not collected yet."""
        while self.forked:
            self.forked.popitem()[1].close()

    def outcome(self, key: str) -> Any:
        """The result of the computation started under ``key`` (its exception, raised)."""
        if key in self.forked:
            forked = self.forked.pop(key)
            try:
                return forked.result()
            finally:
                forked.close()
        return self.pending.pop(key).result()

    @property
    def seed(self) -> int:
        return self.options.seed

    @property
    def anonymize(self) -> bool:
        return self.options.anonymize

    @property
    def n_resamples(self) -> int:
        return self.options.n_resamples

    @property
    def n_permutations(self) -> int:
        return self.options.n_permutations

    @classmethod
    def create(cls, survey: Survey, options: ReportOptions, salt: str | None) -> Context:
        layer = _layer_of(survey, options)
        ids = survey.firm_ids
        if options.anonymize:
            alias = Pseudonyms(ids, salt)
            label = {f: alias(f) for f in ids}
            public = dict(label)
        else:
            names = survey.firms[V.NAME].astype(str)
            label = {f: (f if names[f] == f else f"{names[f]} ({f})") for f in ids}
            public = {f: f for f in ids}
        actors = V.sorted_ids(survey.external[V.ACTOR]) if len(survey.external) else []
        actor_alias = (
            {a: p.replace("Firm-", "Actor-") for a, p in Pseudonyms(actors, salt).map.items()}
            if options.anonymize and options.anonymize_actors
            else {}
        )
        return cls(layer, survey, options, label, public,
                   _outside_kind(layer, options.external), actor_alias)

    def rename(self, frame: pd.DataFrame) -> pd.DataFrame:
        """For display: firm ids in the index and in id columns replaced by their labels (in
        pseudonym order when anonymized, so that the order leads back to no id)."""
        out = self._hide_order(frame)
        if out.index.name == V.FIRM_ID:
            out.index = [self.label.get(f, f) for f in out.index]
            out.index.name = "firm"
        for col in (V.FIRM_ID, "local", "firm"):
            if col in out.columns:
                out[col] = [self.label.get(f, f) for f in out[col]]
        if "outside" in out.columns:
            out["outside"] = [self.actor(a) for a in out["outside"]]
        return out

    def firm_order(self) -> list[str]:
        """The firms of the layer in the order figures draw them: by id, or by pseudonym."""
        firms = self.survey.firm_ids
        return sorted(firms, key=lambda f: self.label.get(f, f)) if self.anonymize else firms

    def actor(self, name: str) -> str:
        """An outside actor as shown: its name, or a pseudonym when actors are anonymized."""
        return self.actor_alias.get(name, name)

    def _hide_order(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Anonymized, a table in firm-id order is put in pseudonym order instead."""
        if not self.anonymize or frame.index.name != V.FIRM_ID or len(frame) < 2:
            return frame.copy()
        if list(frame.index) != [f for f in self.full.firm_ids if f in set(frame.index)]:
            return frame.copy()  # sorted on purpose by the builder (by its values)
        return frame.loc[sorted(frame.index, key=lambda f: self.label.get(f, f))].copy()

    def scrub(self, text: str) -> str:
        """A note as the report prints it: file paths cut to file names (to the kind of file
        when anonymized) and, when anonymized, firm ids and actor names replaced."""
        for kind, source in self.full.meta.get("sources", {}).items():
            shown = f"the {kind.split()[0]} file" if self.anonymize else file_name(source)
            text = text.replace(str(source), shown)
        if self.anonymize:
            text = anonymize_text(text, self.full.firm_ids, self.label)
            for name, alias in sorted(self.actor_alias.items(), key=lambda kv: -len(kv[0])):
                text = text.replace(name, alias)
        return text

    def machine(self, frame: pd.DataFrame) -> pd.DataFrame:
        """For CSV/JSON: ``firm_id`` (a pseudonym when anonymized) and ``name`` as plain
        columns first, id columns holding ids, never display strings."""
        out = self._hide_order(frame)
        if out.index.name == V.FIRM_ID:
            ids = out.index.tolist()
            out = out.reset_index(drop=True)
            out.insert(0, V.FIRM_ID, [self.public_id.get(f, f) for f in ids])
            out.insert(1, V.NAME, self._names(ids))
        for col in ("local", "firm", "outside_of"):
            if col in out.columns:
                out[col] = [self.public_id.get(f, f) for f in out[col]]
        if "outside" in out.columns:
            out["outside"] = [self.actor(a) for a in out["outside"]]
        if V.FIRM_ID in out.columns and frame.index.name != V.FIRM_ID:
            out[V.FIRM_ID] = [self.public_id.get(f, f) for f in out[V.FIRM_ID]]
        return out

    def _names(self, firms: list[str]) -> list[str]:
        """The name shown for each firm (its pseudonym when anonymized; the id itself when the
        roster does not hold it), looked up once for the whole column."""
        if self.anonymize:
            return [self.label[f] for f in firms]
        names = self.full.firms[V.NAME]
        where = names.index.get_indexer(pd.Index(firms, dtype=object))
        values = names.to_numpy(dtype=object)
        return [str(values[k]) if k >= 0 else f for f, k in zip(firms, where, strict=True)]


def _layer_of(survey: Survey, options: ReportOptions) -> Survey:
    """The one relation and wave a report describes: the wave asked for, else the last."""
    if len(survey.relations) > 1 and options.relation is None:
        raise SurveyError(
            f"This survey has several relations ({', '.join(map(repr, survey.relations))}); "
            "pass relation= to choose the one the report describes."
        )
    wave = options.wave if options.wave is not None else (survey.waves or [None])[-1]
    return survey.select(relation=options.relation, wave=wave)


def _outside_kind(survey: Survey, external: str) -> str | None:
    """How the survey records outside knowledge: ``"actors"`` (an outside-ties table),
    ``"counts"`` (a firms-table column, e.g. a surveyed count of outside links) or None."""
    if external in survey.firms.columns:
        return "counts"
    return "actors" if len(survey.external) else None


def file_name(path: str) -> str:
    """A file's name without its folders (reports do not expose local paths)."""
    text = str(path)
    return text if text.startswith("<") else text.replace("\\", "/").rsplit("/", 1)[-1]


def subtitle(survey: Survey, outside: str | None = "actors") -> str:
    """One line on the size of the survey the report describes."""
    if outside == "counts":
        tail = "outside links recorded as counts"
    elif outside is None:
        tail = "no outside-knowledge data"
    else:
        tail = f"{len(survey.external)} ties to outside actors"
    return f"{survey.n_firms} firms, {survey.n_ties} knowledge ties, {tail}"


def orientation_text(orientation: str) -> str:
    return {
        "asks": "asks: each respondent named the firms it turns to for technical advice; "
        "knowledge flows from the firm named to the respondent",
        "gives": "gives: each respondent named the firms it gave knowledge to",
        "flow": "flow: the file holds knowledge flows source -> target",
    }.get(orientation, orientation)


_QUOTED = re.compile(r"'([^']*)'")
_LISTED = re.compile(r"(: )([^;:()'\n]+)")


def anonymize_text(text: str, ids: list[str], label: dict[str, str]) -> str:
    """Replace the firm ids a note names by their labels.

    kflow's notes and messages name firms in two forms only: quoted (``firm 'P5'``) or in a list
    after a colon (``non-respondents (2): P5, P7``). Only those are replaced, and only when they
    are a whole id, so that an id that is also a word ("the", "nan") leaves the note's own
    wording alone.
    """
    known = set(ids)

    def quoted(m: re.Match) -> str:
        return f"'{label[m.group(1)]}'" if m.group(1) in known else m.group(0)

    def listed(m: re.Match) -> str:
        items = m.group(2).split(", ")
        return m.group(1) + ", ".join(label[i] if i in known else i for i in items)

    return _LISTED.sub(listed, _QUOTED.sub(quoted, text))
