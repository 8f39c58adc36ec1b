"""Rater reliability, rater effects and comparisons of scorings (qualitative vs quantitative).

Tables of ratings are units in rows and raters in columns; NaN marks a missing rating. Grade
words (较差 < 一般 < 良好 < 优秀) are read as codes 1..4 (see :func:`encode_grades`).

- Reliability: :func:`icc`, :func:`krippendorff_alpha`, :func:`cohen_kappa`,
  :func:`cohen_kappa_from_ratings`, :func:`fleiss_kappa` (with :func:`category_counts`),
  :func:`kendall_w`, :func:`spearman_brown`, :func:`raters_needed`.
- Raters: :func:`rater_effects` (leniency/severity, self-rating gap, halo, restriction of range).
- Scorings: :func:`compare_scorings`, :func:`mix_scorings`, :func:`regrade_probability`.

Conventions for awkward input (the same in every function):

- All ratings identical: agreement is undefined (0/0), not zero. The numbers stay NaN so that
  programs can test for it (``res.undefined``), a WorkbenchWarning says why, and results print
  "undefined (all ratings identical)" (with a Chinese note) instead of ``nan``; the :func:`icc`
  table carries ``attrs["note"]`` / ``attrs["note_zh"]``.
- A rater column without any rating: a DataError naming it where every rater must rate every
  unit (:func:`icc`, :func:`kendall_w`, :func:`regrade_probability`); dropped with a
  WorkbenchWarning naming it where missing ratings are allowed (:func:`krippendorff_alpha`,
  :func:`rater_effects`). Fewer than two raters left is a DataError.
- An explicit order of categories (``order=``, ``categories=`` of weighted kappa) is worst first;
  grade words of a known scale put the other way round, or numeric codes out of increasing
  order, are a SpecError naming the offending pairs; a cell outside the order is a DataError
  naming the cell.
"""

from ._common import GRADE_ORDER, encode_grades
from ._compare import BlandAltman, ScoringComparison, compare_scorings
from ._concordance import KendallWResult, kendall_w, raters_needed, spearman_brown
from ._fleiss import FleissKappaResult, category_counts, fleiss_kappa
from ._kappa import KappaResult, cohen_kappa, cohen_kappa_from_ratings
from ._mix import MixResult, mix_scorings
from ._raters import RaterEffects, rater_effects
from ._reliability import AlphaResult, icc, krippendorff_alpha
from ._resample import RegradeResult, regrade_probability

__all__ = [
    "GRADE_ORDER",
    "encode_grades",
    "icc",
    "krippendorff_alpha",
    "cohen_kappa",
    "cohen_kappa_from_ratings",
    "fleiss_kappa",
    "category_counts",
    "kendall_w",
    "spearman_brown",
    "raters_needed",
    "rater_effects",
    "compare_scorings",
    "mix_scorings",
    "regrade_probability",
    "AlphaResult",
    "KappaResult",
    "FleissKappaResult",
    "KendallWResult",
    "RaterEffects",
    "ScoringComparison",
    "BlandAltman",
    "MixResult",
    "RegradeResult",
]
