"""Plain-language sentences (Chinese or English) with the key numbers of a QualQuantReport."""

from __future__ import annotations

import numpy as np

from ..agreement._raters import ALPHA, LENIENCY_SD

__all__ = ["OPERATORS", "summary_lines"]

#: Fuzzy composition operators with their usual Chinese and English names.
OPERATORS = {
    "weighted_average": ("M(·,⊕) 加权平均型", "M(·,⊕) weighted average"),
    "min_max": ("M(∧,∨) 主因素决定型", "M(∧,∨) Zadeh min-max"),
    "product_max": ("M(·,∨) 主因素突出型", "M(·,∨) product-max"),
    "min_bounded_sum": ("M(∧,⊕) 取小上界和型", "M(∧,⊕) min-bounded sum"),
}

# A unit whose grade another panel would change this often is called unstable in the text.
UNSTABLE = 0.3


def _units(report, codes, lang, limit=5) -> str:
    codes = list(codes)
    if not codes:
        return "无" if lang == "zh" else "none"
    names = report.names
    shown = [f"{c} {names[c]}" if names is not None and c in names.index else str(c) for c in codes[:limit]]
    sep = "、" if lang == "zh" else ", "
    more = len(codes) - limit
    if more > 0:
        return sep.join(shown) + (f" 等 {len(codes)} 个" if lang == "zh" else f" and {more} more")
    return sep.join(shown)


def _reliability(report, lang) -> str:
    rel = report.reliability
    row = rel.icc.loc[rel.form]
    alpha, level = float(rel.alpha), rel.alpha.level
    if lang == "zh":
        level_zh = {"ordinal": "有序", "interval": "区间"}.get(level, level)
        need = (
            f"要使测评平均分的可靠性达到 {rel.target:g}，至少需要 {rel.raters_needed} 名评委"
            if rel.raters_needed is not None
            else "单个评委的可靠性不大于 0，增加评委也无济于事"
        )
        return (
            f"评委可靠性：单个评委的 {rel.form} 为 {rel.single:.2f}（95% 置信区间 {row['ci_low']:.2f}–"
            f"{row['ci_high']:.2f}），{rel.n_raters} 名评委的平均分为 {rel.panel_mean:.2f}；Krippendorff α（{level_zh}）"
            f"= {alpha:.2f}，Kendall W = {float(rel.kendall_w):.2f}。{need}。"
        )
    need = (
        f"{rel.raters_needed} rater{'s are' if rel.raters_needed != 1 else ' is'} needed for the panel mean to "
        f"reach {rel.target:g}"
        if rel.raters_needed is not None
        else "a single rater's reliability is not above 0, so no panel size helps"
    )
    return (
        f"Rater reliability: one rater's {rel.form} is {rel.single:.2f} (95% CI {row['ci_low']:.2f}-"
        f"{row['ci_high']:.2f}) and the mean of {rel.n_raters} raters {rel.panel_mean:.2f}; Krippendorff's alpha "
        f"({level}) = {alpha:.2f}, Kendall's W = {float(rel.kendall_w):.2f}; {need}."
    )


def _raters(report, lang) -> str:
    t = report.raters
    flagged = (t["leniency"].abs() >= LENIENCY_SD) & (t["pval"] < ALPHA) & ~t["is_self"]
    lenient = t.index[flagged & (t["leniency"] > 0)]
    severe = t.index[flagged & (t["leniency"] < 0)]
    peers = t[~t["is_self"]]
    worst = peers["rest_r"].idxmin()

    def fmt(idx):
        sep = "、" if lang == "zh" else ", "
        return sep.join(f"{r} ({t.at[r, 'leniency']:+.2f})" for r in idx) or (
            "无" if lang == "zh" else "none"
        )

    self_rater = report.sheet.self_rater
    gap = None if self_rater is None else (t.at[self_rater, "leniency"], t.at[self_rater, "pval"])
    if lang == "zh":
        head = (
            f"自评平均比他评{'高' if gap[0] > 0 else '低'} {abs(gap[0]):.2f} 个标准差（p = {gap[1]:.2g}）；"
            if gap
            else ""
        )
        return (
            f"{head}偏宽松的评委：{fmt(lenient)}；偏严格的评委：{fmt(severe)}（单位：标准差）；与其他评委一致性最低的是 "
            f"{worst}（与其余评委平均分的相关 {peers.at[worst, 'rest_r']:.2f}）。"
        )
    head = (
        f"Self-ratings run {abs(gap[0]):.2f} SD {'above' if gap[0] > 0 else 'below'} the others' (p = {gap[1]:.2g}); "
        if gap
        else ""
    )
    text = (
        f"{head}lenient raters: {fmt(lenient)}; severe raters: {fmt(severe)} (in SD); the rater least in line "
        f"with the others is {worst} (correlation {peers.at[worst, 'rest_r']:.2f} with the rest of the panel)."
    )
    return text[0].upper() + text[1:]


