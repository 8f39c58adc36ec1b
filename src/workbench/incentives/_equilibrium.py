"""Quota tournaments as an equilibrium: damped fixed-point iteration on the cut-offs.

A quota (at most a share q of units in a grade) turns the grade into a tournament: the score a
unit needs is set by everyone else's effort. Each unit is small and takes the cut-off as given;
the cut-off implied by everyone's best responses is the score ``c`` at which the expected share
of units reaching it (and not vetoed) is q (``mean_i P_i(F_i >= c) = q``, or the band's lower
bound if fewer reach that). An equilibrium is a cut-off that reproduces itself. The iteration
``c <- c + rho (implied(c) - c)`` is damped (``rho`` halves when the residual grows), accelerated
by a secant step on ``implied(c) - c`` when that points the same way, and safeguarded by a
bracket: once the residual changes sign the cut-off stays inside the bracket, so when best
responses jump (a unit switching between trying and giving up) the iteration still closes in on
the jump, where that unit is indifferent (status ``'jump (indifferent units)'``). With several
quota grades the cut-offs are found best grade first (units demoted from a grade compete for the
next, as :func:`workbench.scoring.grades.apply_quota` does). For the dual-100 scheme only the top
grade can have a quota; it acts as a gate on P + O, treated as independent of the matrix grade.
All designs of a sweep iterate together; converged designs drop out of the batch.

References
----------
Lazear, E. and Rosen, S. (1981) Rank-order tournaments as optimum labor contracts. JPE 89(5).
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

from ._best_response import search, veto_effort
from ._frontier import _score
from ._reward import SD_FLOOR, band_probs, grade_probs, product_stats

__all__ = ["solve_all", "base_cutoffs"]

LOW = -1e9  # "no cut-off" for the dual-100 quota gate


def base_cutoffs(prob) -> np.ndarray:
    """Cut-offs without quotas, per design: band bounds (D, B-1), or no gate (D, 1) for dual-100."""
    D = prob.n_designs
    first = np.arange(D) * prob.n
    if prob.kind == "dual":
        return np.full((D, 1), LOW)
    return prob.bands[first, :-1].copy() if prob.bands.shape[1] > 1 else np.zeros((D, 0))


def cuts_for(prob, rows, kappa):
    """The cut-off dict the reward functions read, for ``rows``, from per-design ``kappa``."""
    d = prob.design[rows]
    if prob.kind == "dual":
        out = {"party": prob.pbands[rows, :-1], "other": prob.bands[rows, :-1]}
        if np.any(kappa[d, 0] > LOW):
            out["final"] = kappa[d, 0]
        return out
    return {"final": kappa[d]}


def finish(prob, rows, fronts, cuts, tau, theta):
    """Everything about the chosen efforts: task, gaming and veto efforts, outputs, scores."""
    g = prob.gamma
    E, c = prob.E[rows], prob.c[rows]
    used = E * tau ** (1.0 / g)
    parts = [used] if prob.kind == "linear" else [theta * used, (1.0 - theta) * used]
    K = prob.a.shape[1]
    eps = np.zeros((len(rows), K))
    for fr, m, e in zip(fronts, prob.groups, parts):
        ep, __ = fr.allocate(e[:, None])
        eps[:, m] = ep[:, 0, :]
    real = eps * prob.phi[rows]
    x = prob.A[rows] * eps**g
    scores = _score(prob.base[rows], prob.H[rows], x)
    w = prob.w[rows]
    st = {}
    for j, (name, m) in enumerate(zip(["F"] if prob.kind == "linear" else ["P", "O"], prob.groups)):
        st[name] = np.sum(w[:, m] * scores[:, m], axis=1)[:, None]
        st["s" + name] = prob.index_sd(j)[rows][:, None]
    if prob.kind == "product":
        st["F"], st["sF"] = product_stats(st["P"], st["sP"], st["O"], st["sO"])
    V = prob.vlnK.shape[1]
    v = np.zeros((len(rows), V))
    if V:
        lnK, s = prob.vlnK[rows], prob.vs[rows]
        lnlam = veto_effort(lnK[:, None, :], s[:, None, :], (E - used)[:, None], c[:, None])
        gap = np.where(np.isfinite(lnK), np.maximum(lnK - lnlam, 0.0), 0.0)
        v_sorted = s * gap
        p_sorted = prob.vp0[rows] * np.exp(-gap)
        order = prob.vorder[rows]
        np.put_along_axis(v, order, v_sorted, axis=1)
        p = np.zeros_like(v)
        np.put_along_axis(p, order, p_sorted, axis=1)
    else:
        p = v
    surv = np.prod(1.0 - p, axis=1)
    gp = grade_probs(prob, rows, st, cuts)[:, 0, :] if prob.rewards.shape[1] else np.zeros((len(rows), 0))
    if gp.shape[1]:
        # a vetoed unit gets the lowest grade (the strictest effect; caps are rarer)
        gp = gp * surv[:, None]
        gp[:, -1] += 1.0 - surv
    return {
        "tau": tau,
        "theta": theta,
        "eps": eps,
        "real": real,
        "gaming": eps - real,
        "output": prob.a[rows] * real**g,
        "scores": scores,
        "veto": v,
        "p_veto": p,
        "surv": surv,
        "grade_probs": gp,
        **{k: val[:, 0] for k, val in st.items()},
    }


def _share(prob, crit, rows, c):
    """Expected share of each design's units whose criterion score reaches c (D,)."""
    d = prob.design[rows]
    z = (crit["crit"] - c[d]) / np.maximum(crit["crit_sd"], SD_FLOOR)
    num = np.bincount(d, weights=crit["crit_w"] * ndtr(z), minlength=prob.n_designs)
    return num / prob.n


