"""Deterministic SVG output for every kflow figure (the report's and the meso level's).

Figures are drawn with matplotlib's object API (no pyplot state) inside ``rc_context(RC)``, and
turned into SVG text by :func:`svg_text`: a fixed hash salt for element ids, no date in the
metadata, text kept as text (searchable, and escaped by matplotlib's SVG writer).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["RC", "svg_text"]

RC = {
    "svg.hashsalt": "kflow",
    "svg.fonttype": "none",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def svg_text(fig: Figure) -> str:
    """The figure as SVG text without the XML prolog, ready to inline in HTML.

    The page is cut to the drawn content plus ``savefig.pad_inches``, measured once with the Agg
    renderer (which the label placement has already used, so its text sizes are cached), instead
    of matplotlib's ``bbox_inches="tight"``, which draws the whole figure an extra time.
    """
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    buf = io.StringIO()
    # The hash salt is read when the figure is saved: the ids of the SVG elements depend on it.
    with matplotlib.rc_context(RC):
        canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
        pad = matplotlib.rcParams["savefig.pad_inches"]
        box = fig.get_tightbbox(canvas.get_renderer()).padded(pad)
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": "kflow"}, bbox_inches=box)
    text = buf.getvalue()
    return text[text.index("<svg") :]
