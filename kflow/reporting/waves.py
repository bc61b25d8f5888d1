"""The report's section on change between two waves: entries and exits, tie persistence, role
transitions and the firms whose role changed (for surveys with more than one wave)."""

from __future__ import annotations

import pandas as pd

from kflow.reporting.figures import transitions_plot
from kflow.reporting.model import Context, ReportModel, Table
from kflow.roles.waves import compare_waves

__all__ = ["waves_section"]


def _pair(waves: list[str], chosen: str) -> tuple[str, str]:
    """The chosen wave and the one before it (or, for the first wave, the one after it)."""
    i = waves.index(chosen)
    return (waves[i - 1], chosen) if i > 0 else (chosen, waves[1])


def waves_section(ctx: Context, model: ReportModel) -> None:
    full = ctx.full
    if len(full.waves) < 2:
        model.sections["waves"] = {"present": False}
        return
    before_w, after_w = _pair(full.waves, ctx.survey.waves[0])
    relation = ctx.survey.relations[0]
    before = full.select(relation=relation, wave=before_w)
    after = full.select(relation=relation, wave=after_w)
    o = ctx.options
    cmp = compare_waves(before, after, local=o.local, external=o.external, threshold=o.threshold)
    ctx.results["waves"] = cmp
    ctx.results["wave_pair"] = (before_w, after_w)
    ties = cmp.ties.rename("value").to_frame()
    ties.index.name = "statistic"
    firms = cmp.roles
    section = {
        "present": True,
        "before": before_w,
        "after": after_w,
        "ties": ties,
        "entered": [ctx.label.get(f, f) for f in cmp.entered],
        "left": [ctx.label.get(f, f) for f in cmp.left],
        "roles": ctx.roles is not None,
    }
    model.tables += [
        Table("tie_persistence", f"Ties of {before_w} and {after_w}", ties.reset_index()),
        Table("wave_firms", f"Firms in {before_w} and {after_w}", ctx.machine(firms)),
    ]
    if ctx.roles is not None:
        changed = firms[firms["status"] == "changed_role"][["role_before", "role_after"]]
        section.update(transitions=cmp.transitions, changed=ctx.rename(changed))
        model.figures["transitions"] = transitions_plot(cmp.transitions, before_w, after_w)
        transitions = cmp.transitions.copy()
        transitions.index = pd.Index(transitions.index.astype(str), name="role_before")
        model.tables.append(
            Table("role_transitions", f"Roles in {before_w} (rows) and {after_w} (columns)",
                  transitions.reset_index())
        )
    model.sections["waves"] = section

