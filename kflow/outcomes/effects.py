"""Bootstrap confidence intervals of the effect sizes of the group comparisons.

Percentile intervals from ``n_bootstrap`` resamples drawn within each group (group sizes kept),
all resamples computed at once with numpy (Efron & Tibshirani 1993, ch. 13).
"""

from __future__ import annotations

from math import comb

import numpy as np
from scipy import stats

__all__ = ["LEVEL", "epsilon_squared_ci", "pair_ci"]

LEVEL = 0.95


def _percentile(samples: np.ndarray, level: float = LEVEL) -> tuple[float, float]:
    samples = samples[np.isfinite(samples)]
    if len(samples) == 0:
        return float("nan"), float("nan")
    tail = (1 - level) / 2 * 100
    lo, hi = np.percentile(samples, [tail, 100 - tail])
    return float(lo), float(hi)


def _within_groups(values: np.ndarray, codes: np.ndarray, rng, n_boot: int) -> np.ndarray:
    """(n_boot, n) resamples: each group's values drawn with replacement, in place."""
    out = np.empty((n_boot, len(values)))
    for g in np.unique(codes):
        where = np.flatnonzero(codes == g)
        picks = rng.integers(0, len(where), size=(n_boot, len(where)))
        out[:, where] = values[where][picks]
    return out


def _tie_factor(rows: np.ndarray) -> np.ndarray:
    """1 - sum(t^3 - t) / (n^3 - n) for each row, t the sizes of the groups of ties."""
    k, n = rows.shape
    ordered = np.sort(rows, axis=1)
    starts = np.ones((k, n), dtype=bool)
    starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    run = np.cumsum(starts, axis=1) - 1 + (np.arange(k) * n)[:, None]
    t = np.bincount(run.ravel(), minlength=k * n).reshape(k, n).astype(float)
    return 1 - (t**3 - t).sum(axis=1) / (n**3 - n)


def epsilon_squared_ci(
    values: np.ndarray, codes: np.ndarray, rng, n_boot: int, level: float = LEVEL
) -> tuple[float, float]:
    """Percentile interval of epsilon^2 = H / (n - 1), H the Kruskal-Wallis statistic."""
    if n_boot <= 0:
        return float("nan"), float("nan")
    rows = _within_groups(values, codes, rng, n_boot)
    n = len(values)
    ranks = stats.rankdata(rows, axis=1)
    onehot = codes[None, :] == np.unique(codes)[:, None]
    sums = ranks @ onehot.T.astype(float)
    sizes = onehot.sum(axis=1)
    h = 12.0 / (n * (n + 1)) * (sums**2 / sizes).sum(axis=1) - 3 * (n + 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        h = h / _tie_factor(rows)
    return _percentile(h / (n - 1), level)


def pair_ci(
    x: np.ndarray, y: np.ndarray, binary: bool, rng, n_boot: int, level: float = LEVEL
) -> tuple[float, float]:
    """Percentile interval of the rank-biserial r (or, for a binary outcome, the difference in
    shares) of two groups."""
    if n_boot <= 0:
        return float("nan"), float("nan")
    bx = x[rng.integers(0, len(x), size=(n_boot, len(x)))]
    by = y[rng.integers(0, len(y), size=(n_boot, len(y)))]
    if binary:
        return _percentile(bx.mean(axis=1) - by.mean(axis=1), level)
    n1, n2 = len(x), len(y)
    ranks = stats.rankdata(np.hstack([bx, by]), axis=1)
    u = ranks[:, :n1].sum(axis=1) - comb(n1 + 1, 2)
    return _percentile(2 * u / (n1 * n2) - 1, level)
