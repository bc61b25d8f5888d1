"""Rank statistics of group comparisons from counts: firms by group and by distinct value.

A rank statistic of groups (Kruskal-Wallis rank sums, Mann-Whitney U) depends on the data only
through the table of counts: how many firms of each group have each distinct value. Upgrading
outcomes are ratings (0-3) or small counts, so the table has a few columns however many firms
there are, and both the permutation null and the bootstrap work on it directly:

- relabelling the firms at random draws a table with the observed margins (group sizes, value
  counts); its cells follow the multivariate hypergeometric law and are drawn one cell at a time
  from the conditional hypergeometric, for all permutations at once;
- a bootstrap resample is turned into its table with one ``bincount``.

The midrank of a value is the number of firms below it plus (ties + 1) / 2, so rank sums are
sums of counts times midranks: the same numbers ``scipy.stats.rankdata`` gives (half-integers,
exact in floating point).
"""

from __future__ import annotations

import numpy as np

__all__ = ["FEW_LEVELS", "level_codes", "midranks", "random_tables", "tables_of"]

#: Outcomes with at most this many distinct values are permuted through their tables.
FEW_LEVELS = 16


def level_codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values in increasing order and the code of each value among them."""
    levels, codes = np.unique(values, return_inverse=True)
    return levels, codes.ravel()


def midranks(counts: np.ndarray) -> np.ndarray:
    """Midrank of each level from the level counts (last axis): below + (count + 1) / 2."""
    below = np.cumsum(counts, axis=-1) - counts
    return below + (counts + 1) / 2.0


def tables_of(
    group: np.ndarray | None, level: np.ndarray, n_groups: int, n_levels: int
) -> np.ndarray:
    """Counts by group and level of each row of ``group`` and ``level`` (shape (k, n); no
    ``group``: one group): an array (k, n_groups, n_levels)."""
    k = level.shape[0]
    row = np.arange(k)[:, None] * n_groups
    cell = (row + (0 if group is None else group)) * n_levels + level
    return np.bincount(cell.ravel(), minlength=k * n_groups * n_levels).reshape(
        k, n_groups, n_levels
    )


def random_tables(
    group_sizes: np.ndarray, level_counts: np.ndarray, k: int, rng: np.random.Generator
) -> np.ndarray:
    """``k`` tables (k, groups, levels) with the given margins, each as likely as under a
    uniformly random relabelling of the firms.

    Group g takes its firms from those left after groups 0..g-1; among them, the count of level l
    is hypergeometric given the firms of level l left and those of higher levels left.
    """
    G, L = len(group_sizes), len(level_counts)
    out = np.zeros((k, G, L), dtype=np.int64)
    left = np.tile(np.asarray(level_counts, dtype=np.int64), (k, 1))
    for g in range(G - 1):
        need = np.full(k, int(group_sizes[g]), dtype=np.int64)
        higher = left.sum(axis=1)
        for level in range(L - 1):
            higher = higher - left[:, level]
            take = rng.hypergeometric(left[:, level], higher, need)
            out[:, g, level] = take
            need = need - take
        out[:, g, L - 1] = need
        left -= out[:, g, :]
    out[:, G - 1, :] = left
    return out
