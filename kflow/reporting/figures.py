"""Figures of the report, drawn with matplotlib in isolation and returned as SVG text.

They use matplotlib's object API (no pyplot state). SVG output is made deterministic: a fixed
hash salt for element ids, no date in the metadata, text kept as text (so that it can be
searched and is escaped by matplotlib's SVG writer).
"""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from kflow import vocabulary as V
from kflow._plotting import RC, svg_text

COLORS = {
    V.GATEKEEPER: "#c0392b",
    V.EXTERNAL_STAR: "#e67e22",
    V.MUTUAL_EXCHANGER: "#2874a6",
    V.ISOLATED: "#7f8c8d",
    None: "#d5d8dc",
}
# Above this many firms the sociogram leaves firm labels out (the quadrant plot keeps them).
MAX_LABELS = 80
def _label(role) -> str:
    return "unclassified" if role is None else str(role).replace("_", " ")


def quadrant_plot(
    table: pd.DataFrame, thresholds: dict, label: dict, local: str, external: str
) -> str:
    """Local connectivity against external openness, threshold lines, firm labels."""
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(7.5, 5.5))
        ax = fig.subplots()
        for role in (*V.ROLES, None):
            part = table[table["role"].isna()] if role is None else table[table["role"] == role]
            if len(part):
                ax.scatter(
                    part["local_score"],
                    part["external_score"],
                    s=36,
                    color=COLORS[role],
                    label=_label(role),
                    zorder=3,
                    edgecolor="white",
                    linewidth=0.5,
                )
        for firm, row in table.dropna(subset=["local_score", "external_score"]).iterrows():
            ax.annotate(
                label.get(firm, firm),
                (row["local_score"], row["external_score"]),
                xytext=(3, 3),
                textcoords="offset points",
                fontsize=6.5,
                color="#333333",
            )
        ax.axvline(thresholds["local"], color="#555555", linestyle="--", linewidth=0.8)
        ax.axhline(thresholds["external"], color="#555555", linestyle="--", linewidth=0.8)
        ax.set_xlabel(f"local connectivity ({local})")
        ax.set_ylabel(f"external openness ({external})")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        ax.set_title("Cognitive roles: high = strictly above the dashed threshold")
        return svg_text(fig)


def sociogram(survey, roles: pd.Series, label: dict, *, seed: int = 0) -> str:
    """Firms on an inner circle grouped by role, outside actors on an outer ring; arrows point
    along knowledge flow. The layout is fixed by the data (no random placement). Firm labels are
    drawn for up to MAX_LABELS firms."""
    order_roles = {r: i for i, r in enumerate((*V.ROLES, None))}
    firms = sorted(
        survey.firm_ids, key=lambda f: (order_roles.get(roles.get(f), 4), V.natural_key(f))
    )
    n = len(firms)
    angle = np.linspace(0, 2 * np.pi, n, endpoint=False)
    pos = {f: (0.62 * np.cos(a), 0.62 * np.sin(a)) for f, a in zip(firms, angle, strict=True)}
    actors = V.sorted_ids(survey.external[V.ACTOR]) if len(survey.external) else []
    if actors:
        a_angle = np.linspace(0, 2 * np.pi, len(actors), endpoint=False) + np.pi / max(
            len(actors), 1
        )
        pos.update(
            {a: (1.0 * np.cos(t), 1.0 * np.sin(t)) for a, t in zip(actors, a_angle, strict=True)}
        )
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(7.5, 7.5))
        ax = fig.subplots()
        ax.set_aspect("equal")
        ax.axis("off")
        layer = survey.layer()
        _arrows(
            ax,
            [pos[f] for f in layer[V.SOURCE]],
            [pos[f] for f in layer[V.TARGET]],
            color="#5d6d7e",
            alpha=0.5,
            width=0.0025,
        )
        ext = survey.external
        if len(ext):
            inflow = (ext[V.DIRECTION] == "in").to_numpy()
            a_pos = [pos[a] for a in ext[V.ACTOR]]
            f_pos = [pos[f] for f in ext[V.FIRM_ID]]
            starts = [a if i else f for a, f, i in zip(a_pos, f_pos, inflow, strict=True)]
            ends = [f if i else a for a, f, i in zip(a_pos, f_pos, inflow, strict=True)]
            _arrows(ax, starts, ends, color="#b7950b", alpha=0.45, width=0.002)
        role_of = [None if pd.isna(roles.get(f)) else roles.get(f) for f in firms]
        xy = np.array([pos[f] for f in firms])
        ax.scatter(
            xy[:, 0], xy[:, 1], s=60, c=[COLORS[r] for r in role_of], zorder=3, edgecolor="white"
        )
        if n <= MAX_LABELS:
            for f, (x, y) in zip(firms, xy, strict=True):
                ax.text(x * 1.07, y * 1.07, label.get(f, f), fontsize=6, ha="center", va="center")
        if actors:
            axy = np.array([pos[a] for a in actors])
            ax.scatter(
                axy[:, 0],
                axy[:, 1],
                s=40,
                marker="s",
                color="#f4d03f",
                zorder=3,
                edgecolor="#7d6608",
            )
            for a, (x, y) in zip(actors, axy, strict=True):
                ax.text(
                    x * 1.1, y * 1.1, a, fontsize=5.5, ha="center", va="center", color="#7d6608"
                )
        handles = [
            Line2D([], [], marker="o", linestyle="", color=COLORS[r], label=_label(r))
            for r in V.ROLES
        ]
        handles.append(
            Line2D([], [], marker="s", linestyle="", color="#f4d03f", label="outside actor")
        )
        ax.legend(
            handles=handles, loc="lower center", bbox_to_anchor=(0.5, -0.08), ncol=3, frameon=False
        )
        ax.set_xlim(-1.35, 1.35)
        ax.set_ylim(-1.35, 1.35)
        return svg_text(fig)


def _arrows(ax, starts, ends, *, color: str, alpha: float, width: float) -> None:
    """All arrows of a kind as one quiver (one SVG path collection), stopped short of the
    nodes so that heads stay visible."""
    if not starts:
        return
    a = np.asarray(starts, dtype=float)
    b = np.asarray(ends, dtype=float)
    d = b - a
    a = a + 0.06 * d
    d = 0.86 * d
    ax.quiver(
        a[:, 0],
        a[:, 1],
        d[:, 0],
        d[:, 1],
        angles="xy",
        scale_units="xy",
        scale=1,
        color=color,
        alpha=alpha,
        width=width,
        headwidth=5,
        headlength=6,
        zorder=1,
    )


def outcome_by_role(data: pd.DataFrame, outcome: str, *, seed: int = 0) -> str:
    """Box plot with the firms as points (seeded horizontal jitter), one box per role."""
    rng = np.random.default_rng(seed)
    roles = [r for r in V.ROLES if (data["role"] == r).any()]
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(7.0, 4.0))
        ax = fig.subplots()
        values = [data.loc[data["role"] == r, outcome].dropna().to_numpy() for r in roles]
        ax.boxplot(values, positions=range(len(roles)), widths=0.5, showfliers=False)
        for i, (r, v) in enumerate(zip(roles, values, strict=True)):
            ax.scatter(
                i + rng.uniform(-0.12, 0.12, len(v)), v, s=16, color=COLORS[r], zorder=3, alpha=0.85
            )
        ax.set_xticks(range(len(roles)), [_label(r) for r in roles])
        ax.set_ylabel(outcome.replace("_", " "))
        ax.set_title(f"{outcome.replace('_', ' ')} by cognitive role")
        return svg_text(fig)
