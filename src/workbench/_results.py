"""Shared behaviour of result objects: every result renders itself.

A result is a frozen dataclass that implements ``to_frame()``. This mixin gives it a readable
plain-text ``repr`` for terminals and ``_repr_html_`` for notebooks, both through
:class:`workbench.report.tables.Summary`, so every result prints the same way.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["ResultMixin"]


class ResultMixin:
    """Mixin for frozen result dataclasses; subclasses implement ``to_frame`` and may override
    ``_summary_title`` and ``_summary_facts`` (short ``name: value`` pairs shown above the table)."""

    def to_frame(self) -> pd.DataFrame:  # pragma: no cover - every subclass overrides it
        raise TypeError(f"{type(self).__name__} does not define to_frame()")

    def _summary_title(self) -> str:
        return type(self).__name__

    def _summary_facts(self) -> dict:
        return {}

    def summary(self):
        from .report.tables import Summary

        return Summary(self._summary_title(), self._summary_facts(), self.to_frame())

    def __repr__(self) -> str:
        return self.summary().as_text()

    def _repr_html_(self) -> str:
        return self.summary().as_html()
