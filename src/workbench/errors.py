"""Typed errors and warnings of the workbench.

Every error raised for user input is a :class:`WorkbenchError`. It says what was found, what was
expected, where (file, row, column or YAML key path) and how to fix it. Loaders that validate a
whole file collect every problem first and raise one error that lists them all (as pandera's lazy
validation does), so a user fixes a file in one pass instead of one error at a time.

The hierarchy::

    WorkbenchError (ValueError)
    ├── RubricError      rubric files and rubric tables
    ├── DataError        data tables: encodings, unit ids, non-numeric cells, missing columns
    ├── JudgmentError    pairwise judgments and expert sheets
    ├── SpecError        build specs, sampled factors and function parameters
    ├── ModelError       estimation that cannot proceed (collinearity, one outcome level...)
    └── OutputError      an output location that cannot be written
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ._i18n import _, _n

__all__ = [
    "Problem",
    "WorkbenchError",
    "RubricError",
    "DataError",
    "JudgmentError",
    "SpecError",
    "ModelError",
    "OutputError",
    "WorkbenchWarning",
    "check_option",
]


@dataclass(frozen=True)
class Problem:
    """One problem found in an input: where it is and what is wrong.

    Parameters
    ----------
    message : str
        What was found and what was expected.
    key : str, optional
        YAML key path such as ``blocks[2].indicators[0].rule.type``.
    row, column : optional
        Row (1-based as a spreadsheet shows it, header = row 1) and column name of a table cell.
    hint : str, optional
        How to fix it.
    more : int, default=0
        Further problems of the same kind that are counted but not listed (a column of 100,000 bad
        cells lists a few and counts all).
    """

    message: str
    key: str | None = None
    row: int | None = None
    column: str | None = None
    hint: str | None = None
    more: int = 0

    def location(self) -> str:
        parts = []
        if self.key:
            parts.append(_("key '{key}'").format(key=self.key))
        if self.row is not None:
            parts.append(_("row {row}").format(row=self.row))
        if self.column is not None:
            parts.append(_("column '{column}'").format(column=self.column))
        return _(", ").join(parts)

    def __str__(self) -> str:
        loc = self.location()
        text = _("{where}: {message}").format(where=loc, message=self.message) if loc else self.message
        if self.hint:
            text += _(" (hint: {hint})").format(hint=self.hint)
        return text


class WorkbenchError(ValueError):
    """Base class of every error the workbench raises for bad input.

    Parameters
    ----------
    message : str
        Summary of what went wrong.
    file : str, optional
        The file the input came from.
    problems : sequence of Problem, optional
        Every individual problem; the first one's location is also exposed as ``key``, ``row``
        and ``column`` for callers that handle a single problem.
    key, row, column, hint : optional
        Location of a single problem (used when ``problems`` is not given).
    """

    kind = "input"

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        problems: Sequence[Problem] | None = None,
        key: str | None = None,
        row: int | None = None,
        column: str | None = None,
        hint: str | None = None,
    ):
        if problems is None:
            problems = [Problem(message, key=key, row=row, column=column, hint=hint)]
            self.summary = None
        else:
            problems = list(problems)
            self.summary = message
        self.problems: list[Problem] = problems
        self.file = None if file is None else str(file)
        first = problems[0] if problems else Problem(message)
        self.key, self.row, self.column, self.hint = first.key, first.row, first.column, first.hint
        super().__init__(self._render())

    def _render(self) -> str:
        where = _("{file}: ").format(file=self.file) if self.file else ""
        if self.summary is None:
            return where + str(self.problems[0])
        n = len(self.problems) + sum(p.more for p in self.problems)  # the true number, listed or not
        count = _n("{n} problem", "{n} problems", n).format(n=n)
        lines = [_("{where}{summary} ({count})").format(where=where, summary=self.summary, count=count)]
        shown = self.problems[:50]
        lines += [f"  - {p}" for p in shown]
        if n > len(shown):
            lines.append(_("  ... and {n} more").format(n=n - len(shown)))
        return "\n".join(lines)


class RubricError(WorkbenchError):
    """A rubric file or rubric table is malformed or inconsistent."""

    kind = "rubric"


class DataError(WorkbenchError):
    """A data table cannot be read or does not match what the rubric needs."""

    kind = "data"


class JudgmentError(WorkbenchError):
    """Pairwise judgments or an expert sheet are malformed."""

    kind = "judgment"


class SpecError(WorkbenchError):
    """A build spec, a sampled factor or a function parameter is invalid."""

    kind = "spec"


class ModelError(WorkbenchError):
    """An estimation cannot proceed on the given data (e.g. collinear indicators)."""

    kind = "model"


class OutputError(WorkbenchError):
    """An output file or folder cannot be written (not writable, not a folder, disk full)."""

    kind = "output"


class WorkbenchWarning(UserWarning):
    """A result is computed but deserves attention (e.g. zero weights from Chang's method)."""


def check_option(value, options: Iterable, *, name: str, func: str, error: type[WorkbenchError] = SpecError):
    """Return ``value`` if it is one of ``options``; otherwise raise ``error`` in the one
    message pattern used for every bad parameter.

    >>> check_option("eigen", ["eigen", "geometric"], name="method", func="priorities")
    'eigen'
    """
    options = list(options)
    if value not in options:
        shown = "{" + ", ".join(repr(o) for o in options) + "}"
        raise error(
            _("The '{name}' parameter of {func} must be one of {options}. Got {value} instead.").format(
                name=name, func=func, options=shown, value=repr(value)
            ),
            key=name,
        )
    return value
