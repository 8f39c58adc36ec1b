"""Unit screening by data availability, as COINr's ``Screen(unit_screen = "byNA")``."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._i18n import _
from ..errors import DataError, SpecError

__all__ = ["screen"]


def availability(values: np.ndarray) -> np.ndarray:
    """Share of indicators with a value, per unit (row)."""
    if values.shape[1] == 0:
        return np.zeros(values.shape[0])
    return (~np.isnan(values)).sum(axis=1) / values.shape[1]


def screen_array(values: np.ndarray, min_share: float) -> tuple[np.ndarray, np.ndarray]:
    """Rows to keep (availability >= ``min_share``) and the availability of every row."""
    share = availability(values)
    return share >= min_share, share


def screen(data, *, min_share=0.66):
    """Drop units whose share of available indicator values is below ``min_share``.

    Parameters
    ----------
    data : DataFrame of shape (n_units, n_indicators)
    min_share : float in [0, 1], default=0.66

    Returns
    -------
    kept : DataFrame
        The rows kept; ``attrs["dropped"]`` lists the units removed.
    availability : Series
        Share of indicators with data, per unit.

    References
    ----------
    Becker, W. et al. (2022). COINr: An R package for developing composite indicators. JOSS 7(78).

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"a": [1.0, None], "b": [2.0, None]}, index=["u1", "u2"])
    >>> screen(d, min_share=0.5)[0].index.tolist()
    ['u1']
    """
    if not isinstance(min_share, (int, float)) or isinstance(min_share, bool) or not 0 <= min_share <= 1:
        raise SpecError(
            _(
                "The 'min_share' parameter of screen must be a number in [0, 1]. Got {min_share!r} instead."
            ).format(min_share=min_share),
            key="min_share",
        )
    if not isinstance(data, pd.DataFrame):
        raise DataError(
            _("screen: data must be a DataFrame of units x indicators; got {type_name}").format(
                type_name=type(data).__name__
            )
        )
    keep, share = screen_array(data.to_numpy(dtype=float, na_value=np.nan), float(min_share))
    kept = data.loc[keep]
    kept.attrs["dropped"] = list(data.index[~keep])
    return kept, pd.Series(share, index=data.index, name="availability")
