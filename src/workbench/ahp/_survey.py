"""Reading judgments: survey sheets (one row per expert, one column per pair) and single matrices."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .._i18n import _
from ..errors import JudgmentError, Problem, SpecError, check_option
from ._group import Judgments
from ._validate import RECIPROCITY_TOL, as_matrix, scale_bound

__all__ = ["read_survey", "from_matrix"]

# Where a column name like "A_vs_B", "A vs B", "A-B", "A/B", "A对B" or "A比B" may split into its two
# elements. Several candidates are tried; with declared elements the one naming two elements wins.
_SPLIT = re.compile(r"\s*(?:[_\-. ]vs\.?[_\-. ]|对|比|->|[-_/|:：])\s*", re.IGNORECASE)
_STRONG = re.compile(r"vs|对|比|->", re.IGNORECASE)
_FRACTION = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*/\s*([0-9]*\.?[0-9]+)\s*$")


def _candidates(col: str):
    for m in _SPLIT.finditer(col):
        left, right = col[: m.start()].strip(), col[m.end() :].strip()
        if left and right:
            yield left, right, bool(_STRONG.search(m.group()))


def _parse_pair(col, elements):
    cands = list(_candidates(str(col)))
    if elements is not None:
        known = {str(e): e for e in elements}
        for left, right, __ in cands:
            if left in known and right in known and left != right:
                return known[left], known[right]
        if not cands:
            raise JudgmentError(
                _(
                    "read_survey: column '{col}' does not name a pair of elements (expected e.g. "
                    "'A_vs_B', 'A-B'); pass columns=[...] to choose the judgment columns or "
                    "pairs={{column: (A, B)}}."
                ).format(col=col),
                column=str(col),
            )
        unknown = sorted({p for left, right, __ in cands for p in (left, right) if p not in known})
        raise JudgmentError(
            _(
                "read_survey: column '{col}' names unknown element(s) {unknown}; the declared "
                "elements are {elements}. Fix the column name, the "
                "elements, or map it with pairs=."
            ).format(col=col, unknown=unknown, elements=[str(e) for e in elements]),
            column=str(col),
        )
    strong = [c for c in cands if c[2]]
    use = strong if len(strong) == 1 else cands
    if len(use) != 1:
        raise JudgmentError(
            _(
                "read_survey: cannot tell which two elements column '{col}' compares "
                "({why}); declare elements=[...] or pairs=."
            ).format(
                col=col,
                why=_("no separator") if not cands else _("several possible splits"),
            ),
            column=str(col),
        )
    return use[0][0], use[0][1]


def _cell(x):
    """A judgment as a float; NaN for an empty cell; None for anything else (reported).

    Fractions with a zero denominator (``1/0``), infinities and ``nan`` written as text are not
    judgments: they are reported, never passed on.
    """
    if isinstance(x, str):
        m = _FRACTION.match(x)
        if m:
            den = float(m.group(2))
            return float(m.group(1)) / den if den != 0 else None
        try:
            v = float(x) if x.strip() else np.nan
        except ValueError:
            return None
        return v if np.isfinite(v) or not x.strip() else None
    try:
        v = np.nan if pd.isna(x) else float(x)
    except (TypeError, ValueError):
        return None
    return None if np.isinf(v) else v


def read_survey(table, elements=None, coding=None, *, pairs=None, expert=None, columns=None, scale="saaty"):
    """Read one block's pairwise judgments from a survey table.

    Parameters
    ----------
    table : DataFrame
        One row per expert, one column per pair (read files with ``workbench.read_table`` first).
        Empty cells are missing judgments. Cells may be numbers or fractions such as "1/3".
    elements : sequence of str, optional
        The block's element codes, in the order wanted. When omitted they are inferred from the
        column names (which must then split unambiguously).
    coding : {"signed", "reciprocal"}
        Must be declared. "signed": -9..9, v >= 1 means the first element of the pair is v times as
        important, v <= -1 means the second is |v| times as important; 1 and -1 both mean equal; 0
        and values in (-1, 1) are errors. "reciprocal": the value is a_ij itself (1/9..9).
    pairs : dict, optional
        Column -> (first, second) for columns whose names do not follow "A_vs_B", "A-B", "A/B",
        "A对B", "A比B"...
    expert : str, optional
        Column holding the expert ids; the table's index otherwise.
    columns : sequence of str, optional
        The judgment columns; default every column except ``expert``.
    scale : "saaty", int or None, default="saaty"
        Declared scale (1/s..s); values beyond it are errors. None: not checked.

    Returns
    -------
    Judgments
        Values of shape (n_experts, n, n), checked (each expert's comparisons must connect all
        elements).

    Examples
    --------
    >>> import pandas as pd
    >>> sheet = pd.DataFrame({"A_vs_B": [3, -2], "A_vs_C": [5, 1], "B_vs_C": [2, 4]}, index=["e1", "e2"])
    >>> j = read_survey(sheet, ["A", "B", "C"], coding="signed")
    >>> j.matrix("e2").loc["A", "B"]
    np.float64(0.5)
    """
    if coding is None:
        raise SpecError(
            _(
                "read_survey: declare how the sheet is coded: coding='signed' (-9..9, negative "
                "= the second element is preferred) or coding='reciprocal' (values 1/9..9)."
            ),
            key="coding",
        )
    check_option(coding, ("signed", "reciprocal"), name="coding", func="read_survey")
    if not isinstance(table, pd.DataFrame):
        raise SpecError(
            _("read_survey: 'table' must be a DataFrame; got {type_name}.").format(
                type_name=type(table).__name__
            ),
            key="table",
        )
    s = scale_bound(scale, func="read_survey")
    if expert is not None:
        if expert not in table.columns:
            raise JudgmentError(
                _("read_survey: no expert column '{expert}' in the table.").format(expert=expert),
                column=str(expert),
            )
        ids = table[expert]
    else:
        ids = pd.Series(table.index, index=table.index)
    if ids.duplicated().any():
        raise JudgmentError(
            _("read_survey: expert ids repeat: {ids}; one row per expert.").format(
                ids=sorted(map(str, set(ids[ids.duplicated()])))
            ),
            column=None if expert is None else str(expert),
        )
    cols = [c for c in table.columns if c != expert] if columns is None else list(columns)
    pairs = dict(pairs or {})
    parsed = {c: tuple(pairs[c]) if c in pairs else _parse_pair(c, elements) for c in cols}
    if elements is None:
        elements = list(dict.fromkeys(e for p in parsed.values() for e in p))
    index = {e: k for k, e in enumerate(elements)}
    n, n_exp = len(elements), len(table)
    a = np.full((n_exp, n, n), np.nan)
    a[:, np.arange(n), np.arange(n)] = 1.0
    seen, problems = {}, []
    for c in cols:
        left, right = parsed[c]
        for e in (left, right):
            if e not in index:
                raise JudgmentError(
                    _("read_survey: pairs maps column '{c}' to unknown element {e!r}.").format(c=c, e=e),
                    column=str(c),
                )
        i, j = index[left], index[right]
        key = (min(i, j), max(i, j))
        if key in seen:
            raise JudgmentError(
                _(
                    "read_survey: columns '{seen}' and '{c}' both compare {left} and {right}; keep one."
                ).format(seen=seen[key], c=c, left=left, right=right),
                column=str(c),
            )
        seen[key] = c
        raw = [_cell(x) for x in table[c]]
        for r, x in enumerate(raw):
            where = {"row": r + 2, "column": str(c)}  # spreadsheet row: the header is row 1
            if x is None:
                problems.append(Problem(_("not a number: {value!r}").format(value=table[c].iloc[r]), **where))
            elif np.isnan(x):
                continue
            elif coding == "signed" and abs(x) < 1:
                problems.append(
                    Problem(
                        _("{x:g} is not a signed judgment (use 1 or -1 for equal importance)").format(x=x),
                        **where,
                    )
                )
            elif coding == "reciprocal" and x <= 0:
                problems.append(Problem(_("{x:g} is not a positive ratio").format(x=x), **where))
            elif s is not None and (abs(x) if coding == "signed" else max(x, 1 / x)) > s * (
                1 + RECIPROCITY_TOL
            ):
                problems.append(
                    Problem(
                        _("{x:g} is outside the declared scale (1/{s:g}..{s:g})").format(x=x, s=s), **where
                    )
                )
            else:
                v = x if coding == "reciprocal" or x >= 1 else 1.0 / -x
                a[r, i, j], a[r, j, i] = v, 1.0 / v
    if problems:
        raise JudgmentError(_("read_survey: the sheet has invalid judgments"), problems=problems)
    return Judgments(a, tuple(elements), tuple(ids))


def from_matrix(matrix, *, scale=None, repair=False):
    """Check a single pairwise matrix and return it cleaned (diagonal 1, one-sided pairs filled).

    Parameters
    ----------
    matrix : array-like or DataFrame of shape (n, n)
        Entry (i, j) = how strongly element i is preferred to element j; NaN = missing.
    scale : "saaty", int or None, default=None
        Declared scale 1/s..s to check against.
    repair : bool, default=False
        A matrix that is not reciprocal (a_ij a_ji further than 5 % from 1) is rejected, naming the
        offending cells, unless ``repair=True``: then every pair is replaced by the geometric-mean
        repair a_ij = sqrt(a_ij / a_ji), a_ji = 1 / a_ij.

    Returns
    -------
    ndarray or DataFrame of shape (n, n)

    Examples
    --------
    >>> from_matrix([[1, 4], [1, 1]], repair=True).tolist()
    [[1.0, 2.0], [0.5, 1.0]]
    """
    a, labels = as_matrix(matrix, func="from_matrix", scale=scale, allow_missing=True, repair=repair)
    return a if labels is None else pd.DataFrame(a, index=labels, columns=labels)
