"""Figures of the report, drawn with matplotlib in isolation and returned as SVG text.

They use matplotlib's object API (no pyplot state) and :mod:`kflow._plotting` for deterministic
SVG. Each ``*_figure`` function returns the Figure and a caption; the caption says what the
figure could not show (labels that did not fit, firms at the same point). Labels are placed by
:mod:`kflow.reporting.placement`, so no two texts overlap.
"""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from kflow import vocabulary as V
from kflow._plotting import RC, svg_text
from kflow.reporting.arrows import arrow_patch, split_arrows
from kflow.reporting.labels import ROLE_LABELS
from kflow.reporting.placement import LABEL_GID, place_labels, renderer_of

COLORS = {
    V.GATEKEEPER: "#c0392b",
    V.EXTERNAL_STAR: "#e67e22",
    V.MUTUAL_EXCHANGER: "#2874a6",
    V.ISOLATED: "#7f8c8d",
    None: "#aab7b8",
}
QUADRANTS = {
    (True, True): V.GATEKEEPER,
    (False, True): V.EXTERNAL_STAR,
    (True, False): V.MUTUAL_EXCHANGER,
    (False, False): V.ISOLATED,
}
# Above this many firms the sociogram draws no firm labels (the table lists the firms).
MAX_LABELS = 120


def _role_text(role) -> str:
    return "unclassified" if role is None else ROLE_LABELS.get(role, str(role))


# A marker grows with the firms at its point up to this many; the caption lists the firms of at
# most SHARED_POINTS shared points, twelve names each (a large network has thousands).
MARKER_FIRMS = 40
SHARED_POINTS = 20


def _listed(names: list[str], limit: int = 12) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def quadrant_figure(
    table: pd.DataFrame, thresholds: dict, label: dict, local: str, external: str
) -> tuple[Figure, str]:
    """Local connectivity against external openness: the four roles as named quadrants,
    threshold lines with their values, one marker per distinct point (firms at the same point
    share it, with a count) and labels that do not overlap."""
    data = table.dropna(subset=["local_score", "external_score"])
    groups = data.groupby(["local_score", "external_score"], sort=True)
    points = [(key, sorted(part.index, key=lambda f: label.get(f, f))) for key, part in groups]
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(8.0, 5.8))
        ax = fig.subplots()
        # One marker per point, growing with the firms it stands for (up to MARKER_FIRMS).
        counts = np.array([min(len(firms), MARKER_FIRMS) for _, firms in points])
        roles = data["role"].to_dict()
        ax.scatter([x for (x, _), _ in points], [y for (_, y), _ in points],
                   s=30 + 14 * (counts - 1),
                   color=[COLORS.get(roles[firms[0]], "#aab7b8") for _, firms in points],
                   zorder=3, edgecolor="white", linewidth=0.6, gid="kflow-points")
        _pad_limits(ax, data["local_score"], data["external_score"])
        t_local, t_ext = thresholds["local"], thresholds["external"]
        ax.axvline(t_local, color="#555555", linestyle="--", linewidth=0.8)
        ax.axhline(t_ext, color="#555555", linestyle="--", linewidth=0.8)
        fixed = _quadrant_names(ax) + _threshold_labels(ax, t_local, t_ext)
        renderer = renderer_of(fig)
        obstacles = [t.get_window_extent(renderer).padded(2) for t in fixed]
        texts = [_point_text([label.get(f, f) for f in firms]) for _, firms in points]
        xy = np.array([key for key, _ in points], dtype=float)
        sizes = [2.5 + 0.9 * np.sqrt(min(len(firms), MARKER_FIRMS)) for _, firms in points]
        missing, _ = place_labels(ax, xy, texts, marker_radius=sizes, obstacles=obstacles,
                                  name="quadrant")
        ax.set_xlabel(f"local connectivity ({local})")
        ax.set_ylabel(f"external openness ({external})")
        notes = []
        shared = [firms for _, firms in points if len(firms) > 1]
        if shared:
            groups = [_listed([label.get(f, f) for f in firms]) for firms in shared]
            more = (f"; and {len(groups) - SHARED_POINTS} more shared points (every firm is in "
                    "the roles table)" if len(groups) > SHARED_POINTS else "")
            notes.append("Firms at the same point share one larger marker, labelled with their "
                         "number: " + "; ".join(groups[:SHARED_POINTS]) + more + ".")
        if missing:
            names = [label.get(f, f) for i in missing for f in points[i][1]]
            notes.append(f"Labels left out for lack of room: {_listed(names)} (see the table).")
        return fig, " ".join(notes)


