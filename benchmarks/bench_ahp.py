"""Benchmarks of workbench.ahp against AHPy 2.1 and plain numpy, measured in the same run.

Run: ``.venv/bin/python benchmarks/bench_ahp.py`` (``--quick`` for a small run). Prints ``name: value``
lines with the target from the brief, the baseline and the ratio; both sides of a line are timed
the same way (warm, alternating, fastest sample; benchmarks/_timing.py) and MISSED marks a missed
target. AHPy (MIT, the ``bench`` extra) computes one matrix per call, so it is compared on the same
matrices as ours, not on a subset scaled up.
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
from _timing import fmt, verdict, versus

from workbench import ahp

SAATY = np.array([1 / 9, 1 / 8, 1 / 7, 1 / 6, 1 / 5, 1 / 4, 1 / 3, 1 / 2, 1, 2, 3, 4, 5, 6, 7, 8, 9])


def random_stack(rng, n_mat, n):
    """Random reciprocal matrices with judgments drawn uniformly from Saaty's 17 values."""
    a = np.ones((n_mat, n, n))
    iu, ju = np.triu_indices(n, 1)
    x = SAATY[rng.integers(0, SAATY.size, (n_mat, iu.size))]
    a[:, iu, ju] = x
    a[:, ju, iu] = 1 / x
    return a


def bench_batch(rng, n_mat, n_ahpy):
    stack = random_stack(rng, n_mat, 9)
    t_batch, t_eig = versus(lambda: ahp.batch_priorities(stack), lambda: np.linalg.eig(stack), 3)
    w, lam, _ = t_batch.result
    print(
        f"batch_priorities {n_mat}x9x9: {fmt(t_batch.best)} (target <= 0.5 s at 100000, "
        f"{verdict(t_batch.best <= 0.5 * n_mat / 100_000)}); numpy eig baseline {fmt(t_eig.best)} "
        f"(fastest of 3, warm); ratio {t_batch.best / t_eig.best:.3f}"
    )
    try:
        import ahpy
    except ImportError as exc:  # pragma: no cover - ahpy is a bench extra
        print(f"ahpy not available ({exc}): AHPy baseline skipped")
    else:
        # AHPy has no batch interface: it computes one matrix per Compare; both sides get the same
        # n_ahpy matrices (no per-matrix figure scaled up from a subset)
        names = [f"x{i}" for i in range(9)]
        iu, ju = np.triu_indices(9, 1)
        sub = stack[:n_ahpy]
        dicts = [{(names[i], names[j]): float(m[i, j]) for i, j in zip(iu, ju)} for m in sub]
        ours, peer = versus(
            lambda: ahp.batch_priorities(sub),
            lambda: [ahpy.Compare(f"m{k}", d, random_index="saaty") for k, d in enumerate(dicts)],
            3,
        )
        speed = peer.best / ours.best
        print(
            f"batch_priorities {n_ahpy}x9x9 vs AHPy 2.1 Compare on the same {n_ahpy} matrices: {fmt(ours.best)} "
            f"vs {fmt(peer.best)} (fastest of 3, warm); speed-up {speed:.0f}x (target >= 30x, {verdict(speed >= 30)})"
        )
    # Agreement with the eigen solver on a sample (weights and lambda_max).
    vals, vecs = np.linalg.eig(stack[:500])
    k = vals.real.argmax(axis=1)
    v = np.abs(vecs[np.arange(500), :, k].real)
    v /= v.sum(axis=1, keepdims=True)
    err_w = np.abs(v - w[:500]).max()
    err_l = np.abs(vals.real.max(axis=1) - lam[:500]).max()
    print(f"batch_priorities max |w - eig| {err_w:.1e}, max |lambda - eig| {err_l:.1e} (500 matrices)")


