"""Benchmark: rubric slimming search and anomaly checks of report data.

Targets (issue 8):
- slimming search on 86 units x 60 items: at most 5 s; baseline = one ``score`` call times the
  number of candidate rubrics the search evaluated (what re-running the rules would cost).
- anomaly checks on 100,000 units x 60 indicators x 12 periods: at most 5 s; baseline = a pandas
  groupby median over the same long table (units x periods x indicators rows, by category, period
  and indicator), i.e. the first step of the peer check done the obvious way.

Run: ``.venv/bin/python benchmarks/bench_slimming_anomalies.py [--quick]``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

import workbench as wb
from workbench.anomalies import check_report
from workbench.rubric._parse import parse_rubric_dict
from workbench.slimming import slim


def timed(fn, repeat=1):
    best, out = np.inf, None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


# ----------------------------------------------------------------------------- slimming
def slimming_case(n_units=86, n_items=60, seed=3):
    """A 6-block rubric of n_items (linear, target, bands, grades), with burden hours, categories
    with their own block weights, a quota, and correlated data (items load on a unit quality)."""
    rng = np.random.default_rng(seed)
    rules = [
        {"type": "linear", "lo": 60, "hi": 100},
        {"type": "target_ratio", "target": 95},
        {"type": "bands", "scores": [[98, 1.0], [92, 0.8], [85, 0.6]], "otherwise": 0.3},
    ]
    blocks, per = [], n_items // 6
    for b in range(6):
        inds = []
        for k in range(per):
            j = b * per + k
            node = {"code": f"i{j:02d}", "name": f"指标{j:02d}", "weight": float(rng.integers(1, 5)),
                    "burden_hours": float(rng.integers(1, 9))}  # fmt: skip
            if j % 10 == 9:
                node.update(
                    kind="qualitative",
                    rule={"type": "grade_map", "scores": {"优": 1.0, "良": 0.8, "中": 0.6}},
                )
            else:
                node["rule"] = rules[j % 3]
            inds.append(node)
        blocks.append(
            {"code": f"b{b}", "name": f"板块{b}", "weight": float(rng.integers(10, 25)), "indicators": inds}
        )
    rubric = parse_rubric_dict(
        {
            "code": "bench60",
            "name": "六十项基准方案",
            "weighting": "relative",
            "blocks": blocks,
            "grades": {"bands": {"优秀": 90, "良好": 80, "一般": 60, "较差": 0}, "quota": {"优秀": 0.2}},
            "categories": {"column": "cat", "groups": {"甲": {"weights": {"b0": 30, "b1": 10}}}},
        }
    )
    q = rng.normal(size=n_units)
    data = {}
    for j in range(n_items):
        z = 0.4 * q + np.sqrt(1 - 0.16) * rng.normal(size=n_units)
        if j % 10 == 9:
            data[f"i{j:02d}"] = np.where(z > 0.3, "优", np.where(z > -1, "良", "中"))
        else:
            data[f"i{j:02d}"] = np.clip(np.round(93 + 4 * z, 1), 0, 100)
    frame = pd.DataFrame(data, index=pd.Index([f"U{i:03d}" for i in range(n_units)], name="unit"))
    frame["cat"] = rng.choice(["甲", "乙", "丙"], n_units)
    return rubric, frame


def bench_slimming(quick: bool):
    rubric, data = slimming_case()
    t_score, card = timed(lambda: wb.score(rubric, data), repeat=5)
    t_slim, res = timed(lambda: slim(rubric, data, min_spearman=0.95, max_grade_changes=3))
    naive = t_score * res.evaluations
    print(
        f"slim search 86x60 ({res.method}, {res.evaluations} candidate rubrics scored, {len(res.removed)} items "
        f"removed): {t_slim:.3f} s (target <= 5 s); naive baseline {res.evaluations} x score "
        f"{t_score * 1e3:.2f} ms = {naive:.2f} s; ratio {t_slim / naive:.3f}"
    )
    cands = list(res.impact.sort_values("spearman", ascending=False).index[: (14 if quick else 20)])
    t_ex, ex = timed(lambda: slim(rubric, data, min_spearman=0.95, max_grade_changes=3, candidates=cands,
                                  screen=False, method="exact"))  # fmt: skip
    naive = t_score * ex.evaluations
    print(
        f"slim exact search 86x60 over {len(cands)} candidates ({ex.evaluations} subsets scored, "
        f"{len(ex.removed)} removed): {t_ex:.3f} s (target <= 5 s); naive baseline {naive:.1f} s; "
        f"ratio {t_ex / naive:.4f}"
    )


# ----------------------------------------------------------------------------- anomalies
def report_case(n_units=100_000, n_periods=12, n_ind=60, seed=5):
    """A wide monthly report: 20 rates (%), 30 flows, 5 stocks (two sum identities), 5 cumulative
    figures, 11 categories, and about 0.05% of figures planted wrong."""
    rng = np.random.default_rng(seed)
    U, T = n_units, n_periods
    size = np.maximum(3, np.round(rng.lognormal(3.3, 0.6, U)))[:, None]
    season = np.ones(T)
    season[[0, 1]], season[min(6, T - 1)] = 0.85, 1.4
    cols = {}
    for j in range(20):
        level = np.clip(rng.normal(95, 2.5, U), 80, 100)[:, None]
        cols[f"rate{j:02d}"] = np.clip(np.round(level + rng.normal(0, 1, (U, T)), 1), 0, 100)
    for j in range(30):
        lam = size * rng.uniform(0.05, 0.5) * season
        cols[f"flow{j:02d}"] = rng.poisson(lam).astype(float)
    full = np.round(size * rng.uniform(0.9, 0.98, (U, 1))) + np.cumsum(rng.integers(-1, 2, (U, T)), axis=1)
    prob = np.round(size * 0.03) + np.zeros((U, T))
    cols.update(stock_full=np.maximum(full, 1), stock_prob=prob, stock_total=np.maximum(full, 1) + prob)
    cols["stock_branches"] = np.repeat(np.maximum(1, np.round(size / 15)), T, axis=1)
    cols["stock_std"] = np.minimum(cols["stock_branches"], np.round(cols["stock_branches"] * 0.9))
    for j in range(5):
        cols[f"ytd{j}"] = np.cumsum(rng.poisson(size * 0.02, (U, T)), axis=1).astype(float)
    names = list(cols)[:n_ind]
    cube = np.stack([cols[c] for c in names], axis=2)  # (U, T, m)
    planted = rng.random(cube.shape) < 0.0005
    cube = np.where(planted, np.round(cube * rng.choice([0.0, 8.0, -1.0], cube.shape) + 5, 1), cube)
    frame = pd.DataFrame(cube.reshape(U * T, -1), columns=names)
    frame.insert(0, "period", np.tile([f"2025-{k + 1:02d}" for k in range(T)], U))
    frame.insert(0, "unit", np.repeat(np.array([f"U{k:06d}" for k in range(U)]), T))
    cats = np.array([f"类别{k + 1}" for k in range(11)])[rng.integers(0, 11, U)]
    frame["category"] = np.repeat(cats, T)
    checks = {
        "ranges": {**{c: [0, 100] for c in names if c.startswith("rate")},
                   **{c: [0, None] for c in names if not c.startswith("rate")}},
        "sum": {"stock_total": ["stock_full", "stock_prob"]},
        "not_above": {"stock_std": "stock_branches"},
        "cumulative": [c for c in names if c.startswith("ytd")],
        "peer": [c for c in names if c.startswith("rate")],
        "change": [c for c in names if not c.startswith("ytd")],
    }  # fmt: skip
    return frame, checks, int(planted.sum())


def bench_anomalies(quick: bool):
    n = 10_000 if quick else 100_000
    frame, checks, n_planted = report_case(n_units=n)
    t_check, rep = timed(lambda: check_report(frame, checks, category="category"))
    m = len(frame.columns) - 3
    # baseline: the same table in long form, pandas groupby median by (category, period, indicator)
    long = pd.DataFrame(
        {
            "category": np.repeat(pd.Categorical(frame["category"]).codes.astype(np.int8), m),
            "period": np.repeat(pd.Categorical(frame["period"]).codes.astype(np.int8), m),
            "indicator": np.tile(np.arange(m, dtype=np.int16), len(frame)),
            "value": frame.iloc[:, 2 : 2 + m].to_numpy().ravel(),
        }
    )
    t_base, _ = timed(lambda: long.groupby(["category", "period", "indicator"])["value"].median())
    print(
        f"check_report {n}x60x12 ({len(rep.flags)} flags on {rep.n_figures} figures, {n_planted} planted): "
        f"{t_check:.2f} s (target <= 5 s); pandas groupby-median baseline on the {len(long):,}-row long "
        f"table {t_base:.2f} s; ratio {t_check / t_base:.2f}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small run (10,000 units; 14 exact candidates)")
    args = parser.parse_args()
    bench_slimming(args.quick)
    bench_anomalies(args.quick)


if __name__ == "__main__":
    main()
