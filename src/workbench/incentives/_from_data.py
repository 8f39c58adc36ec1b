"""Populations from data: a table of productivities, or a scorecard of observed scores."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .._i18n import _
from ..errors import DataError, SpecError
from ._population import Population, _per_task

__all__ = ["population_from_table", "population_from_scorecard"]


def _column(frame: pd.DataFrame, col, what: str, *, positive: bool | None = None) -> np.ndarray:
    """A numeric column; ``positive=False`` requires values >= 0, ``positive=True`` values > 0."""
    if col not in frame.columns:
        raise DataError(
            _("column {col!r} ({what}) not found; the table has columns {columns}").format(
                col=col, what=what, columns=list(frame.columns)
            ),
            column=str(col),
            hint=_("name an existing column"),
        )
    values = pd.to_numeric(frame[col], errors="coerce")
    bad = values.isna() & frame[col].notna()
    if bad.any() or values.isna().any():
        rows = [int(i) + 2 for i in np.flatnonzero(values.isna().to_numpy())][:5]
        raise DataError(
            _("column {col!r} ({what}) must be numeric without blanks; bad cells in rows {rows}").format(
                col=col, what=what, rows=rows
            ),
            column=str(col),
            row=rows[0],
        )
    out = values.to_numpy(dtype=float)
    if positive is not None:
        bad = out <= 0 if positive else out < 0
        if bad.any():
            hits = np.flatnonzero(bad)
            cells = _(", ").join(
                _("{value:g} (row {row}, unit {unit!r})").format(value=out[i], row=i + 2, unit=frame.index[i])
                for i in hits[:5]
            )
            more = _(" and {n} more").format(n=len(hits) - 5) if len(hits) > 5 else ""
            raise DataError(
                _("column {col!r} ({what}) must be {need}; got {cells}{more}").format(
                    col=col,
                    what=what,
                    need=_("positive") if positive else _("non-negative"),
                    cells=cells,
                    more=more,
                ),
                column=str(col),
                row=int(hits[0]) + 2,
                hint=_(
                    "effort budgets are positive; productivities, costs and gaming productivities are >= 0"
                ),
            )
    return out


def population_from_table(
    frame: pd.DataFrame,
    productivity,
    *,
    unit: str | None = None,
    base=0.0,
    budget=1.0,
    cost=0.0,
    gaming=None,
    value=None,
    gamma: float = 0.5,
    ability: str | None = None,
    category: str | None = None,
) -> Population:
    """Build a population from a table with one row per unit.

    Parameters
    ----------
    frame : DataFrame  indexed by unit id, or with the id in column ``unit``
    productivity : mapping task -> column, or sequence of columns (task names = column names)
    unit : str, optional  unit id column
    base, gaming : number, or mapping task -> number or column name
    budget, cost : number or column name
    value : sequence or mapping task -> number, optional
    gamma : float, default=0.5
    ability, category : column names, optional

    Returns
    -------
    Population
    """
    if not isinstance(frame, pd.DataFrame):
        raise DataError(
            _("population_from_table needs a DataFrame; got {type_name}").format(
                type_name=type(frame).__name__
            )
        )
    if unit is not None:
        if unit not in frame.columns:
            raise DataError(
                _("unit column {unit!r} not found; columns are {columns}").format(
                    unit=unit, columns=list(frame.columns)
                ),
                column=unit,
            )
        frame = frame.set_index(unit)
    prod_map = dict(productivity) if isinstance(productivity, Mapping) else {c: c for c in productivity}
    tasks = tuple(prod_map)
    prod = np.column_stack(
        [
            _column(frame, c, _("productivity of {task}").format(task=t), positive=False)
            for t, c in prod_map.items()
        ]
    )

    def per_task(spec, what):
        if isinstance(spec, Mapping):
            cols = [
                _column(
                    frame,
                    spec[t],
                    _("{what} of {task}").format(what=what, task=t),
                    positive=None if what == "base" else False,
                )
                if isinstance(spec.get(t), str)
                else np.full(len(frame), float(spec.get(t, 0.0)))
                for t in tasks
            ]
            return np.column_stack(cols)
        return 0.0 if spec is None else spec

    def scalar_or_col(spec, what):
        return _column(frame, spec, what, positive=what == "budget") if isinstance(spec, str) else spec

    return Population(
        units=tuple(str(u) for u in frame.index),
        tasks=tasks,
        productivity=prod,
        base=per_task(base, "base"),
        budget=scalar_or_col(budget, "budget"),
        cost=scalar_or_col(cost, "cost"),
        gaming=per_task(gaming, "gaming"),
        value=None if value is None else tuple(_per_task(value, tasks, "value")),
        gamma=gamma,
        ability=None if ability is None else _column(frame, ability, "ability"),
        category=None if category is None else frame[category].astype(str).to_numpy(dtype=object),
        source="population_from_table",
    )


def population_from_scorecard(
    card,
    tasks: Mapping[str, Sequence[str]] | None = None,
    *,
    scale=30.0,
    spread: float = 0.3,
    base="observed",
    budget: float = 1.0,
    cost: float = 0.2,
    gamma: float = 0.5,
    gaming=None,
    value=None,
) -> Population:
    """Build a population from observed scores: today's scores are the starting point, and units
    that score higher on a task are taken to be more productive at it.

    Each task's observed score is the share of full marks a unit earned on the task's items, on
    100 (``'@other'`` is the scheme's other score on its scale, ``'@bonus'`` the bonus points,
    ``'@deduction'`` minus the deduction points after the cap).
    With ``z_ik`` the standardised observed score, productivity is
    ``scale_k exp(spread z_ik - spread**2 / 2)`` (log-normal with mean ``scale_k``, as in
    :func:`random_population`) and ability is the mean of ``z_ik`` over tasks. With
    ``base='observed'`` the score with no extra effort is today's score: the budget is
    discretionary effort on top of routine work, and the simulation asks where the next unit of
    effort goes. These are calibration assumptions, not estimates.

    Parameters
    ----------
    card : Scorecard  from :func:`workbench.score`
    tasks : mapping task -> list of rubric codes (indicators or blocks), ``'@other'``, ``'@bonus'``
        or ``'@deduction'``
        Default :func:`~workbench.incentives.default_tasks`: ``econ`` (the other score), ``party``
        (items not kept in ledgers) and ``paper`` (items whose source is 台账).
    scale : number, sequence or mapping task -> number, default=30
    base : 'observed', number, sequence or mapping task -> number, default='observed'
    spread, budget, cost, gamma, gaming, value : see :func:`random_population`
        ``gaming`` is relative to ``scale`` (``{'paper': 0.8}``: gaming the paper trail is 80% as
        productive as doing it).

    Returns
    -------
    Population
    """
    from ._from_rubric import BONUS, DEDUCTION, OTHER, default_tasks, expand_codes

    rubric = card.rubric
    mapping = default_tasks(rubric) if tasks is None else {t: list(c) for t, c in tasks.items()}
    names = tuple(mapping)
    observed, points = [], []
    for task, codes in mapping.items():
        if OTHER in codes:
            if card.other is None:
                raise SpecError(
                    _("task {task!r} uses '@other' but rubric {code!r} has no other score").format(
                        task=task, code=rubric.code
                    ),
                    key=task,
                )
            observed.append(card.other.to_numpy(dtype=float) / rubric.scheme.other_scale)
            points.append(100.0 * observed[-1])
        elif DEDUCTION in codes:
            cap = rubric.deductions.cap or max(float(card.deduction.max()), 1.0)
            observed.append(-card.deduction.to_numpy(dtype=float) / cap)
            points.append(-card.deduction.to_numpy(dtype=float))
        elif BONUS in codes:
            cap = rubric.bonus.cap or max(float(card.bonus.max()), 1.0)
            observed.append(card.bonus.to_numpy(dtype=float) / cap)
            points.append(card.bonus.to_numpy(dtype=float))
        else:
            inds = expand_codes(rubric, codes, task)
            pts = card.points[inds].to_numpy(dtype=float)
            full = card.full[inds].to_numpy(dtype=float) * ~np.isnan(pts)
            with np.errstate(invalid="ignore", divide="ignore"):
                observed.append(np.nansum(pts, axis=1) / full.sum(axis=1))
            points.append(100.0 * observed[-1])
    obs = np.column_stack(observed)
    fill = np.nanmean(np.where(np.isfinite(obs), obs, np.nan), axis=0)
    obs = np.where(np.isfinite(obs), obs, fill)
    sd = obs.std(axis=0)
    z = np.where(sd > 0, (obs - obs.mean(axis=0)) / np.where(sd > 0, sd, 1.0), 0.0)
    prod = _per_task(scale, names, "scale") * np.exp(spread * z - spread**2 / 2)
    g = _per_task(gaming, names, "gaming") * _per_task(scale, names, "scale")
    if isinstance(base, str):
        if base != "observed":
            raise SpecError(
                _("The 'base' parameter must be 'observed' or numbers. Got {base!r} instead.").format(
                    base=base
                ),
                key="base",
            )
        pts = np.column_stack(points)
        # below full marks, so effort always has some room; deduction tasks stay negative
        b = np.minimum(np.where(np.isfinite(pts), pts, np.nanmean(pts, axis=0)), 99.9)
    else:
        b = _per_task(base, names, "base")
        if not isinstance(base, Mapping):  # bonus points start from nothing
            b = np.where([BONUS in mapping[t] or DEDUCTION in mapping[t] for t in names], 0.0, b)
    return Population(
        units=tuple(str(u) for u in card.index),
        tasks=names,
        productivity=prod,
        base=b,
        budget=budget,
        cost=cost,
        gaming=np.broadcast_to(g, prod.shape),
        value=None if value is None else tuple(_per_task(value, names, "value")),
        gamma=gamma,
        ability=z.mean(axis=1),
        category=None if card.category is None else card.category.astype(str).to_numpy(dtype=object),
        source=f"population_from_scorecard({rubric.code})",
    )
