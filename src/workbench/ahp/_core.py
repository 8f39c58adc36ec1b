"""Priorities and consistency of one pairwise matrix, and of a stack of matrices at once."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._i18n import _
from .._results import ResultMixin
from ..errors import JudgmentError, check_option
from ._kernels import perron, perron_many, row_gm_many
from ._ri import ri_lookup, rule_text
from ._validate import RECIPROCITY_TOL, as_matrix

__all__ = ["Priorities", "priorities", "batch_priorities", "stack_priorities", "METHODS", "gci_threshold"]

METHODS = ("eigen", "geometric", "colnorm")
_MISSING = (None, "harker", "bozoki")
_EIGEN_KIND = "principal eigenvalue"
_APPROX_KIND = "approximate: mean of (A w)_i / w_i"


def gci_threshold(n: int) -> float | None:
    """Aguarón & Moreno-Jiménez (2003) GCI thresholds: 0.31 (n=3), 0.35 (n=4), 0.37 (n>4)."""
    return None if n < 3 else 0.31 if n == 3 else 0.35 if n == 4 else 0.37


@dataclass(frozen=True, repr=False, eq=False)
class Priorities(ResultMixin):
    """Priority vector and consistency of one pairwise matrix.

    Attributes
    ----------
    weights : ndarray or Series of shape (n,)
        Priorities summing to 1; a Series indexed by element when the matrix was labelled.
    lambda_max : float
        Principal eigenvalue, or for ``method="colnorm"`` the approximate mean of (A w)_i / w_i
        (see ``lambda_kind``).
    ci, cr, ri : float
        CI = (lambda_max - n) / (n - 1), CR = CI / RI; both 0 for n < 3.
    ri_table, ri_rule : str
        Name of the random-index table and how RI was read from it (table entry, interpolation,
        extrapolation).
    method : str
    gci, gci_threshold : float or None
        Geometric consistency index (method "geometric" only) and its threshold for this n.
    missing : str or None
        How missing judgments were estimated.
    matrix : ndarray or DataFrame
        The (completed) matrix the priorities were computed from.
    """

    weights: np.ndarray | pd.Series
    lambda_max: float
    ci: float
    cr: float
    ri: float
    ri_table: str
    ri_rule: str
    method: str
    lambda_kind: str
    gci: float | None = None
    gci_threshold: float | None = None
    missing: str | None = None
    matrix: np.ndarray | pd.DataFrame | None = None

    @property
    def n(self) -> int:
        return len(self.weights)

    def to_frame(self) -> pd.DataFrame:
        w = self.weights if isinstance(self.weights, pd.Series) else pd.Series(self.weights)
        out = pd.DataFrame({"weight": w.to_numpy()}, index=w.index)
        out["rank"] = out["weight"].rank(ascending=False, method="min").astype(int)
        return out

    def _summary_title(self) -> str:
        return _("AHP priorities ({method}, n={n})").format(method=self.method, n=self.n)

    def _summary_facts(self) -> dict:
        facts = {
            _("lambda_max"): self.lambda_max,
            _("CI"): self.ci,
            _("CR"): self.cr,
            _("RI"): _("{ri:.4g} ({rule})").format(ri=self.ri, rule=rule_text(self.n, self.ri_table)),
        }
        if self.gci is not None:
            facts[_("GCI")] = _("{gci:.4g} (threshold {threshold})").format(
                gci=self.gci, threshold=self.gci_threshold
            )
        if self.missing:
            facts[_("missing judgments")] = self.missing
        return facts


def _gci(a: np.ndarray, w: np.ndarray) -> float:
    n = a.shape[0]
    if n < 3:
        return 0.0
    e = np.log(a * w[None, :] / w[:, None])
    return float(np.triu(e * e, 1).sum() * 2.0 / ((n - 1) * (n - 2)))


def priorities(matrix, method="eigen", ri="saaty1980", missing=None, scale=None) -> Priorities:
    """Priority vector and consistency ratio of a pairwise comparison matrix.

    Parameters
    ----------
    matrix : array-like or DataFrame of shape (n, n)
        Entry (i, j) says how strongly element i is preferred to element j (a_ji = 1/a_ij; values
        within 5 % of reciprocal, as typed with rounded decimals, are accepted as given). ``NaN``
        marks a missing judgment; a pair given on one side only is completed by reciprocity.
    method : {"eigen", "geometric", "colnorm"}, default="eigen"
        "eigen": principal right eigenvector (Saaty). "geometric": normalised row geometric means
        (Crawford & Williams 1985), also reports the GCI. "colnorm": average of the normalised columns
        (the approximate method of textbooks and ArcGIS), with the approximate lambda = mean of
        (A w)_i / w_i. For "eigen" and "geometric", lambda_max is the principal eigenvalue.
    ri : str, default="saaty1980"
        Random-index table, see :func:`random_index`.
    missing : {None, "harker", "bozoki"}, default=None
        How missing judgments are estimated (see :func:`complete`); the weights are then computed
        from the completed matrix (for "eigen" + "harker" this is exactly Harker's eigenvector).
        CR is that of the completed matrix. With ``None``, a missing judgment is an error.
    scale : {None, "saaty"} or int, default=None
        Declared scale 1/s..s ("saaty": 1/9..9); judgments outside it raise. Not checked when None.

    Returns
    -------
    Priorities
        ``weights`` (sum 1), ``lambda_max``, ``ci``, ``cr``, ``ri``, ``ri_table``, ``ri_rule``,
        ``method``, ``gci`` (geometric only)...

    References
    ----------
    Saaty (1980) The Analytic Hierarchy Process. McGraw-Hill. Crawford & Williams (1985) J. Math.
    Psychology 29:387-405. Aguarón & Moreno-Jiménez (2003) EJOR 147:137-145 (GCI).

    Examples
    --------
    >>> p = priorities([[1, 3], [1 / 3, 1]])
    >>> p.weights.round(3).tolist(), p.cr
    ([0.75, 0.25], 0.0)
    """
    if method not in METHODS:
        check_option(method, METHODS, name="method", func="priorities")
    if missing not in _MISSING:
        check_option(missing, _MISSING, name="missing", func="priorities")
    a, labels = as_matrix(matrix, func="priorities", scale=scale, allow_missing=missing is not None)
    n = a.shape[0]
    ri_val, ri_rule = ri_lookup(n, ri, func="priorities")
    used = None
    if missing is not None and np.isnan(a).any():
        from ._missing import complete_array

        a = complete_array(a, missing, labels=labels)
        used = missing
    gci = gthr = None
    kind = _EIGEN_KIND
    if method == "eigen":
        w, lam = perron(a)
    elif method == "geometric":
        g = np.exp(np.log(a).mean(axis=1))
        w = g / g.sum()
        lam = perron(a, w)[1]
        gci, gthr = _gci(a, w), gci_threshold(n)
    else:
        w = (a / a.sum(axis=0)).mean(axis=1)
        lam = float(((a @ w) / w).mean())
        kind = _APPROX_KIND
    if n < 3:
        ci = cr = 0.0
    else:
        ci = (lam - n) / (n - 1)
        cr = ci / ri_val
    if labels is not None:
        w = pd.Series(w, index=labels, name="weight")
        a = pd.DataFrame(a, index=labels, columns=labels)
    return Priorities(w, lam, ci, cr, ri_val, ri, ri_rule, method, kind, gci, gthr, used, a)


def _check_stack(stack, func: str) -> np.ndarray:
    try:
        a = np.asarray(stack, dtype=float)
    except (TypeError, ValueError) as exc:
        raise JudgmentError(
            _("{func}: the stack of matrices is not numeric ({exc}).").format(func=func, exc=exc)
        ) from None
    if a.ndim != 3 or a.shape[1] != a.shape[2] or a.shape[1] == 0:
        raise JudgmentError(
            _("{func}: expected a stack of square matrices of shape (N, n, n); got shape {shape}.").format(
                func=func, shape=a.shape
            )
        )
    return a


def _check_block(blk: np.ndarray, offset: int, func: str) -> None:
    """Vectorised checks of a block of the stack; on failure, name the first bad matrix and its cells."""
    n = blk.shape[1]
    d = np.arange(n)
    ok = blk.min() > 0 and blk.max() < np.inf  # False on NaN too
    if ok:
        p = blk * blk.transpose(0, 2, 1)
        ok = p.min() >= 1 - RECIPROCITY_TOL and p.max() <= 1 + RECIPROCITY_TOL
        ok = ok and np.abs(blk[:, d, d] - 1.0).max() <= 1e-9
    if ok:
        return
    with np.errstate(invalid="ignore"):
        bad_val = ~(np.isfinite(blk) & (blk > 0)).all(axis=(1, 2))
    if bad_val.any():
        k = np.flatnonzero(bad_val)
        raise JudgmentError(
            _(
                "{func}: matrices {matrices}{more} have missing "
                "(NaN), infinite, zero or negative entries; judgments must be positive. "
                "Complete missing judgments first with complete(..., method='harker' or "
                "'bozoki')."
            ).format(
                func=func,
                matrices=(k[:10] + offset).tolist(),
                more=" ..." if k.size > 10 else "",
            ),
            key=f"stack[{k[0] + offset}]",
        )
    for k in range(len(blk)):  # only reached on invalid input: the single-matrix check names the cells
        as_matrix(blk[k], func=_("{func} (matrix {k})").format(func=func, k=k + offset))


def batch_priorities(stack, method="eigen", ri="saaty1980"):
    """Priorities, lambda_max and CR of many pairwise matrices at once.

    Parameters
    ----------
    stack : array-like of shape (N, n, n)
        Complete positive reciprocal matrices (within the same 5 % tolerance as :func:`priorities`).
    method : {"eigen", "geometric", "colnorm"}, default="eigen"
        As in :func:`priorities`. "eigen" runs one vectorised power iteration over all matrices
        (start: row geometric means; stop when no weight changes by more than 1e-12).
    ri : str, default="saaty1980"
        Random-index table, see :func:`random_index`.

    Returns
    -------
    weights : ndarray of shape (N, n)
    lambda_max : ndarray of shape (N,)
    cr : ndarray of shape (N,)

    References
    ----------
    Saaty (1980) The Analytic Hierarchy Process. McGraw-Hill.

    Examples
    --------
    >>> w, lam, cr = batch_priorities([[[1, 2], [0.5, 1]], [[1, 1], [1, 1]]])
    >>> w.round(4).tolist()
    [[0.6667, 0.3333], [0.5, 0.5]]
    """
    check_option(method, METHODS, name="method", func="batch_priorities")
    a = _check_stack(stack, "batch_priorities")
    n = a.shape[1]
    ri_val = ri_lookup(n, ri, func="batch_priorities")[0]
    return stack_priorities(a, method, ri_val, check=lambda blk, s: _check_block(blk, s, "batch_priorities"))


def stack_priorities(a: np.ndarray, method: str, ri_val: float, check=None):
    """``(weights, lambda_max, cr)`` of a complete stack ``(N, n, n)``; ``check(block, offset)``
    validates each block of the stack on the way."""
    n = a.shape[1]
    if method == "eigen":
        w, lam = perron_many(a, check=check)
        return w, lam, (np.zeros(a.shape[0]) if n < 3 else (lam - n) / (n - 1) / ri_val)
    if check is not None:
        for s in range(0, a.shape[0], 4096):
            check(a[s : s + 4096], s)
    if method == "geometric":
        w = row_gm_many(a)
        lam = perron_many(a, w)[1]
    else:
        w = (a / a.sum(axis=1, keepdims=True)).mean(axis=2)
        lam = (np.matmul(a, w[..., None])[..., 0] / w).mean(axis=1)
    cr = np.zeros(a.shape[0]) if n < 3 else (lam - n) / (n - 1) / ri_val
    return w, lam, cr