def _point_text(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    if len(names) <= 3:
        return ", ".join(names)
    return f"{names[0]} +{len(names) - 1}"


def _pad_limits(ax, xs: pd.Series, ys: pd.Series) -> None:
    for values, setter in ((xs, ax.set_xlim), (ys, ax.set_ylim)):
        lo, hi = float(values.min()), float(values.max())
        span = hi - lo or 1.0
        setter(lo - 0.12 * span, hi + 0.12 * span)


def _quadrant_names(ax) -> list:
    corners = {(True, True): (0.99, 0.99, "right", "top"),
               (False, True): (0.01, 0.99, "left", "top"),
               (True, False): (0.99, 0.01, "right", "bottom"),
               (False, False): (0.01, 0.01, "left", "bottom")}
    return [
        ax.text(x, y, _role_text(QUADRANTS[key]) + "s", transform=ax.transAxes, ha=ha, va=va,
                fontsize=8, color=COLORS[QUADRANTS[key]], alpha=0.85, fontweight="bold",
                gid=f"{LABEL_GID}-quadrant-name-{k}", zorder=2)
        for k, (key, (x, y, ha, va)) in enumerate(corners.items())
    ]


def _threshold_labels(ax, t_local: float, t_ext: float) -> list:
    return [
        ax.annotate(f"threshold {t_local:.3g}", (t_local, 1.0), xycoords=("data", "axes fraction"),
                    xytext=(0, 3), textcoords="offset points", ha="center", va="bottom",
                    fontsize=7, color="#555555", gid=f"{LABEL_GID}-threshold-local"),
        ax.annotate(f"threshold {t_ext:.3g}", (1.0, t_ext), xycoords=("axes fraction", "data"),
                    xytext=(3, 0), textcoords="offset points", ha="left", va="center",
                    fontsize=7, color="#555555", gid=f"{LABEL_GID}-threshold-external"),
    ]


def quadrant_plot(table, thresholds, label, local, external) -> tuple[str, str]:
    fig, caption = quadrant_figure(table, thresholds, label, local, external)
    return svg_text(fig), caption


def network_layout(survey, seed: int = 0, order: list[str] | None = None
                   ) -> dict[str, tuple[float, float]]:
    """Firms placed by igraph's Kamada-Kawai layout of the undirected knowledge network (from a
    circle, so the same data give the same picture), scaled into the unit disk; outside actors on
    a ring around it, each at the mean angle of the firms it is tied to."""
    firms = survey.firm_ids
    n = len(firms)
    G = survey.to_igraph().as_undirected(mode="collapse")
    # The starting circle follows ``order`` (the pseudonyms, when anonymized), so that the
    # picture does not follow the order of the firm ids.
    rank = {f: k for k, f in enumerate(order or firms)}
    start = [[np.cos(2 * np.pi * rank[f] / max(n, 1) + seed),
              np.sin(2 * np.pi * rank[f] / max(n, 1) + seed)] for f in firms]
    coords = np.array(G.layout_kamada_kawai(seed=start).coords, dtype=float) if n > 1 else (
        np.zeros((n, 2)))
    coords -= coords.mean(axis=0) if n else 0
    scale = np.abs(coords).max() if n and np.abs(coords).max() > 0 else 1.0
    coords = 0.68 * coords / scale
    pos = {f: (float(x), float(y)) for f, (x, y) in zip(firms, coords, strict=True)}
    ext = survey.external
    if len(ext):
        angles = {}
        for actor, part in ext.groupby(V.ACTOR, sort=True):
            vec = np.array([pos[f] for f in part[V.FIRM_ID]]).mean(axis=0)
            angles[actor] = float(np.arctan2(vec[1], vec[0]))
        order = sorted(angles, key=lambda a: (angles[a], a))
        step = 2 * np.pi / len(order)
        base = angles[order[0]]
        for k, actor in enumerate(order):
            t = base + k * step
            pos[actor] = (float(np.cos(t)), float(np.sin(t)))
    return pos


def sociogram_figure(survey, roles: pd.Series, label: dict, *, seed: int = 0,
                     order: list[str] | None = None, actor_label: dict | None = None
                     ) -> tuple[Figure, str]:
    """The knowledge network: firms by a force-directed layout, sized by degree, coloured by
    role, hollow when they did not answer; outside actors on an outer ring; arrows along the
    flow of knowledge."""
    pos = network_layout(survey, seed, order)
    firms = list(order or survey.firm_ids)
    actor_label = actor_label or {}
    layer = survey.layer()
    degree = (layer[V.SOURCE].value_counts().reindex(firms, fill_value=0)
              + layer[V.TARGET].value_counts().reindex(firms, fill_value=0)).to_numpy()
    size = 24 + 10 * np.sqrt(degree)
    respondent = survey.firms[V.RESPONDENT].reindex(firms).to_numpy(dtype=bool)
    role_of = [None if pd.isna(roles.get(f)) else roles.get(f) for f in firms]
    actors = [a for a in pos if a not in set(firms)]
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(9.0, 9.0))
        ax = fig.subplots()
        ax.set_aspect("equal")
        ax.axis("off")
        # Room for the ring of outside actors only when there are some (outside links
        # recorded as counts have none): the firms fill the picture otherwise.
        lim = 1.45 if actors else 0.85
        ax.set_xlim(-lim, lim)
        ax.set_ylim(-lim, lim)
        _arrows(ax, [pos[f] for f in layer[V.SOURCE]], [pos[f] for f in layer[V.TARGET]],
                color="#5d6d7e", alpha=0.45, width=0.0022)
        ext = survey.external
        if len(ext):
            inflow = (ext[V.DIRECTION] == "in").to_numpy()
            a_pos = [pos[a] for a in ext[V.ACTOR]]
            f_pos = [pos[f] for f in ext[V.FIRM_ID]]
            _arrows(ax, [a if i else f for a, f, i in zip(a_pos, f_pos, inflow, strict=True)],
                    [f if i else a for a, f, i in zip(a_pos, f_pos, inflow, strict=True)],
                    color="#b7950b", alpha=0.35, width=0.0018, gid="kflow-outside-ties")
        xy = np.array([pos[f] for f in firms]).reshape(-1, 2)
        colors = [COLORS.get(r, COLORS[None]) for r in role_of]
        ax.scatter(xy[:, 0], xy[:, 1], s=size, c=np.where(respondent, colors, "white"),
                   edgecolors=colors, linewidths=np.where(respondent, 0.6, 1.6), zorder=3,
                   gid="kflow-firms")
        axy = np.array([pos[a] for a in actors]).reshape(-1, 2)
        if len(actors):
            ax.scatter(axy[:, 0], axy[:, 1], s=36, marker="s", color="#f4d03f",
                       edgecolor="#7d6608", zorder=3, gid="kflow-actors")
        missing_firms, missing_actors, taken = [], [], []
        if len(firms) <= MAX_LABELS:
            radius = np.sqrt(size) / 2 + 1
            missing_firms, taken = place_labels(ax, xy, [label.get(f, f) for f in firms],
                                                marker_radius=radius, fontsize=6.5,
                                                name="sociogram")
        if actors:
            missing_actors, _ = place_labels(ax, axy, [actor_label.get(a, a) for a in actors],
                                             marker_radius=3.5, fontsize=6,
                                             color="#7d6608", name="sociogram-actor",
                                             obstacles=taken)
        _sociogram_legend(ax, respondent, bool(actors))
        notes = []
        if len(firms) > MAX_LABELS:
            notes.append(f"{len(firms)} firms: labels are left out (the tables list the firms).")
        left_out = [label.get(firms[i], firms[i]) for i in missing_firms]
        left_out += [actor_label.get(actors[i], actors[i]) for i in missing_actors]
        if left_out:
            notes.append(f"Labels left out for lack of room: {_listed(left_out)}.")
        return fig, " ".join(notes)


