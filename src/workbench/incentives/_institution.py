"""Institutions: how measured task scores become a grade and a reward.

An :class:`Institution` is plain data (tuples, floats and strings), so a design variant is
``dataclasses.replace(institution, ...)`` and a sweep is a list of variants. Build one by hand or
from a rubric (:mod:`._from_rubric`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._i18n import _
from .._results import ResultMixin
from ..errors import SpecError, check_option

__all__ = ["VetoRisk", "Institution", "AGGREGATIONS"]

AGGREGATIONS = ("linear", "weighted", "multiplicative", "dual100")


@dataclass(frozen=True)
class VetoRisk:
    """A one-vote veto item (一票否决) and the hazard effort can reduce.

    The veto happens with probability ``p0 exp(-v / scale)`` when the unit puts effort ``v`` into
    prevention; it costs the unit ``loss`` (reward units; default: the gap between the best and
    the worst grade's reward) and sets its grade by ``effect`` ('lowest', or 'cap' at
    ``cap_grade``), as :func:`workbench.scoring.grades.apply_veto` does.
    """

    code: str
    name: str = ""
    p0: float = 0.05
    scale: float = 0.05
    loss: float | None = None
    effect: str = "lowest"
    cap_grade: str | None = None

    def __post_init__(self):
        where = (
            _("veto item {code!r} ({name})").format(code=self.code, name=self.name)
            if self.name
            else _("veto item {code!r}").format(code=self.code)
        )
        checks = (
            (
                "p0",
                self.p0,
                lambda v: 0 <= v <= 1,
                _("a probability in [0, 1] (the veto hazard with no prevention)"),
            ),
            (
                "scale",
                self.scale,
                lambda v: v > 0,
                _("positive (the effort that cuts the hazard by a factor e)"),
            ),
            ("loss", self.loss, lambda v: v is None or v >= 0, _("non-negative or None")),
        )
        for field_name, value, ok, need in checks:
            try:
                good = bool(ok(value if value is None else float(value)))
            except (TypeError, ValueError):
                good = False
            if not good:
                raise SpecError(
                    _("VetoRisk: '{field_name}' of {where} must be {need}; got {value!r}").format(
                        field_name=field_name, where=where, need=need, value=value
                    ),
                    key=f"veto.{self.code}.{field_name}",
                )
        check_option(self.effect, ("lowest", "cap"), name="effect", func="VetoRisk")


@dataclass(frozen=True, repr=False)
class Institution(ResultMixin):
    """An assessment design: aggregation, grades, quotas, veto, noise and rewards.

    Task scores are on 0-100 (points for a bonus task). With ``s_k`` the measured score of task k:

    - ``linear``: final ``F = sum_k w_k s_k``;
    - ``weighted``: ``F = pw P + (1 - pw) O`` with ``P = sum_{party} w_k s_k`` (party building,
      weights summing to 1) and ``O = sum_{other} w_k s_k`` (e.g. economic-social work);
    - ``multiplicative``: ``F = O P / 100`` (the SOE 双乘数 scheme);
    - ``dual100``: the grade is ``matrix[band(P)][band(O)]`` (Hangzhou's 双百分); ``F = P + O`` ranks.

    Measured scores are ``base + output`` plus normal noise of SD ``noise[k]``; a finite
    ``ceiling[k]`` compresses the score smoothly below it (``base + H (1 - exp(-x / H))`` with
    ``H = ceiling - base``), so effort near the ceiling earns almost nothing. Grades come from
    ``bands`` (lower bounds, best first); ``quota`` caps the share of units in a grade (a
    tournament); ``rewards`` are the rewards of the grades (best first) and ``per_point`` a reward
    per point of ``F``.

    Parameters
    ----------
    tasks : tuple of str  task names (matched by name to the population's)
    weights : tuple of float (one per task, >= 0), or mapping task -> weight naming every task
    party : tuple of bool  which tasks make the party-building score P
    aggregation : {'linear', 'weighted', 'multiplicative', 'dual100'}, default='linear'
    party_weight : float in [0, 1], default=1.0  ``pw`` of the weighted scheme
    bands : tuple of (grade, lower bound), best first
    party_bands : tuple of (grade, lower bound), optional  dual-100 bands of P (default ``bands``)
    matrix : tuple of tuples of grade names  dual-100 final grade, rows P's grade, columns O's
    rewards : tuple of float  one per grade, best first
    per_point : float, default=0
    quota : tuple of (grade, share) or mapping grade -> share  share in (0, 1), for a grade above
        the lowest (a share of 1 or more caps nothing: leave the grade out)
    ties, rounding : as in :class:`workbench.rubric.Grades` (used for realised grades)
    noise : tuple of float  SD per task (default 0)
    ceiling : tuple of float or None  per task (default none)
    veto : tuple of VetoRisk
    name : str
    """

    tasks: tuple
    weights: tuple
    party: tuple | None = None
    aggregation: str = "linear"
    party_weight: float = 1.0
    bands: tuple = ()
    party_bands: tuple | None = None
    matrix: tuple = ()
    rewards: tuple = ()
    per_point: float = 0.0
    quota: tuple = ()
    ties: str = "exclude"
    rounding: str = "floor"
    noise: tuple = ()
    ceiling: tuple = ()
    veto: tuple = ()
    name: str = "institution"

    def __post_init__(self):
        f = "Institution"
        set_ = lambda n, v: object.__setattr__(self, n, v)  # noqa: E731
        tasks = tuple(str(t) for t in self.tasks)
        k = len(tasks)
        set_("tasks", tasks)
        if k == 0 or len(set(tasks)) != k:
            raise SpecError(
                _("{f}: task names must be unique and non-empty; got {tasks}").format(f=f, tasks=tasks),
                key="tasks",
            )
        weights = self.weights
        if isinstance(weights, Mapping):
            unknown = [t for t in weights if str(t) not in tasks]
            missing = [t for t in tasks if t not in {str(w) for w in weights}]
            if unknown or missing:
                parts = (
                    [_("names tasks that are not in 'tasks': {unknown}").format(unknown=unknown)]
                    if unknown
                    else []
                )
                parts += [_("has no weight for {missing}").format(missing=missing)] if missing else []
                raise SpecError(
                    _("{f}: 'weights' must give one weight per task {tasks}; {problems}").format(
                        f=f, tasks=list(tasks), problems=_("; ").join(parts)
                    ),
                    key="weights",
                )
            weights = tuple(dict((str(t), w) for t, w in weights.items())[t] for t in tasks)
        set_("weights", _floats(weights, k, "weights", lo=0.0, tasks=tasks))
        set_("party", (True,) * k if self.party is None else tuple(bool(p) for p in self.party))
        if len(self.party) != k:
            raise SpecError(
                _("{f}: 'party' needs one flag per task ({k} tasks: {tasks}); got {n_party}: {party}").format(
                    f=f, k=k, tasks=list(tasks), n_party=len(self.party), party=self.party
                ),
                key="party",
            )
        check_option(self.aggregation, AGGREGATIONS, name="aggregation", func=f)
        if not 0.0 <= float(self.party_weight) <= 1.0:
            raise SpecError(
                _("{f}: 'party_weight' must be in [0, 1]; got {party_weight}").format(
                    f=f, party_weight=self.party_weight
                ),
                key="party_weight",
            )
        set_("party_weight", float(self.party_weight))
        if self.aggregation in ("weighted", "multiplicative", "dual100") and (
            all(self.party) or not any(self.party)
        ):
            raise SpecError(
                _(
                    "{f}: aggregation {aggregation!r} needs party tasks and other tasks; party "
                    "flags are {party}"
                ).format(f=f, aggregation=self.aggregation, party=self.party),
                key="party",
            )
        set_("bands", _bands(self.bands, "bands"))
        names = [g for g, __ in self.bands]
        if self.party_bands is not None:
            set_("party_bands", _bands(self.party_bands, "party_bands"))
            if [g for g, __ in self.party_bands] != names:
                raise SpecError(
                    _("{f}: 'party_bands' must name the same grades as 'bands' {names}").format(
                        f=f, names=names
                    ),
                    key="party_bands",
                )
        rewards = self.rewards
        if not rewards and names:
            rewards = tuple(np.linspace(1.0, 0.0, len(names))) if len(names) > 1 else (1.0,)
        set_("rewards", _floats(rewards, len(names), "rewards"))
        set_("per_point", float(self.per_point))
        quota = tuple(
            (str(g), float(s))
            for g, s in (self.quota.items() if isinstance(self.quota, Mapping) else self.quota)
        )
        for g, s in quota:
            if g not in names[:-1]:
                raise SpecError(
                    _(
                        "{f}: the quota names grade {g!r}; a quota caps a grade above the lowest of {names}"
                    ).format(f=f, g=g, names=names),
                    key=f"quota.{g}",
                )
            if not 0.0 < s < 1.0:
                raise SpecError(
                    _(
                        "{f}: the quota of grade {g!r} must be a share in (0, 1) (e.g. 0.2 for at most "
                        "{example:.0%} of units); got {s!r}. A share of 1 or more caps nothing: leave the "
                        "grade out of 'quota'."
                    ).format(f=f, g=g, s=s, example=0.2),  # a field, not a literal '%' (read as %-format)
                    key=f"quota.{g}",
                )
        set_("quota", quota)
        check_option(self.ties, ("exclude", "include"), name="ties", func=f)
        check_option(self.rounding, ("floor", "ceil", "round"), name="rounding", func=f)
        if self.aggregation == "dual100":
            matrix = self.matrix
            if isinstance(matrix, Mapping):
                matrix = tuple(tuple(matrix[a][b] for b in names) for a in names)
            matrix = tuple(tuple(str(x) for x in row) for row in matrix)
            if len(matrix) != len(names) or any(len(r) != len(names) or set(r) - set(names) for r in matrix):
                raise SpecError(
                    _("{f}: dual100 needs a {n_names}x{n_names} 'matrix' of grades {names}").format(
                        f=f, n_names=len(names), names=names
                    ),
                    key="matrix",
                )
            set_("matrix", matrix)
            if any(g != names[0] for g, __ in quota):
                raise SpecError(
                    _("{f}: with dual100 only the top grade {grade!r} can have a quota").format(
                        f=f, grade=names[0]
                    ),
                    key="quota",
                )
        set_("noise", _floats(self.noise or (0.0,) * k, k, "noise", lo=0.0, tasks=tasks))
        ceiling = self.ceiling or (None,) * k
        if len(ceiling) != k:
            raise SpecError(
                _("{f}: 'ceiling' needs one value (or None) per task ({k})").format(f=f, k=k), key="ceiling"
            )
        set_(
            "ceiling",
            tuple(
                None if c is None or (isinstance(c, float) and math.isinf(c)) else float(c) for c in ceiling
            ),
        )
        veto = tuple(self.veto)
        if not all(isinstance(v, VetoRisk) for v in veto):
            raise SpecError(_("{f}: 'veto' must be a tuple of VetoRisk").format(f=f), key="veto")
        for v in veto:
            if v.effect == "cap" and v.cap_grade not in names:
                raise SpecError(
                    _("{f}: veto {code!r} caps at {cap_grade!r}, not a grade of {names}").format(
                        f=f, code=v.code, cap_grade=v.cap_grade, names=names
                    ),
                    key="veto",
                )
        set_("veto", veto)

    @property
    def grade_names(self) -> list[str]:
        return [g for g, __ in self.bands]

    def final_weights(self) -> pd.Series:
        """Weight of each task's score in the final score F (linear and weighted schemes)."""
        w = np.asarray(self.weights)
        if self.aggregation == "weighted":
            p = np.asarray(self.party)
            w = np.where(p, self.party_weight * w, (1 - self.party_weight) * w)
        elif self.aggregation != "linear":
            raise SpecError(
                _("final_weights: the {aggregation!r} scheme is not a weighted sum").format(
                    aggregation=self.aggregation
                ),
                key="aggregation",
            )
        return pd.Series(w, index=list(self.tasks), name="final_weight")

    def to_frame(self) -> pd.DataFrame:
        """One row per task: weight, party flag, noise, ceiling (and weight in F when linear)."""
        frame = pd.DataFrame(
            {"weight": self.weights, "party": self.party, "noise_sd": self.noise, "ceiling": self.ceiling},
            index=pd.Index(self.tasks, name="task"),
        )
        if self.aggregation in ("linear", "weighted"):
            frame["final_weight"] = self.final_weights().to_numpy()
        return frame

    def _summary_title(self) -> str:
        return _("Institution {name} ({aggregation})").format(name=self.name, aggregation=self.aggregation)

    def _summary_facts(self) -> dict:
        facts = {
            _("grades"): " / ".join(f"{g}≥{b:g}: {r:g}" for (g, b), r in zip(self.bands, self.rewards))
            or _("none")
        }
        if self.aggregation == "weighted":
            facts[_("party weight")] = self.party_weight
        if self.per_point:
            facts[_("reward per point")] = self.per_point
        if self.quota:
            facts[_("quota")] = _(", ").join(f"{g} ≤ {s:.0%}" for g, s in self.quota)
        facts[_("veto items")] = len(self.veto)
        return facts


def _floats(values, k, name, lo=None, tasks=None) -> tuple:
    try:
        out = tuple(float(v) for v in values)
    except (TypeError, ValueError):
        raise SpecError(
            _("Institution: '{name}' must be numbers; got {values!r}").format(name=name, values=values),
            key=name,
        ) from None
    need = f" >= {lo:g}" if lo is not None else ""
    if len(out) != k:
        per = (
            _("one per task ({k} tasks: {tasks})").format(k=k, tasks=list(tasks))
            if tasks is not None
            else str(k)
        )
        raise SpecError(
            _("Institution: '{name}' needs {per}; got {n_out}: {out}").format(
                name=name, per=per, n_out=len(out), out=out
            ),
            key=name,
            hint=_("give the numbers in the order of 'tasks', or a mapping task -> number for weights"),
        )
    bad = [i for i, v in enumerate(out) if not math.isfinite(v) or (lo is not None and v < lo)]
    if bad:
        where = _(", ").join(
            _("{value:g} for task {task!r}").format(value=out[i], task=tasks[i]) if tasks else f"{out[i]:g}"
            for i in bad
        )
        raise SpecError(
            _("Institution: '{name}' needs finite numbers{need}; got {where}").format(
                name=name, need=need, where=where
            ),
            key=name,
        )
    return out


def _bands(bands, name) -> tuple:
    pairs = tuple((str(g), float(b)) for g, b in (bands.items() if isinstance(bands, Mapping) else bands))
    bounds = [b for __, b in pairs]
    if any(b2 >= b1 for b1, b2 in zip(bounds, bounds[1:])):
        raise SpecError(
            _("Institution: '{name}' lower bounds must fall from the best grade; got {pairs}").format(
                name=name, pairs=pairs
            ),
            key=name,
        )
    return pairs
