"""Parse and validate the rubric language (YAML) into a :class:`~workbench.rubric.Rubric`.

Validation is lazy: every problem in the file is collected with its key path (and line, when the
YAML gives one) and raised at once. Nothing but :class:`~workbench.errors.RubricError` escapes,
whatever the input (the loader is fuzzed with hypothesis).
"""

from __future__ import annotations

import difflib
import math
import re
from types import MappingProxyType

from .._text import bad_characters
from ..errors import Problem, RubricError
from ..scoring.rules import RULE_TYPES, parse_rule
from . import _extras
from ._model import (
    MISSING_POLICIES,
    Adjustments,
    Categories,
    Grades,
    Item,
    Node,
    Rubric,
    Scheme,
    Veto,
)

TOP_KEYS = {
    "code",
    "name",
    "source",
    "scale",
    "weighting",
    "blocks",
    "indicators",
    "bonus",
    "deductions",
    "veto",
    "veto_rank",
    "grades",
    "categories",
    "scheme",
    "unit_column",
    "notes",
    "description",
    "meta",
    "example_data",
    "subject",
}
NODE_KEYS = {
    "code",
    "name",
    "weight",
    "blocks",
    "indicators",
    "children",
    "kind",
    "direction",
    "rule",
    "unit",
    "source",
    "burden_hours",
    "missing",
    "denominator",
    "target",
    "description",
    "parent",
    "meta",
    "notes",
    "range",
    "whole",
}
KINDS = ("quantitative", "qualitative", "checklist")
SCHEMES = ("single", "weighted", "multiplicative", "dual100")
CHILD_KEYS = ("blocks", "indicators", "children")
_CODE_RE = re.compile(r"^[^\s.\[\]]+$")
_MAX_DEPTH = 12
MAX_WEIGHT = 1e15  # larger weights overflow when siblings are summed (1e308 + 1e308 = inf)
# Messages added for untrusted files (issue 12), in one place for the gettext catalogue.
MESSAGES = {
    "control": "'{name}' contains control or direction-changing characters ({chars}): {value!r}",
    "control_hint": "delete them; line breaks and tabs are allowed",
    "weight_too_large": "'weight' {w:g} is too large (the limit is {limit:g})",
    "points_negative": "'points' must be positive; found {points:g}",
    "points_hint": (
        "bonus points are added and deduction points subtracted: write the size, e.g. points: 3, "
        "and put the item under 'deductions' if it lowers the score"
    ),
}


class _Ctx:
    """Collects problems; maps key paths to YAML lines."""

    def __init__(self, file: str | None, lines: dict[str, int]):
        self.file, self.lines, self.problems = file, lines, []

    def add(self, key: str, message: str, hint: str | None = None):
        line, k = self.lines.get(key), key
        while line is None and k:  # fall back to the nearest enclosing key that has a line
            k = re.sub(r"(\.[^.\[\]]+|\[\d+\])$", "", k)
            line = self.lines.get(k)
            if not re.search(r"(\.[^.\[\]]+|\[\d+\])$", k):
                break
        text = f"{message} (line {line})" if line else message
        self.problems.append(Problem(text, key=key or "<top>", hint=hint))

    def unknown_keys(self, d: dict, allowed: set, key: str):
        for k in d:
            if k not in allowed:
                guess = difflib.get_close_matches(str(k), sorted(allowed), n=1)
                hint = (
                    f"did you mean '{guess[0]}'?" if guess else f"allowed keys: {', '.join(sorted(allowed))}"
                )
                self.add(f"{key}.{k}" if key else str(k), f"unknown key {k!r}", hint)


def _number(ctx, d, name, key, *, required=False, default=None, minimum=None, positive=False):
    value = d.get(name)
    if value is None:
        value = default
    if value is None:
        if required:
            ctx.add(f"{key}.{name}" if key else name, f"'{name}' is required")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        ctx.add(f"{key}.{name}" if key else name, f"'{name}' must be a finite number; found {value!r}")
        return None
    if positive and value <= 0:
        ctx.add(f"{key}.{name}" if key else name, f"'{name}' must be positive; found {value!r}")
        return None
    if minimum is not None and value < minimum:
        ctx.add(f"{key}.{name}" if key else name, f"'{name}' must be at least {minimum}; found {value!r}")
        return None
    return float(value)


def _text(ctx, d, name, key, *, required=False):
    value = d.get(name)
    if value is None:
        if required:
            ctx.add(f"{key}.{name}" if key else name, f"'{name}' is required")
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        ctx.add(f"{key}.{name}" if key else name, f"'{name}' must be text; found {type(value).__name__}")
        return None
    bad = bad_characters(str(value), allow_newlines=True)
    if bad:  # NUL, ESC, U+202E...: invisible, and they would reach terminals, charts and HTML
        ctx.add(
            f"{key}.{name}" if key else name,
            MESSAGES["control"].format(name=name, chars=", ".join(bad), value=str(value)),
            MESSAGES["control_hint"],
        )
        return None
    return str(value).strip()


def _code(ctx, d, key):
    code = _text(ctx, d, "code", key, required=True)
    if code is not None and not _CODE_RE.match(code):
        ctx.add(f"{key}.code", f"code {code!r} must be non-empty without spaces, dots or brackets")
        return None
    return code


def _yaml_hint(exc) -> str:
    text = f"{exc.problem} {exc.context}"
    if "expected <block end>" in text or "did not find expected key" in text:
        return (
            "a value that starts with a quote must end with it: write name: '\"三会一课\"落实率' "
            "or use Chinese quotes “三会一课”落实率; also check the indentation"
        )
    return "check indentation and that every 'key: value' has a space after the colon"


def parse_rubric_text(text: str, *, file: str | None = None) -> Rubric:
    """Parse rubric-language YAML text (see :func:`workbench.load_rubric`)."""
    from .._yaml import load_yaml

    # one parse, with limits on size, depth and alias expansion; the same node graph gives lines
    data, lines = load_yaml(
        text, file=file, error=RubricError, what="rubric file", lines=True, hint=_yaml_hint
    )
    if not isinstance(data, dict):
        raise RubricError(
            f"a rubric file must be a mapping with 'code', 'name' and 'blocks'; found {type(data).__name__}",
            file=file,
        )
    return parse_rubric_dict(data, file=file, lines=lines)


def parse_rubric_dict(data: dict, *, file: str | None = None, lines: dict | None = None) -> Rubric:
    """Validate a rubric given as plain data (the parsed YAML)."""
    ctx = _Ctx(file, lines or {})
    ctx.unknown_keys(data, TOP_KEYS, "")
    code = _code(ctx, data, "") or "rubric"
    name = _text(ctx, data, "name", "") or code
    weighting = data.get("weighting", "points")
    if weighting not in ("points", "relative"):
        ctx.add("weighting", f"'weighting' must be 'points' or 'relative'; found {weighting!r}")
        weighting = "points"
    scale = _number(ctx, data, "scale", "", positive=True)

    raw_nodes: list[dict] = []  # dicts with code/parent/key/spec, in file order
    if "blocks" not in data and "indicators" not in data:
        ctx.add("blocks", "a rubric needs 'blocks' (nested) or 'indicators' (flat, with 'parent')")
    for top in ("blocks", "indicators"):
        if top in data:
            _walk(ctx, data[top], top, None if top == "blocks" else "__flat__", raw_nodes, 1)

    root = "__root__"
    nodes = _assemble(ctx, raw_nodes, root, code, name, scale, weighting)
    if scale is None:
        scale = nodes[root].weight if weighting == "points" and nodes else 100.0
    nodes = _with_rules(ctx, nodes, root, scale)

    seen = set(nodes)
    bonus = _adjustments(ctx, data.get("bonus"), "bonus", seen)
    deductions = _adjustments(ctx, data.get("deductions"), "deductions", seen)
    grades = _grades(ctx, data.get("grades"))
    veto = _veto(ctx, data.get("veto"), seen, grades, nodes)
    categories = _categories(ctx, data.get("categories"), nodes)
    scheme = _scheme(ctx, data.get("scheme"), grades)
    unit_column = _text(ctx, data, "unit_column", "")
    example_data = _extras.parse_example_data(ctx, data)
    subject = _extras.parse_subject(ctx, data.get("subject"))
    veto_rank = data.get("veto_rank", "last")
    if veto_rank not in ("last", "score"):
        ctx.add(
            "veto_rank",
            f"'veto_rank' must be 'last' (vetoed units rank after all others) or 'score'; found {veto_rank!r}",
        )
        veto_rank = "last"
    if ctx.problems:
        problems = sorted(ctx.problems, key=lambda p: _line_of(p.message))
        raise RubricError(f"rubric {code!r} has problems", file=file, problems=problems)
    return Rubric(
        code=code,
        name=name,
        nodes=MappingProxyType(nodes),
        root=root,
        scale=float(scale),
        weighting=weighting,
        source=_text(ctx, data, "source", ""),
        bonus=bonus,
        deductions=deductions,
        veto=veto,
        grades=grades,
        categories=categories,
        scheme=scheme,
        unit_column=unit_column,
        veto_rank=veto_rank,
        notes=_text(ctx, data, "notes", "") or _text(ctx, data, "description", ""),
        path=file,
        extra=MappingProxyType(dict(data.get("meta") or {}) if isinstance(data.get("meta"), dict) else {}),
        example_data=example_data,
        subject=subject,
    )


