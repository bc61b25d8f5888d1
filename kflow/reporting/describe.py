"""Text and data the report's sections describe themselves with: file names, role definitions
in words, the reproducibility box, the report date and the interactive sociogram's data."""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone

import numpy as np
import pandas as pd

from kflow import vocabulary as V
from kflow._version import __version__
from kflow.reporting.labels import value_label
from kflow.reporting.model import Context, file_name
from kflow.survey import Survey

__all__ = ["report_date", "reproducibility", "role_definitions", "sociogram_data", "ties_files"]


def ties_files(survey: Survey) -> str:
    sources = survey.meta.get("sources", {})
    names = [file_name(v) for k, v in sources.items() if k == "ties" or k.startswith("ties ")]
    return ", ".join(names) or "DataFrame"


def _rule_words(rule, value: float, axis: str) -> str:
    if rule == "mean":
        where = "the cluster mean"
    elif rule == "median":
        where = "the cluster median"
    elif isinstance(rule, tuple):
        where = f"the {rule[1]:.0%} quantile of the cluster"
    else:
        where = "the chosen value"
    return f"{where} of {value:.3g} {axis}"


def role_definitions(roles) -> list[tuple[str, str]]:
    """One sentence per role, with the thresholds in words."""
    rule = roles.rule
    local = _rule_words(rule["local"], roles.thresholds["local"], f"on {roles.local}")
    ext = _rule_words(rule["external"], roles.thresholds["external"], f"on {roles.external}")
    return [
        (V.GATEKEEPER, f"above {local} and above {ext}: well connected locally and to outside "
                       "sources, able to bring knowledge in and pass it on."),
        (V.EXTERNAL_STAR, f"above {ext} but not above {local}: connected outside, hardly "
                          "inside the cluster."),
        (V.MUTUAL_EXCHANGER, f"above {local} but not above {ext}: exchanges knowledge "
                             "locally, little from outside."),
        (V.ISOLATED, "above neither threshold: scarcely connected either way."),
    ]


def sociogram_data(ctx: Context, roles: pd.Series, order: list[str],
                   survey: Survey | None = None) -> dict:
    """What the interactive sociogram needs, in the order the figure draws nodes and ties (of
    ``survey``, the firms drawn; default the report's). The JSON is escaped so that no input
    string can close the script element."""
    survey = ctx.survey if survey is None else survey
    firms = order
    layer = survey.layer()
    out_deg = layer[V.SOURCE].value_counts().reindex(firms, fill_value=0)
    in_deg = layer[V.TARGET].value_counts().reindex(firms, fill_value=0)
    keys = [None if pd.isna(roles.get(f)) else roles.get(f) for f in firms]
    nodes = [
        {
            "label": ctx.label.get(f, f),
            "role": key or "unclassified",
            "roleLabel": value_label(key or "unclassified"),
            "out": int(out_deg[f]),
            "in": int(in_deg[f]),
            "respondent": bool(r),
        }
        for f, key, r in zip(firms, keys, survey.firms[V.RESPONDENT].reindex(firms), strict=True)
    ]
    where = pd.Index(firms)
    ties = np.column_stack(
        [where.get_indexer(layer[V.SOURCE]), where.get_indexer(layer[V.TARGET])]
    ).tolist()
    present = [r for r in (*V.ROLES, "unclassified") if any(n["role"] == r for n in nodes)]
    text = json.dumps({"firms": nodes, "ties": ties, "roles": present}, ensure_ascii=True,
                      sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return {"data": text, "roles": [(r, value_label(r)) for r in present],
            "actors": bool(len(survey.external))}


def report_date() -> str:
    """The report's date: from SOURCE_DATE_EPOCH when set (reproducible builds), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = (
        datetime.fromtimestamp(int(epoch), tz=timezone.utc)
        if epoch and epoch.strip().isdigit()
        else datetime.now(tz=timezone.utc)
    )
    return when.strftime("%Y-%m-%d")


def reproducibility(ctx: Context) -> list[tuple[str, str]]:
    """Everything needed to compute the same report again."""
    o, s = ctx.options, ctx.survey
    rows = [
        ("kflow version", __version__),
        ("Data", "withheld (anonymized report)" if o.anonymize
         else s.meta.get("dataset") or ties_files(s)),
        ("Relation, wave", f"{s.relations[0]}, {s.waves[0] if s.waves else 'single wave'}"),
        ("Orientation read", str(s.meta.get("orientation", ""))),
        ("Missing answers", str(s.meta.get("missing", "nan"))),
        ("Local axis", o.local),
        ("External axis", o.external),
        ("Threshold rule", str(o.threshold)),
    ]
    if ctx.roles is not None:
        t = ctx.roles.thresholds
        rows.append(("Thresholds", f"local {t['local']:.4g}, external {t['external']:.4g}"))
    rows += [
        ("Seed", str(o.seed)),
        ("Resamples (role stability)", str(o.n_resamples)),
        ("Permutations (tests)", str(o.n_permutations)),
        ("Anonymized", "yes" if o.anonymize else "no"),
    ]
    return rows
