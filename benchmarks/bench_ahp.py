"""Benchmarks of workbench.ahp against AHPy 2.1 and plain numpy, measured in the same run.

Run: ``.venv/bin/python benchmarks/bench_ahp.py`` (``--quick`` for a small run). Prints ``name: value``
lines with the target from the brief, the baseline and the ratio.
"""

from __future__ import annotations

import argparse
import time
import timeit

import numpy as np

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


def best(f, repeat=3):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t0)
    return min(times), out


def bench_batch(rng, n_mat, n_ahpy):
    stack = random_stack(rng, n_mat, 9)
    t_batch, (w, lam, cr) = best(lambda: ahp.batch_priorities(stack))
    t_eig, _ = best(lambda: np.linalg.eig(stack), repeat=1)
    names = [f"x{i}" for i in range(9)]
    iu, ju = np.triu_indices(9, 1)
    dicts = [{(names[i], names[j]): float(m[i, j]) for i, j in zip(iu, ju)} for m in stack[:n_ahpy]]
    t_ahpy = 0.0
    try:
        import ahpy

        t0 = time.perf_counter()
        for k, d in enumerate(dicts):
            ahpy.Compare(f"m{k}", d, random_index="saaty")
        t_ahpy = (time.perf_counter() - t0) / n_ahpy
    except ImportError:  # pragma: no cover - ahpy is a bench extra
        print("ahpy: not installed, AHPy baseline skipped")
    per = t_batch / n_mat
    # Agreement with the eigen solver on a sample (weights and lambda_max).
    vals, vecs = np.linalg.eig(stack[:500])
    k = vals.real.argmax(axis=1)
    v = np.abs(vecs[np.arange(500), :, k].real)
    v /= v.sum(axis=1, keepdims=True)
    err_w = np.abs(v - w[:500]).max()
    err_l = np.abs(vals.real.max(axis=1) - lam[:500]).max()
    print(
        f"batch_priorities {n_mat}x9x9: {t_batch:.3f} s (target <= 0.5 s at 100000); numpy eig baseline "
        f"{t_eig:.3f} s; ratio {t_batch / t_eig:.3f}"
    )
    if t_ahpy:
        print(
            f"batch_priorities per matrix: {per * 1e6:.2f} us; AHPy 2.1 Compare per matrix ({n_ahpy} matrices) "
            f"{t_ahpy * 1e6:.0f} us; speed-up {t_ahpy / per:.0f}x (target >= 30x)"
        )
    print(f"batch_priorities max |w - eig| {err_w:.1e}, max |lambda - eig| {err_l:.1e} (500 matrices)")


def bench_single(rng, number):
    a = random_stack(rng, 1, 9)[0]
    w = rng.dirichlet(np.ones(9))
    noise = np.triu(rng.normal(0, 0.2, (9, 9)), 1)
    near = np.exp(np.log(w[:, None] / w[None, :]) + noise - noise.T)  # judgments with small errors
    for label, m in (("random", a), ("near-consistent", near)):
        t = min(timeit.repeat(lambda m=m: ahp.priorities(m), number=number, repeat=5)) / number
        t_eig = min(timeit.repeat(lambda m=m: np.linalg.eig(m), number=number, repeat=5)) / number
        print(
            f"priorities 9x9 ({label}): {t * 1e6:.1f} us (target <= 50 us); numpy eig baseline "
            f"{t_eig * 1e6:.1f} us; ratio {t / t_eig:.2f}"
        )
    try:
        import ahpy

        names = [f"x{i}" for i in range(9)]
        iu, ju = np.triu_indices(9, 1)
        d = {(names[i], names[j]): float(a[i, j]) for i, j in zip(iu, ju)}
        t_a = min(timeit.repeat(lambda: ahpy.Compare("m", d, random_index="saaty"), number=50, repeat=3)) / 50
        t = min(timeit.repeat(lambda: ahp.priorities(a), number=number, repeat=5)) / number
        print(f"priorities 9x9 vs AHPy Compare: {t * 1e6:.1f} us vs {t_a * 1e6:.0f} us; ratio {t / t_a:.3f}")
    except ImportError:  # pragma: no cover
        pass


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


def loop_bootstrap(panel, n, seed):
    """Baseline: the textbook loop, one replicate at a time with priorities() per block."""
    rng = np.random.default_rng(seed)
    n_exp = len(panel.experts)
    for _ in range(n):
        idx = rng.integers(0, n_exp, n_exp)
        tree = {}
        for p, j in panel.blocks.items():
            agg = np.exp(np.nanmean(np.log(j.values[idx]), axis=0))
            tree[p] = ahp.priorities(agg, missing="harker").weights
        # synthesis cost is small next to the priorities; the loop above is what the vectorised path removes


def bench_bootstrap(rng, n_rep, n_loop):
    panel = make_panel(rng)
    t_boot, res = best(lambda: ahp.bootstrap(panel, n=n_rep, seed=1), repeat=2)
    t_loop, _ = best(lambda: loop_bootstrap(panel, n_loop, 1), repeat=1)
    t_loop_full = t_loop / n_loop * n_rep
    print(
        f"bootstrap 30 experts x 60 leaves (4 levels, 10% missing in leaf blocks), {n_rep} replicates: {t_boot:.3f} s (target <= 2 s); "
        f"per-replicate loop baseline {t_loop_full:.2f} s (extrapolated from {n_loop}); ratio {t_boot / t_loop_full:.3f}"
    )
    print(f"bootstrap widest 90% interval: {(res.intervals['q95'] - res.intervals['q05']).max():.4f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes for a smoke run")
    args = parser.parse_args()
    rng = np.random.default_rng(20240601)
    if args.quick:
        bench_batch(rng, 10_000, 20)
        bench_single(rng, 500)
        bench_bootstrap(rng, 200, 10)
    else:
        bench_batch(rng, 100_000, 200)
        bench_single(rng, 5000)
        bench_bootstrap(rng, 2000, 50)


if __name__ == "__main__":
    main()
