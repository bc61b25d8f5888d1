"""The report model: what the renderers show (dicts, lists, DataFrames), and the context the
section builders share while computing it.

The model holds no HTML or Markdown: the renderers turn it into text. Every firm id and name in
it has already been replaced by its pseudonym when the report is anonymized, so no later step can
leak one.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from kflow import vocabulary as V
from kflow.survey import Survey

ROLE_LABELS = {
    V.GATEKEEPER: "technological gatekeeper",
    V.EXTERNAL_STAR: "external star",
    V.MUTUAL_EXCHANGER: "active mutual exchanger",
    V.ISOLATED: "isolated firm",
}

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

@dataclass
class Context:
    """What the section builders share: the survey, the report's parameters, the display labels
    of the firms, and results that later sections reuse (computed once)."""

    survey: Survey
    seed: int
    anonymize: bool
    n_resamples: int
    n_permutations: int
    label: dict[str, str]
    summary: pd.Series | None = None
    roles: Any = None

    @classmethod
    def create(
        cls,
        survey: Survey,
        *,
        seed: int,
        anonymize: bool,
        salt: str | None,
        n_resamples: int,
        n_permutations: int,
    ) -> Context:
        ids = survey.firm_ids
        if anonymize:
            alias = Pseudonyms(ids, salt)
            label = {f: alias(f) for f in ids}
        else:
            names = survey.firms[V.NAME].astype(str)
            label = {f: (f if names[f] == f else f"{names[f]} ({f})") for f in ids}
        return cls(survey, seed, anonymize, n_resamples, n_permutations, label)

    def rename(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Replace firm ids in the index and in id columns by their display labels."""
        out = frame.copy()
        if out.index.name == V.FIRM_ID:
            out.index = [self.label.get(f, f) for f in out.index]
            out.index.name = "firm"
        for col in (V.FIRM_ID, "local", "firm"):
            if col in out.columns:
                out[col] = [self.label.get(f, f) for f in out[col]]
        return out


def file_name(path: str) -> str:
    """A file's name without its folders (reports do not expose local paths)."""
    text = str(path)
    return text if text.startswith("<") else text.replace("\\", "/").rsplit("/", 1)[-1]


def subtitle(survey: Survey) -> str:
    return (
        f"{survey.n_firms} firms, {len(survey.ties)} knowledge ties, "
        f"{len(survey.external)} ties to outside actors"
    )


def orientation_text(orientation: str) -> str:
    return {
        "asks": "asks: each respondent named the firms it turns to for technical advice; "
        "knowledge flows from the firm named to the respondent",
        "gives": "gives: each respondent named the firms it gave knowledge to",
        "flow": "flow: the file holds knowledge flows source -> target",
    }.get(orientation, orientation)


def anonymize_text(text: str, ids: list[str], label: dict[str, str]) -> str:
    """Replace whole firm ids in a note by their labels (longest first, so P1 does not eat P10)."""
    for firm in sorted(ids, key=len, reverse=True):
        text = re.sub(rf"(?<![\w-]){re.escape(firm)}(?![\w-])", label[firm], text)
    return text