def _sociogram_legend(ax, respondent: np.ndarray, actors: bool) -> None:
    handles = [Line2D([], [], marker="o", linestyle="", color=COLORS[r], label=_role_text(r))
               for r in V.ROLES]
    handles.append(Line2D([], [], marker="o", linestyle="", color=COLORS[None],
                          label="unclassified"))
    if not respondent.all():
        handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor="white",
                              markeredgecolor="#5d6d7e", label="did not answer (hollow)"))
    if actors:
        handles.append(Line2D([], [], marker="s", linestyle="", color="#f4d03f",
                              label="outside actor"))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=3,
              frameon=False, fontsize=8)


def sociogram(survey, roles: pd.Series, label: dict, *, seed: int = 0,
              order: list[str] | None = None, actor_label: dict | None = None
              ) -> tuple[str, str]:
    fig, caption = sociogram_figure(survey, roles, label, seed=seed, order=order,
                                    actor_label=actor_label)
    svg = split_arrows(split_arrows(svg_text(fig), "kflow-ties"), "kflow-outside-ties")
    return svg, caption


def _arrows(ax, starts, ends, *, color: str, alpha: float, width: float,
            gid: str = "kflow-ties") -> None:
    """All arrows of a kind as one compound path (split into one SVG path per tie when the
    figure is written, see kflow.reporting.arrows), stopped short of the nodes so that heads
    stay visible. ``width`` is the shaft's, as a share of the axes' width."""
    if not starts:
        return
    a = np.asarray(starts, dtype=float)
    b = np.asarray(ends, dtype=float)
    d = b - a
    length = np.hypot(d[:, 0], d[:, 1])[:, None]
    gap = np.minimum(0.035, 0.3 * length) / np.where(length > 0, length, 1.0)
    x0, x1 = ax.get_xlim()
    # add_artist, not add_patch: the limits are set, and updating them from every subpath
    # would walk the path in Python.
    ax.add_artist(arrow_patch(a + gap * d, b - gap * d, width * (x1 - x0), color=color,
                              alpha=alpha, gid=gid))


