"""Anomaly checks of report data: planted anomalies in the bundled sample (recall and false flags),
hand-checked rule flags, robust statistics against scipy, and bad input."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import median_abs_deviation, norm

import workbench as wb
from workbench.anomalies import (
    check_report,
    checks_from_rubric,
    checks_from_table,
    loo_median,
    parse_checks,
    parse_periods,
    peer_z,
    series_change_z,
)
from workbench.errors import DataError, SpecError, WorkbenchWarning

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"


@pytest.fixture(scope="module")
def sample():
    filings = pd.read_csv(SAMPLES / "report_filings.csv", dtype={"unit": str})
    checks = checks_from_table(pd.read_csv(SAMPLES / "report_indicators.csv"))
    planted = pd.read_csv(SAMPLES / "planted_anomalies.csv", dtype={"unit": str})
    units = pd.read_csv(
        SAMPLES / "county_organs.csv", dtype={"unit": str}, usecols=["unit", "name", "category"]
    )
    return filings, checks, planted, units.set_index("unit")


def caught(flags: pd.DataFrame, planted: pd.DataFrame):
    """Per planted cell: the checks that flag it (a relation flag covers every cell it involves);
    and the flags that touch no planted cell (false flags)."""
    touched: dict = {}
    for r in flags.itertuples():
        for c in [r.indicator, *[c for c in str(r.related).split(", ") if c]]:
            touched.setdefault((r.unit, r.period, c), set()).add(r.check)
    plant = set(zip(planted["unit"], planted["period"], planted["indicator"]))
    hits = [touched.get(k, set()) for k in zip(planted["unit"], planted["period"], planted["indicator"])]
    false = [
        not ({(r.unit, r.period, c) for c in [r.indicator, *str(r.related).split(", ")]} & plant)
        for r in flags.itertuples()
    ]
    return hits, flags[np.array(false, dtype=bool)]


# ---------------------------------------------------------------------------- the bundled sample
def test_sample_planted_anomalies_all_found(sample):
    """data/samples/README.md: 116 planted cells (30 out_of_range, 30 total_mismatch, 28 jump,
    28 peer_deviation) in 59 departments on all 27 indicators; its documented checks use a peer
    threshold of 5 robust SDs. With that threshold every plant is caught by the check of its kind
    and nothing else is flagged."""
    filings, checks, planted, units = sample
    assert len(planted) == 116 and planted["indicator"].nunique() == 27
    rep = check_report(filings, checks, names=units["name"], peer_threshold=5)
    hits, false = caught(rep.flags, planted)
    own = {"out_of_range": {"out_of_range"}, "total_mismatch": {"total_mismatch"},
           "jump": {"jump", "cumulative_fall"}, "peer_deviation": {"peer_deviation"}}  # fmt: skip
    missed = [
        (p.unit, p.period, p.indicator, p.kind)
        for p, h in zip(planted.itertuples(), hits)
        if not (h & own[p.kind])
    ]
    assert missed == []  # recall 116 / 116, each by its own kind of check
    assert len(false) == 0  # no false flags
    assert rep.flags["unit"].nunique() == 59
    assert set(rep.flags["unit_name"]) <= set(units["name"])


def test_sample_with_default_threshold(sample):
    """At the default 3.5 (Iglewicz & Hoaglin) the peer check adds a couple of borderline flags."""
    filings, checks, planted, units = sample
    rep = check_report(filings, checks, names=units["name"])
    hits, false = caught(rep.flags, planted)
    assert all(hits)  # recall 116 / 116
    assert len(false) <= 5 and set(false["check"]) <= {"peer_deviation"}
    assert (false["score"].abs() < 5).all()


def test_sample_clean_values_give_no_flags(sample):
    filings, checks, planted, _ = sample
    clean = filings.set_index(["unit", "period"])
    for p in planted.itertuples():
        clean.loc[(p.unit, p.period), p.indicator] = p.clean_value
    rep = check_report(clean.reset_index(), checks, peer_threshold=5)
    assert len(rep.flags) == 0


def test_sample_by_category_and_shuffled(sample):
    """Peers within categories still catch every plant; row order and gaps do not matter."""
    filings, checks, planted, units = sample
    shuffled = filings.sample(frac=1.0, random_state=1)
    rep = check_report(shuffled, checks, category=units["category"], peer_threshold=5)
    hits, false = caught(rep.flags, planted)
    assert all(hits) and len(false) == 0
    assert set(rep.flags["category"]) <= set(units["category"])
    # dropping one filing: the unit's other months are still checked
    gap = filings.drop(index=filings.index[(filings["unit"] == "D010") & (filings["period"] == "2025-03")])
    rep2 = check_report(gap, checks, peer_threshold=5)
    assert len(rep2.flags) >= len(check_report(filings, checks, peer_threshold=5).flags) - 3


# ---------------------------------------------------------------------------- rule checks by hand
TABLE = pd.DataFrame(
    {
        "unit": ["A", "B", "C", "D"],
        "rate": [95.0, 101.0, 50.0, -1.0],
        "total": [10, 12, 7, 5],
        "full": [8, 10, 7, 3],
        "prob": [2, 1, 0, 2],
        "members": [10, 0, 3, 4],
        "branches": [1, 1, 0, 2],
        "paid": [90.0, 50.0, 10.0, 0.0],
        "due": [100.0, 50.0, 10.0, 0.0],
        "pay_rate": [90.0, 100.0, 90.0, 0.0],
        "count": ["３", "2.5", "无", "很多"],
    }
)
CHECKS = {
    "ranges": {"rate": [0, 100]},
    "integer": ["count"],
    "required": ["count"],
    "not_above": {"full": "total"},
    "sum": {"total": ["full", "prob"]},
    "ratio": {"pay_rate": {"num": "paid", "den": "due", "scale": 100, "tol": 0.05}},
    "conditions": [
        {"if": {"branches": 0}, "then": {"members": 0}, "reason_zh": "没有支部就不应有党员"},
        {"if": {"rate": {"between": [0, 60]}}, "then": {"branches": {">": 0}}},
    ],
    "names": {"rate": "参训率", "total": "党员总数"},
}


def test_rule_checks_by_hand():
    rep = check_report(TABLE, {**CHECKS, "peer": []}, period=None)
    got = {(r.unit, r.indicator, r.check) for r in rep.flags.itertuples()}
    expected = {
        ("B", "rate", "out_of_range"),  # 101 > 100
        ("D", "rate", "out_of_range"),  # -1 < 0
        ("B", "total", "total_mismatch"),  # 12 != 10 + 1
        ("C", "pay_rate", "total_mismatch"),  # 90 != 100 x 10 / 10
        ("C", "members", "impossible_combination"),  # 0 branches but 3 members
        ("C", "branches", "impossible_combination"),  # rate 50 in [0, 60] but 0 branches
        ("B", "count", "not_integer"),  # 2.5
        ("C", "count", "missing"),  # "无" is a missing token
        ("D", "count", "not_a_number"),  # "很多"
    }
    assert got == expected
    row = rep.flags.set_index(["unit", "indicator", "check"]).loc[("B", "total", "total_mismatch")]
    assert row["value"] == 12 and row["expected_low"] == 11 and row["related"] == "full, prob"
    assert row["reason_zh"] == "党员总数（12）不等于full＋prob（11）" and row["indicator_name"] == "党员总数"
    c = rep.flags.set_index(["unit", "indicator"]).loc[("C", "members")]
    assert c["reason_zh"] == "没有支部就不应有党员" and "impossible combination" in c["reason_en"]
    assert "A" not in set(rep.flags["unit"])  # unit A is clean


def test_checks_from_rubric_on_sample():
    """A rubric implies ranges: % items within 0-100, checklists within 0..items, counts >= 0."""
    rubric = wb.load_rubric(ROOT / "indicators" / "cq_organs.yaml")
    checks = checks_from_rubric(rubric)
    assert checks.ranges["org_three_one"] == (0.0, 100.0)
    assert checks.ranges["ldr_responsibility"] == (0.0, 10.0)
    assert checks.ranges["ldr_meetings"] == (0.0, None)
    assert "好" in checks.allowed["ldr_secretary_report"]
    data = pd.read_csv(SAMPLES / "county_organs.csv", dtype={"unit": str})
    no_peers = {"peer": []}  # rule checks only
    assert len(check_report(data, no_peers, rubric=rubric, period=None).flags) == 0  # the sample is clean
    bad = data.copy()
    bad.loc[3, "org_three_one"] = "１３０"  # full-width digits, as some departments type them
    bad.loc[5, "ldr_responsibility"] = 12
    bad.loc[7, "ldr_secretary_report"] = "优"
    rep = check_report(bad, no_peers, rubric=rubric, period=None)
    got = {(r.unit, r.indicator, r.check) for r in rep.flags.itertuples()}
    assert got == {
        (bad.loc[3, "unit"], "org_three_one", "out_of_range"),
        (bad.loc[5, "unit"], "ldr_responsibility", "out_of_range"),
        (bad.loc[7, "unit"], "ldr_secretary_report", "invalid_value"),
    }
    assert set(rep.flags["unit_name"]) <= set(data["name"])


# ---------------------------------------------------------------------------- robust statistics
def test_peer_z_matches_scipy():
    """Robust z = (x - median) / (1.4826 MAD); scipy's normal-scaled MAD is the reference
    (1.4826 = 1 / Phi^-1(0.75), Iglewicz & Hoaglin 1993)."""
    assert 1.4826 == pytest.approx(1 / norm.ppf(0.75), abs=1e-4)
    rng = np.random.default_rng(3)
    x = rng.normal(50, 5, (40, 6))
    x[3, 2] = 90
    z, med, scale = peer_z(x, np.array([0, 15, 40]))
    for a, b in ((0, 15), (15, 40)):
        block = x[a:b]
        ref_med = np.median(block, axis=0)
        ref_scale = median_abs_deviation(block, axis=0, scale=1 / 1.4826)
        np.testing.assert_allclose(med[a], ref_med)
        np.testing.assert_allclose(scale[a], ref_scale)
        np.testing.assert_allclose(z[a:b], (block - ref_med) / ref_scale)
    assert abs(z[3, 2]) > 3.5


def test_zero_mad_falls_back_to_mean_absolute_deviation():
    x = np.array([[100.0], [100.0], [100.0], [100.0], [90.0]])
    z, med, scale = peer_z(x, np.array([0, 5]))
    # MAD = 0; mean absolute deviation from the median = 2; scale = 1.2533 x 2
    assert med[0, 0] == 100 and scale[0, 0] == pytest.approx(1.2533 * 2)
    assert z[4, 0] == pytest.approx(-10 / (1.2533 * 2))


def test_loo_median_brute_force():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 9, (200, 12)).astype(float)
    x[rng.random(x.shape) < 0.15] = np.nan
    got = loo_median(x)
    for u in range(200):
        for t in range(12):
            other = np.delete(x[u], t)
            other = other[~np.isnan(other)]
            want = np.nan if np.isnan(x[u, t]) or other.size == 0 else np.median(other)
            assert got[u, t] == pytest.approx(want, nan_ok=True)


@settings(max_examples=50, deadline=None)
@given(a=st.floats(0.1, 100), b=st.floats(-1000, 1000), seed=st.integers(0, 1000))
def test_robust_z_affine_invariant(a, b, seed):
    """Property: a positive affine change of units (x -> a x + b) leaves robust z unchanged."""
    x = np.random.default_rng(seed).normal(size=(25, 3))
    z1, _, _ = peer_z(x, np.array([0, 25]))
    z2, _, _ = peer_z(a * x + b, np.array([0, 25]))
    np.testing.assert_allclose(z1, z2, rtol=1e-6, atol=1e-6)


def test_series_change_z_and_check():
    x = np.array([[10.0, 11, 10, 12, 11, 30, 31, 30, 32, 31, 30, 31]])
    z, d, scale = series_change_z(x)
    assert np.isnan(z[0, 0]) and np.nanargmax(np.abs(z[0])) == 5  # the level shift in month 6
    frame = pd.DataFrame({"unit": "U1", "period": [f"2025年{m}月" for m in range(1, 13)], "v": x[0]})
    with pytest.warns(WorkbenchWarning, match="1 unit"):  # one unit: no peers
        rep = check_report(frame, {"ranges": {"v": [0, None]}}, change_threshold=3.5, jump_ratio=None)
    assert rep.flags["check"].tolist() == ["change"] and rep.flags["period"].iloc[0] == "2025年6月"


# ---------------------------------------------------------------------------- periods
@pytest.mark.parametrize(
    "labels, ordinals, freq",
    [
        (["2025-01", "2025/2", "202503", "2025M04", "2025年5月", "2025-06-30"], [0, 1, 2, 3, 4, 5], "M"),
        (["2025Q1", "2025-Q2", "2025年第3季度", "2025年四季度"], [0, 1, 2, 3], "Q"),
    ],
)
def test_periods_parse(labels, ordinals, freq):
    ords, f = parse_periods(pd.Series(labels))
    base = 2025 * (12 if freq == "M" else 4)
    assert f == freq and (ords - base).tolist() == ordinals


def test_bad_periods_name_rows():
    with pytest.raises(DataError, match=r"rows \[3, 5\]") as info:
        parse_periods(pd.Series(["2025-01", "2025-13", "2025-03", "last month"]))
    assert info.value.problems[0].row == 3
    with pytest.raises(DataError, match="mixes monthly and quarterly"):
        parse_periods(pd.Series(["2025-01", "2025Q1"]))


# ---------------------------------------------------------------------------- bad input
def test_single_unit_category_warns_and_skips(sample):
    filings, checks, planted, units = sample
    cats = units["category"].copy()
    cats.loc["D001"] = "孤立类别"
    with pytest.warns(WorkbenchWarning, match="孤立类别"):
        rep = check_report(filings, checks, category=cats, peer_threshold=5)
    assert any("孤立类别" in s for s in rep.skipped)
    assert not ((rep.flags["unit"] == "D001") & (rep.flags["check"] == "peer_deviation")).any()
    assert (rep.flags["check"] == "peer_deviation").sum() > 0  # other categories still checked


def test_duplicated_rows_and_missing_columns(sample):
    filings, checks, _, _ = sample
    dup = pd.concat([filings, filings.iloc[[5]]])
    with pytest.raises(DataError, match="repeat a \\(unit, period\\) pair"):
        check_report(dup, checks)
    with pytest.raises(DataError, match="no column for \\['members_total'\\]"):
        check_report(filings.drop(columns="members_total"), checks)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"peer_threshold": 0}, "'peer_threshold' parameter of check_report"),
        ({"peer_threshold": float("nan")}, "'peer_threshold'"),
        ({"min_peers": 1}, "'min_peers'"),
        ({"jump_ratio": 0.5}, "'jump_ratio'"),
        ({"change_threshold": -1}, "'change_threshold'"),
        ({"min_periods": 1.5}, "'min_periods'"),
    ],
)
def test_bad_thresholds(sample, kwargs, match):
    filings, checks, _, _ = sample
    with pytest.raises(SpecError, match=match):
        check_report(filings, checks, **kwargs)


def test_bad_checks_reported_at_once():
    bad = {
        "ranges": {"x": [5, 1], "y": "high"},
        "sum": {"t": "p"},
        "conditions": [{"if": {"x": {"__import__('os')": 1}}, "then": {"y": 0}}, {"when": {"x": 1}}],
        "typo": 1,
    }
    with pytest.raises(SpecError) as info:
        parse_checks(bad)
    keys = {p.key for p in info.value.problems}
    assert {"ranges.x", "ranges.y", "conditions[0].if.x.__import__('os')", "conditions[1]", "typo"} <= keys
    # a text value is a literal, never code
    checks = parse_checks(
        {"conditions": [{"if": {"x": "__import__('os').system('true')"}, "then": {"y": 0}}]}
    )
    frame = pd.DataFrame({"unit": ["A"], "x": ["__import__('os').system('true')"], "y": [1]})
    with pytest.warns(WorkbenchWarning):  # a single unit has no peers
        rep = check_report(frame, checks, period=None)
    assert rep.flags["check"].tolist() == ["impossible_combination"]


def test_checks_from_yaml_file(tmp_path):
    path = tmp_path / "checks.yaml"
    path.write_text("sum:\n  total: [a, b]\nconditions:\n  - {if: {a: 0}, then: {b: 0}}\n", encoding="utf-8")
    frame = pd.DataFrame({"unit": ["A", "B"], "total": [3, 5], "a": [0, 2], "b": [3, 2]})
    with pytest.warns(WorkbenchWarning):  # two units are too few peers
        rep = check_report(frame, path, period=None)
    assert {(r.unit, r.check) for r in rep.flags.itertuples()} == {
        ("A", "impossible_combination"),
        ("B", "total_mismatch"),
    }


# ---------------------------------------------------------------------------- export
def test_export_csv_and_excel(sample, tmp_path):
    filings, checks, _, units = sample
    rep = check_report(filings, checks, names=units["name"], peer_threshold=5)
    csv = rep.to_csv(tmp_path / "问题清单.csv")
    back = pd.read_csv(csv, encoding="utf-8-sig", dtype={"单位代码": str})
    assert list(back.columns[:3]) == ["单位代码", "单位名称", "报告期"]
    assert len(back) == len(rep.flags) and back["问题说明"].notna().all() and back["reason"].notna().all()
    xlsx = rep.to_excel(tmp_path / "问题清单.xlsx")
    sheets = pd.read_excel(xlsx, sheet_name=None)
    assert set(sheets) == {"问题清单", "汇总"} and len(sheets["问题清单"]) == len(rep.flags)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "问题清单.csv",
        "问题清单.xlsx",
    ]  # no temp files left
    one = rep.for_unit(rep.flags["unit"].iloc[0])
    assert (one["unit"] == rep.flags["unit"].iloc[0]).all()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert "Report checks" in repr(rep) and "<div" in rep._repr_html_()
