"""The fields a unit fills in, read from a rubric alone: what each one is and which values it takes.

A collection form has one field per indicator, bonus item, deduction item, veto item (the 0/1
flags; threshold vetoes are read from their indicator) and, for two-score schemes, the other
score: exactly the columns :func:`workbench.score` needs. Each field knows its allowed values (a
numeric range, whole numbers, a list of grades, 是/否) and whether 不涉及 or a blank is allowed, so
the template's data validation and the collector's checks come from one definition.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

from ._labels import form_texts

__all__ = ["Field", "rubric_fields", "fingerprint", "requirement", "YES", "NO"]

YES, NO = "是", "否"


@dataclass(frozen=True)
class Field:
    """One item of a collection form.

    ``kind`` is 'number', 'grade' or 'flag'; ``role`` is 'indicator', 'bonus', 'deduction', 'veto'
    or 'other'. ``lo``/``hi`` bound numbers (None = open), ``whole`` asks for whole numbers,
    ``choices`` lists grades (or 是/否 for flags). ``exempt`` allows 不涉及 (the rubric's ``missing:
    exempt``), ``blank`` gives an empty cell a value (0 for counts, 否 for flags), ``required`` is
    False where the rubric scores a missing value as zero.
    """

    code: str
    name: str
    group: str
    role: str
    kind: str
    unit: str = ""
    lo: float | None = None
    hi: float | None = None
    whole: bool = False
    choices: tuple = ()
    exempt: bool = False
    blank: object = None
    required: bool = True
    evidence: str = ""
    note: str = ""


def _indicator_range(rubric, code: str, checks) -> tuple:
    """(lo, hi, whole) of an indicator's values: the rubric's declared or inferred valid range."""
    node = rubric.nodes[code]
    try:  # the rubric language's own valid ranges (declared, or inferred from unit and kind)
        from ..rubric import valid_range
    except ImportError:  # older rubric module: the ranges the report checks derive from a rubric
        valid_range = None
    if valid_range is not None:
        r = valid_range(node)
        lo, hi, whole = r.lo, r.hi, bool(r.whole)
    else:
        lo, hi = checks.ranges.get(code, (None, None))
        whole = code in checks.integer
    rule = node.rule
    if rule is not None and rule.type == "direct":  # the value is the score: within its full range
        top = {"points": float(rubric.full_marks()[code]), "percent": 100.0}.get(rule.input, 1.0)
        lo, hi = max(lo or 0.0, 0.0), top if hi is None else min(hi, top)
    return lo, hi, whole


def rubric_fields(rubric) -> list[Field]:
    """The fields of a collection form for ``rubric``, in the rubric's order.

    Returns
    -------
    list of Field
        Indicators (in file order), bonus items, deduction items, flag veto items, and the other
        score of a weighted, multiplicative or dual-100 scheme.
    """
    from ..anomalies import checks_from_rubric

    t = form_texts()
    checks = checks_from_rubric(rubric)
    out = []
    for code in rubric.indicators:
        node = rubric.nodes[code]
        top = next(iter(reversed(rubric.ancestors(code))), None)
        group = rubric.nodes[top].name if top else ""
        common = dict(
            code=code,
            name=node.name,
            group=group,
            role="indicator",
            unit=node.unit or "",
            exempt=node.missing == "exempt",
            required=node.missing == "error",
            evidence=node.source or "",
            note=node.description or "",
        )
        if node.rule is not None and not node.rule.numeric:
            out.append(Field(kind="grade", choices=tuple(node.rule.grades()), **common))
        else:
            lo, hi, whole = _indicator_range(rubric, code, checks)
            out.append(Field(kind="number", lo=lo, hi=hi, whole=whole, **common))
    for role, adj in (("bonus", rubric.bonus), ("deduction", rubric.deductions)):
        for it in adj.items:
            out.append(
                Field(it.code, it.name, t[role], role, "number", t["times"], 0.0, None, True, blank=0.0)
            )
    for v in rubric.veto:
        if v.indicator is None:
            out.append(Field(v.code, v.name, t["veto"], "veto", "flag", choices=(YES, NO), blank=NO))
    s = rubric.scheme
    if s.type != "single":
        name = s.other_name or s.other_column
        out.append(Field(s.other_column, name, t["other"], "other", "number", "", 0.0, float(s.other_scale)))
    return out


def fingerprint(rubric) -> str:
    """A short hash of what a form asks for (codes, names, allowed values): equal for forms of the
    same rubric version, different when the rubric's fields change."""
    from .._i18n import use_language

    with use_language("en"):  # the same form in either language has the same version
        fields = rubric_fields(rubric)
    payload = json.dumps([rubric.code, [asdict(f) for f in fields]], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:12]


def _g(x: float) -> str:
    return f"{x:g}"


def requirement(f: Field, texts: dict | None = None) -> str:
    """What to enter in a field, as one short sentence for the form and the problem list."""
    t = texts or form_texts()
    if f.kind == "flag":
        return t["flag"]
    if f.kind == "grade":
        text = t["choose"].format(choices="、".join(f.choices))
    elif f.role in ("bonus", "deduction"):
        return t["count"]
    elif f.whole:
        key = (
            "whole_between"
            if f.hi is not None and f.lo is not None
            else "whole_at_least"
            if f.lo is not None
            else "whole_any"
        )
        text = t[key].format(lo=_g(f.lo or 0), hi=_g(f.hi or 0))
    elif f.lo is not None and f.hi is not None:
        text = t["between"].format(lo=_g(f.lo), hi=_g(f.hi))
    elif f.lo is not None:
        text = t["at_least"].format(lo=_g(f.lo))
    elif f.hi is not None:
        text = t["at_most"].format(hi=_g(f.hi))
    else:
        text = t["any"]
    return text + (t["exempt"] if f.exempt else "")
