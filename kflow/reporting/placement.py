"""Text labels that never overlap: greedy placement measured with matplotlib's own renderer.

Each label is tried at a ring of offsets around its point, nearest first; a position is taken
only when the label's box (as the renderer draws it) overlaps no label already placed, no marker
and no fixed text, and stays inside the axes. A label that fits nowhere is left out and returned,
so the caption can list it: a figure never prints text on top of text.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text
from matplotlib.transforms import Bbox

__all__ = ["LABEL_GID", "label_boxes", "overlapping_pairs", "place_labels", "renderer_of"]

#: gid of every placed label, so that tests can find them.
LABEL_GID = "kflow-label"

# Offsets (points) tried around a marker: right, left, above, below, then the diagonals, near
# then farther.
_DIRECTIONS = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1)]
_ALIGN = {-1: "right", 0: "center", 1: "left"}
# Share of a label's size to the left of (below) its anchor, by direction -1, 0, 1 (+ 1).
_SHIFT = np.array([1.0, 0.5, 0.0])
_VALIGN = {-1: "top", 0: "center", 1: "bottom"}


def renderer_of(fig):
    """The renderer that measures text as the figure will be drawn."""
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    return canvas.get_renderer()


def place_labels(
    ax,
    xy: np.ndarray,
    texts: Sequence[str],
    *,
    marker_radius: Sequence[float] | float = 4.0,
    obstacles: Sequence[Bbox] = (),
    fontsize: float = 6.5,
    color: str = "#333333",
    distances: Sequence[float] = (3.0, 8.0, 14.0),
    name: str = "points",
) -> tuple[list[int], list[Bbox]]:
    """Place ``texts`` next to the points ``xy`` (data coordinates) without overlaps.

    Returns the indices of the labels that could not be placed, and the boxes taken (labels and
    markers), to pass as ``obstacles`` to a later call on the same axes.
    """
    fig = ax.figure
    renderer = renderer_of(fig)
    to_px = fig.dpi / 72.0
    display = ax.transData.transform(np.asarray(xy, dtype=float).reshape(-1, 2))
    radius = np.broadcast_to(np.asarray(marker_radius, dtype=float), (len(display),)) * to_px
    markers = [
        Bbox.from_extents(x - r, y - r, x + r, y + r)
        for (x, y), r in zip(display, radius, strict=True)
    ]
    frame = ax.get_window_extent(renderer)
    placed = _Boxes(obstacles)
    probe = Text(0, 0, "")
    probe.set_figure(fig)
    marker_boxes = _Boxes(markers)
    missing, taken = [], []
    for i in np.argsort(-np.hypot(*(display - display.mean(axis=0)).T), kind="stable"):
        box = _try_positions(ax, renderer, probe, xy[i], texts[i], radius[i] / to_px, distances,
                             fontsize, color, frame, placed, marker_boxes, i,
                             f"{LABEL_GID}-{name}-{i}")
        if box is None:
            missing.append(int(i))
        else:
            placed.add(box)
            taken.append(box)
    return sorted(missing), list(obstacles) + taken + markers


class _Boxes:
    """Boxes as an array of normalized extents (x0, y0, x1, y1), tested all at once by
    _free_all with the rule of matplotlib's ``Bbox.overlaps`` (touching edges overlap)."""

    def __init__(self, boxes: Sequence[Bbox]):
        self.extents = np.array([_normalized(b) for b in boxes], dtype=float).reshape(-1, 4)

    def add(self, box: Bbox) -> None:
        self.extents = np.vstack([self.extents, _normalized(box)])


def _normalized(box: Bbox) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = box.extents
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _try_positions(ax, renderer, probe, point, text, radius, distances, fontsize, color, frame,
                   placed, markers, own, gid):
    """The first free position around ``point``. The text is measured once; the boxes of all
    candidate positions are computed from that size and tested at once, and the first free one
    is drawn."""
    style = {"fontsize": fontsize, "color": color, "zorder": 4, "gid": gid}
    width, height = _text_size(probe, renderer, text, fontsize)
    to_px = ax.figure.dpi / 72.0
    x, y = ax.transData.transform(np.asarray(point, dtype=float).reshape(1, 2))[0]
    steps = np.repeat([radius + d for d in distances], len(_DIRECTIONS))
    dx, dy = np.tile(np.array(_DIRECTIONS, dtype=float), (len(distances), 1)).T
    x0 = (x + dx * steps * to_px) - width * _SHIFT[dx.astype(int) + 1]
    y0 = (y + dy * steps * to_px) - height * _SHIFT[dy.astype(int) + 1]
    guesses = np.column_stack([x0 - 1.0, y0 - 1.0, (x0 + width) + 1.0, (y0 + height) + 1.0])
    free = np.flatnonzero(_free_all(guesses, frame, placed, markers, own))
    if not len(free):
        return None
    c = free[0]
    ax.annotate(text, point, xytext=(dx[c] * steps[c], dy[c] * steps[c]),
                textcoords="offset points", ha=_ALIGN[int(dx[c])], va=_VALIGN[int(dy[c])],
                **style)
    # The label is drawn where its box was computed (its measured size, aligned by ha and va
    # at the offset): the drawn box equals it to the last bits, so it is not measured again.
    return Bbox.from_extents(*guesses[c])


def _free_all(boxes: np.ndarray, frame: Bbox, placed: _Boxes, markers: _Boxes,
              own: int) -> np.ndarray:
    """Which of the (c, 4) boxes (x0, y0, x1, y1) lie inside the frame (edges included) and
    overlap no placed box and no marker but the point's own."""
    fx0, fy0, fx1, fy1 = _normalized(frame)
    inside = ((boxes[:, 0] >= fx0) & (boxes[:, 2] <= fx1) & (boxes[:, 1] >= fy0)
              & (boxes[:, 3] <= fy1))
    others = np.delete(markers.extents, own, axis=0)
    for e in (placed.extents, others):
        hit = ((e[None, :, 0] <= boxes[:, None, 2]) & (boxes[:, None, 0] <= e[None, :, 2])
               & (e[None, :, 1] <= boxes[:, None, 3]) & (boxes[:, None, 1] <= e[None, :, 3]))
        inside &= ~hit.any(axis=1)
    return inside


def _text_size(probe: Text, renderer, text: str, fontsize: float) -> tuple[float, float]:
    """Width and height of the text as the figure lays it out, measured on ``probe`` (a text
    artist of the figure that is never drawn)."""
    probe.set_fontsize(fontsize)
    probe.set_text(text)
    box = probe.get_window_extent(renderer)
    return box.width, box.height


def label_boxes(fig, prefix: str = LABEL_GID) -> list[Bbox]:
    """Window boxes of the texts kflow placed (their gids start with ``prefix``)."""
    renderer = renderer_of(fig)
    found = fig.findobj(lambda a: str(a.get_gid() or "").startswith(prefix))
    return [t.get_window_extent(renderer) for t in found]


def overlapping_pairs(boxes: Sequence[Bbox]) -> list[tuple[int, int]]:
    """Index pairs of boxes that overlap (touching edges do not count)."""
    return [
        (i, j)
        for i in range(len(boxes))
        for j in range(i + 1, len(boxes))
        if boxes[i].x0 < boxes[j].x1 and boxes[j].x0 < boxes[i].x1
        and boxes[i].y0 < boxes[j].y1 and boxes[j].y0 < boxes[i].y1
    ]
