"""Briefings for leaders: what was assessed and how it is graded, results that explain themselves,
robustness, weights and, where party building has a weight, the 2% question.

- :mod:`.compute`: :func:`compute_briefing` gathers every number a briefing shows (testable without
  Jupyter); optional analyses that the data cannot support are skipped with a reason.
- :mod:`.text` and :mod:`.tables`: the sentences and tables, with every word from
  :mod:`workbench.report.catalogue` (Chinese by default, English complete).
- :mod:`.sections`: one function per section; the template notebook ``templates/briefing.py``
  calls them one cell each, so a failure names its section.
- :mod:`.build`: :func:`build_briefing` runs the template with papermill and writes a
  self-contained HTML file, an A4 PDF, an appendix table (many units or individuals) and per-unit
  feedback sheets, all or nothing.
"""

from __future__ import annotations

from ..catalogue import text
from .build import TEMPLATE, build_briefing, load_outcome, resolve_data
from .compute import PARTY_WEIGHTS, SUMMARY_LIMIT, BriefingData, compute_briefing, scenario_problem
from .reasons import reasons
from .text import rule_lines, summary_lines

__all__ = [
    "BriefingData",
    "compute_briefing",
    "summary_lines",
    "rule_lines",
    "reasons",
    "build_briefing",
    "load_outcome",
    "resolve_data",
    "scenario_problem",
    "TEMPLATE",
    "PARTY_WEIGHTS",
    "SUMMARY_LIMIT",
    "label",
]


def label(key: str, lang: str = "zh") -> str:
    """A briefing label in Chinese ('zh') or English ('en') (see :mod:`workbench.report.catalogue`)."""
    return text(key, lang)
