"""Scoring rules: how an indicator's value becomes a share of its full marks.

Every rule maps a column of values (one per unit) to a share of the indicator's full marks. Rules
are stored as shares so that a rubric whose weights change (AHP, a weight simulation) keeps its
meaning; a rule written in points in the rubric file is converted on load and written back in
points (``to_dict(full)``).

Rule types (``rule: {type: ...}`` in a rubric file):

``linear``            share = (x - lo) / (hi - lo), clipped to [0, 1]; reversed when direction = -1.
``target_ratio``      share = min(x / target, cap); with direction = -1, min(target / x, cap).
``bands``             thresholds to points: ``points: [[95, 10], [85, 8]]``, ``otherwise: 0``
                      (x >= threshold for direction 1, x <= threshold for direction -1).
``rank_ladder``       rank among peers to points: ``points: [10, 9, 8], otherwise: 6`` or
                      ``first``/``step``/``floor`` (rank 1 gets ``first``, each rank below loses ``step``).
``peer_deviation``    share = at_mean + slope * z, clipped to [0, 1], z the direction-signed deviation from
                      the peer mean in peer standard deviations (``by: sd``) or relative to it (``by: mean``).
``minmax``            share = (x - min) / (max - min) over peers (COINr-style indicators).
``grade_map``         qualitative grade to points: ``points: {优: 10, 良: 8, 中: 6, 差: 3}``.
``deduction_per_item`` checklist: full marks minus ``per_item`` for each missing item, not below ``floor``.
``direct``            the value already is points (``unit: points``), a share or a percent.

Peers are all units, or the units of the same category when the rubric has categories.

The scoring kernel evaluates rules as arrays: every indicator of one rule type and direction is one
block, ``Rule.block(X, P, direction, peers)`` on the (k, n) block of their values with the rules'
parameters stacked by :meth:`Rule.params` (arrays of length k), so a rubric of 60 items costs a
handful of whole-array operations, not 60 passes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from .grades import rank_desc

__all__ = ["Rule", "RULE_TYPES", "KIND_RULES", "parse_rule", "stack_params"]


@dataclass(frozen=True)
class Rule:
    """Base class: a rule turns values into shares of full marks (vectorised over a block)."""

    type: ClassVar[str] = ""
    needs_peers: ClassVar[bool] = False
    numeric: ClassVar[bool] = True
    unit: str = "share"  # how the rubric file wrote the values: "points" or "share"

    def params(self) -> dict:
        """The rule's numbers, stacked over a block by :func:`stack_params`."""
        return {}

    @staticmethod
    def block(x: np.ndarray, p: dict, direction: int, peers: np.ndarray | None) -> np.ndarray:
        """Shares (k, n) of the values ``x`` (k, n) of k indicators of this type and direction."""
        raise TypeError("this rule does not score values")  # pragma: no cover

    def to_dict(self, full: float) -> dict:
        raise TypeError  # pragma: no cover

    def describe(self, full: float) -> str:
        return self.type

    def _out(self, value: float, full: float) -> float:
        return round(value * full, 6) if self.unit == "points" else value


def _col(p: dict, name: str) -> np.ndarray:
    return p[name][:, None]


@dataclass(frozen=True)
class Linear(Rule):
    type: ClassVar[str] = "linear"
    lo: float = 0.0
    hi: float = 1.0

    def params(self):
        return {"lo": self.lo, "hi": self.hi}

    @staticmethod
    def block(x, p, direction, peers):
        lo = _col(p, "lo")
        s = (x - lo) / (_col(p, "hi") - lo)
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

    def params(self):
        return {"target": self.target, "cap": self.cap}

    @staticmethod
    def block(x, p, direction, peers):
        target, cap = _col(p, "target"), _col(p, "cap")
        with np.errstate(divide="ignore", invalid="ignore"):
            if direction > 0:
                s = np.maximum(x, 0.0) / target
            else:
                s = np.where(x <= 0, cap, target / np.where(x <= 0, 1.0, x))
        return np.where(np.isnan(x), np.nan, np.minimum(s, cap))

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

    def params(self):
        return {"thresholds": self.thresholds, "values": (*self.values, self.otherwise)}

    @staticmethod
    def block(x, p, direction, peers):
        t, vals = p["thresholds"], p["values"]  # (k, T) padded with NaN; (k, T + 1)
        # idx = number of thresholds the value fails to reach (a value on a threshold reaches
        # it); NaN padding never counts, so idx <= the rule's own count, whose value is 'otherwise'
        idx = np.zeros(x.shape, dtype=np.intp)
        for j in range(t.shape[1]):
            idx += (t[:, j, None] > x) if direction > 0 else (t[:, j, None] < x)
        out = np.take_along_axis(vals, idx, axis=1)
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

    def params(self):
        return {
            "ladder": (*self.ladder, self.otherwise),
            "rungs": float(len(self.ladder)),
            "first": self.first,
            "step": self.step,
            "floor": self.floor,
        }

    @staticmethod
    def block(x, p, direction, peers):
        out = np.empty(x.shape)
        for i in range(len(x)):  # a loop over the block's indicators: each ranks all units at once
            rank = rank_desc(direction * x[i], peers)
            rungs = int(p["rungs"][i])
            if rungs:
                idx = np.minimum(np.nan_to_num(rank, nan=1).astype(np.intp) - 1, rungs)
                out[i] = p["ladder"][i][idx]
            else:
                out[i] = np.maximum(p["first"][i] - p["step"][i] * (rank - 1), p["floor"][i])
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


