"""Reliability of a rating panel in one object: ICC table, alpha, kappas, W and raters needed."""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._i18n import _
from .._results import ResultMixin
from ..agreement import (
    category_counts,
    cohen_kappa_from_ratings,
    fleiss_kappa,
    icc,
    kendall_w,
    krippendorff_alpha,
    raters_needed,
)
from ..agreement._common import DroppedRatingsWarning
from ..errors import WorkbenchWarning, check_option
from ._ratings import as_sheet

__all__ = ["PanelReliability", "panel_reliability"]

# The agreement functions warn when they drop incomplete units (DroppedRatingsWarning); the result
# states it once instead.


@dataclass(frozen=True, repr=False)
class PanelReliability(ResultMixin):
    """Reliability of a rating panel (the self-rating left out).

    Attributes
    ----------
    icc : DataFrame
        All six Shrout-Fleiss forms (ICC1, ICC2, ICC3 and their k-rater means) with F tests and
        intervals, on the units every rater rated.
    form : str
        The single-rater form used for ``single`` and ``raters_needed`` (default ICC2).
    single, panel_mean : float
        ICC of one rater and of the mean of the panel's k raters (that form).
    alpha : AlphaResult
        Krippendorff's alpha (ordinal for grade words, interval for numbers), all ratings.
    kendall_w : KendallWResult
    fleiss : FleissKappaResult or None
        Fleiss' kappa on the complete units (None if fewer than 2).
    raters : DataFrame indexed by rater
        n_ratings, rest_r (correlation with the mean of the other raters; for the self-rating,
        with the panel's mean), mean_kappa (mean quadratic-weighted Cohen's kappa with each
        panel rater; NaN for numeric sheets), is_self.
    target : float
    raters_needed : int or None
        Raters whose mean reaches ``target`` (Spearman-Brown on ``single``); None if single <= 0.
    n_units, n_complete, n_raters : int
    """

    icc: pd.DataFrame
    form: str
    single: float
    panel_mean: float
    alpha: object
    kendall_w: object
    fleiss: object
    raters: pd.DataFrame
    target: float
    raters_needed: int | None
    n_units: int
    n_complete: int
    n_raters: int

    def to_frame(self) -> pd.DataFrame:
        return self.icc

    def _summary_title(self) -> str:
        return _("Panel reliability ({n_raters} raters, {n_units} units)").format(
            n_raters=self.n_raters, n_units=self.n_units
        )

    def _summary_facts(self) -> dict:
        facts = {
            _("{form} single rater").format(form=self.form): self.single,
            _("{form}k panel mean").format(form=self.form): self.panel_mean,
            _("Krippendorff alpha ({level})").format(level=self.alpha.level): float(self.alpha),
            _("Kendall W"): float(self.kendall_w),
        }
        if self.fleiss is not None:
            facts[_("Fleiss kappa")] = float(self.fleiss)
        facts[_("raters for {target:g}").format(target=self.target)] = (
            self.raters_needed if self.raters_needed is not None else _("none")
        )
        facts[_("complete units (ICC, W, Fleiss)")] = _("{part} of {total}").format(
            part=self.n_complete, total=self.n_units
        )
        return facts


def _rest_correlation(x: np.ndarray, peers: np.ndarray) -> np.ndarray:
    """Per column: Pearson correlation with the mean of the panel raters other than itself."""
    m = ~np.isnan(x)
    z = np.where(m, x, 0.0)
    s = (z * peers).sum(axis=1, keepdims=True) - z * peers
    cnt = (m * peers).sum(axis=1, keepdims=True) - m * peers
    with np.errstate(invalid="ignore", divide="ignore"):
        rest = np.where(cnt > 0, s / cnt, np.nan)
    ok = m & ~np.isnan(rest)
    a, b = np.where(ok, x, 0.0), np.where(ok, rest, 0.0)
    n = ok.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        ma, mb = a.sum(axis=0) / n, b.sum(axis=0) / n
        da, db = np.where(ok, a - ma, 0.0), np.where(ok, b - mb, 0.0)
        return (da * db).sum(axis=0) / np.sqrt((da**2).sum(axis=0) * (db**2).sum(axis=0))


