"""Indicator statistics with flags, and Cronbach's alpha per block (COINr ``get_stats``,
``get_cronbach``)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .._i18n import _
from ..composite.treat import excel_kurt, excel_skew
from ._common import AnalysisResult, blocks, check_build, table_of

__all__ = ["indicator_stats", "cronbach_alpha"]


def indicator_stats(
    result, table="raw", *, t_skew=2.0, t_kurt=3.5, t_avail=0.65, t_zero=0.5, t_unique=0.5
) -> AnalysisResult:
    """Statistics of every indicator in one table of a build, with flags.

    Parameters
    ----------
    result : IndexResult or DataFrame
        A build (its ``table``), or a table of units x indicators.
    table : str, default="raw"
        ``"raw"``, ``"treated"``, ``"normalised"``... (a build's ``tables``).
    t_skew, t_kurt : float, default=2.0, 3.5
        Flag ``skew_kurt`` when ``|skew| > t_skew`` and ``kurt > t_kurt`` (Excel-style statistics).
    t_avail : float, default=0.65
        Flag ``availability`` when the share of units with a value is below this.
    t_zero : float, default=0.5
        Flag ``zeros`` when the share of zeros (among available values) is above this.
    t_unique : float, default=0.5
        Flag ``unique`` when distinct values / available values is below this.

    Returns
    -------
    AnalysisResult
        ``table`` per indicator: n, availability, min, max, mean, median, sd, skew, kurt,
        share_zeros, n_unique, share_unique, the four flag columns and ``flagged`` (their names).

    References
    ----------
    OECD/JRC (2008). Handbook on Constructing Composite Indicators, section 1.5 and step 4.
    Becker, W. et al. (2022). COINr: An R package for developing composite indicators. JOSS 7(78).
    """
    data = result if isinstance(result, pd.DataFrame) else table_of(result, table, "indicator_stats")
    if not isinstance(result, pd.DataFrame):
        data = data[list(result.rubric.indicators)]
    x = data.to_numpy(dtype=float, na_value=np.nan)
    ok = ~np.isnan(x)
    n_ok = ok.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns give NaN statistics
        unique = np.array([np.unique(x[ok[:, j], j]).size for j in range(x.shape[1])])
        t = pd.DataFrame(
            {
                "n": n_ok,
                "availability": n_ok / max(len(x), 1),
                "min": np.nanmin(x, axis=0),
                "max": np.nanmax(x, axis=0),
                "mean": np.nanmean(x, axis=0),
                "median": np.nanmedian(x, axis=0),
                "sd": np.nanstd(x, axis=0, ddof=1),
                "skew": excel_skew(x),
                "kurt": excel_kurt(x),
                "share_zeros": (x == 0).sum(axis=0) / n_ok,
                "n_unique": unique,
                "share_unique": unique / n_ok,
            },
            index=pd.Index(data.columns, name="code"),
        )
    t["flag_skew_kurt"] = (t["skew"].abs() > t_skew) & (t["kurt"] > t_kurt)
    t["flag_availability"] = t["availability"] < t_avail
    t["flag_zeros"] = t["share_zeros"] > t_zero
    t["flag_unique"] = t["share_unique"] < t_unique
    flag_cols = ["flag_skew_kurt", "flag_availability", "flag_zeros", "flag_unique"]
    t["flagged"] = [", ".join(c[5:] for c in flag_cols if row[c]) for __, row in t[flag_cols].iterrows()]
    facts = {"table": table if not isinstance(result, pd.DataFrame) else "data", "indicators": len(t)}
    facts.update({c[5:]: int(t[c].sum()) for c in flag_cols})
    facts.update(t_skew=t_skew, t_kurt=t_kurt, t_avail=t_avail, t_zero=t_zero, t_unique=t_unique)
    return AnalysisResult(table=t, kind="indicator_stats", facts=facts)


def _alpha(x: np.ndarray) -> float:
    """Cronbach's alpha of the columns of ``x`` (complete rows)."""
    k = x.shape[1]
    total = x.sum(axis=1)
    var_sum = x.var(axis=0, ddof=1).sum()
    var_tot = total.var(ddof=1)
    return float(k / (k - 1) * (1 - var_sum / var_tot)) if var_tot > 0 else np.nan


def cronbach_alpha(result, *, table="scores") -> AnalysisResult:
    """Cronbach's alpha of the children of every aggregate (units with all children present).

    Parameters
    ----------
    result : IndexResult
    table : str, default="scores"
        Values of the children: ``"scores"`` (normalised indicators and aggregates).

    Returns
    -------
    AnalysisResult
        ``table`` per aggregate: level, n_children, n_units (complete cases), alpha.

    References
    ----------
    Cronbach, L.J. (1951). Coefficient alpha and the internal structure of tests. Psychometrika
    16(3):297-334.
    """
    check_build(result, "cronbach_alpha")
    data = table_of(result, table, "cronbach_alpha")
    levels = result.rubric.levels()
    rows, notes = [], []
    for parent, kids in blocks(result.rubric).items():
        x = data[kids].dropna().to_numpy(dtype=float)
        alpha = _alpha(x) if len(kids) > 1 and len(x) > 2 else np.nan
        if len(kids) < 2:
            notes.append(_("{parent} has one child: alpha is undefined").format(parent=parent))
        rows.append(
            {
                "code": parent,
                "level": int(levels[parent]),
                "n_children": len(kids),
                "n_units": len(x),
                "alpha": alpha,
            }
        )
    t = pd.DataFrame(rows).set_index("code")
    return AnalysisResult(table=t, kind="cronbach_alpha", facts={"blocks": len(t)}, notes=tuple(notes))
