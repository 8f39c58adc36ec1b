"""The indicator-design workbench: design, weight, score and stress-test assessment rubrics.

Typical use::

    import workbench
    rubric = workbench.load_rubric("indicators/cq_organs.yaml")
    data = workbench.read_table("data/samples/county_organs.csv", rubric=rubric)
    card = workbench.score(rubric, data)
    card.to_frame()            # scores, grades and ranks
    card.explain("DEPT001")    # why this unit got this score, line by line

Method families live in submodules (``workbench.ahp``, ``workbench.weighting``, ``workbench.mcda``,
``workbench.agreement``, ``workbench.sensitivity``, ``workbench.incentives``...). They are imported
on first use, as are the names below, so ``import workbench`` stays fast, has no side effects and
imports none of its submodules.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_SUBMODULES = {
    "errors",
    "ahp",
    "weighting",
    "mcda",
    "agreement",
    "sensitivity",
    "incentives",
    "slimming",
    "anomalies",
    "analysis",
    "calibration",
    "delphi",
    "qualquant",
    "scenario",
    "report",
    "scoring",
    "composite",
    "io",
    "rubric",
    "examples",
    "cli",
    "compare",
    "collection",
}

__all__ = [
    "WorkbenchError",
    "RubricError",
    "DataError",
    "JudgmentError",
    "SpecError",
    "ModelError",
    "OutputError",
    "read_table",
    "Rubric",
    "load_rubric",
    "save_rubric",
    "rubric_from_table",
    "Scorecard",
    "score",
    "build_index",
    "Spec",
    *sorted(_SUBMODULES),
]


# Public functions and where they live; resolved on first access (PEP 562).
_EXPORTS = {
    "WorkbenchError": "errors",
    "RubricError": "errors",
    "DataError": "errors",
    "JudgmentError": "errors",
    "SpecError": "errors",
    "ModelError": "errors",
    "OutputError": "errors",
    "read_table": "io",
    "Rubric": "rubric",
    "load_rubric": "rubric",
    "save_rubric": "rubric",
    "rubric_from_table": "rubric",
    "Scorecard": "scoring",
    "score": "scoring",
    "build_index": "composite",
    "Spec": "composite",
}


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    if name in _EXPORTS:
        return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'workbench' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
