"""Reading the cells of one column: numbers, qualitative grades and veto flags, as whole arrays.

Text columns are read through their distinct values (``pd.factorize``), so a column of 100,000
cells costs one hash pass. Each bad cell is added to a list of problems with its spreadsheet row
(the caller raises them all at once); tokens such as "—" or "无" mean "no value".
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

from .._i18n import _
from ..errors import Problem
from ._percent import strip_percent
from ._table_checks import MAX_ABS_VALUE, count_rest, non_finite_mask
from ._table_checks import _messages as _check_messages

__all__ = ["MISSING_TOKENS", "normalise_text"]

# Cells that mean "no value" in Chinese report tables. They count as missing only where the rubric
# allows a missing value for that indicator; elsewhere they are reported as errors.
MISSING_TOKENS = frozenset(
    {
        "",
        "—",
        "——",
        "–",
        "-",
        "--",
        "无",
        "空",
        "/",
        "不涉及",
        "不适用",
        "NA",
        "N/A",
        "n/a",
        "nan",
        "NaN",
        "null",
    }
)
_YES = frozenset({"1", "是", "有", "true", "True", "TRUE", "yes", "Yes", "Y", "y", "√", "✓"})
_NO = frozenset({"0", "否", "无", "false", "False", "FALSE", "no", "No", "N", "n", "×", ""})


def _report(problems, mask: np.ndarray, column: str, message, limit: int = 20, hint: str | None = None):
    """Add one problem per flagged cell (the first ``limit``, with spreadsheet row numbers); the last
    one listed counts the others (``Problem.more``), so the error gives the true number."""
    flagged = np.flatnonzero(mask)
    for i in flagged[:limit]:
        problems.append(Problem(message(i), row=int(i) + 2, column=column, hint=hint))
    count_rest(problems, len(flagged) - limit)


def _factorize(col: pd.Series):
    """Distinct non-missing values (NFKC-normalised, stripped text) and each cell's code (-1 = NA)."""
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    clean = np.array([unicodedata.normalize("NFKC", str(u)).strip() for u in uniques], dtype=object)
    return np.asarray(codes), clean


def _to_number(
    col: pd.Series, code: str, problems, *, allow_missing: bool, percent: bool = False
) -> np.ndarray:
    """Numbers of a column; with ``percent``, text such as "98.2%" or "98.2％" is 98.2."""
    missing_hint = _("enter a number, or set 'missing: zero' or 'missing: exempt' for it in the rubric")
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        values = col.to_numpy() if col.dtype == np.float64 else col.to_numpy(dtype=float, na_value=np.nan)
        _report_non_finite(problems, values, code)
        if not allow_missing:
            _report(
                problems,
                np.isnan(values),
                code,
                lambda i: _("the cell is empty but this indicator does not accept missing values"),
                hint=missing_hint,
            )
        return values
    codes, uniques = _factorize(col)
    texts = strip_percent(uniques) if percent else uniques  # NFKC made ％ a %
    numbers = pd.to_numeric(
        pd.Series([u.replace(",", "") for u in texts], dtype=object), errors="coerce"
    ).to_numpy(dtype=float)
    token = np.array([u in MISSING_TOKENS for u in uniques], dtype=bool)
    bad_u = np.isnan(numbers) & ~token
    values = np.append(numbers, np.nan)[codes]  # code -1 (NA) picks the appended NaN
    raw = col.iloc  # only read for the cells reported
    _report(
        problems,
        np.append(bad_u, False)[codes],
        code,
        lambda i: _("{value!r} is not a number").format(value=raw[i]),
    )
    _report_non_finite(problems, values, code, raw)
    if not allow_missing:
        empty = np.append(token, True)[codes]
        _report(
            problems,
            empty,
            code,
            lambda i: (
                _("the cell is empty, which this indicator does not accept as missing")
                if pd.isna(raw[i]) or str(raw[i]).strip() == ""
                else _("the cell holds {value!r}, which this indicator does not accept as missing").format(
                    value=raw[i]
                )
            ),
            hint=missing_hint,
        )
    return values


def _report_non_finite(problems, values: np.ndarray, code: str, raw=None) -> None:
    """Refuse inf, -inf and figures beyond MAX_ABS_VALUE (they rank first or overflow sums)."""
    inf, big = non_finite_mask(values)
    hint = _check_messages()["number_hint"]
    shown = (lambda i: repr(raw[i])) if raw is not None else (lambda i: f"{values[i]:g}")
    _report(problems, inf, code, lambda i: _check_messages()["not_finite"].format(value=shown(i)), hint=hint)
    _report(
        problems,
        big,
        code,
        lambda i: _check_messages()["too_large"].format(value=values[i], limit=MAX_ABS_VALUE),
        hint=hint,
    )


def _check_grades(col: pd.Series, node, problems) -> np.ndarray:
    grades = set(node.rule.grades())
    codes, uniques = _factorize(col)
    # numeric grades written as 5.0 by Excel match a map key "5"
    uniques = np.array(
        [u[:-2] if u.endswith(".0") and u[:-2].isdigit() else u for u in uniques], dtype=object
    )
    known_u = np.array([u in grades for u in uniques], dtype=bool)
    token_u = np.array([u in MISSING_TOKENS for u in uniques], dtype=bool)
    raw = col.iloc
    _report(
        problems,
        np.append(~known_u & ~token_u, False)[codes],
        node.code,
        lambda i: _("grade {value!r} is not one of {grades}").format(value=raw[i], grades=sorted(grades)),
    )
    if node.missing == "error":
        _report(
            problems,
            np.append(token_u, True)[codes],
            node.code,
            lambda i: _("the grade is missing and this indicator does not accept missing values"),
        )
    # a categorical keeps one small code array per column; rules and tables read it directly
    order = list(node.rule.grades())
    to_grade = np.array(
        [order.index(u) if k else -1 for u, k in zip(uniques, known_u)] + [-1], dtype=np.int64
    )
    return pd.Categorical.from_codes(to_grade[codes], categories=order)


def _to_flag(col: pd.Series, code: str, problems) -> np.ndarray:
    if pd.api.types.is_bool_dtype(col):
        return col.to_numpy(dtype=bool)
    if pd.api.types.is_numeric_dtype(col):
        values = col.to_numpy(dtype=float, na_value=0.0)
        _report(
            problems,
            ~np.isin(values, (0.0, 1.0)),
            code,
            lambda i: _("a veto flag must be 0 or 1; found {value:g}").format(value=values[i]),
        )
        return values == 1.0
    codes, uniques = _factorize(col)
    yes_u = np.array([u in _YES for u in uniques], dtype=bool)
    no_u = np.array([u in _NO for u in uniques], dtype=bool)
    raw = col.iloc
    _report(
        problems,
        np.append(~yes_u & ~no_u, False)[codes],
        code,
        lambda i: _("a veto flag must be 是/否, 有/无 or 1/0; found {value!r}").format(value=raw[i]),
    )
    return np.append(yes_u, False)[codes]


def normalise_text(value: str) -> str:
    """NFKC-normalise a cell (full-width digits and letters to ASCII), stripped."""
    return unicodedata.normalize("NFKC", value).strip()
