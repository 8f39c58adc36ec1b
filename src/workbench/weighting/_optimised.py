"""Optimised weights (Becker et al. 2017): weights whose importance matches a target."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import DataError, check_option
from ._common import WeightResult, as_table, as_weights, constant_columns, names

__all__ = ["optimised"]


def _importance(w: np.ndarray, cov: np.ndarray, measure: str):
    """Normalised importance of each component for index y = sum w x, and its Jacobian in w.

    With s = cov @ w, corr(y, x_j)^2 = s_j^2 / (var(y) cov_jj); after normalising, var(y) cancels,
    so importance_j = a_j / sum(a) with a_j = s_j^2 / cov_jj ("r2") or s_j / sqrt(cov_jj) ("r").
    """
    s = cov @ w
    diag = np.diag(cov)
    if measure == "r2":
        a = s**2 / diag
        da = 2 * (s / diag)[:, None] * cov
    else:
        a = s / np.sqrt(diag)
        da = cov / np.sqrt(diag)[:, None]
    total = a.sum()
    imp = a / total
    jac = da / total - np.outer(imp, da.sum(axis=0)) / total
    return imp, jac


def optimised(components, target=None, *, measure="r2", tol=1e-12, max_iter=1000) -> WeightResult:
    """Weights whose importance in the index matches a target (Becker et al. 2017).

    The index is the weighted arithmetic mean ``y = sum_j w_j x_j`` of the (already normalised)
    components. The importance of component j is its squared Pearson correlation with the index
    (the first-order correlation ratio estimated by a linear fit, ``measure="r2"``, as Becker et
    al.) normalised to sum 1; ``measure="r"`` uses the plain correlation (COINr's "balance"
    option). Weights on the simplex (``w >= 0``, ``sum w = 1``) minimise
    ``sum_j (importance_j - target_j)^2`` (SLSQP with the analytic gradient, started from equal
    weights). Nominal weights and importance differ whenever components are correlated or have
    unequal variances; this finds the weights that give the intended importance.

    Parameters
    ----------
    components : DataFrame or array of shape (n_units, n_components)
        Normalised indicators (or sub-indices) to be aggregated.
    target : sequence or mapping of float, optional
        Target importance per component (normalised to sum 1); default equal importance.
    measure : {"r2", "r"}, default="r2"
    tol : float, default=1e-12
        Convergence tolerance of the objective.
    max_iter : int, default=1000

    Returns
    -------
    WeightResult
        ``table`` has ``weight``, ``importance`` (achieved) and ``target``; ``stats`` has the final
        ``objective`` (sum of squared gaps) and ``success``.

    References
    ----------
    Becker, W., Saisana, M., Paruolo, P. & Vandecasteele, I. (2017). Weights and importance in
    composite indicators: Closing the gap. Ecological Indicators 80:12-22.
    Paruolo, P., Saisana, M. & Saltelli, A. (2013). Ratings and rankings: voodoo or science?
    JRSS A 176(3):609-634.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(0).normal(size=(500, 2)) * [1.0, 3.0]
    >>> optimised(x).weights.round(2).tolist()  # the wider component needs less weight
    [0.75, 0.25]
    """
    from scipy.optimize import minimize  # imported here: keeps `import workbench.weighting` light

    func = "optimised"
    check_option(measure, ["r2", "r"], name="measure", func=func)
    t = as_table(components, func=func, name="components", min_rows=3)
    const = constant_columns(t.values, t.cols)
    if const:
        raise DataError(
            f"{func}: component(s) {names(const)} are constant, so their correlation with the index is "
            "undefined. Drop them.",
            column=str(const[0]),
        )
    p = t.values.shape[1]
    goal = np.full(p, 1.0 / p) if target is None else as_weights(target, t.cols, func=func, name="target")
    cov = np.cov(t.values, rowvar=False).reshape(p, p)

    def objective(w):
        imp, jac = _importance(w, cov, measure)
        gap = imp - goal
        return float(gap @ gap), 2 * gap @ jac

    res = minimize(
        objective,
        np.full(p, 1.0 / p),
        jac=True,
        method="SLSQP",
        bounds=[(0.0, 1.0)] * p,
        constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1.0, "jac": lambda w: np.ones_like(w)}],
        options={"ftol": tol, "maxiter": max_iter},
    )
    w = np.clip(res.x, 0.0, None)
    w = w / w.sum()
    imp, _ = _importance(w, cov, measure)
    gap = float(((imp - goal) ** 2).sum())
    notes = []
    if gap > 1e-6:
        notes.append(
            f"the target importance is not reachable with non-negative weights (sum of squared gaps {gap:.3g})"
        )
    table = pd.DataFrame({"weight": w, "importance": imp, "target": goal}, index=t.cols)
    return WeightResult(
        weights=pd.Series(w, index=t.cols, name="weight"),
        method="optimised",
        variant=measure,
        table=table,
        stats={"objective": gap, "success": bool(res.success), "n_iter": int(res.nit), "measure": measure},
        notes=tuple(notes),
    )
