"""Fuzzy AHP with triangular judgments (l, m, u): Buckley's geometric mean and Chang's extent analysis."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._i18n import _
from .._results import ResultMixin
from ..errors import JudgmentError, WorkbenchWarning, check_option
from ._core import priorities
from ._validate import RECIPROCITY_TOL, as_matrix, name_of, relabel

__all__ = ["FuzzyPriorities", "fuzzy_priorities"]


@dataclass(frozen=True, repr=False, eq=False)
class FuzzyPriorities(ResultMixin):
    """Fuzzy AHP priorities.

    Attributes
    ----------
    weights : ndarray or Series of shape (n,)
        Crisp weights, sum 1.
    fuzzy_weights : ndarray of shape (n, 3) or DataFrame with columns l, m, u
        Buckley: triangular fuzzy weights. Chang: the synthetic extents S_i.
    method : str
    cr, ri_table : float, str
        Consistency ratio of the modal (middle) matrix, eigenvector method.
    degrees : ndarray or Series or None
        Chang only: d_i = min over k of V(S_i >= S_k), before normalisation.
    """

    weights: np.ndarray | pd.Series
    fuzzy_weights: np.ndarray | pd.DataFrame
    method: str
    cr: float
    ri_table: str
    degrees: np.ndarray | pd.Series | None = None

    def to_frame(self) -> pd.DataFrame:
        f = self.fuzzy_weights
        out = f.copy() if isinstance(f, pd.DataFrame) else pd.DataFrame(f, columns=["l", "m", "u"])
        out["weight"] = np.asarray(self.weights)
        if self.degrees is not None:
            out["degree"] = np.asarray(self.degrees)
        return out

    def _summary_title(self) -> str:
        return _("Fuzzy AHP priorities ({method}, n={n})").format(method=self.method, n=len(self.weights))

    def _summary_facts(self) -> dict:
        return {_("CR of the middle matrix"): self.cr, _("RI table"): self.ri_table}


def _triple(lower, middle, upper):
    mats, labels = [], None
    for name, m in (("lower", lower), ("middle", middle), ("upper", upper)):
        if isinstance(m, pd.DataFrame):
            v, lab = relabel(m, "fuzzy_priorities")
            if labels is not None and not lab.equals(labels):
                if set(lab) != set(labels):
                    raise JudgmentError(
                        _(
                            "fuzzy_priorities: the {name} matrix names other elements than the lower one."
                        ).format(name=name)
                    )
                v = pd.DataFrame(v, index=lab, columns=lab).loc[labels, labels].to_numpy()
            labels = lab if labels is None else labels
        else:
            v = np.asarray(m, dtype=float)
        mats.append(v)
    shapes = {v.shape for v in mats}
    if len(shapes) != 1:
        raise JudgmentError(
            _("fuzzy_priorities: lower, middle and upper must have one shape; got {shapes}.").format(
                shapes=sorted(shapes)
            )
        )
    return *mats, labels


def fuzzy_priorities(lower, middle, upper, method="buckley", ri="saaty1980") -> FuzzyPriorities:
    """Priorities from a triangular fuzzy pairwise matrix given as three matrices (l, m, u).

    Parameters
    ----------
    lower, middle, upper : array-like or DataFrame of shape (n, n)
        Triangular judgments (l_ij, m_ij, u_ij) with 0 < l <= m <= u, a unit diagonal and the
        reciprocal rule (l_ji, m_ji, u_ji) = (1/u_ij, 1/m_ij, 1/l_ij) (within 5 %).
    method : {"buckley", "chang"}, default="buckley"
        "buckley": fuzzy row geometric means r_i, fuzzy weights (r_i^l / sum r^u, r_i^m / sum r^m,
        r_i^u / sum r^l), crisp weights = centroids (l + m + u) / 3 normalised to sum 1.
        "chang": synthetic extents S_i, degrees of possibility V(S_i >= S_k), d_i = min_k V,
        weights = d / sum(d). Extent analysis can give exact-zero weights (Wang, Luo & Hua 2008);
        a :class:`~workbench.errors.WorkbenchWarning` is raised when it does.
    ri : str, default="saaty1980"
        Random-index table for the CR of the middle matrix.

    Returns
    -------
    FuzzyPriorities
        ``weights`` (crisp, sum 1) and ``fuzzy_weights`` (l, m, u).

    References
    ----------
    Buckley, J.J. (1985) Fuzzy hierarchical analysis. Fuzzy Sets and Systems 17:233-247.
    Chang, D.-Y. (1996) Applications of the extent analysis method on fuzzy AHP. EJOR 95:649-655.
    Wang, Y.-M., Luo, Y. & Hua, Z. (2008) On the extent analysis method for fuzzy AHP and its
    applications. EJOR 186:735-747.

    Examples
    --------
    >>> one = [[1, 1], [1, 1]]
    >>> fuzzy_priorities(one, one, one).weights.tolist()
    [0.5, 0.5]
    """
    check_option(method, ("buckley", "chang"), name="method", func="fuzzy_priorities")
    lo, mid, up, labels = _triple(lower, middle, upper)
    if lo.ndim != 2 or lo.shape[0] != lo.shape[1]:
        raise JudgmentError(
            _("fuzzy_priorities: the matrices must be square; got shape {shape}.").format(shape=lo.shape)
        )
    for name, v in (("lower", lo), ("upper", up)):
        bad = ~np.isfinite(v) | (v <= 0)
        if bad.any():
            i, j = np.argwhere(bad)[0]
            raise JudgmentError(
                _(
                    "fuzzy_priorities: the {name} matrix must hold positive numbers; cell "
                    "({row}, {col}) = {v}."
                ).format(
                    name=name,
                    row=name_of(labels, i),
                    col=name_of(labels, j),
                    v=v[i, j],
                )
            )
    mid = as_matrix(mid, func=_("fuzzy_priorities (middle matrix)"))[0]
    crisp = priorities(mid, ri=ri)
    order = (lo > mid * (1 + 1e-12)) | (mid > up * (1 + 1e-12))
    if order.any():
        i, j = np.argwhere(order)[0]
        raise JudgmentError(
            _(
                "fuzzy_priorities: cell ({row}, {col}) has "
                "l, m, u = {lo:.4g}, {mid:.4g}, {up:.4g}; expected l <= m <= u."
            ).format(
                row=name_of(labels, i),
                col=name_of(labels, j),
                lo=lo[i, j],
                mid=mid[i, j],
                up=up[i, j],
            )
        )
    recip = np.abs(lo * up.T - 1.0) > RECIPROCITY_TOL
    if recip.any():
        i, j = np.argwhere(recip)[0]
        raise JudgmentError(
            _(
                "fuzzy_priorities: not reciprocal at ({row}, "
                "{col}): l_ij = {lo:.4g} but 1/u_ji = {inv_u:.4g}; the "
                "judgment of (j, i) must be (1/u, 1/m, 1/l) of the judgment of (i, j)."
            ).format(
                row=name_of(labels, i),
                col=name_of(labels, j),
                lo=lo[i, j],
                inv_u=1 / up[j, i],
            )
        )
    degrees = None
    if method == "buckley":
        r = np.exp(np.log(np.stack([lo, mid, up])).mean(axis=2))  # (3, n): row geometric means
        fw = np.stack([r[0] / r[2].sum(), r[1] / r[1].sum(), r[2] / r[0].sum()], axis=1)
        centroid = fw.mean(axis=1)
        w = centroid / centroid.sum()
    else:
        rows = np.stack([lo.sum(axis=1), mid.sum(axis=1), up.sum(axis=1)], axis=1)
        fw = rows / np.array([up.sum(), mid.sum(), lo.sum()])
        mi, ui = fw[:, 1][:, None], fw[:, 2][:, None]
        lk, mk = fw[:, 0][None, :], fw[:, 1][None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            v = np.where(mi >= mk, 1.0, np.where(lk >= ui, 0.0, (lk - ui) / ((mi - ui) - (mk - lk))))
        np.fill_diagonal(v, np.inf)
        d = v.min(axis=1) if len(v) > 1 else np.ones(1)
        w = d / d.sum()
        degrees = d
        zero = np.flatnonzero(w == 0)
        if zero.size:
            warnings.warn(
                _(
                    "fuzzy_priorities: Chang's extent analysis gives zero weight to "
                    "{elements}, only because their extents do not overlap the "
                    "largest one; this is a known defect of the method (Wang, Luo & Hua 2008), not "
                    "a finding. Consider method='buckley'."
                ).format(elements=[name_of(labels, i) for i in zero]),
                WorkbenchWarning,
                stacklevel=2,
            )
    if labels is not None:
        w = pd.Series(w, index=labels, name="weight")
        fw = pd.DataFrame(fw, index=labels, columns=["l", "m", "u"])
        degrees = None if degrees is None else pd.Series(degrees, index=labels, name="degree")
    return FuzzyPriorities(w, fw, method, crisp.cr, ri, degrees)
