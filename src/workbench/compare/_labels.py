"""User-facing labels and sentences of the comparisons, in one place (marked for the catalogue).

Each function returns its texts in the current language (:mod:`workbench._i18n`); sentences with
fields are translated first and filled in afterwards with ``str.format``.
"""

from __future__ import annotations

from .._i18n import _

__all__ = ["kind_labels", "diff_texts", "diff_words", "reason_labels", "move_labels"]


def kind_labels() -> dict[str, str]:
    """Short names of the change kinds, in the current language (the one place they are written)."""
    return {
        "added": _("item added"),
        "removed": _("item removed"),
        "recoded": _("code changed"),
        "renamed": _("renamed"),
        "moved": _("moved to another block"),
        "reweighted": _("re-weighted"),
        "rule": _("scoring rule changed"),
        "definition": _("definition changed"),
        "bonus": _("bonus changed"),
        "deduction": _("deduction changed"),
        "veto": _("veto changed"),
        "bands": _("grade bands changed"),
        "quota": _("quota changed"),
        "grading": _("grading rule changed"),
        "scheme": _("scheme changed"),
        "categories": _("category weights changed"),
        "scale": _("scale changed"),
    }


def diff_texts() -> dict[str, str]:
    """The sentences of the change list, in the current language (filled with ``str.format``)."""
    return {
        "scale": _("scale {old:g} → {new:g} points"),
        "removed": _("{kind} {item} removed ({points:.4g} points)"),
        "added": _("{kind} {item} added ({points:.4g} points)"),
        "recoded": _("{name}: code {old} → {new}"),
        "renamed": _("{code}: name “{old}” → “{new}”"),
        "moved": _("{item} moved from {old} to {new}"),
        "reweighted": _(
            "{item}: {old:.4g} → {new:.4g} points ({share_old:.1%} → {share_new:.1%} of the scale)"
        ),
        "rule": _("{item}: rule “{old}” → “{new}”"),
        "of_points": _("{rule} (of {points:.4g} points)"),
        "definition": _("{item}: {what} {old} → {new}"),
        "cap": _("{what} cap {old} → {new}"),
        "stacking": _("{what} stacking {old} → {new}"),
        "item_removed": _("{what} item {name} removed"),
        "item_added": _("{what} item {name} added ({points:g} points each)"),
        "item_changed": _(
            "{what} item {name}: {old:g} → {new:g} points each, item cap {cap_old} → {cap_new}"
        ),
        "veto_removed": _("veto item {name} removed"),
        "veto_added": _("veto item {name} added"),
        "veto_changed": _("veto item {name}: {old} → {new}"),
        "grade_removed": _("grade {grade} removed"),
        "grade_added": _("grade {grade} added (from {bound:g})"),
        "line": _("{grade} line {old:g} → {new:g}"),
        "order": _("grade order changed"),
        "quota": _("{grade} quota {old} → {new}"),
        "setting": _("{what} {old} → {new}"),
        "matrix": _("the dual-100 grade matrix changed"),
        "group": _("category {group}: {item} {old:.4g} → {new:.4g} points"),
    }


def diff_words() -> dict[str, str]:
    return {
        "indicator": _("indicator"),
        "block": _("block"),
        "top": _("top level"),
        "none": _("none"),
        "bonus": _("bonus"),
        "deduction": _("deduction"),
        "direction": _("direction"),
        "kind": _("kind"),
        "missing": _("missing values"),
        "unit": _("unit of measure"),
        "lowest": _("lowest grade"),
        "at_most": _("at most {grade}"),
        "ties": _("ties at a quota"),
        "rounding": _("quota rounding"),
        "scope": _("quota scope"),
        "scheme": _("scheme"),
        "party_weight": _("party-building weight"),
        "other_column": _("other score column"),
        "other_scale": _("other score scale"),
        "column": _("category column"),
        "rank_within": _("ranking within category"),
    }


def reason_labels() -> dict[str, str]:
    """Why a unit's grade changed, in the current language (the one place these are written)."""
    return {
        "band": _("score crossed a grade line"),
        "quota": _("quota"),
        "veto": _("veto"),
        "other": _("grade matrix or category"),
        "held": _("crossed a grade line, held back by the quota"),
        "": "",
    }


def move_labels() -> dict[str, str]:
    """Names of the movements, in the current language (the one place they are written)."""
    return {
        "up": _("moved up"),  # 进位
        "down": _("moved down"),  # 退位
        "same": _("unchanged"),
        "new": _("new this period"),
        "gone": _("not assessed this period"),
    }
