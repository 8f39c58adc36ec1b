"""Write a :class:`~workbench.rubric.Rubric` back in the rubric-file language (nested form)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._extras import Subject

if TYPE_CHECKING:  # the model imports this module on use (Rubric.to_dict)
    from ._model import Rubric


def rubric_yaml(rubric: Rubric) -> str:
    """The rubric file text that :func:`workbench.save_rubric` writes (``load_rubric`` reads it back)."""
    import yaml

    text = yaml.safe_dump(rubric.to_dict(), allow_unicode=True, sort_keys=False, width=100)
    # a comment is one line: a name with a line break must not end it and start YAML
    title = " ".join(str(rubric.name).split())
    return f"# {title}\n# written by workbench.save_rubric\n" + text


def rubric_to_dict(rubric: Rubric) -> dict:
    """The rubric in the rubric-file language, nested (inverse of :func:`parse_rubric_dict`)."""
    full = rubric.full_marks()

    def node_dict(code):
        n = rubric.nodes[code]
        d = {"code": code, "name": n.name, "weight": _round(n.weight)}
        if n.children:
            key = "indicators" if all(rubric.nodes[k].is_indicator for k in n.children) else "blocks"
            d[key] = [node_dict(k) for k in n.children]
            return d
        d["kind"] = n.kind
        if n.direction != 1:
            d["direction"] = n.direction
        for k in ("unit", "source", "burden_hours", "denominator", "target", "description"):
            v = getattr(n, k)
            if v is not None:
                d[k] = v
        if n.missing != "error":
            d["missing"] = n.missing
        if n.valid_range is not None:
            d["range"] = list(n.valid_range)
        if n.whole is not None:
            d["whole"] = n.whole
        if n.rule is not None:
            d["rule"] = n.rule.to_dict(float(full[code]))
        return d

    out: dict = {"code": rubric.code, "name": rubric.name}
    if rubric.source:
        out["source"] = rubric.source
    out["scale"] = _round(rubric.scale)
    out["weighting"] = rubric.weighting
    if rubric.unit_column:
        out["unit_column"] = rubric.unit_column
    if rubric.example_data:
        out["example_data"] = rubric.example_data
    if rubric.subject != Subject():
        out["subject"] = {k: getattr(rubric.subject, k) for k in ("kind", "name", "counter", "name_en")}
    if rubric.veto_rank != "last":
        out["veto_rank"] = rubric.veto_rank
    if rubric.notes:
        out["notes"] = rubric.notes
    out["blocks"] = [node_dict(c) for c in rubric.top_blocks]
    for name, adj in (("bonus", rubric.bonus), ("deductions", rubric.deductions)):
        if adj.items or adj.cap is not None:
            d = {"cap": adj.cap, "stacking": adj.stacking, "items": []}
            for it in adj.items:
                item = {"code": it.code, "name": it.name, "points": it.points}
                if it.cap is not None:
                    item["cap"] = it.cap
                d["items"].append(item)
            out[name] = d
    if rubric.veto:
        out["veto"] = [
            {
                "code": v.code,
                "name": v.name,
                "effect": v.effect,
                **({"cap_grade": v.cap_grade} if v.cap_grade else {}),
                **({"indicator": v.indicator} if v.indicator else {}),
                **({"below": v.below} if v.below is not None else {}),
                **({"above": v.above} if v.above is not None else {}),
            }
            for v in rubric.veto
        ]
    g = rubric.grades
    if g.bands:
        out["grades"] = {"bands": dict(g.bands), "ties": g.ties, "rounding": g.rounding, "scope": g.scope}
        if g.quota:
            out["grades"]["quota"] = dict(g.quota)
    if rubric.categories is not None:
        c = rubric.categories
        out["categories"] = {
            "column": c.column,
            "rank_within": c.rank_within,
            **({"names": list(c.names)} if c.names else {}),
            "groups": {k: {"weights": dict(v)} for k, v in c.weights.items()},
        }
    s = rubric.scheme
    if s.type != "single":
        sd = {
            "type": s.type,
            "other": {"column": s.other_column, "name": s.other_name, "scale": s.other_scale},
        }
        if s.party_weight is not None:
            sd["party_weight"] = s.party_weight
        if s.matrix is not None:
            sd["matrix"] = {a: dict(r) for a, r in s.matrix.items()}
        out["scheme"] = sd
    if rubric.extra:
        out["meta"] = dict(rubric.extra)
    return out


def _round(x):
    if x is None:
        return None
    r = round(float(x), 6)
    return int(r) if r == int(r) else r
