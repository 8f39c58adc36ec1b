"""Chance-corrected agreement of many raters on categories: Fleiss' kappa."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .._i18n import _
from ..errors import DataError, WorkbenchWarning
from ._common import as_ratings
from ._scalar import ScalarResult

__all__ = ["FleissKappaResult", "fleiss_kappa", "category_counts"]


@dataclass(frozen=True, eq=False, repr=False)
class FleissKappaResult(ScalarResult):
    """Fleiss' kappa (the object is the float ``kappa``) with its null standard error.

    Attributes
    ----------
    kappa, p_bar, p_e : float
        Kappa, mean observed agreement and chance agreement.
    se0, z, pval : float
        Standard error under kappa = 0 (Fleiss, Nee & Landis 1979) and the z test.
    ci_low, ci_high : float
        kappa +- z * se0, an approximate interval (the closed form SE is the null one).
    n_units, n_raters : int
    categories : DataFrame
        Per category: share p_j and the category kappa_j.
    """

    kappa: float
    se0: float
    z: float
    pval: float
    ci_low: float
    ci_high: float
    p_bar: float
    p_e: float
    n_units: int
    n_raters: int
    categories: pd.DataFrame | None = None

    def _summary_title(self) -> str:
        return _("Fleiss' kappa = {kappa} ({n_units} units, {n_raters} raters each)").format(
            kappa=self._value_text(self.kappa), n_units=self.n_units, n_raters=self.n_raters
        )


def fleiss_kappa(counts, *, confidence: float = 0.95) -> FleissKappaResult:
    """Fleiss' kappa for many raters from a units x categories table of counts.

    Parameters
    ----------
    counts : DataFrame or array of shape (n_units, n_categories)
        Entry (i, j) = number of raters who put unit i in category j; every unit must have the
        same number of raters n >= 2. Build it from ratings with :func:`category_counts`.
    confidence : float, default=0.95

    Returns
    -------
    FleissKappaResult
        A float (kappa) with the null SE, z test, per-category kappas. When all ratings fall in a
        single category kappa is undefined: NaN for programs, a warning, and the printed result
        reads "undefined (all ratings identical)".

    Raises
    ------
    DataError
        Negative or non-integer counts, unequal raters per unit (rows named), fewer than 2 units,
        raters or categories.

    References
    ----------
    Fleiss, J.L. (1971). Measuring nominal scale agreement among many raters. Psychological
    Bulletin 76(5), 378-382. Fleiss, J.L., Nee, J.C.M. & Landis, J.R. (1979). Large sample
    variance of kappa in the case of different sets of raters. Psychological Bulletin 86(5),
    974-977.

    Examples
    --------
    >>> round(float(fleiss_kappa([[2, 0], [0, 2], [1, 1]])), 3)
    0.333
    """
    labelled = isinstance(counts, pd.DataFrame)
    arr = counts.to_numpy(dtype=float) if labelled else np.asarray(counts, dtype=float)
    if arr.ndim != 2 or arr.shape[0] < 2 or arr.shape[1] < 2:
        raise DataError(
            _(
                "fleiss_kappa needs a units x categories table with at least 2 units and 2 "
                "categories. Got shape {shape}."
            ).format(shape=arr.shape)
        )
    if not np.all(np.isfinite(arr)) or np.any(arr < 0) or np.any(arr != np.round(arr)):
        raise DataError(_("fleiss_kappa needs non-negative whole counts (raters per unit and category)."))
    totals = arr.sum(axis=1)
    values, freq = np.unique(totals, return_counts=True)
    n = values[np.argmax(freq)]
    if len(values) > 1:
        index = counts.index if labelled else pd.RangeIndex(len(arr))
        odd = [str(index[i]) for i in np.flatnonzero(totals != n)[:10]]
        raise DataError(
            _(
                "fleiss_kappa needs the same number of raters for every unit; most units have "
                "{n:g}, but units {odd} have {totals}."
            ).format(n=n, odd=odd, totals=sorted(set(totals[totals != n]))),
            hint=_("Fleiss' kappa assumes n ratings per unit; use krippendorff_alpha for unequal numbers"),
        )
    if n < 2:
        raise DataError(_("fleiss_kappa needs at least 2 raters per unit. Got {n:g}.").format(n=n))
    n_units = len(arr)
    p_j = arr.sum(axis=0) / (n_units * n)
    p_i = ((arr**2).sum(axis=1) - n) / (n * (n - 1))
    p_bar, p_e = float(p_i.mean()), float((p_j**2).sum())
    q_j = 1 - p_j
    pq = p_j * q_j
    names = list(counts.columns) if labelled else list(range(arr.shape[1]))
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa_j = 1 - (arr * (n - arr)).sum(axis=0) / (n_units * n * (n - 1) * pq)
    cats = pd.DataFrame({"p": p_j, "kappa": kappa_j}, index=pd.Index(names))
    if np.isclose(p_e, 1.0):
        warnings.warn(
            _(
                "fleiss_kappa: every rating is in one category (all ratings identical), so "
                "kappa is undefined (0/0). Returned as NaN; the result prints 'undefined (all "
                "ratings identical)'."
            ),
            WorkbenchWarning,
            stacklevel=2,
        )
        nan = float("nan")
        return FleissKappaResult(nan, nan, nan, nan, nan, nan, p_bar, p_e, n_units, int(n), cats)
    kappa = (p_bar - p_e) / (1 - p_e)
    s = pq.sum()
    var0 = 2 / (s**2 * n_units * n * (n - 1)) * (s**2 - (pq * (q_j - p_j)).sum())
    se0 = float(np.sqrt(var0))
    z = kappa / se0
    zq = stats.norm.ppf(1 - (1 - confidence) / 2)
    return FleissKappaResult(
        kappa=float(kappa),
        se0=se0,
        z=float(z),
        pval=float(2 * stats.norm.sf(abs(z))),
        ci_low=float(kappa - zq * se0),
        ci_high=float(kappa + zq * se0),
        p_bar=p_bar,
        p_e=p_e,
        n_units=n_units,
        n_raters=int(n),
        categories=cats,
    )


def category_counts(ratings, categories=None) -> pd.DataFrame:
    """Units x categories counts of a units x raters table (the input of :func:`fleiss_kappa`).

    Parameters
    ----------
    ratings : DataFrame or array of shape (n_units, n_raters)
        Categories as numbers or words; NaN = missing (not counted).
    categories : sequence, optional
        Columns of the result in order; default the grade order for grade words, else the sorted
        observed values. A rating outside ``categories`` raises a DataError.

    Returns
    -------
    DataFrame of shape (n_units, n_categories) of counts, indexed like ``ratings``.

    Examples
    --------
    >>> category_counts([["优秀", "良好"], ["良好", "良好"]]).to_numpy().tolist()
    [[0, 0, 1, 1], [0, 0, 2, 0]]
    """
    r = as_ratings(ratings, func="category_counts", words="nominal", min_raters=1, min_units=1)
    x = r.values
    valid = ~np.isnan(x)
    if r.labels is not None:
        observed_names = np.asarray(r.labels, dtype=object)[x[valid].astype(int) - 1]
    else:
        observed_names = x[valid]
    if categories is None:
        cats = pd.Index(list(r.labels)) if r.labels is not None else pd.Index(np.unique(observed_names))
    else:
        cats = pd.Index(list(categories))
    code = cats.get_indexer(observed_names)
    if (code < 0).any():
        unknown = sorted(map(str, set(observed_names[code < 0])))
        raise DataError(
            _("category_counts found ratings not among the categories {cats}: {unknown}.").format(
                cats=list(cats), unknown=unknown
            ),
            hint=_("pass categories=[...] listing every category"),
        )
    rows, __ = np.nonzero(valid)
    k = len(cats)
    table = np.bincount(rows * k + code, minlength=len(x) * k).reshape(len(x), k)
    if cats.dtype.kind == "f" and np.all(cats == np.round(cats)):
        cats = cats.astype(int)
    return pd.DataFrame(table, index=r.units, columns=cats)
