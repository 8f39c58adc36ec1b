"""Tests of workbench.mcda.rsr: the textbook example, independent recomputation, properties, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from workbench.errors import DataError, SpecError
from workbench.mcda import TIER_PROBITS, rsr

# The RSR example of Sun Zhenqiu (ed.), Medical Statistics (医学统计学, 秩和比法): maternal care in
# 10 regions, antenatal examination rate (higher is better), maternal and perinatal mortality (lower
# is better); the table circulated with Tian Fengtiao's method in teaching material and code.
TEN = pd.DataFrame(
    {
        "产前检查率": [99.54, 96.52, 99.36, 92.83, 91.71, 95.35, 96.09, 99.27, 94.76, 84.80],
        "孕产妇死亡率": [60.27, 59.67, 43.91, 58.99, 35.40, 44.71, 49.81, 31.69, 22.91, 81.49],
        "围产儿死亡率": [16.15, 20.10, 15.60, 17.04, 15.01, 13.93, 17.43, 13.89, 19.87, 23.63],
    },
    index=list("ABCDEFGHIJ"),
)
DIRS = [1, -1, -1]


def test_ten_regions_ranks_and_rsr_by_hand():
    res = rsr(TEN, directions=DIRS)
    # ranks worked out by hand from the table (best = 10; mortality ranked from the highest = 1)
    expected = pd.DataFrame(
        {
            "产前检查率": [10, 7, 9, 3, 2, 5, 6, 8, 4, 1],
            "孕产妇死亡率": [2, 3, 7, 4, 8, 6, 5, 9, 10, 1],
            "围产儿死亡率": [6, 2, 7, 5, 8, 9, 4, 10, 3, 1],
        },
        index=TEN.index,
        dtype=float,
    )
    pd.testing.assert_frame_equal(res.ranks, expected)
    np.testing.assert_allclose(res.rsr, expected.sum(axis=1) / 30)
    assert res.rank["H"] == 1 and res.rank["J"] == 10 and res.rank["B"] == res.rank["D"] == 8


def test_probit_regression_against_statsmodels():
    res = rsr(TEN, directions=DIRS)
    d = res.distribution
    # distinct RSR values ascending with frequencies; mean ranks by hand (e.g. 0.4 occupies ranks 2-3)
    assert d["f"].tolist() == [1, 2, 1, 1, 2, 1, 1, 1]
    assert d["mean_rank"].tolist() == [1, 2.5, 4, 5, 6.5, 8, 9, 10]
    pct = np.array([1, 2.5, 4, 5, 6.5, 8, 9, 10]) / 10
    pct[-1] = 1 - 1 / 40
    np.testing.assert_allclose(d["probit"], 5 + sps.norm.ppf(pct))
    fit = sm.OLS(d["rsr"].to_numpy(), sm.add_constant(d["probit"].to_numpy())).fit()
    reg = res.regression
    assert reg["intercept"] == pytest.approx(fit.params[0], rel=1e-10)
    assert reg["slope"] == pytest.approx(fit.params[1], rel=1e-10)
    assert reg["r2"] == pytest.approx(fit.rsquared, rel=1e-10)
    assert reg["f"] == pytest.approx(fit.fvalue, rel=1e-8) and reg["pval"] == pytest.approx(
        fit.f_pvalue, rel=1e-6
    )
    np.testing.assert_allclose(res.fitted, fit.params[0] + fit.params[1] * res.probit)


def test_tiers_follow_the_probit_table():
    res = rsr(TEN, directions=DIRS)
    t = res.tier_table
    assert t["units"].tolist() == ["J", "A, B, D, E, F, G, I", "C, H"]
    assert t["label"].tolist() == ["下", "中", "上"]
    cut = res.regression["intercept"] + res.regression["slope"] * np.array([4.0, 6.0])
    expected = np.where(res.fitted < cut[0], 1, np.where(res.fitted < cut[1], 2, 3))
    assert res.tier.tolist() == expected.tolist()
    four = rsr(TEN, directions=DIRS, tiers=4)
    assert four.tier_table["n_units"].sum() == 10 and len(four.tier_table) == 4


def test_tier_table_percentiles_match_the_published_table():
    # 常用分档数与百分位数、概率单位对照表 (Tian Fengtiao; Sun Zhenqiu, Medical Statistics): percentile
    # boundaries printed with the probits 4/6, 3.5/5/6.5, 3.2/4.4/5.6/6.8, 3/4/5/6/7.
    published = {
        3: [15.866, 84.134],
        4: [6.681, 50.0, 93.319],
        5: [3.593, 27.425, 72.575, 96.407],
        6: [2.275, 15.866, 50.0, 84.134, 97.725],
    }
    for k, pcts in published.items():
        res = rsr(TEN, directions=DIRS, tiers=k)
        np.testing.assert_allclose(res.tier_table["percentile_to"].iloc[:-1], pcts, atol=5e-4)
        assert tuple(res.tier_table["probit_to"].iloc[:-1]) == TIER_PROBITS[k]


def test_non_integer_and_weighted_by_hand():
    res = rsr(TEN, directions=DIRS, method="non_integer")
    x = TEN["产前检查率"]
    r1 = 1 + 9 * (x - x.min()) / (x.max() - x.min())
    m = TEN["孕产妇死亡率"]
    r2 = 1 + 9 * (m.max() - m) / (m.max() - m.min())
    np.testing.assert_allclose(res.ranks["产前检查率"], r1)
    np.testing.assert_allclose(res.ranks["孕产妇死亡率"], r2)
    w = {"产前检查率": 0.5, "孕产妇死亡率": 0.3, "围产儿死亡率": 0.2}
    weighted = rsr(TEN, weights=w, directions=DIRS)
    base = rsr(TEN, directions=DIRS)
    np.testing.assert_allclose(weighted.rsr, (base.ranks * pd.Series(w)).sum(axis=1) / 10)


def test_cost_direction_equals_negated_column():
    a = rsr(TEN, directions=DIRS)
    b = rsr(TEN.assign(孕产妇死亡率=-TEN["孕产妇死亡率"], 围产儿死亡率=-TEN["围产儿死亡率"]))
    pd.testing.assert_series_equal(a.rsr, b.rsr)


tables = st.integers(0, 10_000).map(lambda s: np.random.default_rng(s).uniform(0.5, 50.0, (12, 4)))


@settings(max_examples=40, deadline=None)
@given(tables, st.integers(0, 3), st.sampled_from([np.log, np.sqrt, lambda v: v**3, np.exp]))
def test_integer_rsr_invariant_to_monotone_transformation(x, j, f):
    y = x.copy()
    y[:, j] = f(y[:, j])
    np.testing.assert_allclose(rsr(y).rsr, rsr(x).rsr)
    np.testing.assert_array_equal(rsr(y).tier, rsr(x).tier)


def test_bad_input():
    with pytest.raises(SpecError, match="sum to 0.9"):
        rsr(TEN, weights=[0.5, 0.2, 0.2], directions=DIRS)
    with pytest.raises(SpecError, match="weights must be finite and >= 0"):
        rsr(TEN, weights=[1.2, -0.2, 0.0], directions=DIRS)
    with pytest.raises(SpecError, match="tiers"):
        rsr(TEN, tiers=12)
    with pytest.raises(SpecError, match="method"):
        rsr(TEN, method="fractional")
    with pytest.raises(DataError, match="constant"):
        rsr(TEN.assign(c=1.0), method="non_integer")
    with pytest.raises(DataError, match="missing"):
        rsr(TEN.mask(TEN > 99))
    with pytest.raises(DataError, match="same RSR"):
        rsr(pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [3.0, 2.0, 1.0]}))
    with pytest.raises(DataError, match="at least 3"):
        rsr([[1.0, 2.0], [2.0, 1.0]])
