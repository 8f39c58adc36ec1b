"""Robust statistics on (units x periods) grids: median/MAD z-scores among peers and over time.

Every function works on one indicator's grid ``x`` of shape (U, T) (NaN where a unit did not
file); peers and series are handled with whole-array operations, one slice per peer group.

References
----------
Iglewicz, B. & Hoaglin, D. C. (1993). How to Detect and Handle Outliers. ASQC Quality Press
(modified z-scores: median and MAD, MAD scaled by 1.4826 to estimate the SD of a normal sample,
|z| > 3.5 as the usual threshold).
Leys, C. et al. (2013). Detecting outliers: Do not use standard deviation around the mean, use
absolute deviation around the median. J. Exp. Soc. Psychol. 49(4):764-766.
"""

from __future__ import annotations

import warnings

import numpy as np

__all__ = ["MAD_SCALE", "MEANAD_SCALE", "robust_z_rows", "peer_z", "loo_median", "series_change_z"]

MAD_SCALE = 1.4826  # 1 / Phi^-1(3/4): the MAD of a normal sample times this estimates its SD
MEANAD_SCALE = 1.2533  # sqrt(pi/2): the same for the mean absolute deviation (used when MAD = 0)


def _median_rows(x: np.ndarray) -> np.ndarray:
    """Median of each row, NaNs skipped (NaN for an empty row).

    Short rows (a unit's periods) are sorted, which numpy does fast row by row; long rows (a peer
    group) use the partition-based median.
    """
    if x.shape[1] > 64:
        if not np.isnan(x).any():
            return np.median(x, axis=1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows give NaN, as intended
            return np.nanmedian(x, axis=1)
    s = np.sort(x, axis=1)  # NaN sorts last
    c = (~np.isnan(x)).sum(axis=1)
    rows = np.arange(x.shape[0])
    lo = s[rows, np.maximum((c - 1) // 2, 0)]
    hi = s[rows, np.maximum(c // 2, 0)]
    return np.where(c > 0, (lo + hi) / 2, np.nan)


def robust_z_rows(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Robust z of every value against its own row: (z, median, scale), median and scale (rows,).

    scale = 1.4826 MAD; where the MAD is 0 (more than half the values equal), 1.2533 times the mean
    absolute deviation from the median is used instead (Iglewicz & Hoaglin's rule), so a single value
    away from an otherwise constant row still stands out; where both are 0, z = 0.
    """
    med = _median_rows(x)
    dev = np.abs(x - med[:, None])
    scale = MAD_SCALE * _median_rows(dev)
    zero = ~(scale > 0) & ~np.isnan(med)
    if zero.any():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            scale[zero] = MEANAD_SCALE * np.nanmean(dev[zero], axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(scale[:, None] > 0, (x - med[:, None]) / scale[:, None], 0.0)
    z[np.isnan(x)] = np.nan
    return z, med, scale


def peer_z(x: np.ndarray, bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Robust z of each unit against the units of its peer group in the same period.

    Parameters
    ----------
    x : array (U, T), units sorted so each peer group is a contiguous block of rows
    bounds : int array (G + 1,)
        Row boundaries of the groups: group g is rows ``bounds[g]:bounds[g + 1]``.

    Returns
    -------
    z, median, scale : arrays (U, T) (median and scale broadcast to each unit)
    """
    z = np.full(x.shape, np.nan)
    med = np.full(x.shape, np.nan)
    scale = np.full(x.shape, np.nan)
    for a, b in zip(bounds[:-1], bounds[1:]):
        zz, m, sc = robust_z_rows(np.ascontiguousarray(x[a:b].T))  # one row per period
        z[a:b], med[a:b], scale[a:b] = zz.T, m[None, :], sc[None, :]
    return z, med, scale


def loo_median(x: np.ndarray) -> np.ndarray:
    """Median of each unit's other periods (leave one out), on a grid (U, T), NaNs skipped.

    One sort per unit: removing a value below the middle leaves the upper middle order statistics,
    and vice versa, so each leave-one-out median is one of three candidates per unit.
    """
    U, T = x.shape
    s = np.sort(x, axis=1)  # NaN sorts last
    if T >= 2 and not np.isnan(s[:, -1]).any():  # every unit filed every period: fixed positions
        if T % 2 == 0:
            lo, hi = s[:, T // 2 - 1 : T // 2], s[:, T // 2 : T // 2 + 1]
            return np.where(x <= lo, hi, lo)
        h = (T - 1) // 2
        sm1, s0 = s[:, h - 1 : h], s[:, h : h + 1]
        sp1 = s[:, h + 1 : h + 2] if T >= 3 else s0
        return np.where(x < s0, (s0 + sp1) / 2, np.where(x > s0, (sm1 + s0) / 2, (sm1 + sp1) / 2))
    c = (~np.isnan(x)).sum(axis=1)  # valid values per unit
    rows = np.arange(U)

    def order_stat(k):
        return s[rows, np.clip(k, 0, T - 1)]

    out = np.full(x.shape, np.nan)
    even_c = (c % 2 == 0) & (c >= 2)  # r odd: one middle value of the remaining
    lo, hi = order_stat(c // 2 - 1), order_stat(c // 2)
    val = np.where(x <= lo[:, None], hi[:, None], lo[:, None])
    out = np.where(even_c[:, None], val, out)
    odd_c = (c % 2 == 1) & (c >= 3)  # r even: mean of two middle values of the remaining
    h = (c - 1) // 2
    sm1, s0, sp1 = order_stat(h - 1)[:, None], order_stat(h)[:, None], order_stat(h + 1)[:, None]
    val = np.where(x < s0, (s0 + sp1) / 2, np.where(x > s0, (sm1 + s0) / 2, (sm1 + sp1) / 2))
    out = np.where(odd_c[:, None], val, out)
    out[np.isnan(x)] = np.nan
    return out


def series_change_z(
    x: np.ndarray, consecutive: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Robust z of each period-to-period change against the same unit's other changes.

    ``consecutive`` (T,) marks the periods that directly follow the previous column (a change
    across a gap is not a period-to-period change and is left out).

    Returns
    -------
    z : array (U, T), NaN in the first period and after a gap
    change : array (U, T), x_t - x_{t-1}
    scale : array (U,), the robust scale of the unit's changes
    """
    d = np.full(x.shape, np.nan)
    d[:, 1:] = x[:, 1:] - x[:, :-1]
    if consecutive is not None:
        d[:, ~np.asarray(consecutive, dtype=bool)] = np.nan
    z, __, scale = robust_z_rows(d)
    return z, d, scale
