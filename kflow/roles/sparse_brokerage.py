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

The closed paths (a -> c exists too) are counted per tie b -> c from the number of their a
in b's group and in c's group, read as the digits of one sparse product ``A^T A`` whose ties are
valued by group (see :func:`_closed`). Only the entries of the product where b -> c are kept,
and the product is taken over blocks of brokers whose work is bounded, so memory stays bounded
whatever the size of the network. The work is the sum, over ties a -> b, of the out-degree of a.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

__all__ = ["sparse_broker_counts"]

# Blocks of brokers are cut so that one block's product holds at most this many entries.
BLOCK_ENTRIES = 20_000_000
# The closed paths come from one product when its base-B digits fit below this (see _closed).
DIGITS_LIMIT = 2 ** 62


def _adjacency(src: np.ndarray, dst: np.ndarray, n: int) -> sparse.csr_matrix:
    data = np.ones(len(src), dtype=np.float64)
    A = sparse.csr_matrix((data, (src, dst)), shape=(n, n))
    A.sum_duplicates()
    A.data[:] = 1.0
    A.setdiag(0)
    A.eliminate_zeros()
    return A


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


def _weighted(M: sparse.csr_matrix, codes: np.ndarray, weight: int) -> sparse.csr_matrix:
    """M with each tie (i, j) valued 1 + weight when i and j are in one group, 1 otherwise,
    as 64-bit integers."""
    rows = np.repeat(np.arange(M.shape[0]), np.diff(M.indptr))
    data = 1 + weight * (codes[rows] == codes[M.indices]).astype(np.int64)
    return sparse.csr_matrix((data, M.indices, M.indptr), shape=M.shape)


def _closed(A: sparse.csr_matrix, codes: np.ndarray) -> np.ndarray:
    """Closed two-paths a -> b -> c (a -> c too) per broker and role, from one product.

    For a tie b -> c, let N be the number of a with a -> b and a -> c, N_b those of them in
    b's group and N_c those in c's group. When b and c share a group, N_b paths are
    coordinator and N - N_b gatekeeper; otherwise N_b are representative, N_c itinerant and
    N - N_b - N_c liaison. With B one more than the largest in-degree, every count is below B,
    and valuing a -> b as 1 + B [g(a) = g(b)] and a -> c as 1 + B^2 [g(a) = g(c)] makes
    (A^T A)[b, c] = N + B N_b + B^2 N_c + B^3 N_bc: the counts are its base-B digits. The product
    is taken over blocks of brokers of bounded work (the out-degrees of their in-neighbours,
    summed), and only its entries where b -> c are kept. When B^4 would not fit in 64 bits, N_c
    comes from a second product.
    """
    n = A.shape[0]
    out = np.zeros((n, 6))
    if n == 0 or A.nnz == 0:
        return out
    AT = A.T.tocsr()
    base = int(np.diff(AT.indptr).max()) + 1
    one_product = base ** 4 < DIGITS_LIMIT
    mask = A.astype(np.int64)
    XT = _weighted(AT, codes, base)
    W = _weighted(A, codes, base * base) if one_product else mask
    if not one_product:
        ones = AT.astype(np.int64)
        within = sparse.csr_matrix(_weighted(A, codes, 1) - mask)  # a -> c in one group
        within.eliminate_zeros()
    w_rows = np.diff(A.indptr).astype(np.float64)
    cumulative = np.cumsum(np.asarray(AT @ w_rows).ravel())
    start = 0
    while start < n:
        prior = cumulative[start - 1] if start else 0.0
        stop = int(np.searchsorted(cumulative, prior + BLOCK_ENTRIES, side="right"))
        stop = min(max(stop, start + 1), n)
        kept = sparse.coo_matrix((XT[start:stop] @ W).multiply(mask[start:stop]))
        b, value = kept.row + start, kept.data
        same = codes[b] == codes[kept.col]
        total, by_b = value % base, (value // base) % base
        if one_product:
            by_c = (value // (base * base)) % base
        else:
            second = sparse.coo_matrix((ones[start:stop] @ within).multiply(mask[start:stop]))
            by_c = np.zeros(len(value), dtype=np.int64)
            by_c_b = second.row + start
            other = codes[by_c_b] != codes[second.col]
            out[:, 1] += np.bincount(by_c_b[other], weights=second.data[other], minlength=n)
            out[:, 4] -= np.bincount(by_c_b[other], weights=second.data[other], minlength=n)
        other = ~same
        out[:, 0] += np.bincount(b[same], weights=by_b[same], minlength=n)
        out[:, 1] += np.bincount(b[other], weights=by_c[other], minlength=n)
        out[:, 2] += np.bincount(b[other], weights=by_b[other], minlength=n)
        out[:, 3] += np.bincount(b[same], weights=(total - by_b)[same], minlength=n)
        out[:, 4] += np.bincount(b[other], weights=(total - by_b - by_c)[other], minlength=n)
        out[:, 5] += np.bincount(b, weights=total, minlength=n)
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
    counts = _all_paths(A, codes)
    closed = _closed(A, codes)
    return counts - closed
