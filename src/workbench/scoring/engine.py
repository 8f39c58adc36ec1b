"""Rubric-style scoring: data + rubric -> points, blocks, bonus, deduction, veto, grades, ranks.

:func:`score` applies a :class:`~workbench.rubric.Rubric` to a table of units on whole arrays (one
pass per indicator column, never a loop over units) and returns a :class:`Scorecard` that keeps
every intermediate quantity, so that ``card.explain(unit)`` can say line by line why a unit got
its score and grade.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._results import ResultMixin
from ..errors import DataError
from . import grades as _grades

__all__ = ["score", "Scorecard"]


@dataclass(frozen=True, repr=False)
class Scorecard(ResultMixin):
    """The result of :func:`score`. Tables are indexed by unit id; columns by rubric codes.

    Attributes
    ----------
    values : DataFrame (units x indicators)  validated input values
    shares : DataFrame  share of full marks earned per indicator (NaN where exempt)
    points : DataFrame  points earned per indicator
    full : DataFrame    full marks per unit and indicator (differs by category when weights do)
    blocks : DataFrame  points of every block (internal node), and ``available`` full marks
    base, bonus, deduction, total, final : Series
    bonus_items, deduction_items : DataFrame  points per item before caps
    veto_items : DataFrame (bool), vetoed : Series (bool)
    grade_band, grade : Series  grade by bands alone, and after veto, dual-100 matrix and quota
    demoted : Series (bool)  units the quota moved down
    rank, rank_in_category : Series (1 = best; ties share the best rank)
    """

    rubric: object
    values: pd.DataFrame
    shares: pd.DataFrame
    points: pd.DataFrame
    full: pd.DataFrame
    blocks: pd.DataFrame
    available: pd.Series
    base: pd.Series
    bonus_items: pd.DataFrame
    bonus: pd.Series
    deduction_items: pd.DataFrame
    deduction: pd.Series
    total: pd.Series
    other: pd.Series | None
    final: pd.Series
    veto_items: pd.DataFrame
    vetoed: pd.Series
    grade_band: pd.Series
    grade: pd.Series
    demoted: pd.Series
    rank: pd.Series
    rank_in_category: pd.Series | None
    category: pd.Series | None

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
        return self.grade.value_counts().reindex(names, fill_value=0).rename("units")

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
    from ..io import validate_data

    if unit is None and data.index.name is None and rubric.unit_column in data.columns:
        unit = rubric.unit_column
    data = validate_data(rubric, data, unit=unit)
    n = len(data)
    if n == 0:
        raise DataError("the table has no units to score")
    index = data.index
    codes = rubric.indicators
    cat = None
    if rubric.categories is not None:
        cat = data[rubric.categories.column].astype(str).to_numpy(dtype=object)

    full = _full_marks(rubric, codes, cat, weights, n)  # (n, m)
    shares = np.empty((n, len(codes)))
    exempt = np.zeros((n, len(codes)), dtype=bool)
    for j, code in enumerate(codes):
        node = rubric.nodes[code]
        x = data[code].to_numpy()
        if node.rule.numeric:
            x = x.astype(float)
        s = node.rule.share(x, node.direction, peers=cat)
        s = np.maximum(s, 0.0)
        miss = np.isnan(s)
        if node.missing == "exempt":
            exempt[:, j] = miss
        else:  # 'zero' (and 'error', which validation already ruled out)
            s = np.where(miss, 0.0, s)
        shares[:, j] = s
    points = shares * full
    earned = np.where(exempt, 0.0, points)
    avail = np.where(exempt, 0.0, full)

    block_codes = [c for c in rubric.nodes if rubric.nodes[c].children]
    member = _membership(rubric, codes, block_codes)  # (m, B)
    block_points = earned @ member
    block_avail = avail @ member
    root_j = block_codes.index(rubric.root)
    available = block_avail[:, root_j]
    with np.errstate(divide="ignore", invalid="ignore"):
        base = np.where(available > 0, block_points[:, root_j] * rubric.scale / available, 0.0)

    bonus_items, bonus = _adjust(rubric.bonus, data, n)
    ded_items, deduction = _adjust(rubric.deductions, data, n)
    total = base + bonus - deduction

    other = None
    scheme = rubric.scheme
    if scheme.type == "single":
        final = total
    else:
        other = data[scheme.other_column].to_numpy(dtype=float)
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
        np.column_stack([data[v.code].to_numpy(dtype=bool) for v in rubric.veto])
        if rubric.veto
        else np.zeros((n, 0), bool)
    )
    vetoed = veto_flags.any(axis=1)

    g = rubric.grades
    names = g.names
    if names:
        if scheme.type == "dual100":
            band = _grades.dual_matrix_index(
                _grades.band_index(total * 100.0 / rubric.scale, g.bands),
                _grades.band_index(other * 100.0 / scheme.other_scale, g.bands),
                scheme.matrix,
                names,
            )
        else:
            band = _grades.band_index(final, g.bands)
        after_veto = _grades.apply_veto(band, veto_flags, rubric.veto, names)
        groups = cat if (g.scope == "category" and cat is not None) else None
        gi, demoted = _grades.apply_quota(
            after_veto, final, dict(g.quota), names, ties=g.ties, rounding=g.rounding, groups=groups
        )
        grade_band = pd.Series(np.asarray(names, dtype=object)[band], index=index, name="grade_band")
        grade = pd.Series(np.asarray(names, dtype=object)[gi], index=index, name="grade")
    else:
        grade_band = grade = pd.Series([None] * n, index=index, dtype=object, name="grade")
        demoted = np.zeros(n, dtype=bool)

    key = pd.Series(np.round(final, 9), index=index)
    rank = key.rank(method="min", ascending=False).astype(int).rename("rank")
    rank_cat = None
    if cat is not None and rubric.categories.rank_within:
        rank_cat = key.groupby(cat).rank(method="min", ascending=False).astype(int).rename("rank_in_category")

    frame = lambda a, cols: pd.DataFrame(a, index=index, columns=cols)  # noqa: E731
    shares_out = np.where(exempt, np.nan, shares)
    blocks = frame(block_points, block_codes).drop(columns=[rubric.root])
    return Scorecard(
        rubric=rubric,
        values=data[codes],
        shares=frame(shares_out, codes),
        points=frame(np.where(exempt, np.nan, points), codes),
        full=frame(full, codes),
        blocks=blocks,
        available=pd.Series(available, index=index, name="available"),
        base=pd.Series(base, index=index, name="base"),
        bonus_items=frame(bonus_items, [it.code for it in rubric.bonus.items]),
        bonus=pd.Series(bonus, index=index, name="bonus"),
        deduction_items=frame(ded_items, [it.code for it in rubric.deductions.items]),
        deduction=pd.Series(deduction, index=index, name="deduction"),
        total=pd.Series(total, index=index, name="total"),
        other=None if other is None else pd.Series(other, index=index, name=scheme.other_column),
        final=pd.Series(final, index=index, name="final"),
        veto_items=frame(veto_flags, [v.code for v in rubric.veto]),
        vetoed=pd.Series(vetoed, index=index, name="vetoed"),
        grade_band=grade_band.rename("grade_band"),
        grade=grade,
        demoted=pd.Series(demoted, index=index, name="demoted"),
        rank=rank,
        rank_in_category=rank_cat,
        category=None if cat is None else pd.Series(cat, index=index, name=rubric.categories.column),
    )


def _full_marks(rubric, codes, cat, weights, n) -> np.ndarray:
    """Full marks per unit and indicator: (n, m); rows differ only by category weights."""
    base_over = dict(weights or {})
    if cat is None or not rubric.categories.weights:
        row = rubric.full_marks(base_over or None)[codes].to_numpy()
        return np.broadcast_to(row, (n, len(codes)))
    labels, inverse = np.unique(cat, return_inverse=True)
    table = np.empty((len(labels), len(codes)))
    for i, label in enumerate(labels):
        over = {**dict(rubric.categories.weights.get(label, {})), **base_over}
        table[i] = rubric.full_marks(over or None)[codes].to_numpy()
    return table[inverse]


def _membership(rubric, codes, block_codes) -> np.ndarray:
    """(m, B) 0/1 matrix: indicator j lies under block b."""
    col = {b: k for k, b in enumerate(block_codes)}
    out = np.zeros((len(codes), len(block_codes)))
    for j, c in enumerate(codes):
        out[j, col[rubric.root]] = 1.0
        for a in rubric.ancestors(c):
            out[j, col[a]] = 1.0
    return out


def _adjust(adj, data, n) -> tuple[np.ndarray, np.ndarray]:
    """Per-item points (n, k) before the overall cap, and the applied total (n,)."""
    if not adj.items:
        return np.zeros((n, 0)), np.zeros(n)
    counts = np.column_stack([data[it.code].to_numpy(dtype=float) for it in adj.items])
    per = counts * np.array([it.points for it in adj.items])
    caps = np.array([np.inf if it.cap is None else it.cap for it in adj.items])
    per = np.minimum(per, caps)
    raw = per.max(axis=1) if adj.stacking == "highest" else per.sum(axis=1)
    applied = np.minimum(raw, adj.cap) if adj.cap is not None else raw
    return per, applied
