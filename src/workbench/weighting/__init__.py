"""Data-driven weights: entropy, CRITIC, PCA, CV, standard deviation, independence, optimised
(target importance) and revealed weights; precedence-chart weights; combined weights.

Every function takes a table of units (rows) x indicators (columns) and returns a
:class:`WeightResult` whose ``weights`` are >= 0, sum to 1 and are indexed by indicator code.
``compare_weights`` puts stated and revealed weights side by side; ``combine`` merges several
weight vectors (组合赋权: multiplicative, linear, minimum relative entropy, game theory, maximising
deviation).
"""

from __future__ import annotations

from ._combine import CombinedWeights, combine
from ._common import WeightResult
from ._compare import compare_weights
from ._dispersion import cv, independence, std_dev
from ._objective import critic, entropy
from ._optimised import optimised
from ._pca import pca
from ._precedence import precedence_chart
from ._regression import regression

__all__ = [
    "WeightResult",
    "entropy",
    "critic",
    "pca",
    "regression",
    "optimised",
    "compare_weights",
    "cv",
    "std_dev",
    "independence",
    "precedence_chart",
    "combine",
    "CombinedWeights",
]
