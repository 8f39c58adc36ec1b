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
from ..errors import DataError
from . import grades as _grades
from .rules import rank_desc

__all__ = ["score", "Scorecard"]


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
        return self._frame("blocks", self._arrays["block_codes"]).drop(columns=[self.rubric.root])

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
    from ..io import coerce_columns

    if unit is None and data.index.name is None and rubric.unit_column in data.columns:
        unit = rubric.unit_column
    data, arrays = coerce_columns(rubric, data, unit=unit)
    n = len(data)
    if n == 0:
        raise DataError("the table has no units to score")
    index = data.index
    codes = rubric.indicators
    cat = cat_labels = None
    if rubric.categories is not None:
        # integer codes: peer groups and within-category ranks work on ints, not strings
        cat, cat_labels = pd.factorize(data[rubric.categories.column].astype(str))
        cat_labels = np.asarray(cat_labels, dtype=object)

    full_table, inverse = _full_marks(rubric, codes, cat, cat_labels, weights, n)
    # column-major: each rule writes one contiguous column
    shares = np.empty((n, len(codes)), order="F")
    any_exempt = False
    for j, code in enumerate(codes):
        node = rubric.nodes[code]
        s = np.maximum(node.rule.share(arrays[code], node.direction, peers=cat), 0.0)
        miss = np.isnan(s)
        if miss.any():
            if node.missing == "exempt":
                any_exempt = True  # stays NaN: exempt
            else:  # 'zero' (and 'error', which validation already ruled out)
                s[miss] = 0.0
        shares[:, j] = s

    block_codes = [c for c in rubric.nodes if rubric.nodes[c].children]
    member = _membership(rubric, codes, block_codes)  # (m, B)
    root_j = block_codes.index(rubric.root)
    filled = np.nan_to_num(shares, nan=0.0) if any_exempt else shares
    block_points = np.empty((n, len(block_codes)))
    available = np.empty(n)
    # points = share x full marks; folding the full marks into the membership matrix turns the
    # block sums into one matrix product per distinct row of full marks (one per category)
    for k, row in enumerate(full_table):
        rows = slice(None) if len(full_table) == 1 else inverse == k
        block_points[rows] = filled[rows] @ (row[:, None] * member)
        available[rows] = (~np.isnan(shares[rows])) @ row if any_exempt else row.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        base = np.where(available > 0, block_points[:, root_j] * rubric.scale / available, 0.0)

    bonus_items, bonus = _adjust(rubric.bonus, arrays, n)
    ded_items, deduction = _adjust(rubric.deductions, arrays, n)
    total = base + bonus - deduction

    other = None
    scheme = rubric.scheme
    if scheme.type == "single":
        final = total
    else:
        other = arrays[scheme.other_column]
        if scheme.type == "weighted":
            final = (
                scheme.party_weight * total * 100.0 / rubric.scale
                + (1 - scheme.party_weight) * other * 100.0 / scheme.other_scale
            )
        elif scheme.type == "multiplicative":
            final = other * total / rubric.scale
        else:  # dual100: ranking by the sum of the two hundred-point scores
            final = total + other

    veto_flags = (
        np.column_stack([_veto_flag(v, arrays) for v in rubric.veto])
        if rubric.veto
        else np.zeros((n, 0), bool)
    )
    vetoed = veto_flags.any(axis=1)

    g = rubric.grades
    names = g.names
    if names:
        if scheme.type == "dual100":
            band = _grades.dual_matrix_index(
                _grades.band_index(np.round(total * 100.0 / rubric.scale, 9), g.bands),
                _grades.band_index(np.round(other * 100.0 / scheme.other_scale, 9), g.bands),
                scheme.matrix,
                names,
            )
        else:
            # a total of 70 summed as 69.99999999999999 is 70: bands read scores rounded like ranks
            band = _grades.band_index(np.round(final, 9), g.bands)
        after_veto = _grades.apply_veto(band, veto_flags, rubric.veto, names)
        groups = cat if (g.scope == "category" and cat is not None) else None
        gi, demoted = _grades.apply_quota(
            after_veto, final, dict(g.quota), names, ties=g.ties, rounding=g.rounding, groups=groups
        )
        # categoricals: grade names are stored once, not once per unit
        grade_band = pd.Series(
            pd.Categorical.from_codes(band, categories=names), index=index, name="grade_band"
        )
        grade = pd.Series(pd.Categorical.from_codes(gi, categories=names), index=index, name="grade")
    else:
        grade_band = pd.Series([None] * n, index=index, dtype=object, name="grade_band")
        grade = grade_band.rename("grade")
        demoted = np.zeros(n, dtype=bool)

    key = np.round(final, 9)
    if rubric.veto_rank == "last" and vetoed.any():
        # vetoed units rank after every other unit, in score order among themselves
        key = np.where(vetoed, key - (np.nanmax(key) - np.nanmin(key) + 1.0), key)
    rank = pd.Series(rank_desc(key).astype(int), index=index, name="rank")
    rank_cat = None
    if cat is not None and rubric.categories.rank_within:
        rank_cat = pd.Series(rank_desc(key, cat).astype(int), index=index, name="rank_in_category")

    series = lambda a, name: pd.Series(a, index=index, name=name)  # noqa: E731
    return Scorecard(
        rubric=rubric,
        index=index,
        _arrays=MappingProxyType(
            {
                "values": {c: arrays[c] for c in codes},
                "shares": shares,
                "full": (full_table, inverse),
                "blocks": block_points,
                "block_codes": block_codes,
                "bonus_items": bonus_items,
                "deduction_items": ded_items,
                "veto_items": veto_flags,
            }
        ),
        available=series(available, "available"),
        base=series(base, "base"),
        bonus=series(bonus, "bonus"),
        deduction=series(deduction, "deduction"),
        total=series(total, "total"),
        other=None if other is None else series(other, scheme.other_column),
        final=series(final, "final"),
        vetoed=series(vetoed, "vetoed"),
        grade_band=grade_band,
        grade=grade,
        demoted=series(demoted, "demoted"),
        rank=rank,
        rank_in_category=rank_cat,
        category=None if cat is None else series(cat_labels[cat], rubric.categories.column),
    )


