"""Scoring rules: how an indicator's value becomes a share of its full marks.

Every rule maps a column of values (one per unit) to a share of the indicator's full marks, on
whole arrays. Rules are stored as shares so that a rubric whose weights change (AHP, a weight
simulation) keeps its meaning; a rule written in points in the rubric file is converted on load
and written back in points (``to_dict(full)``).

Rule types (``rule: {type: ...}`` in a rubric file):

``linear``            share = (x - lo) / (hi - lo), clipped to [0, 1]; reversed when direction = -1.
``target_ratio``      share = min(x / target, cap); with direction = -1, min(target / x, cap).
``bands``             thresholds to points: ``points: [[95, 10], [85, 8]]``, ``otherwise: 0``
                      (x >= threshold for direction 1, x <= threshold for direction -1).
``rank_ladder``       rank among peers to points: ``points: [10, 9, 8], otherwise: 6`` or
                      ``first``/``step``/``floor`` (rank 1 gets ``first``, each rank below loses ``step``).
``peer_deviation``    share = at_mean + slope * z, clipped to [0, 1], z the direction-signed deviation from
                      the peer mean in peer standard deviations (``by: sd``) or relative to it (``by: mean``).
``minmax``            share = (x - min) / (max - min) over peers (COINr-style indicators); peers
                      who all report the same value get full marks, in either direction.
``grade_map``         qualitative grade to points: ``points: {优: 10, 良: 8, 中: 6, 差: 3}``.
``deduction_per_item`` checklist: full marks minus ``per_item`` for each missing item, not below ``floor``.
``direct``            the value already is points (``unit: points``), a share or a percent.

Peers are all units, or the units of the same category when the rubric has categories.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

__all__ = ["Rule", "RULE_TYPES", "KIND_RULES", "parse_rule", "peer_stats", "rank_desc"]


@dataclass(frozen=True)
class Rule:
    """Base class: a rule turns values into shares of full marks (vectorised)."""

    type: ClassVar[str] = ""
    needs_peers: ClassVar[bool] = False
    numeric: ClassVar[bool] = True
    unit: str = "share"  # how the rubric file wrote the values: "points" or "share"

    def share(self, x: np.ndarray, direction: int, peers: np.ndarray | None = None) -> np.ndarray:
        raise TypeError(f"rule {self.type!r} does not score values")  # pragma: no cover

    def to_dict(self, full: float) -> dict:
        raise TypeError  # pragma: no cover

    def describe(self, full: float) -> str:
        return self.type

    def _out(self, value: float, full: float) -> float:
        return round(value * full, 6) if self.unit == "points" else value


@dataclass(frozen=True)
class Linear(Rule):
    type: ClassVar[str] = "linear"
    lo: float = 0.0
    hi: float = 1.0

    def share(self, x, direction, peers=None):
        s = (x - self.lo) / (self.hi - self.lo)
        return np.clip(s if direction > 0 else 1.0 - s, 0.0, 1.0)

    def to_dict(self, full):
        return {"type": self.type, "lo": self.lo, "hi": self.hi}

    def describe(self, full):
        return f"linear between {self.lo:g} and {self.hi:g}"


@dataclass(frozen=True)
class TargetRatio(Rule):
    type: ClassVar[str] = "target_ratio"
    target: float = 1.0
    cap: float = 1.0

    def share(self, x, direction, peers=None):
        with np.errstate(divide="ignore", invalid="ignore"):
            if direction > 0:
                s = np.maximum(x, 0.0) / self.target
            else:
                s = np.where(x <= 0, self.cap, self.target / np.where(x <= 0, 1.0, x))
        return np.where(np.isnan(x), np.nan, np.minimum(s, self.cap))

    def to_dict(self, full):
        return {"type": self.type, "target": self.target, "cap": self.cap}

    def describe(self, full):
        return f"ratio to target {self.target:g}, capped at {self.cap:g}"


@dataclass(frozen=True)
class Bands(Rule):
    type: ClassVar[str] = "bands"
    thresholds: tuple = ()  # sorted so that the best band comes first
    values: tuple = ()  # shares, one per threshold
    otherwise: float = 0.0
    direction: int = 1

    def share(self, x, direction, peers=None):
        t = np.asarray(self.thresholds, dtype=float)
        vals = np.append(np.asarray(self.values, dtype=float), self.otherwise)
        # idx = number of thresholds the value fails to reach (a value on a threshold reaches it)
        if direction > 0:  # thresholds descending: count t_k > x
            idx = np.searchsorted(-t, -x, side="left")
        else:  # thresholds ascending: count t_k < x
            idx = np.searchsorted(t, x, side="left")
        out = vals[np.minimum(idx, len(t))]
        return np.where(np.isnan(x), np.nan, out)

    def to_dict(self, full):
        key = "points" if self.unit == "points" else "scores"
        pairs = [[t, self._out(v, full)] for t, v in zip(self.thresholds, self.values)]
        return {"type": self.type, key: pairs, "otherwise": self._out(self.otherwise, full)}

    def describe(self, full):
        op = "≥" if self.direction > 0 else "≤"
        parts = [f"{op}{t:g}→{v * full:.4g}" for t, v in zip(self.thresholds, self.values)]
        return "bands " + ", ".join(parts) + f", otherwise {self.otherwise * full:.4g}"


@dataclass(frozen=True)
class RankLadder(Rule):
    type: ClassVar[str] = "rank_ladder"
    needs_peers: ClassVar[bool] = True
    ladder: tuple = ()  # shares for ranks 1..k (used when given)
    otherwise: float = 0.0
    first: float = 1.0
    step: float = 0.0
    floor: float = 0.0

    def share(self, x, direction, peers=None):
        rank = _peer_rank(x, direction, peers)
        if self.ladder:
            vals = np.append(np.asarray(self.ladder, dtype=float), self.otherwise)
            idx = np.minimum(np.nan_to_num(rank, nan=1).astype(int) - 1, len(self.ladder))
            out = vals[idx]
        else:
            out = np.maximum(self.first - self.step * (rank - 1), self.floor)
        return np.where(np.isnan(x), np.nan, out)

    def to_dict(self, full):
        if self.ladder:
            key = "points" if self.unit == "points" else "scores"
            return {
                "type": self.type,
                key: [self._out(v, full) for v in self.ladder],
                "otherwise": self._out(self.otherwise, full),
            }
        return {
            "type": self.type,
            "unit": self.unit,
            "first": self._out(self.first, full),
            "step": self._out(self.step, full),
            "floor": self._out(self.floor, full),
        }

    def describe(self, full):
        if self.ladder:
            return "rank ladder " + ", ".join(f"#{i + 1}→{v * full:.4g}" for i, v in enumerate(self.ladder))
        return f"rank ladder: #1→{self.first * full:.4g}, −{self.step * full:.4g} per rank, floor {self.floor * full:.4g}"


@dataclass(frozen=True)
class PeerDeviation(Rule):
    type: ClassVar[str] = "peer_deviation"
    needs_peers: ClassVar[bool] = True
    at_mean: float = 0.8
    slope: float = 0.1
    by: str = "sd"

    def share(self, x, direction, peers=None):
        mean, sd = peer_stats(x, peers)
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = sd if self.by == "sd" else np.abs(mean)
            z = np.where(scale > 0, direction * (x - mean) / scale, 0.0)
        return np.where(np.isnan(x), np.nan, np.clip(self.at_mean + self.slope * z, 0.0, 1.0))

    def to_dict(self, full):
        return {"type": self.type, "at_mean": self.at_mean, "slope": self.slope, "by": self.by}

    def describe(self, full):
        per = "peer SD" if self.by == "sd" else "of the peer mean"
        return (
            f"peer deviation: {self.at_mean:.0%} of full marks at the peer mean, {self.slope:+.0%} per {per}"
        )


@dataclass(frozen=True)
class MinMax(Rule):
    type: ClassVar[str] = "minmax"
    needs_peers: ClassVar[bool] = True

    def share(self, x, direction, peers=None):
        if peers is None:
            lo, hi = (np.nanmin(x), np.nanmax(x)) if np.isfinite(x).any() else (np.nan, np.nan)
        else:
            grouped = pd.DataFrame({"x": x, "g": peers}).groupby("g")["x"]
            lo, hi = grouped.transform("min").to_numpy(), grouped.transform("max").to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            s = (x - lo) / (hi - lo)
        s = s if direction > 0 else 1.0 - s
        # peers who all report the same value cannot be told apart: every one gets full marks,
        # whichever the direction (before, direction -1 gave every one zero)
        s = np.where(hi > lo, s, 1.0)
        return np.where(np.isnan(x), np.nan, s)

    def to_dict(self, full):
        return {"type": self.type}

    def describe(self, full):
        return "min-max over peers"


@dataclass(frozen=True)
class GradeMap(Rule):
    type: ClassVar[str] = "grade_map"
    numeric: ClassVar[bool] = False
    mapping: tuple = ()  # ((grade, share), ...)

    def share(self, x, direction, peers=None):
        lookup = dict(self.mapping)
        if isinstance(x, pd.Categorical):  # validated data: codes into the grade list
            codes, uniques = x.codes, x.categories
        else:
            codes, uniques = pd.factorize(np.asarray(x, dtype=object), use_na_sentinel=True)
        table = np.array([lookup.get(u, np.nan) for u in uniques] + [np.nan], dtype=float)
        return table[codes]

    def grades(self) -> list[str]:
        return [g for g, _ in self.mapping]

    def to_dict(self, full):
        key = "points" if self.unit == "points" else "scores"
        return {"type": self.type, key: {g: self._out(v, full) for g, v in self.mapping}}

    def describe(self, full):
        return "grades " + ", ".join(f"{g}→{v * full:.4g}" for g, v in self.mapping)


@dataclass(frozen=True)
class DeductionPerItem(Rule):
    type: ClassVar[str] = "deduction_per_item"
    per_item: float = 0.1  # share of full marks lost per missing item
    floor: float = 0.0
    items: int | None = None

    def share(self, x, direction, peers=None):
        return np.maximum(1.0 - self.per_item * x, self.floor)

    def to_dict(self, full):
        d = {
            "type": self.type,
            "unit": self.unit,
            "per_item": self._out(self.per_item, full),
            "floor": self._out(self.floor, full),
        }
        if self.items is not None:
            d["items"] = self.items
        return d

    def describe(self, full):
        return (
            f"full marks minus {self.per_item * full:.4g} per missing item, not below {self.floor * full:.4g}"
        )


@dataclass(frozen=True)
class Direct(Rule):
    type: ClassVar[str] = "direct"
    per: float = 1.0  # divide the value by `per` to get a share (1 for shares, 100 for percent)
    input: str = "share"

    def share(self, x, direction, peers=None):
        return x / self.per

    def to_dict(self, full):
        return {"type": self.type, "unit": self.input}

    def describe(self, full):
        return f"value given directly as {self.input}"


RULE_TYPES: dict[str, type[Rule]] = {
    cls.type: cls
    for cls in (
        Linear,
        TargetRatio,
        Bands,
        RankLadder,
        PeerDeviation,
        MinMax,
        GradeMap,
        DeductionPerItem,
        Direct,
    )
}

# Which rule types make sense for which indicator kind.
KIND_RULES = {
    "quantitative": {"linear", "target_ratio", "bands", "rank_ladder", "peer_deviation", "minmax", "direct"},
    "qualitative": {"grade_map", "direct", "bands", "linear"},
    "checklist": {"deduction_per_item", "direct"},
}


def _rank_desc(x: np.ndarray, method: str = "min") -> np.ndarray:
    """Rank with 1 = largest; ties share the best ('min') or worst ('max') rank; NaN stays NaN.

    One argsort and two running maxima, so it costs O(n log n) without pandas overhead.
    """
    x = np.asarray(x, dtype=float)
    n = x.size
    order = np.argsort(-x, kind="stable")  # NaN sorts last
    s = x[order]
    pos = np.arange(n)
    if method == "min":  # rank of the first of each run of equal values
        start = np.ones(n, dtype=bool)
        start[1:] = s[1:] != s[:-1]
        r = np.maximum.accumulate(np.where(start, pos, 0)) + 1
    else:  # rank of the last of each run
        end = np.ones(n, dtype=bool)
        end[:-1] = s[:-1] != s[1:]
        r = (np.minimum.accumulate(np.where(end, pos, n)[::-1])[::-1]) + 1
    out = np.empty(n)
    out[order] = r
    out[np.isnan(x)] = np.nan
    return out


def rank_desc(x: np.ndarray, groups: np.ndarray | None = None, method: str = "min") -> np.ndarray:
    """:func:`_rank_desc` within each group (a loop over groups, never over units)."""
    if groups is None:
        return _rank_desc(x, method)
    codes = (
        groups
        if np.issubdtype(np.asarray(groups).dtype, np.integer)
        else pd.factorize(np.asarray(groups, dtype=object))[0]
    )
    x = np.asarray(x, dtype=float)
    out = np.empty(len(x))
    for g in np.unique(codes):
        m = codes == g
        out[m] = _rank_desc(x[m], method)
    return out


def _peer_rank(x: np.ndarray, direction: int, peers: np.ndarray | None) -> np.ndarray:
    """Competition rank (1 = best, ties share the best rank) within each peer group."""
    return rank_desc(direction * np.asarray(x, dtype=float), peers, "min")


def peer_stats(x: np.ndarray, peers: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Peer-group mean and sample SD broadcast back to each unit (NaNs skipped)."""
    x = np.asarray(x, dtype=float)
    if peers is None:
        ok = ~np.isnan(x)
        k = ok.sum()
        mean = x[ok].mean() if k else np.nan
        sd = x[ok].std(ddof=1) if k > 1 else 0.0
        return np.full(x.shape, mean), np.full(x.shape, sd)
    frame = pd.DataFrame({"x": x, "g": peers})
    grouped = frame.groupby("g")["x"]
    return grouped.transform("mean").to_numpy(), grouped.transform("std").fillna(0.0).to_numpy()


from ._rule_parse import parse_rule  # noqa: E402  (re-exported; the parser builds the rules above)
