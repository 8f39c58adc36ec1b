"""Benchmark: the incentive simulation's equilibrium solves and sweeps.

Targets (issue 6):
- a sweep of 51 party-building weights (0 to 50%) over 86 units x 4 tasks with a top-grade quota
  (each design solved as a quota equilibrium): at most 10 s;
- one equilibrium solve for 10,000 units x 4 tasks with a quota: seconds;
- best responses of 10,000 units x 10 tasks under 50 designs (grade thresholds with measurement
  noise, no quota; the designs are 50 party weights from 0 to 50%, solved as one batch by
  ``sweep``): at most 10 s, printed as units x designs per second;
- the same 10-task designs with a top-grade quota, solved as an equilibrium for 1,000 units: at
  most 10 s per design (50 separate ``equilibrium`` calls, and the 50 designs as one ``sweep``).

Every line: the workbench and its baseline timed the same way (warm: one untimed call first;
benchmarks/_timing.py), MISSED when a target is missed. Long calls (seconds) are timed once each
after the warm call; the closed-form baseline, which takes milliseconds, likewise.

Baselines, measured in the same run: the closed-form allocation ``effort_shares`` on the same
population and weights (what a model without thresholds, quotas, noise or veto would compute),
for the sweep, 51 separate ``equilibrium`` calls (the same work without batching designs), and
for the 10-task batch, the same solve with the grid search run on all 500,000 rows at once (as
before the search was blocked; only in the full run).

Run: ``.venv/bin/python benchmarks/bench_incentives.py [--quick]``.
"""

from __future__ import annotations

import argparse

import numpy as np
from _timing import measure, verdict, versus

from workbench import incentives as inc
from workbench.incentives import _best_response

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


TASKS10 = tuple(f"task{k + 1:02d}" for k in range(10))
PARTY10 = tuple(k >= 6 for k in range(10))  # 6 economic-social tasks, 4 party-building tasks


def design10(quota: float | None = None) -> inc.Institution:
    """A weighted scheme over 10 tasks: grade thresholds, measurement noise, optionally a quota."""
    raw = np.linspace(1.0, 2.0, 10)
    party = np.array(PARTY10)
    w = np.where(party, raw / raw[party].sum(), raw / raw[~party].sum())  # each score sums to 1
    return inc.Institution(
        tasks=TASKS10,
        weights=tuple(w),
        party=PARTY10,
        aggregation="weighted",
        party_weight=0.02,
        bands=BANDS,
        rewards=(1.0, 0.6, 0.3, 0.0),
        quota=() if quota is None else (("优秀", quota),),
        noise=(3.0,) * 10,
    )


