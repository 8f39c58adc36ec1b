"""Simulated returns: one filled form per unit from a data table, with planted problems (seeded).

A policy office's folder after the deadline: most units filled the form correctly, some left a
value out, typed a figure outside its range or text where a number goes, picked a grade that is not
on the list, typed a formula, changed a locked cell, sent their form twice with different figures,
or sent something that is not a return at all. :func:`simulate_returns` writes such a folder and
returns the list of what it planted, so collection can be checked against it.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from .._i18n import _
from .._rng import as_generator
from ..errors import SpecError
from ..io import table_bytes
from ._fields import NO, YES, rubric_fields
from ._layout import IND, cell_ref
from ._template import template_bytes

__all__ = ["simulate_returns", "PROBLEM_KINDS", "DEFAULT_PROBLEMS"]

PROBLEM_KINDS = (
    "missing",
    "out_of_range",
    "not_a_number",
    "unknown_grade",
    "formula",
    "locked_altered",
    "duplicate_unit",
    "not_a_return",
    "unreadable",
)
DEFAULT_PROBLEMS = {k: 1 for k in PROBLEM_KINDS} | {"missing": 2, "out_of_range": 2, "not_a_number": 2}
_NAMES = ("{id}_{name}.xlsx", "{name}.xlsx", "{name}-数据填报.xlsx", "附件{k}_{name}.xlsx", "{id}.xlsx")
_WORDS = ("九十五", "约6次", "95分", "见附件", "10次以上")


def _typed(f, v):
    """A table value as a unit types it into the form."""
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
        if f.role == "veto":
            return NO
        return "不涉及" if f.exempt else None
    if isinstance(v, (bool, np.bool_)):
        return YES if v else NO
    if isinstance(v, (int, float, np.integer, np.floating)):
        return float(v)
    return str(v)


def simulate_returns(
    rubric, data: pd.DataFrame, folder, *, seed=None, problems: dict | None = None, csv_units: int = 0
) -> pd.DataFrame:
    """Write one filled form per unit of ``data`` into ``folder``, with planted problems.

    Parameters
    ----------
    rubric : Rubric
    data : DataFrame indexed by unit id
        The figures units report (e.g. :func:`workbench.read_table` of a sample); columns named by
        the rubric's fields, plus ``name`` and the category column.
    folder : str or Path
        Created if needed; must be empty or new.
    seed : int, Generator or None
    problems : mapping kind -> count, optional
        How many of each kind of :data:`PROBLEM_KINDS` to plant (default :data:`DEFAULT_PROBLEMS`;
        ``{}`` plants none). Each planted value problem is in a different unit.
    csv_units : int, default=0
        How many units send a CSV table instead of the form (not a problem).

    Returns
    -------
    DataFrame
        One row per planted problem: ``file``, ``unit``, ``field``, ``cell``, ``kind``.

    Raises
    ------
    SpecError
        Unknown problem kinds, more planted problems than units, or a folder that is not empty.
    """
    rng = as_generator(seed)
    plan = dict(DEFAULT_PROBLEMS if problems is None else problems)
    unknown = sorted(set(plan) - set(PROBLEM_KINDS))
    if unknown:
        raise SpecError(
            _("unknown problem kinds {found}; expected some of {kinds}").format(
                found=unknown, kinds=list(PROBLEM_KINDS)
            ),
            key="problems",
        )
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise SpecError(
            _("the folder {folder} is not empty; simulated returns go into a new folder").format(
                folder=folder
            ),
            key="folder",
        )
    folder.mkdir(parents=True, exist_ok=True)
    fields = rubric_fields(rubric)
    cat = rubric.categories.column if rubric.categories is not None else None
    units = data[[c for c in ("name", cat) if c is not None and c in data.columns]]
    ids = list(map(str, data.index))
    value_kinds = [k for k in PROBLEM_KINDS[:7] for _ in range(plan.get(k, 0))]
    if len(value_kinds) + csv_units > len(ids):
        raise SpecError(
            _("{n} planted problems and {csv} CSV returns need as many units; the table has {units}").format(
                n=len(value_kinds), csv=csv_units, units=len(ids)
            ),
            key="problems",
        )
    order = rng.permutation(len(ids))
    planted_at = {int(order[i]): k for i, k in enumerate(value_kinds)}
    as_csv = {int(order[len(value_kinds) + i]) for i in range(csv_units)}
    truth = []
    by_kind = {
        "missing": [f for f in fields if f.kind == "number" and f.required and f.role == "indicator"],
        "out_of_range": [
            f for f in fields if f.kind == "number" and f.hi is not None and f.role == "indicator"
        ],
        "not_a_number": [f for f in fields if f.kind == "number" and f.role == "indicator"],
        "unknown_grade": [f for f in fields if f.kind == "grade"],
        "formula": [f for f in fields if f.kind == "number" and f.role == "indicator"],
        "duplicate_unit": [f for f in fields if f.kind == "number" and f.role == "indicator"],
    }
    row_of = {f.code: IND.first + i for i, f in enumerate(fields)}
    for k, uid in enumerate(ids):
        row = data.iloc[k]
        values = {f.code: _typed(f, row.get(f.code)) for f in fields}
        name = str(row.get("name", "")) if "name" in data.columns else ""
        file = _NAMES[int(rng.integers(len(_NAMES)))].format(id=uid, name=name or uid, k=k + 1)
        if k in as_csv:
            file = f"{Path(file).stem}.csv"
            table = pd.DataFrame(
                [{"unit": uid, "name": name, **({cat: row.get(cat)} if cat else {}), **values}]
            )
            (folder / file).write_bytes(table_bytes(table, ".csv", index=False))
            continue
        kind = planted_at.get(k)
        f = None
        if kind in by_kind:
            candidates = by_kind[kind]
            if not candidates:
                raise SpecError(
                    _("rubric {code} has no item to plant {kind} in").format(code=rubric.code, kind=kind),
                    key="problems",
                )
            f = candidates[int(rng.integers(len(candidates)))]
            values[f.code] = _planted(kind, f, values[f.code], rng)
        data_bytes = template_bytes(rubric, units=units.iloc[[k]], values=values)
        if kind == "formula":  # the form writes values as values; a unit types the formula over one
            data_bytes = _alter(data_bytes, row_of[f.code], IND.value, "=90+5")
        if kind == "locked_altered":
            data_bytes = _alter(data_bytes, IND.first, IND.name, "（已修改）" + fields[0].name)
            truth.append((file, uid, fields[0].code, cell_ref(IND.first, IND.name), kind))
        (folder / file).write_bytes(data_bytes)
        if kind == "duplicate_unit":
            v = values[f.code] if isinstance(values[f.code], float) else 0.0
            values[f.code] = v - 1.0 if f.hi is not None and v + 1.0 > f.hi else v + 1.0
            copy = f"{Path(file).stem}（修改后）.xlsx"
            (folder / copy).write_bytes(template_bytes(rubric, units=units.iloc[[k]], values=values))
            truth += [(file, uid, "", "", kind), (copy, uid, "", "", kind)]
        elif f is not None:
            truth.append((file, uid, f.code, cell_ref(row_of[f.code], IND.value), kind))
    for i in range(plan.get("not_a_return", 0)):
        name = f"情况说明{i + 1 if i else ''}.txt"
        (folder / name).write_text("关于党建考核数据填报情况的说明：我单位已按时填报。\n", encoding="utf-8")
        truth.append((name, "", "", "", "not_a_return"))
    for i in range(plan.get("unreadable", 0)):
        name = f"填报表_副本{i + 1}.xlsx"
        (folder / name).write_bytes("这不是 Excel 文件，只是改了扩展名。\n".encode())
        truth.append((name, "", "", "", "unreadable"))
    out = pd.DataFrame(truth, columns=["file", "unit", "field", "cell", "kind"])
    return out.sort_values(["kind", "file"], kind="stable").reset_index(drop=True)


def _planted(kind, f, value, rng):
    if kind == "missing":
        return None
    if kind == "out_of_range":
        return float(f.hi + rng.integers(5, 60))
    if kind == "not_a_number":
        return _WORDS[int(rng.integers(len(_WORDS)))]
    if kind == "unknown_grade":
        return "很好"
    return value


def _alter(data: bytes, row: int, col: int, text: str) -> bytes:
    """Type over one cell, as a unit would (a locked one after lifting the sheet protection)."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data))
    wb.worksheets[0].cell(row, col, text)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
