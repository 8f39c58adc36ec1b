"""Validate the ``rule:`` mappings of a rubric file and build :mod:`workbench.scoring.rules` objects."""

from __future__ import annotations

from typing import Any

import numpy as np

from .rules import (
    RULE_TYPES,
    Bands,
    DeductionPerItem,
    Direct,
    GradeMap,
    Linear,
    MinMax,
    PeerDeviation,
    RankLadder,
    Rule,
    TargetRatio,
)

# Which rule types make sense for which indicator kind.
KIND_RULES = {
    "quantitative": {"linear", "target_ratio", "bands", "rank_ladder", "peer_deviation", "minmax", "direct"},
    "qualitative": {"grade_map", "direct", "bands", "linear"},
    "checklist": {"deduction_per_item", "direct"},
}


class _Problems(list):
    """Collects (key, message, hint) triples while a rule is parsed."""

    def add(self, key: str, message: str, hint: str | None = None):
        self.append((key, message, hint))


def _num(d: dict, name: str, key: str, problems: _Problems, *, default=None, required=False):
    value = d.get(name)
    if value is None:
        value = default
    if value is None:
        if required:
            problems.add(f"{key}.{name}", f"'{name}' is required for this rule", None)
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value):
        problems.add(f"{key}.{name}", f"'{name}' must be a finite number; found {value!r}")
        return None
    return float(value)


def _unit(d: dict, key: str, problems: _Problems, default="share") -> str:
    unit = d.get("unit", default)
    if unit not in ("points", "share"):
        problems.add(f"{key}.unit", f"'unit' must be 'points' or 'share'; found {unit!r}")
        return default
    return unit


def _pairs(d: dict, key: str, problems: _Problems):
    """Return (unit, raw pairs) from 'points' or 'scores' of a bands/ladder/map rule."""
    has_p, has_s = "points" in d, "scores" in d
    if has_p == has_s:
        problems.add(key, "give exactly one of 'points' (in points) or 'scores' (shares of full marks)")
        return None, None
    return ("points", d["points"]) if has_p else ("share", d["scores"])


def parse_rule(spec: Any, key: str, kind: str, full: float, direction: int) -> tuple[Rule | None, list]:
    """Validate a rule mapping from a rubric file and build the rule.

    Parameters
    ----------
    spec : mapping
        The ``rule:`` value of an indicator.
    key : str
        YAML key path of the rule, for messages.
    kind : str
        The indicator kind (``quantitative``, ``qualitative`` or ``checklist``).
    full : float
        The indicator's full marks, to convert rules written in points to shares.
    direction : int
        1 if higher is better, -1 otherwise.

    Returns
    -------
    rule : Rule or None
    problems : list of (key, message, hint)
    """
    problems = _Problems()
    if not isinstance(spec, dict):
        problems.add(key, f"a rule must be a mapping with a 'type'; found {type(spec).__name__}")
        return None, problems
    rtype = spec.get("type")
    if not isinstance(rtype, str) or rtype not in RULE_TYPES:
        problems.add(
            f"{key}.type",
            f"unknown rule type {rtype!r}; expected one of {', '.join(sorted(RULE_TYPES))}",
        )
        return None, problems
    allowed = KIND_RULES.get(kind, set(RULE_TYPES))
    if rtype not in allowed:
        problems.add(
            f"{key}.type",
            f"rule type {rtype!r} does not fit a {kind} indicator; expected one of {', '.join(sorted(allowed))}",
        )
        return None, problems
    conv = full if full > 0 else 1.0
    rule = _BUILDERS[rtype](spec, key, problems, conv, direction)
    return (None if problems else rule), problems


def _build_linear(d, key, problems, full, direction):
    lo, hi = _num(d, "lo", key, problems, required=True), _num(d, "hi", key, problems, required=True)
    if lo is not None and hi is not None and not hi > lo:
        problems.add(key, f"'hi' must be greater than 'lo'; found lo={lo:g}, hi={hi:g}")
    return None if problems else Linear(lo=lo, hi=hi)


def _build_target(d, key, problems, full, direction):
    target = _num(d, "target", key, problems, required=True)
    cap = _num(d, "cap", key, problems, default=1.0)
    if target is not None and target <= 0:
        problems.add(f"{key}.target", f"'target' must be positive; found {target:g}")
    if cap is not None and cap <= 0:
        problems.add(f"{key}.cap", f"'cap' must be positive; found {cap:g}")
    return None if problems else TargetRatio(target=target, cap=cap)


def _values(raw, key, problems, scale):
    vals = []
    for i, v in enumerate(raw):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not np.isfinite(v) or v < 0:
            problems.add(f"{key}[{i}]", f"a score must be a non-negative number; found {v!r}")
        else:
            vals.append(float(v) / scale)
    return vals


