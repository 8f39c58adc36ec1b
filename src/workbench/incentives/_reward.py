"""Expected reward under measurement noise: smooth in effort, steepest near the cut-offs.

With normal noise on each task score, the final score of a weighted (linear) scheme is normal,
so the probability of reaching a cut-off is a normal CDF of the distance to it; the marginal
reward of effort is the normal density there, largest for units whose expected score is near the
cut-off. The dual-100 grade is a product of the two scores' band probabilities (independent
noise); the multiplicative score is treated as normal with its exact mean and variance.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

__all__ = ["reach", "band_probs", "product_stats", "expected_reward", "grade_probs"]

SD_FLOOR = 1e-9  # without noise the CDF becomes a step; keep it numerically a step


def reach(mu, sd, cuts):
    """P(score >= cut_j): mu (R, P), sd (R, P) or (R, 1), cuts (R, J) -> (R, P, J)."""
    return ndtr((mu[..., None] - cuts[:, None, :]) / np.maximum(sd, SD_FLOOR)[..., None])


def band_probs(mu, sd, cuts):
    """Probabilities of each band (best first): (R, P, B) from the B - 1 upper cut-offs."""
    G = reach(mu, sd, cuts)
    G = np.concatenate([np.zeros(G.shape[:-1] + (1,)), G, np.ones(G.shape[:-1] + (1,))], axis=-1)
    return np.diff(G, axis=-1)


def product_stats(muP, sP, muO, sO):
    """Mean and SD of F = O P / 100 for independent normal P and O."""
    var = (muO**2 * sP**2 + muP**2 * sO**2 + sP**2 * sO**2) / 1e4
    return muP * muO / 100.0, np.sqrt(var)


def grade_probs(prob, rows, st, cuts):
    """Expected probability of each grade before veto: (R, P, B)."""
    kind = prob.kind
    if kind == "dual":
        pP = band_probs(st["P"], st["sP"], cuts["party"])
        pO = band_probs(st["O"], st["sO"], cuts["other"])
        M = prob.matrix
        B = M.shape[0]
        onehot = (M[..., None] == np.arange(B)).astype(float)  # (B, B, B)
        out = np.einsum("rpa,abg,rpb->rpg", pP, onehot, pO)
        if "final" in cuts:
            gate = reach(st["P"] + st["O"], np.sqrt(st["sP"] ** 2 + st["sO"] ** 2), cuts["final"][:, None])[
                ..., 0
            ]
            moved = out[..., 0] * (1.0 - gate)
            out[..., 0] -= moved
            out[..., 1] += moved
        return out
    return band_probs(st["F"], st["sF"], cuts["final"])


def expected_reward(prob, rows, st, cuts):
    """Expected reward of the grades plus ``per_point`` times the final score: (R, P)."""
    rewards = prob.rewards[rows]
    B = rewards.shape[1]
    F = st["P"] + st["O"] if prob.kind == "dual" else st["F"]
    out = prob.per_point[rows][:, None] * F
    if B == 0:
        return out
    if B == 1:
        return out + rewards[:, :1]
    if prob.kind != "dual":
        dr = rewards[:, :-1] - rewards[:, 1:]
        # sum_j dr_j P(F >= cut_j), one cut at a time: no (R, P, J) temporaries, same sums in order
        F, cut = st["F"], cuts["final"]
        sd = np.maximum(st["sF"], SD_FLOOR)
        gain = None
        for j in range(dr.shape[1]):
            term = ndtr((F - cut[:, j : j + 1]) / sd) * dr[:, j : j + 1]
            gain = term if gain is None else gain + term
        return out + rewards[:, -1:] + gain
    return out + np.einsum("rpg,rg->rp", grade_probs(prob, rows, st, cuts), rewards)
