"""Compile a population and one or more institutions into arrays, one row per (design, unit).

Every solver works on these rows at once: a sweep of 51 designs over 86 units is one batch of
4,386 rows, so neither units nor designs are looped over in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._i18n import _
from ..errors import SpecError
from ..scoring.grades import quota_places

__all__ = ["Problem", "compile_problem"]


@dataclass
class Problem:
    """Row arrays of a batch of (design, unit) problems (internal)."""

    population: object
    institutions: list
    n: int
    n_designs: int
    design: np.ndarray  # (R,)
    unit: np.ndarray  # (R,)
    gamma: float
    E: np.ndarray  # (R,) budget
    c: np.ndarray  # (R,) value of unused effort
    a: np.ndarray  # (R, K) real productivity
    g: np.ndarray  # (R, K) gaming productivity
    A: np.ndarray  # (R, K) measured output per effort**gamma with the best real/gaming mix
    phi: np.ndarray  # (R, K) share of a task's effort that is real work
    base: np.ndarray  # (R, K)
    w: np.ndarray  # (R, K) weight in its index
    wraw: np.ndarray  # (R, K) the institution's weight (before the party weight of a weighted scheme)
    groups: list  # boolean task masks: [all] (linear) or [party, other]
    H: np.ndarray  # (R, K) ceiling - base (inf: no ceiling)
    sd: np.ndarray  # (R, K) noise SD
    value: np.ndarray  # (K,)
    party: np.ndarray  # (K,) bool
    kind: str  # linear | product | dual
    names: list
    bands: np.ndarray  # (R, B) lower bounds of F (dual: of O)
    pbands: np.ndarray  # (R, B) dual: lower bounds of P
    rewards: np.ndarray  # (R, B)
    per_point: np.ndarray  # (R,)
    matrix: np.ndarray | None  # (B, B) grade index, dual only
    quota: np.ndarray  # (D, B) effective share (places / n), NaN where none
    vlnK: np.ndarray  # (R, V) log(L p0 / s), sorted descending; -inf: inactive
    vs: np.ndarray  # (R, V) hazard scale, same order
    vLp0: np.ndarray  # (R, V) L * p0, same order
    vp0: np.ndarray  # (R, V) p0, same order
    vorder: np.ndarray  # (R, V) original item index of each sorted column
    _sd: dict = field(default_factory=dict, repr=False)

    def index_sd(self, j: int) -> np.ndarray:
        """SD of index j per row; computed once (the search reads it at every step)."""
        if j not in self._sd:
            m = self.groups[j]
            self._sd[j] = np.sqrt(np.sum((self.w[:, m] * self.sd[:, m]) ** 2, axis=1))
        return self._sd[j]


def _mix(a, g, gamma):
    """Best split of a task's effort between real work (a) and gaming (g): both produce measured
    output with the same curvature, so the measured-output frontier is a CES aggregate."""
    if gamma == 1.0:
        real = a >= g
        return np.where(real, a, g), real.astype(float)
    p = 1.0 / (1.0 - gamma)
    m = np.maximum(a, g)
    safe = np.where(m > 0, m, 1.0)
    ra, rg = (a / safe) ** p, (g / safe) ** p
    tot = ra + rg
    A = np.where(m > 0, m * tot ** (1.0 - gamma), 0.0)
    phi = np.where(tot > 0, ra / np.where(tot > 0, tot, 1.0), 1.0)
    return A, phi


def compile_problem(population, institutions) -> Problem:
    """Rows design-major (row = d * n + i); validates that the designs can share one batch."""
    pop = population
    insts = list(institutions)
    first = insts[0]
    n, K, D = pop.n_units, len(pop.tasks), len(insts)
    for inst in insts:
        missing = [t for t in inst.tasks if t not in pop.tasks]
        if missing:
            raise SpecError(
                _(
                    "institution {name!r} scores tasks {missing} that the population does not have "
                    "(population tasks: {tasks})"
                ).format(name=inst.name, missing=missing, tasks=list(pop.tasks)),
                key="tasks",
            )
        if inst.aggregation != first.aggregation or len(inst.bands) != len(first.bands):
            raise SpecError(
                _("designs in one batch must share the aggregation and the number of grades"),
                key="aggregation",
            )
        if inst.grade_names != first.grade_names or inst.matrix != first.matrix:
            raise SpecError(
                _("designs in one batch must share grade names and the dual-100 matrix"), key="bands"
            )
    if first.ceiling and any(c is not None for i in insts for c in i.ceiling) and pop.gamma == 1.0:
        raise SpecError(_("score ceilings need gamma < 1 (with gamma = 1 use a linear score)"), key="ceiling")
    design = np.repeat(np.arange(D), n)
    unit = np.tile(np.arange(n), D)

    def per_task(inst, attr, fill):
        pos = {t: j for j, t in enumerate(inst.tasks)}
        vals = getattr(inst, attr)
        return [vals[pos[t]] if t in pos else fill for t in pop.tasks]

    w = np.empty((D, K))
    wraw = np.empty((D, K))
    party = np.array(per_task(first, "party", False), dtype=bool)
    for d, inst in enumerate(insts):
        wd = wraw[d] = np.array(per_task(inst, "weights", 0.0))
        if inst.aggregation == "weighted":
            wd = np.where(party, inst.party_weight * wd, (1 - inst.party_weight) * wd)
        w[d] = wd
    sd = np.array([per_task(i, "noise", 0.0) for i in insts])
    ceil = np.array([[np.inf if c is None else c for c in per_task(i, "ceiling", None)] for i in insts])

    def tile(x):
        x = np.asarray(x, float)
        return np.tile(x, (D, 1)) if x.ndim == 2 else np.tile(x, D)

    base = tile(pop.base)
    A, phi = _mix(pop.productivity, pop.gaming, pop.gamma)
    H = np.maximum(ceil[design] - base, 1e-9)
    kind = {"linear": "linear", "weighted": "linear", "multiplicative": "product", "dual100": "dual"}[
        first.aggregation
    ]
    groups = [np.ones(K, bool)] if kind == "linear" else [party, ~party]
    B = len(first.bands)
    bands = np.array([[b for __, b in i.bands] for i in insts]).reshape(D, B)
    pbands = np.array([[b for __, b in (i.party_bands or i.bands)] for i in insts]).reshape(D, B)
    rewards = np.array([i.rewards for i in insts], dtype=float).reshape(D, B)
    quota = np.full((D, B), np.nan)
    for d, inst in enumerate(insts):
        for g, s in inst.quota:
            # the places the scoring kernel leaves, as a share of the units
            quota[d, first.grade_names.index(g)] = quota_places(s, n, inst.rounding) / n
    V = max(len(i.veto) for i in insts)
    lnK = np.full((D, V), -np.inf)
    vs = np.ones((D, V))
    Lp0 = np.zeros((D, V))
    p0 = np.zeros((D, V))
    span = rewards.max(axis=1) - rewards.min(axis=1) if B else np.zeros(D)
    for d, inst in enumerate(insts):
        for j, v in enumerate(inst.veto):
            L = span[d] if v.loss is None else v.loss
            vs[d, j], Lp0[d, j], p0[d, j] = v.scale, L * v.p0, v.p0
            with np.errstate(divide="ignore"):
                lnK[d, j] = np.log(L * v.p0 / v.scale)
    order = np.argsort(-lnK, axis=1, kind="stable")
    take = lambda x: np.take_along_axis(x, order, axis=1)[design]  # noqa: E731
    matrix = None
    if kind == "dual":
        names = first.grade_names
        matrix = np.array([[names.index(x) for x in row] for row in first.matrix])
    return Problem(
        population=pop,
        institutions=insts,
        n=n,
        n_designs=D,
        design=design,
        unit=unit,
        gamma=pop.gamma,
        E=tile(pop.budget),
        c=tile(pop.cost),
        a=tile(pop.productivity),
        g=tile(pop.gaming),
        A=tile(A),
        phi=tile(phi),
        base=base,
        w=w[design],
        wraw=wraw[design],
        groups=groups,
        H=H,
        sd=sd[design],
        value=np.asarray(pop.value, float),
        party=party,
        kind=kind,
        names=first.grade_names,
        bands=bands[design],
        pbands=pbands[design],
        rewards=rewards[design],
        per_point=np.array([i.per_point for i in insts])[design],
        matrix=matrix,
        quota=quota,
        vlnK=take(lnK),
        vs=take(vs),
        vLp0=take(Lp0),
        vp0=take(p0),
        vorder=order[design],
    )
