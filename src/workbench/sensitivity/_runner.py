"""Runs in chunks, here or on a ``dask.distributed`` cluster, each chunk drawing its own runs.

A chunk of runs [a, b) is a pure function of (job, a, b): its design points are made from the
seed where the chunk runs (:class:`Design`), mapped to weights and settings, and scored. Chunks
are cut by the sizes only (runs and units), never by the number of workers, and partial results
are combined in a fixed binary tree over the chunk order, so the same seed gives identical
results on one process, one worker or many (the design note: ``docs/distributed.md``).
"""

from __future__ import annotations

import os
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

__all__ = ["Design", "chunk_bounds", "task_bounds", "map_chunks", "tree_reduce", "root_entropy"]

# cells (runs x units) per chunk: bounds a chunk's memory to a few hundred MB at province scale
CHUNK_CELLS = 4_000_000
# tasks of a reduced analysis (each folds its chunks into one partial result): more than the
# workers of a small cluster; raise it for many machines (see docs/distributed.md)
TASKS = 32
# pseudo-random draws are seeded per block of this many runs (SeedSequence spawned by block index),
# so a run's draw depends on the seed and its index only, however the runs are chunked
DRAW_BLOCK = 1024


def root_entropy(rng: np.random.Generator) -> int:
    """The entropy of the run design, taken from the caller's generator (``_rng.as_generator``)."""
    return int(rng.integers(2**63))


@dataclass(frozen=True)
class Design:
    """How the uniforms in [0, 1)^dims of run i are made from the seed (plain data).

    ``kind``: ``'sobol'`` (scrambled Sobol' points; run i is point i), ``'random'`` (pseudo-random,
    one ``SeedSequence`` child per block of :data:`DRAW_BLOCK` runs), ``'saltelli'`` (SALib's
    Sobol'-index design of base size ``base`` over ``problem``).
    """

    kind: str
    dims: int
    entropy: int
    base: int = 0
    problem: tuple = ()  # saltelli: ((name, group), ...)
    second_order: bool = False

    def seq(self, *key) -> np.random.SeedSequence:
        return np.random.SeedSequence(self.entropy, spawn_key=key)

    def rows(self, a: int, b: int) -> np.ndarray:
        """Design points of runs a..b-1, shape (b - a, dims)."""
        if self.kind == "sobol":
            from scipy.stats import qmc

            sampler = qmc.Sobol(self.dims, scramble=True, rng=np.random.default_rng(self.seq(0)))
            if a:
                sampler.fast_forward(a)
            with warnings.catch_warnings():
                # a slice of a scrambled Sobol' sequence is still a valid design
                warnings.filterwarnings("ignore", message=".*balance properties.*")
                return sampler.random(b - a)
        if self.kind == "random":
            first, last = a // DRAW_BLOCK, (b - 1) // DRAW_BLOCK
            blocks = [
                np.random.default_rng(self.seq(1, j)).random((DRAW_BLOCK, self.dims))
                for j in range(first, last + 1)
            ]
            return np.concatenate(blocks)[a - first * DRAW_BLOCK : b - first * DRAW_BLOCK]
        return _saltelli(self)[a:b]


@lru_cache(maxsize=4)
def _saltelli(design: Design) -> np.ndarray:
    """SALib's Saltelli/Sobol' design (small: runs x factors), made once per process."""
    from SALib.sample import sobol as ss

    names = [n for n, _ in design.problem]
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    groups = [g for _, g in design.problem]
    if len(set(groups)) < len(groups):
        problem["groups"] = groups
    rng = np.random.default_rng(design.seq(2))
    return ss.sample(problem, design.base, calc_second_order=design.second_order, scramble=True, seed=rng)


def chunk_bounds(n_runs: int, n_units: int, cells: int = CHUNK_CELLS, max_runs=None, step: int = 1):
    """Half-open [start, stop) slices of the runs, each with at most ``cells`` run x unit cells
    (and at most ``max_runs`` runs), in multiples of ``step`` runs. Depends on the sizes only."""
    size = max(1, min(n_runs, cells // max(n_units, 1), max_runs or n_runs))
    size = max(step, size // step * step)
    return [(a, min(a + size, n_runs)) for a in range(0, n_runs, size)]


def task_bounds(n_runs: int, tasks: int, step: int = 1, min_runs: int = 1):
    """The runs cut into about ``tasks`` tasks (of at least ``min_runs`` runs, in whole ``step``
    blocks); each task scores its runs chunk by chunk and folds them into one partial result.
    Depends on the sizes only: enough tasks to keep every worker busy, few enough that the partial
    results (each as large as its counts, whatever the runs behind them) stay few."""
    size = max(-(-n_runs // max(tasks, 1)), min_runs)
    size = max(step, -(-size // step) * step)
    return [(a, min(a + size, n_runs)) for a in range(0, n_runs, size)]


def local_map(fn, jobs: list) -> list:
    """``[fn(job) for job in jobs]`` on a small thread pool (numpy releases the GIL in sorts and
    products); each job writes its own slice, so the result does not depend on scheduling."""
    workers = min(len(jobs), os.cpu_count() or 1, 4)
    if workers <= 1:
        return [fn(job) for job in jobs]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(fn, jobs))


def map_chunks(fn, job, pieces: list, client=None, *, gather: bool = True) -> list:
    """``[fn(job, *piece) for piece in pieces]`` in order; on ``client`` when given.

    The job (the fixed arrays of the model) is sent to every worker once. With ``gather=False``
    the futures are returned, to be reduced on the workers.
    """
    if client is None:
        return local_map(lambda piece: fn(job, *piece), pieces)
    shared = client.scatter(job, broadcast=True, hash=False)
    futures = [client.submit(fn, shared, *piece, pure=False) for piece in pieces]
    return client.gather(futures) if gather else futures


def tree_reduce(combine, parts: list, client=None):
    """Combine partial results pairwise in a fixed binary tree over their order (on the workers
    when ``parts`` are futures), so floating sums come out the same wherever they ran."""
    while len(parts) > 1:
        nxt = []
        for i in range(0, len(parts) - 1, 2):
            a, b = parts[i], parts[i + 1]
            # a combination runs as soon as its two parts exist, before further parts are scored,
            # so a worker holds few partial results at a time
            nxt.append(
                combine(a, b) if client is None else client.submit(combine, a, b, pure=False, priority=1)
            )
        if len(parts) % 2:
            nxt.append(parts[-1])
        parts = nxt
    return parts[0]
