"""Analytic hierarchy process: priorities, consistency, missing judgments, groups, hierarchies, fuzzy AHP.

Entry (i, j) of a pairwise matrix says how strongly element i is preferred to element j
(a_ji = 1/a_ij); ``NaN`` marks a missing judgment. Labelled input (DataFrames) gives labelled output.

Typical use::

    from workbench import ahp
    p = ahp.priorities(matrix)                 # weights, lambda_max, CI, CR (+ the RI table used)
    ahp.most_inconsistent(matrix, k=3)         # which judgments to revisit, and what CR they would give
    h = ahp.synthesise({"goal": criteria, "C1": sub1, "C2": sub2})
    h.global_weights                           # leaf weights, indexed by code

    sheet = ahp.read_survey(table, ["A", "B", "C"], coding="signed")   # one block, many experts
    panel = ahp.Panel({"goal": sheet, ...})
    ahp.panel_priorities(panel).inconsistent   # who is inconsistent where
    ahp.bootstrap(panel, n=2000, seed=1).intervals
"""

from ._bootstrap import BootstrapResult, bootstrap
from ._core import Priorities, batch_priorities, priorities
from ._diagnose import inconsistency, most_inconsistent
from ._fuzzy import FuzzyPriorities, fuzzy_priorities
from ._group import Judgments, aggregate_judgments, aggregate_priorities
from ._hierarchy import Hierarchy, synthesise
from ._missing import complete
from ._panel import Panel, PanelPriorities, panel_priorities
from ._ri import RI_TABLES, random_index
from ._survey import from_matrix, read_survey

__all__ = [
    "priorities",
    "random_index",
    "RI_TABLES",
    "complete",
    "inconsistency",
    "most_inconsistent",
    "aggregate_judgments",
    "aggregate_priorities",
    "synthesise",
    "fuzzy_priorities",
    "batch_priorities",
    "read_survey",
    "from_matrix",
    "Judgments",
    "Panel",
    "panel_priorities",
    "bootstrap",
    "Priorities",
    "Hierarchy",
    "FuzzyPriorities",
    "PanelPriorities",
    "BootstrapResult",
]
