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
    """External economies, joint action and the collective efficiency index per cluster.

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
    """Mean (and count) of ``columns`` per sector, sectors in the order of the book's Table 1.1.

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
    """Validate the four 0-3 upgrading ratings of each cluster and add their sum
    (``upgrading_sum``; a missing rating counts as 0 in the sum, as the book's tables do, and
    ``n_rated`` says how many were rated).

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
    """Compare an upgrading score across groups of clusters (sector, degree of collective
    efficiency, a governance mode ...), with the group tests of :func:`kflow.compare_groups`
    (Kruskal-Wallis, pairwise Mann-Whitney, permutation p-values).

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
