"""Rubric slimming (精简指标): redundancy, removal impact and the search for the largest set of
items (or collection hours) that can go while ranks and grades stay close to the full rubric's.

Seed 000 reports schemes of 20 to ~100 items that burden grassroots units; :func:`slim` finds
what can be dropped or merged, and :meth:`SlimmingResult.slimmed_rubric` writes the lighter
rubric (weights renormalised within parents, empty blocks dropped).

Rescoring is vectorised: a candidate rubric recombines the full scoring's fixed shares with its
renormalised full marks (a matrix product over a whole batch of candidates), so rules are never
re-run.
"""

from ._core import item_burden, slim
from ._edit import remove_items
from ._rescore import Rescorer
from ._result import SlimmingResult

__all__ = ["slim", "SlimmingResult", "item_burden", "remove_items", "Rescorer"]
