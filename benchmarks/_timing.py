"""Timing helper shared by the benchmark scripts (run as ``python benchmarks/bench_<x>.py``).

A benchmark line compares the workbench with a baseline measured in the same run: the real peer
package or a measured numpy floor. Both sides are timed the same way: :func:`versus` calls each
once untimed (imports, caches, JIT-like first-call costs are paid before timing: "warm"), then
alternates the two ``repeat`` times and keeps each side's fastest call, so a burst of load from
other work on the machine hits both sides alike. Nothing is extrapolated from a smaller run.
"""

from __future__ import annotations

import time
from dataclasses import dataclass


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


@dataclass(frozen=True)
class Timing:
    """Fastest and median of ``repeat`` warm calls, and the last call's result."""

    best: float
    median: float
    repeat: int
    result: object


def _summary(times: list[float], result) -> Timing:
    ordered = sorted(times)
    return Timing(min(ordered), ordered[len(ordered) // 2], len(ordered), result)


def _sample(fn, number: int) -> tuple[float, object]:
    """Seconds per call of ``number`` back-to-back calls (timeit's way for calls of microseconds)."""
    out = None
    t = time.perf_counter()
    for _ in range(number):
        out = fn()
    return (time.perf_counter() - t) / number, out


def measure(fn, repeat: int = 5, *, warmup: int = 1, number: int = 1) -> Timing:
    """Time ``fn`` warm: ``warmup`` untimed calls, then the fastest of ``repeat`` samples of ``number`` calls."""
    for _ in range(warmup):
        fn()
    times, out = [], None
    for _ in range(repeat):
        dt, out = _sample(fn, number)
        times.append(dt)
    return _summary(times, out)


def versus(ours, baseline, repeat: int = 5, *, warmup: int = 1, number: int = 1) -> tuple[Timing, Timing]:
    """Time ``ours`` and ``baseline`` the same way: each warmed, then sampled alternately ``repeat`` times.

    A sample is ``number`` back-to-back calls (per-call time reported), for calls of microseconds.
    """
    for _ in range(warmup):
        ours()
        baseline()
    t_ours, t_base, out_ours, out_base = [], [], None, None
    for _ in range(repeat):
        dt, out_ours = _sample(ours, number)
        t_ours.append(dt)
        dt, out_base = _sample(baseline, number)
        t_base.append(dt)
    return _summary(t_ours, out_ours), _summary(t_base, out_base)


def verdict(met: bool) -> str:
    """``ok`` or ``MISSED`` (the word the benchmark lines use when a target is missed)."""
    return "ok" if met else "MISSED"


def fmt(seconds: float) -> str:
    """A duration in the unit that keeps three significant digits readable (us, ms or s)."""
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} us"
    if seconds < 1.0:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.3f} s"


def best_cpu(fn, repeat: int = 3) -> float:
    """CPU seconds of this process for the cheapest of ``repeat`` calls (less disturbed than wall
    time when other work shares the cores)."""
    times = []
    for _ in range(repeat):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return min(times)
