"""Imputation of missing indicator values as in COINr's ``Impute`` (``i_mean``, ``i_median``,
``i_mean_grp``, ``i_median_grp``): each indicator column on its own."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._i18n import _
from ..errors import DataError, check_option
from ._fields import IMPUTE_METHODS

__all__ = ["impute", "IMPUTE_METHODS"]


def _fill(values: np.ndarray, stat: str) -> np.ndarray:
    """Column statistic over non-NaN values (NaN for an all-NaN column, without a warning)."""
    ok = ~np.isnan(values)
    n = ok.sum(axis=0)
    out = np.full(values.shape[1], np.nan)
    has = n > 0
    if not has.any():
        return out
    if stat == "mean":
        out[has] = np.where(ok, values, 0.0).sum(axis=0)[has] / n[has]
    else:
        out[has] = np.nanmedian(values[:, has], axis=0)
    return out


def impute_array(values: np.ndarray, method: str, groups=None) -> tuple[np.ndarray, np.ndarray]:
    """Fill NaNs of ``values`` (units x indicators); returns (filled, number filled per column).

    ``groups`` (length n_units, labels; None/NaN = no group) is used by the group methods: a unit
    gets the mean/median of its own group; units without a group and columns where the whole
    group is missing stay NaN (as COINr's ``i_mean_grp`` with ``skip_f_na = TRUE``).
    """
    missing = np.isnan(values)
    out = values.copy()
    if not missing.any():
        return out, np.zeros(values.shape[1], dtype=int)
    stat = "mean" if method.endswith("mean") else "median"
    if method.startswith("group_"):
        codes, uniques = pd.factorize(pd.Series(groups), use_na_sentinel=True)
        for g in range(len(uniques)):
            rows = codes == g
            if missing[rows].any():
                fill = _fill(values[rows], stat)
                block = out[rows]
                out[rows] = np.where(np.isnan(block), fill, block)
    else:
        out = np.where(missing, _fill(values, stat), values)
    filled = (missing & ~np.isnan(out)).sum(axis=0)
    return out, filled


def impute(data, method="mean", *, group=None):
    """Impute missing values column by column.

    Parameters
    ----------
    data : DataFrame of shape (n_units, n_indicators)
    method : {"mean", "median", "group_mean", "group_median"}, default="mean"
    group : Series or sequence of length n_units, optional
        Group label of each unit (needed by the group methods), e.g. ``data["EurAsia_group"]``.

    Returns
    -------
    DataFrame
        Same shape; ``attrs["imputed"]`` counts the values filled per column.

    References
    ----------
    OECD/JRC (2008). Handbook on Constructing Composite Indicators, section 1.4 (imputation).

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"x": [1.0, None, 3.0, 10.0]})
    >>> impute(d, "group_mean", group=["a", "a", "a", "b"])["x"].tolist()
    [1.0, 2.0, 3.0, 10.0]
    """
    check_option(method, IMPUTE_METHODS, name="method", func="impute")
    if not isinstance(data, pd.DataFrame):
        raise DataError(
            _("impute: data must be a DataFrame of units x indicators; got {type_name}").format(
                type_name=type(data).__name__
            )
        )
    if method.startswith("group_"):
        if group is None:
            raise DataError(
                _("impute: method {method!r} needs 'group', one group label per unit.").format(method=method)
            )
        group = np.asarray(group, dtype=object)
        if group.shape != (len(data),):
            raise DataError(
                _("impute: 'group' has {n_labels} labels but data has {n_units} units.").format(
                    n_labels=group.size, n_units=len(data)
                )
            )
    values = data.to_numpy(dtype=float, na_value=np.nan)
    out, filled = impute_array(values, method, group)
    frame = pd.DataFrame(out, index=data.index, columns=data.columns)
    frame.attrs["imputed"] = dict(zip(data.columns, filled.tolist()))
    return frame
