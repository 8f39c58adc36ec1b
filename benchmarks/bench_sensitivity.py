"""Benchmark: uncertainty of ranks and grades at province scale, and Sobol' indices on the county.

Targets (issue 4):
- ``uncertainty`` on 100,000 units x 30 indicators with 1,000 Dirichlet weight draws (rank
  intervals and grade probabilities, with veto and quotas): at most 20 s on 2 cores. Baseline: one
  ``workbench.score`` call on the same data, and the naive loop it implies (1,000 x that).
- ``sobol`` over the block weights, quota and party weight on the bundled county sample
  (``data/samples/county_organs.csv`` with ``indicators/comprehensive_2pct.yaml``), when present.
- (issue 14) the 300-run ASEM uncertainty analysis of COINr's example (winsorisation limit 1-5,
  min-max vs z-score, +-25% noise on pillar and sub-index weights, arithmetic vs geometric mean):
  seconds per run; baseline one ``build_index`` regeneration of the same build, in the same run.

Run: ``.venv/bin/python benchmarks/bench_sensitivity.py [--quick]``.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _timing import best_of

import workbench as wb
from workbench.rubric._parse import parse_rubric_dict

ROOT = Path(__file__).resolve().parents[1]
RULES = [
    {"type": "linear", "lo": 40, "hi": 100},
    {"type": "target_ratio", "target": 90, "cap": 1.0},
    {"type": "bands", "scores": [[90, 1.0], [75, 0.8], [60, 0.6]], "otherwise": 0.2},
]


def make_rubric(n_blocks: int = 6, per_block: int = 5):
    blocks = []
    for b in range(n_blocks):
        inds = [
            {"code": f"i{b}{k}", "name": f"指标{b}{k}", "weight": 1 + (k % 3), "rule": RULES[(b + k) % 3]}
            for k in range(per_block)
        ]
        blocks.append({"code": f"b{b}", "name": f"板块{b}", "weight": 10 + 5 * b, "indicators": inds})
    return parse_rubric_dict(
        {
            "code": "province",
            "name": "全省基层党组织考核（基准）",
            "scale": 100,
            "weighting": "relative",
            "blocks": blocks,
            "bonus": {"cap": 5, "items": [{"code": "bn1", "name": "表彰", "points": 2}]},
            "deductions": {"cap": 10, "items": [{"code": "dd1", "name": "通报批评", "points": 3}]},
            "veto": [{"code": "vt1", "name": "重大事故"}],
            "grades": {
                "bands": {"优秀": 90, "良好": 80, "一般": 60, "较差": 0},
                "quota": {"优秀": 0.15, "良好": 0.4},
            },
        }
    )


def make_data(rubric, n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    skill = rng.normal(0, 1, n)
    cols = {c: np.clip(np.round(80 + 8 * skill + rng.normal(0, 8, n), 1), 0, 100) for c in rubric.indicators}
    cols["bn1"] = rng.poisson(0.2, n).astype(float)
    cols["dd1"] = rng.poisson(0.2, n).astype(float)
    cols["vt1"] = (rng.random(n) < 0.005).astype(int)
    return pd.DataFrame(cols, index=pd.Index([f"U{i:06d}" for i in range(n)], name="unit"))


def province(quick: bool) -> None:
    n_units, n_runs = (10_000, 200) if quick else (100_000, 1_000)
    rubric = make_rubric()
    data = make_data(rubric, n_units)
    factors = {"weights": {"dirichlet": {"concentration": 50}}}
    wb.score(rubric, data)  # warm-up
    t_score = best_of(lambda: wb.score(rubric, data), 3)
    t, c = time.perf_counter(), time.process_time()
    res = wb.sensitivity.uncertainty(rubric, data, None, factors, n=n_runs, seed=1)
    t_unc, cpu = time.perf_counter() - t, time.process_time() - c
    naive = n_runs * t_score
    label = f"{n_units}x{len(rubric.indicators)}x{n_runs}"
    missed = "" if quick or t_unc <= 20 else " MISSED"
    print(
        f"uncertainty {label}: {t_unc:.2f} s (target <= 20 s at 100000x30x1000){missed}; "
        f"naive loop of score() {naive:.1f} s (1 call {t_score:.3f} s x {n_runs}); ratio {t_unc / naive:.3f}"
    )
    # the machine is shared: the load average says how much of the 2 cores this run really had
    print(f"  cpu time {cpu:.1f} s over {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")
    print(
        f"  fragile grades: {len(res.fragile)} of {n_units}; median 90% rank interval "
        f"{float((res.rank_stats['q95'] - res.rank_stats['q05']).median()):.0f}"
    )


def county(quick: bool) -> None:
    path = ROOT / "data" / "samples" / "county_organs.csv"
    rubric_path = ROOT / "indicators" / "comprehensive_2pct.yaml"
    if not path.exists() or not rubric_path.exists():
        print(f"sobol county: skipped ({path.relative_to(ROOT)} not found)")
        return
    rubric = wb.load_rubric(rubric_path)
    data = wb.read_table(path, rubric=rubric)
    factors = {
        f"weights.{b}": {"uniform": [0.5 * rubric[b].weight, 1.5 * rubric[b].weight]}
        for b in rubric.top_blocks
    }
    factors["quota"] = {"uniform": [0.1, 0.3]}
    factors["party_weight"] = {"uniform": [0.02, 0.3]}
    n = 256 if quick else 1024
    t = time.perf_counter()
    res = wb.sensitivity.sobol(rubric, data, None, factors, n=n, seed=1)
    t_sobol = time.perf_counter() - t
    runs = res.params.shape[0]
    t_score = best_of(lambda: wb.score(rubric, data), 3)
    naive = runs * t_score
    print(
        f"sobol county {len(data)} units, {len(factors)} factors, {runs} runs: {t_sobol:.2f} s; "
        f"naive loop of score() {naive:.1f} s; ratio {t_sobol / naive:.3f}"
    )


def asem(quick: bool) -> None:
    from workbench.composite import build_index
    from workbench.examples import asem_spec

    base = ROOT / "data" / "samples" / "asem"
    rubric = wb.rubric_from_table(base / "ASEM_iMeta.csv")
    data = wb.read_table(base / "ASEM_iData.csv")
    spec = asem_spec()
    levels = rubric.levels()
    factors = {
        "treat.winmax": [1, 2, 3, 4, 5],
        "normalise": [{"method": "minmax", "lo": 1, "hi": 100}, {"method": "zscore", "mean": 10, "sd": 2}],
        "weights": {"uniform_noise": {"a": 0.25, "codes": [c for c in rubric.nodes if levels[c] in (2, 3)]}},
        "aggregate": ["amean", "gmean"],
    }
    run = lambda: wb.sensitivity.uncertainty(rubric, data, spec, factors, n=300, seed=1)  # noqa: E731
    run()  # warm-up
    t_unc = best_of(run, 3 if quick else 7)
    t_build = best_of(lambda: build_index(rubric, data, spec), 3 if quick else 7)
    print(
        f"uncertainty ASEM 51x49, 300 runs x 4 uncertain inputs: {t_unc:.3f} s = "
        f"{t_unc / 300 * 1e3:.3f} ms per run; baseline one build_index regeneration "
        f"{t_build * 1e3:.2f} ms; ratio per run {t_unc / 300 / t_build:.3f}"
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    province(args.quick)
    county(args.quick)
    asem(args.quick)


if __name__ == "__main__":
    main()
