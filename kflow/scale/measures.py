"""Degrees, strengths, external openness, cognitive roles and brokerage counts as Ibis
expressions, for edge tables too large for memory (DuckDB) or held on a cluster (Spark).

Each function returns the table of its in-memory counterpart (same columns, same values,
indexed by ``firm_id`` in natural order); only the per-firm result is brought into memory.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from kflow import vocabulary as V
from kflow.exceptions import DataError, bad_parameter
from kflow.roles.cognitive import assign, split_rule, threshold_value
from kflow.scale.engine import connect, flow_edges, require, run, table

__all__ = ["brokerage_counts", "centrality", "classify_roles", "external_openness"]

DEGREE_MEASURES = ("out_degree", "in_degree", "out_strength", "in_strength")
_USES = {"out_degree": "out", "out_strength": "out", "in_degree": "in", "in_strength": "in"}


def _roster(con, firms: Any, named, ext=None) -> tuple[list[str], pd.Series | None]:
    """The firm ids (natural order) and, when the firms table has one, the respondent flags."""
    if firms is not None:
        t = table(con, firms, "firms")
        require(t, (V.FIRM_ID,), "firms")
        cols = [V.FIRM_ID] + ([V.RESPONDENT] if V.RESPONDENT in t.columns else [])
        frame = run(con, t.select(*cols))
        frame[V.FIRM_ID] = frame[V.FIRM_ID].astype(str)
        ids = V.sorted_ids(frame[V.FIRM_ID])
        flags = None
        if V.RESPONDENT in frame.columns:
            text = frame[V.RESPONDENT].astype(str).str.strip().str.lower()
            flags = pd.Series(text.isin(V.TRUE_WORDS).to_numpy(), index=frame[V.FIRM_ID])
        return ids, flags
    if ext is not None:
        named = named.union(ext.select(firm=ext[V.FIRM_ID].cast("string"))).distinct()
    return V.sorted_ids(run(con, named)["firm"].astype(str)), None


def _unknown_sides(flags: pd.Series | None, ids: list[str], orientation: str):
    """Non-respondents' unreported side: "in" for asks, "out" for gives, both for flow."""
    if flags is None:
        return np.zeros(len(ids), bool), np.zeros(len(ids), bool)
    non = ~flags.reindex(ids, fill_value=True).to_numpy(dtype=bool)
    side = {"asks": "in", "gives": "out"}.get(orientation)
    none = np.zeros(len(ids), bool)
    return (non if side in ("in", None) else none), (non if side in ("out", None) else none)


def centrality(
    edges: Any,
    *,
    orientation: str,
    engine: Any = "duckdb",
    measures: tuple[str, ...] = DEGREE_MEASURES,
    memory_limit: str | None = None,
    firms: Any = None,
    spark: Any = None,
) -> pd.DataFrame:
    r"""Degrees and strengths of every firm, computed out of core or on a cluster.

    Parameters
    ----------
    edges : path, glob, pandas.DataFrame or Ibis table
        Columns ``source``, ``target`` and optional ``weight``, answering the question
        ``orientation`` names (as in :func:`kflow.read_survey`).
    orientation : {"asks", "gives", "flow"}
        Which question the edges answer; no default.
    engine : "duckdb", "spark" or an Ibis connection
        Where to compute; ``"spark"`` needs ``spark=`` (a SparkSession).
    measures : tuple of str
        Any of ``out_degree``, ``in_degree``, ``out_strength``, ``in_strength``.
    memory_limit : str, optional
        DuckDB's memory limit, e.g. ``"2GB"``; it spills to disk beyond.
    firms : path, pandas.DataFrame or Ibis table, optional
        The roster (``firm_id``, optional ``respondent``): firms without ties get 0, and a
        non-respondent's unreported side is NaN, as in :func:`kflow.centrality`. Without it the
        firms are those the edges name.
    spark : pyspark.sql.SparkSession, optional
        The session of ``engine="spark"``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``firm_id``, the columns asked for, equal to :func:`kflow.centrality`'s.

    Notes
    -----
    With :math:`x_{ij} = 1` when knowledge flows from i to j (self-ties, zeros left out, repeated
    pairs merged by their largest value :math:`w_{ij}`):
    :math:`\mathrm{out\_degree}_i = \sum_j x_{ij}`, :math:`\mathrm{out\_strength}_i = \sum_j
    w_{ij}`, and the same over :math:`x_{ji}` for the in-side.

    See Also
    --------
    kflow.centrality : the in-memory measures, with paths and prestige.

    References
    ----------
    Freeman, L. C. (1978). Centrality in social networks: conceptual clarification. *Social
    Networks*, 1(3), 215-239.

    Examples
    --------
    >>> import pandas as pd, kflow
    >>> edges = pd.DataFrame({"source": ["a", "a", "b"], "target": ["b", "c", "c"]})
    >>> kflow.scale.centrality(edges, orientation="flow")["out_degree"].tolist()
    [2.0, 1.0, 0.0]
    """
    unknown = [m for m in measures if m not in DEGREE_MEASURES]
    if unknown:
        raise bad_parameter("kflow.scale.centrality", "measures",
                            f"a tuple drawn from {DEGREE_MEASURES}", unknown[0])
    con = connect(engine, spark=spark, memory_limit=memory_limit)
    flow = flow_edges(con, edges, orientation)
    ids, flags = _roster(con, firms, flow.named)
    pairs = flow.pairs
    out = run(con, pairs.group_by(code=pairs.src).aggregate(
        out_degree=pairs.dst.count(), out_strength=pairs.w.sum()))
    inn = run(con, pairs.group_by(code=pairs.dst).aggregate(
        in_degree=pairs.src.count(), in_strength=pairs.w.sum()))
    result = pd.DataFrame(index=pd.Index(ids, name=V.FIRM_ID))
    for part in (out, inn):
        result = result.join(part.set_index(flow.decode(con, part["code"])).drop(columns="code"))
    result = result[list(measures)].fillna(0.0).astype(float)
    unknown_in, unknown_out = _unknown_sides(flags, ids, orientation)
    for column in measures:
        mask = unknown_in if _USES[column] == "in" else unknown_out
        result.loc[mask, column] = np.nan
    return result


