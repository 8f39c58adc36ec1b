"""Charts of movements between periods and between rubric versions (presentation only)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._i18n import _

__all__ = ["plot_periods", "plot_versions"]

# Okabe & Ito (2008): colour-blind safe; blue for a move up, vermillion for a move down (red and
# green are avoided because they mean opposite things to Chinese and Western readers)
UP, DOWN, GREY = "#0072B2", "#D55E00", "#999999"


def _pyplot():
    from ..report.plots import _pyplot as setup

    return setup()


def _movers(values: pd.Series, top: int, keep=()) -> pd.Series:
    """The ``top`` largest moves each way (all units when there are few) and the units in ``keep``
    (those whose grade changed), largest up first."""
    v = values.dropna()
    v = v[v != 0]
    if len(v) > 2 * top:
        chosen = pd.concat([v.nlargest(top), v.nsmallest(top), v[v.index.isin(list(keep))]])
        v = v.loc[~v.index.duplicated()].loc[pd.unique(chosen.index)]
    return v.iloc[np.argsort(v.to_numpy(), kind="stable")]


def _bars(ax, values: pd.Series, labels: pd.Series | None, xlabel: str, fmt: str) -> None:
    y = np.arange(len(values))
    colours = np.where(values.to_numpy() > 0, UP, DOWN)
    ax.barh(y, values.to_numpy(), color=colours)
    names = [str(labels.get(u, u)) if labels is not None else str(u) for u in values.index]
    ax.set_yticks(y, names, fontsize=8)
    for yi, v in zip(y, values.to_numpy()):
        ax.annotate(fmt.format(v), (v, yi), xytext=(3 if v > 0 else -3, 0), textcoords="offset points",
                    ha="left" if v > 0 else "right", va="center", fontsize=7)  # fmt: skip
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel(xlabel)
    lim = max(1.0, float(np.abs(values).max()) if len(values) else 1.0) * 1.25
    ax.set_xlim(-lim, lim)
    ax.grid(axis="x", alpha=0.3)


def plot_periods(result, *, top: int = 12, names: pd.Series | None = None):
    """One figure a leader reads at a glance: who moved up or down, and on which blocks.

    Left: rank change of each unit from the period before to the last (进位 blue, 退位 vermillion;
    the ``top`` largest moves each way when there are many units), with the grade change noted.
    Right: per block, units whose share of the block's full marks rose or fell by the threshold.

    Parameters
    ----------
    result : PeriodComparison
    top : int, default=12
    names : Series unit -> display name, optional (default: the result's ``name`` column)

    Returns
    -------
    matplotlib Figure
    """
    plt = _pyplot()
    m = result.movement
    labels = names if names is not None else (m["name"] if "name" in m.columns else None)
    changed = m.index[m["grade_change"].fillna(0).to_numpy() != 0]
    moves = _movers(m["rank_change"].astype(float), top, keep=changed)
    grade = m["grade_change"].reindex(moves.index)
    if labels is not None:
        labels = pd.Series(labels)
        shown = {u: f"{labels.get(u, u)}{' ▲' if g > 0 else ' ▼' if g < 0 else ''}" for u, g in grade.items()}
        labels = pd.Series(shown)
    prev, now = result.periods[-2], result.periods[-1]
    height = max(3.5, 0.26 * len(moves) + 1.5)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, height), gridspec_kw={"width_ratios": [3, 2]})
    if len(moves):
        xlabel = (
            _("places moved within category ({prev} → {now})")
            if result.rank_basis == "category"
            else _("places moved ({prev} → {now})")
        )
        _bars(ax1, moves, labels, xlabel.format(prev=prev, now=now), "{:+.0f}")
    else:
        ax1.text(0.5, 0.5, _("no unit changed its rank"), ha="center", va="center", transform=ax1.transAxes)
        ax1.set_axis_off()
    up, down = int((m["move"] == "up").sum()), int((m["move"] == "down").sum())
    ax1.set_title(
        _("Rank: {up} moved up, {down} moved down (▲▼ grade up/down)").format(up=up, down=down), fontsize=10
    )
    b = result.blocks.iloc[::-1]
    y = np.arange(len(b))
    ax2.barh(y, b["improving"].to_numpy(), color=UP, label=_("improving"))
    ax2.barh(y, -b["declining"].to_numpy(), color=DOWN, label=_("declining"))
    ax2.set_yticks(y, b["name"].astype(str).tolist(), fontsize=9)
    ax2.axvline(0, color="black", lw=0.8)
    lim = max(1, int(max(b["improving"].max(), b["declining"].max()))) * 1.2 if len(b) else 1
    ax2.set_xlim(-lim, lim)
    ax2.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _p: f"{abs(v):.0f}"))  # counts either way
    ax2.set_xlabel(
        _("units (share of the block's full marks ±{pp:.0f} points or more)").format(
            pp=result.threshold * 100
        )
    )
    ax2.set_title(_("Blocks: units improving / declining"), fontsize=10)
    ax2.legend(fontsize=8, loc="lower right")
    ax2.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def plot_versions(comparison, *, top: int = 12, names: pd.Series | None = None):
    """Two rubric versions at a glance: score changes of the units that move most, and weights.

    Left: change of the final score (new minus old) of the units that move most, grade changes
    marked ▲▼. Right: nominal and effective weight of each top block, old and new.

    Parameters
    ----------
    comparison : VersionComparison
    top : int, default=12
    names : Series unit -> display name, optional (default: the comparison's ``name`` column)

    Returns
    -------
    matplotlib Figure
    """
    plt = _pyplot()
    u = comparison.units
    labels = names if names is not None else (u["name"] if "name" in u.columns else None)
    moves = _movers(u["score_change"].round(9), top, keep=u.index[u["grade_change"].to_numpy() != 0])
    grade = u["grade_change"].reindex(moves.index)
    base = pd.Series(labels) if labels is not None else pd.Series(moves.index, index=moves.index)
    labels = pd.Series(
        {k: f"{base.get(k, k)}{' ▲' if g > 0 else ' ▼' if g < 0 else ''}" for k, g in grade.items()}
    )
    w = comparison.weights.iloc[::-1]
    height = max(3.5, 0.26 * max(len(moves), 2 * len(w)) + 1.5)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, height), gridspec_kw={"width_ratios": [3, 2]})
    if len(moves):
        _bars(ax1, moves, labels, _("change of the final score (new − old)"), "{:+.2f}")
    else:
        ax1.text(0.5, 0.5, _("no unit's score changed"), ha="center", va="center", transform=ax1.transAxes)
        ax1.set_axis_off()
    ax1.set_title(_("Units that move most (▲▼ grade up/down)"), fontsize=10)
    y = np.arange(len(w))
    h = 0.2
    for k, (col, colour, hatch, label) in enumerate(
        [
            ("nominal_old", GREY, "", _("nominal, old")),
            ("nominal_new", GREY, "//", _("nominal, new")),
            ("effective_old", UP, "", _("effective, old")),
            ("effective_new", UP, "//", _("effective, new")),
        ]
    ):
        ax2.barh(y + (1.5 - k) * h, w[col].fillna(0).to_numpy(), height=h, color=colour, hatch=hatch,
                 edgecolor="white", label=label)  # fmt: skip
    ax2.set_yticks(y, w["name"].astype(str).tolist(), fontsize=9)
    ax2.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _p: f"{v:.0%}"))
    ax2.set_xlabel(_("weight (share)"))
    ax2.set_title(_("Top blocks: nominal vs effective weight"), fontsize=10)
    ax2.legend(fontsize=7, loc="lower right")
    ax2.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig
