"""Tests of the weighting additions: CV, standard deviation, independence, precedence chart, combine."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize

import workbench as wb
from workbench import weighting
from workbench.errors import DataError, JudgmentError, ModelError, SpecError

X = pd.DataFrame(
    {
        "a": [2.0, 4.0, 6.0, 8.0, 5.0, 7.0],
        "b": [10.0, 11.0, 9.0, 10.5, 10.0, 9.5],
        "c": [1.0, 3.0, 2.0, 5.0, 4.0, 6.0],
    },
    index=[f"u{i}" for i in range(6)],
)


def test_cv_weights_by_hand():
    cvs = X.std(ddof=1) / X.mean()
    res = weighting.cv(X)
    np.testing.assert_allclose(res.weights, cvs / cvs.sum())
    assert res.method == "cv" and list(res.table.columns) == ["mean", "sd", "cv", "weight"]
    # scale invariance: a column in other units (x 1000) keeps its weight
    np.testing.assert_allclose(weighting.cv(X.assign(a=X["a"] * 1000)).weights, res.weights)


def test_std_dev_weights_by_hand():
    z = (X - X.min()) / (X.max() - X.min())
    np.testing.assert_allclose(weighting.std_dev(X).weights, z.std() / z.std().sum())
    np.testing.assert_allclose(weighting.std_dev(X, normalise="none").weights, X.std() / X.std().sum())
    np.testing.assert_allclose(
        weighting.std_dev(X, directions=[1, -1, 1]).weights, weighting.std_dev(X).weights
    )


def test_independence_against_ols_multiple_correlation():
    rng = np.random.default_rng(5)
    base = rng.normal(size=(60, 1))
    data = pd.DataFrame(base + rng.normal(scale=[0.3, 0.6, 1.5, 2.0], size=(60, 4)), columns=list("pqrs"))
    r = []
    for col in data:  # independent recomputation: R^2 of an OLS regression on the other columns
        fit = sm.OLS(data[col], sm.add_constant(data.drop(columns=col))).fit()
        r.append(np.sqrt(fit.rsquared))
    inv = 1 / np.array(r)
    res = weighting.independence(data)
    np.testing.assert_allclose(res.table["r"], r, rtol=1e-10)
    np.testing.assert_allclose(res.weights, inv / inv.sum(), rtol=1e-10)
    assert res.weights.idxmax() == "s"  # the noisiest (least redundant) indicator


def test_precedence_chart_by_hand_and_from_scores():
    # 3 indicators: a beats b and c, b ties c. T = (2.5, 1, 1) with the diagonal at 0.5, total n^2/2 = 4.5
    m = pd.DataFrame([[0.5, 1, 1], [0, 0.5, 0.5], [0, 0.5, 0.5]], index=list("abc"), columns=list("abc"))
    res = weighting.precedence_chart(m)
    np.testing.assert_allclose(res.weights, [2.5 / 4.5, 1 / 4.5, 1 / 4.5])
    assert res.stats["grand_total"] == pytest.approx(4.5)
    no_diag = weighting.precedence_chart(m, diagonal=0)
    np.testing.assert_allclose(no_diag.weights, [2 / 3, 1 / 6, 1 / 6])  # total n(n-1)/2 = 3
    from_scores = weighting.precedence_chart(pd.Series({"a": 4.6, "b": 4.1, "c": 4.1}))
    pd.testing.assert_series_equal(from_scores.weights, res.weights)


# ---------------------------------------------------------------- combine

U1 = pd.Series({"a": 0.5, "b": 0.3, "c": 0.2})
U2 = pd.Series({"a": 0.2, "b": 0.3, "c": 0.5})


def test_combine_closed_forms_by_hand():
    mult = weighting.combine(U1, U2, method="multiplicative")
    np.testing.assert_allclose(mult.weights, np.array([0.1, 0.09, 0.1]) / 0.29)
    ment = weighting.combine(U1, U2, method="min_entropy")
    g = np.sqrt([0.1, 0.09, 0.1])
    np.testing.assert_allclose(ment.weights, g / g.sum())
    lin = weighting.combine(U1, U2, method="linear", alpha=0.7)
    np.testing.assert_allclose(lin.weights, 0.7 * U1 + 0.3 * U2)
    assert lin.coefficients.tolist() == pytest.approx([0.7, 0.3])
    three = weighting.combine(U1, U2, U1, method="linear", alpha=[0.2, 0.5, 0.3], names=["x", "y", "z"])
    np.testing.assert_allclose(three.weights, 0.5 * U1 + 0.5 * U2)
    assert list(three.table.columns) == ["x", "y", "z", "combined", "rank_combined"]


def test_combine_game_is_a_nash_equilibrium():
    u3 = pd.Series({"a": 0.4, "b": 0.4, "c": 0.2})
    res = weighting.combine(U1, U2, u3, method="game")
    u = np.vstack([U1, U2, u3])
    a = np.asarray(res.stats["raw_coefficients"])
    # each player i picks a_i to bring the combination closest to its own vector u_i, the others fixed
    for i in range(3):

        def own_loss(ai, i=i):
            b = a.copy()
            b[i] = ai[0]
            return ((b @ u - u[i]) ** 2).sum()

        best = minimize(own_loss, [0.0], method="BFGS", options={"gtol": 1e-14}).x[0]
        assert best == pytest.approx(a[i], abs=1e-6)
    np.testing.assert_allclose(res.coefficients, np.abs(a) / np.abs(a).sum())
    np.testing.assert_allclose(res.weights, res.coefficients.to_numpy() @ u)
    # two vectors: the system reads [[u1.u1, u1.u2], [u1.u2, u2.u2]] a = (u1.u1, u2.u2), by hand
    p11, p12, p22 = U1 @ U1, U1 @ U2, U2 @ U2
    a2 = np.linalg.solve([[p11, p12], [p12, p22]], [p11, p22])
    np.testing.assert_allclose(weighting.combine(U1, U2, method="game").coefficients, a2 / a2.sum())


def test_combine_max_deviation_matches_brute_force():
    rng = np.random.default_rng(2)
    data = pd.DataFrame(rng.normal(size=(15, 3)) * [1, 5, 0.2], columns=list("abc"))
    z = (data - data.min()) / (data.max() - data.min())
    dev = np.array([np.abs(z[c].to_numpy()[:, None] - z[c].to_numpy()[None, :]).sum() for c in z])
    theta = np.array([U1 @ dev, U2 @ dev])
    res = weighting.combine(U1, U2, method="max_deviation", data=data)
    np.testing.assert_allclose(res.coefficients, theta / theta.sum())
    np.testing.assert_allclose(res.weights, (theta / theta.sum()) @ np.vstack([U1, U2]))
    flipped = data.assign(b=-data["b"])  # direction does not matter for |z_i - z_l|
    np.testing.assert_allclose(
        weighting.combine(U1, U2, method="max_deviation", data=flipped).weights, res.weights
    )


weight_vectors = st.integers(0, 10_000).map(lambda s: np.random.default_rng(s).dirichlet(np.ones(5)))


@settings(max_examples=40, deadline=None)
@given(
    weight_vectors, st.integers(2, 4), st.sampled_from(["multiplicative", "min_entropy", "game", "linear"])
)
def test_identical_inputs_give_the_inputs(w, k, method):
    alpha = [1 / k] * k if method == "linear" else None
    res = weighting.combine(*[w] * k, method=method, alpha=alpha)
    if method == "multiplicative":
        expected = w**k / (w**k).sum()  # the product sharpens; identical inputs only survive for k = 1
        np.testing.assert_allclose(res.weights, expected, rtol=1e-9)
    else:
        np.testing.assert_allclose(res.weights, w, rtol=1e-9, atol=1e-12)
    assert res.weights.sum() == pytest.approx(1.0)


def test_identical_inputs_max_deviation():
    w = pd.Series({"a": 0.3, "b": 0.3, "c": 0.4})
    np.testing.assert_allclose(weighting.combine(w, w, method="max_deviation", data=X).weights, w)


def test_combined_weights_saved_in_rubric(tmp_path):
    rubric = wb.load_rubric("indicators/cq_organs.yaml")
    eff = rubric.effective_weights().loc[rubric.indicators]
    flat = pd.Series(1 / len(eff), index=eff.index)
    res = weighting.combine(eff / eff.sum(), flat, method="linear", alpha=0.5)
    new = res.to_rubric(rubric)
    path = wb.save_rubric(new, tmp_path / "combined.yaml")
    back = wb.load_rubric(path).effective_weights().loc[rubric.indicators]
    np.testing.assert_allclose(back, res.weights, atol=1e-6)


def test_rounded_published_weights_are_accepted_and_renormalised():
    thirds = [0.3333, 0.3333, 0.3333]  # sums to 0.9999, as printed in papers
    res = weighting.combine(thirds, [0.5, 0.3, 0.2], method="linear", alpha=0.5)
    np.testing.assert_allclose(res.weights, 0.5 * np.full(3, 1 / 3) + 0.5 * np.array([0.5, 0.3, 0.2]))


def test_bad_input():
    with pytest.raises(SpecError, match="sum to 1.1"):
        weighting.combine({"a": 0.6, "b": 0.5}, {"a": 0.5, "b": 0.5})
    with pytest.raises(SpecError, match="negative"):
        weighting.combine({"a": 1.2, "b": -0.2}, {"a": 0.5, "b": 0.5})
    with pytest.raises(SpecError, match="different indicators"):
        weighting.combine({"a": 0.5, "b": 0.5}, {"a": 0.5, "c": 0.5})
    with pytest.raises(SpecError, match="at least two"):
        weighting.combine(U1)
    with pytest.raises(SpecError, match="alpha"):
        weighting.combine(U1, U2, method="linear")
    with pytest.raises(SpecError, match="alpha is only used"):
        weighting.combine(U1, U2, method="game", alpha=0.5)
    with pytest.raises(SpecError, match="needs the data"):
        weighting.combine(U1, U2, method="max_deviation")
    with pytest.raises(SpecError, match="method"):
        weighting.combine(U1, U2, method="nash")
    with pytest.raises(ModelError, match="zero for every indicator"):
        weighting.combine({"a": 1.0, "b": 0.0}, {"a": 0.0, "b": 1.0})
    with pytest.raises(DataError, match="mean <= 0"):
        weighting.cv(pd.DataFrame({"a": [-1.0, 1.0, -2.0], "b": [1.0, 2.0, 3.0]}))
    with pytest.raises(ModelError, match="collinear"):
        weighting.independence(X.assign(d=X["a"] + X["c"]))
    with pytest.raises(JudgmentError, match="do not add to 1") as info:
        weighting.precedence_chart([[0.5, 1, 1], [1, 0.5, 0.5], [0, 0.5, 0.5]])
    assert len(info.value.problems) == 1
    with pytest.raises(JudgmentError, match="use 1, 0.5 or 0"):
        weighting.precedence_chart([[0.5, 2], [0, 0.5]])
