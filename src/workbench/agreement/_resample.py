"""Panel resampling: how likely is a unit's grade to change if another panel rated it?"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._i18n import _
from .._results import ResultMixin
from .._rng import as_generator
from ..errors import DataError, SpecError, check_option
from ._bands import as_bands, grade_scores
from ._common import as_ratings, complete_cases, two_way_anova

__all__ = ["RegradeResult", "regrade_probability"]

_CHUNK = 2**22  # simulated scores held in memory at once (draws x units)


@dataclass(frozen=True, repr=False)
class RegradeResult(ResultMixin):
    """Result of :func:`regrade_probability`.

    Attributes
    ----------
    probability : Series indexed by unit
        Probability that another panel gives the unit a different grade.
    table : DataFrame indexed by unit
        score (observed panel mean), grade, n_raters, true_score (the centre of the simulation),
        p_change, p_up, p_down and one ``p_<grade>`` column per grade.
    sigma_error, sigma_rater, sigma_true : float
        Residual (rater x unit) SD, SD of rater leniency, SD of true scores (two-way ANOVA).
    icc_single : float
        Absolute-agreement ICC of one rater implied by those variances.
    n_draws : int
    draws : ndarray of shape (n_draws, n_units) or None
        Simulated grade codes (0 = worst) when ``return_draws=True``.
    """

    probability: pd.Series
    table: pd.DataFrame
    sigma_error: float
    sigma_rater: float
    sigma_true: float
    icc_single: float
    n_draws: int
    draws: np.ndarray | None = None

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def _summary_title(self) -> str:
        return _("Probability of a different grade from another panel ({n} simulated panels)").format(
            n=self.n_draws
        )

    def _summary_facts(self) -> dict:
        return {
            _("error SD"): self.sigma_error,
            _("rater leniency SD"): self.sigma_rater,
            _("true-score SD"): self.sigma_true,
            _("mean P(change)"): float(self.probability.mean()),
        }


def regrade_probability(
    ratings,
    bands,
    n: int = 1000,
    seed=None,
    *,
    leniency: bool = False,
    true_score: str = "kelley",
    return_draws: bool = False,
) -> RegradeResult:
    """Probability that each unit's grade changes if another panel of the same size rated it.

    The variance components come from the two-way ANOVA of the complete units (as in the ICC):
    residual (rater x unit) variance MSE, rater variance (MSC - MSE) / n_units and true-score
    variance (MSR - MSE) / k. Each simulated panel gives unit u the mean score
    T_u + e_u (+ b_u), with e_u ~ N(0, sigma_error^2 / k_u) for its k_u raters and, with
    ``leniency=True``, b_u the mean leniency of those raters, drawn once per panel from
    N(0, sigma_rater^2) (shared by the units a rater rates). All draws are one array of shape
    (n, n_units).

    Parameters
    ----------
    ratings : DataFrame or array of shape (n_units, n_raters)
        Scores of the current panel; NaN = missing (the new panel misses the same cells).
    bands : dict {grade: lower bound} or ascending sequence of thresholds
        Grades of the panel mean, e.g. ``{"优秀": 90, "良好": 80, "一般": 60, "较差": 0}``.
    n : int, default=1000
        Number of simulated panels.
    seed : int, Generator or None, default=None
    leniency : bool, default=False
        Also draw each new rater's leniency. False keeps the current panel's overall leniency.
    true_score : {"kelley", "observed"}, default="kelley"
        "observed" centres each unit on its observed mean. "kelley" uses the posterior of the true
        score given the observed mean (Kelley's shrinkage m + rel_u (mean_u - m), with posterior
        variance sigma_true^2 (1 - rel_u)), so extreme panels regress to the mean.
    return_draws : bool, default=False
        Keep the simulated grade codes (int8, n x n_units).

    Returns
    -------
    RegradeResult

    Raises
    ------
    DataError
        Fewer than 2 raters or fewer than 2 complete units (for the ANOVA).
    SpecError
        Bad ``n``, ``bands`` or ``true_score``.

    References
    ----------
    Shrout, P.E. & Fleiss, J.L. (1979). Psychological Bulletin 86(2), 420-428.
    Kelley, T.L. (1947). Fundamentals of Statistics. Harvard University Press (true-score estimate).

    Examples
    --------
    >>> x = [[92, 88, 90], [85, 79, 83], [70, 75, 72], [61, 58, 66]]
    >>> res = regrade_probability(x, {"优秀": 90, "良好": 80, "一般": 60, "较差": 0}, n=200, seed=1)
    >>> bool(res.probability.between(0, 1).all())
    True
    """
    check_option(true_score, ["kelley", "observed"], name="true_score", func="regrade_probability")
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
        raise SpecError(
            _(
                "The 'n' parameter of regrade_probability must be a positive integer. Got {n!r} instead."
            ).format(n=n)
        )
    bd = as_bands(bands, func="regrade_probability")
    rng = as_generator(seed)
    full = as_ratings(ratings, func="regrade_probability")
    a = two_way_anova(complete_cases(full, func="regrade_probability").values)
    var_e = a["mse"]
    var_r = max((a["msc"] - a["mse"]) / a["n"], 0.0)
    var_t = max((a["msr"] - a["mse"]) / a["k"], 0.0)

    x = full.values
    mask = ~np.isnan(x)
    k_u = mask.sum(axis=1)
    if np.any(k_u == 0):
        raise DataError(
            _(
                "regrade_probability: {n} unit(s) have no rating at all, so they have "
                "no grade; e.g. {unit!r}."
            ).format(n=int((k_u == 0).sum()), unit=full.units[np.flatnonzero(k_u == 0)[0]]),
            hint=_("drop units nobody rated"),
        )
    observed = np.where(mask, x, 0).sum(axis=1) / k_u
    obs_codes = grade_scores(bd, observed, func="regrade_probability")
    err_var = (var_e + (var_r if leniency else 0.0)) / k_u
    if true_score == "kelley":
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = np.where(var_t + err_var > 0, var_t / (var_t + err_var), 0.0)
        grand = observed.mean()
        centre = grand + rel * (observed - grand)
        post_sd = np.sqrt(var_t * (1 - rel))
    else:
        centre, post_sd = observed, np.zeros_like(observed)
    noise_sd = np.sqrt(var_e / k_u)
    share = mask / k_u[:, None]  # unit u's mean over its raters' leniencies: b @ share.T

    n_units, n_raters = x.shape
    n_grades = len(bd.names)
    # Row 0 of counts collects scores below the lowest bound (no grade); row g + 1 grade g.
    counts = np.zeros((n_grades + 1) * n_units)
    draws = np.empty((n, n_units), dtype=np.int8) if return_draws else None
    cell = np.arange(n_units)
    step = max(1, _CHUNK // n_units)
    for start in range(0, n, step):  # blocks of draws bound memory; each block is one array op
        m = min(step, n - start)
        sim = centre + rng.standard_normal((m, n_units)) * np.sqrt(post_sd**2 + noise_sd**2)
        if leniency and var_r > 0:
            sim += (rng.standard_normal((m, n_raters)) * np.sqrt(var_r)) @ share.T
        codes = bd.codes(sim)
        counts += np.bincount(((codes + 1) * n_units + cell).ravel(), minlength=counts.size)
        if draws is not None:
            draws[start : start + m] = codes
    prob = counts.reshape(n_grades + 1, n_units) / n
    level = np.arange(n_grades + 1)[:, None] - 1
    p_same = prob[obs_codes + 1, cell]
    p_down = (prob * (level < obs_codes[None, :])).sum(axis=0)
    table = pd.DataFrame(
        {
            "score": observed,
            "grade": bd.labels(obs_codes),
            "n_raters": k_u,
            "true_score": centre,
            "p_change": 1 - p_same,
            "p_up": 1 - p_same - p_down,
            "p_down": p_down,
        },
        index=full.units,
    )
    for g, name in enumerate(bd.names):
        table[f"p_{name}"] = prob[g + 1]
    denom = var_t + var_r + var_e
    return RegradeResult(
        probability=table["p_change"].rename("p_change"),
        table=table,
        sigma_error=float(np.sqrt(var_e)),
        sigma_rater=float(np.sqrt(var_r)),
        sigma_true=float(np.sqrt(var_t)),
        icc_single=float(var_t / denom) if denom > 0 else float("nan"),
        n_draws=n,
        draws=draws,
    )
