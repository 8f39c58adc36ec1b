"""Rubric-language keys about plausibility and presentation, and the valid range of each indicator.

- ``example_data``: the bundled sample table a rubric scores (a file name in ``data/samples/``,
  resolved by :func:`workbench.examples.example_data_path`), so ``workbench brief --rubric X`` works
  without ``--data``.
- ``subject``: what is assessed (organisations or individuals, and what to call them: 部门, 党支部,
  党员, 干部 ...), so that briefings and feedback sheets name them properly.
- ``range`` / ``whole`` on an indicator: its valid values. When not declared they are inferred
  from the unit of measure and the kind (:func:`valid_range`): percentages lie in 0–100, counts
  (次, 个, 项, 件, 户, 人 ... per year or in total) are whole and not negative, hours, money and
  points are not negative, and a checklist counts missing items (whole, 0 up to its ``items``).
- ``categories.names``: the categories a unit may belong to; any other value in the data is an error.
- a rule may not give more than the item's full marks (a grade map worth 5 points on a 4-point item).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["Subject", "Range", "valid_range", "rule_max_share"]

# counting words: a value in these units is a whole number of things
_COUNT = frozenset("次 个 项 件 户 人 篇 起 名 期 条 场 家 所 人次 个月 月 批".split())
# quantities that cannot be negative but need not be whole
_MEASURE = frozenset("小时 学时 天 万元 元 分 分钟 千元 亿元".split())
# a count per period is still a whole count; a count per person or per 100 members is a rate
_PERIODS = frozenset("年 月 季 季度 半年 周 日 天".split())
_PERCENT = {"%", "％", "百分比"}


@dataclass(frozen=True)
class Subject:
    """What a rubric assesses: organisations (``kind='organisation'``) or individuals.

    ``name`` is the Chinese noun (部门, 党支部, 党员), ``counter`` its measure word (个, 名, 家), and
    ``name_en`` the English plural noun used in English briefings.
    """

    kind: str = "organisation"
    name: str = "单位"
    counter: str = "个"
    name_en: str = "units"

    @property
    def individuals(self) -> bool:
        return self.kind == "individual"


@dataclass(frozen=True)
class Range:
    """Valid values of an indicator: ``lo``/``hi`` (None = unbounded), ``whole`` numbers only, and
    ``basis``: 'declared', 'percent', 'count', 'measure' or 'checklist' (why this range)."""

    lo: float | None = None
    hi: float | None = None
    whole: bool = False
    basis: str | None = None

    @property
    def bounded(self) -> bool:
        return self.lo is not None or self.hi is not None or self.whole

    def describe(self) -> str:
        lo = "" if self.lo is None else f"{self.lo:g}"
        hi = "" if self.hi is None else f"{self.hi:g}"
        text = f"{lo}..{hi}" if (lo or hi) else "any"
        return text + (", whole numbers" if self.whole else "")


def valid_range(node) -> Range:
    """The valid range of an indicator's values: declared in the rubric, else inferred.

    Parameters
    ----------
    node : Node
        An indicator of a rubric.

    Returns
    -------
    Range
        Unbounded (``Range()``) for qualitative grades (checked against the grade list instead)
        and for units of measure the rules below do not recognise.
    """
    rule = node.rule
    if rule is not None and not rule.numeric:
        return Range()
    inferred = _inferred(node)
    declared = getattr(node, "valid_range", None)
    whole = getattr(node, "whole", None)
    if declared is None and whole is None:
        return inferred
    lo, hi = declared if declared is not None else (inferred.lo, inferred.hi)
    return Range(lo, hi, inferred.whole if whole is None else bool(whole), "declared")


def _inferred(node) -> Range:
    if node.kind == "checklist":
        items = getattr(node.rule, "items", None)
        return Range(0.0, None if items is None else float(items), True, "checklist")
    unit = (node.unit or "").strip().replace(" ", "")
    if unit in _PERCENT:
        return Range(0.0, 100.0, False, "percent")
    num, _, den = unit.partition("/")
    if num in _COUNT:
        return Range(0.0, None, not den or den in _PERIODS, "count")
    if num in _MEASURE:
        return Range(0.0, None, False, "measure")
    return Range()


def rule_max_share(rule) -> float:
    """The largest share of full marks a rule can give (1.0 for rules clipped to full marks)."""
    t = getattr(rule, "type", "")
    if t == "bands":
        return max([*rule.values, rule.otherwise])
    if t == "grade_map":
        return max(v for _, v in rule.mapping)
    if t == "rank_ladder":
        return max([*rule.ladder, rule.otherwise]) if rule.ladder else max(rule.first, rule.floor)
    if t == "target_ratio":
        return rule.cap
    if t == "deduction_per_item":
        return max(1.0, rule.floor)
    return 1.0


# ----------------------------------------------------------------------------- parsing
def parse_example_data(ctx, data: dict) -> str | None:
    """``example_data: file.csv``: a bare file name of the bundled samples (no folders)."""
    value = data.get("example_data")
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        ctx.add("example_data", f"'example_data' must be a file name; found {value!r}")
        return None
    value = value.strip()
    if "/" in value or "\\" in value or value.startswith(".") or ".." in value:
        ctx.add(
            "example_data",
            f"'example_data' is a file name in the bundled samples, without folders; found {value!r}",
            "write e.g. example_data: county_organs.csv",
        )
        return None
    return value


def parse_subject(ctx, spec) -> Subject:
    """``subject: {kind: individual, name: 党员, counter: 名, name_en: party members}``."""
    if spec is None:
        return Subject()
    if not isinstance(spec, dict):
        ctx.add("subject", "'subject' must be a mapping such as {kind: individual, name: 党员, counter: 名}")
        return Subject()
    ctx.unknown_keys(spec, {"kind", "name", "counter", "name_en", "notes"}, "subject")
    kind = spec.get("kind", "organisation")
    if kind not in ("organisation", "individual"):
        ctx.add("subject.kind", f"'kind' must be 'organisation' or 'individual'; found {kind!r}")
        kind = "organisation"
    out = {"kind": kind}
    default = Subject() if kind == "organisation" else Subject("individual", "人员", "名", "people")
    for key in ("name", "counter", "name_en"):
        value = spec.get(key, getattr(default, key))
        if not isinstance(value, str) or not value.strip():
            ctx.add(f"subject.{key}", f"'{key}' must be text; found {value!r}")
            value = getattr(default, key)
        out[key] = value.strip()
    return Subject(**out)


def parse_range(ctx, spec: dict, key: str):
    """``range: [lo, hi]`` (either may be null) and ``whole: true|false`` of an indicator."""
    declared = None
    raw = spec.get("range")
    if raw is not None:
        ok = isinstance(raw, list) and len(raw) == 2
        bounds = []
        for v in raw if ok else ():
            if v is None:
                bounds.append(None)
            elif isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                ok = False
            else:
                bounds.append(float(v))
        if not ok:
            ctx.add(f"{key}.range", f"'range' must be [lowest, highest] (null for no bound); found {raw!r}")
        elif bounds[0] is not None and bounds[1] is not None and bounds[0] > bounds[1]:
            ctx.add(f"{key}.range", f"'range' must have lowest <= highest; found {raw!r}")
        else:
            declared = (bounds[0], bounds[1])
    whole = spec.get("whole")
    if whole is not None and not isinstance(whole, bool):
        ctx.add(f"{key}.whole", f"'whole' must be true or false; found {whole!r}")
        whole = None
    return declared, whole


def check_rule_max(ctx, key: str, rule, full: float) -> None:
    """A rule may not give more than the item's full marks."""
    if rule is None:
        return
    top = rule_max_share(rule)
    # rules written back in points are rounded to 6 decimals: allow that much
    if (top - 1.0) * max(full, 1.0) > 1e-5:
        ctx.add(
            f"{key}.rule",
            f"the rule gives up to {top * full:.4g} points but the item's full marks are {full:.4g}",
            "lower the rule's points (or its cap) to at most the item's full marks, or raise its weight",
        )


def parse_category_names(ctx, spec: dict, groups: dict) -> tuple[str, ...]:
    """``categories.names``: the categories units may belong to (closed list)."""
    raw = spec.get("names")
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw or not all(isinstance(v, (str, int)) for v in raw):
        ctx.add("categories.names", f"'names' must be a list of category names; found {raw!r}")
        return ()
    names = tuple(str(v).strip() for v in raw)
    if len(set(names)) != len(names):
        ctx.add("categories.names", "'names' lists a category twice")
    for g in groups:
        if str(g) not in names:
            ctx.add(f"categories.groups.{g}", f"group {g!r} is not among 'names' {list(names)}")
    return names
