"""Qualitative versus quantitative scoring on the same units (定性与定量评价的比较).

Glue over :mod:`workbench.agreement`, :mod:`workbench.mcda` and :func:`workbench.score` for the
question the seeds keep asking: subjective items (民主测评, 述职, 个别谈话, 满意度) are hard to compare,
countable items miss what matters; how do the two agree, how reliable are the raters, and whose
grade depends on which kind is used?

- :func:`read_ratings` -> :class:`RatingSheet`: a rating sheet (units x raters, grade words or
  numbers, blanks allowed) read and validated.
- :func:`split_scoring` -> :class:`SplitScoring`: a rubric's qualitative and quantitative parts,
  each on 0-100, from the Scorecard's points and full marks.
- :func:`panel_scoring`: a panel's qualitative score (mean points, optionally trimmed or weighted
  by rater group, e.g. self 20% / peers 40% / masses 20% / organisation 20%).
- :func:`panel_reliability` -> :class:`PanelReliability`: ICC (six forms), Krippendorff's alpha,
  Kendall's W, Fleiss' and Cohen's kappa, raters needed.
- :func:`qual_vs_quant` -> :class:`QualQuantReport`: all of the above plus rater effects, the
  comparison and mixes of the two scorings, the regrade probability and a fuzzy evaluation, with
  ``summary_lines(lang="zh" | "en")``.
"""

from ._panel import panel_scoring
from ._ratings import RatingSheet, read_ratings
from ._reliability import PanelReliability, panel_reliability
from ._report import QualQuantReport, qual_vs_quant
from ._split import QUALITATIVE_SOURCES, SplitScoring, qualitative_items, rubric_grade_points, split_scoring
from ._text import OPERATORS

__all__ = [
    "read_ratings",
    "split_scoring",
    "panel_scoring",
    "panel_reliability",
    "qual_vs_quant",
    "qualitative_items",
    "rubric_grade_points",
    "RatingSheet",
    "SplitScoring",
    "PanelReliability",
    "QualQuantReport",
    "QUALITATIVE_SOURCES",
    "OPERATORS",
]
