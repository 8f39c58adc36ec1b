"""Vectorised rescoring: many candidate weight sets at once, from a scorecard's fixed shares.

Removing an item never changes the shares the rules gave the other items, so a candidate rubric
is scored by recombining the fixed (units x items) share matrix with the candidate's full marks:
one matrix product for a whole batch of candidates. Ranks, Spearman correlations, grade bands,
veto floors and quotas are then computed on (candidates x units) arrays without a loop over
candidates or units, so a search can try hundreds of thousands of subsets.
"""

from __future__ import annotations

import numpy as np

from ._grading import GradingMixin

__all__ = ["Rescorer"]


class Rescorer(GradingMixin):
    """Score batches of candidate weight sets against the full rubric's scorecard.

    Parameters
    ----------
    rubric : Rubric
    card : Scorecard
        ``score(rubric, data)``; its shares, bonus, deduction, veto flags and other score are reused.
    weights : mapping, optional
        The weight overrides the scorecard was computed with.
    """

    def __init__(self, rubric, card, weights=None):
        self.rubric = rubric
        self.codes = rubric.indicators
        self.nodes = list(rubric.nodes)
        self.pos = {c: i for i, c in enumerate(self.nodes)}
        self.ind = np.array([self.pos[c] for c in self.codes])
        self.root = self.pos[rubric.root]
        self._tree_setup()
        shares = np.asarray(card._arrays["shares"], dtype=float)
        self.exempt = bool(np.isnan(shares).any())
        self.present = (~np.isnan(shares)).astype(float)
        table, inverse = card._arrays["full"]
        self.inverse = np.asarray(inverse)
        self.n = n = shares.shape[0]
        self.raw = self._raw_table(card, table, weights)  # (C, N)
        # each unit reads the full marks of its own category: spread its shares over a
        # (C*m) row so that one matrix product scores every unit of every category
        C, m = len(self.raw), len(self.codes)
        spread = np.zeros((2 if self.exempt else 1, n, C, m))
        spread[0, np.arange(n), self.inverse] = np.nan_to_num(shares, nan=0.0)
        if self.exempt:
            spread[1, np.arange(n), self.inverse] = self.present
        self.spread = spread.reshape(-1, C * m).T.copy()  # (C*m, n or 2n)
        self.onehot = np.zeros((C, n))
        self.onehot[self.inverse, np.arange(n)] = 1.0
        self.bonus_minus = card.bonus.to_numpy(float) - card.deduction.to_numpy(float)
        self.other = None if card.other is None else card.other.to_numpy(float)
        self._grading_setup(card)
        self.vetoed = card.vetoed.to_numpy(bool)
        # the engine ranks vetoed units after all others when the rubric says veto_rank: last
        self.veto_last = getattr(rubric, "veto_rank", "score") == "last" and bool(self.vetoed.any())
        full_key = self._rank_key(np.round(card.final.to_numpy(float)[None, :], 9))
        _, self.full_avg, self.full_min = _ranks(full_key)
        self.full_grade = self.grade_codes_of(card)
        self.ref_centered = self.full_avg[0] - self.full_avg[0].mean()

    # ------------------------------------------------------------------ weights
    def _raw_table(self, card, table, weights):
        from ..scoring.program import compile_rubric

        raw = compile_rubric(self.rubric).raw.copy()  # one row per raw-weight row of the scorecard
        for c, w in (weights or {}).items():
            raw[:, self.pos[c]] = float(w)
        return raw

    def keep_matrix(self, removed_masks: np.ndarray) -> np.ndarray:
        """Raw weights (N, C, K) for candidates given as (K, m) boolean masks of removed items.

        Batches are node-major (nodes x categories x candidates): the tree walk then reads whole
        contiguous rows, one per node.
        """
        removed_masks = np.asarray(removed_masks, dtype=bool)
        keep = np.ones((len(self.nodes), removed_masks.shape[0]))
        keep[self.ind] = ~removed_masks.T
        return self.raw.T[:, :, None] * keep[:, None, :]

    def _tree_setup(self):
        r = self.rubric
        depth = {r.root: 0}
        for c, node in r.nodes.items():
            if node.parent is not None:
                depth[c] = depth[node.parent] + 1
        internal = [c for c, nd in r.nodes.items() if nd.children]  # parents before children
        self.internal_pos = {self.pos[c]: k for k, c in enumerate(internal)}
        # (position, parent's row in the factor table, children positions, children that are blocks)
        self.internal = [
            (self.pos[c], self.internal_pos.get(self.pos.get(r.nodes[c].parent, -1), -1),
             np.array([self.pos[k] for k in r.nodes[c].children]),
             [self.pos[k] for k in r.nodes[c].children if r.nodes[k].children])
            for c in internal
        ]  # fmt: skip
        self.ind_parent = np.array([self.internal_pos[self.pos[r.nodes[c].parent]] for c in self.codes])

    def full_marks(self, raw: np.ndarray) -> np.ndarray:
        """Full marks (m, ...) of the items from node-major raw weights (N, ...).

        A block left without any weighted child drops out, so its weight goes to its siblings;
        every weight is renormalised within its parent (the rubric's own rule). Only blocks are
        walked; an item's full marks are its raw weight times its parent's factor
        (effective weight of the parent / sum of the parent's children's weights) times the scale.
        """
        shape = raw.shape
        r = raw.reshape(shape[0], -1)
        block_w, sums = {}, {}
        for p, _, kids, sub in reversed(self.internal):  # deepest first: emptiness propagates up
            s = r[kids].sum(axis=0)
            for k in sub:  # a child block counts with its own children's verdict
                s += block_w[k] - r[k]
            sums[p] = s
            if p != self.root:
                block_w[p] = np.where(s > 0, r[p], 0.0)
        factor = np.empty((len(self.internal), r.shape[1]))
        for k, (p, parent_row, _, _) in enumerate(self.internal):  # parents first
            eff = 1.0 if p == self.root else factor[parent_row] * block_w[p]
            np.divide(eff, sums[p], out=factor[k], where=sums[p] > 0)
            factor[k][~(sums[p] > 0)] = 0.0
        full = r[self.ind] * factor[self.ind_parent] * self.rubric.scale
        return full.reshape(len(self.ind), *shape[1:])

    # ------------------------------------------------------------------ scores
    def final(self, raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Final and total scores (K, n) for node-major raw weights (N, C, K)."""
        full = self.full_marks(raw)  # (m, C, K)
        m, C, K = full.shape
        a = full.transpose(1, 0, 2).reshape(C * m, K)
        prod = a.T @ self.spread
        points = prod[:, : self.n]
        avail = prod[:, self.n :] if self.exempt else full.sum(axis=0).T @ self.onehot
        with np.errstate(divide="ignore", invalid="ignore"):
            base = np.where(avail > 0, points * self.rubric.scale / avail, 0.0)
        total = base + self.bonus_minus
        s = self.rubric.scheme
        if s.type == "single":
            return total, total
        if s.type == "weighted":
            final = s.party_weight * total * 100.0 / self.rubric.scale + (1 - s.party_weight) * self.other * (
                100.0 / s.other_scale
            )
        elif s.type == "multiplicative":
            final = self.other * total / self.rubric.scale
        else:
            final = total + self.other
        return final, total

    def evaluate(self, raw: np.ndarray, *, keep_scores: bool = False) -> dict:
        """Spearman with the full ranking, grade changes and rank shifts for raw weights (N, C, K).

        Returns a dict of (K,) arrays: ``spearman``, ``grade_changes``, ``mean_rank_shift``,
        ``max_rank_shift``; with ``keep_scores`` also (K, n) ``final``, ``rank`` and ``grade``.
        """
        final, total = self.final(raw)
        key = np.round(final, 9)
        order, first, last = _sorted_runs(self._rank_key(key))
        # metrics are sums over units, so they are taken in each row's sorted order: the reference
        # ranks are gathered instead of scattering the new ones back
        n = key.shape[1]
        avg = (first + last) / 2.0 + 1.0
        c = avg - (n + 1) / 2.0  # the mean of average ranks is always (n + 1) / 2
        denom = np.sqrt((c * c).sum(axis=1) * (self.ref_centered**2).sum())
        with np.errstate(divide="ignore", invalid="ignore"):
            rho = (c * self.ref_centered[order]).sum(axis=1) / denom
        shift = np.abs(first + 1.0 - self.full_min[0][order])
        out = {
            "spearman": rho,
            "mean_rank_shift": shift.mean(axis=1),
            "max_rank_shift": shift.max(axis=1),
        }
        grades = None
        if self.has_grades:
            g_order = np.argsort(-key, axis=1) if self.veto_last else order
            g_sorted, g_order = self.grades(final, total, key, g_order, sorted_out=True)
            out["grade_changes"] = (g_sorted != self.full_grade[g_order]).sum(axis=1)
            if keep_scores:
                grades = np.empty_like(g_sorted)
                np.put_along_axis(grades, g_order, g_sorted, axis=1)
        else:
            out["grade_changes"] = np.zeros(len(rho), dtype=int)
        if keep_scores:
            rmin = np.empty(key.shape)
            np.put_along_axis(rmin, order, first + 1.0, axis=1)
            out.update(final=final, rank=rmin, grade=grades)
        return out

    def _rank_key(self, key: np.ndarray) -> np.ndarray:
        """The ranking key (K, n): vetoed units moved below every other unit when the rubric ranks
        them last (as the engine does, row by row)."""
        if not self.veto_last:
            return key
        span = key.max(axis=1, keepdims=True) - key.min(axis=1, keepdims=True) + 1.0
        return np.where(self.vetoed[None, :], key - span, key)


def _sorted_runs(key: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Descending order of each row of ``key`` (K, n) and, at each sorted position, the first and
    last position of its run of ties (0-based)."""
    K, n = key.shape
    # the order within a run of ties is irrelevant (ranks come from the run bounds), so the
    # faster unstable sort will do
    order = np.argsort(-key, axis=1)
    s = np.take_along_axis(key, order, axis=1)
    first = np.broadcast_to(np.arange(n, dtype=float), (K, n))
    last = first
    tie = s[:, 1:] == s[:, :-1]
    tied_rows = np.flatnonzero(tie.any(axis=1))
    if len(tied_rows):  # run bounds only in rows that have ties
        first, last = first.copy(), first.copy()
        t = np.zeros((len(tied_rows), n), dtype=bool)
        t[:, 1:] = tie[tied_rows]
        pos = np.broadcast_to(np.arange(n), t.shape)
        first[tied_rows] = np.maximum.accumulate(np.where(~t, pos, 0), axis=1)
        end = np.ones(t.shape, dtype=bool)
        end[:, :-1] = ~t[:, 1:]
        last[tied_rows] = np.minimum.accumulate(np.where(end, pos, n)[:, ::-1], axis=1)[:, ::-1]
    return order, first, last


def _ranks(key: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Descending order, average ranks and competition ranks (1 = largest, ties share the best)
    along axis 1 of ``key`` (K, n)."""
    order, first, last = _sorted_runs(key)
    avg = np.empty(key.shape)
    rmin = np.empty(key.shape)
    np.put_along_axis(avg, order, (first + last) / 2.0 + 1.0, axis=1)
    np.put_along_axis(rmin, order, first + 1.0, axis=1)
    return order, avg, rmin
