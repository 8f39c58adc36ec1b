"""COINr-style indicator tables (iMeta) to a :class:`~workbench.rubric.Rubric`."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from ..errors import Problem, RubricError
from ..scoring.rules import MinMax
from ._model import Rubric
from ._parts import Node

REQUIRED = ("iCode", "Parent", "Level", "Direction", "Weight")


def rubric_from_table(imeta, *, code: str = "index", name: str | None = None) -> Rubric:
    file = None
    if isinstance(imeta, (str, Path)):
        file = str(imeta)
        try:
            imeta = pd.read_csv(imeta, keep_default_na=True)
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            raise RubricError(f"cannot read the indicator table: {exc}", file=file) from None
    if not isinstance(imeta, pd.DataFrame):
        raise RubricError(f"an indicator table must be a DataFrame or a CSV path; got {type(imeta).__name__}")
    missing = [c for c in REQUIRED if c not in imeta.columns]
    if missing:
        raise RubricError(
            f"the indicator table lacks columns {missing}; COINr's iMeta has {list(REQUIRED)}",
            file=file,
            column=missing[0],
        )
    table = imeta.copy()
    if "Type" in table.columns:
        table = table[~table["Type"].astype(str).isin(["Group", "Denominator", "Other"])]
    problems = []
    codes = table["iCode"].astype(str).str.strip().tolist()
    rows = {c: i + 2 for i, c in zip(table.index, codes)}
    dup = pd.Series(codes)[pd.Series(codes).duplicated()].unique()
    for c in dup:
        problems.append(Problem(f"duplicate iCode {c!r}", row=rows[c], column="iCode"))
    parents = table["Parent"].where(table["Parent"].notna(), None).tolist()
    known = set(codes)
    roots = [c for c, p in zip(codes, parents) if p is None or (isinstance(p, float) and np.isnan(p))]
    for c, p in zip(codes, parents):
        if p is not None and not (isinstance(p, float) and np.isnan(p)) and str(p) not in known:
            problems.append(Problem(f"parent {p!r} of {c!r} does not exist", row=rows[c], column="Parent"))
    if len(roots) != 1:
        problems.append(
            Problem(
                f"the table must have exactly one row without a Parent (the index); found {roots}",
                column="Parent",
            )
        )
    weights = pd.to_numeric(table["Weight"], errors="coerce").to_numpy()
    directions = pd.to_numeric(table["Direction"], errors="coerce").to_numpy()
    for c, w, d in zip(codes, weights, directions):
        if not np.isfinite(w) or w < 0:
            problems.append(
                Problem(
                    f"weight of {c!r} must be a non-negative number; found {w}", row=rows[c], column="Weight"
                )
            )
        if d not in (1, -1) and c not in roots:
            problems.append(
                Problem(f"direction of {c!r} must be 1 or -1; found {d}", row=rows[c], column="Direction")
            )
    if problems:
        raise RubricError("the indicator table has problems", file=file, problems=problems)
    root = roots[0]
    kids: dict[str, list[str]] = {c: [] for c in codes}
    for c, p in zip(codes, parents):
        if c != root:
            kids[str(p)].append(c)
    get = lambda col, i: table[col].iloc[i] if col in table.columns else None  # noqa: E731
    nodes = {}
    order = []

    def visit(c):
        order.append(c)
        for k in kids[c]:
            visit(k)

    visit(root)
    pos = {c: i for i, c in enumerate(codes)}
    for c in order:
        i = pos[c]
        leaf = not kids[c]
        name_i = get("iName", i)
        unit = get("Unit", i)
        target = get("Target", i)
        den = get("Denominator", i)
        nodes[c] = Node(
            code=c,
            name=str(name_i) if name_i is not None and not pd.isna(name_i) else c,
            parent=None if c == root else str(parents[i]),
            weight=float(weights[i]),
            children=tuple(kids[c]),
            kind="quantitative" if leaf else None,
            direction=int(directions[i]) if leaf else 1,
            rule=MinMax() if leaf else None,
            unit=None if unit is None or pd.isna(unit) else str(unit),
            target=None if target is None or pd.isna(target) else float(target),
            denominator=None if den is None or pd.isna(den) else str(den),
            missing="exempt" if leaf else "error",
        )
    # empty blocks have no indicators under them: a COINr table always has them
    for c in order:
        if not kids[c] and nodes[c].parent is not None and int(table["Level"].iloc[pos[c]]) > 1:
            raise RubricError(f"aggregate {c!r} has no children", file=file, key=c)
    return Rubric(
        code=code,
        name=name or str(nodes[root].name),
        nodes=MappingProxyType(nodes),
        root=root,
        scale=100.0,
        weighting="relative",
        source="COINr-style indicator table" + (f" {file}" if file else ""),
        unit_column="uCode",
        path=file,
    )
