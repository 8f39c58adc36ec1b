"""Year over year: rank and grade movements per unit (进位/退位) and block-by-block progress.

:func:`compare_periods` lines up two or more scorecards of the same units (one per period, scored
under the same or different rubric versions). Scores from different rubric versions are not on
one scale, so movements are read from ranks and grades, and progress on a block from the share of
the block's full marks a unit earned (which a re-weighting does not change).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._i18n import _
from .._results import ResultMixin
from ..errors import SpecError
from ._labels import move_labels

__all__ = ["PeriodComparison", "compare_periods", "block_shares"]


def block_shares(card) -> pd.DataFrame:
    """Share of each block's full marks that each unit earned (units x blocks, NaN where no item applies).

    The full marks of a block are those of its items that apply to the unit (exempt items left
    out), under the unit's category weights, so the share is comparable across rubric versions.
    """
    r = card.rubric
    blocks = list(card.blocks.columns)
    member = np.zeros((len(r.indicators), len(blocks)))
    col = {b: k for k, b in enumerate(blocks)}
    for j, c in enumerate(r.indicators):
        for a in r.ancestors(c):
            member[j, col[a]] = 1.0
    applies = card.shares.notna().to_numpy()
    avail = np.where(applies, card.full.to_numpy(), 0.0) @ member
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(avail > 0, card.blocks.to_numpy() / avail, np.nan)
    return pd.DataFrame(share, index=card.index, columns=blocks)


@dataclass(frozen=True, repr=False)
class PeriodComparison(ResultMixin):
    """Scorecards of several periods side by side (oldest first).

    Attributes
    ----------
    periods : tuple of str  period labels, oldest first
    ranks, grades, scores : DataFrame (units x periods)
        Rank used for movements (within category when every period ranks within category), grade
        name and final score (scores of different rubric versions are not on one scale).
    movement : DataFrame
        Per unit, last period against the one before: ``name``, ``category``, ``rank_prev``,
        ``rank_now``, ``rank_change`` (prev - now: positive = 进位), ``move`` (up, down, same, new,
        gone), ``grade_prev``, ``grade_now``, ``grade_change`` (grade steps, positive = up),
        ``score_prev``, ``score_now``; with three or more periods also ``rank_change_total``
        (first period against the last).
    block_change : DataFrame (units x blocks)
        Change of the share of each block's full marks earned, last period minus the one before
        (blocks present in both periods, matched by code).
    blocks : DataFrame
        Per block: ``name``, ``improving`` and ``declining`` (units whose share moved by at least
        ``threshold``), ``mean_change``.
    transitions : DataFrame  grade in the period before (rows) x grade now (columns), unit counts
    threshold : float
    rank_basis : 'category' or 'overall'  which rank the movements use
    """

    periods: tuple
    ranks: pd.DataFrame
    grades: pd.DataFrame
    scores: pd.DataFrame
    movement: pd.DataFrame
    block_change: pd.DataFrame
    blocks: pd.DataFrame
    transitions: pd.DataFrame
    threshold: float
    rank_basis: str = "overall"

    def to_frame(self) -> pd.DataFrame:
        return self.movement

    def improving(self, block: str) -> pd.Index:
        """Units whose share of ``block`` rose by at least the threshold."""
        return self.block_change.index[self.block_change[block].to_numpy() >= self.threshold - 1e-12]

    def declining(self, block: str) -> pd.Index:
        """Units whose share of ``block`` fell by at least the threshold."""
        return self.block_change.index[self.block_change[block].to_numpy() <= -self.threshold + 1e-12]

    def _summary_title(self) -> str:
        return _("Periods {periods}: {n} units").format(
            periods=" → ".join(self.periods), n=len(self.movement)
        )

    def _summary_facts(self) -> dict:
        m, labels = self.movement["move"], move_labels()
        facts = {
            labels[k]: int((m == k).sum()) for k in ("up", "down", "same", "new", "gone") if (m == k).any()
        }
        facts[_("grade up")] = int((self.movement["grade_change"] > 0).sum())
        facts[_("grade down")] = int((self.movement["grade_change"] < 0).sum())
        return facts


def compare_periods(
    periods, *, names: pd.Series | Mapping | None = None, threshold: float = 0.05, rank: str = "auto"
) -> PeriodComparison:
    """Rank and grade movements between periods, and who improves or declines on each block.

    Parameters
    ----------
    periods : mapping of label -> Scorecard, or of label -> (rubric, data)
        Two or more periods, oldest first (e.g. ``{"2024": card_2024, "2025": card_2025}``); each
        scored under its own rubric version.
    names : Series or mapping unit -> name, optional
        Display names (default: none; the CLI and briefings pass the data's name column).
    threshold : float in (0, 1), default=0.05
        A unit improves (declines) on a block when its share of the block's full marks rises (falls)
        by at least this much, e.g. 0.05 = 5 percentage points.
    rank : {'auto', 'overall', 'category'}, default='auto'
        Which rank movements use: 'auto' takes the rank within category when every period's rubric
        ranks within categories, else the overall rank.

    Returns
    -------
    PeriodComparison

    Raises
    ------
    SpecError
        Fewer than two periods, a bad threshold or rank option, or 'category' without categories.

    Examples
    --------
    >>> yoy = compare_periods({"2024": card_2024, "2025": card_2025})  # doctest: +SKIP
    >>> yoy.movement["move"].value_counts()  # doctest: +SKIP
    """
    from ..errors import check_option
    from ..scoring import score

    check_option(rank, ("auto", "overall", "category"), name="rank", func="compare_periods")
    if not isinstance(periods, Mapping) or len(periods) < 2:
        raise SpecError(
            _(
                "compare_periods needs a mapping of two or more periods (label -> scorecard); got {got}"
            ).format(got=type(periods).__name__ if not isinstance(periods, Mapping) else len(periods)),
            key="periods",
        )
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 < threshold < 1:
        raise SpecError(
            _(
                "The 'threshold' parameter of compare_periods must be a share in (0, 1). Got {value!r} instead."
            ).format(value=threshold),
            key="threshold",
        )
    cards = {str(k): (score(*v) if isinstance(v, tuple) else v) for k, v in periods.items()}
    labels = tuple(cards)
    within = [c.rank_in_category is not None for c in cards.values()]
    if rank == "category" and not all(within):
        raise SpecError(
            _("rank='category' needs every period's rubric to rank within categories"), key="rank"
        )
    use_cat = rank == "category" or (rank == "auto" and all(within))
    ranks = pd.DataFrame({k: (c.rank_in_category if use_cat else c.rank) for k, c in cards.items()})
    grades = pd.DataFrame({k: c.grade.astype(object) for k, c in cards.items()})
    gidx = pd.DataFrame({k: _grade_index(c) for k, c in cards.items()})
    scores = pd.DataFrame({k: c.final for k, c in cards.items()})
    prev, now = labels[-2], labels[-1]
    mv = pd.DataFrame(index=ranks.index)
    if names is not None:
        mv["name"] = pd.Series(names).reindex(ranks.index).to_numpy()
    with_cats = [c.category for c in cards.values() if c.category is not None]
    if with_cats:  # the latest category a unit had
        mv["category"] = pd.concat(with_cats, axis=1).ffill(axis=1).iloc[:, -1]
    mv["rank_prev"], mv["rank_now"] = ranks[prev], ranks[now]
    mv["rank_change"] = ranks[prev] - ranks[now]
    present_prev, present_now = ranks[prev].notna(), ranks[now].notna()
    mv["move"] = np.select(
        [
            ~present_prev & present_now,
            present_prev & ~present_now,
            mv["rank_change"] > 0,
            mv["rank_change"] < 0,
        ],
        ["new", "gone", "up", "down"],
        "same",
    )
    mv["grade_prev"], mv["grade_now"] = grades[prev], grades[now]
    mv["grade_change"] = gidx[prev] - gidx[now]
    mv["score_prev"], mv["score_now"] = scores[prev], scores[now]
    if len(labels) > 2:
        mv["rank_change_total"] = ranks[labels[0]] - ranks[now]
    whole = [
        c for c in ("rank_prev", "rank_now", "rank_change", "grade_change", "rank_change_total") if c in mv
    ]
    mv[whole] = mv[whole].round().astype("Int64")  # whole numbers, blank where a unit is absent
    s_prev, s_now = block_shares(cards[prev]), block_shares(cards[now])
    common = [b for b in s_now.columns if b in s_prev.columns]
    change = (s_now[common] - s_prev[common].reindex(s_now.index)).reindex(ranks.index)
    r_now, r_prev = cards[now].rubric, cards[prev].rubric
    block_names = {b: (r_now.nodes[b].name if b in r_now.nodes else r_prev.nodes[b].name) for b in common}
    x = change.to_numpy()
    with np.errstate(invalid="ignore"):
        summary = pd.DataFrame(
            {
                "name": [block_names[b] for b in common],
                "improving": (x >= threshold - 1e-12).sum(axis=0),
                "declining": (x <= -threshold + 1e-12).sum(axis=0),
                "mean_change": change.mean(axis=0).to_numpy(),  # NaN (units absent) skipped
            },
            index=pd.Index(common, name="block"),
        )
    both = present_prev & present_now
    transitions = pd.crosstab(grades.loc[both, prev], grades.loc[both, now]).rename_axis(
        index=prev, columns=now
    )
    order_prev = [g for g in cards[prev].rubric.grades.names if g in transitions.index]
    order_now = [g for g in cards[now].rubric.grades.names if g in transitions.columns]
    transitions = transitions.reindex(index=order_prev or None, columns=order_now or None)
    basis = "category" if use_cat else "overall"
    return PeriodComparison(
        labels, ranks, grades, scores, mv, change, summary, transitions, float(threshold), basis
    )


def _grade_index(card) -> pd.Series:
    if not card.rubric.grades.bands:
        return pd.Series(0, index=card.index)
    return pd.Series(card.grade.cat.codes.to_numpy().astype(float), index=card.index)
