"""Checks of pairwise matrices at the boundary: shape, labels, positivity, reciprocity, scale, graph.

Everything here runs once per public call on plain numpy arrays, so the single-matrix path stays
lean (a few microseconds for a 9x9 matrix).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._i18n import _
from ..errors import JudgmentError, SpecError

__all__ = [
    "RECIPROCITY_TOL",
    "as_matrix",
    "scale_bound",
    "scale_values",
    "components",
    "check_connected",
    "name_of",
    "relabel",
]

# |a_ij * a_ji - 1| allowed before a matrix counts as non-reciprocal. 5 % accepts reciprocals typed
# with two or three decimals (0.33 for 1/3, 0.13 for 1/8), while the classic orientation mistakes
# (a_ij = a_ji = 3, or 2 against 0.33) give products of 9 or 0.66 and are caught.
RECIPROCITY_TOL = 0.05

_SCALES = {"saaty": 9}
_MAX_NAMED = 8


def name_of(labels, i) -> str:
    """Readable name of element ``i`` for messages."""
    return str(labels[i]) if labels is not None else _("element {i}").format(i=i)


def _cells(labels, rows, cols, values=None) -> str:
    parts = []
    for k, (i, j) in enumerate(zip(rows, cols)):
        if k == _MAX_NAMED:
            parts.append(_("... and {n} more").format(n=len(rows) - _MAX_NAMED))
            break
        cell = f"({name_of(labels, i)}, {name_of(labels, j)})"
        parts.append(cell if values is None else f"{cell} = {values[k]:.4g}")
    return ", ".join(parts)


def scale_bound(scale, *, func: str) -> float | None:
    """Upper end ``s`` of a declared symmetric scale 1/s..s (``None``: no scale declared)."""
    if scale is None:
        return None
    if isinstance(scale, str):
        if scale not in _SCALES:
            shown = "{" + ", ".join(repr(k) for k in _SCALES) + "}"
            raise SpecError(
                _(
                    "The 'scale' parameter of {func} must be one of {shown}, an integer s >= 2 "
                    "(scale 1/s..s) or None. Got {scale!r} instead."
                ).format(func=func, shown=shown, scale=scale),
                key="scale",
            )
        return float(_SCALES[scale])
    if isinstance(scale, (int, np.integer)) and not isinstance(scale, bool) and scale >= 2:
        return float(scale)
    raise SpecError(
        _(
            "The 'scale' parameter of {func} must be 'saaty', an integer s >= 2 (scale "
            "1/s..s) or None. Got {scale!r} instead."
        ).format(func=func, scale=scale),
        key="scale",
    )


def scale_values(s: float) -> np.ndarray:
    """Every value of the integer scale 1/s..s: 1/s, ..., 1/2, 1, 2, ..., s."""
    up = np.arange(1.0, np.floor(s) + 1.0)
    return np.concatenate([1.0 / up[:0:-1], up])


def relabel(frame: pd.DataFrame, func: str) -> tuple[np.ndarray, pd.Index]:
    """Values of a labelled square frame with its columns put in the order of its index."""
    index, columns = frame.index, frame.columns
    if index.has_duplicates or columns.has_duplicates:
        dup = list(index[index.duplicated()]) + list(columns[columns.duplicated()])
        raise JudgmentError(
            _(
                "{func}: the pairwise matrix repeats the element(s) {elements}; "
                "each element must appear once in the index and once in the columns."
            ).format(func=func, elements=sorted(map(str, set(dup))))
        )
    if not index.equals(columns):
        if set(index) != set(columns):
            only_rows = [str(x) for x in index if x not in set(columns)]
            only_cols = [str(x) for x in columns if x not in set(index)]
            raise JudgmentError(
                _(
                    "{func}: the rows and columns of the pairwise matrix name different elements "
                    "(only in rows: {only_rows}, only in columns: {only_cols}); entry (i, j) must "
                    "compare the row element i with the column element j, so both must list the "
                    "same elements."
                ).format(func=func, only_rows=only_rows, only_cols=only_cols)
            )
        # Same elements in another order: align by label, never by position.
        frame = frame.loc[:, index]
    try:
        values = frame.to_numpy(dtype=float, copy=True)
    except (TypeError, ValueError) as exc:
        raise JudgmentError(
            _(
                "{func}: the pairwise matrix has non-numeric cells ({exc}); expected numbers, "
                "NaN for a missing judgment."
            ).format(func=func, exc=exc)
        ) from None
    return values, index


def as_matrix(
    matrix,
    *,
    func: str,
    scale=None,
    allow_missing: bool = False,
    repair: bool = False,
    tol: float = RECIPROCITY_TOL,
):
    """Check one pairwise matrix; return ``(values, labels)``.

    ``values`` is a fresh float array with the diagonal set to 1 and one-sided entries (a_ij given,
    a_ji empty) filled by reciprocity; NaN is left only where both a_ij and a_ji are missing.
    ``labels`` is a ``pd.Index`` for labelled input, else ``None``.
    """
    if isinstance(matrix, pd.DataFrame):
        a, labels = relabel(matrix, func)
    else:
        labels = None
        try:
            a = np.array(matrix, dtype=float)
        except (TypeError, ValueError) as exc:
            raise JudgmentError(
                _("{func}: the pairwise matrix is not numeric ({exc}).").format(func=func, exc=exc)
            ) from None
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise JudgmentError(
            _(
                "{func}: the pairwise matrix must be square (n x n, n >= 1); got shape "
                "{shape}. Entry (i, j) says how strongly element i is preferred to element j."
            ).format(func=func, shape=a.shape)
        )
    n = a.shape[0]
    # Fast path (complete, positive, unit diagonal, reciprocal): a few microseconds for a 9x9 matrix.
    if (a > 0).all() and np.isfinite(a).all() and (a.diagonal() == 1.0).all():
        p = a * a.T
        if p.max() <= 1.0 + tol and p.min() >= 1.0 - tol:
            if scale is not None:
                _check_scale(a, labels, scale, func)
            return a, labels
    diag = np.arange(n)
    nan = np.isnan(a)
    if nan.any():
        nan[diag, diag] = False
        a[diag, diag] = np.where(np.isnan(a[diag, diag]), 1.0, a[diag, diag])
        one_sided = nan & ~nan.T
        a[one_sided] = 1.0 / a.T[one_sided]
        nan &= nan.T
        if nan.any() and not allow_missing:
            r, c = np.nonzero(np.triu(nan))
            raise JudgmentError(
                _(
                    "{func}: missing judgment(s) at {cells}. Pass missing='harker' "
                    "or missing='bozoki' to estimate them, or fill them in."
                ).format(func=func, cells=_cells(labels, r, c)),
                hint=_("complete(matrix, method='bozoki') shows the estimated values"),
            )
    else:
        nan = None
    bad = np.isinf(a) | (a <= 0)
    if bad.any():
        r, c = np.nonzero(bad)
        raise JudgmentError(
            _(
                "{func}: judgments must be positive finite numbers (a_ij > 0, 1 = equal "
                "importance); found {cells}. On a signed -9..9 sheet, "
                "convert with read_survey(..., coding='signed') first."
            ).format(func=func, cells=_cells(labels, r, c, a[r, c]))
        )
    d = a[diag, diag]
    if np.abs(d - 1.0).max() > 1e-9:
        k = np.flatnonzero(np.abs(d - 1.0) > 1e-9)
        raise JudgmentError(
            _("{func}: the diagonal must be 1 (an element compared with itself); found {cells}.").format(
                func=func, cells=_cells(labels, k, k, d[k])
            )
        )
    with np.errstate(invalid="ignore"):
        off = np.abs(a * a.T - 1.0) > tol
    if off.any():
        if repair:
            # Geometric-mean repair keeps the judgments' average intensity and makes A exactly reciprocal.
            a = np.sqrt(a / a.T)
        else:
            r, c = np.nonzero(np.triu(off))
            shown = ", ".join(
                _("({i}, {j}) = {a_ij:.4g} with ({j}, {i}) = {a_ji:.4g}").format(
                    i=name_of(labels, i), j=name_of(labels, j), a_ij=a[i, j], a_ji=a[j, i]
                )
                for i, j in list(zip(r, c))[:_MAX_NAMED]
            )
            raise JudgmentError(
                _(
                    "{func}: the matrix is not reciprocal (a_ji must be 1/a_ij within {tol:.0%}); "
                    "offending cells: {shown}{more}. Check the orientation "
                    "(entry (i, j) = how strongly row i is preferred to column j), or pass "
                    "repair=True to from_matrix to replace each pair by the geometric-mean repair "
                    "a_ij = sqrt(a_ij / a_ji)."
                ).format(
                    func=func,
                    tol=tol,
                    shown=shown,
                    more=" ..." if len(r) > _MAX_NAMED else "",
                ),
            )
    if scale is not None:
        _check_scale(a, labels, scale, func)
    if nan is not None and nan.any():
        check_connected(~np.isnan(a), labels, func=func)
    return a, labels


def _check_scale(a, labels, scale, func):
    s = scale_bound(scale, func=func)
    with np.errstate(invalid="ignore"):
        big = np.maximum(a, a.T) > s * (1 + 1e-9)
    if big.any():
        # Name the cell holding the larger value of each offending pair (the one typed in).
        r, c = np.nonzero(big & (a >= a.T) & ~np.eye(a.shape[0], dtype=bool))
        raise JudgmentError(
            _("{func}: judgment(s) outside the declared scale 1/{s:g}..{s:g}: {cells}.").format(
                func=func, s=s, cells=_cells(labels, r, c, a[r, c])
            )
        )


def components(known: np.ndarray) -> list[np.ndarray]:
    """Connected components of the comparison graph (``known[i, j]``: a_ij is given)."""
    n = known.shape[0]
    seen = np.zeros(n, dtype=bool)
    out = []
    for start in range(n):
        if seen[start]:
            continue
        comp = np.zeros(n, dtype=bool)
        comp[start] = True
        frontier = comp.copy()
        while frontier.any():
            frontier = known[frontier].any(axis=0) & ~comp
            comp |= frontier
        seen |= comp
        out.append(np.flatnonzero(comp))
    return out


def check_connected(known: np.ndarray, labels, *, func: str, where: str = "") -> None:
    """Raise a JudgmentError naming the groups of a disconnected comparison graph."""
    comps = components(known)
    if len(comps) > 1:
        groups = "; ".join("{" + ", ".join(name_of(labels, i) for i in c) + "}" for c in comps)
        raise JudgmentError(
            _(
                "{func}: {where}the comparison graph is not connected, so the missing "
                "judgments cannot be estimated: these groups of elements are never compared "
                "with each other: {groups}. Add at least one judgment linking every group."
            ).format(func=func, where=where, groups=groups)
        )


def check_stack(a: np.ndarray, labels, experts, *, func: str, allow_missing: bool = True) -> np.ndarray:
    """Check a stack ``(E, n, n)`` of one block's matrices (one per expert) at once.

    Same rules as :func:`as_matrix`: the diagonal and one-sided entries are filled in place, the
    rest is checked vectorised over experts; the message names the expert and the cells. Each
    expert's comparison graph must be connected when judgments are missing.
    """
    if a.ndim != 3 or a.shape[1] != a.shape[2] or a.shape[1] == 0:
        raise JudgmentError(
            _("{func}: expected matrices of shape (n_experts, n, n); got shape {shape}.").format(
                func=func, shape=a.shape
            )
        )
    n = a.shape[1]
    d = np.arange(n)
    a[:, d, d] = np.where(np.isnan(a[:, d, d]), 1.0, a[:, d, d])
    nan = np.isnan(a)
    one_sided = nan & ~nan.transpose(0, 2, 1)
    a[one_sided] = 1.0 / a.transpose(0, 2, 1)[one_sided]
    nan = np.isnan(a)
    with np.errstate(invalid="ignore"):
        bad = (np.isinf(a) | (a <= 0) | (np.abs(a * a.transpose(0, 2, 1) - 1.0) > RECIPROCITY_TOL)).any(
            axis=(1, 2)
        )
    bad |= (a[:, d, d] != 1.0).any(axis=1)
    if not allow_missing:
        bad |= nan.any(axis=(1, 2))
    if bad.any():
        e = int(np.flatnonzero(bad)[0])
        # Re-run the single-matrix check on the first offender: it names the cells.
        as_matrix(
            a[e],
            func=_("{func} (expert '{expert}')").format(func=func, expert=experts[e]),
            allow_missing=allow_missing,
        )
    if nan.any():
        reach = (~nan).astype(float)
        for __ in range(int(np.ceil(np.log2(max(n, 2))))):
            reach = (reach @ reach > 0).astype(float)
        split = np.flatnonzero((reach == 0).any(axis=(1, 2)))
        if split.size:
            e = int(split[0])
            check_connected(
                ~nan[e], labels, func=func, where=_("expert '{expert}': ").format(expert=experts[e])
            )
    return a
