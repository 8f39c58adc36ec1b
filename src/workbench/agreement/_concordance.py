"""Concordance of rankings (Kendall's W) and the Spearman-Brown prophecy for panels of raters."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .._i18n import _
from ..errors import SpecError, WorkbenchWarning
from ._common import as_ratings, complete_cases
from ._scalar import ScalarResult

__all__ = ["KendallWResult", "kendall_w", "spearman_brown", "raters_needed"]


@dataclass(frozen=True, eq=False, repr=False)
class KendallWResult(ScalarResult):
    """Kendall's coefficient of concordance W (the object is the float ``w``) with its chi-square test."""

    w: float
    chi2: float
    df: int
    pval: float
    n_units: int
    n_raters: int
    ties: float

    @property
    def W(self) -> float:  # noqa: N802 - the letter used in the literature
        return self.w

    def _undefined_reason(self) -> str:
        return _("every rater scored all units alike")

    def _summary_title(self) -> str:
        if self.undefined:
            return _("Kendall's W = {w} (df = {df})").format(w=self._undefined_text(), df=self.df)
        return _("Kendall's W = {w:.4f} (chi2 = {chi2:.3f}, df = {df}, p = {p:.3g})").format(
            w=self.w, chi2=self.chi2, df=self.df, p=self.pval
        )


def kendall_w(ratings) -> KendallWResult:
    """Kendall's coefficient of concordance W among raters ranking the same units, tie-corrected.

    Parameters
    ----------
    ratings : DataFrame or array of shape (n_units, n_raters)
        Each rater's scores are ranked over the units (average ranks for ties). Units with a
        missing rating are dropped with a warning.

    Returns
    -------
    KendallWResult
        ``w`` = 12 S / (m^2 (n^3 - n) - m T), with S the sum of squared deviations of the rank sums,
        m raters, n units and T = sum over raters and tie groups of (t^3 - t); ``chi2`` = m (n - 1) W
        on n - 1 df (Friedman's statistic). If every rater ties all units W is undefined: NaN for
        programs, a warning, and the printed result reads "undefined (every rater scored all units
        alike)". A rater column without any rating is a DataError naming it.

    References
    ----------
    Kendall, M.G. & Babington Smith, B. (1939). The problem of m rankings. Annals of Mathematical
    Statistics 10(3), 275-287. Siegel, S. & Castellan, N.J. (1988). Nonparametric Statistics for
    the Behavioral Sciences, 2nd ed., section 9.4.

    Examples
    --------
    >>> round(float(kendall_w([[1, 1, 2], [2, 3, 1], [3, 2, 3]])), 3)
    0.444
    """
    r = complete_cases(as_ratings(ratings, func="kendall_w"), func="kendall_w")
    x = r.values
    n, m = x.shape
    ranks = stats.rankdata(x, axis=0)
    rank_sums = ranks.sum(axis=1)
    s = float(((rank_sums - rank_sums.mean()) ** 2).sum())
    ordered = np.sort(x, axis=0)
    starts = np.vstack([np.ones((1, m), dtype=bool), ordered[1:] != ordered[:-1]])
    run_sizes = np.bincount(np.cumsum(starts.T.ravel()) - 1).astype(float)
    ties = float((run_sizes**3 - run_sizes).sum())
    denom = m**2 * (n**3 - n) - m * ties
    if denom <= 0:
        warnings.warn(
            _(
                "kendall_w: every rater gave all units the same score, so there is no ranking "
                "and W is undefined (0/0). Returned as NaN; the result prints 'undefined "
                "(every rater scored all units alike)'."
            ),
            WorkbenchWarning,
            stacklevel=2,
        )
        w = np.nan
    else:
        w = 12 * s / denom
    chi2 = m * (n - 1) * w
    return KendallWResult(
        w=float(w),
        chi2=float(chi2),
        df=n - 1,
        pval=float(stats.chi2.sf(chi2, n - 1)),
        n_units=n,
        n_raters=m,
        ties=ties,
    )


def _wrap_like(value, like):
    if isinstance(like, pd.Series):
        return pd.Series(value, index=like.index, name=like.name)
    return float(value) if np.ndim(value) == 0 else value


def spearman_brown(reliability, k):
    """Reliability of the mean of k raters from the single-rater reliability (Spearman-Brown prophecy).

    Parameters
    ----------
    reliability : float, array or Series
        Reliability of one rater (e.g. ICC2 or ICC3), at most 1.
    k : float or array
        Number of raters (or lengthening factor), > 0; broadcasts against ``reliability``.

    Returns
    -------
    float, ndarray or Series: k r / (1 + (k - 1) r).

    References
    ----------
    Spearman, C. (1910). Correlation calculated from faulty data. British Journal of Psychology
    3, 271-295. Brown, W. (1910). Some experimental results in the correlation of mental
    abilities. British Journal of Psychology 3, 296-322.

    Examples
    --------
    >>> round(spearman_brown(0.52, 4), 3)
    0.812
    """
    rel = np.asarray(reliability, dtype=float)
    kk = np.asarray(k, dtype=float)
    if np.any(kk <= 0) or np.any(~np.isfinite(kk)):
        raise SpecError(
            _("The 'k' parameter of spearman_brown must be positive and finite. Got {k!r} instead.").format(
                k=k
            )
        )
    if np.any(rel > 1):
        raise SpecError(
            _("The 'reliability' of spearman_brown must be at most 1. Got {reliability!r} instead.").format(
                reliability=reliability
            )
        )
    return _wrap_like(kk * rel / (1 + (kk - 1) * rel), reliability)


def raters_needed(reliability_single, target):
    """Smallest number of raters whose mean reaches a target reliability (Spearman-Brown, inverted).

    Parameters
    ----------
    reliability_single : float or array
        Reliability of one rater, in (0, 1].
    target : float or array
        Wanted reliability of the panel mean, in (0, 1).

    Returns
    -------
    int or integer ndarray: ceil(target (1 - r) / (r (1 - target))), at least 1.

    References
    ----------
    Spearman (1910); Brown (1910), see :func:`spearman_brown`.

    Examples
    --------
    >>> raters_needed(0.52, 0.8)  # a single supervisor agrees with another at about 0.52
    4
    """
    rel = np.asarray(reliability_single, dtype=float)
    tgt = np.asarray(target, dtype=float)
    if np.any(~((rel > 0) & (rel <= 1))):
        raise SpecError(
            _(
                "The 'reliability_single' parameter of raters_needed must be in (0, 1]: no "
                "number of raters lifts a reliability <= 0. Got {reliability_single!r} instead."
            ).format(reliability_single=reliability_single)
        )
    if np.any(~((tgt > 0) & (tgt < 1))):
        raise SpecError(
            _("The 'target' parameter of raters_needed must be in (0, 1). Got {target!r} instead.").format(
                target=target
            )
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        k = tgt * (1 - rel) / (rel * (1 - tgt))
    # A tolerance keeps an exact integer answer (k = 4.0000000001 from rounding) from becoming 5.
    k = np.maximum(1, np.ceil(np.round(k, 9))).astype(int)
    return int(k) if k.ndim == 0 else k
