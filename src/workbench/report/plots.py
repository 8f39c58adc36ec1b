"""Charts for notebooks and briefings. Presentation only: they draw results computed elsewhere.

Every function returns a matplotlib Figure and sets up the CJK font first, so Chinese labels
render (no tofu boxes) after a plain pip install.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from .fonts import setup_fonts

__all__ = ["GRADE_COLOURS", "ranking_chart", "figure_png"]

# Colour-blind-safe palette (Okabe & Ito 2008), best grade first.
GRADE_COLOURS = ["#009E73", "#56B4E9", "#E69F00", "#D55E00", "#CC79A7", "#999999"]


def _pyplot():
    setup_fonts()
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def ranking_chart(card, labels: pd.Series | None = None, title: str | None = None, lang: str = "zh"):
    """Horizontal bars of each unit's final score, best at the top, coloured by grade.

    Parameters
    ----------
    card : Scorecard
    labels : Series, optional
        Display name per unit id (e.g. department names); defaults to the ids.
    title : str, optional
    lang : {'zh', 'en'}
    """
    plt = _pyplot()
    order = card.final.sort_values(ascending=True)
    names = (
        order.index.astype(str)
        if labels is None
        else labels.reindex(order.index).fillna(pd.Series(order.index, index=order.index)).astype(str)
    )
    grade_names = card.rubric.grades.names
    colours = (
        [GRADE_COLOURS[grade_names.index(g) % len(GRADE_COLOURS)] for g in card.grade.reindex(order.index)]
        if grade_names
        else ["#0072B2"] * len(order)
    )
    height = max(3.0, 0.22 * len(order) + 1.2)
    fig, ax = plt.subplots(figsize=(8.0, height), dpi=110)
    ax.barh(np.arange(len(order)), order.to_numpy(), color=colours, height=0.75)
    ax.set_yticks(np.arange(len(order)), labels=list(names), fontsize=8)
    ax.set_ylim(-0.6, len(order) - 0.4)
    lo = float(np.nanmin(order.to_numpy()))
    ax.set_xlim(max(0.0, lo - 5), float(np.nanmax(order.to_numpy())) + 2)
    ax.set_xlabel("得分" if lang == "zh" else "Score")
    if title:
        ax.set_title(title)
    if grade_names:
        from matplotlib.patches import Patch

        present = [g for g in grade_names if (card.grade == g).any()]
        handles = [
            Patch(color=GRADE_COLOURS[grade_names.index(g) % len(GRADE_COLOURS)], label=g) for g in present
        ]
        ax.legend(handles=handles, title="等次" if lang == "zh" else "Grade", loc="lower right", fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def figure_png(fig, dpi: int = 110) -> bytes:
    """PNG bytes of a figure (for embedding in HTML), closing the figure."""
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    plt.close(fig)
    return buf.getvalue()