def _line_of(message: str) -> int:
    m = re.search(r"\(line (\d+)\)$", message)
    return int(m.group(1)) if m else 0


def _walk(ctx, items, key, parent, out, depth):
    if not isinstance(items, list):
        ctx.add(key, f"'{key.rsplit('.', 1)[-1]}' must be a list of nodes; found {type(items).__name__}")
        return
    if depth > _MAX_DEPTH:
        ctx.add(key, f"the hierarchy is deeper than {_MAX_DEPTH} levels")
        return
    for i, spec in enumerate(items):
        k = f"{key}[{i}]"
        if not isinstance(spec, dict):
            ctx.add(k, f"a node must be a mapping with 'code' and 'name'; found {type(spec).__name__}")
            continue
        ctx.unknown_keys(spec, NODE_KEYS, k)
        code = _code(ctx, spec, k)
        explicit = spec.get("parent")
        if parent == "__flat__":
            if explicit is None:
                ctx.add(f"{k}.parent", "an indicator listed at the top level needs 'parent' (a block code)")
                continue
            node_parent = str(explicit)
        else:
            if explicit is not None and str(explicit) != (parent or "__root__"):
                ctx.add(f"{k}.parent", f"'parent' {explicit!r} contradicts the nesting (inside {parent!r})")
            node_parent = parent
        entry = {"code": code, "parent": node_parent, "key": k, "spec": spec, "kids": []}
        out.append(entry)
        kid_keys = [c for c in CHILD_KEYS if c in spec]
        if len(kid_keys) > 1:
            ctx.add(k, f"use one of {', '.join(CHILD_KEYS)} for a node's children, not {kid_keys}")
        for ck in kid_keys[:1]:
            if code is not None:
                _walk(ctx, spec[ck], f"{k}.{ck}", code, out, depth + 1)


