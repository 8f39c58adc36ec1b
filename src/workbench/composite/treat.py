"""Outlier treatment as in COINr's ``Treat``: winsorise while skew and kurtosis are high, then log.

For each indicator whose skewness and kurtosis (sample-adjusted, as Excel's ``SKEW`` and ``KURT``)
satisfy ``|skew| >= 2`` and ``kurt >= 3.5``, the most extreme value on the skewed side is set to
the next value, the test is repeated, and so on up to ``winmax`` points. If the indicator still
fails, winsorisation is dropped and the ORIGINAL values are log-transformed instead:
``log(x - min + 0.01 (max - min))`` (COINr's ``log_CT``, its default second treatment).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .._i18n import _
from ..errors import DataError, SpecError, WorkbenchWarning, check_option
from ._fields import FALLBACKS, TREAT_DEFAULTS, canonical

__all__ = ["treat", "excel_skew", "excel_kurt", "TREAT_DEFAULTS", "FALLBACKS"]

DETAIL_COLUMNS = [
    "skew",
    "kurt",
    "treatment",
    "n_winsorised",
    "side",
    "skew_after",
    "kurt_after",
    "passes_after",
]


def _moments(x, axis=0):
    x = np.asarray(x, dtype=float)
    n = np.sum(~np.isnan(x), axis=axis)
    dev = x - np.nanmean(x, axis=axis, keepdims=True)
    m2 = np.nansum(dev**2, axis=axis)
    return n.astype(float), dev, m2


def _skew_from(n, dev, m2):
    m3 = np.nansum(dev**3, axis=0)
    g = np.sqrt(n) * m3 / m2**1.5 * np.sqrt(n * (n - 1)) / (n - 2)
    return np.where((n >= 3) & (m2 > 0), g, np.nan)


def _kurt_from(n, dev, m2):
    r = n * np.nansum(dev**4, axis=0) / m2**2
    k = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    return np.where((n >= 4) & (m2 > 0), k, np.nan)


def excel_skew(x, axis=0):
    """Sample-adjusted skewness, as Excel's ``SKEW`` and R's ``e1071::skewness(type = 2)``.

    ``n / ((n-1)(n-2)) * sum(((x - mean) / s)^3)`` with the sample standard deviation ``s``;
    NaNs are ignored; NaN when fewer than 3 values or no spread.

    >>> round(float(excel_skew([1, 2, 3, 10])), 4)
    1.7636
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        n, dev, m2 = _moments(x, axis)
        m3 = np.nansum(dev**3, axis=axis)
        g = np.sqrt(n) * m3 / m2**1.5 * np.sqrt(n * (n - 1)) / (n - 2)
    return np.where((n >= 3) & (m2 > 0), g, np.nan)


