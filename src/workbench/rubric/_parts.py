"""The parts of a rubric: its nodes (blocks and indicators), bonus and deduction items, veto items,
grades, categories and the scheme that combines it with another score. Frozen dataclasses, shared by
the model (:mod:`._model`), the parser and the writer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from ..scoring.rules import Rule

__all__ = ["MISSING_POLICIES", "Node", "Item", "Adjustments", "Veto", "Grades", "Categories", "Scheme"]

MISSING_POLICIES = ("error", "zero", "exempt")


@dataclass(frozen=True)
class Node:
    """A block or an indicator of a rubric.

    ``weight`` is as written in the file (points, or a relative weight); the normalised weight
    within the parent is ``Rubric.local_weights()[code]``.
    """

    code: str
    name: str
    parent: str | None
    weight: float
    children: tuple[str, ...] = ()
    kind: str | None = None  # quantitative | qualitative | checklist; None for blocks
    direction: int = 1
    rule: Rule | None = None
    unit: str | None = None
    source: str | None = None
    burden_hours: float | None = None
    missing: str = "error"
    denominator: str | None = None
    target: float | None = None
    description: str | None = None
    meta: Mapping = field(default_factory=lambda: MappingProxyType({}))
    valid_range: tuple | None = None  # declared (lowest, highest); None = inferred (see valid_range)
    whole: bool | None = None  # declared: whole numbers only; None = inferred from the unit

    @property
    def is_indicator(self) -> bool:
        return not self.children and self.parent is not None


@dataclass(frozen=True)
class Item:
    """A bonus or deduction item: ``points`` per occurrence, optionally capped per item."""

    code: str
    name: str
    points: float
    cap: float | None = None


@dataclass(frozen=True)
class Adjustments:
    """Bonus (加分) or deduction (扣分) items with an overall cap.

    ``stacking='sum'`` adds every item; ``'highest'`` keeps only the largest (e.g. commendations
    count at their highest level only, 不累加).
    """

    items: tuple[Item, ...] = ()
    cap: float | None = None
    stacking: str = "sum"


@dataclass(frozen=True)
class Veto:
    """A one-vote veto item (一票否决): ``effect='lowest'`` sets the lowest grade, ``'cap'`` caps the
    grade at ``cap_grade``.

    The veto is a 0/1 flag column named ``code``, or, when ``indicator`` is set, a threshold on that
    indicator's value (``below`` / ``above``), e.g. satisfaction below 50% means no star.
    """

    code: str
    name: str
    effect: str = "lowest"
    cap_grade: str | None = None
    indicator: str | None = None
    below: float | None = None
    above: float | None = None

    def describe(self) -> str:
        if self.indicator is None:
            return self.name
        cond = f"< {self.below:g}" if self.below is not None else f"> {self.above:g}"
        return f"{self.name} ({self.indicator} {cond})"


@dataclass(frozen=True)
class Grades:
    """Grade bands (lower bounds, best first) and quotas (largest share of units per grade)."""

    bands: tuple[tuple[str, float], ...] = ()
    quota: Mapping = field(default_factory=lambda: MappingProxyType({}))
    ties: str = "exclude"  # at a quota boundary: 'exclude' demotes all tied units, 'include' keeps them
    rounding: str = "floor"
    scope: str = "all"  # quotas over all units or within each category

    @property
    def names(self) -> list[str]:
        return [g for g, _ in self.bands]


@dataclass(frozen=True)
class Categories:
    """Unit categories (分类指导): a data column, per-category weight overrides, ranking within."""

    column: str
    weights: Mapping = field(default_factory=lambda: MappingProxyType({}))  # category -> {code: w}
    rank_within: bool = True
    names: tuple[str, ...] = ()  # the categories units may belong to (empty: any value)


@dataclass(frozen=True)
class Scheme:
    """How the rubric's score combines with another score.

    ``single``: the rubric total is final. ``weighted``: final = party_weight * total (on 100) +
    (1 - party_weight) * other (on 100). ``multiplicative``: final = other * total / scale.
    ``dual100``: grade from a matrix over the grade of the total and the grade of the other score;
    final score (for ranking) = total + other.
    """

    type: str = "single"
    other_column: str | None = None
    other_name: str | None = None
    other_scale: float = 100.0
    party_weight: float | None = None
    matrix: Mapping | None = None  # dual100: {party grade: {other grade: final grade}}
