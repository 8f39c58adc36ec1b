"""Which judgments make a matrix inconsistent, and what revising them would do."""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from .._i18n import _
from ..errors import SpecError
from ._core import priorities
from ._validate import as_matrix, scale_bound, scale_values

__all__ = ["inconsistency", "most_inconsistent"]


def inconsistency(matrix, method="eigen"):
    """Matrix of e_ij = a_ij w_j / w_i: how far each judgment is from the one the priorities imply.

    Parameters
    ----------
    matrix : array-like or DataFrame of shape (n, n)
        Complete pairwise matrix.
    method : {"eigen", "geometric", "colnorm"}, default="eigen"
        Priorities w used as the consistent reference.

    Returns
    -------
    ndarray or DataFrame of shape (n, n)
        e_ij = 1 for a judgment that agrees with w; e_ij = 2 means element i was judged twice as
        strongly preferred to j as w implies. e_ji = 1 / e_ij. Labelled when the input was.

    References
    ----------
    Saaty (2003) Decision-making with the AHP: why is the principal eigenvector necessary.
    EJOR 145:85-91 (the matrix of a_ij w_j / w_i as a guide to revising judgments).

    Examples
    --------
    >>> inconsistency([[1, 2], [0.5, 1]]).round(6).tolist()
    [[1.0, 1.0], [1.0, 1.0]]
    """
    a, labels = as_matrix(matrix, func="inconsistency")
    w = np.asarray(priorities(a, method=method).weights)
    e = a * w[None, :] / w[:, None]
    return e if labels is None else pd.DataFrame(e, index=labels, columns=labels)


def most_inconsistent(matrix, k=3, *, method="eigen", ri="saaty1980", scale="saaty") -> pd.DataFrame:
    """The k judgments furthest from the priorities, each with a suggested revision and its effect.

    Parameters
    ----------
    matrix : array-like or DataFrame of shape (n, n)
        Complete pairwise matrix.
    k : int, default=3
        How many judgments (pairs i < j) to list; at most n (n - 1) / 2.
    method : {"eigen", "geometric", "colnorm"}, default="eigen"
    ri : str, default="saaty1980"
        Random-index table for the consistency ratios.
    scale : "saaty" or int, default="saaty"
        Scale 1/s..s whose values the suggestions are rounded to.

    Returns
    -------
    DataFrame with k rows, largest deviation first, and columns
        ``row``, ``column`` (the pair: element codes, or 0-based positions for an unlabelled matrix), ``judgment`` (a_ij), ``consistent`` (w_i / w_j, the value
        that would agree with the priorities), ``ratio`` (e_ij = judgment / consistent),
        ``deviation`` (|ln e_ij|), ``suggested`` (``consistent`` rounded, on the log scale, to the
        nearest scale value), ``cr`` (CR now) and ``cr_after`` (CR after changing only this
        judgment, and its reciprocal, to ``suggested``; each row is revised on its own).

    References
    ----------
    Saaty (2003) EJOR 145:85-91; Harker (1987) Derivatives of the Perron root of a positive
    reciprocal matrix, with applications to the AHP. Applied Math. and Computation 22:217-232.

    Examples
    --------
    >>> m = [[1, 2, 4, 8], [1 / 2, 1, 2, 4], [1 / 4, 1 / 2, 1, 1 / 2], [1 / 8, 1 / 4, 2, 1]]
    >>> top = most_inconsistent(m, k=1)
    >>> top[["row", "column"]].values.tolist(), top["judgment"].tolist(), top["suggested"].tolist()
    ([[2, 3]], [0.5], [1.0])
    """
    a, labels = as_matrix(matrix, func="most_inconsistent")
    n = a.shape[0]
    n_pairs = n * (n - 1) // 2
    if not isinstance(k, numbers.Integral) or isinstance(k, bool) or not 1 <= k <= max(n_pairs, 1):
        raise SpecError(
            _(
                "The 'k' parameter of most_inconsistent must be an integer in 1..{n_pairs} "
                "(the number of pairs of this {n}x{n} matrix). Got {k!r} instead."
            ).format(n_pairs=n_pairs, n=n, k=k),
            key="k",
        )
    base = priorities(a, method=method, ri=ri)
    w = np.asarray(base.weights)
    iu, ju = np.triu_indices(n, 1)
    consistent = w[iu] / w[ju]
    ratio = a[iu, ju] / consistent
    dev = np.abs(np.log(ratio))
    order = np.argsort(-dev, kind="stable")[:k]
    grid = scale_values(scale_bound(scale, func="most_inconsistent"))
    rows = []
    for o in order:
        i, j = iu[o], ju[o]
        sug = grid[np.argmin(np.abs(np.log(grid) - np.log(consistent[o])))]
        revised = a.copy()
        revised[i, j], revised[j, i] = sug, 1.0 / sug
        rows.append(
            {
                "row": int(i) if labels is None else labels[i],
                "column": int(j) if labels is None else labels[j],
                "judgment": a[i, j],
                "consistent": consistent[o],
                "ratio": ratio[o],
                "deviation": dev[o],
                "suggested": sug,
                "cr": base.cr,
                "cr_after": priorities(revised, method=method, ri=ri).cr,
            }
        )
    return pd.DataFrame(rows)
