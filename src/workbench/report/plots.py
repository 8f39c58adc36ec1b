"""Charts for notebooks and briefings. Presentation only: they draw results computed elsewhere.

Every function returns a matplotlib Figure and sets up the CJK font first, so Chinese labels
render (no tofu boxes) after a plain pip install. Axis titles, legends and captions come from
:mod:`workbench.report.catalogue` in the language asked for.

Scores are drawn as dots, not bars: a dot's position carries the value, so the axis may start at
the grade band below the lowest score (a bar's length would then mislead); band lower bounds are
dashed lines, vetoed units are crosses.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from .catalogue import subject_words, text
from .fonts import setup_fonts

__all__ = [
    "GRADE_COLOURS",
    "ranking_chart",
    "score_histogram",
    "dual_chart",
    "effort_chart",
    "sweep_chart",
    "figure_png",
    "DPI",
]

# Colour-blind-safe palette (Okabe & Ito 2008), best grade first.
GRADE_COLOURS = ["#009E73", "#56B4E9", "#E69F00", "#D55E00", "#CC79A7", "#999999"]
DPI = 200  # briefings embed charts at 200 dpi, sharp in print (PDF) and on high-density screens
_PER_ROW = 0.16  # inches per unit in a dot chart
_MAX_PANEL = 45  # units per panel before a group is split


def _pyplot():
    setup_fonts()
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def _colour(i: int) -> str:
    return GRADE_COLOURS[int(i) % len(GRADE_COLOURS)]


def _axis_start(values: np.ndarray, bands) -> float:
    """The grade band lower bound just below the lowest value (or a round number below it)."""
    lo = float(np.nanmin(values))
    below = [b for _, b in bands if b <= lo - 0.5]
    rounded = float(np.floor((lo - 1) / 10) * 10)
    # a band bound if one is near; else the round ten below (not 0 for scores in the 50s to 90s)
    return max(below) if below and lo - max(below) <= 15 else rounded


def _axis_end(values: np.ndarray, scale: float = 100.0) -> float:
    hi = float(np.nanmax(values))
    return scale + 1 if hi <= scale else hi + 1


def _band_lines(ax, bands, lo, hi, label_top: bool):
    for name, bound in bands:
        if lo < bound < hi:
            ax.axvline(bound, color="#777777", lw=0.7, ls="--", zorder=0)
            if label_top:
                ax.text(
                    bound,
                    1.0,
                    f" {name}",
                    transform=ax.get_xaxis_transform(),
                    fontsize=7,
                    va="bottom",
                    ha="left",
                    color="#555555",
                )


def _legend(fig, card, lang, veto: bool, bands: bool, extra=()):
    from matplotlib.lines import Line2D

    names = card.rubric.grades.names
    present = set(card.grade.astype(object))
    handles = [
        Line2D([], [], marker="o", ls="", color=_colour(i), label=g)
        for i, g in enumerate(names)
        if g in present
    ]
    if veto:
        handles.append(
            Line2D(
                [],
                [],
                marker="X",
                ls="",
                color="#444444",
                markeredgecolor="black",
                label=text("legend_veto", lang),
            )
        )
    if bands:
        handles.append(Line2D([], [], color="#777777", ls="--", lw=0.7, label=text("legend_bands", lang)))
    handles += list(extra)
    if handles:
        fig.legend(
            handles=handles,
            loc="lower center",
            ncol=min(len(handles), 7),
            fontsize=8,
            frameon=False,
            title=text("legend_grade", lang) if names else None,
            title_fontsize=8,
        )


def _grade_codes(card) -> np.ndarray:
    if not card.rubric.grades.bands:
        return np.zeros(len(card.index), dtype=int)
    return card.grade.cat.codes.to_numpy()


def ranking_chart(
    card,
    labels: pd.Series | None = None,
    title: str | None = None,
    lang: str = "zh",
    groups: list | None = None,
    score_label: str | None = None,
    facet: bool = True,
):
    """Each unit's final score as a dot, best at the top, coloured by grade; one panel per
    category (categories are not compared), vetoed units as crosses, band bounds dashed.

    Parameters
    ----------
    card : Scorecard
    labels : Series, optional  display name per unit id (defaults to the ids)
    title : str, optional
    lang : {'zh', 'en'}
    groups : list, optional  category order (default: the order of first appearance)
    score_label : str, optional  x-axis title (default the total's name)
    facet : bool, default=True  one panel per category; False: all units in one ranking
    """
    plt = _pyplot()
    final = card.final
    names = pd.Series(final.index.astype(str), index=final.index)
    if labels is not None:
        names = labels.reindex(final.index).fillna(names).astype(str)
    cat = card.category if facet and card.category is not None else pd.Series("", index=final.index)
    groups = groups or list(pd.unique(cat))
    panels = []
    for g in groups:
        ids = final[cat == g].sort_values(ascending=False, kind="stable").index
        for k in range(0, len(ids), _MAX_PANEL):
            part = ids[k : k + _MAX_PANEL]
            label = g if len(ids) <= _MAX_PANEL else f"{g} {k + 1}–{k + len(part)}"
            panels.append((label, part))
    two = len(panels) > 1
    ncol = 2 if two else 1
    width = 8.0
    label_w = 1.2 if two else 1.6  # room for the unit names left of each panel
    col_w = width / ncol
    # panel heights in inches: title and band labels above, tick labels below
    title_h, ticks_h, gap_h, xlabel_h = 0.36, 0.26, 0.14, 0.22
    heights = [len(p) * _PER_ROW + 0.12 for _, p in panels]
    columns: list[list[int]] = [[] for _ in range(ncol)]
    used = [0.0] * ncol
    for i, h in enumerate(heights):  # greedy: each panel into the shorter column
        j = int(np.argmin(used))
        columns[j].append(i)
        used[j] += title_h + h + ticks_h + gap_h
    top_h, legend_h = 0.15, 0.75
    fig_h = max(used) + xlabel_h + top_h + legend_h
    fig = plt.figure(figsize=(width, fig_h))
    lo = _axis_start(final.to_numpy(), card.rubric.grades.bands)
    hi = _axis_end(final.to_numpy(), 100.0 if card.rubric.scheme.type != "dual100" else 200.0)
    codes = pd.Series(_grade_codes(card), index=final.index)
    xlabel = score_label or text(
        "ax_score", lang, score=text("score_single", lang), Score=text("score_single", lang).capitalize()
    )
    for j, col in enumerate(columns):
        y = fig_h - top_h
        for k, i in enumerate(col):
            label, part = panels[i]
            y -= title_h
            h = heights[i]
            ax = fig.add_axes(
                [(j * col_w + label_w) / width, (y - h) / fig_h, (col_w - label_w - 0.25) / width, h / fig_h]
            )
            y -= h + ticks_h + gap_h
            yy = np.arange(len(part))[::-1]
            vet = card.vetoed.loc[part].to_numpy()
            colours = np.asarray([_colour(c) for c in codes.loc[part]])
            x = final.loc[part].to_numpy()
            ax.scatter(x[~vet], yy[~vet], c=colours[~vet], s=14, zorder=3)
            if vet.any():
                ax.scatter(
                    x[vet],
                    yy[vet],
                    c=colours[vet],
                    marker="X",
                    s=32,
                    edgecolors="black",
                    linewidths=0.5,
                    zorder=3,
                )
            ax.set_yticks(yy, labels=[s[:12] for s in names.loc[part]], fontsize=6.5)
            ax.set_ylim(-0.7, len(part) - 0.3)
            ax.set_xlim(lo, hi)
            ax.grid(axis="x", alpha=0.25)
            ax.tick_params(axis="x", labelsize=7, pad=1.5)
            _band_lines(ax, card.rubric.grades.bands, lo, hi, label_top=True)
            if label:
                count = f"（{len(part)}）" if lang != "en" else f" ({len(part)})"
                ax.set_title(f"{label}{count}", fontsize=8, loc="left", pad=11)
            if k == len(col) - 1:
                ax.set_xlabel(xlabel, fontsize=8, labelpad=2)
    if title:
        fig.suptitle(title)
    _legend(fig, card, lang, veto=bool(card.vetoed.any()), bands=bool(card.rubric.grades.bands))
    return fig


def score_histogram(card, lang: str = "zh", score_label: str | None = None, subject=None):
    """Distribution of the final score, stacked by grade, band bounds dashed (many units)."""
    plt = _pyplot()
    final = card.final.to_numpy(dtype=float)
    lo = _axis_start(final, card.rubric.grades.bands)
    hi = _axis_end(final, 100.0 if card.rubric.scheme.type != "dual100" else 200.0)
    width = 1.0 if hi - lo <= 60 else 2.0
    edges = np.arange(lo, hi + width, width)
    codes = _grade_codes(card)
    fig, ax = plt.subplots(figsize=(8.0, 3.6))
    bottom = np.zeros(len(edges) - 1)
    names = card.rubric.grades.names or [""]
    for k in range(len(names)):
        counts, _ = np.histogram(final[codes == k], bins=edges)
        ax.bar(edges[:-1], counts, width=width, bottom=bottom, align="edge", color=_colour(k), linewidth=0)
        bottom += counts
    _band_lines(ax, card.rubric.grades.bands, lo, hi, label_top=True)
    ax.set_xlim(lo, hi)
    ax.set_xlabel(score_label or "", fontsize=9)
    words = subject_words(subject, lang) if subject is not None else {"subj": ""}
    ax.set_ylabel(text("ax_count", lang, **words), fontsize=9)
    ax.grid(axis="y", alpha=0.25)
    fig.subplots_adjust(bottom=0.28, top=0.9, left=0.09, right=0.98)
    _legend(fig, card, lang, veto=False, bands=bool(card.rubric.grades.bands))
    return fig


def dual_chart(card, lang: str = "zh"):
    """Dual-100: party-building score against the other score, coloured by final grade."""
    plt = _pyplot()
    r = card.rubric
    x = card.total.to_numpy(dtype=float) * 100 / r.scale
    y = card.other.to_numpy(dtype=float) * 100 / r.scheme.other_scale
    codes = _grade_codes(card)
    vet = card.vetoed.to_numpy()
    fig, ax = plt.subplots(figsize=(6.5, 5.6))
    colours = np.asarray([_colour(k) for k in codes])
    ax.scatter(x[~vet], y[~vet], c=colours[~vet], s=18, zorder=3)
    if vet.any():
        ax.scatter(
            x[vet], y[vet], c=colours[vet], marker="X", s=34, edgecolors="black", linewidths=0.5, zorder=3
        )
    bands = r.grades.bands
    xlo, ylo = _axis_start(x, bands), _axis_start(y, bands)
    ax.set_xlim(xlo, _axis_end(x))
    ax.set_ylim(ylo, _axis_end(y))
    for _, bound in bands:
        if bound > xlo:
            ax.axvline(bound, color="#777777", lw=0.7, ls="--", zorder=0)
        if bound > ylo:
            ax.axhline(bound, color="#777777", lw=0.7, ls="--", zorder=0)
    ax.set_xlabel(text("ax_party", lang), fontsize=9)
    ax.set_ylabel(text("ax_other", lang, other=r.scheme.other_name or ""), fontsize=9)
    ax.grid(alpha=0.2)
    fig.subplots_adjust(bottom=0.22, top=0.97, left=0.12, right=0.97)
    _legend(fig, card, lang, veto=bool(vet.any()), bands=True)
    return fig


def effort_chart(effort: pd.DataFrame, current: float, lang: str = "zh", subject=None):
    """Party-building weight (x) against the modelled share of effort on party building (y)."""
    plt = _pyplot()
    from matplotlib.ticker import PercentFormatter

    fig, ax = plt.subplots(figsize=(7.0, 3.6))
    x = effort["party_weight"].to_numpy()
    for col, style in (("effort_share", "--"), ("model_share", "-")):
        if col in effort:
            ax.plot(x, effort[col], style, marker="o", ms=3.5, label=text(f"e_{col}", lang))
    ax.axvline(current, color="#8b1a1a", lw=0.9)
    ax.text(
        current,
        1.0,
        " " + text("legend_current", lang, p=current),
        transform=ax.get_xaxis_transform(),
        fontsize=8,
        color="#8b1a1a",
        va="bottom",
    )
    ax.set_xlim(0, max(0.5, float(x.max())))
    ax.set_ylim(0, None)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(text("ax_party_weight", lang), fontsize=9)
    ax.set_ylabel(text("ax_effort", lang), fontsize=9)
    ax.grid(alpha=0.25)
    ax.legend(fontsize=8, loc="upper left", frameon=False)
    fig.subplots_adjust(bottom=0.16, top=0.9, left=0.1, right=0.97)
    return fig


def sweep_chart(table: pd.DataFrame, parameter: str, lang: str = "zh", title: str | None = None):
    """``workbench simulate``: modelled shares (y) as a design parameter (x) changes."""
    plt = _pyplot()
    from matplotlib.ticker import PercentFormatter

    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    for col in ("party_share", "distortion", "top_share"):
        if col in table.columns:
            ax.plot(table.index, table[col], marker="o", ms=3, label=text(f"sim_{col}", lang))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    if parameter in ("party_weight", "top_quota"):
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(text(f"sim_{parameter}", lang), fontsize=9)
    ax.set_ylabel(text("sim_y", lang), fontsize=9)
    ax.set_ylim(0, None)
    if title:
        ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, frameon=False)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def figure_png(fig, dpi: int = DPI) -> bytes:
    """PNG bytes of a figure (for embedding in HTML and PDF), closing the figure."""
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    plt.close(fig)
    return buf.getvalue()
