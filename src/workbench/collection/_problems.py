"""The problem list: one row per problem, with its file, unit, cell and a sentence in the current language."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ._labels import problem_kinds, problem_texts

__all__ = ["problem", "problem_frame", "COLUMNS"]

COLUMNS = ["file", "unit", "unit_name", "cell", "field", "field_name", "value", "kind", "kind_name", "severity",
           "message", "expected"]  # fmt: skip


def problem(e, i, kind, *, text=None, cell="", severity="error", **fmt):
    """A problem of unit entry ``i`` (its file from the entries table ``e``)."""
    return {"entry": i, "file": e.at[i, "file"], "cell": cell, "field": "", "value": None, "kind": kind,
            "severity": severity, "text": text or kind, "fmt": fmt}  # fmt: skip


def problem_frame(problems, checked, e, ctx, rubric) -> pd.DataFrame:
    """All problems as one table, with the unit, the item's name and a sentence in the current language."""
    kinds, texts = problem_kinds(), problem_texts()
    rows = []
    for p in problems:  # file-level and unit-level problems (few); cell problems come as a frame
        fmt = dict(p.get("fmt") or {})
        if p["kind"] in ("unreadable", "not_a_return"):
            reason = texts[fmt.pop("reason_key", "no_table")].format(reason=fmt.get("reason", ""))
            msg = (
                texts["not_a_return"].format(rubric=rubric.name, reason=reason)
                if p["kind"] == "not_a_return"
                else reason
            )
        else:
            msg = texts[p["text"]].format_map(_Blank(fmt, value=p.get("value")))
        rows.append({"entry": p["entry"], "file": p["file"], "unit": p.get("unit_id"), "cell": p["cell"],
                     "field": p.get("field") or fmt.get("code", ""), "value": _shown(p.get("value", fmt.get("value"))),
                     "kind": p["kind"], "severity": p["severity"], "message": msg,
                     "expected": fmt.get("expected", "")})  # fmt: skip
    frame = pd.DataFrame(rows)
    if len(checked):
        checked = checked.copy()
        checked["file"] = e["file"].to_numpy()[checked["entry"].to_numpy(dtype=int)]
        checked["message"] = [
            texts[t].format(value=v, expected=x)
            for t, v, x in zip(checked["text"], checked["value"], checked["expected"])
        ]
        frame = pd.concat([frame, checked.drop(columns="text")], ignore_index=True)
    if frame.empty:
        frame = pd.DataFrame(
            columns=["entry", *[c for c in COLUMNS if c not in ("unit_name", "field_name", "kind_name")]]
        )
    has = frame["entry"].notna().to_numpy()
    entry = frame["entry"].to_numpy()
    unit = np.array(frame["unit"] if "unit" in frame else [None] * len(frame), dtype=object)
    unit[has] = e["id"].to_numpy(dtype=object)[entry[has].astype(int)]
    frame["unit"] = unit
    names_of = {**ctx.name_of, **{u: n for u, n in zip(e["id"], e["name"]) if n}}
    frame["unit_name"] = frame["unit"].map(lambda u: names_of.get(u, ""))
    names = {c: f.name for c, f in ctx.fields.items()}
    frame["field_name"] = frame["field"].map(lambda c: names.get(c, ""))
    frame["kind_name"] = frame["kind"].map(kinds)
    key = frame["cell"].fillna("").map(_cell_key)
    frame = frame.assign(_r=[k[0] for k in key], _c=[k[1] for k in key], _f=frame["file"].eq(""))
    frame = frame.sort_values(["_f", "file", "_r", "_c"], kind="stable").drop(
        columns=["_r", "_c", "_f", "entry"]
    )
    return frame[COLUMNS].reset_index(drop=True)


class _Blank(dict):
    """str.format_map fields that a sentence names but a problem does not carry show as blank."""

    def __init__(self, fmt, value=None):
        super().__init__(fmt)
        self.setdefault("value", _shown(value))

    def __missing__(self, key):
        return ""


def _shown(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _cell_key(ref: str) -> tuple[int, int]:
    m = re.match(r"^([A-Z]{1,3})(\d+)$", ref or "")
    if not m:
        return (0, 0)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col
