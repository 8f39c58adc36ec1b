"""Benchmark: one weight-simulator update for 1,000 units, measured without the browser.

Target (issue 7): rescore, rerank and redraw the table for 1,000 units in at most 50 ms (issue 17
adds the units whose grade changes, with their reasons, to every update). The
baseline is one plain ``workbench.score`` call on the same data, measured in the same run.

Run: ``.venv/bin/python benchmarks/bench_simulator.py [--quick]``.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from _timing import best_of

import workbench as wb
from workbench.examples import load_example
from workbench.report.widgets import SimulatorState, rebalance


def county_of(n: int, seed: int = 0) -> tuple:
    """The bundled county resampled to ``n`` departments (rows drawn with replacement, new ids)."""
    rubric, data = load_example("county", up_to="data")
    rows = np.random.default_rng(seed).integers(0, len(data), n)
    big = data.iloc[rows].copy()
    big.index = pd.Index([f"U{i:05d}" for i in range(n)], name=data.index.name)
    return rubric, big


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    n = 200 if ap.parse_args().quick else 1000
    rubric, data = county_of(n)
    state = SimulatorState(rubric, data)
    values = iter(np.tile(np.arange(10, 60, 5), 20))

    def update():
        state.weights = rebalance(state.weights, "leadership", float(next(values)))
        card = state.card()
        state.table(card, top=20)
        state.counts(card)
        state.changes(card)  # who changes grade, and why

    update()  # warm-up
    t_update = best_of(update, 7)
    t_score = best_of(lambda: wb.score(rubric, data), 7)
    print(
        f"simulator update {n} units (rescore, rerank, table, grade counts, grade changes with reasons): {t_update * 1e3:.1f} ms "
        f"(target <= 50 ms)"
    )
    print(f"baseline one workbench.score call: {t_score * 1e3:.1f} ms; ratio {t_update / t_score:.2f}")


if __name__ == "__main__":
    main()
