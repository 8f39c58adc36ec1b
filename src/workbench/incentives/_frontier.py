"""Efficient frontier of a score index: the best index a unit can reach with a given effort.

Within one index (the final score, or the party / other score of a two-score scheme) a unit
spreads effort e so as to maximise ``mu(e) = sum_k w_k s_k(A_k eps_k**gamma)``, a concave problem.
Its first-order conditions ``w_k s_k'(x_k) A_k gamma eps_k**(gamma-1) = nu`` give:

- linear scores: ``eps_k / e = (w_k A_k)**p / sum_j (w_j A_j)**p`` with ``p = 1/(1-gamma)`` and
  ``mu = mu0 + Atil e**gamma``, ``Atil = ||w A||_p`` (the closed form of :func:`effort_shares`);
  with ``gamma = 1`` all effort goes to the largest ``w_k A_k`` (perfect substitutes);
- compressed scores (``s = b + H (1 - exp(-x / H))``): for a given nu each task's condition is
  solved in closed form with the Lambert W function, and nu is found by a safeguarded Newton
  search so that the efforts add up to e. These frontiers are tabulated once per design on a
  grid of ``tau = (e / E)**gamma`` (where the linear frontier is a straight line) and
  interpolated with cubic Hermite polynomials using the exact slopes ``d mu / d tau``.

Because the reward depends on effort only through one or two indices, a unit's whole problem
reduces to choosing points on these frontiers (see :mod:`._best_response`).
"""

from __future__ import annotations

import numpy as np

__all__ = ["Frontier", "wexp"]

NODES = 40


def wexp(ell: np.ndarray) -> np.ndarray:
    """Lambert W of exp(ell): the w > 0 with w + ln w = ell, for any real (or -inf) ell.

    Starts from Winitzki's (2003) approximation ``L (1 - ln(1 + L) / (2 + L))`` with
    ``L = ln(1 + e**ell)`` (within 2% everywhere), then Halley steps on ``v = ln w`` for
    ``e**v + v - ell`` (cubic convergence); works in logs, so huge ell does not overflow.
    """
    ell = np.asarray(ell, dtype=float)
    fin = np.isfinite(ell)
    e = np.where(fin, ell, 0.0)
    L = np.logaddexp(0.0, e)
    with np.errstate(divide="ignore", over="ignore"):
        v = np.where(e < -30.0, e - np.exp(e), np.log(L * (1.0 - np.log1p(L) / (2.0 + L))))
    for __ in range(8):
        ev = np.exp(v)
        h, d1 = ev + v - e, ev + 1.0
        step = 2.0 * h * d1 / (2.0 * d1 * d1 - h * ev)
        v = v - step
        if np.max(np.abs(step)) < 1e-13:
            break
    return np.where(fin, np.exp(v), np.where(ell > 0, np.inf, 0.0))


def _score(base, H, x):
    """Measured score: base + x, or compressed below the ceiling base + H."""
    flat = np.isinf(H)
    Hs = np.where(flat, 1.0, H)
    return base + np.where(flat, x, Hs * -np.expm1(-x / Hs))


