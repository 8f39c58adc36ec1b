"""Benchmark: the incentive simulation's equilibrium solves and sweeps.

Targets (issue 6):
- a sweep of 51 party-building weights (0 to 50%) over 86 units x 4 tasks with a top-grade quota
  (each design solved as a quota equilibrium): at most 10 s;
- one equilibrium solve for 10,000 units x 4 tasks with a quota: seconds.

Baselines, measured in the same run: the closed-form allocation ``effort_shares`` on the same
population and weights (what a model without thresholds, quotas, noise or veto would compute),
and for the sweep, 51 separate ``equilibrium`` calls (the same work without batching designs).

Run: ``.venv/bin/python benchmarks/bench_incentives.py [--quick]``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from workbench import incentives as inc

TASKS = ("econ", "party", "paper", "clean")
BANDS = (("优秀", 90.0), ("良好", 80.0), ("一般", 60.0), ("较差", 0.0))


def design(quota: float = 0.2) -> inc.Institution:
    """The 2% comprehensive scheme with three party-building tasks, a quota and one veto item."""
    return inc.Institution(
        tasks=TASKS,
        weights=(1.0, 0.5, 0.3, 0.2),
        party=(False, True, True, True),
        aggregation="weighted",
        party_weight=0.02,
        bands=BANDS,
        rewards=(1.0, 0.6, 0.3, 0.0),
        quota=(("优秀", quota),),
        noise=(3.0, 3.0, 3.0, 8.0),
        ceiling=(100.0, 100.0, 100.0, 100.0),
        veto=(inc.VetoRisk("safety", "安全生产"),),
    )


def timed(fn, repeat=1):
    best, out = np.inf, None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def closed_form(pop, inst, weights):
    """Baseline: effort_shares for every unit and weight (no thresholds, quota, noise or veto)."""
    out = []
    for w in weights:
        fw = inc.with_party_weight(inst, w).final_weights().to_numpy()
        out.append(
            inc.effort_shares(np.broadcast_to(fw, pop.productivity.shape), pop.gamma, pop.productivity)
        )
    return out


def main(quick: bool = False) -> None:
    n_weights = 11 if quick else 51
    n_big = 2_000 if quick else 10_000
    pop = inc.random_population(
        86, TASKS, seed=1, gaming={"paper": 0.8}, base={"econ": 70, "party": 85, "paper": 88, "clean": 85}
    )
    inst = design()
    weights = np.linspace(0.0, 0.5, n_weights)

    t_sweep, sw = timed(lambda: inc.sweep(pop, inst, "party_weight", weights))
    t_loop, _ = timed(lambda: [inc.equilibrium(pop, inc.with_party_weight(inst, w)) for w in weights])
    t_cf, _ = timed(lambda: closed_form(pop, inst, weights), repeat=3)
    iters = int(sw.table["iterations"].sum())
    print(
        f"sweep 86 units x 4 tasks x {n_weights} weights (quota equilibrium): {t_sweep:.2f} s (target <= 10 s); "
        f"{n_weights} separate equilibrium calls {t_loop:.2f} s, ratio {t_sweep / t_loop:.2f}; "
        f"closed-form effort_shares baseline {t_cf * 1e3:.2f} ms, ratio {t_sweep / t_cf:.0f}; "
        f"{iters} cut-off iterations in all, all converged: {bool(sw.table['converged'].all())}"
    )

    big = inc.random_population(
        n_big, TASKS, seed=2, gaming={"paper": 0.8}, base={"econ": 70, "party": 85, "paper": 88, "clean": 85}
    )
    t_big, out = timed(lambda: inc.equilibrium(big, inst, seed=1))
    t_cf_big, _ = timed(lambda: closed_form(big, inst, [0.02]), repeat=3)
    print(
        f"equilibrium {n_big} units x 4 tasks with quota: {t_big:.2f} s (target: seconds); "
        f"closed-form effort_shares baseline {t_cf_big * 1e3:.2f} ms, ratio {t_big / t_cf_big:.0f}; "
        f"iterations {int(out.diagnostics['iterations'])}, status {out.diagnostics['status']}"
    )
    t_br, _ = timed(lambda: inc.best_response(big, inst))
    print(
        f"best_response {n_big} units x 4 tasks (one solve, bands only): {t_br:.2f} s; "
        f"closed-form baseline {t_cf_big * 1e3:.2f} ms, ratio {t_br / t_cf_big:.0f}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small run (11 weights, 2,000 units)")
    main(parser.parse_args().quick)
