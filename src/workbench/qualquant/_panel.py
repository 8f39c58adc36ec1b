"""Panel scores: a rating panel's mean points, trimmed or weighted by rater group, and its fuzzy evaluation."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .._i18n import _
from ..agreement import category_counts
from ..errors import DataError, SpecError
from ..mcda import fuzzy_evaluation, membership_from_counts
from ._ratings import RatingSheet, as_sheet

__all__ = ["panel_scoring"]


def point_table(sheet: RatingSheet, grade_points, *, func: str) -> tuple[np.ndarray, dict | None]:
    """(codes -> points) array of the sheet, and the points of each grade word."""
    x = sheet.table.to_numpy(dtype=float)
    if grade_points is None:
        return x, None
    if sheet.order is None:
        if not isinstance(grade_points, Mapping):
            raise SpecError(
                _(
                    "The 'grade_points' parameter of {func} must map each number of a numeric "
                    "sheet to points. Got {grade_points!r}."
                ).format(func=func, grade_points=grade_points)
            )
        keys = np.array(sorted(float(k) for k in grade_points))
        values = np.array([grade_points[k] for k in sorted(grade_points, key=float)], dtype=float)
        pos = np.searchsorted(keys, x)
        hit = (pos < keys.size) & (keys[np.minimum(pos, keys.size - 1)] == x)
        if np.any(~hit & ~np.isnan(x)):
            missing = sorted(set(x[~hit & ~np.isnan(x)].tolist()))
            raise SpecError(
                _("{func}: 'grade_points' has no points for rating(s) {missing}.").format(
                    func=func, missing=missing[:10]
                ),
                key="grade_points",
            )
        return np.where(hit, values[np.minimum(pos, keys.size - 1)], np.nan), dict(grade_points)
    if isinstance(grade_points, Mapping):
        missing = [g for g in sheet.order if g not in grade_points]
        if missing:
            raise SpecError(
                _(
                    "The 'grade_points' parameter of {func} has no points for grade(s) {missing}; "
                    "the sheet's grades are {order}."
                ).format(func=func, missing=missing, order=list(sheet.order)),
                key="grade_points",
            )
        pts = np.array([float(grade_points[g]) for g in sheet.order])
    else:
        pts = np.asarray(grade_points, dtype=float).ravel()
        if pts.size != len(sheet.order):
            raise SpecError(
                _(
                    "The 'grade_points' parameter of {func} must give {n_order} points, worst "
                    "grade first ({order}). Got {pts}."
                ).format(func=func, n_order=len(sheet.order), order=list(sheet.order), pts=list(pts)),
                key="grade_points",
            )
    if not np.all(np.isfinite(pts)):
        raise SpecError(
            _("{func}: 'grade_points' must be finite numbers. Got {pts}.").format(func=func, pts=list(pts)),
            key="grade_points",
        )
    lookup = np.concatenate([[np.nan], pts])
    return lookup[np.nan_to_num(x, nan=0).astype(int)], dict(zip(sheet.order, pts.tolist(), strict=True))


def _trimmed_means(x: np.ndarray, trim: float) -> np.ndarray:
    """Row means after dropping floor(trim * k) ratings at each end (k = ratings of the row)."""
    srt = np.sort(x, axis=1)  # NaN sorts last
    k = (~np.isnan(x)).sum(axis=1)
    cut = np.floor(trim * k).astype(int)
    pos = np.arange(x.shape[1])[None, :]
    keep = (pos >= cut[:, None]) & (pos < (k - cut)[:, None])
    n = keep.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, np.where(keep, srt, 0.0).sum(axis=1) / n, np.nan)


def panel_scoring(
    ratings, grade_points=None, *, groups=None, weights=None, trim: float = 0.0, self_rater=None
) -> pd.Series:
    """Qualitative score of each unit from a rating panel: mean of the raters' points.

    Parameters
    ----------
    ratings : RatingSheet or DataFrame of shape (n_units, n_raters)
        Grade words or numbers; NaN = no rating.
    grade_points : mapping {grade: points} or sequence (worst grade first), optional
        Points of each grade, e.g. ``{"优秀": 100, "良好": 80, "一般": 50, "较差": 0}``. Default: the
        grade codes themselves (1 = worst).
    groups : mapping {rater: group}, optional
        Rater groups (e.g. 自评/同级/群众/组织). Every rater column, the self-rating included, must
        be given a group. Default: one group of all raters except the self-rating (which is then
        not counted, as in the usual 民主测评 rule).
    weights : mapping {group: weight}, optional
        Weight of each group's mean, e.g. ``{"自评": 0.2, "同级": 0.4, "群众": 0.2, "组织": 0.2}``
        (domain.md). Default equal. A unit missing a whole group has the other weights renormalised.
    trim : float in [0, 0.5), default=0
        Share of ratings dropped at each end within each group before averaging (trimmed mean
        against one extreme rater).
    self_rater : str, optional
        Self-rating column of a DataFrame (a RatingSheet knows its own).

    Returns
    -------
    Series indexed by unit, named ``panel``; NaN for a unit nobody rated.

    Raises
    ------
    DataError
        Unknown grade words, a rater without a group.
    SpecError
        Bad ``grade_points``, ``weights`` or ``trim``.

    References
    ----------
    Tukey, J.W. (1962). The future of data analysis. Annals of Mathematical Statistics 33(1), 1-67
    (trimmed means). Group weights: domain.md (self 20%, peers 40%, masses 20%, organisation 20%).

    Examples
    --------
    >>> x = pd.DataFrame({"A": ["优秀", "良好"], "B": ["良好", "一般"]}, index=["u1", "u2"])
    >>> panel_scoring(x, {"优秀": 100, "良好": 80, "一般": 50, "较差": 0}).tolist()
    [90.0, 65.0]
    """
    func = "panel_scoring"
    if not (isinstance(trim, int | float) and 0 <= trim < 0.5):
        raise SpecError(
            _("The 'trim' parameter of {func} must be in [0, 0.5). Got {trim!r} instead.").format(
                func=func, trim=trim
            ),
            key="trim",
        )
    sheet = as_sheet(ratings, self_rater=self_rater, func=func)
    points, __ = point_table(sheet, grade_points, func=func)
    cols = list(sheet.table.columns)
    if groups is None:
        if weights is not None:
            raise SpecError(
                _("The 'weights' parameter of {func} weights rater groups; give 'groups' too.").format(
                    func=func
                ),
                key="weights",
            )
        group_of = {c: "panel" for c in cols if c != sheet.self_rater}
    else:
        group_of = {str(k): v for k, v in dict(groups).items()}
        unknown = [r for r in group_of if r not in cols]
        unmapped = [c for c in cols if c not in group_of]
        if unknown or unmapped:
            raise DataError(
                _("{func}: 'groups' must give every rater column a group; ").format(func=func)
                + (_("not raters of the sheet: {unknown}; ").format(unknown=unknown) if unknown else "")
                + (_("raters without a group: {unmapped}.").format(unmapped=unmapped) if unmapped else ""),
                hint=_(
                    "map each rater column (the self-rating too) to its group, e.g. {'SELF': '自评', "
                    "'R01': '同级'}"
                ),
            )
    labels = list(dict.fromkeys(group_of.values()))
    if weights is None:
        w = np.ones(len(labels))
    else:
        weights = dict(weights)
        missing = [g for g in labels if g not in weights]
        if missing:
            raise SpecError(
                _("{func}: 'weights' has no weight for group(s) {missing}.").format(
                    func=func, missing=missing
                ),
                key="weights",
            )
        w = np.array([float(weights[g]) for g in labels])
        if np.any(~np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
            raise SpecError(
                _(
                    "{func}: group 'weights' must be non-negative, finite and not all zero. Got {weights}."
                ).format(func=func, weights=weights),
                key="weights",
            )
    col_idx = {c: i for i, c in enumerate(cols)}
    means = np.column_stack(
        [
            _trimmed_means(points[:, [col_idx[c] for c, g in group_of.items() if g == lab]], trim)
            for lab in labels
        ]
    )
    present = ~np.isnan(means)
    wsum = (present * w).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(wsum > 0, np.where(present, means, 0.0) @ w / wsum, np.nan)
    return pd.Series(score, index=sheet.units, name="panel")


def panel_fuzzy(sheet: RatingSheet, group_of: dict, weights, points: dict, operator: str):
    """Fuzzy comprehensive evaluation of a panel: one membership row per rater group (the shares of
    its raters giving each grade), group weights W, crisp score from the grade points.

    Returns the FuzzyEvaluationResult and the membership table ((unit, group) x grades)."""
    labels = list(dict.fromkeys(group_of.values()))
    if sheet.order:
        cats, words = list(range(1, len(sheet.order) + 1)), list(sheet.order)
    else:  # a numeric sheet: each distinct number is a grade
        values = sheet.table.to_numpy()
        cats = words = np.unique(values[~np.isnan(values)]).tolist()
    counts = [
        category_counts(sheet.table[[c for c, g in group_of.items() if g == lab]], categories=cats).to_numpy()
        for lab in labels
    ]
    stacked = np.stack(counts, axis=1).reshape(-1, len(cats))
    index = pd.MultiIndex.from_product([sheet.units, labels], names=["unit", "group"])
    membership = membership_from_counts(pd.DataFrame(stacked, index=index, columns=words))
    w = {lab: 1.0 for lab in labels} if weights is None else {lab: float(weights[lab]) for lab in labels}
    return fuzzy_evaluation(w, membership, operator, grade_scores=points), membership
