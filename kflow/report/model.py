"""Compute the gatekeeper report and assemble it into a plain model (dicts, lists, DataFrames).

The model holds no HTML or Markdown: the renderers turn it into text. Every firm id and name in
it has already been replaced by its pseudonym when the report is anonymized, so no later step can
leak one.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from kflow import vocabulary as V
from kflow.exceptions import KflowError
from kflow.measures.openness import external_openness
from kflow.measures.summary import network_summary
from kflow.outcomes.link import link_upgrading
from kflow.report import figures
from kflow.roles.brokerage import brokerage
from kflow.roles.cognitive import classify_roles, knowledge_positions
from kflow.roles.stability import role_stability
from kflow.survey import Survey

ROLE_LABELS = {
    V.GATEKEEPER: "technological gatekeeper",
    V.EXTERNAL_STAR: "external star",
    V.MUTUAL_EXCHANGER: "active mutual exchanger",
    V.ISOLATED: "isolated firm",
}

SECTIONS = (
    ("data", "The data"),
    ("network", "The network"),
    ("roles", "Cognitive roles"),
    ("brokerage", "Brokerage"),
    ("sociogram", "Sociogram"),
    ("stability", "Role stability"),
    ("upgrading", "Network positions and upgrading"),
    ("policy", "Policy pointers"),
    ("methods", "Methods and references"),
)


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


def _fmt_p(p: float) -> str:
    if p is None or (isinstance(p, float) and np.isnan(p)):
        return "n/a"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def build_model(
    survey: Survey,
    *,
    seed: int = 0,
    anonymize: bool = False,
    salt: str | None = None,
    n_resamples: int = 1000,
    n_permutations: int = 9999,
    progress: Callable[[str], None] | None = None,
) -> ReportModel:
    """Run the analyses of the gatekeeper report and assemble the model."""
    step = progress or (lambda _msg: None)
    ids = survey.firm_ids
    if anonymize:
        alias = Pseudonyms(ids, salt)
        label = {f: alias(f) for f in ids}
    else:
        names = survey.firms[V.NAME].astype(str)
        label = {f: (f if names[f] == f else f"{names[f]} ({f})") for f in ids}
        alias = None

    def rename(frame: pd.DataFrame) -> pd.DataFrame:
        """Replace firm ids in the index and in id columns by their display labels."""
        out = frame.copy()
        if out.index.name == V.FIRM_ID:
            out.index = [label.get(f, f) for f in out.index]
            out.index.name = "firm"
        for col in (V.FIRM_ID, "local", "firm"):
            if col in out.columns:
                out[col] = [label.get(f, f) for f in out[col]]
        return out

    model = ReportModel(
        title="Knowledge flows and technological gatekeepers",
        subtitle=_subtitle(survey),
        facts=[],
    )

    # 1. Data.
    step("validation")
    v = survey.validation
    model.facts = [
        ("Ties file", _file_name(survey.meta.get("sources", {}).get("ties", "DataFrame"))),
        ("Orientation", _orientation_text(survey.meta.get("orientation", ""))),
        ("Firms on the roster", str(survey.n_firms)),
        ("Respondents", f"{len(survey.respondents)} (response rate {survey.response_rate:.1%})"),
        ("Treatment of missing answers", str(survey.meta.get("missing", "nan"))),
        ("Knowledge ties", str(len(survey.ties))),
        ("Outside ties", str(len(survey.external))),
        ("Seed", str(seed)),
    ]
    if anonymize:
        model.facts.insert(0, ("Anonymized", "firm names and ids replaced by keyed pseudonyms"))
    validation_rows = None
    if v is not None:
        validation_rows = v.tables[
            ["file", "layout", "records_read", "records_used", "records_dropped"]
        ].copy()
        validation_rows["file"] = validation_rows["file"].map(_file_name)
    reasons = v.reason_counts() if v else pd.DataFrame()
    model.sections["data"] = {
        "validation": validation_rows,
        "reasons": reasons,
        "notes": [_anonymize_text(n, ids, label) for n in v.notes] if v else [],
    }

    # 2. Network.
    step("network measures")
    summary = network_summary(survey)
    summary_frame = summary.drop(labels=["relation", "wave"]).rename("value").to_frame()
    model.sections["network"] = {"summary": summary_frame}
    model.tables.append(Table("network_summary", "Network summary", summary_frame))

    # 3. Roles.
    step("roles")
    roles = classify_roles(survey)
    positions = knowledge_positions(survey)
    openness = external_openness(survey)
    role_table = roles.table.join(positions[["out_degree", "in_degree", "position"]]).join(
        openness[["external_ties", "external_strength"]]
    )
    model.sections["roles"] = {
        "counts": roles.counts.rename("firms").to_frame(),
        "thresholds": roles.thresholds,
        "local": roles.local,
        "external": roles.external,
        "table": rename(role_table),
    }
    model.tables.append(
        Table("roles", "Cognitive roles and knowledge positions", rename(role_table))
    )
    model.figures["quadrant"] = figures.quadrant_plot(
        roles.table, roles.thresholds, label, roles.local, roles.external
    )

    # 4. Brokerage.
    step("brokerage")
    b = brokerage(survey, include_external=True)
    broker = pd.DataFrame(
        {
            "gatekeeper": b.raw["gatekeeper"],
            "gatekeeper_z": b.z["gatekeeper"],
            "representative": b.raw["representative"],
            "representative_z": b.z["representative"],
            "total": b.raw["total"],
            "total_z": b.z["total"],
        }
    )
    broker = broker.sort_values(["gatekeeper", "total"], ascending=False, kind="stable")
    relays = b.relays.copy()
    model.sections["brokerage"] = {
        "table": rename(broker),
        "network": b.network,
        "relays": rename(relays),
        "density": b.density,
    }
    model.tables.append(
        Table("brokerage", "Gould-Fernandez brokerage (cluster / outside)", rename(broker))
    )
    model.tables.append(
        Table("gatekeeper_relays", "Outside -> firm -> local firm relays", rename(relays))
    )

    # 5. Sociogram.
    step("sociogram")
    model.figures["sociogram"] = figures.sociogram(survey, roles.table["role"], label, seed=seed)

    # 6. Stability.
    step(f"role stability ({n_resamples} resamples)")
    stability = role_stability(survey, n_resamples=n_resamples, scheme="respondents", seed=seed)
    ties_stability = role_stability(survey, n_resamples=n_resamples, scheme="ties", seed=seed)
    stab = pd.DataFrame(
        {
            "role": stability["role"],
            "stability_respondents": stability["stability"],
            "stability_ties": ties_stability["stability"],
            "most_likely_alternative": stability["alternative"],
        }
    )
    model.sections["stability"] = {"table": rename(stab), "n_resamples": n_resamples}
    model.tables.append(Table("role_stability", "Role stability", rename(stab)))

    # 7. Upgrading.
    step(f"positions and upgrading ({n_permutations} permutations)")
    link = None
    try:
        link = link_upgrading(survey, roles=roles, n_permutations=n_permutations, seed=seed)
    except KflowError as exc:
        model.notes.append(f"Positions and upgrading not analysed: {exc}")
    if link is not None and link.comparisons:
        omnibus = link.omnibus.set_index("outcome")
        pairwise = pd.concat(
            [comp.pairwise.assign(outcome=name) for name, comp in link.comparisons.items()],
            ignore_index=True,
        )
        model.sections["upgrading"] = {
            "omnibus": omnibus,
            "pairwise": pairwise,
            "correlations": link.correlations,
            "capacity": link.capacity_correlations,
            "homophily": link.homophily,
            "notes": link.notes,
            "n_permutations": n_permutations,
        }
        model.tables.append(Table("upgrading_by_role", "Upgrading by role (omnibus)", omnibus))
        model.tables.append(Table("upgrading_pairwise", "Upgrading by role (pairs)", pairwise))
        model.tables.append(
            Table(
                "position_outcome_correlations",
                "Measures and outcomes (correlations)",
                link.correlations,
            )
        )
        if link.capacity_correlations is not None:
            model.tables.append(
                Table(
                    "capacity_correlations",
                    "Absorptive capacity and network position",
                    link.capacity_correlations,
                )
            )
        outcome = "upgrading_sum" if "upgrading_sum" in link.data else next(iter(link.comparisons))
        model.figures["upgrading"] = figures.outcome_by_role(link.data, outcome, seed=seed)
    else:
        model.sections["upgrading"] = {
            "notes": (link.notes if link else [])
            or [
                "The firms table has no upgrading outcomes (product, process, functional, "
                "intersectoral on 0-3); add them to link positions to upgrading."
            ]
        }

    # 8. Policy pointers.
    model.sections["policy"] = {"pointers": policy_pointers(roles, summary, survey)}
    return model


def _file_name(path: str) -> str:
    """A file's name without its folders (reports do not expose local paths)."""
    text = str(path)
    return text if text.startswith("<") else text.replace("\\", "/").rsplit("/", 1)[-1]


