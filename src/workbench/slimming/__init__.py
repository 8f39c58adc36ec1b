"""Rubric slimming (精简指标): redundancy, removal impact and the search for the largest set of
items (or collection hours) that can go while ranks and grades stay close to the full rubric's.

Seed 000 reports schemes of 20 to ~100 items that burden grassroots units; :func:`slim` finds
what can be dropped or merged, and :meth:`SlimmingResult.slimmed_rubric` writes the lighter
rubric (weights renormalised within parents, empty blocks dropped).

Candidates are variants of the full scoring, scored in whole batches by the scoring kernel
(:mod:`workbench.scoring.kernel`): removed items are masks, so rules are never re-run.
"""

from ._core import item_burden, slim
from ._edit import remove_items
from ._result import SlimmingResult

__all__ = ["slim", "SlimmingResult", "item_burden", "remove_items"]