def external_openness(
    edges: Any,
    external: Any,
    *,
    orientation: str,
    engine: Any = "duckdb",
    firms: Any = None,
    spark: Any = None,
    memory_limit: str | None = None,
) -> pd.DataFrame:
    r"""Outside ties per firm, computed out of core or on a cluster.

    Parameters
    ----------
    edges : path, glob, pandas.DataFrame or Ibis table
        The cluster's ties (see :func:`centrality`).
    external : path, glob, pandas.DataFrame or Ibis table
        ``firm_id``, ``actor``, optional ``actor_type``, ``direction`` (``in``/``out``, default
        ``in``) and ``weight``.
    orientation, engine, firms, spark, memory_limit
        As in :func:`centrality`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``firm_id``: ``external_ties``, ``external_strength``, ``external_types``,
        ``external_out_ties``, ``external_out_strength``, ``local_partners``, ``ei_index``,
        equal to :func:`kflow.external_openness`'s (with ``missing="zero"`` unless ``firms``
        says who answered).

    Notes
    -----
    ``ei_index`` = (E - I) / (E + I), E the distinct outside actors a firm is tied to and I its
    distinct local partners (either direction).

    See Also
    --------
    kflow.external_openness : the in-memory measure.

    References
    ----------
    Krackhardt, D., & Stern, R. N. (1988). Informal networks and organizational crises: an
    experimental simulation. *Social Psychology Quarterly*, 51(2), 123-140.

    Examples
    --------
    >>> import pandas as pd, kflow
    >>> edges = pd.DataFrame({"source": ["a"], "target": ["b"]})
    >>> ext = pd.DataFrame({"firm_id": ["a", "a"], "actor": ["Uni", "Lab"]})
    >>> kflow.scale.external_openness(edges, ext, orientation="flow")["external_ties"].tolist()
    [2.0, 0.0]
    """
    con = connect(engine, spark=spark, memory_limit=memory_limit)
    flow = flow_edges(con, edges, orientation)
    ext = _external(con, external)
    ids, flags = _roster(con, firms, flow.named, ext)
    frame = _openness_frame(con, flow, ext, ids)
    if flags is not None:
        non = ~flags.reindex(ids, fill_value=True).to_numpy(dtype=bool)
        listed = pd.Index(ids).isin(run(con, ext.select(ext[V.FIRM_ID]).distinct())
                                    [V.FIRM_ID].astype(str))
        cols = ["external_ties", "external_strength", "external_types", "external_out_ties",
                "external_out_strength", "ei_index"]
        frame.loc[non & ~listed, cols] = np.nan
        unknown_in, unknown_out = _unknown_sides(flags, ids, orientation)
        frame.loc[unknown_in | unknown_out, ["local_partners", "ei_index"]] = np.nan
    return frame


