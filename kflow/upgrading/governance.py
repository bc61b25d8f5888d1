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
    """Which governance modes each cluster has, and whether in global chains.

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
    """Governance codes in tidy long form for plotting: one row per cluster and mode, with
    ``code``, ``present``, ``domestic`` and ``global``.

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
