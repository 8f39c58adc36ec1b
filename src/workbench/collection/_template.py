"""Collection workbooks from a rubric alone: data validation, locked headers, instructions in Chinese.

The form is written with openpyxl, every value through the formula-safe :func:`workbench.io.safe_cell`
(a rubric or unit name is never a formula): grey locked cells hold the labels, codes and what to enter; white
input cells carry Excel data validation (a drop-down list of grades or 是/否, a numeric range, whole
numbers, 不涉及 where the rubric allows it); the sheet is protected (no password by default: the
lock prevents accidents, not intent) and the workbook structure is locked. A very hidden sheet
records the rubric code, the form's version (a hash of its fields), its layout, language and the
pre-filled units, which the collector reads back.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from copy import copy

import pandas as pd

from .._i18n import language
from ..io import safe_cell
from ._fields import Field, fingerprint, requirement, rubric_fields
from ._labels import form_texts, instructions, sheet_names
from ._layout import IND, META_SHEET, META_TAG, META_VERSION, UNI, build_layout, cell_ref

__all__ = ["template_bytes", "units_from_table"]

_GREY, _HEAD = "F2F2F2", "D9E1F2"
_CHUNK = 30_000  # characters per cell (Excel holds 32,767)


def units_from_table(rubric, units) -> list[tuple[str, str, str]]:
    """(id, name, category) of each unit of a table indexed by unit id (names and categories may be absent)."""
    from ..io import unit_names

    if units is None:
        return []
    frame = units if isinstance(units, pd.DataFrame) else pd.DataFrame(index=pd.Index(list(units)))
    names = unit_names(frame)
    col = rubric.categories.column if rubric.categories is not None else "category"
    cats = frame[col] if col in frame.columns else None
    out = []
    for i, uid in enumerate(frame.index):
        name = "" if names is None or pd.isna(names.iloc[i]) else str(names.iloc[i])
        cat = "" if cats is None or pd.isna(cats.iloc[i]) else str(cats.iloc[i])
        out.append((str(uid), name, cat))
    return out


def _validation(f: Field, ref: str, lists: dict, t: dict):
    """An openpyxl DataValidation for one input cell (or the first cell of a column range)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    if f.kind in ("grade", "flag"):
        choices = list(f.choices) + (["不涉及"] if f.exempt else [])
        text = ",".join(choices)
        if len(text) <= 250 and not any('"' in c or "," in c for c in choices):
            formula = f'"{text}"'
        else:  # long lists live on the hidden lists sheet
            formula = lists[f.code]
        dv = DataValidation(type="list", formula1=formula, allow_blank=True)
    else:
        conds = [f"ISNUMBER({ref})"]
        if f.lo is not None:
            conds.append(f"{ref}>={f.lo!r}")
        if f.hi is not None:
            conds.append(f"{ref}<={f.hi!r}")
        if f.whole:
            conds.append(f"{ref}=INT({ref})")
        rule = f"AND({','.join(conds)})"
        if f.exempt:
            rule = f'OR({ref}="不涉及",{rule})'
        dv = DataValidation(type="custom", formula1=rule, allow_blank=True)
    text = requirement(f, t)
    dv.error, dv.errorTitle = text, t["error_title"]
    dv.prompt, dv.promptTitle = text, f.name[:32]
    dv.showErrorMessage = dv.showInputMessage = True
    return dv