class Frontier:
    """Frontier of one index for every row (internal). ``mu(tau)`` evaluates it on (R, P) arrays."""

    def __init__(self, w, A, base, H, E, gamma, nodes: int = NODES, _table=None):
        self.w, self.A, self.base, self.H, self.E, self.gamma = w, A, base, H, E, gamma
        self.mu0 = np.sum(w * base, axis=1)
        c = w * A
        cmax = c.max(axis=1) if c.shape[1] else np.zeros(len(E))
        if gamma < 1.0:
            p = 1.0 / (1.0 - gamma)
            safe = np.where(cmax > 0, cmax, 1.0)[:, None]
            self.atil = cmax * np.sum((c / safe) ** p, axis=1) ** (1.0 / p)
        else:
            self.atil = cmax
        self.slope0 = self.atil * E**gamma
        self.exact = bool(np.all(np.isinf(H)))
        self.nodes = nodes
        if _table is not None:
            self.table_mu, self.table_slope = _table
        elif not self.exact:
            self._tabulate()

    def take(self, rows) -> Frontier:
        t = None if self.exact else (self.table_mu[rows], self.table_slope[rows])
        return Frontier(
            self.w[rows], self.A[rows], self.base[rows], self.H[rows], self.E[rows], self.gamma, self.nodes, t
        )

    # ------------------------------------------------------------------ allocation
    def allocate(self, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Efforts per task (R, J, Kg) and nu (R, J) for index efforts e (R, J)."""
        e = np.asarray(e, dtype=float)
        w, A = self.w[:, None, :], self.A[:, None, :]
        c = w * A
        pos = e > 0
        safe_e = np.where(pos, e, 1.0)
        if self.gamma == 1.0:
            top = (c == c.max(axis=2, keepdims=True)) & (c > 0)
            share = top / np.maximum(top.sum(axis=2, keepdims=True), 1)
            return share * np.where(pos, e, 0.0)[..., None], np.broadcast_to(
                self.atil[:, None], e.shape
            ).copy()
        g = self.gamma
        p = 1.0 / (1.0 - g)
        cmax = np.where(c.max(axis=2, keepdims=True) > 0, c.max(axis=2, keepdims=True), 1.0)
        r = (c / cmax) ** p
        eps = r / np.maximum(r.sum(axis=2, keepdims=True), 1e-300) * np.where(pos, e, 0.0)[..., None]
        with np.errstate(divide="ignore"):
            nu = g * self.atil[:, None] * safe_e ** (g - 1.0)
        if self.exact:
            return eps, nu
        return self._numeric(e, np.log(np.maximum(nu, 1e-300)))

    def _numeric(self, e, lnnu0):
        """Safeguarded Newton on ln nu so that the tasks' efforts add up to e (compressed scores).

        Works on the flattened (row, point) pairs that have not converged yet, so the few slow
        ones do not make every pair iterate.
        """
        g = self.gamma
        alpha = (1.0 - g) / g
        shape = e.shape
        K = self.w.shape[1]
        rows = np.broadcast_to(np.arange(shape[0])[:, None], shape).ravel()
        w, A, H = self.w[rows], self.A[rows], self.H[rows]
        c = w * A
        ef = e.ravel()
        with np.errstate(divide="ignore"):
            lnc = np.log(c * g)
            lnk = np.log(A / (H * alpha))
        y = lnnu0.ravel().copy()
        # the root lies between the uncompressed nu and nu times the strongest compression factor
        squeeze = np.where(c > 0, A * np.maximum(ef, 0.0)[:, None] ** g / H, 0.0).max(axis=1)
        hi, lo = y + 1e-12, y - squeeze - 1e-9
        eps = np.zeros((len(ef), K))
        idx = np.flatnonzero((ef > 0) & (c.max(axis=1) > 0))
        for __ in range(100):
            if idx.size == 0:
                break
            D = lnc[idx] - y[idx, None]
            with np.errstate(invalid="ignore"):
                W = wexp(lnk[idx] + D / alpha)
            # z = gamma ln(eps) solves z + (A / (H alpha)) e**z = D / alpha: z = D / alpha - W(...)
            ep = np.where(c[idx] > 0, np.exp((D / alpha - W) / g), 0.0)
            eps[idx] = ep
            S = ep.sum(axis=1)
            h = np.log(np.maximum(S, 1e-300)) - np.log(ef[idx])
            done = np.abs(h) < 1e-12
            dh = np.sum(ep * (-1.0 / ((1.0 - g) * (1.0 + W))), axis=1) / np.maximum(S, 1e-300)
            yi = y[idx]
            hi[idx] = np.where(h < 0, yi, hi[idx])
            lo[idx] = np.where(h > 0, yi, lo[idx])
            step = yi - h / np.where(dh < 0, dh, -1.0)
            step = np.where((step >= lo[idx]) & (step <= hi[idx]), step, 0.5 * (lo[idx] + hi[idx]))
            y[idx] = np.where(done, yi, step)
            idx = idx[~done]
        return eps.reshape(shape + (K,)), np.exp(y).reshape(shape)

    # ------------------------------------------------------------------ index values
    def index(self, eps: np.ndarray) -> np.ndarray:
        """Expected index for task efforts eps (R, J, Kg)."""
        x = self.A[:, None, :] * eps**self.gamma
        return np.sum(self.w[:, None, :] * _score(self.base[:, None, :], self.H[:, None, :], x), axis=2)

    def _tabulate(self):
        M, g = self.nodes, self.gamma
        tau = np.arange(1, M + 1) / M
        e = self.E[:, None] * tau[None, :] ** (1.0 / g)
        eps, nu = self.allocate(e)
        mu = self.index(eps)
        slope = nu * (self.E[:, None] / g) * tau[None, :] ** (1.0 / g - 1.0)
        self.table_mu = np.column_stack([self.mu0, mu])
        self.table_slope = np.column_stack([self.slope0, slope])

    def mu(self, tau: np.ndarray) -> np.ndarray:
        """Index at effort ``E tau**(1/gamma)``; tau (R, P) in [0, 1]."""
        if self.exact:
            return self.mu0[:, None] + self.slope0[:, None] * tau
        M = self.nodes
        j = np.minimum((tau * M).astype(int), M - 1)
        t = tau * M - j
        h = 1.0 / M
        # flat gathers: one index array serves the four table look-ups
        flat = j + (np.arange(tau.shape[0]) * (M + 1))[:, None]
        mu, sl = self.table_mu.ravel(), self.table_slope.ravel()
        m0, m1, d0, d1 = mu[flat], mu[flat + 1], sl[flat], sl[flat + 1]
        t2 = t * t
        t3 = t2 * t
        return (
            (2 * t3 - 3 * t2 + 1) * m0
            + (t3 - 2 * t2 + t) * h * d0
            + (-2 * t3 + 3 * t2) * m1
            + (t3 - t2) * h * d1
        )


def build_frontiers(prob) -> list[Frontier]:
    """One frontier per index of the problem (1 for linear schemes, 2 for the two-score ones)."""
    return [
        Frontier(prob.w[:, m], prob.A[:, m], prob.base[:, m], prob.H[:, m], prob.E, prob.gamma)
        for m in prob.groups
    ]
