"""Populations of assessed units: effort budgets, productivities, gaming technologies.

A :class:`Population` is plain data (arrays, one row per unit, one column per task). Draw one
with :func:`random_population`, or build one from data (:mod:`._from_data`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._i18n import _
from .._results import ResultMixin
from .._rng import as_generator
from ..errors import SpecError
from ._closed_form import _check_gamma

__all__ = ["Population", "random_population", "DEFAULT_TASKS", "default_value"]

DEFAULT_TASKS = ("econ", "party", "paper")
TASK_NAMES = {"econ": "经济社会发展工作", "party": "党建实质工作", "paper": "台账留痕"}


def default_value(tasks) -> tuple[float, ...]:
    """Value to the public of one point of true output per task: 1, except the paper trail
    (a task named ``paper``: 台账留痕, measured but not valued), which is 0."""
    return tuple(0.0 if t == "paper" else 1.0 for t in tasks)


@dataclass(frozen=True, repr=False, eq=False)
class Population(ResultMixin):
    """Assessed units and their effort technology.

    Unit i splits an effort budget ``budget[i]`` across tasks k (and veto prevention). Real effort
    e on task k produces true output ``productivity[i, k] * e**gamma`` score points on top of
    ``base[i, k]`` (the score with no effort); gaming effort m on a self-reported task raises the
    measured score by ``gaming[i, k] * m**gamma`` without producing anything. Effort left unused is
    worth ``cost[i]`` per unit to the unit (its outside option: unassessed work or rest); with
    ``cost = 0`` the whole budget goes into assessed work.

    Parameters
    ----------
    units : sequence of str (n_units,)
    tasks : sequence of str (n_tasks,)
    productivity : array (n_units, n_tasks) or DataFrame  score points per effort**gamma (>= 0)
    base : scalar, (n_tasks,) or (n_units, n_tasks), default=0  score with no effort
    budget : scalar or (n_units,), default=1  effort budget (> 0)
    cost : scalar or (n_units,), default=0  marginal value of unused effort (>= 0)
    gaming : scalar, (n_tasks,) or (n_units, n_tasks), default=0  gaming productivity (>= 0)
    value : (n_tasks,), optional  value of one point of true output; default :func:`default_value`
    gamma : float in (0, 1], default=0.5
    ability : (n_units,), optional  a summary of productivity used to say who wins
    category : (n_units,), optional  unit categories (分类)
    """

    units: tuple
    tasks: tuple
    productivity: np.ndarray
    base: object = 0.0
    budget: object = 1.0
    cost: object = 0.0
    gaming: object = 0.0
    value: tuple | None = None
    gamma: float = 0.5
    ability: object = None
    category: object = None
    source: str = field(default="")

    def __post_init__(self):
        func = "Population"
        tasks = tuple(str(t) for t in self.tasks)
        prod = self.productivity
        if isinstance(prod, pd.DataFrame):
            prod = prod[list(tasks)].to_numpy(dtype=float)
        prod = np.array(prod, dtype=float)
        units = tuple(str(u) for u in self.units)
        n, k = len(units), len(tasks)
        if len(set(tasks)) != k or k == 0:
            raise SpecError(
                _("{func}: task names must be unique and non-empty; got {tasks}").format(
                    func=func, tasks=tasks
                ),
                key="tasks",
            )
        if len(set(units)) != n or n == 0:
            raise SpecError(
                _("{func}: unit ids must be unique and non-empty ({n} given)").format(func=func, n=n),
                key="units",
            )
        if prod.shape != (n, k):
            raise SpecError(
                _(
                    "{func}: 'productivity' must have shape (n_units, n_tasks) = ({n}, {k}); got {shape}"
                ).format(func=func, n=n, k=k, shape=prod.shape),
                key="productivity",
            )
        set_ = lambda name, v: object.__setattr__(self, name, v)  # noqa: E731
        set_("units", units)
        set_("tasks", tasks)
        set_("gamma", _check_gamma(self.gamma, func))
        set_("productivity", _frozen(_nonneg(prod, "productivity", units, tasks, self.productivity)))
        for name in ("base", "gaming"):
            given = getattr(self, name)
            arr = _broadcast(given, (n, k), name)
            if name == "base" and not np.all(np.isfinite(arr)):
                raise SpecError(
                    _("{func}: 'base' must be finite; got {cells}").format(
                        func=func,
                        cells=_cells(arr, ~np.isfinite(arr), units, tasks, given),
                    ),
                    key="base",
                )
            set_(name, _frozen(arr if name == "base" else _nonneg(arr, name, units, tasks, given)))
        budget = _nonneg(_broadcast(self.budget, (n,), "budget"), "budget", units, tasks, self.budget)
        if np.any(budget <= 0):
            where = _cells(budget, budget <= 0, units, tasks, self.budget)
            raise SpecError(
                _(
                    "{func}: every 'budget' must be positive (a unit with no effort to spend has "
                    "no choice); got {where}"
                ).format(func=func, where=where),
                key="budget",
            )
        set_("budget", _frozen(budget))
        set_("cost", _frozen(_nonneg(_broadcast(self.cost, (n,), "cost"), "cost", units, tasks, self.cost)))
        value = default_value(tasks) if self.value is None else tuple(float(v) for v in self.value)
        if len(value) != k or not all(np.isfinite(value)):
            raise SpecError(
                _("{func}: 'value' needs one finite number per task ({k}); got {value}").format(
                    func=func, k=k, value=value
                ),
                key="value",
            )
        set_("value", value)
        if self.ability is not None:
            set_("ability", _frozen(_broadcast(self.ability, (n,), "ability")))
        if self.category is not None:
            cat = np.asarray(self.category, dtype=object)
            if cat.shape != (n,):
                raise SpecError(
                    _("{func}: 'category' needs one label per unit ({n})").format(func=func, n=n),
                    key="category",
                )
            set_("category", cat)

    @property
    def n_units(self) -> int:
        return len(self.units)

    def ability_or_default(self) -> np.ndarray:
        """``ability`` if given, else the mean log productivity over tasks."""
        if self.ability is not None:
            return np.asarray(self.ability)
        with np.errstate(divide="ignore"):
            return np.log(np.maximum(self.productivity, 1e-300)).mean(axis=1)

    def to_frame(self) -> pd.DataFrame:
        """One row per unit: productivity, base and gaming per task, budget, cost (and category)."""
        cols = {}
        for j, t in enumerate(self.tasks):
            cols[f"productivity:{t}"] = self.productivity[:, j]
            cols[f"base:{t}"] = self.base[:, j]
            if np.any(self.gaming[:, j] > 0):
                cols[f"gaming:{t}"] = self.gaming[:, j]
        cols["budget"] = self.budget
        cols["cost"] = self.cost
        if self.ability is not None:
            cols["ability"] = self.ability
        if self.category is not None:
            cols["category"] = self.category
        return pd.DataFrame(cols, index=pd.Index(self.units, name="unit"))

    def _summary_title(self) -> str:
        return _("Population of {n} units, tasks {tasks}").format(n=self.n_units, tasks=", ".join(self.tasks))

    def _summary_facts(self) -> dict:
        return {
            _("gamma"): self.gamma,
            _("mean budget"): float(self.budget.mean()),
            _("mean cost"): float(self.cost.mean()),
            _("value"): _(", ").join(f"{t} {v:g}" for t, v in zip(self.tasks, self.value)),
            _("source"): self.source or _("given"),
        }


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=float)
    a.setflags(write=False)
    return a


def _cells(a: np.ndarray, bad: np.ndarray, units, tasks, given=None, limit: int = 5) -> str:
    """The offending values and where they are (unit, task), e.g. "-1 for unit 'U3', task 'party'"."""
    if given is not None and not isinstance(given, pd.DataFrame) and np.ndim(given) == 0:
        return _("{value:g} (given as one number for every unit)").format(
            value=float(np.asarray(given, dtype=float))
        )
    hits = np.argwhere(bad)
    parts = []
    for ix in hits[:limit]:
        if a.ndim == 2:
            text = _("{value:g} for unit {unit!r}, task {task!r}").format(
                value=a[tuple(ix)], unit=units[ix[0]], task=tasks[ix[1]]
            )
        else:
            text = _("{value:g} for unit {unit!r}").format(value=a[tuple(ix)], unit=units[ix[0]])
        parts.append(text)
    more = _(" (and {n} more)").format(n=len(hits) - limit) if len(hits) > limit else ""
    return _("; ").join(parts) + more


def _nonneg(a: np.ndarray, name: str, units=None, tasks=None, given=None) -> np.ndarray:
    bad = ~np.isfinite(a) | (a < 0)
    if np.any(bad):
        where = _cells(a, bad, units, tasks, given) if units is not None else f"{a[bad][0]:g}"
        raise SpecError(
            _("Population: '{name}' must be finite and non-negative; got {where}").format(
                name=name, where=where
            ),
            key=name,
        )
    return a


def _broadcast(value, shape, name) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    try:
        return np.array(np.broadcast_to(arr, shape), dtype=float)
    except ValueError:
        raise SpecError(
            _("Population: '{name}' must be a scalar or broadcast to shape {shape}; got shape {got}").format(
                name=name, shape=shape, got=arr.shape
            ),
            key=name,
        ) from None


def _per_task(value, tasks, name, default=0.0) -> np.ndarray:
    """A scalar, a sequence (one per task) or a mapping task -> number, as an array (n_tasks,)."""
    if value is None:
        return np.full(len(tasks), default, dtype=float)
    if isinstance(value, Mapping):
        unknown = [t for t in value if t not in tasks]
        if unknown:
            raise SpecError(
                _("'{name}' names tasks {unknown} that are not in {tasks}").format(
                    name=name, unknown=unknown, tasks=list(tasks)
                ),
                key=name,
            )
        return np.array([float(value.get(t, default)) for t in tasks])
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        return np.full(len(tasks), float(arr))
    if arr.shape != (len(tasks),):
        raise SpecError(
            _("'{name}' needs one number per task ({n_tasks}); got shape {shape}").format(
                name=name, n_tasks=len(tasks), shape=arr.shape
            ),
            key=name,
        )
    return arr


def random_population(
    n: int = 86,
    tasks: Sequence[str] = DEFAULT_TASKS,
    *,
    seed=None,
    gamma: float = 0.5,
    budget: float = 1.0,
    cost: float = 0.2,
    scale=30.0,
    spread: float = 0.3,
    correlation: float = 0.5,
    base=60.0,
    base_sd: float = 5.0,
    gaming=None,
    value=None,
) -> Population:
    """Draw a population of units with correlated task productivities.

    Distributions (all independent across units, drawn in this order from one generator):

    - ability ``theta_i ~ N(0, 1)``;
    - productivity ``a_ik = scale_k exp(spread z_ik - spread**2 / 2)`` with
      ``z_ik = rho theta_i + sqrt(1 - rho**2) xi_ik``, ``xi_ik ~ N(0, 1)``: log-normal with mean
      ``scale_k`` and correlation ``rho = correlation`` with ability;
    - base score ``b_ik = base_k + base_sd * N(0, 1)``, clipped to [0, 99];
    - gaming productivity ``g_ik = gaming_k scale_k exp(spread zeta_ik - spread**2 / 2)``,
      ``zeta_ik ~ N(0, 1)`` (independent of ability), for the tasks named in ``gaming``.

    Budgets and costs are the same for every unit. With the defaults (budget 1, scale 30, base 60)
    a unit that puts its whole budget into one task lifts that score from about 60 to about 90.

    Parameters
    ----------
    n : int, default=86  number of units (the Wanzhou organ work committee's 86 departments)
    tasks : sequence of str, default=('econ', 'party', 'paper')
    seed : int, Generator or None, default=None
    gamma, budget, cost : see :class:`Population`
    scale : float, sequence or mapping task -> float, default=30  mean productivity per task
    spread : float, default=0.3  SD of log productivity
    correlation : float in [-1, 1], default=0.5
    base : float, sequence or mapping, default=60;  base_sd : float, default=5
    gaming : mapping task -> relative gaming productivity, optional (e.g. ``{'paper': 1.0}``)
    value : sequence or mapping, optional  default :func:`default_value`

    Returns
    -------
    Population

    Examples
    --------
    >>> pop = random_population(10, seed=1)
    >>> pop.productivity.shape
    (10, 3)
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise SpecError(
            _("The 'n' parameter of random_population must be a positive int. Got {n!r} instead.").format(
                n=n
            ),
            key="n",
        )
    if not -1 <= correlation <= 1:
        raise SpecError(
            _("The 'correlation' parameter must be in [-1, 1]. Got {correlation!r} instead.").format(
                correlation=correlation
            ),
            key="correlation",
        )
    if spread < 0 or base_sd < 0:
        raise SpecError(_("The 'spread' and 'base_sd' parameters must be non-negative."), key="spread")
    tasks = tuple(tasks)
    k = len(tasks)
    rng = as_generator(seed)
    theta = rng.standard_normal(n)
    xi = rng.standard_normal((n, k))
    z = correlation * theta[:, None] + np.sqrt(1 - correlation**2) * xi
    sc = _per_task(scale, tasks, "scale")
    prod = sc * np.exp(spread * z - spread**2 / 2)
    b = np.clip(_per_task(base, tasks, "base") + base_sd * rng.standard_normal((n, k)), 0.0, 99.0)
    zeta = rng.standard_normal((n, k))
    g = _per_task(gaming, tasks, "gaming") * sc * np.exp(spread * zeta - spread**2 / 2)
    value = None if value is None else tuple(_per_task(value, tasks, "value"))
    width = len(str(n))
    return Population(
        units=tuple(f"U{i + 1:0{width}d}" for i in range(n)),
        tasks=tasks,
        productivity=prod,
        base=b,
        budget=budget,
        cost=cost,
        gaming=g,
        value=value,
        gamma=gamma,
        ability=theta,
        source=f"random_population(n={n}, seed={seed!r})",
    )
