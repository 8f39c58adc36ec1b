"""Benchmark of workbench.weighting: varimax (PCA weights), entropy weights and revealed weights.

Run: .venv/bin/python benchmarks/bench_weighting.py [--quick]
Every line has a baseline measured in the same run, timed the same way (warm, alternating calls,
fastest of N; benchmarks/_timing.py), the ratio (ours / baseline) and the target; MISSED when a
target is missed.

Targets (issue 14 and the weighting brief):
- varimax rotation of the PCA loadings at 10,000 units x 50 indicators, as many factors as the
  Handbook rule keeps: at most the time of statsmodels' ``rotate_factors(A, "varimax")`` on the
  same (Kaiser-normalised) loadings (ratio <= 1). Two panels: independent normal columns (the rule
  keeps about 25 near-equal factors: the hard case) and 10 blocks of 5 indicators (10 factors).
  Varimax has local optima when factors are nearly equal, so each line also prints both
  solutions' varimax criterion (higher is better) and, for the structured panel, the largest
  loading difference after matching factors.
- entropy weights (normalise="sum") at 10^4 and 10^5 units x 20 indicators: at most the time of
  pymcdm's ``entropy_weights`` on the same array (ratio <= 1); max |weight difference| printed.
- regression (OLS, NNLS with the 1,000-draw wild bootstrap) at 10,000 x 50: at most 1 s; baseline
  numpy ``lstsq`` on the standardised design (the floor of any least-squares fit).
"""

from __future__ import annotations

import argparse

import numpy as np
from _timing import measure, verdict, versus

from workbench import weighting
from workbench.weighting._pca import varimax

TARGET_REGRESSION_S = 1.0


def loadings(x: np.ndarray) -> np.ndarray:
    """Unrotated PCA loadings of the factors the Handbook rule keeps (as weighting.pca computes them)."""
    k = weighting.pca(x, rotation=None).stats["n_factors"]
    eig, vec = np.linalg.eigh(np.corrcoef(x, rowvar=False))
    order = np.argsort(eig)[::-1][:k]
    return vec[:, order] * np.sqrt(eig[order])


def criterion(a: np.ndarray) -> float:
    """Kaiser's (normalised) varimax criterion: summed variance of the squared normalised loadings."""
    b = (a / np.sqrt((a**2).sum(axis=1, keepdims=True))) ** 2
    return float(b.var(axis=0).sum())


def matched_diff(a: np.ndarray, b: np.ndarray) -> float:
    """Largest loading difference once b's factors are put in a's order and sign."""
    c = a.T @ b
    perm = np.abs(c).argmax(axis=1)
    if len(set(perm)) < len(perm):
        return float("nan")
    return float(np.abs(b[:, perm] * np.sign(c[np.arange(len(perm)), perm]) - a).max())


