"""Subjective weights from a precedence chart (优序图法)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import JudgmentError, Problem, SpecError
from ._common import WeightResult, names

__all__ = ["precedence_chart"]

_ALLOWED = (0.0, 0.5, 1.0)


def precedence_chart(matrix, *, diagonal=0.5) -> WeightResult:
    """Precedence-chart weights (优序图法): ``w_i = T_i / sum_k T_k`` with ``T_i`` the row total.

    Entry ``a_ij`` is 1 when indicator i matters more than j, 0.5 when equally, 0 when less, with
    ``a_ij + a_ji = 1``. The diagonal counts as ``diagonal`` (0.5: the grand total is ``n^2 / 2``,
    as SPSSAU computes it; 0: the diagonal is left out and the total is ``n (n - 1) / 2``). A
    vector of importance scores (e.g. Delphi means) is turned into the chart by comparing every
    pair (higher score: 1, equal: 0.5, lower: 0).

    Parameters
    ----------
    matrix : DataFrame or array of shape (n, n), or Series / 1-D array of scores
    diagonal : {0.5, 0}, default=0.5

    Returns
    -------
    WeightResult
        ``table`` has columns ``total`` (T) and ``weight``; ``stats["matrix"]`` holds the chart.

    Raises
    ------
    JudgmentError
        A matrix that is not square, entries other than 0, 0.5 and 1, or pairs that do not add to 1
        (every offending pair listed).

    References
    ----------
    Moody, P.E. (1983). Decision Making: Proven Methods for Better Decisions. McGraw-Hill (the
    precedence chart, to which Chinese textbooks and SPSSAU attribute 优序图法).

    Examples
    --------
    >>> precedence_chart([3.0, 2.0, 2.0]).weights.round(4).tolist()
    [0.5556, 0.2222, 0.2222]
    """
    if diagonal not in (0, 0.5):
        raise SpecError(
            f"The 'diagonal' parameter of precedence_chart must be 0.5 or 0. Got {diagonal!r} instead."
        )
    labelled = isinstance(matrix, (pd.DataFrame, pd.Series))
    if isinstance(matrix, pd.Series) or np.ndim(matrix) == 1:
        s = pd.Series(matrix, dtype=float) if not isinstance(matrix, pd.Series) else matrix.astype(float)
        if s.isna().any() or len(s) < 2:
            raise JudgmentError("precedence_chart: scores must be at least 2 numbers without gaps.")
        v = s.to_numpy()
        a = np.where(v[:, None] > v[None, :], 1.0, np.where(v[:, None] == v[None, :], 0.5, 0.0))
        labels = s.index
    else:
        frame = matrix if isinstance(matrix, pd.DataFrame) else pd.DataFrame(np.asarray(matrix, dtype=float))
        if frame.shape[0] != frame.shape[1] or frame.shape[0] < 2:
            raise JudgmentError(
                f"precedence_chart: the chart must be square (n x n, n >= 2); got {frame.shape}."
            )
        if labelled and list(frame.index) != list(frame.columns):
            raise JudgmentError(
                "precedence_chart: row and column labels must be the same indicators in the same order."
            )
        a = frame.to_numpy(dtype=float).copy()
        labels = frame.index if labelled else pd.RangeIndex(len(frame))
        n = len(a)
        off = ~np.eye(n, dtype=bool)
        problems = []
        bad = off & ~np.isin(a, _ALLOWED)
        for i, j in zip(*np.nonzero(bad)):
            problems.append(
                Problem(
                    f"entry ({labels[i]}, {labels[j]}) is {a[i, j]!r}; use 1, 0.5 or 0",
                    row=int(i) + 2,
                    column=str(labels[j]),
                )
            )
        pair = off & ~bad & ~bad.T & (np.abs(a + a.T - 1.0) > 1e-9)
        for i, j in zip(*np.nonzero(np.triu(pair))):
            problems.append(
                Problem(
                    f"entries ({labels[i]}, {labels[j]}) = {a[i, j]:g} and ({labels[j]}, {labels[i]}) "
                    f"= {a[j, i]:g} do not add to 1",
                    row=int(i) + 2,
                    column=str(labels[j]),
                )
            )
        if problems:
            raise JudgmentError(
                "precedence_chart: the chart is not a valid precedence chart", problems=problems
            )
    np.fill_diagonal(a, diagonal)
    total = a.sum(axis=1)
    if total.sum() <= 0:
        raise JudgmentError(f"precedence_chart: all totals are zero ({names(labels)}).")
    w = total / total.sum()
    idx = pd.Index(labels)
    return WeightResult(
        weights=pd.Series(w, index=idx, name="weight"),
        method="precedence_chart",
        variant=f"diagonal={diagonal:g}",
        table=pd.DataFrame({"total": total, "weight": w}, index=idx),
        stats={
            "n": len(a),
            "grand_total": float(total.sum()),
            "matrix": pd.DataFrame(a, index=idx, columns=idx),
        },
    )
