"""Combined weights (组合赋权): one weight vector from several (subjective and objective)."""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._results import ResultMixin
from ..errors import DataError, ModelError, SpecError, check_option
from ._common import as_table, weight_series
from ._common import names as _names

__all__ = ["CombinedWeights", "combine"]

METHODS = ("multiplicative", "linear", "min_entropy", "game", "max_deviation")
SUM_TOL = 1e-3  # published weights rounded to 3-4 decimals sum to 1 within this; they are renormalised


@dataclass(frozen=True, repr=False, eq=False)
class CombinedWeights(ResultMixin):
    """Combined weights with the coefficients of each input and a comparison table.

    Attributes
    ----------
    weights : Series
        Combined weights (>= 0, sum 1), indexed by indicator.
    coefficients : Series
        Per input: the linear coefficients (``linear``: alpha; ``game``: a*; ``max_deviation``:
        theta*), or the exponents of the product (``multiplicative``: 1 each; ``min_entropy``: 1/K).
    method : str
    table : DataFrame
        Indicators x (every input, ``combined``, ``rank_combined``).
    stats : dict
    """

    weights: pd.Series
    coefficients: pd.Series
    method: str
    table: pd.DataFrame
    stats: dict = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def _summary_title(self) -> str:
        return f"Combined weights ({self.method})"

    def _summary_facts(self) -> dict:
        return {f"coefficient {k}": round(float(v), 4) for k, v in self.coefficients.items()}

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.weights.to_numpy(), dtype=dtype)

    def to_rubric(self, rubric, *, level="global"):
        """The rubric with these weights (``level='global'``: indicator weights in the root, block
        weights the sums of their indicators'); save it with :func:`workbench.save_rubric`."""
        return rubric.with_weights({k: float(v) for k, v in self.weights.items()}, level=level)


def _label(w, k, given):
    if given is not None:
        return str(given[k])
    if hasattr(w, "method") and isinstance(getattr(w, "method", None), str):
        return w.method
    if isinstance(w, pd.Series) and isinstance(w.name, str) and w.name != "weight":
        return w.name
    return f"w{k + 1}"


def _vectors(weights, given_names):
    if len(weights) < 2:
        raise SpecError(
            f"combine: give at least two weight vectors (e.g. combine(ahp_weights, entropy_weights)); got {len(weights)}."
        )
    if given_names is not None and len(given_names) != len(weights):
        raise SpecError(f"combine: {len(given_names)} names for {len(weights)} weight vectors.", key="names")
    series, labels = [], []
    for k, w in enumerate(weights):
        label = _label(w, k, given_names)
        labels.append(label if label not in labels else f"{label}_{k + 1}")
        series.append(weight_series(w, labels[-1], func="combine"))
    ref = series[0].index
    for s, label in zip(series[1:], labels[1:], strict=True):
        if set(s.index) != set(ref) or len(s) != len(ref):
            only = sorted(set(s.index) ^ set(ref), key=str)
            raise SpecError(
                f"combine: weights {label!r} cover different indicators from {labels[0]!r}"
                + (f" (not in both: {_names(only)})" if only else f" ({len(s)} vs {len(ref)} entries)")
                + ". Every input must weight the same indicators.",
                key=label,
            )
    u = np.vstack([s.loc[ref].to_numpy() for s in series])
    sums = u.sum(axis=1, keepdims=True)
    for row, label in zip(u, labels, strict=True):
        bad = ~np.isfinite(row) | (row < 0)
        if bad.any():
            raise SpecError(
                f"combine: weights {label!r} hold negative or missing values for {_names(ref[bad])}; "
                "weights must be finite and >= 0.",
                key=label,
            )
        if abs(row.sum() - 1.0) > SUM_TOL:
            raise SpecError(
                f"combine: weights {label!r} sum to {row.sum():.6g}, not 1. Combination formulas assume shares; "
                "rescale them first (w / w.sum()) or pass the WeightResult itself.",
                key=label,
            )
    return u / sums, ref, labels


