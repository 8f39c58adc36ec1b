"""Validation of a data table against a rubric: every column the rubric scores, checked and coerced.

:func:`validate_data` (run by :func:`~workbench.io.read_table` when a rubric is given) returns a new
frame; :func:`coerce_columns` returns the coerced arrays that :func:`workbench.score` computes on.
Every problem in the table is reported at once, with the row as the spreadsheet shows it; the
cells of each column are read by :mod:`._cells`.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .._i18n import _
from .._text import bad_cells, normalise_keys
from ..errors import DataError, Problem, WorkbenchWarning
from ._cells import _check_grades, _factorize, _report, _to_flag, _to_number
from ._percent import as_shown, fraction_warning, is_percent
from ._table_checks import _index_by_unit

__all__ = ["validate_data", "coerce_columns"]


def _messages() -> dict:
    """Every message of this module, in the current language (the gettext catalogue)."""
    return {
        "other_scale": _("{value:g} is outside 0..{top:g}, the scale of this score"),
        "bad_category": _("category label {value!r} contains control or direction-changing characters"),
    }


def validate_data(
    rubric, frame: pd.DataFrame, *, file: str | None = None, unit: str | None = None
) -> pd.DataFrame:
    """Check and coerce the columns a rubric needs; return a new frame (the input is untouched).

    - every indicator, bonus, deduction and veto code must be a column (an indicator may also be
      found by its Chinese name); the category column and the scheme's other-score column too;
    - numeric columns: full-width digits and signs are converted (NFKC: "８５" -> 85); tokens such
      as "—" or "无" become missing only where the indicator's ``missing`` policy allows it;
      anything else that is not a number is reported with its row and column;
    - qualitative grades must be among the rule's grades; checklist counts must be non-negative;
      ``direct`` values must lie within their full marks;
    - bonus/deduction counts must be non-negative numbers (blank = 0); veto flags 0/1, 是/否,
      有/无 (blank = no).

    Raises
    ------
    DataError
        Listing every problem found, with row (as the spreadsheet shows it) and column.
    """
    frame, arrays = coerce_columns(rubric, frame, file=file, unit=unit)
    # a shallow copy is safe under copy-on-write; only columns whose values changed are replaced
    result = frame.copy(deep=False)
    for c, values in arrays.items():
        col = frame[c]
        if (
            isinstance(values, np.ndarray)
            and values.dtype == col.dtype
            and np.may_share_memory(values, col.to_numpy())
        ):
            continue  # a float column read as such: nothing changed, nothing to copy
        if (
            isinstance(values, pd.Categorical)
            and col.dtype == values.dtype
            and np.array_equal(col.cat.codes, values.codes)
        ):
            continue
        result[c] = values
    result.attrs = dict(frame.attrs)
    result.attrs.pop("percent_cells", None)  # the values are now as shown: never multiplied twice
    # checked for fractions once (a warning each): scoring the validated frame does not warn again
    result.attrs["percent_checked"] = tuple(
        c for c in rubric.indicators if c in arrays and is_percent(rubric.nodes[c])
    )
    return result


def coerce_columns(rubric, frame: pd.DataFrame, *, file: str | None = None, unit: str | None = None):
    """Validate ``frame`` for ``rubric``; return (frame indexed by unit, {column: coerced array}).

    The arrays are what :func:`workbench.score` computes on; :func:`validate_data` puts them back
    into a DataFrame. Text columns are coerced through their distinct values (``pd.factorize``),
    so a column of 100,000 grades costs one hash pass, not 100,000 string operations.
    """
    if unit is not None and unit in frame.columns:
        frame = _index_by_unit(frame, unit, file)
    file = file or frame.attrs.get("source")
    problems: list[Problem] = []
    out: dict[str, np.ndarray] = {}
    cols = set(map(str, frame.columns))
    rename = {
        rubric.nodes[c].name: c for c in rubric.indicators if c not in cols and rubric.nodes[c].name in cols
    }
    if rename:
        frame = frame.rename(columns=rename)
        cols = set(map(str, frame.columns))
    shown = {rename.get(c, c): pos for c, pos in (frame.attrs.get("percent_cells") or {}).items()}
    checked, notes = set(frame.attrs.get("percent_checked", ())), []
    needed = [(c, _("indicator")) for c in rubric.indicators]
    needed += [(it.code, _("bonus item")) for it in rubric.bonus.items]
    needed += [(it.code, _("deduction item")) for it in rubric.deductions.items]
    needed += [(v.code, _("veto item")) for v in rubric.veto if v.indicator is None]
    if rubric.categories is not None:
        needed.append((rubric.categories.column, _("category column")))
    if rubric.scheme.type != "single":
        needed.append(
            (
                rubric.scheme.other_column,
                _("{name} (other score) column").format(name=rubric.scheme.other_name),
            )
        )
    for c, what in needed:
        if c not in cols:
            label = rubric.nodes[c].name if c in rubric.nodes else ""
            text = _("the table has no column for {what} {code!r} {name}").format(
                what=what, code=c, name=label
            )
            problems.append(Problem(text.rstrip(), column=c))
    full = rubric.full_marks()
    for code in rubric.indicators:
        if code not in cols:
            continue
        node = rubric.nodes[code]
        col = frame[code]
        if node.rule is not None and not node.rule.numeric:
            out[code] = _check_grades(col, node, problems)
            continue
        percent = is_percent(node)
        values = _to_number(col, code, problems, allow_missing=node.missing != "error", percent=percent)
        if percent:  # cells formatted as percentages in Excel: the 98.2 the user sees, not 0.982
            values = as_shown(values, shown.get(code))
            if code not in checked:
                notes.append(fraction_warning(values, code, node, file))
        _check_range(problems, values, code, node)
        if node.rule is not None and node.rule.type == "direct":
            top = node.rule.per if node.rule.input != "points" else float(full[code])
            _report(
                problems,
                (values < 0) | (values > top + 1e-9),
                code,
                lambda i, v=values, top=top: _(
                    "{value:g} is outside 0..{top:g}, the range of this directly scored item"
                ).format(value=v[i], top=top),
            )
        out[code] = values
    for adj in (rubric.bonus, rubric.deductions):
        for it in adj.items:
            if it.code in cols:
                values = np.nan_to_num(
                    _to_number(frame[it.code], it.code, problems, allow_missing=True), nan=0.0
                )
                _report(
                    problems,
                    (values < 0) | (values % 1 != 0),
                    it.code,
                    lambda i, v=values, n=it.name: _(
                        "{value:g} is not a possible count of {name!r} (expected a whole number of times, "
                        "0 or more)"
                    ).format(value=v[i], name=n),
                )
                out[it.code] = values
    for v in rubric.veto:
        if v.indicator is None and v.code in cols:
            out[v.code] = _to_flag(frame[v.code], v.code, problems)
    if rubric.scheme.type != "single" and rubric.scheme.other_column in cols:
        c = rubric.scheme.other_column
        out[c] = _to_number(frame[c], c, problems, allow_missing=False)
        top = rubric.scheme.other_scale  # weighted and dual100 put the score on 100: 99999 of 100 is an error
        if rubric.scheme.type in ("weighted", "dual100"):
            _report(
                problems,
                (out[c] < 0) | (out[c] > top * (1 + 1e-9)),
                c,
                lambda i, v=out[c], top=top: _messages()["other_scale"].format(value=v[i], top=top),
            )
    if rubric.categories is not None and rubric.categories.column in cols:
        # labels compared in normal form: '党政综合部门 ' is '党政综合部门', not a category of its own
        c = rubric.categories.column
        _report(
            problems,
            bad_cells(frame[c]),
            c,
            lambda i, v=frame[c]: _messages()["bad_category"].format(value=v.iloc[i]),
        )
        labels = normalise_keys(frame[c])
        if not labels.equals(frame[c].astype(object)):
            out[c] = labels.where(frame[c].notna(), frame[c]).to_numpy(dtype=object)
        if rubric.categories.names:
            # a label the rubric does not define would silently form a category of its own
            _check_categories(problems, labels.where(frame[c].notna(), frame[c]), rubric.categories)
    if problems:
        raise DataError(
            _("the data do not fit rubric {code!r}").format(code=rubric.code), file=file, problems=problems
        )
    for note in filter(None, notes):
        warnings.warn(note, WorkbenchWarning, stacklevel=3)
    return frame, out


def _check_range(problems, values: np.ndarray, code: str, node) -> None:
    """Values outside the indicator's valid range (declared, or inferred from its unit and kind)."""
    from ..rubric._extras import valid_range

    rng = valid_range(node)
    if not rng.bounded:
        return
    with np.errstate(invalid="ignore"):
        bad = np.zeros(len(values), dtype=bool)
        if rng.lo is not None:
            bad |= values < rng.lo
        if rng.hi is not None:
            bad |= values > rng.hi
        if rng.whole:
            bad |= np.isfinite(values) & (values % 1 != 0)
    if not bad.any():
        return
    if rng.lo is not None and rng.hi is not None:
        span = _("from {lo:g} to {hi:g}").format(lo=rng.lo, hi=rng.hi)
    elif rng.lo is not None:
        span = _(">= {lo:g}").format(lo=rng.lo)
    else:
        span = _("any value") if rng.hi is None else _("<= {hi:g}").format(hi=rng.hi)
    span = (_("whole numbers {span}") if rng.whole else _("a value {span}")).format(span=span)
    why = {
        "percent": _("a percentage"),
        "count": _("a count ({unit})").format(unit=node.unit),
        "measure": _("an amount ({unit})").format(unit=node.unit),
        "checklist": _("a number of missing checklist items"),
        "declared": _("as the rubric declares"),
    }.get(rng.basis, "")
    hint = (
        _("correct the cell; if such values are valid, declare e.g. 'range: [0, 200]' for the indicator")
        if rng.basis != "declared"
        else _("correct the cell, or widen the indicator's 'range' in the rubric")
    )
    _report(
        problems,
        bad,
        code,
        lambda i: _("{value:g} is not a valid value of {name!r}: expected {span} ({why})").format(
            value=values[i], name=node.name, span=span, why=why
        ),
        hint=hint,
    )


def _check_categories(problems, col: pd.Series, categories):
    """Category values must be among the rubric's declared categories (after NFKC and stripping).

    Returns the cleaned values when cleaning changed any, else None.
    """
    codes, uniques = _factorize(col)
    known = np.array([u in categories.names for u in uniques], dtype=bool)
    raw = col.iloc
    _report(
        problems,
        np.append(~known, True)[codes],
        categories.column,
        lambda i: (
            _("category {value!r} is not one of the rubric's categories {names}").format(
                value=raw[i], names=list(categories.names)
            )
            if not pd.isna(raw[i])
            else _("the category is empty; expected one of {names}").format(names=list(categories.names))
        ),
        hint=_("correct the cell, or add the category to 'categories.names' in the rubric"),
    )
    raw_u = pd.unique(col.dropna().astype(str))
    if set(raw_u) <= set(uniques):
        return None
    return np.append(uniques.astype(object), None)[codes]
