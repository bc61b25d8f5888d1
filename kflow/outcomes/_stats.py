"""Shared statistics helpers of the outcome tests: p-value adjustment and outcome-scale checks."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kflow._validation import check_scale
from kflow.exceptions import bad_parameter

ADJUSTMENTS = ("holm", "bh", "none")
UPGRADING_TYPES = ("product", "process", "functional", "intersectoral")


def adjust_p(p: np.ndarray, method: str, function: str = "adjust_p") -> np.ndarray:
    """Adjust p-values for multiple comparisons.

    ``"holm"``: Holm (1979) step-down, p_(i) (m - i + 1), made monotone, capped at 1;
    ``"bh"``: Benjamini & Hochberg (1995) step-up, p_(i) m / i, made monotone, capped at 1;
    ``"none"``: unchanged. NaN p-values are left out of m and stay NaN.

    Examples
    --------
    >>> adjust_p(np.array([0.01, 0.04, 0.03]), "holm").round(3).tolist()
    [0.03, 0.06, 0.06]
    """
    if method not in ADJUSTMENTS:
        raise bad_parameter(function, "adjust", f"one of {set(ADJUSTMENTS)}", method)
    p = np.asarray(p, dtype=float)
    out = np.full_like(p, np.nan)
    ok = ~np.isnan(p)
    q = p[ok]
    m = len(q)
    if m == 0 or method == "none":
        out[ok] = q
        return out
    order = np.argsort(q, kind="stable")
    ranked = q[order]
    if method == "holm":
        adj = np.maximum.accumulate(ranked * (m - np.arange(m)))
    else:
        adj = np.minimum.accumulate((ranked * m / np.arange(1, m + 1))[::-1])[::-1]
    adj = np.minimum(adj, 1.0)
    result = np.empty(m)
    result[order] = adj
    out[ok] = result
    return out


def check_upgrading_scale(data: pd.DataFrame, columns, source: str = "data") -> None:
    """Upgrading scores must lie on the 0-3 scale (0 absent, 1 low, 2 medium, 3 high)."""
    check_scale(data, list(columns), source, what="upgrading", row_word="firm")
