"""Checks derived from an indicator table (such as ``report_indicators.csv``) or from a rubric."""

from __future__ import annotations

import re
from types import MappingProxyType

import pandas as pd

from .._i18n import _
from ..errors import Problem, SpecError
from ._spec import Checks, parse_checks

__all__ = ["checks_from_table", "checks_from_rubric"]

_SUM_RE = re.compile(r"^\s*(\w+)\s*=\s*(\w+(?:\s*\+\s*\w+)+)\s*$")
_RATIO_RE = re.compile(
    r"^\s*\|\s*(\w+)\s*[-−]\s*(?:([\d.]+)\s*[·*×]?\s*)?(\w+)\s*/\s*(\w+)\s*\|\s*(?:≤|<=)\s*([\d.]+)\s*$"
)


def checks_from_table(table: pd.DataFrame) -> Checks:
    """Checks from an indicator table such as ``data/samples/report_indicators.csv``.

    Columns used (each optional except ``code``): ``name``, ``type`` (``cumulative`` = year to
    date), ``min``, ``max``, ``upper_bound`` (a column the value may not exceed), ``identity``
    (``a = b + c`` or ``|a − 100·b/c| ≤ 0.05``, parsed by pattern, never evaluated), ``peer_check``
    (是/yes/1 marks the indicators compared with peers).
    """
    t = table.reset_index() if "code" not in table.columns and table.index.name == "code" else table
    if "code" not in t.columns:
        raise SpecError(
            _("an indicator table needs a 'code' column; found {columns}").format(columns=list(t.columns))
        )
    problems, spec = [], {"ranges": {}, "not_above": {}, "sum": {}, "ratio": {}, "names": {}}
    col = lambda name: t[name] if name in t.columns else pd.Series([None] * len(t))  # noqa: E731
    for row, code, name, lo, hi, ub, ident in zip(range(len(t)), t["code"], col("name"), col("min"), col("max"),
                                                   col("upper_bound"), col("identity")):  # fmt: skip
        code = str(code)
        if isinstance(name, str):
            spec["names"][code] = name
        lo = None if pd.isna(lo) else float(lo)
        hi = None if pd.isna(hi) else float(hi)
        if lo is not None or hi is not None:
            spec["ranges"][code] = [lo, hi]
        if isinstance(ub, str) and ub.strip():
            spec["not_above"][code] = ub.strip()
        if isinstance(ident, str) and ident.strip():
            text = ident.strip()
            if m := _SUM_RE.match(text):
                spec["sum"][m.group(1)] = [p.strip() for p in m.group(2).split("+")]
            elif m := _RATIO_RE.match(text):
                spec["ratio"][m.group(1)] = {"num": m.group(3), "den": m.group(4),
                                             "scale": float(m.group(2) or 1), "tol": float(m.group(5))}  # fmt: skip
            else:
                msg = _("identity {text!r} is neither 'a = b + c' nor '|a − k·b/c| ≤ tol'").format(text=text)
                problems.append(Problem(msg, row=row + 2, column="identity"))
    if problems:
        raise SpecError(_("the indicator table has identities that cannot be read"), problems=problems)
    codes = [str(c) for c in t["code"]]
    kinds = col("type").astype(str).str.strip().tolist()
    spec["cumulative"] = [c for c, k in zip(codes, kinds) if k == "cumulative"]
    spec["change"] = [c for c, k in zip(codes, kinds) if k != "cumulative"]
    if "peer_check" in t.columns:
        yes = (
            t["peer_check"].astype(str).str.strip().isin(["是", "yes", "Yes", "1", "True", "true", "Y", "y"])
        )
        spec["peer"] = [c for c, y in zip(codes, yes) if y]
    return parse_checks(spec)


_COUNT_UNITS = ("次", "项", "个", "人", "件", "名", "户", "元")


def checks_from_rubric(rubric) -> Checks:
    """Checks implied by a rubric: percentages within 0-100 (at least 0 for completion rates scored
    against a target, which may exceed 100%), counts and checklist items not negative
    (checklists at most their number of items), directly scored values within their full range,
    grades among the rubric's grades, and required items (``missing: error``) present."""
    ranges, required, integer, allowed = {}, [], [], {}
    full = rubric.full_marks()
    for code in rubric.indicators:
        node = rubric.nodes[code]
        rule, unit = node.rule, (node.unit or "").strip()
        if node.missing == "error":
            required.append(code)
        if rule is not None and not rule.numeric:
            allowed[code] = tuple(rule.grades())
            continue
        lo = hi = None
        if unit in ("%", "％") or unit.endswith("%"):
            # a completion rate against a target (target_ratio) may exceed 100%; shares of units,
            # branches or members may not
            lo, hi = 0.0, None if rule is not None and rule.type == "target_ratio" else 100.0
        elif node.kind == "checklist":
            lo, hi = 0.0, float(rule.items) if getattr(rule, "items", None) else None
            integer.append(code)
        elif unit and unit[0] in _COUNT_UNITS:
            lo = 0.0
        if rule is not None and rule.type == "direct":
            lo, hi = (
                0.0,
                float(full[code]) if rule.input == "points" else (100.0 if rule.input == "percent" else 1.0),
            )
        if lo is not None or hi is not None:
            ranges[code] = (lo, hi)
    return Checks(
        ranges=MappingProxyType(ranges),
        required=tuple(required),
        integer=tuple(integer),
        names=MappingProxyType({c: rubric.nodes[c].name for c in rubric.indicators}),
        allowed=MappingProxyType(allowed),
    )