def _full_marks(rubric, codes, cat, cat_labels, weights, n) -> tuple[np.ndarray, np.ndarray]:
    """Full marks per category and indicator, and each unit's row in that table.

    Rows differ only where categories carry their own weights, so the (n, m) table is never
    stored, only (categories, m) and an index.
    """
    base_over = dict(weights or {})
    if cat is None or not rubric.categories.weights:
        row = rubric.full_marks(base_over or None)[codes].to_numpy()
        return row[None, :], np.zeros(n, dtype=int)
    table = np.empty((len(cat_labels), len(codes)))
    for i, label in enumerate(cat_labels):
        over = {**dict(rubric.categories.weights.get(label, {})), **base_over}
        table[i] = rubric.full_marks(over or None)[codes].to_numpy()
    return table, cat


def _membership(rubric, codes, block_codes) -> np.ndarray:
    """(m, B) 0/1 matrix: indicator j lies under block b."""
    col = {b: k for k, b in enumerate(block_codes)}
    out = np.zeros((len(codes), len(block_codes)))
    for j, c in enumerate(codes):
        out[j, col[rubric.root]] = 1.0
        for a in rubric.ancestors(c):
            out[j, col[a]] = 1.0
    return out


def _veto_flag(v, arrays) -> np.ndarray:
    """A veto flag column, or a threshold on an indicator (missing values never trigger it)."""
    if v.indicator is None:
        return arrays[v.code]
    x = np.asarray(arrays[v.indicator], dtype=float)
    with np.errstate(invalid="ignore"):
        return (x < v.below) if v.below is not None else (x > v.above)


def _adjust(adj, arrays, n) -> tuple[np.ndarray, np.ndarray]:
    """Per-item points (n, k) before the overall cap, and the applied total (n,)."""
    if not adj.items:
        return np.zeros((n, 0)), np.zeros(n)
    counts = np.column_stack([arrays[it.code] for it in adj.items])
    per = counts * np.array([it.points for it in adj.items])
    caps = np.array([np.inf if it.cap is None else it.cap for it in adj.items])
    per = np.minimum(per, caps)
    if adj.stacking == "highest":
        # highest level only, no stacking: one occurrence of the best item counts
        single = np.where(counts > 0, np.minimum(np.array([it.points for it in adj.items]), caps), 0.0)
        raw = single.max(axis=1)
    else:
        raw = per.sum(axis=1)
    applied = np.minimum(raw, adj.cap) if adj.cap is not None else raw
    return per, applied
