"""Arrows of the sociogram: every tie one filled arrow, drawn as one compound path and written
as one SVG ``<path>`` per tie.

matplotlib writes each arrow of a quiver through its generic per-path machinery (a style and a
colour conversion per arrow), which for a survey of 300 firms and 9,000 ties took most of the
sociogram's time. Here all arrows of a kind are built with numpy as polygons of one compound path
(one patch, one SVG element), and :func:`split_arrows` then cuts that element's path data at
each subpath, so that the page still holds one ``<path>`` per tie, in tie order, with the same
style: the interactive sociogram hides and fades ties one by one.
"""

from __future__ import annotations

import re

import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.patches import PathPatch
from matplotlib.path import Path

__all__ = [
    "HEAD_AXIS_LENGTH",
    "HEAD_LENGTH",
    "HEAD_WIDTH",
    "arrow_patch",
    "arrow_polygons",
    "split_arrows",
]

#: Head length (tip to the wings), length along the axis (tip to where the shaft meets the
#: head) and full head width, in shaft widths (matplotlib's quiver defaults).
HEAD_LENGTH = 5.5
HEAD_AXIS_LENGTH = 4.5
HEAD_WIDTH = 4.5

_CODES = [Path.MOVETO] + [Path.LINETO] * 6 + [Path.CLOSEPOLY]


def arrow_polygons(starts: np.ndarray, ends: np.ndarray, width: float) -> np.ndarray:
    """(m, 8, 2) closed polygons of arrows from ``starts`` to ``ends`` (data coordinates, equal
    aspect): a shaft ``width`` wide and a head whose tip is the end point (HEAD_LENGTH,
    HEAD_AXIS_LENGTH and HEAD_WIDTH shaft widths). The head of an arrow shorter than it shrinks
    to the arrow's length, the shaft then vanishing."""
    a = np.asarray(starts, dtype=float).reshape(-1, 2)
    b = np.asarray(ends, dtype=float).reshape(-1, 2)
    d = b - a
    length = np.hypot(d[:, 0], d[:, 1])[:, None]
    u = d / np.where(length > 0, length, 1.0)
    normal = np.column_stack([-u[:, 1], u[:, 0]])
    shrink = np.minimum(1.0, length / (HEAD_LENGTH * width))
    neck = b - HEAD_AXIS_LENGTH * width * shrink * u
    back = b - HEAD_LENGTH * width * shrink * u
    shaft, wing = width / 2 * normal, HEAD_WIDTH * width / 2 * shrink * normal
    return np.stack(
        [a + shaft, neck + shaft, back + wing, b, back - wing, neck - shaft, a - shaft, a + shaft],
        axis=1,
    )


def arrow_patch(
    starts: np.ndarray, ends: np.ndarray, width: float, *, color: str, alpha: float, gid: str
) -> PathPatch:
    """One patch holding every arrow as a closed subpath, in the order given. The transparency
    is the fill's (SVG ``fill-opacity``), so that a tie's own ``opacity`` stays free for the
    interactive sociogram."""
    polygons = arrow_polygons(starts, ends, width)
    path = Path(polygons.reshape(-1, 2), np.tile(_CODES, len(polygons)))
    patch = PathPatch(path, facecolor=to_rgba(color, alpha), edgecolor="none", gid=gid, zorder=1)
    # Inside the axes by construction; measuring the extent of thousands of subpaths for the
    # figure's bounding box would cost more than drawing them.
    patch.set_in_layout(False)
    return patch


def split_arrows(svg: str, gid: str) -> str:
    """The SVG text with the compound path of group ``gid`` written as one ``<path>`` per
    subpath (same attributes, same order)."""
    group = re.search(rf'(<g id="{re.escape(gid)}">\s*)<path d="([^"]*)"([^>]*)/>', svg)
    if group is None:
        return svg
    indent = group.group(1)[len(f'<g id="{gid}">') :]
    attributes = group.group(3)
    parts = [p for p in group.group(2).split("M ") if p.strip()]
    paths = indent.join(f'<path d="M {p.strip()}"{attributes}/>' for p in parts)
    return svg[: group.start()] + group.group(1) + paths + svg[group.end() :]
