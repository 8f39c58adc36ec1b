"""The scoring kernel: R variants x n units in one vectorised pass.

A variant of a scoring changes what a rubric can change without re-running its rules: the
weights (per category where the rubric has categories), the party weight of a weighted scheme, the
quota shares, which items are removed, which veto items apply. Shares of full marks do not depend
on any of these, so for R variants

1. raw weights (R, K, N) -> full marks (R, K, m) by the rubric's own rule (relative within each
   parent, effective weight = product down the tree, times the scale);
2. points of the root (and of a target block) = full marks (R, m) @ shares (m, n), one matrix
   product per raw-weight row (category), and the full marks available to each unit;
3. base = points x scale / available, total = base + bonus - deduction, the scheme's final score;
4. grades: bands of the final score rounded to 9 decimals (or the dual-100 matrix), veto floors,
   quotas best grade first within their scope; ranks (1 = best, ties share the best rank, vetoed
   units last when the rubric says so), all read off one sort per row
   (:mod:`workbench.scoring.grades`).

:func:`workbench.score` is this kernel with R = 1; uncertainty, Sobol' indices, remove-one,
slimming, the weight simulator and the incentive model call it with their variants.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import grades as G
from .program import Inputs, Program

__all__ = ["Evaluation", "evaluate", "full_marks", "block_points", "variant_count"]


@dataclass(frozen=True, eq=False)
class Evaluation:
    """Arrays of R variants (rows) x n units; None where not asked for or not defined.

    ``target`` is the score ranked (the final score, the total or a block's points); ``full`` the
    full marks (m, K, R) per raw-weight row (:func:`block_points` gives any variant's block points).
    """

    full: np.ndarray
    target: np.ndarray
    final: np.ndarray | None = None
    total: np.ndarray | None = None
    base: np.ndarray | None = None
    available: np.ndarray | None = None
    band: np.ndarray | None = None
    grade: np.ndarray | None = None
    demoted: np.ndarray | None = None
    rank: np.ndarray | None = None
    rank_in_category: np.ndarray | None = None
    vetoed: np.ndarray | None = None
    sorted: G.SortedRows | None = None


def full_marks(program: Program, raw: np.ndarray) -> np.ndarray:
    """Full marks of the indicators (m, ...) from node-major raw weights (N, ...).

    Weights are relative within each parent (a parent whose children weigh 0 in all gives them 0),
    the effective weight is the product down the tree, times the scale: the operations of
    ``Rubric.full_marks`` in the same order, on whole arrays of variants. Node-major arrays keep
    every node's variants contiguous; only the blocks are walked, the indicators are one gather.
    """
    total, eff = {}, {}
    for p, kids in program.groups:  # parents first
        t = raw[kids[0]].copy()
        for k in kids[1:]:  # left to right, as Python's sum in Rubric.local_weights
            t += raw[k]
        total[p] = t
        parent = program.parent[p]
        if parent < 0:
            eff[p] = np.ones_like(t)
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                eff[p] = np.where(total[parent] > 0, raw[p] / total[parent], 0.0) * eff[parent]
    rows = {p: i for i, p in enumerate(total)}
    at = np.array([rows[p] for p in program.parent[program.ind]])
    totals, effs = np.stack(list(total.values()))[at], np.stack(list(eff.values()))[at]
    local = np.zeros(totals.shape)
    np.divide(raw[program.ind], totals, out=local, where=totals > 0)
    local *= effs
    local *= program.scale
    return local


def variant_count(*arrays) -> int:
    """The number of variants R given by the first dimension of the variant arrays (1 if none)."""
    sizes = {len(a) for a in arrays if a is not None}
    if len(sizes) > 1:
        raise ValueError(f"variant arrays disagree on the number of variants: {sorted(sizes)}")
    return sizes.pop() if sizes else 1


def _raw(program: Program, weights, removed, r_: int) -> np.ndarray:
    """Node-major raw weights (N, K, R): NaN in ``weights`` keeps the rubric's (or category's)."""
    base = program.raw.T[:, :, None]  # (N, K, 1)
    if weights is None:
        raw = np.broadcast_to(base, (*base.shape[:2], r_))
    else:
        w = np.asarray(weights, dtype=float)
        w = w.T[:, None, :] if w.ndim == 2 else w.transpose(2, 1, 0)
        raw = np.where(np.isnan(w), base, w)
    if removed is not None:
        # a removed item weighs 0 in every category, so its siblings share its weight; a block
        # left without items drops out the same way (as workbench.slimming.remove_items does)
        gone = np.asarray(removed, dtype=bool)
        raw = np.array(raw)
        raw[program.ind] *= ~gone.T[:, None, :]
        empty = gone.astype(float) @ program.member >= program.member.sum(axis=0)  # (R, B)
        empty[:, program.root] = False
        raw[program.position(program.blocks)] *= ~empty.T[:, None, :]
    return raw


def evaluate(
    program: Program,
    inputs: Inputs,
    *,
    weights=None,
    party_weight=None,
    quota=None,
    removed=None,
    veto=None,
    target: str = "final",
    grades: bool = True,
    ranks: bool = True,
    details: bool = False,
    out: tuple | None = None,
) -> Evaluation:
    """Score R variants of a compiled rubric.

    Parameters
    ----------
    program : Program
    inputs : Inputs  from :func:`workbench.scoring.program.prepare`
    weights : float array (R, N) or (R, K, N), optional
        Raw node weights (positions of ``program.nodes``), NaN = the rubric's; (R, N) applies to
        every category row, replacing category weights too (as ``score(weights=...)``).
    party_weight : float array (R,), optional  weighted schemes
    quota : float array (R, n_grades), optional  NaN where a grade has no quota (None: the rubric's)
    removed : bool array (R, m), optional  indicators dropped: their weight and the weight of any
        block left without items go to their siblings (``slimming.remove_items``)
    veto : bool array (R, V), optional  which veto items apply (None: all)
    target : "final", "total" or a block code  the score ranked
    grades, ranks : bool  compute grades (when the rubric has bands) and ranks
    details : bool  also keep base, available, grade bands, demotions and ranks within category
        (what a Scorecard shows; R = 1 in practice)
    out : (scores, grades, ranks) arrays (R, n) to write into, optional

    Returns
    -------
    Evaluation
    """
    r_ = variant_count(weights, party_weight, quota, removed, veto)
    n = inputs.n
    fm = full_marks(program, _raw(program, weights, removed, r_))  # (m, K, R)
    single_target = target == "final" and program.scheme == "single" and not details
    root = out[0] if (out is not None and single_target) else np.empty((r_, n))
    avail = np.empty((r_, n)) if (inputs.present is not None or inputs.row is not None) else None
    block = None
    if target not in ("final", "total"):
        mask = program.member[:, program.blocks.index(target)]
        block = np.empty((r_, n))
    for cols, filled, present, k in inputs.parts:
        f = fm[:, k, :].T  # (R, m), a transposed view: BLAS reads it as it is
        root[:, cols] = f @ filled
        if present is not None:
            avail[:, cols] = f @ present
        elif avail is not None:
            avail[:, cols] = f.sum(axis=1)[:, None]
        if block is not None:
            block[:, cols] = (f * mask) @ filled
    if avail is None:
        avail = fm[:, 0, :].T.sum(axis=1)[:, None]
    # base = root x scale / available where available > 0 (else 0), in place: no (R, n) temporaries
    np.multiply(root, program.scale, out=root)
    with np.errstate(divide="ignore", invalid="ignore"):
        np.divide(root, avail, out=root)
    if (avail <= 0).any():
        root[np.broadcast_to(avail <= 0, root.shape)] = 0.0
    base = root.copy() if details else None
    np.add(root, inputs.bonus, out=root)
    total = np.subtract(root, inputs.deduction, out=root)  # (base + bonus) - deduction
    final = _scheme(program, total, inputs.other, party_weight)
    vetoed, floor = inputs.vetoed, inputs.veto_floor
    if veto is not None:
        active = np.asarray(veto, dtype=bool)
        vetoed = (inputs.veto_flags[None, :, :] & active[:, None, :]).any(axis=2)
        floor = G.veto_floor(inputs.veto_flags, program.veto_levels, active)
    key = G.round9(final)
    srt = band = grade = demoted = None
    if grades and program.names:
        if program.dual is not None:
            a = G.band_index(G.round9(total * 100.0 / program.scale), program.bounds)
            b = G.band_index(G.round9(inputs.other * 100.0 / program.other_scale), program.bounds)
            band = program.dual[a, np.broadcast_to(b, a.shape)]
        else:
            band = G.band_index(key, program.bounds)
        after = np.maximum(band, floor)
        shares = G.quota_table(program.quota if quota is None else quota, program.names, r_)
        if np.isnan(shares).all():
            grade = after.astype(np.int8, copy=False)
            if out is not None:
                out[1][...] = grade
        else:
            srt = G.SortedRows(key)
            groups = inputs.cat if program.quota_by_category else None
            grade, demoted = G.apply_quota(
                after,
                None,
                np.broadcast_to(shares, (r_, shares.shape[1])),
                ties=program.ties,
                rounding=program.rounding,
                groups=groups,
                srt=srt,
                out=None if out is None else out[1],
            )
    scores = {"final": final, "total": total}.get(target, block)
    rank = rank_cat = None
    if ranks:
        if target != "final" or srt is None:
            srt = G.SortedRows(key if target == "final" else G.round9(scores))
        last = vetoed if (program.veto_last and target == "final") else None
        rank = srt.ranks(np.int32, None if out is None else out[2], last=last)
        if details and inputs.cat is not None and program.rank_within:
            rank_cat = G.SortedRows(_last_key(key, vetoed) if last is not None else key).group_ranks(
                inputs.cat
            )
    if out is not None and scores is not out[0]:
        out[0][...] = scores
    return Evaluation(
        full=fm,
        target=scores,
        final=final,
        total=total,
        base=base,
        available=np.array(np.broadcast_to(avail, (r_, n))) if details else None,
        band=band if details else None,
        grade=grade,
        demoted=demoted if demoted is not None or not details else np.zeros((r_, n), dtype=bool),
        rank=rank,
        rank_in_category=rank_cat,
        vetoed=np.array(np.broadcast_to(vetoed, (r_, n))) if details else None,
        sorted=srt,
    )


def block_points(program: Program, inputs: Inputs, full: np.ndarray) -> np.ndarray:
    """Points of every block (B, n) of one variant from its full marks ``full`` (K, m) per row."""
    out = np.empty((len(program.blocks), inputs.n))
    for cols, filled, _, k in inputs.parts:
        out[:, cols] = (full[k][:, None] * program.member).T @ filled
    return out


def _scheme(program: Program, total, other, party_weight):
    """The final score of each variant from its total (R, n) and the other score (n,)."""
    if program.scheme == "single":
        return total
    if program.scheme == "weighted":
        pw = program.party_weight if party_weight is None else np.asarray(party_weight, float)[:, None]
        return pw * total * 100.0 / program.scale + (1 - pw) * other * 100.0 / program.other_scale
    if program.scheme == "multiplicative":
        return other * total / program.scale
    return total + other  # dual100: ranking by the sum of the two hundred-point scores


def _last_key(key, vetoed):
    """Vetoed units moved below every other unit, in score order among themselves."""
    span = np.nanmax(key, axis=1, keepdims=True) - np.nanmin(key, axis=1, keepdims=True) + 1.0
    return np.where(vetoed, key - span, key)
