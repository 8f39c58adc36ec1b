"""Ranking alternatives: TOPSIS and grey relational analysis."""

from __future__ import annotations

import numbers
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._i18n import _
from .._results import ResultMixin
from ..errors import DataError, SpecError, WorkbenchWarning, check_option
from ..weighting._common import as_directions, as_table, as_weights, minmax_by_direction, names

__all__ = ["TopsisResult", "GreyRelationalResult", "topsis", "grey_relational"]


def _rank(score: np.ndarray, rows: pd.Index) -> pd.Series:
    return pd.Series(score, index=rows).rank(ascending=False, method="min").astype(int).rename("rank")


@dataclass(frozen=True, repr=False, eq=False)
class TopsisResult(ResultMixin):
    """TOPSIS closeness of each alternative to the ideal solution.

    Attributes
    ----------
    closeness : Series of shape (n_alternatives,)
        ``C = d_worst / (d_best + d_worst)`` in [0, 1]; higher is better.
    rank : Series of int
        1 = best (ties share the lower rank).
    d_best, d_worst : Series
        Euclidean distances to the positive and negative ideal solutions.
    normalise : str
        The normalisation used (``"vector"``, ``"minmax"`` or ``"sum"``).
    weights : Series
        Weights used (normalised to sum 1).

    ``np.asarray(result)`` gives the closeness as a plain array.
    """

    closeness: pd.Series
    rank: pd.Series
    d_best: pd.Series
    d_worst: pd.Series
    normalise: str
    weights: pd.Series

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {"closeness": self.closeness, "d_best": self.d_best, "d_worst": self.d_worst, "rank": self.rank}
        )

    def _summary_title(self) -> str:
        return _("TOPSIS ({normalise} normalisation)").format(normalise=self.normalise)

    def _summary_facts(self) -> dict:
        return {_("alternatives"): len(self.closeness), _("best"): str(self.closeness.idxmax())}

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.closeness.to_numpy(), dtype=dtype)


def topsis(data, weights, directions, normalise="vector") -> TopsisResult:
    """TOPSIS: rank alternatives by relative closeness to the ideal solution (Hwang & Yoon 1981).

    ``r`` is the normalised matrix (``"vector"``: ``x / sqrt(sum_i x^2)``; ``"minmax"``:
    ``(x - min) / (max - min)``; ``"sum"``: ``x / sum_i x``), ``v = w r``; the positive ideal takes
    the column maximum for benefit and the minimum for cost criteria (the negative ideal the
    opposite); ``C_i = d_i^- / (d_i^+ + d_i^-)`` with Euclidean distances. A column whose
    normaliser is zero (all zero, or constant under min-max) cannot separate alternatives: it is
    set to 0 with a warning.

    Parameters
    ----------
    data : DataFrame or array of shape (n_alternatives, n_criteria)
    weights : sequence or mapping of float, shape (n_criteria,)
        Non-negative; normalised to sum 1 (closeness does not depend on their scale).
    directions : sequence or mapping of {1, -1}, shape (n_criteria,)
        1 for benefit (higher is better), -1 for cost; None means all benefit.
    normalise : {"vector", "minmax", "sum"}, default="vector"

    Returns
    -------
    TopsisResult

    References
    ----------
    Hwang, C.L. & Yoon, K. (1981). Multiple Attribute Decision Making: Methods and Applications.
    Springer.

    Examples
    --------
    >>> topsis([[1.0, 2.0], [3.0, 1.0], [2.0, 3.0]], [0.5, 0.5], [1, -1]).closeness.round(3).tolist()
    [0.309, 1.0, 0.309]
    """
    func = "topsis"
    check_option(normalise, ["vector", "minmax", "sum"], name="normalise", func=func)
    t = as_table(data, func=func)
    w = as_weights(weights, t.cols, func=func)
    d = as_directions(directions, t.cols, func=func)
    x = t.values
    if normalise == "vector":
        denom = np.sqrt((x**2).sum(axis=0))
        shifted = x
    elif normalise == "sum":
        neg = (x < 0).any(axis=0)
        if neg.any():
            raise DataError(
                _(
                    "{func}: column(s) {columns} hold negative values; "
                    "normalise='sum' needs non-negative data. Use normalise='vector' or 'minmax'."
                ).format(func=func, columns=names(t.cols[neg])),
                column=str(t.cols[neg][0]),
            )
        denom, shifted = x.sum(axis=0), x
    else:
        lo = x.min(axis=0)
        denom, shifted = x.max(axis=0) - lo, x - lo
    zero = denom <= 0
    if zero.any():
        warnings.warn(
            _(
                "{func}: column(s) {columns} cannot be normalised ({normalise}: "
                "normaliser 0) and do not separate alternatives; they are set to 0."
            ).format(func=func, columns=names(t.cols[zero]), normalise=normalise),
            WorkbenchWarning,
            stacklevel=2,
        )
    r = shifted / np.where(zero, 1.0, denom)
    r[:, zero] = 0.0
    v = r * w
    best = np.where(d > 0, v.max(axis=0), v.min(axis=0))
    worst = np.where(d > 0, v.min(axis=0), v.max(axis=0))
    d_best = np.sqrt(((v - best) ** 2).sum(axis=1))
    d_worst = np.sqrt(((v - worst) ** 2).sum(axis=1))
    total = d_best + d_worst
    if (total <= 0).any():
        raise DataError(
            _(
                "{func}: all alternatives are identical on every weighted criterion; there is "
                "nothing to rank."
            ).format(func=func)
        )
    c = d_worst / total
    rows = t.rows
    return TopsisResult(
        closeness=pd.Series(c, index=rows, name="closeness"),
        rank=_rank(c, rows),
        d_best=pd.Series(d_best, index=rows, name="d_best"),
        d_worst=pd.Series(d_worst, index=rows, name="d_worst"),
        normalise=normalise,
        weights=pd.Series(w, index=t.cols, name="weight"),
    )


