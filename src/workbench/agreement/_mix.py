"""Mixing qualitative and quantitative scores at every share: what changes for whom."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .._i18n import _
from .._results import ResultMixin
from ..errors import SpecError
from ._bands import as_bands, grade_scores
from ._compare import _align, _drop_missing

__all__ = ["MixResult", "mix_scorings"]


@dataclass(frozen=True, repr=False)
class MixResult(ResultMixin):
    """Result of :func:`mix_scorings`: one column per qualitative share.

    Attributes
    ----------
    shares : ndarray
    scores, ranks : DataFrame (n_units, n_shares)
        Mixed score share * qual + (1 - share) * quant, and its rank (1 = best).
    grades : DataFrame (n_units, n_shares) or None
    grade_counts : DataFrame (n_shares, n_grades) or None, best grade first
    top : DataFrame of bool (n_units, n_shares)
        Units in the top grade (without bands: ranked first).
    by_share : DataFrame indexed by share
        n_changed_grade (vs share 0, i.e. quantitative only), mean_abs_rank_shift (vs share 0),
        n_top, top_units.
    """

    shares: np.ndarray
    scores: pd.DataFrame
    ranks: pd.DataFrame
    grades: pd.DataFrame | None
    grade_counts: pd.DataFrame | None
    top: pd.DataFrame
    by_share: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.by_share

    def _summary_title(self) -> str:
        return _("Mixing qualitative and quantitative scores (columns: qualitative share)")


def mix_scorings(qual, quant, shares=np.linspace(0, 1, 11), bands=None) -> MixResult:  # noqa: B008
    """Scores, ranks and grades when the qualitative part gets each share of the total.

    Parameters
    ----------
    qual, quant : Series or array of shape (n_units,)
        Qualitative and quantitative scores of the same units on the same scale (e.g. both 0-100).
    shares : array of shape (n_shares,), default=np.linspace(0, 1, 11)
        Qualitative shares in [0, 1]; the mixed score is share * qual + (1 - share) * quant.
    bands : dict {grade: lower bound}, optional
        Grades of the mixed scores, e.g. ``{"优秀": 90, "良好": 80, "一般": 60, "较差": 0}``.

    Returns
    -------
    MixResult
        Computed for all shares at once (arrays of shape (n_shares, n_units)); changes are counted
        against share 0 (quantitative only) whether or not 0 is among ``shares``.

    Examples
    --------
    >>> res = mix_scorings([95, 70], [80, 92], shares=[0, 0.5, 1], bands={"优秀": 90, "良好": 0})
    >>> res.by_share["n_changed_grade"].tolist()
    [0, 1, 2]
    """
    sq, sn = _align(qual, quant, ("qual", "quant"), "mix_scorings")
    sq, sn = _drop_missing(sq, sn, "mix_scorings")
    s = np.asarray(shares, dtype=float).ravel()
    if s.size == 0 or np.any(~np.isfinite(s)) or np.any((s < 0) | (s > 1)) or len(np.unique(s)) != s.size:
        raise SpecError(
            _(
                "The 'shares' parameter of mix_scorings must be distinct numbers in [0, 1]. Got {shares!r}."
            ).format(shares=shares)
        )
    units = sq.index
    labels = pd.Index(np.round(s, 10), name="qual_share")
    q, n = sq.to_numpy(), sn.to_numpy()
    scores = s[:, None] * q[None, :] + (1 - s[:, None]) * n[None, :]
    ranks = stats.rankdata(-scores, axis=1, method="min")
    base_rank = stats.rankdata(-n, method="min")
    summary = pd.DataFrame(index=labels)
    summary["mean_abs_rank_shift"] = np.abs(ranks - base_rank[None, :]).mean(axis=1)
    grades = counts = None
    if bands is not None:
        bd = as_bands(bands, func="mix_scorings")
        codes = grade_scores(bd, scores, func="mix_scorings")
        base = bd.codes(n)
        n_grades = len(bd.names)
        counts = pd.DataFrame(
            (codes[:, :, None] == np.arange(n_grades)).sum(axis=1)[:, ::-1],
            index=labels,
            columns=bd.names[::-1],
        )
        grades = pd.DataFrame(bd.labels(codes).T, index=units, columns=labels)
        summary["n_changed_grade"] = (codes != base[None, :]).sum(axis=1)
        top = codes == n_grades - 1
    else:
        summary["n_changed_grade"] = np.nan
        top = ranks == 1
    summary["n_top"] = top.sum(axis=1)
    names = np.asarray(units.astype(str), dtype=object)
    summary["top_units"] = ["、".join(names[row]) for row in top]
    return MixResult(
        shares=s,
        scores=pd.DataFrame(scores.T, index=units, columns=labels),
        ranks=pd.DataFrame(ranks.T, index=units, columns=labels),
        grades=grades,
        grade_counts=counts,
        top=pd.DataFrame(top.T, index=units, columns=labels),
        by_share=summary,
    )
