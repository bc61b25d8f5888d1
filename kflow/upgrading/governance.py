"""Value-chain governance profiles of clusters (book Table 9.2)."""

from __future__ import annotations

import pandas as pd

from kflow._validation import require_columns
from kflow.exceptions import DataError, show_value

__all__ = ["MODES", "governance_long", "governance_profile"]

#: Governance modes of Table 9.2, coded 0 absent, 1 domestic chain, 2 global chain, 3 both.
MODES = ("market", "network", "quasi_hierarchy", "hierarchy")


def _codes(table: pd.DataFrame, prefix: str) -> pd.DataFrame:
    cols = [f"{prefix}{m}" for m in MODES]
    require_columns(table, cols, "governance", hint=f"Expected {', '.join(cols)} coded 0-3.")
    codes = table[cols].apply(pd.to_numeric, errors="coerce")
    bad = table[cols].notna() & ~codes.isin([0, 1, 2, 3])
    if bad.to_numpy().any():
        row = bad.any(axis=1).idxmax()
        col = bad.loc[row].idxmax()
        raise DataError(
            f"governance: row {row!r}, column {col!r}: value {show_value(table.loc[row, col])} "
            "is not a Table 9.2 code (0 absent, 1 domestic chain, 2 global chain, 3 domestic "
            "and global)."
        )
    codes.columns = list(MODES)
    return codes


def governance_profile(table: pd.DataFrame, *, prefix: str = "governance_") -> pd.DataFrame:
    r"""Which governance modes each cluster has, and whether in global chains.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per cluster with columns ``{prefix}market``, ``{prefix}network``,
        ``{prefix}quasi_hierarchy``, ``{prefix}hierarchy`` coded 0-3 (N/A as missing).
    prefix : str
        Column prefix (``"governance_"`` as in the bundled ``latin_american_clusters``).

    Returns
    -------
    pandas.DataFrame
        The input with, per mode, ``{mode}_present`` (code > 0), ``{mode}_global`` (code 2 or
        3), ``{mode}_domestic`` (code 1 or 3); and ``modes_present`` (names joined by "+"),
        ``n_modes``, ``any_global`` (a global chain of any mode) and ``coded`` (False where the
        book has N/A).

    Notes
    -----
    Each of the four governance modes of [2]_ (market, network, quasi-hierarchy, hierarchy) is
    coded as in [1]_, Table 9.2: 0 absent, 1 domestic chain, 2 global chain, 3 both. The profile
    says, for each cluster and mode, whether the mode is present in a global chain (code 2 or 3)
    and in a domestic chain (code 1 or 3).

    See Also
    --------
    governance_long : one row per cluster and mode.

    References
    ----------
    .. [1] Pietrobelli, C., & Rabellotti, R. (Eds.) (2006). *Upgrading to Compete: Global Value
       Chains, Clusters, and SMEs in Latin America*. Inter-American Development Bank.
    .. [2] Gereffi, G., Humphrey, J., & Sturgeon, T. (2005). The governance of global value chains.
       *Review of International Political Economy*, 12(1), 78-104.
       https://doi.org/10.1080/09692290500049805

    Examples
    --------
    >>> import pandas as pd
    >>> from kflow.upgrading import governance_profile
    >>> t = pd.DataFrame({"governance_market": [3], "governance_network": [0],
    ...                   "governance_quasi_hierarchy": [2], "governance_hierarchy": [0]})
    >>> p = governance_profile(t)
    >>> p.loc[0, "modes_present"], int(p.loc[0, "n_modes"]), bool(p.loc[0, "any_global"])
    ('market+quasi_hierarchy', 2, True)
    """
    codes = _codes(table, prefix)
    out = table.copy()
    coded = codes.notna().all(axis=1)
    for mode in MODES:
        c = codes[mode]
        out[f"{mode}_present"] = (c > 0).where(coded)
        out[f"{mode}_global"] = c.isin([2, 3]).where(coded)
        out[f"{mode}_domestic"] = c.isin([1, 3]).where(coded)
    out["modes_present"] = [
        "+".join(m for m in MODES if row[m] > 0) if ok else None
        for (_, row), ok in zip(codes.iterrows(), coded, strict=True)
    ]
    out["n_modes"] = (codes > 0).sum(axis=1).where(coded)
    out["any_global"] = codes.isin([2, 3]).any(axis=1).where(coded)
    out["coded"] = coded
    return out


def governance_long(
    table: pd.DataFrame, *, id_columns=None, prefix: str = "governance_"
) -> pd.DataFrame:
    r"""Governance codes in tidy long form for plotting: one row per cluster and mode, with
    ``code``, ``present``, ``domestic`` and ``global``.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per cluster with the four ``{prefix}{mode}`` code columns.
    id_columns : sequence of str, optional
        Columns that identify a cluster, repeated on each of its rows (default: none).
    prefix : str
        The prefix of the code columns.

    Returns
    -------
    pandas.DataFrame
        One row per (cluster, mode): the id columns, ``mode``, ``code``, ``present``,
        ``domestic`` and ``global``.

    Notes
    -----
    The codes of [1]_, Table 9.2, one row per (cluster, mode), with the chain (domestic, global) the
    code stands for; governance modes after [2]_.

    See Also
    --------
    governance_profile : the counts per mode.

    References
    ----------
    .. [1] Pietrobelli, C., & Rabellotti, R. (Eds.) (2006). *Upgrading to Compete: Global Value
       Chains, Clusters, and SMEs in Latin America*. Inter-American Development Bank.
    .. [2] Gereffi, G., Humphrey, J., & Sturgeon, T. (2005). The governance of global value chains.
       *Review of International Political Economy*, 12(1), 78-104.
       https://doi.org/10.1080/09692290500049805

    Examples
    --------
    >>> import kflow
    >>> from kflow.upgrading import governance_long
    >>> t = kflow.datasets.load_table("latin_american_clusters")
    >>> len(governance_long(t, id_columns=["location", "product"]))
    160
    """
    codes = _codes(table, prefix)
    ids = table[list(id_columns)] if id_columns else pd.DataFrame(index=table.index)
    long = codes.join(ids).melt(
        id_vars=list(ids.columns), var_name="mode", value_name="code", ignore_index=False
    )
    long["present"] = (long["code"] > 0).where(long["code"].notna())
    long["domestic"] = long["code"].isin([1, 3]).where(long["code"].notna())
    long["global"] = long["code"].isin([2, 3]).where(long["code"].notna())
    return long.reset_index(drop=True)
