"""Rescore a rubric Scorecard under many weight sets at once.

Indicator shares do not depend on weights, so for R weight sets the totals of all units are one
matrix product ``full_marks (R x m) @ shares.T (m x n)`` per category that carries its own
weights; the scheme, grade bands, veto, quotas and ranks then run on (R x n) arrays, with
``argsort``/``partition`` along the unit axis instead of a loop over runs. Every operation
mirrors :func:`workbench.score`, so run r reproduces ``score(rubric, data, weights=w_r)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..scoring import score
from ._distributed import assemble, chunk_bounds, local_map, map_chunks
from ._ranking import SortedRows, apply_quota_rows, band_rows, rank_rows, round9

__all__ = ["RubricModel", "prepare", "evaluate_chunk", "run_all", "with_settings", "quota_tuple", "rank_rows"]


@dataclass(frozen=True, eq=False)
class RubricModel:
    """The weight-independent arrays of a scoring, ready to rescore (picklable for dask)."""

    nodes: tuple  # every node code, rubric order
    parents: tuple  # (parent position, children positions) for every internal node
    node_parent: np.ndarray  # parent position of each node (-1 for the root)
    ind_pos: np.ndarray  # node positions of the indicators
    base_raw: np.ndarray = field(repr=False)  # (K, N) raw weights per category row
    cat: np.ndarray | None = field(repr=False)  # (n,) row of base_raw per unit, None = one row
    filled: np.ndarray = field(repr=False)  # (n, m) shares, exempt = 0
    present: np.ndarray | None = field(repr=False)  # (n, m) 1.0 where not exempt; None = none exempt
    target_mask: np.ndarray | None  # (m,) indicators under the target block; None = final/total
    target: str
    scale: float
    bonus: np.ndarray = field(repr=False)
    deduction: np.ndarray = field(repr=False)
    other: np.ndarray | None = field(repr=False)
    scheme: str = "single"
    party_weight: float | None = None
    other_scale: float = 100.0
    dual_table: np.ndarray | None = None
    bounds: np.ndarray | None = None
    veto_floor: np.ndarray | None = field(default=None, repr=False)
    quota: tuple = ()  # nominal ((grade position, share), ...)
    ties: str = "exclude"
    rounding: str = "floor"
    groups: tuple = ()  # column positions per quota group
    vetoed: np.ndarray | None = field(default=None, repr=False)  # rank last (veto_rank='last')


def _veto_floor(rubric, flags, names):
    worst = len(names) - 1
    floor = np.zeros(flags.shape[0], dtype=np.int8)
    for j, item in enumerate(rubric.veto):
        level = worst if item.effect == "lowest" else names.index(item.cap_grade)
        floor = np.where(flags[:, j], np.maximum(floor, level), floor).astype(np.int8)
    return floor


def quota_tuple(quota, names) -> tuple:
    """A quota setting (share of the top grade, {grade: share} or None) as ((position, share), ...)."""
    if quota is None:
        return ()
    if not isinstance(quota, dict):
        quota = {names[0]: float(quota)}
    return tuple((names.index(g), float(s)) for g, s in quota.items() if g in names[:-1])


def prepare(rubric, data, *, unit=None, target=None):
    """Score the nominal case once and keep what rescoring needs.

    Returns
    -------
    model : RubricModel
    card : Scorecard of the nominal weights
    """
    card = score(rubric, data, unit=unit)
    nodes = tuple(rubric.nodes)
    pos = {c: i for i, c in enumerate(nodes)}
    parents = tuple(
        (pos[c], np.array([pos[k] for k in n.children])) for c, n in rubric.nodes.items() if n.children
    )
    node_parent = np.array([pos[n.parent] if n.parent is not None else -1 for n in rubric.nodes.values()])
    raw = np.array([float(n.weight) for n in rubric.nodes.values()])
    cat = None
    base_raw = raw[None, :]
    cats = rubric.categories
    labels = None
    if cats is not None:
        codes, labels = pd.factorize(card.category.astype(str))
        if cats.weights:
            base_raw = np.repeat(raw[None, :], len(labels), axis=0)
            for k, label in enumerate(labels):
                for c, w in dict(cats.weights.get(label, {})).items():
                    base_raw[k, pos[c]] = float(w)
            cat = codes
    shares = card._arrays["shares"]
    exempt = np.isnan(shares)
    filled = np.nan_to_num(shares, nan=0.0) if exempt.any() else np.asarray(shares)
    present = (~exempt).astype(float) if exempt.any() else None

    target = target or "final"
    mask = None
    if target not in ("final", "total"):
        inds = rubric.indicators
        mask = np.array([c == target or target in rubric.ancestors(c) for c in inds], dtype=float)
    g = rubric.grades
    names = g.names
    groups = ()
    if names and g.scope == "category" and cats is not None:
        gcodes = pd.factorize(card.category.astype(str))[0]
        groups = tuple(np.flatnonzero(gcodes == k) for k in range(gcodes.max() + 1))
    sch = rubric.scheme
    dual = None
    if sch.type == "dual100" and names:
        dual = np.empty((len(names), len(names)), dtype=np.int8)
        for a, row in sch.matrix.items():
            for b, fin in row.items():
                dual[names.index(a), names.index(b)] = names.index(fin)
    model = RubricModel(
        nodes=nodes,
        parents=parents,
        node_parent=node_parent,
        ind_pos=np.array([pos[c] for c in rubric.indicators]),
        base_raw=base_raw,
        cat=cat,
        filled=np.ascontiguousarray(filled.T),  # (m, n): runs x m @ m x n
        present=None if present is None else np.ascontiguousarray(present.T),
        target_mask=mask,
        target=target,
        scale=float(rubric.scale),
        bonus=card.bonus.to_numpy(dtype=float),
        deduction=card.deduction.to_numpy(dtype=float),
        other=None if card.other is None else card.other.to_numpy(dtype=float),
        scheme=sch.type,
        party_weight=sch.party_weight,
        other_scale=float(sch.other_scale),
        dual_table=dual,
        bounds=np.array([b for _, b in g.bands], dtype=float) if names else None,
        veto_floor=_veto_floor(rubric, card._arrays["veto_items"], names) if names else None,
        quota=quota_tuple(dict(g.quota), names) if names else (),
        ties=g.ties,
        rounding=g.rounding,
        groups=groups,
        vetoed=card.vetoed.to_numpy(dtype=bool) if getattr(rubric, "veto_rank", "score") == "last" else None,
    )
    return model, card


def full_marks(model: RubricModel, raw: np.ndarray) -> np.ndarray:
    """Full marks of the indicators (R, m) from raw weights (R, N), as ``Rubric.full_marks``."""
    local = np.zeros_like(raw)
    root = int(np.flatnonzero(model.node_parent < 0)[0])
    local[:, root] = 1.0
    for _, kids in model.parents:
        total = raw[:, kids[0]].copy()
        for k in kids[1:]:  # left to right, as Python's sum in Rubric.local_weights
            total += raw[:, k]
        with np.errstate(divide="ignore", invalid="ignore"):
            local[:, kids] = np.where(total[:, None] > 0, raw[:, kids] / total[:, None], 0.0)
    eff = np.empty_like(raw)
    for j, p in enumerate(model.node_parent):  # parents precede children
        eff[:, j] = local[:, j] * (eff[:, p] if p >= 0 else 1.0)
    return eff[:, model.ind_pos] * model.scale


def evaluate_chunk(model: RubricModel, override, party_weight, quota_shares, out=None):
    """Scores of the target, grade positions and ranks (each R x n) of a chunk of runs.

    Parameters
    ----------
    override : (R, N) raw weights, NaN = the rubric's (or the category's) weight
    party_weight : (R,) or None
    quota_shares : (R, n_grades) or None (nominal quotas)
    out : (scores, grades, ranks) arrays to write into, optional
    """
    r_ = len(override)
    n = model.filled.shape[1]
    in_place = out is not None and model.target == "final" and model.scheme == "single"
    root = out[0] if in_place else np.empty((r_, n))  # single scheme: the final score is root
    # without exempt items a run's available marks are one number per category row
    avail = np.empty((r_, n if model.present is not None else len(model.base_raw)))
    block = np.empty((r_, n)) if model.target_mask is not None else None
    rows = [slice(None)] if model.cat is None else [model.cat == k for k in range(len(model.base_raw))]
    for k, cols in enumerate(rows):
        raw = np.where(np.isnan(override), model.base_raw[k][None, :], override)
        fm = full_marks(model, raw)
        root[:, cols] = fm @ model.filled[:, cols]
        if model.present is not None:
            avail[:, cols] = fm @ model.present[:, cols]
        else:
            avail[:, k] = fm.sum(axis=1)
        if block is not None:
            block[:, cols] = (fm * model.target_mask) @ model.filled[:, cols]
    if model.present is None:
        avail = avail[:, model.cat] if model.cat is not None else avail
    # base = root x scale / available where available > 0 (else 0), in place: same operations
    # and order as score(), without (runs x units) temporaries
    np.multiply(root, model.scale, out=root)
    with np.errstate(divide="ignore", invalid="ignore"):
        np.divide(root, avail, out=root)
    if (avail <= 0).any():
        root[np.broadcast_to(avail <= 0, root.shape)] = 0.0
    np.add(root, model.bonus, out=root)
    total = np.subtract(root, model.deduction, out=root)  # (base + bonus) - deduction, as score()
    pw = model.party_weight if party_weight is None else party_weight[:, None]
    if model.scheme == "single":
        final = total
    elif model.scheme == "weighted":
        final = pw * total * 100.0 / model.scale + (1 - pw) * model.other * 100.0 / model.other_scale
    elif model.scheme == "multiplicative":
        final = model.other * total / model.scale
    else:
        final = total + model.other
    grades = srt = None
    key = round9(final)
    if model.bounds is not None:
        if model.scheme == "dual100":
            a = band_rows(round9(total * 100.0 / model.scale), model.bounds)
            b = band_rows(round9(model.other * 100.0 / model.other_scale), model.bounds)
            band = model.dual_table[a, np.broadcast_to(b, a.shape)]
        else:
            band = band_rows(key, model.bounds)
        band = np.maximum(band, model.veto_floor)
        if quota_shares is None:
            quota_shares = np.full((r_, len(model.bounds)), np.nan)
            for j, s in model.quota:
                quota_shares[:, j] = s
        srt = SortedRows(key)
        grades = apply_quota_rows(band, srt, quota_shares, model, None if out is None else out[1])
    target = {"final": final, "total": total}.get(model.target, block)
    if model.target != "final" or srt is None:
        srt = SortedRows(round9(target))
    last = model.vetoed if model.target == "final" else None
    ranks = srt.ranks(np.int32, None if out is None else out[2], last=last)
    if out is None:
        return target, grades, ranks
    if target is not out[0]:
        out[0][...] = target
    return None


def run_all(model: RubricModel, override, party_weight=None, quota_shares=None, client=None):
    """Evaluate every run in chunks (locally or on ``client``); returns (scores, grades, ranks)."""
    r_, n = len(override), model.filled.shape[1]
    pieces = [
        (
            override[a:b],
            None if party_weight is None else party_weight[a:b],
            None if quota_shares is None else quota_shares[a:b],
        )
        for a, b in chunk_bounds(r_, n)
    ]
    if client is None:  # write each chunk straight into the result arrays
        whole = (
            np.empty((r_, n)),
            np.empty((r_, n), dtype=np.int8) if model.bounds is not None else None,
            np.empty((r_, n), dtype=np.int32),
        )
        jobs = [
            (piece, tuple(None if w is None else w[a:b] for w in whole))
            for (a, b), piece in zip(chunk_bounds(r_, n), pieces)
        ]
        local_map(lambda job: evaluate_chunk(model, *job[0], out=job[1]), jobs)
        return list(whole)
    parts = map_chunks(evaluate_chunk, model, pieces, client=client)
    return assemble(parts, r_, n, (np.float64, np.int8, np.int32))


def with_settings(rubric, run: dict):
    """The rubric a run describes (party weight, quota), for replaying it with :func:`score`."""
    out = rubric
    if "party_weight" in run:
        out = replace(out, scheme=replace(out.scheme, party_weight=float(run["party_weight"])))
    if "quota" in run:
        q = run["quota"]
        names = out.grades.names
        q = {} if q is None else (dict(q) if isinstance(q, dict) else {names[0]: float(q)})
        out = replace(out, grades=replace(out.grades, quota=q))
    return out
