"""Missing judgments: Harker's (1987) eigenvector method and Bozóki, Fülöp & Rónyai's (2010)
lambda_max-optimal completion."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._i18n import _
from ..errors import ModelError, check_option
from ._kernels import harker_matrix, perron
from ._validate import as_matrix, check_connected

__all__ = ["complete", "complete_array"]

_METHODS = ("harker", "bozoki")


def _harker(a: np.ndarray) -> np.ndarray:
    c, known = harker_matrix(a)
    with np.errstate(divide="ignore", invalid="ignore"):
        start = np.exp(np.where(known, np.log(a), 0.0).sum(axis=1) / known.sum(axis=1))
    w, __ = perron(c, start / start.sum())
    return np.where(known, a, w[:, None] / w[None, :])


def _bozoki(a: np.ndarray) -> np.ndarray:
    from scipy.optimize import minimize

    full = _harker(a)  # Harker's completion is a good (and feasible) starting point
    iu, ju = np.nonzero(np.triu(np.isnan(a), 1))

    def fill(x):
        m = full.copy()
        m[iu, ju] = np.exp(x)
        m[ju, iu] = np.exp(-x)
        return m

    def objective(x):
        # lambda_max is a convex function of the logs of the missing entries (Bozóki et al. 2010,
        # Theorem 2); its gradient is d(lambda)/d(a_ij) = v_i w_j / (v . w) with v, w the left and
        # right Perron vectors.
        m = fill(x)
        w, lam = perron(m)
        v, __ = perron(np.ascontiguousarray(m.T))
        vw = v @ w
        g = (m[iu, ju] * v[iu] * w[ju] - m[ju, iu] * v[ju] * w[iu]) / vw
        return lam, g

    x0 = np.log(full[iu, ju])
    res = minimize(objective, x0, jac=True, method="BFGS", options={"gtol": 1e-11, "maxiter": 500})
    if not np.all(np.isfinite(res.x)):  # pragma: no cover - convex problem; defensive only
        raise ModelError(
            _("complete: the lambda_max minimisation failed ({message}).").format(message=res.message)
        )
    return fill(res.x)


def complete_array(a: np.ndarray, method: str, *, labels=None, func: str = "complete") -> np.ndarray:
    """Completed copy of a checked ndarray (NaN = missing); the comparison graph must be connected."""
    check_connected(~np.isnan(a), labels, func=func)
    return _harker(a) if method == "harker" else _bozoki(a)


def complete(matrix, method="harker"):
    """Estimate the missing judgments of an incomplete pairwise matrix.

    Parameters
    ----------
    matrix : array-like or DataFrame of shape (n, n)
        Pairwise matrix with ``NaN`` for missing judgments. Its comparison graph (elements linked by
        a given judgment) must be connected.
    method : {"harker", "bozoki"}, default="harker"
        "harker": set missing a_ij to 0, add the number of missing judgments of each row to its
        diagonal, take the principal eigenvector w of that matrix and fill a_ij = w_i / w_j
        (Harker 1987). "bozoki": choose the missing entries that minimise lambda_max of the
        completed matrix, i.e. make it as consistent as possible (Bozóki, Fülöp & Rónyai 2010);
        solved over the logarithms of the missing entries, where the problem is convex, with BFGS
        and the analytic gradient, started from Harker's completion. The two methods give
        different values (they optimise different things).

    Returns
    -------
    ndarray or DataFrame of shape (n, n)
        The completed reciprocal matrix (given judgments unchanged).

    Raises
    ------
    JudgmentError
        If the comparison graph is not connected (the message names the separate groups).

    References
    ----------
    Harker, P.T. (1987) Incomplete pairwise comparisons in the analytic hierarchy process.
    Mathematical Modelling 9(11):837-848. Bozóki, S., Fülöp, J. & Rónyai, L. (2010) On optimal
    completion of incomplete pairwise comparison matrices. Math. Comput. Modelling 52:318-333.

    Examples
    --------
    >>> nan = float("nan")
    >>> m = complete([[1, 2, nan], [0.5, 1, 2], [nan, 0.5, 1]], method="bozoki")
    >>> round(float(m[0, 2]), 6)
    4.0
    """
    check_option(method, _METHODS, name="method", func="complete")
    a, labels = as_matrix(matrix, func="complete", allow_missing=True)
    if np.isnan(a).any():
        a = complete_array(a, method, labels=labels)
    return a if labels is None else pd.DataFrame(a, index=labels, columns=labels)
