"""Analysis of a composite-index build (COINr's ``get_stats``, ``get_corr``, ``get_corr_flags``,
``get_cronbach``, ``get_PCA``, ``get_opt_weights``, ``remove_elements``).

Every function takes the result of :func:`workbench.build_index` and returns an
:class:`AnalysisResult` (a table that renders itself, with its settings and notes). The obstacle
degree (障碍度: :func:`obstacles`, :func:`scorecard_obstacles`) says which indicators hold each
unit back.
"""

from __future__ import annotations

from ._common import AnalysisResult
from ._corr import correlation_flags, correlations
from ._obstacles import ObstacleResult, group_obstacles, obstacles, scorecard_obstacles, top_obstacles
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
    "obstacles",
    "top_obstacles",
    "group_obstacles",
    "scorecard_obstacles",
    "ObstacleResult",
]
