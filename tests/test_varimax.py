"""Varimax rotation (weighting._pca.varimax): R's and statsmodels' results, optimality, equivariance."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from workbench import weighting
from workbench.weighting._pca import varimax

CASES = json.loads((Path(__file__).parent / "reference" / "varimax_cases.json").read_text(encoding="utf-8"))


def _loadings(seed: int, k: int, per: int = 4, n: int = 400) -> np.ndarray:
    """Unrotated PCA loadings of k noisy blocks of `per` indicators."""
    rng = np.random.default_rng(seed)
    f = rng.normal(size=(n, k))
    x = np.repeat(f, per, axis=1) * rng.uniform(0.4, 1.5, k * per) + rng.normal(size=(n, k * per))
    eig, vec = np.linalg.eigh(np.corrcoef(x, rowvar=False))
    order = np.argsort(eig)[::-1][:k]
    return vec[:, order] * np.sqrt(eig[order])


def _statsmodels(a: np.ndarray) -> np.ndarray:
    """statsmodels' GPA varimax (Jennrich 2001), Kaiser-normalised by hand; gradient norm 1e-7 (its floor)."""
    from statsmodels.multivariate.factor_rotation import rotate_factors

    h = np.sqrt((a**2).sum(axis=1))[:, None]
    return rotate_factors(a / h, "varimax", tol=1e-7, max_tries=2_000)[0] * h


def _matched(ref: np.ndarray, b: np.ndarray) -> np.ndarray:
    """b with its columns put in ref's order and sign (varimax is unique up to both)."""
    c = ref.T @ b
    perm = np.abs(c).argmax(axis=1)
    assert sorted(perm) == list(range(b.shape[1]))
    return b[:, perm] * np.sign(c[np.arange(len(perm)), perm])


def _criterion(a: np.ndarray) -> float:
    b = (a / np.sqrt((a**2).sum(axis=1, keepdims=True))) ** 2
    return float(b.var(axis=0).sum())


def test_matches_r_varimax_on_harman74():
    # R 4.2.2 stats::varimax on the 4-factor ML loadings of Harman (1976) Table 7.4 (source string
    # in tests/reference/varimax_cases.json); R's own SVD iteration run with eps = 1e-14.
    case = CASES["harman74_four_factors"]
    unrotated, expected = np.array(case["unrotated"]), np.array(case["varimax"])
    np.testing.assert_allclose(varimax(unrotated, tol=1e-12), expected, atol=case["tolerance"])
    # the default tolerance is within 1e-6 here (R's own default eps = 1e-5 is off by 5e-5)
    np.testing.assert_allclose(varimax(unrotated), expected, atol=1e-6)


@pytest.mark.parametrize(("seed", "k"), [(0, 2), (1, 2), (2, 3), (3, 5), (4, 8)])
def test_matches_statsmodels_rotate_factors(seed, k):
    a = _loadings(seed, k)
    ref = _statsmodels(a)
    ours = varimax(a, tol=1e-12)
    np.testing.assert_allclose(_matched(ref, ours), ref, atol=1e-7)
    np.testing.assert_allclose(_matched(ref, varimax(a)), ref, atol=1e-5)


@pytest.mark.parametrize("k", [2, 3, 6])
def test_result_is_a_stationary_maximum(k):
    # first-order condition of the varimax criterion on the orthogonal group: T' B symmetric,
    # with B the criterion's gradient; and no small rotation of the result raises the criterion
    a = _loadings(10 + k, k)
    rot = varimax(a, tol=1e-12)
    h = np.sqrt((a**2).sum(axis=1))[:, None]
    x, z = a / h, rot / h
    t = np.linalg.lstsq(x, z, rcond=None)[0]
    np.testing.assert_allclose(t.T @ t, np.eye(k), atol=1e-10)
    g = x.T @ (z**3 - z * (z**2).sum(axis=0) / len(z))
    s = t.T @ g
    assert np.abs(s - s.T).max() < 1e-9 * np.abs(s).max()
    rng = np.random.default_rng(k)
    best = _criterion(rot)
    assert best > _criterion(a)
    for _ in range(20):
        skew = rng.normal(scale=1e-3, size=(k, k))
        q = np.linalg.qr(np.eye(k) + skew - skew.T)[0]
        assert _criterion(rot @ q) <= best + 1e-12


def test_equivariant_to_factor_order_and_sign():
    a = _loadings(21, 5)
    base = varimax(a)
    perm, signs = np.array([3, 0, 4, 1, 2]), np.array([1.0, -1.0, -1.0, 1.0, -1.0])
    np.testing.assert_allclose(varimax(a[:, perm] * signs), base[:, perm] * signs, atol=1e-12)


@pytest.mark.parametrize("k", [2, 4])
def test_equivariant_to_indicator_order_sign_and_scale(k):
    a = _loadings(30 + k, k)
    base = varimax(a)
    rng = np.random.default_rng(k)
    rows = rng.permutation(len(a))
    signs = rng.choice([-1.0, 1.0], size=len(a))[:, None]
    scale = rng.uniform(0.5, 2.0, size=len(a))[:, None]
    np.testing.assert_allclose(varimax(a[rows] * signs), base[rows] * signs, atol=1e-9)
    # Kaiser normalisation: rescaling an indicator's loadings rescales its rotated loadings alike
    np.testing.assert_allclose(varimax(a * scale), base * scale, atol=1e-9)


def test_one_factor_is_returned_unchanged_and_zero_rows_are_kept():
    a = _loadings(40, 1)
    np.testing.assert_array_equal(varimax(a), a)
    b = _loadings(41, 3)
    b[2] = 0.0  # an indicator with no loading: Kaiser normalisation must not divide by zero
    out = varimax(b)
    assert np.isfinite(out).all() and (out[2] == 0).all()


def test_pca_weights_use_the_rotation_of_statsmodels():
    # the weights of weighting.pca follow from the rotated loadings (Handbook 2008, step 4-5),
    # here recomputed from statsmodels' rotation; 2 and 3 factors
    for seed, k in ((50, 2), (51, 3)):
        rng = np.random.default_rng(seed)
        f = rng.normal(size=(500, k))
        x = np.repeat(f, 3, axis=1) + rng.normal(size=(500, 3 * k)) * 0.6
        res = weighting.pca(x, n_factors=k)
        eig, vec = np.linalg.eigh(np.corrcoef(x, rowvar=False))
        order = np.argsort(eig)[::-1][:k]
        rot = _statsmodels(vec[:, order] * np.sqrt(eig[order]))
        expl = (rot**2).sum(axis=0)
        scaled = rot**2 / expl
        j = scaled.argmax(axis=1)
        raw = scaled[np.arange(3 * k), j] * (expl / expl.sum())[j]
        np.testing.assert_allclose(res.weights, raw / raw.sum(), atol=1e-6)
