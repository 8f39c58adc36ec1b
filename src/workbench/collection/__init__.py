"""The yearly collection loop: forms made from a rubric, returns from many units, one table.

- :func:`write_template` / :func:`template_bytes`: the data-collection workbook a unit fills in,
  made from the rubric alone (one row per item, or one row per unit), with drop-down lists of
  grades, numeric ranges, locked labels, an instructions sheet and the unit's id pre-filled;
  :func:`write_unit_templates` writes one per unit.
- :func:`collect`: every returned workbook and CSV in a folder, validated against the rubric into a
  table ready for :func:`workbench.score` and a problem list per file and cell, ready to send back.
- :func:`simulate_returns`: returns from a table of units, with planted problems (seeded), for
  examples, tests and benchmarks.
"""

from ._collect import collect
from ._fields import Field, fingerprint, requirement, rubric_fields
from ._result import Collection
from ._return import ReadLimits
from ._simulate import PROBLEM_KINDS, simulate_returns
from ._template import template_bytes, units_from_table
from ._write import write_template, write_unit_templates

__all__ = [
    "write_template",
    "write_unit_templates",
    "template_bytes",
    "units_from_table",
    "collect",
    "Collection",
    "ReadLimits",
    "simulate_returns",
    "PROBLEM_KINDS",
    "Field",
    "rubric_fields",
    "requirement",
    "fingerprint",
]
