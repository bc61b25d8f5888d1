"""Gould & Fernandez (1989) brokerage roles with the Bernoulli null model of R sna (METHODS 5).

A firm b brokers the ordered pair (a, c) when a -> b -> c, a, b, c are distinct and there is no
tie a -> c (open two-paths only); every broker of a pair gets full credit and weights are ignored.
With G(x) the group of x: coordinator G(a)=G(b)=G(c); itinerant G(a)=G(c)!=G(b); representative
G(a)=G(b)!=G(c); gatekeeper G(a)!=G(b)=G(c); liaison all different. Roles are assigned by these
definitions, never by a column position.

Counting is done with matrix products, so that the observed network and a stack of simulated
ones go through the same vectorised code: for broker b,
``count[b] = sum_a X[a, b] * (W @ Y.T)[a, b]`` with X = A masked by the (a, b) group condition,
Y = A masked by the (b, c) condition and W = (1 - A - I) masked by the (a, c) condition.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from kflow import vocabulary as V
from kflow._inference import exceedances, p_from_counts
from kflow._layers import build_layer, focus, one_layer, resolve_groups, resolve_missing
from kflow._random import as_generator, seed_echo
from kflow._results import Result
from kflow._validation import check_count
from kflow.exceptions import KflowError, SurveyError
from kflow.survey import Survey

__all__ = ["BrokerageResult", "brokerage"]

ROLES = V.BROKERAGE_ROLES
MAX_NODES = 5000


@dataclass(frozen=True, repr=False)
class BrokerageResult(Result):
    """Gould-Fernandez brokerage of every firm and of the whole network.

    Attributes
    ----------
    raw, expected, sd, z : pandas.DataFrame
        Indexed by ``firm_id``; columns ``coordinator``, ``itinerant``, ``representative``,
        ``gatekeeper``, ``liaison``, ``total``. ``expected`` and ``sd`` come from the Bernoulli
        null model (R sna's ``brokerage``); ``z`` = (raw - expected) / sd, NaN where sd = 0.
    network : pandas.DataFrame
        One row per role: ``raw`` (sum over all nodes), ``expected``, ``sd``, ``z`` and, with
        simulations, ``p_simulated``.
    groups : pandas.Series
        The group of every node (firms, and outside actors when included).
    p_simulated : pandas.DataFrame or None
        With ``n_simulations > 0``: per firm and role, the share of simulated networks with a
        count at least as high as observed, with the observed network counted as one draw.
    simulated_mean : pandas.DataFrame or None
        Per firm and role, the mean count over the simulated networks.
    relays : pandas.DataFrame
        With the cluster/outside grouping and outside actors included: one row per
        outside -> firm -> local firm relay (columns ``outside``, ``firm_id``, ``local``), the
        gatekeeper brokerage of Allen's technological gatekeeper. Empty otherwise.
    density : float
        d = m / (N(N - 1)) over all N nodes and m ties of the analysed graph.
    n_simulations : int
    seed : object
    """

    _main: ClassVar[str | None] = "z"

    raw: pd.DataFrame
    expected: pd.DataFrame
    sd: pd.DataFrame
    z: pd.DataFrame
    network: pd.DataFrame
    groups: pd.Series
    p_simulated: pd.DataFrame | None
    simulated_mean: pd.DataFrame | None
    relays: pd.DataFrame
    density: float
    n_simulations: int
    seed: object

    def summary(self) -> str:
        """Network-level brokerage, and the firms with the most gatekeeper relays."""
        lines = ["Gould-Fernandez brokerage (open two-paths a -> b -> c, no a -> c)"]
        lines.append(self.network.to_string(float_format=lambda x: f"{x:.3f}"))
        top = self.raw["gatekeeper"].sort_values(ascending=False, kind="stable").head(5)
        top = top[top > 0]
        if len(top):
            lines.append(
                "most gatekeeper brokerage: "
                + ", ".join(f"{firm} ({int(v)})" for firm, v in top.items())
            )
        return "\n".join(lines)


def _masks(codes: np.ndarray) -> dict[str, tuple[np.ndarray | None, ...]]:
    S = codes[:, None] == codes[None, :]
    D = ~S
    return {
        "coordinator": (S, S, None),
        "itinerant": (D, D, S),
        "representative": (S, D, None),
        "gatekeeper": (D, S, None),
        "liaison": (D, D, D),
        "total": (None, None, None),
    }


def broker_counts(A: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Brokerage counts of a stack of graphs.

    Parameters
    ----------
    A : array of shape (k, N, N)
        0/1 adjacency matrices (no self-ties); ``A[s, a, c] = 1`` for a tie a -> c.
    codes : array of shape (N,)
        Integer group of every node.

    Returns
    -------
    numpy.ndarray of shape (k, N, 6)
        Counts per graph, node and role (the order of ``BROKERAGE_ROLES``).
    """
    A = A.astype(np.float64, copy=False)
    n = A.shape[-1]
    open_pair = (1.0 - A) * (1.0 - np.eye(n))
    out = np.empty((A.shape[0], n, len(ROLES)))
    for r, role in enumerate(ROLES):
        P, Q, R = _masks(codes)[role]
        X = A * P if P is not None else A
        Y = A * Q if Q is not None else A
        W = open_pair * R if R is not None else open_pair
        out[:, :, r] = (X * (W @ np.swapaxes(Y, -1, -2))).sum(axis=-2)
    return out


def _pairs(k):
    """k choose 2, and 0 below 2 (what scipy's comb gives)."""
    k = np.asarray(k, dtype=float)
    return np.where(k >= 2, k * (k - 1) / 2, 0.0)


def _null_model(
    codes: np.ndarray, d: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Expected counts and variances per group (sna's exp.grp, var) and network level."""
    n = np.bincount(codes).astype(float)
    N = float(n.sum())
    q = d**2 * (1 - d)
    r = d**3 * (1 - d) ** 3
    G = len(n)
    E = np.zeros((G, 6))
    Var = np.zeros((G, 6))
    for i in range(G):
        ni = n[i]
        other = np.delete(n, i)
        E[i, 0] = q * (ni - 1) * (ni - 2)
        Var[i, 0] = E[i, 0] * (1 - q) + 2 * (ni - 1) * (ni - 2) * (ni - 3) * r
        E[i, 1] = q * np.sum(other * (other - 1))
        Var[i, 1] = E[i, 1] * (1 - q) + 2 * np.sum(other * (other - 1) * (other - 2)) * r
        E[i, 2] = q * (N - ni) * (ni - 1)
        Var[i, 2] = (
            E[i, 2] * (1 - q) + 2 * ((ni - 1) * _pairs(N - ni) + (N - ni) * _pairs(ni - 1)) * r
        )
        E[i, 3], Var[i, 3] = E[i, 2], Var[i, 2]
        E[i, 4] = q * (other.sum() ** 2 - np.sum(other**2))
        Var[i, 4] = E[i, 4] * (1 - q) + 4 * np.sum(other * _pairs(N - other - ni) * r)
        E[i, 5] = q * (N - 1) * (N - 2)
        Var[i, 5] = E[i, 5] * (1 - q) + 2 * (N - 1) * (N - 2) * (N - 3) * r

    # Whole network (sna's exp.gli and the variances behind sd.gli).
    r4 = d**4 * (1 - d) ** 2
    r5 = d**5 * (1 - d)
    eg = np.zeros(6)
    vg = np.zeros(6)
    eg[0] = q * np.sum(n * (n - 1) * (n - 2))
    vg[0] = eg[0] * (1 - q) + np.sum(
        n * (n - 1) * (n - 2) * ((4 * n - 10) * r - 4 * (n - 3) * r4 + (n - 3) * r5)
    )
    eg[1] = q * np.sum(n * (N - n) * (n - 1))
    x, y = n[:, None], n[None, :]
    vg[1] = eg[1] * (1 - q) + (
        np.sum(x * y * (x - 1) * ((2 * x + 2 * y - 6) * r + (N - x - 1) * r5))
        - np.sum(n * n * (n - 1) * ((4 * n - 6) * r + (N - n - 1) * r5))
    )
    eg[2] = q * np.sum(n * (N - n) * (n - 1))
    vg[2] = eg[2] * (1 - q) + np.sum(n * (N - n) * (n - 1) * ((N - 3) * r + (n - 2) * r5))
    eg[3], vg[3] = eg[2], vg[2]
    eg[4] = q * (np.sum(x * y * (N - x - y)) - np.sum(n * n * (N - 2 * n)))
    vg[4] = eg[4] * (1 - q)
    for i in range(G):
        for j in range(G):
            for k in range(G):
                if i != j and j != k and i != k:
                    vg[4] += (
                        n[i]
                        * n[j]
                        * n[k]
                        * (
                            (4 * (N - n[j]) - 2 * (n[i] + n[k] + 1)) * r
                            - (4 * (N - n[k]) - 2 * (n[i] + n[j] + 1)) * r4
                            + (N - (n[i] + n[k] + 1)) * r5
                        )
                    )
    eg[5] = q * N * (N - 1) * (N - 2)
    vg[5] = eg[5] * (1 - q) + N * (N - 1) * (N - 2) * (
        (4 * N - 10) * r - 4 * (N - 3) * r4 + (N - 3) * r5
    )
    return E, Var, eg, vg


def _z(raw: np.ndarray, expected: np.ndarray, sd: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(sd > 0, (raw - expected) / np.where(sd > 0, sd, 1.0), np.nan)


def brokerage(
    survey: Survey,
    groups: str | Mapping[str, object] | pd.Series = "cluster",
    *,
    include_external: bool = True,
    n_simulations: int = 0,
    seed: int | np.random.Generator | None = None,
    relation: str | None = None,
    wave: str | None = None,
    missing: str | None = None,
) -> BrokerageResult:
    r"""Gould-Fernandez brokerage: raw counts, Bernoulli null expectations, z-scores, p-values.

    Parameters
    ----------
    survey : Survey
        A validated survey.
    groups : "cluster", str, mapping or pandas.Series
        ``"cluster"`` (default): every firm in group ``cluster`` and every outside actor in group
        ``outside``; then a firm's ``gatekeeper`` count is the number of outside -> firm -> local
        firm relays (Allen's technological gatekeeper, measured). Or a firm attribute name, or a
        mapping from firm id to group; outside actors then form the group ``outside``.
    include_external : bool
        Add outside actors as nodes, with their ``in`` ties (actor -> firm) and ``out`` ties
        (firm -> actor). Counts are exact, on sparse matrices, at any size (see
        :mod:`kflow.roles.sparse_brokerage`).
    n_simulations : int
        Number of simulated Bernoulli digraphs (same number of nodes, density and groups) for
        the ``p_simulated`` p-values; 0 skips them. Normality of z is doubtful in small networks.
        Simulated graphs are dense: up to 5,000 nodes.
    seed : int or numpy.random.Generator, optional
        Seed of the simulations.
    relation, wave, missing
        The layer and the treatment of non-respondents, as in :func:`kflow.centrality`. Under
        ``"nan"`` a non-respondent's own counts are NaN (its unknown ties are part of them).

    Returns
    -------
    BrokerageResult

    Notes
    -----
    Broker b of the ordered pair (a, c) sits on an open two-path a -> b -> c (no a -> c tie); its
    role follows the groups of a, b and c [1]_. Under a Bernoulli digraph of density
    :math:`d = m / (N(N-1))` with :math:`q = d^2 (1-d)` and :math:`n_i` the size of the broker's
    group, the expected counts are

    .. math::

        E_{\mathrm{coordinator}} = q (n_i - 1)(n_i - 2), \qquad
        E_{\mathrm{gatekeeper}} = E_{\mathrm{representative}} = q (N - n_i)(n_i - 1),

        E_{\mathrm{itinerant}} = q \sum_{g \ne i} n_g (n_g - 1), \qquad
        E_{\mathrm{liaison}} = q \Big[\big(\sum_{g \ne i} n_g\big)^2 - \sum_{g \ne i} n_g^2\Big],
        \qquad E_{\mathrm{total}} = q (N-1)(N-2)

    with the variances of the methods page (as R sna's ``brokerage``) and
    :math:`z = (\mathrm{raw} - E) / \sqrt{\mathrm{Var}}`, NaN where the variance is 0. Simulated
    p-values count the observed network as one draw [2]_.

    See Also
    --------
    classify_roles : the survey-based gatekeeper role.
    external_openness : outside ties per firm.

    References
    ----------
    .. [1] Gould, R. V., & Fernandez, R. M. (1989). Structures of mediation: a formal approach to
       brokerage in transaction networks. *Sociological Methodology*, 19, 89-126.
       https://doi.org/10.2307/270949
    .. [2] Phipson, B., & Smyth, G. K. (2010). Permutation p-values should never be zero.
       *Statistical Applications in Genetics and Molecular Biology*, 9(1), 39.
       https://doi.org/10.2202/1544-6115.1585

    Examples
    --------
    >>> import pandas as pd, kflow
    >>> ties = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"]})
    >>> s = kflow.read_survey(ties, orientation="flow",
    ...                       firms=pd.DataFrame({"firm_id": list("abc"), "g": [1, 2, 2]}))
    >>> kflow.brokerage(s, "g", include_external=False).raw.loc["b"].tolist()
    [0.0, 0.0, 0.0, 1.0, 0.0, 1.0]
    """
    survey = focus(survey, wave)
    fn = "brokerage"
    check_count(n_simulations, "n_simulations", fn)
    missing = resolve_missing(survey, missing, fn)
    layer = build_layer(survey, *one_layer(survey, relation, wave), missing)
    firm_ids = layer.firm_ids
    firm_groups = resolve_groups(survey, groups, fn, cluster=True)
    nodes, labels, src, dst = _broker_graph(survey, layer, firm_groups, include_external)
    N = len(nodes)
    if n_simulations > 0 and N > MAX_NODES:
        n_firms = len(layer.firm_ids)
        raise KflowError(
            f"brokerage simulates Bernoulli digraphs as dense matrices, up to {MAX_NODES:,} "
            f"nodes (firms and outside actors); this graph has {N:,} ({n_firms:,} firms, "
            f"{N - n_firms:,} outside actors). Use the z-scores of the analytic null model "
            "(n_simulations=0), or analyse a cluster, a region or a sample."
        )
    edges = pd.DataFrame({"a": np.asarray(src, dtype=np.int64),
                          "c": np.asarray(dst, dtype=np.int64)}).drop_duplicates()
    edges = edges[edges["a"] != edges["c"]]
    m = len(edges)
    d = m / (N * (N - 1)) if N > 1 else float("nan")
    codes = pd.factorize(pd.Series(labels, dtype=object), sort=True)[0]
    # sna orders groups by first appearance; the null model only needs the sizes, so any order.
    from kflow.roles.sparse_brokerage import sparse_broker_counts  # loads scipy.sparse

    raw_all = sparse_broker_counts(edges["a"].to_numpy(), edges["c"].to_numpy(), codes)
    E_grp, V_grp, e_net, v_net = _null_model(codes, d)
    expected_all = E_grp[codes]
    sd_all = np.sqrt(V_grp[codes])

    n_f = len(firm_ids)
    index = pd.Index(firm_ids, name=V.FIRM_ID)
    unknown = layer.unknown_in | layer.unknown_out

    def firm_table(values: np.ndarray) -> pd.DataFrame:
        table = pd.DataFrame(values[:n_f], index=index, columns=list(ROLES))
        table.loc[unknown, :] = np.nan
        return table

    net_raw = raw_all.sum(axis=0)
    net_sd = np.sqrt(v_net)
    network = pd.DataFrame(
        {"raw": net_raw, "expected": e_net, "sd": net_sd, "z": _z(net_raw, e_net, net_sd)},
        index=pd.Index(ROLES, name="role"),
    )
    p_sim = sim_mean = None
    rng = as_generator(seed, fn)
    if n_simulations > 0:
        ge, totals, net_p = _simulate(raw_all, codes, d, n_simulations, rng)
        p_sim, sim_mean = firm_table(ge), firm_table(totals)
        network["p_simulated"] = net_p

    relays = pd.DataFrame(columns=["outside", V.FIRM_ID, "local"], dtype=object)
    by_cluster = isinstance(groups, str) and groups == "cluster"
    if include_external and len(survey.external) and by_cluster:
        relays = _relays(edges, nodes, n_f)

    return BrokerageResult(
        raw=firm_table(raw_all),
        expected=firm_table(expected_all),
        sd=firm_table(sd_all),
        z=firm_table(_z(raw_all, expected_all, sd_all)),
        network=network,
        groups=pd.Series(labels, index=pd.Index(nodes, name="node"), name="group"),
        p_simulated=p_sim,
        simulated_mean=sim_mean,
        relays=relays,
        density=d,
        n_simulations=int(n_simulations),
        seed=seed_echo(seed),
    )


def _broker_graph(
    survey: Survey, layer, firm_groups: pd.Series, include_external: bool
) -> tuple[list[str], list[str], list[int], list[int]]:
    """Nodes (firms, then outside actors), their group labels, and the edges as positions."""
    labels = [str(g) for g in firm_groups.tolist()]
    src, dst = list(layer.src), list(layer.dst)
    nodes = list(layer.firm_ids)
    ext = survey.external
    if not (include_external and len(ext)):
        return nodes, labels, src, dst
    if V.GROUP_OUTSIDE in set(labels):
        raise SurveyError(
            "brokerage: a firm group is named 'outside', the group of outside actors; rename it."
        )
    actors = V.sorted_ids(ext[V.ACTOR])
    pos = {a: len(nodes) + i for i, a in enumerate(actors)}
    firm_pos = {f: i for i, f in enumerate(layer.firm_ids)}
    nodes += actors
    labels += [V.GROUP_OUTSIDE] * len(actors)
    for firm, actor, direction in ext[[V.FIRM_ID, V.ACTOR, V.DIRECTION]].itertuples(index=False):
        a, f = pos[actor], firm_pos[firm]
        src.append(a if direction == "in" else f)
        dst.append(f if direction == "in" else a)
    return nodes, labels, src, dst


def _simulate(
    raw_all: np.ndarray, codes: np.ndarray, d: float, n_simulations: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Monte Carlo p-values and mean counts from Bernoulli digraphs of density ``d``, in blocks
    that keep memory bounded; returns node p-values, node means and network p-values."""
    N = len(codes)
    ge = np.zeros((N, 6))
    totals = np.zeros((N, 6))
    net_ge = np.zeros(6)
    net_raw = raw_all.sum(axis=0)
    chunk = max(1, min(n_simulations, 4_000_000 // max(N * N, 1)))
    done = 0
    while done < n_simulations:
        k = min(chunk, n_simulations - done)
        sims = (rng.random((k, N, N)) < d).astype(np.float64)
        sims[:, np.arange(N), np.arange(N)] = 0.0
        counts = broker_counts(sims, codes)
        ge += exceedances(raw_all, counts)
        totals += counts.sum(axis=0)
        net_ge += exceedances(net_raw, counts.sum(axis=1))
        done += k
    return (
        p_from_counts(ge, n_simulations),
        totals / n_simulations,
        p_from_counts(net_ge, n_simulations),
    )


def _relays(edges: pd.DataFrame, nodes: list[str], n_firms: int) -> pd.DataFrame:
    """Every outside -> firm -> local firm open two-path (no direct outside -> local tie)."""
    inbound = edges[(edges["a"] >= n_firms) & (edges["c"] < n_firms)]
    local = edges[(edges["a"] < n_firms) & (edges["c"] < n_firms)]
    paths = inbound.merge(local, left_on="c", right_on="a", suffixes=("_x", "_y"))
    paths = paths.rename(columns={"a_x": "x", "c_x": "b", "c_y": "c"})[["x", "b", "c"]]
    closed = paths.merge(edges, left_on=["x", "c"], right_on=["a", "c"], how="left",
                         indicator=True)["_merge"].eq("both").to_numpy()
    paths = paths[~closed].sort_values(["b", "x", "c"], kind="stable")
    names = np.asarray(nodes, dtype=object)
    return pd.DataFrame({"outside": names[paths["x"].to_numpy()],
                         V.FIRM_ID: names[paths["b"].to_numpy()],
                         "local": names[paths["c"].to_numpy()]}, dtype=object)
