"""The frozen result of :func:`workbench.slimming.slim`."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._results import ResultMixin
from . import _tables
from ._edit import remove_items

__all__ = ["SlimmingResult"]


@dataclass(frozen=True, repr=False)
class SlimmingResult(ResultMixin):
    """Proposed removals and merges, what they save and what they change.

    Attributes
    ----------
    removals : DataFrame
        One row per proposed removal, in removal order: name, block, burden hours saved per unit
        and for all units, Spearman / grade changes / mean rank shift when the item alone is
        removed, the same after the cumulative removal, and the reason (English and Chinese).
    merges : DataFrame
        Highly correlated sibling pairs: keep the item with less burden, move the other's weight to
        it; with the effect of that merge alone.
    impact : DataFrame
        Every item: burden, share of units at full marks, SD of shares, most correlated sibling,
        the effect of removing it alone, and the redundancy flags.
    correlation : DataFrame
        Correlation matrix of the items' shares.
    comparison : DataFrame
        Per unit: full and slimmed final score, rank and grade, and the rank shift.
    path : DataFrame
        Metrics after each cumulative removal.
    removed : tuple of str
    spearman, grade_changes, mean_rank_shift : metrics of the slimmed rubric against the full one
    hours_saved_per_unit, hours_saved_all_units : float
    n_units, evaluations : int  (evaluations = candidate subsets scored)
    method, objective : str
    """

    rubric: object
    removals: pd.DataFrame
    merges: pd.DataFrame
    impact: pd.DataFrame
    correlation: pd.DataFrame
    comparison: pd.DataFrame
    path: pd.DataFrame
    removed: tuple
    candidates: tuple
    spearman: float
    grade_changes: int
    mean_rank_shift: float
    hours_saved_per_unit: float
    hours_saved_all_units: float
    hours_full_per_unit: float
    n_units: int
    evaluations: int
    method: str
    objective: str
    min_spearman: float
    max_grade_changes: int

    def to_frame(self) -> pd.DataFrame:
        return self.removals

    def _summary_title(self) -> str:
        return (
            f"Slimming {self.rubric.code}: remove {len(self.removed)} of {len(self.rubric.indicators)} items"
        )

    def _summary_facts(self) -> dict:
        return {
            "constraints": f"Spearman >= {self.min_spearman:g}, grade changes <= {self.max_grade_changes}",
            "search": f"{self.method} ({self.evaluations} candidate sets scored)",
            "Spearman": round(self.spearman, 4),
            "grade changes": self.grade_changes,
            "mean rank shift": round(self.mean_rank_shift, 3),
            "hours saved per unit": f"{self.hours_saved_per_unit:g} of {self.hours_full_per_unit:g}",
            "hours saved, all units": f"{self.hours_saved_all_units:g} ({self.n_units} units)",
            "merges proposed": len(self.merges),
        }

    def slimmed_rubric(self):
        """The rubric without the proposed removals (weights renormalised within parents, empty blocks
        dropped); :func:`workbench.save_rubric` writes it and :func:`workbench.load_rubric` reads it back."""
        note = (
            f"精简 / slimmed by workbench.slimming: removed {', '.join(self.removed)}"
            if self.removed
            else None
        )
        if not self.removed:
            return self.rubric
        return remove_items(self.rubric, self.removed, note=note)

    def merged_rubric(self, pairs=None):
        """The rubric with merges applied: each dropped item's weight goes to the item it merges into.

        ``pairs`` maps dropped -> kept codes; by default every proposed merge whose items are not
        involved in an earlier one (so chains such as a->b, b->c are not applied twice).
        """
        if pairs is None:
            pairs, seen = {}, set()
            for row in self.merges.itertuples():
                if row.drop not in seen and row.keep not in seen:
                    pairs[row.drop] = row.keep
                    seen.update((row.drop, row.keep))
        pairs = dict(pairs)
        if not pairs:
            return self.rubric
        note = "合并 / merged by workbench.slimming: " + ", ".join(f"{d}->{k}" for d, k in pairs.items())
        return remove_items(self.rubric, list(pairs), into=pairs, note=note)

    # ------------------------------------------------------------------ construction
    @classmethod
    def build(
        cls,
        *,
        rubric,
        card,
        rs,
        hours,
        redundancy,
        single,
        order,
        method,
        objective,
        constraints,
        candidates,
        evaluations,
        corr_threshold,
    ):
        codes = rubric.indicators
        m = len(codes)
        names = rubric.names()
        parent = pd.Series({c: rubric.nodes[c].parent for c in codes})
        present = pd.Series(rs.present, index=codes)
        stats = redundancy["stats"]
        corr = redundancy["corr"]
        sib = _tables.best_sibling(codes, parent, corr)
        impact = pd.DataFrame(
            {
                "name": names[codes],
                "block": parent,
                "burden_hours": hours,
                "full_share": stats["full_share"],
                "share_sd": stats["share_sd"],
                "most_correlated": sib["code"],
                "correlation": sib["corr"],
            },
            index=pd.Index(codes, name="item"),
        )
        for key in ("spearman", "grade_changes", "mean_rank_shift", "max_rank_shift"):
            impact[key] = single[key] if single is not None else np.nan
        impact["non_discriminating"] = stats["non_discriminating"]
        impact["redundant"] = impact["correlation"] >= corr_threshold

        removed = [codes[j] for j in order]
        prefix = np.zeros((len(order), m), dtype=bool)
        for k, j in enumerate(order):
            prefix[k:, j] = True
        cum = rs.evaluate(prefix) if len(order) else None
        rows = []
        for k, c in enumerate(removed):
            why, why_zh = _tables.reason(c, impact, corr, parent, set(removed), corr_threshold)
            rows.append(
                {
                    "item": c,
                    "name": names[c],
                    "block": parent[c],
                    "block_name": names[parent[c]] if parent[c] in names.index else "",
                    "hours_saved_per_unit": hours[c],
                    "hours_saved_all_units": hours[c] * present[c],
                    "spearman": impact.at[c, "spearman"],
                    "grade_changes": int(impact.at[c, "grade_changes"]),
                    "mean_rank_shift": impact.at[c, "mean_rank_shift"],
                    "cum_spearman": float(cum["spearman"][k]),
                    "cum_grade_changes": int(cum["grade_changes"][k]),
                    "cum_mean_rank_shift": float(cum["mean_rank_shift"][k]),
                    "reason": why,
                    "reason_zh": why_zh,
                }
            )
        columns = [
            "item",
            "name",
            "block",
            "block_name",
            "hours_saved_per_unit",
            "hours_saved_all_units",
            "spearman",
            "grade_changes",
            "mean_rank_shift",
            "cum_spearman",
            "cum_grade_changes",
            "cum_mean_rank_shift",
            "reason",
            "reason_zh",
        ]
        removals = pd.DataFrame(rows, columns=columns).set_index("item")
        path = removals[["cum_spearman", "cum_grade_changes", "cum_mean_rank_shift"]].copy()
        path.insert(0, "hours_saved_per_unit", removals["hours_saved_per_unit"].cumsum())
        path.insert(0, "step", np.arange(1, len(removals) + 1))

        mask = np.zeros((1, m), dtype=bool)
        mask[0, order] = True
        res = rs.evaluate(mask, keep_scores=True)
        per_unit = _tables.comparison(card, rs, res)
        merge_table = _tables.merges(rs, redundancy["pairs"], hours, names, parent)
        return cls(
            rubric=rubric,
            removals=removals,
            merges=merge_table,
            impact=impact,
            correlation=corr,
            comparison=per_unit,
            path=path.reset_index(),
            removed=tuple(removed),
            candidates=tuple(candidates),
            spearman=float(res["spearman"][0]),
            grade_changes=int(res["grade_changes"][0]),
            mean_rank_shift=float(res["mean_rank_shift"][0]),
            hours_saved_per_unit=float(hours[removed].sum()),
            hours_saved_all_units=float((hours[removed] * present[removed]).sum()),
            hours_full_per_unit=float(hours.sum()),
            n_units=int(rs.n),
            evaluations=int(evaluations),
            method=method,
            objective=objective,
            min_spearman=constraints.min_spearman,
            max_grade_changes=constraints.max_grade_changes,
        )
