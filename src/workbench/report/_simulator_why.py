"""Who changes grade in the weight simulator, and why.

A unit's grade changes because its score moved (the blocks whose points moved most are named) or
because a veto, a quota or the dual-100 matrix now decides it, or no longer does: those reasons are
the briefing's (:func:`workbench.report.briefing.reasons.reasons`), for the new scoring and for the
rubric as written. Texts are built for the changed units only, column by column.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from .._i18n import _, language

__all__ = ["grade_changes", "differences"]

_SHOWN_BLOCKS = 2  # blocks named per unit: the two whose points moved most


def grade_changes(state, card) -> pd.DataFrame:
    """Units whose grade differs from the rubric as written, sorted by their new rank.

    Columns: name, category (rubrics with categories), grade and score before and now, rank
    before and now, and ``why``: the score change with the blocks that moved it most, then the
    reasons (veto, quota, dual-100 matrix) that decide the grade now or decided it before.
    """
    from .briefing.reasons import reasons

    base = state.baseline
    before, after = base.grade.astype(object), card.grade.astype(object)
    moved = card.index[(before != after).to_numpy()]
    moved = card.rank.loc[moved].sort_values(kind="stable").index
    lang = "en" if language() == "en" else "zh"
    cols = {_("Name"): state._names(card).loc[moved]}
    if card.category is not None:
        cols[_("Category")] = card.category.loc[moved]
    cols.update(
        {
            _("Grade before"): before.loc[moved],
            _("Grade now"): after.loc[moved],
            _("Score before"): base.final.loc[moved].round(2),
            _("Score now"): card.final.loc[moved].round(2),
            _("Rank before"): base.rank.loc[moved],
            _("Rank now"): card.rank.loc[moved],
        }
    )
    out = pd.DataFrame(cols, index=moved)
    if len(moved) == 0:
        out[_("Why")] = pd.Series(dtype=object)
        return out
    why_now = reasons(SimpleNamespace(card=card, rubric=card.rubric), lang)["why"].loc[moved]
    why_before = reasons(SimpleNamespace(card=base, rubric=base.rubric), lang)["why"].loc[moved]
    parts = [_score_texts(state, base, card, moved), why_now]
    parts.append((_("before: ") + why_before).where((why_before != "") & (why_before != why_now), ""))
    out[_("Why")] = _join(parts, _("; "))
    return out


def differences(state) -> list:
    """What the controls change against the rubric as written, one short text each (weights per
    set, scheme, party weight, quota, veto): the reasons common to every unit."""
    from .simulator import BASE, scheme_labels

    r, out = state.rubric, []
    names = {b: r.nodes[b].name for b in r.top_blocks}
    for key in state.changed():
        before, now = state.initial_sets[key], state.weight_sets[key]
        moved = [
            f"{names[b]} {round(before[b], 1):g} → {round(now[b], 1):g}"
            for b in r.top_blocks
            if abs(now[b] - before[b]) > 1e-9
        ]
        where = (
            _("rubric's weights") if key == BASE else _("weights of {set}").format(set=state.set_label(key))
        )
        out.append(_("{where}: {message}").format(where=where, message=_(", ").join(moved)))
    if state.scheme != r.scheme.type:
        out.append(_("scheme: {scheme}").format(scheme=scheme_labels()[state.scheme]))
    if state.scheme == "weighted" and state.party_weight != r.scheme.party_weight:
        out.append(_("party weight {share:.0%}").format(share=state.party_weight))
    g = r.grades
    top = g.names[0] if g.bands else None
    if top and not state.quota_on and g.quota:
        out.append(_("no quota"))
    elif top and state.quota_on and abs(state.quota_share - state.initial_quota) > 1e-12:
        out.append(_("{grade} for at most {share:.0%}").format(grade=top, share=state.quota_share))
    if not state.veto_on and r.veto:
        out.append(_("veto items not applied"))
    return out


def _score_texts(state, base, card, moved) -> pd.Series:
    """'score 91.20 → 88.70 (思想建设 -1.90, 组织建设 +0.80)' for each moved unit."""
    old, new = base.final.loc[moved].to_numpy(), card.final.loc[moved].to_numpy()
    text = pd.Series(
        [_("score {before:.2f} → {after:.2f}").format(before=a, after=b) for a, b in zip(old, new)],
        index=moved,
        dtype=object,
    )
    top = state.rubric.top_blocks
    diff = card.blocks.loc[moved, top].to_numpy() - base.blocks.loc[moved, top].to_numpy()
    order = np.argsort(-np.abs(diff), axis=1, kind="stable")[:, :_SHOWN_BLOCKS]
    names = np.array([state.rubric.nodes[b].name for b in top], dtype=object)
    blocks = []
    for j in range(order.shape[1]):  # one column per named block, not one pass per unit
        d = np.take_along_axis(diff, order[:, j : j + 1], axis=1)[:, 0]
        label = (
            pd.Series(names[order[:, j]], index=moved) + " " + pd.Series(d, index=moved).map("{:+.2f}".format)
        )
        blocks.append(label.where(np.abs(d) >= 0.005, ""))
    detail = _join(blocks, _(", "))
    return text + detail.map(lambda s: _(" ({blocks})").format(blocks=s) if s else "")


def _join(parts, sep: str) -> pd.Series:
    out = parts[0].astype(object)
    for p in parts[1:]:
        glue = np.where((out != "") & (p != ""), sep, "")
        out = out + glue + p
    return out
