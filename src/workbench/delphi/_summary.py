"""One Delphi round: per-indicator statistics and Kendall's W over the panel."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .._results import ResultMixin
from ..errors import WorkbenchWarning
from ._common import LABELS, as_ratings, check_scale, names

__all__ = ["KendallResult", "DelphiSummary", "kendall_w", "summarise"]


@dataclass(frozen=True, repr=False, eq=False)
class KendallResult(ResultMixin):
    """Kendall's coefficient of concordance W of one round, with its chi-square test.

    Attributes
    ----------
    W : float
        Tie-corrected coefficient in [0, 1]; NaN when undefined (every expert rated every
        indicator alike), and ``note`` says so.
    chi2, df, pval : float, int, float
        ``chi2 = m (n - 1) W`` on ``df = n - 1`` degrees of freedom.
    n_experts, n_indicators : int
        Experts with a complete set of answers (m) and indicators (n).
    ties : float
        ``sum (t^3 - t)`` over experts and groups of tied ratings.
    dropped : tuple
        Experts left out because they skipped some indicator (listwise deletion, as ``irr::kendall``).
    note : str
        Empty, or why W is undefined or which experts were left out.

    ``float(result)`` is W.
    """

    W: float
    chi2: float
    df: int
    pval: float
    n_experts: int
    n_indicators: int
    ties: float
    dropped: tuple = ()
    note: str = ""

    def __float__(self) -> float:
        return float(self.W)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "W": [self.W],
                "chi2": [self.chi2],
                "df": [self.df],
                "pval": [self.pval],
                "experts": [self.n_experts],
                "indicators": [self.n_indicators],
            },
            index=pd.Index([LABELS["kendall_w"]]),
        )

    def _summary_title(self) -> str:
        w = "undefined (every expert rated all indicators alike)" if math.isnan(self.W) else f"{self.W:.3f}"
        return f"Kendall's W = {w}"

    def _summary_facts(self) -> dict:
        return {"note": self.note} if self.note else {}


def _kendall(x: np.ndarray) -> tuple[float, float, float]:
    """W, S and the tie sum of a complete experts x indicators array."""
    m, n = x.shape
    ranks = stats.rankdata(x, axis=1)  # average ranks for ties, within each expert
    rank_sums = ranks.sum(axis=0)
    s = float(((rank_sums - rank_sums.mean()) ** 2).sum())
    ordered = np.sort(x, axis=1)
    starts = np.ones(ordered.shape, dtype=bool)
    starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    # each row begins a new run, so one cumsum over the flattened array numbers every tie group
    sizes = np.bincount(np.cumsum(starts.ravel()) - 1).astype(float)
    ties = float((sizes**3 - sizes).sum())
    denom = m**2 * (n**3 - n) - m * ties
    w = 12.0 * s / denom if denom > 0 else math.nan
    return w, s, ties


def kendall_w(ratings) -> KendallResult:
    """Kendall's coefficient of concordance W among experts rating the same indicators (tie-corrected).

    Each expert's ratings are ranked across the indicators (average ranks for ties);
    ``W = 12 S / (m^2 (n^3 - n) - m sum(t^3 - t))`` with S the sum of squared deviations of the
    indicators' rank sums from their mean, m experts, n indicators and t the sizes of tied groups
    within each expert; ``chi2 = m (n - 1) W`` on ``n - 1`` df (Friedman's statistic). Experts who
    skipped an indicator are left out (listwise, as R's ``irr::kendall``), with a note.

    Parameters
    ----------
    ratings : DataFrame or array of shape (n_experts, n_indicators)
        Importance ratings, NaN = no answer.

    Returns
    -------
    KendallResult
        W is NaN when every expert gave every indicator the same rating (0/0: there is no
        ranking to agree on); a :class:`WorkbenchWarning` and the result's title say so.

    Raises
    ------
    DataError
        Fewer than 2 experts or indicators, or fewer than 2 experts who answered every indicator.

    References
    ----------
    Kendall, M.G. & Babington Smith, B. (1939). The problem of m rankings. Annals of Mathematical
    Statistics 10(3):275-287. Siegel, S. & Castellan, N.J. (1988). Nonparametric Statistics for the
    Behavioral Sciences, 2nd ed., section 9.4.

    Examples
    --------
    >>> round(kendall_w([[1, 2, 3], [1, 2, 3]]).W, 3)
    1.0
    """
    r = as_ratings(ratings, func="kendall_w")
    return _kendall_result(r)


def _kendall_result(r, strict: bool = True) -> KendallResult:
    from ..errors import DataError

    complete = r.answered.all(axis=1)
    responded = r.answered.any(axis=1)
    dropped = tuple(r.experts[responded & ~complete])
    x = r.values[complete]
    if x.shape[0] < 2 and not strict:
        msg = f"fewer than 2 experts answered every indicator (gaps: {names(dropped)}), so W is not computed"
        warnings.warn(f"summarise: {msg}.", WorkbenchWarning, stacklevel=3)
        nan = math.nan
        return KendallResult(
            nan, nan, r.values.shape[1] - 1, nan, int(x.shape[0]), r.values.shape[1], nan, dropped, msg
        )
    if x.shape[0] < 2:
        raise DataError(
            f"kendall_w: only {x.shape[0]} expert(s) answered every indicator; Kendall's W needs at least 2 "
            f"complete sets of ratings (experts with gaps: {names(dropped)}).",
            hint="ask the experts to fill the gaps, or drop rarely answered indicators",
        )
    w, _, ties = _kendall(x)
    m, n = x.shape
    notes = []
    if dropped:
        notes.append(f"{len(dropped)} expert(s) with unanswered indicators left out: {names(dropped)}")
    if math.isnan(w):
        msg = "every expert rated all indicators alike, so there is no ranking and W is undefined (0/0)"
        notes.append(msg)
        warnings.warn(f"kendall_w: {msg}; returned as NaN.", WorkbenchWarning, stacklevel=3)
    chi2 = m * (n - 1) * w
    return KendallResult(
        W=float(w),
        chi2=float(chi2),
        df=n - 1,
        pval=float(stats.chi2.sf(chi2, n - 1)) if not math.isnan(chi2) else math.nan,
        n_experts=m,
        n_indicators=n,
        ties=ties,
        dropped=dropped,
        note="; ".join(notes),
    )


@dataclass(frozen=True, repr=False, eq=False)
class DelphiSummary(ResultMixin):
    """Statistics of one Delphi round.

    Attributes
    ----------
    table : DataFrame indexed by indicator
        ``mean``, ``sd`` (ddof=1), ``cv`` (sd / mean), ``full_score_freq`` (share of answers at the
        scale's top), ``rank_sum`` (sum of the ranks experts' ratings give the indicator, ranked
        ascending within each expert among the indicators that expert answered, ties averaged:
        larger = more important), ``median`` and ``n`` (answers).
    kendall : KendallResult
    scale : tuple
    n_experts : int
        Rows of the table (experts invited this round).
    n_responded : int
        Experts who answered at least one indicator.
    """

    table: pd.DataFrame
    kendall: KendallResult
    scale: tuple
    n_experts: int
    n_responded: int

    @property
    def positive_coefficient(self) -> float:
        """Share of invited experts who returned the questionnaire (专家积极系数)."""
        return self.n_responded / self.n_experts

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def _summary_title(self) -> str:
        return f"Delphi round: {len(self.table)} indicators, {self.n_responded}/{self.n_experts} experts"

    def _summary_facts(self) -> dict:
        k = self.kendall
        w = "undefined" if math.isnan(k.W) else f"{k.W:.3f} (chi2 {k.chi2:.2f}, df {k.df}, p {k.pval:.3g})"
        return {
            "scale": f"{self.scale[0]:g}-{self.scale[1]:g}",
            "positive coefficient": round(self.positive_coefficient, 3),
            "Kendall's W": w,
            "mean CV": round(float(self.table["cv"].mean()), 3),
        }


def summarise(ratings, scale=(1, 5)) -> DelphiSummary:
    """Per-indicator statistics and Kendall's W of one Delphi round (专家意见集中与协调程度).

    Parameters
    ----------
    ratings : DataFrame or array of shape (n_experts, n_indicators)
        Importance ratings on ``scale``, NaN = no answer; a row without any answer is an expert who
        did not return the questionnaire (counted in the positive coefficient).
    scale : (low, high), default=(1, 5)
        The Likert scale of the questionnaire (``(1, 9)`` for 1-9). Ratings outside it are errors.

    Returns
    -------
    DelphiSummary
        ``table`` with columns ``mean``, ``sd`` (ddof=1), ``cv`` (= sd / mean),
        ``full_score_freq``, ``rank_sum``, ``median``, ``n``; ``kendall`` (:func:`kendall_w`).

    Raises
    ------
    DataError
        Fewer than 2 responding experts, an indicator nobody rated, ratings outside the scale.

    References
    ----------
    Dalkey, N. & Helmer, O. (1963). An experimental application of the Delphi method to the use
    of experts. Management Science 9(3):458-467. The statistics (均数, 满分频率, 等级和, 变异系数,
    协调系数) follow the usual presentation in Chinese Delphi studies of indicator systems.

    Examples
    --------
    >>> s = summarise([[5, 4, 3], [5, 3, 3], [4, 4, 2]])
    >>> s.table["full_score_freq"].round(3).tolist()
    [0.667, 0.0, 0.0]
    """
    lo, hi = check_scale(scale, func="summarise")
    r = as_ratings(ratings, func="summarise", scale=(lo, hi))
    x = r.values
    ans = r.answered
    n = ans.sum(axis=0)
    mean = np.nanmean(x, axis=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # one answer: sd is NaN, said by n = 1
        sd = np.nanstd(x, axis=0, ddof=1)
    ranks = stats.rankdata(x, axis=1, nan_policy="omit")
    table = pd.DataFrame(
        {
            "mean": mean,
            "sd": sd,
            "cv": sd / mean,
            "full_score_freq": (x == hi).sum(axis=0) / n,
            "rank_sum": np.nansum(ranks, axis=0),
            "median": np.nanmedian(x, axis=0),
            "n": n,
        },
        index=pd.Index(r.indicators, name="indicator"),
    )
    return DelphiSummary(
        table=table,
        kendall=_kendall_result(r, strict=False),
        scale=(lo, hi),
        n_experts=len(r.experts),
        n_responded=int(ans.any(axis=1).sum()),
    )