def excel_kurt(x, axis=0):
    """Sample-adjusted excess kurtosis, as Excel's ``KURT`` and ``e1071::kurtosis(type = 2)``.

    NaNs are ignored; NaN when fewer than 4 values or no spread.

    >>> round(float(excel_kurt([1, 2, 3, 10])), 4)
    3.228
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        n, dev, m2 = _moments(x, axis)
        r = n * np.nansum(dev**4, axis=axis) / m2**2
        k = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    return np.where((n >= 4) & (m2 > 0), k, np.nan)


_add = np.add.reduce  # the ndarray.sum / mean arithmetic without their Python wrappers


def _skew_kurt_1d(x):
    """Excel skew and kurtosis of a 1-D array without NaNs (the winsorisation loop's hot path)."""
    n = x.size
    dev = x - _add(x) / n  # = x.mean(): the same sum divided by the count
    d2 = dev * dev
    m2 = _add(d2)
    if n < 4 or not m2 > 0:
        return np.nan, np.nan
    s = np.sqrt(n) * _add(d2 * dev) / m2**1.5 * np.sqrt(n * (n - 1)) / (n - 2)
    r = n * _add(d2 * d2) / m2**2
    k = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    return float(s), float(k)


def _fails(x, skew_t, kurt_t):
    """COINr's ``check_SkewKurt`` inverted: fails when |skew| >= skew_t AND kurt >= kurt_t."""
    s, k = _skew_kurt_1d(x)
    return bool(abs(s) >= skew_t and k >= kurt_t), s, k


def _winsorise(x, winmax, skew_t, kurt_t):
    """Winsorise one column without NaNs; returns (values, n changed, side).

    Mirrors COINr's ``winsorise``: at each step every value tied at the extreme on the skewed
    side takes the next value; the count that stops the loop is the size of the last tied set
    (which grows by one per step on one side, because treated values stay tied at the top).
    """
    x = x.copy()
    n_hi = n_lo = 0
    fails, s, __ = _fails(x, skew_t, kurt_t)
    while fails and n_hi + n_lo < winmax:
        if s >= 0:
            top = x.max()
            at = x == top
            if at.all():
                break
            x[at] = x[~at].max()
            n_hi = int(at.sum())
        else:
            bottom = x.min()
            at = x == bottom
            if at.all():
                break
            x[at] = x[~at].min()
            n_lo = int(at.sum())
        fails, s, __ = _fails(x, skew_t, kurt_t)
    return x, fails


def _log_ct(x, plus):
    lo, hi = x.min(), x.max()
    a = 0.01 * (hi - lo)
    if plus and not _skew_kurt_1d(x)[0] > 0:
        return -np.log(hi + a - x), "log_ct_neg"
    return np.log(x - lo + a), "log_ct"


def _treat_column(col, params):
    """Treat one column (NaNs kept in place); returns (values, detail row)."""
    ok = ~np.isnan(col)
    x = col[ok]
    row = dict.fromkeys(DETAIL_COLUMNS, np.nan)
    row.update(treatment="none", n_winsorised=0, side="")
    if params is None:
        row["treatment"] = "none (override)"
        return col, row
    if x.size < 4:
        row["treatment"] = "skipped (fewer than 4 values)"
        return col, row
    fails, row["skew"], row["kurt"] = _fails(x, params["skew"], params["kurt"])
    new = x
    if fails:
        win, still = _winsorise(x, params["winmax"], params["skew"], params["kurt"])
        changed = win != x
        if not still:
            new = win
            row.update(treatment="winsorised", n_winsorised=int(changed.sum()))
            row["side"] = "high" if (win < x).any() else "low"
        elif params["fallback"] != "none":
            new, row["treatment"] = _log_ct(x, params["fallback"] == "log_ct_plus")
        else:
            new = win
            row.update(treatment="winsorised (still failing)", n_winsorised=int(changed.sum()))
            row["side"] = "high" if (win < x).any() else ("low" if changed.any() else "")
    fails_after, row["skew_after"], row["kurt_after"] = _fails(new, params["skew"], params["kurt"])
    row["passes_after"] = not fails_after
    out = col.copy()
    out[ok] = new
    return out, row


def column_params(treat_spec: dict, codes) -> list:
    """Per-column treatment parameters (``None`` = untreated) from a canonical ``treat`` field."""
    base = {k: treat_spec[k] for k in TREAT_DEFAULTS}
    over = treat_spec.get("overrides", {})
    out = []
    for c in codes:
        if c in over:
            out.append(None if over[c] is None else {**base, **over[c]})
        else:
            out.append(base)
    return out


def treat_array(values: np.ndarray, params: list, codes) -> tuple[np.ndarray, pd.DataFrame]:
    """Treat every column of ``values`` (units x indicators); returns (treated, details table).

    Skewness and kurtosis are computed for all columns at once; only failing columns enter the
    (sequential, as COINr's) winsorisation loop.
    """
    out = values.copy()
    with np.errstate(invalid="ignore", divide="ignore"):
        moments = _moments(values)  # shared by skew and kurtosis (as excel_skew, excel_kurt)
        s, k = _skew_from(*moments), _kurt_from(*moments)
    n_ok = moments[0]
    # details column by column: untreated columns keep their skew and kurtosis before and after
    cols = {
        "skew": s.copy(),
        "kurt": k.copy(),
        "treatment": ["none"] * len(params),
        "n_winsorised": [0] * len(params),
        "side": [""] * len(params),
        "skew_after": s.copy(),
        "kurt_after": k.copy(),
        "passes_after": [True] * len(params),
    }
    for j, p in enumerate(params):
        if p is None or n_ok[j] < 4 or (abs(s[j]) >= p["skew"] and k[j] >= p["kurt"]):
            out[:, j], row = _treat_column(values[:, j], p)
            for name in DETAIL_COLUMNS:
                cols[name][j] = row[name]
    details = pd.DataFrame(cols, index=pd.Index(list(codes), name="code"), columns=DETAIL_COLUMNS)
    skipped = [c for c, t in zip(codes, cols["treatment"]) if t.startswith("skipped")]
    if skipped:
        warnings.warn(
            _(
                "treat: indicator(s) {skipped} have fewer than 4 values, so kurtosis is "
                "undefined; they are left untreated."
            ).format(skipped=list(skipped)),
            WorkbenchWarning,
            stacklevel=3,
        )
    return out, details


def treat(data, *, winmax=5, skew=2.0, kurt=3.5, fallback="log_ct", overrides=None):
    """Treat outliers in every column of a table (COINr's ``Treat`` with its defaults).

    Parameters
    ----------
    data : DataFrame of shape (n_units, n_indicators)
    winmax : int, default=5
        Most points to winsorise per indicator.
    skew, kurt : float, default=2.0, 3.5
        An indicator fails when ``|skew| >= skew`` and ``kurtosis >= kurt`` (Excel-style).
    fallback : {"log_ct", "log_ct_plus", "none"}, default="log_ct"
        Used when winsorisation does not make the indicator pass, on the original values:
        ``log(x - min + 0.01 range)``; ``"log_ct_plus"`` uses ``-log(max + 0.01 range - x)`` for
        negatively skewed indicators (COINr's ``log_CT_plus``).
    overrides : dict, optional
        ``{column: {"winmax": ...} | None}``: other parameters for some columns, None = untreated.

    Returns
    -------
    treated : DataFrame
    details : DataFrame
        One row per column: skew and kurtosis before and after, treatment, points winsorised.

    References
    ----------
    OECD/JRC (2008). Handbook on Constructing Composite Indicators, section 1.5 (outliers).
    Becker, W. et al. (2022). COINr: An R package for developing composite indicators. JOSS 7(78).

    Examples
    --------
    >>> import pandas as pd
    >>> out, det = treat(pd.DataFrame({"x": [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 100]}))
    >>> det.loc["x", "treatment"], float(out["x"].max())
    ('winsorised', 9.0)
    """
    check_option(fallback, FALLBACKS, name="fallback", func="treat")
    spec_treat = canonical(
        "treat",
        {
            "winmax": winmax,
            "skew": skew,
            "kurt": kurt,
            "fallback": fallback,
            "overrides": overrides or {},
        },
    )
    if not isinstance(data, pd.DataFrame):
        raise DataError(
            _("treat: data must be a DataFrame of units x indicators; got {type_name}").format(
                type_name=type(data).__name__
            )
        )
    unknown = [c for c in (overrides or {}) if c not in set(data.columns)]
    if unknown:
        raise SpecError(
            _("treat: 'overrides' name unknown column(s) {unknown}.").format(unknown=unknown), key="overrides"
        )
    values = data.to_numpy(dtype=float, na_value=np.nan)
    params = column_params(spec_treat, list(data.columns))
    out, details = treat_array(values, params, list(data.columns))
    return pd.DataFrame(out, index=data.index, columns=data.columns), details
