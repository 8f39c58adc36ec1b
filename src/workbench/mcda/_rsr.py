"""Rank-sum ratio (秩和比法, RSR): ranks, probit regression and tiers."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from .._results import ResultMixin
from ..errors import DataError, ModelError, SpecError, check_option
from ..weighting._common import as_directions, as_table, as_weights, constant_columns, names

__all__ = ["TIER_PROBITS", "TIER_LABELS", "RSRResult", "rsr"]

# Probit cut points of the usual tier counts (常用分档数对应的概率单位 Probit), from Tian Fengtiao's
# tables; the percentiles printed beside them are Phi(probit - 5) (e.g. 3 tiers: P15.866, P84.134).
TIER_PROBITS = {
    3: (4.0, 6.0),
    4: (3.5, 5.0, 6.5),
    5: (3.2, 4.4, 5.6, 6.8),
    6: (3.0, 4.0, 5.0, 6.0, 7.0),
    7: (2.86, 3.6, 4.5, 5.5, 6.4, 7.14),
    8: (2.78, 3.4, 4.1, 5.0, 5.9, 6.6, 7.22),
    9: (2.67, 3.25, 3.83, 4.6, 5.4, 6.17, 6.75, 7.33),
}
# Chinese tier names, worst first (tier 1 = lowest); other counts are named 第k档.
TIER_LABELS = {3: ("下", "中", "上"), 4: ("差", "中", "良", "优"), 5: ("差", "较差", "中", "良", "优")}


@dataclass(frozen=True, repr=False, eq=False)
class RSRResult(ResultMixin):
    """Rank-sum ratios, their probit regression and the tiers.

    Attributes
    ----------
    rsr : Series per unit, in (0, 1]; larger is better
    rank : Series of int, 1 = best (ties share the best rank)
    ranks : DataFrame (units x indicators), the R_ij (best = n)
    distribution : DataFrame per distinct RSR (ascending): ``f``, ``cum_f``, ``mean_rank``,
        ``percentile`` (mean rank / n, the last set to 1 - 1/(4n)), ``probit`` (5 + z)
    regression : dict
        ``intercept``, ``slope`` (RSR = intercept + slope * probit, fitted over the distinct RSR
        values), ``r2``, ``f``, ``pval``, ``n``.
    probit, fitted : Series per unit
    tier : Series of int per unit (1 = lowest tier), ``tier_label`` its name
    tier_table : DataFrame per tier: percentile and probit range, fitted-RSR cut-offs, units
    method : str
    weights : Series
    """

    rsr: pd.Series
    rank: pd.Series
    ranks: pd.DataFrame
    distribution: pd.DataFrame
    regression: dict
    probit: pd.Series
    fitted: pd.Series
    tier: pd.Series
    tier_label: pd.Series
    tier_table: pd.DataFrame
    method: str
    weights: pd.Series = field(default_factory=pd.Series)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "rsr": self.rsr,
                "rank": self.rank,
                "probit": self.probit,
                "fitted": self.fitted,
                "tier": self.tier,
                "tier_label": self.tier_label,
            }
        )

    def _summary_title(self) -> str:
        return f"Rank-sum ratio ({self.method}), {len(self.tier_table)} tiers"

    def _summary_facts(self) -> dict:
        r = self.regression
        return {
            "regression": f"RSR = {r['intercept']:.4f} + {r['slope']:.4f} Probit (R2 {r['r2']:.3f}, F {r['f']:.2f}, p {r['pval']:.3g})",
            "best": str(self.rsr.idxmax()),
        }

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.rsr.to_numpy(), dtype=dtype)


def _strict_weights(weights, cols, func):
    w = as_weights(weights, cols, func=func)
    raw = (
        weights.weights if hasattr(weights, "weights") and isinstance(weights.weights, pd.Series) else weights
    )
    total = float(np.nansum(np.asarray(list(raw.values()) if isinstance(raw, dict) else raw, dtype=float)))
    if abs(total - 1.0) > 1e-3:  # rounded published weights pass (as_weights renormalises them)
        raise SpecError(
            f"{func}: weights sum to {total:.6g}, not 1; rescale them (w / w.sum()) so the weighted RSR stays in (0, 1].",
            key="weights",
        )
    return w


def _fit(x, y):
    n = len(x)
    slope, intercept = np.polyfit(x, y, 1)
    resid = y - (intercept + slope * x)
    ss_tot = float(((y - y.mean()) ** 2).sum())
    ss_res = float((resid**2).sum())
    r2 = 1.0 - ss_res / ss_tot if ss_tot > 0 else 1.0
    df = n - 2
    f = (ss_tot - ss_res) / (ss_res / df) if df > 0 and ss_res > 0 else np.inf
    p = float(stats.f.sf(f, 1, df)) if df > 0 and np.isfinite(f) else 0.0
    return {"intercept": float(intercept), "slope": float(slope), "r2": r2, "f": float(f), "pval": p, "n": n}


def rsr(data, weights=None, directions=None, method="integer", *, tiers=3) -> RSRResult:
    """Rank-sum ratio (Tian Fengtiao 1988): rank every indicator, average the ranks, tier by probit.

    ``integer`` (整次秩和比): ``R_ij`` is the rank of unit i on indicator j among n units, average
    ranks for ties, best = n (cost indicators ranked in reverse). ``non_integer`` (非整次):
    ``R_ij = 1 + (n - 1) (x_ij - min_j) / (max_j - min_j)`` (``max_j - x_ij`` for cost indicators).
    ``RSR_i = sum_j w_j R_ij / n`` with equal weights ``1/m`` by default (weighted RSR otherwise).

    The distinct RSR values, ascending, get the mean of the ranks they occupy; that over n (the
    last corrected to 1 - 1/(4n)) is turned into a probit (5 + the standard normal quantile), RSR
    is regressed on the probit, and units are put into tiers by their fitted RSR at the probit cut
    points of :data:`TIER_PROBITS` (3 tiers: below 4, 4 to 6, 6 and above).

    Parameters
    ----------
    data : DataFrame or array of shape (n_units, n_indicators)
    weights : sequence, mapping or WeightResult, optional
        Non-negative, summing to 1 (weighted RSR). Default equal weights.
    directions : sequence or mapping of {1, -1}, optional
        1 higher is better (default), -1 lower is better.
    method : {"integer", "non_integer"}, default="integer"
    tiers : int, default=3
        Number of tiers, 3-9.

    Returns
    -------
    RSRResult

    Raises
    ------
    DataError
        Missing values, fewer than 3 units, constant columns with ``non_integer``, or RSR values
        that are all equal (nothing to regress).
    SpecError
        Weights that are negative, do not sum to 1 or do not match the columns; bad directions.
    ModelError
        A regression slope that is not positive (the tiers would be reversed).

    References
    ----------
    田凤调 (1988, 1993). 秩和比法及其应用. 中国统计出版社; 孙振球 (主编). 医学统计学 (综合评价,
    秩和比法). 人民卫生出版社.

    Examples
    --------
    >>> r = rsr([[3.0, 1.0], [2.0, 2.0], [1.0, 3.0], [4.0, 4.0]])
    >>> r.rsr.round(3).tolist()
    [0.5, 0.5, 0.5, 1.0]
    """
    func = "rsr"
    check_option(method, ["integer", "non_integer"], name="method", func=func)
    if tiers not in TIER_PROBITS:
        raise SpecError(
            f"The 'tiers' parameter of rsr must be one of {sorted(TIER_PROBITS)}. Got {tiers!r} instead.",
            key="tiers",
        )
    t = as_table(data, func=func, min_rows=3)
    x, n = t.values, t.values.shape[0]
    d = as_directions(directions, t.cols, func=func)
    w = np.full(x.shape[1], 1.0 / x.shape[1]) if weights is None else _strict_weights(weights, t.cols, func)
    oriented = x * d  # a cost column ranked on -x puts its lowest value at rank n
    if method == "integer":
        r = stats.rankdata(oriented, axis=0)
    else:
        const = constant_columns(x, t.cols)
        if const:
            raise DataError(
                f"{func}: column(s) {names(const)} are constant, so the non-integer ranks (x - min)/(max - min) "
                "are undefined. Drop them or use method='integer'.",
                column=str(const[0]),
            )
        lo, hi = oriented.min(axis=0), oriented.max(axis=0)
        r = 1.0 + (n - 1) * (oriented - lo) / (hi - lo)
    value = r @ w / n
    levels, inverse, counts = np.unique(np.round(value, 12), return_inverse=True, return_counts=True)
    if len(levels) < 2:
        raise DataError(f"{func}: every unit has the same RSR ({levels[0]:.4g}); there is nothing to tier.")
    cum = np.cumsum(counts)
    mean_rank = cum - (counts - 1) / 2.0
    pct = mean_rank / n
    pct[-1] = 1.0 - 1.0 / (4.0 * n)
    probit_levels = 5.0 + stats.norm.ppf(pct)
    reg = _fit(probit_levels, levels)
    if reg["slope"] <= 0:
        raise ModelError(
            f"{func}: the regression of RSR on probit has slope {reg['slope']:.4g} <= 0; tiers are undefined."
        )
    rows = t.rows
    probit = probit_levels[inverse]
    fitted = reg["intercept"] + reg["slope"] * probit
    cuts = np.asarray(TIER_PROBITS[tiers])
    cut_rsr = reg["intercept"] + reg["slope"] * cuts
    tier = 1 + np.searchsorted(cut_rsr, fitted + 1e-12, side="right")
    labels = TIER_LABELS.get(tiers, tuple(f"第{k}档" for k in range(1, tiers + 1)))
    edges = np.concatenate([[-np.inf], cuts, [np.inf]])
    redges = np.concatenate([[-np.inf], cut_rsr, [np.inf]])
    pedges = stats.norm.cdf(edges - 5.0) * 100
    members = pd.Series(rows, index=rows).groupby(tier).agg(lambda s: ", ".join(map(str, s)))
    tier_table = pd.DataFrame(
        {
            "label": labels,
            "percentile_from": pedges[:-1],
            "percentile_to": pedges[1:],
            "probit_from": edges[:-1],
            "probit_to": edges[1:],
            "rsr_from": redges[:-1],
            "rsr_to": redges[1:],
            "n_units": np.bincount(tier, minlength=tiers + 1)[1:],
            "units": [members.get(k, "") for k in range(1, tiers + 1)],
        },
        index=pd.Index(range(1, tiers + 1), name="tier"),
    )
    distribution = pd.DataFrame(
        {
            "rsr": levels,
            "f": counts,
            "cum_f": cum,
            "mean_rank": mean_rank,
            "percentile": pct,
            "probit": probit_levels,
        }
    )
    s = pd.Series(value, index=rows, name="rsr")
    return RSRResult(
        rsr=s,
        rank=s.rank(ascending=False, method="min").astype(int).rename("rank"),
        ranks=pd.DataFrame(r, index=rows, columns=t.cols),
        distribution=distribution,
        regression=reg,
        probit=pd.Series(probit, index=rows, name="probit"),
        fitted=pd.Series(fitted, index=rows, name="fitted"),
        tier=pd.Series(tier, index=rows, name="tier"),
        tier_label=pd.Series(np.asarray(labels, dtype=object)[tier - 1], index=rows, name="tier_label"),
        tier_table=tier_table,
        method=method,
        weights=pd.Series(w, index=t.cols, name="weight"),
    )
