"""What report figures must satisfy: declared checks, parsed safely from plain data (never eval'd).

A checks table is a mapping (or a YAML file holding one)::

    ranges:      {three_one_rate: [0, 100], branches_total: [1, null]}
    required:    [members_total]                      # a blank cell is a flag
    integer:     [members_total]                      # counts must be whole numbers
    not_above:   {members_full: members_total}        # a part may not exceed its whole
    sum:         {members_total: [members_full, members_probationary]}   # or {parts: [...], tol: 0}
    ratio:       {dues_rate: {num: dues_paid, den: dues_due, scale: 100, tol: 0.05}}
    conditions:  [{if: {branches_total: 0}, then: {members_total: 0}, reason: ..., reason_zh: ...}]
    cumulative:  [recruits_ytd]                       # year-to-date: must not fall within a year
    peer:        [three_one_rate]                     # compared with peers (default: every indicator)
    change:      [talks]                              # checked across periods (default: all but cumulative)
    names:       {members_total: 党员总数}

Conditions compare a column with a constant: ``{x: 0}`` means x == 0; ``{x: {">": 3}}`` uses one
of ``== != < <= > >= in not_in between missing``. Every problem in a table is reported at once.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import numpy as np

from .._i18n import _
from ..errors import Problem, SpecError

__all__ = ["Checks", "Condition", "parse_checks"]

OPS = {
    "==": "==", "eq": "==", "!=": "!=", "ne": "!=", "<": "<", "lt": "<", "<=": "<=", "le": "<=",
    ">": ">", "gt": ">", ">=": ">=", "ge": ">=", "in": "in", "not_in": "not_in", "between": "between",
    "missing": "missing",
}  # fmt: skip
KEYS = ("ranges", "required", "integer", "not_above", "sum", "ratio", "conditions", "cumulative", "peer",
        "change", "names", "notes")  # fmt: skip


@dataclass(frozen=True)
class Condition:
    """``if`` all of ``when`` hold, all of ``then`` must hold; each term is (column, op, value)."""

    name: str
    when: tuple
    then: tuple
    reason: str | None = None
    reason_zh: str | None = None

    def columns(self) -> set:
        return {c for c, __, __ in self.when + self.then}

    def describe(self) -> str:
        fmt = lambda terms: " and ".join(f"{c} {op} {v!r}" for c, op, v in terms)  # noqa: E731
        return f"if {fmt(self.when)} then {fmt(self.then)}"


@dataclass(frozen=True)
class Checks:
    """Declared checks of a report table (see the module docstring for the file form)."""

    ranges: Mapping = field(default_factory=lambda: MappingProxyType({}))  # code -> (lo or None, hi or None)
    required: tuple = ()
    integer: tuple = ()
    not_above: Mapping = field(default_factory=lambda: MappingProxyType({}))  # code -> bounding column
    sums: Mapping = field(default_factory=lambda: MappingProxyType({}))  # total -> (parts, tol)
    ratios: Mapping = field(default_factory=lambda: MappingProxyType({}))  # code -> (num, den, scale, tol)
    conditions: tuple = ()
    cumulative: tuple = ()
    peer: tuple | None = None  # None = every indicator
    change: tuple | None = None  # None = every indicator except cumulative ones
    names: Mapping = field(default_factory=lambda: MappingProxyType({}))
    allowed: Mapping = field(
        default_factory=lambda: MappingProxyType({})
    )  # code -> allowed text values (qualitative grades)

    def columns(self) -> set:
        """Every column the checks refer to."""
        out = set(self.ranges) | set(self.required) | set(self.integer) | set(self.cumulative)
        out |= set(self.not_above) | set(self.not_above.values()) | set(self.allowed)
        for total, (parts, __) in self.sums.items():
            out |= {total, *parts}
        for code, (num, den, __, __) in self.ratios.items():
            out |= {code, num, den}
        for cond in self.conditions:
            out |= cond.columns()
        return out | set(self.peer or ()) | set(self.change or ())

    def text_columns(self) -> set:
        """Columns compared with text in a condition (read as text, not as numbers)."""
        out = set()
        for cond in self.conditions:
            for c, op, v in cond.when + cond.then:
                if isinstance(v, str) or (op in ("in", "not_in") and any(isinstance(e, str) for e in v)):
                    out.add(c)
        return out

    def merge(self, other: Checks) -> Checks:
        """These checks plus ``other``'s (``other`` wins where both set the same key)."""
        lists = lambda a, b: tuple(dict.fromkeys((*a, *b)))  # noqa: E731
        opt = lambda a, b: b if a is None else a if b is None else lists(a, b)  # noqa: E731
        return Checks(
            ranges=MappingProxyType({**self.ranges, **other.ranges}),
            required=lists(self.required, other.required),
            integer=lists(self.integer, other.integer),
            not_above=MappingProxyType({**self.not_above, **other.not_above}),
            sums=MappingProxyType({**self.sums, **other.sums}),
            ratios=MappingProxyType({**self.ratios, **other.ratios}),
            conditions=self.conditions + other.conditions,
            cumulative=lists(self.cumulative, other.cumulative),
            peer=opt(self.peer, other.peer),
            change=opt(self.change, other.change),
            names=MappingProxyType({**self.names, **other.names}),
            allowed=MappingProxyType({**self.allowed, **other.allowed}),
        )


