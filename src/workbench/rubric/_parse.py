"""Parse and validate the rubric language (YAML) into a :class:`~workbench.rubric.Rubric`.

Validation is lazy: every problem in the file is collected with its key path (and line, when the
YAML gives one) and raised at once. Nothing but :class:`~workbench.errors.RubricError` escapes,
whatever the input (the loader is fuzzed with hypothesis).

This module reads the top level; the parts of a file are read by :mod:`._parse_tree` (blocks,
indicators, weights, rules), :mod:`._parse_adjust` (bonus, deductions, veto), :mod:`._parse_grades`
(grades, categories, scheme) and :mod:`._extras` (plausibility keys), with the checks of single
values and the problem collector in :mod:`._parse_values`.
"""

from __future__ import annotations

import re
from types import MappingProxyType

from ..errors import RubricError
from . import _extras
from ._model import Rubric
from ._parse_adjust import _adjustments, _veto
from ._parse_grades import _categories, _grades, _scheme
from ._parse_tree import _assemble, _walk, _with_rules
from ._parse_values import _code, _Ctx, _number, _text

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
