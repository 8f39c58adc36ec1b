"""Grades: bands, one-vote veto, forced-distribution quotas and the dual-100 grade matrix.

All functions work on whole arrays of units. Grades are handled as integer indices into the
rubric's band list (0 = best), turned into names only at the end.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .rules import rank_desc

__all__ = ["band_index", "apply_veto", "apply_quota", "dual_matrix_index"]


def band_index(scores: np.ndarray, bands) -> np.ndarray:
    """Index of the band each score falls in (0 = best); bands are (name, lower bound), best first.

    A score equal to a lower bound belongs to that band (90 is 优秀 under 优秀 >= 90).
    """
    bounds = np.array([b for _, b in bands], dtype=float)
    # bounds fall; count how many bounds are above the score
    idx = np.sum(np.asarray(scores, dtype=float)[:, None] < bounds[None, :], axis=1)
    return np.minimum(idx, len(bounds) - 1)


def apply_veto(grade_idx: np.ndarray, veto_flags: np.ndarray, veto_items, names: list[str]) -> np.ndarray:
    """Lower grades of vetoed units: 'lowest' sets the lowest grade, 'cap' caps the grade.

    Parameters
    ----------
    grade_idx : int array (n,)
    veto_flags : bool array (n, v), one column per veto item
    veto_items : sequence of Veto
    names : grade names, best first
    """
    out = grade_idx.copy()
    worst = len(names) - 1
    for j, item in enumerate(veto_items):
        floor = worst if item.effect == "lowest" else names.index(item.cap_grade)
        out = np.where(veto_flags[:, j], np.maximum(out, floor), out)
    return out


def apply_quota(
    grade_idx: np.ndarray,
    scores: np.ndarray,
    quota: dict,
    names: list[str],
    *,
    ties: str = "exclude",
    rounding: str = "floor",
    groups: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Enforce quotas (at most a share of units per grade), demoting the lowest-scoring excess.

    Grades are processed best first; a unit demoted from a grade competes for the next one. The
    number of places is ``share * n`` rounded by ``rounding``, with n the units in scope (all units,
    or each group's units). At the boundary, units with equal scores are all demoted
    (``ties='exclude'``, so the quota is never exceeded) or all kept (``'include'``).

    Returns
    -------
    grade_idx : int array (n,)
    demoted : bool array (n,), True for units whose grade the quota lowered
    """
    out = grade_idx.copy()
    key = np.round(np.asarray(scores, dtype=float), 9)  # floating sums of equal scores must tie
    g = np.zeros(len(out), dtype=int) if groups is None else pd.factorize(groups)[0]
    n_in_group = np.bincount(g)[g]
    round_fn = {"floor": np.floor, "ceil": np.ceil, "round": lambda x: np.floor(x + 0.5)}[rounding]
    for j, name in enumerate(names[:-1]):
        share = quota.get(name)
        if share is None:
            continue
        places = round_fn(share * n_in_group + 1e-9)
        mask = out == j
        if not mask.any():
            continue
        method = "max" if ties == "exclude" else "min"
        rank = rank_desc(key[mask], None if groups is None else g[mask], method)
        lose = rank > places[mask]
        idx = np.flatnonzero(mask)[lose]
        out[idx] = j + 1
    return out, out > grade_idx


def dual_matrix_index(party_idx: np.ndarray, other_idx: np.ndarray, matrix, names: list[str]) -> np.ndarray:
    """Final grade index from the dual-100 matrix {party grade: {other grade: final grade}}."""
    k = len(names)
    table = np.empty((k, k), dtype=int)
    for a, row in matrix.items():
        for b, final in row.items():
            table[names.index(a), names.index(b)] = names.index(final)
    return table[party_idx, other_idx]
