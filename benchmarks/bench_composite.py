"""Benchmark of the composite-index pipeline (workbench.scoring.build_index, evaluate_runs) on ASEM.

Run: .venv/bin/python benchmarks/bench_composite.py [--quick]
Prints `name: value` lines with the baseline measured in the same run and the ratio.

Targets (brief): COINr 1.1.14 needs ~150 ms per regeneration of its ASEM example build and ~45 s
for an uncertainty analysis of 300 runs over four uncertain inputs (winsorisation limit 1-5;
min-max vs z-score; 100 noisy weight sets; arithmetic vs geometric mean). evaluate_runs on those
300 runs must take at most 0.45 s. The COINr figures are quoted from the brief (R is not run here).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from _timing import best_of

import workbench as wb
from workbench.scoring import Spec, apply_overrides, build_index, evaluate_runs

ROOT = Path(__file__).resolve().parents[1]
ASEM = next(p for p in (ROOT / "data/samples/asem", ROOT.parent / "shared/data/asem") if p.exists())
COINR_REGEN_MS = 150.0
COINR_UA_S = 45.0
TARGET_UA_S = 0.45
FULL = Spec(
    denominate=True,
    impute={"method": "group_mean", "group": "EurAsia_group"},
    screen={"min_share": 0.9},
    treat={"winmax": 5},
    normalise={"method": "minmax", "lo": 1, "hi": 100},
)


def uncertainty_runs(rubric, n_runs: int, seed: int = 1) -> list[dict]:
    """COINr's uncertainty example: winmax 1-5, min-max [1, 100] vs z-score (10, 2), 100 weight sets
    with +-25% uniform noise on pillar and sub-index weights, arithmetic vs geometric mean."""
    rng = np.random.default_rng(seed)
    levels = rubric.levels()
    noisy = [c for c in rubric.nodes if levels[c] in (2, 3)]
    weight_sets = [{c: float(1 + rng.uniform(-0.25, 0.25)) for c in noisy} for _ in range(100)]
    norms = [{"method": "minmax", "lo": 1, "hi": 100}, {"method": "zscore", "mean": 10, "sd": 2}]
    return [
        {
            "treat.winmax": int(rng.integers(1, 6)),
            "normalise": norms[int(rng.integers(2))],
            "weights": weight_sets[int(rng.integers(100))],
            "aggregate": ["amean", "gmean"][int(rng.integers(2))],
        }
        for _ in range(n_runs)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="fewer repeats; naive loop on 30 runs, extrapolated"
    )
    args = parser.parse_args()
    repeats, naive_n = (3, 30) if args.quick else (10, 300)

    rubric = wb.rubric_from_table(ASEM / "ASEM_iMeta.csv")
    data = wb.read_table(ASEM / "ASEM_iData.csv")
    build_index(rubric, data, FULL)  # warm-up (imports scipy.stats once)

    t_full = best_of(lambda: build_index(rubric, data, FULL), repeats)
    t_ref = best_of(lambda: build_index(rubric, data, Spec()), repeats)
    print(
        f"build_index ASEM fuller build (denominate, impute, screen, treat, minmax, amean) 51x49: "
        f"{t_full * 1e3:.1f} ms per regeneration (COINr 1.1.14 ~{COINR_REGEN_MS:.0f} ms; "
        f"ratio {t_full * 1e3 / COINR_REGEN_MS:.3f}); reference build (minmax, amean) baseline "
        f"{t_ref * 1e3:.1f} ms; ratio {t_full / t_ref:.2f}"
    )

    runs = uncertainty_runs(rubric, 300)
    out = evaluate_runs(rubric, data, FULL, runs)
    t_batch = best_of(lambda: evaluate_runs(rubric, data, FULL, runs), max(2, repeats // 3))
    subset = runs[:naive_n]
    start = time.perf_counter()
    naive = np.column_stack(
        [
            build_index(rubric, data, apply_overrides(FULL, r)).index.reindex(out.units).to_numpy()
            for r in subset
        ]
    )
    t_naive = (time.perf_counter() - start) * len(runs) / len(subset)
    same = np.array_equal(naive, out.scores[:, :naive_n], equal_nan=True)
    how = (
        "measured on the same 300 runs"
        if naive_n == len(runs)
        else f"measured on {naive_n} runs, extrapolated to 300"
    )
    status = "ok" if t_batch <= TARGET_UA_S else "SLOWER THAN TARGET"
    print(
        f"evaluate_runs ASEM 300 runs x 4 uncertain inputs ({out.n_tables} distinct pre-aggregation tables): "
        f"{t_batch:.3f} s = {len(runs) / t_batch:.0f} runs/s (target <= {TARGET_UA_S:g} s, {status}); "
        f"naive loop over build_index baseline {t_naive:.2f} s ({how}); ratio {t_batch / t_naive:.3f} "
        f"(speed-up {t_naive / t_batch:.0f}x); COINr 1.1.14 ~{COINR_UA_S:.0f} s, ratio {t_batch / COINR_UA_S:.4f}; "
        f"scores identical to the loop: {same}"
    )


if __name__ == "__main__":
    main()
