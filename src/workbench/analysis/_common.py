"""The result class of the analysis functions and access to a build's tables."""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field

import pandas as pd

from .._i18n import _
from .._results import ResultMixin
from ..errors import DataError, SpecError

__all__ = ["AnalysisResult"]


@dataclass(frozen=True, repr=False, eq=False)
class AnalysisResult(ResultMixin):
    """One table from an analysis of a build, with the settings and notes behind it.

    Attributes
    ----------
    table : DataFrame
        The analysis (indexed by code, or a long table of pairs).
    kind : str
        Which analysis (``"indicator_stats"``, ``"correlations"``...).
    facts : dict
        Settings and headline numbers (thresholds, counts of flags).
    extra : dict
        Further tables (e.g. the correlation ``matrix`` next to the flagged ``pairs``).
    notes : tuple of str
        Caveats found while computing (e.g. a block skipped for too few units).
    """

    table: pd.DataFrame
    kind: str
    facts: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)
    notes: tuple = ()

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def _summary_title(self) -> str:
        return _("Analysis: {kind}").format(kind=self.kind)

    def _summary_facts(self) -> dict:
        facts = {k: v for k, v in self.facts.items() if isinstance(v, (numbers.Number, str))}
        for i, note in enumerate(self.notes, 1):
            facts[_("note {i}").format(i=i)] = note
        return facts


def check_build(result, func: str):
    """The argument must be a build result (from ``build_index``)."""
    if not all(hasattr(result, a) for a in ("scores", "tables", "rubric", "spec")):
        raise DataError(
            _("{func}: expected the result of workbench.build_index (IndexResult); got {type_name}.").format(
                func=func, type_name=type(result).__name__
            )
        )
    return result


def table_of(result, table: str, func: str) -> pd.DataFrame:
    """A step's table from a build (``"raw"``, ``"treated"``, ``"normalised"``, ``"scores"``...)."""
    check_build(result, func)
    if table == "scores":
        return result.scores
    if table not in result.tables:
        raise SpecError(
            _("The 'table' parameter of {func} must be one of {tables}. Got {table!r} instead.").format(
                func=func, tables=["scores", *result.tables], table=table
            ),
            key="table",
        )
    return result.tables[table]


def blocks(rubric) -> dict:
    """``{parent code: [children]}`` for every aggregate, lowest level first."""
    levels = rubric.levels()
    parents = sorted((c for c, n in rubric.nodes.items() if n.children), key=lambda c: levels[c])
    return {p: list(rubric.nodes[p].children) for p in parents}
