"""Gould-Fernandez brokerage counts on sparse matrices: exact, no N x N array, no node cap.

For broker b with in-neighbours in(b), out-neighbours out(b) and group g(b), the counts of a
role are the two-paths a -> b -> c (a != c) whose groups fit the role, minus those that are
closed (a -> c exists). The first part needs no enumeration: with I[b, g] the in-neighbours of b
in group g, O[b, g] its out-neighbours in g and R[b, g] its reciprocal neighbours in g (they
give the paths with a = c),

- coordinator  = I[b, g(b)] O[b, g(b)] - R[b, g(b)]
- itinerant    = sum_{g != g(b)} (I[b, g] O[b, g] - R[b, g])
- representative = I[b, g(b)] (out(b) - O[b, g(b)])
- gatekeeper   = (in(b) - I[b, g(b)]) O[b, g(b)]
- liaison      = (in(b) - I[b, g(b)]) (out(b) - O[b, g(b)]) - sum_{g != g(b)} I[b, g] O[b, g]
- total        = in(b) out(b) - sum_g R[b, g]

The closed paths of a role are ``sum_c (X^T W)[b, c] Y[b, c]``, X, Y and W the adjacency masked
by the role's group conditions on (a, b), (b, c) and (a, c) (as in the dense counts of
:mod:`kflow.roles.brokerage`). Only the entries of ``X^T W`` where Y has a tie are kept, and the
product is taken over blocks of brokers whose work is bounded, so memory stays bounded whatever
the size of the network. The work is the sum, over ties a -> b, of the out-degree of a.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

__all__ = ["sparse_broker_counts"]

# Blocks of brokers are cut so that one block's product holds at most this many entries.
BLOCK_ENTRIES = 20_000_000


def _adjacency(src: np.ndarray, dst: np.ndarray, n: int) -> sparse.csr_matrix:
    data = np.ones(len(src), dtype=np.float64)
    A = sparse.csr_matrix((data, (src, dst)), shape=(n, n))
    A.sum_duplicates()
    A.data[:] = 1.0
    A.setdiag(0)
    A.eliminate_zeros()
    return A


def _split(A: sparse.csr_matrix, codes: np.ndarray) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """The ties within a group and the ties across groups."""
    coo = A.tocoo()
    same = codes[coo.row] == codes[coo.col]
    n = A.shape[0]
    within = sparse.csr_matrix((coo.data[same], (coo.row[same], coo.col[same])), shape=(n, n))
    across = sparse.csr_matrix((coo.data[~same], (coo.row[~same], coo.col[~same])), shape=(n, n))
    return within, across


def _all_paths(A: sparse.csr_matrix, codes: np.ndarray) -> np.ndarray:
    """Two-paths a -> b -> c with a != c, open or closed, per broker and role."""
    n = A.shape[0]
    G = int(codes.max()) + 1 if n else 0
    onehot = sparse.csr_matrix((np.ones(n), (np.arange(n), codes)), shape=(n, G))
    In = (A.T @ onehot).tocsr()
    Out = (A @ onehot).tocsr()
    R = (A.multiply(A.T).tocsr() @ onehot).tocsr()
    rows = np.arange(n)
    in_same = np.asarray(In[rows, codes]).ravel()
    out_same = np.asarray(Out[rows, codes]).ravel()
    r_same = np.asarray(R[rows, codes]).ravel()
    deg_in = np.asarray(A.sum(axis=0)).ravel()
    deg_out = np.asarray(A.sum(axis=1)).ravel()
    r_all = np.asarray(R.sum(axis=1)).ravel()
    io_all = np.asarray(In.multiply(Out).sum(axis=1)).ravel()
    io_other = io_all - in_same * out_same
    in_other, out_other = deg_in - in_same, deg_out - out_same
    out = np.empty((n, 6))
    out[:, 0] = in_same * out_same - r_same
    out[:, 1] = io_other - (r_all - r_same)
    out[:, 2] = in_same * out_other
    out[:, 3] = in_other * out_same
    out[:, 4] = in_other * out_other - io_other
    out[:, 5] = deg_in * deg_out - r_all
    return out


def _closed(X: sparse.csr_matrix, W: sparse.csr_matrix,
            masks: tuple[sparse.csr_matrix, ...]) -> np.ndarray:
    """Per broker b and mask Y: sum_c (X^T W)[b, c] Y[b, c], in blocks of brokers of bounded
    work; one product serves every mask."""
    n = X.shape[0]
    XT = X.T.tocsr()
    w_rows = np.diff(W.indptr).astype(np.float64)
    # work of broker b: the out-degrees (in W) of its in-neighbours a, summed
    cumulative = np.cumsum(np.asarray(XT @ w_rows).ravel())
    out = np.zeros((n, len(masks)))
    start = 0
    while start < n:
        base = cumulative[start - 1] if start else 0.0
        stop = int(np.searchsorted(cumulative, base + BLOCK_ENTRIES, side="right"))
        stop = min(max(stop, start + 1), n)
        product = (XT[start:stop] @ W).tocsr()
        for k, Y in enumerate(masks):
            out[start:stop, k] = np.asarray(product.multiply(Y[start:stop]).sum(axis=1)).ravel()
        start = stop
    return out


def sparse_broker_counts(src: np.ndarray, dst: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Brokerage counts per node and role (the order of ``BROKERAGE_ROLES``) of one graph.

    Parameters
    ----------
    src, dst : arrays of int
        The ties as node positions; duplicates and self-ties are ignored.
    codes : array of int, shape (N,)
        The group of every node, coded 0..G-1.

    Returns
    -------
    numpy.ndarray of shape (N, 6)
        Equal to the dense counts of :func:`kflow.roles.brokerage.broker_counts`.
    """
    codes = np.asarray(codes, dtype=np.int64)
    n = len(codes)
    A = _adjacency(np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64), n)
    within, across = _split(A, codes)
    counts = _all_paths(A, codes)
    # Closed paths a -> b -> c (a -> c too) by role. The roles split every path, so three
    # products suffice: a in b's group (coordinator if c is too, else representative); a in
    # another group (gatekeeper if c is in b's group; else itinerant when a -> c stays within a
    # group, liaison otherwise).
    same_a = _closed(within, A, (within, across))
    other_a = _closed(across, A, (within, across))
    itinerant = _closed(across, within, (across,))[:, 0]
    closed = np.column_stack([same_a[:, 0], itinerant, same_a[:, 1], other_a[:, 0],
                              other_a[:, 1] - itinerant, same_a.sum(axis=1) + other_a.sum(axis=1)])
    return counts - closed
