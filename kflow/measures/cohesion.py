"""Cohesive subgroups: maximal cliques, k-cores, Borgatti-Everett core-periphery."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from kflow import vocabulary as V
from kflow._layers import build_layer, focus, one_layer, resolve_missing
from kflow._random import as_generator
from kflow.exceptions import ConvergenceWarning, bad_parameter
from kflow.survey import Survey

__all__ = ["cliques", "core_periphery", "k_core"]

_SYMMETRIZE = ("weak", "strong")


def _undirected(survey: Survey, relation, wave, symmetrize: str, missing: str, fn: str):
    if symmetrize not in _SYMMETRIZE:
        raise bad_parameter(fn, "symmetrize", f"one of {set(_SYMMETRIZE)}", symmetrize)
    layer = build_layer(survey, *one_layer(survey, relation, wave), missing)
    pairs = set(zip(layer.src.tolist(), layer.dst.tolist(), strict=True))
    if symmetrize == "weak":
        edges = {(min(a, b), max(a, b)) for a, b in pairs}
    else:
        edges = {(min(a, b), max(a, b)) for a, b in pairs if (b, a) in pairs}
    import igraph as ig  # loaded when cliques or cores are asked for

    g = ig.Graph(n=layer.n, edges=sorted(edges), directed=False)
    return layer, g


def cliques(
    survey: Survey,
    *,
    min_size: int = 3,
    symmetrize: str = "weak",
    relation: str | None = None,
    wave: str | None = None,
    missing: str | None = None,
) -> pd.DataFrame:
    r"""Maximal cliques of the knowledge network, one row per (firm, clique).

    A clique is a largest set of firms all tied to each other; direction is set aside first:
    ``symmetrize="weak"`` joins two firms with a tie either way, ``"strong"`` only with ties both
    ways.

    Parameters
    ----------
    survey : Survey
        A validated survey.
    min_size : int
        Smallest clique reported (3 by default, as usual for cliques).
    symmetrize : {"weak", "strong"}
        How directed ties become undirected ones.
    relation, wave, missing
        The layer and the non-respondent treatment, as in :func:`kflow.centrality`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``firm_id`` (a firm appears once per clique it is in), columns ``clique``
        (1, 2, ... by decreasing size, then by members) and ``size``. Empty when none.

    Notes
    -----
    With :math:`a_{ij} = 1` when i and j are tied in either direction, a set C is a clique when

    .. math::

        a_{ij} = 1 \ \forall\, i \ne j \in C \quad \text{and} \quad
        \nexists\, k \notin C : a_{kj} = 1 \ \forall\, j \in C

    that is, a maximal set of at least ``min_size`` firms all tied to each other once direction
    is set aside: no firm can be added and keep every pair tied [1]_ [2]_. A clique is maximal, not
    necessarily the largest (maximum) one. Enumerated with igraph (Bron-Kerbosch type search [3]_).

    See Also
    --------
    k_core : a looser cohesive group: every member has at least k partners inside.

    References
    ----------
    .. [1] Luce, R. D., & Perry, A. D. (1949). A method of matrix analysis of group structure.
       *Psychometrika*, 14(2), 95-116. https://doi.org/10.1007/BF02289146
    .. [2] Wasserman, S., & Faust, K. (1994). *Social Network Analysis: Methods and Applications*.
       Cambridge University Press. https://doi.org/10.1017/CBO9780511815478
    .. [3] Bron, C., & Kerbosch, J. (1973). Algorithm 457: finding all cliques of an undirected
       graph. *Communications of the ACM*, 16(9), 575-577. https://doi.org/10.1145/362342.362367

    Examples
    --------
    >>> import pandas as pd, kflow
    >>> t = pd.DataFrame({"source": ["a", "b", "c", "c"], "target": ["b", "c", "a", "d"]})
    >>> kflow.cliques(kflow.read_survey(t, orientation="flow")).index.tolist()
    ['a', 'b', 'c']
    """
    survey = focus(survey, wave)
    missing = resolve_missing(survey, missing, "cliques")
    layer, g = _undirected(survey, relation, wave, symmetrize, missing, "cliques")
    found = g.maximal_cliques(min=max(int(min_size), 1))
    ids = layer.firm_ids
    members = sorted(
        (sorted(c) for c in found), key=lambda c: (-len(c), [V.natural_key(ids[i]) for i in c])
    )
    rows = [(ids[i], k, len(clique)) for k, clique in enumerate(members, start=1) for i in clique]
    table = pd.DataFrame(rows, columns=[V.FIRM_ID, "clique", "size"])
    return table.set_index(V.FIRM_ID).astype({"clique": int, "size": int})


def k_core(
    survey: Survey,
    *,
    symmetrize: str = "weak",
    relation: str | None = None,
    wave: str | None = None,
    missing: str | None = None,
) -> pd.DataFrame:
    r"""k-core number of each firm: the largest k such that it is in a subgraph where every firm
    has at least k partners (Seidman 1983), on the symmetrized knowledge network.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``firm_id``, column ``k_core``.

    Notes
    -----
    The k-core is the largest subgraph in which every firm has at least k partners
    (:math:`\deg_{H}(i) \ge k` for all i in H); a firm's core number is the largest k whose k-core
    contains it [1]_.

    See Also
    --------
    cliques : stricter cohesive groups.
    core_periphery : a core-periphery split fitted to the whole network.

    References
    ----------
    .. [1] Seidman, S. B. (1983). Network structure and minimum degree. *Social Networks*, 5(3),
       269-287. https://doi.org/10.1016/0378-8733(83)90028-X

    Examples
    --------
    >>> import pandas as pd, kflow
    >>> t = pd.DataFrame({"source": ["a", "b", "c", "c"], "target": ["b", "c", "a", "d"]})
    >>> kflow.k_core(kflow.read_survey(t, orientation="flow"))["k_core"].tolist()
    [2, 2, 2, 1]
    """
    survey = focus(survey, wave)
    missing = resolve_missing(survey, missing, "k_core")
    layer, g = _undirected(survey, relation, wave, symmetrize, missing, "k_core")
    return pd.DataFrame(
        {"k_core": np.asarray(g.coreness(), dtype=int)},
        index=pd.Index(layer.firm_ids, name=V.FIRM_ID),
    )


def _offdiag_corr(a: np.ndarray, b: np.ndarray) -> float:
    a = a - a.mean()
    b = b - b.mean()
    denom = np.sqrt((a * a).sum() * (b * b).sum())
    return float((a * b).sum() / denom) if denom > 0 else float("nan")


def _continuous(A: np.ndarray, tol: float = 1e-12, max_iter: int = 10_000) -> np.ndarray:
    """Minimise sum_{i != j} (a_ij - c_i c_j)^2 by the fixed point c_i = sum_j a_ij c_j /
    sum_{j != i} c_j^2 (A symmetric, zero diagonal)."""
    n = len(A)
    c = A.sum(axis=1).astype(float)
    if not c.any():
        return np.zeros(n)
    c = c / np.linalg.norm(c)
    for _ in range(max_iter):
        denom = (c * c).sum() - c * c
        new = np.divide(A @ c, denom, out=np.zeros(n), where=denom > 0)
        # Averaging with the previous step damps the oscillation of the plain fixed point.
        new = 0.5 * (new + c)
        change = np.max(np.abs(new - c))
        c = new
        if change < tol:
            break
    else:
        warnings.warn(
            f"core_periphery: the continuous fit stopped at max_iter={max_iter} with a change of "
            f"{change:.2e} (tolerance {tol:.0e}); the coreness scores are approximate.",
            ConvergenceWarning,
            stacklevel=3,
        )
    norm = np.linalg.norm(c)
    return c / norm if norm > 0 else c


def _discrete_fit(A: np.ndarray, core: np.ndarray, off: np.ndarray) -> float:
    cc = np.outer(core, core) & off
    pp = np.outer(~core, ~core) & off
    cells = cc | pp
    if cc.sum() == 0 or pp.sum() == 0:
        return float("-inf")
    fit = _offdiag_corr(A[cells], cc[cells].astype(float))
    return fit if np.isfinite(fit) else float("-inf")


def core_periphery(
    survey: Survey,
    *,
    method: str = "continuous",
    seed: int | np.random.Generator | None = None,
    n_starts: int = 10,
    relation: str | None = None,
    wave: str | None = None,
    missing: str | None = None,
) -> pd.DataFrame:
    r"""Borgatti-Everett core-periphery structure of the knowledge network.

    Both models compare the observed ties a_ij (i != j, both directions, binary) with an ideal
    pattern and report the Pearson correlation between them as the ``fit``.

    - ``"continuous"``: each firm gets a coreness c_i chosen to minimise
      sum_{i != j} (a_ij - c_i c_j)^2 (ideal tie strength c_i c_j); c is scaled to unit length.
    - ``"discrete"``: firms are split into core and periphery to maximise the correlation with
      the ideal pattern core-core = 1, periphery-periphery = 0; core-periphery cells are left out
      (the model that does not fix the density of core-periphery ties). The search starts from
      the best split of the firms ranked by continuous coreness and from ``n_starts`` random
      splits (seeded), and moves single firms while the fit improves. Where two splits fit
      equally well, the larger core is kept (a firm tied to every core firm but to no
      peripheral one joins the core).

    Parameters
    ----------
    survey : Survey
        A validated survey.
    method : {"continuous", "discrete"}
        Which model.
    seed : int or numpy.random.Generator, optional
        Seed of the random starts of the discrete search.
    n_starts : int
        Random starting splits of the discrete search.
    relation, wave, missing
        The layer and non-respondent treatment, as in :func:`kflow.centrality`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``firm_id``: ``coreness`` (continuous) or ``core`` (bool, discrete), and
        ``fit`` (the same network-level correlation on every row).

    Notes
    -----
    Continuous model: coreness :math:`c` minimizes

    .. math::

        \sum_{i \ne j} (a_{ij} - c_i c_j)^2

    on the symmetrized network, solved by the fixed point
    :math:`c_i = \sum_j a_{ij} c_j / \sum_{j \ne i} c_j^2` (a :class:`kflow.ConvergenceWarning` is
    issued if it stops at its iteration limit). Discrete model: the core C maximizes the correlation
    of the observed ties with the ideal pattern (1 inside the core, 0 in the periphery,
    core-periphery cells left out) [1]_.

    See Also
    --------
    k_core : nested cohesive layers.

    References
    ----------
    .. [1] Borgatti, S. P., & Everett, M. G. (2000). Models of core/periphery structures. *Social
       Networks*, 21(4), 375-395. https://doi.org/10.1016/S0378-8733(99)00019-2

    Examples
    --------
    >>> import pandas as pd, kflow
    >>> core = ["a", "b", "c"]
    >>> t = pd.DataFrame([(u, v) for u in core for v in core if u != v]
    ...                  + [("d", "a"), ("e", "b")], columns=["source", "target"])
    >>> cp = kflow.core_periphery(kflow.read_survey(t, orientation="flow"), method="discrete",
    ...                           seed=1)
    >>> cp["core"].tolist(), round(float(cp["fit"].iloc[0]), 3)
    ([True, True, True, False, False], 1.0)
    """
    survey = focus(survey, wave)
    fn = "core_periphery"
    if method not in ("continuous", "discrete"):
        raise bad_parameter(fn, "method", "one of {'continuous', 'discrete'}", method)
    missing = resolve_missing(survey, missing, fn)
    layer = build_layer(survey, *one_layer(survey, relation, wave), missing)
    n = layer.n
    A = np.zeros((n, n))
    A[layer.src, layer.dst] = 1.0
    off = ~np.eye(n, dtype=bool)
    S = (A + A.T) / 2.0
    c = _continuous(S)
    index = pd.Index(layer.firm_ids, name=V.FIRM_ID)
    if method == "continuous":
        fit = _offdiag_corr(A[off], np.outer(c, c)[off])
        return pd.DataFrame({"coreness": c, "fit": fit}, index=index)

    rng = as_generator(seed, "core_periphery")
    order = np.argsort(-c, kind="stable")
    ranked, ranked_fit = None, float("-inf")
    for k in range(2, n - 1):
        core = np.zeros(n, bool)
        core[order[:k]] = True
        fit = _discrete_fit(A, core, off)
        if ranked is None or _better(fit, k, ranked_fit, int(ranked.sum())):
            ranked, ranked_fit = core, fit
    starts = [ranked] if ranked is not None else []
    for _ in range(max(int(n_starts), 0)):
        starts.append(rng.random(n) < 0.5)
    best, best_fit = None, float("-inf")
    for start in starts:
        core, fit = _improve(A, start.copy(), off)
        if best is None or _better(fit, int(core.sum()), best_fit, int(best.sum())):
            best, best_fit = core, fit
    if best is None:
        best = np.zeros(n, bool)
        best_fit = float("nan")
    return pd.DataFrame({"core": best, "fit": best_fit}, index=index)


def _better(fit: float, size: int, best_fit: float, best_size: int) -> bool:
    """Higher fit wins; an equal fit (within 1e-12) goes to the larger core."""
    if fit > best_fit + 1e-12:
        return True
    return abs(fit - best_fit) <= 1e-12 and size > best_size


def _improve(A: np.ndarray, core: np.ndarray, off: np.ndarray) -> tuple[np.ndarray, float]:
    fit = _discrete_fit(A, core, off)
    improved = True
    while improved:
        improved = False
        for i in range(len(core)):
            core[i] = ~core[i]
            trial = _discrete_fit(A, core, off)
            if _better(trial, int(core.sum()), fit, int(core.sum()) + (-1 if core[i] else 1)):
                fit = trial
                improved = True
            else:
                core[i] = ~core[i]
    return core, fit