def _assemble(ctx, raw, root, code, name, scale, weighting) -> dict:
    by_code: dict[str, dict] = {}
    for entry in raw:
        c = entry["code"]
        if c is None:
            continue
        if c in by_code:
            ctx.add(f"{entry['key']}.code", f"duplicate code {c!r} (first at {by_code[c]['key']})")
            continue
        if c == root:
            ctx.add(f"{entry['key']}.code", f"code {c!r} is reserved")
            continue
        by_code[c] = entry
    for c, entry in by_code.items():
        p = entry["parent"]
        if p is not None and p not in by_code:
            ctx.add(
                f"{entry['key']}.parent",
                f"parent {p!r} of {c!r} does not exist",
                "define the block before referring to it, or fix the code",
            )
            entry["orphan"] = True
    # cycles (only possible in the flat form)
    for c, entry in by_code.items():
        seen, p = {c}, entry["parent"]
        while p is not None and p in by_code:
            if p in seen:
                ctx.add(f"{entry['key']}.parent", f"{c!r} is its own ancestor (a cycle through {p!r})")
                entry["orphan"] = True
                break
            seen.add(p)
            p = by_code[p]["parent"]
    for c, entry in by_code.items():
        p = entry["parent"]
        if not entry.get("orphan") and p is not None and p in by_code:
            by_code[p]["kids"].append(c)
    top = [c for c, e in by_code.items() if e["parent"] is None]

    nodes = {root: Node(code=root, name=name, parent=None, weight=scale or 0.0, children=tuple(top))}
    ordered: list[str] = []

    def order(codes, depth):
        for c in codes:
            if depth > 2 * _MAX_DEPTH:
                return
            ordered.append(c)
            order(by_code[c]["kids"], depth + 1)

    order(top, 0)
    weights: dict[str, float | None] = {}
    for c in ordered:
        e = by_code[c]
        w = e["spec"].get("weight")
        if w is None:
            weights[c] = None
        elif isinstance(w, bool) or not isinstance(w, (int, float)) or not math.isfinite(w):
            ctx.add(f"{e['key']}.weight", f"'weight' must be a number; found {w!r}")
            weights[c] = 0.0
        elif w < 0:
            ctx.add(f"{e['key']}.weight", f"'weight' must not be negative; found {w!r}")
            weights[c] = 0.0
        elif w > MAX_WEIGHT:  # sums of such weights overflow to inf and every share becomes 0
            ctx.add(f"{e['key']}.weight", MESSAGES["weight_too_large"].format(w=w, limit=MAX_WEIGHT))
            weights[c] = 0.0
        else:
            weights[c] = float(w)
    # Fill missing weights: points mode infers a block's points from its children and gives an
    # only child its parent's points; relative mode uses 1.
    unweighted = set()
    for c in reversed(ordered):
        if weights[c] is None:
            kids = by_code[c]["kids"]
            if weighting == "points" and kids and all(weights[k] is not None for k in kids):
                weights[c] = sum(weights[k] for k in kids)
            elif weighting == "relative":
                weights[c] = 1.0
            else:
                unweighted.add(c)
    for c in ordered:
        p = by_code[c]["parent"]
        if c in unweighted:
            siblings = by_code[p]["kids"] if p in by_code else top
            parent_w = weights.get(p) if p in by_code else scale
            if len(siblings) == 1 and parent_w is not None:
                weights[c] = parent_w
                unweighted.discard(c)
            else:
                ctx.add(f"{by_code[c]['key']}.weight", "'weight' is required (points of this node)")
                weights[c] = 0.0
    root_weight = scale if scale is not None else sum(weights[c] for c in top)
    for parent, kids, key, label in [(root, top, "blocks", "the rubric scale")] + [
        (c, by_code[c]["kids"], by_code[c]["key"], f"{c!r}") for c in ordered if by_code[c]["kids"]
    ]:
        total = sum(weights[k] for k in kids)
        if any(k in unweighted for k in kids):
            continue  # already reported: a missing weight
        if kids and total <= 0:
            ctx.add(
                key,
                f"the weights of the children of {label} are all zero",
                "give at least one child a positive weight",
            )
        elif weighting == "points" and kids:
            expected = root_weight if parent == root else weights[parent]
            if expected is not None and abs(total - expected) > 1e-6 * max(1.0, abs(expected)):
                ctx.add(
                    key,
                    f"the children of {label} sum to {total:g} points but {label} has {expected:g}",
                    "fix the points, or set 'weighting: relative' to normalise within each parent",
                )
    nodes[root] = Node(
        code=root, name=name, parent=None, weight=float(root_weight or 0.0), children=tuple(top)
    )
    for c in ordered:
        e = by_code[c]
        spec = e["spec"]
        nodes[c] = Node(
            code=c,
            name=_text(ctx, spec, "name", e["key"], required=True) or c,
            parent=e["parent"] or root,
            weight=weights[c],
            children=tuple(e["kids"]),
        )
        declared = any(k in spec for k in CHILD_KEYS)
        if declared and not e["kids"]:
            if all(isinstance(spec.get(k), list) and not spec.get(k) for k in CHILD_KEYS if k in spec):
                ctx.add(e["key"], f"block {c!r} has an empty list of children")
            nodes[c] = _block_fields(ctx, nodes[c], spec, e["key"])  # children dropped: already reported
        elif e["kids"]:
            nodes[c] = _block_fields(ctx, nodes[c], spec, e["key"])
        else:
            nodes[c] = _leaf_fields(ctx, nodes[c], spec, e["key"])
    return nodes


