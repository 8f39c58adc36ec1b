"""Numerical kernels: Perron vector of one matrix or of a stack, row geometric means, Harker matrices.

The power iteration starts from the row geometric means (exact for a consistent matrix, close for a
near-consistent one) and stops when the largest change of any weight is below ``TOL``. Matrices
that converge slowly (random judgments: |lambda_2 / lambda_1| around 0.5 needs ~40 steps) are
switched to powers of A^(2^SQUARINGS): each step then does the work of 32 plain steps.
"""

from __future__ import annotations

import warnings

import numpy as np

from .._i18n import _
from ..errors import WorkbenchWarning

__all__ = ["TOL", "perron", "perron_many", "row_gm", "row_gm_many", "harker_matrix"]

TOL = 1e-12
_WARM_ONE = 1
_SQUARINGS_ONE = 5
_WARM_MANY = 2
_SQUARINGS = 5
_CAP = 200
_CHUNK = 4096  # matrices per block: the temporaries of a block stay in cache


def row_gm(a: np.ndarray) -> np.ndarray:
    """Normalised row geometric means of one positive matrix (NaN entries ignored)."""
    g = np.exp(np.log(a).mean(axis=1))
    return g / g.sum()


def row_gm_many(a: np.ndarray, known: np.ndarray | None = None) -> np.ndarray:
    """Normalised row geometric means of a stack ``(N, n, n)``; over ``known`` entries if given."""
    n = a.shape[-1]
    if known is None:
        logs = np.log(a) @ np.full(n, 1.0 / n)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            la = np.where(known, np.log(a), 0.0)
        logs = la.sum(axis=-1) / known.sum(axis=-1)
    logs -= logs.max(axis=-1, keepdims=True)
    g = np.exp(logs)
    return g / (g @ np.ones(n))[:, None]


def _warn_cap(count: int) -> None:
    warnings.warn(
        _(
            "power iteration did not reach a change below {tol:g} for {count} matrix(es) "
            "after {cap} steps of A^{power}; weights are from the last step."
        ).format(tol=TOL, count=count, cap=_CAP, power=2**_SQUARINGS),
        WorkbenchWarning,
        stacklevel=4,
    )


def perron(a: np.ndarray, w: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """Principal right eigenvector (sum 1) and eigenvalue of one positive (or primitive) matrix."""
    if w is None:
        w = row_gm(a)
    tol2 = TOL * TOL  # squared 2-norm of the change: a cheaper (and stricter) test than the max norm
    for __ in range(_WARM_ONE):
        y = a @ w
        lam = y.sum()  # = lambda when w (summing to 1) is the eigenvector
        y /= lam
        d = y - w
        w = y
        if d @ d < tol2:
            return w, float(lam)
    # The diagonal is positive (1 in a pairwise matrix, 1 + #missing in Harker's), so b[0, 0] is a
    # cheap, safe scale that keeps the powers finite.
    b = a * (1.0 / a[0, 0])
    for __ in range(_SQUARINGS_ONE):
        b = b @ b
        b *= 1.0 / b[0, 0]
    for __ in range(_CAP):
        y = b @ w
        y /= y.sum()
        d = y - w
        w = y
        if d @ d < tol2:
            break
    else:
        _warn_cap(1)
    return w, float((a @ w).sum())


def _perron_block(a: np.ndarray, w: np.ndarray) -> np.ndarray:
    # Reductions over the short last axis are slow in numpy; products with a vector of ones use BLAS.
    ones = np.ones(a.shape[-1])
    tol2 = TOL * TOL
    for __ in range(_WARM_MANY):
        y = np.matmul(a, w[..., None])[..., 0]
        y /= (y @ ones)[:, None]
        d = y - w
        dd = (d * d) @ ones
        w = y
        if dd.max() < tol2:
            return w
    active = np.flatnonzero(dd >= tol2)
    b = a[active] if active.size < len(a) else a
    for __ in range(_SQUARINGS):
        b = b @ b
        b *= 1.0 / b[:, :1, :1]  # diagonal entries are positive: a cheap scale that keeps powers finite
    wa = w[active]
    for __ in range(_CAP):
        y = np.matmul(b, wa[..., None])[..., 0]
        y /= (y @ ones)[:, None]
        d = y - wa
        dd = (d * d) @ ones
        wa = y
        if dd.max() < tol2:
            break
    else:
        _warn_cap(int((dd >= tol2).sum()))
    w[active] = wa
    return w


def perron_many(a: np.ndarray, w0: np.ndarray | None = None, check=None) -> tuple[np.ndarray, np.ndarray]:
    """Principal eigenvectors ``(N, n)`` (rows sum to 1) and eigenvalues ``(N,)`` of a stack ``(N, n, n)``.

    All matrices are iterated at once, block by block of ``_CHUNK`` matrices (so that temporaries
    stay in cache); there is no Python loop over matrices. ``check(block, offset)``, if given, runs
    on each block first (input validation in the same pass over memory).
    """
    n_mat, n = a.shape[:2]
    w = np.empty((n_mat, n))
    lam = np.empty(n_mat)
    ones = np.ones(n)
    for s in range(0, n_mat, _CHUNK):
        blk = a[s : s + _CHUNK]
        if check is not None:
            check(blk, s)
        start = row_gm_many(blk) if w0 is None else w0[s : s + _CHUNK].copy()
        wb = _perron_block(blk, start)
        w[s : s + _CHUNK] = wb
        lam[s : s + _CHUNK] = np.matmul(blk, wb[..., None])[..., 0] @ ones
    return w, lam


def harker_matrix(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Harker's (1987) matrix of an incomplete stack or matrix: missing a_ij -> 0 and each diagonal
    entry raised by the number of missing judgments in its row. Returns ``(matrix, known)``.

    Its Perron vector w is the Harker priority vector, and its Perron root equals lambda_max of the
    matrix completed with a_ij = w_i / w_j (the two matrices agree on w row by row).
    """
    known = ~np.isnan(a)
    c = np.where(known, a, 0.0)
    n = a.shape[-1]
    idx = np.arange(n)
    c[..., idx, idx] += n - known.sum(axis=-1)
    return c, known
