"""Grade bands and quotas, unit categories (分类指导) and two-score schemes (dual-100 and others)."""

from __future__ import annotations

import math
from types import MappingProxyType

from . import _extras
from ._parse_values import MAX_WEIGHT, _number, _text
from ._parts import Categories, Grades, Scheme

SCHEMES = ("single", "weighted", "multiplicative", "dual100")


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
