"""Objective (data-driven) weights from dispersion and conflict: entropy and CRITIC."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..errors import DataError, ModelError, WorkbenchWarning, check_option
from ._common import WeightResult, as_directions, as_table, constant_columns, minmax_by_direction, names

__all__ = ["entropy", "critic"]


def entropy(data, directions=None, normalise="sum", *, shift=0.0) -> WeightResult:
    """Entropy weights (熵权法): indicators whose values are spread unevenly get more weight.

    With shares ``p_ij = y_ij / sum_i y_ij`` the entropy of indicator j is
    ``e_j = -sum_i p_ij ln p_ij / ln m`` (m units, ``0 ln 0 = 0``) and the weight is
    ``w_j = (1 - e_j) / sum_k (1 - e_k)``. Three variants circulate and give different weights on
    the same data, so the variant is a required, visible setting:

    - ``"sum"``: ``y = x`` (raw data), as in the published tables (Xu 2004; pymcdm, pyrepo-mcda).
      Directions play no role. A constant column has ``e = 1`` and gets weight 0 (reported in
      ``notes``). Negative values are rejected.
    - ``"minmax"``: each column is first rescaled by direction (benefit ``(x-min)/(max-min)``,
      cost ``(max-x)/(max-min)``), as in Chinese textbooks (正向化/逆向化). Constant columns
      raise a :class:`DataError` (the rescaling is undefined).
    - ``"reciprocal"``: cost columns are replaced by ``1/x`` before the shares (pyDecision's
      ``entropy_method``); needs positive values in cost columns.

    Parameters
    ----------
    data : DataFrame or array of shape (n_units, n_indicators)
        Complete numeric data, units in rows.
    directions : sequence or mapping of {1, -1}, default=None (all benefit)
        One direction per column (by code for a mapping/Series).
    normalise : {"sum", "minmax", "reciprocal"}, default="sum"
    shift : float, default=0.0
        Added to the min-max rescaled values (some textbooks use 0.0001 to avoid ``ln 0``);
        only used with ``normalise="minmax"``.

    Returns
    -------
    WeightResult
        ``table`` has columns ``entropy``, ``divergence`` (1 - e) and ``weight``.

    References
    ----------
    Shannon, C.E. (1948). A mathematical theory of communication. Bell System Technical Journal 27.
    Xu, X. (2004). A note on the subjective and objective integrated approach to determine attribute
    weights. European Journal of Operational Research 156(2):530-532.
    Zeleny, M. (1982). Multiple Criteria Decision Making. McGraw-Hill (entropy weights).

    Examples
    --------
    >>> entropy([[1.0, 5.0], [2.0, 5.0], [9.0, 5.0]]).weights.round(3).tolist()
    [1.0, 0.0]
    """
    func = "entropy"
    check_option(normalise, ["sum", "minmax", "reciprocal"], name="normalise", func=func)
    t = as_table(data, func=func)
    x, cols = t.values, t.cols
    d = as_directions(directions, cols, func=func)
    notes = []
    # column minima and maxima serve the sign check and the constant-column check; on a column-major
    # copy each is one contiguous pass per column (row-major axis-0 reductions are ~10x slower)
    xf = np.asfortranarray(x)
    lo, hi = xf.min(axis=0), xf.max(axis=0)
    del xf
    if normalise in ("sum", "reciprocal"):
        if (lo < 0).any():
            bad = cols[lo < 0]
            raise DataError(
                f"{func}: column(s) {names(bad)} hold negative values, but normalise={normalise!r} "
                "needs shares p = x / sum(x) of non-negative data. Use normalise='minmax' or shift the "
                "column to be non-negative.",
                column=str(bad[0]),
            )
    if normalise == "sum":
        if (d < 0).any():
            warnings.warn(
                f"{func}: directions are not used by normalise='sum' (raw shares); cost column(s) "
                f"{names(cols[d < 0])} are treated like the others. Use normalise='minmax' or "
                "'reciprocal' to take directions into account.",
                WorkbenchWarning,
                stacklevel=2,
            )
        y = x
    elif normalise == "reciprocal":
        zero = (x <= 0) & (d < 0)
        if zero.any():
            bad = cols[zero.any(axis=0)]
            raise DataError(
                f"{func}: cost column(s) {names(bad)} hold zeros, but normalise='reciprocal' uses 1/x. "
                "Use normalise='minmax' instead.",
                column=str(bad[0]),
            )
        with np.errstate(divide="ignore"):
            y = np.where(d > 0, x, 1.0 / np.where(x > 0, x, 1.0))
    else:
        y = minmax_by_direction(x, d, cols, func=func, why="for normalise='minmax'") + shift
    colsum = y.sum(axis=0)
    if (colsum <= 0).any():
        bad = cols[colsum <= 0]
        raise DataError(
            f"{func}: column(s) {names(bad)} are all zero, so their shares p = x / sum(x) are "
            "undefined. Drop them.",
            column=str(bad[0]),
        )
    plogp = y / colsum
    positive = plogp > 0
    if positive.all():  # p ln p in place: no masked copies of the table
        np.multiply(plogp, np.log(plogp), out=plogp)
    else:  # 0 ln 0 = 0
        np.multiply(plogp, np.log(plogp, out=np.zeros_like(plogp), where=positive), out=plogp)
        plogp[~positive] = 0.0
    e = -plogp.sum(axis=0) / np.log(x.shape[0])
    div = np.clip(1.0 - e, 0.0, None)
    const = constant_columns(x, cols, lo=lo, hi=hi)
    # a constant column has e = 1 exactly; rounding would leave it a weight of ~1e-15
    div[cols.isin(const)] = 0.0
    if div.sum() <= 1e-15:
        raise ModelError(
            f"{func}: every indicator has maximal entropy (all units look alike on every column), so "
            "entropy cannot tell indicators apart. Use another weighting method.",
        )
    w = div / div.sum()
    if normalise == "sum":
        if const:
            notes.append(f"constant column(s) {names(const)} have entropy 1 and get weight 0")
    table = pd.DataFrame({"entropy": e, "divergence": div, "weight": w}, index=cols)
    return WeightResult(
        weights=pd.Series(w, index=cols, name="weight"),
        method="entropy",
        variant=normalise,
        table=table,
        stats={"n_units": x.shape[0], "normalise": normalise},
        notes=tuple(notes),
    )


def critic(data, directions=None) -> WeightResult:
    """CRITIC weights (Diakoulaki et al. 1995): contrast intensity times conflict.

    Each column is min-max rescaled by direction (benefit ``(x-min)/(max-min)``, cost
    ``(max-x)/(max-min)``); then ``C_j = s_j * sum_k (1 - r_jk)`` with ``s_j`` the sample standard
    deviation (ddof=1) of the rescaled column and ``r`` the Pearson correlation matrix, and
    ``w_j = C_j / sum_k C_k``. Flipping a cost column changes the signs of its correlations, so
    the weights depend on ``directions`` (all benefit by default, as in the published example).

    Parameters
    ----------
    data : DataFrame or array of shape (n_units, n_indicators)
    directions : sequence or mapping of {1, -1}, default=None (all benefit)

    Returns
    -------
    WeightResult
        ``table`` has columns ``sd``, ``conflict`` (sum of 1 - r), ``information`` (C) and ``weight``.

    Raises
    ------
    DataError
        For constant columns (their rescaling and correlations are undefined).

    References
    ----------
    Diakoulaki, D., Mavrotas, G. & Papayannakis, L. (1995). Determining objective weights in multiple
    criteria problems: the CRITIC method. Computers & Operations Research 22(7):763-770.

    Examples
    --------
    >>> critic([[1.0, 2.0], [2.0, 1.0], [3.0, 3.0]]).weights.round(3).tolist()
    [0.5, 0.5]
    """
    func = "critic"
    t = as_table(data, func=func, min_rows=3)
    d = as_directions(directions, t.cols, func=func)
    y = minmax_by_direction(t.values, d, t.cols, func=func, why="and CRITIC needs a standard deviation > 0")
    sd = y.std(axis=0, ddof=1)
    r = np.corrcoef(y, rowvar=False).reshape(y.shape[1], y.shape[1])
    conflict = (1.0 - r).sum(axis=0)
    info = sd * conflict
    if info.sum() <= 1e-15:
        raise ModelError(
            f"{func}: no indicator carries conflicting information (a single indicator, or all perfectly "
            "correlated), so CRITIC weights are undefined. Use at least two indicators that are not "
            "perfectly correlated.",
        )
    w = info / info.sum()
    table = pd.DataFrame({"sd": sd, "conflict": conflict, "information": info, "weight": w}, index=t.cols)
    return WeightResult(
        weights=pd.Series(w, index=t.cols, name="weight"),
        method="critic",
        variant="minmax",
        table=table,
        stats={"n_units": y.shape[0], "cost_columns": tuple(t.cols[d < 0])},
    )
