"""Analysis of a composite-index build (COINr's ``get_stats``, ``get_corr``, ``get_corr_flags``,
``get_cronbach``, ``get_PCA``, ``get_opt_weights``, ``remove_elements``).

Every function takes the result of :func:`workbench.build_index` and returns an
:class:`AnalysisResult` (a table that renders itself, with its settings and notes).
"""

from __future__ import annotations

from ._common import AnalysisResult
from ._corr import correlation_flags, correlations
from ._stats import cronbach_alpha, indicator_stats
from ._weights import effective_weights, optimised_weights, pca_weights, removal_impact

__all__ = [
    "AnalysisResult",
    "indicator_stats",
    "correlations",
    "correlation_flags",
    "cronbach_alpha",
    "effective_weights",
    "pca_weights",
    "optimised_weights",
    "removal_impact",
]
