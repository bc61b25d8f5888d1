"""Monte Carlo inference shared by every permutation and simulation test in kflow.

One definition of the permutation p-value, one tolerance and one definition of "two-sided", so
that every test in the package counts a tie with the observed statistic the same way.

Conventions
-----------
With ``k`` statistics computed on permuted (or simulated) data and ``b`` of them at least as
extreme as the observed one, the p-value is

.. math::

    p = \\frac{b + 1}{k + 1}

(Davison & Hinkley 1997, eq. 4.11; Phipson & Smyth 2010), which counts the observed data as one
of the permutations and is never 0. When ``k`` enumerates *every* relabelling (the observed one
included) the p-value is exact, ``p = b / k``.

"At least as extreme" is, for ``alternative``:

- ``"greater"``: ``t* >= t - tol``;
- ``"less"``: ``t* <= t + tol``;
- ``"two-sided"``: ``|t* - c| >= |t - c| - tol``, with ``c`` the ``center`` of the null
  distribution: 0 for statistics centred at zero under the null (correlations, regression
  coefficients, t values), the permutation mean for the E-I index, ``n1 n2 / 2`` for
  Mann-Whitney U.

The tolerance ``tol = 1e-9 * max(1, |t|)`` makes statistics that equal the observed one up to
floating-point rounding count as ties (they are the same relabelling's value computed by another
order of operations).

References
----------
.. [1] Davison, A. C., & Hinkley, D. V. (1997). *Bootstrap Methods and their Application*.
   Cambridge University Press. https://doi.org/10.1017/CBO9780511802843
.. [2] Phipson, B., & Smyth, G. K. (2010). Permutation p-values should never be zero.
   *Statistical Applications in Genetics and Molecular Biology*, 9(1), 39.
   https://doi.org/10.2202/1544-6115.1585
"""

from __future__ import annotations

import numpy as np

from kflow.exceptions import bad_parameter

__all__ = [
    "ALTERNATIVES",
    "RELATIVE_TOLERANCE",
    "exceedances",
    "monte_carlo_se",
    "p_from_counts",
    "permutation_p",
]

RELATIVE_TOLERANCE = 1e-9
ALTERNATIVES = ("greater", "less", "two-sided")


def permutation_p(
    observed: float | np.ndarray,
    null: np.ndarray,
    *,
    alternative: str = "greater",
    center: float | np.ndarray = 0.0,
    exact: bool = False,
) -> float | np.ndarray:
    """Permutation (or Monte Carlo) p-value of an observed statistic.

    Parameters
    ----------
    observed : float or numpy.ndarray
        The observed statistic, or an array of them (one per firm, role, ...).
    null : numpy.ndarray
        The statistics of the ``k`` permutations along axis 0: shape ``(k,)`` for a scalar
        ``observed``, ``(k, *observed.shape)`` for an array.
    alternative : {"greater", "less", "two-sided"}
        Which values count as at least as extreme (see the module notes).
    center : float or numpy.ndarray
        Centre of the null distribution for ``"two-sided"``.
    exact : bool
        True when ``null`` enumerates every relabelling, the observed one included: then
        ``p = b / k``; otherwise ``p = (b + 1) / (k + 1)``.

    Returns
    -------
    float or numpy.ndarray
        The p-value(s), shaped like ``observed``; NaN when ``k == 0``.

    Examples
    --------
    >>> permutation_p(2.0, np.array([0.0, 1.0, 2.0, 3.0]))
    0.6
    >>> permutation_p(-2.0, np.array([1.0, -1.0, 3.0]), alternative="two-sided")
    0.5
    """
    sims = np.asarray(null, dtype=float)
    b = exceedances(observed, sims, alternative=alternative, center=center)
    p = p_from_counts(b, sims.shape[0], exact=exact)
    return float(p) if np.ndim(p) == 0 else p


def exceedances(
    observed: float | np.ndarray,
    null: np.ndarray,
    *,
    alternative: str = "greater",
    center: float | np.ndarray = 0.0,
) -> np.ndarray:
    """Count the null statistics at least as extreme as the observed one (axis 0 is the draws).

    Use it with :func:`p_from_counts` when the draws come in blocks: sum the counts of the
    blocks, then turn the total into a p-value once.
    """
    if alternative not in ALTERNATIVES:
        allowed = f"one of {set(ALTERNATIVES)}"
        raise bad_parameter("permutation_p", "alternative", allowed, alternative)
    obs = np.asarray(observed, dtype=float)
    sims = np.asarray(null, dtype=float)
    tol = RELATIVE_TOLERANCE * np.maximum(1.0, np.abs(obs))
    if alternative == "greater":
        hits = sims >= obs - tol
    elif alternative == "less":
        hits = sims <= obs + tol
    else:
        c = np.asarray(center, dtype=float)
        hits = np.abs(sims - c) >= np.abs(obs - c) - tol
    return hits.sum(axis=0)


def p_from_counts(b: int | np.ndarray, k: int, *, exact: bool = False) -> float | np.ndarray:
    """The p-value from ``b`` exceedances among ``k`` draws: ``(b + 1) / (k + 1)``, or ``b / k``
    when the draws enumerate every relabelling (``exact=True``); NaN when ``k == 0``."""
    b = np.asarray(b, dtype=float)
    if k == 0:
        return np.full(b.shape, np.nan) if b.ndim else float("nan")
    p = b / k if exact else (b + 1) / (k + 1)
    return float(p) if p.ndim == 0 else p


def monte_carlo_se(p: float | np.ndarray, k: int) -> float | np.ndarray:
    """Monte Carlo standard error of a p-value estimated from ``k`` permutations.

    .. math:: \\mathrm{se}(\\hat p) = \\sqrt{\\hat p (1 - \\hat p) / k}

    Examples
    --------
    >>> round(monte_carlo_se(0.05, 9999), 5)
    0.00218
    """
    if k <= 0:
        return float("nan")
    return np.sqrt(np.asarray(p) * (1 - np.asarray(p)) / k) if np.ndim(p) else float(
        np.sqrt(p * (1 - p) / k)
    )
