"""Shared pieces of the Delphi family: user-facing labels (one place) and the ratings check.

Ratings are **experts in rows, indicators in columns** (the layout of a returned questionnaire
stack), NaN = no answer. Every public function reads them through :func:`as_ratings`, so the
errors for too few experts, empty columns and ratings outside the scale read the same everywhere.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import DataError, Problem, SpecError

__all__ = ["LABELS", "DECISIONS"]

# Every Chinese label the Delphi module shows (tables, sheets, reasons), in one place so a later
# sweep can move them into the gettext catalogue.
LABELS = {
    "mean": "算术均数",
    "sd": "标准差",
    "cv": "变异系数",
    "full_score_freq": "满分频率",
    "rank_sum": "等级和",
    "n": "应答人数",
    "median": "中位数",
    "cutoff": "界值",
    "keep": "保留",
    "drop": "删除",
    "review": "讨论",
    "round": "第{n}轮",
    "kendall_w": "肯德尔和谐系数",
    "positive": "专家积极系数",
    "authority": "专家权威系数",
    "ca": "判断系数",
    "cs": "熟悉程度系数",
    # questionnaire sheets
    "sheet_intro": "填写说明",
    "sheet_ratings": "指标评分",
    "sheet_expert": "专家信息",
    "col_code": "指标编码",
    "col_block": "所属维度",
    "col_name": "指标名称",
    "col_description": "指标说明",
    "col_prev_mean": "上轮均数",
    "col_prev_cv": "上轮变异系数",
    "col_prev_decision": "上轮结论",
    "col_rating": "重要性评分",
    "col_comment": "修改意见",
    "expert_id": "专家编号",
    "scale": "评分量表",
    "round_no": "咨询轮次",
    "familiarity": "对本指标体系的熟悉程度",
    "basis_header": "判断依据及其影响程度（填 大 / 中 / 小）",
}

DECISIONS = ("keep", "review", "drop")


def names(items, limit: int = 8) -> str:
    items = [str(x) for x in items]
    shown = ", ".join(repr(x) for x in items[:limit])
    return shown + (f" (and {len(items) - limit} more)" if len(items) > limit else "")


def check_scale(scale, *, func: str) -> tuple[float, float]:
    """``(low, high)`` of a rating scale such as ``(1, 5)`` or ``(1, 9)``."""
    ok = (
        isinstance(scale, (tuple, list))
        and len(scale) == 2
        and all(isinstance(s, numbers.Real) and not isinstance(s, bool) for s in scale)
        and np.isfinite(scale).all()
        and scale[0] < scale[1]
    )
    if not ok:
        raise SpecError(
            f"The 'scale' parameter of {func} must be a pair (low, high) with low < high, such as (1, 5) "
            f"or (1, 9). Got {scale!r} instead.",
            key="scale",
        )
    return float(scale[0]), float(scale[1])


@dataclass(frozen=True)
class Ratings:
    """Checked ratings (internal): float values, expert and indicator labels."""

    values: np.ndarray
    experts: pd.Index
    indicators: pd.Index

    @property
    def answered(self) -> np.ndarray:
        return ~np.isnan(self.values)


def as_ratings(ratings, *, func: str, scale=None, min_experts: int = 2, min_indicators: int = 2) -> Ratings:
    """Check a table of ratings (experts x indicators) and return it as floats.

    Every rating outside ``scale`` is reported at once with its expert (row) and indicator (column).
    """
    if isinstance(ratings, pd.Series):
        raise DataError(
            f"{func}: 'ratings' is a Series; expected a table of experts (rows) x indicators (columns)."
        )
    if isinstance(ratings, pd.DataFrame):
        bad = [c for c in ratings.columns if not pd.api.types.is_numeric_dtype(ratings[c])]
        if bad:
            raise DataError(
                f"{func}: indicator column(s) {names(bad)} hold text; every rating must be a number "
                "(blank = no answer). Fix those cells or drop the columns (e.g. a name column).",
                column=str(bad[0]),
            )
        values = ratings.to_numpy(dtype=float, na_value=np.nan)
        experts, indicators = ratings.index, ratings.columns
    else:
        try:
            values = np.asarray(ratings, dtype=float)
        except (TypeError, ValueError) as exc:
            raise DataError(f"{func}: 'ratings' must be numbers ({exc}).") from None
        if values.ndim != 2:
            raise DataError(
                f"{func}: 'ratings' must be 2-D (experts x indicators); got shape {values.shape}."
            )
        experts, indicators = pd.RangeIndex(values.shape[0]), pd.RangeIndex(values.shape[1])
    if indicators.has_duplicates:
        raise DataError(f"{func}: indicator(s) {names(indicators[indicators.duplicated()].unique())} repeat.")
    if experts.has_duplicates:
        raise DataError(f"{func}: expert(s) {names(experts[experts.duplicated()].unique())} appear twice.")
    if np.isinf(values).any():
        raise DataError(f"{func}: 'ratings' hold infinite values; ratings must be finite numbers or blank.")
    responded = (~np.isnan(values)).any(axis=1)
    if responded.sum() < min_experts:
        raise DataError(
            f"{func}: {int(responded.sum())} expert(s) answered; at least {min_experts} are needed "
            "(a Delphi round needs a panel; 15-50 experts is common).",
            hint="collect more questionnaires or check that the experts are the rows of the table",
        )
    if values.shape[1] < min_indicators:
        raise DataError(
            f"{func}: {values.shape[1]} indicator(s); at least {min_indicators} are needed "
            "(indicators are the columns)."
        )
    empty = ~(~np.isnan(values)).any(axis=0)
    if empty.any():
        raise DataError(
            f"{func}: no expert rated indicator(s) {names(indicators[empty])}; drop these columns "
            "or collect their ratings.",
            column=str(indicators[empty][0]),
        )
    if scale is not None:
        lo, hi = check_scale(scale, func=func)
        out = (values < lo) | (values > hi)
        if out.any():
            rows, cols = np.nonzero(out)
            problems = [
                Problem(
                    f"rating {values[r, c]:g} of expert {experts[r]!r} is outside the scale {lo:g}-{hi:g}",
                    row=int(r) + 2,
                    column=str(indicators[c]),
                )
                for r, c in zip(rows[:50], cols[:50])
            ]
            raise DataError(
                f"{func}: {int(out.sum())} rating(s) outside the scale {lo:g}-{hi:g}; correct them or "
                f"state the scale the questionnaire used (scale=(1, 9) for a 1-9 scale)",
                problems=problems,
            )
    return Ratings(values, experts, indicators)
