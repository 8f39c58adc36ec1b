"""Denomination as COINr's ``Denominate``: divide extensive indicators by a scale variable
(GDP, population, area...) named in the rubric's ``denominator`` metadata."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._i18n import _
from ..errors import DataError

__all__ = ["denominate", "denominators"]


def denominators(rubric) -> dict:
    """``{indicator: denominator column}`` for the rubric's indicators that have one."""
    return {c: rubric.nodes[c].denominator for c in rubric.indicators if rubric.nodes[c].denominator}


def denominate_array(values: np.ndarray, denoms: np.ndarray, has: np.ndarray, units, codes) -> np.ndarray:
    """``values / denoms`` for the columns where ``has`` is True; the others are left alone.

    Raises DataError naming units and indicators where a denominator is zero.
    """
    out = values.copy()
    d = denoms[:, has]
    zero = (d == 0) & ~np.isnan(values[:, has])
    if zero.any():
        rows, cols = np.nonzero(zero)
        where = sorted({f"{units[r]}/{np.asarray(codes)[has][c]}" for r, c in zip(rows, cols)})[:10]
        raise DataError(
            _(
                "denominate: the denominator is zero for unit/indicator {where}; a ratio "
                "cannot be formed. Fix the denominator data or remove the Denominator of these "
                "indicators."
            ).format(where=where),
        )
    with np.errstate(invalid="ignore"):
        out[:, has] = values[:, has] / d
    return out


def denominate(data, rubric, *, indicators=None):
    """Divide each indicator that has a ``denominator`` in the rubric by that column of ``data``.

    Parameters
    ----------
    data : DataFrame of shape (n_units, n_columns)
        Indicator columns and the denominator columns (e.g. ``GDP``, ``Population``).
    rubric : Rubric
        Gives each indicator's denominator (COINr iMeta ``Denominator``).
    indicators : list of str, optional
        Columns to return (default: the rubric's indicators).

    Returns
    -------
    DataFrame
        The indicator columns, denominated where the rubric says so.

    References
    ----------
    Becker, W. et al. (2022). COINr: An R package for developing composite indicators. JOSS 7(78).
    """
    codes = list(indicators or rubric.indicators)
    dens = denominators(rubric)
    needed = sorted({dens[c] for c in codes if c in dens})
    missing = [c for c in codes + needed if c not in data.columns]
    if missing:
        raise DataError(
            _(
                "denominate: the data have no column(s) {missing}; indicators and their "
                "denominators {needed} must be columns."
            ).format(missing=missing, needed=needed),
            column=missing[0],
        )
    values = data[codes].to_numpy(dtype=float, na_value=np.nan)
    denoms = np.full(values.shape, np.nan)
    has = np.array([c in dens for c in codes], dtype=bool)
    for j, c in enumerate(codes):
        if c in dens:
            denoms[:, j] = pd.to_numeric(data[dens[c]], errors="coerce").to_numpy(
                dtype=float, na_value=np.nan
            )
    out = denominate_array(values, denoms, has, list(data.index), codes)
    return pd.DataFrame(out, index=data.index, columns=codes)
