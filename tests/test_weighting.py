"""Tests of workbench.weighting: published reference values, properties and bad input."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import reference_cases
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps
from scipy.optimize import nnls

from workbench import weighting
from workbench.errors import DataError, ModelError, SpecError, WorkbenchWarning
from workbench.weighting import WeightResult

CASES = reference_cases("stats_cases.json")


# ---------------------------------------------------------------- reference values


def test_entropy_xu2004():
    # Xu, X. (2004) EJOR 156(2):530-532, as asserted in pyrepo-mcda tests/test_weighting_methods.py
    case = CASES["entropy_xu2004"]
    res = weighting.entropy(case["input"]["matrix_alternatives_x_criteria"], normalise="sum")
    np.testing.assert_allclose(res.weights, case["expected"]["weights"], atol=case["tolerance"])
    assert res.method == "entropy" and res.variant == "sum"


@pytest.mark.parametrize(
    ("normalise", "key", "use_types"),
    [
        ("sum", "raw_sum", False),
        ("minmax", "minmax_then_entropy", True),
        ("reciprocal", "reciprocal_cost_pyDecision", True),
    ],
)
def test_entropy_variants_zavadskas_podvezko(normalise, key, use_types):
    # Zavadskas & Podvezko (2016) matrix, three variants in circulation (reference case
    # "entropy_variants_same_data": raw sums as pymcdm; pyDecision entropy_method; 熵权法 textbook).
    case = CASES["entropy_variants_same_data"]
    types = case["input"]["types"] if use_types else None
    res = weighting.entropy(case["input"]["matrix"], types, normalise)
    np.testing.assert_allclose(res.weights, case["expected"][key], atol=case["tolerance"])
    assert res.variant == normalise


def test_critic_tus_adali2019():
    # Tuş & Aytaç Adalı (2019) Opsearch 56(2):528-538, weights as in pymcdm / pyrepo-mcda tests
    case = CASES["critic_tus_adali2019"]
    x = case["input"]["matrix_alternatives_x_criteria"]
    tol = case["tolerance"]
    np.testing.assert_allclose(weighting.critic(x).weights, case["expected"]["weights"], atol=tol)
    flipped = weighting.critic(x, directions=[-1, 1, 1, 1, 1, 1])
    np.testing.assert_allclose(
        flipped.weights, case["expected"]["computed_if_column1_treated_as_cost"], atol=1e-6
    )


def test_entropy_hand_computed_minmax():
    # 3 units, 2 indicators worked out by hand: column a rescales to (0, 0.5, 1) -> p = (0, 1/3, 2/3)
    x = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [10.0, 0.0, 5.0]})
    res = weighting.entropy(x, {"a": 1, "b": -1}, normalise="minmax")
    # b is a cost column: (max - x)/(max - min) = (0, 1, 0.5) -> p = (0, 2/3, 1/3): same entropy as a
    e = -(1 / 3 * math.log(1 / 3) + 2 / 3 * math.log(2 / 3)) / math.log(3)
    assert res.table.loc["a", "entropy"] == pytest.approx(e, abs=1e-12)
    assert res.table.loc["b", "entropy"] == pytest.approx(e, abs=1e-12)
    assert res.weights.tolist() == pytest.approx([0.5, 0.5])


# ---------------------------------------------------------------- properties

positive_tables = st.integers(min_value=0, max_value=10_000).map(
    lambda s: np.random.default_rng(s).uniform(0.5, 20.0, size=(8, 4))
)
scales = st.lists(st.floats(0.01, 100.0), min_size=4, max_size=4)


@settings(max_examples=40, deadline=None)
@given(positive_tables, scales)
def test_entropy_and_critic_scale_invariant(x, scale):
    scaled = x * np.asarray(scale)
    np.testing.assert_allclose(weighting.entropy(scaled).weights, weighting.entropy(x).weights, atol=1e-10)
    shifted = scaled + 3.0  # min-max rescaling removes any affine change of units
    np.testing.assert_allclose(
        weighting.entropy(shifted, normalise="minmax").weights,
        weighting.entropy(x, normalise="minmax").weights,
        atol=1e-10,
    )
    np.testing.assert_allclose(weighting.critic(shifted).weights, weighting.critic(x).weights, atol=1e-10)


@settings(max_examples=30, deadline=None)
@given(positive_tables, st.permutations(range(4)))
def test_weights_permutation_invariant(x, perm):
    perm = list(perm)
    for f in (weighting.entropy, weighting.critic, weighting.pca):
        np.testing.assert_allclose(f(x[:, perm]).weights.to_numpy(), f(x).weights.to_numpy()[perm], atol=1e-8)


@settings(max_examples=30, deadline=None)
@given(positive_tables)
def test_critic_flip_column_and_direction_is_neutral(x):
    # -x treated as cost rescales exactly like x treated as benefit
    flipped = x.copy()
    flipped[:, 1] = -flipped[:, 1]
    np.testing.assert_allclose(
        weighting.critic(flipped, [1, -1, 1, 1]).weights, weighting.critic(x).weights, atol=1e-12
    )
    np.testing.assert_allclose(
        weighting.entropy(flipped, [1, -1, 1, 1], "minmax").weights,
        weighting.entropy(x, normalise="minmax").weights,
        atol=1e-12,
    )


def test_entropy_constant_column_gets_zero_weight_with_sum():
    x = pd.DataFrame({"党员": [3.0, 5.0, 9.0], "支部": [4.0, 4.0, 4.0]})
    res = weighting.entropy(x)
    assert res.weights["支部"] == 0.0
    assert res.weights["党员"] == pytest.approx(1.0)
    assert any("支部" in n for n in res.notes)


def _one_factor(n=400, p=5, seed=0):
    rng = np.random.default_rng(seed)
    f = rng.normal(size=(n, 1))
    return f * rng.uniform(0.5, 1.5, size=p) + rng.normal(size=(n, p)) * 0.6


@pytest.mark.parametrize("variant", ["handbook", "first_pc"])
def test_pca_one_factor_all_positive_and_invariant(variant):
    x = _one_factor()
    res = weighting.pca(x, variant=variant)
    assert (res.weights > 0.05).all()
    assert res.weights.sum() == pytest.approx(1.0)
    # units of measurement and directions (sign flips) do not matter
    other = x * np.array([10.0, -0.1, 3.0, 1.0, -7.0]) + 5.0
    np.testing.assert_allclose(weighting.pca(other, variant=variant).weights, res.weights, atol=1e-10)


def test_pca_first_pc_matches_eigenvector_of_correlation():
    # independent route: scikit-learn PCA on z-scores; weights = squared unit eigenvector
    from sklearn.decomposition import PCA

    x = _one_factor(seed=3)
    z = (x - x.mean(0)) / x.std(0, ddof=1)
    v = PCA(n_components=1).fit(z).components_[0]
    np.testing.assert_allclose(weighting.pca(x, variant="first_pc").weights, v**2 / (v**2).sum(), atol=1e-10)


def test_pca_handbook_matches_statsmodels_varimax():
    # independent varimax (statsmodels GPA) with Kaiser normalisation done here by hand
    from statsmodels.multivariate.factor_rotation import rotate_factors

    rng = np.random.default_rng(11)
    f = rng.normal(size=(300, 2))
    x = np.column_stack(
        [f[:, 0] + 0.5 * rng.normal(size=300) for _ in range(3)]
        + [f[:, 1] + 0.7 * rng.normal(size=300) for _ in range(3)]
    )
    res = weighting.pca(x)
    assert res.stats["n_factors"] == 2
    r = np.corrcoef(x, rowvar=False)
    eig, vec = np.linalg.eigh(r)
    a = vec[:, ::-1][:, :2] * np.sqrt(eig[::-1][:2])
    h = np.sqrt((a**2).sum(1))
    rot = rotate_factors(a / h[:, None], "varimax")[0] * h[:, None]
    expl = (rot**2).sum(0)
    scaled = rot**2 / expl
    k = scaled.argmax(1)
    raw = scaled[np.arange(6), k] * (expl / expl.sum())[k]
    np.testing.assert_allclose(res.weights, raw / raw.sum(), atol=1e-5)
    # indicators of the two blocks are assigned to two different factors
    assert len(set(res.table["factor"][:3])) == 1 and set(res.table["factor"][:3]) != set(
        res.table["factor"][3:]
    )


def test_pca_retention_rule_reproduces_handbook_tai():
    # OECD/JRC Handbook (2008) Table 16 (TAI): shares 41.9, 21.8, 12.3, 11.1, ... -> 4 factors kept
    from workbench.weighting._pca import _n_factors

    share = np.array([41.9, 21.8, 12.3, 11.1, 6.0, 3.7, 2.2, 0.9]) / 100
    assert _n_factors(share * 8, share, min_eigenvalue=1.0, min_share=0.1, min_cumulative=0.6) == 4


def test_pca_n_factors_override_and_bad_value():
    x = _one_factor()
    assert weighting.pca(x, n_factors=2).stats["n_factors"] == 2
    with pytest.raises(SpecError, match="n_factors"):
        weighting.pca(x, n_factors=9)


# ---------------------------------------------------------------- regression


def _simulated(n=3000, seed=5, w=(0.4, 0.3, 0.2, 0.1), noise=0.5):
    rng = np.random.default_rng(seed)
    cols = ["学习", "组织", "作风", "中心"]
    x = pd.DataFrame(rng.normal(size=(n, len(w))), columns=cols, index=[f"U{i:04d}" for i in range(n)])
    y = 2.0 * x.to_numpy() @ np.asarray(w) + noise * rng.normal(size=n)
    return x, pd.Series(y, index=x.index), np.asarray(w)


def test_ols_matches_closed_form():
    x, y, _ = _simulated(n=200)
    res = weighting.regression(x, y)
    xv = x.to_numpy()
    z = (xv - xv.mean(0)) / xv.std(0, ddof=1)
    a = np.column_stack([np.ones(len(z)), z])
    beta = np.linalg.solve(a.T @ a, a.T @ y.to_numpy())
    resid = y.to_numpy() - a @ beta
    dof = len(z) - a.shape[1]
    s2 = resid @ resid / dof
    se = np.sqrt(np.diag(s2 * np.linalg.inv(a.T @ a)))
    q = sps.t.ppf(0.975, dof)
    np.testing.assert_allclose(res.table["coef"], beta[1:], rtol=1e-10)
    np.testing.assert_allclose(res.table["se"], se[1:], rtol=1e-8)
    np.testing.assert_allclose(res.table["ci_low"], beta[1:] - q * se[1:], rtol=1e-8)
    np.testing.assert_allclose(
        res.table["p"], 2 * sps.t.sf(np.abs(beta[1:] / se[1:]), dof), rtol=1e-6, atol=1e-300
    )
    r2 = 1 - resid @ resid / ((y - y.mean()) ** 2).sum()
    assert res.stats["r2"] == pytest.approx(r2, rel=1e-10)
    assert res.stats["adj_r2"] == pytest.approx(1 - (1 - r2) * 199 / 195, rel=1e-10)
    assert res.stats["n"] == 200
    assert list(res.table.columns) == ["coef", "se", "ci_low", "ci_high", "p", "weight"]


@pytest.mark.parametrize("method", ["ols", "nnls"])
def test_regression_recovers_known_weights(method):
    x, y, w = _simulated()
    res = weighting.regression(x, y, method, seed=1, n_boot=200)
    np.testing.assert_allclose(res.weights.to_numpy(), w, atol=0.02)
    assert list(res.weights.index) == list(x.columns)


def test_nnls_equals_scipy_on_full_problem_and_clips():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(500, 4))
    y = x @ [1.0, 0.5, -0.8, 0.0] + rng.normal(size=500)
    res = weighting.regression(x, y, "nnls", n_boot=0)
    z = (x - x.mean(0)) / x.std(0, ddof=1)
    expected = nnls(z, y - y.mean())[0]
    np.testing.assert_allclose(res.table["coef"], expected, atol=1e-9)
    assert res.weights[2] == 0.0 and res.table["coef"][2] == 0.0


def test_nnls_bootstrap_seeded_and_covering():
    x, y, w = _simulated(n=800)
    a = weighting.regression(x, y, "nnls", seed=7, n_boot=300)
    b = weighting.regression(x, y, "nnls", seed=7, n_boot=300)
    pd.testing.assert_frame_equal(a.table, b.table)
    true_coef = 2.0 * w  # x has unit variance, so standardised coefficients are close to 2 w
    assert ((a.table["ci_low"] < true_coef + 0.05) & (a.table["ci_high"] > true_coef - 0.05)).all()
    assert (a.table["se"] > 0).all() and a.table["p"].isna().all()
    pairs = weighting.regression(x, y, "nnls", seed=7, n_boot=50, bootstrap="pairs")
    np.testing.assert_allclose(pairs.table["coef"], a.table["coef"])
    assert (pairs.table["ci_high"] > pairs.table["ci_low"]).all()


def _ordinal_data(n=2000, seed=4):
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(rng.normal(size=(n, 3)), columns=["a", "b", "c"])
    latent = x.to_numpy() @ [1.5, 1.0, 0.5] + rng.logistic(size=n)
    grades = np.array(["较差", "一般", "良好", "优秀"])[np.digitize(latent, [-2.0, 0.0, 2.0])]
    return x, grades


def test_ordinal_recovers_weights_and_accepts_three_spellings_of_the_order():
    x, grades = _ordinal_data()
    order = ["较差", "一般", "良好", "优秀"]
    cat = pd.Categorical(grades, categories=order, ordered=True)
    res = weighting.regression(x, cat, "ordinal")
    np.testing.assert_allclose(res.weights, [0.5, 1 / 3, 1 / 6], atol=0.04)
    assert 0 < res.stats["pseudo_r2"] < 1
    assert res.stats["levels"] == tuple(order)
    assert len(res.stats["thresholds"]) == 3
    assert (res.table["ci_low"] < res.table["coef"]).all() and (res.table["p"] < 1e-6).all()
    by_list = weighting.regression(x, grades, "ordinal", levels=order)
    by_text = weighting.regression(x, grades, "ordinal", levels="优秀>良好>一般>较差")
    np.testing.assert_allclose(by_list.table["coef"], res.table["coef"], rtol=1e-6)
    np.testing.assert_allclose(by_text.table["coef"], res.table["coef"], rtol=1e-6)
    probit = weighting.regression(x, cat, "ordinal", link="probit")
    assert probit.stats["link"] == "probit" and (probit.weights > 0).all()


def test_regression_outcome_by_column_name_and_label_alignment():
    x, y, _ = _simulated(n=300)
    df = x.assign(总评=y)
    a = weighting.regression(df, "总评")
    _, grades = _ordinal_data(n=300)
    graded = x.assign(等次=pd.Categorical(grades, categories=["较差", "一般", "良好", "优秀"], ordered=True))
    assert weighting.regression(graded, "等次", "ordinal").stats["levels"] == ("较差", "一般", "良好", "优秀")
    shuffled = y.sample(frac=1.0, random_state=0)
    b = weighting.regression(x, shuffled)
    pd.testing.assert_series_equal(a.weights, b.weights)


def test_negative_coefficient_is_reported_and_clipped():
    rng = np.random.default_rng(8)
    x = pd.DataFrame(rng.normal(size=(300, 3)), columns=["p", "q", "r"])
    y = x["p"] - 0.5 * x["r"] + 0.1 * rng.normal(size=300)
    res = weighting.regression(x, y)
    assert res.weights["r"] == 0.0 and res.table.loc["r", "coef"] < 0
    assert any("'r'" in n for n in res.notes)


# ---------------------------------------------------------------- optimised


def _exact_moments(n, p, seed, sd=None):
    """Columns with sample covariance exactly diag(sd^2)."""
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(n, p))
    a -= a.mean(0)
    q, _ = np.linalg.qr(a)
    return q * math.sqrt(n - 1) * (np.ones(p) if sd is None else np.asarray(sd))


def test_optimised_equal_weights_for_uncorrelated_equal_variance():
    x = _exact_moments(60, 5, seed=1)
    for measure in ("r2", "r"):
        res = weighting.optimised(x, measure=measure)
        np.testing.assert_allclose(res.weights, np.full(5, 0.2), atol=1e-6)
        np.testing.assert_allclose(res.table["importance"], np.full(5, 0.2), atol=1e-8)


@pytest.mark.parametrize("t1", [0.5, 0.7, 0.3])
def test_optimised_two_components_closed_form(t1):
    # y = w x1 + (1-w) x2; importance ratio r1^2 / r2^2 = t1 / t2 solves linearly in w:
    # w = s2 (k - rho) / (s1 (1 - k rho) + s2 (k - rho)), k = sqrt(t1 / t2)
    rng = np.random.default_rng(3)
    f = rng.normal(size=300)
    x = np.column_stack([f + rng.normal(size=300), 2.5 * (0.4 * f + rng.normal(size=300))])
    s1, s2 = x.std(0, ddof=1)
    rho = np.corrcoef(x, rowvar=False)[0, 1]
    k = math.sqrt(t1 / (1 - t1))
    w1 = s2 * (k - rho) / (s1 * (1 - k * rho) + s2 * (k - rho))
    res = weighting.optimised(pd.DataFrame(x, columns=["甲", "乙"]), target=[t1, 1 - t1])
    assert res.weights["甲"] == pytest.approx(w1, abs=1e-6)
    assert res.table.loc["甲", "importance"] == pytest.approx(t1, abs=1e-7)
    assert res.stats["objective"] < 1e-12


def test_optimised_unreachable_target_is_noted():
    rng = np.random.default_rng(0)
    f = rng.normal(size=200)
    x = np.column_stack(
        [f + 0.1 * rng.normal(size=200), f + 0.1 * rng.normal(size=200), rng.normal(size=200)]
    )
    res = weighting.optimised(x, target=[0.05, 0.05, 0.9])
    assert res.notes and "not reachable" in res.notes[0]
    assert res.weights.sum() == pytest.approx(1.0) and (res.weights >= 0).all()


# ---------------------------------------------------------------- compare_weights


def test_compare_weights_side_by_side_with_rank_correlation():
    ent = weighting.entropy(pd.DataFrame({"a": [1.0, 2, 9], "b": [1.0, 2, 3], "c": [5.0, 5.1, 5.2]}))
    positional = weighting.compare_weights(x=[1, 1, 2], y=np.array([0.2, 0.2, 0.6]))
    assert list(positional.columns) == ["x", "y"] and list(positional.index) == [0, 1, 2]
    np.testing.assert_allclose(positional["x"], [0.25, 0.25, 0.5])
    with pytest.warns(WorkbenchWarning, match="'y', 'z'"):
        partial = weighting.compare_weights(a={"x": 1, "y": 2}, b={"x": 1, "z": 1})
    assert partial.loc["z", "a"] != partial.loc["z", "a"]  # NaN
    t2 = weighting.compare_weights(stated={"a": 20, "b": 30, "c": 50}, entropy=ent)
    np.testing.assert_allclose(t2["stated"], [0.2, 0.3, 0.5])
    np.testing.assert_allclose(t2["entropy"], ent.weights)
    # entropy ranks a > b > c, stated ranks c > b > a: Spearman -1 (computed by hand)
    assert t2.attrs["rank_correlation"].loc["stated", "entropy"] == pytest.approx(-1.0)
    assert t2.attrs["kendall_tau"].loc["stated", "entropy"] == pytest.approx(-1.0)


# ---------------------------------------------------------------- contract over every method


def _contract_cases():
    x, y, _ = _simulated(n=300)
    xo, grades = _ordinal_data(n=400)
    return {
        "entropy-sum": lambda seed: weighting.entropy(x - x.min() + 1),
        "entropy-minmax": lambda seed: weighting.entropy(x, normalise="minmax"),
        "critic": lambda seed: weighting.critic(x),
        "pca": lambda seed: weighting.pca(x),
        "ols": lambda seed: weighting.regression(x, y),
        "nnls": lambda seed: weighting.regression(x, y, "nnls", n_boot=100, seed=seed),
        "ordinal": lambda seed: weighting.regression(
            xo, grades, "ordinal", levels=["较差", "一般", "良好", "优秀"]
        ),
        "optimised": lambda seed: weighting.optimised(x),
    }


@pytest.mark.parametrize("name", list(_contract_cases()))
def test_weight_result_contract(name):
    make = _contract_cases()[name]
    res = make(3)
    assert isinstance(res, WeightResult)
    assert (res.weights >= 0).all() and res.weights.sum() == pytest.approx(1.0)
    assert res.weights.index.equals(res.table.index)
    assert "weight" in res.to_frame().columns
    assert res.method in repr(res) and "<div" in res._repr_html_()
    np.testing.assert_array_equal(np.asarray(res), res.weights.to_numpy())
    pd.testing.assert_frame_equal(make(3).table, res.table)
    with pytest.raises(AttributeError):
        res.method = "other"


# ---------------------------------------------------------------- bad input


def test_bad_input_entropy_and_critic():
    x = pd.DataFrame({"a": [1.0, -2.0, 3.0], "b": [1.0, 1.0, 1.0], "c": [2.0, 5.0, 4.0]})
    with pytest.raises(DataError, match="'a'") as err:
        weighting.entropy(x)
    assert err.value.column == "a"
    with pytest.raises(DataError, match="'b'.*constant"):
        weighting.entropy(x, normalise="minmax")
    with pytest.raises(DataError, match="'b'.*constant"):
        weighting.critic(x)
    with pytest.raises(SpecError, match="normalise.*'zscore'"):
        weighting.entropy(x, normalise="zscore")
    ok = x.drop(columns="b")
    with pytest.raises(SpecError, match="'c'.*expected 1"):
        weighting.critic(ok, directions={"a": 1, "c": 2})
    with pytest.raises(SpecError, match="Missing for 'c'"):
        weighting.critic(ok, directions={"a": 1})
    with pytest.raises(SpecError, match="3 entries"):
        weighting.critic(ok, directions=[1, 1, 1])
    with pytest.raises(DataError, match="'name'.*not numeric"):
        weighting.critic(ok.assign(name=["x", "y", "z"]))
    with pytest.raises(DataError, match="rows 'U2'"):
        weighting.critic(pd.DataFrame({"a": [1.0, 2, np.nan], "b": [3.0, 1, 2]}, index=["U0", "U1", "U2"]))
    with pytest.raises(DataError, match="reciprocal"):
        weighting.entropy([[0.0, 1.0], [2.0, 3.0]], [-1, 1], normalise="reciprocal")
    with pytest.warns(WorkbenchWarning, match="not used"):
        weighting.entropy([[1.0, 2.0], [2.0, 3.0]], [-1, 1])
    with pytest.raises(DataError, match="constant"):
        weighting.pca([[1.0, 2.0], [1.0, 3.0], [1.0, 5.0]])


def test_bad_input_regression():
    x, y, _ = _simulated(n=100)
    with pytest.raises(ModelError, match="single level"):
        weighting.regression(x, np.ones(100))
    with pytest.raises(ModelError, match="single level"):
        weighting.regression(x, ["良好"] * 100, "ordinal", levels=["一般", "良好"])
    dup = x.assign(复制=x["学习"] * 2 + 1e-9 * np.arange(100))
    with pytest.raises(ModelError, match="'学习' and '复制'") as err:
        weighting.regression(dup, y)
    assert err.value.column == "学习"
    combo = x.assign(合计=x["学习"] + x["组织"])
    with pytest.raises(ModelError, match="collinear") as err:
        weighting.regression(combo, y)
    msg = str(err.value)
    assert "'学习'" in msg and "'组织'" in msg and "'合计'" in msg and "'作风'" not in msg
    with pytest.raises(DataError, match="99 values but data has 100"):
        weighting.regression(x, y.to_numpy()[:99])
    holes = x.copy()
    holes.iloc[[3, 7], 1] = np.nan
    with pytest.raises(DataError, match="'U0003', 'U0007'"):
        weighting.regression(holes, y)
    y_holes = y.copy()
    y_holes.iloc[5] = np.nan
    with pytest.raises(DataError, match="outcome is missing.*'U0005'"):
        weighting.regression(x, y_holes)
    with pytest.raises(DataError, match="method='ordinal'"):
        weighting.regression(x, ["好", "差"] * 50)
    with pytest.raises(SpecError, match="levels"):
        weighting.regression(x, ["好", "差"] * 50, "ordinal")
    with pytest.raises(DataError, match="'中'"):
        weighting.regression(x, ["好", "中"] * 50, "ordinal", levels=["差", "好"])
    with pytest.raises(SpecError, match="'method'"):
        weighting.regression(x, y, "lasso")
    with pytest.raises(ModelError, match="at least 6 units"):
        weighting.regression(x.iloc[:5], y.iloc[:5])
    with pytest.raises(DataError, match="does not match"):
        weighting.regression(x, y.reset_index(drop=True))


def test_bad_input_optimised_and_compare():
    with pytest.raises(SpecError, match="target"):
        weighting.optimised(np.random.default_rng(0).normal(size=(10, 2)), target=[1, 1, 1])
    with pytest.raises(SpecError, match="-0.5"):
        weighting.optimised(np.random.default_rng(0).normal(size=(10, 2)), target=[1.5, -0.5])
    with pytest.raises(SpecError, match="negative"):
        weighting.compare_weights(a={"x": -1, "y": 2})
    with pytest.raises(SpecError):
        weighting.compare_weights()


def test_ordinal_perfect_separation_warns():
    x = np.random.default_rng(0).normal(size=(300, 3))
    grades = np.digitize(x @ [1.0, 0.5, 0.2], [-1.0, 0.0, 1.0])  # grades fully determined by x
    with pytest.warns(WorkbenchWarning, match="separated"):
        res = weighting.regression(x, grades, "ordinal")
    assert any("converge" in n for n in res.notes)
