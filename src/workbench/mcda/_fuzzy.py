"""Fuzzy comprehensive evaluation (模糊综合评价): B = W o R with the four classic operators."""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._i18n import _
from .._results import ResultMixin
from ..errors import DataError, SpecError, check_option
from ..weighting._common import as_weights, names

__all__ = ["FuzzyEvaluationResult", "fuzzy_evaluation", "membership_from_counts"]

OPERATORS = ["weighted_average", "min_max", "product_max", "min_bounded_sum"]


@dataclass(frozen=True)
class _Stack:
    values: np.ndarray  # (n_units, n_indicators, n_grades)
    units: pd.Index
    indicators: pd.Index
    grades: pd.Index
    single: bool  # one unit given as a 2-D matrix


def _as_stack(membership, *, func: str, name: str, grades=None) -> _Stack:
    """Read a 2-D (indicators x grades), 3-D (units x indicators x grades) or (unit, indicator)
    MultiIndex table into a float stack with labels."""
    if isinstance(membership, pd.DataFrame):
        bad = [c for c in membership.columns if not pd.api.types.is_numeric_dtype(membership[c])]
        if bad:
            raise DataError(
                _("{func}: grade column(s) {columns} of '{name}' are not numeric.").format(
                    func=func, columns=names(bad), name=name
                ),
                column=str(bad[0]),
            )
        if membership.index.nlevels == 2:
            units = membership.index.get_level_values(0).unique()
            inds = membership.index.get_level_values(1).unique()
            full = pd.MultiIndex.from_product([units, inds])
            missing = full.difference(membership.index)
            if len(missing) or membership.index.has_duplicates:
                raise DataError(
                    _("{func}: '{name}' must have one row per (unit, indicator); missing {missing}.").format(
                        func=func, name=name, missing=names(list(missing))
                    )
                    if len(missing)
                    else _(
                        "{func}: '{name}' must have one row per (unit, indicator); duplicated rows."
                    ).format(func=func, name=name)
                )
            vals = membership.reindex(full).to_numpy(dtype=float, na_value=np.nan)
            stack = _Stack(vals.reshape(len(units), len(inds), -1), units, inds, membership.columns, False)
        else:
            vals = membership.to_numpy(dtype=float, na_value=np.nan)[None]
            stack = _Stack(vals, pd.Index(["unit"]), membership.index, membership.columns, True)
    else:
        try:
            vals = np.asarray(membership, dtype=float)
        except (TypeError, ValueError):
            raise DataError(_("{func}: '{name}' must be numeric.").format(func=func, name=name)) from None
        if vals.ndim not in (2, 3):
            raise DataError(
                _(
                    "{func}: '{name}' must be 2-D (indicators x grades) or 3-D (units x indicators "
                    "x grades); got shape {shape}."
                ).format(func=func, name=name, shape=vals.shape)
            )
        single = vals.ndim == 2
        vals = vals[None] if single else vals
        n, m, g = vals.shape
        units = pd.Index(["unit"]) if single else pd.RangeIndex(n)
        stack = _Stack(vals, units, pd.RangeIndex(m), pd.RangeIndex(g), single)
    if grades is not None:
        grades = pd.Index(list(grades))
        if len(grades) != stack.values.shape[2]:
            raise SpecError(
                _(
                    "{func}: 'grades' has {n_grades} labels but '{name}' has {n_columns} grade columns."
                ).format(func=func, n_grades=len(grades), name=name, n_columns=stack.values.shape[2]),
                key="grades",
            )
        stack = _Stack(stack.values, stack.units, stack.indicators, grades, stack.single)
    if stack.values.shape[1] == 0 or stack.values.shape[2] == 0:
        raise DataError(
            _("{func}: '{name}' is empty (shape {shape}).").format(
                func=func, name=name, shape=stack.values.shape
            )
        )
    return stack


def _where(stack: _Stack, idx) -> str:
    u, i, g = idx
    unit = "" if stack.single else _("unit {unit!r}, ").format(unit=stack.units[u])
    return _("{unit}indicator (row) {indicator!r}, grade (column) {grade!r}").format(
        unit=unit, indicator=stack.indicators[i], grade=stack.grades[g]
    )


def _rebuild(stack: _Stack, values: np.ndarray, like):
    """Return values in the shape and labelling of the input ``like``."""
    if isinstance(like, pd.DataFrame):
        if stack.single:
            return pd.DataFrame(values[0], index=stack.indicators, columns=stack.grades)
        index = pd.MultiIndex.from_product([stack.units, stack.indicators], names=like.index.names)
        return pd.DataFrame(values.reshape(-1, values.shape[2]), index=index, columns=stack.grades)
    return values[0] if stack.single else values


