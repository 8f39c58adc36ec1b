"""Briefings for leaders: self-contained HTML (charts and font embedded; opens offline).

:func:`simple_briefing` renders the scores, grades and ranks of one scoring run. All user text is
escaped by the template engine (Jinja2 autoescape); the file is written atomically.
"""

from __future__ import annotations

import base64
import datetime as _dt
from pathlib import Path

import pandas as pd

from ..io import atomic_write_text
from .fonts import font_face_css
from .plots import figure_png, ranking_chart

__all__ = ["simple_briefing", "render_simple_briefing"]

_TEXT = {
    "zh": {
        "source": "考核方案",
        "data": "数据",
        "generated": "生成时间",
        "grades": "等次分布",
        "chart": "得分与等次",
        "table": "得分、等次与排名",
        "method": "考核方案结构",
        "block": "考核板块",
        "points": "分值",
        "n_items": "指标数",
        "footer": "由指标设计工作台生成。",
        "rank": "排名",
        "unit": "单位",
        "name": "名称",
        "category": "类别",
        "base": "基本分",
        "bonus": "加分",
        "deduction": "扣分",
        "total": "总分",
        "final": "综合得分",
        "grade": "等次",
        "veto": "否决",
        "yes": "是",
        "s_units": "共考核 {n} 个单位，平均总分 {mean:.1f} 分（最高 {hi:.1f}，最低 {lo:.1f}）。",
        "s_grades": "等次：{counts}。",
        "s_veto": "{k} 个单位触发一票否决：{names}。",
        "s_demoted": "{k} 个单位因名额限制降等。",
        "s_top": "前三名：{top}；后三名：{bottom}。",
        "method_note": "总分 = 各指标得分之和（不涉及的指标按可得满分折算）+ 加分（封顶）− 扣分（封顶）；等次按分数段确定，再执行一票否决和名额限制。",
    },
    "en": {
        "source": "Rubric",
        "data": "Data",
        "generated": "Generated",
        "grades": "Grades",
        "chart": "Scores and grades",
        "table": "Scores, grades and ranks",
        "method": "Rubric structure",
        "block": "Block",
        "points": "Points",
        "n_items": "Items",
        "footer": "Produced by the indicator-design workbench.",
        "rank": "Rank",
        "unit": "Unit",
        "name": "Name",
        "category": "Category",
        "base": "Base",
        "bonus": "Bonus",
        "deduction": "Deduction",
        "total": "Total",
        "final": "Final",
        "grade": "Grade",
        "veto": "Veto",
        "yes": "yes",
        "s_units": "{n} units assessed; mean total {mean:.1f} (highest {hi:.1f}, lowest {lo:.1f}).",
        "s_grades": "Grades: {counts}.",
        "s_veto": "{k} unit(s) vetoed: {names}.",
        "s_demoted": "{k} unit(s) moved down by the quota.",
        "s_top": "Top three: {top}; bottom three: {bottom}.",
        "method_note": "Total = sum of indicator points (exempt items rescaled) + bonus (capped) - deductions (capped); grades by score band, then veto and quota.",
    },
}


def render_simple_briefing(
    card, *, names: pd.Series | None = None, lang: str = "zh", data_source: str = ""
) -> str:
    """HTML text of the simple briefing for a Scorecard (see :func:`simple_briefing`)."""
    import jinja2

    t = _TEXT["en" if lang == "en" else "zh"]
    r = card.rubric
    label = (lambda u: f"{names.get(u, u)}") if names is not None else str
    frame = card.to_frame(names=True)
    counts = card.grade_counts() if r.grades.bands else pd.Series(dtype=int)
    order = card.final.sort_values(ascending=False).index
    summary = [
        t["s_units"].format(
            n=len(card.final), mean=card.total.mean(), hi=card.total.max(), lo=card.total.min()
        ),
    ]
    if len(counts):
        summary.append(
            t["s_grades"].format(
                counts="，".join(f"{g} {n}" for g, n in counts.items())
                if lang == "zh"
                else ", ".join(f"{g} {n}" for g, n in counts.items())
            )
        )
    if card.vetoed.any():
        vetoed = [label(u) for u in card.vetoed[card.vetoed].index]
        summary.append(t["s_veto"].format(k=len(vetoed), names="、".join(vetoed)))
    if card.demoted.any():
        summary.append(t["s_demoted"].format(k=int(card.demoted.sum())))
    summary.append(
        t["s_top"].format(
            top="、".join(label(u) for u in order[:3]), bottom="、".join(label(u) for u in order[-3:])
        )
    )

    columns = [t["rank"], t["unit"]] + ([t["name"]] if names is not None else [])
    text_columns = len(columns)
    if card.category is not None:
        columns.append(t["category"])
        text_columns += 1
    blocks = [r.nodes[b].name for b in r.top_blocks]
    columns += blocks + [t["bonus"], t["deduction"], t["total"]]
    has_final = card.other is not None
    if has_final:
        columns += [r.scheme.other_name or "other", t["final"]]
    columns += [t["grade"], t["veto"]]
    rows = []
    for u, rec in frame.iterrows():
        row = [int(rec["rank"]), u] + ([names.get(u, "")] if names is not None else [])
        if card.category is not None:
            row.append(rec["category"])
        row += [f"{rec[b]:.1f}" for b in blocks]
        row += [f"{rec['bonus']:.1f}", f"{rec['deduction']:.1f}", f"{rec['total']:.1f}"]
        if has_final:
            row += [f"{rec['other']:.1f}", f"{rec['final']:.2f}"]
        row += [rec["grade"] or "", t["yes"] if rec["vetoed"] else ""]
        rows.append(row)
    full = r.full_marks()
    block_rows = [
        (r.nodes[b].name, f"{full[b]:.4g}", sum(1 for c in r.indicators if b in r.ancestors(c) or c == b))
        for b in r.top_blocks
    ]
    labels = None if names is None else names.astype(str)
    chart = base64.b64encode(figure_png(ranking_chart(card, labels=labels, lang=lang))).decode("ascii")
    title = f"{r.name}：考核结果简报" if lang == "zh" else f"{r.name}: assessment briefing"
    context = dict(
        lang=lang,
        t=t,
        title=title,
        rubric_source=r.source or r.code,
        data_source=data_source,
        generated=_dt.date.today().isoformat(),
        summary=summary,
        grade_counts=list(counts.items()),
        chart=chart,
        columns=columns,
        rows=rows,
        text_columns=text_columns,
        blocks=block_rows,
        method_note=t["method_note"],
    )
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("workbench.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    template = env.get_template("simple_brief.html.j2")
    # the font subset needs the final text, so render once, then embed the glyphs it uses
    draft = template.render(font_css="", **context)
    return template.render(font_css=font_face_css(draft), **context)


def simple_briefing(
    card, out: str | Path, *, names: pd.Series | None = None, lang: str = "zh", data_source: str = ""
) -> Path:
    """Write a self-contained HTML briefing of a scoring run.

    Parameters
    ----------
    card : Scorecard
    out : path
        A directory (the file is named after the rubric) or an ``.html`` file path.
    names : Series, optional
        Display names of units (e.g. department names), indexed by unit id.
    lang : {'zh', 'en'}, default='zh'

    Returns
    -------
    Path of the written file.
    """
    out = Path(out)
    path = out if out.suffix.lower() in (".html", ".htm") else out / f"{card.rubric.code}_briefing.html"
    html = render_simple_briefing(card, names=names, lang=lang, data_source=data_source)
    return atomic_write_text(path, html)