def _pair_distance_sums(z: np.ndarray) -> np.ndarray:
    """sum_i sum_l |z_ij - z_lj| per column, from the sorted values in O(n log n)."""
    s = np.sort(z, axis=0)
    n = s.shape[0]
    coef = 2.0 * np.arange(1, n + 1) - n - 1
    return 2.0 * (coef[:, None] * s).sum(axis=0)


def _alpha(alpha, k):
    if alpha is None:
        raise SpecError(
            "combine: method='linear' needs a stated alpha (the share of the first weights), e.g. alpha=0.5.",
            key="alpha",
        )
    if isinstance(alpha, numbers.Real) and not isinstance(alpha, bool):
        if k != 2:
            raise SpecError(
                f"combine: a single alpha combines two vectors; for {k} give a list of {k} shares.",
                key="alpha",
            )
        a = np.array([float(alpha), 1.0 - float(alpha)])
    else:
        a = np.asarray(alpha, dtype=float).ravel()
        if len(a) != k:
            raise SpecError(f"combine: alpha has {len(a)} entries for {k} weight vectors.", key="alpha")
    if not np.isfinite(a).all() or (a < 0).any() or abs(a.sum() - 1) > SUM_TOL:
        raise SpecError(
            f"combine: alpha must be in [0, 1] (or shares summing to 1); got {alpha!r}.", key="alpha"
        )
    return a


