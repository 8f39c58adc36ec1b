"""The tables of a briefing, with headers from :mod:`..catalogue` (numbers as the Scorecard has them,
rounded only for display: blocks, bonus and deductions to 1 decimal, totals and final scores to 2)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..catalogue import text
from .reasons import reasons
from .text import words

__all__ = [
    "structure_table",
    "points_by_category",
    "matrix_table",
    "grade_counts_table",
    "unit_table",
    "group_order",
    "reasons_table",
    "fragile_table",
    "transitions_table",
    "moved_table",
    "weights_table",
    "effort_table",
    "DIGITS",
    "half_up",
]

DIGITS = 2  # totals and final scores; blocks, bonus and deductions show 1 decimal


def half_up(values, digits: int):
    """Round halves up, as people do (94.825 -> 94.83, where numpy's ``round`` gives 94.82, to even)."""
    scale = 10.0**digits
    return np.floor(values * scale + 0.5) / scale


def structure_table(b, lang: str = "zh") -> pd.DataFrame:
    """Top blocks: points (as written), number of items and the kinds of evidence."""
    r = b.rubric
    full = r.full_marks()
    rows = []
    for blk in r.top_blocks:
        leaves = [c for c in r.indicators if blk in r.ancestors(c) or c == blk]
        sources = sorted({r.nodes[c].source for c in leaves if r.nodes[c].source})
        rows.append(
            {
                text("col_block", lang): r.nodes[blk].name,
                text("col_points", lang): round(float(full[blk]), 2),
                text("col_items", lang): len(leaves),
                text("col_evidence", lang): "、".join(sources) if lang != "en" else ", ".join(sources),
            }
        )
    return pd.DataFrame(rows).set_index(text("col_block", lang))


def points_by_category(b, lang: str = "zh") -> pd.DataFrame | None:
    """Points of every top block in each category: the weights actually used (None without
    category weights)."""
    r = b.rubric
    if r.categories is None or not r.categories.weights or b.card.category is None:
        return None
    groups = group_order(b)
    cols = {g: r.full_marks(dict(r.categories.weights.get(g, {})) or None)[r.top_blocks] for g in groups}
    out = pd.DataFrame(cols).round(2)
    out.index = [r.nodes[c].name for c in r.top_blocks]
    out.index.name = text("col_block", lang)
    return out


def matrix_table(b, lang: str = "zh") -> pd.DataFrame | None:
    s = b.rubric.scheme
    if s.type != "dual100" or s.matrix is None:
        return None
    names = b.rubric.grades.names
    out = pd.DataFrame({o: [s.matrix[a][o] for a in names] for o in names}, index=names)
    out.index.name = text("party_score", lang)
    return out


def group_order(b) -> list:
    """Categories in the rubric's order (declared names first), then any others present."""
    present = list(pd.unique(b.card.category)) if b.card.category is not None else []
    declared = [c for c in (b.rubric.categories.names if b.rubric.categories else ()) if c in present]
    return declared + sorted(c for c in present if c not in declared)


def grade_counts_table(b, lang: str = "zh") -> pd.DataFrame:
    """Units per grade (columns), per category (rows) with a total row when there are categories."""
    c = b.card
    names = b.rubric.grades.names
    all_label = text("col_all", lang)
    if c.category is None:
        out = c.grade_counts().rename(all_label).to_frame().T
        out.index.name = text("col_count", lang, **words(b, lang))
        return out
    table = pd.crosstab(c.category, c.grade.astype(object)).reindex(
        index=group_order(b), columns=names, fill_value=0
    )
    table.loc[all_label] = table.sum()
    table.index.name = text("col_category", lang)
    table.columns.name = None
    return table


def unit_table(
    b,
    lang: str = "zh",
    ids=None,
    *,
    category: bool = True,
    both_ranks: bool = False,
    full_notes: bool = False,
    compact: bool = False,
):
    """One row per unit: rank, name, category, block points, base, bonus, deduction, total, other
    and final scores, grade and a note (veto, quota, dual-100 matrix, items that do not apply).

    ``ids`` selects and orders the rows (default: all, in rank order). Without the category column
    (a table per category) the rank within category is headed 排名; ``full_notes`` writes the reasons
    in full (appendix) instead of short marks; ``compact`` leaves out the block points.
    """
    c, r = b.card, b.rubric
    t = lambda k: text(k, lang)  # noqa: E731
    ids = c.rank.sort_values(kind="stable").index if ids is None else pd.Index(ids)
    why = reasons(b, lang).loc[ids]
    out = pd.DataFrame(index=ids)
    within = b.within and c.rank_in_category is not None
    if within:
        out[t("col_rank_cat") if category or both_ranks else t("col_rank")] = c.rank_in_category.loc[ids]
    if both_ranks or not within:
        out[t("col_rank")] = c.rank.loc[ids]
    if b.names is not None:
        out[t("col_name")] = b.names.reindex(ids).fillna("").to_numpy()
    if category and c.category is not None:
        out[t("col_category")] = c.category.loc[ids]
    for blk in () if compact else r.top_blocks:
        out[r.nodes[blk].name] = half_up(c.blocks[blk].loc[ids], 1)
    exempt = not compact and bool((c.available < r.scale - 1e-9).any())
    if exempt:
        out[t("col_available")] = half_up(c.available.loc[ids], 1)
        out[t("col_base")] = half_up(c.base.loc[ids], 1)
    if r.bonus.items and not compact:
        out[t("col_bonus")] = half_up(c.bonus.loc[ids], 1)
    if r.deductions.items and not compact:
        out[t("col_deduction")] = half_up(c.deduction.loc[ids], 1)
    out[t("col_total")] = half_up(c.total.loc[ids], DIGITS)
    if c.other is not None:
        out[r.scheme.other_name or r.scheme.other_column] = half_up(c.other.loc[ids], DIGITS)
        out[words(b, lang)["Score"]] = half_up(c.final.loc[ids], DIGITS)
    if r.grades.bands:
        out[t("col_grade")] = why["grade"]
    out[t("col_note")] = why["note" if full_notes else "mark"]
    out.index.name = t("col_unit")
    return out


def reasons_table(b, lang: str = "zh", limit: int | None = None) -> tuple[pd.DataFrame, int]:
    """Units whose grade differs from their score band, and why; (table, units left out)."""
    c = b.card
    why = reasons(b, lang)
    ids = c.rank[why["differs"]].sort_values(kind="stable").index
    shown = ids if limit is None else ids[:limit]
    w = words(b, lang)
    out = pd.DataFrame(index=shown)
    if b.names is not None:
        out[text("col_name", lang)] = b.names.reindex(shown).fillna("").to_numpy()
    if c.category is not None:
        out[text("col_category", lang)] = c.category.loc[shown]
    out[w["Score"]] = half_up(c.final.loc[shown], DIGITS)
    out[text("col_grade_band", lang)] = why.loc[shown, "alone"]
    out[text("col_grade", lang)] = why.loc[shown, "grade"]
    out[text("col_reason", lang)] = why.loc[shown, "why"]
    out.index.name = text("col_unit", lang)
    return out, len(ids) - len(shown)


def fragile_table(b, lang: str = "zh", top: int = 15) -> pd.DataFrame:
    """Units whose grade is least certain when the weights vary."""
    u, c = b.uncertainty, b.card
    if u is None or u.grade_probs is None:
        return pd.DataFrame()
    grade = c.grade.astype(object)
    probs = u.grade_probs.reindex(index=c.index)
    cols = probs.columns.get_indexer(grade.to_numpy())
    keep = probs.to_numpy()[np.arange(len(grade)), cols]
    out = pd.DataFrame(index=c.index)
    if b.names is not None:
        out[text("col_name", lang)] = b.names.reindex(c.index).fillna("").to_numpy()
    out[text("col_grade", lang)] = grade
    out[text("col_p_grade", lang)] = keep.round(2)
    if b.within:
        # ranks are read within category: the range too, from each run's scores
        out.insert(0 if b.names is None else 1, text("col_category", lang), c.category)
        key = u.scores.reindex(c.index).to_numpy(dtype=float)
        if b.rubric.veto_rank == "last":
            span = np.nanmax(key) - np.nanmin(key) + 1
            key = np.where(c.vetoed.to_numpy()[:, None], key - span, key)
        ranks = (
            pd.DataFrame(key, index=c.index)
            .groupby(c.category.to_numpy())
            .rank(ascending=False, method="min")
        )
        lo, hi = ranks.quantile(0.05, axis=1), ranks.quantile(0.95, axis=1)
        out[text("col_rank_cat", lang)] = c.rank_in_category
    else:
        stats = u.rank_stats.reindex(c.index)
        lo, hi = stats["q05"], stats["q95"]
        out[text("col_rank", lang)] = c.rank
    out[text("col_rank_range", lang)] = (
        lo.round().astype(int).astype(str) + "–" + hi.round().astype(int).astype(str)
    )
    out.index.name = text("col_unit", lang)
    return out.sort_values(text("col_p_grade", lang), kind="stable").head(top)


def transitions_table(b, lang: str = "zh") -> pd.DataFrame | None:
    """Current grade (rows) x scenario grade (columns) counts."""
    if b.baseline is None or not b.rubric.grades.bands:
        return None
    names = b.rubric.grades.names
    out = pd.crosstab(b.baseline.grade.astype(object), b.card.grade.astype(object)).reindex(
        index=names, columns=names, fill_value=0
    )
    out.index.name = text("col_baseline_grade", lang)
    out.columns.name = None
    return out


def moved_table(b, lang: str = "zh", limit: int = 30) -> tuple[pd.DataFrame, int]:
    """Units whose grade the scenario changes; (table, units left out)."""
    if b.baseline is None or not b.rubric.grades.bands:
        return pd.DataFrame(), 0
    before, after = b.baseline.grade.astype(object), b.card.grade.astype(object)
    ids = b.card.rank[before != after].sort_values(kind="stable").index
    shown = ids[:limit]
    out = pd.DataFrame(index=shown)
    if b.names is not None:
        out[text("col_name", lang)] = b.names.reindex(shown).fillna("").to_numpy()
    out[text("col_baseline_grade", lang)] = before.loc[shown]
    out[text("col_scenario_grade", lang)] = after.loc[shown]
    out[words(b, lang)["Score"]] = half_up(b.card.final.loc[shown], DIGITS)
    out.index.name = text("col_unit", lang)
    return out, len(ids) - len(shown)


def weights_table(b, lang: str = "zh") -> pd.DataFrame | None:
    """Stated, data-driven and revealed weights of the top blocks, and their real influence."""
    if b.weights is None:
        return None
    out = b.weights.rename(columns={k: text(f"w_{k}", lang) for k in b.weights.columns})
    # real influence on the same footing as the stated weights only when the rubric's total is final
    imp = b.importance if b.rubric.scheme.type == "single" else None
    if imp is not None:
        t = imp.table.set_index("name")
        for k in ("contribution", "effective"):
            if t[k].notna().all():
                out[text(f"w_{k}", lang)] = t[k].reindex(out.index).to_numpy()
                break
    out.index.name = text("col_block", lang)
    return out.map(lambda v: "" if pd.isna(v) else f"{v:.1%}")


def effort_table(b, lang: str = "zh") -> pd.DataFrame | None:
    if b.effort is None:
        return None
    out = b.effort.rename(columns={k: text(f"e_{k}", lang) for k in b.effort.columns})
    return out.map(lambda v: "" if pd.isna(v) else f"{v:.1%}")
