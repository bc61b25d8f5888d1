"""Gould-Fernandez brokerage counts as Ibis expressions (see :func:`kflow.scale.brokerage_counts`).

All two-paths a -> b -> c (a != c) of each role follow from the group histograms of b's
in-neighbours I[b, g], out-neighbours O[b, g] and reciprocal neighbours R[b, g] (the formulas
of :mod:`kflow.roles.sparse_brokerage`); the closed ones (a -> c exists) are found by joining
each two-path with the tie a -> c. Counts = all - closed.
"""

from __future__ import annotations

import ibis
import pandas as pd

from kflow import vocabulary as V
from kflow.scale.engine import run

__all__ = ["broker_counts"]


def _grouped_edges(flow, g):
    e = flow.select("src", "dst")
    gs = g.select(s_firm=g.firm, gs=g.grp)
    gd = g.select(d_firm=g.firm, gd=g.grp)
    joined = e.join(gs, e.src == gs.s_firm).join(gd, e.dst == gd.d_firm)
    return joined.select("src", "dst", "gs", "gd")


def _histograms(E, g):
    """Per broker b and group: in-neighbours i, out-neighbours o, reciprocal neighbours r."""
    back = E.select(b_src=E.src, b_dst=E.dst)
    recip = E.join(back, (E.src == back.b_dst) & (E.dst == back.b_src))
    parts = [
        E.group_by(b=E.dst, g=E.gs).aggregate(i=E.src.count()),
        E.group_by(b=E.src, g=E.gd).aggregate(o=E.dst.count()),
        recip.group_by(b=recip.dst, g=recip.gs).aggregate(r=recip.src.count()),
    ]
    zero = ibis.literal(0, type="int64")
    long = parts[0].select("b", "g", "i", o=zero, r=zero).union(
        parts[1].select("b", "g", i=zero, o=parts[1].o, r=zero),
        parts[2].select("b", "g", i=zero, o=zero, r=parts[2].r),
        distinct=False,
    )
    T = long.group_by(["b", "g"]).aggregate(i=long.i.sum(), o=long.o.sum(), r=long.r.sum())
    own = g.select(own_firm=g.firm, own=g.grp)
    T = T.join(own, T.b == own.own_firm)
    same = T.g == T.own
    zero_f = ibis.literal(0, type="int64")
    return T.group_by("b").aggregate(
        in_all=T.i.sum(), out_all=T.o.sum(), r_all=T.r.sum(),
        in_same=ibis.ifelse(same, T.i, zero_f).sum(),
        out_same=ibis.ifelse(same, T.o, zero_f).sum(),
        r_same=ibis.ifelse(same, T.r, zero_f).sum(),
        io_all=(T.i * T.o).sum(),
    )


def _closed(E):
    """Per broker: closed two-paths a -> b -> c (with a -> c) of each role."""
    first = E.select(a=E.src, b=E.dst, ga=E.gs, gb=E.gd)
    second = E.select(b2=E.src, c=E.dst, gc=E.gd)
    paths = first.join(second, first.b == second.b2)
    paths = paths.filter(paths.a != paths.c)
    direct = E.select(x=E.src, y=E.dst)
    closed = paths.join(direct, (paths.a == direct.x) & (paths.c == direct.y))
    ga, gb, gc = closed.ga, closed.gb, closed.gc
    one = ibis.literal(1, type="int64")
    none = ibis.literal(0, type="int64")

    def count(condition):
        return ibis.ifelse(condition, one, none).sum()

    return closed.group_by("b").aggregate(
        c_coordinator=count((ga == gb) & (gc == gb)),
        c_itinerant=count((ga == gc) & (ga != gb)),
        c_representative=count((ga == gb) & (gc != gb)),
        c_gatekeeper=count((ga != gb) & (gc == gb)),
        c_liaison=count((ga != gb) & (gc != gb) & (ga != gc)),
        c_total=closed.a.count(),
    )


def broker_counts(con, flow, g) -> pd.DataFrame:
    """Raw brokerage counts per node (columns of ``BROKERAGE_ROLES``), indexed as the
    ``firm`` column of ``g`` (kflow.scale passes integer codes)."""
    E = _grouped_edges(flow, g)
    h = run(con, _histograms(E, g)).set_index("b")
    c = run(con, _closed(E)).set_index("b").reindex(h.index).fillna(0)
    in_other = h["in_all"] - h["in_same"]
    out_other = h["out_all"] - h["out_same"]
    io_other = h["io_all"] - h["in_same"] * h["out_same"]
    out = pd.DataFrame(index=h.index)
    values = {
        "coordinator": h["in_same"] * h["out_same"] - h["r_same"],
        "itinerant": io_other - (h["r_all"] - h["r_same"]),
        "representative": h["in_same"] * out_other,
        "gatekeeper": in_other * h["out_same"],
        "liaison": in_other * out_other - io_other,
        "total": h["in_all"] * h["out_all"] - h["r_all"],
    }
    for role in V.BROKERAGE_ROLES:
        out[role] = (values[role] - c[f"c_{role}"]).to_numpy(dtype=float)
    return out