def template_bytes(
    rubric,
    *,
    layout: str = "indicator",
    units=None,
    rows: int = 50,
    values=None,
    password: str | None = None,
) -> bytes:
    """A collection workbook for ``rubric`` as ``.xlsx`` bytes.

    Parameters
    ----------
    rubric : Rubric
    layout : {'indicator', 'unit'}, default='indicator'
        One row per item (one unit per workbook) or one row per unit.
    units : DataFrame indexed by unit id (columns ``name`` and the category column), optional
        Pre-filled, locked unit ids, names and categories (the indicator layout takes one unit).
    rows : int, default=50
        Unit layout without units: blank unit rows offered.
    values : mapping field code -> value (indicator layout) or DataFrame units x fields, optional
        Values written into the input cells, as a unit would enter them (for examples and tests).
    password : str, optional
        Sheet protection password (default none: the lock prevents accidental edits).

    Returns
    -------
    bytes
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.workbook.protection import WorkbookProtection

    from ..errors import check_option

    check_option(layout, ("indicator", "unit"), name="layout", func="template")
    fields = rubric_fields(rubric)
    unit_list = units_from_table(rubric, units)
    lay = build_layout(rubric, fields, kind=layout, units=unit_list, rows=rows)
    names = sheet_names()
    wb = Workbook()
    ws = wb.active
    ws.title = names["form"]
    thin = Side(style="thin", color="BFBFBF")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    # one styled prototype per kind of cell; other cells copy its style index (openpyxl hashes every
    # style object assigned, which costs more than the rest of the form)
    protos = {}
    for key, fill, font in (("title", _GREY, Font(bold=True, size=14)), ("head", _HEAD, Font(bold=True)),
                            ("locked", _GREY, None), ("input", None, None)):  # fmt: skip
        proto = ws.cell(1, 1)
        proto.border, proto.alignment = border, wrap
        if fill:
            proto.fill = PatternFill("solid", fgColor=fill)
        if font:
            proto.font = font
        if key == "input":
            proto.protection = Protection(locked=False)
        protos[key] = copy(proto._style)
        ws.cell(1, 1)._style = copy(ws.cell(1, 2)._style)  # reset the scratch cell
    header_rows = {IND.header} if layout == "indicator" else {UNI.codes, UNI.names, UNI.req}
    for (r, c), v in lay.locked.items():
        cell = ws.cell(r, c, safe_cell(v))  # rubric and unit-list text is never a formula
        key = "title" if r == 1 else "head" if r in header_rows else "locked"
        cell._style = copy(protos[key])
    # the lists sheet holds drop-down lists too long for a validation formula
    lists_ws = wb.create_sheet(names["lists"])
    lists_ws.sheet_state = "hidden"
    lists = {}
    for j, f in enumerate([f for f in fields if f.kind != "number"] + [None], start=1):
        choices = (
            list(f.choices) + (["不涉及"] if f.exempt else []) if f is not None else list(lay.categories)
        )
        key = f.code if f is not None else "__category__"
        for i, choice in enumerate(choices, start=1):
            lists_ws.cell(i, j, safe_cell(choice))
        col = cell_ref(1, j)[:-1]
        lists[key] = f"'{names['lists']}'!${col}$1:${col}${max(1, len(choices))}"
    by_code = {f.code: f for f in fields}
    texts = form_texts()
    for (r, c), (_i, what) in lay.inputs.items():
        cell = ws.cell(r, c)
        cell._style = copy(protos["input"])
        if what in ("unit", "name", "category"):
            cell.number_format = "@"  # ids are text: leading zeros stay
        f = by_code.get(what)
        if f is None:
            continue
        ref = cell_ref(r, c)
        if layout == "indicator":
            ws.add_data_validation(dv := _validation(f, ref, lists, texts))
            dv.add(ref)
        elif r == UNI.first:  # one validation per column, over every unit row
            ws.add_data_validation(dv := _validation(f, ref, lists, texts))
            dv.add(f"{ref}:{cell_ref(UNI.first + lay.n_rows - 1, c)}")
    if lay.categories:
        dv_cat = _list_validation(lists["__category__"])
        for (r, c), (_i, what) in lay.inputs.items():
            if what == "category":
                dv_cat.add(cell_ref(r, c))
        if dv_cat.sqref:
            ws.add_data_validation(dv_cat)
    if values is not None:
        _write_values(ws, lay, values)
    _widths(ws, lay)
    ws.freeze_panes = ws.cell(
        IND.first if layout == "indicator" else UNI.first, 1 if layout == "indicator" else 3
    )
    ws.protection.sheet = True
    if password:
        ws.protection.password = password
    version = fingerprint(rubric)
    _instructions(wb, rubric, version)
    _meta(wb, rubric, version, lay, names["form"])
    wb.security = WorkbookProtection(lockStructure=True)
    wb.active = 0
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _list_validation(formula: str):
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(type="list", formula1=formula, allow_blank=True)
    dv.showErrorMessage = True
    return dv


def _write_values(ws, lay, values) -> None:
    """Put values into the input cells (numbers stay numbers, everything else is text)."""
    if isinstance(values, Mapping):
        values = pd.DataFrame([dict(values)])
    frame = values.reset_index(drop=lay.kind == "indicator") if isinstance(values, pd.DataFrame) else values
    for (r, c), (i, what) in lay.inputs.items():
        if i >= len(frame) or what not in frame.columns:
            continue
        v = frame[what].iloc[i]
        if v is None or (isinstance(v, float) and v != v):
            continue
        ws.cell(r, c, safe_cell(v.item() if hasattr(v, "item") else v))


def _widths(ws, lay) -> None:
    if lay.kind == "indicator":
        for col, width in zip("ABCDEFGHIJ", (6, 18, 40, 14, 12, 30, 14, 12, 24, 40)):
            ws.column_dimensions[col].width = width
        ws.column_dimensions["B"].width = 18
    else:
        for c in range(1, lay.width + 1):
            ws.column_dimensions[cell_ref(1, c)[:-1]].width = 16 if c > 2 else 18


def _instructions(wb, rubric, fp: str) -> None:
    from openpyxl.styles import Alignment, Font

    ws = wb.create_sheet(sheet_names()["instructions"])
    form = sheet_names()["form"]
    for i, line in enumerate(instructions(), start=1):
        text = line.format(rubric=rubric.name, sheet=form, code=rubric.code, fingerprint=fp)
        cell = ws.cell(i, 1, safe_cell(text))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if i == 1:
            cell.font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 110
    ws.protection.sheet = True


def _meta(wb, rubric, version: str, lay, sheet: str) -> None:
    """The very hidden sheet: settings in A:B, pre-filled units in D:F, locked cells in H."""
    ws = wb.create_sheet(META_SHEET)
    ws.sheet_state = "veryHidden"  # cannot be unhidden from the Excel menus
    rows = [
        (META_TAG, META_VERSION),
        ("rubric", rubric.code),
        ("fingerprint", version),
        ("layout", lay.kind),
        ("lang", language()),
        ("sheet", sheet),
        ("rows", lay.n_rows),
    ]
    for r, (k, v) in enumerate(rows, start=1):
        ws.cell(r, 1, k)
        ws.cell(r, 2, safe_cell(v))
    for i, unit in enumerate(lay.units, start=1):
        for c, v in enumerate(unit, start=4):
            ws.cell(i, c, safe_cell(v)).number_format = "@"
    # the locked cells as written (JSON in column H, in pieces shorter than Excel's cell limit), so
    # the collector can tell which ones were changed
    written = [[cell_ref(r, c), safe_cell(v)] for (r, c), v in sorted(lay.locked.items())]
    text = json.dumps(written, ensure_ascii=False)
    for i in range(0, len(text), _CHUNK):
        ws.cell(i // _CHUNK + 1, 8, text[i : i + _CHUNK])
    ws.protection.sheet = True
