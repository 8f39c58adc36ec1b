"""Rubric-style scoring: data + rubric -> points, blocks, bonus, deduction, veto, grades, ranks.

:func:`score` applies a :class:`~workbench.rubric.Rubric` to a table of units on whole arrays (one
pass per indicator column, never a loop over units) and returns a :class:`Scorecard` that keeps
every intermediate quantity, so that ``card.explain(unit)`` can say line by line why a unit got
its score and grade.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

import numpy as np
import pandas as pd

from .._results import ResultMixin
from ..errors import DataError, SpecError
from .kernel import evaluate
from .program import compile_rubric, prepare

__all__ = ["score", "Scorecard", "score_inputs", "scorecard", "weight_overrides"]


@dataclass(frozen=True, repr=False)
class Scorecard(ResultMixin):
    """The result of :func:`score`. Tables are indexed by unit id; columns by rubric codes.

    Attributes
    ----------
    values : DataFrame (units x indicators)  validated input values
    shares : DataFrame  share of full marks earned per indicator (NaN where exempt)
    points : DataFrame  points earned per indicator (NaN where exempt)
    full : DataFrame    full marks per unit and indicator (differs by category when weights do)
    blocks : DataFrame  points of every block (internal node except the root)
    available : Series  full marks a unit could earn (less than the scale when items are exempt)
    base, bonus, deduction, total, final : Series
    bonus_items, deduction_items : DataFrame  points per item after per-item caps, before the overall cap
    veto_items : DataFrame (bool), vetoed : Series (bool)
    grade_band, grade : Series  grade by bands alone, and after veto, dual-100 matrix and quota
    demoted : Series (bool)  units the quota moved down
    rank, rank_in_category : Series (1 = best; ties share the best rank)

    The unit-by-indicator tables are built from arrays on first access, so scoring a province
    does not pay for tables nobody reads.
    """

    rubric: object
    index: pd.Index
    _arrays: Mapping = field(repr=False)
    available: pd.Series
    base: pd.Series
    bonus: pd.Series
    deduction: pd.Series
    total: pd.Series
    other: pd.Series | None
    final: pd.Series
    vetoed: pd.Series
    grade_band: pd.Series
    grade: pd.Series
    demoted: pd.Series
    rank: pd.Series
    rank_in_category: pd.Series | None
    category: pd.Series | None

    def _frame(self, name, columns):
        return pd.DataFrame(self._arrays[name], index=self.index, columns=columns)

    @cached_property
    def values(self) -> pd.DataFrame:
        return pd.DataFrame({c: self._arrays["values"][c] for c in self.rubric.indicators}, index=self.index)

    @cached_property
    def shares(self) -> pd.DataFrame:
        return self._frame("shares", self.rubric.indicators)

    @cached_property
    def points(self) -> pd.DataFrame:
        table, inverse = self._arrays["full"]
        return pd.DataFrame(
            self._arrays["shares"] * table[inverse], index=self.index, columns=self.rubric.indicators
        )

    @cached_property
    def full(self) -> pd.DataFrame:
        table, inverse = self._arrays["full"]
        return pd.DataFrame(table[inverse], index=self.index, columns=self.rubric.indicators)

    @cached_property
    def blocks(self) -> pd.DataFrame:
        from .kernel import block_points

        a = self._arrays
        points = block_points(a["program"], a["inputs"], a["full"][0])  # on first use only
        return pd.DataFrame(points.T, index=self.index, columns=a["program"].blocks).drop(
            columns=[self.rubric.root]
        )

    @cached_property
    def bonus_items(self) -> pd.DataFrame:
        return self._frame("bonus_items", [it.code for it in self.rubric.bonus.items])

    @cached_property
    def deduction_items(self) -> pd.DataFrame:
        return self._frame("deduction_items", [it.code for it in self.rubric.deductions.items])

    @cached_property
    def veto_items(self) -> pd.DataFrame:
        return self._frame("veto_items", [v.code for v in self.rubric.veto])

    @property
    def units(self) -> pd.Index:
        return self.final.index

    def to_frame(self, names: bool = False) -> pd.DataFrame:
        """One row per unit: category, top blocks, base, bonus, deduction, total, final, veto,
        grade and ranks, sorted by rank. ``names=True`` labels blocks by their Chinese names."""
        r = self.rubric
        cols = {}
        if self.category is not None:
            cols["category"] = self.category
        for b in r.top_blocks:
            cols[r.nodes[b].name if names else b] = self.blocks[b]
        cols.update(base=self.base, bonus=self.bonus, deduction=self.deduction, total=self.total)
        if self.other is not None:
            cols["other"] = self.other
            cols["final"] = self.final
        cols.update(vetoed=self.vetoed, grade=self.grade, rank=self.rank)
        if self.rank_in_category is not None:
            cols["rank_in_category"] = self.rank_in_category
        frame = pd.DataFrame(cols)
        return frame.sort_values(["rank"], kind="stable")

    def grade_counts(self) -> pd.Series:
        """Number of units per grade, best first (grades with no unit show 0)."""
        names = self.rubric.grades.names
        return self.grade.value_counts(sort=False).reindex(names, fill_value=0).rename("units")

    def _summary_title(self) -> str:
        return f"Scorecard: {self.rubric.name} ({len(self.final)} units)"

    def _summary_facts(self) -> dict:
        facts = {"mean total": float(self.total.mean())}
        if self.rubric.grades.bands:
            facts["grades"] = ", ".join(f"{g} {n}" for g, n in self.grade_counts().items())
        facts["vetoed"] = int(self.vetoed.sum())
        return facts

    def explain(self, unit, lang: str = "zh"):
        """Why ``unit`` got its score, grade and rank, line by line (``lang`` 'zh' or 'en')."""
        from .explain import explain

        return explain(self, unit, lang=lang)


def score(
    rubric, data: pd.DataFrame, *, unit: str | None = None, weights: Mapping | None = None
) -> Scorecard:
    """Score units against a rubric.

    Parameters
    ----------
    rubric : Rubric
    data : DataFrame
        One row per unit, indexed by unit id (as :func:`workbench.read_table` returns) or with the
        id in column ``unit``. Columns named by rubric codes (or indicator names). It is validated
        with :func:`workbench.io.validate_data` and never modified.
    unit : str, optional
        Unit id column, when the ids are a column rather than the index.
    weights : mapping code -> relative weight, optional
        Replaces the rubric's weights within each parent (a weight simulation) without editing
        the rubric.

    Returns
    -------
    Scorecard

    Notes
    -----
    Order of operations: indicator rules -> points (share x full marks) -> block sums -> base
    (rescaled to the rubric scale when some indicators are exempt for a unit) -> bonus and
    deduction (per-item points x counts, per-item caps, 'highest' or 'sum' stacking, overall
    caps) -> total -> scheme (weighted, multiplicative or dual-100 with the other score) ->
    grade bands -> veto -> quotas (best grade first; demoted units compete for the next grade)
    -> ranks (1 = best, ties share the best rank; also within category).

    Examples
    --------
    >>> card = score(rubric, data)  # doctest: +SKIP
    >>> card.to_frame().head()  # doctest: +SKIP
    """
    return score_inputs(rubric, data, unit=unit, weights=weights)[0]


def score_inputs(rubric, data: pd.DataFrame, *, unit: str | None = None, weights: Mapping | None = None):
    """:func:`score`, also returning the compiled program and the prepared inputs it ran on.

    Returns
    -------
    card : Scorecard
    program : workbench.scoring.program.Program
    inputs : workbench.scoring.program.Inputs
    """
    from ..io import coerce_columns

    if unit is None and data.index.name is None and rubric.unit_column in data.columns:
        unit = rubric.unit_column
    data, arrays = coerce_columns(rubric, data, unit=unit)
    if len(data) == 0:
        raise DataError("the table has no units to score")
    program = compile_rubric(rubric)
    category = None if program.cat_column is None else data[program.cat_column]
    inputs = prepare(program, arrays, category)
    w = weight_overrides(program, weights, func="score") if weights else None
    ev = evaluate(program, inputs, weights=w, details=True)
    values = {c: arrays[c] for c in rubric.indicators}
    return scorecard(rubric, program, inputs, ev, data.index, values), program, inputs


def weight_overrides(program, weights: Mapping, rows: int = 1, func: str = "score") -> np.ndarray:
    """Relative weights {code: weight} as a (rows, N) override array of ``program`` (NaN = keep)."""
    unknown = [c for c in weights if c not in program.nodes or program.parent[program.position([c])[0]] < 0]
    if unknown:
        raise SpecError(
            f"The 'weights' parameter of {func} names codes that are not components of rubric "
            f"{program.code!r}: {unknown}",
            key="weights",
            hint=f"codes look like {list(program.nodes[1:4])}",
        )
    bad = {c: w for c, w in weights.items() if not _weight(w)}
    if bad:
        raise SpecError(
            f"The 'weights' parameter of {func} must give finite numbers >= 0; got {bad}", key="weights"
        )
    out = np.full((rows, len(program.nodes)), np.nan)
    out[:, program.position(list(weights))] = [float(v) for v in weights.values()]
    return out


def _weight(w) -> bool:
    return (
        isinstance(w, (int, float, np.integer, np.floating)) and not isinstance(w, bool) and 0 <= w < np.inf
    )


def scorecard(rubric, program, inputs, ev, index, values) -> Scorecard:
    """The :class:`Scorecard` of variant 0 of an evaluation (``details=True``)."""
    n = inputs.n
    series = lambda a, name: pd.Series(a, index=index, name=name)  # noqa: E731
    names = list(program.names)
    if names:
        # categoricals: grade names are stored once, not once per unit
        grade_band = pd.Series(
            pd.Categorical.from_codes(ev.band[0], categories=names), index=index, name="grade_band"
        )
        grade = pd.Series(pd.Categorical.from_codes(ev.grade[0], categories=names), index=index, name="grade")
    else:
        grade_band = pd.Series([None] * n, index=index, dtype=object, name="grade_band")
        grade = grade_band.rename("grade")
    rank_cat = None
    if ev.rank_in_category is not None:
        rank_cat = pd.Series(ev.rank_in_category[0].astype(int), index=index, name="rank_in_category")
    cat = inputs.cat
    return Scorecard(
        rubric=rubric,
        index=index,
        _arrays=MappingProxyType(
            {
                "values": values,
                "shares": inputs.shares.T,
                "full": (ev.full[:, :, 0].T, np.zeros(n, dtype=int) if inputs.row is None else inputs.row),
                "bonus_items": inputs.bonus_items,
                "deduction_items": inputs.deduction_items,
                "veto_items": inputs.veto_flags,
                "program": program,  # what the kernel ran: variants of this scoring start here
                "inputs": inputs,
            }
        ),
        available=series(ev.available[0], "available"),
        base=series(ev.base[0], "base"),
        bonus=series(inputs.bonus, "bonus"),
        deduction=series(inputs.deduction, "deduction"),
        total=series(ev.total[0], "total"),
        other=None if inputs.other is None else series(inputs.other, program.other_column),
        final=series(ev.final[0], "final"),
        vetoed=series(ev.vetoed[0], "vetoed"),
        grade_band=grade_band,
        grade=grade,
        demoted=series(ev.demoted[0], "demoted"),
        rank=pd.Series(ev.rank[0].astype(int), index=index, name="rank"),
        rank_in_category=rank_cat,
        category=None if cat is None else series(inputs.cat_labels[cat], program.cat_column),
    )
