"""Scoring: rubric-style assessment (rules, bonus, deduction, veto, grades, quotas) and the
COINr-compatible composite-indicator steps.

A rubric compiles once into a plain-data program (:mod:`.program`) that the one scoring kernel
(:mod:`.kernel`) runs for any number of variants; :func:`score` is the kernel with one variant."""

# composite-indicator pipeline (COINr parity): spec, steps, build, batch evaluation
from .aggregate import aggregate
from .batch import BatchScores, evaluate_runs
from .build import IndexResult, build_index
from .denominate import denominate
from .engine import Scorecard, score
from .explain import Explanation
from .impute import impute
from .normalise import normalise
from .screen import screen
from .spec import Spec, apply_overrides, field_paths
from .treat import excel_kurt, excel_skew, treat

__all__ = [
    "score",
    "Scorecard",
    "Explanation",
    "Spec",
    "build_index",
    "IndexResult",
    "evaluate_runs",
    "BatchScores",
    "apply_overrides",
    "field_paths",
    "denominate",
    "impute",
    "screen",
    "treat",
    "normalise",
    "aggregate",
    "excel_skew",
    "excel_kurt",
]
