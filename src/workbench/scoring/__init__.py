"""Scoring: rubric-style assessment (rules, bonus, deduction, veto, grades, quotas).

A rubric compiles once into a plain-data program (:mod:`.program`) that the one scoring kernel
(:mod:`.kernel`) runs for any number of variants; :func:`score` is the kernel with one variant.

The COINr-compatible composite-indicator pipeline (``Spec``, ``build_index`` and the steps
``denominate``, ``impute``, ``screen``, ``treat``, ``normalise``, ``aggregate``) is
:mod:`workbench.composite`; its names also resolve here, on first use, so the two packages do not
import each other when loaded."""

import importlib

from .engine import Scorecard, score
from .explain import Explanation

# names of workbench.composite that this package has always offered
_COMPOSITE = (
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
)

__all__ = ["score", "Scorecard", "Explanation", *_COMPOSITE]


def __getattr__(name):
    if name in _COMPOSITE:
        return getattr(importlib.import_module("..composite", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