def panel_reliability(
    ratings, *, target: float = 0.8, form: str = "ICC2", self_rater=None
) -> PanelReliability:
    """ICC (all six forms), Krippendorff's alpha, Kendall's W, Fleiss' and Cohen's kappa of a panel.

    Parameters
    ----------
    ratings : RatingSheet or DataFrame of shape (n_units, n_raters)
        The self-rating column (if any) is left out of the panel statistics and compared with
        the panel in ``raters``.
    target : float, default=0.8
        Reliability the panel mean should reach (for ``raters_needed``).
    form : {"ICC1", "ICC2", "ICC3"}, default="ICC2"
        Single-rater ICC used for ``single`` and the Spearman-Brown count. ICC2 (two-way random,
        absolute agreement) counts rater leniency as error, as a grade does.
    self_rater : str, optional
        Self-rating column of a DataFrame.

    Returns
    -------
    PanelReliability

    References
    ----------
    Shrout & Fleiss (1979); Krippendorff, K. (2004). Content Analysis, 2nd ed.; Fleiss (1971);
    Cohen, J. (1968). Weighted kappa. Psychological Bulletin 70(4), 213-220; Kendall & Babington
    Smith (1939); Spearman (1910), Brown (1910).
    """
    check_option(form, ["ICC1", "ICC2", "ICC3"], name="form", func="panel_reliability")
    sheet = as_sheet(ratings, self_rater=self_rater, func="panel_reliability")
    panel = sheet.panel
    complete = panel.notna().all(axis=1)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DroppedRatingsWarning)
        table = icc(panel)
        w = kendall_w(panel)
        alpha = krippendorff_alpha(panel, level="ordinal" if sheet.order else "interval")
        fleiss = None
        if complete.sum() >= 2:
            cats = list(range(1, len(sheet.order) + 1)) if sheet.order else None
            fleiss = fleiss_kappa(category_counts(panel[complete], categories=cats))
        x = sheet.table.to_numpy(dtype=float)
        cols = list(sheet.table.columns)
        is_peer = np.array([c != sheet.self_rater for c in cols])
        kappa = np.full((len(cols), len(cols)), np.nan)
        if sheet.order:
            cats = list(range(1, len(sheet.order) + 1))
            warnings.filterwarnings("ignore", category=WorkbenchWarning)  # pairs missing a rating
            for i, j in itertools.combinations(range(len(cols)), 2):  # raters, not units: a few dozen pairs
                a, b = sheet.table.iloc[:, i], sheet.table.iloc[:, j]
                if (a.notna() & b.notna()).sum() >= 2:
                    kappa[i, j] = kappa[j, i] = float(
                        cohen_kappa_from_ratings(a, b, categories=cats, weights="quadratic")
                    )
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        mean_kappa = np.nanmean(np.where(is_peer[None, :], kappa, np.nan), axis=1)
    raters = pd.DataFrame(
        {
            "n_ratings": sheet.table.notna().sum(axis=0).to_numpy(),
            "rest_r": _rest_correlation(x, is_peer),
            "mean_kappa": mean_kappa,
            "is_self": ~is_peer,
        },
        index=sheet.table.columns,
    )
    single = float(table.loc[form, "icc"])
    return PanelReliability(
        icc=table,
        form=form,
        single=single,
        panel_mean=float(table.loc[f"{form}k", "icc"]),
        alpha=alpha,
        kendall_w=w,
        fleiss=fleiss,
        raters=raters,
        target=float(target),
        raters_needed=raters_needed(single, target) if np.isfinite(single) and single > 0 else None,
        n_units=len(panel),
        n_complete=int(complete.sum()),
        n_raters=panel.shape[1],
    )