def _num(v) -> bool:
    return (
        isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) and math.isfinite(v)
    )


def _codes(value, key, problems) -> tuple:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        problems.append(
            Problem(_("expected a list of column names; found {value!r}").format(value=value), key=key)
        )
        return ()
    return tuple(value)


def _term(col, spec, key, problems) -> list:
    if not isinstance(col, str):
        problems.append(
            Problem(_("a condition names a column by text; found {col!r}").format(col=col), key=key)
        )
        return []
    if not isinstance(spec, Mapping):
        spec = {"==": spec}
    out = []
    for op, value in spec.items():
        k = f"{key}.{col}.{op}"
        if op not in OPS:
            problems.append(
                Problem(
                    _("unknown operator {op!r}; expected one of {ops}").format(op=op, ops=sorted(set(OPS))),
                    key=k,
                )
            )
            continue
        op = OPS[op]
        if op in ("in", "not_in"):
            ok = isinstance(value, (list, tuple)) and all(_num(v) or isinstance(v, str) for v in value)
        elif op == "between":
            ok = isinstance(value, (list, tuple)) and len(value) == 2 and all(_num(v) for v in value)
        elif op == "missing":
            ok = isinstance(value, bool)
        elif op in ("==", "!="):
            ok = _num(value) or isinstance(value, (str, bool))
        else:
            ok = _num(value)
        if not ok:
            problems.append(
                Problem(
                    _("a value that does not fit operator {op!r}: {value!r}").format(op=op, value=value),
                    key=k,
                )
            )
            continue
        out.append((col, op, tuple(value) if isinstance(value, list) else value))
    return out


def _condition(i, spec, problems) -> Condition | None:
    key = f"conditions[{i}]"
    if (
        not isinstance(spec, Mapping)
        or not isinstance(spec.get("if"), Mapping)
        or not isinstance(spec.get("then"), Mapping)
    ):
        problems.append(
            Problem(_("a condition is a mapping {if: {column: value}, then: {column: value}}"), key=key)
        )
        return None
    extra = set(spec) - {"if", "then", "name", "reason", "reason_zh"}
    if extra:
        problems.append(Problem(_("unknown keys {extra}").format(extra=sorted(extra)), key=key))
    when = [t for c, v in spec["if"].items() for t in _term(c, v, f"{key}.if", problems)]
    then = [t for c, v in spec["then"].items() for t in _term(c, v, f"{key}.then", problems)]
    if not when or not then:
        problems.append(Problem(_("a condition needs at least one term in 'if' and in 'then'"), key=key))
        return None
    return Condition(str(spec.get("name") or f"condition_{i + 1}"), tuple(when), tuple(then),
                     spec.get("reason"), spec.get("reason_zh"))  # fmt: skip


