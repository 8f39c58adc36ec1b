"""Tests of workbench.mcda: published TOPSIS values, hand-checked grey and fuzzy cases, bad input."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import reference_cases
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench import mcda
from workbench.errors import DataError, SpecError, WorkbenchWarning

CASES = reference_cases("stats_cases.json")

# ---------------------------------------------------------------- TOPSIS


def test_topsis_ersoy2021():
    # Ersoy, Y. (2021) LogForum 17(3): entropy-weighted TOPSIS, as asserted in pyrepo-mcda
    # tests/test_mcda_methods_1.py (Test_TOPSIS); full-precision values recomputed in the case file.
    case = CASES["topsis_ersoy2021"]
    inp, exp = case["input"], case["expected"]
    res = mcda.topsis(inp["matrix"], inp["weights"], inp["types"])
    np.testing.assert_allclose(res.closeness, exp["closeness_full_precision_computed"], atol=1e-5)
    np.testing.assert_allclose(res.closeness, exp["closeness"], atol=case["tolerance"])
    best_first = (np.argsort(-res.closeness.to_numpy()) + 1).tolist()
    assert best_first == exp["ranking_best_first"]
    assert res.rank.tolist() == [3, 5, 2, 4, 1, 6]
    assert res.normalise == "vector" and "vector" in repr(res)
    np.testing.assert_array_equal(np.asarray(res), res.closeness.to_numpy())


PHONES = [[250.0, 16, 12, 5], [200.0, 16, 8, 3], [300.0, 32, 16, 4], [275.0, 32, 8, 4], [225.0, 16, 16, 2]]
PHONE_W = [0.25, 0.25, 0.25, 0.25]
PHONE_D = [-1, 1, 1, 1]


def _topsis_by_hand(x, w, d, normalise):
    """Plain-Python TOPSIS, written independently of the package."""
    m, n = len(x), len(x[0])
    r = [[0.0] * n for _ in range(m)]
    for j in range(n):
        col = [x[i][j] for i in range(m)]
        for i in range(m):
            if normalise == "vector":
                r[i][j] = col[i] / math.sqrt(sum(v * v for v in col))
            elif normalise == "sum":
                r[i][j] = col[i] / sum(col)
            else:
                r[i][j] = (col[i] - min(col)) / (max(col) - min(col))
    v = [[w[j] * r[i][j] for j in range(n)] for i in range(m)]
    out = []
    for i in range(m):
        dp = dm = 0.0
        for j in range(n):
            col = [v[k][j] for k in range(m)]
            best, worst = (max(col), min(col)) if d[j] > 0 else (min(col), max(col))
            dp += (v[i][j] - best) ** 2
            dm += (v[i][j] - worst) ** 2
        out.append(math.sqrt(dm) / (math.sqrt(dp) + math.sqrt(dm)))
    return out


@pytest.mark.parametrize("normalise", ["vector", "minmax", "sum"])
def test_topsis_normalisations_against_hand_computation(normalise):
    df = pd.DataFrame(PHONES, columns=["价格", "存储", "相机", "外观"], index=list("ABCDE"))
    res = mcda.topsis(df, dict(zip(df.columns, PHONE_W)), dict(zip(df.columns, PHONE_D)), normalise=normalise)
    np.testing.assert_allclose(
        res.closeness.to_numpy(), _topsis_by_hand(PHONES, PHONE_W, PHONE_D, normalise), atol=1e-12
    )
    assert list(res.closeness.index) == list("ABCDE") and res.normalise == normalise
    assert set(res.to_frame().columns) == {"closeness", "d_best", "d_worst", "rank"}


def test_topsis_accepts_a_weight_result():
    from workbench import weighting

    df = pd.DataFrame(PHONES, columns=["价格", "存储", "相机", "外观"])
    w = weighting.critic(df, PHONE_D)
    res = mcda.topsis(df, w, PHONE_D)
    np.testing.assert_allclose(res.closeness, _topsis_by_hand(PHONES, w.weights.tolist(), PHONE_D, "vector"))


@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, 10_000).map(lambda s: np.random.default_rng(s).uniform(1.0, 10.0, size=(6, 3))),
    st.lists(st.floats(0.1, 50.0), min_size=3, max_size=3),
    st.floats(0.1, 10.0),
)
def test_topsis_properties(x, scale, wscale):
    w = np.array([0.5, 0.3, 0.2])
    base = mcda.topsis(x, w, [1, -1, 1])
    assert ((base.closeness >= 0) & (base.closeness <= 1)).all()
    for norm in ("vector", "sum", "minmax"):
        ref = mcda.topsis(x, w, [1, -1, 1], normalise=norm).closeness
        # positive rescaling of a column (units) and of all weights leaves closeness unchanged
        other = mcda.topsis(x * np.asarray(scale), w * wscale, [1, -1, 1], normalise=norm).closeness
        np.testing.assert_allclose(other, ref, atol=1e-10)


def test_topsis_dominating_alternative_gets_one():
    x = [[5.0, 1.0], [3.0, 2.0], [1.0, 3.0]]
    res = mcda.topsis(x, [1, 1], [1, -1])
    assert res.closeness[0] == pytest.approx(1.0) and res.closeness[2] == pytest.approx(0.0)


def test_topsis_zero_column_warns():
    with pytest.warns(WorkbenchWarning, match="'b'"):
        res = mcda.topsis(
            pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 3.0]}), [0.5, 0.5], [1, 1], normalise="minmax"
        )
    assert res.closeness.tolist() == pytest.approx([0.0, 1.0])


# ---------------------------------------------------------------- grey relational analysis


def test_grey_relational_worked_by_hand():
    # y: a -> (0, .5, 1), b -> (1, 0, .5); Delta = 1 - y; Delta_min = 0, Delta_max = 1;
    # xi = 0.5 / (Delta + 0.5): a -> (1/3, 1/2, 1), b -> (1, 1/3, 1/2); grades = row means.
    res = mcda.grey_relational(
        pd.DataFrame({"a": [1.0, 2, 3], "b": [3.0, 1, 2]}, index=["甲", "乙", "丙"]), [1, 1]
    )
    assert res.grade.tolist() == pytest.approx([2 / 3, 5 / 12, 3 / 4], abs=1e-12)
    assert res.rank.to_dict() == {"甲": 2, "乙": 3, "丙": 1}
    assert res.coefficients.loc["乙", "b"] == pytest.approx(1 / 3)


def _grey_by_hand(x, d, rho, w):
    m, n = len(x), len(x[0])
    y = [[0.0] * n for _ in range(m)]
    for j in range(n):
        col = [x[i][j] for i in range(m)]
        lo, hi = min(col), max(col)
        for i in range(m):
            y[i][j] = (x[i][j] - lo) / (hi - lo) if d[j] > 0 else (hi - x[i][j]) / (hi - lo)
    delta = [[abs(1.0 - y[i][j]) for j in range(n)] for i in range(m)]
    dmin = min(min(r) for r in delta)
    dmax = max(max(r) for r in delta)
    total = sum(w)
    return [
        sum(w[j] / total * (dmin + rho * dmax) / (delta[i][j] + rho * dmax) for j in range(n))
        for i in range(m)
    ]


@pytest.mark.parametrize("rho", [0.5, 0.3, 1.0])
def test_grey_relational_weights_and_costs_against_plain_python(rho):
    w = [2.0, 1.0, 1.0, 4.0]
    res = mcda.grey_relational(PHONES, PHONE_D, rho=rho, weights=w)
    np.testing.assert_allclose(res.grade, _grey_by_hand(PHONES, PHONE_D, rho, w), atol=1e-12)
    assert res.rho == rho and res.weights.sum() == pytest.approx(1.0)


# ---------------------------------------------------------------- fuzzy comprehensive evaluation

GRADES = ["优秀", "良好", "一般", "较差"]
W3 = [0.3, 0.5, 0.2]
R3 = [[0.5, 0.3, 0.2, 0.0], [0.2, 0.4, 0.3, 0.1], [0.1, 0.3, 0.4, 0.2]]
# worked by hand, grade by grade:
# weighted_average: .3*.5+.5*.2+.2*.1 = .27, .09+.20+.06 = .35, .06+.15+.08 = .29, 0+.05+.04 = .09
# min_max:          max(.3,.2,.1) = .3, max(.3,.4,.2) = .4, max(.2,.3,.2) = .3, max(0,.1,.2) = .2
# product_max:      max(.15,.10,.02) = .15, max(.09,.20,.06) = .20, max(.06,.15,.08) = .15, max(0,.05,.04) = .05
# min_bounded_sum:  .3+.2+.1 = .6, .3+.4+.2 = .9, .2+.3+.2 = .7, 0+.1+.2 = .3
HAND = {
    "weighted_average": [0.27, 0.35, 0.29, 0.09],
    "min_max": [0.3, 0.4, 0.3, 0.2],
    "product_max": [0.15, 0.20, 0.15, 0.05],
    "min_bounded_sum": [0.6, 0.9, 0.7, 0.3],
}


@pytest.mark.parametrize("operator", list(HAND))
def test_fuzzy_operators_hand_checked(operator):
    r = pd.DataFrame(R3, index=["思想", "组织", "作风"], columns=GRADES)
    res = mcda.fuzzy_evaluation(dict(zip(r.index, W3)), r, operator)
    np.testing.assert_allclose(res.b.to_numpy(), HAND[operator], atol=1e-12)
    assert list(res.b.index) == GRADES and res.grade == "良好" and res.score is None
    normed = mcda.fuzzy_evaluation(W3, R3, operator, normalise=True)
    np.testing.assert_allclose(
        normed.b.to_numpy(), np.array(HAND[operator]) / sum(HAND[operator]), atol=1e-12
    )


def test_fuzzy_grade_scores_and_point_weights():
    # weights as points (30/50/20) are normalised; score = .27*95 + .35*85 + .29*70 + .09*50 = 80.2
    res = mcda.fuzzy_evaluation(
        [30, 50, 20], R3, grades=GRADES, grade_scores={"优秀": 95, "良好": 85, "一般": 70, "较差": 50}
    )
    assert res.score == pytest.approx(80.2, abs=1e-12)
    frame = res.to_frame()
    assert frame.loc["B", "grade"] == "良好" and frame.loc["B", "score"] == pytest.approx(80.2)
    assert "Fuzzy" in repr(res)


def test_fuzzy_many_units_vectorised_equals_one_by_one():
    rng = np.random.default_rng(0)
    stack = rng.dirichlet(np.ones(4), size=(7, 3))
    for operator in HAND:
        many = mcda.fuzzy_evaluation(W3, stack, operator, grades=GRADES, grade_scores=[95, 85, 70, 50])
        for u in range(7):
            one = mcda.fuzzy_evaluation(W3, stack[u], operator, grades=GRADES, grade_scores=[95, 85, 70, 50])
            np.testing.assert_allclose(many.b.iloc[u].to_numpy(), one.b.to_numpy(), atol=1e-12)
            assert many.grade.iloc[u] == one.grade and many.score.iloc[u] == pytest.approx(one.score)


def test_fuzzy_multiindex_units_and_ties():
    r = pd.DataFrame(R3, index=["思想", "组织", "作风"], columns=GRADES)
    tied = pd.DataFrame([[0.5, 0.5, 0, 0]] * 3, index=r.index, columns=GRADES)
    long = pd.concat({"支部1": r, "支部2": tied})
    res = mcda.fuzzy_evaluation(W3, long)
    assert res.grade.to_dict() == {"支部1": "良好", "支部2": "优秀"}
    assert res.ties == ("支部2",)


def test_membership_from_counts():
    # 10 raters per indicator: shares of raters choosing each grade
    counts = pd.DataFrame([[6, 3, 1, 0], [2, 5, 2, 1]], index=["学习", "组织"], columns=GRADES)
    shares = mcda.membership_from_counts(counts)
    np.testing.assert_allclose(shares.to_numpy(), [[0.6, 0.3, 0.1, 0.0], [0.2, 0.5, 0.2, 0.1]])
    assert list(shares.columns) == GRADES
    stack = mcda.membership_from_counts(np.array([[[1, 1], [0, 4]], [[3, 1], [2, 2]]]))
    np.testing.assert_allclose(stack, [[[0.5, 0.5], [0.0, 1.0]], [[0.75, 0.25], [0.5, 0.5]]])
    long = mcda.membership_from_counts(pd.concat({"U1": counts, "U2": counts[::-1]}))
    np.testing.assert_allclose(long.loc[("U2", "学习")].to_numpy(), [0.6, 0.3, 0.1, 0.0])


# ---------------------------------------------------------------- bad input


def test_bad_input_topsis_and_grey():
    df = pd.DataFrame(PHONES, columns=["价格", "存储", "相机", "外观"])
    with pytest.raises(SpecError, match="3 entries.*4 indicator"):
        mcda.topsis(df, [0.3, 0.3, 0.4], PHONE_D)
    with pytest.raises(SpecError, match="No weight for '外观'.*unknown indicator\\(s\\) '颜值'"):
        mcda.topsis(df, {"价格": 1, "存储": 1, "相机": 1, "颜值": 1}, PHONE_D)
    with pytest.raises(SpecError, match="'相机' is -0.1") as err:
        mcda.topsis(df, [0.5, 0.6, -0.1, 0.0], PHONE_D)
    assert err.value.column == "相机"
    with pytest.raises(SpecError, match="'存储' is 0"):
        mcda.topsis(df, PHONE_W, [-1, 0, 1, 1])
    with pytest.raises(SpecError, match="normalise"):
        mcda.topsis(df, PHONE_W, PHONE_D, normalise="zscore")
    with pytest.raises(DataError, match="negative"):
        mcda.topsis([[1.0, -1.0], [2.0, 3.0]], [1, 1], [1, 1], normalise="sum")
    with pytest.raises(SpecError, match="'rho'"):
        mcda.grey_relational(df, PHONE_D, rho=0)
    with pytest.raises(DataError, match="'存储'.*constant"):
        mcda.grey_relational(df.assign(存储=16.0), PHONE_D)
    holes = df.astype(float)
    holes.iloc[2, 1] = np.nan
    with pytest.raises(DataError, match="rows 2 in columns '存储'"):
        mcda.grey_relational(holes, PHONE_D)


def test_bad_input_fuzzy():
    r = pd.DataFrame(R3, index=["思想", "组织", "作风"], columns=GRADES)
    bad = r.copy()
    bad.loc["组织", "一般"] = 1.2
    with pytest.raises(
        DataError, match="1.2 at indicator \\(row\\) '组织', grade \\(column\\) '一般'"
    ) as err:
        mcda.fuzzy_evaluation(W3, bad)
    assert err.value.column == "一般"
    stack = np.tile(np.array(R3), (2, 1, 1))
    stack[1, 0, 3] = -0.1
    with pytest.raises(DataError, match="unit 1, indicator \\(row\\) 0, grade \\(column\\) 3"):
        mcda.fuzzy_evaluation(W3, stack)
    with pytest.raises(SpecError, match="2 entries but there are 3"):
        mcda.fuzzy_evaluation([0.5, 0.5], r)
    with pytest.raises(SpecError, match="'作风'"):
        mcda.fuzzy_evaluation({"思想": 0.5, "组织": 0.5}, r)
    with pytest.raises(SpecError, match="'思想' is -0.3"):
        mcda.fuzzy_evaluation([-0.3, 0.8, 0.5], r)
    with pytest.raises(SpecError, match="operator"):
        mcda.fuzzy_evaluation(W3, r, operator="max_product")
    with pytest.raises(SpecError, match="grade_scores"):
        mcda.fuzzy_evaluation(W3, r, grade_scores=[90, 80])
    with pytest.raises(SpecError, match="'较差'"):
        mcda.fuzzy_evaluation(W3, r, grade_scores={"优秀": 95, "良好": 85, "一般": 70})
    with pytest.raises(DataError, match="2-D .* or 3-D"):
        mcda.fuzzy_evaluation(W3, [0.2, 0.3])
    with pytest.raises(DataError, match="non-negative"):
        mcda.membership_from_counts([[1, -1], [2, 2]])
    with pytest.raises(DataError, match="indicator '组织'"):
        mcda.membership_from_counts(pd.DataFrame([[1, 2], [0, 0]], index=["思想", "组织"]))
