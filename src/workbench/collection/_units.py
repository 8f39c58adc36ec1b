"""Which unit each return speaks for: unknown units, duplicates, units that sent nothing, categories.

Returns are matched to units by the normal form of their ids (NFKC, zero-width characters, spaces).
A unit returned twice with the same values is kept once (a warning); with different values it is
left out and both files are asked for one corrected return (an error). With a list of the units
expected, returns from other units are left out and units without a return are listed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._i18n import _p as _pc
from ._problems import problem
from ._return import norm_key

__all__ = ["resolve_units", "consolidated_table", "category_problems"]


def resolve_units(e: pd.DataFrame, wide: pd.DataFrame, ctx) -> tuple[np.ndarray, list[dict]]:
    """Which unit entries go into the table (mask) and the problems found on the way."""
    keep = np.ones(len(e), dtype=bool)
    problems = []
    if ctx.known:
        unknown = ~e["id"].isin(list(ctx.known)).to_numpy()
        for i in np.flatnonzero(unknown):
            problems.append(problem(e, i, "unknown_unit", cell=e.at[i, "cell"], unit=e.at[i, "id"]))
        keep &= ~unknown
    ids = e["id"].to_numpy(dtype=object)
    dup = pd.Series(ids[keep]).duplicated(keep=False).to_numpy()
    sep = _pc("enumeration", ", ")
    for uid in pd.unique(ids[keep][dup]):  # a loop over duplicated ids, usually none
        rows = np.flatnonzero((ids == uid) & keep)
        same = all(wide.iloc[r].equals(wide.iloc[rows[0]]) for r in rows[1:])
        files = e.loc[rows, "file"].tolist()
        for r in rows if not same else rows[1:]:
            others = sep.join(f for f in files if f != e.at[r, "file"]) or e.at[r, "file"]
            problems.append(
                problem(
                    e,
                    r,
                    "duplicate_unit",
                    text="duplicate_unit" if not same else "duplicate_same",
                    cell=e.at[r, "cell"],
                    unit=uid,
                    others=others,
                    severity="error" if not same else "warning",
                )  # fmt: skip
            )
        keep[rows if not same else rows[1:]] = False
    returned = set(ids)
    for uid in ctx.known:
        if uid not in returned:
            problems.append({"entry": None, "file": "", "cell": "", "field": "", "value": None, "kind": "not_returned",
                             "severity": "error", "text": "not_returned", "unit_id": uid,
                             "fmt": {"unit": ctx.known[uid], "name": ctx.name_of.get(uid, "")}})  # fmt: skip
    return keep, problems


def consolidated_table(rubric, e, wide, keep, units) -> pd.DataFrame:
    """The consolidated table: one row per kept unit, name, category and the rubric's columns."""
    kept = e.loc[keep]
    index = pd.Index(kept["id"].to_numpy(dtype=object), name=rubric.unit_column or "unit")
    table = wide.loc[keep].set_axis(index, axis=0)
    table.insert(0, "name", kept["name"].replace("", np.nan).to_numpy(dtype=object))
    if rubric.categories is not None:
        table.insert(1, rubric.categories.column, kept["category"].replace("", np.nan).to_numpy(dtype=object))
    if units is not None:  # the office's list wins for names and categories
        from ..io import unit_names

        listed = pd.DataFrame(index=pd.Index([norm_key(u) for u in units.index]))
        names = unit_names(units)
        if names is not None:
            listed["name"] = names.to_numpy()
            table["name"] = listed["name"].reindex(table.index).fillna(table["name"]).to_numpy()
        col = rubric.categories.column if rubric.categories is not None else None
        if col is not None and col in units.columns:
            listed[col] = units[col].to_numpy()
            table[col] = listed[col].reindex(table.index).fillna(table[col]).to_numpy()
        listed_ids = set(listed.index)
        order = [u for u in listed.index if u in table.index]
        table = table.loc[order + [u for u in table.index if u not in listed_ids]]
    else:
        table = table.sort_index(kind="stable")
    return table


def category_problems(rubric, e, keep, table) -> list[dict]:
    """Every unit of a rubric with categories needs one of its categories."""
    if rubric.categories is None:
        return []
    col = rubric.categories.column
    allowed = tuple(getattr(rubric.categories, "names", ()) or ())
    out = []
    by_id = {uid: i for i, uid in zip(np.flatnonzero(keep), e.loc[keep, "id"])}
    for uid, cat in table[col].items():
        i = by_id[uid]
        if pd.isna(cat) or str(cat).strip() == "":
            out.append(problem(e, i, "missing", cell=e.at[i, "cell"], expected=col) | {"field": col})
        elif allowed and norm_key(cat) not in {norm_key(a) for a in allowed}:
            p = problem(
                e,
                i,
                "unknown_grade",
                cell=e.at[i, "cell"],
                expected=_pc("enumeration", ", ").join(allowed),
                value=cat,
            )
            out.append(p | {"field": col, "value": cat})
    return out