def _build_bands(d, key, problems, full, direction):
    unit, raw = _pairs(d, key, problems)
    if raw is None:
        return None
    scale = full if unit == "points" else 1.0
    if not isinstance(raw, list) or not raw or not all(isinstance(p, list) and len(p) == 2 for p in raw):
        problems.add(key, "bands must be a list of [threshold, value] pairs, e.g. [[95, 10], [85, 8]]")
        return None
    thresholds = [p[0] for p in raw]
    if not all(isinstance(t, (int, float)) and not isinstance(t, bool) for t in thresholds):
        problems.add(key, f"band thresholds must be numbers; found {thresholds!r}")
        return None
    if len(set(thresholds)) != len(thresholds):
        problems.add(key, f"band thresholds must be distinct; found {thresholds!r}")
    vals = _values([p[1] for p in raw], key, problems, scale)
    other = _num(d, "otherwise", key, problems, default=0.0)
    if problems:
        return None
    order = np.argsort(thresholds)[:: -1 if direction > 0 else 1]
    return Bands(
        unit=unit,
        thresholds=tuple(float(thresholds[i]) for i in order),
        values=tuple(vals[i] for i in order),
        otherwise=other / scale,
        direction=1 if direction > 0 else -1,
    )


def _build_ladder(d, key, problems, full, direction):
    if "points" in d or "scores" in d:
        unit, raw = _pairs(d, key, problems)
        if raw is None or not isinstance(raw, list) or not raw:
            problems.add(key, "a rank ladder needs a non-empty list of points for ranks 1, 2, ...")
            return None
        scale = full if unit == "points" else 1.0
        vals = _values(raw, key, problems, scale)
        other = _num(d, "otherwise", key, problems, default=0.0)
        return None if problems else RankLadder(unit=unit, ladder=tuple(vals), otherwise=other / scale)
    unit = _unit(d, key, problems)
    scale = full if unit == "points" else 1.0
    first = _num(d, "first", key, problems, default=scale)
    step = _num(d, "step", key, problems, required=True)
    floor = _num(d, "floor", key, problems, default=0.0)
    if problems:
        return None
    return RankLadder(unit=unit, first=first / scale, step=step / scale, floor=floor / scale)


def _build_peer(d, key, problems, full, direction):
    at_mean = _num(d, "at_mean", key, problems, default=0.8)
    slope = _num(d, "slope", key, problems, default=0.1)
    by = d.get("by", "sd")
    if by not in ("sd", "mean"):
        problems.add(f"{key}.by", f"'by' must be 'sd' or 'mean'; found {by!r}")
    if at_mean is not None and not 0 <= at_mean <= 1:
        problems.add(f"{key}.at_mean", f"'at_mean' is a share of full marks in [0, 1]; found {at_mean:g}")
    return None if problems else PeerDeviation(at_mean=at_mean, slope=slope, by=by)


def _build_minmax(d, key, problems, full, direction):
    return MinMax()


def _build_grade_map(d, key, problems, full, direction):
    unit, raw = _pairs(d, key, problems)
    if raw is None:
        return None
    if not isinstance(raw, dict) or not raw:
        problems.add(key, "a grade map must be a mapping from grade to points, e.g. {优: 10, 良: 8}")
        return None
    scale = full if unit == "points" else 1.0
    vals = _values(list(raw.values()), key, problems, scale)
    if problems:
        return None
    return GradeMap(unit=unit, mapping=tuple((str(g).strip(), v) for g, v in zip(raw, vals)))


def _build_deduction(d, key, problems, full, direction):
    unit = _unit(d, key, problems, default="points")
    scale = full if unit == "points" else 1.0
    per = _num(d, "per_item", key, problems, required=True)
    floor = _num(d, "floor", key, problems, default=0.0)
    items = d.get("items")
    if items is not None and (isinstance(items, bool) or not isinstance(items, int) or items <= 0):
        problems.add(f"{key}.items", f"'items' must be a positive integer; found {items!r}")
    if per is not None and per <= 0:
        problems.add(f"{key}.per_item", f"'per_item' must be positive; found {per:g}")
    if problems:
        return None
    return DeductionPerItem(unit=unit, per_item=per / scale, floor=floor / scale, items=items)


def _build_direct(d, key, problems, full, direction):
    unit = d.get("unit", "points")
    per = {"points": full, "share": 1.0, "percent": 100.0}.get(unit)
    if per is None:
        problems.add(f"{key}.unit", f"'unit' must be 'points', 'share' or 'percent'; found {unit!r}")
        return None
    return Direct(unit="points" if unit == "points" else "share", per=per, input=unit)


_BUILDERS = {
    "linear": _build_linear,
    "target_ratio": _build_target,
    "bands": _build_bands,
    "rank_ladder": _build_ladder,
    "peer_deviation": _build_peer,
    "minmax": _build_minmax,
    "grade_map": _build_grade_map,
    "deduction_per_item": _build_deduction,
    "direct": _build_direct,
}
