"""Regressions of firm outcomes on network positions (statsmodels)."""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from kflow._inference import permutation_p
from kflow._random import as_generator, seed_echo
from kflow._results import Result
from kflow._validation import check_count, require_columns
from kflow.exceptions import bad_parameter

__all__ = ["RegressionResult", "regress"]

MODELS = ("ols", "ordered_logit", "negbin", "logit")


@dataclass(frozen=True, repr=False)
class RegressionResult(Result):
    """A fitted regression of an outcome on firm-level predictors.

    Attributes
    ----------
    coefficients : pandas.DataFrame
        One row per term: ``estimate``, ``std_error``, ``statistic``, ``p_value``, ``ci_low``,
        ``ci_high`` and, with permutations, ``p_permutation``.
    model, outcome : str
    predictors : list of str
    n : int
    fit : dict
        ``r_squared``/``adj_r_squared`` (OLS) or ``pseudo_r_squared``, ``aic``, ``log_likelihood``,
        ``converged`` (False when the maximum-likelihood optimizer did not converge).
    n_permutations : int
    seed : object
    result : object
        The statsmodels results object (its ``summary()`` is the full table).
    """

    _main: ClassVar[str | None] = "coefficients"

    coefficients: pd.DataFrame
    model: str
    outcome: str
    predictors: list[str]
    n: int
    fit: dict
    n_permutations: int
    seed: object
    result: Any

    def summary(self) -> str:
        """The statsmodels summary table as text, without the date and time it was printed at
        (so that the same fit always reads the same)."""
        return _WHEN.sub(lambda m: " " * len(m.group()), str(self.result.summary()))


# The cells of statsmodels' summary that give the wall-clock date and time of printing.
_WHEN = re.compile(r"Date:\s+\w{3}, \d{2} \w{3} \d{4}|Time:\s+\d{2}:\d{2}:\d{2}")