def implied_cutoffs(prob, sol, rows, kappa):
    """Cut-offs implied by the best responses in ``sol`` (rows of some designs), per design."""
    out = kappa.copy()
    q = prob.quota
    if prob.kind == "dual":
        top = prob.matrix == 0
        crit = {"crit": sol["P"] + sol["O"], "crit_sd": np.hypot(sol["sP"], sol["sO"])}
        pP = band_probs(sol["P"][:, None], sol["sP"][:, None], prob.pbands[rows, :-1])[:, 0]
        pO = band_probs(sol["O"][:, None], sol["sO"][:, None], prob.bands[rows, :-1])[:, 0]
        crit["crit_w"] = sol["surv"] * np.einsum("ra,ab,rb->r", pP, top, pO)
        target = np.nan_to_num(q[:, 0], nan=np.inf)
        return _solve_cut(prob, crit, rows, np.full(prob.n_designs, LOW), target, out, 0)
    crit = {"crit": sol["F"], "crit_sd": sol["sF"], "crit_w": sol["surv"]}
    prev = np.zeros(prob.n_designs)
    for j in range(kappa.shape[1]):
        bound = prob.bands[np.arange(prob.n_designs) * prob.n, j]
        target = prev + np.nan_to_num(q[:, j], nan=np.inf)
        out = _solve_cut(prob, crit, rows, bound, target, out, j)
        prev = _share(prob, crit, rows, out[:, j])
    return out


def _solve_cut(prob, crit, rows, bound, target, out, j):
    """Lowest cut >= bound whose expected share is <= target (bisection, all designs at once)."""
    present = np.zeros(prob.n_designs, bool)
    present[np.unique(prob.design[rows])] = True
    at_bound = _share(prob, crit, rows, bound)
    binding = present & (at_bound > target + 1e-15)
    lo = bound.copy()
    hi = np.full(prob.n_designs, np.max(crit["crit"] + 40 * np.maximum(crit["crit_sd"], 1.0)) + 1.0)
    for __ in range(200):
        mid = 0.5 * (lo + hi)
        over = _share(prob, crit, rows, mid) > target
        lo, hi = np.where(over, mid, lo), np.where(over, hi, mid)
        if np.all((hi - lo)[binding] < 1e-12 * np.maximum(1.0, np.abs(hi[binding]))):
            break
    out[:, j] = np.where(binding, hi, np.where(present, bound, out[:, j]))
    return out


