"""Firm-level centrality of the knowledge network (METHODS 2).

Degrees and strengths come straight from the tie table (``numpy.bincount``); paths, PageRank and
HITS from igraph. Directions and normalizations are pinned here, so the numbers mean the same
whatever engine a reader checks them with (the tests compare networkx and R sna).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kflow._layers import Layer, build_layer, focus, per_layer, resolve_missing
from kflow._positions import edge_pairs, firm_index
from kflow._random import as_generator
from kflow._validation import check_count
from kflow.exceptions import ConvergenceWarning, bad_parameter
from kflow.survey import Survey

if TYPE_CHECKING:
    import igraph as ig

__all__ = ["CENTRALITY_COLUMNS", "centrality"]

#: Every column :func:`centrality` can return, in order.
CENTRALITY_COLUMNS = (
    "out_degree",
    "in_degree",
    "degree",
    "out_degree_norm",
    "in_degree_norm",
    "degree_norm",
    "out_strength",
    "in_strength",
    "betweenness",
    "betweenness_raw",
    "closeness_out",
    "closeness_in",
    "source_prestige",
    "hub",
    "authority",
)
_NORMALIZED = {"out_degree_norm", "in_degree_norm", "degree_norm", "betweenness"}
# Which columns use a firm's incoming / outgoing ties directly; NaN when those are unknown.
_USES_IN = {
    "in_degree",
    "in_degree_norm",
    "degree",
    "degree_norm",
    "in_strength",
    "betweenness",
    "betweenness_raw",
    "closeness_in",
    "authority",
}
_USES_OUT = {
    "out_degree",
    "out_degree_norm",
    "degree",
    "degree_norm",
    "out_strength",
    "betweenness",
    "betweenness_raw",
    "closeness_out",
    "hub",
    "source_prestige",
}


_PATHS = {"betweenness", "betweenness_raw", "closeness_out", "closeness_in"}


def flow_graph(layer: Layer) -> ig.Graph:
    """The layer as a directed igraph Graph; vertex i is ``layer.firm_ids[i]``. Weights are not
    attached: the path measures pass distances of their own."""
    import igraph as ig  # loaded for path measures only: degrees and strengths do not need it

    return ig.Graph(n=layer.n, edges=edge_pairs(layer.src, layer.dst), directed=True)


def source_prestige(
    layer: Layer, weighted: bool, damping: float = 0.85, tol: float = 1e-15, max_iter: int = 10_000
) -> np.ndarray:
    """PageRank on the reversed flow graph (an edge points at the firm consulted), by sparse
    power iteration with dangling firms' rank spread evenly (as igraph and networkx do).

    x <- d (M x + s / n) + (1 - d) / n, with M[j, i] = w(i -> j reversed) / out-strength and s the
    rank of firms without out-edges in the reversed graph; iterated until the L1 change is below
    ``tol``.
    """
    import scipy.sparse as sp

    n = layer.n
    if n == 0:
        return np.zeros(0)
    # Reversed graph: edge target -> source.
    src, dst = layer.dst, layer.src
    w = layer.weight if weighted else np.ones(layer.m)
    out_strength = np.bincount(src, weights=w, minlength=n)
    dangling = out_strength == 0
    scale = np.divide(w, out_strength[src], out=np.zeros_like(w), where=out_strength[src] > 0)
    M = sp.csr_matrix((scale, (dst, src)), shape=(n, n))
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        new = damping * (M @ x + x[dangling].sum() / n) + (1.0 - damping) / n
        new /= new.sum()
        change = np.abs(new - x).sum()
        if change < tol:
            return new
        x = new
    warnings.warn(
        f"source_prestige: PageRank power iteration stopped at max_iter={max_iter} with an L1 "
        f"change of {change:.2e} (tolerance {tol:.0e}); the scores are approximate.",
        ConvergenceWarning,
        stacklevel=3,
    )
    return x


def _sum_to_one(values: np.ndarray) -> np.ndarray:
    x = np.abs(np.asarray(values, dtype=float))
    total = x.sum()
    return x / total if total > 0 else x


def hits(layer: Layer, weighted: bool) -> tuple[np.ndarray, np.ndarray]:
    """HITS hub and authority scores: the leading left and right singular vectors of the
    adjacency matrix A (a_ij = 1, or the weight, for i -> j), scaled to sum to 1.

    When the two largest singular values coincide the scores are not unique (Kleinberg 1999,
    Farahat et al. 2006), and both columns are NaN rather than one arbitrary solution.
    """
    import scipy.sparse as sp
    import scipy.sparse.linalg as spla

    n = layer.n
    if layer.m == 0:
        return np.zeros(n), np.zeros(n)
    values = layer.weight if weighted else np.ones(layer.m)
    A = sp.csr_matrix((values, (layer.src, layer.dst)), shape=(n, n))
    if n <= 500:
        U, S, Vt = np.linalg.svd(A.toarray())
        u, v = U[:, 0], Vt[0]
    else:
        U, S, Vt = spla.svds(A.astype(float), k=2, random_state=0)
        top = np.argsort(S)[::-1]
        S, u, v = S[top], U[:, top[0]], Vt[top[0]]
    if len(S) > 1 and S[0] - S[1] <= 1e-9 * S[0]:
        return np.full(n, np.nan), np.full(n, np.nan)
    return _sum_to_one(u), _sum_to_one(v)


def centrality_of_layer(
    layer: Layer, columns: Sequence[str], weighted: bool, pivots: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """Compute the requested columns for one layer (arrays in firm order); with ``pivots``,
    the path measures are estimated from those source firms (see :func:`centrality`)."""
    n = layer.n
    out: dict[str, np.ndarray] = {}
    scale = n - 1 if n > 1 else np.nan

    def column(name: str) -> np.ndarray:
        if name not in out:
            out[name] = degrees[name]()
        return out[name]

    # Only the columns asked for (and those they are made of) are counted: a national network's
    # ties are tens of millions of rows for every count.
    degrees = {
        "out_degree": lambda: np.bincount(layer.src, minlength=n).astype(float),
        "in_degree": lambda: np.bincount(layer.dst, minlength=n).astype(float),
        "degree": lambda: column("out_degree") + column("in_degree"),
        "out_degree_norm": lambda: column("out_degree") / scale,
        "in_degree_norm": lambda: column("in_degree") / scale,
        # kflow convention: total degree over its maximum 2(n - 1), so it lies in [0, 1].
        "degree_norm": lambda: column("degree") / (2 * scale),
        "out_strength": lambda: np.bincount(layer.src, weights=layer.weight, minlength=n),
        "in_strength": lambda: np.bincount(layer.dst, weights=layer.weight, minlength=n),
    }
    for name in columns:
        if name in degrees:
            column(name)
    if "source_prestige" in columns:
        out["source_prestige"] = source_prestige(layer, weighted)
    if {"hub", "authority"} & set(columns):
        out["hub"], out["authority"] = hits(layer, weighted)
    if set(columns) & _PATHS:
        g = flow_graph(layer)
        # Distances are 1 / weight: a stronger tie is a shorter path.
        dist = (1.0 / layer.weight) if weighted else None
        if {"betweenness", "betweenness_raw"} & set(columns):
            raw = _betweenness(g, dist, pivots, n)
            out["betweenness_raw"] = raw
            out["betweenness"] = raw / ((n - 1) * (n - 2)) if n > 2 else np.full(n, np.nan)
        for mode in ("out", "in"):
            if f"closeness_{mode}" in columns:
                out[f"closeness_{mode}"] = (
                    _harmonic(g, mode, dist, n) if pivots is None
                    else _sampled_harmonic(g, mode, dist, pivots, n)
                )
    return {c: out[c] for c in columns}


# From this much work on (source firms times ties), betweenness is computed in two halves of
# the sources, one in a forked child: 5 M is about 50 ms on one core, several times what a fork
# costs. A survey of a few hundred firms stays below it (300 firms and 9,400 ties: 2.8 M).
_SPLIT_WORK = 5_000_000


def _betweenness(g: ig.Graph, dist, pivots: np.ndarray | None, n: int) -> np.ndarray:
    """Exact directed betweenness, or its Brandes-Pich estimate from the pivots' paths.

    Betweenness adds up over source firms (each source's shortest paths add its dependencies),
    so a large computation is split into the first and the second half of the sources; the
    second half runs in a forked child where that is allowed (:mod:`kflow._forked`), else after
    the first. The halves are added in the same order either way: the same numbers."""
    sources = np.arange(n) if pivots is None else pivots
    if len(sources) < 2 or len(sources) * g.ecount() < _SPLIT_WORK:
        if pivots is None:
            return np.asarray(g.betweenness(directed=True, weights=dist), dtype=float)
        raw = np.asarray(g.betweenness(directed=True, weights=dist, sources=sources.tolist()),
                         dtype=float)
    else:
        from kflow._forked import ForkedTask, fork_allowed

        def part(half: list[int]) -> np.ndarray:
            return np.asarray(g.betweenness(directed=True, weights=dist, sources=half),
                              dtype=float)

        middle = len(sources) // 2
        first, second = sources[:middle].tolist(), sources[middle:].tolist()
        child = ForkedTask(part, (second,)) if fork_allowed() else None
        try:
            raw = part(first)
            raw += part(second) if child is None else child.result()
        finally:
            if child is not None:
                child.close()
    return raw if pivots is None else raw * (n / len(pivots))


def _sampled_harmonic(g: ig.Graph, mode: str, dist, pivots: np.ndarray, n: int) -> np.ndarray:
    """Harmonic closeness estimated from the distances between every firm and the pivots: the
    mean of 1/d over the pivots other than the firm itself (1/inf = 0)."""
    # closeness_out(i) needs d(i -> p): distances from the pivots on the reversed graph.
    with np.errstate(divide="ignore"):
        inverse = 1.0 / np.asarray(
            g.distances(source=pivots.tolist(), mode="in" if mode == "out" else "out",
                        weights=dist), dtype=float)
    inverse[~np.isfinite(inverse)] = 0.0
    inverse[np.arange(len(pivots)), pivots] = 0.0
    others = len(pivots) - np.isin(np.arange(n), pivots).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(others > 0, inverse.sum(axis=0) / others, np.nan)


def _harmonic(g: ig.Graph, mode: str, dist, n: int) -> np.ndarray:
    if n < 2:
        return np.full(n, np.nan)
    return np.asarray(g.harmonic_centrality(mode=mode, weights=dist, normalized=True), dtype=float)


def centrality(
    survey: Survey,
    *,
    measures: Sequence[str] | None = None,
    weighted: bool = False,
    normalized: bool = True,
    relation: str | None = None,
    wave: str | None = None,
    missing: str | None = None,
    k: int | None = None,
    seed: int | np.random.Generator | None = None,
) -> pd.DataFrame:
    r"""Firm-level centrality of the knowledge-flow network.

    Knowledge flows along edges (``source`` gives knowledge to ``target``), so out-degree is
    "gives knowledge to" and in-degree "receives knowledge from". Self-ties never count.

    Parameters
    ----------
    survey : Survey
        A validated survey.
    measures : sequence of str, optional
        Columns to compute (default: all of :data:`CENTRALITY_COLUMNS`). Degrees and strengths
        alone need no graph.
    weighted : bool
        Use tie weights: strengths always do; betweenness and harmonic closeness then take
        distance = 1 / weight; PageRank and HITS take weights as edge weights.
    normalized : bool
        Include the normalized columns (``*_norm`` and ``betweenness``); with False only raw
        values are returned.
    relation, wave : str, optional
        The layer to measure. With None and several present, every layer is measured and the
        result is a long table with ``relation`` (and ``wave``) columns.
    missing : {"nan", "zero", "reconstruct"}, optional
        Treatment of non-respondents' unknown answers (default: the survey's ``meta["missing"]``).
        Under "nan" the measures that use a non-respondent's unknown side are NaN for it: for an
        "asks" survey its incoming side (in-degree, in-strength, total degree, betweenness,
        closeness_in, authority).
    k : int, optional
        Estimate betweenness and closeness from ``k`` source firms drawn at random without
        replacement (networkx's name), for networks too large for exact paths: betweenness is
        the sum over the sampled sources times n / k (Brandes and Pich 2007), closeness the
        mean of 1/d over the sampled firms. Exact when None or ``k >= n``. The result's
        ``attrs["path_sources"]`` says how many sources each layer used. A large betweenness
        (sources times ties of 5 million or more) is computed in two halves of the sources, the
        second in a forked process on another core where one may be forked (Linux, a program
        with no threads of its own); the numbers are the same either way.
    seed : int or numpy.random.Generator, optional
        Seed of the sampled sources.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``firm_id`` (natural order), with columns:

        - ``out_degree``, ``in_degree``: distinct firms it gives knowledge to / receives from;
          ``degree`` = their sum;
        - ``out_degree_norm``, ``in_degree_norm`` = degree / (n - 1); ``degree_norm`` = degree /
          (2(n - 1)) (kflow convention, in [0, 1]);
        - ``out_strength``, ``in_strength``: sums of tie weights;
        - ``betweenness_raw``: directed betweenness, sum over ordered pairs (s, t) of the share
          of shortest s -> t paths through the firm; ``betweenness`` = raw / ((n - 1)(n - 2));
        - ``closeness_out`` = (1 / (n - 1)) sum_{j != i} 1 / d(i -> j) and ``closeness_in`` =
          (1 / (n - 1)) sum_{j != i} 1 / d(j -> i) (harmonic; 1/inf = 0);
        - ``source_prestige``: PageRank (damping 0.85) on the reversed flow graph, whose edges
          point at the firm consulted;
        - ``hub``, ``authority``: HITS scores on the flow graph (leading singular vectors of the
          adjacency matrix), scaled to sum to 1; NaN when they are not unique (the two largest
          singular values tie).

    Notes
    -----
    Degrees count distinct partners and strengths sum tie values, on the flow graph
    (:math:`x_{ij} = 1` when knowledge flows from i to j, :math:`w_{ij}` its value):

    .. math::

        \mathrm{out\_degree}_i = \sum_j x_{ij}, \quad \mathrm{in\_degree}_i = \sum_j x_{ji},
        \quad \mathrm{degree\_norm}_i = \frac{\sum_j (x_{ij} + x_{ji})}{2(n-1)}

    Betweenness is directed, normalized by :math:`(n-1)(n-2)` [1]_ [2]_:
    :math:`b_i = \sum_{s \ne i \ne t} \sigma_{st}(i) / \sigma_{st}`. Closeness is harmonic
    (kflow's convention, as R sna's ``closeness(cmode="suminvdir")``) [3]_:

    .. math::

        \mathrm{closeness\_out}_i = \frac{1}{n-1} \sum_{j \ne i} \frac{1}{d(i \to j)},
        \qquad \frac{1}{\infty} = 0

    ``source_prestige`` is PageRank (damping 0.85) on the reversed flow graph, so that a firm many
    turn to ranks high [4]_; ``hub`` and ``authority`` are HITS on the flow graph [5]_.

    See Also
    --------
    network_summary : whole-network figures and Freeman centralization.
    external_openness : the outside-tie axis of the cognitive roles.
    classify_roles : roles from a local centrality and external openness.

    References
    ----------
    .. [1] Freeman, L. C. (1979). Centrality in social networks: conceptual clarification. *Social
       Networks*, 1(3), 215-239. https://doi.org/10.1016/0378-8733(78)90021-7
    .. [2] Brandes, U. (2001). A faster algorithm for betweenness centrality. *Journal of
       Mathematical Sociology*, 25(2), 163-177. https://doi.org/10.1080/0022250X.2001.9990249
    .. [3] Marchiori, M., & Latora, V. (2000). Harmony in the small-world. *Physica A*, 285(3-4),
       539-546. https://doi.org/10.1016/S0378-4371(00)00311-3
    .. [4] Brin, S., & Page, L. (1998). The anatomy of a large-scale hypertextual Web search engine.
       *Computer Networks and ISDN Systems*, 30(1-7), 107-117.
       https://doi.org/10.1016/S0169-7552(98)00110-X
    .. [5] Kleinberg, J. M. (1999). Authoritative sources in a hyperlinked environment. *Journal of
       the ACM*, 46(5), 604-632. https://doi.org/10.1145/324133.324140

    Examples
    --------
    >>> import pandas as pd, kflow
    >>> star = pd.DataFrame({"source": ["hub"] * 3, "target": ["a", "b", "c"]})
    >>> s = kflow.read_survey(star, orientation="flow")
    >>> kflow.centrality(s, measures=["out_degree", "in_degree"]).loc["hub"].tolist()
    [3.0, 0.0]
    """
    fn = "centrality"
    missing = resolve_missing(survey, missing, fn)
    columns = list(CENTRALITY_COLUMNS) if measures is None else list(measures)
    unknown = [c for c in columns if c not in CENTRALITY_COLUMNS]
    if unknown:
        raise bad_parameter(
            fn, "measures", f"a list drawn from {list(CENTRALITY_COLUMNS)}", unknown[0]
        )
    if not normalized:
        columns = [c for c in columns if c not in _NORMALIZED]

    if k is not None and check_count(k, "k", fn) < 1:
        raise bad_parameter(fn, "k", "a number of source firms >= 1, or None (exact)", k)
    rng = as_generator(seed, fn)
    sources: dict[tuple[str, str | None], int] = {}

    def compute(r: str, w: str | None) -> pd.DataFrame:
        focused = focus(survey, w)
        layer = build_layer(focused, r, w, missing)
        pivots = None
        if k is not None and k < layer.n and set(columns) & _PATHS:
            pivots = np.sort(rng.choice(layer.n, size=int(k), replace=False))
        sources[(r, w)] = layer.n if pivots is None else len(pivots)
        values = centrality_of_layer(layer, columns, weighted, pivots)
        table = pd.DataFrame(values, index=firm_index(focused))
        for c in columns:
            if c in _USES_IN:
                table.loc[layer.unknown_in, c] = np.nan
            if c in _USES_OUT:
                table.loc[layer.unknown_out, c] = np.nan
        return table

    table = per_layer(survey, relation, wave, compute)
    if set(columns) & _PATHS:
        table.attrs["path_sources"] = {f"{r}" + (f" {w}" if w is not None else ""): n_src
                                       for (r, w), n_src in sources.items()}
    return table
