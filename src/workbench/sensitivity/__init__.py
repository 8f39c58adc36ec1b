"""Uncertainty and sensitivity analysis of ranks and grades.

Which units' standing survives other reasonable choices, which choices matter, and how much each
block really counts:

- :func:`uncertainty`: Monte Carlo over weights (sets, Dirichlet or noise around the nominal),
  quotas, party weight or any spec field; rank intervals, grade probabilities, fragile units.
- :func:`sobol`: first-order and total Sobol' indices (SALib) of the mean rank change and of each
  unit's score; :func:`sobol_function` for any function of scalar factors.
- :func:`importance`: nominal vs effective weight (correlation ratios; the "2% problem").
- :func:`remove_one`: rank change when each component is dropped.

Every run is a variant scored by the one scoring kernel (:mod:`workbench.scoring.kernel`). With
``client=`` (a ``dask.distributed`` client) runs are drawn from the seed and scored on the workers,
and with ``keep_runs=False`` reduced there too (see ``docs/distributed.md``).

Typical use::

    from workbench import sensitivity as sa
    res = sa.uncertainty(rubric, data, None, {"weights": {"dirichlet": {"concentration": 50}}},
                         n=500, seed=1)
    res.fragile            # units whose grade depends on the weights
    sa.importance(rubric, data).table
"""

from ._importance import ImportanceResult, correlation_ratio, importance
from ._remove import RemoveOneResult, remove_one
from ._sobol import SobolResult, sobol, sobol_function
from ._uncertainty import UncertaintyResult, uncertainty

__all__ = [
    "uncertainty",
    "sobol",
    "sobol_function",
    "importance",
    "correlation_ratio",
    "remove_one",
    "UncertaintyResult",
    "SobolResult",
    "ImportanceResult",
    "RemoveOneResult",
]
