"""Benchmark: uncertainty of ranks and grades past one machine (dask.distributed).

Targets (issue 14):
- scaling from 1 to 2 workers: the same reduced analysis (``keep_runs=False``: draws made and runs
  reduced on the workers) on a process ``LocalCluster`` with 1 and with 2 workers, 1 thread each;
  baseline = the 1-worker cluster measured in the same run; target speed-up >= 1.5 on 2 cores
  (the cores are shared with other work: the load average is printed).
- client memory for 1,000,000 units x 1,000 draws on 2 workers: peak RSS of the client process
  (psutil, sampled every 20 ms) over the whole analysis, target < 2 GB; baseline = the client's RSS
  with the data loaded and scored once (what any analysis needs), measured in the same run.

Run: ``.venv/bin/python benchmarks/bench_distributed.py [--quick]`` (the full run takes minutes).
"""

from __future__ import annotations

import argparse
import os
import threading
import time

import psutil
from bench_sensitivity import make_data, make_rubric

import workbench as wb

FACTORS = {"weights": {"dirichlet": {"concentration": 50}}}


class PeakRSS:
    """Peak resident memory of this process, sampled in a thread."""

    def __init__(self, every: float = 0.02):
        self.proc, self.every, self.peak = psutil.Process(), every, 0
        self._stop = threading.Event()

    def __enter__(self):
        self.peak = self.proc.memory_info().rss
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self.proc.memory_info().rss)
            time.sleep(self.every)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.proc.memory_info().rss)


def cluster(workers: int):
    from distributed import Client, LocalCluster

    lc = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    return lc, Client(lc)


def run(rubric, data, n_runs, client):
    t = time.perf_counter()
    res = wb.sensitivity.uncertainty(
        rubric, data, None, FACTORS, n=n_runs, seed=1, client=client, keep_runs=False
    )
    return time.perf_counter() - t, res


def scaling(quick: bool) -> None:
    n_units, n_runs = (50_000, 64) if quick else (200_000, 200)
    rubric = make_rubric()
    data = make_data(rubric, n_units)
    times, results = {}, {}
    for workers in (1, 2):
        lc, client = cluster(workers)
        try:
            run(rubric, data, 8, client)  # warm-up: imports on the workers
            times[workers], results[workers] = run(rubric, data, n_runs, client)
        finally:
            client.close()
            lc.close()
    same = results[1].rank_stats.equals(results[2].rank_stats) and results[1].grade_probs.equals(
        results[2].grade_probs
    )
    speedup = times[1] / times[2]
    flag = "" if speedup >= 1.5 else " MISSED"
    print(
        f"uncertainty reduced on workers {n_units}x30x{n_runs}: 2 workers {times[2]:.2f} s "
        f"({times[2] / n_runs * 1e3:.1f} ms per run); 1-worker baseline {times[1]:.2f} s; speed-up "
        f"{speedup:.2f}x (target >= 1.5x){flag}; identical results on 1 and 2 workers: {same}"
    )
    print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (shared machine)")


def memory(quick: bool) -> None:
    n_units, n_runs = (100_000, 100) if quick else (1_000_000, 1_000)
    proc = psutil.Process()
    with PeakRSS() as load:
        rubric = make_rubric()
        data = make_data(rubric, n_units)
        wb.score(rubric, data)  # the floor: the data and one scoring of them
    floor = load.peak
    lc, client = cluster(2)
    try:
        with PeakRSS() as peak:
            t, res = run(rubric, data, n_runs, client)
    finally:
        client.close()
        lc.close()
    gb = 1024**3
    flag = "" if peak.peak < 2 * gb else " MISSED"
    print(
        f"client peak RSS, uncertainty {n_units}x30x{n_runs} on 2 workers: {peak.peak / gb:.2f} GiB "
        f"(target < 2 GiB){flag}; baseline data loaded and scored once {floor / gb:.2f} GiB; ratio "
        f"{peak.peak / floor:.2f}; the runs x units arrays it never holds: "
        f"{n_units * n_runs * 13 / gb:.1f} GiB (int32 ranks, float64 scores, int8 grades)"
    )
    print(
        f"  {t:.0f} s, {t / n_runs:.2f} s per run; largest quantile error "
        f"{float(res.rank_error.max()):.0f} ranks (median {float(res.rank_error.median()):.0f}); "
        f"client RSS now {proc.memory_info().rss / gb:.2f} GiB"
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    scaling(args.quick)
    memory(args.quick)


if __name__ == "__main__":
    main()
