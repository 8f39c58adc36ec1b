"""Timing helper shared by the benchmark scripts (run as ``python benchmarks/bench_<x>.py``)."""

from __future__ import annotations

import time


def best_of(fn, repeat: int = 3) -> float:
    """Seconds of the fastest of ``repeat`` calls: the least disturbed by other work on the machine."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def best_of_with_result(fn, repeat: int = 3) -> tuple[float, object]:
    """Like :func:`best_of`, also returning the last call's result (to check it)."""
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def best_cpu(fn, repeat: int = 3) -> float:
    """CPU seconds of this process for the cheapest of ``repeat`` calls (less disturbed than wall
    time when other work shares the cores)."""
    times = []
    for _ in range(repeat):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return min(times)
