"""Nominal vs effective weight (the "2% problem"), and the impact of removing each component.

A nominal weight says how much a block *could* move the total; its effective importance is how
much of the spread of totals it actually explains. Paruolo, Saisana & Saltelli (2013) measure it
with the correlation ratio (first-order sensitivity index) S_i = Var(E[y | x_i]) / Var(y) of each
component x_i with the composite y. A block with a 2% weight whose scores barely vary across units
(every unit near full marks) explains almost none of the ranking, whatever its nominal weight.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._results import ResultMixin
from ..errors import SpecError, check_option

__all__ = ["ImportanceResult", "importance", "correlation_ratio"]


def _adjusted(r2: float, n: int, df: int) -> float:
    """Adjusted R^2: removes the upward bias of a fit with ``df`` parameters besides the mean."""
    if n - df - 1 <= 0:
        return float(r2)
    return float(np.clip(1.0 - (1.0 - r2) * (n - 1) / (n - df - 1), 0.0, 1.0))


def _group_means(x, y):
    _, inv = np.unique(x, return_inverse=True)
    counts = np.bincount(inv)
    means = np.bincount(inv, weights=y) / counts
    return means[inv], len(counts) - 1


def _spline_fit(x, y, n_knots):
    from scipy.interpolate import BSpline

    k = 3
    inner = np.unique(np.quantile(x, np.linspace(0, 1, n_knots + 2)[1:-1]))
    lo, hi = x.min(), x.max()
    inner = inner[(inner > lo) & (inner < hi)]
    t = np.r_[[lo] * (k + 1), inner, [hi] * (k + 1)]
    basis = BSpline.design_matrix(x, t, k).toarray()
    coef, *_ = np.linalg.lstsq(basis, y, rcond=None)
    return basis @ coef, basis.shape[1] - 1


def correlation_ratio(x, y, *, method="spline", max_levels=6) -> float:
    """Nonparametric estimate of Var(E[y | x]) / Var(y), bias-adjusted.

    Parameters
    ----------
    x, y : array-like of shape (n,)  (pairs with a NaN are dropped)
    method : {"spline", "bins"}, default="spline"
        ``"spline"``: least-squares cubic B-spline of y on x with interior knots at quantiles of x
        (about n/40 of them, 1 to 8); ``"bins"``: means of y within about sqrt(n) quantile bins of
        x. Either way an x with at most ``max_levels`` distinct values (grades, checklists) uses
        the exact group means.
    max_levels : int, default=12

    Returns
    -------
    float in [0, 1]
        The share of Var(y) explained by the fitted E[y | x], adjusted for the number of fitted
        parameters (as adjusted R^2), so a component unrelated to y scores about 0.

    References
    ----------
    Paruolo, P., Saisana, M. & Saltelli, A. (2013) Ratings and rankings: voodoo or science?
    JRSS A 176(3):609-634 (section 3: the first-order index as a measure of importance).
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    ok = ~(np.isnan(x) | np.isnan(y))
    x, y = x[ok], y[ok]
    n = len(x)
    vy = y.var()
    if n < 3 or vy == 0 or np.ptp(x) == 0:
        return 0.0
    if len(np.unique(x)) <= max_levels:
        fit, df = _group_means(x, y)
    elif method == "bins":
        bins = max(2, int(np.sqrt(n)))
        edges = np.unique(np.quantile(x, np.linspace(0, 1, bins + 1)))
        fit, df = _group_means(np.searchsorted(edges[1:-1], x, side="right"), y)
    else:
        fit, df = _spline_fit(x, y, int(np.clip(n // 40, 1, 8)))
    return _adjusted(float(np.var(fit) / vy), n, df)


@dataclass(frozen=True, repr=False, eq=False)
class ImportanceResult(ResultMixin):
    """Nominal weights side by side with effective importance.

    Attributes
    ----------
    table : DataFrame indexed by code
        ``name``; ``nominal`` (nominal weight, normalised over the codes compared); ``S`` (the
        correlation ratio with the target score); ``effective`` (S normalised to sum 1);
        ``pearson_r`` and ``pearson_share`` (r^2 normalised: the linear version); ``ratio``
        (effective / nominal: below 1, the component counts for less than its weight says);
        ``contribution`` (the share of the score's variance carried by the component's own term,
        Cov(a_i x_i, y)/Var(y), normalised; NaN where the score is not additive).
    target : str
    method : str
    n_units : int
    """

    table: pd.DataFrame
    target: str
    method: str
    n_units: int

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def _summary_title(self) -> str:
        return f"Nominal vs effective weights of {self.target} ({self.n_units} units, {self.method})"

    def _summary_facts(self) -> dict:
        t = self.table
        low = t.loc[t["ratio"] < 0.5].index.tolist() if "ratio" in t else []
        return {"counts for less than half its weight": ", ".join(map(str, low)) or "none"}


def _components(rubric, data, spec, level, unit, target):
    """(x table units x codes, y series, nominal weights or NaN, target name)."""
    from ._models import _data_unit

    r = rubric
    if level == "top":
        codes = r.top_blocks
    elif level == "indicators":
        codes = r.indicators
    elif level in r.nodes and r.nodes[level].children:
        codes = r.children(level)
    else:
        opts = ["top", "indicators", *[c for c in r.nodes if r.nodes[c].children]]
        raise SpecError(
            f"The 'level' parameter of importance must be one of {opts}. Got {level!r} instead.", key="level"
        )
    over = dict(getattr(spec, "weights", None) or {}) if spec is not None else {}
    eff = r.effective_weights(over or None)
    nominal = pd.Series({c: float(eff[c]) for c in codes})
    nominal = nominal / nominal.sum() if nominal.sum() > 0 else nominal
    if spec is None:
        from ..scoring import score

        card = score(r, data, unit=_data_unit(data, unit))
        pts = card.points
        x = pd.DataFrame({c: (pts[c] if c in pts.columns else card.blocks[c]) for c in codes})
        tgt = target or "final"
        y = {"final": card.final, "total": card.total}.get(tgt)
        if y is None:
            if tgt not in card.blocks.columns:
                raise SpecError(
                    f"The 'target' parameter of importance must be 'final', 'total' or a "
                    f"block code. Got {target!r} instead.",
                    key="target",
                )
            y = card.blocks[tgt]
        sch = r.scheme
        if tgt == "final" and card.other is not None:
            x[sch.other_column] = card.other
            pw = sch.party_weight if sch.type == "weighted" else np.nan
            nominal = pd.concat([nominal * pw, pd.Series({sch.other_column: 1 - pw})])
        return x, y, nominal, tgt
    from ..composite import build_index

    built = build_index(r, data, spec, unit=unit)
    tgt = target or r.root
    if tgt not in built.scores.columns:
        raise SpecError(
            f"The 'target' parameter of importance must be a column of the built scores. "
            f"Got {target!r} instead.",
            key="target",
        )
    return built.scores[codes], built.scores[tgt], nominal, tgt


def importance(rubric, data, spec=None, *, level="top", unit="uCode", target=None, method="spline"):
    """Nominal vs effective weight of each component (Paruolo, Saisana & Saltelli 2013).

    Parameters
    ----------
    rubric : Rubric
    data : DataFrame (units x columns)
    spec : Spec or None, default=None
        None: rubric scoring (components are points of blocks or indicators; a weighted,
        multiplicative or dual-100 scheme adds the other score as a component). A Spec: the
        composite build (components are the built scores of the codes).
    level : {"top", "indicators"} or a block code, default="top"
        Compare the top blocks, every indicator, or the children of one block.
    unit : str, default="uCode"
    target : str, optional
        The score explained: rubric "final" (default), "total" or a block; composite a code.
    method : {"spline", "bins"}, default="spline"
        Estimator of E[y | x_i]; see :func:`correlation_ratio`.

    Returns
    -------
    ImportanceResult

    Notes
    -----
    ``nominal`` is the effective weight in the root (product down the tree; the base rubric's
    weights when categories carry their own), normalised over the compared components; for a
    weighted scheme the party-building blocks share ``party_weight`` and the other score gets
    ``1 - party_weight``. For a linear composite of independent components,
    S_i = w_i^2 Var(x_i) / sum_j w_j^2 Var(x_j): a component's effective weight grows with its
    spread, not only with its nominal weight.

    References
    ----------
    Paruolo, P., Saisana, M. & Saltelli, A. (2013) Ratings and rankings: voodoo or science?
    JRSS A 176(3):609-634.
    """
    check_option(method, ("spline", "bins"), name="method", func="importance")
    x, y, nominal, tgt = _components(rubric, data, spec, level, unit, target)
    y = y.reindex(x.index).to_numpy(dtype=float)
    s = np.array([correlation_ratio(x[c].to_numpy(dtype=float), y, method=method) for c in x.columns])
    r = np.array([_pearson(x[c].to_numpy(dtype=float), y) for c in x.columns])
    other = rubric.scheme.other_column
    names = {c: rubric.nodes[c].name if c in rubric.nodes else str(c) for c in x.columns}
    if other in names and spec is None:
        names[other] = rubric.scheme.other_name or other
    total_s, total_r2 = s.sum(), np.nansum(r**2)
    table = pd.DataFrame(
        {
            "name": [names[c] for c in x.columns],
            "nominal": nominal.reindex(x.columns).to_numpy(dtype=float),
            "S": s,
            "effective": s / total_s if total_s > 0 else np.zeros_like(s),
            "pearson_r": r,
            "pearson_share": r**2 / total_r2 if total_r2 > 0 else np.zeros_like(r),
        },
        index=pd.Index(list(x.columns), name="code"),
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        table["ratio"] = table["effective"] / table["nominal"]
    table["contribution"] = _contribution(rubric, x, y, spec, tgt)
    return ImportanceResult(table, tgt, method, len(x))


def _contribution(rubric, x: pd.DataFrame, y: np.ndarray, spec, tgt) -> np.ndarray:
    """Share of Var(y) carried by each component's own term: Cov(a_i x_i, y) / Var(y), normalised.

    Where the score is a sum of its components' terms (rubric points, or the party-building points
    and the other score in a weighted scheme), these shares add up to the variance the components
    explain, and unlike the correlation ratio they do not credit a component for the variance of a
    component it merely correlates with (the covariance decomposition of Li, Rabitz et al. 2010).
    A 2% party-building share whose scores barely vary carries almost none of the variance even
    when those scores correlate with the economic score. NaN where the score is not additive
    (multiplicative and dual-100 schemes, composite aggregates other than the weighted sum).

    References
    ----------
    Li, G., Rabitz, H., Yelvington, P.E. et al. (2010) Global sensitivity analysis for systems with
    independent and/or correlated inputs. J. Phys. Chem. A 114(19):6022-6032.
    """
    nan = np.full(x.shape[1], np.nan)
    if spec is not None or tgt not in ("final", "total"):
        return nan
    sch = rubric.scheme
    a = np.ones(x.shape[1])
    if tgt == "final" and sch.type == "weighted":
        a[:] = sch.party_weight * 100.0 / rubric.scale
        if sch.other_column in x.columns:
            a[list(x.columns).index(sch.other_column)] = (1 - sch.party_weight) * 100.0 / sch.other_scale
    elif tgt == "final" and sch.type != "single":
        return nan
    xs = x.to_numpy(dtype=float) * a
    ok = ~np.isnan(xs).any(axis=1) & ~np.isnan(y)
    if ok.sum() < 3 or np.var(y[ok]) == 0:
        return nan
    yc = y[ok] - y[ok].mean()
    cov = ((xs[ok] - xs[ok].mean(axis=0)) * yc[:, None]).mean(axis=0) / np.var(y[ok])
    total = cov.sum()
    return cov / total if total > 0 else nan


def _pearson(x, y) -> float:
    ok = ~(np.isnan(x) | np.isnan(y))
    if ok.sum() < 3 or np.ptp(x[ok]) == 0 or np.ptp(y[ok]) == 0:
        return 0.0
    return float(np.corrcoef(x[ok], y[ok])[0, 1])
