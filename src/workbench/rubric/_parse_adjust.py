"""Bonus (加分) and deduction (扣分) items with their caps, and one-vote veto items (一票否决)."""

from __future__ import annotations

from ._parse_values import _code, _number, _text
from ._parts import Adjustments, Item, Veto

# Messages added for untrusted files (issue 12), in one place for the gettext catalogue.
MESSAGES = {
    "points_negative": "'points' must be positive; found {points:g}",
    "points_hint": (
        "bonus points are added and deduction points subtracted: write the size, e.g. points: 3, "
        "and put the item under 'deductions' if it lowers the score"
    ),
}


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