def _peer_codes(peers, n) -> tuple[np.ndarray, int]:
    if peers is None:
        return np.zeros(n, dtype=np.intp), 1
    return peers, int(peers.max()) + 1 if len(peers) else 1


def peer_mean_sd(x: np.ndarray, peers: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Peer-group mean and sample SD of each row of ``x`` (k, n), broadcast back to each unit.

    NaNs are skipped; a group with one value has SD 0. Sums run over (indicator, group) cells at
    once (``np.bincount``), in two passes so that the SD is not a difference of large squares.
    """
    k, n = x.shape
    g, size = _peer_codes(peers, n)
    cell = (np.arange(k)[:, None] * size + g[None, :]).ravel()
    ok = ~np.isnan(x)
    x0 = np.where(ok, x, 0.0).ravel()
    count = np.bincount(cell, weights=ok.ravel(), minlength=k * size)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.bincount(cell, weights=x0, minlength=k * size) / count
        dev = np.where(ok.ravel(), x0 - mean[cell], 0.0)
        ss = np.bincount(cell, weights=dev * dev, minlength=k * size)
        sd = np.where(count > 1, np.sqrt(ss / (count - 1)), 0.0)
    return mean[cell].reshape(k, n), sd[cell].reshape(k, n)


@dataclass(frozen=True)
class PeerDeviation(Rule):
    type: ClassVar[str] = "peer_deviation"
    needs_peers: ClassVar[bool] = True
    at_mean: float = 0.8
    slope: float = 0.1
    by: str = "sd"

    def params(self):
        return {"at_mean": self.at_mean, "slope": self.slope, "by_sd": float(self.by == "sd")}

    @staticmethod
    def block(x, p, direction, peers):
        mean, sd = peer_mean_sd(x, peers)
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(_col(p, "by_sd") > 0, sd, np.abs(mean))
            z = np.where(scale > 0, direction * (x - mean) / scale, 0.0)
        s = np.clip(_col(p, "at_mean") + _col(p, "slope") * z, 0.0, 1.0)
        return np.where(np.isnan(x), np.nan, s)

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

    @staticmethod
    def block(x, p, direction, peers):
        k, n = x.shape
        g, size = _peer_codes(peers, n)
        lo, hi = np.full((k, size), np.inf), np.full((k, size), -np.inf)
        for c in range(size):  # a loop over peer groups, never over units
            part = x[:, g == c] if size > 1 else x
            ok = ~np.isnan(part)
            lo[:, c] = np.min(part, axis=1, where=ok, initial=np.inf)
            hi[:, c] = np.max(part, axis=1, where=ok, initial=-np.inf)
        lo, hi = lo[:, g], hi[:, g]
        with np.errstate(divide="ignore", invalid="ignore"):
            s = np.where(hi > lo, (x - lo) / (hi - lo), 1.0)
        s = np.where(np.isnan(x), np.nan, s)
        return s if direction > 0 else 1.0 - s

    def to_dict(self, full):
        return {"type": self.type}

    def describe(self, full):
        return "min-max over peers"


@dataclass(frozen=True)
class GradeMap(Rule):
    type: ClassVar[str] = "grade_map"
    numeric: ClassVar[bool] = False
    mapping: tuple = ()  # ((grade, share), ...)

    def params(self):
        return {"table": tuple(v for _, v in self.mapping)}

    @staticmethod
    def block(x, p, direction, peers):
        # x: codes (k, n) into each rule's grade list (-1 = missing); the padded table ends in NaN
        table = np.concatenate([p["table"], np.full((len(x), 1), np.nan)], axis=1)
        codes = np.where(x < 0, table.shape[1] - 1, x)
        return np.take_along_axis(table, codes, axis=1)

    @staticmethod
    def codes(x, grades) -> np.ndarray:
        """Positions of the values in ``grades`` (-1 for a missing or unknown grade)."""
        if not (isinstance(x, pd.Categorical) and tuple(x.categories) == tuple(grades)):
            x = pd.Categorical(np.asarray(x, dtype=object), categories=list(grades))
        return np.asarray(x.codes, dtype=np.intp)

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

    def params(self):
        return {"per_item": self.per_item, "floor": self.floor}

    @staticmethod
    def block(x, p, direction, peers):
        return np.maximum(1.0 - _col(p, "per_item") * x, _col(p, "floor"))

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

    def params(self):
        return {"per": self.per}

    @staticmethod
    def block(x, p, direction, peers):
        return x / _col(p, "per")

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


def stack_params(rules) -> dict:
    """The parameters of rules of one type as arrays: scalars (k,), sequences (k, longest) padded
    with NaN (a rule never reads past its own length)."""
    dicts = [r.params() for r in rules]
    out = {}
    for name in dicts[0] if dicts else ():
        vals = [d[name] for d in dicts]
        if isinstance(vals[0], tuple):
            width = max(1, max(len(v) for v in vals))
            arr = np.full((len(vals), width), np.nan)
            for i, v in enumerate(vals):
                arr[i, : len(v)] = v
            out[name] = arr
        else:
            out[name] = np.array(vals, dtype=float)
    return out


from ._rule_parse import parse_rule  # noqa: E402  (re-exported; the parser builds the rules above)
