"""Plain-language sentences (Chinese or English) with the key numbers of a QualQuantReport.

The sentences are written in English and translated through the message catalogue
(:mod:`workbench._i18n`); :func:`summary_lines` shows them in the language asked for.
"""

from __future__ import annotations

import numpy as np

from .._i18n import _, _n, _p, use_language
from ..agreement._verdicts import ALPHA, LENIENCY_SD

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


def _operator_name(op: str) -> str:
    """The name of a composition operator in the current language (the names of OPERATORS)."""
    names = {
        "weighted_average": _("M(·,⊕) weighted average"),
        "min_max": _("M(∧,∨) Zadeh min-max"),
        "product_max": _("M(·,∨) product-max"),
        "min_bounded_sum": _("M(∧,⊕) min-bounded sum"),
    }
    return names[op]


def _level_name(level: str) -> str:
    names = {
        "nominal": _p("measurement level", "nominal"),
        "ordinal": _p("measurement level", "ordinal"),
        "interval": _p("measurement level", "interval"),
        "ratio": _p("measurement level", "ratio"),
    }
    return names.get(level, level)


def _units(report, codes, limit=5) -> str:
    codes = list(codes)
    if not codes:
        return _("none")
    names = report.names
    shown = [f"{c} {names[c]}" if names is not None and c in names.index else str(c) for c in codes[:limit]]
    shown = _p("enumeration", ", ").join(shown)
    more = len(codes) - limit
    if more > 0:
        return _("{shown} and {more} more").format(shown=shown, more=more)
    return shown


def _reliability(report) -> str:
    rel = report.reliability
    row = rel.icc.loc[rel.form]
    n = rel.raters_needed
    need = (
        _n(
            "{n} rater is needed for the panel mean to reach {target:g}",
            "{n} raters are needed for the panel mean to reach {target:g}",
            n,
        ).format(n=n, target=rel.target)
        if n is not None
        else _("a single rater's reliability is not above 0, so no panel size helps")
    )
    return _(
        "Rater reliability: one rater's {form} is {single:.2f} (95% CI {low:.2f}-{high:.2f}) and the mean of "
        "{n} raters {panel:.2f}; Krippendorff's alpha ({level}) = {alpha:.2f}, Kendall's W = {w:.2f}; {need}."
    ).format(
        form=rel.form,
        single=rel.single,
        low=row["ci_low"],
        high=row["ci_high"],
        n=rel.n_raters,
        panel=rel.panel_mean,
        level=_level_name(rel.alpha.level),
        alpha=float(rel.alpha),
        w=float(rel.kendall_w),
        need=need,
    )


def _raters(report) -> str:
    t = report.raters
    flagged = (t["leniency"].abs() >= LENIENCY_SD) & (t["pval"] < ALPHA) & ~t["is_self"]
    lenient = t.index[flagged & (t["leniency"] > 0)]
    severe = t.index[flagged & (t["leniency"] < 0)]
    peers = t[~t["is_self"]]
    worst = peers["rest_r"].idxmin()

    def fmt(idx):
        return _p("enumeration", ", ").join(f"{r} ({t.at[r, 'leniency']:+.2f})" for r in idx) or _("none")

    self_rater = report.sheet.self_rater
    head = ""
    if self_rater is not None:
        gap, pval = t.at[self_rater, "leniency"], t.at[self_rater, "pval"]
        head = (
            _("Self-ratings run {gap:.2f} SD above the others' (p = {p:.2g}); ")
            if gap > 0
            else _("Self-ratings run {gap:.2f} SD below the others' (p = {p:.2g}); ")
        ).format(gap=abs(gap), p=pval)
    text = _(
        "{head}lenient raters: {lenient}; severe raters: {severe} (in SD); the rater least in line with the "
        "others is {worst} (correlation {r:.2f} with the rest of the panel)."
    ).format(head=head, lenient=fmt(lenient), severe=fmt(severe), worst=worst, r=peers.at[worst, "rest_r"])
    return text[0].upper() + text[1:]


def _comparison(report) -> str:
    cmp = report.comparison
    mover = cmp.table["shift"].abs().idxmax()
    ra, rb = int(cmp.table.at[mover, "rank_qualitative"]), int(cmp.table.at[mover, "rank_quantitative"])
    what = (
        _p("compared with the quantitative items", "qualitative items")
        if report.qualitative_source == "rubric"
        else _p("compared with the quantitative items", "rating panel")
    )
    grades = (
        _("by the grade bands {changed} of {n} units get a different grade under the two; ").format(
            changed=cmp.n_changed_grade, n=len(cmp.table)
        )
        if cmp.n_changed_grade is not None
        else ""
    )
    return _(
        "The {what} and the quantitative items agree with Spearman {rho:.2f} (Kendall tau-b {tau:.2f}) and a "
        "mean rank shift of {shift:.1f} places; {grades}the biggest mover is {mover} (rank {ra} qualitative, "
        "{rb} quantitative)."
    ).format(
        what=what,
        rho=cmp.spearman,
        tau=cmp.kendall_tau,
        shift=cmp.mean_abs_rank_shift,
        grades=grades,
        mover=_units(report, [mover]),
        ra=ra,
        rb=rb,
    )


def _mix(report) -> str | None:
    top = report.top_grade
    if top is None:
        return None
    mix, changes = report.mix, report.top_changes()
    return _(
        "Raising the qualitative share from {s0:.0%} to {s1:.0%} changes the number of units graded {top} from "
        "{n0} to {n1} (bands only, no quota): gaining {top}: {gains}; losing it: {losses}; the rubric itself "
        "gives the qualitative items about {share:.0%}."
    ).format(
        s0=float(mix.shares[0]),
        s1=float(mix.shares[-1]),
        top=top,
        n0=int(mix.by_share["n_top"].iloc[0]),
        n1=int(mix.by_share["n_top"].iloc[-1]),
        gains=_units(report, changes.index[changes["change"] == "gains"]),
        losses=_units(report, changes.index[changes["change"] == "loses"]),
        share=float(report.split.qual_share.mean()),
    )


def _regrade(report) -> str | None:
    if report.regrade is None:
        return None
    p = report.regrade.probability
    return _(
        "If another panel of the same size rated them, a unit's rating grade would change with probability "
        "{mean:.0%} on average, and above {unstable:.0%} for {k} units."
    ).format(mean=p.mean(), unstable=UNSTABLE, k=int((p > UNSTABLE).sum()))


def _fuzzy(report) -> str:
    s = report.scores
    return _(
        "A fuzzy comprehensive evaluation of the raters' grade shares ({operator} operator) correlates "
        "{r_quant:.2f} (Spearman) with the quantitative score and {r_panel:.2f} with the panel mean."
    ).format(
        operator=_operator_name(report.operator),
        r_quant=s["fuzzy"].corr(s["quantitative"], method="spearman"),
        r_panel=s["fuzzy"].corr(s["panel"], method="spearman"),
    )


def summary_lines(report, lang: str) -> list[str]:
    """Sentences on reliability, rater effects, agreement, mixing, regrading and the fuzzy scoring."""
    with use_language(lang):
        parts = [
            _reliability(report),
            _raters(report),
            _comparison(report),
            _mix(report),
            _regrade(report),
            _fuzzy(report),
        ]
    return [p for p in parts if p is not None and not (isinstance(p, float) and np.isnan(p))]
