"""More objective weights: coefficient of variation, standard deviation and independence weights."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import DataError, ModelError, check_option
from ._common import WeightResult, as_directions, as_table, constant_columns, minmax_by_direction, names

__all__ = ["cv", "std_dev", "independence"]


def _result(w, t, method, variant, table, **stats) -> WeightResult:
    table = table.assign(weight=w)
    return WeightResult(
        weights=pd.Series(w, index=t.cols, name="weight"),
        method=method,
        variant=variant,
        table=table,
        stats={"n_units": t.values.shape[0], **stats},
    )


def cv(data) -> WeightResult:
    """Coefficient-of-variation weights (变异系数法 / 信息量权数法): ``w_j = CV_j / sum_k CV_k``.

    ``CV_j = s_j / mean_j`` with the sample standard deviation (ddof=1; any ddof gives the same
    weights, the factor cancels). Indicators that vary more relative to their level separate
    units more and get more weight. Use raw data on a ratio scale (positive means); a constant
    column gets weight 0.

    Parameters
    ----------
    data : DataFrame or array of shape (n_units, n_indicators)
        Complete numeric data with positive column means.

    Returns
    -------
    WeightResult
        ``table`` has columns ``mean``, ``sd``, ``cv`` and ``weight``.

    Raises
    ------
    DataError
        Columns with a mean <= 0 (the CV is not defined; shift or rescale them), or every column constant.

    References
    ----------
    OECD/JRC (2008). Handbook on Constructing Composite Indicators, section 6 (weights from
    statistical properties); 变异系数法 as in Chinese evaluation textbooks.

    Examples
    --------
    >>> cv([[1.0, 10.0], [3.0, 12.0]]).weights.round(3).tolist()
    [0.846, 0.154]
    """
    t = as_table(data, func="cv")
    mean = t.values.mean(axis=0)
    bad = mean <= 0
    if bad.any():
        raise DataError(
            f"cv: column(s) {names(t.cols[bad])} have a mean <= 0, so the coefficient of variation "
            "(sd / mean) is not defined. Use data on a ratio scale, or std_dev() for data centred at zero.",
            column=str(t.cols[bad][0]),
        )
    sd = t.values.std(axis=0, ddof=1)
    c = sd / mean
    if c.sum() <= 0:
        raise DataError("cv: every indicator is constant; there is no variation to weight by.")
    return _result(
        c / c.sum(), t, "cv", "sample", pd.DataFrame({"mean": mean, "sd": sd, "cv": c}, index=t.cols)
    )


def std_dev(data, directions=None, normalise="minmax") -> WeightResult:
    """Standard-deviation weights (标准离差法): ``w_j = s_j / sum_k s_k`` of the rescaled columns.

    With ``normalise="minmax"`` each column is first rescaled to [0, 1] by direction (so units
    of measurement do not decide the weights); ``"none"`` uses the data as given (already on one
    scale). A constant column gets weight 0 under ``"none"`` and is an error under ``"minmax"``.

    Parameters
    ----------
    data : DataFrame or array of shape (n_units, n_indicators)
    directions : sequence or mapping of {1, -1}, default=None (all benefit)
        Only changes the sign of a rescaled column, so the weights do not depend on it; accepted
        for a uniform signature with :func:`critic`.
    normalise : {"minmax", "none"}, default="minmax"

    Returns
    -------
    WeightResult
        ``table`` has columns ``sd`` and ``weight``.

    References
    ----------
    Wang, Y.M. & Luo, Y. (2010). Integration of correlations with standard deviations for
    determining attribute weights in multiple attribute decision making. Mathematical and
    Computer Modelling 51(1-2):1-12 (the standard-deviation method as a baseline).

    Examples
    --------
    >>> std_dev([[0.0, 0.0], [0.5, 0.0], [1.0, 1.0]]).weights.round(3).tolist()
    [0.464, 0.536]
    """
    check_option(normalise, ["minmax", "none"], name="normalise", func="std_dev")
    t = as_table(data, func="std_dev")
    d = as_directions(directions, t.cols, func="std_dev")
    y = t.values if normalise == "none" else minmax_by_direction(t.values, d, t.cols, func="std_dev", why="")
    sd = y.std(axis=0, ddof=1)
    if sd.sum() <= 0:
        raise DataError("std_dev: every indicator is constant; there is no spread to weight by.")
    return _result(sd / sd.sum(), t, "std_dev", normalise, pd.DataFrame({"sd": sd}, index=t.cols))


def independence(data) -> WeightResult:
    """Independence weights (独立性权重法): less weight for indicators the others already explain.

    ``R_j`` is the multiple correlation of indicator j with all the others (from the inverse
    correlation matrix: ``R_j^2 = 1 - 1 / (C^-1)_jj``), and ``w_j = (1 / R_j) / sum_k (1 / R_k)``
    (as SPSSAU's 独立性权重): an indicator that repeats the information of the others (R near 1)
    gets little weight.

    Parameters
    ----------
    data : DataFrame or array of shape (n_units, n_indicators)
        Complete numeric data, at least 2 indicators and more units than indicators.

    Returns
    -------
    WeightResult
        ``table`` has columns ``r2``, ``r`` (multiple correlation) and ``weight``.

    Raises
    ------
    DataError
        Constant columns, fewer units than indicators + 1.
    ModelError
        Perfectly collinear indicators (R = 1: the correlation matrix is singular), or an
        indicator uncorrelated with all the others (R = 0: 1/R is infinite).

    References
    ----------
    Weights from multiple correlation (复相关系数) as in Chinese evaluation textbooks and SPSSAU.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(0).normal(size=(50, 3)); x[:, 2] += x[:, 0]
    >>> w = independence(x).weights
    >>> bool(w.iloc[1] > w.iloc[0])
    True
    """
    t = as_table(data, func="independence", min_rows=3)
    n, p = t.values.shape
    if p < 2:
        raise DataError("independence: at least 2 indicators are needed (each is regressed on the others).")
    if n <= p:
        raise DataError(f"independence: {n} units for {p} indicators; more units than indicators are needed.")
    const = constant_columns(t.values, t.cols)
    if const:
        raise DataError(
            f"independence: column(s) {names(const)} are constant; drop them.", column=str(const[0])
        )
    c = np.corrcoef(t.values, rowvar=False)
    if np.linalg.cond(c) > 1e12:
        raise ModelError(
            "independence: the indicators are perfectly collinear (one is a linear combination of "
            "others), so their multiple correlations are 1. Drop the redundant indicators first."
        )
    r2 = np.clip(1.0 - 1.0 / np.diag(np.linalg.inv(c)), 0.0, 1.0)
    r = np.sqrt(r2)
    if (r <= 1e-12).any():
        raise ModelError(
            f"independence: indicator(s) {names(t.cols[r <= 1e-12])} are uncorrelated with all others (R = 0), "
            "so 1/R is infinite. Independence weights need indicators that share some information."
        )
    inv = 1.0 / r
    return _result(
        inv / inv.sum(), t, "independence", "reciprocal", pd.DataFrame({"r2": r2, "r": r}, index=t.cols)
    )
