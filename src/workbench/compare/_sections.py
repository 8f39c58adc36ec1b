"""Briefing sections for a rubric revision and for year-over-year movements.

Each section displays itself through :mod:`workbench.report.document` (the same blocks in the HTML
and the PDF) and is shown only when the briefing is given what it compares: another version of the
rubric (``versions_section``) or the data of earlier periods (``years_section``). Texts are in the
briefing's language.
"""

from __future__ import annotations

import pandas as pd

from .._i18n import _, _p, use_language

__all__ = ["versions_section", "years_section", "revision_briefing", "years_briefing"]

TOP = 10  # units listed by name in the sentences and tables


def _pct(x) -> str:
    return "" if pd.isna(x) else f"{x:.1%}"


def versions_section(comparison, lang: str = "zh") -> None:
    """The section 'compared with the revised rubric': what changed, who changes grade and why,
    nominal vs effective weights before and after."""
    from ..report import document as doc
    from ._labels import kind_labels
    from ._plots import plot_versions

    with use_language(lang):
        c, u = comparison, comparison.units
        d = c.diff
        doc.heading(
            _("Compared with the revised rubric: {old} → {new}").format(
                old=c.old.rubric.name, new=c.new.rubric.name
            )
        )
        up, down = int((u["grade_change"] > 0).sum()), int((u["grade_change"] < 0).sum())
        lines = [
            _("The revision makes {n} changes to the rubric ({kinds}).").format(
                n=len(d.changes),
                kinds="、".join(f"{kind_labels()[k]} {v}" for k, v in d.counts().items()) or "—",
            ),
            _(
                "Scored on the same data, {up} units move up a grade and {down} move down; {moved} of {n} change rank "
                "(rank correlation {rho:.3f})."
            ).format(
                up=up, down=down, moved=int((u["rank_change"] != 0).sum()), n=len(u), rho=c.rank_correlation()
            ),  # fmt: skip
        ]
        name = (lambda k: u.at[k, "name"] or k) if "name" in u.columns else str
        for k, row in u.loc[u["grade_change"] != 0].head(TOP).iterrows():
            lines.append(
                _("{name}: {old} → {new} ({reason}; {drivers})").format(
                    name=name(k),
                    old=row["grade_old"],
                    new=row["grade_new"],
                    reason=row["reason"],
                    drivers=row["drivers"] or "—",
                )  # fmt: skip
            )
        doc.bullets(lines)
        if len(d.changes):
            doc.subheading(_("What changes in the rubric"))
            labels = kind_labels()
            table = pd.DataFrame(
                {_("Change"): d.changes["change"].map(labels), _("Details"): d.changes["description"]}
            )
            doc.table(table, index=False)
        doc.figure(
            plot_versions(c),
            caption=_("Left: units whose final score moves most; right: weights of the top blocks."),
        )
        movers = c.movers().head(3 * TOP)
        if len(movers):
            doc.subheading(_("Units that cross a grade or quota line"))
            cols = {"name": _("Unit"), "score_old": _("Score before"), "score_new": _("Score after"),
                    "grade_old": _("Grade before"), "grade_new": _("Grade after"), "reason": _("Why"),
                    "drivers": _("Items that made the difference")}  # fmt: skip
            shown = movers[[k for k in cols if k in movers.columns]].rename(columns=cols)
            shown[[cols["score_old"], cols["score_new"]]] = shown[
                [cols["score_old"], cols["score_new"]]
            ].round(2)
            doc.table(shown, index=False)
        doc.subheading(_("Nominal weight and effective weight of the top blocks"))
        w = c.weights
        doc.table(
            pd.DataFrame(
                {
                    _("Block"): w["name"],
                    _("Nominal, before"): w["nominal_old"].map(_pct),
                    _("Nominal, after"): w["nominal_new"].map(_pct),
                    _("Effective, before"): w["effective_old"].map(_pct),
                    _("Effective, after"): w["effective_new"].map(_pct),
                }
            ),  # fmt: skip
            index=False,
        )
        doc.note(_("Effective weight: the share of the differences between units that a block carries "
                   "(Paruolo, Saisana and Saltelli 2013)."))  # fmt: skip


