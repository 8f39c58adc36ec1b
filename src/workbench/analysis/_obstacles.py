"""Obstacle degree (障碍度): which indicators hold each unit back, and by how much.

For unit i and indicator j with standardised value ``x_ij`` in [0, 1] (1 = best) and weight
``w_j``, the factor contribution is ``w_j``, the deviation degree ``1 - x_ij`` and the obstacle
degree ``O_ij = w_j (1 - x_ij) / sum_j w_j (1 - x_ij) * 100``: each indicator's share (in %) of
everything the unit falls short by. On a :class:`~workbench.scoring.Scorecard` this is each
indicator's share of the points the unit lost.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._results import ResultMixin
from ..errors import DataError, SpecError, WorkbenchWarning
from ..weighting._common import as_table, names

__all__ = ["ObstacleResult", "obstacles", "top_obstacles", "group_obstacles", "scorecard_obstacles"]

LABELS = {
    "indicator": "指标",
    "name": "指标名称",
    "block": "一级指标",
    "obstacle": "障碍度(%)",
    "lost": "失分",
}


def _weights(weights, cols, func) -> np.ndarray:
    if hasattr(weights, "weights") and isinstance(weights.weights, pd.Series):
        weights = weights.weights
    if isinstance(weights, (dict, pd.Series)):
        s = pd.Series(weights, dtype=float)
        missing, extra = [c for c in cols if c not in s.index], [c for c in s.index if c not in set(cols)]
        if missing or extra:
            raise SpecError(
                f"{func}: weights do not match the indicators"
                + (f"; none for {names(missing)}" if missing else "")
                + (f"; unknown {names(extra)}" if extra else "")
                + ".",
                key="weights",
            )
        w = s.loc[list(cols)].to_numpy()
    else:
        w = np.ravel(np.asarray(weights, dtype=float))
        if len(w) != len(cols):
            raise SpecError(f"{func}: {len(w)} weights for {len(cols)} indicators.", key="weights")
    bad = ~np.isfinite(w) | (w < 0)
    if bad.any():
        raise SpecError(
            f"{func}: weight(s) of {names(pd.Index(cols)[bad])} are negative or missing; weights must be >= 0.",
            key="weights",
        )
    if abs(w.sum() - 1.0) > 1e-3:  # rounded published weights pass and are renormalised
        raise SpecError(
            f"{func}: weights sum to {w.sum():.6g}, not 1; rescale them (w / w.sum()) so each is the "
            "indicator's factor contribution.",
            key="weights",
        )
    return w / w.sum()


def _degrees(deviation: np.ndarray, w: np.ndarray, rows, cols, func) -> pd.DataFrame:
    d = deviation * w
    total = d.sum(axis=1, keepdims=True)
    perfect = total[:, 0] <= 0
    if perfect.any():
        warnings.warn(
            f"{func}: unit(s) {names(pd.Index(rows)[perfect])} fall short on no indicator, so their obstacle "
            "degrees are undefined (0/0) and left NaN.",
            WorkbenchWarning,
            stacklevel=3,
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        o = d / total * 100.0
    return pd.DataFrame(o, index=rows, columns=cols)


def obstacles(standardised, weights) -> pd.DataFrame:
    """Obstacle degree of every unit and indicator, in percent (each row sums to 100).

    Parameters
    ----------
    standardised : DataFrame or array of shape (n_units, n_indicators)
        Indicator values rescaled to [0, 1] with 1 = best (cost indicators already reversed), e.g.
        min-max normalised data or a scorecard's shares of full marks.
    weights : Series, mapping, WeightResult or array of shape (n_indicators,)
        Factor contributions: >= 0 and summing to 1.

    Returns
    -------
    DataFrame of shape (n_units, n_indicators)
        ``O_ij = w_j (1 - x_ij) / sum_j w_j (1 - x_ij) * 100``. A unit at the best value on every
        indicator has no obstacle: its row is NaN (with a warning).

    Raises
    ------
    DataError
        Missing values or values outside [0, 1].
    SpecError
        Weights that are negative, do not match the columns or do not sum to 1.

    References
    ----------
    The obstacle-degree model (障碍度模型) of Chinese evaluation studies, e.g. 杨丽, 孙之淳 (2015)
    基于熵值法的西部新型城镇化发展水平测评. 经济问题 (3):115-119.

    Examples
    --------
    >>> obstacles([[0.5, 1.0], [0.0, 0.5]], [0.5, 0.5]).round(1).to_numpy().tolist()
    [[100.0, 0.0], [66.7, 33.3]]
    """
    func = "obstacles"
    t = as_table(standardised, func=func, min_rows=1)
    x = t.values
    out = (x < -1e-9) | (x > 1 + 1e-9)
    if out.any():
        r, c = np.argwhere(out)[0]
        raise DataError(
            f"{func}: {int(out.sum())} standardised value(s) outside [0, 1] (first: {x[r, c]:g} at unit "
            f"{t.rows[r]!r}, indicator {t.cols[c]!r}); rescale the data (min-max, 1 = best) first.",
            column=str(t.cols[c]),
        )
    w = _weights(weights, t.cols, func)
    return _degrees(1.0 - np.clip(x, 0.0, 1.0), w, t.rows, t.cols, func)


def top_obstacles(degrees: pd.DataFrame, k: int = 3) -> pd.DataFrame:
    """The k largest obstacles of every unit, as a long table (unit, rank, indicator, obstacle).

    Units without obstacles (NaN rows) are left out.
    """
    if not (isinstance(k, int) and k >= 1):
        raise SpecError(f"top_obstacles: 'k' must be a positive integer; got {k!r}.", key="k")
    o = degrees.to_numpy(dtype=float)
    keep = ~np.isnan(o).all(axis=1)
    o = np.where(np.isnan(o), -np.inf, o)[keep]
    k = min(k, o.shape[1])
    order = np.argsort(-o, axis=1, kind="stable")[:, :k]
    units = degrees.index[keep]
    return pd.DataFrame(
        {
            "unit": np.repeat(units.to_numpy(), k),
            "rank": np.tile(np.arange(1, k + 1), len(units)),
            "indicator": degrees.columns.to_numpy()[order].ravel(),
            "obstacle": np.take_along_axis(o, order, axis=1).ravel(),
        }
    )


def group_obstacles(degrees: pd.DataFrame, groups) -> pd.DataFrame:
    """Obstacle degrees summed by group of indicators (e.g. by block): units x groups, in percent.

    Parameters
    ----------
    degrees : DataFrame from :func:`obstacles`
    groups : mapping or Series {indicator: group}
        Every indicator must belong to a group.
    """
    g = pd.Series(groups)
    missing = [c for c in degrees.columns if c not in g.index]
    if missing:
        raise SpecError(f"group_obstacles: no group for indicator(s) {names(missing)}.", key="groups")
    labels = pd.Index(g.loc[list(degrees.columns)].to_numpy())
    return degrees.T.groupby(labels, sort=False).sum(min_count=1).T


@dataclass(frozen=True, repr=False, eq=False)
class ObstacleResult(ResultMixin):
    """Obstacle degrees of a scorecard, by indicator and by block, with what holds units back.

    Attributes
    ----------
    degrees : DataFrame (units x indicators), percent of the unit's lost points
    by_block : DataFrame (units x top blocks), percent
    lost : DataFrame (units x indicators), points lost
    top : DataFrame, the ``k`` largest obstacles per unit (long: unit, rank, indicator, name, obstacle, lost)
    indicators : DataFrame per indicator: mean obstacle over units, share of units where it is among
        the top ``k``, block
    card : Scorecard
    """

    degrees: pd.DataFrame
    by_block: pd.DataFrame
    lost: pd.DataFrame
    top: pd.DataFrame
    indicators: pd.DataFrame
    card: object

    def to_frame(self) -> pd.DataFrame:
        return self.indicators

    def _summary_title(self) -> str:
        return f"Obstacle degrees: {len(self.degrees)} units x {self.degrees.shape[1]} indicators"

    def _summary_facts(self) -> dict:
        first = self.indicators.index[0] if len(self.indicators) else ""
        return {"largest obstacle on average": str(first)}

    def per_block(self, k: int = 3) -> pd.DataFrame:
        """The k indicators with the largest mean obstacle within each block (aggregated over units)."""
        s = self.indicators.sort_values("mean_obstacle", ascending=False)
        return (
            s.groupby("block", sort=False)
            .head(k)
            .sort_values(["block", "mean_obstacle"], ascending=[True, False])
        )

    def holding_back(self, unit) -> pd.DataFrame:
        """What holds one unit back: its indicators by obstacle degree (largest first), with the points lost."""
        if unit not in self.degrees.index:
            raise DataError(f"holding_back: unknown unit {unit!r}.", key="unit")
        names_ = self.card.rubric.names()
        parents = {c: self.card.rubric.nodes[c].parent for c in self.degrees.columns}
        t = pd.DataFrame(
            {
                "name": [names_[c] for c in self.degrees.columns],
                "block": [names_[parents[c]] for c in self.degrees.columns],
                "obstacle": self.degrees.loc[unit].to_numpy(),
                "lost": self.lost.loc[unit].to_numpy(),
            },
            index=pd.Index(self.degrees.columns, name="indicator"),
        )
        return t[t["lost"] > 0].sort_values("obstacle", ascending=False)

    def weakest(self, n: int = 5, k: int = 3) -> pd.DataFrame:
        """The n lowest-ranked units with their k largest obstacles (for a briefing).

        Columns: ``rank``, ``final``, ``lost`` (points below full marks), then ``obstacle_1`` ...
        as "指标名称 (xx%)".
        """
        card = self.card
        units = card.rank.sort_values(ascending=False, kind="stable").index[:n]
        names_ = card.rubric.names()
        rows = []
        for u in units:
            hb = self.holding_back(u).head(k)
            row = {
                "unit": u,
                "rank": int(card.rank[u]),
                "final": float(card.final[u]),
                "lost": float(self.lost.loc[u].sum()),
            }
            for i, (code, r) in enumerate(hb.iterrows(), start=1):
                row[f"obstacle_{i}"] = f"{names_[code]} ({r['obstacle']:.0f}%)"
            rows.append(row)
        return pd.DataFrame(rows).set_index("unit")


def _top_block(rubric, code):
    top = set(rubric.top_blocks)
    while code not in top and rubric.nodes[code].parent is not None:
        code = rubric.nodes[code].parent
    return code


def scorecard_obstacles(card, *, k: int = 3) -> ObstacleResult:
    """Obstacle degrees of a :class:`~workbench.scoring.Scorecard`: each indicator's share of lost points.

    The standardised value is the share of full marks earned (clipped to [0, 1]) and the factor
    contribution is the indicator's full marks for that unit (so category weights count), i.e.
    ``O_ij = lost_ij / sum_j lost_ij * 100`` with ``lost_ij = full_ij (1 - share_ij)``. Exempt
    items (不涉及) lose nothing. Bonus, deductions and vetoes are not indicators and do not enter.

    Parameters
    ----------
    card : Scorecard
        The result of :func:`workbench.score`.
    k : int, default=3
        How many obstacles to list per unit.

    Returns
    -------
    ObstacleResult
        ``weakest(n)`` gives what holds the n lowest-ranked units back; ``holding_back(unit)`` one unit.
    """
    if not all(hasattr(card, a) for a in ("shares", "full", "rubric", "rank")):
        raise DataError(
            f"scorecard_obstacles: expected a Scorecard (workbench.score); got {type(card).__name__}."
        )
    shares = card.shares.to_numpy(dtype=float)
    full = card.full.to_numpy(dtype=float)
    lost = np.where(np.isnan(shares), 0.0, full * (1.0 - np.clip(shares, 0.0, 1.0)))
    lost[lost < 1e-9] = 0.0  # a share of 1 - 1e-16 from rule arithmetic is full marks, not a lost point
    cols = card.shares.columns
    # lost points already carry the weights: apply unit weights of 1 to the lost-points table
    degrees = _degrees(lost, np.ones(len(cols)), card.index, cols, "scorecard_obstacles")
    rubric = card.rubric
    blocks = pd.Index([_top_block(rubric, c) for c in cols])
    by_block = group_obstacles(degrees, dict(zip(cols, blocks, strict=True))).reindex(
        columns=rubric.top_blocks
    )
    top = top_obstacles(degrees, k)
    names_ = rubric.names()
    top["name"] = top["indicator"].map(names_)
    lost_frame = pd.DataFrame(lost, index=card.index, columns=cols)
    top["lost"] = lost_frame.to_numpy()[
        card.index.get_indexer(top["unit"]), cols.get_indexer(top["indicator"])
    ]
    in_top = top.groupby("indicator").size().reindex(cols, fill_value=0) / max(
        1, degrees.notna().any(axis=1).sum()
    )
    per_indicator = pd.DataFrame(
        {
            "name": [names_[c] for c in cols],
            "block": [names_[b] for b in blocks],
            "mean_obstacle": degrees.mean(axis=0).to_numpy(),
            "mean_lost": lost_frame.mean(axis=0).to_numpy(),
            f"share_in_top{k}": in_top.to_numpy(),
        },
        index=pd.Index(cols, name="indicator"),
    ).sort_values("mean_obstacle", ascending=False)
    return ObstacleResult(
        degrees=degrees, by_block=by_block, lost=lost_frame, top=top, indicators=per_indicator, card=card
    )
