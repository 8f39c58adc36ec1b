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

from .._results import ResultMixin
from ..errors import DataError, SpecError

__all__ = ["WeightResult"]


def names(items, limit: int = 8) -> str:
    """Quote up to ``limit`` labels for a message: ``'a', 'b' (and 3 more)``."""
    items = list(items)
    shown = ", ".join(repr(x) if not isinstance(x, (np.integer, int)) else str(int(x)) for x in items[:limit])
    return shown + (f" (and {len(items) - limit} more)" if len(items) > limit else "")


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
        return f"WeightResult: {self.method} ({self.variant})"

    def _summary_facts(self) -> dict:
        facts = {k: v for k, v in self.stats.items() if isinstance(v, (numbers.Number, str))}
        for i, note in enumerate(self.notes, 1):
            facts[f"note {i}"] = note
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
                f"{func}: column(s) {names(bad)} of '{name}' are not numeric; every indicator column "
                "must hold numbers. Convert or drop them (e.g. data.drop(columns=[...])).",
                column=str(bad[0]),
            )
        values = data.to_numpy(dtype=float, na_value=np.nan)
        rows, cols, labelled = data.index, data.columns, True
    else:
        if isinstance(data, pd.Series):
            raise DataError(
                f"{func}: '{name}' is a Series; expected a table of units (rows) x indicators (columns). "
                "Use series.to_frame() for a single indicator."
            )
        try:
            values = np.asarray(data, dtype=float)
        except (TypeError, ValueError) as exc:
            raise DataError(
                f"{func}: '{name}' must be numeric; could not convert it to numbers ({exc})."
            ) from None
        if values.ndim != 2:
            raise DataError(
                f"{func}: '{name}' must be 2-D (units x indicators); got an array with {values.ndim} "
                f"dimension(s) and shape {values.shape}."
            )
        rows, cols, labelled = pd.RangeIndex(values.shape[0]), pd.RangeIndex(values.shape[1]), False
    if cols.has_duplicates:
        raise DataError(f"{func}: duplicated indicator column(s) {names(cols[cols.duplicated()].unique())}.")
    if values.shape[1] == 0:
        raise DataError(f"{func}: '{name}' has no indicator columns.")
    if values.shape[0] < min_rows:
        raise DataError(
            f"{func}: '{name}' has {values.shape[0]} unit(s) (rows); at least {min_rows} are needed."
        )
    if np.isinf(values).any():
        r, c = np.argwhere(np.isinf(values))[0]
        raise DataError(
            f"{func}: '{name}' holds infinite values (first at row {rows[r]!r}, column {cols[c]!r}); "
            "replace them by finite numbers.",
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
        where = f"rows {names(bad_rows)}" + (f" in columns {names(bad_cols)}" if len(bad_cols) else "")
        raise DataError(
            f"{func}: '{name}' has missing values (NaN) in {where}. This method needs complete data: "
            "impute them (workbench.scoring impute step) or drop those rows.",
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
                f"{func}: 'directions' must give one direction per indicator column. "
                + (f"Missing for {names(missing)}. " if missing else "")
                + (f"Unknown indicator(s) {names(extra)}. " if extra else "")
                + f"Expected keys: {names(cols)}.",
                key="directions",
            )
        raw = [given[c] for c in cols]
    else:
        raw = list(np.ravel(np.asarray(directions, dtype=object)))
        if len(raw) != p:
            raise SpecError(
                f"{func}: 'directions' has {len(raw)} entries but data has {p} indicator columns "
                f"({names(cols)}); give one +1 (higher is better) or -1 (lower is better) per column.",
                key="directions",
            )
    out = np.empty(p)
    for j, (c, v) in enumerate(zip(cols, raw)):
        ok = isinstance(v, numbers.Real) and not isinstance(v, bool) and v in (1, -1)
        if not ok:
            raise SpecError(
                f"{func}: direction of indicator {c!r} is {v!r}; expected 1 (higher is better) or "
                "-1 (lower is better).",
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
                f"{func}: '{name}' do not match the indicator columns. "
                + (f"No weight for {names(missing)}. " if missing else "")
                + (f"Weight(s) for unknown indicator(s) {names(extra)}. " if extra else "")
                + f"Expected one weight for each of {names(cols)}.",
                key=name,
                column=str((missing or extra)[0]),
            )
        raw = [given[c] for c in cols]
    else:
        raw = list(np.ravel(np.asarray(weights, dtype=object)))
        if len(raw) != p:
            raise SpecError(
                f"{func}: '{name}' has {len(raw)} entries but there are {p} indicator columns "
                f"({names(cols)}); give one weight per column.",
                key=name,
            )
    try:
        w = np.array(raw, dtype=float)
    except (TypeError, ValueError):
        raise SpecError(f"{func}: '{name}' must be numbers; got {raw!r}.", key=name) from None
    bad = ~np.isfinite(w) | (w < 0)
    if bad.any():
        j = int(np.flatnonzero(bad)[0])
        raise SpecError(
            f"{func}: weight of indicator {cols[j]!r} is {float(w[j]):g}; weights must be finite and >= 0.",
            key=name,
            column=str(cols[j]),
        )
    total = w.sum()
    if total <= 0:
        raise SpecError(f"{func}: '{name}' are all zero; at least one weight must be positive.", key=name)
    return w / total


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
            f"{func}: indicator column(s) {names(const)} are constant, so min-max rescaling "
            f"(max - min = 0) is undefined {why}. Drop these columns: they cannot separate units.",
            column=str(const[0]),
        )
    lo, hi = values.min(axis=0), values.max(axis=0)
    scaled = (values - lo) / (hi - lo)
    return np.where(directions > 0, scaled, 1.0 - scaled)
