"""Editing a rubric's structure: drop items (and blocks left empty), or merge an item into another."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from types import MappingProxyType

from ..errors import RubricError

__all__ = ["remove_items"]


def remove_items(
    rubric, codes: Iterable[str], *, into: Mapping[str, str] | None = None, note: str | None = None
):
    """A new rubric without the indicators ``codes``.

    Parameters
    ----------
    rubric : Rubric
    codes : iterable of str
        Indicator codes to drop. Blocks left without children are dropped too.
    into : mapping dropped code -> kept code, optional
        Merges: the dropped item's weight (and its category overrides) is added to the kept item's
        before renormalising. Otherwise a dropped item's weight goes to its siblings in proportion
        to their weights (renormalised within the parent).
    note : str, optional
        A line appended to the rubric's notes (provenance of the edit).

    Returns
    -------
    Rubric
        In points mode the weights are rescaled so children sum to their parent again (the file
        :func:`workbench.save_rubric` writes is consistent); rules keep their shares of full marks,
        so a rule written in points is written back in the new points.

    Raises
    ------
    RubricError
        Unknown codes, codes that are blocks, a merge target that is dropped too, or dropping every item.
    """
    codes = list(dict.fromkeys(codes))
    into = dict(into or {})
    bad = [c for c in codes if c not in rubric.nodes or not rubric.nodes[c].is_indicator]
    if bad:
        raise RubricError(
            f"only indicators of rubric {rubric.code!r} can be removed; {bad} are not indicators",
            key="remove",
            hint=f"choose among {rubric.indicators[:10]}...",
        )
    held = sorted({v.indicator for v in rubric.veto if getattr(v, "indicator", None)} & set(codes))
    if held:
        raise RubricError(
            f"{held} trigger a one-vote veto by threshold, so they cannot be removed",
            key="remove",
            hint="keep them, or change the veto to a flag column first",
        )
    if len(codes) >= len(rubric.indicators):
        raise RubricError(
            f"removing {len(codes)} items would leave rubric {rubric.code!r} empty", key="remove"
        )
    wrong = {d: k for d, k in into.items() if d not in codes or k in codes or k not in rubric.nodes}
    if wrong:
        raise RubricError(f"merges must map a removed item to a kept item; found {wrong}", key="into")
    gone = set(codes)
    nodes = dict(rubric.nodes)
    orig = {c: float(n.weight) for c, n in nodes.items()}
    merged = dict(orig)
    for d, k in into.items():
        merged[k] += merged[d]
    for code in reversed(list(nodes)):  # children before parents: empty blocks cascade upwards
        n = nodes[code]
        if n.children:
            kids = tuple(k for k in n.children if k not in gone)
            if not kids and code != rubric.root:
                gone.add(code)
            nodes[code] = replace(n, children=kids)
    for c in gone:
        nodes.pop(c, None)
    weight = dict(merged)
    if rubric.weighting == "points":
        weight[rubric.root] = rubric.scale
        for code, n in nodes.items():  # parents first: a rescaled block passes its points down
            if n.children:
                total = sum(weight[k] for k in n.children)
                for k in n.children:
                    weight[k] = weight[k] * weight[code] / total if total > 0 else 0.0
    # siblings are rescaled by one common factor; category overrides follow it so their ratios
    # to the file weights they are mixed with stay the same
    factor = {c: (weight[c] / merged[c] if merged[c] > 0 else 1.0) for c in nodes}
    nodes = {c: replace(n, weight=weight[c] if c != rubric.root else n.weight) for c, n in nodes.items()}
    categories = rubric.categories
    if categories is not None:
        groups = {}
        for label, over in categories.weights.items():
            over = dict(over)
            for d, k in into.items():
                if d in over or k in over:
                    over[k] = over.get(k, orig[k]) + over.get(d, orig[d])
            groups[label] = MappingProxyType({c: w * factor[c] for c, w in over.items() if c not in gone})
        categories = replace(categories, weights=MappingProxyType(groups))
    notes = rubric.notes
    if note:
        notes = f"{notes.rstrip()}\n{note}" if notes else note
    return replace(rubric, nodes=MappingProxyType(nodes), categories=categories, notes=notes, path=None)
