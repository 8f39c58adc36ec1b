"""Sobol' indices of every unit's score from sums reduced where the runs are scored.

SALib's estimators (Saltelli et al. 2010) of unit u's first-order and total index of factor j,
on the score standardised over all runs, reduce to sums over the base sample (A, B and AB_j are
the runs of one Saltelli block; N blocks; m the mean over all runs):

    S1_j = [sum yB (yAB_j - yA) - m sum (yAB_j - yA)] / N / var([yA; yB])
    ST_j = 0.5 sum (yA - yAB_j)^2 / N / var([yA; yB])

(the standardisation cancels). Every sum is additive over chunks of whole blocks, so each chunk
returns units x factors sums and the runs x units scores never leave it; scores are taken relative
to the nominal score, so the variance is not a difference of large squares. A per-run summary
(the mean absolute rank change, the share of changed grades) comes back for the main indices.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _runner
from ._models import chunk
from ._runner import chunk_bounds, local_map, task_bounds, tree_reduce

__all__ = ["run_sums", "unit_indices"]


@dataclass(frozen=True, eq=False)
class Sums:
    y_main: np.ndarray  # (runs,) mean absolute rank change of each run
    y_grade: np.ndarray | None  # (runs,) share of units whose grade changed
    unit: np.ndarray  # (6, n): sum y, sum y^2 over all runs; sum yA, yA^2, yB, yB^2
    factor: np.ndarray  # (3, n, d): sum yB (yAB - yA), sum (yAB - yA), sum (yA - yAB)^2
    draws: list


def sums_task(job, a: int, b: int, step: int, d: int, nominal) -> Sums:
    """Score runs a..b-1 (whole Saltelli blocks) and reduce them to sums per unit and factor."""
    rank0, grade0, score0 = nominal
    n = job.n_units
    unit, factor = np.zeros((6, n)), np.zeros((3, n, d))
    mains, grades_changed, draws = [], [], []
    for c, e in chunk_bounds(b - a, n, step=step):
        weights, values, params, scores, grades, ranks = chunk(job, a + c, a + e)
        draws.append((weights, values, params))
        mains.append(np.abs(ranks - rank0).mean(axis=1))
        if grades is not None:
            grades_changed.append((grades != grade0).mean(axis=1))
        y = scores - score0
        unit[0] += y.sum(axis=0)
        unit[1] += (y * y).sum(axis=0)
        ya, yb = y[0::step], y[step - 1 :: step]
        unit[2] += ya.sum(axis=0)
        unit[3] += (ya * ya).sum(axis=0)
        unit[4] += yb.sum(axis=0)
        unit[5] += (yb * yb).sum(axis=0)
        for j in range(d):  # a loop over factors; units are columns
            diff = y[j + 1 :: step] - ya
            factor[0, :, j] += (yb * diff).sum(axis=0)
            factor[1, :, j] += diff.sum(axis=0)
            factor[2, :, j] += (diff * diff).sum(axis=0)
    y_grade = np.concatenate(grades_changed) if grades_changed else None
    return Sums(np.concatenate(mains), y_grade, unit, factor, draws)


def combine(x: Sums, y: Sums) -> Sums:
    y_grade = None if x.y_grade is None else np.concatenate([x.y_grade, y.y_grade])
    return Sums(np.concatenate([x.y_main, y.y_main]), y_grade, x.unit + y.unit, x.factor + y.factor,
                x.draws + y.draws)  # fmt: skip


def run_sums(job, n_runs: int, step: int, d: int, nominal, client=None) -> Sums:
    """Every run scored in tasks of whole blocks, reduced in a fixed tree (here or on the workers)."""
    tasks = task_bounds(n_runs, _runner.TASKS, step=step)
    if client is None:
        return tree_reduce(combine, local_map(lambda ab: sums_task(job, *ab, step, d, nominal), tasks))
    shared = client.scatter(job, broadcast=True, hash=False)
    nom = client.scatter(nominal, broadcast=True, hash=False)
    futures = [client.submit(sums_task, shared, a, b, step, d, nom, pure=False) for a, b in tasks]
    return tree_reduce(combine, futures, client).result()


def unit_indices(s: Sums, n_blocks: int, n_runs: int) -> tuple[np.ndarray, np.ndarray]:
    """First-order and total indices (n, d) of every unit's score, as SALib's estimators.

    A unit whose score never moves, or whose base-sample variance is negligible next to its
    variance over all runs, gets 0 (as SALib returns for a constant output).
    """
    eps = np.finfo(float).eps
    m = s.unit[0] / n_runs
    var_all = s.unit[1] / n_runs - m * m
    mean_ab = (s.unit[2] + s.unit[4]) / (2 * n_blocks)
    var = (s.unit[3] + s.unit[5]) / (2 * n_blocks) - mean_ab * mean_ab
    ok = (var_all > 0) & (var > eps * np.where(var_all > 0, var_all, 1.0))
    den = np.where(ok, var, 1.0)[:, None]
    s1 = (s.factor[0] - m[:, None] * s.factor[1]) / n_blocks / den
    st = 0.5 * s.factor[2] / n_blocks / den
    return np.where(ok[:, None], s1, 0.0), np.where(ok[:, None], st, 0.0)
