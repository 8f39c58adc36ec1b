"""Benchmark: Delphi round summaries and obstacle degrees (issue 16).

Targets (issue 16), each with a baseline measured in the same run:

- ``delphi.summarise`` on 3 rounds of 50 invited experts x 200 indicators (10% of experts not
  returning a round, 1-5 scale, Kendall's W with the tie correction computed each round): at
  most 0.5 s for the three rounds together. Baseline: the irreducible numpy work on the same
  arrays, ``scipy.stats.rankdata`` along experts plus nan-aware mean and SD, per round.
- ``analysis.obstacles`` on 100,000 units x 60 indicators: at most 0.5 s. Baseline: the plain
  numpy expression ``d = w * (1 - x); d / d.sum(1) * 100`` on the same array (the floor).

Also printed (no target): ``mcda.rsr`` on 10,000 units x 60 indicators against
``scipy.stats.rankdata`` of the same array, and ``weighting.combine(method="game")`` on 5 vectors
of 2,000 indicators against ``numpy.linalg.lstsq`` of the same system.

Run: ``.venv/bin/python benchmarks/bench_frontend.py [--quick]``.
"""

from __future__ import annotations

import argparse

import numpy as np
from _timing import best_of
from scipy import stats

from workbench import delphi, weighting
from workbench.analysis import obstacles
from workbench.mcda import rsr


def line(name, value, baseline_name, baseline, target=None):
    ratio = value / baseline
    text = f"{name}: {value:.3f} s"
    if target is not None:
        text += f" (target <= {target} s){'' if value <= target else ' MISSED'}"
    print(f"{text}; {baseline_name} baseline {baseline:.3f} s; ratio {ratio:.2f}")


def main(quick: bool = False) -> None:
    rng = np.random.default_rng(0)
    m, n, units, k = (50, 200, 100_000, 60) if not quick else (20, 40, 10_000, 20)
    rounds = []
    for _ in range(3):
        x = np.clip(np.rint(rng.normal(3.8, 0.9, (m, n))), 1, 5)
        x[rng.random(m) < 0.1] = np.nan  # experts who did not return the round (W uses the others)
        rounds.append(x)

    def summaries():
        return [delphi.summarise(r) for r in rounds]

    def numpy_floor():
        for r in rounds:
            stats.rankdata(r, axis=1, nan_policy="omit")
            np.nanmean(r, axis=0)
            np.nanstd(r, axis=0, ddof=1)

    line(
        f"delphi.summarise 3 rounds x {m} experts x {n} indicators",
        best_of(summaries),
        "rankdata + nanmean/nanstd",
        best_of(numpy_floor),
        target=0.5,
    )

    x = rng.uniform(0, 1, (units, k))
    w = rng.dirichlet(np.ones(k))

    def floor():
        d = w * (1.0 - x)
        return d / d.sum(axis=1, keepdims=True) * 100

    line(
        f"analysis.obstacles {units} x {k}",
        best_of(lambda: obstacles(x, w)),
        "numpy expression",
        best_of(floor),
        target=0.5,
    )

    data = rng.lognormal(size=(10_000 if not quick else 2_000, k))
    line(
        f"mcda.rsr {len(data)} x {k}",
        best_of(lambda: rsr(data)),
        "scipy rankdata",
        best_of(lambda: stats.rankdata(data, axis=0)),
    )
    vectors = [rng.dirichlet(np.ones(2_000)) for _ in range(5)]
    u = np.vstack(vectors)
    line(
        "weighting.combine game 5 x 2000",
        best_of(lambda: weighting.combine(*vectors, method="game")),
        "numpy lstsq",
        best_of(lambda: np.linalg.lstsq(u @ u.T, np.diag(u @ u.T), rcond=None)),
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    main(parser.parse_args().quick)