def combine(*weights, method="multiplicative", alpha=None, data=None, names=None) -> CombinedWeights:
    """Combine several weight vectors of the same indicators into one (组合赋权).

    With inputs ``u_1 ... u_K`` (each >= 0, summing to 1):

    - ``"multiplicative"`` (乘法合成): ``w = prod_k u_k / sum(prod_k u_k)``.
    - ``"linear"`` (线性加权): ``w = alpha u_1 + (1 - alpha) u_2`` with a stated ``alpha`` (or
      ``sum_k alpha_k u_k`` with a list of K shares).
    - ``"min_entropy"`` (最小相对信息熵): the geometric mean ``prod_k u_k^(1/K)``, renormalised
      (for K = 2, ``sqrt(u_1 u_2) / sum``): the vector closest to all inputs in relative entropy.
    - ``"game"`` (博弈论组合赋权): the Nash equilibrium in which each coefficient ``a_i`` brings the
      combination ``sum_j a_j u_j`` closest to its own vector ``u_i`` (the others held), i.e. the
      solution of ``sum_j a_j u_i.u_j = u_i.u_i`` for all i (least-norm when inputs are collinear),
      then ``a* = |a| / sum|a|`` and ``w = sum_k a*_k u_k``.
    - ``"max_deviation"`` (离差最大化): coefficients that maximise the total deviation among units
      of the composite of ``data``: with ``z`` the min-max rescaled data and
      ``D_j = sum_i sum_l |z_ij - z_lj|``, ``theta_k ∝ sum_j u_kj D_j`` (normalised), and
      ``w = sum_k theta_k u_k``. Directions do not matter (|z_i - z_l| is the same for 1 - z).

    Parameters
    ----------
    *weights : WeightResult, Series, mapping or array
        Two or more weight vectors over the same indicators (labels matched; arrays by position).
        Each must sum to 1 (within 1e-3, so rounded published weights pass; they are renormalised)
        and be >= 0.
    method : {"multiplicative", "linear", "min_entropy", "game", "max_deviation"}, default="multiplicative"
    alpha : float or sequence, optional
        Required for ``"linear"`` only.
    data : DataFrame or array of shape (n_units, n_indicators), optional
        Required for ``"max_deviation"`` only (columns = the indicators).
    names : sequence of str, optional
        Names of the inputs in the table (default: the WeightResult methods, Series names, w1, w2...).

    Returns
    -------
    CombinedWeights

    Raises
    ------
    SpecError
        Fewer than two inputs, different indicators, negative weights, weights not summing to 1,
        a missing alpha for linear, missing data for max_deviation, or alpha / data given to a
        method that does not use them.
    ModelError
        A product of weights that vanishes for every indicator, data that do not vary.

    References
    ----------
    Wang, Y.M. (1998). Using the method of maximizing deviations to make decision for multi-indices.
    Systems Engineering and Electronics 20(7):24-26 (离差最大化). 李刚, 李建平, 孙晓蕾, 赵萌 (2017).
    主客观权重的组合方式及其合理性研究. 管理评论 29(12):17-26 (multiplicative and additive
    combinations). Game-theoretic combination weighting: the "combination of weights by the
    minimal deviation" model used in Chinese evaluation studies (博弈论组合赋权).

    Examples
    --------
    >>> combine([0.5, 0.3, 0.2], [0.2, 0.3, 0.5], method="linear", alpha=0.5).weights.round(2).tolist()
    [0.35, 0.3, 0.35]
    """
    check_option(method, METHODS, name="method", func="combine")
    u, ref, labels = _vectors(weights, names)
    k = len(u)
    if alpha is not None and method != "linear":
        raise SpecError(f"combine: alpha is only used by method='linear', not {method!r}.", key="alpha")
    if data is not None and method != "max_deviation":
        raise SpecError(f"combine: data is only used by method='max_deviation', not {method!r}.", key="data")
    stats: dict = {"inputs": k}
    if method == "multiplicative":
        coef = np.ones(k)
        raw = u.prod(axis=0)
    elif method == "min_entropy":
        coef = np.full(k, 1.0 / k)
        raw = np.exp(np.log(np.where(u > 0, u, 1.0)).mean(axis=0)) * (u > 0).all(axis=0)
    elif method == "linear":
        coef = _alpha(alpha, k)
        raw = coef @ u
    elif method == "game":
        gram = u @ u.T
        a = np.linalg.lstsq(gram, np.diag(gram), rcond=None)[0]
        stats["raw_coefficients"] = tuple(float(x) for x in a)
        coef = np.abs(a) / np.abs(a).sum()
        raw = coef @ u
    else:
        if data is None:
            raise SpecError(
                "combine: method='max_deviation' needs the data (units x indicators).", key="data"
            )
        t = as_table(data, func="combine")
        if t.labelled:
            missing = [c for c in ref if c not in t.cols]
            if missing:
                raise DataError(
                    f"combine: data have no column(s) {_names(missing)} for the weighted indicators."
                )
            x = pd.DataFrame(t.values, columns=t.cols)[list(ref)].to_numpy()
        else:
            if t.values.shape[1] != len(ref):
                raise DataError(
                    f"combine: data have {t.values.shape[1]} columns for {len(ref)} weighted indicators."
                )
            x = t.values
        span = x.max(axis=0) - x.min(axis=0)
        z = (x - x.min(axis=0)) / np.where(span > 0, span, 1.0)
        dev = _pair_distance_sums(z)
        c = u @ dev
        if c.sum() <= 0:
            raise ModelError("combine: the data do not vary, so no combination can separate the units.")
        coef = c / c.sum()
        raw = coef @ u
        stats["deviation"] = pd.Series(dev, index=ref)
    if raw.sum() <= 0:
        raise ModelError(
            f"combine: method {method!r} gives zero for every indicator (each indicator has a zero weight in "
            "some input). Use method='linear' or 'game'."
        )
    w = raw / raw.sum()
    table = pd.DataFrame(u.T, index=ref, columns=labels)
    table["combined"] = w
    table["rank_combined"] = table["combined"].round(12).rank(ascending=False, method="min").astype(int)
    table.index.name = "indicator"
    return CombinedWeights(
        weights=pd.Series(w, index=ref, name="weight"),
        coefficients=pd.Series(coef, index=labels, name="coefficient"),
        method=method,
        table=table,
        stats=stats,
    )