@dataclass(frozen=True, repr=False, eq=False)
class GreyRelationalResult(ResultMixin):
    """Grey relational grades of alternatives against the ideal reference series.

    Attributes
    ----------
    grade : Series of shape (n_alternatives,)
        Weighted mean of the grey relational coefficients, in (0, 1]; higher is better.
    rank : Series of int
        1 = best.
    coefficients : DataFrame of shape (n_alternatives, n_criteria)
        Grey relational coefficients ``xi_ij``.
    rho : float
        Distinguishing coefficient.
    weights : Series

    ``np.asarray(result)`` gives the grades as a plain array.
    """

    grade: pd.Series
    rank: pd.Series
    coefficients: pd.DataFrame
    rho: float
    weights: pd.Series

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"grade": self.grade, "rank": self.rank})

    def _summary_title(self) -> str:
        return _("Grey relational analysis")

    def _summary_facts(self) -> dict:
        return {_("rho"): self.rho, _("alternatives"): len(self.grade), _("best"): str(self.grade.idxmax())}

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.grade.to_numpy(), dtype=dtype)


def grey_relational(data, directions, rho=0.5, weights=None) -> GreyRelationalResult:
    """Grey relational analysis (灰色关联分析, Deng 1982): closeness of each alternative to the ideal.

    Each column is min-max rescaled by direction (benefit ``(x-min)/(max-min)``, cost
    ``(max-x)/(max-min)``), so the reference (ideal) series is 1 in every column. With
    ``Delta_ij = |1 - y_ij|`` and the two-level extremes ``Delta_min = min_ij Delta_ij``,
    ``Delta_max = max_ij Delta_ij``, the coefficient is
    ``xi_ij = (Delta_min + rho Delta_max) / (Delta_ij + rho Delta_max)`` and the grade is
    ``gamma_i = sum_j w_j xi_ij`` (equal weights by default).

    Parameters
    ----------
    data : DataFrame or array of shape (n_alternatives, n_criteria)
    directions : sequence or mapping of {1, -1}; None means all benefit
    rho : float in (0, 1], default=0.5
        Distinguishing coefficient (smaller spreads the coefficients more).
    weights : sequence or mapping of float, optional
        Non-negative, normalised to sum 1; default equal.

    Returns
    -------
    GreyRelationalResult

    Raises
    ------
    DataError
        For constant columns (the rescaling is undefined).

    References
    ----------
    Deng, J.L. (1982). Control problems of grey systems. Systems & Control Letters 1(5):288-294.
    Deng, J.L. (1989). Introduction to grey system theory. Journal of Grey System 1(1):1-24.

    Examples
    --------
    >>> grey_relational([[1.0, 3.0], [2.0, 1.0], [3.0, 2.0]], [1, 1]).grade.round(4).tolist()
    [0.6667, 0.4167, 0.75]
    """
    func = "grey_relational"
    if isinstance(rho, bool) or not isinstance(rho, numbers.Real) or not (0 < rho <= 1):
        raise SpecError(
            _("The 'rho' parameter of {func} must be a number in (0, 1]. Got {rho!r} instead.").format(
                func=func, rho=rho
            ),
            key="rho",
        )
    t = as_table(data, func=func)
    d = as_directions(directions, t.cols, func=func)
    w = np.full(len(t.cols), 1.0 / len(t.cols)) if weights is None else as_weights(weights, t.cols, func=func)
    y = minmax_by_direction(t.values, d, t.cols, func=func, why=_("for grey relational analysis"))
    delta = np.abs(1.0 - y)
    dmin, dmax = delta.min(), delta.max()
    xi = (dmin + rho * dmax) / (delta + rho * dmax)
    grade = xi @ w
    return GreyRelationalResult(
        grade=pd.Series(grade, index=t.rows, name="grade"),
        rank=_rank(grade, t.rows),
        coefficients=pd.DataFrame(xi, index=t.rows, columns=t.cols),
        rho=float(rho),
        weights=pd.Series(w, index=t.cols, name="weight"),
    )
