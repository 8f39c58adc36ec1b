"""Where everything sits on a collection form: one definition for the writer and the collector.

Two layouts:

- ``indicator`` (one unit per workbook, one row per item): the unit's id, name and category at the
  top, then one row per field with its code, name, block, unit of measure, what to enter, the value
  cell, the evidence required and a remarks cell;
- ``unit`` (one row per unit): a row of field codes, a row of names, a row saying what to enter, then
  one row per unit (id, name, category, one cell per field, remarks).

:func:`build_layout` returns the expected text of every locked cell and the position of every
input cell, so the collector can tell a changed locked cell from the template by comparison.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ._fields import Field, requirement
from ._labels import form_texts, sheet_names

__all__ = ["Layout", "build_layout", "IND", "UNI", "META_SHEET", "META_TAG", "column_letter", "cell_ref"]

META_SHEET = "_workbench"  # very hidden sheet: what the form was made from
META_TAG = "workbench-form"
META_VERSION = "1"


class IND:
    """Rows and columns of the indicator layout (1-based)."""

    title, unit_row, note, header, first = 1, 2, 3, 4, 5
    no, code, name, block, uom, req, value, evidence, remark, notes = range(1, 11)
    unit_cell, name_cell, category_cell = (2, 2), (2, 4), (2, 6)


class UNI:
    """Rows and columns of the unit layout (1-based)."""

    title, codes, names, req, first = 1, 2, 3, 4, 5
    unit, name = 1, 2


def column_letter(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def cell_ref(row: int, col: int) -> str:
    return f"{column_letter(col)}{row}"


@dataclass(frozen=True)
class Layout:
    """A form's cells.

    Attributes
    ----------
    kind : 'indicator' or 'unit'
    fields : tuple of Field
    units : tuple of (id, name, category) pre-filled (may be empty)
    categories : tuple of category names offered in a drop-down (empty: no list)
    has_category : bool  the form has a category cell
    locked : dict (row, col) -> expected value of every locked cell that carries text
    inputs : dict (row, col) -> (unit index or -1, what): what is a field code, 'unit', 'name',
        'category' or 'remark:<code>' / 'remark'
    field_at : dict field code -> column (unit layout) or row (indicator layout)
    n_rows : number of unit rows (unit layout) or fields (indicator layout)
    """

    kind: str
    fields: tuple
    units: tuple
    categories: tuple
    has_category: bool
    locked: dict = field(default_factory=dict)
    inputs: dict = field(default_factory=dict)
    field_at: dict = field(default_factory=dict)
    n_rows: int = 0

    @property
    def width(self) -> int:
        """Number of columns used."""
        if self.kind == "indicator":
            return IND.notes if any(f.note for f in self.fields) else IND.remark
        return 2 + self.has_category + len(self.fields) + 1


def build_layout(rubric, fields: list[Field], *, kind: str, units=(), rows: int = 0) -> Layout:
    """The cells of a form for ``rubric`` (texts in the current language).

    Parameters
    ----------
    rubric : Rubric
    fields : list of Field  (from :func:`rubric_fields`)
    kind : {'indicator', 'unit'}
    units : sequence of (id, name, category)
        Pre-filled units: at most one for the indicator layout (none leaves the id to the unit).
    rows : int
        Unit layout: blank unit rows to offer when no units are pre-filled.
    """
    t = form_texts()
    cats = ()
    if rubric.categories is not None:  # the closed list of categories, else those with own weights
        cats = tuple(getattr(rubric.categories, "names", ()) or ()) or tuple(rubric.categories.weights)
    units = tuple(tuple(u) for u in units)
    has_cat = rubric.categories is not None or any(u[2] for u in units)
    locked: dict = {(1, 1): t["title"].format(name=rubric.name)}
    inputs: dict = {}
    at: dict = {}
    if kind == "indicator":
        unit = units[0] if units else None
        pairs = [("unit", t["unit"], IND.unit_cell), ("name", t["unit_name"], IND.name_cell)]
        if has_cat:
            pairs.append(("category", t["category"], IND.category_cell))
        for k, (what, label, (r, c)) in enumerate(pairs):
            locked[(r, c - 1)] = label
            if unit is not None and unit[k]:
                locked[(r, c)] = unit[k]
            else:
                inputs[(r, c)] = (0, what)
        locked[(IND.note, 1)] = t["note"].format(sheet=sheet_names()["instructions"])
        heads = ["no", "code", "name", "block", "uom", "requirement", "value", "evidence", "remark"]
        if any(f.note for f in fields):  # the rubric's description of an item, when it has one
            heads.append("notes")
        for c, key in enumerate(heads, start=1):
            locked[(IND.header, c)] = t[key]
        for i, f in enumerate(fields):
            r = IND.first + i
            at[f.code] = r
            for c, v in ((IND.no, i + 1), (IND.code, f.code), (IND.name, f.name), (IND.block, f.group),
                         (IND.uom, f.unit), (IND.req, requirement(f, t)), (IND.evidence, f.evidence),
                         (IND.notes, f.note)):  # fmt: skip
                if v not in ("", None):
                    locked[(r, c)] = v
            inputs[(r, IND.value)] = (0, f.code)
            inputs[(r, IND.remark)] = (0, f"remark:{f.code}")
        return Layout(kind, tuple(fields), units, cats, has_cat, locked, inputs, at, len(fields))
    lead = ["unit", "name"] + (["category"] if has_cat else [])
    codes = lead + [f.code for f in fields] + ["remark"]
    names = [t["unit"], t["unit_name"]] + ([t["category"]] if has_cat else [])
    names += [f.name for f in fields] + [t["remark"]]
    for c, (code, name) in enumerate(zip(codes, names), start=1):
        locked[(UNI.codes, c)] = code
        locked[(UNI.names, c)] = name
    locked[(UNI.req, 1)] = t["req_row"]
    for j, f in enumerate(fields):
        at[f.code] = len(lead) + 1 + j
        locked[(UNI.req, at[f.code])] = requirement(f, t)
    n = len(units) or rows
    for i in range(n):
        r = UNI.first + i
        u = units[i] if units else ("", "", "")
        for k, what in enumerate(lead):
            if u[k]:
                locked[(r, k + 1)] = u[k]
            else:
                inputs[(r, k + 1)] = (i, what)
        for f in fields:
            inputs[(r, at[f.code])] = (i, f.code)
        inputs[(r, len(codes))] = (i, "remark")
    return Layout(kind, tuple(fields), units, cats, has_cat, locked, inputs, at, n)
