"""Rubrics as data: WHAT is assessed, and how much each part counts.

A rubric is a frozen tree of blocks and indicators with its bonus, deduction, veto, grade,
category and scheme settings, loaded and validated once (``docs/rubric_language.md``).

- :mod:`._model`: :class:`Rubric`, the tree and its weights; :mod:`._parts`: the dataclasses it is
  made of (:class:`Node`, :class:`Grades`, :class:`Veto`...);
- :mod:`._files`: :func:`load_rubric`, :func:`save_rubric` and :func:`rubric_from_table`;
- :mod:`._parse`: the rubric language (YAML) to a :class:`Rubric`, every problem reported at once;
- :mod:`._write`: a :class:`Rubric` back to the rubric language;
- :mod:`._table`: a COINr-style indicator table (iMeta) to a :class:`Rubric`;
- :mod:`._extras`: plausibility keys (valid ranges, subject, example data).
"""

from ._extras import Subject, valid_range
from ._files import load_rubric, rubric_from_table, save_rubric
from ._model import Rubric
from ._parts import (
    MISSING_POLICIES,
    Adjustments,
    Categories,
    Grades,
    Item,
    Node,
    Scheme,
    Veto,
)

__all__ = [
    "Node",
    "Item",
    "Adjustments",
    "Veto",
    "Grades",
    "Categories",
    "Scheme",
    "Rubric",
    "load_rubric",
    "save_rubric",
    "rubric_from_table",
    "MISSING_POLICIES",
    "Subject",
    "valid_range",
]
