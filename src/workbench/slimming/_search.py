"""Searching for the largest set of items to drop: greedy, and exact over small candidate sets.

Both searches score whole batches of candidate subsets with the scoring kernel (one pass per
batch). The exact search enumerates every subset of the candidates as a bit mask, orders the
subsets by the objective (items removed, or hours saved) and evaluates them best-first in chunks,
skipping every subset that cannot beat the greedy solution; it stops at the first objective level
that holds a feasible subset. That is exhaustive over the subsets that could win, hence exact.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Constraints", "greedy_search", "exact_search"]


@dataclass(frozen=True)
class Constraints:
    """What a slimmed rubric must keep: Spearman with the full ranking and at most so many grade changes."""

    min_spearman: float
    max_grade_changes: int
    max_mean_rank_shift: float | None = None

    def feasible(self, res: dict) -> np.ndarray:
        ok = (res["spearman"] >= self.min_spearman - 1e-12) & (res["grade_changes"] <= self.max_grade_changes)
        if self.max_mean_rank_shift is not None:
            ok &= res["mean_rank_shift"] <= self.max_mean_rank_shift + 1e-12
        return ok


def _primary(objective: str, masks: np.ndarray, hours: np.ndarray) -> np.ndarray:
    return masks.sum(axis=1).astype(float) if objective == "items" else masks @ hours


def greedy_search(rs, candidates, hours, cons: Constraints, objective: str):
    """Remove one item at a time, each time the feasible item that best keeps the objective.

    ``objective='items'`` takes the feasible item with the highest Spearman (then fewer grade
    changes, then more hours saved); ``'burden'`` the one that saves the most hours (then the highest
    Spearman). Stops when no further removal is feasible.

    Returns
    -------
    order : list of item positions, in removal order
    steps : list of dict (metrics after each step)
    evaluations : int
    """
    m = len(rs.codes)
    removed = np.zeros(m, dtype=bool)
    remaining = list(candidates)
    order, steps, evaluations = [], [], 0
    while remaining and removed.sum() < m - 1:
        masks = np.repeat(removed[None, :], len(remaining), axis=0)
        masks[np.arange(len(remaining)), remaining] = True
        res = rs.evaluate(masks)
        evaluations += len(remaining)
        ok = cons.feasible(res)
        if not ok.any():
            break
        rho = np.nan_to_num(res["spearman"], nan=-2.0)
        h = hours[remaining]
        if objective == "items":
            keys = (h, -res["grade_changes"], rho)
        else:
            keys = (rho, h)
        pick_order = np.lexsort(keys)[::-1]  # last key is primary; best last -> reversed
        best = next(k for k in pick_order if ok[k])
        j = remaining.pop(int(best))
        removed[j] = True
        order.append(j)
        steps.append(
            {
                "spearman": float(res["spearman"][best]),
                "grade_changes": int(res["grade_changes"][best]),
                "mean_rank_shift": float(res["mean_rank_shift"][best]),
            }
        )
    return order, steps, evaluations


def exact_search(rs, candidates, hours, cons: Constraints, objective: str, incumbent, *, chunk=None):
    """Best feasible subset of ``candidates`` by the objective (ties: highest Spearman).

    ``incumbent`` (item positions, e.g. the greedy solution, feasible) bounds the search: subsets
    whose objective is below it are never evaluated.

    Returns
    -------
    best : list of item positions (the incumbent when nothing beats it)
    evaluations : int
    """
    m = len(rs.codes)
    cand = np.asarray(candidates, dtype=np.int64)
    c = len(cand)
    if c == 0:
        return list(incumbent), 0
    ids = np.arange(1, 2**c, dtype=np.int64)
    bits = ((ids[:, None] >> np.arange(c)) & 1).astype(bool)
    if c == m:  # a rubric needs at least one item
        bits = bits[bits.sum(axis=1) < m]
    masks_c = bits
    prim = _primary(objective, masks_c, hours[cand])
    inc_mask = np.zeros(m, dtype=bool)
    inc_mask[list(incumbent)] = True
    bound = float(_primary(objective, inc_mask[None, :], hours)[0]) if len(incumbent) else 0.0
    keep = prim >= bound - 1e-9
    masks_c, prim = masks_c[keep], prim[keep]
    order = np.argsort(-prim, kind="stable")
    masks_c, prim = masks_c[order], prim[order]
    chunk = chunk or max(256, int(4_000_000 // max(rs.n, 1)))
    best, best_key, evaluations = list(incumbent), None, 0
    if len(incumbent):
        res = rs.evaluate(inc_mask[None, :])
        best_key = (bound, float(res["spearman"][0]))
    for start in range(0, len(prim), chunk):
        if best_key is not None and prim[start] < best_key[0] - 1e-9:
            break
        sub = masks_c[start : start + chunk]
        full = np.zeros((len(sub), m), dtype=bool)
        full[:, cand] = sub
        res = rs.evaluate(full)
        evaluations += len(sub)
        ok = cons.feasible(res)
        if not ok.any():
            continue
        rho = np.where(ok, np.nan_to_num(res["spearman"], nan=-2.0), -np.inf)
        p = np.where(ok, prim[start : start + chunk], -np.inf)
        k = np.lexsort((rho, p))[-1]
        key = (float(p[k]), float(rho[k]))
        if best_key is None or key > best_key:
            best_key, best = key, list(cand[sub[k]])
    return [int(j) for j in best], evaluations