def membership_from_counts(counts, grades=None):
    """Membership degrees from raters' grade counts: the share of raters choosing each grade.

    Parameters
    ----------
    counts : DataFrame or array of shape (n_indicators, n_grades) or (n_units, n_indicators, n_grades)
        How many raters put each indicator in each grade (a (unit, indicator) MultiIndex DataFrame
        is read as the 3-D form). Non-negative; weighted counts are allowed.
    grades : sequence, optional
        Grade labels (default: the DataFrame's columns).

    Returns
    -------
    DataFrame or array, same shape as ``counts``
        Rows sum to 1.

    Examples
    --------
    >>> membership_from_counts([[6, 3, 1, 0], [2, 5, 2, 1]]).tolist()
    [[0.6, 0.3, 0.1, 0.0], [0.2, 0.5, 0.2, 0.1]]
    """
    func = "membership_from_counts"
    stack = _as_stack(counts, func=func, name="counts", grades=grades)
    c = stack.values
    bad = np.isnan(c) | (c < 0)
    if bad.any():
        raise DataError(
            _("{func}: counts must be non-negative numbers; found {value:g} at {where}.").format(
                func=func,
                value=float(c[tuple(np.argwhere(bad)[0])]),
                where=_where(stack, np.argwhere(bad)[0]),
            ),
            column=str(stack.grades[np.argwhere(bad)[0][2]]),
        )
    total = c.sum(axis=2, keepdims=True)
    empty = total[..., 0] <= 0
    if empty.any():
        u, i = np.argwhere(empty)[0]
        unit = "" if stack.single else _("unit {unit!r}, ").format(unit=stack.units[u])
        raise DataError(
            _("{func}: no rater chose any grade for {unit}indicator {indicator!r}.").format(
                func=func, unit=unit, indicator=stack.indicators[i]
            )
        )
    out = c / total
    if grades is not None and isinstance(counts, pd.DataFrame):
        counts = counts.set_axis(stack.grades, axis=1)
    return _rebuild(stack, out, counts)


@dataclass(frozen=True, repr=False, eq=False)
class FuzzyEvaluationResult(ResultMixin):
    """Result of a fuzzy comprehensive evaluation.

    Attributes
    ----------
    b : Series of shape (n_grades,) or DataFrame of shape (n_units, n_grades)
        The evaluation vector ``B = W o R`` (normalised to sum 1 if asked).
    grade : label or Series
        Grade with the largest membership (最大隶属度原则); the first one on ties.
    score : float, Series or None
        ``sum_k b_k s_k / sum_k b_k`` when ``grade_scores`` were given.
    operator : str
    normalised : bool
    weights : Series
    ties : tuple
        Units whose maximal membership is shared by two or more grades.
    """

    b: pd.Series | pd.DataFrame
    grade: object
    score: object
    operator: str
    normalised: bool
    weights: pd.Series
    ties: tuple = ()

    def to_frame(self) -> pd.DataFrame:
        frame = self.b.to_frame("B").T if isinstance(self.b, pd.Series) else self.b.copy()
        frame["grade"] = self.grade if isinstance(self.b, pd.DataFrame) else [self.grade]
        if self.score is not None:
            frame["score"] = self.score if isinstance(self.b, pd.DataFrame) else [self.score]
        return frame

    def _summary_title(self) -> str:
        return _("Fuzzy comprehensive evaluation ({operator})").format(operator=self.operator)

    def _summary_facts(self) -> dict:
        facts = {_("normalised"): str(self.normalised)}
        if self.ties:
            facts[_("ties")] = _(", ").join(map(str, self.ties))
        return facts


