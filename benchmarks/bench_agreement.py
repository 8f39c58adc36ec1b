"""Benchmark: ICC and Krippendorff's alpha on a large panel, and panel resampling of grades.

Target (issue 5): ICC and Krippendorff's alpha on 10,000 units x 50 raters with 20% missing, at
most 1 s each, with the ratio to pingouin / the ``krippendorff`` package on the same data:

- ``krippendorff_alpha``, all four levels, on the 20%-missing panel (integer scores 0-100, and
  grades 1-4) against ``krippendorff.alpha`` on the same array.
- ``icc``: the ANOVA forms need units rated by every rater, and with 20% of 50 ratings missing a
  unit is complete with probability 0.8**50 = 1.4e-5, so the 20%-missing panel has no complete
  unit and ``icc`` raises a DataError (shown). The timed ICC line is therefore the same 10,000 x 50
  design *without* missing cells (the panel before the cells were blanked), against
  ``pingouin.intraclass_corr`` on the same 500,000 ratings as a long table (built outside the
  timing). Should pingouin take more than about 60 s, it is timed on 1,000 units and extrapolated
  linearly in the number of ratings, and the line says so.

Also printed (no targets), each with a baseline measured in the same run:
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
import pandas as pd
from _timing import best_of_with_result as best_of

from workbench import agreement as ag
from workbench.errors import DataError, WorkbenchWarning


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


def bench_target(quick: bool) -> None:
    """ICC and alpha on units x 50 raters with 20% missing (target <= 1 s each at 10,000 units)."""
    n_units, n_raters, share, repeat = (1_000 if quick else 10_000), 50, 0.20, 3
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
    ours, res = best_of(lambda: ag.icc(full), repeat)
    line = (
        f"icc {size} complete (same design, no missing cells; all 6 forms with F tests and CIs): "
        f"{ours:.4f} s (target <= 1 s)"
    )
    try:
        import pingouin as pg
    except ImportError:  # pragma: no cover - the package is a test extra
        pg = None
    if pg is not None:
        order = ["ICC(1,1)", "ICC(A,1)", "ICC(C,1)", "ICC(1,k)", "ICC(A,k)", "ICC(C,k)"]
        sub_units = min(n_units, 1_000)
        sub_long = long_table(full[:sub_units])
        t_sub, _ = best_of(lambda: pingouin_icc(pg, sub_long), 1)
        estimate = t_sub * n_units / sub_units
        if estimate > 60:
            ref, how = (
                estimate,
                f"extrapolated from {sub_units} units ({t_sub:.2f} s) x {n_units / sub_units:g}",
            )
            diff = "n/a"
        else:
            long = long_table(full)
            ref, table = best_of(lambda: pingouin_icc(pg, long), repeat)
            how = f"{len(long):,} ratings as a long table, best of {repeat}"
            diff = f"{np.abs(res['icc'].to_numpy() - table.loc[order, 'ICC'].to_numpy()).max():.1e}"
        line += (
            f"; pingouin.intraclass_corr {ref:.3f} s ({how}); ratio {ours / ref:.3f}; max |diff| ICC {diff}"
        )
    print(line)

    try:
        import krippendorff
    except ImportError:  # pragma: no cover - the package is a test extra
        krippendorff = None
    for label, levels in (("scores 0-100", 101), ("grades 1-4", 4)):
        _, x = panel_pair(n_units, n_raters, levels, share, seed=2)
        for level in ("nominal", "ordinal", "interval", "ratio"):
            ours, a = best_of(lambda x=x, level=level: ag.krippendorff_alpha(x, level=level), repeat)
            line = f"krippendorff_alpha {level} {size} 20% missing ({label}): {ours:.4f} s (target <= 1 s)"
            if krippendorff is not None:
                runs = repeat if levels <= 10 else 1  # the package takes seconds on 101 values
                ref, b = best_of(
                    lambda x=x, level=level: krippendorff.alpha(
                        reliability_data=x.T, level_of_measurement=level
                    ),
                    runs,
                )
                line += (
                    f"; krippendorff package {ref:.4f} s ({'best of 3' if runs > 1 else 'one run'}, same array); "
                    f"ratio {ours / ref:.3f}; alpha {float(a):.4f}, |diff| {abs(float(a) - b):.1e}"
                )
            print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes for a smoke run")
    args = parser.parse_args()
    bench_target(args.quick)
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