def bench_varimax(n: int, p: int, repeat: int) -> None:
    from statsmodels.multivariate.factor_rotation import rotate_factors

    rng = np.random.default_rng(20240601)
    blocks = np.repeat(rng.normal(size=(n, p // 5)), 5, axis=1) * rng.uniform(0.5, 1.5, p)
    panels = {
        "independent columns": rng.normal(size=(n, p)),
        f"{p // 5} blocks of 5": blocks + rng.normal(size=(n, p)),
    }
    for label, x in panels.items():
        a = loadings(x)
        h = np.sqrt((a**2).sum(axis=1))[:, None]

        def statsmodels_varimax(a=a, h=h):  # Kaiser normalisation as R's varimax(normalize=TRUE)
            return rotate_factors(a / h, "varimax")[0] * h

        ours, base = versus(lambda a=a: varimax(a), statsmodels_varimax, repeat)
        ratio = ours.best / base.best
        diff = (
            ""
            if label.startswith("independent")
            else f"; max |loading diff| {matched_diff(base.result, ours.result):.1e}"
        )
        print(
            f"varimax {n}x{p} {label} ({a.shape[1]} factors kept): {ours.best * 1e3:.1f} ms "
            f"(target <= statsmodels, {verdict(ratio <= 1)}); statsmodels rotate_factors {base.best * 1e3:.1f} ms "
            f"(fastest of {repeat}, warm); ratio {ratio:.2f}; criterion ours {criterion(ours.result):.6f}, "
            f"statsmodels {criterion(base.result):.6f}{diff}"
        )
    x = panels["independent columns"]
    whole = measure(lambda: weighting.pca(x), repeat)
    floor = measure(lambda: np.linalg.eigh(np.corrcoef(x, rowvar=False)), repeat)
    print(
        f"pca handbook {n}x{p} independent columns (whole call, no target): {whole.best * 1e3:.1f} ms; "
        f"numpy corrcoef + eigh floor {floor.best * 1e3:.1f} ms; ratio {whole.best / floor.best:.1f}"
    )


def bench_entropy(sizes, p: int, repeat: int) -> None:
    try:
        from pymcdm.weights import entropy_weights
    except ImportError as exc:  # pragma: no cover - pymcdm is a bench extra
        print(f"entropy: pymcdm not available ({exc}); install the bench extra to compare")
        return
    rng = np.random.default_rng(7)
    for n in sizes:
        x = rng.uniform(1.0, 100.0, size=(n, p))  # strictly positive: pymcdm's sum normalisation needs it
        ours, base = versus(lambda x=x: weighting.entropy(x), lambda x=x: entropy_weights(x), repeat)
        ratio = ours.best / base.best
        diff = np.abs(ours.result.weights.to_numpy() - base.result).max()
        print(
            f"entropy (sum) {n}x{p}: {ours.best * 1e3:.2f} ms (target <= pymcdm, {verdict(ratio <= 1)}); "
            f"pymcdm entropy_weights {base.best * 1e3:.2f} ms (fastest of {repeat}, warm); ratio {ratio:.2f}; "
            f"max |weight diff| {diff:.1e}"
        )


def bench_regression(n: int, p: int, repeat: int) -> None:
    rng = np.random.default_rng(20240601)
    x = rng.normal(size=(n, p))
    y = x @ rng.uniform(0.0, 1.0, size=p) + rng.normal(size=n)

    def lstsq():
        z = (x - x.mean(0)) / x.std(0, ddof=1)
        return np.linalg.lstsq(np.column_stack([np.ones(n), z]), y, rcond=None)

    cases = {
        "ols": (lambda: weighting.regression(x, y, "ols"), TARGET_REGRESSION_S),
        "nnls (wild bootstrap, n_boot=1000)": (
            lambda: weighting.regression(x, y, "nnls", seed=1),
            TARGET_REGRESSION_S,
        ),
        "nnls (pairs bootstrap, n_boot=100)": (
            lambda: weighting.regression(x, y, "nnls", n_boot=100, bootstrap="pairs", seed=1),
            None,
        ),
    }
    for name, (run, target) in cases.items():
        ours, base = versus(run, lstsq, repeat)
        goal = (
            f"target <= {target:g} s, {verdict(ours.best <= target)}" if target else "no target; informative"
        )
        print(
            f"regression {name} {n}x{p}: {ours.best:.3f} s ({goal}); numpy lstsq baseline {base.best:.4f} s "
            f"(fastest of {repeat}, warm); ratio {ours.best / base.best:.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small run (2,000 units; 10^4 rows for entropy)")
    args = parser.parse_args()
    if args.quick:
        bench_varimax(2_000, 50, 3)
        bench_entropy([10_000], 20, 3)
        bench_regression(2_000, 20, 3)
    else:
        bench_varimax(10_000, 50, 5)
        bench_entropy([10_000, 100_000], 20, 7)
        bench_regression(10_000, 50, 3)


if __name__ == "__main__":
    main()