def _block_fields(ctx, node, spec, key):
    for k in ("rule", "kind"):
        if k in spec:
            ctx.add(f"{key}.{k}", f"{node.code!r} has children, so it is a block and cannot have '{k}'")
    return node


def _leaf_fields(ctx, node, spec, key):
    from dataclasses import replace

    kind = spec.get("kind")
    rule = spec.get("rule")
    if kind is None:
        kind = "qualitative" if isinstance(rule, dict) and rule.get("type") == "grade_map" else "quantitative"
    if kind not in KINDS:
        ctx.add(f"{key}.kind", f"unknown indicator kind {kind!r}; expected one of {', '.join(KINDS)}")
        kind = "quantitative"
    direction = spec.get("direction", 1)
    if direction not in (1, -1) or isinstance(direction, bool):
        ctx.add(f"{key}.direction", f"'direction' must be 1 (higher is better) or -1; found {direction!r}")
        direction = 1
    missing = spec.get("missing", "error")
    if missing not in MISSING_POLICIES:
        ctx.add(
            f"{key}.missing", f"'missing' must be one of {', '.join(MISSING_POLICIES)}; found {missing!r}"
        )
        missing = "error"
    if rule is None:
        ctx.add(
            f"{key}.rule",
            f"indicator {node.code!r} needs a scoring 'rule' (one of {', '.join(sorted(RULE_TYPES))})",
        )
    burden = _number(ctx, spec, "burden_hours", key, minimum=0)
    target = _number(ctx, spec, "target", key)
    declared, whole = _extras.parse_range(ctx, spec, key)
    return replace(
        node,
        kind=kind,
        direction=int(direction),
        unit=_text(ctx, spec, "unit", key),
        source=_text(ctx, spec, "source", key),
        burden_hours=burden,
        missing=missing,
        denominator=_text(ctx, spec, "denominator", key),
        target=target,
        description=_text(ctx, spec, "description", key),
        meta=MappingProxyType({"_rule_spec": rule, "_key": key}),
        valid_range=declared,
        whole=whole,
    )


def _with_rules(ctx, nodes, root, scale):
    from dataclasses import replace

    from ._model import Rubric

    tmp = Rubric(
        code="tmp", name="tmp", nodes=MappingProxyType(nodes), root=root, scale=float(scale or 100.0)
    )
    try:
        full = tmp.full_marks().to_dict()  # a dict: 100,000 Series lookups would cost seconds
    except (ZeroDivisionError, ValueError, KeyError):
        full = None
    out = {}
    for c, n in nodes.items():
        if n.is_indicator and n.meta.get("_rule_spec") is not None:
            key = n.meta["_key"]
            fm = float(full[c]) if full is not None else 1.0
            rule, problems = parse_rule(n.meta["_rule_spec"], f"{key}.rule", n.kind, fm, n.direction)
            for k, msg, hint in problems:
                ctx.add(k, msg, hint)
            _extras.check_rule_max(ctx, key, rule, fm)
            n = replace(n, rule=rule, meta=MappingProxyType({}))
        elif n.is_indicator:
            n = replace(n, meta=MappingProxyType({}))
        out[c] = n
    return out


