"""Briefings for leaders: what was assessed, results, robustness, weights and the 2% question.

:func:`compute_briefing` gathers every number a briefing shows (package code, testable without
Jupyter); the template notebook ``templates/briefing.py`` displays them; :func:`build_briefing`
executes that template with papermill and writes a self-contained HTML file and an A4 PDF.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .._results import ResultMixin

__all__ = [
    "BriefingData",
    "compute_briefing",
    "summary_lines",
    "build_briefing",
    "load_outcome",
    "TEMPLATE",
    "label",
]

TEMPLATE = Path(__file__).parent / "templates" / "briefing.py"
PARTY_WEIGHTS = (0.02, 0.05, 0.10, 0.20, 0.30, 0.50)

_L = {
    "zh": {
        "title": "{name}：考核结果简报",
        "assessed": "考核内容",
        "results": "得分、等次与排名",
        "robust": "结果稳不稳：权重不确定时谁的等次会变",
        "weights": "权重：文件规定与数据所示",
        "two_pct": "“2%问题”：名义权重与实际分量",
        "method": "方法说明",
        "block": "考核板块",
        "points": "分值",
        "items": "指标数",
        "source": "数据来源",
        "rank": "排名",
        "unit": "单位",
        "name": "名称",
        "category": "类别",
        "total": "总分",
        "final": "综合得分",
        "grade": "等次",
        "veto": "否决",
        "bonus": "加分",
        "deduction": "扣分",
        "nominal": "名义权重",
        "effective": "相关比（一阶敏感度）",
        "contribution": "对单位间差距的贡献",
        "stated": "文件规定",
        "entropy": "熵权法",
        "critic": "CRITIC法",
        "ols": "回归显示（OLS）",
        "ordinal": "回归显示（有序模型）",
        "party_weight": "党建占综合考核权重",
        "effort_share": "党建精力占比（教科书公式）",
        "model_share": "党建精力占比（本地单位模型）",
        "distortion": "扭曲（只为被考核而做）",
        "p_grade": "保持现等次的概率",
        "rank_range": "排名区间(5%-95%)",
        "baseline": "现行方案",
        "scenario": "调整方案",
        "change": "变化",
        "units": "单位数",
        "yes": "是",
        "grade_counts": "等次分布",
    },
    "en": {
        "title": "{name}: assessment briefing",
        "assessed": "What was assessed",
        "results": "Scores, grades and ranks",
        "robust": "How robust: whose grade changes when the weights are uncertain",
        "weights": "Weights: as written and as the data show",
        "two_pct": "The 2% question: nominal weight and real influence",
        "method": "Method notes",
        "block": "Block",
        "points": "Points",
        "items": "Items",
        "source": "Evidence",
        "rank": "Rank",
        "unit": "Unit",
        "name": "Name",
        "category": "Category",
        "total": "Total",
        "final": "Final",
        "grade": "Grade",
        "veto": "Veto",
        "bonus": "Bonus",
        "deduction": "Deduction",
        "nominal": "Nominal weight",
        "effective": "Correlation ratio (first-order)",
        "contribution": "Share of the differences between units",
        "stated": "Stated",
        "entropy": "Entropy",
        "critic": "CRITIC",
        "ols": "Revealed (OLS)",
        "ordinal": "Revealed (ordinal model)",
        "party_weight": "Party-building weight in the comprehensive score",
        "effort_share": "Effort share on party building (textbook)",
        "model_share": "Effort share on party building (model of these units)",
        "distortion": "Distortion (work done only to be measured)",
        "p_grade": "Probability of keeping the grade",
        "rank_range": "Rank range (5%-95%)",
        "baseline": "Current scheme",
        "scenario": "Scenario",
        "change": "Change",
        "units": "Units",
        "yes": "yes",
        "grade_counts": "Grades",
    },
}


def label(key: str, lang: str = "zh") -> str:
    """A briefing label in Chinese ('zh') or English ('en')."""
    return _L["en" if lang == "en" else "zh"][key]


@dataclass(frozen=True, repr=False, eq=False)
class BriefingData(ResultMixin):
    """Everything a briefing shows, computed once.

    Attributes
    ----------
    rubric : Rubric  the rubric scored (with the scenario applied, if any)
    card : Scorecard
    baseline : Scorecard or None  the rubric without the scenario, when a scenario was given
    names : Series or None  display names of units
    uncertainty : UncertaintyResult or None  Dirichlet noise on the weights
    importance : ImportanceResult or None  nominal vs effective weight of the top blocks
    weights : DataFrame  stated vs data-driven (entropy, CRITIC) weights of the top blocks
    effort : DataFrame  party-building weight -> modelled effort share (closed form, gamma 0.5)
    data_source : str
    """

    rubric: object
    card: object
    baseline: object
    names: pd.Series | None
    uncertainty: object
    importance: object
    weights: pd.DataFrame
    effort: pd.DataFrame
    data_source: str
    scenario_name: str | None
    n_draws: int

    def to_frame(self) -> pd.DataFrame:
        return self.card.to_frame()

    def _summary_title(self) -> str:
        return f"Briefing data: {self.rubric.name}"

    def ranking_table(self, lang: str = "zh") -> pd.DataFrame:
        """Rank, unit, name, category, top blocks, bonus, deduction, total, final, grade, veto."""
        c, r = self.card, self.rubric
        t = lambda k: label(k, lang)  # noqa: E731
        frame = pd.DataFrame(index=c.index)
        frame[t("rank")] = c.rank
        if self.names is not None:
            frame[t("name")] = self.names.reindex(c.index)
        if c.category is not None:
            frame[t("category")] = c.category
        for b in r.top_blocks:
            frame[r.nodes[b].name] = c.blocks[b].round(1)
        frame[t("bonus")] = c.bonus.round(1)
        frame[t("deduction")] = c.deduction.round(1)
        frame[t("total")] = c.total.round(1)
        if c.other is not None:
            frame[r.scheme.other_name or "other"] = c.other.round(1)
            frame[t("final")] = c.final.round(2)
        frame[t("grade")] = c.grade.astype(object)
        frame[t("veto")] = np.where(c.vetoed, t("yes"), "")
        frame.index.name = t("unit")
        return frame.sort_values(t("rank"), kind="stable")

    def structure_table(self, lang: str = "zh") -> pd.DataFrame:
        r = self.rubric
        full = r.full_marks()
        rows = []
        for b in r.top_blocks:
            leaves = [c for c in r.indicators if b in r.ancestors(c) or c == b]
            sources = sorted({r.nodes[c].source for c in leaves if r.nodes[c].source})
            rows.append(
                {
                    label("block", lang): r.nodes[b].name,
                    label("points", lang): round(float(full[b]), 2),
                    label("items", lang): len(leaves),
                    label("source", lang): "、".join(sources),
                }
            )
        return pd.DataFrame(rows).set_index(label("block", lang))

    def fragile_table(self, lang: str = "zh", top: int = 15) -> pd.DataFrame:
        """Units whose grade is least certain under weight uncertainty."""
        u = self.uncertainty
        if u is None or u.grade_probs is None:
            return pd.DataFrame()
        grade = self.card.grade.astype(object)
        keep = np.array([u.grade_probs.at[i, g] for i, g in grade.items()])
        frame = pd.DataFrame(
            {
                label("grade", lang): grade,
                label("p_grade", lang): keep.round(2),
                label("rank", lang): self.card.rank,
                label("rank_range", lang): [
                    f"{int(a)}–{int(b)}" for a, b in zip(u.rank_stats["q05"], u.rank_stats["q95"])
                ],
            },
            index=self.card.index,
        )
        if self.names is not None:
            frame.insert(0, label("name", lang), self.names.reindex(frame.index))
        frame.index.name = label("unit", lang)
        return frame.sort_values(label("p_grade", lang)).head(top)

    def transitions(self) -> pd.DataFrame | None:
        """Baseline grade (rows) x scenario grade (columns) counts, when a scenario was given."""
        if self.baseline is None or not self.rubric.grades.bands:
            return None
        names = self.rubric.grades.names
        return pd.crosstab(self.baseline.grade.astype(object), self.card.grade.astype(object)).reindex(
            index=names, columns=names, fill_value=0
        )


def compute_briefing(
    rubric,
    data: pd.DataFrame,
    *,
    outcome: pd.Series | None = None,
    scenario=None,
    n_draws: int = 300,
    seed: int = 20261125,
    data_source: str = "",
) -> BriefingData:
    """Compute everything the briefing shows.

    Parameters
    ----------
    rubric : Rubric
    data : DataFrame  as :func:`workbench.read_table` returns it
    scenario : Scenario, optional  applied to the rubric; the unchanged rubric is scored as baseline
    n_draws : int  weight draws for the uncertainty analysis (Dirichlet, concentration 50)
    seed : int
    """
    from .. import sensitivity, weighting
    from ..incentives import effort_shares
    from ..io import unit_names
    from ..scenario import apply_scenario
    from ..scoring import score

    baseline = None
    if scenario is not None:
        baseline = score(rubric, data)
        rubric = apply_scenario(rubric, scenario)
    card = score(rubric, data)
    unc = imp = None
    if len(rubric.top_blocks) > 1 and n_draws >= 2:
        unc = sensitivity.uncertainty(
            rubric, data, None, {"weights": {"dirichlet": {"concentration": 50}}}, n=n_draws, seed=seed
        )
        imp = sensitivity.importance(rubric, data, level="top")
    # stated vs data-driven weights of the top blocks, on block achievement rates
    full = rubric.full_marks()
    rates = pd.DataFrame({b: card.blocks[b] / full[b] for b in rubric.top_blocks})
    stated = rubric.effective_weights()[rubric.top_blocks]
    cols = {"stated": stated / stated.sum()}
    varying = rates.loc[:, rates.std() > 1e-9]
    if varying.shape[1] >= 2:
        cols["entropy"] = weighting.entropy(varying, normalise="minmax").weights
        cols["critic"] = weighting.critic(varying).weights
    weights = pd.DataFrame(cols).reindex(rubric.top_blocks).fillna(0.0)
    if outcome is not None:
        # weights revealed by an overall judgment of the same units (policy capturing)
        from ..calibration import stated_vs_revealed

        grades = (
            rubric.grades.names[::-1]
            if set(outcome.dropna().astype(str)) <= set(rubric.grades.names)
            else None
        )
        revealed = stated_vs_revealed(rubric, data, outcome, levels=grades, seed=seed).tables["blocks"]
        for col in ("ols", "ordinal"):
            if col in revealed.columns and revealed[col].notna().any():
                weights[col] = revealed[col].reindex(rubric.top_blocks).to_numpy()
    weights.index = [rubric.nodes[b].name for b in rubric.top_blocks]
    pw = np.array(PARTY_WEIGHTS)
    if rubric.scheme.type == "weighted" and rubric.scheme.party_weight not in PARTY_WEIGHTS:
        pw = np.sort(np.append(pw, rubric.scheme.party_weight))
    # textbook closed form (linear aggregation, two equally productive tasks, gamma 0.5) ...
    effort = pd.DataFrame(
        {"party_weight": pw, "effort_share": effort_shares(np.column_stack([pw, 1 - pw]), gamma=0.5)[:, 0]}
    )
    if rubric.scheme.type == "weighted":
        # ... and, where the rubric is part of a comprehensive score, the calibrated model of these
        # units: their scores, grade bands, quota and veto (workbench.incentives)
        from ..incentives import institution_from_rubric, population_from_scorecard, sweep

        model = sweep(
            population_from_scorecard(card), institution_from_rubric(rubric), "party_weight", list(pw)
        )
        frame = model.to_frame()
        effort["model_share"] = frame["party_share"].to_numpy()
        effort["distortion"] = frame["distortion"].to_numpy()
    return BriefingData(
        rubric=rubric,
        card=card,
        baseline=baseline,
        names=unit_names(data),
        uncertainty=unc,
        importance=imp,
        weights=weights,
        effort=effort,
        data_source=data_source,
        scenario_name=None if scenario is None else scenario.name,
        n_draws=n_draws,
    )


def load_outcome(spec: str) -> pd.Series:
    """An overall judgment per unit from ``FILE`` (its last column) or ``FILE:COLUMN``."""
    from ..errors import DataError
    from ..io import read_table

    path, _, column = str(spec).partition(":") if not Path(str(spec)).exists() else (str(spec), "", "")
    table = read_table(path)
    column = column or table.columns[-1]
    if column not in table.columns:
        raise DataError(
            f"the outcome table has no column {column!r}; it has {list(table.columns)}",
            file=path,
            column=column,
        )
    return table[column]


def summary_lines(b: BriefingData, lang: str = "zh") -> list[str]:
    """Four to seven plain-language sentences with the key numbers, for the top of the briefing."""
    c, r = b.card, b.rubric
    zh = lang != "en"
    name = (lambda u: b.names.get(u, u)) if b.names is not None else str
    lines = []
    counts = c.grade_counts() if r.grades.bands else None
    if zh:
        lines.append(
            f"本次按《{r.name}》考核 {len(c.index)} 个单位，平均总分 {c.total.mean():.1f} 分，"
            f"最高 {c.total.max():.1f} 分，最低 {c.total.min():.1f} 分。"
        )
        if counts is not None:
            lines.append("等次结果：" + "，".join(f"{g} {n} 个" for g, n in counts.items()) + "。")
    else:
        lines.append(
            f"{len(c.index)} units were assessed under '{r.name}'; mean total {c.total.mean():.1f}, "
            f"highest {c.total.max():.1f}, lowest {c.total.min():.1f}."
        )
        if counts is not None:
            lines.append("Grades: " + ", ".join(f"{g} {n}" for g, n in counts.items()) + ".")
    if c.vetoed.any():
        who = "、".join(name(u) for u in c.vetoed[c.vetoed].index)
        lines.append(
            f"{int(c.vetoed.sum())} 个单位触发一票否决：{who}。"
            if zh
            else f"{int(c.vetoed.sum())} unit(s) vetoed: {who}."
        )
    if c.demoted.any():
        lines.append(
            f"{int(c.demoted.sum())} 个单位分数够档但因名额限制降等。"
            if zh
            else f"{int(c.demoted.sum())} unit(s) scored enough for a higher grade but were moved down by the quota."
        )
    if b.uncertainty is not None and b.uncertainty.fragile is not None:
        k = len(b.uncertainty.fragile)
        if k == 0:
            lines.append(
                "权重在合理范围内变动时，所有单位的等次都保持稳定。"
                if zh
                else "When the weights vary within a reasonable range, every unit keeps its grade."
            )
        else:
            lines.append(
                f"权重在合理范围内变动时，有 {k} 个单位的等次不稳定（保持现等次的概率低于80%），评定这些单位时宜审慎。"
                if zh
                else f"When the weights vary within a reasonable range, {k} unit(s) have an unstable grade "
                f"(below 80% probability of keeping it); judge them with care."
            )
    if b.importance is not None:
        t = b.importance.table
        col = "contribution" if t["contribution"].notna().all() else "effective"
        if r.scheme.type == "weighted":
            party = t.drop(index=r.scheme.other_column, errors="ignore")
            lines.append(
                f"党建板块名义上占综合得分的 {party['nominal'].sum():.0%}，实际只贡献了单位间得分差距的 {party[col].sum():.1%}。"
                if zh
                else f"Party building is nominally {party['nominal'].sum():.0%} of the comprehensive score and carries "
                f"{party[col].sum():.1%} of the differences between units."
            )
        else:
            gap = (t["nominal"] - t[col]).abs().idxmax()
            nm = r.nodes[gap].name if gap in r.nodes else str(gap)
            lines.append(
                f"名义权重与实际分量差距最大的是“{nm}”：名义 {t.at[gap, 'nominal']:.0%}，对单位间得分差距的实际贡献 {t.at[gap, col]:.0%}。"
                if zh
                else f"The largest gap between nominal weight and real influence is '{nm}': nominal "
                f"{t.at[gap, 'nominal']:.0%}, share of the differences between units {t.at[gap, col]:.0%}."
            )
    e = b.effort.set_index("party_weight")["model_share" if "model_share" in b.effort else "effort_share"]
    if r.scheme.type == "weighted":
        p = r.scheme.party_weight
        lines.append(
            f"党建在综合考核中占 {p:.0%} 时，按精力分配模型，单位用于党建的精力约占 {e[p]:.1%}；占30%时约为 {e[0.30]:.0%}。"
            if zh
            else f"With party building at {p:.0%} of the comprehensive score, the effort model puts the effort on "
            f"party building at about {e[p]:.1%}; at 30% it would be about {e[0.30]:.0%}."
        )
    else:
        lines.append(
            f"若本方案得分只占综合考核的2%，按精力分配模型单位用于党建的精力约为 {e[0.02]:.1%}；占30%时约为 {e[0.30]:.0%}。"
            if zh
            else f"If this score counted 2% of a comprehensive assessment, the effort model puts effort on party "
            f"building at about {e[0.02]:.1%}; at 30% about {e[0.30]:.0%}."
        )
    if b.baseline is not None:
        moved = int((b.baseline.grade.astype(object) != c.grade.astype(object)).sum())
        lines.append(
            f"与现行方案相比，调整方案“{b.scenario_name}”使 {moved} 个单位等次发生变化。"
            if zh
            else f"Compared with the current scheme, scenario '{b.scenario_name}' changes the grade of {moved} unit(s)."
        )
    return lines


def build_briefing(
    rubric_path,
    data_path,
    out,
    *,
    scenario_path=None,
    outcome_path=None,
    lang: str = "zh",
    formats=("html", "pdf"),
    n_draws: int = 300,
    seed: int = 20261125,
    sheet=None,
    unit=None,
    cwd=None,
    progress: bool = False,
) -> list[Path]:
    """Execute the briefing template with papermill and write HTML and/or PDF atomically.

    Inputs are validated first (rubric, data, scenario), so bad input is reported before any
    notebook runs and nothing is written.

    Returns
    -------
    list of Path  the files written
    """
    from ..io import check_outputs, ensure_writable, read_table, safe_filename, write_files
    from ..rubric import load_rubric
    from ..scenario import apply_scenario, load_scenario
    from .export import execute_notebook, to_html, to_pdf

    rubric = load_rubric(rubric_path)
    read_table(data_path, rubric=rubric, sheet=sheet, unit=unit)
    if scenario_path is not None:
        apply_scenario(rubric, load_scenario(scenario_path))
    if outcome_path is not None:
        load_outcome(outcome_path)
    out_path = Path(out)
    ensure_writable(out_path.parent if out_path.suffix.lower() in (".html", ".pdf") else out_path)
    # a rubric code is made one safe file name; the outputs are checked before anything runs
    stem = safe_filename(f"{rubric.code}_briefing" + ("" if lang == "zh" else f"_{lang}"))
    folder = out_path.parent if out_path.suffix.lower() in (".html", ".pdf") else out_path
    base = out_path.with_suffix("") if out_path.suffix.lower() in (".html", ".pdf") else out_path / stem
    targets = {fmt: base.parent / f"{base.name}.{fmt}" for fmt in formats}
    inputs = [rubric_path, data_path, scenario_path, outcome_path and str(outcome_path).split(":")[0]]
    check_outputs(inputs, targets.values(), folder=folder)
    params = {
        "rubric_path": str(Path(rubric_path).resolve()),
        "data_path": str(Path(data_path).resolve()),
        "scenario_path": None if scenario_path is None else str(Path(scenario_path).resolve()),
        "outcome_path": None if outcome_path is None else str(outcome_path),
        "lang": lang,
        "n_draws": int(n_draws),
        "seed": int(seed),
        "sheet": sheet,
        "unit": unit,
    }
    nb = execute_notebook(TEMPLATE, params, cwd=cwd or Path.cwd(), progress=progress)
    title = label("title", lang).format(name=rubric.name)
    # render everything before writing anything, so a failure leaves no partial set of files
    html = to_html(nb, title=title) if "html" in formats else None
    pdf = (
        to_pdf(nb, title=title, footer=f"{title} · {_dt.date.today().isoformat()}")
        if "pdf" in formats
        else None
    )
    files = {
        targets[f]: b for f, b in (("html", html and html.encode("utf-8")), ("pdf", pdf)) if b is not None
    }
    return write_files(files, folder=folder)  # both or neither
