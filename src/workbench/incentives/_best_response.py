"""Best responses of all units at once: a global search over one or two effort indices.

A unit maximises ``expected reward - c * (effort used) - expected veto loss`` subject to its
budget. The reward depends on task efforts only through one index (the final score of a weighted
scheme) or two (party and other score of the dual-100 and multiplicative schemes), and for any
effort put into an index the best split across its tasks is known (:mod:`._frontier`); for any
effort left over, the best prevention effort on the veto items is a water-filling rule
(:func:`veto_effort`). What remains is to choose the total effort ``e = E tau**(1/gamma)`` and,
with two indices, the share ``theta`` going to the party score.

That choice is not concave: the expected reward is S-shaped around each cut-off, so a unit far
below a cut-off may do best by giving up. Gradient methods would stop at whichever local optimum
is nearest; instead every unit's objective is evaluated on a grid over ``tau`` (and ``theta``)
as one array, the best grid point is kept, and a shrinking pattern search (halving the step 22
times) refines it to about 1e-8. Ties go to the smaller effort.

Rows are independent, so the search runs over blocks of rows (about ``BLOCK`` grid points
each): the temporaries then stay in cache and are reused instead of being allocated afresh
for hundreds of thousands of rows, which roughly halves the time of large sweeps and gives the
same numbers as one batch.
"""

from __future__ import annotations

import numpy as np

from ._reward import expected_reward, product_stats

__all__ = ["search", "veto_effort", "index_stats", "objective"]

GRID, GRID_THETA, ZOOMS = 41, 21, 22
BLOCK = 2**16  # (row, grid point) pairs per block of the search
OFFSETS = np.array([-1.0, -0.5, 0.5, 1.0])  # around the best point so far (not re-evaluated)
_ring = [
    (a, b) for a in (-1.0, -0.5, 0.0, 0.5, 1.0) for b in (-1.0, -0.5, 0.0, 0.5, 1.0) if (a, b) != (0.0, 0.0)
]
OFF_T, OFF_TH = (np.array(x) for x in zip(*_ring))


def veto_effort(lnK, s, budget, c):
    """Prevention effort on veto items given the effort ``budget`` left (water-filling).

    Minimising ``sum_j L_j p0_j exp(-v_j / s_j) + c sum_j v_j`` with ``sum_j v_j <= budget`` gives
    ``v_j = s_j (ln K_j - ln lambda)^+`` with ``K_j = L_j p0_j / s_j`` and ``lambda = c`` when the
    budget is slack (the fixed insurance effort of :func:`veto_insurance_effort`), otherwise the
    lambda > c at which the efforts fill the budget (crowding out).

    Parameters: lnK, s (R, 1, V) sorted by lnK descending; budget (R, P); c (R, 1).
    Returns ln lambda (R, P).
    """
    ct = np.cumsum(np.where(np.isfinite(lnK), s * lnK, 0.0), axis=-1)
    cs = np.cumsum(s, axis=-1)
    lnlam = (ct - budget[..., None]) / cs
    nxt = np.concatenate([lnK[..., 1:], np.full(lnK.shape[:-1] + (1,), -np.inf)], axis=-1)
    ok = np.isfinite(lnK) & (lnlam >= nxt - 1e-12) & (lnlam <= lnK + 1e-12)
    first = np.argmax(ok, axis=-1)[..., None]
    lam_b = np.where(
        ok.any(axis=-1), np.take_along_axis(np.broadcast_to(lnlam, ok.shape), first, -1)[..., 0], np.inf
    )
    with np.errstate(divide="ignore"):
        return np.maximum(lam_b, np.log(c))


def _veto_cost(prob, rows, budget, c):
    """Expected veto loss plus the cost of prevention effort, for leftover budgets (R, P)."""
    if prob.vlnK.shape[1] == 0:
        return np.zeros_like(budget)
    lnK, s, Lp0 = prob.vlnK[rows][:, None, :], prob.vs[rows][:, None, :], prob.vLp0[rows][:, None, :]
    lnlam = veto_effort(lnK, s, budget, c)[..., None]
    gap = np.maximum(lnK - lnlam, 0.0)
    gap = np.where(np.isfinite(lnK), gap, 0.0)
    return np.sum(Lp0 * np.exp(-gap) + c[..., None] * s * gap, axis=-1)


