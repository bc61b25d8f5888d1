"""The sections of the gatekeeper report, one builder each, in report order.

A builder computes what its section shows and adds it to the :class:`ReportModel`: its entry in
``model.sections``, its tables and its figures. :data:`SECTION_BUILDERS` is the one list the
model, the renderers (through :data:`SECTIONS`) and the progress bar read, so a new section is
one builder here and one template per format under ``templates/sections/``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from kflow.exceptions import KflowError
from kflow.measures.openness import external_openness
from kflow.measures.summary import network_summary
from kflow.outcomes.link import link_upgrading
from kflow.reporting import figures
from kflow.reporting.model import (
    Context,
    ReportModel,
    Table,
    anonymize_text,
    file_name,
    orientation_text,
    subtitle,
)
from kflow.reporting.policy import policy_pointers
from kflow.roles.brokerage import brokerage
from kflow.roles.cognitive import classify_roles
from kflow.roles.positions import knowledge_positions
from kflow.roles.stability import role_stability
from kflow.survey import Survey

__all__ = ["SECTIONS", "SECTION_BUILDERS", "SectionBuilder", "build_model"]


@dataclass(frozen=True)
class SectionBuilder:
    """One section: its anchor, heading, progress message and the function that builds it."""

    key: str
    heading: str
    build: Callable[[Context, ReportModel], None] | None
    step: Callable[[Context], str] | None = None


def _data(ctx: Context, model: ReportModel) -> None:
    survey, v = ctx.survey, ctx.survey.validation
    model.facts = [
        ("Ties file", file_name(survey.meta.get("sources", {}).get("ties", "DataFrame"))),
        ("Orientation", orientation_text(survey.meta.get("orientation", ""))),
        ("Firms on the roster", str(survey.n_firms)),
        ("Respondents", f"{len(survey.respondents)} (response rate {survey.response_rate:.1%})"),
        ("Treatment of missing answers", str(survey.meta.get("missing", "nan"))),
        ("Knowledge ties", str(len(survey.ties))),
        ("Outside ties", str(len(survey.external))),
        ("Seed", str(ctx.seed)),
    ]
    if ctx.anonymize:
        model.facts.insert(0, ("Anonymized", "firm names and ids replaced by keyed pseudonyms"))
    validation_rows = None
    if v is not None:
        columns = ["file", "layout", "records_read", "records_used", "records_dropped"]
        validation_rows = v.tables[columns].copy()
        validation_rows["file"] = validation_rows["file"].map(file_name)
    ids = survey.firm_ids
    model.sections["data"] = {
        "validation": validation_rows,
        "reasons": v.reason_counts() if v else pd.DataFrame(),
        "notes": [anonymize_text(n, ids, ctx.label) for n in v.notes] if v else [],
    }


def _network(ctx: Context, model: ReportModel) -> None:
    ctx.summary = network_summary(ctx.survey)
    frame = ctx.summary.drop(labels=["relation", "wave"]).rename("value").to_frame()
    model.sections["network"] = {"summary": frame}
    model.tables.append(Table("network_summary", "Network summary", frame))


def _roles(ctx: Context, model: ReportModel) -> None:
    roles = ctx.roles = classify_roles(ctx.survey)
    positions = knowledge_positions(ctx.survey)
    openness = external_openness(ctx.survey)
    table = roles.table.join(positions[["out_degree", "in_degree", "position"]]).join(
        openness[["external_ties", "external_strength"]]
    )
    model.sections["roles"] = {
        "counts": roles.counts.rename("firms").to_frame(),
        "thresholds": roles.thresholds,
        "local": roles.local,
        "external": roles.external,
        "table": ctx.rename(table),
    }
    model.tables.append(
        Table("roles", "Cognitive roles and knowledge positions", ctx.rename(table))
    )
    model.figures["quadrant"] = figures.quadrant_plot(
        roles.table, roles.thresholds, ctx.label, roles.local, roles.external
    )


def _brokerage(ctx: Context, model: ReportModel) -> None:
    b = brokerage(ctx.survey, include_external=True)
    columns = {}
    for role in ("gatekeeper", "representative", "total"):
        columns[role] = b.raw[role]
        columns[f"{role}_z"] = b.z[role]
    broker = pd.DataFrame(columns)
    broker = broker.sort_values(["gatekeeper", "total"], ascending=False, kind="stable")
    model.sections["brokerage"] = {
        "table": ctx.rename(broker),
        "network": b.network,
        "relays": ctx.rename(b.relays),
        "density": b.density,
    }
    model.tables.append(
        Table("brokerage", "Gould-Fernandez brokerage (cluster / outside)", ctx.rename(broker))
    )
    model.tables.append(
        Table("gatekeeper_relays", "Outside -> firm -> local firm relays", ctx.rename(b.relays))
    )


def _sociogram(ctx: Context, model: ReportModel) -> None:
    model.figures["sociogram"] = figures.sociogram(
        ctx.survey, ctx.roles.table["role"], ctx.label, seed=ctx.seed
    )


def _stability(ctx: Context, model: ReportModel) -> None:
    runs = {
        scheme: role_stability(
            ctx.survey, n_resamples=ctx.n_resamples, scheme=scheme, seed=ctx.seed
        )
        for scheme in ("respondents", "ties")
    }
    stab = pd.DataFrame(
        {
            "role": runs["respondents"]["role"],
            "stability_respondents": runs["respondents"]["stability"],
            "stability_ties": runs["ties"]["stability"],
            "most_likely_alternative": runs["respondents"]["alternative"],
        }
    )
    model.sections["stability"] = {"table": ctx.rename(stab), "n_resamples": ctx.n_resamples}
    model.tables.append(Table("role_stability", "Role stability", ctx.rename(stab)))


_NO_OUTCOMES = (
    "The firms table has no upgrading outcomes (product, process, functional, intersectoral on "
    "0-3); add them to link positions to upgrading."
)


def _upgrading(ctx: Context, model: ReportModel) -> None:
    link = None
    try:
        link = link_upgrading(
            ctx.survey, roles=ctx.roles, n_permutations=ctx.n_permutations, seed=ctx.seed
        )
    except KflowError as exc:
        model.notes.append(f"Positions and upgrading not analysed: {exc}")
    if link is None or not link.comparisons:
        model.sections["upgrading"] = {"notes": (link.notes if link else []) or [_NO_OUTCOMES]}
        return
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
        "n_permutations": ctx.n_permutations,
    }
    model.tables += [
        Table("upgrading_by_role", "Upgrading by role (omnibus)", omnibus),
        Table("upgrading_pairwise", "Upgrading by role (pairs)", pairwise),
        Table(
            "position_outcome_correlations",
            "Measures and outcomes (correlations)",
            link.correlations,
        ),
    ]
    if link.capacity_correlations is not None:
        caption = "Absorptive capacity and network position"
        model.tables.append(Table("capacity_correlations", caption, link.capacity_correlations))
    outcome = "upgrading_sum" if "upgrading_sum" in link.data else next(iter(link.comparisons))
    model.figures["upgrading"] = figures.outcome_by_role(link.data, outcome, seed=ctx.seed)


def _policy(ctx: Context, model: ReportModel) -> None:
    model.sections["policy"] = {"pointers": policy_pointers(ctx.roles, ctx.summary, ctx.survey)}


SECTION_BUILDERS: tuple[SectionBuilder, ...] = (
    SectionBuilder("data", "The data", _data, lambda ctx: "validation"),
    SectionBuilder("network", "The network", _network, lambda ctx: "network measures"),
    SectionBuilder("roles", "Cognitive roles", _roles, lambda ctx: "roles"),
    SectionBuilder("brokerage", "Brokerage", _brokerage, lambda ctx: "brokerage"),
    SectionBuilder("sociogram", "Sociogram", _sociogram, lambda ctx: "sociogram"),
    SectionBuilder(
        "stability",
        "Role stability",
        _stability,
        lambda ctx: f"role stability ({ctx.n_resamples} resamples)",
    ),
    SectionBuilder(
        "upgrading",
        "Network positions and upgrading",
        _upgrading,
        lambda ctx: f"positions and upgrading ({ctx.n_permutations} permutations)",
    ),
    SectionBuilder("policy", "Policy pointers", _policy),
    SectionBuilder("methods", "Methods and references", None),
)

#: (anchor, heading) of every section, in report order.
SECTIONS: tuple[tuple[str, str], ...] = tuple((s.key, s.heading) for s in SECTION_BUILDERS)

#: Number of progress messages a report sends (one per section with a step).
N_STEPS = sum(1 for s in SECTION_BUILDERS if s.step is not None)


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
    """Run the analyses of the gatekeeper report, section by section, and assemble the model."""
    ctx = Context.create(
        survey,
        seed=seed,
        anonymize=anonymize,
        salt=salt,
        n_resamples=n_resamples,
        n_permutations=n_permutations,
    )
    model = ReportModel(
        title="Knowledge flows and technological gatekeepers",
        subtitle=subtitle(survey),
        facts=[],
    )
    for section in SECTION_BUILDERS:
        if section.step is not None and progress is not None:
            progress(section.step(ctx))
        if section.build is not None:
            section.build(ctx, model)
    return model