def regress(
    data: pd.DataFrame,
    outcome: str,
    predictors: Sequence[str],
    *,
    model: str = "ols",
    n_permutations: int = 0,
    seed: int | np.random.Generator | None = None,
) -> RegressionResult:
    r"""Regress a firm outcome on predictors.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per firm; rows with a missing value in the outcome or a predictor are dropped.
    outcome : str
    predictors : sequence of str
    model : {"ols", "ordered_logit", "negbin", "logit"}
        ``"ols"``: least squares with HC3 heteroskedasticity-robust errors (MacKinnon & White
        1985); ``"ordered_logit"``: proportional-odds logit for 0-3 scores (no intercept; the
        thresholds are reported as terms ``0/1``, ``1/2``, ...); ``"negbin"``: negative binomial
        (NB2) for counts; ``"logit"``: binary outcomes.
    n_permutations : int
        Node-level permutation p-values (as UCINET's node-level regression): the outcome is
        permuted across firms and the model refitted; p from b, the
        permutations whose |coefficient| is at least the observed one. Available for
        ``model="ols"``, where all permutations are solved at once with numpy.
    seed : int or numpy.random.Generator, optional

    Returns
    -------
    RegressionResult

    Notes
    -----
    OLS :math:`y = X\beta + \varepsilon` with HC3 standard errors [1]_; ordered logit
    :math:`P(y \le k) = \mathrm{logit}^{-1}(\theta_k - x^\top \beta)` for 0-3 outcomes [2]_;
    NB2 negative binomial for counts [3]_; logit for binary outcomes. Node-level permutation
    p-values (as UCINET's node-level regression) refit the OLS model on permuted outcomes and count
    the observed order as one permutation [4]_.

    See Also
    --------
    compare_groups : a nonparametric comparison by role.
    qap : dyadic (tie-level) regressions.

    References
    ----------
    .. [1] White, H. (1980). A heteroskedasticity-consistent covariance matrix estimator and a
       direct test for heteroskedasticity. *Econometrica*, 48(4), 817-838.
       https://doi.org/10.2307/1912934
    .. [2] McCullagh, P. (1980). Regression models for ordinal data. *Journal of the Royal
       Statistical Society B*, 42(2), 109-142. https://doi.org/10.1111/j.2517-6161.1980.tb01109.x
    .. [3] Cameron, A. C., & Trivedi, P. K. (2013). *Regression Analysis of Count Data* (2nd ed.).
       Cambridge University Press. https://doi.org/10.1017/CBO9781139013567
    .. [4] Phipson, B., & Smyth, G. K. (2010). Permutation p-values should never be zero.
       *Statistical Applications in Genetics and Molecular Biology*, 9(1), 39.
       https://doi.org/10.2202/1544-6115.1585

    Examples
    --------
    >>> import pandas as pd, kflow
    >>> d = pd.DataFrame({"y": [1.0, 2.1, 2.9, 4.2, 5.0], "x": [1, 2, 3, 4, 5]})
    >>> round(float(kflow.regress(d, "y", ["x"]).coefficients.loc["x", "estimate"]), 3)
    1.01
    """
    fn = "regress"
    check_count(n_permutations, "n_permutations", fn)
    if model not in MODELS:
        raise bad_parameter(fn, "model", f"one of {set(MODELS)}", model)
    predictors = list(predictors)
    require_columns(data, [outcome, *predictors], "regress")
    if n_permutations and model != "ols":
        raise bad_parameter(fn, "n_permutations", "0 unless model='ols'", n_permutations)
    # statsmodels is imported on first use: the report and most analyses do not need it.
    import statsmodels.api as sm
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    d = data[[outcome, *predictors]].apply(pd.to_numeric, errors="coerce").dropna()
    y = d[outcome].astype(float)
    X = d[predictors].astype(float)
    Xc = sm.add_constant(X, has_constant="add")
    # The optimizers try steps that overflow on the way; whether they converged is reported.
    with np.errstate(all="ignore"):
        if model == "ordered_logit":
            res = OrderedModel(y.astype(int), X, distr="logit").fit(
                method="bfgs", disp=False, maxiter=2000
            )
        elif model == "ols":
            res = sm.OLS(y, Xc).fit(cov_type="HC3")
        elif model == "negbin":
            res = sm.NegativeBinomial(y, Xc).fit(disp=False, maxiter=500)
        else:
            res = sm.Logit(y, Xc).fit(disp=False, maxiter=500)
    with np.errstate(all="ignore"):
        table, fit = _tables(res, model)
    if n_permutations:
        rng = as_generator(seed, "regress")
        Xm = Xc.to_numpy()
        pinv = np.linalg.pinv(Xm)
        Yp = rng.permuted(np.tile(y.to_numpy(), (n_permutations, 1)), axis=1)
        betas = Yp @ pinv.T  # (k, p)
        table["p_permutation"] = permutation_p(
            res.params.to_numpy(), betas, alternative="two-sided"
        )
    return RegressionResult(
        coefficients=table,
        model=model,
        outcome=outcome,
        predictors=predictors,
        n=len(d),
        fit=fit,
        n_permutations=int(n_permutations),
        seed=seed_echo(seed),
        result=res,
    )


def _tables(res, model: str) -> tuple[pd.DataFrame, dict]:
    ci = res.conf_int()
    table = pd.DataFrame(
        {
            "estimate": res.params,
            "std_error": res.bse,
            "statistic": res.tvalues,
            "p_value": res.pvalues,
            "ci_low": ci.iloc[:, 0],
            "ci_high": ci.iloc[:, 1],
        }
    )
    table.index.name = "term"
    if model == "ols":
        fit = {"r_squared": float(res.rsquared), "adj_r_squared": float(res.rsquared_adj)}
    else:
        fit = {"pseudo_r_squared": _pseudo_r2(res)}
    fit.update(
        aic=float(res.aic),
        log_likelihood=float(res.llf),
        converged=bool(getattr(res, "mle_retvals", {}).get("converged", True)),
    )
    return table, fit


def _pseudo_r2(res) -> float:
    """McFadden's pseudo R^2; NaN when the null model cannot be fitted (statsmodels warns)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = float(getattr(res, "prsquared", np.nan))
    return float("nan") if caught else value
