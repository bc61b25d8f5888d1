"""Whole-network description: size, density, reciprocity, transitivity, Freeman centralization.

Counts use a sparse adjacency matrix (no Python loop over ties), components come from igraph.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kflow import vocabulary as V
from kflow._layers import Layer, build_layer, focus, layer_keys, one_layer, resolve_missing
from kflow._random import as_generator
from kflow._validation import check_count
from kflow.exceptions import bad_parameter
from kflow.measures.centrality import centrality_of_layer, flow_graph
from kflow.survey import Survey

if TYPE_CHECKING:
    import scipy.sparse

__all__ = ["SUMMARY_FIELDS", "freeman_centralization", "network_summaries", "network_summary"]

#: The fields of :func:`network_summary`, in order.
SUMMARY_FIELDS = (
    "relation",
    "wave",
    "n_firms",
    "n_ties",
    "density",
    "mean_out_degree",
    "reciprocity",
    "n_reciprocated_ties",
    "transitivity",
    "n_transitive_triplets",
    "n_three_cycles",
    "in_centralization",
    "out_centralization",
    "betweenness_centralization",
    "n_weak_components",
    "n_strong_components",
    "n_isolates",
    "n_respondents",
    "response_rate",
    "missing",
)


def freeman_centralization(scores: np.ndarray, max_sum: float) -> float:
    """Freeman (1979) centralization: sum_i (max_j c_j - c_i) / max_sum.

    ``max_sum`` is the largest value the sum can take on a graph of the same size: (n - 1)^2 for
    directed in- or out-degree, (n - 1)^2 (n - 2) for directed raw betweenness.

    Examples
    --------
    >>> import numpy as np
    >>> freeman_centralization(np.array([3.0, 0, 0, 0]), max_sum=9.0)  # out-star on 4 nodes
    1.0
    """
    scores = np.asarray(scores, dtype=float)
    if len(scores) == 0 or not max_sum:
        return float("nan")
    return float((scores.max() - scores).sum() / max_sum)


def _adjacency(layer: Layer) -> scipy.sparse.csr_matrix:
    import scipy.sparse as sp  # loaded when a summary is asked for

    ones = np.ones(layer.m)
    return sp.csr_matrix((ones, (layer.src, layer.dst)), shape=(layer.n, layer.n))


def _summary_of_layer(survey: Survey, layer: Layer, pivots: np.ndarray | None = None) -> dict:
    n, m = layer.n, layer.m
    A = _adjacency(layer)
    At = A.T.tocsr()
    mutual = float(A.multiply(At).sum())
    A2 = A @ A
    two_paths = float(A2.sum() - A2.diagonal().sum())
    transitive = float(A.multiply(A2).sum())
    # trace(A^3) counts each directed 3-cycle once from each of its three firms.
    cycles = float((A2.multiply(At)).sum()) / 3.0
    degrees = centrality_of_layer(layer, ["out_degree", "in_degree", "betweenness_raw"], False,
                                  pivots)
    g = flow_graph(layer)
    isolates = int(((degrees["out_degree"] + degrees["in_degree"]) == 0).sum())
    respondents = int(survey.firms["respondent"].sum())
    return {
        "relation": layer.relation,
        "wave": layer.wave,
        "n_firms": n,
        "n_ties": m,
        "density": m / (n * (n - 1)) if n > 1 else float("nan"),
        "mean_out_degree": m / n if n else float("nan"),
        "reciprocity": mutual / m if m else float("nan"),
        "n_reciprocated_ties": int(mutual),
        "transitivity": transitive / two_paths if two_paths else float("nan"),
        "n_transitive_triplets": int(transitive),
        "n_three_cycles": int(cycles),
        "in_centralization": freeman_centralization(degrees["in_degree"], (n - 1) ** 2),
        "out_centralization": freeman_centralization(degrees["out_degree"], (n - 1) ** 2),
        "betweenness_centralization": freeman_centralization(
            degrees["betweenness_raw"], (n - 1) ** 2 * (n - 2)
        ),
        "n_weak_components": len(g.connected_components(mode="weak")),
        "n_strong_components": len(g.connected_components(mode="strong")),
        "n_isolates": isolates,
        "n_respondents": respondents,
        "response_rate": respondents / n if n else float("nan"),
        "missing": layer.missing,
    }


def network_summary(
    survey: Survey,
    *,
    relation: str | None = None,
    wave: str | None = None,
    missing: str | None = None,
    k: int | None = None,
    seed: int | None = None,
) -> pd.Series | pd.DataFrame:
    r"""Describe the whole knowledge network of one relation and wave.

    Parameters
    ----------
    survey : Survey
        A validated survey.
    relation, wave : str, optional
        The layer (default: the only one; a survey with several needs the choice, and
        :func:`network_summaries` gives them all).
    missing : {"nan", "zero", "reconstruct"}, optional
        Treatment of non-respondents (default: the survey's). Under "nan" and "zero" the
        whole-network figures use the observed ties; under "reconstruct" the reconstructed ones.
    k : int, optional
        Estimate the betweenness behind ``betweenness_centralization`` from the shortest paths
        of ``k`` source firms drawn at random (Brandes and Pich 2007, as
        :func:`kflow.centrality` with ``k=``); exact when None or ``k >= n``. The number of
        sources used is in ``attrs["path_sources"]``.
    seed : int, optional
        Seed of the sampled sources.

    Returns
    -------
    pandas.Series
        Fields (see :data:`SUMMARY_FIELDS`):

        - ``n_firms`` n, ``n_ties`` m, ``density`` = m / (n(n - 1)), ``mean_out_degree`` = m / n;
        - ``reciprocity`` = reciprocated ties / m, with ``n_reciprocated_ties`` counting ordered
          ties i -> j whose reverse j -> i exists;
        - ``transitivity`` = closed two-paths / two-paths: the share of i -> j -> k (i != k) with
          i -> k (R sna ``gtrans``, weak); ``n_transitive_triplets`` = sum_{i,j,h} x_ij x_ih x_hj;
          ``n_three_cycles`` = (1/3) sum_{i,j,h} x_ij x_jh x_hi, the distinct directed 3-cycles
          (both as RSiena's target statistics);
        - ``in_centralization``, ``out_centralization``: Freeman degree centralization, sum of
          (max - c_i) over (n - 1)^2; ``betweenness_centralization``: over (n - 1)^2 (n - 2);
        - ``n_weak_components``, ``n_strong_components``, ``n_isolates`` (no tie either way);
        - ``n_respondents``, ``response_rate``, ``missing`` (the treatment used).

    Notes
    -----
    Density and reciprocity of a network of n firms and m ties:

    .. math::

        \mathrm{density} = \frac{m}{n(n-1)}, \qquad
        \mathrm{reciprocity} = \frac{|\{(i, j): x_{ij} = x_{ji} = 1\}|}{m}

    Freeman centralization of a centrality c with maximum :math:`c^*` [1]_:

    .. math::

        C = \frac{\sum_i (c^* - c_i)}{\max \sum_i (c^* - c_i)}

    with the maximum :math:`(n-1)^2` for directed in- and out-degree and :math:`(n-1)^2 (n-2)` for
    raw directed betweenness. Transitive triplets and three-cycles are the counts RSiena reports as
    target statistics [3]_; the definitions follow [2]_, ch. 5 and 8.

    See Also
    --------
    network_summaries : the same figures for every layer of a survey.
    centrality : the firm-level measures behind the centralization.

    References
    ----------
    .. [1] Freeman, L. C. (1979). Centrality in social networks: conceptual clarification. *Social
       Networks*, 1(3), 215-239. https://doi.org/10.1016/0378-8733(78)90021-7
    .. [2] Wasserman, S., & Faust, K. (1994). *Social Network Analysis: Methods and Applications*.
       Cambridge University Press. https://doi.org/10.1017/CBO9780511815478
    .. [3] Snijders, T. A. B., van de Bunt, G. G., & Steglich, C. E. G. (2010). Introduction to
       stochastic actor-based models for network dynamics. *Social Networks*, 32(1), 44-60.
       https://doi.org/10.1016/j.socnet.2009.02.004

    Examples
    --------
    >>> import pandas as pd, kflow
    >>> s = kflow.read_survey(pd.DataFrame({"source": ["a", "b", "b"], "target": ["b", "a", "c"]}),
    ...                       orientation="flow")
    >>> kflow.network_summary(s)[["n_ties", "reciprocity", "density"]].tolist()
    [3, 0.6666666666666666, 0.5]
    """
    survey = focus(survey, wave)
    missing = resolve_missing(survey, missing, "network_summary")
    layer = build_layer(survey, *one_layer(survey, relation, wave), missing)
    pivots = None
    if k is not None and check_count(k, "k", "network_summary") == 0:
        raise bad_parameter("network_summary", "k", "a number of source firms >= 1", k)
    if k is not None and k < layer.n:
        pivots = np.sort(as_generator(seed, "network_summary").choice(layer.n, size=int(k),
                                                                     replace=False))
    summary = pd.Series(_summary_of_layer(survey, layer, pivots), name="value", dtype=object)[
        list(SUMMARY_FIELDS)
    ]
    summary.attrs["path_sources"] = layer.n if pivots is None else len(pivots)
    return summary


def network_summaries(
    survey: Survey,
    *,
    relation: str | None = None,
    wave: str | None = None,
    missing: str | None = None,
) -> pd.DataFrame:
    r""":func:`network_summary` of every layer (relation and wave) asked for, one row each.

    Parameters
    ----------
    survey : Survey
        A validated survey.
    relation, wave : str, optional
        Restrict to one relation or one wave (default: every one present).
    missing : {"nan", "zero", "reconstruct"}, optional
        Treatment of non-respondents (default: the survey's).

    Returns
    -------
    pandas.DataFrame
        One row per layer, indexed by ``(relation, wave)``, columns the fields of
        :func:`network_summary` (less ``relation`` and ``wave``).

    See Also
    --------
    network_summary : the same figures for one layer, as a Series.

    Notes
    -----
    Each row is :func:`network_summary` of one layer; see there for every formula [1]_.

    References
    ----------
    .. [1] Freeman, L. C. (1979). Centrality in social networks: conceptual clarification. *Social
       Networks*, 1(3), 215-239. https://doi.org/10.1016/0378-8733(78)90021-7

    Examples
    --------
    >>> import pandas as pd, kflow
    >>> ties = pd.DataFrame({"source": ["a", "b", "a"], "target": ["b", "c", "c"],
    ...                      "wave": ["1", "1", "2"]})
    >>> kflow.network_summaries(kflow.read_survey(ties, orientation="flow"))["n_ties"].tolist()
    [2, 1]
    """
    missing = resolve_missing(survey, missing, "network_summaries")
    rows = []
    for r, w in layer_keys(survey, relation, wave):
        part = focus(survey, w)
        rows.append(_summary_of_layer(part, build_layer(part, r, w, missing)))
    table = pd.DataFrame(rows, columns=list(SUMMARY_FIELDS))
    return table.set_index([V.RELATION, V.WAVE])
