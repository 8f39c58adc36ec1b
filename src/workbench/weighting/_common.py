"""Shared pieces of the weighting and MCDA families: the result class and input checks.

Data are checked once here, at the boundary (as scikit-learn's ``check_array``): every public
function turns its input into a float matrix plus row and column labels, and every error names the
offending columns or rows. ``workbench.mcda`` imports these helpers too.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._i18n import _
from .._results import ResultMixin
from ..errors import DataError, SpecError

__all__ = ["WeightResult"]


def names(items, limit: int = 8) -> str:
    """Quote up to ``limit`` labels for a message: ``'a', 'b' (and 3 more)``."""
    items = list(items)
    shown = ", ".join(repr(x) if not isinstance(x, (np.integer, int)) else str(int(x)) for x in items[:limit])
    more = _(" (and {n} more)").format(n=len(items) - limit) if len(items) > limit else ""
    return shown + more


@dataclass(frozen=True, repr=False, eq=False)
class WeightResult(ResultMixin):
    """Weights from one weighting method, with the details behind them.

    Attributes
    ----------
    weights : Series of shape (n_indicators,)
        Non-negative weights summing to 1, indexed by indicator code.
    method : str
        ``"entropy"``, ``"critic"``, ``"pca"``, ``"regression"`` or ``"optimised"``.
    variant : str
        The variant of the method (e.g. ``"sum"`` or ``"minmax"`` for entropy, ``"ols"`` for
        regression), so two results can always be told apart.
    table : DataFrame
        One row per indicator: the quantities the weights come from plus a ``weight`` column.
    stats : dict
        Fit statistics and settings (e.g. ``r2``, ``n``, ``explained``).
    notes : tuple of str
        Caveats found while computing (e.g. negative coefficients clipped to zero).

    ``np.asarray(result)`` gives the weights as a plain array.
    """

    weights: pd.Series
    method: str
    variant: str
    table: pd.DataFrame
    stats: dict = field(default_factory=dict)
    notes: tuple = ()

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def _summary_title(self) -> str:
        return _("WeightResult: {method} ({variant})").format(method=self.method, variant=self.variant)

    def _summary_facts(self) -> dict:
        facts = {k: v for k, v in self.stats.items() if isinstance(v, (numbers.Number, str))}
        for i, note in enumerate(self.notes, 1):
            facts[_("note {i}").format(i=i)] = note
        return facts

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.weights.to_numpy(), dtype=dtype)


@dataclass(frozen=True)
class Table:
    """A checked numeric matrix with its labels (internal)."""

    values: np.ndarray
    rows: pd.Index
    cols: pd.Index
    labelled: bool


def as_table(data, *, func: str, name: str = "data", min_rows: int = 2, allow_nan: bool = False) -> Table:
    """Check ``data`` (DataFrame or 2-D array, units x indicators) and return it as floats."""
    if isinstance(data, pd.DataFrame):
        bad = [c for c in data.columns if not pd.api.types.is_numeric_dtype(data[c])]
        if bad:
            raise DataError(
                _(
                    "{func}: column(s) {columns} of '{name}' are not numeric; every "
                    "indicator column must hold numbers. Convert or drop them (e.g. "
                    "data.drop(columns=[...]))."
                ).format(func=func, columns=names(bad), name=name),
                column=str(bad[0]),
            )
        values = data.to_numpy(dtype=float, na_value=np.nan)
        rows, cols, labelled = data.index, data.columns, True
    else:
        if isinstance(data, pd.Series):
            raise DataError(
                _(
                    "{func}: '{name}' is a Series; expected a table of units (rows) x indicators "
                    "(columns). Use series.to_frame() for a single indicator."
                ).format(func=func, name=name)
            )
        try:
            values = np.asarray(data, dtype=float)
        except (TypeError, ValueError) as exc:
            raise DataError(
                _("{func}: '{name}' must be numeric; could not convert it to numbers ({exc}).").format(
                    func=func, name=name, exc=exc
                )
            ) from None
        if values.ndim != 2:
            raise DataError(
                _(
                    "{func}: '{name}' must be 2-D (units x indicators); got an array with {ndim} "
                    "dimension(s) and shape {shape}."
                ).format(func=func, name=name, ndim=values.ndim, shape=values.shape)
            )
        rows, cols, labelled = pd.RangeIndex(values.shape[0]), pd.RangeIndex(values.shape[1]), False
    if cols.has_duplicates:
        raise DataError(
            _("{func}: duplicated indicator column(s) {columns}.").format(
                func=func, columns=names(cols[cols.duplicated()].unique())
            )
        )
    if values.shape[1] == 0:
        raise DataError(_("{func}: '{name}' has no indicator columns.").format(func=func, name=name))
    if values.shape[0] < min_rows:
        raise DataError(
            _("{func}: '{name}' has {n_rows} unit(s) (rows); at least {min_rows} are needed.").format(
                func=func, name=name, n_rows=values.shape[0], min_rows=min_rows
            )
        )
    if np.isinf(values).any():
        r, c = np.argwhere(np.isinf(values))[0]
        raise DataError(
            _(
                "{func}: '{name}' holds infinite values (first at row {row!r}, column "
                "{col!r}); replace them by finite numbers."
            ).format(func=func, name=name, row=rows[r], col=cols[c]),
            column=str(cols[c]),
        )
    if not allow_nan:
        check_no_nan(values, rows, cols, func=func, name=name)
    return Table(values, rows, cols, labelled)


def check_no_nan(values: np.ndarray, rows, cols, *, func: str, name: str = "data") -> None:
    """Raise a DataError naming the rows and columns that hold NaN."""
    mask = np.isnan(values)
    if mask.any():
        mask2 = mask.reshape(len(rows), -1)
        bad_rows = rows[mask2.any(axis=1)]
        bad_cols = cols[mask2.any(axis=0)] if mask2.shape[1] == len(cols) else []
        where = (
            _("rows {rows} in columns {columns}").format(rows=names(bad_rows), columns=names(bad_cols))
            if len(bad_cols)
            else _("rows {rows}").format(rows=names(bad_rows))
        )
        raise DataError(
            _(
                "{func}: '{name}' has missing values (NaN) in {where}. This method needs "
                "complete data: impute them (workbench.scoring impute step) or drop those rows."
            ).format(func=func, name=name, where=where),
            column=str(bad_cols[0]) if len(bad_cols) else None,
        )


def as_directions(directions, cols: pd.Index, *, func: str) -> np.ndarray:
    """Return +1 (benefit) / -1 (cost) per column from None, a mapping/Series or a sequence."""
    p = len(cols)
    if directions is None:
        return np.ones(p)
    if isinstance(directions, (dict, pd.Series)):
        given = pd.Series(directions, dtype=object)
        missing = [c for c in cols if c not in given.index]
        extra = [k for k in given.index if k not in set(cols)]
        if missing or extra:
            raise SpecError(
                _("{func}: 'directions' must give one direction per indicator column. ").format(func=func)
                + (_("Missing for {missing}. ").format(missing=names(missing)) if missing else "")
                + (_("Unknown indicator(s) {extra}. ").format(extra=names(extra)) if extra else "")
                + _("Expected keys: {columns}.").format(columns=names(cols)),
                key="directions",
            )
        raw = [given[c] for c in cols]
    else:
        raw = list(np.ravel(np.asarray(directions, dtype=object)))
        if len(raw) != p:
            raise SpecError(
                _(
                    "{func}: 'directions' has {n_raw} entries but data has {p} indicator columns "
                    "({columns}); give one +1 (higher is better) or -1 (lower is better) "
                    "per column."
                ).format(func=func, n_raw=len(raw), p=p, columns=names(cols)),
                key="directions",
            )
    out = np.empty(p)
    for j, (c, v) in enumerate(zip(cols, raw)):
        ok = isinstance(v, numbers.Real) and not isinstance(v, bool) and v in (1, -1)
        if not ok:
            raise SpecError(
                _(
                    "{func}: direction of indicator {c!r} is {v!r}; expected 1 (higher is better) "
                    "or -1 (lower is better)."
                ).format(func=func, c=c, v=v),
                key="directions",
                column=str(c),
            )
        out[j] = v
    return out


def as_weights(weights, cols: pd.Index, *, func: str, name: str = "weights") -> np.ndarray:
    """Return non-negative weights summing to 1, one per column (by label or position)."""
    p = len(cols)
    if hasattr(weights, "weights") and isinstance(weights.weights, pd.Series):
        weights = weights.weights  # a WeightResult (or any result with a weights Series)
    if isinstance(weights, (dict, pd.Series)):
        given = pd.Series(weights, dtype=object)
        missing = [c for c in cols if c not in given.index]
        extra = [k for k in given.index if k not in set(cols)]
        if missing or extra:
            raise SpecError(
                _("{func}: '{name}' do not match the indicator columns. ").format(func=func, name=name)
                + (_("No weight for {missing}. ").format(missing=names(missing)) if missing else "")
                + (
                    _("Weight(s) for unknown indicator(s) {extra}. ").format(extra=names(extra))
                    if extra
                    else ""
                )
                + _("Expected one weight for each of {columns}.").format(columns=names(cols)),
                key=name,
                column=str((missing or extra)[0]),
            )
        raw = [given[c] for c in cols]
    else:
        raw = list(np.ravel(np.asarray(weights, dtype=object)))
        if len(raw) != p:
            raise SpecError(
                _(
                    "{func}: '{name}' has {n_raw} entries but there are {p} indicator columns "
                    "({columns}); give one weight per column."
                ).format(func=func, name=name, n_raw=len(raw), p=p, columns=names(cols)),
                key=name,
            )
    try:
        w = np.array(raw, dtype=float)
    except (TypeError, ValueError):
        raise SpecError(
            _("{func}: '{name}' must be numbers; got {raw!r}.").format(func=func, name=name, raw=raw),
            key=name,
        ) from None
    bad = ~np.isfinite(w) | (w < 0)
    if bad.any():
        j = int(np.flatnonzero(bad)[0])
        raise SpecError(
            _("{func}: weight of indicator {col!r} is {w:g}; weights must be finite and >= 0.").format(
                func=func, col=cols[j], w=float(w[j])
            ),
            key=name,
            column=str(cols[j]),
        )
    total = w.sum()
    if total <= 0:
        raise SpecError(
            _("{func}: '{name}' are all zero; at least one weight must be positive.").format(
                func=func, name=name
            ),
            key=name,
        )
    return w / total


def weight_series(value, label, *, func: str) -> pd.Series:
    """A weight vector given as a result with ``.weights``, a dict, a Series or an array, as a
    float Series (arrays are indexed 0..n-1)."""
    if hasattr(value, "weights") and isinstance(value.weights, pd.Series):
        value = value.weights
    if isinstance(value, dict):
        value = pd.Series(value)
    if not isinstance(value, pd.Series):
        arr = np.ravel(np.asarray(value, dtype=float))
        value = pd.Series(arr, index=pd.RangeIndex(len(arr)))
    try:
        return value.astype(float)
    except (TypeError, ValueError):
        raise SpecError(
            _("{func}: weights {label} are not numeric.").format(func=func, label=repr(label)), key=str(label)
        ) from None


def constant_columns(values: np.ndarray, cols: pd.Index, *, lo=None, hi=None) -> list:
    """Labels of the columns whose values do not vary.

    ``lo`` and ``hi`` are the column minima and maxima when the caller has them already; the
    largest absolute value of a column is the larger of ``|lo|`` and ``|hi|``, so no pass over
    ``|values|`` is needed.
    """
    lo = values.min(axis=0) if lo is None else lo
    hi = values.max(axis=0) if hi is None else hi
    scale = np.maximum(np.maximum(np.abs(lo), np.abs(hi)), 1.0)
    return list(cols[hi - lo <= 1e-12 * scale])


def minmax_by_direction(values: np.ndarray, directions: np.ndarray, cols: pd.Index, *, func: str, why: str):
    """Rescale columns to [0, 1]: (x-min)/(max-min) for benefit, (max-x)/(max-min) for cost."""
    const = constant_columns(values, cols)
    if const:
        raise DataError(
            _(
                "{func}: indicator column(s) {columns} are constant, so min-max "
                "rescaling (max - min = 0) is undefined {why}. Drop these columns: they cannot "
                "separate units."
            ).format(func=func, columns=names(const), why=why),
            column=str(const[0]),
        )
    lo, hi = values.min(axis=0), values.max(axis=0)
    scaled = (values - lo) / (hi - lo)
    return np.where(directions > 0, scaled, 1.0 - scaled)