def _adjustments(ctx, spec, key, seen) -> Adjustments:
    if spec is None:
        return Adjustments()
    if not isinstance(spec, dict):
        ctx.add(key, f"'{key}' must be a mapping with 'cap' and 'items'")
        return Adjustments()
    ctx.unknown_keys(spec, {"cap", "items", "stacking", "notes"}, key)
    cap = _number(ctx, spec, "cap", key, minimum=0)
    stacking = spec.get("stacking", "sum")
    if stacking not in ("sum", "highest"):
        ctx.add(f"{key}.stacking", f"'stacking' must be 'sum' or 'highest'; found {stacking!r}")
    items = []
    raw = spec.get("items", [])
    if not isinstance(raw, list):
        ctx.add(f"{key}.items", "'items' must be a list")
        raw = []
    for i, it in enumerate(raw):
        k = f"{key}.items[{i}]"
        if not isinstance(it, dict):
            ctx.add(k, "an item must be a mapping with 'code', 'name' and 'points'")
            continue
        ctx.unknown_keys(it, {"code", "name", "points", "cap", "notes", "source"}, k)
        code = _code(ctx, it, k)
        points = _number(ctx, it, "points", k, required=True)
        item_cap = _number(ctx, it, "cap", k, minimum=0)
        if points is not None and points == 0:
            ctx.add(f"{k}.points", "'points' must not be zero")
        elif points is not None and points < 0:  # the sign comes from the section, never flipped
            ctx.add(
                f"{k}.points",
                MESSAGES["points_negative"].format(points=points),
                MESSAGES["points_hint"],
            )
        if code is not None:
            if code in seen:
                ctx.add(f"{k}.code", f"duplicate code {code!r}")
            seen.add(code)
            items.append(Item(code, _text(ctx, it, "name", k) or code, abs(points or 0.0), item_cap))
    return Adjustments(
        items=tuple(items), cap=cap, stacking=stacking if stacking in ("sum", "highest") else "sum"
    )


def _grades(ctx, spec) -> Grades:
    if spec is None:
        return Grades()
    if not isinstance(spec, dict):
        ctx.add("grades", "'grades' must be a mapping with 'bands' and optionally 'quota'")
        return Grades()
    ctx.unknown_keys(spec, {"bands", "quota", "ties", "rounding", "scope", "notes"}, "grades")
    bands = spec.get("bands")
    out = []
    if not isinstance(bands, dict) or not bands:
        ctx.add(
            "grades.bands",
            "'bands' must map grade names to lower bounds, e.g. {优秀: 90, 良好: 80, 一般: 60, 较差: 0}",
        )
    else:
        prev = math.inf
        for g, b in bands.items():
            if isinstance(b, bool) or not isinstance(b, (int, float)) or not math.isfinite(b):
                ctx.add(f"grades.bands.{g}", f"the lower bound of {g!r} must be a number; found {b!r}")
                continue
            if b >= prev:
                ctx.add(
                    f"grades.bands.{g}",
                    f"bands must be listed best first with falling bounds; {g!r} has {b:g} after {prev:g}",
                )
            prev = b
            out.append((str(g), float(b)))
        if out and out[-1][1] > 0:
            ctx.add(
                "grades.bands",
                f"the lowest band {out[-1][0]!r} starts at {out[-1][1]:g}, so lower scores get no grade",
                f"make the lowest band start at 0, e.g. {out[-1][0]}: 0, or add one such as 较差: 0",
            )
    names = [g for g, _ in out]
    quota = {}
    raw = spec.get("quota") or {}
    if not isinstance(raw, dict):
        ctx.add("grades.quota", "'quota' must map grade names to shares, e.g. {优秀: 0.2}")
        raw = {}
    for g, q in raw.items():
        if g not in names:
            ctx.add(f"grades.quota.{g}", f"quota for unknown grade {g!r}; grades are {names}")
        elif isinstance(q, bool) or not isinstance(q, (int, float)) or not 0 < q <= 1:
            hint = f"write {q / 100:g} for {q:g}%" if isinstance(q, (int, float)) and 1 < q <= 100 else None
            ctx.add(f"grades.quota.{g}", f"a quota is a share in (0, 1]; found {q!r}", hint)
        else:
            quota[g] = float(q)
    if sum(quota.values()) > 1 + 1e-9:
        ctx.add("grades.quota", f"quotas add up to {sum(quota.values()):.0%}, over 100% of units")
    ties = spec.get("ties", "exclude")
    if ties not in ("exclude", "include"):
        ctx.add("grades.ties", f"'ties' must be 'exclude' or 'include'; found {ties!r}")
    rounding = spec.get("rounding", "floor")
    if rounding not in ("floor", "round", "ceil"):
        ctx.add("grades.rounding", f"'rounding' must be floor, round or ceil; found {rounding!r}")
    scope = spec.get("scope", "all")
    if scope not in ("all", "category"):
        ctx.add("grades.scope", f"'scope' must be 'all' or 'category'; found {scope!r}")
    return Grades(bands=tuple(out), quota=MappingProxyType(quota), ties=ties, rounding=rounding, scope=scope)


