"""Benchmark: Krippendorff's alpha on a large panel, and panel resampling of grades.

No hard targets (issue 5). Printed, each with a baseline measured in the same run:
- ``krippendorff_alpha`` on 10,000 units x 20 raters with 10% missing (integer scores 0-100, and
  grades 1-4), against the ``krippendorff`` package (GPL; imported here only as a baseline).
- ``regrade_probability`` with 1,000 draws x 10,000 units, against numpy drawing the same number of
  normal variates alone (the floor of any simulation of that size).

Run: ``.venv/bin/python benchmarks/bench_agreement.py [--quick]``.
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
from _timing import best_of_with_result as best_of

from workbench import agreement as ag
from workbench.errors import WorkbenchWarning


def panel(n_units: int, n_raters: int, levels: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    true = rng.normal(0, 1, n_units)[:, None]
    x = true + rng.normal(0, 0.7, (n_units, n_raters)) + rng.normal(0, 0.2, n_raters)
    x = np.clip(np.round((x + 3) / 6 * (levels - 1)), 0, levels - 1) + (1 if levels <= 10 else 0)
    x[rng.random(x.shape) < 0.10] = np.nan
    return x


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes for a smoke run")
    args = parser.parse_args()
    n_units, n_raters, draws = (1_000, 20, 100) if args.quick else (10_000, 20, 1_000)
    repeat = 3

    try:
        import krippendorff
    except ImportError:  # pragma: no cover - the package is a test extra
        krippendorff = None
    for label, levels in (("scores 0-100", 101), ("grades 1-4", 4)):
        x = panel(n_units, n_raters, levels)
        for level in ("nominal", "ordinal", "interval", "ratio"):
            ours, a = best_of(lambda x=x, level=level: ag.krippendorff_alpha(x, level=level), repeat)
            line = f"krippendorff_alpha {level} {n_units}x{n_raters} 10% missing ({label}): {ours:.4f} s"
            if krippendorff is not None:
                ref, b = best_of(
                    lambda x=x, level=level: krippendorff.alpha(
                        reliability_data=x.T, level_of_measurement=level
                    ),
                    repeat,
                )
                line += f"; krippendorff package {ref:.4f} s; ratio {ours / ref:.3f}; |diff| {abs(float(a) - b):.1e}"
            print(line + " (no target)")

    x = panel(n_units, n_raters, 101, seed=1)
    bands = {"优秀": 90, "良好": 80, "一般": 60, "较差": 0}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WorkbenchWarning)  # complete-case ANOVA drops most units
        for leniency in (False, True):
            ours, res = best_of(
                lambda leniency=leniency: ag.regrade_probability(
                    x, bands, n=draws, seed=0, leniency=leniency
                ),
                repeat,
            )
            rng = np.random.default_rng(0)
            base, _ = best_of(lambda rng=rng: rng.standard_normal((draws, n_units)), repeat)
            print(
                f"regrade_probability {draws} draws x {n_units} units (leniency={leniency}): {ours:.4f} s; "
                f"numpy normal draws alone {base:.4f} s; ratio {ours / base:.2f}; "
                f"mean P(change) {res.probability.mean():.3f} (no target)"
            )


if __name__ == "__main__":
    main()
