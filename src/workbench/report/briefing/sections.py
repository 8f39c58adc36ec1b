"""The sections of a briefing, each displayed through :mod:`workbench.report.document` (HTML in the
notebook, the same blocks in the PDF). The template notebook calls one function per cell, so a
failure names its section.

A section that does not apply is left out (the 2% section without a party weight, the scenario
section without a scenario); a part that could not be computed leaves a one-line note.
"""

from __future__ import annotations

from .. import document as doc
from .. import plots
from ..catalogue import n_subject, text
from . import tables
from .text import method_lines, rule_lines, skip_note, summary_lines, words

__all__ = ["SECTIONS", "show", "render_blocks"]

TOP = 10  # units in the top and bottom tables of the summary layout
REASONS_LIMIT = 40  # rows of the reasons table before the rest goes to the appendix


def _t(b, lang):
    w = words(b, lang)
    return lambda key, **kw: text(key, lang, **{**w, **kw})


def title(b, lang="zh", date="", appendix=None):
    t, r = _t(b, lang), b.rubric
    doc.title(t("title", name=r.name))
    if r.source:
        doc.note(t("source", source=r.source))
    doc.note(t("data_line", file=b.data_file or "—", n_subj=n_subject(b.n, r.subject, lang), date=date))
    if b.scenario is not None and b.scenario_skipped is not None:
        key, values = b.scenario_skipped
        doc.paragraph(t("scenario_skipped", name=b.scenario.name, reason=t(key, **values)))
    elif b.scenario is not None:
        doc.paragraph(t("scenario_line", name=b.scenario.name, description=b.scenario.description or ""))


def summary(b, lang="zh", date="", appendix=None):
    doc.heading(_t(b, lang)("sec_summary"))
    doc.bullets(summary_lines(b, lang))


def assessed(b, lang="zh", date="", appendix=None):
    t = _t(b, lang)
    doc.heading(t("sec_assessed"))
    doc.table(tables.structure_table(b, lang), digits={t("col_points"): 1})
    by_cat = tables.points_by_category(b, lang)
    if by_cat is not None:
        doc.subheading(t("sub_points"))
        doc.table(by_cat, digits={c: 1 for c in by_cat.columns})
    doc.subheading(t("sub_rules"))
    doc.bullets(rule_lines(b, lang), css="rules")
    matrix = tables.matrix_table(b, lang)
    if matrix is not None:
        doc.subheading(t("sub_matrix"))
        doc.table(matrix)


def results(b, lang="zh", date="", appendix=None):
    t, c, r = _t(b, lang), b.card, b.rubric
    w = words(b, lang)
    doc.heading(t("sec_results"))
    if r.grades.bands:
        doc.subheading(t("sub_grade_counts"))
        doc.table(tables.grade_counts_table(b, lang))
    label = t("ax_score")
    if r.scheme.type == "dual100":
        doc.figure(plots.dual_chart(c, lang), caption=t("chart_dual"))
    elif b.layout == "summary":
        doc.figure(
            plots.score_histogram(c, lang, score_label=label, subject=r.subject), caption=t("chart_hist")
        )
    else:
        groups = tables.group_order(b) if b.within else None
        fig = plots.ranking_chart(
            c, labels=b.names, lang=lang, groups=groups, facet=b.within, score_label=label
        )
        doc.figure(fig, caption=t("chart_ranking"))
    digits = _digits(b, lang)
    ids_shown = b.names is None  # unit ids only where there are no names
    if b.layout == "summary":
        if appendix:
            doc.note(t("layout_summary", n_subj=n_subject(b.n, r.subject, lang), k=TOP, file=appendix))
        order = c.rank.sort_values(kind="stable").index
        top = min(TOP, b.n)
        doc.subheading(t("sub_top", k=top))
        doc.table(
            tables.unit_table(b, lang, order[:top], both_ranks=True, compact=True),
            index=ids_shown,
            digits=digits,
        )
        doc.subheading(t("sub_bottom", k=top))
        doc.table(
            tables.unit_table(b, lang, order[::-1][:top], both_ranks=True, compact=True),
            index=ids_shown,
            digits=digits,
        )
        if c.vetoed.any():
            doc.subheading(t("sub_vetoed"))
            ids = c.rank[c.vetoed].sort_values(kind="stable").index
            doc.table(
                tables.unit_table(b, lang, ids[:30], both_ranks=True, compact=True),
                index=ids_shown,
                digits=digits,
            )
    elif b.within:
        for group in tables.group_order(b):
            ids = c.rank_in_category[c.category == group].sort_values(kind="stable").index
            doc.subheading(t("sub_group", group=group, n_subj=n_subject(len(ids), r.subject, lang)))
            doc.table(tables.unit_table(b, lang, ids, category=False), index=ids_shown, digits=digits)
    else:
        doc.table(tables.unit_table(b, lang), index=ids_shown, digits=digits)
    del w


