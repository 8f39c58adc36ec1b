"""Candidate rubrics scored by the kernel and compared with the full rubric.

Removing an item never changes the shares the rules gave the other items, so a candidate is a
variant of the full scoring: the removed items as a mask, a merge as changed raw weights. Whole
batches of candidates go through :func:`workbench.scoring.kernel.evaluate` at once, and the
comparison with the full rubric (Spearman of the final scores' ranks, grade changes, rank shifts)
is taken on (candidates x units) arrays.
"""

from __future__ import annotations

import numpy as np

from ..scoring import grades as G
from ..scoring.engine import weight_overrides
from ..scoring.kernel import evaluate

__all__ = ["Candidates"]


class Candidates:
    """Score batches of candidate rubrics against the full rubric's scorecard.

    Parameters
    ----------
    rubric : Rubric
    card : Scorecard  ``score(rubric, data, weights=weights)``
    weights : mapping, optional  the weight overrides the scorecard was computed with
    """

    def __init__(self, rubric, card, weights=None):
        self.rubric = rubric
        self.codes = rubric.indicators
        self.program = card._arrays["program"]
        self.inputs = card._arrays["inputs"]
        self.n = self.inputs.n
        self.weights = weight_overrides(self.program, weights, func="slim") if weights else None
        self.present = (~np.isnan(self.inputs.shares)).sum(axis=1)  # units each item counts for
        ev = self._evaluate(1, {})
        self.full_avg = ev.sorted.ranks(float, last=self._last(), average=True)[0]
        self.full_min = ev.rank[0]
        self.full_grade = ev.grade[0] if ev.grade is not None else np.zeros(self.n, dtype=np.int8)
        self.ref_centered = self.full_avg - (self.n + 1) / 2.0

    def _last(self):
        return self.inputs.vetoed if self.program.veto_last else None

    def _evaluate(self, r_: int, variants: dict):
        w = variants.pop("weights", None)
        if w is None and self.weights is not None:
            w = np.broadcast_to(self.weights, (r_, self.weights.shape[1]))
        return evaluate(self.program, self.inputs, weights=w, **variants)

    def raw_rows(self) -> np.ndarray:
        """Raw node weights per raw-weight row (K, N), with the scorecard's overrides applied."""
        raw = self.program.raw.copy()
        if self.weights is not None:
            raw = np.where(np.isnan(self.weights), raw, self.weights)
        return raw

    def evaluate(self, removed=None, weights=None, *, keep_scores: bool = False) -> dict:
        """Spearman with the full ranking, grade changes and rank shifts of R candidates.

        Parameters
        ----------
        removed : bool array (R, m), optional  items each candidate drops
        weights : float array (R, K, N), optional  raw weights of each candidate (merges)

        Returns
        -------
        dict of (R,) arrays ``spearman``, ``grade_changes``, ``mean_rank_shift``,
        ``max_rank_shift``; with ``keep_scores`` also (R, n) ``final``, ``rank`` and ``grade``.
        """
        r_ = len(removed if removed is not None else weights)
        ev = self._evaluate(r_, {"removed": removed, "weights": weights, "ranks": False})
        srt = ev.sorted if ev.sorted is not None else G.SortedRows(G.round9(ev.final))
        # the comparison is a sum over units, so it is taken in each row's sorted order: the full
        # rubric's ranks are gathered there instead of scattering the candidates' ranks back
        last = self._last()
        c = srt.sorted_ranks(last, average=True) - (self.n + 1) / 2.0  # mean rank is (n + 1) / 2
        denom = np.sqrt((c * c).sum(axis=1) * (self.ref_centered**2).sum())
        with np.errstate(divide="ignore", invalid="ignore"):
            rho = (c * self.ref_centered[srt.order]).sum(axis=1) / denom
        shift = np.abs(srt.sorted_ranks(last) - self.full_min[srt.order])
        out = {"spearman": rho, "mean_rank_shift": shift.mean(axis=1), "max_rank_shift": shift.max(axis=1)}
        if ev.grade is not None:
            out["grade_changes"] = (ev.grade != self.full_grade).sum(axis=1)
        else:
            out["grade_changes"] = np.zeros(r_, dtype=int)
        if keep_scores:
            out.update(final=ev.final, rank=srt.ranks(float, last=last), grade=ev.grade)
        return out
