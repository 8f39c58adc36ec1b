"""Chunked evaluation of many runs, locally or on a ``dask.distributed`` client.

Runs are cut into the same chunks whether they are computed here or on a cluster, and each chunk
is a pure function of (model, chunk of draws), so the same seed gives bit-identical results on a
laptop and on a ``LocalCluster``.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

__all__ = ["chunk_bounds", "map_chunks", "local_map", "assemble"]

# cells (runs x units) per chunk: bounds memory to a few hundred MB at province scale
CHUNK_CELLS = 4_000_000


def chunk_bounds(n_runs: int, n_units: int, cells: int = CHUNK_CELLS, max_runs: int | None = None):
    """Half-open [start, stop) slices of the runs, each with at most ``cells`` run x unit cells
    (and at most ``max_runs`` runs). Depends on the sizes only, never on where chunks run."""
    size = max(1, min(n_runs, cells // max(n_units, 1), max_runs or n_runs))
    return [(a, min(a + size, n_runs)) for a in range(0, n_runs, size)]


def local_map(fn, jobs: list) -> list:
    """``[fn(job) for job in jobs]`` on a small thread pool (numpy releases the GIL in sorts and
    products); each job writes its own slice, so the result does not depend on scheduling."""
    workers = min(len(jobs), os.cpu_count() or 1, 4)
    if workers <= 1:
        return [fn(job) for job in jobs]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(fn, jobs))


def map_chunks(fn, model, pieces: list, client=None) -> list:
    """``[fn(model, *piece) for piece in pieces]``, in order; on ``client`` when given.

    The model (fixed arrays of the scoring) is scattered to the workers once.
    """
    if client is None:
        return [fn(model, *piece) for piece in pieces]
    shared = client.scatter(model, broadcast=True)
    futures = [client.submit(fn, shared, *piece, pure=False) for piece in pieces]
    return client.gather(futures)


def assemble(parts: list, n_runs: int, n_units: int, dtypes: tuple) -> list[np.ndarray | None]:
    """Stack per-chunk (runs x units) arrays into whole (n_runs, n_units) arrays."""
    out = []
    for k, dtype in enumerate(dtypes):
        if parts[0][k] is None:
            out.append(None)
            continue
        whole = np.empty((n_runs, n_units), dtype=dtype)
        start = 0
        for part in parts:
            block = part[k]
            whole[start : start + len(block)] = block
            start += len(block)
        out.append(whole)
    return out
