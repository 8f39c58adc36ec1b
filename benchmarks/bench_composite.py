"""Benchmark of the composite-index pipeline (build_index, evaluate_runs, uncertainty) on ASEM against COINr.

Run: .venv/bin/python benchmarks/bench_composite.py [--quick]
Prints `name: value` lines with the baseline measured in the same run, timed the same way (warm,
fastest of N; benchmarks/_timing.py for Python, the same rule inside the R session for COINr),
the ratio and the target; MISSED when a target is missed.

COINr (R) is run through Rscript where it is installed: its ASEM example build (``Regen`` of
``build_example_coin()``) and the uncertainty analysis of its sensitivity vignette
(``get_sensitivity(..., SA_type = "UA")``: winsorisation limit 1-5, min-max [1, 100] vs z-score
(10, 2), 100 noisy weight sets (+-25% at levels 2 and 3), arithmetic vs geometric mean), with the
same number of runs as the workbench (300; 30 with --quick). Where R or COINr is missing the
script says "COINr not available: <reason>" and prints no COINr ratio.

Install COINr here (Debian 12; COINr is MIT and is not part of this repository):
    apt-get update
    apt-get install -y --no-install-recommends r-base-core r-cran-openxlsx r-cran-rlang \\
        r-cran-ggplot2 r-cran-readxl
    git clone https://github.com/bluefoxr/COINr coinr-git   # outside this repository
    git -C coinr-git checkout b968203                         # COINr 1.1.14
    mkdir coinr-src && git -C coinr-git archive --format=tar HEAD | tar -x -C coinr-src
    R CMD INSTALL --no-docs --no-multiarch coinr-src

Targets (issue 14): the 300-run ASEM uncertainty analysis at least 1,000x faster than COINr per
run; evaluate_runs on those 300 runs at most 0.45 s (earlier brief).
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import subprocess
from pathlib import Path

import numpy as np
from _timing import fmt, measure, verdict

import workbench as wb
from workbench import sensitivity as sa
from workbench.composite import Spec, apply_overrides, build_index, evaluate_runs
from workbench.examples import asem_spec

ROOT = Path(__file__).resolve().parents[1]
ASEM = ROOT / "data/samples/asem"
TARGET_UA_S = 0.45
TARGET_PER_RUN = 1000.0  # speed-up per run over COINr
FULL = asem_spec()
# COINr's build_example_coin(): the same steps, min-max onto [0, 100]
COINR_EXAMPLE = dataclasses.replace(FULL, normalise={"method": "minmax", "lo": 0, "hi": 100})
FACTORS = {
    "treat.winmax": [1, 2, 3, 4, 5],
    "normalise": [{"method": "minmax", "lo": 1, "hi": 100}, {"method": "zscore", "mean": 10, "sd": 2}],
    "weights": {"uniform_noise": 0.25},
    "aggregate": ["amean", "gmean"],
}

R_SCRIPT = r"""
suppressPackageStartupMessages(library(COINr))
args <- as.integer(commandArgs(trailingOnly = TRUE))
n_runs <- args[1]; reps <- args[2]; regen_reps <- args[3]
elapsed <- function(expr) { t0 <- proc.time()[["elapsed"]]; force(expr); proc.time()[["elapsed"]] - t0 }
coin <- build_example_coin(quietly = TRUE)
invisible(Regen(coin, quietly = TRUE))  # warm
regen <- min(sapply(seq_len(regen_reps), function(i) elapsed(Regen(coin, quietly = TRUE))))
# the sensitivity vignette's uncertainty analysis
set.seed(1)
norm_alts <- list(list(f_n = "n_minmax", f_n_para = list(c(1, 100))),
                  list(f_n = "n_zscore", f_n_para = list(c(10, 2))))
noisy <- get_noisy_weights(w = coin$Meta$Weights$Original,
                           noise_specs = data.frame(Level = c(2, 3), NoiseFactor = c(0.25, 0.25)),
                           Nrep = 100)
specs <- list(
  Winmax = list(Address = "$Log$Treat$global_specs$f1_para$winmax", Distribution = 1:5, Type = "discrete"),
  Normalisation = list(Address = "$Log$Normalise$global_specs", Distribution = norm_alts, Type = "discrete"),
  Weights = list(Address = "$Log$Aggregate$w", Distribution = noisy, Type = "discrete"),
  Aggregation = list(Address = "$Log$Aggregate$f_ag", Distribution = c("a_amean", "a_gmean"), Type = "discrete"))
ua <- function(n) suppressMessages(get_sensitivity(coin, SA_specs = specs, N = n, SA_type = "UA",
                                                   dset = "Aggregated", iCode = "Index",
                                                   check_addresses = FALSE))
