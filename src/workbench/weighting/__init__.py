"""Data-driven weights: entropy, CRITIC, PCA, optimised (target importance) and revealed weights.

Every function takes a table of units (rows) x indicators (columns) and returns a
:class:`WeightResult` whose ``weights`` are >= 0, sum to 1 and are indexed by indicator code.
``compare_weights`` puts stated and revealed weights side by side.
"""

from __future__ import annotations

from ._common import WeightResult
from ._compare import compare_weights
from ._objective import critic, entropy
from ._optimised import optimised
from ._pca import pca
from ._regression import regression

__all__ = ["WeightResult", "entropy", "critic", "pca", "regression", "optimised", "compare_weights"]