def solve_rows(prob, fronts, rows, kappa):
    cuts = cuts_for(prob, rows, kappa)
    sub = [f.take(rows) for f in fronts]
    tau, theta, __ = search(prob, rows, sub, cuts)
    return finish(prob, rows, sub, cuts, tau, theta)


def solve_all(prob, fronts, *, kappa=None, equilibrium=True, damping=0.5, tol=1e-6, max_iter=200):
    """Solve every design; with quotas (and ``equilibrium``) iterate the cut-offs to a fixed point.

    Returns (solution dict over all rows, kappa (D, J), diagnostics dict of (D,) arrays, history).
    """
    D = prob.n_designs
    rows_all = np.arange(len(prob.design))
    kappa = base_cutoffs(prob) if kappa is None else np.array(kappa, dtype=float)
    has_q = ~np.all(np.isnan(prob.quota), axis=1) if prob.quota.shape[1] else np.zeros(D, bool)
    sol = solve_rows(prob, fronts, rows_all, kappa)
    diag = {
        "iterations": np.zeros(D, int),
        "residual": np.zeros(D),
        "converged": np.ones(D, bool),
        "damping": np.full(D, float(damping)),
        "status": np.array(["fixed point" if q else "no quota" for q in has_q & equilibrium], dtype=object),
    }
    history = []
    if not (equilibrium and has_q.any()):
        return sol, kappa, diag, history
    implied = implied_cutoffs(prob, sol, rows_all, kappa)
    history.append((0, kappa.copy(), np.abs(implied - kappa).max(axis=1)))
    kappa = np.where(has_q[:, None], implied, kappa)  # a full first step from the bands
    lo, hi = np.full(kappa.shape, -np.inf), np.full(kappa.shape, np.inf)
    rho, prev = np.full(D, float(damping)), np.full(D, np.inf)
    k_old = g_old = None
    active = has_q.copy()
    diag["converged"] = ~has_q
    for it in range(1, max_iter + 1):
        rows = rows_all[active[prob.design]]
        sub = solve_rows(prob, fronts, rows, kappa)
        for key, val in sub.items():
            if isinstance(val, np.ndarray) and val.shape[:1] == (len(rows),):
                sol[key][rows] = val
        g = implied_cutoffs(prob, sub, rows, kappa) - kappa
        res = np.abs(g).max(axis=1)
        history.append((it, kappa.copy(), np.where(active, res, np.nan)))
        lo = np.where(active[:, None] & (g > 0), np.maximum(lo, kappa), lo)
        hi = np.where(active[:, None] & (g < 0), np.minimum(hi, kappa), hi)
        fixed = active & (res < tol)
        jump = active & ~fixed & np.all(np.where(g != 0, hi - lo, 0.0) < tol, axis=1)
        done = fixed | jump
        diag["status"] = np.where(jump, "jump (indifferent units)", diag["status"])
        diag["iterations"] = np.where(active, it, diag["iterations"])
        diag["residual"] = np.where(active, res, diag["residual"])
        diag["converged"] |= done
        rho = np.where(active & (res > prev), np.maximum(rho / 2, 0.05), rho)
        prev = np.where(active, res, prev)
        step = kappa + rho[:, None] * g
        if k_old is not None:
            # secant on g(kappa) = implied - kappa where it points the same way as the damped step
            with np.errstate(divide="ignore", invalid="ignore"):
                slope = (g - g_old) / (kappa - k_old)
                sec = kappa - g / slope
            use = np.isfinite(sec) & (slope < 0) & (np.sign(sec - kappa) == np.sign(g))
            step = np.where(use, sec, step)
        k_old, g_old = kappa.copy(), g.copy()
        inside = (step > lo) & (step < hi)
        with np.errstate(invalid="ignore"):
            mid = np.where(np.isfinite(lo) & np.isfinite(hi), 0.5 * (lo + hi), step)
        moving = (active & ~done)[:, None]
        kappa = np.where(moving, np.where(inside, step, mid), kappa)
        diag["damping"] = rho
        active &= ~done
        if not active.any():
            break
    diag["status"] = np.where(active, "max_iter", diag["status"])
    return sol, kappa, diag, history