def bench_ten_tasks(quick: bool) -> None:
    """Best responses of 10,000 units x 10 tasks under 50 designs; quota equilibria for 1,000 units."""
    n_units, n_eq, n_designs = (1_000, 200, 10) if quick else (10_000, 1_000, 50)
    weights = np.linspace(0.0, 0.5, n_designs)
    pop = inc.random_population(n_units, TASKS10, seed=3)
    inst = design10()
    br, cf = versus(
        lambda: inc.sweep(pop, inst, "party_weight", weights), lambda: closed_form(pop, inst, weights), 1
    )
    t_br, sw, t_cf = br.best, br.result, cf.best
    rate = n_units * n_designs / t_br
    print(
        f"best responses {n_units} units x 10 tasks x {n_designs} designs (thresholds + noise, no quota; one "
        f"sweep): {t_br:.2f} s (target <= 10 s, {verdict(t_br <= 10)}); {rate:,.0f} units x designs per second; "
        f"closed-form effort_shares baseline on the same population and designs {t_cf:.3f} s (both warm, one "
        f"timed call each), ratio {t_br / t_cf:.0f}; party_share {sw.table['party_share'].iloc[0]:.3f} .. "
        f"{sw.table['party_share'].iloc[-1]:.3f}"
    )
    if not quick:
        block = _best_response.BLOCK
        _best_response.BLOCK = 10**12  # the grid search on every row at once, as before blocking
        try:
            unblocked = measure(lambda: inc.sweep(pop, inst, "party_weight", weights), 1)
            t_one, one = unblocked.best, unblocked.result
        finally:
            _best_response.BLOCK = block
        same = np.abs(one.units["final"].to_numpy() - sw.units["final"].to_numpy()).max()
        print(
            f"best responses {n_units} x 10 x {n_designs}, search unblocked (all rows at once, as before): "
            f"{t_one:.2f} s; blocked / unblocked ratio {t_br / t_one:.2f}; max |diff| final score {same:.1e}"
        )

    pop_q = inc.random_population(n_eq, TASKS10, seed=4, base=82.0)  # a 20% quota binds near 90
    inst_q = design10(quota=0.2)
    designs = [inc.with_party_weight(inst_q, w) for w in weights]
    each = []
    for d in designs:  # each design its own call: the per-design target
        t = measure(lambda d=d: inc.equilibrium(pop_q, d), 1, warmup=0)
        out = t.result
        each.append((t.best, int(out.diagnostics["iterations"]), bool(out.diagnostics["converged"])))
    t_each = np.array([e[0] for e in each])
    sw_q, cf_q = versus(
        lambda: inc.sweep(pop_q, inst_q, "party_weight", weights),
        lambda: closed_form(pop_q, inst_q, weights),
        1,
    )
    t_sw, swq, t_cfq = sw_q.best, sw_q.result, cf_q.best
    print(
        f"quota equilibrium {n_eq} units x 10 tasks, 20% top quota, {n_designs} designs: max {t_each.max():.2f} s "
        f"per design, mean {t_each.mean():.2f} s (target <= 10 s per design, {verdict(t_each.max() <= 10)}); "
        f"{n_eq * n_designs / t_each.sum():,.0f} units x designs per second; as one sweep {t_sw:.2f} s "
        f"({t_sw / n_designs:.2f} s per design); closed-form effort_shares baseline {t_cfq * 1e3:.1f} ms, "
        f"ratio {t_each.sum() / t_cfq:.0f}; iterations {min(e[1] for e in each)}..{max(e[1] for e in each)}, "
        f"all converged: {all(e[2] for e in each) and bool(swq.table['converged'].all())}, "
        f"top share {swq.table['top_share'].min():.3f}..{swq.table['top_share'].max():.3f}"
    )


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

    sweep, loop = versus(
        lambda: inc.sweep(pop, inst, "party_weight", weights),
        lambda: [inc.equilibrium(pop, inc.with_party_weight(inst, w)) for w in weights],
        1,
    )
    t_sweep, sw, t_loop = sweep.best, sweep.result, loop.best
    t_cf = measure(lambda: closed_form(pop, inst, weights), 1).best  # timed as the sweep: warm, once
    iters = int(sw.table["iterations"].sum())
    print(
        f"sweep 86 units x 4 tasks x {n_weights} weights (quota equilibrium): {t_sweep:.2f} s (target <= 10 s, "
        f"{verdict(t_sweep <= 10)}); "
        f"{n_weights} separate equilibrium calls {t_loop:.2f} s, ratio {t_sweep / t_loop:.2f}; "
        f"closed-form effort_shares baseline {t_cf * 1e3:.2f} ms, ratio {t_sweep / t_cf:.0f}; "
        f"{iters} cut-off iterations in all, all converged: {bool(sw.table['converged'].all())}"
    )

    big = inc.random_population(
        n_big, TASKS, seed=2, gaming={"paper": 0.8}, base={"econ": 70, "party": 85, "paper": 88, "clean": 85}
    )
    eq, cf_big = versus(lambda: inc.equilibrium(big, inst, seed=1), lambda: closed_form(big, inst, [0.02]), 1)
    t_big, out, t_cf_big = eq.best, eq.result, cf_big.best
    print(
        f"equilibrium {n_big} units x 4 tasks with quota: {t_big:.2f} s (target: seconds); "
        f"closed-form effort_shares baseline {t_cf_big * 1e3:.2f} ms, ratio {t_big / t_cf_big:.0f}; "
        f"iterations {int(out.diagnostics['iterations'])}, status {out.diagnostics['status']}"
    )
    t_br = measure(lambda: inc.best_response(big, inst), 1).best
    print(
        f"best_response {n_big} units x 4 tasks (one solve, bands only): {t_br:.2f} s; "
        f"closed-form baseline {t_cf_big * 1e3:.2f} ms, ratio {t_br / t_cf_big:.0f}"
    )
    bench_ten_tasks(quick)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small run (11 weights, 2,000 units)")
    main(parser.parse_args().quick)
