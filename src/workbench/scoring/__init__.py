"""Scoring: rubric-style assessment (rules, bonus, deduction, veto, grades, quotas) and the
COINr-compatible composite-indicator steps."""

from .engine import Scorecard, score
from .explain import Explanation

__all__ = ["score", "Scorecard", "Explanation"]
