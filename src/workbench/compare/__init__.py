"""Comparisons over time: two versions of a rubric, and two or more periods of the same units.

- :func:`diff_rubrics`: what changed in a rubric (items added, removed, recoded, renamed, moved,
  re-weighted; rules, bonus and deduction caps, veto items, grade bands, quotas, scheme,
  category weights).
- :func:`compare_versions`: the same data under both versions: rank and grade movements, who
  crosses a grade or quota line and which items made the difference, nominal vs effective weight
  before and after.
- :func:`compare_periods`: year over year (same or different rubric versions): rank and grade
  movements per unit (进位/退位), units improving or declining on each block, grade transitions;
  :func:`plot_periods` draws it for a leader to read at a glance.
- :func:`versions_section`, :func:`years_section`: the optional briefing sections of both.
"""

from ._periods import PeriodComparison, block_shares, compare_periods
from ._plots import plot_periods, plot_versions
from ._rubric_diff import CHANGE_KINDS, RubricDiff, diff_rubrics
from ._sections import revision_briefing, versions_section, years_briefing, years_section
from ._versions import VersionComparison, compare_versions, score_terms

__all__ = [
    "diff_rubrics",
    "RubricDiff",
    "CHANGE_KINDS",
    "compare_versions",
    "VersionComparison",
    "score_terms",
    "compare_periods",
    "PeriodComparison",
    "block_shares",
    "plot_periods",
    "plot_versions",
    "versions_section",
    "years_section",
    "revision_briefing",
    "years_briefing",
]