def index_stats(prob, rows, fronts, tau, theta):
    """Expected indices and their SDs at (tau, theta): dict of (R, P) arrays."""
    g = prob.gamma
    if prob.kind == "linear":
        return {"F": fronts[0].mu(tau), "sF": prob.index_sd(0)[rows][:, None]}
    st = {
        "P": fronts[0].mu(theta**g * tau),
        "O": fronts[1].mu((1.0 - theta) ** g * tau),
        "sP": prob.index_sd(0)[rows][:, None],
        "sO": prob.index_sd(1)[rows][:, None],
    }
    if prob.kind == "product":
        st["F"], st["sF"] = product_stats(st["P"], st["sP"], st["O"], st["sO"])
    return st


def objective(prob, rows, fronts, cuts, tau, theta):
    """Each unit's expected payoff at (tau, theta), (R, P)."""
    E, c = prob.E[rows][:, None], prob.c[rows][:, None]
    used = E * tau ** (1.0 / prob.gamma)
    st = index_stats(prob, rows, fronts, tau, theta)
    return expected_reward(prob, rows, st, cuts) - c * used - _veto_cost(prob, rows, E - used, c)


def search(prob, rows, fronts, cuts):
    """Best (tau, theta) for every row: global grid, then a shrinking pattern search.

    Returns (tau, theta, objective) arrays of shape (R,); runs over blocks of rows.
    """
    R = len(rows)
    points = GRID * GRID_THETA if prob.kind != "linear" else GRID
    size = max(1, BLOCK // points)
    if R <= size:
        return _search(prob, rows, fronts, cuts)
    out = np.empty((3, R))
    for start in range(0, R, size):
        blk = slice(start, start + size)
        sub = [f.take(blk) for f in fronts]
        out[:, blk] = _search(prob, rows[blk], sub, {k: v[blk] for k, v in cuts.items()})
    return out[0], out[1], out[2]


def _search(prob, rows, fronts, cuts):
    R = len(rows)
    two = prob.kind != "linear"
    t_axis = np.linspace(0.0, 1.0, GRID)
    if two:
        th_axis = np.linspace(0.0, 1.0, GRID_THETA)
        tau = np.broadcast_to(np.repeat(t_axis, GRID_THETA), (R, GRID * GRID_THETA))
        theta = np.broadcast_to(np.tile(th_axis, GRID), (R, GRID * GRID_THETA))
    else:
        tau, theta = np.broadcast_to(t_axis, (R, GRID)), None
    vals = objective(prob, rows, fronts, cuts, tau, theta)
    k = np.argmax(vals, axis=1)[:, None]
    bt = np.take_along_axis(tau, k, 1)[:, 0]
    bth = np.take_along_axis(theta, k, 1)[:, 0] if two else np.zeros(R)
    best = np.take_along_axis(vals, k, 1)[:, 0]
    h, hth = 1.0 / (GRID - 1), 1.0 / (GRID_THETA - 1)
    for __ in range(ZOOMS):
        if two:
            ct = np.clip(bt[:, None] + h * OFF_T[None, :], 0, 1)
            cth = np.clip(bth[:, None] + hth * OFF_TH[None, :], 0, 1)
        else:
            ct, cth = np.clip(bt[:, None] + h * OFFSETS[None, :], 0, 1), None
        vals = objective(prob, rows, fronts, cuts, ct, cth)
        k = np.argmax(vals, axis=1)[:, None]
        v = np.take_along_axis(vals, k, 1)[:, 0]
        better = v > best
        bt = np.where(better, np.take_along_axis(ct, k, 1)[:, 0], bt)
        if two:
            bth = np.where(better, np.take_along_axis(cth, k, 1)[:, 0], bth)
        best = np.maximum(best, v)
        h, hth = h / 2, hth / 2
    return bt, bth, best