def _veto(ctx, spec, seen, grades, nodes) -> tuple:
    if spec is None:
        return ()
    if not isinstance(spec, list):
        ctx.add("veto", "'veto' must be a list of items with 'code' and 'name'")
        return ()
    out = []
    for i, it in enumerate(spec):
        k = f"veto[{i}]"
        if not isinstance(it, dict):
            ctx.add(k, "a veto item must be a mapping with 'code' and 'name'")
            continue
        ctx.unknown_keys(
            it, {"code", "name", "effect", "cap_grade", "notes", "source", "indicator", "below", "above"}, k
        )
        code = _code(ctx, it, k)
        cap_grade = it.get("cap_grade")
        effect = it.get("effect", "cap" if cap_grade is not None else "lowest")
        if effect not in ("lowest", "cap"):
            ctx.add(f"{k}.effect", f"'effect' must be 'lowest' or 'cap'; found {effect!r}")
        if effect == "cap" and str(cap_grade) not in grades.names:
            ctx.add(
                f"{k}.cap_grade", f"'cap_grade' must be one of the grades {grades.names}; found {cap_grade!r}"
            )
        if not grades.bands:
            ctx.add(k, "veto items need grade bands ('grades.bands') to act on")
        indicator = _text(ctx, it, "indicator", k)
        below, above = _number(ctx, it, "below", k), _number(ctx, it, "above", k)
        if indicator is not None:
            node = nodes.get(indicator)
            if node is None or not node.is_indicator:
                ctx.add(
                    f"{k}.indicator",
                    f"'indicator' must name an indicator of this rubric; found {indicator!r}",
                )
            elif node.rule is not None and not node.rule.numeric:
                ctx.add(
                    f"{k}.indicator",
                    f"a threshold veto needs a numeric indicator; {indicator!r} is qualitative",
                )
            if (below is None) == (above is None):
                ctx.add(k, "a threshold veto needs exactly one of 'below' or 'above'")
        elif below is not None or above is not None:
            ctx.add(k, "'below'/'above' need 'indicator' (the indicator whose value triggers the veto)")
        if code is not None:
            if code in seen:
                ctx.add(f"{k}.code", f"duplicate code {code!r}")
            seen.add(code)
            out.append(
                Veto(
                    code,
                    _text(ctx, it, "name", k) or code,
                    effect,
                    None if cap_grade is None else str(cap_grade),
                    indicator,
                    below,
                    above,
                )
            )
    return tuple(out)