def _digits(b, lang) -> dict:
    t, r = _t(b, lang), b.rubric
    w = words(b, lang)
    out = {r.nodes[blk].name: 1 for blk in r.top_blocks}
    out.update({t(k): 1 for k in ("col_available", "col_base", "col_bonus", "col_deduction")})
    out.update({t("col_total"): 2, w["Score"]: 2})
    if r.scheme.other_name:
        out[r.scheme.other_name] = 2
    return out


def reasons(b, lang="zh", date="", appendix=None):
    t = _t(b, lang)
    if not b.rubric.grades.bands:
        return
    doc.heading(t("sec_reasons"))
    limit = REASONS_LIMIT if b.layout == "summary" else None
    table, rest = tables.reasons_table(b, lang, limit=limit)
    if table.empty:
        doc.paragraph(t("reasons_none"))
        return
    doc.paragraph(t("reasons_intro"))
    doc.table(table, index=b.names is None, digits={words(b, lang)["Score"]: 2})
    if rest:
        doc.note(t("reasons_more", n_subj=n_subject(rest, b.rubric.subject, lang)))


def scenario(b, lang="zh", date="", appendix=None):
    t = _t(b, lang)
    if b.baseline is None:
        return
    doc.heading(t("sec_scenario"))
    trans = tables.transitions_table(b, lang)
    if trans is not None:
        doc.subheading(t("sub_transitions"))
        doc.table(trans)
    moved, rest = tables.moved_table(b, lang)
    if not moved.empty:
        doc.subheading(t("sub_moved"))
        doc.table(moved, index=b.names is None, digits={words(b, lang)["Score"]: 2})
        if rest:
            doc.note(t("reasons_more", n_subj=n_subject(rest, b.rubric.subject, lang)))


def robust(b, lang="zh", date="", appendix=None):
    t = _t(b, lang)
    note = skip_note(b, "robust", "skip_robust", lang)
    if b.uncertainty is None and note is None:
        return
    doc.heading(t("sec_robust"))
    if b.uncertainty is None:
        doc.note(note)
        return
    frame = tables.fragile_table(b, lang)
    doc.table(frame, index=b.names is None, digits={t("col_p_grade"): 2})
    doc.note(t("note_robust", n=b.n_draws, sd=b.weight_spread, k=len(frame)))


def weights(b, lang="zh", date="", appendix=None):
    t = _t(b, lang)
    frame = tables.weights_table(b, lang)
    if frame is None:  # a single block: nothing to weigh
        return
    parts = [("weights", "skip_weights"), ("revealed", "skip_revealed")]
    if b.rubric.scheme.type == "single":
        parts.append(("importance", "skip_importance"))
    notes = [n for n in (skip_note(b, part, what, lang) for part, what in parts) if n]
    doc.heading(t("sec_weights"))
    doc.table(frame)
    doc.note(t("note_weights"))
    if b.weights is not None and any(k in b.weights for k in ("ols", "ordinal")):
        doc.note(t("note_revealed"))
    for n in notes:
        doc.note(n)


def two_pct(b, lang="zh", date="", appendix=None):
    t, r = _t(b, lang), b.rubric
    if r.scheme.type != "weighted" or b.effort is None:
        return
    doc.heading(t("sec_two_pct"))
    doc.paragraph(t("note_two_pct", p=r.scheme.party_weight))
    doc.figure(
        plots.effort_chart(b.effort, r.scheme.party_weight, lang, subject=r.subject),
        caption=t("chart_effort"),
    )
    doc.table(tables.effort_table(b, lang), index=False)
    if b.importance is not None:
        imp = b.importance.table.set_index("name")[["nominal", "contribution"]]
        imp = imp.rename(columns={"nominal": t("w_nominal"), "contribution": t("w_contribution")})
        imp.index.name = t("col_block")
        doc.table(imp.map(lambda v: "" if v != v else f"{v:.1%}"))
    if b.effort_units and b.effort_units < b.n:
        doc.note(t("note_effort_sample", k=b.effort_units, n_subj=n_subject(b.n, r.subject, lang)))
    note = skip_note(b, "effort", "skip_effort", lang)
    if note:
        doc.note(note)


def method(b, lang="zh", date="", appendix=None):
    t = _t(b, lang)
    doc.heading(t("sec_method"))
    doc.bullets(method_lines(b, lang), css="rules")
    if appendix and b.layout != "summary":
        doc.note(t("appendix_note", file=appendix))


SECTIONS = {
    "title": title,
    "summary": summary,
    "assessed": assessed,
    "results": results,
    "reasons": reasons,
    "scenario": scenario,
    "robust": robust,
    "weights": weights,
    "two_pct": two_pct,
    "method": method,
}


def show(name: str, b, lang: str = "zh", date: str = "", appendix: str | None = None) -> None:
    """Display section ``name`` of briefing ``b`` (one template cell each)."""
    SECTIONS[name](b, lang=lang, date=date, appendix=appendix)


def render_blocks(b, lang: str = "zh", date: str = "", appendix: str | None = None) -> list[dict]:
    """Every section's blocks, in order, without a notebook (the template shows the same)."""
    with doc.capture() as blocks:
        for name in SECTIONS:
            show(name, b, lang, date, appendix)
    return blocks
