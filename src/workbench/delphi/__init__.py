"""Delphi rounds (德尔菲法): screening candidate indicators with an expert panel.

Ratings are **experts in rows, indicators in columns** (NaN = no answer). A round is summarised by
:func:`summarise` (mean, SD, CV, full-score frequency, rank sum and Kendall's W with the tie
correction), screened by :func:`screen` (rules as data, a decision and a reason per indicator),
and rounds are compared by :func:`convergence`. :func:`authority` and
:func:`positive_coefficient` describe the panel. :func:`write_questionnaire` and
:func:`read_questionnaires` carry a round to the experts and back (Excel, Chinese);
:func:`candidate_rubric` turns the last round into a rubric ready for AHP.
"""

from __future__ import annotations

from ._common import LABELS
from ._experts import BASIS_CODES, FAMILIARITY_CODES, authority, authority_table, positive_coefficient
from ._rounds import RoundsResult, convergence
from ._rubric import candidate_rubric, candidates_from_rubric
from ._screen import CUTOFF_RULES, ScreeningResult, screen
from ._sheets import Responses, read_questionnaires, write_questionnaire
from ._simulate import SimulatedPanel, simulate_panel
from ._summary import DelphiSummary, KendallResult, kendall_w, summarise

__all__ = [
    "kendall_w",
    "summarise",
    "screen",
    "convergence",
    "authority",
    "authority_table",
    "positive_coefficient",
    "write_questionnaire",
    "read_questionnaires",
    "candidate_rubric",
    "candidates_from_rubric",
    "simulate_panel",
    "KendallResult",
    "DelphiSummary",
    "ScreeningResult",
    "RoundsResult",
    "Responses",
    "SimulatedPanel",
    "CUTOFF_RULES",
    "BASIS_CODES",
    "FAMILIARITY_CODES",
    "LABELS",
]
