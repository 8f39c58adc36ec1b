"""Design variants: one function per design lever, each returning a new Institution.

Sweeps call these by name (``sweep(..., parameter='party_weight', ...)``); each is a thin
``dataclasses.replace`` so that a variant differs from its parent in one setting only.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .._i18n import _
from ..errors import SpecError
from ._institution import Institution, VetoRisk

__all__ = [
    "with_party_weight",
    "with_quota",
    "with_veto_items",
    "with_noise",
    "with_party_gate",
    "with_ceiling",
    "DESIGNS",
]


def _tasks(inst: Institution, tasks) -> np.ndarray:
    """Boolean mask of the tasks: 'party' (the party-building score), 'all', or names."""
    if tasks in (None, "party"):
        return np.asarray(inst.party)
    if tasks == "all":
        return np.ones(len(inst.tasks), bool)
    names = [tasks] if isinstance(tasks, str) else list(tasks)
    unknown = [t for t in names if t not in inst.tasks]
    if unknown:
        raise SpecError(
            _("tasks {unknown} are not tasks of institution {name!r}: {tasks}").format(
                unknown=unknown, name=inst.name, tasks=list(inst.tasks)
            ),
            key="tasks",
        )
    return np.isin(inst.tasks, names)


def with_party_weight(inst: Institution, weight: float) -> Institution:
    """Party building's weight in the final score: ``party_weight`` of a weighted scheme, or the
    party tasks' total weight in a linear one (their relative weights kept)."""
    weight = float(weight)
    if not 0.0 <= weight <= 1.0:
        raise SpecError(
            _(
                "with_party_weight: party building's weight must be a share in [0, 1]; got "
                "{weight!r} (institution {name!r})"
            ).format(weight=weight, name=inst.name),
            key="party_weight",
        )
    if inst.aggregation == "weighted":
        return replace(inst, party_weight=weight)
    if inst.aggregation != "linear":
        raise SpecError(
            _("with_party_weight: the {aggregation!r} scheme has no party weight").format(
                aggregation=inst.aggregation
            ),
            key="aggregation",
        )
    w, p = np.asarray(inst.weights), np.asarray(inst.party)
    if p.all() or not p.any():
        raise SpecError(_("with_party_weight: a linear scheme needs both party and other tasks"), key="party")
    new = np.where(p, weight * w / w[p].sum(), (1 - weight) * w / w[~p].sum())
    return replace(inst, weights=tuple(new))


def with_quota(inst: Institution, share: float, grade: str | None = None) -> Institution:
    """Cap the share of units in ``grade`` (default the top grade); ``share >= 1`` removes it."""
    grade = grade or inst.grade_names[0]
    if not float(share) > 0:  # NaN too
        raise SpecError(
            _(
                "with_quota: the quota of grade {grade!r} must be a share in (0, 1) (1 or more "
                "removes it); got {share!r}"
            ).format(grade=grade, share=share),
            key=f"quota.{grade}",
        )
    quota = {g: s for g, s in inst.quota if g != grade}
    if share < 1:
        quota[grade] = float(share)
    return replace(inst, quota=tuple((g, quota[g]) for g in inst.grade_names if g in quota))


def with_veto_items(inst: Institution, n: int, template: VetoRisk | None = None) -> Institution:
    """``n`` veto items like ``template`` (default the institution's first, or a generic one)."""
    n = int(n)
    if n < 0:
        raise SpecError(_("with_veto_items: n must be >= 0; got {n}").format(n=n), key="n")
    template = template or (inst.veto[0] if inst.veto else VetoRisk("veto", "一票否决事项"))
    items = tuple(
        replace(template, code=f"{template.code}_{i + 1}", name=f"{template.name}{i + 1}") for i in range(n)
    )
    return replace(inst, veto=items)


def with_noise(inst: Institution, sd: float, tasks="party") -> Institution:
    """Set the measurement noise SD of ``tasks`` ('party', 'all' or names)."""
    mask = _tasks(inst, tasks)
    return replace(inst, noise=tuple(np.where(mask, float(sd), inst.noise)))


def with_party_gate(inst: Institution, bound: float, grade: str | None = None) -> Institution:
    """Dual-100: move the lower bound of ``grade`` (default the second grade) in the party score's
    bands: the party score a unit needs before the matrix lets its other score count fully."""
    if inst.aggregation != "dual100":
        raise SpecError(_("with_party_gate: only a dual100 scheme has a party gate"), key="aggregation")
    bands = list(inst.party_bands or inst.bands)
    names = [g for g, __ in bands]
    grade = grade or names[1]
    j = names.index(grade)
    bands[j] = (grade, float(bound))
    # keep bounds falling: a higher gate pushes better grades up, a lower one pulls worse ones down
    for i in range(j - 1, -1, -1):
        bands[i] = (bands[i][0], max(bands[i][1], bands[i + 1][1] + 1e-6))
    for i in range(j + 1, len(bands)):
        bands[i] = (bands[i][0], min(bands[i][1], bands[i - 1][1] - 1e-6))
    return replace(inst, party_bands=tuple(bands))


def with_ceiling(inst: Institution, ceiling: float | None, tasks="party") -> Institution:
    """Compress ``tasks``' scores below ``ceiling`` (None removes the ceiling)."""
    mask = _tasks(inst, tasks)
    return replace(inst, ceiling=tuple(ceiling if m else c for m, c in zip(mask, inst.ceiling)))


DESIGNS = {
    "party_weight": with_party_weight,
    "top_quota": with_quota,
    "n_veto": with_veto_items,
    "party_noise": with_noise,
    "noise": lambda inst, v: with_noise(inst, v, "all"),
    "party_gate": with_party_gate,
    "party_ceiling": with_ceiling,
}
