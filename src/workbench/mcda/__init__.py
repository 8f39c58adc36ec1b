"""Multi-criteria ranking methods common in Chinese assessment studies.

``topsis`` (closeness to the ideal), ``grey_relational`` (灰色关联分析) and ``fuzzy_evaluation``
(模糊综合评价, with ``membership_from_counts`` to build memberships from raters' votes) and the
rank-sum ratio ``rsr`` (秩和比法, with probit regression and tiers).
"""

from __future__ import annotations

from ._fuzzy import FuzzyEvaluationResult, fuzzy_evaluation, membership_from_counts
from ._ranking import GreyRelationalResult, TopsisResult, grey_relational, topsis
from ._rsr import TIER_LABELS, TIER_PROBITS, RSRResult, rsr

__all__ = [
    "topsis",
    "grey_relational",
    "fuzzy_evaluation",
    "membership_from_counts",
    "TopsisResult",
    "GreyRelationalResult",
    "FuzzyEvaluationResult",
    "rsr",
    "RSRResult",
    "TIER_PROBITS",
    "TIER_LABELS",
]
