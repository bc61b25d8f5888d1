"""The sections of the gatekeeper report, one builder each, in report order.

A builder computes what its section shows and adds it to the :class:`ReportModel`: its entry in
``model.sections`` (tables for display, firm labels in place of ids), its machine tables in
``model.tables`` (``firm_id`` and ``name`` as plain columns) and its figures.
:data:`SECTION_BUILDERS` is the one list the model, the renderers (through :data:`SECTIONS`) and
the progress bar read, so a new section is one builder here and one template per format under
``templates/sections/``.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pandas as pd
from threadpoolctl import threadpool_limits

from kflow import vocabulary as V
from kflow._forked import fork_allowed, in_child
from kflow.exceptions import KflowError
from kflow.measures.openness import external_openness
from kflow.measures.summary import network_summary
from kflow.outcomes.link import link_upgrading
from kflow.reporting import figures
from kflow.reporting.describe import (
    report_date,
    reproducibility,
    role_definitions,
    sociogram_data,
    ties_files,
)
from kflow.reporting.findings import add_findings, brokerage_alert
from kflow.reporting.large import PATH_SOURCES, PATHS_EXACT_FIRMS, SOCIOGRAM_FIRMS, backbone
from kflow.reporting.model import (
    Context,
    ReportModel,
    ReportOptions,
    Table,
    file_name,
    orientation_text,
    subtitle,
)
from kflow.reporting.policy import policy_pointers
from kflow.reporting.waves import waves_section
from kflow.roles.brokerage import brokerage
from kflow.roles.cognitive import classify_roles
from kflow.roles.positions import knowledge_positions
from kflow.roles.stability import role_stability
from kflow.survey import Survey

__all__ = ["N_STEPS", "SECTIONS", "SECTION_BUILDERS", "SectionBuilder", "build_model"]


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
        ("Ties file", "withheld (anonymized report)" if ctx.anonymize else ties_files(survey)),
        ("Orientation", orientation_text(survey.meta.get("orientation", ""))),
        *_layer_facts(ctx),
        ("Firms on the roster", str(survey.n_firms)),
        ("Respondents", f"{len(survey.respondents)} (response rate {survey.response_rate:.1%})"),
        ("Treatment of missing answers", str(survey.meta.get("missing", "nan"))),
        ("Knowledge ties", str(survey.n_ties)),
        ("Outside knowledge", _outside_text(ctx)),
        ("Seed", str(ctx.seed)),
    ]
    if ctx.anonymize:
        model.facts.insert(0, ("Anonymized", "firm names and ids replaced by keyed pseudonyms"))
    validation_rows = None
    if v is not None:
        columns = ["file", "layout", "records_read", "records_used", "records_dropped"]
        validation_rows = v.tables[columns].copy()
        validation_rows["file"] = (
            [f"the {kind.split()[0]} file" for kind in validation_rows.index]
            if ctx.anonymize
            else validation_rows["file"].map(file_name)
        )
    model.sections["data"] = {
        "validation": validation_rows,
        "reasons": v.reason_counts() if v else pd.DataFrame(),
        "notes": list(v.notes) if v else [],
    }
    if ctx.outside is None:
        model.alerts.append(
            "No data on knowledge from outside the cluster: the survey has no outside-ties table "
            f"and the external axis {ctx.options.external!r} is not a firms-table column. Without "
            "it technological gatekeepers and external stars cannot be told apart from the other "
            "firms, so this report does not classify cognitive roles and raises no role-based "
            "policy pointer. Give the outside ties (external=, CLI --external) or a column "
            "counting each firm's outside links (external=COLUMN, CLI --external-axis)."
        )


def _layer_facts(ctx: Context) -> list[tuple[str, str]]:
    facts = []
    full = ctx.full
    if full.waves:
        wave = ctx.survey.waves[0]
        how = "chosen" if ctx.options.wave is not None else "the last; choose another with wave="
        facts.append(("Wave", f"{wave} ({how}; waves: {', '.join(full.waves)})"))
    if len(full.relations) > 1:
        facts.append(("Relation", f"{ctx.survey.relations[0]} (of {', '.join(full.relations)})"))
    return facts


def _outside_text(ctx: Context) -> str:
    if ctx.outside == "counts":
        return f"a count per firm, column {ctx.options.external!r} of the firms table"
    if ctx.outside == "actors":
        return f"{len(ctx.survey.external)} ties to outside actors"
    return "none recorded"


def _network(ctx: Context, model: ReportModel) -> None:
    sampled = ctx.survey.n_firms > PATHS_EXACT_FIRMS
    ctx.summary = network_summary(ctx.survey, k=PATH_SOURCES if sampled else None, seed=ctx.seed)
    frame = ctx.summary.drop(labels=["relation", "wave"]).rename("value").to_frame()
    frame.index.name = "statistic"
    model.sections["network"] = {"summary": frame, "notes": [
        f"Betweenness centralization is estimated from the shortest paths of "
        f"{PATH_SOURCES:,} source firms drawn at random (seed {ctx.seed}; Brandes and Pich "
        f"2007): the network has {ctx.survey.n_firms:,} firms, and paths are counted exactly "
        f"up to {PATHS_EXACT_FIRMS:,}."] if sampled else []}
    model.tables.append(Table("network_summary", "Network summary", frame.reset_index()))


def _roles(ctx: Context, model: ReportModel) -> None:
    positions = knowledge_positions(ctx.survey)
    table = positions[["out_degree", "in_degree", "position"]]
    if ctx.outside is None:
        _start_resampling(ctx)
        model.sections["roles"] = {"classified": False, "table": ctx.rename(table)}
        model.tables.append(Table("positions", "Knowledge positions", ctx.machine(table)))
        return
    o = ctx.options
    roles = ctx.roles = classify_roles(
        ctx.survey, local=o.local, external=o.external, threshold=o.threshold
    )
    _start_resampling(ctx)
    table = roles.table.join(table)
    if ctx.outside == "actors":
        openness = external_openness(ctx.survey)
        table = table.join(openness[["external_strength"]])
    model.sections["roles"] = {
        "classified": True,
        "definitions": role_definitions(roles),
        "counts": roles.counts.rename("firms").to_frame(),
        "thresholds": roles.thresholds,
        "local": roles.local,
        "external": roles.external,
        "table": ctx.rename(table),
    }
    model.tables.append(
        Table("roles", "Cognitive roles and knowledge positions", ctx.machine(table))
    )
    model.figures["quadrant"], model.captions["quadrant"] = figures.quadrant_plot(
        roles.table, roles.thresholds, ctx.label, roles.local, roles.external
    )


_COUNTS_ONLY = (
    "Outside links are recorded as counts per firm, not as ties to named outside actors, so the "
    "outside -> firm -> local relays (Gould-Fernandez gatekeeper and representative brokerage "
    "with outside actors) cannot be computed; the brokerage below is among cluster firms only. "
    "Record who each firm gets knowledge from (an outside-ties table) to measure the relays."
)


def _brokerage(ctx: Context, model: ReportModel) -> None:
    with_outside = ctx.outside == "actors"
    b = ctx.results["brokerage"] = brokerage(ctx.survey, include_external=with_outside)
    structural = brokerage_alert(b, with_outside, ctx.survey.external)
    if structural:
        model.alerts.append(structural)
    columns = {}
    for role in V.BROKERAGE_ROLES:
        columns[role] = b.raw[role]
        columns[f"{role}_z"] = b.z[role]
    if structural:
        columns["representative_z"] = columns["representative_z"] * float("nan")
    broker = pd.DataFrame(columns)
    # With outside actors the gatekeeper and representative counts are the relays; among
    # cluster firms only (one group) every brokerage is coordination.
    roles = ("gatekeeper", "representative", "total") if with_outside else ("coordinator", "total")
    broker = broker.sort_values([roles[0], "total"], ascending=False, kind="stable")
    shown = broker[[c for role in roles for c in (role, f"{role}_z")]]
    note = {"counts": _COUNTS_ONLY, None: "No outside ties: brokerage among cluster firms only."}
    model.sections["brokerage"] = {
        "table": ctx.rename(shown),
        "network": b.network,
        "relays": ctx.rename(b.relays),
        "density": b.density,
        "with_outside": with_outside,
        "note": note.get(ctx.outside, ""),
    }
    caption = "Gould-Fernandez brokerage (cluster / outside)"
    model.tables.append(Table("brokerage", caption, ctx.machine(broker)))
    if with_outside:
        caption = "Outside -> firm -> local firm relays"
        model.tables.append(Table("gatekeeper_relays", caption, ctx.machine(b.relays)))


def _sociogram(ctx: Context, model: ReportModel) -> None:
    if ctx.roles is not None:
        roles = ctx.roles.table["role"]
    else:
        roles = pd.Series(None, index=pd.Index(ctx.survey.firm_ids, name=V.FIRM_ID), dtype=object)
    order = ctx.firm_order()
    drawn, note = backbone(ctx.survey, order, SOCIOGRAM_FIRMS)
    if note:
        order = [f for f in order if f in set(drawn.firm_ids)]
    svg, caption = figures.sociogram(
        drawn, roles, ctx.label, seed=ctx.seed, order=order, actor_label=ctx.actor_alias
    )
    model.figures["sociogram"] = svg
    model.captions["sociogram"] = f"{caption} {note}".strip()
    model.sections["sociogram"] = sociogram_data(ctx, roles, order, drawn)


def _stability(ctx: Context, model: ReportModel) -> None:
    if ctx.roles is None:
        model.sections["stability"] = {"note": "No roles were classified (no outside data)."}
        return
    runs = {scheme: ctx.outcome(f"stability {scheme}") for scheme in _schemes(ctx)}
    schemes = tuple(runs)
    first = runs[schemes[0]]
    stab = pd.DataFrame({"role": first["role"].where(first["role"].notna(), "unclassified")})
    for scheme, run in runs.items():
        stab[f"stability_{scheme}"] = run["stability"]
    stab["most_likely_alternative"] = first["alternative"]
    ctx.results["stability"] = stab
    note = ""
    if ctx.outside == "counts":
        note = (
            "The outside axis is a count per firm, which cannot be resampled: stability is shown "
            "under random threshold choices (each axis's q-quantile, q from 0.25 to 0.75)."
        )
    model.sections["stability"] = {
        "table": ctx.rename(stab),
        "n_resamples": ctx.n_resamples,
        "note": note,
    }
    model.tables.append(Table("role_stability", "Role stability", ctx.machine(stab)))


_NO_OUTCOMES = (
    "The firms table has none of the outcome columns (by default product, process, functional, "
    "intersectoral upgrading on 0-3; name your own with outcomes=, CLI --outcomes)."
)


def _schemes(ctx: Context) -> tuple[str, ...]:
    return ("respondents", "ties") if ctx.outside == "actors" else ("thresholds",)


def _start_resampling(ctx: Context) -> None:
    """Once the roles are known, start the resampling sections (role stability, positions and
    upgrading) on the worker while the figures before them are drawn."""
    o = ctx.options
    rule = {"local": o.local, "external": o.external, "threshold": o.threshold}
    tasks = {}
    if ctx.roles is not None:
        for scheme in _schemes(ctx):
            tasks[f"stability {scheme}"] = (role_stability, (ctx.survey,), dict(
                n_resamples=ctx.n_resamples, scheme=scheme, seed=ctx.seed, **rule))
    tasks["link"] = (_link_upgrading, (ctx.survey,), dict(
        roles=ctx.roles, compare_roles=ctx.roles is not None, outcomes=o.outcomes,
        capacity=o.capacity, n_permutations=ctx.n_permutations, seed=ctx.seed, **rule))
    ctx.start_all(tasks)


def _link_upgrading(survey: Survey, *, seed: int, **options):
    """The positions-and-upgrading statistics and, in a forked child, the figure of upgrading
    by role drawn from them beside the report's other figures. A thread may not draw it
    (matplotlib's style settings are one per process), so there the report draws it when the
    statistics are in: the same SVG either way."""
    link = link_upgrading(survey, seed=seed, **options)
    figure = None
    if in_child() and not link.correlations.empty and link.comparisons:
        figure = _upgrading_figure(link, seed)
    return link, figure


def _upgrading_figure(link, seed: int) -> str:
    return figures.outcome_by_role(link.data, list(link.comparisons), seed=seed)


def _upgrading(ctx: Context, model: ReportModel) -> None:
    o = ctx.options
    figure = None
    try:
        link, figure = ctx.outcome("link")
    except KflowError as exc:
        if o.outcomes is not None or o.capacity is not None:
            raise
        model.notes.append(f"Positions and upgrading not analysed: {exc}")
        link = None
    ctx.results["link"] = link
    if link is None or link.correlations.empty:
        model.sections["upgrading"] = {"notes": (link.notes if link else []) or [_NO_OUTCOMES]}
        return
    section = {
        "correlations": link.correlations,
        "capacity": link.capacity_correlations,
        "homophily": link.homophily,
        "notes": link.notes,
        "n_permutations": ctx.n_permutations,
    }
    model.tables.append(
        Table(
            "position_outcome_correlations",
            "Measures and outcomes (correlations)",
            link.correlations,
        )
    )
    if link.comparisons:
        _role_tables(ctx, model, link, section)
        model.figures["upgrading"] = figure or _upgrading_figure(link, ctx.seed)
    if link.capacity_correlations is not None:
        caption = "Absorptive capacity and network position"
        model.tables.append(Table("capacity_correlations", caption, link.capacity_correlations))
    model.sections["upgrading"] = section


def _role_tables(ctx: Context, model: ReportModel, link, section: dict) -> None:
    omnibus = link.omnibus.set_index("outcome")
    pairwise = pd.concat(
        [comp.pairwise.assign(outcome=name) for name, comp in link.comparisons.items()],
        ignore_index=True,
    )
    pairwise = pairwise[["outcome", *[c for c in pairwise.columns if c != "outcome"]]]
    section.update(omnibus=omnibus, pairwise=pairwise)
    model.tables += [
        Table("upgrading_by_role", "Upgrading by role (omnibus)", omnibus.reset_index()),
        Table("upgrading_pairwise", "Upgrading by role (pairs)", pairwise),
    ]


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
    SectionBuilder("waves", "Change between waves", waves_section, lambda ctx: "waves"),
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


def _scrub(ctx: Context, model: ReportModel) -> None:
    """Every text of the model in the form the report may print (see Context.scrub)."""
    model.notes = [ctx.scrub(n) for n in model.notes]
    model.alerts = [ctx.scrub(a) for a in model.alerts]
    model.captions = {k: ctx.scrub(c) for k, c in model.captions.items()}
    model.findings = [{**f, "text": ctx.scrub(f["text"])} for f in model.findings]
    for section in model.sections.values():
        if isinstance(section.get("notes"), list):
            section["notes"] = [ctx.scrub(n) for n in section["notes"]]
    if ctx.anonymize:
        model.title = ctx.scrub(model.title)


def build_model(
    survey: Survey,
    options: ReportOptions | None = None,
    *,
    salt: str | None = None,
    progress: Callable[[str], None] | None = None,
    **option_values,
) -> ReportModel:
    """Run the analyses of the gatekeeper report, section by section, and assemble the model.

    ``options`` (or the same fields as keywords, e.g. ``seed=0``) are the report's choices.
    """
    options = options or ReportOptions(**option_values)
    ctx = Context.create(survey, options, salt)
    model = ReportModel(
        title=options.title or "Knowledge flows and technological gatekeepers",
        subtitle=subtitle(ctx.survey, ctx.outside),
        facts=[],
    )
    # The resampling runs in a forked process where that is safe, else on a worker thread
    # (kflow._forked); either way beside the figures, with the same results.
    ctx.fork = fork_allowed()
    try:
        # One thread of linear algebra in each process or thread of the report: they already
        # share the cores, and BLAS threads spinning for work would slow them all.
        with (threadpool_limits(1, "blas"),
              ThreadPoolExecutor(max_workers=1, thread_name_prefix="kflow-report") as worker):
            ctx.worker = worker  # threads start only if a computation is handed to it
            for section in SECTION_BUILDERS:
                if section.step is not None and progress is not None:
                    progress(section.step(ctx))
                if section.build is not None:
                    section.build(ctx, model)
            ctx.worker = None
    finally:
        ctx.close_forked()
    add_findings(ctx, model)
    _scrub(ctx, model)
    model.parameters = reproducibility(ctx)
    model.date = report_date()
    return model


