"""Composite indicators, COINr-compatible: a build described as plain data (:class:`Spec`) and run
by :func:`build_index`.

Steps run in the order denominate, impute, screen, treat, normalise, aggregate (COINr's
``Denominate``, ``Impute``, ``Screen``, ``Treat``, ``Normalise``, ``Aggregate``); each is also a
function of its own (:func:`denominate`, :func:`impute`, :func:`screen`, :func:`treat`,
:func:`normalise`, :func:`aggregate`). :func:`evaluate_runs` evaluates many variants of a spec at
once (uncertainty and sensitivity analysis). The rubric engine (rules, grades, veto, quotas) is
:mod:`workbench.scoring`.

References
----------
Becker, W. et al. (2022). COINr: An R package for developing composite indicators. JOSS 7(78).
OECD/JRC (2008). Handbook on Constructing Composite Indicators.
"""

from .aggregate import aggregate
from .batch import BatchScores, evaluate_runs
from .build import IndexResult, build_index
from .denominate import denominate
from .impute import impute
from .normalise import normalise
from .screen import screen
from .spec import Spec, apply_overrides, field_paths
from .treat import excel_kurt, excel_skew, treat

__all__ = [
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
