"""Sweeps over a design parameter, and the tipping points where behaviour changes."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._i18n import _
from .._results import ResultMixin
from ..errors import SpecError, WorkbenchWarning
from ._designs import DESIGNS
from ._institution import Institution

__all__ = ["SweepResult", "sweep", "tipping_points"]


@dataclass(frozen=True, repr=False)
class SweepResult(ResultMixin):
    """Metrics of one design per parameter value (:func:`sweep`).

    Attributes
    ----------
    parameter : str
    table : DataFrame indexed by the parameter value: the metrics of
        :func:`~workbench.incentives._outcome.design_metrics` plus ``converged``, ``iterations``
        and ``residual`` of the quota equilibrium
    units : DataFrame  long table, one row per (value, unit): efforts per task, expected final
        score, probability of the top grade, ability and category
    institutions : tuple of Institution
    """

    parameter: str
    table: pd.DataFrame
    units: pd.DataFrame
    institutions: tuple

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def _summary_title(self) -> str:
        return _("Sweep over {parameter} ({n} designs)").format(parameter=self.parameter, n=len(self.table))

    def _summary_facts(self) -> dict:
        return {_("all converged"): bool(self.table["converged"].all())}


def sweep(population, institution, parameter, values, *, damping=0.5, tol=1e-6, max_iter=200) -> SweepResult:
    """Solve one design per parameter value, all designs in one batch.

    Parameters
    ----------
    population : Population
    institution : Institution  the design the variants start from
    parameter : str or callable
        A design lever of :data:`DESIGNS` ('party_weight', 'top_quota', 'n_veto', 'party_noise',
        'noise', 'party_gate', 'party_ceiling'), a field of :class:`Institution` (set with
        ``dataclasses.replace``), or ``f(institution, value) -> Institution``.
    values : sequence  parameter values
    damping, tol, max_iter : see :func:`~workbench.incentives.equilibrium`

    Returns
    -------
    SweepResult
        Expected behaviour (no random draw: the metrics are expectations over measurement noise
        and veto events, so a sweep needs no seed).

    Examples
    --------
    >>> sw = sweep(pop, inst, "party_weight", np.linspace(0, 0.5, 51))  # doctest: +SKIP
    >>> sw.table["party_share"]  # doctest: +SKIP
    """
    from dataclasses import fields, replace

    from ._equilibrium import solve_all
    from ._frontier import build_frontiers
    from ._model import compile_problem
    from ._outcome import design_metrics

    values = list(values)
    if not values:
        raise SpecError(_("sweep: 'values' is empty; give at least one parameter value"), key="values")
    if callable(parameter):
        make, name = parameter, getattr(parameter, "__name__", "value")
    elif parameter in DESIGNS:
        make, name = DESIGNS[parameter], parameter
    elif parameter in {f.name for f in fields(institution)}:
        make, name = (lambda inst, v: replace(inst, **{parameter: v})), parameter
    else:
        raise SpecError(
            _(
                "The 'parameter' parameter of sweep must be one of {designs}, a field of "
                "Institution or a callable. Got {parameter!r} instead (institution {name!r})."
            ).format(designs=sorted(DESIGNS), parameter=parameter, name=institution.name),
            key="parameter",
        )
    insts = []
    for v in values:
        try:
            insts.append(make(institution, v))
        except SpecError as err:  # say which value of the sweep made the bad design
            why = err.problems[0].message if err.summary is None and err.problems else str(err)
            raise SpecError(
                _("sweep over {name!r}: the value {v!r} gives an invalid design: {why}").format(
                    name=name, v=v, why=why
                ),
                key=err.key or name,
            ) from err
    bad = [inst for inst in insts if not isinstance(inst, Institution)]
    if bad:
        raise SpecError(
            _("sweep over {name!r}: the design function must return an Institution; got {type_name}").format(
                name=name, type_name=type(bad[0]).__name__
            ),
            key="parameter",
        )
    prob = compile_problem(population, insts)
    fronts = build_frontiers(prob)
    sol, kappa, diag, __ = solve_all(prob, fronts, damping=damping, tol=tol, max_iter=max_iter)
    table = design_metrics(prob, sol, kappa)
    for k in ("converged", "iterations", "residual"):
        table[k] = diag[k]
    index = pd.Index(values, name=name)
    table.index = index
    if not table["converged"].all():
        bad = list(index[~table["converged"].to_numpy()])
        warnings.warn(
            _("sweep: the quota equilibrium did not converge at {name} = {bad}").format(name=name, bad=bad),
            WorkbenchWarning,
            stacklevel=2,
        )
    units = pd.DataFrame(
        {name: np.asarray(values, dtype=object)[prob.design], "unit": np.asarray(population.units)[prob.unit]}
    )
    for j, t in enumerate(population.tasks):
        units[f"effort:{t}"] = sol["eps"][:, j]
    units["effort:veto"] = sol["veto"].sum(1)
    units["final"] = sol["P"] + sol["O"] if prob.kind == "dual" else sol["F"]
    units["p_top"] = sol["grade_probs"][:, 0] if sol["grade_probs"].shape[1] else np.nan
    units["ability"] = population.ability_or_default()[prob.unit]
    if population.category is not None:
        units["category"] = population.category[prob.unit]
    return SweepResult(parameter=name, table=table, units=units, institutions=tuple(insts))


def tipping_points(result, metric="party_share", level=0.01) -> pd.DataFrame:
    """Where a metric crosses given levels, and where it changes fastest, along a sweep.

    Parameters
    ----------
    result : SweepResult or DataFrame indexed by a numeric parameter
    metric : str or sequence of str, default='party_share'
    level : float or sequence of float, default=0.01
        A crossing is located by linear interpolation between adjacent sweep points (e.g. the
        party weight below which party-building effort is under 1%).

    Returns
    -------
    DataFrame
        One row per (metric, kind): ``kind`` is ``'crosses <level>'`` (the first crossing, with
        its ``direction`` up or down; NaN if none) or ``'steepest'`` (the midpoint of the largest
        change per unit of the parameter, with that ``slope``).
    """
    table = result.table if isinstance(result, SweepResult) else result
    metrics = [metric] if isinstance(metric, str) else list(metric)
    levels = np.atleast_1d(np.asarray(level, dtype=float))
    missing = [m for m in metrics if m not in table.columns]
    if missing:
        raise SpecError(
            _("tipping_points: metrics {missing} not in the sweep's columns {columns}").format(
                missing=missing, columns=list(table.columns)
            ),
            key="metric",
        )
    x = np.asarray(table.index, dtype=float)
    if len(x) < 2 or np.any(np.diff(x) <= 0):
        raise SpecError(
            _("tipping_points needs at least two increasing, numeric parameter values"), key="result"
        )
    rows = []
    for m in metrics:
        y = table[m].to_numpy(dtype=float)
        for lv in levels:
            s = np.sign(y - lv)
            hit = np.flatnonzero(s[:-1] * s[1:] < 0)
            exact = np.flatnonzero(s == 0)
            at, direction = np.nan, None
            if hit.size and (not exact.size or hit[0] < exact[0]):
                i = hit[0]
                at = x[i] + (lv - y[i]) * (x[i + 1] - x[i]) / (y[i + 1] - y[i])
                direction = "up" if y[i + 1] > y[i] else "down"
            elif exact.size:
                i = exact[0]
                at = x[i]
                j = min(i + 1, len(y) - 1)
                direction = "up" if y[j] >= y[max(i - 1, 0)] else "down"
            rows.append(
                {"metric": m, "kind": f"crosses {lv:g}", "at": at, "direction": direction, "slope": np.nan}
            )
        slope = np.diff(y) / np.diff(x)
        k = int(np.nanargmax(np.abs(slope)))
        rows.append(
            {
                "metric": m,
                "kind": "steepest",
                "at": 0.5 * (x[k] + x[k + 1]),
                "direction": None,
                "slope": slope[k],
            }
        )
    return pd.DataFrame(rows)