invisible(ua(5))  # warm
ua_s <- min(sapply(seq_len(reps), function(i) elapsed(ua(n_runs))))
cat("version", as.character(packageVersion("COINr")), "\n")
cat("regen_s", regen, "\n")
cat("ua_s", ua_s, "\n")
idx <- get_dset(coin, "Aggregated")
for (i in seq_len(nrow(idx))) cat("index", idx$uCode[i], sprintf("%.10f", idx$Index[i]), "\n")
"""


def run_coinr(n_runs: int, repeat: int, regen_repeat: int):
    """COINr's timings from one R session, or the reason it cannot run."""
    rscript = shutil.which("Rscript")
    if rscript is None:
        return None, "Rscript not found (install r-base-core, see the top of this file)"
    proc = subprocess.run(
        [rscript, "--vanilla", "-e", R_SCRIPT, str(n_runs), str(repeat), str(regen_repeat)],
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if proc.returncode != 0:
        reason = (proc.stderr.strip().splitlines() or ["Rscript failed"])[-1]
        return None, f"Rscript failed: {reason}"
    out = {"index": {}}
    for line in proc.stdout.splitlines():
        parts = line.split()
        if parts and parts[0] == "index":
            out["index"][parts[1]] = float(parts[2])
        elif len(parts) == 2:
            out[parts[0]] = parts[1] if parts[0] == "version" else float(parts[1])
    return out, None


def uncertainty_runs(rubric, n_runs: int, seed: int = 1) -> list[dict]:
    """COINr's uncertainty example as explicit runs: winmax 1-5, min-max [1, 100] vs z-score (10, 2),
    100 weight sets with +-25% uniform noise on pillar and sub-index weights, arithmetic vs geometric."""
    rng = np.random.default_rng(seed)
    levels = rubric.levels()
    noisy = [c for c in rubric.nodes if levels[c] in (2, 3)]
    weight_sets = [{c: float(1 + rng.uniform(-0.25, 0.25)) for c in noisy} for _ in range(100)]
    norms = FACTORS["normalise"]
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="30 runs, fewer repeats")
    args = parser.parse_args()
    n_runs, repeat = (30, 3) if args.quick else (300, 3)

    rubric = wb.rubric_from_table(ASEM / "ASEM_iMeta.csv")
    data = wb.read_table(ASEM / "ASEM_iData.csv")
    coinr, why = run_coinr(n_runs, repeat, 10)
    if coinr is None:
        print(f"COINr not available: {why}")

    regen = measure(lambda: build_index(rubric, data, COINR_EXAMPLE), 10)
    ref = measure(lambda: build_index(rubric, data, Spec()), 10)
    line = (
        f"build_index ASEM example build (denominate, impute, screen, treat, minmax 0-100, amean) 51x49: "
        f"{fmt(regen.best)} per regeneration; reference build (minmax, amean) {fmt(ref.best)}"
    )
    if coinr is not None:
        ours = regen.result.index
        diff = max(abs(ours[u] - v) for u, v in coinr["index"].items())
        line += (
            f"; COINr {coinr['version']} Regen {fmt(coinr['regen_s'])} (fastest of 10, warm), ratio "
            f"{regen.best / coinr['regen_s']:.4f} (speed-up {coinr['regen_s'] / regen.best:.0f}x); "
            f"max |Index diff| vs COINr {diff:.1e}"
        )
    print(line)

    runs = uncertainty_runs(rubric, n_runs)
    batch = measure(lambda: evaluate_runs(rubric, data, FULL, runs), 7)
    loop = measure(
        lambda: np.column_stack(
            [
                build_index(rubric, data, apply_overrides(FULL, r)).index.reindex(batch.result.units)
                for r in runs
            ]
        ),
        1,
    )
    same = np.array_equal(loop.result, batch.result.scores, equal_nan=True)
    line = (
        f"evaluate_runs ASEM {n_runs} runs x 4 uncertain inputs ({batch.result.n_tables} distinct tables): "
        f"{fmt(batch.best)} = {fmt(batch.best / n_runs)} per run"
    )
    if n_runs == 300:
        line += f" (target <= {TARGET_UA_S:g} s, {verdict(batch.best <= TARGET_UA_S)})"
    line += f"; build_index loop over the same runs {fmt(loop.best)} (one warm pass; no target), ratio {batch.best / loop.best:.3f}"
    if coinr is not None:
        speed = coinr["ua_s"] / batch.best
        line += (
            f"; COINr get_sensitivity UA, {n_runs} runs {fmt(coinr['ua_s'])} (fastest of {repeat}, warm) = "
            f"{fmt(coinr['ua_s'] / n_runs)} per run; speed-up per run {speed:.0f}x "
            f"(target >= {TARGET_PER_RUN:.0f}x, {verdict(speed >= TARGET_PER_RUN)})"
        )
    print(line + f"; scores identical to the loop: {same}")

    ua = measure(lambda: sa.uncertainty(rubric, data, FULL, FACTORS, n=n_runs, seed=1), repeat)
    line = (
        f"sensitivity.uncertainty ASEM {n_runs} runs (sampling, runs, rank statistics): {fmt(ua.best)} = "
        f"{fmt(ua.best / n_runs)} per run (fastest of {repeat}, warm)"
    )
    if coinr is not None:
        speed = coinr["ua_s"] / ua.best
        line += (
            f"; COINr get_sensitivity UA {fmt(coinr['ua_s'])}; speed-up per run {speed:.0f}x "
            f"(target >= {TARGET_PER_RUN:.0f}x, {verdict(speed >= TARGET_PER_RUN)})"
        )
    print(line)


if __name__ == "__main__":
    main()
