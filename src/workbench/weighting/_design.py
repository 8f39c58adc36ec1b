"""Input checks for revealed-weight regressions: the outcome, missing rows and collinearity."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._i18n import _
from ..errors import DataError, ModelError, SpecError
from ._common import Table, check_no_nan, constant_columns, names

# A pair with |r| above this is reported as a duplicated indicator.
PAIR_R = 0.999
# Smallest/largest eigenvalue of the correlation matrix below this = linearly dependent columns
# (condition number of the standardised data above 1e6: coefficients lose ~12 digits).
EIG_RATIO = 1e-12


def parse_levels(levels) -> list:
    """Levels lowest first; a string such as ``"优秀>良好>一般>较差"`` or ``"差<中<好"`` is split."""
    if isinstance(levels, str):
        if ">" in levels:
            return [s.strip() for s in levels.split(">")][::-1]
        if "<" in levels:
            return [s.strip() for s in levels.split("<")]
        raise SpecError(
            _(
                "regression: 'levels' given as text must list grades with '>' (best first, "
                "e.g. '优秀>良好>一般>较差') or '<' (worst first). Got {levels!r} instead."
            ).format(levels=levels),
            key="levels",
        )
    out = list(levels)
    if len(set(out)) != len(out):
        raise SpecError(
            _("regression: 'levels' has duplicated entries: {levels!r}.").format(levels=out), key="levels"
        )
    return out


def take_outcome(outcome, t: Table, *, func: str):
    """Return the outcome aligned with the rows of ``t`` (by label when both are labelled)."""
    if isinstance(outcome, (pd.Series, pd.Categorical, pd.Index)):
        if isinstance(outcome, pd.Series) and t.labelled and not outcome.index.equals(t.rows):
            if set(outcome.index) == set(t.rows) and not outcome.index.has_duplicates:
                outcome = outcome.reindex(t.rows)
            else:
                missing = [r for r in t.rows if r not in set(outcome.index)]
                raise DataError(
                    (
                        _(
                            "{func}: the outcome's index does not match the data's rows (no outcome for "
                            "{missing}). Align them, or pass outcome.to_numpy() to match by position."
                        )
                        if missing
                        else _(
                            "{func}: the outcome's index does not match the data's rows. Align them, or "
                            "pass outcome.to_numpy() to match by position."
                        )
                    ).format(func=func, missing=names(missing))
                )
        y = outcome
    else:
        y = np.asarray(outcome, dtype=object if not isinstance(outcome, np.ndarray) else None)
        if y.ndim != 1:
            y = np.squeeze(y)
        if y.ndim != 1:
            raise DataError(
                _("{func}: 'outcome' must be 1-D (one value per unit); got shape {shape}.").format(
                    func=func, shape=np.shape(outcome)
                )
            )
    if len(y) != len(t.rows):
        raise DataError(
            _(
                "{func}: 'outcome' has {n_y} values but data has {n_rows} units (rows); give "
                "one outcome per unit, in the same order."
            ).format(func=func, n_y=len(y), n_rows=len(t.rows))
        )
    return y


def numeric_outcome(y, rows, *, func: str, method: str) -> np.ndarray:
    if isinstance(y, pd.Series | pd.Categorical) and isinstance(
        getattr(y, "dtype", None), pd.CategoricalDtype
    ):
        raise DataError(
            _(
                "{func}: the outcome is categorical; method={method!r} needs numbers. Use "
                "method='ordinal' for graded outcomes (e.g. 优秀/良好/一般/较差)."
            ).format(func=func, method=method)
        )
    try:
        v = np.asarray(pd.to_numeric(pd.Series(np.asarray(y, dtype=object)), errors="raise"), dtype=float)
    except (TypeError, ValueError):
        raise DataError(
            _(
                "{func}: the outcome is not numeric; method={method!r} needs numbers. Use "
                "method='ordinal' with levels=[...] (lowest first) for graded outcomes (e.g. "
                "较差<一般<良好<优秀)."
            ).format(func=func, method=method)
        ) from None
    return v


def ordinal_outcome(y, rows, levels, *, func: str):
    """Return (integer codes 0..K-1 or -1 for missing, levels lowest first)."""
    if levels is not None:
        levels = parse_levels(levels)
    elif isinstance(getattr(y, "dtype", None), pd.CategoricalDtype):
        if not y.dtype.ordered:
            raise SpecError(
                _(
                    "{func}: the outcome is an unordered Categorical; make it ordered "
                    "(pd.Categorical(..., categories=[lowest, ..., highest], ordered=True)) or "
                    "pass levels=[...]."
                ).format(func=func),
                key="levels",
            )
        levels = list(y.dtype.categories)
    else:
        values = pd.Series(np.asarray(y, dtype=object))
        nonmissing = values[values.notna()]
        if not all(isinstance(v, (int, float, np.number)) and not isinstance(v, bool) for v in nonmissing):
            raise SpecError(
                _(
                    "{func}: method='ordinal' needs the order of the grades: pass levels=[lowest, "
                    "..., highest] (or a string such as '优秀>良好>一般>较差'), or an ordered pandas "
                    "Categorical."
                ).format(func=func),
                key="levels",
            )
        levels = sorted(set(nonmissing))
    values = pd.Series(np.asarray(y, dtype=object))
    lookup = {lv: i for i, lv in enumerate(levels)}
    codes = np.array([lookup.get(v, -2) if pd.notna(v) else -1 for v in values], dtype=int)
    unknown = codes == -2
    if unknown.any():
        bad = sorted({str(v) for v in values[unknown]})
        raise DataError(
            _(
                "{func}: outcome value(s) {values} (rows {rows}) are "
                "not among levels {levels}. Fix the values or add them to 'levels'."
            ).format(
                func=func,
                values=names(bad),
                rows=names(rows[unknown]),
                levels=names(levels),
            ),
        )
    return codes, levels


def check_missing(x: np.ndarray, ymissing: np.ndarray, t: Table, *, func: str) -> None:
    if ymissing.any():
        raise DataError(
            _(
                "{func}: the outcome is missing (NaN) for rows {rows}. "
                "Drop those units or fill the outcome in."
            ).format(func=func, rows=names(t.rows[ymissing]))
        )
    check_no_nan(x, t.rows, t.cols, func=func)


def check_design(x: np.ndarray, cols: pd.Index, *, func: str) -> np.ndarray:
    """Raise ModelError for too few units, constant or collinear indicators; return z-scores."""
    n, p = x.shape
    if n < p + 2:
        raise ModelError(
            _(
                "{func}: {n} units for {p} indicators; a regression needs at least {n_min} "
                "units (more units than coefficients). Use fewer indicators or more units."
            ).format(func=func, n=n, p=p, n_min=p + 2)
        )
    const = constant_columns(x, cols)
    if const:
        raise ModelError(
            _(
                "{func}: indicator column(s) {columns} are constant, so their "
                "coefficients cannot be estimated (they are collinear with the intercept). "
                "Drop them."
            ).format(func=func, columns=names(const)),
            column=str(const[0]),
        )
    z = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
    r = (z.T @ z) / (n - 1)
    iu, ju = np.triu_indices(p, 1)
    high = np.abs(r[iu, ju]) > PAIR_R
    if high.any():
        pairs = [
            _("{a!r} and {b!r} (r = {r:.4f})").format(a=cols[i], b=cols[j], r=r[i, j])
            for i, j in zip(iu[high], ju[high])
        ]
        raise ModelError(
            _(
                "{func}: collinear indicators: {pairs}. Their separate effects "
                "cannot be identified (|r| > {pair_r}). Drop one of each pair or average them."
            ).format(func=func, pairs=_("; ").join(pairs[:8]), pair_r=PAIR_R),
            column=str(cols[iu[high][0]]),
        )
    lam, vec = np.linalg.eigh(r)
    small = lam < EIG_RATIO * lam[-1]
    if small.any():
        load = np.abs(vec[:, small]).max(axis=1)
        involved = cols[load > 0.1 * load.max()]
        cond = np.sqrt(lam[-1] / max(lam[0], np.finfo(float).tiny))
        raise ModelError(
            _(
                "{func}: collinear indicators: {columns} are (nearly) "
                "linearly dependent (one is a combination of the others; condition number "
                "{cond:.3g} of the standardised data). Drop one of them or combine them."
            ).format(func=func, columns=names(involved, limit=20), cond=cond),
            column=str(involved[0]),
        )
    return z
