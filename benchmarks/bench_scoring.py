"""Benchmark: scoring 100,000 units against a 60-indicator rubric, and reading that table.

Targets (issue 2):
- ``score`` on 100,000 units x 60 indicators (mixed rule types, bonus, deduction, veto, grades
  with a quota): at most 1.0 s, and (issue 14) at most 5x a plain numpy weighted sum of the same
  array, measured in the same run.
- ``read_table`` of that table from CSV with validation: at most 2x ``pandas.read_csv`` alone.

Run: ``.venv/bin/python benchmarks/bench_scoring.py [--quick]``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from _timing import best_cpu, best_of

import workbench as wb
from workbench.rubric._parse import parse_rubric_dict

# A realistic mix for 60 items, as in the shipped rubrics: mostly target ratios, bands and linear
# rules, a few peer-relative (rank, deviation, min-max) rules, qualitative grades and checklists.
MIX = (
    ["target_ratio"] * 14
    + ["bands"] * 12
    + ["linear"] * 8
    + ["direct"] * 4
    + ["peer_deviation"] * 4
    + ["rank_ladder"] * 3
    + ["minmax"] * 3
    + ["grade_map"] * 6
    + ["deduction_per_item"] * 6
)
RULES = {
    "linear": {"type": "linear", "lo": 0, "hi": 100},
    "target_ratio": {"type": "target_ratio", "target": 80, "cap": 1.0},
    "bands": {"type": "bands", "scores": [[90, 1.0], [75, 0.8], [60, 0.6]], "otherwise": 0.2},
    "direct": {"type": "direct", "unit": "percent"},
    "rank_ladder": {"type": "rank_ladder", "first": 1.0, "step": 0.0001, "floor": 0.5},
    "peer_deviation": {"type": "peer_deviation", "at_mean": 0.8, "slope": 0.1},
    "minmax": {"type": "minmax"},
    "grade_map": {"type": "grade_map", "scores": {"优": 1.0, "良": 0.8, "中": 0.6, "差": 0.3}},
    "deduction_per_item": {"type": "deduction_per_item", "unit": "share", "per_item": 0.1, "floor": 0.2},
}
KIND = {"grade_map": "qualitative", "deduction_per_item": "checklist"}


def make_rubric(n_ind: int = 60):
    rng = np.random.default_rng(1)
    mix = rng.permutation(MIX)[:n_ind]
    blocks = []
    per_block = n_ind // 6
    for b in range(6):
        inds = []
        for k in range(b * per_block, (b + 1) * per_block):
            rule = str(mix[k])
            inds.append(
                {
                    "code": f"i{k:02d}",
                    "name": f"指标{k}",
                    "weight": 1,
                    "kind": KIND.get(rule, "quantitative"),
                    "rule": RULES[rule],
                    "missing": "zero" if k % 7 == 0 else "error",
                }
            )
        blocks.append({"code": f"b{b}", "name": f"板块{b}", "weight": 1, "indicators": inds})
    return parse_rubric_dict(
        {
            "code": "bench",
            "name": "基准",
            "scale": 100,
            "weighting": "relative",
            "blocks": blocks,
            "bonus": {
                "cap": 5,
                "stacking": "highest",
                "items": [
                    {"code": "bn1", "name": "表彰1", "points": 3},
                    {"code": "bn2", "name": "表彰2", "points": 2},
                ],
            },
            "deductions": {
                "cap": 10,
                "items": [
                    {"code": "dd1", "name": "批评", "points": 3},
                    {"code": "dd2", "name": "问责", "points": 5},
                ],
            },
            "veto": [{"code": "vt1", "name": "事故"}, {"code": "vt2", "name": "违纪", "cap_grade": "一般"}],
            "grades": {
                "bands": {"优秀": 90, "良好": 80, "一般": 60, "较差": 0},
                "quota": {"优秀": 0.2, "良好": 0.4},
            },
        }
    )


def make_data(rubric, n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    cols = {}
    grades = np.array(["优", "良", "中", "差"], dtype=object)
    for c in rubric.indicators:
        kind = rubric.nodes[c].kind
        if kind == "qualitative":
            cols[c] = grades[rng.integers(0, 4, n)]
        elif kind == "checklist":
            cols[c] = rng.poisson(1.0, n).astype(float)
        else:
            cols[c] = np.round(rng.uniform(40, 100, n), 1)
    for c in ("bn1", "bn2", "dd1", "dd2"):
        cols[c] = rng.poisson(0.2, n).astype(float)
    cols["vt1"] = (rng.random(n) < 0.01).astype(int)
    cols["vt2"] = (rng.random(n) < 0.01).astype(int)
    return pd.DataFrame(cols, index=pd.Index([f"U{i:06d}" for i in range(n)], name="unit"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    n = 10_000 if args.quick else 100_000
    rubric = make_rubric()
    data = make_data(rubric, n)
    repeat = 3

    numeric = np.column_stack(
        [
            data[c].to_numpy(dtype=float) if rubric.nodes[c].rule.numeric else np.ones(n)
            for c in rubric.indicators
        ]
    )
    w = rubric.effective_weights()[rubric.indicators].to_numpy()
    wb.score(rubric, data)  # warm-up (imports, caches)
    # best of several calls, alternating: the machine is shared, so the least disturbed call of
    # each counts; CPU time of this process is reported as well
    t_plain = best_of(lambda: (numeric * w).sum(axis=1), 9)
    t_blas = best_of(lambda: numeric @ w, 9)
    t_score = best_of(lambda: wb.score(rubric, data), 9)
    c_plain = best_cpu(lambda: (numeric * w).sum(axis=1), 9)
    c_score = best_cpu(lambda: wb.score(rubric, data), 9)
    ratio = t_score / t_plain
    print(
        f"score {n}x{len(rubric.indicators)}: {t_score:.3f} s (target <= 1.0 s at 100,000 units)"
        + ("" if t_score <= 1.0 or n < 100_000 else " MISSED")
    )
    print(
        f"plain numpy weighted sum (X * w).sum(axis=1): {t_plain * 1e3:.2f} ms; ratio {ratio:.1f}x "
        f"(target <= 5x)" + ("" if ratio <= 5 else " MISSED")
    )
    print(
        f"  cpu time: score {c_score * 1e3:.1f} ms, weighted sum {c_plain * 1e3:.2f} ms; ratio "
        f"{c_score / c_plain:.1f}x; load average {os.getloadavg()[0]:.1f}"
    )
    print(f"BLAS matrix-vector X @ w (for reference): {t_blas * 1e3:.2f} ms; ratio {t_score / t_blas:.1f}x")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "units.csv"
        data.to_csv(path)
        t_pandas = best_of(lambda: pd.read_csv(path), repeat)
        t_read = best_of(lambda: wb.read_table(path, rubric=rubric), repeat)
    print(f"read_table + validate {n}x{data.shape[1]} CSV: {t_read:.3f} s")
    ratio = t_read / t_pandas
    print(
        f"pandas.read_csv baseline: {t_pandas:.3f} s; ratio {ratio:.2f}x (target <= 2x)"
        + ("" if ratio <= 2 else " MISSED")
    )


if __name__ == "__main__":
    main()
