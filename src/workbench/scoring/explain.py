"""Line-by-line explanation of one unit's score, grade and rank (``Scorecard.explain``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._results import ResultMixin
from ..errors import DataError

__all__ = ["Explanation", "explain"]

_T = {
    "zh": {
        "unit": "单位",
        "rubric": "考核方案",
        "value": "数值",
        "exempt": "不涉及（免考，按其余满分折算）",
        "missing0": "缺失，按0分计",
        "base": "基本得分",
        "rescaled": "按可得满分 {a:.4g} 折算到 {s:g} 分",
        "bonus": "加分",
        "deduction": "扣分",
        "capped": "超过上限 {c:g}，按 {c:g} 计",
        "highest": "只计最高一项，不累加",
        "none": "无",
        "total": "总分",
        "other": "{name}",
        "final": "综合得分",
        "veto": "一票否决",
        "veto_lowest": "{name}：等次定为最低",
        "veto_cap": "{name}：等次最高为 {g}",
        "grade": "等次",
        "band": "按分数段为 {g}（≥{b:g}）",
        "quota": "名额限制：{g} 不超过 {q:.0%}，降为 {to}",
        "rank": "排名",
        "rank_txt": "第 {r} 名（共 {n} 个单位）",
        "rank_veto": "（一票否决单位排在最后）",
        "rank_cat": "，{c} 类第 {r} 名（共 {n} 个）",
        "dual": "双百分矩阵：党建 {a}，{o} {b} → {g}",
        "weighted": "党建占 {w:.0%}：{w:.2f}×{t:.4g} + {v:.2f}×{o:.4g} = {f:.4g}",
        "mult": "乘数：{o:.4g} × {t:.4g}/{s:g} = {f:.4g}",
        "of": "满分",
    },
    "en": {
        "unit": "Unit",
        "rubric": "Rubric",
        "value": "value",
        "exempt": "not applicable (exempt; rescaled to the other full marks)",
        "missing0": "missing, scored 0",
        "base": "Base score",
        "rescaled": "rescaled from available {a:.4g} to {s:g} points",
        "bonus": "Bonus",
        "deduction": "Deductions",
        "capped": "over the cap {c:g}, counted as {c:g}",
        "highest": "highest item only, no stacking",
        "none": "none",
        "total": "Total",
        "other": "{name}",
        "final": "Final score",
        "veto": "Veto",
        "veto_lowest": "{name}: lowest grade",
        "veto_cap": "{name}: grade at most {g}",
        "grade": "Grade",
        "band": "score band gives {g} (>= {b:g})",
        "quota": "quota: {g} at most {q:.0%}, moved down to {to}",
        "rank": "Rank",
        "rank_txt": "{r} of {n} units",
        "rank_veto": " (vetoed units rank last)",
        "rank_cat": "; {r} of {n} in category {c}",
        "dual": "dual-100 matrix: party building {a}, {o} {b} -> {g}",
        "weighted": "party building at {w:.0%}: {w:.2f}x{t:.4g} + {v:.2f}x{o:.4g} = {f:.4g}",
        "mult": "multiplier: {o:.4g} x {t:.4g}/{s:g} = {f:.4g}",
        "of": "of",
    },
}


@dataclass(frozen=True, repr=False)
class Explanation(ResultMixin):
    """Why a unit got its score: ``lines`` (text) and ``table`` (one row per scored item)."""

    unit: str
    lines: tuple[str, ...]
    table: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def __str__(self) -> str:
        return "\n".join(self.lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        import html

        return "<pre>" + html.escape(str(self)) + "</pre>"


def explain(card, unit, lang: str = "zh") -> Explanation:
    t = _T["en" if lang == "en" else "zh"]
    if unit not in card.final.index:
        raise DataError(
            f"unit {unit!r} is not in the scorecard",
            key="unit",
            hint=f"units look like {list(card.final.index[:3])}",
        )
    r = card.rubric
    lines = [f"{t['unit']} {unit} — {t['rubric']} {r.code} {r.name}"]
    rows = []

    def walk(code, depth):
        node = r.nodes[code]
        pad = "  " * depth
        if node.children:
            pts, full = card.blocks.at[unit, code], _block_full(card, unit, code)
            lines.append(f"{pad}{node.name} ({code}): {pts:.4g} / {full:.4g}")
            for k in node.children:
                walk(k, depth + 1)
            return
        value = card.values.at[unit, code]
        full = float(card.full.at[unit, code])
        share = card.shares.at[unit, code]
        shown = (
            "—"
            if value is None or (isinstance(value, float) and np.isnan(value))
            else (f"{value:g}" if isinstance(value, (int, float, np.floating)) else str(value))
        )
        unit_txt = f" {node.unit}" if node.unit else ""
        if np.isnan(share):
            how, pts = t["exempt"], np.nan
        else:
            pts = float(card.points.at[unit, code])
            how = f"{node.rule.describe(full)} → {share:.1%} × {full:.4g} = {pts:.4g}"
            if shown == "—":
                how = t["missing0"]
        lines.append(f"{pad}{node.name} ({code}): {t['value']} {shown}{unit_txt}; {how}")
        rows.append(
            {
                "code": code,
                "name": node.name,
                "value": value,
                "share": share,
                "points": pts,
                "full_marks": full,
            }
        )

    for b in r.top_blocks:
        walk(b, 1)
    base = card.base[unit]
    line = f"{t['base']}: {base:.4g} / {r.scale:g}"
    if card.available[unit] < r.scale - 1e-9:
        line += " (" + t["rescaled"].format(a=card.available[unit], s=r.scale) + ")"
    lines.append(line)
    for label, adj, items, applied in (
        (t["bonus"], r.bonus, card.bonus_items, card.bonus),
        (t["deduction"], r.deductions, card.deduction_items, card.deduction),
    ):
        if not adj.items:
            continue
        per = items.loc[unit]
        hits = [
            f"{it.name} {per[it.code]:+.4g}" if label == t["bonus"] else f"{it.name} −{per[it.code]:.4g}"
            for it in adj.items
            if per[it.code] > 0
        ]
        if adj.stacking == "highest":  # one occurrence of the best item counts
            raw = max(
                [min(it.points, it.cap or it.points) for it in adj.items if per[it.code] > 0], default=0.0
            )
        else:
            raw = per.sum()
        text = "; ".join(hits) if hits else t["none"]
        if hits and adj.stacking == "highest":
            text += f" ({t['highest']})"
        if adj.cap is not None and raw > adj.cap + 1e-12:
            text += "; " + t["capped"].format(c=adj.cap)
        lines.append(f"{label}: {text} → {applied[unit]:.4g}")
    lines.append(f"{t['total']}: {card.total[unit]:.4g}")
    s = r.scheme
    if s.type == "weighted":
        lines.append(
            f"{t['final']}: "
            + t["weighted"].format(
                w=s.party_weight,
                t=card.total[unit] * 100 / r.scale,
                v=1 - s.party_weight,
                o=card.other[unit] * 100 / s.other_scale,
                f=card.final[unit],
            )
        )
    elif s.type == "multiplicative":
        lines.append(
            f"{t['final']}: "
            + t["mult"].format(o=card.other[unit], t=card.total[unit], s=r.scale, f=card.final[unit])
        )
    elif s.type == "dual100":
        lines.append(f"{s.other_name}: {card.other[unit]:.4g}; {t['final']}: {card.final[unit]:.4g}")
    if r.veto:
        hit = [v for v in r.veto if card.veto_items.at[unit, v.code]]
        texts = [
            t["veto_lowest"].format(name=v.describe())
            if v.effect == "lowest"
            else t["veto_cap"].format(name=v.describe(), g=v.cap_grade)
            for v in hit
        ]
        lines.append(f"{t['veto']}: " + ("; ".join(texts) if texts else t["none"]))
    if r.grades.bands:
        band = card.grade_band[unit]
        bound = dict(r.grades.bands)[band]
        text = t["band"].format(g=band, b=bound)
        if s.type == "dual100":
            from .grades import band_index

            names = r.grades.names
            a = names[band_index(np.round([card.total[unit] * 100 / r.scale], 9), r.grades.bands)[0]]
            b = names[band_index(np.round([card.other[unit] * 100 / s.other_scale], 9), r.grades.bands)[0]]
            text = t["dual"].format(a=a, o=s.other_name, b=b, g=band)
        if card.demoted[unit]:
            over = [
                g
                for g in r.grades.names
                if g in r.grades.quota and r.grades.names.index(g) < r.grades.names.index(card.grade[unit])
            ]
            for g in over:
                text += "; " + t["quota"].format(g=g, q=r.grades.quota[g], to=card.grade[unit])
        lines.append(f"{t['grade']}: {card.grade[unit]} ({text})")
    rank_line = t["rank_txt"].format(r=card.rank[unit], n=len(card.rank))
    if card.rank_in_category is not None:
        c = card.category[unit]
        rank_line += t["rank_cat"].format(
            r=card.rank_in_category[unit], n=int((card.category == c).sum()), c=c
        )
    if r.veto_rank == "last" and card.vetoed[unit]:
        rank_line += t["rank_veto"]
    lines.append(f"{t['rank']}: {rank_line}")
    return Explanation(unit=str(unit), lines=tuple(lines), table=pd.DataFrame(rows).set_index("code"))


def _block_full(card, unit, code) -> float:
    r = card.rubric
    leaves = [c for c in r.indicators if code in r.ancestors(c) or c == code]
    exempt = card.shares.loc[unit, leaves].isna()
    return float(card.full.loc[unit, leaves][~exempt].sum())
