"""Shared plumbing of the agreement family: reading rating tables, grade words, ANOVA (grade bands are
in :mod:`._bands`).

Every public function reads its ratings through :func:`as_ratings`, so labels, grade words,
missing values and shape checks behave the same everywhere.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._i18n import _
from ..errors import DataError, Problem, WorkbenchWarning
from ._order import GRADE_ORDER, check_order

__all__ = ["GRADE_ORDER", "DroppedRatingsWarning", "encode_grades"]


class DroppedRatingsWarning(WorkbenchWarning):
    """Units or rater columns left out for missing ratings; callers that report the count themselves
    filter this category (not the text, which is translated)."""


def _spreadsheet_row(position: int) -> int:
    # Problem.row is 1-based as a spreadsheet shows it, with the header in row 1.
    return int(position) + 2


def _to_object_frame(table) -> tuple[pd.DataFrame, str]:
    if isinstance(table, pd.DataFrame):
        return table.astype(object), "frame"
    if isinstance(table, pd.Series):
        return table.astype(object).to_frame(), "series"
    arr = np.asarray(table, dtype=object)
    if arr.ndim == 1:
        return pd.DataFrame(arr[:, None]), "array1"
    if arr.ndim != 2:
        raise DataError(
            _(
                "A table of ratings must have 1 or 2 dimensions (units in rows, raters in "
                "columns). Got an array with {ndim} dimensions."
            ).format(ndim=arr.ndim)
        )
    return pd.DataFrame(arr), "array2"


def encode_grades(table, order: Sequence[str] = GRADE_ORDER, *, start: int = 1):
    """Turn grade words into numeric codes (worst = ``start``), keeping numbers and missing cells.

    Parameters
    ----------
    table : DataFrame, Series, array or nested list of shape (n_units, n_raters)
        Cells are grade words (e.g. 优秀/良好/一般/较差), numbers, or missing (NaN, None, "").
    order : sequence of str, default=("较差", "一般", "良好", "优秀")
        Grade words from worst to best; word ``order[i]`` gets code ``start + i``.
    start : int, default=1
        Code of the worst grade.

    Returns
    -------
    Same kind as ``table`` (DataFrame, Series or float ndarray) with float codes; numbers pass
    through unchanged and missing cells are NaN.

    Raises
    ------
    DataError
        If a cell holds a word that is not in ``order`` (or, when ``order`` lists numeric codes, a
        number that is not among them); every such cell is listed with its unit (row) and rater
        (column).
    SpecError
        If ``order`` is empty or repeats a word, puts grade words of a known scale the wrong way
        round (e.g. best first: ``['优秀', '良好', '一般', '较差']``), or lists numeric codes out of
        increasing order. The offending categories are named.

    Examples
    --------
    >>> encode_grades([["优秀", "良好"], ["一般", None]]).tolist()
    [[4.0, 3.0], [2.0, nan]]
    """
    listed = list(order) if isinstance(order, Sequence | np.ndarray | pd.Index) else order
    order, codes_listed = check_order(order, func="encode_grades")
    frame, kind = _to_object_frame(table)
    values = frame.to_numpy(dtype=object)
    out = np.full(values.shape, np.nan)
    is_str = np.vectorize(lambda v: isinstance(v, str), otypes=[bool])(values) if values.size else values
    # Numbers (and numeric strings) pass through; everything else is NaN or a word.
    numeric = frame.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    if values.size:
        out = np.where(np.isfinite(numeric), numeric, np.nan)
        words = np.char.strip(values[is_str].astype(str)) if is_str.any() else np.array([], dtype=str)
        if words.size:
            uniq, inv = np.unique(words, return_inverse=True)
            lookup = {w: start + i for i, w in enumerate(order)}
            codes = np.array([lookup.get(w, np.nan) for w in uniq])
            word_codes = codes[inv]
            blank = np.array([w == "" for w in uniq])[inv]
            numeric_words = np.isfinite(numeric[is_str])
            word_codes = np.where(blank, np.nan, np.where(numeric_words, numeric[is_str], word_codes))
            bad = ~blank & ~numeric_words & np.isnan(codes[inv])
            if bad.any():
                rows, cols = np.nonzero(is_str)
                problems = [
                    Problem(
                        _("unknown grade word {word!r} for unit {unit!r}").format(
                            word=str(words[j]), unit=frame.index[rows[j]]
                        ),
                        row=_spreadsheet_row(rows[j]),
                        column=str(frame.columns[cols[j]]),
                        hint=_(
                            "use one of {order} or pass order=[...] listing every grade word, worst first"
                        ).format(order=order),
                    )
                    for j in np.flatnonzero(bad)
                ]
                raise DataError(_("Grade words not in the grade order"), problems=problems)
            out[is_str] = word_codes
        if codes_listed is not None:
            _check_listed_numbers(numeric, frame, codes_listed, listed)
    if kind == "frame":
        return pd.DataFrame(out, index=frame.index, columns=frame.columns)
    if kind == "series":
        return pd.Series(out[:, 0], index=frame.index, name=table.name)
    return out[:, 0] if kind == "array1" else out


def _check_listed_numbers(numeric, frame, codes, order):
    """Numbers in the data must be among the numeric codes an explicit order lists."""
    bad = np.isfinite(numeric) & ~np.isin(numeric, codes)
    if bad.any():
        rows, cols = np.nonzero(bad)
        problems = [
            Problem(
                _("rating {value:g} for unit {unit!r} is not among the categories of the order").format(
                    value=numeric[r, c], unit=frame.index[r]
                ),
                row=_spreadsheet_row(r),
                column=str(frame.columns[c]),
                hint=_("add it to order={order} (worst first) or correct the cell").format(order=order),
            )
            for r, c in zip(rows, cols)
        ]
        raise DataError(_("Numeric ratings not listed in the order"), problems=problems)


@dataclass(frozen=True)
class Ratings:
    """A rating table read at the boundary: float values plus the labels to put back."""

    values: np.ndarray  # (n_units, n_raters), NaN = missing
    units: pd.Index
    raters: pd.Index
    labelled: bool
    labels: tuple | None  # category names of the codes 1..K when grade words were read


def as_ratings(
    ratings, *, func: str, words: str = "grades", min_units: int = 2, min_raters: int = 2, order=None
):
    """Read a units x raters table into a :class:`Ratings`.

    ``words="grades"`` encodes grade words with :data:`GRADE_ORDER`; ``words="nominal"`` accepts any
    words as unordered categories (used by nominal alpha and kappa). An explicit ``order`` (worst
    first, checked by :func:`check_order`) encodes words with it and, when it lists numeric codes,
    requires every number in the table to be one of them.
    """
    if order is not None:
        return _with_order(ratings, order, func=func, min_units=min_units, min_raters=min_raters)
    labelled = isinstance(ratings, pd.DataFrame)
    if isinstance(ratings, pd.Series) or np.ndim(ratings) != 2:
        raise DataError(
            _(
                "{func} needs a 2-D table of ratings (units in rows, raters in columns). Got "
                "{type_name} with {ndim} dimension(s)."
            ).format(func=func, type_name=type(ratings).__name__, ndim=np.ndim(ratings)),
            hint=_("pass a DataFrame or a 2-D array; for two raters use one column each"),
        )
    labels = None
    if not labelled:
        arr = np.asarray(ratings)
        if arr.dtype.kind in "biuf":  # plain numeric array: skip the object round trip
            index, columns = pd.RangeIndex(arr.shape[0]), pd.RangeIndex(arr.shape[1])
            return _checked(arr.astype(float), index, columns, func, min_units, min_raters, False, None)
    frame = ratings if labelled else pd.DataFrame(np.asarray(ratings, dtype=object))
    try:
        values = frame.to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        obj = frame.astype(object)
        strings = obj.map(lambda v: isinstance(v, str) and v.strip() != "").to_numpy(dtype=bool)
        uniq = sorted({str(v).strip() for v in obj.to_numpy()[strings]})
        if words == "nominal" and not set(uniq) <= set(GRADE_ORDER):
            order = uniq
        else:
            order = list(GRADE_ORDER)
        values = _encode(obj, order, func).to_numpy(dtype=float)
        labels = tuple(order)
    return _checked(values, frame.index, frame.columns, func, min_units, min_raters, labelled, labels)


def _encode(frame, order, func):
    """encode_grades, with the calling function named in the error."""
    try:
        return encode_grades(frame, order=order)
    except DataError as err:
        if err.summary is None:
            raise
        raise DataError(
            _("{func}: {summary}").format(func=func, summary=err.summary), problems=err.problems
        ) from None


def _with_order(ratings, order, *, func, min_units, min_raters):
    labelled = isinstance(ratings, pd.DataFrame)
    if isinstance(ratings, pd.Series) or np.ndim(ratings) != 2:
        raise DataError(
            _(
                "{func} needs a 2-D table of ratings (units in rows, raters in columns). Got "
                "{type_name} with {ndim} dimension(s)."
            ).format(func=func, type_name=type(ratings).__name__, ndim=np.ndim(ratings)),
        )
    words, codes = check_order(order, func=func)
    frame = ratings if labelled else pd.DataFrame(np.asarray(ratings, dtype=object))
    values = _encode(frame.astype(object), list(order), func).to_numpy(dtype=float)
    # Word categories keep their names (codes start + i); numeric codes are their own labels.
    labels = None if codes is not None else tuple(words)
    return _checked(values, frame.index, frame.columns, func, min_units, min_raters, labelled, labels)


def _checked(values, index, columns, func, min_units, min_raters, labelled, labels):
    if np.isinf(values).any():
        r, c = np.argwhere(np.isinf(values))[0]
        raise DataError(
            _("{func} found an infinite rating for unit {unit!r}; ratings must be finite or NaN.").format(
                func=func, unit=index[r]
            ),
            row=_spreadsheet_row(r),
            column=str(columns[c]),
        )
    n_units, n_raters = values.shape
    if n_raters < min_raters:
        raise DataError(
            _("{func} needs at least {min_raters} raters (columns). Got {n_raters}.").format(
                func=func, min_raters=min_raters, n_raters=n_raters
            ),
            hint=_("tables are units in rows, raters in columns; transpose if yours is the other way"),
        )
    if n_units < min_units:
        raise DataError(
            _("{func} needs at least {min_units} units (rows). Got {n_units}.").format(
                func=func, min_units=min_units, n_units=n_units
            ),
            hint=_("tables are units in rows, raters in columns; transpose if yours is the other way"),
        )
    return Ratings(values, index, columns, labelled, labels)


def _empty_raters(r: Ratings) -> np.ndarray:
    return np.isnan(r.values).all(axis=0)


def require_every_rater(r: Ratings, *, func: str) -> None:
    """Estimators that need every rater on every unit (ICC, Kendall's W) refuse an empty rater column."""
    empty = _empty_raters(r)
    if empty.any():
        names = [str(c) for c in r.raters[empty]]
        raise DataError(
            _(
                "{func}: rater column(s) {names} have no ratings; {func} needs every rater to "
                "rate every unit (complete cases), so an empty column would leave no unit to "
                "use"
            ).format(func=func, names=names),
            problems=[
                Problem(
                    _("rater {c!r} has no ratings (every cell is missing)").format(c=c),
                    column=c,
                    hint=_("drop the column, or use krippendorff_alpha, which allows missing ratings"),
                )
                for c in names
            ],
        )


def drop_empty_raters(r: Ratings, *, func: str, min_raters: int = 2) -> Ratings:
    """Estimators that allow missing ratings drop an empty rater column, warning with its name."""
    empty = _empty_raters(r)
    if not empty.any():
        return r
    names = [str(c) for c in r.raters[empty]]
    left = int((~empty).sum())
    if left < min_raters:
        raise DataError(
            _(
                "{func} needs at least {min_raters} raters with ratings. Rater column(s) "
                "{names} have none, leaving {left}."
            ).format(func=func, min_raters=min_raters, names=names, left=left),
            column=names[0],
            hint=_("tables are units in rows, raters in columns; remove empty columns or add ratings"),
        )
    warnings.warn(
        _("{func}: dropped rater column(s) {names}, which have no ratings (every cell is missing).").format(
            func=func, names=names
        ),
        DroppedRatingsWarning,
        stacklevel=3,
    )
    return Ratings(r.values[:, ~empty], r.units, r.raters[~empty], r.labelled, r.labels)


def complete_cases(r: Ratings, *, func: str, min_units: int = 2) -> Ratings:
    """Drop units with a missing rating (ANOVA and ranking need them), warning how many went.

    A rater column with no ratings at all is a DataError naming the column (it would drop every unit).
    """
    require_every_rater(r, func=func)
    keep = ~np.isnan(r.values).any(axis=1)
    dropped = int((~keep).sum())
    if keep.sum() < min_units:
        raise DataError(
            _(
                "{func} needs at least {min_units} units rated by every rater. Got {complete} "
                "complete units out of {total}."
            ).format(func=func, min_units=min_units, complete=int(keep.sum()), total=len(keep)),
            hint=_("fill the missing ratings, or use krippendorff_alpha, which allows missing values"),
        )
    if dropped:
        warnings.warn(
            _(
                "{func}: dropped {dropped} of {total} units with missing ratings (complete cases needed)."
            ).format(func=func, dropped=dropped, total=len(keep)),
            DroppedRatingsWarning,
            stacklevel=3,
        )
    return Ratings(r.values[keep], r.units[keep], r.raters, r.labelled, r.labels)


def two_way_anova(x: np.ndarray) -> dict:
    """Mean squares of the two-way (units x raters) ANOVA without replication (Shrout & Fleiss 1979)."""
    n, k = x.shape
    grand = x.mean()
    row_means, col_means = x.mean(axis=1), x.mean(axis=0)
    ss_rows = k * ((row_means - grand) ** 2).sum()
    ss_cols = n * ((col_means - grand) ** 2).sum()
    ss_total = ((x - grand) ** 2).sum()
    ss_err = max(ss_total - ss_rows - ss_cols, 0.0)
    return {
        "n": n,
        "k": k,
        "msr": ss_rows / (n - 1),
        "msc": ss_cols / (k - 1),
        "mse": ss_err / ((n - 1) * (k - 1)),
        "msw": (ss_cols + ss_err) / (n * (k - 1)),
        "col_effects": col_means - grand,
    }
