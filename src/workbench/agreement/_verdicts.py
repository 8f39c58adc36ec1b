"""The verdict on each rater of :func:`rater_effects`, as plain words in Chinese and in English."""

from __future__ import annotations

import numpy as np

from .._i18n import _, use_language

__all__ = ["ALPHA", "LENIENCY_SD", "verdicts"]

# Thresholds of the verdicts (documented in rater_effects).
LENIENCY_SD = 0.2
ALPHA = 0.05
TOP_SHARE = 0.5
SD_RATIO = 0.6
HALO_GAP = 0.2


def _verdict(row, top) -> str:
    """The verdict on one rater, in the current language."""
    parts = []
    lev = row["leniency"]
    if np.isfinite(lev) and abs(lev) >= LENIENCY_SD and row["pval"] < ALPHA:
        if row["is_self"]:
            text = (
                _("self-rating {sd:.1f} SD above the others' ratings")
                if lev > 0
                else _("self-rating {sd:.1f} SD below the others' ratings")
            )
        else:
            text = (
                _("lenient: {sd:.1f} SD above the other raters on average")
                if lev > 0
                else _("severe: {sd:.1f} SD below the other raters on average")
            )
        parts.append(text.format(sd=abs(lev)))
    if row["top_share"] >= TOP_SHARE:
        top_name = _("the top category") if top is None else top
        parts.append(
            _("ratings concentrated in {top} ({share:.0%})").format(top=top_name, share=row["top_share"])
        )
    if row["sd_ratio"] < SD_RATIO:
        parts.append(_("low spread: SD {ratio:.0%} of the pooled SD").format(ratio=row["sd_ratio"]))
    if np.isfinite(row["halo_gap"]) and row["halo_gap"] >= HALO_GAP:
        base = row["halo"] - row["halo_gap"]
        parts.append(
            _("halo: between-item correlation {halo:.2f} (all raters {base:.2f})").format(
                halo=row["halo"], base=base
            )
        )
    return _("; ").join(parts) or _("no notable effect")


def verdicts(table, top) -> tuple[list, list]:
    """The verdicts in Chinese and in English (two columns of the table, whatever the language)."""
    rows = [row for __, row in table.iterrows()]
    with use_language("zh"):
        zh = [_verdict(row, top) for row in rows]
    with use_language("en"):
        en = [_verdict(row, top) for row in rows]
    return zh, en