def outcomes_figure(data: pd.DataFrame, outcomes: list[str], *, seed: int = 0) -> Figure:
    """One panel per outcome: a box per role with the firms as points (seeded jitter) and the
    number of firms under each box."""
    rng = np.random.default_rng(seed)
    roles = [r for r in V.ROLES if (data["role"] == r).any()]
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(8.0, 2.4 * len(outcomes) + 0.4))
        axes = np.atleast_1d(fig.subplots(len(outcomes), 1, sharex=True))
        for ax, outcome in zip(axes, outcomes, strict=True):
            values = [data.loc[data["role"] == r, outcome].dropna().to_numpy() for r in roles]
            ax.boxplot(values, positions=range(len(roles)), widths=0.5, showfliers=False)
            # Plain markers (one definition, placed at every firm) rather than a scatter
            # collection, which would write a style per firm.
            for i, (r, v) in enumerate(zip(roles, values, strict=True)):
                ax.plot(i + rng.uniform(-0.12, 0.12, len(v)), v, linestyle="none", marker="o",
                        markersize=5.2, markeredgewidth=0, color=COLORS[r], zorder=3,
                        alpha=0.85)
            ax.set_ylabel(outcome.replace("_", " "))
        labels = [f"{_role_text(r)}\n(n = {int((data['role'] == r).sum())})" for r in roles]
        axes[-1].set_xticks(range(len(roles)), labels)
        fig.suptitle("Upgrading by cognitive role", fontsize=10)
        return fig


def outcome_by_role(data: pd.DataFrame, outcomes: list[str], *, seed: int = 0) -> str:
    return svg_text(outcomes_figure(data, outcomes, seed=seed))


def transitions_figure(transitions: pd.DataFrame, before: str, after: str) -> Figure:
    """The role transition matrix as a grid of counts (rows: earlier wave)."""
    counts = transitions.to_numpy(dtype=float)
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(6.4, 4.6))
        ax = fig.subplots()
        ax.imshow(counts, cmap="Blues", vmin=0, vmax=max(counts.max(), 1))
        names = [_role_text(r) for r in transitions.index]
        ax.set_xticks(range(len(names)), [_role_text(r) for r in transitions.columns],
                      rotation=20, ha="right")
        ax.set_yticks(range(len(names)), names)
        for (i, j), value in np.ndenumerate(counts):
            dark = value > 0.6 * counts.max()
            ax.text(j, i, f"{int(value)}", ha="center", va="center", fontsize=9,
                    color="white" if dark else "#222222")
        ax.set_xlabel(f"role in wave {after}")
        ax.set_ylabel(f"role in wave {before}")
        return fig


def transitions_plot(transitions: pd.DataFrame, before: str, after: str) -> str:
    return svg_text(transitions_figure(transitions, before, after))
