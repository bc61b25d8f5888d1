"""Key findings and alerts: the first things a reader of the report sees.

Findings are plain sentences built from the numbers of the sections, each with its uncertainty
(role stability, p-values) and a link to its section. Alerts are data gaps and caveats: a low
response rate, firms sitting exactly on a threshold, roles too small to test, structural zeros.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kflow import vocabulary as V
from kflow.reporting.labels import ROLE_LABELS
from kflow.reporting.model import Context, ReportModel
from kflow.reporting.policy import main_component_share

__all__ = ["add_findings"]

LOW_RESPONSE = 0.8


def _names(ctx: Context, firms, limit: int = 6) -> str:
    names = [ctx.label.get(f, f) for f in firms]
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3g}"


def add_findings(ctx: Context, model: ReportModel) -> None:
    """Fill ``model.findings`` and add the alerts the sections did not raise themselves."""
    found = [f for f in (_respondents(ctx), _network(ctx), _roles(ctx), _relays(ctx),
                         _upgrading(ctx), _waves(ctx)) if f]
    model.findings = found
    model.alerts += _alerts(ctx)


def _respondents(ctx: Context) -> dict:
    s = ctx.survey
    return {"text": f"{len(s.respondents)} of {s.n_firms} firms answered the survey "
                    f"({s.response_rate:.0%}); unknown answers are treated under "
                    f"missing=\"{s.meta.get('missing', 'nan')}\".", "anchor": "data"}


def _network(ctx: Context) -> dict:
    summary = ctx.summary
    share = main_component_share(ctx.survey)
    return {"text": f"The network has {summary['n_ties']} knowledge ties among "
                    f"{summary['n_firms']} firms (density {summary['density']:.2f}); "
                    f"{summary['reciprocity']:.0%} of the ties are returned, and the largest "
                    f"connected group holds {share:.0%} of the firms.", "anchor": "network"}


def _roles(ctx: Context) -> dict | None:
    if ctx.roles is None:
        return {"text": "Cognitive roles are not classified: the survey has no data on "
                        "knowledge from outside the cluster.", "anchor": "data"}
    table = ctx.roles.table
    gk = table.index[table["role"] == V.GATEKEEPER].tolist()
    n = int(table["role"].notna().sum())
    text = (f"{len(gk)} of {n} classified firms are technological gatekeepers, above the "
            f"cluster threshold on both local ties and outside knowledge"
            + (f": {_names(ctx, gk)}." if gk else "."))
    stability = ctx.results.get("stability")
    if gk and stability is not None:
        column = next(c for c in stability.columns if c.startswith("stability_"))
        values = stability.loc[gk, column].dropna()
        if len(values):
            weakest = values.idxmin()
            text += (f" Across resamples they keep the role {values.mean():.0%} of the time on "
                     f"average (least stable: {ctx.label.get(weakest, weakest)}, "
                     f"{values.min():.0%}).")
    return {"text": text, "anchor": "roles"}


def _relays(ctx: Context) -> dict | None:
    b = ctx.results.get("brokerage")
    if b is None or ctx.outside != "actors" or b.relays.empty:
        return None
    counts = b.relays.groupby(V.FIRM_ID).size().sort_values(ascending=False, kind="stable")
    top = counts.index[0]
    z = b.z.loc[top, "gatekeeper"]
    z_text = f", gatekeeper brokerage z = {z:.1f}" if np.isfinite(z) else ""
    return {"text": f"{ctx.label.get(top, top)} relays the most outside knowledge: "
                    f"{counts.iloc[0]} outside -> firm -> local firm paths{z_text}; "
                    f"{len(counts)} firms relay at least one.", "anchor": "brokerage"}


def _upgrading(ctx: Context) -> dict | None:
    link = ctx.results.get("link")
    if link is None or link.correlations.empty:
        return None
    if link.comparisons:
        omnibus = link.omnibus.dropna(subset=["p_permutation"])
        if len(omnibus):
            best = omnibus.sort_values("p_permutation", kind="stable").iloc[0]
            verdict = "differs" if best["p_permutation"] < 0.05 else "does not clearly differ"
            return {"text": f"Of the outcomes, {best['outcome'].replace('_', ' ')} is the one "
                            f"that differs most across roles, and it {verdict} "
                            f"(epsilon-squared {best['effect_size']:.2f}, permutation "
                            f"{_p(best['p_permutation'])}, n = {int(best['n'])}).",
                    "anchor": "upgrading"}
    corr = link.correlations.dropna(subset=["r"])
    if corr.empty:
        return None
    best = corr.loc[corr["r"].abs().idxmax()]
    return {"text": f"The strongest association of a network measure with an outcome is "
                    f"{best['x'].replace('_', ' ')} with {best['y'].replace('_', ' ')} "
                    f"(Spearman r = {best['r']:.2f}, adjusted {_p(best['p_adjusted'])}).",
            "anchor": "upgrading"}


def _waves(ctx: Context) -> dict | None:
    cmp = ctx.results.get("waves")
    if cmp is None:
        return None
    before, after = ctx.results["wave_pair"]
    changed = len(cmp.changed())
    return {"text": f"Between waves {before} and {after}, {len(cmp.entered)} firms entered and "
                    f"{len(cmp.left)} left; {cmp.ties['persisted']} of the ties persisted "
                    f"(Jaccard {cmp.ties['jaccard']:.2f}) and {changed} firms present in both "
                    f"waves changed role.", "anchor": "waves"}


def _alerts(ctx: Context) -> list[str]:
    alerts = []
    s = ctx.survey
    if s.response_rate < LOW_RESPONSE:
        alerts.append(f"Only {s.response_rate:.0%} of the firms answered: roles and measures "
                      "that depend on unanswered questions are uncertain (see role stability).")
    if ctx.roles is not None:
        alerts += _on_threshold(ctx)
    link = ctx.results.get("link")
    if link is not None and link.comparisons:
        groups = next(iter(link.comparisons.values())).groups
        small = groups.index[~groups["tested"]].tolist()
        if small:
            alerts.append("Roles with fewer than two firms are left out of the upgrading tests: "
                          + ", ".join(ROLE_LABELS.get(r, str(r)) for r in small) + ".")
    return alerts


def _on_threshold(ctx: Context) -> list[str]:
    table, thresholds = ctx.roles.table, ctx.roles.thresholds
    out = []
    for axis, column in (("local", "local_score"), ("external", "external_score")):
        at = table.index[np.isclose(table[column].astype(float), thresholds[axis])].tolist()
        if at:
            out.append(f"{len(at)} firms score exactly the {axis} threshold "
                       f"({thresholds[axis]:.3g}) and count as low on it: {_names(ctx, at)}. "
                       "A small change in their answers would change their role.")
    return out


def brokerage_alert(b, with_outside: bool, external: pd.DataFrame) -> str | None:
    """Representative brokerage is 0 by construction when every outside tie is incoming."""
    if with_outside and len(external) and not (external[V.DIRECTION] == "out").any():
        return ("Every outside tie in the survey brings knowledge into a firm, so no firm can "
                "pass local knowledge to an outside actor: representative brokerage is 0 by "
                "construction and its z-score is not shown.")
    return None
