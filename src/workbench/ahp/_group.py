"""Group judgments: one block's matrices from many experts, and their aggregation (AIJ and AIP)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._i18n import _
from .._results import ResultMixin
from ..errors import JudgmentError, SpecError, check_option
from ._core import Priorities
from ._validate import check_stack, relabel

__all__ = ["Judgments", "aggregate_judgments", "aggregate_priorities", "expert_weights"]


@dataclass(frozen=True, repr=False, eq=False)
class Judgments(ResultMixin):
    """One block's pairwise judgments from several experts.

    Parameters
    ----------
    values : ndarray of shape (n_experts, n, n)
        ``values[e, i, j]``: how strongly expert e prefers element i to element j; NaN = missing.
        Checked on construction (positive, reciprocal, unit diagonal, connected graph per expert);
        the diagonal and one-sided entries are filled.
    elements : sequence of str of length n
    experts : sequence of length n_experts, optional
        Expert ids; default 0..n_experts-1.
    """

    values: np.ndarray
    elements: tuple
    experts: tuple = ()

    def __post_init__(self):
        a = np.array(self.values, dtype=float)
        elements = tuple(self.elements)
        experts = tuple(self.experts) if len(self.experts) else tuple(range(a.shape[0] if a.ndim else 0))
        if a.ndim != 3 or len(elements) != a.shape[-1] or len(experts) != a.shape[0]:
            raise JudgmentError(
                _(
                    "Judgments: values of shape {shape} do not match {n_experts} expert(s) x "
                    "{n_elements} x {n_elements} element(s)."
                ).format(shape=a.shape, n_experts=len(experts), n_elements=len(elements))
            )
        if len(set(elements)) != len(elements) or len(set(experts)) != len(experts):
            raise JudgmentError(_("Judgments: element names and expert ids must be unique."))
        a = check_stack(a, pd.Index(elements), experts, func="Judgments")
        a.setflags(write=False)
        object.__setattr__(self, "values", a)
        object.__setattr__(self, "elements", elements)
        object.__setattr__(self, "experts", experts)

    @classmethod
    def from_matrices(cls, matrices, experts=None, *, repair=False) -> Judgments:
        """Build from a list (or dict expert -> matrix) of labelled DataFrames with the same elements."""
        if isinstance(matrices, dict):
            experts, matrices = list(matrices), list(matrices.values())
        values, labels = stack_matrices(matrices, "Judgments.from_matrices", repair=repair)
        if labels is None:
            labels = range(values.shape[-1])
        return cls(values, tuple(labels), () if experts is None else tuple(experts))

    def matrix(self, expert) -> pd.DataFrame:
        """One expert's matrix as a labelled DataFrame."""
        if expert not in self.experts:
            raise JudgmentError(
                _("Judgments.matrix: unknown expert {expert!r}; experts: {experts}.").format(
                    expert=expert, experts=list(self.experts)
                )
            )
        e = self.experts.index(expert)
        return pd.DataFrame(self.values[e], index=list(self.elements), columns=list(self.elements))

    def to_frame(self) -> pd.DataFrame:
        """Survey layout: one row per expert, one column ``"A_vs_B"`` per pair (reciprocal coding)."""
        n = len(self.elements)
        iu, ju = np.triu_indices(n, 1)
        cols = [f"{self.elements[i]}_vs_{self.elements[j]}" for i, j in zip(iu, ju)]
        return pd.DataFrame(self.values[:, iu, ju], index=pd.Index(self.experts, name="expert"), columns=cols)

    def _summary_title(self) -> str:
        return _("Judgments of {n_experts} expert(s) on {n_elements} elements").format(
            n_experts=len(self.experts), n_elements=len(self.elements)
        )

    def _summary_facts(self) -> dict:
        n = len(self.elements)
        miss = np.isnan(self.values).sum() // 2
        total = len(self.experts) * n * (n - 1) // 2
        return {_("missing judgments"): _("{missing} of {total}").format(missing=miss, total=total)}


def stack_matrices(matrices, func: str, *, repair: bool = False):
    """``(values (K, n, n), labels or None)`` from Judgments, a 3-d array or a list of matrices."""
    if isinstance(matrices, Judgments):
        return np.array(matrices.values), pd.Index(matrices.elements)
    if isinstance(matrices, np.ndarray) and matrices.ndim == 3:
        a = matrices.astype(float, copy=True)
        labels = None
    else:
        mats = list(matrices)
        if not mats:
            raise JudgmentError(_("{func}: no matrices given.").format(func=func))
        if all(isinstance(m, pd.DataFrame) for m in mats):
            first, labels = relabel(mats[0], func)
            vals = [first]
            for k, m in enumerate(mats[1:], start=1):
                v, lab = relabel(m, func)
                if set(lab) != set(labels):
                    raise JudgmentError(
                        _(
                            "{func}: matrix {k} compares {these}, matrix 0 compares "
                            "{first}; all experts must judge the same elements."
                        ).format(
                            func=func,
                            k=k,
                            these=sorted(map(str, lab)),
                            first=sorted(map(str, labels)),
                        )
                    )
                vals.append(pd.DataFrame(v, index=lab, columns=lab).loc[labels, labels].to_numpy())
            a = np.stack(vals)
        else:
            labels = None
            try:
                a = np.array([np.asarray(m, dtype=float) for m in mats])
            except (TypeError, ValueError) as exc:
                raise JudgmentError(
                    _("{func}: the matrices are not numeric arrays of one shape ({exc}).").format(
                        func=func, exc=exc
                    )
                ) from None
    if repair:
        with np.errstate(invalid="ignore"):
            a = np.sqrt(a / a.transpose(0, 2, 1))
    experts = list(range(a.shape[0])) if a.ndim == 3 else []
    return check_stack(a, labels, experts, func=func), labels


