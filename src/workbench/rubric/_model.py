"""Rubrics as data: a frozen tree of blocks and indicators, loaded and validated once.

A rubric says WHAT is assessed and how much each part counts: a hierarchy of any depth whose
leaves are indicators (quantitative, qualitative or checklist, each with a scoring rule), plus
capped bonus and deduction items, one-vote veto items (一票否决), grade bands with quotas, unit
categories (分类指导) with their own weights, and the two-score schemes used in practice (Hangzhou's
dual-100 grade matrix, the multiplicative scheme, a fixed-weight combination such as party
building at 2% of a comprehensive score).

Rubrics come from YAML files (:func:`~workbench.rubric.load_rubric`, see
``docs/rubric_language.md``) or from a COINr-style indicator table
(:func:`~workbench.rubric.rubric_from_table`). Every problem in a file is reported at once in one
:class:`~workbench.errors.RubricError`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

import numpy as np
import pandas as pd

from .._results import ResultMixin
from ..errors import RubricError
from ._extras import Subject, valid_range
from ._parts import (
    MISSING_POLICIES,
    Adjustments,
    Categories,
    Grades,
    Item,
    Node,
    Scheme,
    Veto,
)

__all__ = [
    "Node",
    "Item",
    "Veto",
    "Grades",
    "Categories",
    "Scheme",
    "Rubric",
    "MISSING_POLICIES",
    "Subject",
    "valid_range",
]


@dataclass(frozen=True, repr=False)
class Rubric(ResultMixin):
    """A validated, immutable rubric. Build with :func:`~workbench.rubric.load_rubric` or
    :func:`~workbench.rubric.rubric_from_table`."""

    code: str
    name: str
    nodes: Mapping[str, Node]
    root: str
    scale: float = 100.0
    weighting: str = "points"
    source: str | None = None
    bonus: Adjustments = Adjustments()
    deductions: Adjustments = Adjustments()
    veto: tuple[Veto, ...] = ()
    grades: Grades = Grades()
    categories: Categories | None = None
    scheme: Scheme = Scheme()
    unit_column: str | None = None
    veto_rank: str = "last"  # vetoed units rank after all others ('last') or by score ('score')
    notes: str | None = None
    path: str | None = None
    extra: Mapping = field(default_factory=lambda: MappingProxyType({}))
    example_data: str | None = None  # bundled sample table (file name in data/samples/)
    subject: Subject = Subject()  # what is assessed: organisations or individuals, and their name

    # ------------------------------------------------------------------ structure
    def __getitem__(self, code: str) -> Node:
        return self.nodes[code]

    @property
    def indicators(self) -> list[str]:
        """Indicator codes in file order."""
        return [c for c, n in self.nodes.items() if n.is_indicator]

    @property
    def blocks(self) -> list[str]:
        """Codes of every internal node except the root, in file order."""
        return [c for c, n in self.nodes.items() if n.children and c != self.root]

    @property
    def top_blocks(self) -> list[str]:
        return list(self.nodes[self.root].children)

    def children(self, code: str) -> list[str]:
        return list(self.nodes[code].children)

    def parent(self, code: str) -> str | None:
        return self.nodes[code].parent

    def ancestors(self, code: str) -> list[str]:
        """Parents of ``code`` from the nearest up to (excluding) the root."""
        out, p = [], self.nodes[code].parent
        while p is not None and p != self.root:
            out.append(p)
            p = self.nodes[p].parent
        return out

    def levels(self) -> pd.Series:
        """COINr-style level of each node: indicators 1, parents one above their highest child."""
        level: dict[str, int] = {}
        for code in reversed(list(self.nodes)):  # children come after parents in file order
            kids = self.nodes[code].children
            level[code] = 1 + max((level[k] for k in kids), default=0)
        return pd.Series(level, name="level").loc[list(self.nodes)]

    def names(self) -> pd.Series:
        return pd.Series({c: n.name for c, n in self.nodes.items()}, name="name")

    # ------------------------------------------------------------------ weights
    def local_weights(self, overrides: Mapping | None = None) -> pd.Series:
        """Each node's weight within its parent, normalised to sum 1 (root 1).

        ``overrides`` maps codes to relative weights that replace the rubric's before
        normalising (a category's weights, a simulated weight set).
        """
        raw = {c: n.weight for c, n in self.nodes.items()}
        if overrides:
            raw.update({c: float(w) for c, w in overrides.items()})
        out = {self.root: 1.0}
        for node in self.nodes.values():
            if node.children:
                total = sum(raw[k] for k in node.children)
                for k in node.children:
                    out[k] = raw[k] / total if total > 0 else 0.0
        return pd.Series(out, name="local_weight").loc[list(self.nodes)]

    def effective_weights(self, overrides: Mapping | None = None) -> pd.Series:
        """Each node's weight in the root: the product of local weights down the tree."""
        if not overrides:
            # the rubric is immutable, so its own weights are computed once
            cached = self.__dict__.get("_effective")
            if cached is None:
                cached = self._effective_weights(None)
                object.__setattr__(self, "_effective", cached)
            return cached.copy()
        return self._effective_weights(overrides)

    def _effective_weights(self, overrides: Mapping | None) -> pd.Series:
        local = self.local_weights(overrides).to_dict()  # dict lookups: fast for 100,000 nodes
        out = {}
        for code in self.nodes:  # parents precede children
            p = self.nodes[code].parent
            out[code] = local[code] * (out[p] if p is not None else 1.0)
        return pd.Series(out, name="effective_weight").loc[list(self.nodes)]

    def full_marks(self, overrides: Mapping | None = None) -> pd.Series:
        """Points available for every node: effective weight times the rubric scale."""
        return (self.effective_weights(overrides) * self.scale).rename("full_marks")

    def with_weights(self, weights: Mapping, *, level: str = "local") -> Rubric:
        """A new rubric with some weights replaced.

        Parameters
        ----------
        weights : mapping code -> weight
            ``level='local'``: relative weights within each parent (other siblings keep theirs).
            ``level='global'``: weights of indicators in the root (e.g. AHP global weights); block
            weights become the sums of their indicators'.
        level : {'local', 'global'}, default='local'

        Returns
        -------
        Rubric
            Same structure and rules; in points mode weights are re-expressed as points, so the
            written file stays consistent (children sum to their parent).
        """
        from ..errors import check_option

        check_option(level, ("local", "global"), name="level", func="Rubric.with_weights")
        weights = dict(weights)
        unknown = [c for c in weights if c not in self.nodes or c == self.root]
        if unknown:
            raise RubricError(
                f"weights name codes that are not in rubric {self.code!r}: {unknown}", key="weights"
            )
        bad = {
            c: w
            for c, w in weights.items()
            if not (
                isinstance(w, (int, float))
                and not isinstance(w, bool)
                and math.isfinite(w)
                and 0 <= w <= 1e15
            )
        }
        if bad:  # above 1e15 sums of siblings can overflow to inf and every share becomes 0
            raise RubricError(f"weights must be finite numbers in 0..1e15; found {bad}", key="weights")
        if level == "global":
            missing = [c for c in self.indicators if c not in weights]
            if missing:
                raise RubricError(
                    f"global weights must cover every indicator; missing {missing}", key="weights"
                )
            eff = dict(weights)
            for code in reversed(list(self.nodes)):
                kids = self.nodes[code].children
                if kids:
                    eff[code] = sum(eff[k] for k in kids)
            weights = {c: eff[c] for c in self.nodes if c != self.root}
        local = self.local_weights(weights)
        for code, node in self.nodes.items():
            if node.children and local[list(node.children)].sum() == 0:
                raise RubricError(f"the new weights of the children of {code!r} are all zero", key=code)
        if self.weighting == "points":
            new = self.full_marks(weights)
        else:
            new = local
        nodes = {
            c: replace(n, weight=float(new[c]) if c != self.root else n.weight) for c, n in self.nodes.items()
        }
        return replace(self, nodes=MappingProxyType(nodes))

    # ------------------------------------------------------------------ views
    def to_frame(self) -> pd.DataFrame:
        """One row per node: name, parent, level, kind, direction, weights and full marks."""
        full = self.full_marks()
        rows = []
        for code, n in self.nodes.items():
            rows.append(
                {
                    "code": code,
                    "name": n.name,
                    "parent": n.parent,
                    "kind": n.kind or ("root" if code == self.root else "block"),
                    "direction": n.direction if n.kind else None,
                    "weight": n.weight,
                    "full_marks": round(float(full[code]), 6),
                    "rule": n.rule.describe(float(full[code])) if n.rule is not None else None,
                    "source": n.source,
                }
            )
        frame = pd.DataFrame(rows).set_index("code")
        frame.insert(2, "level", self.levels())
        return frame

    def _summary_title(self) -> str:
        return f"Rubric {self.code}: {self.name}"

    def _summary_facts(self) -> dict:
        return {
            "scale": self.scale,
            "indicators": len(self.indicators),
            "top blocks": len(self.top_blocks),
            "bonus cap": self.bonus.cap,
            "deduction cap": self.deductions.cap,
            "veto items": len(self.veto),
            "grades": " / ".join(f"{g}≥{b:g}" for g, b in self.grades.bands) or "none",
            "scheme": self.scheme.type,
        }

    def to_dict(self) -> dict:
        """The rubric as plain data in the rubric-file language (``load_rubric`` reads it back)."""
        from ._write import rubric_to_dict

        return rubric_to_dict(self)


def _nan_to_none(value):
    if value is None:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    return value
