"""Revealed weights (policy capturing): regress an overall judgment on the indicators."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .._i18n import _
from .._rng import as_generator
from ..errors import ModelError, SpecError, WorkbenchWarning, check_option
from ._common import WeightResult, as_table, names
from ._design import check_design, check_missing, numeric_outcome, ordinal_outcome, take_outcome

__all__ = ["regression"]

_CHUNK = 256  # bootstrap draws per block: bounds memory at n_units x 256 floats


def regression(
    data,
    outcome,
    method="ols",
    *,
    levels=None,
    link="logit",
    standardise=True,
    ci=0.95,
    n_boot=1000,
    bootstrap="wild",
    seed=None,
) -> WeightResult:
    """Revealed weights: regress an overall judgment on the indicators (policy capturing).

    The indicators are standardised (z-scores, ddof=1) unless ``standardise=False``, so each
    coefficient is the outcome change per standard deviation of the indicator. Implied weights are
    the positive coefficients normalised to sum 1; negative coefficients are reported in the table
    and clipped to weight 0 (with a note).

    - ``"ols"``: ordinary least squares with an intercept (statsmodels ``OLS``); t-based CIs.
    - ``"nnls"``: least squares with coefficients >= 0 (scipy ``nnls``) and a free intercept
      (the data are centred, so the intercept is the outcome mean). CIs are bootstrap percentile
      intervals: ``bootstrap="wild"`` (default; Rademacher multipliers on the residuals, robust to
      heteroskedasticity, fast because the design stays fixed) or ``"pairs"`` (resample units;
      slower). ``p`` is NaN. Intervals of coefficients at the bound 0 are only indicative.
    - ``"ordinal"``: proportional-odds model (statsmodels ``OrderedModel``, ``link="logit"`` or
      ``"probit"``) for graded outcomes such as 优秀/良好/一般/较差. Give the order as an ordered
      pandas Categorical or ``levels=[lowest, ..., highest]`` (or the text ``"优秀>良好>一般>较差"``).

    Parameters
    ----------
    data : DataFrame or array of shape (n_units, n_indicators)
    outcome : Series, Categorical or array of shape (n_units,), or a column name of ``data``
        The overall judgment per unit (aligned by index when both are labelled).
    method : {"ols", "nnls", "ordinal"}, default="ols"
    levels : sequence or str, optional
        Order of the outcome's grades, lowest first (ordinal only).
    link : {"logit", "probit"}, default="logit"
    standardise : bool, default=True
    ci : float, default=0.95
    n_boot : int, default=1000
        Bootstrap draws (nnls only).
    bootstrap : {"wild", "pairs"}, default="wild"
    seed : int, Generator or None, default=None

    Returns
    -------
    WeightResult
        ``table`` has ``coef``, ``se``, ``ci_low``, ``ci_high``, ``p`` and ``weight`` per indicator;
        ``stats`` has ``n`` and ``r2``/``adj_r2`` (ols, nnls) or ``pseudo_r2`` (McFadden), ``llf``,
        ``thresholds`` and ``levels`` (ordinal).

    Raises
    ------
    ModelError
        Outcome with one level, constant or collinear indicators (named), too few units.
    DataError
        Length mismatch, missing values (rows named), non-numeric outcome for ols/nnls.

    References
    ----------
    Cooksey, R.W. (1996). Judgment Analysis: Theory, Methods, and Applications. Academic Press.
    Lawson, C.L. & Hanson, R.J. (1974). Solving Least Squares Problems. Prentice-Hall (NNLS).
    McCullagh, P. (1980). Regression models for ordinal data. JRSS B 42(2):109-142.
    Mammen, E. (1993). Bootstrap and wild bootstrap for high dimensional linear models.
    Annals of Statistics 21(1):255-285.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(0).normal(size=(200, 3))
    >>> y = x @ [0.5, 0.3, 0.2]
    >>> regression(x, y, standardise=False).weights.round(2).tolist()
    [0.5, 0.3, 0.2]
    """
    func = "regression"
    check_option(method, ["ols", "nnls", "ordinal"], name="method", func=func)
    check_option(link, ["logit", "probit"], name="link", func=func)
    check_option(bootstrap, ["wild", "pairs"], name="bootstrap", func=func)
    if not (isinstance(ci, float) and 0 < ci < 1):
        raise SpecError(
            _("The 'ci' parameter of {func} must be a float in (0, 1). Got {ci!r} instead.").format(
                func=func, ci=ci
            ),
            key="ci",
        )
    if isinstance(outcome, str) and isinstance(data, pd.DataFrame) and outcome in data.columns:
        data, outcome = data.drop(columns=outcome), data[outcome]
    t = as_table(data, func=func, min_rows=3, allow_nan=True)
    y = take_outcome(outcome, t, func=func)
    if method == "ordinal":
        codes, levels = ordinal_outcome(y, t.rows, levels, func=func)
        check_missing(t.values, codes < 0, t, func=func)
        present = np.unique(codes)
        if len(present) < 2:
            raise ModelError(
                _(
                    "{func}: the outcome has a single level ({level!r}) among {n} units; an "
                    "ordinal model needs at least two observed grades."
                ).format(func=func, level=levels[present[0]], n=len(codes))
            )
    else:
        yv = numeric_outcome(y, t.rows, func=func, method=method)
        check_missing(t.values, np.isnan(yv), t, func=func)
        if np.ptp(yv) == 0:
            raise ModelError(
                _(
                    "{func}: the outcome has a single level ({value:g} for all {n} units); nothing "
                    "to explain. Revealed weights need units that were judged differently."
                ).format(func=func, value=float(yv[0]), n=len(yv))
            )
    x = t.values
    z = check_design(x, t.cols, func=func)
    design = z if standardise else x - x.mean(axis=0)
    if method == "ols":
        table, stats = _ols(design, yv, ci)
    elif method == "nnls":
        if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 0:
            raise SpecError(
                _("The 'n_boot' parameter of {func} must be an int >= 0. Got {n_boot!r} instead.").format(
                    func=func, n_boot=n_boot
                )
            )
        table, stats = _nnls(design, yv, ci, int(n_boot), bootstrap, as_generator(seed))
    else:
        table, stats = _ordinal(design, codes, levels, present, link, ci)
    table.index = t.cols
    notes = []
    coef = table["coef"].to_numpy()
    neg = coef < 0
    if neg.any():
        notes.append(
            _("negative coefficient(s) for {columns}: weight set to 0 (clipped)").format(
                columns=names(t.cols[neg])
            )
        )
    pos = np.clip(coef, 0.0, None)
    if pos.sum() <= 0:
        raise ModelError(
            _(
                "{func}: no indicator has a positive coefficient, so no weights can be "
                "implied. Check the directions of the indicators and of the outcome (is a "
                "higher outcome better?)."
            ).format(func=func)
        )
    w = pos / pos.sum()
    table["weight"] = w
    stats.update(method=method, standardise=bool(standardise), ci=ci)
    notes += list(stats.pop("_notes", ()))
    return WeightResult(
        weights=pd.Series(w, index=t.cols, name="weight"),
        method="regression",
        variant=method,
        table=table,
        stats=stats,
        notes=tuple(notes),
    )


def _ols(z: np.ndarray, y: np.ndarray, ci: float):
    import statsmodels.api as sm

    n, p = z.shape
    res = sm.OLS(y, np.column_stack([np.ones(n), z])).fit()
    bounds = np.asarray(res.conf_int(alpha=1 - ci))[1:]
    table = pd.DataFrame(
        {
            "coef": res.params[1:],
            "se": res.bse[1:],
            "ci_low": bounds[:, 0],
            "ci_high": bounds[:, 1],
            "p": res.pvalues[1:],
        }
    )
    stats = {
        "n": n,
        "r2": float(res.rsquared),
        "adj_r2": float(res.rsquared_adj),
        "f_pvalue": float(res.f_pvalue),
        "sigma": float(np.sqrt(res.scale)),
        "intercept": float(res.params[0]),
    }
    return table, stats


def _nnls_gram(chol_l: np.ndarray, c: np.ndarray) -> np.ndarray:
    from scipy.linalg import solve_triangular
    from scipy.optimize import nnls

    # min ||Z b - y||^2 = ||L' b - L^{-1} Z'y||^2 + const with Z'Z = L L': a p x p problem.
    return nnls(chol_l.T, solve_triangular(chol_l, c, lower=True))[0]


def _nnls(z: np.ndarray, y: np.ndarray, ci: float, n_boot: int, bootstrap: str, rng):
    from scipy.linalg import cho_factor, solve_triangular
    from scipy.optimize import nnls

    n, p = z.shape
    zc = z - z.mean(axis=0)
    ybar = y.mean()
    gram = zc.T @ zc
    try:
        chol_l = np.tril(cho_factor(gram, lower=True)[0])
    except np.linalg.LinAlgError:  # pragma: no cover - excluded by check_design
        raise ModelError(_("regression: the indicators are collinear; NNLS cannot proceed.")) from None
    b = _nnls_gram(chol_l, zc.T @ (y - ybar))
    fitted = ybar + zc @ b
    resid = y - fitted
    sst = ((y - ybar) ** 2).sum()
    r2 = 1.0 - (resid**2).sum() / sst
    k = int((b > 0).sum())
    stats = {
        "n": n,
        "r2": float(r2),
        "adj_r2": float(1 - (1 - r2) * (n - 1) / max(n - k - 1, 1)),
        "intercept": float(ybar),
        "n_boot": n_boot,
        "bootstrap": bootstrap,
    }
    draws = np.empty((n_boot, p))
    if n_boot and bootstrap == "wild":
        gb = gram @ b
        # y* = fitted + e * v; zc is centred, so Z'(y* - mean y*) = G b + (Z * e)' v
        ze_t = np.ascontiguousarray((zc * resid[:, None]).T)
        for start in range(0, n_boot, _CHUNK):
            m = min(_CHUNK, n_boot - start)
            signs = (rng.integers(0, 2, size=(n, m), dtype=np.int8) * 2 - 1).astype(float)
            c = gb[:, None] + ze_t @ signs
            rhs = solve_triangular(chol_l, c, lower=True)
            for i in range(m):
                draws[start + i] = nnls(chol_l.T, rhs[:, i])[0]
    elif n_boot:
        for i in range(n_boot):
            idx = rng.integers(0, n, size=n)
            zb, yb = zc[idx], y[idx]
            zb = zb - zb.mean(axis=0)
            try:
                lb = np.tril(cho_factor(zb.T @ zb, lower=True)[0])
                draws[i] = _nnls_gram(lb, zb.T @ (yb - yb.mean()))
            except np.linalg.LinAlgError:
                draws[i] = nnls(zb, yb - yb.mean())[0]
    if n_boot >= 2:
        alpha = (1 - ci) / 2
        lo, hi = np.quantile(draws, [alpha, 1 - alpha], axis=0)
        se = draws.std(axis=0, ddof=1)
    else:
        lo = hi = se = np.full(p, np.nan)
    table = pd.DataFrame({"coef": b, "se": se, "ci_low": lo, "ci_high": hi, "p": np.full(p, np.nan)})
    if (b == 0).any() and n_boot:
        stats["_notes"] = [_("bootstrap intervals of coefficients at the bound 0 are only indicative")]
    return table, stats


def _ordinal(z: np.ndarray, codes: np.ndarray, levels: list, present: np.ndarray, link: str, ci: float):
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    n, p = z.shape
    # Refit only on observed grades: an unobserved grade has no threshold to estimate.
    dense = np.searchsorted(present, codes)
    model = OrderedModel(dense.astype(float), z, distr=link)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = model.fit(method="bfgs", disp=False, maxiter=5000, gtol=1e-8)
    params = np.asarray(res.params)
    bounds = np.asarray(res.conf_int(alpha=1 - ci))
    table = pd.DataFrame(
        {
            "coef": params[:p],
            "se": np.asarray(res.bse)[:p],
            "ci_low": bounds[:p, 0],
            "ci_high": bounds[:p, 1],
            "p": np.asarray(res.pvalues)[:p],
        }
    )
    thresholds = model.transform_threshold_params(params)[1:-1]
    notes = []
    absent = [levels[i] for i in range(len(levels)) if i not in set(present)]
    if absent:
        notes.append(
            _("level(s) {levels} never observed; thresholds estimated for the others").format(
                levels=names(absent)
            )
        )
    converged = bool(res.mle_retvals.get("converged", True))
    if not converged or np.abs(params[:p]).max() > 25:
        notes.append(_("the ordinal fit did not converge cleanly (possible separation); read CIs with care"))
        warnings.warn(
            _(
                "regression: the ordinal model did not converge cleanly (perhaps grades are "
                "perfectly separated by the indicators); coefficients may be unreliable."
            ),
            WorkbenchWarning,
            stacklevel=3,
        )
    stats = {
        "n": n,
        "pseudo_r2": float(res.prsquared),
        "llf": float(res.llf),
        "llnull": float(res.llnull),
        "aic": float(res.aic),
        "bic": float(res.bic),
        "link": link,
        "levels": tuple(levels[i] for i in present),
        "thresholds": tuple(float(v) for v in thresholds),
        "converged": converged,
        "_notes": notes,
    }
    return table, stats