def _external(con, external: Any):
    t = table(con, external, "external")
    require(t, (V.FIRM_ID, V.ACTOR), "external")
    import ibis

    direction = (t[V.DIRECTION].cast("string").lower() if V.DIRECTION in t.columns
                 else ibis.literal("in"))
    kind = (t[V.ACTOR_TYPE].cast("string") if V.ACTOR_TYPE in t.columns
            else ibis.literal(V.UNKNOWN_ACTOR_TYPE))
    weight = (t[V.WEIGHT].cast("float64") if V.WEIGHT in t.columns
              else ibis.literal(1.0, type="float64"))
    out = t.select(firm_id=t[V.FIRM_ID].cast("string"), actor=t[V.ACTOR].cast("string"),
                   actor_type=kind, direction=direction, weight=weight)
    return out.filter(out.weight != 0)


def _openness_frame(con, flow, ext, ids: list[str]) -> pd.DataFrame:
    by_dir = {}
    for direction in ("in", "out"):
        part = ext.filter(ext.direction == direction)
        by_dir[direction] = run(con, part.group_by(V.FIRM_ID).aggregate(
            ties=part.actor.nunique(), strength=part.weight.sum(),
            types=part.actor_type.nunique())).set_index(V.FIRM_ID)
    edges = flow.pairs
    pairs = edges.select(code=edges.src, other=edges.dst).union(
        edges.select(code=edges.dst, other=edges.src)).distinct()
    local = run(con, pairs.group_by("code").aggregate(n=pairs.other.count()))
    local["firm"] = flow.decode(con, local["code"])
    anyext = run(con, ext.group_by(V.FIRM_ID).aggregate(n=ext.actor.nunique()))
    frame = pd.DataFrame(index=pd.Index(ids, name=V.FIRM_ID))
    frame["external_ties"] = by_dir["in"]["ties"]
    frame["external_strength"] = by_dir["in"]["strength"]
    frame["external_types"] = by_dir["in"]["types"]
    frame["external_out_ties"] = by_dir["out"]["ties"]
    frame["external_out_strength"] = by_dir["out"]["strength"]
    frame = frame.fillna(0.0).astype(float)
    frame["local_partners"] = local.set_index("firm")["n"].reindex(ids).fillna(0).astype(float)
    E = anyext.set_index(V.FIRM_ID)["n"].reindex(ids).fillna(0).to_numpy(dtype=float)
    I_ = frame["local_partners"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        frame["ei_index"] = np.where(E + I_ > 0, (E - I_) / (E + I_), np.nan)
    return frame


def classify_roles(
    edges: Any,
    external: Any,
    *,
    orientation: str,
    engine: Any = "duckdb",
    threshold: Any = "mean",
    external_axis: str = "external_ties",
    firms: Any = None,
    spark: Any = None,
    memory_limit: str | None = None,
) -> pd.DataFrame:
    r"""Cognitive roles (technological gatekeeper, external star, active mutual exchanger,
    isolated firm) computed out of core or on a cluster.

    The local axis is the normalized degree, (in + out) / (2(n - 1)); the external axis the
    distinct outside sources (``external_ties``) or ``external_strength``. A firm is high on an
    axis when strictly above its threshold, as in :func:`kflow.classify_roles`.

    Parameters
    ----------
    edges, external : path, glob, pandas.DataFrame or Ibis table
        As in :func:`external_openness`.
    orientation, engine, firms, spark, memory_limit
        As in :func:`centrality`; n counts the firms of ``firms`` when given, else the firms
        the edges and the external table name.
    threshold : rule or dict
        ``"mean"``, ``"median"``, ``("quantile", q)``, a number, or ``{"local": ...,
        "external": ...}``.
    external_axis : {"external_ties", "external_strength"}
        The external score.

    Returns
    -------
    pandas.DataFrame
        The ``table`` of :func:`kflow.classify_roles`: ``role``, ``local_score``,
        ``external_score``, ``local_high``, ``external_high``, indexed by ``firm_id``.

    Notes
    -----
    .. math:: \ell_i = \frac{\mathrm{in}_i + \mathrm{out}_i}{2(n-1)}, \qquad
              \text{role}_i = f(\ell_i > t_\ell,\ e_i > t_e)

    See Also
    --------
    kflow.classify_roles : the in-memory classification.

    References
    ----------
    Giuliani, E., & Bell, M. (2005). The micro-determinants of meso-level learning and
    innovation: evidence from a Chilean wine cluster. *Research Policy*, 34(1), 47-68.

    Examples
    --------
    >>> import pandas as pd, kflow
    >>> edges = pd.DataFrame({"source": ["a", "a", "a", "b"], "target": ["b", "c", "d", "c"]})
    >>> ext = pd.DataFrame({"firm_id": ["a"], "actor": ["Uni"]})
    >>> kflow.scale.classify_roles(edges, ext, orientation="flow")["role"].tolist()
    ['technological_gatekeeper', 'isolated_firm', 'isolated_firm', 'isolated_firm']
    """
    if external_axis not in ("external_ties", "external_strength"):
        raise bad_parameter("kflow.scale.classify_roles", "external_axis",
                            "'external_ties' or 'external_strength'", external_axis)
    rule = split_rule(threshold, "kflow.scale.classify_roles")
    shared = {"orientation": orientation, "engine": engine, "firms": firms, "spark": spark,
              "memory_limit": memory_limit}
    degrees = centrality(edges, measures=("out_degree", "in_degree"), **shared)
    openness = external_openness(edges, external, **shared)
    n = len(degrees)
    scale = 2 * (n - 1) if n > 1 else np.nan
    local = ((degrees["out_degree"] + degrees["in_degree"]) / scale).rename("local_score")
    ext_score = openness[external_axis].rename("external_score")
    thresholds = {"local": threshold_value(local, rule["local"]),
                  "external": threshold_value(ext_score, rule["external"])}
    return assign(local, ext_score, thresholds)


def brokerage_counts(
    edges: Any,
    groups: Any,
    *,
    orientation: str,
    engine: Any = "duckdb",
    spark: Any = None,
    memory_limit: str | None = None,
) -> pd.DataFrame:
    r"""Gould-Fernandez brokerage counts of every firm, computed out of core or on a cluster.

    Parameters
    ----------
    edges : path, glob, pandas.DataFrame or Ibis table
        As in :func:`centrality`.
    groups : path, glob, pandas.DataFrame or Ibis table
        ``firm_id`` and ``group``: the group of every firm the edges name.
    orientation, engine, spark, memory_limit
        As in :func:`centrality`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``firm_id``: ``coordinator``, ``itinerant``, ``representative``,
        ``gatekeeper``, ``liaison``, ``total``; equal to the ``raw`` table of
        :func:`kflow.brokerage` with ``include_external=False``.

    Notes
    -----
    Broker b of the ordered pair (a, c) sits on an open two-path a -> b -> c (no a -> c). The
    counts are all two-paths of each role (from the group histograms of b's in- and
    out-neighbours, as in :mod:`kflow.roles.sparse_brokerage`) minus the closed ones (a join of
    each two-path with the tie a -> c).

    See Also
    --------
    kflow.brokerage : the in-memory brokerage with its null model.

    References
    ----------
    Gould, R. V., & Fernandez, R. M. (1989). Structures of mediation: a formal approach to
    brokerage in transaction networks. *Sociological Methodology*, 19, 89-126.

    Examples
    --------
    >>> import pandas as pd, kflow
    >>> edges = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"]})
    >>> groups = pd.DataFrame({"firm_id": ["a", "b", "c"], "group": [1, 2, 2]})
    >>> kflow.scale.brokerage_counts(edges, groups, orientation="flow").loc["b"].tolist()
    [0.0, 0.0, 0.0, 1.0, 0.0, 1.0]
    """
    from kflow.scale.paths import broker_counts

    con = connect(engine, spark=spark, memory_limit=memory_limit)
    flow = flow_edges(con, edges, orientation)
    g = table(con, groups, "groups")
    require(g, (V.FIRM_ID, "group"), "groups")
    g = g.select(firm=g[V.FIRM_ID].cast("string"), grp=g["group"].cast("string"))
    ids, _ = _roster(con, None, flow.named)
    missing = sorted(set(ids) - set(run(con, g)["firm"].astype(str)))
    if missing:
        raise DataError(f"kflow.scale.brokerage_counts: {len(missing)} firms of the edges have "
                        f"no group (first: {missing[0]!r}); give every firm a group.")
    codes = flow.codes
    coded = g.join(codes, g.firm == codes.firm).select(firm=codes.code, grp=g.grp)
    counts = broker_counts(con, flow.pairs, coded)
    counts.index = flow.decode(con, pd.Series(counts.index)).to_numpy()
    return counts.reindex(ids).fillna(0.0).astype(float).rename_axis(V.FIRM_ID)