def parse_checks(spec) -> Checks:
    """Validate a checks table given as a mapping, a YAML file path or a :class:`Checks`.

    Raises
    ------
    SpecError
        Listing every problem with its key (e.g. ``sum.members_total[1]``).
    """
    if spec is None:
        return Checks()
    if isinstance(spec, Checks):
        return spec
    file = str(spec) if isinstance(spec, (str, Path)) else None  # named in every error
    if isinstance(spec, (str, Path)):
        from .._yaml import read_yaml

        path = Path(spec)
        spec = read_yaml(path, error=SpecError, what="checks file")
        spec = spec or {}
    if not isinstance(spec, Mapping):
        raise SpecError(
            _("checks must be a mapping (or a YAML file of one); found {type_name}").format(
                type_name=type(spec).__name__
            ),
            file=file,
        )
    problems: list[Problem] = []
    for k in set(spec) - set(KEYS):
        problems.append(
            Problem(_("unknown key {k!r}; expected one of {keys}").format(k=k, keys=list(KEYS)), key=str(k))
        )
    ranges = {}
    for code, r in (spec.get("ranges") or {}).items():
        if isinstance(r, Mapping):
            r = [r.get("min"), r.get("max")]
        if not isinstance(r, (list, tuple)) or len(r) != 2 or not all(v is None or _num(v) for v in r):
            problems.append(
                Problem(
                    _("a range is [min, max] (null for none); found {r!r}").format(r=r), key=f"ranges.{code}"
                )
            )
        elif r[0] is not None and r[1] is not None and r[0] > r[1]:
            problems.append(
                Problem(_("min {low} is above max {high}").format(low=r[0], high=r[1]), key=f"ranges.{code}")
            )
        else:
            ranges[code] = (None if r[0] is None else float(r[0]), None if r[1] is None else float(r[1]))
    not_above = {}
    for code, other in (spec.get("not_above") or {}).items():
        if isinstance(other, str):
            not_above[code] = other
        else:
            problems.append(
                Problem(
                    _("'not_above' maps a column to a column; found {other!r}").format(other=other),
                    key=f"not_above.{code}",
                )
            )
    sums = {}
    for total, parts in (spec.get("sum") or {}).items():
        tol = 0.0
        if isinstance(parts, Mapping):
            tol = parts.get("tol", 0.0)
            parts = parts.get("parts")
            if not _num(tol) or tol < 0:
                problems.append(
                    Problem(
                        _("'tol' must be a non-negative number; found {tol!r}").format(tol=tol),
                        key=f"sum.{total}.tol",
                    )
                )
                tol = 0.0
        parts = _codes(parts, f"sum.{total}", problems)
        if len(parts) >= 1:
            sums[total] = (parts, float(tol))
    ratios = {}
    for code, r in (spec.get("ratio") or {}).items():
        k = f"ratio.{code}"
        if (
            not isinstance(r, Mapping)
            or not isinstance(r.get("num"), str)
            or not isinstance(r.get("den"), str)
        ):
            problems.append(Problem(_("a ratio is {num: column, den: column, scale: 100, tol: 0.05}"), key=k))
            continue
        scale, tol = r.get("scale", 1.0), r.get("tol", 0.0)
        if not (_num(scale) and scale > 0 and _num(tol) and tol >= 0):
            problems.append(
                Problem(
                    _("'scale' must be positive and 'tol' non-negative; found {scale!r}, {tol!r}").format(
                        scale=scale, tol=tol
                    ),
                    key=k,
                )
            )
            continue
        ratios[code] = (r["num"], r["den"], float(scale), float(tol))
    conds = spec.get("conditions") or []
    if not isinstance(conds, list):
        problems.append(Problem(_("'conditions' is a list of {if: ..., then: ...}"), key="conditions"))
        conds = []
    conditions = tuple(
        cd for cd in (_condition(i, c, problems) for i, c in enumerate(conds)) if cd is not None
    )
    names = spec.get("names") or {}
    if not isinstance(names, Mapping):
        problems.append(Problem(_("'names' maps column codes to names"), key="names"))
        names = {}
    out = Checks(
        ranges=MappingProxyType(ranges),
        required=_codes(spec.get("required") or [], "required", problems),
        integer=_codes(spec.get("integer") or [], "integer", problems),
        not_above=MappingProxyType(not_above),
        sums=MappingProxyType(sums),
        ratios=MappingProxyType(ratios),
        conditions=conditions,
        cumulative=_codes(spec.get("cumulative") or [], "cumulative", problems),
        peer=None if spec.get("peer") is None else _codes(spec["peer"], "peer", problems),
        change=None if spec.get("change") is None else _codes(spec["change"], "change", problems),
        names=MappingProxyType({str(k): str(v) for k, v in names.items()}),
    )
    if problems:
        raise SpecError(_("the checks table has problems"), problems=problems, file=file)
    return out
