"""Collective efficiency and upgrading scores of clusters (book chapters 1 and 9)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from kflow._validation import check_scale, require_columns

__all__ = [
    "EE_COMPONENTS",
    "JA_COMPONENTS",
    "SECTORS",
    "collective_efficiency",
    "compare_upgrading",
    "sector_summary",
    "upgrading_scores",
]

EE_COMPONENTS = ("specialized_labor_market", "local_inputs", "information_and_market_access")
JA_COMPONENTS = (
    "backward_vertical",
    "forward_vertical",
    "bilateral_horizontal",
    "multilateral_horizontal",
)
#: The four sectoral groups of the book's Table 1.1, in its order.
SECTORS = (
    "traditional manufacturing",
    "natural-resource-based",
    "complex products",
    "specialized suppliers",
)
UPGRADING = (
    "product_upgrading",
    "process_upgrading",
    "functional_upgrading",
    "intersectoral_upgrading",
)
CE_LEVELS = {"Low": 1, "Medium": 2, "High": 3}


def _check_scale(table: pd.DataFrame, columns: Sequence[str], function: str) -> pd.DataFrame:
    require_columns(table, columns, function, hint=f"Each of {', '.join(columns)} is rated 0-3.")
    check_scale(table, columns, function)
    return table[list(columns)].apply(pd.to_numeric, errors="coerce")


def collective_efficiency(table: pd.DataFrame) -> pd.DataFrame:
    r"""External economies, joint action and the collective efficiency index per cluster.

    EE = sum of the 0-3 ratings of a specialized labour market, local availability of inputs, and
    access to information and markets (0-9); JA = sum of the 0-3 ratings of backward vertical,
    forward vertical, bilateral horizontal and multilateral horizontal linkages (0-12);
    CE = 0.5 EE + 0.5 JA (Pietrobelli & Rabellotti 2006, Table 9.1 note; Schmitz 1995).

    Parameters
    ----------
    table : pandas.DataFrame
        One row per cluster with the seven rating columns (see ``EE_COMPONENTS`` and
        ``JA_COMPONENTS``); other columns (e.g. ``sector``) are kept.

    Returns
    -------
    pandas.DataFrame
        The input with ``ee``, ``ja`` and ``ce`` added (NaN where a rating is missing).

    Raises
    ------
    DataError
        A missing column, or a rating outside 0-3 (naming the row, column and value).

    Notes
    -----
    .. math::

        EE = \sum_{k \in \{\text{labour}, \text{inputs}, \text{information}\}} r_k, \quad
        JA = \sum_{k \in \{\text{backward}, \text{forward}, \text{bilateral}, \text{multilateral}\}}
        r_k, \quad CE = 0.5\,EE + 0.5\,JA

    with every rating :math:`r_k` on 0-3: the collective efficiency of [2]_ as tabulated for Latin
    American clusters in [1]_ (Table 9.1 and its note).

    See Also
    --------
    sector_summary : the same figures averaged by sector.
    governance_profile : the chain governance of the same clusters.

    References
    ----------
    .. [1] Pietrobelli, C., & Rabellotti, R. (Eds.) (2006). *Upgrading to Compete: Global Value
       Chains, Clusters, and SMEs in Latin America*. Inter-American Development Bank.
    .. [2] Schmitz, H. (1995). Collective efficiency: growth path for small-scale industry. *Journal
       of Development Studies*, 31(4), 529-566. https://doi.org/10.1080/00220389508422377

    Examples
    --------
    >>> import pandas as pd
    >>> from kflow.upgrading import collective_efficiency
    >>> t = pd.DataFrame({"specialized_labor_market": [3], "local_inputs": [2],
    ...                   "information_and_market_access": [3], "backward_vertical": [2],
    ...                   "forward_vertical": [1], "bilateral_horizontal": [1],
    ...                   "multilateral_horizontal": [0]})
    >>> collective_efficiency(t)[["ee", "ja", "ce"]].values.tolist()
    [[8.0, 4.0, 6.0]]
    """
    values = _check_scale(table, [*EE_COMPONENTS, *JA_COMPONENTS], "collective_efficiency")
    out = table.copy()
    out["ee"] = values[list(EE_COMPONENTS)].sum(axis=1, min_count=len(EE_COMPONENTS))
    out["ja"] = values[list(JA_COMPONENTS)].sum(axis=1, min_count=len(JA_COMPONENTS))
    out["ce"] = 0.5 * out["ee"] + 0.5 * out["ja"]
    return out


def sector_summary(
    table: pd.DataFrame, columns: Sequence[str], *, sector: str = "sector"
) -> pd.DataFrame:
    r"""Mean (and count) of ``columns`` per sector, sectors in the order of the book's Table 1.1.

    Notes
    -----
    The mean of EE, JA and CE over the clusters of each sector, as in [1]_, Table 9.1.

    See Also
    --------
    collective_efficiency : the figures per cluster.

    References
    ----------
    .. [1] Pietrobelli, C., & Rabellotti, R. (Eds.) (2006). *Upgrading to Compete: Global Value
       Chains, Clusters, and SMEs in Latin America*. Inter-American Development Bank.

    Examples
    --------
    >>> import pandas as pd
    >>> from kflow.upgrading import sector_summary
    >>> t = pd.DataFrame({"sector": ["complex products", "complex products"], "ce": [5.0, 6.0]})
    >>> float(sector_summary(t, ["ce"]).loc["complex products", "ce"])
    5.5
    """
    if sector not in table.columns:
        require_columns(table, [sector], "sector_summary")
    grouped = table.groupby(sector, sort=False)
    out = grouped[list(columns)].mean()
    out.insert(0, "n_clusters", grouped.size())
    order = [s for s in SECTORS if s in out.index] + [s for s in out.index if s not in SECTORS]
    return out.loc[order]


def upgrading_scores(table: pd.DataFrame) -> pd.DataFrame:
    r"""Validate the four 0-3 upgrading ratings of each cluster and add their sum
    (``upgrading_sum``; a missing rating counts as 0 in the sum, as the book's tables do, and
    ``n_rated`` says how many were rated).

    Notes
    -----
    Product, process, functional and intersectoral upgrading, each rated 0-3 [2]_, and their sum
    :math:`U = \sum_k u_k` (0-12), as in the cluster tables of [1]_ (Tables 9.2-9.6).

    See Also
    --------
    compare_upgrading : upgrading across groups of clusters.
    link_upgrading : upgrading of firms against their network positions.

    References
    ----------
    .. [1] Pietrobelli, C., & Rabellotti, R. (Eds.) (2006). *Upgrading to Compete: Global Value
       Chains, Clusters, and SMEs in Latin America*. Inter-American Development Bank.
    .. [2] Humphrey, J., & Schmitz, H. (2002). How does insertion in global value chains affect
       upgrading in industrial clusters? *Regional Studies*, 36(9), 1017-1027.
       https://doi.org/10.1080/0034340022000022198

    Examples
    --------
    >>> import pandas as pd
    >>> from kflow.upgrading import upgrading_scores
    >>> t = pd.DataFrame({"product_upgrading": [3], "process_upgrading": [3],
    ...                   "functional_upgrading": [1.5], "intersectoral_upgrading": [0]})
    >>> float(upgrading_scores(t)["upgrading_sum"].iloc[0])
    7.5
    """
    values = _check_scale(table, UPGRADING, "upgrading_scores")
    out = table.copy()
    out["upgrading_sum"] = values.sum(axis=1, min_count=1)
    out["n_rated"] = values.notna().sum(axis=1)
    return out


def compare_upgrading(
    table: pd.DataFrame,
    *,
    by: str = "sector",
    outcome: str = "upgrading_sum",
    n_permutations: int = 9999,
    seed: int | None = None,
):
    r"""Compare an upgrading score across groups of clusters (sector, degree of collective
    efficiency, a governance mode ...), with the group tests of :func:`kflow.compare_groups`
    (Kruskal-Wallis, pairwise Mann-Whitney, permutation p-values).

    Parameters
    ----------
    table : pandas.DataFrame
        One row per cluster, with the grouping column and the outcome (e.g. the output of
        :func:`upgrading_scores`).
    by : str
        The grouping column (default ``"sector"``).
    outcome : str
        The upgrading score to compare (default ``"upgrading_sum"``, the sum of the four types).
    n_permutations : int
        Permutations of the group labels for the p-values.
    seed : int, optional
        Seed of the permutations.

    Returns
    -------
    kflow.GroupComparison
        The omnibus test, the pairs of groups and the group sizes, means and medians.

    Notes
    -----
    The outcome is compared across the groups with :func:`kflow.compare_groups`
    (Kruskal-Wallis with :math:`\varepsilon^2 = H/(n-1)` and pairwise Mann-Whitney tests) [2]_;
    upgrading types as in [1]_.

    See Also
    --------
    upgrading_scores : the scores being compared.
    kflow.compare_groups : the tests.

    References
    ----------
    .. [1] Pietrobelli, C., & Rabellotti, R. (Eds.) (2006). *Upgrading to Compete: Global Value
       Chains, Clusters, and SMEs in Latin America*. Inter-American Development Bank.
    .. [2] Kruskal, W. H., & Wallis, W. A. (1952). Use of ranks in one-criterion variance analysis.
       *Journal of the American Statistical Association*, 47(260), 583-621.
       https://doi.org/10.1080/01621459.1952.10483441

    Examples
    --------
    >>> import kflow
    >>> from kflow.upgrading import compare_upgrading, upgrading_scores
    >>> t = upgrading_scores(kflow.datasets.load_table("latin_american_clusters")
    ...                      .dropna(subset=["product_upgrading"]))
    >>> compare_upgrading(t, by="collective_efficiency", n_permutations=99, seed=0).omnibus[
    ...     "n"].item()
    35
    """
    from kflow.outcomes.groups import compare_groups

    data = table if outcome in table.columns else upgrading_scores(table)
    return compare_groups(
        data.reset_index(drop=True), outcome, by=by, n_permutations=n_permutations, seed=seed
    )
