"""Uncertainty statistics reduced where the runs are scored, so nobody holds runs x units.

Two passes over the same runs (each chunk redraws its runs from the seed):

1. per unit: the sum, minimum and maximum of its rank and its count of each grade, summed over
   chunks (integers: exact in any order). Grade probabilities and mean ranks are exact.
2. per unit: a histogram of its rank over ``bins`` equal bins spanning [min, max] from pass 1.
   A quantile lies in a known bin; it is reported at the middle of that bin, so its error is at
   most half the bin width less a half rank, ``rank_error`` = (width - 1) / 2, which is 0 (exact)
   whenever a unit's ranks span at most ``bins`` values.

Memory per partial result: units x (grades + 3) integers in pass 1, units x ``bins`` counts in pass
2 (``bins`` chosen so that this stays near 256 MB).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _runner
from ._models import Runs, chunk, concat_draws
from ._runner import chunk_bounds, local_map, map_chunks, task_bounds, tree_reduce

__all__ = ["Reduced", "run_reduced", "hist_bins"]

STEP = 65_536  # units per slice when quantiles are read from the histograms


def hist_bins(n_units: int) -> int:
    """Bins per unit: a power of 2 in [32, 1024], about 128M counts per histogram."""
    b = 2 ** int(np.log2(max(1, 2**27 // max(n_units, 1))))
    return int(min(1024, max(32, b)))


@dataclass(frozen=True, eq=False)
class Pass1:
    rank_sum: np.ndarray
    rank_min: np.ndarray
    rank_max: np.ndarray
    counts: np.ndarray | None
    draws: list  # (weights, values, params) per chunk, in run order


@dataclass(frozen=True, eq=False)
class Reduced:
    """What the client receives: per-unit statistics and the runs' draws (no runs x units array)."""

    runs: Runs  # what each run drew (its arrays None)
    mean: np.ndarray
    quantiles: np.ndarray  # (len(qs), n)
    error: np.ndarray  # (n,) bound on the quantiles' error in ranks
    counts: np.ndarray | None  # (n, grades)


def _pieces(job, a, b):
    return [(a + c, a + d) for c, d in chunk_bounds(b - a, job.n_units)]


def pass1_task(job, a: int, b: int) -> Pass1:
    n = job.n_units
    total = np.zeros(n, dtype=np.int64)
    lo = np.full(n, np.iinfo(np.int32).max, dtype=np.int32)
    hi = np.zeros(n, dtype=np.int32)
    counts = np.zeros((n, len(job.program.names)), dtype=np.int32) if job.graded else None
    draws = []
    for c, d in _pieces(job, a, b):
        weights, values, params, _, grades, ranks = chunk(job, c, d)
        draws.append((weights, values, params))
        total += ranks.sum(axis=0, dtype=np.int64)
        np.minimum(lo, ranks.min(axis=0), out=lo)
        np.maximum(hi, ranks.max(axis=0), out=hi)
        if counts is not None:
            for g in range(counts.shape[1]):  # a loop over grades
                counts[:, g] += (grades == g).sum(axis=0, dtype=np.int32)
    return Pass1(total, lo, hi, counts, draws)


def combine1(x: Pass1, y: Pass1) -> Pass1:
    counts = None if x.counts is None else x.counts + y.counts
    return Pass1(x.rank_sum + y.rank_sum, np.minimum(x.rank_min, y.rank_min),
                 np.maximum(x.rank_max, y.rank_max), counts, x.draws + y.draws)  # fmt: skip


def pass2_task(job, a: int, b: int, lo: np.ndarray, width: np.ndarray, bins: int) -> np.ndarray:
    n = job.n_units
    hist = np.zeros(n * bins, dtype=_count_dtype(b - a))
    offset = np.arange(n, dtype=np.int64) * bins
    for c, d in _pieces(job, a, b):
        ranks = chunk(job, c, d, grades=False)[5]  # the second pass needs the ranks only
        idx = (ranks - lo) // width + offset
        # one run at a time: within a run every unit appears once, so a fancy-index increment
        # counts correctly (np.add.at, which allows repeats, is ten times slower)
        for row in idx:
            hist[row] += 1
    return hist.reshape(n, bins)


