"""Bootstrap confidence intervals of the effect sizes of the group comparisons.

Percentile intervals from ``n_bootstrap`` resamples drawn within each group (group sizes kept),
all resamples computed at once with numpy (Efron & Tibshirani 1993, ch. 13). Each resample is
reduced to its counts by group and distinct value, and the rank statistics follow from the counts
(see :mod:`kflow.outcomes._tables`).
"""

from __future__ import annotations

import numpy as np

from kflow.outcomes._tables import level_codes, midranks, tables_of

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
    out = np.empty((n_boot, len(values)), dtype=values.dtype)
    for g in np.unique(codes):
        where = np.flatnonzero(codes == g)
        picks = rng.integers(0, len(where), size=(n_boot, len(where)))
        out[:, where] = values[where][picks]
    return out


def epsilon_squared_ci(
    values: np.ndarray, codes: np.ndarray, rng, n_boot: int, level: float = LEVEL
) -> tuple[float, float]:
    """Percentile interval of epsilon^2 = H / (n - 1), H the Kruskal-Wallis statistic."""
    if n_boot <= 0:
        return float("nan"), float("nan")
    levels, level_of = level_codes(values)
    rows = _within_groups(level_of, codes, rng, n_boot)
    n = len(values)
    groups = np.unique(codes)
    G, L = int(codes.max()) + 1, len(levels)
    tables = tables_of(np.broadcast_to(codes, rows.shape), rows, G, L)[:, groups, :]
    t = tables.sum(axis=1).astype(float)  # (n_boot, L): firms per distinct value
    sums = np.einsum("kgl,kl->kg", tables, midranks(t))
    sizes = np.bincount(codes)[groups]
    h = 12.0 / (n * (n + 1)) * (sums**2 / sizes).sum(axis=1) - 3 * (n + 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        h = h / (1 - (t**3 - t).sum(axis=1) / (n**3 - n))
    return _percentile(h / (n - 1), level)


def pair_ci(
    x: np.ndarray, y: np.ndarray, binary: bool, rng, n_boot: int, level: float = LEVEL
) -> tuple[float, float]:
    """Percentile interval of the rank-biserial r (or, for a binary outcome, the difference in
    shares) of two groups."""
    if n_boot <= 0:
        return float("nan"), float("nan")
    n1, n2 = len(x), len(y)
    levels, level_of = level_codes(np.concatenate([x, y]))
    bx = level_of[:n1][rng.integers(0, n1, size=(n_boot, n1))]
    by = level_of[n1:][rng.integers(0, n2, size=(n_boot, n2))]
    if binary:
        return _percentile(levels[bx].mean(axis=1) - levels[by].mean(axis=1), level)
    cx = tables_of(None, bx, 1, len(levels))[:, 0, :]
    cy = tables_of(None, by, 1, len(levels))[:, 0, :]
    # U of x: for each of its values, the values of y below it plus half of those equal to it.
    u = (cx * (np.cumsum(cy, axis=1) - cy + cy / 2.0)).sum(axis=1)
    return _percentile(2 * u / (n1 * n2) - 1, level)
