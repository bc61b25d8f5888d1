"""Dyadic tests: QAP correlation (Krackhardt 1988) and MRQAP with Dekker-Krackhardt-Snijders
(2007) semi-partialling, plus helpers that turn survey data into firm-by-firm matrices.

Only off-diagonal cells enter (a firm's tie to itself is not data). Permuting a matrix means
relabelling its firms: rows and columns together. All permutations of a test are drawn at once and
evaluated with numpy in blocks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from kflow import vocabulary as V
from kflow._inference import permutation_p
from kflow._layers import focus
from kflow._random import as_generator, random_orders, seed_echo
from kflow._results import Result
from kflow._validation import check_count
from kflow.exceptions import DataError, bad_parameter
from kflow.survey import Survey

__all__ = ["QAPResult", "attribute_matrix", "qap", "relation_matrix"]

# Firms a QAP test takes at most: it relabels dense n x n matrices (see qap).
QAP_MAX_FIRMS = 3000

ATTRIBUTE_KINDS = ("absdiff", "similarity", "same", "product", "sender", "receiver")


def relation_matrix(
    survey: Survey,
    relation: str | None = None,
    wave: str | None = None,
    *,
    weighted: bool = False,
) -> pd.DataFrame:
    r"""The knowledge ties of one relation and wave as a firm-by-firm matrix.

    Parameters
    ----------
    survey : Survey
    relation, wave : str, optional
        The layer (default: the only one).
    weighted : bool
        Cells hold the tie weight instead of 1.

    Returns
    -------
    pandas.DataFrame
        Cell [i, j] is 1 (or the tie weight) when knowledge flows from firm i to firm j, else 0;
        rows and columns are the roster firms in natural order.

    Notes
    -----
    :math:`Y_{ij} = 1` (or :math:`w_{ij}` when weighted) when knowledge flows from firm i to firm j,
    0 otherwise; the diagonal is 0 [1]_.

    See Also
    --------
    qap : tests between such matrices.
    attribute_matrix : the predictor side.

    References
    ----------
    .. [1] Krackhardt, D. (1988). Predicting with networks: nonparametric multiple regression
       analysis of dyadic data. *Social Networks*, 10(4), 359-381.
       https://doi.org/10.1016/0378-8733(88)90004-4

    Examples
    --------
    >>> import pandas as pd, kflow
    >>> s = kflow.read_survey(pd.DataFrame({"source": ["a"], "target": ["b"]}), orientation="flow")
    >>> kflow.relation_matrix(s).to_numpy().tolist()
    [[0.0, 1.0], [0.0, 0.0]]
    """
    survey = focus(survey, wave)
    ties = survey.layer(relation, wave)
    ids = survey.firm_ids
    index = pd.Index(ids)
    M = np.zeros((len(ids), len(ids)))
    M[index.get_indexer(ties[V.SOURCE]), index.get_indexer(ties[V.TARGET])] = (
        ties[V.WEIGHT].to_numpy() if weighted else 1.0
    )
    return pd.DataFrame(M, index=pd.Index(ids, name=V.FIRM_ID), columns=ids)


def attribute_matrix(values: pd.Series, kind: str = "absdiff") -> pd.DataFrame:
    r"""A firm-by-firm matrix from a firm attribute, for dyadic tests.

    Parameters
    ----------
    values : pandas.Series
        Indexed by ``firm_id`` (e.g. an absorptive capacity index).
    kind : {"absdiff", "similarity", "same", "product", "sender", "receiver"}
        ``absdiff``: |x_i - x_j|; ``similarity``: 1 - |x_i - x_j| / (max - min); ``same``: 1 if
        x_i = x_j (categories); ``product``: x_i x_j; ``sender``: x_i; ``receiver``: x_j.

    Notes
    -----
    ``"absdiff"``: :math:`X_{ij} = |a_i - a_j|`; ``"similarity"``:
    :math:`X_{ij} = 1 - |a_i - a_j| / (\max a - \min a)`; ``"same"``: :math:`X_{ij} = 1` if
    :math:`a_i = a_j`; ``"product"``: :math:`a_i a_j`; ``"sender"``: :math:`a_i`; ``"receiver"``:
    :math:`a_j` (dyadic covariates for QAP [1]_). Capacity homophily in clusters: [2]_.

    See Also
    --------
    qap : tests between such matrices.
    relation_matrix : the outcome side.

    References
    ----------
    .. [1] Krackhardt, D. (1988). Predicting with networks: nonparametric multiple regression
       analysis of dyadic data. *Social Networks*, 10(4), 359-381.
       https://doi.org/10.1016/0378-8733(88)90004-4
    .. [2] Giuliani, E. (2007). The selective nature of knowledge networks in clusters: evidence
       from the wine industry. *Journal of Economic Geography*, 7(2), 139-168.
       https://doi.org/10.1093/jeg/lbl014

    Examples
    --------
    >>> import pandas as pd, kflow
    >>> kflow.attribute_matrix(pd.Series([1.0, 3.0], index=["a", "b"])).to_numpy().tolist()
    [[0.0, 2.0], [2.0, 0.0]]
    """
    if kind not in ATTRIBUTE_KINDS:
        raise bad_parameter("attribute_matrix", "kind", f"one of {set(ATTRIBUTE_KINDS)}", kind)
    if kind == "same":
        x = values.to_numpy(dtype=object)
        M = (x[:, None] == x[None, :]).astype(float)
    else:
        x = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
        if kind == "absdiff":
            M = np.abs(x[:, None] - x[None, :])
        elif kind == "similarity":
            span = np.nanmax(x) - np.nanmin(x)
            M = 1 - np.abs(x[:, None] - x[None, :]) / (span if span > 0 else 1.0)
        elif kind == "product":
            M = x[:, None] * x[None, :]
        elif kind == "sender":
            M = np.repeat(x[:, None], len(x), axis=1)
        else:
            M = np.repeat(x[None, :], len(x), axis=0)
    return pd.DataFrame(M, index=values.index.rename(V.FIRM_ID), columns=list(values.index))


@dataclass(frozen=True, repr=False)
class QAPResult(Result):
    """A QAP test.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per predictor. For ``"correlation"``: ``r``, ``p_greater``, ``p_less``,
        ``p_two_sided``, ``expected`` (mean permuted r). For ``"mrqap"``: ``estimate`` (OLS
        coefficient on the vectorized off-diagonal cells), ``t``, ``p_two_sided`` (DSP
        permutation of the t statistic), plus an ``intercept`` row (no p-value) and ``r_squared``.
    method : str
    n_permutations : int
    seed : object
    n_firms, n_cells : int
    """

    _main: ClassVar[str | None] = "table"

    table: pd.DataFrame
    method: str
    n_permutations: int
    seed: object
    n_firms: int
    n_cells: int

    def summary(self) -> str:
        return (
            f"QAP ({self.method}), {self.n_firms} firms, {self.n_cells} cells, "
            f"{self.n_permutations} permutations (seed {self.seed})\n"
            + self.table.to_string(float_format=lambda v: f"{v:.4f}")
        )


def _as_array(M, ids: list | None, name: str) -> tuple[np.ndarray, list | None]:
    if isinstance(M, pd.DataFrame):
        if ids is not None:
            missing = set(ids) - set(M.index)
            if missing:
                raise DataError(f"qap: matrix {name} lacks firms {sorted(missing)[:5]}.")
            M = M.loc[ids, ids]
        return M.to_numpy(dtype=float), list(M.index)
    A = np.asarray(M, dtype=float)
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise DataError(f"qap: matrix {name} must be square; got shape {A.shape}.")
    return A, ids


def _permuted_cells(M: np.ndarray, perms: np.ndarray, off: np.ndarray) -> np.ndarray:
    """Off-diagonal cells of M with firms relabelled by each permutation: (k, m)."""
    return M[perms[:, :, None], perms[:, None, :]][:, off]


def _permuted_cross_products(
    Y: np.ndarray, X: np.ndarray, off: np.ndarray, perms: np.ndarray
) -> np.ndarray:
    """sum over off-diagonal cells of Y[i, j] X[p(i), p(j)] for every permutation p.

    Relabelling either matrix gives the same null distribution, so the sparser one is held fixed
    and only its non-zero cells are visited (a knowledge network has few ties): k * nnz work
    instead of k * n^2. When X is the sparser, row k is therefore the sum for the inverse of
    permutation k (the same set of relabellings).
    """
    if np.count_nonzero(X[off]) < np.count_nonzero(Y[off]):
        Y, X = X, Y
    rows, cols = np.nonzero(Y * off)  # row by row: each row's cells are contiguous
    w = Y[rows, cols]
    per_row = np.bincount(rows, minlength=len(Y))
    flat = X.ravel()
    n = len(X)
    out = np.empty(len(perms))
    # Blocks of about 200,000 cells keep the index arrays in the processor's cache.
    size = max(1, 200_000 // max(len(w), 1))
    for start in range(0, len(perms), size):
        p = perms[start : start + size]
        cells = np.repeat(p * n, per_row, axis=1)  # the relabelled row of every cell
        cells += np.take(p, cols, axis=1)
        out[start : start + size] = np.take(flat, cells) @ w
    return out


def _named_matrices(x_matrices) -> tuple[list[str], list]:
    """Predictor names and matrices from a matrix, a sequence or a dict of them."""
    if isinstance(x_matrices, dict):
        return list(x_matrices), list(x_matrices.values())
    if isinstance(x_matrices, (pd.DataFrame, np.ndarray)):
        return ["x1"], [x_matrices]
    if isinstance(x_matrices, Sequence):
        return [f"x{i + 1}" for i in range(len(x_matrices))], list(x_matrices)
    raise bad_parameter(
        "qap", "x_matrices", "a matrix, a list of matrices or a dict", type(x_matrices).__name__
    )


def _blocks(k: int, n: int):
    size = max(1, min(k, 20_000_000 // max(n * n, 1)))
    for start in range(0, k, size):
        yield start, min(size, k - start)


def qap(
    y_matrix,
    x_matrices,
    *,
    method: str = "correlation",
    n_permutations: int = 2000,
    seed: int | np.random.Generator | None = None,
) -> QAPResult:
    r"""Quadratic assignment procedure tests between firm-by-firm matrices.

    Parameters
    ----------
    y_matrix : pandas.DataFrame or numpy.ndarray
        The dependent relation (e.g. :func:`relation_matrix` of the knowledge network).
    x_matrices : matrix or sequence of matrices, or dict name -> matrix
        Predictors (e.g. :func:`attribute_matrix` of absorptive capacity with ``"absdiff"``, or
        a second relation). DataFrames are aligned on the firm ids of ``y_matrix``.
    method : {"correlation", "mrqap"}
        ``"correlation"``: Pearson r between off-diagonal cells of y and each x, with the null
        distribution from relabelling the firms of x (Krackhardt 1988). ``"mrqap"``: OLS of y on
        all x (off-diagonal cells, with intercept); each coefficient's t is tested by
        Dekker-Krackhardt-Snijders semi-partialling: x_j is regressed on the other predictors and
        its residual matrix is permuted.
    n_permutations : int
    seed : int or numpy.random.Generator, optional

    Returns
    -------
    QAPResult
        p-values count the observed labelling as one of the permutations.

    Notes
    -----
    QAP correlation [1]_: Pearson r between the off-diagonal cells of Y and X, with the null
    distribution from relabelling the firms of X (rows and columns together). MRQAP fits

    .. math::

        y_{ij} = \beta_0 + \sum_k \beta_k x_{k,ij} + \varepsilon_{ij}, \qquad i \ne j

    and tests each :math:`\beta_k` by double semi-partialling [2]_: :math:`x_k` is regressed on the
    other predictors, its residual matrix is relabelled, and the t of the relabelled residual is
    compared with the observed t. p-values count the observed labelling as one of the permutations.

    See Also
    --------
    relation_matrix : a knowledge network as a firm-by-firm matrix.
    attribute_matrix : a firm attribute as a dyadic matrix.

    References
    ----------
    .. [1] Krackhardt, D. (1988). Predicting with networks: nonparametric multiple regression
       analysis of dyadic data. *Social Networks*, 10(4), 359-381.
       https://doi.org/10.1016/0378-8733(88)90004-4
    .. [2] Dekker, D., Krackhardt, D., & Snijders, T. A. B. (2007). Sensitivity of MRQAP tests to
       collinearity and autocorrelation conditions. *Psychometrika*, 72(4), 563-581.
       https://doi.org/10.1007/s11336-007-9016-1

    Examples
    --------
    >>> import numpy as np, kflow
    >>> rng = np.random.default_rng(0)
    >>> x = rng.random((12, 12)); y = x + 0.1 * rng.random((12, 12))
    >>> r = kflow.qap(y, x, n_permutations=199, seed=1)
    >>> bool(r.table.loc["x1", "p_greater"] < 0.01)
    True
    """
    if method not in ("correlation", "mrqap"):
        raise bad_parameter("qap", "method", "one of {'correlation', 'mrqap'}", method)
    names, mats = _named_matrices(x_matrices)
    Y, ids = _as_array(y_matrix, None, "y")
    Xs = [_as_array(M, ids, name)[0] for M, name in zip(mats, names, strict=True)]
    n = len(Y)
    if any(X.shape != Y.shape for X in Xs):
        raise DataError("qap: every matrix must have the shape of y_matrix.")
    if n > QAP_MAX_FIRMS:
        need = (n_permutations * n * 8 + (len(Xs) + 2) * n * n * 8) / 2**30
        raise DataError(
            f"qap: {n:,} firms is more than the {QAP_MAX_FIRMS:,} a QAP test relabels: it "
            f"holds {len(Xs) + 2} dense {n:,} x {n:,} matrices and {n_permutations:,} "
            f"permutations of the firms (about {need:,.1f} GiB) and visits every cell each time. "
            "Test a sample of firms (e.g. one region or sector), or model the ties with a "
            "dyadic regression that scales."
        )
    off = ~np.eye(n, dtype=bool)
    check_count(n_permutations, "n_permutations", "qap")
    rng = as_generator(seed, "qap")
    perms = random_orders(rng, n_permutations, n) if n_permutations else None
    seed_out = seed_echo(seed)

    if method == "correlation":
        table = _qap_correlations(Y, Xs, names, off, perms, n_permutations)
        return QAPResult(table, method, int(n_permutations), seed_out, n, int(off.sum()))
    return _mrqap(Y, Xs, names, off, perms, n_permutations, seed_out)


def _qap_correlations(Y, Xs, names, off, perms, n_permutations) -> pd.DataFrame:
    """Pearson r of y with each x over off-diagonal cells, with QAP p-values."""
    y = Y[off]
    rows = {}
    sy = np.sqrt(((y - y.mean()) ** 2).sum())
    for name, X in zip(names, Xs, strict=True):
        x = X[off]
        sx = np.sqrt(((x - x.mean()) ** 2).sum())
        valid = sx > 0 and sy > 0
        r = float((y - y.mean()) @ (x - x.mean()) / (sx * sy)) if valid else np.nan
        sims = np.empty(0)
        if n_permutations:
            # Relabelling keeps each matrix's cell mean: r follows from the cross product.
            cross = _permuted_cross_products(Y, X, off, perms)
            sims = (cross - len(y) * y.mean() * x.mean()) / (sx * sy)
        rows[name] = {
            "r": r,
            "expected": float(sims.mean()) if n_permutations else np.nan,
            "p_greater": permutation_p(r, sims, alternative="greater"),
            "p_less": permutation_p(r, sims, alternative="less"),
            "p_two_sided": permutation_p(r, sims, alternative="two-sided"),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "predictor"
    return table


def _mrqap(Y, Xs, names, off, perms, n_permutations, seed_out) -> QAPResult:
    """OLS of y on every x with Dekker-Krackhardt-Snijders semi-partialling permutations."""
    n = len(Y)
    y = Y[off]
    m = int(off.sum())
    cols = np.column_stack([np.ones(m)] + [X[off] for X in Xs])
    beta, *_ = np.linalg.lstsq(cols, y, rcond=None)
    resid = y - cols @ beta
    dof = m - cols.shape[1]
    sigma2 = resid @ resid / dof
    cov = sigma2 * np.linalg.inv(cols.T @ cols)
    t_obs = beta / np.sqrt(np.diag(cov))
    r2 = 1 - (resid @ resid) / ((y - y.mean()) @ (y - y.mean()))
    p_values = [np.nan]
    for j in range(len(Xs)):
        others = np.delete(cols, j + 1, axis=1)  # intercept and the other predictors
        proj = np.linalg.pinv(others)
        e = cols[:, j + 1] - others @ (proj @ cols[:, j + 1])
        E = np.zeros((n, n))
        E[off] = e
        y_r = y - others @ (proj @ y)
        yy = y_r @ y_r
        t_sim = np.empty(n_permutations)
        for start, k in _blocks(n_permutations, n):
            ep = _permuted_cells(E, perms[start : start + k], off)  # (k, m)
            ep_r = ep - (ep @ proj.T) @ others.T
            ee = np.einsum("km,km->k", ep_r, ep_r)
            b = ep_r @ y_r / ee
            rss = yy - b**2 * ee
            t_sim[start : start + k] = b / np.sqrt(rss / dof / ee)
        t = t_obs[j + 1]
        p_values.append(permutation_p(t, t_sim, alternative="two-sided"))
    table = pd.DataFrame(
        {"estimate": beta, "t": t_obs, "p_two_sided": p_values},
        index=pd.Index(["intercept", *names], name="predictor"),
    )
    table["r_squared"] = float(r2)
    return QAPResult(table, "mrqap", int(n_permutations), seed_out, n, m)