def fuzzy_evaluation(
    weights, membership, operator="weighted_average", *, normalise=False, grade_scores=None, grades=None
) -> FuzzyEvaluationResult:
    """Fuzzy comprehensive evaluation (模糊综合评价): ``B = W o R``.

    For indicator weights ``w`` (normalised to sum 1) and a membership matrix ``R`` (indicators x
    grades, ``r_ij`` in [0, 1]) the evaluation vector is, for grade j:

    - ``"weighted_average"`` M(·,⊕): ``b_j = min(1, sum_i w_i r_ij)``
    - ``"min_max"`` M(∧,∨) (Zadeh): ``b_j = max_i min(w_i, r_ij)``
    - ``"product_max"`` M(·,∨): ``b_j = max_i w_i r_ij``
    - ``"min_bounded_sum"`` M(∧,⊕): ``b_j = min(1, sum_i min(w_i, r_ij))``

    Many units are evaluated at once from a 3-D array (units x indicators x grades).

    Parameters
    ----------
    weights : sequence or mapping of float, shape (n_indicators,)
        Non-negative; normalised to sum 1 (points such as 20/30/50 are fine).
    membership : DataFrame or array of shape (n_indicators, n_grades) or (n_units, n_indicators, n_grades)
        A DataFrame with a (unit, indicator) MultiIndex is read as the 3-D form. See
        :func:`membership_from_counts` to build it from raters' votes.
    operator : {"weighted_average", "min_max", "product_max", "min_bounded_sum"}
    normalise : bool, default=False
        Divide ``B`` by its sum.
    grade_scores : sequence or mapping of float, optional
        Score of each grade (e.g. 优秀 95, 良好 85, 一般 70, 较差 50) for a crisp score
        ``sum_j b_j s_j / sum_j b_j``.
    grades : sequence, optional
        Grade labels (default: the membership DataFrame's columns, else 0..n_grades-1).

    Returns
    -------
    FuzzyEvaluationResult

    References
    ----------
    Zadeh, L.A. (1965). Fuzzy sets. Information and Control 8(3):338-353.
    汪培庄 (1983). 模糊集合论及其应用. 上海科学技术出版社.

    Examples
    --------
    >>> r = [[0.6, 0.3, 0.1], [0.2, 0.5, 0.3]]
    >>> fuzzy_evaluation([0.5, 0.5], r).b.round(2).tolist()
    [0.4, 0.4, 0.2]
    """
    func = "fuzzy_evaluation"
    check_option(operator, OPERATORS, name="operator", func=func)
    stack = _as_stack(membership, func=func, name="membership", grades=grades)
    r = stack.values
    bad = np.isnan(r) | (r < 0) | (r > 1)
    if bad.any():
        idx = np.argwhere(bad)[0]
        raise DataError(
            _(
                "{func}: membership degrees must lie in [0, 1]; found {value:g} at "
                "{where}. Counts of raters must first be turned into shares "
                "(membership_from_counts)."
            ).format(func=func, value=float(r[tuple(idx)]), where=_where(stack, idx)),
            column=str(stack.grades[idx[2]]),
        )
    w = as_weights(weights, stack.indicators, func=func)
    wv = w[None, :, None]
    if operator == "weighted_average":
        b = np.minimum(1.0, np.einsum("i,nij->nj", w, r))
    elif operator == "min_max":
        b = np.minimum(wv, r).max(axis=1)
    elif operator == "product_max":
        b = (wv * r).max(axis=1)
    else:
        b = np.minimum(1.0, np.minimum(wv, r).sum(axis=1))
    total = b.sum(axis=1, keepdims=True)
    zero = total[:, 0] <= 0
    if zero.any() and (normalise or grade_scores is not None):
        raise DataError(
            _("{func}: B is all zero for unit(s) {units}; it cannot be normalised.").format(
                func=func, units=names(stack.units[zero])
            )
        )
    bn = b / np.where(total > 0, total, 1.0)
    out = bn if normalise else b
    top = out.argmax(axis=1)
    tie = (np.isclose(out, out.max(axis=1, keepdims=True), rtol=0, atol=1e-12).sum(axis=1) > 1) & ~zero
    score = None
    if grade_scores is not None:
        s = _grade_scores(grade_scores, stack.grades, func=func)
        score = bn @ s
    grade_labels = stack.grades[top]
    if stack.single:
        b_out = pd.Series(out[0], index=stack.grades, name="b")
        grade_out = grade_labels[0]
        score_out = None if score is None else float(score[0])
    else:
        b_out = pd.DataFrame(out, index=stack.units, columns=stack.grades)
        grade_out = pd.Series(grade_labels, index=stack.units, name="grade")
        score_out = None if score is None else pd.Series(score, index=stack.units, name="score")
    return FuzzyEvaluationResult(
        b=b_out,
        grade=grade_out,
        score=score_out,
        operator=operator,
        normalised=bool(normalise),
        weights=pd.Series(w, index=stack.indicators, name="weight"),
        ties=tuple(stack.units[tie]),
    )


def _grade_scores(grade_scores, grades: pd.Index, *, func: str) -> np.ndarray:
    if isinstance(grade_scores, (dict, pd.Series)):
        given = dict(grade_scores)
        missing = [g for g in grades if g not in given]
        if missing:
            raise SpecError(
                _("{func}: 'grade_scores' has no score for grade(s) {grades}.").format(
                    func=func, grades=names(missing)
                ),
                key="grade_scores",
            )
        raw = [given[g] for g in grades]
    else:
        raw = list(np.ravel(np.asarray(grade_scores, dtype=object)))
        if len(raw) != len(grades):
            raise SpecError(
                _("{func}: 'grade_scores' has {n_raw} entries but there are {n_grades} grades.").format(
                    func=func, n_raw=len(raw), n_grades=len(grades)
                ),
                key="grade_scores",
            )
    if not all(isinstance(v, numbers.Real) and np.isfinite(v) for v in raw):
        raise SpecError(
            _("{func}: 'grade_scores' must be finite numbers; got {raw!r}.").format(func=func, raw=raw),
            key="grade_scores",
        )
    return np.asarray(raw, dtype=float)
