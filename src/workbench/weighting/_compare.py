"""Stated versus revealed weights side by side."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..errors import SpecError, WorkbenchWarning
from ._common import names, weight_series

__all__ = ["compare_weights"]


def _as_series(name, value) -> pd.Series:
    s = weight_series(value, name, func="compare_weights")
    if s.index.has_duplicates:
        raise SpecError(
            f"compare_weights: weights {name!r} repeat indicator(s) {names(s.index[s.index.duplicated()])}."
        )
    bad = s[(s < 0) | ~np.isfinite(s)]
    if len(bad):
        raise SpecError(
            f"compare_weights: weights {name!r} hold negative or missing values for {names(bad.index)}; "
            "weights must be finite and >= 0.",
            key=name,
            column=str(bad.index[0]),
        )
    if s.sum() <= 0:
        raise SpecError(f"compare_weights: weights {name!r} are all zero.", key=name)
    return s / s.sum()


def compare_weights(**named_weights) -> pd.DataFrame:
    """Put weights from several methods side by side (indicators x methods), as shares.

    Each argument is a weight vector: a :class:`WeightResult`, a Series or mapping by indicator code,
    or an array (matched by position). Each is rescaled to sum 1 (points such as 20/30/50 become
    shares), so stated (expert, AHP, rubric points) and revealed (regression) weights compare
    directly. Indicators missing from a method are NaN (with a warning).

    Parameters
    ----------
    **named_weights : WeightResult, Series, mapping or array
        The column name is the keyword, e.g. ``stated=rubric_points, revealed=reg_result``.

    Returns
    -------
    DataFrame of shape (n_indicators, n_methods)
        ``attrs["rank_correlation"]`` holds the Spearman rank correlation between methods and
        ``attrs["kendall_tau"]`` Kendall's tau (pairwise complete indicators).

    References
    ----------
    Spearman, C. (1904). The proof and measurement of association between two things.
    American Journal of Psychology 15(1):72-101.

    Examples
    --------
    >>> t = compare_weights(stated={"a": 20, "b": 30, "c": 50}, revealed={"a": 0.5, "b": 0.3, "c": 0.2})
    >>> float(t.attrs["rank_correlation"].loc["stated", "revealed"])
    -1.0
    """
    if not named_weights:
        raise SpecError(
            "compare_weights: give at least one weight vector, e.g. compare_weights(stated=w1, revealed=w2)."
        )
    series = {name: _as_series(name, v) for name, v in named_weights.items()}
    table = pd.concat(series, axis=1, sort=False)
    table.index.name = "indicator"
    missing = table.index[table.isna().any(axis=1)]
    if len(missing):
        warnings.warn(
            f"compare_weights: indicator(s) {names(missing)} are missing from some methods (left NaN); "
            "rank correlations use the indicators common to each pair.",
            WorkbenchWarning,
            stacklevel=2,
        )
    table.attrs["rank_correlation"] = table.corr(method="spearman")
    table.attrs["kendall_tau"] = table.corr(method="kendall")
    return table