def years_section(result, lang: str = "zh") -> None:
    """The section 'compared with last year': who moved up or down (进位/退位), grade transitions,
    and the blocks on which units improved or declined."""
    from ..report import document as doc
    from ._plots import plot_periods

    with use_language(lang):
        m, prev, now = result.movement, result.periods[-2], result.periods[-1]
        doc.heading(_("Compared with {prev}: {prev} → {now}").format(prev=prev, now=now))
        name = (lambda k: m.at[k, "name"] or k) if "name" in m.columns else str
        rank = _("rank within category") if result.rank_basis == "category" else _("overall rank")
        lines = [
            _(
                "By {rank}, {up} units moved up and {down} moved down; {gu} rose a grade and {gd} fell a grade."
            ).format(
                rank=rank,
                up=int((m["move"] == "up").sum()),
                down=int((m["move"] == "down").sum()),
                gu=int((m["grade_change"] > 0).sum()),
                gd=int((m["grade_change"] < 0).sum()),
            )  # fmt: skip
        ]
        change = m["rank_change"].astype(float)
        sep = _p("enumeration", ", ")
        for label, picks in (
            (_("Moved up most"), change.nlargest(5)),
            (_("Moved down most"), change.nsmallest(5)),
        ):
            picks = picks[picks != 0]
            if len(picks):
                units = sep.join(f"{name(k)} ({int(v):+d})" for k, v in picks.items())
                lines.append(_("{label}: {units}").format(label=label, units=units))
        b = result.blocks
        if len(b):
            best, worst = b["mean_change"].idxmax(), b["mean_change"].idxmin()
            lines.append(
                _(
                    "Largest progress on {best} ({n_best} units improved by {pp:.0f} points or more of its full marks); "
                    "most decline on {worst} ({n_worst} units)."
                ).format(
                    best=b.at[best, "name"],
                    n_best=int(b.at[best, "improving"]),
                    pp=100 * result.threshold,
                    worst=b.at[worst, "name"],
                    n_worst=int(b.at[worst, "declining"]),
                )  # fmt: skip
            )
        doc.bullets(lines)
        doc.figure(
            plot_periods(result),
            caption=_(
                "Left: places moved (▲▼ grade up or down); right: units improving or declining on each block."
            ),
        )
        doc.subheading(_("Grade transitions (units)"))
        doc.table(result.transitions.rename_axis(index=f"{prev} ＼ {now}", columns=None))
        moved = m.loc[(m["grade_change"].fillna(0) != 0) | (change.abs() >= change.abs().nlargest(TOP).min())]
        if len(moved):
            doc.subheading(_("Units that moved most"))
            cols = {"name": _("Unit"), "rank_prev": f"{prev}", "rank_now": f"{now}", "rank_change": _("Places"),
                    "grade_prev": _("Grade {period}").format(period=prev), "grade_now": _("Grade {period}").format(period=now)}  # fmt: skip
            order = moved["rank_change"].astype(float).abs().sort_values(ascending=False).index[: 2 * TOP]
            doc.table(
                moved.loc[order, [k for k in cols if k in moved.columns]].rename(columns=cols), index=False
            )
        doc.subheading(_("Blocks: units improving and declining"))
        doc.table(
            pd.DataFrame(
                {
                    _("Block"): b["name"],
                    _("Improving"): b["improving"],
                    _("Declining"): b["declining"],
                    _("Mean change of the share of full marks"): b["mean_change"].map(
                        lambda x: "" if pd.isna(x) else f"{100 * x:+.1f}"
                    ),
                }
            ),  # fmt: skip
            index=False,
        )


# ------------------------------------------------------------------- called by the briefing template
def revision_briefing(rubric, data, revision_path, lang: str = "zh") -> None:
    """Show the revision section for ``rubric`` scored on ``data`` against the rubric file
    ``revision_path`` (nothing when it is None)."""
    if revision_path is None:
        return
    from ..rubric import load_rubric
    from ._versions import compare_versions

    with use_language(lang):  # the change list and the reasons are written when computed
        comparison = compare_versions(rubric, load_rubric(revision_path), data)
    versions_section(comparison, lang)


def years_briefing(card, data, previous, period=None, lang: str = "zh") -> None:
    """Show the year-over-year section: ``previous`` lists (label, rubric path, data path) of earlier
    periods, oldest first; ``card`` is this period's scorecard (labelled ``period``)."""
    if not previous:
        return
    from ..io import read_table, unit_names
    from ..rubric import load_rubric
    from ..scoring import score
    from ._periods import compare_periods

    periods = {}
    for label, rubric_path, data_path in previous:
        rubric = load_rubric(rubric_path)
        periods[str(label)] = score(rubric, read_table(data_path, rubric=rubric))
    with use_language(lang):
        periods[str(period) if period else _("this period")] = card
    years_section(compare_periods(periods, names=unit_names(data)), lang)
