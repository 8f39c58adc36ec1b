"""Benchmark: ICC and Krippendorff's alpha on large and small panels, and panel resampling of grades.

Every line has its baseline measured in the same run and timed the same way (each side warmed by
one untimed call, then sampled alternately, fastest sample kept; benchmarks/_timing.py), the
ratio ours / baseline, the target, and MISSED when a target is missed.

Targets:
- issue 5: ICC and Krippendorff's alpha on 10,000 units x 50 raters with 20% missing, at most 1 s
  each. ``krippendorff_alpha`` (all four levels; integer scores 0-100 and grades 1-4) against
  ``krippendorff.alpha`` on the same array. ``icc``: the ANOVA forms need units rated by every
  rater, and with 20% of 50 ratings missing a unit is complete with probability 0.8**50 = 1.4e-5,
  so the 20%-missing panel has no complete unit and ``icc`` raises a DataError (shown); the timed
  ICC line is the same design without missing cells, against ``pingouin.intraclass_corr`` on the
  same 500,000 ratings as a long table (built outside the timing).
- issue 14: on small panels (10 x 3, 30 x 5, 100 x 10, 10% missing) ``krippendorff_alpha`` at most
  the time of the ``krippendorff`` package (ratio <= 1); calls take microseconds, so a sample is
  200 back-to-back calls of each side.

Also printed (no targets), each with a baseline measured in the same run:
- ``krippendorff_alpha`` on 10,000 units x 20 raters with 10% missing against the package;
- ``regrade_probability`` with 1,000 draws x 10,000 units, against numpy drawing the same number
  of normal variates alone (the floor of any simulation of that size).

The ``krippendorff`` package (GPL) and pingouin (GPL) are imported here only as baselines.

Run: ``.venv/bin/python benchmarks/bench_agreement.py [--quick]``.
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
import pandas as pd
from _timing import fmt, measure, verdict, versus

from workbench import agreement as ag
from workbench.errors import DataError, WorkbenchWarning

LEVELS = ("nominal", "ordinal", "interval", "ratio")
LABELS = (("scores 0-100", 101), ("grades 1-4", 4))


def panel(n_units: int, n_raters: int, levels: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    true = rng.normal(0, 1, n_units)[:, None]
    x = true + rng.normal(0, 0.7, (n_units, n_raters)) + rng.normal(0, 0.2, n_raters)
    x = np.clip(np.round((x + 3) / 6 * (levels - 1)), 0, levels - 1) + (1 if levels <= 10 else 0)
    x[rng.random(x.shape) < 0.10] = np.nan
    return x


def panel_pair(n_units: int, n_raters: int, levels: int, share: float, seed: int = 0):
    """The same panel complete and with ``share`` of its cells blanked at random."""
    rng = np.random.default_rng(seed)
    true = rng.normal(0, 1, n_units)[:, None]
    x = true + rng.normal(0, 0.7, (n_units, n_raters)) + rng.normal(0, 0.2, n_raters)
    full = np.clip(np.round((x + 3) / 6 * (levels - 1)), 0, levels - 1) + (1 if levels <= 10 else 0)
    missing = full.copy()
    missing[rng.random(full.shape) < share] = np.nan
    return full, missing


def long_table(x: np.ndarray) -> pd.DataFrame:
    return (
        pd.DataFrame(x)
        .rename_axis("unit")
        .reset_index()
        .melt(id_vars="unit", var_name="rater", value_name="y")
    )


def pingouin_icc(pg, long: pd.DataFrame) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pingouin's own deprecation noise
        return pg.intraclass_corr(data=long, targets="unit", raters="rater", ratings="y").set_index("Type")


def import_krippendorff():
    try:
        import krippendorff
    except ImportError as exc:  # pragma: no cover - the package is a test extra
        print(f"krippendorff package not available ({exc}): alpha lines print no baseline")
        return None
    return krippendorff


def alpha_line(krippendorff, x, level, what, repeat, number=1, target=None) -> str:
    """One alpha line: ours against the package on the same array, timed alike."""
    ours = lambda: ag.krippendorff_alpha(x, level=level)  # noqa: E731
    if krippendorff is None:
        t = measure(ours, repeat, number=number)
        return f"krippendorff_alpha {level} {what}: {fmt(t.best)}; no baseline (package missing)"
    package = lambda: krippendorff.alpha(reliability_data=x.T, level_of_measurement=level)  # noqa: E731
    a, b = versus(ours, package, repeat, number=number)
    ratio = a.best / b.best
    goal = "no target"
    if target == "package":
        goal = f"target <= package, {verdict(ratio <= 1)}"
    elif target is not None:
        goal = f"target <= {target:g} s, {verdict(a.best <= target)}"
    return (
        f"krippendorff_alpha {level} {what}: {fmt(a.best)} ({goal}); krippendorff package "
        f"{fmt(b.best)} (same array; fastest of {repeat} samples of {number} call(s), warm); ratio "
        f"{ratio:.3f}; alpha {float(a.result):.4f}, |diff| {abs(float(a.result) - b.result):.1e}"
    )


def bench_target(quick: bool, krippendorff) -> None:
    """ICC and alpha on units x 50 raters with 20% missing (target <= 1 s each at 10,000 units)."""
    n_units, n_raters, share = (1_000 if quick else 10_000), 50, 0.20
    size = f"{n_units}x{n_raters}"
    full, missing = panel_pair(n_units, n_raters, 101, share, seed=2)
    complete_units = int((~np.isnan(missing).any(axis=1)).sum())
    try:
        ag.icc(missing)
        outcome = "computed"
    except DataError as err:
        outcome = f"DataError ({str(err).split(' (hint')[0]})"
    print(
        f"icc {size} 20% missing: {outcome}; {complete_units} of {n_units} units complete "
        f"(expected {n_units * (1 - share) ** n_raters:.2f}): the ANOVA forms need complete units, "
        "so the timed ICC below is the same design without missing cells"
    )
    try:
        import pingouin as pg
    except ImportError as exc:  # pragma: no cover - the package is a test extra
        print(f"icc {size}: pingouin not available ({exc}); no baseline")
    else:
        order = ["ICC(1,1)", "ICC(A,1)", "ICC(C,1)", "ICC(1,k)", "ICC(A,k)", "ICC(C,k)"]
        long = long_table(full)
        a, b = versus(lambda: ag.icc(full), lambda: pingouin_icc(pg, long), 3)
        diff = np.abs(a.result["icc"].to_numpy() - b.result.loc[order, "ICC"].to_numpy()).max()
        print(
            f"icc {size} complete (same design, no missing cells; all 6 forms with F tests and CIs): "
            f"{a.best:.4f} s (target <= 1 s, {verdict(a.best <= 1)}); pingouin.intraclass_corr {b.best:.3f} s "
            f"({len(long):,} ratings as a long table; fastest of 3, warm); ratio {a.best / b.best:.3f}; "
            f"max |diff| ICC {diff:.1e}"
        )
    for label, levels in LABELS:
        _, x = panel_pair(n_units, n_raters, levels, share, seed=2)
        for level in LEVELS:
            # the package takes seconds per call on 101 values: two samples each side there
            repeat = 2 if levels > 10 else 5
            print(alpha_line(krippendorff, x, level, f"{size} 20% missing ({label})", repeat, target=1.0))


def bench_small(krippendorff) -> None:
    """Small panels: the fixed cost of a call decides (target: no slower than the package)."""
    for n_units, n_raters in ((10, 3), (30, 5), (100, 10)):
        for label, levels in LABELS:
            x = panel(n_units, n_raters, levels, seed=n_units)
            for level in LEVELS:
                what = f"{n_units}x{n_raters} 10% missing ({label})"
                print(alpha_line(krippendorff, x, level, what, 7, number=200, target="package"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes for a smoke run")
    args = parser.parse_args()
    krippendorff = import_krippendorff()
    bench_target(args.quick, krippendorff)
    bench_small(krippendorff)
    n_units, n_raters, draws = (1_000, 20, 100) if args.quick else (10_000, 20, 1_000)
    for label, levels in LABELS:
        x = panel(n_units, n_raters, levels)
        for level in LEVELS:
            repeat = 2 if levels > 10 else 5
            print(alpha_line(krippendorff, x, level, f"{n_units}x{n_raters} 10% missing ({label})", repeat))

    x = panel(n_units, n_raters, 101, seed=1)
    bands = {"优秀": 90, "良好": 80, "一般": 60, "较差": 0}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WorkbenchWarning)  # complete-case ANOVA drops most units
        for leniency in (False, True):
            rng = np.random.default_rng(0)
            a, b = versus(
                lambda leniency=leniency: ag.regrade_probability(
                    x, bands, n=draws, seed=0, leniency=leniency
                ),
                lambda rng=rng: rng.standard_normal((draws, n_units)),
                3,
            )
            print(
                f"regrade_probability {draws} draws x {n_units} units (leniency={leniency}): {a.best:.4f} s "
                f"(no target); numpy normal draws alone {b.best:.4f} s (fastest of 3, warm); ratio "
                f"{a.best / b.best:.2f}; mean P(change) {a.result.probability.mean():.3f}"
            )


if __name__ == "__main__":
    main()