def bench_single(rng, number):
    a = random_stack(rng, 1, 9)[0]
    w = rng.dirichlet(np.ones(9))
    noise = np.triu(rng.normal(0, 0.2, (9, 9)), 1)
    near = np.exp(np.log(w[:, None] / w[None, :]) + noise - noise.T)  # judgments with small errors
    for label, m in (("random", a), ("near-consistent", near)):
        t, t_eig = versus(lambda m=m: ahp.priorities(m), lambda m=m: np.linalg.eig(m), 5, number=number)
        print(
            f"priorities 9x9 ({label}): {fmt(t.best)} (target <= 50 us, {verdict(t.best <= 50e-6)}); numpy eig "
            f"baseline {fmt(t_eig.best)} (fastest of 5 samples of {number} calls, warm); ratio {t.best / t_eig.best:.2f}"
        )
    try:
        import ahpy
    except ImportError:  # pragma: no cover
        return
    names = [f"x{i}" for i in range(9)]
    iu, ju = np.triu_indices(9, 1)
    d = {(names[i], names[j]): float(a[i, j]) for i, j in zip(iu, ju)}
    t, t_a = versus(
        lambda: ahp.priorities(a), lambda: ahpy.Compare("m", d, random_index="saaty"), 5, number=50
    )
    print(
        f"priorities 9x9 vs AHPy Compare: {fmt(t.best)} vs {fmt(t_a.best)} (fastest of 5 samples of 50 calls, "
        f"warm); ratio {t.best / t_a.best:.3f}"
    )


def make_panel(rng, n_exp=30, sigma=0.3, missing=0.1):
    """Root -> 4 criteria -> 3 sub-criteria each -> 5 leaves each: 4 levels, 60 leaves, 17 blocks.

    In the leaf blocks about ``missing`` of the judgments not involving the first element are left
    out (NaN), so the Harker path is exercised; each expert's comparisons stay connected.
    """

    def stack(k):
        w = rng.dirichlet(np.ones(k))
        noise = np.triu(rng.normal(0, sigma, (n_exp, k, k)), 1)
        a = np.exp(np.log(w[:, None] / w[None, :]) + noise - noise.transpose(0, 2, 1))
        if k == 5 and missing:
            gap = np.triu(rng.random((n_exp, k, k)) < missing, 1)
            gap[:, 0, :] = False
            a[gap | gap.transpose(0, 2, 1)] = np.nan
        return a

    arrays, elements = {}, {}
    crit = [f"C{i}" for i in range(4)]
    arrays["goal"], elements["goal"] = stack(4), crit
    for c in crit:
        subs = [f"{c}.S{j}" for j in range(3)]
        arrays[c], elements[c] = stack(3), subs
        for s in subs:
            arrays[s], elements[s] = stack(5), [f"{s}.L{k}" for k in range(5)]
    return ahp.Panel.from_arrays(arrays, elements, experts=[f"E{e:02d}" for e in range(n_exp)])


def numpy_floor(panel, n, seed):
    """Baseline: plain numpy on the same replicates, vectorised: each block's geometric-mean judgments
    of the resampled experts (a missing judgment left at 1) and np.linalg.eig of every one."""
    rng = np.random.default_rng(seed)
    n_exp = len(panel.experts)
    idx = rng.integers(0, n_exp, (n, n_exp))
    for j in panel.blocks.values():
        logs = np.log(j.values)[idx]  # replicates x experts x k x k
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # pairs nobody in a replicate judged
            agg = np.exp(np.nanmean(logs, axis=1))
        np.linalg.eig(np.where(np.isnan(agg), 1.0, agg))


def bench_bootstrap(rng, n_rep):
    panel = make_panel(rng)
    t_boot, t_floor = versus(
        lambda: ahp.bootstrap(panel, n=n_rep, seed=1), lambda: numpy_floor(panel, n_rep, 1), 3
    )
    print(
        f"bootstrap 30 experts x 60 leaves (4 levels, 10% missing in leaf blocks), {n_rep} replicates: "
        f"{fmt(t_boot.best)} (target <= 2 s, {verdict(t_boot.best <= 2)}); numpy floor (vectorised geometric "
        f"means + eig of every replicate's blocks) {fmt(t_floor.best)} (fastest of 3, warm); ratio "
        f"{t_boot.best / t_floor.best:.2f}"
    )
    res = t_boot.result
    print(f"bootstrap widest 90% interval: {(res.intervals['q95'] - res.intervals['q05']).max():.4f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes for a smoke run")
    args = parser.parse_args()
    rng = np.random.default_rng(20240601)
    if args.quick:
        bench_batch(rng, 10_000, 20)
        bench_single(rng, 500)
        bench_bootstrap(rng, 200)
    else:
        bench_batch(rng, 100_000, 200)
        bench_single(rng, 5000)
        bench_bootstrap(rng, 2000)


if __name__ == "__main__":
    main()
