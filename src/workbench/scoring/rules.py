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
``minmax``            share = (x - min) / (max - min) over peers (COINr-style indicators); peers
                      who all report the same value get full marks, in either direction.
``grade_map``         qualitative grade to points: ``points: {优: 10, 良: 8, 中: 6, 差: 3}``.
``deduction_per_item`` checklist: full marks minus ``per_item`` for each missing item, not below ``floor``.
``direct``            the value already is points (``unit: points``), a share or a percent.

Peers are all units, or the units of the same category when the rubric has categories.

The scoring kernel evaluates rules as arrays: the indicators of one rule type and direction are a
block whose :meth:`Rule.params` are stacked into arrays (``program.compile_rubric``);
``Rule.block(xs, P, direction, peers, out)`` writes the shares of the value columns ``xs`` straight
into their rows ``out`` of the shares matrix, each a whole-column operation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from ._peers import peer_mean_sd
from .grades import SortedRows

__all__ = ["Rule", "RULE_TYPES", "KIND_RULES", "parse_rule"]  # noqa: F822  (the last two: __getattr__)


@dataclass(frozen=True)
class Rule:
    """Base class: a rule turns values into shares of full marks (vectorised over a block)."""

    type: ClassVar[str] = ""
    needs_peers: ClassVar[bool] = False
    numeric: ClassVar[bool] = True
    may_be_negative: ClassVar[bool] = False  # a floor below 0 can give a negative share
    unit: str = "share"  # how the rubric file wrote the values: "points" or "share"

    def params(self) -> dict:
        """The rule's numbers, stacked over a block by ``program.stack_params``."""
        return {}

    @staticmethod
    def block(xs: list, p: dict, direction: int, peers: np.ndarray | None, out: list) -> None:
        """Write the shares of the value columns ``xs`` (k arrays of n) into the rows ``out``."""
        raise TypeError("this rule does not score values")  # pragma: no cover

    def to_dict(self, full: float) -> dict:
        raise TypeError  # pragma: no cover

    def describe(self, full: float) -> str:
        return self.type  # pragma: no cover

    def _out(self, value: float, full: float) -> float:
        return round(value * full, 6) if self.unit == "points" else value


@dataclass(frozen=True)
class Linear(Rule):
    type: ClassVar[str] = "linear"
    lo: float = 0.0
    hi: float = 1.0

    def params(self):
        return {"lo": self.lo, "hi": self.hi}

    @staticmethod
    def block(xs, p, direction, peers, out):
        for x, o, lo, hi in zip(xs, out, p["lo"], p["hi"]):
            np.subtract(x, lo, out=o)
            o /= hi - lo
            if direction < 0:
                np.subtract(1.0, o, out=o)
            np.clip(o, 0.0, 1.0, out=o)

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
    def block(xs, p, direction, peers, out):
        for x, o, target, cap in zip(xs, out, p["target"], p["cap"]):
            with np.errstate(divide="ignore", invalid="ignore"):  # NaN stays NaN through every step
                if direction > 0:
                    np.maximum(x, 0.0, out=o)
                    o /= target
                else:
                    np.divide(target, x, out=o)
                    o[x <= 0] = cap
            np.minimum(o, cap, out=o)

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
    def block(xs, p, direction, peers, out):
        for x, o, t, vals, miss in zip(xs, out, p["thresholds"], p["values"], p["may_miss"]):
            # idx = number of thresholds the value fails to reach (a value on a threshold reaches
            # it); the rule's own count of thresholds indexes 'otherwise'
            idx = np.zeros(len(x), dtype=np.int8)
            for th in t[~np.isnan(t)]:  # the rows are padded with NaN
                idx += (th > x) if direction > 0 else (th < x)
            np.take(vals, idx, out=o)
            if miss:  # validated values are missing only where the rubric allows it
                o[np.isnan(x)] = np.nan

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
    may_be_negative: ClassVar[bool] = True
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
    def block(xs, p, direction, peers, out):
        for i, (x, o) in enumerate(zip(xs, out)):
            srt = SortedRows((direction * x)[None, :])
            rank = (srt.ranks() if peers is None else srt.group_ranks(peers))[0]  # NaN: ranked below
            rungs = int(p["rungs"][i])
            if rungs:  # a ladder: the share of rank r, or 'otherwise' below the last rung
                np.take(p["ladder"][i], np.minimum(rank - 1, rungs), out=o)
            else:
                np.multiply(rank - 1, -p["step"][i], out=o)
                o += p["first"][i]
                np.maximum(o, p["floor"][i], out=o)
            if p["may_miss"][i]:
                o[np.isnan(x)] = np.nan

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

    def params(self):
        return {"at_mean": self.at_mean, "slope": self.slope, "by_sd": float(self.by == "sd")}

    @staticmethod
    def block(xs, p, direction, peers, out):
        for i, (x, o) in enumerate(zip(xs, out)):
            mean, sd = peer_mean_sd(x, peers)
            scale = sd if p["by_sd"][i] > 0 else np.abs(mean)
            with np.errstate(divide="ignore", invalid="ignore"):
                z = np.where(scale > 0, direction * (x - mean) / scale, 0.0)
            np.multiply(z, p["slope"][i], out=o)
            o += p["at_mean"][i]
            np.clip(o, 0.0, 1.0, out=o)
            if p["may_miss"][i]:
                o[np.isnan(x)] = np.nan

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
    def block(xs, p, direction, peers, out):
        for x, o, miss in zip(xs, out, p["may_miss"]):
            if peers is None:
                lo, hi = np.fmin.reduce(x, initial=np.inf), np.fmax.reduce(x, initial=-np.inf)  # skip NaN
            else:
                lo, hi = np.full(len(x), np.inf), np.full(len(x), -np.inf)
                for g in np.unique(peers):  # a loop over peer groups, never over units
                    at = peers == g
                    lo[at] = np.fmin.reduce(x[at], initial=np.inf)
                    hi[at] = np.fmax.reduce(x[at], initial=-np.inf)
            with np.errstate(divide="ignore", invalid="ignore"):
                s = (x - lo) / (hi - lo)
            if direction < 0:
                s = 1.0 - s
            # peers who all report the same value cannot be told apart: every one gets full marks,
            # whichever the direction
            s = np.where(hi > lo, s, 1.0)
            if miss:
                s[np.isnan(x)] = np.nan
            o[:] = s

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
    def block(xs, p, direction, peers, out):
        for codes, o, table in zip(xs, out, p["table"]):
            # codes into the rule's grade list, -1 when missing: the NaN appended last
            np.take(np.append(table, np.nan), codes, out=o)

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
    may_be_negative: ClassVar[bool] = True
    per_item: float = 0.1  # share of full marks lost per missing item
    floor: float = 0.0
    items: int | None = None

    def params(self):
        return {"per_item": self.per_item, "floor": self.floor}

    @staticmethod
    def block(xs, p, direction, peers, out):
        for x, o, per, floor in zip(xs, out, p["per_item"], p["floor"]):
            np.multiply(x, -per, out=o)
            o += 1.0
            np.maximum(o, floor, out=o)

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
    def block(xs, p, direction, peers, out):
        for x, o, per in zip(xs, out, p["per"]):
            np.divide(x, per, out=o)

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


def __getattr__(name):
    # the parser and the rule types each kind accepts live in _rule_parse, which imports this module
    if name in ("parse_rule", "KIND_RULES"):
        from . import _rule_parse

        return getattr(_rule_parse, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
