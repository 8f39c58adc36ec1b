"""Benchmark of workbench.weighting.regression (revealed weights) on a large panel.

Run: .venv/bin/python benchmarks/bench_weighting.py [--quick]
Prints one `name: value` line per case with the numpy lstsq baseline measured in the same run.
Target (brief): 10,000 units x 50 indicators in at most 1 s for OLS and for NNLS (with its
default 1,000-draw wild bootstrap).
"""

from __future__ import annotations

import argparse

import numpy as np
from _timing import best_of

from workbench import weighting

TARGET_S = 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small run (2,000 x 20)")
    args = parser.parse_args()
    n, p, repeats = (2_000, 20, 3) if args.quick else (10_000, 50, 3)

    rng = np.random.default_rng(20240601)
    x = rng.normal(size=(n, p))
    y = x @ rng.uniform(0.0, 1.0, size=p) + rng.normal(size=n)
    weighting.regression(x[:200, :5], y[:200])  # warm-up: imports statsmodels once

    def baseline():
        z = (x - x.mean(0)) / x.std(0, ddof=1)
        np.linalg.lstsq(np.column_stack([np.ones(n), z]), y, rcond=None)

    t_base = best_of(baseline, repeats)
    cases = {
        "ols": lambda: weighting.regression(x, y, "ols"),
        "nnls (wild bootstrap, n_boot=1000)": lambda: weighting.regression(x, y, "nnls", seed=1),
    }
    for name, run in cases.items():
        t = best_of(run, repeats)
        status = "ok" if t <= TARGET_S else "SLOWER THAN TARGET"
        print(
            f"regression {name} {n}x{p}: {t:.3f} s (target <= {TARGET_S:g} s, {status}); "
            f"numpy lstsq baseline {t_base:.3f} s; ratio {t / t_base:.1f}"
        )
    t_pairs = best_of(lambda: weighting.regression(x, y, "nnls", n_boot=100, bootstrap="pairs", seed=1), 1)
    print(
        f"regression nnls (pairs bootstrap, n_boot=100) {n}x{p}: {t_pairs:.3f} s (no target; informative); "
        f"numpy lstsq baseline {t_base:.3f} s; ratio {t_pairs / t_base:.1f}"
    )


if __name__ == "__main__":
    main()
