"""Chance-corrected agreement of two raters on categories: Cohen's (weighted) kappa."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .._i18n import _
from ..errors import DataError, SpecError, WorkbenchWarning, check_option
from ._common import DroppedRatingsWarning
from ._order import GRADE_ORDER, check_order
from ._scalar import ScalarResult

__all__ = ["KappaResult", "cohen_kappa", "cohen_kappa_from_ratings"]


@dataclass(frozen=True, eq=False, repr=False)
class KappaResult(ScalarResult):
    """Cohen's kappa (the object is the float ``kappa``) with its standard errors and interval.

    Attributes
    ----------
    kappa, po, pe : float
        Kappa, observed and chance-expected (weighted) agreement.
    se : float
        Large-sample standard error (Fleiss, Cohen & Everitt 1969), used for the interval.
    se0 : float
        Standard error under kappa = 0, used for ``z`` and ``pval``.
    ci_low, ci_high : float
        Normal-approximation interval at ``confidence``.
    n : float
        Number of rated units.
    weights : str
        "unweighted", "linear" or "quadratic".
    """

    kappa: float
    se: float
    se0: float
    z: float
    pval: float
    ci_low: float
    ci_high: float
    po: float
    pe: float
    n: float
    weights: str
    confidence: float = 0.95

    def _summary_title(self) -> str:
        if self.undefined:
            return _("Cohen's kappa ({weights}) = {kappa}, n = {n:g}").format(
                weights=self.weights, kappa=self._undefined_text(), n=self.n
            )
        return _("Cohen's kappa ({weights}) = {kappa:.4f} [{low:.3f}, {high:.3f}], n = {n:g}").format(
            weights=self.weights, kappa=self.kappa, low=self.ci_low, high=self.ci_high, n=self.n
        )


def _agreement_weights(k: int, weights) -> np.ndarray:
    i = np.arange(k)
    dist = np.abs(i[:, None] - i[None, :]) / (k - 1)
    if weights is None:
        return np.eye(k)
    if weights == "linear":
        return 1 - dist
    return 1 - dist**2


def _as_square_table(table, func):
    if isinstance(table, pd.DataFrame):
        rows, cols = table.index, table.columns
        if not rows.equals(cols) and not (
            isinstance(rows, pd.RangeIndex) and isinstance(cols, pd.RangeIndex)
        ):
            if set(rows) == set(cols):
                table = table.loc[:, list(rows)]  # same categories in another order: align
            else:
                raise DataError(
                    _(
                        "{func} needs the same categories on rows and columns. Rows: {rows}; columns: {cols}."
                    ).format(func=func, rows=list(rows), cols=list(cols)),
                    hint=_(
                        "rows are rater A's categories, columns rater B's; use the same labels in the "
                        "same order"
                    ),
                )
        labels = list(table.index)
        arr = table.to_numpy(dtype=float)
    else:
        arr = np.asarray(table, dtype=float)
        labels = None
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
        raise DataError(
            _(
                "{func} needs a square contingency table (categories of rater A x categories "
                "of rater B). Got shape {shape}."
            ).format(func=func, shape=arr.shape),
            hint=_("use cohen_kappa_from_ratings(a, b) to build the table from two columns of ratings"),
        )
    if arr.shape[0] < 2:
        raise DataError(_("{func} needs at least 2 categories. Got {n}.").format(func=func, n=arr.shape[0]))
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        bad = np.argwhere(~np.isfinite(arr) | (arr < 0))[0]
        raise DataError(
            _("{func} needs non-negative finite counts. Got {value!r} at row {row}, column {col}.").format(
                func=func, value=arr[tuple(bad)], row=bad[0], col=bad[1]
            )
        )
    if arr.sum() <= 0:
        raise DataError(_("{func} got a table of zeros; it needs at least one rated unit.").format(func=func))
    return arr, labels


def cohen_kappa(table, weights=None, *, confidence: float = 0.95) -> KappaResult:
    """Cohen's kappa, optionally weighted, from a square contingency table of two raters.

    Parameters
    ----------
    table : DataFrame or array of shape (n_categories, n_categories)
        Counts: entry (i, j) = units put in category i by rater A and j by rater B. Categories
        are ordered (rows and columns in the same order); weighted kappa treats them as equally
        spaced.
    weights : {None, "linear", "quadratic"}, default=None
        Agreement weights 1 - |i - j| / (K - 1) or 1 - (i - j)^2 / (K - 1)^2; None = unweighted.
    confidence : float, default=0.95

    Returns
    -------
    KappaResult
        A float (kappa) with po, pe, the standard errors, z test and interval. When chance
        agreement pe = 1 (both raters used the same single category: all ratings identical) kappa
        is undefined: the numbers are NaN for programs, a warning is issued, and the printed
        result reads "undefined (all ratings identical)".

    Raises
    ------
    DataError
        Non-square table, fewer than 2 categories, negative or non-finite counts, all zeros.

    References
    ----------
    Cohen, J. (1960). A coefficient of agreement for nominal scales. Educational and Psychological
    Measurement 20, 37-46. Cohen, J. (1968). Weighted kappa. Psychological Bulletin 70, 213-220.
    Fleiss, J.L., Cohen, J. & Everitt, B.S. (1969). Large sample standard errors of kappa and
    weighted kappa. Psychological Bulletin 72(5), 323-327.

    Examples
    --------
    >>> round(float(cohen_kappa([[20, 5], [10, 15]])), 2)
    0.4
    """
    check_option(weights, [None, "linear", "quadratic"], name="weights", func="cohen_kappa")
    if not 0 < confidence < 1:
        raise SpecError(
            _("The 'confidence' parameter of cohen_kappa must be in (0, 1). Got {confidence!r}.").format(
                confidence=confidence
            )
        )
    counts, __ = _as_square_table(table, "cohen_kappa")
    n = counts.sum()
    p = counts / n
    row, col = p.sum(axis=1), p.sum(axis=0)
    w = _agreement_weights(len(p), weights)
    chance = np.outer(row, col)
    po, pe = float((w * p).sum()), float((w * chance).sum())
    if np.isclose(pe, 1.0):
        warnings.warn(
            _(
                "cohen_kappa: chance agreement is 1 (both raters used a single category: all "
                "ratings identical), so kappa is undefined (0/0). Returned as NaN; the result "
                "prints 'undefined (all ratings identical)'."
            ),
            WorkbenchWarning,
            stacklevel=2,
        )
        nan = float("nan")
        return KappaResult(
            nan, nan, nan, nan, nan, nan, nan, po, pe, float(n), weights or "unweighted", confidence
        )
    kappa = (po - pe) / (1 - pe)
    # Weighted mean agreement of row category i (over B's margin) and of column category j (over A's).
    w_row, w_col = w @ col, row @ w
    spread = w_row[:, None] + w_col[None, :]
    var = ((p * (w - spread * (1 - kappa)) ** 2).sum() - (kappa - pe * (1 - kappa)) ** 2) / (
        n * (1 - pe) ** 2
    )
    var0 = ((chance * (w - spread) ** 2).sum() - pe**2) / (n * (1 - pe) ** 2)
    se, se0 = float(np.sqrt(max(var, 0.0))), float(np.sqrt(max(var0, 0.0)))
    zq = stats.norm.ppf(1 - (1 - confidence) / 2)
    z = kappa / se0 if se0 > 0 else np.copysign(np.inf, kappa)
    return KappaResult(
        kappa=float(kappa),
        se=se,
        se0=se0,
        z=float(z),
        pval=float(2 * stats.norm.sf(abs(z))),
        ci_low=float(kappa - zq * se),
        ci_high=float(kappa + zq * se),
        po=po,
        pe=pe,
        n=float(n),
        weights=weights or "unweighted",
        confidence=confidence,
    )


def _as_vector(x, name):
    if isinstance(x, pd.DataFrame):
        if x.shape[1] != 1:
            raise DataError(
                _(
                    "cohen_kappa_from_ratings needs '{name}' as one column of ratings. Got {n_columns}."
                ).format(name=name, n_columns=x.shape[1])
            )
        x = x.iloc[:, 0]
    if isinstance(x, pd.Series):
        return x
    arr = np.asarray(x, dtype=object)
    if arr.ndim != 1:
        raise DataError(
            _("cohen_kappa_from_ratings needs '{name}' as a 1-D sequence. Got shape {shape}.").format(
                name=name, shape=arr.shape
            )
        )
    return pd.Series(arr)


def cohen_kappa_from_ratings(a, b, categories=None, weights=None, *, confidence: float = 0.95) -> KappaResult:
    """Cohen's kappa of two raters given as two columns of ratings of the same units.

    Parameters
    ----------
    a, b : Series, array or list of length n_units
        Categories given by rater A and rater B (numbers or words); NaN/None = missing, and a
        unit missing either rating is dropped with a warning. Two Series are matched by index.
    categories : sequence, optional
        All categories in order (worst first for weighted kappa). Default: the grade order
        较差 < 一般 < 良好 < 优秀 when every value is one of those words, else the sorted
        observed values. With ``weights``, grade words of a known scale put the wrong way round
        (e.g. best first) or numeric codes out of increasing order are a SpecError naming them.
    weights : {None, "linear", "quadratic"}, default=None

    Returns
    -------
    KappaResult, see :func:`cohen_kappa`.

    Raises
    ------
    DataError
        Lengths or indexes differ, a value is not among ``categories``, a rater without any rating
        (named), no unit rated by both.

    Examples
    --------
    >>> round(float(cohen_kappa_from_ratings(["优秀", "良好", "良好"], ["优秀", "良好", "一般"])), 3)
    0.5
    """
    sa, sb = _as_vector(a, "a"), _as_vector(b, "b")
    if isinstance(a, pd.Series) and isinstance(b, pd.Series):
        if set(sa.index) != set(sb.index):
            only = sorted(map(str, set(sa.index) ^ set(sb.index)))[:10]
            raise DataError(
                _("cohen_kappa_from_ratings: 'a' and 'b' rate different units; not in both: {only}.").format(
                    only=only
                ),
                hint=_("pass ratings of the same units (Series with the same index)"),
            )
        sb = sb.reindex(sa.index)
    elif len(sa) != len(sb):
        raise DataError(
            _("cohen_kappa_from_ratings needs equally long 'a' and 'b'. Got {n_a} and {n_b}.").format(
                n_a=len(sa), n_b=len(sb)
            )
        )
    sa, sb = sa.reset_index(drop=True), sb.reset_index(drop=True)
    blank = lambda s: s.isna() | s.map(lambda v: isinstance(v, str) and v.strip() == "")  # noqa: E731
    for name, s in (("a", sa), ("b", sb)):
        if blank(s).all():
            raise DataError(
                _("cohen_kappa_from_ratings: rater '{name}' has no ratings (every value is missing).").format(
                    name=name
                ),
                key=name,
                hint=_("pass two columns that both hold ratings of the same units"),
            )
    both = ~(blank(sa) | blank(sb))
    if not both.any():
        raise DataError(_("cohen_kappa_from_ratings: no unit has a rating from both raters."))
    if not both.all():
        warnings.warn(
            _("cohen_kappa_from_ratings: dropped {dropped} of {total} units missing a rating.").format(
                dropped=int((~both).sum()), total=len(both)
            ),
            DroppedRatingsWarning,
            stacklevel=2,
        )
    sa, sb = sa[both], sb[both]
    sa = sa.map(lambda v: v.strip() if isinstance(v, str) else v)
    sb = sb.map(lambda v: v.strip() if isinstance(v, str) else v)
    observed = pd.unique(pd.concat([sa, sb]).to_numpy(dtype=object))
    if categories is None:
        if all(isinstance(v, str) and v in GRADE_ORDER for v in observed):
            categories = list(GRADE_ORDER)
        else:
            try:
                categories = sorted(observed)
            except TypeError:
                categories = sorted(observed, key=str)
    elif weights is not None:
        # weighted kappa reads the categories as ordered: refuse grade words or codes out of order
        check_order(categories, func="cohen_kappa_from_ratings", name="categories")
    cats = pd.Index(list(categories))
    if cats.has_duplicates or len(cats) < 2:
        raise SpecError(
            _(
                "The 'categories' parameter of cohen_kappa_from_ratings must list at least 2 "
                "distinct categories. Got {categories}."
            ).format(categories=list(categories))
        )
    ia, ib = cats.get_indexer(sa.to_numpy(dtype=object)), cats.get_indexer(sb.to_numpy(dtype=object))
    if (ia < 0).any() or (ib < 0).any():
        unknown = sorted(map(str, set(sa[ia < 0]) | set(sb[ib < 0])))
        raise DataError(
            _("cohen_kappa_from_ratings found values not among the categories {cats}: {unknown}.").format(
                cats=list(cats), unknown=unknown
            ),
            hint=_("pass categories=[...] listing every category in order"),
        )
    k = len(cats)
    table = np.bincount(ia * k + ib, minlength=k * k).reshape(k, k)
    return cohen_kappa(pd.DataFrame(table, index=cats, columns=cats), weights, confidence=confidence)
