"""Absorptive capacity index of firms from its survey components (METHODS 6)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from kflow import vocabulary as V
from kflow._results import Result
from kflow._validation import require_columns
from kflow.exceptions import DataError, bad_parameter

__all__ = ["CapacityIndex", "absorptive_capacity", "absorptive_capacity_index"]

METHODS = ("zscore", "minmax", "pca")


@dataclass(frozen=True, repr=False)
class CapacityIndex(Result):
    """An absorptive capacity index with what it was built from.

    Attributes
    ----------
    scores : pandas.Series
        The index per firm (``firm_id``); NaN where a component is missing.
    components : list of str
    weights : pandas.Series
        The weight of each (standardized or rescaled) component in the index.
    explained_variance : float
        Share of the components' total variance carried by the index (first principal
        component for ``"pca"``; the share of variance of the equally weighted sum otherwise).
    method : str
    """

    _main: ClassVar[str | None] = "scores"

    scores: pd.Series
    components: list[str]
    weights: pd.Series
    explained_variance: float
    method: str

    def summary(self) -> str:
        w = ", ".join(f"{c} {v:.3f}" for c, v in self.weights.items())
        return (
            f"Absorptive capacity ({self.method}) from {len(self.components)} components; "
            f"weights: {w}; explained variance {self.explained_variance:.1%}"
        )


def absorptive_capacity_index(
    firms: pd.DataFrame, columns: Sequence[str], *, method: str = "zscore"
) -> CapacityIndex:
    r"""Build an absorptive capacity index and report its components, weights and explained
    variance (see :func:`absorptive_capacity` for the methods and sources).

    Returns
    -------
    CapacityIndex
        ``scores``, ``components``, ``weights``, ``explained_variance`` and ``method``.

    Notes
    -----
    See :func:`absorptive_capacity` for the three methods. For ``"pca"`` the weights are the
    loadings of the first principal component and ``explained_variance`` its share of the total
    variance of the K standardized components [1]_, :math:`\lambda_1 / \sum_k \lambda_k`.

    See Also
    --------
    absorptive_capacity : the index alone.

    References
    ----------
    .. [1] Jolliffe, I. T. (2002). *Principal Component Analysis* (2nd ed.). Springer.
       https://doi.org/10.1007/b98835

    Examples
    --------
    >>> import pandas as pd, kflow
    >>> f = pd.DataFrame({"grad": [0.1, 0.3, 0.5, 0.2], "exp": [5, 10, 15, 12]})
    >>> idx = kflow.absorptive_capacity_index(f, ["grad", "exp"], method="pca")
    >>> round(idx.explained_variance, 3), idx.weights.round(3).tolist()
    (0.93, [0.707, 0.707])
    """
    fn = "absorptive_capacity"
    if method not in METHODS:
        raise bad_parameter(fn, "method", f"one of {set(METHODS)}", method)
    columns = list(columns)
    require_columns(firms, columns, "absorptive_capacity", what="the firms table")
    data = firms[columns].apply(pd.to_numeric, errors="coerce").astype(float)
    complete = data.dropna()
    if len(complete) < 3:
        raise DataError("absorptive_capacity needs at least three firms with every component.")
    mean, sd = complete.mean(), complete.std(ddof=1)
    flat = sd[sd == 0]
    if len(flat):
        raise DataError(
            f"absorptive_capacity: component {flat.index[0]!r} has the same value for every "
            "firm and cannot be standardized; leave it out."
        )
    z = (data - mean) / sd
    corr = np.corrcoef(complete.to_numpy().T) if len(columns) > 1 else np.ones((1, 1))
    k = len(columns)
    if method == "zscore":
        weights = pd.Series(1.0 / k, index=columns)
        scores = z.mean(axis=1, skipna=False)
        explained = float(np.ones(k) @ corr @ np.ones(k) / k / k) if k else np.nan
    elif method == "minmax":
        lo, hi = complete.min(), complete.max()
        scaled = (data - lo) / (hi - lo)
        weights = pd.Series(1.0 / k, index=columns)
        scores = scaled.mean(axis=1, skipna=False)
        explained = float(np.ones(k) @ corr @ np.ones(k) / k / k)
    else:
        values, vectors = np.linalg.eigh(corr)
        top = vectors[:, -1]
        top = top * np.sign(top.sum()) if top.sum() != 0 else top
        weights = pd.Series(top, index=columns)
        scores = z @ top
        explained = float(values[-1] / values.sum())
    scores = scores.rename("absorptive_capacity")
    scores.index.name = V.FIRM_ID if scores.index.name is None else scores.index.name
    return CapacityIndex(scores, columns, weights, explained, method)


def absorptive_capacity(
    firms: pd.DataFrame, columns: Sequence[str], *, method: str = "zscore"
) -> pd.Series:
    r"""Absorptive capacity index of each firm from its components.

    Parameters
    ----------
    firms : pandas.DataFrame
        Firms indexed by ``firm_id`` (e.g. ``survey.firms``).
    columns : sequence of str
        The components, e.g. share of graduates among technical staff, years of experience,
        experimentation / R&D activity.
    method : {"zscore", "minmax", "pca"}
        ``"zscore"`` (kflow's default): mean of the z-scored components (z = (x - mean) / sd,
        sample sd); ``"minmax"``: mean of (x - min) / (max - min); ``"pca"``: the first principal
        component of the correlation matrix (weights = its loadings, oriented to sum positive)
        applied to the z-scores.

    Returns
    -------
    pandas.Series
        The index, named ``absorptive_capacity``; NaN for a firm missing a component. Use
        :func:`absorptive_capacity_index` for the weights and explained variance.

    Notes
    -----
    With components :math:`x_{ik}` standardized to :math:`z_{ik}`, the ``"zscore"`` index is the
    mean :math:`\frac{1}{K} \sum_k z_{ik}`; ``"minmax"`` averages the components rescaled to [0, 1];
    ``"pca"`` takes the scores on the first principal component of the correlation matrix [3]_.
    The construct is [1]_'s; building it from the education and experience of technical staff and
    experimentation follows [2]_.

    See Also
    --------
    absorptive_capacity_index : the same index with its weights and explained variance.

    References
    ----------
    .. [1] Cohen, W. M., & Levinthal, D. A. (1990). Absorptive capacity: a new perspective on
       learning and innovation. *Administrative Science Quarterly*, 35(1), 128-152.
       https://doi.org/10.2307/2393553
    .. [2] Giuliani, E., & Bell, M. (2005). The micro-determinants of meso-level learning and
       innovation: evidence from a Chilean wine cluster. *Research Policy*, 34(1), 47-68.
       https://doi.org/10.1016/j.respol.2004.10.008
    .. [3] Jolliffe, I. T. (2002). *Principal Component Analysis* (2nd ed.). Springer.
       https://doi.org/10.1007/b98835

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"grad": [0.1, 0.3, 0.5], "exp": [5, 10, 15]}, index=["a", "b", "c"])
    >>> absorptive_capacity(f, ["grad", "exp"]).round(3).tolist()
    [-1.0, 0.0, 1.0]
    """
    return absorptive_capacity_index(firms, columns, method=method).scores