def expert_weights(weights, k: int, func: str) -> np.ndarray:
    """Expert weights as an array of length k summing to 1 (equal when None)."""
    if weights is None:
        return np.full(k, 1.0 / k)
    w = np.asarray(weights, dtype=float).ravel()
    if w.shape != (k,) or not np.isfinite(w).all() or (w < 0).any() or w.sum() <= 0:
        raise SpecError(
            _(
                "The 'weights' parameter of {func} must hold {k} non-negative finite numbers "
                "(one per expert) with a positive sum. Got {weights!r} "
                "instead."
            ).format(func=func, k=k, weights=np.asarray(weights).tolist()),
            key="weights",
        )
    return w / w.sum()


def aggregate_judgments(matrices, weights=None):
    """Aggregate individual judgments (AIJ): the weighted geometric mean of the experts' matrices.

    Parameters
    ----------
    matrices : Judgments, ndarray of shape (K, n, n), or list of K matrices / labelled DataFrames
        NaN = missing; a missing judgment is left out of that cell's mean (the weights of the experts
        who gave it are renormalised). A cell nobody judged stays NaN.
    weights : array-like of shape (K,), optional
        Expert weights (normalised to sum 1); equal by default.

    Returns
    -------
    ndarray or DataFrame of shape (n, n)
        The aggregated matrix; reciprocal because the geometric mean is.

    References
    ----------
    Aczél & Saaty (1983) Procedures for synthesizing ratio judgements. J. Math. Psychology 27:93-102;
    Forman & Peniwati (1998) Aggregating individual judgments and priorities with the AHP. EJOR
    108:165-169.

    Examples
    --------
    >>> aggregate_judgments([[[1, 2], [1 / 2, 1]], [[1, 8], [1 / 8, 1]]]).tolist()
    [[1.0, 4.0], [0.25, 1.0]]
    """
    a, labels = stack_matrices(matrices, "aggregate_judgments")
    w = expert_weights(weights, a.shape[0], "aggregate_judgments")
    known = ~np.isnan(a)
    la = np.where(known, np.log(np.where(known, a, 1.0)), 0.0)
    den = np.tensordot(w, known.astype(float), axes=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        agg = np.exp(np.tensordot(w, la, axes=1) / den)
    agg[den <= 0] = np.nan
    return agg if labels is None else pd.DataFrame(agg, index=labels, columns=labels)


def _vectors(vectors, func: str):
    if isinstance(vectors, pd.DataFrame):
        return vectors.to_numpy(dtype=float), vectors.columns
    if isinstance(vectors, np.ndarray) and vectors.ndim == 2:
        return vectors.astype(float), None
    items = [v.weights if isinstance(v, Priorities) else v for v in vectors]
    if items and all(isinstance(v, pd.Series) for v in items):
        labels = items[0].index
        for k, v in enumerate(items):
            if set(v.index) != set(labels):
                raise JudgmentError(
                    _(
                        "{func}: vector {k} is indexed by {these}, vector 0 by "
                        "{first}; all experts must weigh the same elements."
                    ).format(
                        func=func,
                        k=k,
                        these=sorted(map(str, v.index)),
                        first=sorted(map(str, labels)),
                    )
                )
        return np.array([v.loc[labels].to_numpy(dtype=float) for v in items]), labels
    try:
        return np.array([np.asarray(v, dtype=float) for v in items]), None
    except (TypeError, ValueError) as exc:
        raise JudgmentError(
            _("{func}: the vectors are not numeric of one length ({exc}).").format(func=func, exc=exc)
        ) from None


def aggregate_priorities(vectors, weights=None, method="geometric", normalise=True):
    """Aggregate individual priorities (AIP): weighted geometric or arithmetic mean of weight vectors.

    Parameters
    ----------
    vectors : ndarray of shape (K, n), DataFrame (one row per expert, one column per element), or
        list of K Series / arrays / :class:`Priorities`
    weights : array-like of shape (K,), optional
        Expert weights (normalised to sum 1); equal by default.
    method : {"geometric", "arithmetic"}, default="geometric"
    normalise : bool, default=True
        Rescale the result to sum 1 (the geometric mean of vectors summing to 1 does not).

    Returns
    -------
    ndarray or Series of shape (n,)

    References
    ----------
    Forman & Peniwati (1998) EJOR 108:165-169.

    Examples
    --------
    >>> aggregate_priorities([[0.5, 0.5], [0.8, 0.2]]).round(4).tolist()
    [0.6667, 0.3333]
    """
    check_option(method, ("geometric", "arithmetic"), name="method", func="aggregate_priorities")
    v, labels = _vectors(vectors, "aggregate_priorities")
    if v.ndim != 2 or v.shape[0] == 0 or not np.isfinite(v).all() or (v < 0).any():
        raise JudgmentError(
            _(
                "aggregate_priorities: expected K >= 1 vectors of one length with non-negative "
                "finite entries; got an array of shape {shape}."
            ).format(shape=v.shape)
        )
    w = expert_weights(weights, v.shape[0], "aggregate_priorities")
    v, w = v[w > 0], w[w > 0]  # an expert with weight 0 must not zero the geometric mean
    if method == "geometric":
        with np.errstate(divide="ignore"):
            out = np.exp(w @ np.log(v))
    else:
        out = w @ v
    if normalise:
        out = out / out.sum()
    return out if labels is None else pd.Series(out, index=labels, name="weight")
