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


def measure(fn, repeat: int = 5, *, warmup: int = 1) -> Timing:
    """Time ``fn`` warm: ``warmup`` untimed calls, then the fastest of ``repeat`` timed calls."""
    for _ in range(warmup):
        fn()
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return _summary(times, out)


def versus(ours, baseline, repeat: int = 5, *, warmup: int = 1) -> tuple[Timing, Timing]:
    """Time ``ours`` and ``baseline`` the same way: each warmed, then called alternately ``repeat`` times."""
    for _ in range(warmup):
        ours()
        baseline()
    t_ours, t_base, out_ours, out_base = [], [], None, None
    for _ in range(repeat):
        t = time.perf_counter()
        out_ours = ours()
        t_ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        out_base = baseline()
        t_base.append(time.perf_counter() - t)
    return _summary(t_ours, out_ours), _summary(t_base, out_base)


def verdict(met: bool) -> str:
    """``ok`` or ``MISSED`` (the word the benchmark lines use when a target is missed)."""
    return "ok" if met else "MISSED"