def _count_dtype(runs: int):
    return np.uint8 if runs < 2**8 else np.uint16 if runs < 2**16 else np.uint32


def combine2(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Sum of two partial histograms, in an integer type that holds every count of the analysis."""
    return np.add(x, y, dtype=np.uint16 if max(x.dtype.itemsize, y.dtype.itemsize) < 2 else np.uint32)


def read_quantiles(hist, lo, width, hi, n_runs: int, qs) -> tuple[np.ndarray, np.ndarray]:
    """Quantiles ('linear', as ``np.quantile``) of each unit's ranks from its histogram.

    An order statistic is placed at the middle of its bin (clipped to the unit's [min, max]);
    with bins one rank wide that is the exact rank.
    """
    n, bins = hist.shape
    out = np.empty((len(qs), n))
    for s in range(0, n, STEP):  # slices of units keep the cumulative counts small
        cum = np.cumsum(hist[s : s + STEP], axis=1, dtype=np.int64)
        lo_s, w_s, hi_s = lo[s : s + STEP], width[s : s + STEP], hi[s : s + STEP]

        def order_stat(k, cum=cum, lo_s=lo_s, w_s=w_s, hi_s=hi_s):
            j = (cum <= k).sum(axis=1)  # the bin holding the (k+1)-th smallest rank
            left = lo_s + j * w_s
            right = np.minimum(left + w_s - 1, hi_s)
            return (left + right) / 2.0

        for i, q in enumerate(qs):
            h = (n_runs - 1) * q
            k = int(np.floor(h))
            v0, v1 = order_stat(k), order_stat(min(k + 1, n_runs - 1))
            out[i, s : s + STEP] = v0 + (h - k) * (v1 - v0)
    return out, (width - 1) / 2.0


def run_reduced(st, factors, design, n_runs: int, qs, client=None) -> Reduced:
    """Pass 1 and pass 2 over every run, reduced on the workers (or in local threads)."""
    job = st.with_runs(factors, design)
    n = job.n_units
    bins = hist_bins(n)
    # a partial histogram costs units x bins counts (zeroed, sent, added) however few runs it
    # counts; tasks of at least bins / 16 runs keep that to a few percent of scoring the runs
    tasks = task_bounds(n_runs, _runner.TASKS, min_runs=bins // 16)
    parts = map_chunks(pass1_task, job, tasks, client=client, gather=False)
    first = tree_reduce(combine1, parts, client)
    first = first.result() if client is not None else first
    lo, hi = first.rank_min, first.rank_max
    width = np.maximum(1, -(-(hi - lo + 1) // bins)).astype(np.int32)
    if client is None:
        hists = local_map(lambda ab: pass2_task(job, *ab, lo, width, bins), tasks)
        q, error = read_quantiles(tree_reduce(combine2, hists), lo, width, hi, n_runs, qs)
    else:
        shared = client.scatter(job, broadcast=True, hash=False)
        edges = client.scatter((lo, width, hi), broadcast=True, hash=False)  # sent once, not per task
        futures = [client.submit(_pass2, shared, a, b, edges, bins, pure=False) for a, b in tasks]
        hist = tree_reduce(combine2, futures, client)
        q, error = client.submit(_read, hist, edges, n_runs, qs, pure=False).result()
    weights, values, params = concat_draws(first.draws)
    runs = Runs(weights, values, params, None, None, None, {})
    return Reduced(runs, first.rank_sum / n_runs, q, error, first.counts)


def _pass2(job, a, b, edges, bins):
    return pass2_task(job, a, b, edges[0], edges[1], bins)


def _read(hist, edges, n_runs, qs):
    lo, width, hi = edges
    return read_quantiles(hist, lo, width, hi, n_runs, qs)