def _subtitle(survey: Survey) -> str:
    return (
        f"{survey.n_firms} firms, {len(survey.ties)} knowledge ties, "
        f"{len(survey.external)} ties to outside actors"
    )


def _orientation_text(orientation: str) -> str:
    return {
        "asks": "asks: each respondent named the firms it turns to for technical advice; "
        "knowledge flows from the firm named to the respondent",
        "gives": "gives: each respondent named the firms it gave knowledge to",
        "flow": "flow: the file holds knowledge flows source -> target",
    }.get(orientation, orientation)


def _anonymize_text(text: str, ids: list[str], label: dict[str, str]) -> str:
    """Replace whole firm ids in a note by their labels (longest first, so P1 does not eat P10)."""
    import re

    for firm in sorted(ids, key=len, reverse=True):
        text = re.sub(rf"(?<![\w-]){re.escape(firm)}(?![\w-])", label[firm], text)
    return text


def policy_pointers(roles, summary: pd.Series, survey: Survey) -> list[dict[str, str]]:
    """Prompts for the analyst from the menu of Tables 10.1 and 10.2 of Pietrobelli &
    Rabellotti (2006), triggered by simple, stated features of the network. Not findings."""
    counts = roles.counts
    classified = max(int(counts.drop("unclassified", errors="ignore").sum()), 1)
    share = (counts / classified).to_dict()
    pointers = []
    if share.get(V.GATEKEEPER, 0) < 0.10:
        pointers.append(
            {
                "when": f"few technological gatekeepers ({counts[V.GATEKEEPER]} of {classified} "
                "classified firms)",
                "prompt": "Facilitate the external connections of the cluster (Table 10.1, promote "
                "linkages among firms): links to universities, research institutes and "
                "international networks through firms able to pass knowledge on.",
            }
        )
    if share.get(V.ISOLATED, 0) > 0.40:
        pointers.append(
            {
                "when": f"many isolated firms ({counts[V.ISOLATED]} of {classified})",
                "prompt": "Promote linkages among firms (Table 10.1): create and enhance trust "
                "among firms and promote collective projects; strengthen the local supply of "
                "business development services.",
            }
        )
    if counts.get(V.EXTERNAL_STAR, 0) > counts.get(V.GATEKEEPER, 0):
        pointers.append(
            {
                "when": f"more external stars ({counts[V.EXTERNAL_STAR]}) than gatekeepers "
                f"({counts[V.GATEKEEPER]}): outside knowledge enters but is not passed on",
                "prompt": "Support network brokers (articuladores, Table 10.2) and collective "
                "projects that connect well-connected outward firms with local firms.",
            }
        )
    if summary["n_weak_components"] > 1 or summary["density"] < 0.05:
        pointers.append(
            {
                "when": f"a sparse or fragmented network (density {summary['density']:.3f}, "
                f"{summary['n_weak_components']} components)",
                "prompt": "Create and strengthen business associations at the cluster level "
                "(Table 10.1) as places where firms meet.",
            }
        )
    if survey.response_rate < 0.7:
        pointers.append(
            {
                "when": f"a response rate of {survey.response_rate:.0%}",
                "prompt": "Before acting on these pointers, check how missing answers change the "
                "roles (the role stability section).",
            }
        )
    if not pointers:
        pointers.append(
            {
                "when": "none of the stated triggers applies",
                "prompt": "Read the sections above against the full menu of Table 10.1 (external "
                "economies, linkages among firms, position in value chains).",
            }
        )
    return pointers