def _comparison(report, lang) -> str:
    cmp = report.comparison
    mover = cmp.table["shift"].abs().idxmax()
    ra, rb = int(cmp.table.at[mover, "rank_qualitative"]), int(cmp.table.at[mover, "rank_quantitative"])
    n = len(cmp.table)
    rubric_qual = report.qualitative_source == "rubric"
    if lang == "zh":
        what = "定性指标得分" if rubric_qual else "测评得分"
        grades = (
            f"按等次分数段，{n} 个单位中有 {cmp.n_changed_grade} 个在两种计分下等次不同；"
            if cmp.n_changed_grade is not None
            else ""
        )
        return (
            f"{what}与定量指标得分的 Spearman 相关为 {cmp.spearman:.2f}（Kendall tau-b {cmp.kendall_tau:.2f}），"
            f"名次平均变动 {cmp.mean_abs_rank_shift:.1f} 位；{grades}名次变动最大的是 {_units(report, [mover], lang)}"
            f"（定性第 {ra} 名，定量第 {rb} 名）。"
        )
    what = "qualitative items" if rubric_qual else "rating panel"
    grades = (
        f"by the grade bands {cmp.n_changed_grade} of {n} units get a different grade under the two; "
        if cmp.n_changed_grade is not None
        else ""
    )
    return (
        f"The {what} and the quantitative items agree with Spearman {cmp.spearman:.2f} (Kendall tau-b "
        f"{cmp.kendall_tau:.2f}) and a mean rank shift of {cmp.mean_abs_rank_shift:.1f} places; {grades}the "
        f"biggest mover is {_units(report, [mover], lang)} (rank {ra} qualitative, {rb} quantitative)."
    )


def _mix(report, lang) -> str | None:
    top = report.top_grade
    if top is None:
        return None
    mix, changes = report.mix, report.top_changes()
    s0, s1 = float(mix.shares[0]), float(mix.shares[-1])
    n0, n1 = int(mix.by_share["n_top"].iloc[0]), int(mix.by_share["n_top"].iloc[-1])
    gains = _units(report, changes.index[changes["change"] == "gains"], lang)
    losses = _units(report, changes.index[changes["change"] == "loses"], lang)
    share = float(report.split.qual_share.mean())
    if lang == "zh":
        return (
            f"定性部分的占比从 {s0:.0%} 提高到 {s1:.0%} 时，{top}单位从 {n0} 个变为 {n1} 个（只按分数段，未计名额）："
            f"新进入{top}的有 {gains}，不再是{top}的有 {losses}；本方案中定性指标实际约占 {share:.0%}。"
        )
    return (
        f"Raising the qualitative share from {s0:.0%} to {s1:.0%} changes the number of units graded {top} from "
        f"{n0} to {n1} (bands only, no quota): gaining {top}: {gains}; losing it: {losses}; the rubric itself "
        f"gives the qualitative items about {share:.0%}."
    )


def _regrade(report, lang) -> str | None:
    if report.regrade is None:
        return None
    p = report.regrade.probability
    k = int((p > UNSTABLE).sum())
    if lang == "zh":
        return (
            f"如果换一组同样人数的测评人重新测评，单位的测评等次平均有 {p.mean():.0%} 的可能改变，"
            f"{k} 个单位超过 {UNSTABLE:.0%}。"
        )
    return (
        f"If another panel of the same size rated them, a unit's rating grade would change with probability "
        f"{p.mean():.0%} on average, and above {UNSTABLE:.0%} for {k} units."
    )


def _fuzzy(report, lang) -> str:
    s = report.scores
    r_quant = s["fuzzy"].corr(s["quantitative"], method="spearman")
    r_panel = s["fuzzy"].corr(s["panel"], method="spearman")
    zh, en = OPERATORS[report.operator]
    if lang == "zh":
        return (
            f"以评委的等次分布为隶属度、按 {zh} 算子做模糊综合评价，其得分与定量得分的 Spearman 相关为 "
            f"{r_quant:.2f}，与测评平均分为 {r_panel:.2f}。"
        )
    return (
        f"A fuzzy comprehensive evaluation of the raters' grade shares ({en} operator) correlates "
        f"{r_quant:.2f} (Spearman) with the quantitative score and {r_panel:.2f} with the panel mean."
    )


def summary_lines(report, lang: str) -> list[str]:
    """Sentences on reliability, rater effects, agreement, mixing, regrading and the fuzzy scoring."""
    parts = [
        _reliability(report, lang),
        _raters(report, lang),
        _comparison(report, lang),
        _mix(report, lang),
        _regrade(report, lang),
        _fuzzy(report, lang),
    ]
    return [p for p in parts if p is not None and not (isinstance(p, float) and np.isnan(p))]