def _categories(ctx, spec, nodes) -> Categories | None:
    if spec is None:
        return None
    if not isinstance(spec, dict):
        ctx.add("categories", "'categories' must be a mapping with 'column'")
        return None
    ctx.unknown_keys(spec, {"column", "groups", "rank_within", "names", "notes"}, "categories")
    column = _text(ctx, spec, "column", "categories", required=True)
    groups = spec.get("groups") or {}
    weights = {}
    if not isinstance(groups, dict):
        ctx.add("categories.groups", "'groups' must map category names to {weights: {code: weight}}")
        groups = {}
    for g, gs in groups.items():
        k = f"categories.groups.{g}"
        w = gs.get("weights") if isinstance(gs, dict) else None
        if not isinstance(w, dict):
            ctx.add(k, "each group needs 'weights': {code: relative weight within its parent}")
            continue
        good = {}
        for c, v in w.items():
            if c not in nodes or c == "__root__":
                ctx.add(f"{k}.weights.{c}", f"unknown code {c!r}")
            elif isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= MAX_WEIGHT:
                ctx.add(f"{k}.weights.{c}", f"a weight must be a number in 0..{MAX_WEIGHT:g}; found {v!r}")
            else:
                good[c] = float(v)
        weights[str(g)] = MappingProxyType(good)
    rank_within = spec.get("rank_within", True)
    if not isinstance(rank_within, bool):
        ctx.add("categories.rank_within", "'rank_within' must be true or false")
        rank_within = True
    names = _extras.parse_category_names(ctx, spec, groups)
    return Categories(
        column=column or "category",
        weights=MappingProxyType(weights),
        rank_within=rank_within,
        names=names,
    )


def _scheme(ctx, spec, grades) -> Scheme:
    if spec is None:
        return Scheme()
    if not isinstance(spec, dict):
        ctx.add("scheme", "'scheme' must be a mapping with 'type'")
        return Scheme()
    ctx.unknown_keys(spec, {"type", "other", "party_weight", "matrix", "notes"}, "scheme")
    stype = spec.get("type", "single")
    if stype not in SCHEMES:
        ctx.add("scheme.type", f"unknown scheme type {stype!r}; expected one of {', '.join(SCHEMES)}")
        return Scheme()
    if stype == "single":
        return Scheme()
    other = spec.get("other")
    if not isinstance(other, dict):
        ctx.add("scheme.other", f"scheme {stype!r} needs 'other': {{column: ..., name: ..., scale: 100}}")
        other = {}
    column = _text(ctx, other, "column", "scheme.other", required=True)
    other_scale = _number(ctx, other, "scale", "scheme.other", default=100.0, positive=True) or 100.0
    pw = None
    matrix = None
    if stype == "weighted":
        pw = _number(ctx, spec, "party_weight", "scheme", required=True)
        if pw is not None and not 0 <= pw <= 1:
            ctx.add("scheme.party_weight", f"'party_weight' is a share in [0, 1]; found {pw:g}")
    if stype in ("dual100", "multiplicative", "weighted") and not grades.bands and stype == "dual100":
        ctx.add("scheme", "a dual100 scheme needs grade bands ('grades.bands')")
    if stype == "dual100":
        names = grades.names
        raw = spec.get("matrix")
        if raw is None:
            # default: the final grade is the worse of the two (the short board decides)
            matrix = {a: {b: names[max(i, j)] for j, b in enumerate(names)} for i, a in enumerate(names)}
        elif not isinstance(raw, dict):
            ctx.add(
                "scheme.matrix", "'matrix' must map each party-building grade to {other grade: final grade}"
            )
        else:
            matrix = {}
            for a, row in raw.items():
                if a not in names or not isinstance(row, dict):
                    ctx.add(f"scheme.matrix.{a}", f"rows must be grades {names} mapping to {{grade: grade}}")
                    continue
                for b, g in row.items():
                    if b not in names or g not in names:
                        ctx.add(
                            f"scheme.matrix.{a}.{b}",
                            f"matrix entries must be grades {names}; found {b!r}: {g!r}",
                        )
                matrix[a] = dict(row)
            for a in names:
                if a not in matrix or set(matrix[a]) != set(names):
                    ctx.add(
                        "scheme.matrix",
                        f"the matrix must give a final grade for every pair of grades; row {a!r} is incomplete",
                    )
                    break
    return Scheme(
        type=stype,
        other_column=column,
        other_name=_text(ctx, other, "name", "scheme.other") or column,
        other_scale=other_scale,
        party_weight=pw,
        matrix=None
        if matrix is None
        else MappingProxyType({a: MappingProxyType(r) for a, r in matrix.items()}),
    )
