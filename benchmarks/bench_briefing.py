"""Benchmark: `workbench brief` end to end on 10,000 units (and 100,000), HTML and PDF.

Target (issue 11): a briefing on 10,000 units in at most 30 s (before: 102 s and a 24.6 MB HTML);
100,000 units must finish (no target; the time is reported).

Baseline, measured in the same run on the same table: the floor any briefing pays, one plain
``workbench.score`` call plus a plain ``pandas.DataFrame.to_html`` of its full table
(``Scorecard.to_frame``).

The data are the bundled county (86 departments, 5 categories) resampled to n departments with new
ids, scored with the Chongqing rubric (categories with their own weights, exempt items, bonus,
deduction, veto, quotas per category): the most demanding shipped rubric.

Run: ``.venv/bin/python benchmarks/bench_briefing.py [--quick] [--big]`` (``--big`` adds 100,000).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _timing import best_of

import workbench as wb
from workbench.examples import sample_path
from workbench.report.briefing import build_briefing

TARGET_S = 30.0


def county_file(n: int, folder: Path, seed: int = 0) -> Path:
    """The bundled county resampled to ``n`` departments (rows drawn with replacement, new ids)."""
    raw = pd.read_csv(sample_path("data/samples/county_organs.csv"), dtype=str, keep_default_na=False)
    rows = np.random.default_rng(seed).integers(0, len(raw), n)
    big = raw.iloc[rows].copy()
    big["unit"] = [f"U{i:06d}" for i in range(n)]
    big["name"] = big["name"] + big["unit"].str[-4:]
    path = folder / f"county_{n}.csv"
    big.to_csv(path, index=False)
    return path


def run(n: int, folder: Path, draws: int) -> None:
    path = county_file(n, folder)
    rubric = wb.load_rubric(sample_path("indicators/cq_organs.yaml"))
    out = folder / f"out_{n}"
    t = time.perf_counter()
    written = build_briefing(sample_path("indicators/cq_organs.yaml"), path, out, n_draws=draws)
    elapsed = time.perf_counter() - t
    sizes = {p.suffix: p.stat().st_size for p in written}
    data = wb.read_table(path, rubric=rubric)

    def floor():
        wb.score(rubric, data).to_frame().to_html()

    base = best_of(floor, 2)
    status = "" if elapsed <= TARGET_S or n > 10_000 else "  MISSED"
    target = f"target <= {TARGET_S:g} s" if n <= 10_000 else "no target, must finish"
    print(f"briefing {n} units (HTML + PDF, {draws} weight draws): {elapsed:.1f} s ({target}){status}")
    print(
        f"baseline score + pandas to_html of the full table {n} units: {base:.2f} s; ratio {elapsed / base:.1f}"
    )
    print(
        f"briefing {n} units sizes: HTML {sizes.get('.html', 0) / 1e6:.2f} MB, PDF {sizes.get('.pdf', 0) / 1e6:.2f} MB, "
        f"appendix {sizes.get('.csv', 0) / 1e6:.2f} MB"
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="1,000 units")
    ap.add_argument("--big", action="store_true", help="also 100,000 units")
    args = ap.parse_args()
    sizes = [1000] if args.quick else [10_000] + ([100_000] if args.big else [])
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            run(n, Path(tmp), draws=300)


if __name__ == "__main__":
    main()
