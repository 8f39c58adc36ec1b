"""Institutions from rubrics: tasks, weights, noise, bands, quotas and veto items of a rubric file."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..errors import RubricError, SpecError
from ..scoring.kernel import full_marks
from ..scoring.program import compile_rubric
from ._institution import Institution, VetoRisk

__all__ = [
    "institution_from_rubric",
    "default_tasks",
    "expand_codes",
    "DEFAULT_NOISE",
    "OTHER",
    "BONUS",
    "DEDUCTION",
]

OTHER, BONUS, DEDUCTION = "@other", "@bonus", "@deduction"
# SD of an item's measured score, in points on that item's 100-point scale. Qualitative items
# (democratic ratings, 民主测评) carry noise about as large as the true spread (domain.md: a single
# rater agrees with another at about 0.52), records and counts much less.
DEFAULT_NOISE = {
    "quantitative": 3.0,
    "checklist": 3.0,
    "qualitative": 12.0,
    "other": 3.0,
    "bonus": 0.0,
    "deduction": 0.0,
}


def expand_codes(rubric, codes: Sequence[str], task: str) -> list[str]:
    """Indicators under ``codes`` (indicator or block codes), in rubric order."""
    unknown = [c for c in codes if c not in rubric.nodes]
    if unknown:
        raise RubricError(
            f"task {task!r} names codes that are not in rubric {rubric.code!r}: {unknown}", key=task
        )
    wanted = set(codes)
    return [c for c in rubric.indicators if c in wanted or wanted.intersection(rubric.ancestors(c))]


def default_tasks(rubric) -> dict[str, list[str]]:
    """Default tasks of a rubric: ``econ`` (the scheme's other score, if any), ``party`` (items
    whose source is not 台账) and ``paper`` (items kept in ledgers, 台账: the paper trail)."""
    out = {}
    if rubric.scheme.type != "single":
        out["econ"] = [OTHER]
    party = [c for c in rubric.indicators if rubric.nodes[c].source != "台账"]
    paper = [c for c in rubric.indicators if rubric.nodes[c].source == "台账"]
    if party:
        out["party"] = party
    if paper:
        out["paper"] = paper
    return out


def institution_from_rubric(
    rubric,
    rewards=None,
    noise=None,
    *,
    tasks: Mapping[str, Sequence[str]] | None = None,
    veto_hazard: Mapping | None = None,
    per_point: float = 0.0,
    ceiling: Mapping[str, float] | str | None = "full",
    name: str | None = None,
) -> Institution:
    """The institution a rubric describes: its scheme, bands, quota and veto items.

    Parameters
    ----------
    rubric : Rubric
    rewards : mapping grade -> reward, or sequence best first, optional  default 1 ... 0, evenly
    noise : mapping kind -> SD, optional
        SD of each item's measured score in points on its own 100-point scale, by kind
        ('quantitative', 'qualitative', 'checklist'; 'other' for the other score, 'bonus', 'deduction'); missing
        kinds take :data:`DEFAULT_NOISE`. A task's noise combines its items' (independent) noise
        with their weights.
    tasks : mapping task -> codes, optional  default :func:`default_tasks`; every indicator must be
        in exactly one task; ``'@other'`` is the other score, ``'@bonus'`` the capped bonus points
        (its ceiling is the bonus cap), ``'@deduction'`` minus the deduction points (a unit's base is
        minus its expected deductions, at most the deduction cap; effort brings it towards the
        ceiling 0)
    veto_hazard : mapping, optional  ``{'p0', 'scale', 'loss'}`` for every veto item, or
        ``{veto code: {...}}`` per item
    per_point : float, default=0  reward per point of the final score
    ceiling : 'full', mapping task -> score ceiling, or None, default='full'
        Scores cannot pass full marks: with 'full' every task's score is compressed below 100 (and
        a bonus task below the bonus cap), so effort earns less as a score nears full marks; a
        mapping sets (or with None removes) the ceiling of some tasks; None: no ceilings.
    name : str, optional

    Returns
    -------
    Institution
    """
    mapping = default_tasks(rubric) if tasks is None else {t: list(c) for t, c in tasks.items()}
    kinds = {**DEFAULT_NOISE, **dict(noise or {})}
    # the weights the scoring kernel gives the indicators (the rubric's own, before categories)
    program = compile_rubric(rubric)
    full = full_marks(program, program.raw.T[:, :1])[:, 0] / program.scale
    eff = pd.Series(full, index=list(program.indicators))
    seen: dict[str, str] = {}
    problems = []
    weights, party, sds, ceil = [], [], [], []
    full = ceiling == "full"
    caps = {} if ceiling is None or full else dict(ceiling)
    for task, codes in mapping.items():
        cap = caps.get(task, 100.0 if full else None)
        if OTHER in codes:
            if rubric.scheme.type == "single":
                raise RubricError(
                    f"task {task!r} uses '@other' but rubric {rubric.code!r} has no other score", key=task
                )
            weights.append(1.0), party.append(False), sds.append(kinds["other"]), ceil.append(cap)
            continue
        if BONUS in codes:
            bonus_cap = rubric.bonus.cap
            weights.append(100.0 / rubric.scale), party.append(True), sds.append(kinds["bonus"])
            ceil.append(bonus_cap if (full or task not in caps) else caps[task])
            continue
        if DEDUCTION in codes:
            weights.append(100.0 / rubric.scale), party.append(True), sds.append(kinds["deduction"])
            ceil.append(caps.get(task, 0.0))
            continue
        inds = expand_codes(rubric, codes, task)
        for c in inds:
            if c in seen:
                problems.append(f"indicator {c!r} is in tasks {seen[c]!r} and {task!r}")
            seen[c] = task
        w = float(eff[inds].sum())
        share = eff[inds].to_numpy() / w if w > 0 else np.zeros(len(inds))
        item_sd = np.array([kinds[rubric.nodes[c].kind or "quantitative"] for c in inds])
        (
            weights.append(w),
            party.append(True),
            sds.append(float(np.sqrt(np.sum((share * item_sd) ** 2)))),
            ceil.append(cap),
        )
    missing = [c for c in rubric.indicators if c not in seen]
    if missing:
        problems.append(f"indicators in no task: {missing}")
    if problems:
        raise RubricError(
            f"tasks do not partition the indicators of rubric {rubric.code!r}: " + "; ".join(problems),
            key="tasks",
        )
    names = rubric.grades.names
    if isinstance(rewards, Mapping):
        unknown = [g for g in rewards if g not in names]
        if unknown or len(rewards) != len(names):
            raise SpecError(
                f"'rewards' must give every grade of {names} a reward; got {dict(rewards)}", key="rewards"
            )
        rewards = tuple(float(rewards[g]) for g in names)
    hazard = dict(veto_hazard or {})
    per_item = {k: v for k, v in hazard.items() if isinstance(v, Mapping)}
    common = {k: v for k, v in hazard.items() if not isinstance(v, Mapping)}
    veto = tuple(
        VetoRisk(
            v.code, v.name, effect=v.effect, cap_grade=v.cap_grade, **{**common, **per_item.get(v.code, {})}
        )
        for v in rubric.veto
    )
    scheme = rubric.scheme
    aggregation = {"single": "linear", "weighted": "weighted"}.get(scheme.type, scheme.type)
    return Institution(
        tasks=tuple(mapping),
        weights=tuple(weights),
        party=tuple(party),
        aggregation=aggregation,
        party_weight=scheme.party_weight if scheme.type == "weighted" else 1.0,
        bands=rubric.grades.bands,
        matrix=scheme.matrix if scheme.type == "dual100" else (),
        rewards=() if rewards is None else tuple(rewards),
        per_point=per_point,
        quota=tuple(dict(rubric.grades.quota).items()),
        ties=rubric.grades.ties,
        rounding=rubric.grades.rounding,
        noise=tuple(sds),
        ceiling=tuple(ceil),
        veto=veto,
        name=name or rubric.code,
    )
