"""The tree of a rubric file: blocks and indicators, their weights and their scoring rules.

Nested (``blocks`` / ``indicators`` / ``children``) and flat (``indicators`` with ``parent``)
forms are walked into one list, assembled into :class:`~workbench.rubric.Node` objects in file
order (missing weights inferred where the file allows it, points checked against their parents),
and each indicator's rule is parsed against its full marks.
"""

from __future__ import annotations

import math
from types import MappingProxyType

from ..scoring.rules import RULE_TYPES, parse_rule
from . import _extras
from ._model import Rubric
from ._parse_values import MAX_WEIGHT, _code, _number, _text
from ._parts import MISSING_POLICIES, Node

__all__ = ["NODE_KEYS", "KINDS", "CHILD_KEYS"]

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
CHILD_KEYS = ("blocks", "indicators", "children")
_MAX_DEPTH = 12
# Messages added for untrusted files (issue 12), in one place for the gettext catalogue.
MESSAGES = {
    "weight_too_large": "'weight' {w:g} is too large (the limit is {limit:g})",
}


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
