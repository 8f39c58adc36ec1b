"""Tests of workbench.agreement: published reference values, cross-checks, properties and bad input.

GPL packages (pingouin, krippendorff) are imported here only, as independent cross-checks.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from conftest import reference_cases
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from workbench import agreement as ag
from workbench._i18n import use_language
from workbench.errors import DataError, SpecError, WorkbenchWarning

BANDS = {"优秀": 90, "良好": 80, "一般": 60, "较差": 0}


CASES = reference_cases("stats_cases.json")


def _with_missing(x: np.ndarray, share: float, rng) -> np.ndarray:
    x = x.astype(float).copy()
    x[rng.random(x.shape) < share] = np.nan
    return x


# ---------------------------------------------------------------- reference values


def test_icc_shrout_fleiss_1979():
    # Shrout & Fleiss (1979) Psychological Bulletin 86(2):420-428, 6 targets x 4 judges; values as
    # printed by R psych::ICC (dwoll/RExRepos md/interRaterICC.md), reference case icc_shrout_fleiss_1979.
    case = CASES["icc_shrout_fleiss_1979"]
    exp, tol = case["expected"], case["tolerance"]
    res = ag.icc(pd.DataFrame(case["input"]["ratings"], columns=["J1", "J2", "J3", "J4"]))
    names = {"ICC(1,1)": "ICC1", "ICC(2,1)": "ICC2", "ICC(3,1)": "ICC3", "ICC(1,k)": "ICC1k"}
    names |= {"ICC(2,k)": "ICC2k", "ICC(3,k)": "ICC3k"}
    for key, row in names.items():
        assert res.loc[row, "icc"] == pytest.approx(exp[key], abs=tol["ICC"])
        lo, hi = exp["CI95_psych"][row]
        assert res.loc[row, "ci_low"] == pytest.approx(lo, abs=tol["CI"])
        assert res.loc[row, "ci_high"] == pytest.approx(hi, abs=tol["CI"])
    assert res.loc["ICC1", "F"] == pytest.approx(exp["F_oneway"], abs=tol["F"])
    for row in ["ICC2", "ICC3", "ICC2k", "ICC3k"]:
        assert res.loc[row, "F"] == pytest.approx(exp["F_twoway"], abs=tol["F"])
    df1, df_one, df_two = exp["df"]
    assert (res["df1"] == df1).all()
    assert res.loc[["ICC1", "ICC1k"], "df2"].tolist() == [df_one, df_one]
    assert res.loc[["ICC2", "ICC3", "ICC2k", "ICC3k"], "df2"].tolist() == [df_two] * 4
    assert list(res.columns) == ["icc", "F", "df1", "df2", "pval", "ci_low", "ci_high"]


def test_krippendorff_alpha_wikipedia_example():
    # Wikipedia "Krippendorff's alpha" computational example (3 coders x 15 units), values asserted in
    # pln-fing-udelar/fast-krippendorff tests; the case is coders x units, our API units x raters.
    case = CASES["krippendorff_alpha_wikipedia_3coders_15units"]
    data = np.array(
        [[np.nan if v is None else v for v in row] for row in case["input"]["reliability_data"]]
    ).T
    for level, value in case["expected"].items():
        assert float(ag.krippendorff_alpha(data, level=level)) == pytest.approx(value, abs=case["tolerance"])
    res = ag.krippendorff_alpha(data, level="nominal")
    # Hand count from the example: 12 pairable units holding 26 values; coincidence margins n_c.
    assert (res.n_units, res.n_pairable) == (12, 26)
    assert res.coincidence.sum(axis=1).tolist() == [7, 4, 10, 5]


def test_cohen_kappa_2x2_hand():
    # Hand-checkable toy table (reference case cohen_kappa_2x2_hand): po = 0.70, pe = 0.50, kappa = 0.40.
    case = CASES["cohen_kappa_2x2_hand"]
    res = ag.cohen_kappa(case["input"]["contingency_table"])
    for key in ("po", "pe", "kappa"):
        assert getattr(res, key) == pytest.approx(case["expected"][key], abs=case["tolerance"])
    assert float(res) == pytest.approx(0.4, abs=1e-12)
    # Null SE by hand (Fleiss, Cohen & Everitt 1969, unweighted form): margins r = (.5, .5), c = (.6, .4);
    # var0 = [pe + pe^2 - sum r_i c_i (r_i + c_i)] / (n (1 - pe)^2) = [0.75 - (0.33 + 0.18)] / 12.5.
    assert res.se0 == pytest.approx(np.sqrt(0.24 / 12.5), rel=1e-12)


def test_fleiss_kappa_fleiss1971_wikipedia_example():
    # Wikipedia "Fleiss' kappa" worked example (10 subjects, 14 raters, 5 categories):
    # P-bar = 0.378, P-e = 0.213, kappa = 0.210; category shares p_j = 0.143, 0.200, 0.279, 0.150, 0.229.
    counts = np.array(
        [
            [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
            [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
        ]
    )  # fmt: skip
    res = ag.fleiss_kappa(counts)
    assert float(res) == pytest.approx(0.210, abs=5e-4)
    assert res.p_bar == pytest.approx(0.378, abs=5e-4)
    assert res.p_e == pytest.approx(0.213, abs=5e-4)
    np.testing.assert_allclose(res.categories["p"], [0.143, 0.200, 0.279, 0.150, 0.229], atol=5e-4)
    from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss

    assert float(res) == pytest.approx(sm_fleiss(counts), abs=1e-12)


def test_spearman_brown_domain_numbers():
    # domain.md: a single supervisor agrees with another at about 0.52. Spearman-Brown by hand:
    # 4 raters -> 4 * 0.52 / (1 + 3 * 0.52) = 2.08 / 2.56 = 0.8125; 0.8 needs 0.8*0.48/(0.52*0.2) = 3.69 -> 4.
    assert ag.spearman_brown(0.52, 4) == pytest.approx(0.8125, abs=1e-12)
    assert ag.raters_needed(0.52, 0.8) == 4
    assert ag.raters_needed(0.45, 0.8) == 5  # 0.8*0.55/(0.45*0.2) = 4.89
    assert ag.raters_needed(0.5, 0.8) == 4  # exactly 4.0: no rounding up to 5
    np.testing.assert_allclose(ag.spearman_brown(np.array([0.2, 0.5]), 2), [0.4 / 1.2, 1 / 1.5])


# ---------------------------------------------------------------- cross-checks (GPL only here)


@pytest.mark.filterwarnings(
    "ignore::DeprecationWarning", "ignore::FutureWarning", "ignore:The inplace keyword"
)
def test_icc_matches_pingouin_on_random_data():
    pg = pytest.importorskip("pingouin")
    rng = np.random.default_rng(11)
    true = rng.normal(0, 1, 30)
    x = true[:, None] + rng.normal(0, 0.8, (30, 5)) + rng.normal(0, 0.5, 5)
    ours = ag.icc(x)
    long = (
        pd.DataFrame(x)
        .rename_axis("unit")
        .reset_index()
        .melt(id_vars="unit", var_name="rater", value_name="y")
    )
    ref = pg.intraclass_corr(data=long, targets="unit", raters="rater", ratings="y").set_index("Type")
    order = ["ICC(1,1)", "ICC(A,1)", "ICC(C,1)", "ICC(1,k)", "ICC(A,k)", "ICC(C,k)"]
    np.testing.assert_allclose(ours["icc"], ref.loc[order, "ICC"], rtol=1e-10)
    np.testing.assert_allclose(ours["F"], ref.loc[order, "F"], rtol=1e-10)
    np.testing.assert_allclose(ours["df2"], ref.loc[order, "df2"])
    np.testing.assert_allclose(ours["pval"], ref.loc[order, "pval"], rtol=1e-8, atol=1e-300)
    ci = np.vstack(ref.loc[order, "CI95"].to_numpy())
    # pingouin rounds its intervals to 2 decimals
    np.testing.assert_allclose(ours[["ci_low", "ci_high"]].to_numpy(), ci, atol=0.005 + 1e-12)


def test_icc_drops_incomplete_units_like_listwise_deletion():
    rng = np.random.default_rng(5)
    x = rng.normal(size=(20, 3)) + rng.normal(size=(20, 1))
    x[[2, 7], [0, 1]] = np.nan
    with pytest.warns(WorkbenchWarning, match="dropped 2 of 20"):
        res = ag.icc(x)
    np.testing.assert_allclose(res["icc"], ag.icc(np.delete(x, [2, 7], axis=0))["icc"])
    assert res.attrs["n_dropped"] == 2


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
@pytest.mark.parametrize("kind", ["grades", "continuous"])
def test_krippendorff_matches_package(level, kind):
    kd = pytest.importorskip("krippendorff")
    rng = np.random.default_rng(3)
    if kind == "grades":
        true = rng.integers(1, 6, 80)
        x = np.clip(true[:, None] + rng.integers(-1, 2, (80, 6)), 1, 5).astype(float)
    else:  # many distinct values exercise the closed forms and the blocked ratio metric
        x = np.round(rng.gamma(4, 10, 50)[:, None] + rng.normal(0, 6, (50, 4)), 2).clip(0)
    x = _with_missing(x, 0.25, rng)
    ours = float(ag.krippendorff_alpha(x, level=level))
    ref = kd.alpha(reliability_data=x.T, level_of_measurement=level)
    assert ours == pytest.approx(ref, abs=1e-9)


def test_krippendorff_nominal_words_match_codes():
    kd = pytest.importorskip("krippendorff")
    words = pd.DataFrame(
        [["优秀", "良好", None], ["一般", "一般", "一般"], ["优秀", "优秀", "良好"], [None, "较差", "一般"]]
    )
    codes = ag.encode_grades(words).to_numpy()
    for level in ("nominal", "ordinal"):
        expected = kd.alpha(reliability_data=codes.T, level_of_measurement=level)
        assert float(ag.krippendorff_alpha(words, level=level)) == pytest.approx(expected, abs=1e-12)
    # arbitrary category words are fine for nominal alpha
    other = words.replace({"优秀": "A", "良好": "B", "一般": "C", "较差": "D"})
    assert float(ag.krippendorff_alpha(other)) == pytest.approx(float(ag.krippendorff_alpha(words)))


@pytest.mark.parametrize("weights", [None, "linear", "quadratic"])
def test_cohen_kappa_matches_sklearn_and_statsmodels(weights):
    from sklearn.metrics import cohen_kappa_score
    from statsmodels.stats.inter_rater import cohens_kappa

    rng = np.random.default_rng(8)
    a = rng.integers(0, 4, 200)
    b = np.clip(a + rng.integers(-1, 2, 200), 0, 3)
    res = ag.cohen_kappa_from_ratings(a, b, weights=weights)
    assert float(res) == pytest.approx(cohen_kappa_score(a, b, weights=weights), abs=1e-12)
    table = pd.crosstab(a, b).to_numpy()
    sm = cohens_kappa(table, wt=weights, return_results=True)
    assert res.se == pytest.approx(np.sqrt(sm.var_kappa), rel=1e-9)
    assert res.se0 == pytest.approx(np.sqrt(sm.var_kappa0), rel=1e-9)


def test_cohen_kappa_words_use_grade_order():
    from sklearn.metrics import cohen_kappa_score

    a = ["优秀", "良好", "一般", "良好", "较差", "优秀"]
    b = ["良好", "良好", "一般", "优秀", "一般", "优秀"]
    res = ag.cohen_kappa_from_ratings(a, b, weights="linear")
    ca, cb = ag.encode_grades(a), ag.encode_grades(b)
    assert float(res) == pytest.approx(cohen_kappa_score(ca, cb, weights="linear", labels=[1, 2, 3, 4]))


def test_fleiss_null_se_matches_simulation():
    # Under kappa = 0 (raters pick categories at random with shares p) the SD of kappa over samples
    # should match the Fleiss, Nee & Landis (1979) null SE. Independent vectorised kappa here.
    rng = np.random.default_rng(21)
    p, units, raters, reps = np.array([0.2, 0.5, 0.3]), 60, 5, 3000
    counts = rng.multinomial(raters, p, size=(reps, units))
    pj = counts.sum(axis=1) / (units * raters)
    pbar = (((counts**2).sum(axis=2) - raters) / (raters * (raters - 1))).mean(axis=1)
    pe = (pj**2).sum(axis=1)
    kappas = (pbar - pe) / (1 - pe)
    se0 = np.mean([ag.fleiss_kappa(c).se0 for c in counts[:50]])
    assert kappas.std() == pytest.approx(se0, rel=0.08)


def test_kendall_w_matches_friedman():
    rng = np.random.default_rng(4)
    x = rng.integers(1, 6, (12, 4)).astype(float)  # ties within raters
    res = ag.kendall_w(x)
    chi2, pval = sps.friedmanchisquare(*x)  # units are the treatments, raters the blocks
    assert res.chi2 == pytest.approx(chi2, rel=1e-10)
    assert res.pval == pytest.approx(pval, rel=1e-10)
    assert res.w == pytest.approx(chi2 / (4 * 11), rel=1e-10)
    pg = pytest.importorskip("pingouin")
    long = (
        pd.DataFrame(x)
        .rename_axis("unit")
        .reset_index()
        .melt(id_vars="unit", var_name="rater", value_name="y")
    )
    ref = pg.friedman(data=long, dv="y", within="unit", subject="rater")
    assert res.W == pytest.approx(float(ref["W"].iloc[0]), rel=1e-10)


def test_kendall_w_no_ties_by_hand():
    # 3 raters rank 4 units (no ties): rank sums 4, 8, 6, 12, mean 7.5 ->
    # S = 3.5^2 + 0.5^2 + 1.5^2 + 4.5^2 = 35, W = 12 S / (m^2 (n^3 - n)) = 420 / 540.
    x = np.array([[1, 2, 1], [2, 3, 3], [3, 1, 2], [4, 4, 4]])
    res = ag.kendall_w(x)
    assert float(res) == pytest.approx(420 / 540)
    assert res.chi2 == pytest.approx(3 * 3 * 420 / 540) and res.df == 3


# ---------------------------------------------------------------- properties


def test_perfect_agreement_gives_one():
    x = np.array([[1, 1, 1], [2, 2, 2], [4, 4, 4], [3, 3, 3], [2, 2, 2]], dtype=float)
    res = ag.icc(x)
    np.testing.assert_allclose(res["icc"], 1.0)
    np.testing.assert_allclose(res[["ci_low", "ci_high"]], 1.0)
    for level in ("nominal", "ordinal", "interval", "ratio"):
        assert float(ag.krippendorff_alpha(x, level=level)) == pytest.approx(1.0)
    assert float(ag.cohen_kappa_from_ratings(x[:, 0], x[:, 1])) == pytest.approx(1.0)
    assert float(ag.fleiss_kappa(ag.category_counts(x))) == pytest.approx(1.0)
    assert float(ag.kendall_w(x)) == pytest.approx(1.0)


ratings_with_missing = st.integers(0, 2**32 - 1).map(
    lambda s: _with_missing(
        np.random.default_rng(s).integers(1, 6, (15, 4)), 0.2, np.random.default_rng(s + 1)
    )
)


@settings(max_examples=40, deadline=None)
@given(ratings_with_missing, st.sampled_from(["nominal", "ordinal", "interval", "ratio"]), st.randoms())
def test_alpha_invariant_to_permuting_raters_and_units(x, level, rnd):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WorkbenchWarning)
        base = float(ag.krippendorff_alpha(x, level=level))
        rows, cols = list(range(x.shape[0])), list(range(x.shape[1]))
        rnd.shuffle(rows)
        rnd.shuffle(cols)
        permuted = float(ag.krippendorff_alpha(x[rows][:, cols], level=level))
    assert permuted == pytest.approx(base, abs=1e-12, nan_ok=True)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 30), min_size=3, max_size=3), min_size=3, max_size=3),
    st.sampled_from([None, "linear", "quadratic"]),
)
def test_kappa_symmetric_under_transpose(table, weights):
    t = np.array(table, dtype=float)
    t[0, 0] += 1  # at least one count
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WorkbenchWarning)
        k1, k2 = ag.cohen_kappa(t, weights), ag.cohen_kappa(t.T, weights)
    assert float(k1) == pytest.approx(float(k2), abs=1e-12, nan_ok=True)
    assert k1.se == pytest.approx(k2.se, abs=1e-12, nan_ok=True)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(-50, 50), st.floats(0.1, 10))
def test_icc_invariant_to_linear_rescaling(seed, shift, scale):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(8, 3)) + rng.normal(size=(8, 1))
    np.testing.assert_allclose(ag.icc(x * scale + shift)["icc"], ag.icc(x)["icc"], atol=1e-9)
    # consistency forms ignore a rater's constant offset
    offset = x + np.array([0.0, 5.0, -3.0])
    np.testing.assert_allclose(
        ag.icc(offset).loc[["ICC3", "ICC3k"], "icc"], ag.icc(x).loc[["ICC3", "ICC3k"], "icc"]
    )


@settings(max_examples=50, deadline=None)
@given(st.floats(0.05, 0.95), st.floats(0.05, 0.98))
def test_raters_needed_reaches_target_and_is_minimal(rel, target):
    k = ag.raters_needed(rel, target)
    assert ag.spearman_brown(rel, k) >= target - 1e-9
    if k > 1:
        assert ag.spearman_brown(rel, k - 1) < target


def test_labelled_input_gives_labelled_output():
    x = pd.DataFrame([[1, 2, 2], [3, 3, 4], [5, 4, 5]], index=["甲", "乙", "丙"], columns=["张", "王", "李"])
    counts = ag.category_counts(x)
    assert list(counts.index) == ["甲", "乙", "丙"] and list(counts.columns) == [1, 2, 3, 4, 5]
    assert list(ag.rater_effects(x).table.index) == ["张", "王", "李"]
    assert list(ag.regrade_probability(x, [2.5], n=10, seed=0).probability.index) == ["甲", "乙", "丙"]


# ---------------------------------------------------------------- rater effects


def test_rater_effects_hand_example():
    x = pd.DataFrame({"A": [3, 2, 4, 1], "B": [3, 2, 4, 2], "C": [4, 3, 4, 3]}, dtype=float)
    res = ag.rater_effects(x)
    # independent: deviations from the other two raters' mean, over the pooled within-rater SD
    pooled = np.sqrt(sum(x[c].var(ddof=1) * 3 for c in x) / 9)
    for c in x:
        others = x.drop(columns=c).mean(axis=1)
        dev = (x[c] - others) / pooled
        assert res.table.at[c, "leniency"] == pytest.approx(dev.mean())
        t = sps.ttest_1samp(dev, 0)
        assert res.table.at[c, "pval"] == pytest.approx(t.pvalue)
        assert res.table.at[c, "sd_ratio"] == pytest.approx(x[c].std(ddof=1) / pooled)
    assert res.table.at["C", "top_share"] == pytest.approx(0.5)  # two 4s out of four
    assert res.pooled_sd.iloc[0] == pytest.approx(pooled)


def _panel(seed=0, units=300):
    rng = np.random.default_rng(seed)
    true = rng.normal(80, 8, units)
    items = {}
    for item in ["思想建设", "组织建设", "作风建设", "中心工作"]:
        ti = true + rng.normal(0, 6, units)
        cols = {
            r: ti + bias + rng.normal(0, 4, units) for r, bias in zip(["张", "王", "李", "赵"], [0, 4, -4, 0])
        }
        cols["赵"] = true + rng.normal(0, 2, units)  # rates a general impression: halo
        cols["自评"] = ti + 3 + rng.normal(0, 4, units)  # self-rating about 0.3 SD high
        items[item] = pd.DataFrame(cols)
    return items


def test_rater_effects_detects_leniency_self_gap_and_halo():
    res = ag.rater_effects(_panel(), self_rater="自评")
    t = res.table
    # 王 is +4 points against others averaging (0 - 4 + 0) / 3: +16/3 points over the pooled SD
    sd = res.pooled_sd.mean()
    assert t.at["王", "leniency"] == pytest.approx(16 / 3 / sd, abs=0.1)
    assert t.at["李", "leniency"] == pytest.approx(-16 / 3 / sd, abs=0.1)
    assert t.at["王", "verdict_zh"].startswith("偏宽松：平均比其他评委高0.")
    assert t.at["李", "verdict_zh"].startswith("偏严格：平均比其他评委低0.")
    assert t.at["王", "verdict_en"].startswith("lenient: 0.")
    assert res.self_gap == pytest.approx(0.3, abs=0.1) and res.self_gap_pval < 1e-6
    assert "自评偏高" in t.at["自评", "verdict_zh"]
    assert "晕轮效应" in t.at["赵", "verdict_zh"] and t.at["赵", "halo_gap"] > 0.2
    assert t.at["张", "verdict_zh"] == "未见明显偏差" and t.at["张", "verdict_en"] == "no notable effect"


def test_rater_effects_long_table_equals_dict_of_items():
    items = _panel(units=40)
    long = pd.concat(
        {
            k: v.rename_axis("unit").reset_index().melt(id_vars="unit", var_name="rater", value_name="score")
            for k, v in items.items()
        },
        names=["item", None],
    ).reset_index(level=0)
    a = ag.rater_effects(items, self_rater="自评").table
    b = ag.rater_effects(long, self_rater="自评").table.loc[a.index]
    np.testing.assert_allclose(a[["leniency", "halo", "sd_ratio"]], b[["leniency", "halo", "sd_ratio"]])


def test_rater_effects_grade_words_and_restriction_of_range():
    g = pd.DataFrame(
        {
            "甲": ["优秀"] * 17 + ["良好"] * 3,
            "乙": (["优秀", "良好", "一般", "良好", "较差"] * 4),
            "丙": (["良好", "良好", "一般", "优秀", "一般"] * 4),
        }
    )
    res = ag.rater_effects(g)
    assert res.table.at["甲", "top_share"] == pytest.approx(0.85)
    assert "评分集中在优秀（85%）" in res.table.at["甲", "verdict_zh"]
    assert "ratings concentrated in 优秀 (85%)" in res.table.at["甲", "verdict_en"]
    assert "区分度低" in res.table.at["甲", "verdict_zh"]
    assert set(ag.rater_effects(g, test="wilcoxon").table["pval"].between(0, 1)) == {True}


# ---------------------------------------------------------------- comparing scorings


def test_compare_scorings_by_hand():
    a = pd.Series([95, 85, 70, 50, 88], index=list("ABCDE"), name="定性")
    b = pd.Series([88, 91, 65, 55, 92], index=list("ABCDE"), name="定量")
    res = ag.compare_scorings(a, b, bands=BANDS, top=2)
    # ranks under a: A1 E2 B3 C4 D5; under b: E1 B2 A3 C4 D5 -> |shifts| 2,1,0,0,1
    assert res.table["shift"].tolist() == [-2, 1, 0, 0, 1]
    assert res.mean_abs_rank_shift == pytest.approx(0.8)
    assert res.spearman == pytest.approx(sps.spearmanr(a, b).statistic)
    assert res.kendall_tau == pytest.approx(0.6)  # 8 concordant, 2 discordant pairs of 10
    assert res.n_changed_grade == 3
    assert list(res.transitions.index) == ["优秀", "良好", "一般", "较差"]
    assert res.transitions.loc["良好", "优秀"] == 2 and res.transitions.loc["优秀", "良好"] == 1
    assert res.movers.index[0] == "A" and len(res.movers) == 2
    diff = a - b
    assert res.bland_altman.bias == pytest.approx(diff.mean())
    assert res.bland_altman.loa_high == pytest.approx(diff.mean() + 1.959964 * diff.std(ddof=1), rel=1e-6)


def test_compare_scorings_identical_and_direct_grades():
    s = pd.Series([70.0, 80, 90, 60])
    res = ag.compare_scorings(
        s, s, grades=(["一般", "良好", "优秀", "一般"], ["一般", "良好", "良好", "一般"])
    )
    assert res.spearman == pytest.approx(1) and res.mean_abs_rank_shift == 0 and res.bland_altman.bias == 0
    assert res.n_changed_grade == 1 and res.transitions.loc["优秀", "良好"] == 1


def test_mix_scorings_vectorised_over_shares():
    qual = pd.Series([95, 70, 85, 60], index=["甲", "乙", "丙", "丁"])
    quant = pd.Series([80, 92, 88, 75], index=qual.index)
    res = ag.mix_scorings(qual, quant, bands=BANDS)
    assert res.scores.shape == (4, 11)
    np.testing.assert_allclose(res.scores[0.3], 0.3 * qual + 0.7 * quant)
    assert res.by_share.loc[0.0, "n_changed_grade"] == 0
    # share 1: grades are those of the qualitative scores; changes counted against quant's grades
    direct = ag.compare_scorings(qual, quant, bands=BANDS)
    assert res.by_share.loc[1.0, "n_changed_grade"] == direct.n_changed_grade
    assert res.by_share.loc[0.0, "top_units"] == "乙" and res.by_share.loc[1.0, "top_units"] == "甲"
    assert (res.grade_counts.sum(axis=1) == 4).all() and list(res.grade_counts.columns)[0] == "优秀"
    assert res.ranks.loc["甲", 1.0] == 1


# ---------------------------------------------------------------- panel resampling


def test_regrade_probability_matches_normal_theory():
    rng = np.random.default_rng(2)
    # rater offsets summing to 0 leave the unit means and the residual variance unchanged
    x = rng.normal(80, 8, 40)[:, None] + rng.normal(0, 4, (40, 5)) + np.array([0, 2, -2, 1, -1])
    res = ag.regrade_probability(x, BANDS, n=20000, seed=7, true_score="observed")
    # independent: observed mean + N(0, MSE / k); P(leaving the band) from the normal CDF
    resid = x - x.mean(1, keepdims=True) - x.mean(0) + x.mean()
    mse = (resid**2).sum() / (39 * 4)
    m, sd = x.mean(1), np.sqrt(mse / 5)
    cuts = np.array([0, 60, 80, 90, np.inf])
    g = np.searchsorted(cuts, m, side="right") - 1
    stay = sps.norm.cdf((cuts[g + 1] - m) / sd) - sps.norm.cdf((cuts[g] - m) / sd)
    np.testing.assert_allclose(res.probability, 1 - stay, atol=0.015)
    assert res.sigma_error == pytest.approx(np.sqrt(mse))
    assert res.icc_single == pytest.approx(ag.icc(x).loc["ICC2", "icc"])


def test_regrade_probability_reproducible_and_options():
    rng = np.random.default_rng(3)
    x = rng.normal(80, 8, 30)[:, None] + rng.normal(0, 4, (30, 4)) + np.array([0, 3, -3, 1])
    x[0, 1] = np.nan
    with pytest.warns(WorkbenchWarning, match="dropped 1"):
        r1 = ag.regrade_probability(x, BANDS, n=300, seed=5, leniency=True, return_draws=True)
        r2 = ag.regrade_probability(x, BANDS, n=300, seed=5, leniency=True, return_draws=True)
    pd.testing.assert_frame_equal(r1.table, r2.table)
    assert r1.draws.shape == (300, 30) and r1.table.at[0, "n_raters"] == 3
    probs = r1.table[[f"p_{g}" for g in BANDS]].sum(axis=1)
    np.testing.assert_allclose(probs, 1.0)
    np.testing.assert_allclose(r1.table["p_up"] + r1.table["p_down"], r1.table["p_change"])


def test_regrade_probability_no_noise_never_changes():
    x = np.repeat(np.array([[95.0], [85], [70], [40]]), 3, axis=1)
    res = ag.regrade_probability(x, [60, 80, 90], n=100, seed=0)
    assert (res.probability == 0).all() and res.table["grade"].tolist() == [3, 2, 1, 0]


# ---------------------------------------------------------------- encode_grades and bad input


def test_encode_grades_codes_and_passthrough():
    t = pd.DataFrame(
        {"r1": ["优秀", " 良好", None, 85], "r2": ["一般", "较差", "", "90"]}, index=list("ABCD")
    )
    out = ag.encode_grades(t)
    assert out.to_numpy().tolist()[:2] == [[4.0, 2.0], [3.0, 1.0]]
    assert np.isnan(out.loc["C"]).all() and out.loc["D"].tolist() == [85.0, 90.0]
    assert isinstance(ag.encode_grades(["优秀"]), np.ndarray)
    assert ag.encode_grades(["A", "B"], order=["B", "A"], start=0).tolist() == [1.0, 0.0]


def test_encode_grades_unknown_word_names_row_and_column():
    t = pd.DataFrame({"张": ["优秀", "良"], "王": ["好", "一般"]}, index=["单位1", "单位2"])
    with pytest.raises(DataError) as err:
        ag.encode_grades(t)
    assert len(err.value.problems) == 2
    msg = str(err.value)
    assert "'良'" in msg and "单位2" in msg and "column '张'" in msg and "column '王'" in msg
    with pytest.raises(DataError, match="unknown grade word"):
        ag.icc(t)


def test_bad_inputs_raise_typed_errors():
    with pytest.raises(DataError, match="square"):
        ag.cohen_kappa([[1, 2, 3], [4, 5, 6]])
    with pytest.raises(DataError, match="non-negative"):
        ag.cohen_kappa([[1, -2], [3, 4]])
    with pytest.raises(SpecError, match="'weights' parameter of cohen_kappa"):
        ag.cohen_kappa([[1, 2], [3, 4]], weights="cubic")
    with pytest.raises(DataError, match="same categories"):
        ag.cohen_kappa(pd.DataFrame([[1, 2], [3, 4]], index=["a", "b"], columns=["a", "c"]))
    with pytest.raises(DataError, match="at least 2 raters"):
        ag.icc([[1], [2], [3]])
    with pytest.raises(DataError, match="at least 2 units"):
        ag.krippendorff_alpha([[1, 2, 3]])
    with pytest.raises(DataError, match="complete units"):
        ag.icc([[1, np.nan], [np.nan, 2], [3, 3]])
    with pytest.raises(SpecError, match="'level' parameter of krippendorff_alpha"):
        ag.krippendorff_alpha([[1, 2], [2, 3]], level="cardinal")
    with pytest.raises(DataError, match="two or more ratings"):
        ag.krippendorff_alpha([[1, np.nan], [np.nan, 2]])
    with pytest.raises(DataError, match=r"units \['2'\]"):
        ag.fleiss_kappa([[2, 1], [1, 2], [1, 1]])
    with pytest.raises(DataError):
        ag.icc(np.ones(5))
    with pytest.raises(SpecError, match="target"):
        ag.raters_needed(0.5, 1.2)
    with pytest.raises(SpecError, match="reliability_single"):
        ag.raters_needed(0.0, 0.8)
    with pytest.raises(SpecError, match="self_rater"):
        ag.rater_effects(pd.DataFrame({"a": [1, 2], "b": [2, 3]}), self_rater="c")
    with pytest.raises(DataError, match="2 raters besides"):
        ag.rater_effects(pd.DataFrame({"a": [1, 2, 3], "b": [2, 3, 3]}), self_rater="b")
    with pytest.raises(DataError, match="different units"):
        ag.compare_scorings(pd.Series([1, 2], index=["a", "b"]), pd.Series([1, 2], index=["a", "c"]))
    with pytest.raises(SpecError, match="shares"):
        ag.mix_scorings([1, 2], [2, 3], shares=[0, 1.5])
    with pytest.raises(SpecError, match="strictly increasing"):
        ag.regrade_probability([[1, 2], [3, 4]], [80, 60])
    with pytest.raises(SpecError, match="'n' parameter"):
        ag.regrade_probability([[1, 2], [3, 4]], [2], n=0)


def test_identical_ratings_give_documented_nan():
    x = np.full((5, 3), 3.0)
    with pytest.warns(WorkbenchWarning, match="identical"):
        assert ag.icc(x)["icc"].isna().all()
    with pytest.warns(WorkbenchWarning, match="same value"):
        assert np.isnan(ag.krippendorff_alpha(x))
    with pytest.warns(WorkbenchWarning, match="chance agreement is 1"):
        assert np.isnan(ag.cohen_kappa([[10, 0], [0, 0]]))
    with pytest.warns(WorkbenchWarning, match="one category"):
        assert np.isnan(ag.fleiss_kappa([[3, 0], [3, 0]]))
    with pytest.warns(WorkbenchWarning, match="same score"):
        assert np.isnan(ag.kendall_w(x))
    with pytest.raises(DataError, match="no spread"):
        ag.rater_effects(x)


def test_results_render_and_behave_as_numbers():
    res = ag.cohen_kappa([[20, 5], [10, 15]])
    assert "Cohen's kappa" in repr(res) and "<div" in res._repr_html_()
    assert res + 0.1 == pytest.approx(0.5) and f"{res:.2f}" == "0.40"
    assert ag.krippendorff_alpha([[1, 1], [2, 2], [3, 2]]).to_frame().shape[0] == 1
    assert "优秀" in repr(ag.compare_scorings([95, 70], [85, 91], bands=BANDS))


# ---------------------------------------------------------------- issue 5: bad input, undefined agreement


def test_undefined_agreement_prints_undefined_not_nan():
    # Every rating identical: agreement is undefined (0/0). Programs still get NaN; people read why.
    x = pd.DataFrame(np.full((5, 3), 3.0), columns=["张", "王", "李"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WorkbenchWarning)
        results = [
            ag.krippendorff_alpha(x, level="interval"),
            ag.cohen_kappa([[10, 0], [0, 0]]),
            ag.fleiss_kappa([[3, 0], [3, 0]]),
            ag.kendall_w(x),
        ]
    for res in results:
        assert np.isnan(float(res)) and res.undefined
        for text in (repr(res), str(res), res._repr_html_(), res.to_frame().to_string()):
            assert "undefined" in text and "nan" not in text.lower()
        with use_language("zh"):
            assert "无定义" in repr(res) and "说明" in repr(res)  # the note, in Chinese
        assert "agreement is undefined (0/0)" in repr(res)
    for res in results[:3]:
        assert "undefined (all ratings identical)" in repr(res)
        assert res.to_frame().iloc[0, 0] == "undefined (all ratings identical)"
    assert "undefined (every rater scored all units alike)" in repr(results[3])
    # a defined result keeps plain numbers and no note
    ok = ag.cohen_kappa([[20, 5], [10, 15]])
    assert not ok.undefined and "undefined" not in repr(ok) and ok.to_frame()["kappa"].dtype == float


def test_icc_all_identical_has_note_and_explicit_warning():
    x = np.full((6, 4), 80.0)
    with pytest.warns(
        WorkbenchWarning, match=r"all ratings are identical .*every rating .* is 80.*undefined \(0/0\)"
    ):
        res = ag.icc(x)
    assert res["icc"].isna().all()  # numbers stay NaN for programs
    assert res.attrs["note"].startswith("undefined (all ratings identical")
    assert "所有评分相同" in res.attrs["note_zh"]
    assert ag.icc(np.arange(12.0).reshape(4, 3) + np.array([[0], [5], [2], [9]])).attrs["note"] is None


def test_compare_scorings_constant_scoring_says_undefined():
    with pytest.warns(WorkbenchWarning, match="same score"):
        res = ag.compare_scorings([80, 80, 80], [70, 90, 85])
    assert np.isnan(res.spearman)
    assert "Spearman: undefined" in repr(res) and "nan" not in repr(res).lower()


def test_empty_rater_column_is_named():
    # Decision: estimators needing every rater on every unit (icc, kendall_w, regrade_probability) raise a
    # DataError naming the empty column; those that allow missing ratings (krippendorff_alpha,
    # rater_effects) drop it with a WorkbenchWarning naming it.
    rng = np.random.default_rng(7)
    x = pd.DataFrame(rng.integers(1, 6, (12, 3)).astype(float), columns=["张", "王", "赵"])
    x["李"] = np.nan
    for call in (ag.icc, ag.kendall_w, lambda t: ag.regrade_probability(t, [2.5], n=10, seed=0)):
        with pytest.raises(DataError, match=r"\['李'\] have no ratings") as err:
            call(x)
        assert err.value.column == "李"
    kd = pytest.importorskip("krippendorff")
    with pytest.warns(WorkbenchWarning, match=r"dropped rater column\(s\) \['李'\]"):
        alpha = ag.krippendorff_alpha(x, level="ordinal")
    expected = kd.alpha(reliability_data=x[["张", "王", "赵"]].to_numpy().T, level_of_measurement="ordinal")
    assert float(alpha) == pytest.approx(expected, abs=1e-12)
    with pytest.warns(WorkbenchWarning, match=r"\['李'\]"):
        effects = ag.rater_effects(x)
    assert list(effects.table.index) == ["张", "王", "赵"]
    with pytest.raises(DataError, match="self-rating column '李' has no ratings"):
        ag.rater_effects(x, self_rater="李")
    with pytest.raises(DataError, match="rater 'b' has no ratings"):
        ag.cohen_kappa_from_ratings(["优秀", "良好"], [None, np.nan])


def test_fewer_than_two_raters():
    one = pd.DataFrame({"张": [1.0, 2.0, 3.0]})
    for call in (ag.krippendorff_alpha, ag.kendall_w, ag.rater_effects, ag.icc):
        with pytest.raises(DataError, match="at least 2 raters"):
            call(one)
    # two columns, one of them empty: one rater left after dropping it
    with pytest.raises(DataError, match=r"at least 2 raters with ratings.*\['王'\]") as err:
        ag.krippendorff_alpha(one.assign(王=np.nan))
    assert err.value.column == "王"


def test_grade_order_mistakes_are_named():
    words = pd.DataFrame({"张": ["优秀", "良好", "一般"], "王": ["良好", "良好", "较差"]})
    # best first instead of worst first: every inverted pair is named
    with pytest.raises(SpecError, match=r"'优秀' before '良好'.*'一般' before '较差'") as err:
        ag.encode_grades(words, order=["优秀", "良好", "一般", "较差"])
    assert err.value.key == "order"
    with pytest.raises(SpecError, match=r"'良好' before '一般'"):
        ag.krippendorff_alpha(words, level="ordinal", order=["较差", "良好", "一般", "优秀"])
    with pytest.raises(SpecError, match=r"'合格' before '基本合格'.*hint.*\['不合格', '基本合格', '合格'\]"):
        ag.encode_grades([["合格"]], order=["合格", "基本合格", "不合格"])
    with pytest.raises(SpecError, match=r"repeated: \['一般'\]"):
        ag.encode_grades(words, order=["较差", "一般", "一般"])
    with pytest.raises(SpecError, match="sequence of categories"):
        ag.encode_grades(words, order="较差一般良好优秀")
    # an order that does not contain a word of the table: the cell is named
    with pytest.raises(DataError, match=r"(?s)krippendorff_alpha.*row 4, column '王'.*'较差'"):
        ag.krippendorff_alpha(words, level="ordinal", order=["一般", "良好", "优秀"])
    # numeric codes with an explicit order that contradicts their values, or a code not listed
    codes = np.array([[1, 2], [3, 3], [2, 1]], dtype=float)
    with pytest.raises(SpecError, match=r"numeric codes out of increasing order \(3 before 1\)"):
        ag.krippendorff_alpha(codes, level="ordinal", order=[3, 1, 2])
    with pytest.raises(DataError, match=r"row 3, column '0': rating 3 .*not among the categories"):
        ag.encode_grades(codes, order=[1, 2])
    # weighted kappa reads categories as ordered; unweighted kappa does not care about their order
    a, b = ["优秀", "良好", "一般"], ["良好", "良好", "较差"]
    with pytest.raises(SpecError, match=r"'categories' parameter .* '优秀' before '良好'"):
        ag.cohen_kappa_from_ratings(a, b, categories=["优秀", "良好", "一般", "较差"], weights="linear")
    unweighted = ag.cohen_kappa_from_ratings(a, b, categories=["优秀", "良好", "一般", "较差"])
    assert float(unweighted) == pytest.approx(float(ag.cohen_kappa_from_ratings(a, b)))


def test_explicit_order_matches_krippendorff_on_codes():
    kd = pytest.importorskip("krippendorff")
    order = ["不合格", "基本合格", "合格", "良好", "优秀"]
    words = pd.DataFrame(
        [
            ["合格", "良好", None],
            ["不合格", "基本合格", "基本合格"],
            ["优秀", "优秀", "良好"],
            [None, "合格", "合格"],
        ]
    )
    codes = words.apply(lambda c: c.map({w: i + 1 for i, w in enumerate(order)})).to_numpy(dtype=float)
    for level in ("ordinal", "interval"):
        expected = kd.alpha(reliability_data=codes.T, level_of_measurement=level)
        assert float(ag.krippendorff_alpha(words, level=level, order=order)) == pytest.approx(
            expected, abs=1e-12
        )
    res = ag.krippendorff_alpha(words, level="ordinal", order=order)
    assert list(res.coincidence.index) == order
    # numeric codes listed in increasing order are accepted and change nothing
    assert float(ag.krippendorff_alpha(codes, level="ordinal", order=[1, 2, 3, 4, 5])) == pytest.approx(
        kd.alpha(reliability_data=codes.T, level_of_measurement="ordinal"), abs=1e-12
    )
