"""Tests of workbench.delphi: published values, independent recomputation, properties, bad input."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

import workbench as wb
from workbench import delphi
from workbench.errors import DataError, RubricError, SpecError, WorkbenchWarning

# R's irr / DescTools example data "anxiety": 20 subjects rated by 3 raters (with ties).
ANXIETY = np.array(
    [
        [3, 3, 3, 4, 5, 5, 2, 3, 5, 2, 2, 6, 1, 5, 2, 2, 1, 2, 4, 3],
        [3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4],
        [2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2],
    ],
    dtype=float,
)


# ---------------------------------------------------------------- published values


def test_kendall_w_tie_corrected_anxiety_desctools():
    # DescTools::KendallW(anxiety, correct=TRUE, test=TRUE), documented output (DescTools manual,
    # example of KendallW): W = 0.5396569, Kendall chi-squared = 30.76, df = 19, p-value = 0.04288.
    # Our ratings are experts x indicators, so the raters are the rows.
    res = delphi.kendall_w(ANXIETY)
    assert res.W == pytest.approx(0.5396569, abs=1e-7)
    assert res.chi2 == pytest.approx(30.76, abs=0.005)
    assert res.df == 19
    assert res.pval == pytest.approx(0.04288, abs=5e-6)


def test_kendall_w_siegel_castellan_friedman():
    # Siegel & Castellan (1988) example reproduced in the DescTools manual: 3 judges rank 8 attributes;
    # KendallW(t(d.att[, -1]), test=TRUE) "is perfectly the same as" friedman.test. Without ties the
    # statistic is Friedman's, recomputed independently with scipy.
    att = np.array(
        [[5, 6, 7, 1, 2, 4, 3, 8], [1, 7, 6, 2, 3, 5, 4, 8], [4, 5, 1, 3, 2, 7, 6, 8]], dtype=float
    )
    res = delphi.kendall_w(att)
    chi2, p = sps.friedmanchisquare(*att.T)
    assert res.chi2 == pytest.approx(chi2, rel=1e-12) and res.pval == pytest.approx(p, rel=1e-10)
    # by hand: rank sums 10, 18, 14, 6, 7, 16, 13, 24 -> S = 248, W = 12 S / (9 * 504)
    assert res.W == pytest.approx(12 * 248 / (9 * 504))


def test_authority_bmj_open_worked_example():
    # BMJ Open Delphi study, Table 4 (expert authority coefficients), round 1, 16 experts:
    # Ca = (16*0.5 + 7*0.3 + 9*0.2 + 16*0.1 + 16*0.1) / 16 = 0.944; Cs = (1*1 + 12*0.8 + 3*0.6)/16 = 0.775;
    # Cr = (Ca + Cs) / 2 = 0.860. (Round 2 of that table prints Ca 0.963, but its own terms give 0.956.)
    basis = pd.DataFrame(
        {
            "理论分析": ["大"] * 7 + ["中"] * 9,
            "实践经验": ["大"] * 16,
            "同行了解": ["大"] * 3 + ["中"] * 11 + ["小"] * 2,
            "直觉": ["大"] * 2 + ["中"] * 8 + ["小"] * 6,
        },
        index=[f"E{i:02d}" for i in range(16)],
    )
    familiarity = pd.Series(["很熟悉"] + ["熟悉"] * 12 + ["一般"] * 3, index=basis.index)
    t = delphi.authority_table(basis, familiarity)
    assert t["ca"].mean() == pytest.approx(0.944, abs=5e-4)
    assert t["cs"].mean() == pytest.approx(0.775, abs=5e-4)
    assert delphi.authority(basis, familiarity).mean() == pytest.approx(0.860, abs=1e-3)


def test_summary_by_hand():
    x = pd.DataFrame({"a": [5, 5, 4, np.nan], "b": [3, 4, 5, 4], "c": [1, 2, 2, 1]}, index=list("PQRS"))
    s = delphi.summarise(x)
    t = s.table
    assert t.loc["a", "mean"] == pytest.approx(14 / 3)
    assert t.loc["a", "sd"] == pytest.approx(np.std([5, 5, 4], ddof=1))
    assert t.loc["a", "cv"] == pytest.approx(np.std([5, 5, 4], ddof=1) / (14 / 3))
    assert t.loc["a", "full_score_freq"] == pytest.approx(2 / 3)
    assert t.loc["b", "full_score_freq"] == pytest.approx(1 / 4)
    # ranks within experts (ascending, ties averaged): P (5,3,1) -> 3,2,1; Q (5,4,2) -> 3,2,1;
    # R (4,5,2) -> 2,3,1; S (-,4,1) -> b 2, c 1
    assert t["rank_sum"].tolist() == [8.0, 9.0, 4.0]
    assert t["n"].tolist() == [3, 4, 4]
    assert s.kendall.n_experts == 3 and s.kendall.dropped == ("S",)
    assert s.positive_coefficient == 1.0


def test_kendall_matches_agreement_module():
    rng = np.random.default_rng(3)
    x = rng.integers(1, 6, (9, 14)).astype(float)
    assert float(delphi.kendall_w(x)) == pytest.approx(float(wb.agreement.kendall_w(x.T)), rel=1e-12)


# ---------------------------------------------------------------- properties

rankings = st.integers(0, 10_000).map(lambda s: np.random.default_rng(s).permutation(7).astype(float))


@settings(max_examples=30, deadline=None)
@given(rankings, st.integers(2, 9))
def test_identical_rankings_give_w_one(row, m):
    assert delphi.kendall_w(np.tile(row, (m, 1))).W == pytest.approx(1.0)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000))
def test_w_invariant_to_monotone_recoding_and_order(seed):
    rng = np.random.default_rng(seed)
    x = rng.integers(1, 6, (6, 8)).astype(float)
    base = delphi.kendall_w(x).W
    assert delphi.kendall_w(np.exp(x)).W == pytest.approx(base)
    assert delphi.kendall_w(x[rng.permutation(6)][:, rng.permutation(8)]).W == pytest.approx(base)
    assert 0.0 <= base <= 1.0


def test_opposite_rankings_give_w_zero():
    row = np.arange(6.0)
    assert delphi.kendall_w(np.vstack([row, row[::-1]])).W == pytest.approx(0.0, abs=1e-12)


# ---------------------------------------------------------------- screening and rounds


def test_screen_cutoff_convention_by_hand():
    table = pd.DataFrame(
        {"mean": [4.5, 4.0, 3.0, 2.0], "full_score_freq": [0.6, 0.4, 0.2, 0.0], "cv": [0.1, 0.15, 0.3, 0.5]},
        index=list("abcd"),
    )
    res = delphi.screen(table)
    mean_cut = np.mean(table["mean"]) - np.std(table["mean"], ddof=1)
    cv_cut = np.mean(table["cv"]) + np.std(table["cv"], ddof=1)
    assert res.thresholds.iloc[0] == pytest.approx(mean_cut)
    assert res.thresholds.iloc[2] == pytest.approx(cv_cut)
    # d fails all three (mean 2 < 2.35, freq 0 < 0.0418, cv 0.5 > 0.4687): dropped; the others pass
    assert res.kept == ["a", "b", "c"] and res.dropped == ["d"]
    assert "删除" in res.table.loc["d", "reason_zh"] and "cv 0.5 > " in res.table.loc["d", "reason_en"]
    strict = delphi.screen(
        table, [{"stat": "mean", "op": ">=", "value": 4.0}, {"stat": "cv", "op": "<=", "value": 0.2}]
    )
    assert strict.kept == ["a", "b"] and strict.dropped == ["c", "d"]
    partial = delphi.screen(
        table, [{"stat": "mean", "op": ">=", "value": 3.0}, {"stat": "cv", "op": "<=", "value": 0.2}]
    )
    assert partial.review == ["c"]
    anyfail = delphi.screen(
        table,
        [{"stat": "mean", "op": ">=", "value": 3.0}, {"stat": "cv", "op": "<=", "value": 0.2}],
        drop_when="any_fail",
    )
    assert anyfail.dropped == ["c", "d"]


def test_convergence_two_rounds():
    panel = delphi.simulate_panel(
        pd.Series(np.linspace(2.0, 4.8, 12), index=[f"i{k}" for k in range(12)]),
        n_experts=20,
        n_rounds=2,
        seed=7,
        dropout=0.0,
    )
    r1, r2 = panel.rounds.values()
    res = delphi.convergence([r1, r2.iloc[:, 2:]])
    assert list(res.rounds.index) == ["第1轮", "第2轮"]
    assert res.rounds.loc["第2轮", "indicators"] == 10
    common = res.indicators.dropna(subset=["cv_change"])
    assert len(common) == 10
    np.testing.assert_allclose(common["cv_change"], common["cv_第2轮"] - common["cv_第1轮"])
    # feedback pulls experts to the panel mean: W rises and CVs fall on average
    assert res.rounds["W_common"].iloc[1] > res.rounds["W_common"].iloc[0]
    w1 = delphi.kendall_w(r1.iloc[:, 2:].dropna(how="any")).W
    assert res.rounds["W_common"].iloc[0] == pytest.approx(w1)
    assert res.converged


def test_simulated_panel_is_reproducible():
    imp = pd.Series([3.0, 4.0, 4.5], index=list("xyz"))
    a, b = delphi.simulate_panel(imp, seed=1), delphi.simulate_panel(imp, seed=1)
    for k in a.rounds:
        pd.testing.assert_frame_equal(a.rounds[k], b.rounds[k])
    pd.testing.assert_series_equal(a.familiarity, b.familiarity)
    assert not a.rounds["第1轮"].equals(delphi.simulate_panel(imp, seed=2).rounds["第1轮"])


# ---------------------------------------------------------------- sheets and rubric


def test_questionnaire_round_trip(tmp_path):
    cand = pd.DataFrame(
        {
            "code": ["a1", "a2", "b1"],
            "name": ["指标甲", "=指标乙", "指标丙"],
            "block_name": ["领导重视", "领导重视", "组织建设"],
        }
    )
    prev = delphi.summarise(pd.DataFrame({"a1": [5, 4], "a2": [3, 3], "b1": [4, 4]}))
    for e in ("E01", "E02"):
        delphi.write_questionnaire(tmp_path / f"{e}.xlsx", cand, round_no=2, expert=e, feedback=prev)
    from openpyxl import load_workbook

    for e, scores, fam in (("E01", [5, 4, 3], "熟悉"), ("E02", [4, None, 5], "很熟悉")):
        book = load_workbook(tmp_path / f"{e}.xlsx")
        ws = book["指标评分"]
        header = [c.value for c in ws[1]]
        assert header[4:6] == ["上轮均数", "上轮变异系数"] and ws.cell(2, 5).value == 4.5
        assert ws.cell(3, 3).data_type == "s"  # a name that looks like a formula stays text
        col = header.index("重要性评分（1-5）") + 1
        for i, v in enumerate(scores):
            ws.cell(i + 2, col).value = v
        info = book["专家信息"]
        info["B5"] = fam
        for r in range(7, 11):
            info.cell(r, 2).value = "大"
        book.save(tmp_path / f"{e}.xlsx")
    back = delphi.read_questionnaires(tmp_path)
    assert back.round_no == 2 and back.scale == (1.0, 5.0)
    assert back.ratings.loc["E01"].tolist() == [5.0, 4.0, 3.0]
    assert math.isnan(back.ratings.loc["E02", "a2"])
    assert delphi.authority(back.basis, back.familiarity).loc["E02"] == pytest.approx(1.0)
    with pytest.warns(WorkbenchWarning, match="fewer than 2 experts answered every indicator"):
        s = delphi.summarise(back.ratings)
    assert math.isnan(s.kendall.W) and s.table.loc["b1", "mean"] == 4.0


def test_questionnaire_problems_reported_at_once(tmp_path):
    cand = pd.DataFrame({"code": ["a", "b"], "name": ["甲", "乙"]})
    for e in ("E1", "E2"):
        delphi.write_questionnaire(tmp_path / f"{e}.xlsx", cand, expert="E1")
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "E2.xlsx")
    book["指标评分"].cell(2, 5).value = 7
    book["指标评分"].cell(3, 5).value = "很重要"
    book["专家信息"]["B5"] = "有点熟"
    book.save(tmp_path / "E2.xlsx")
    (tmp_path / "E3.xlsx").write_bytes(b"not a workbook")
    with pytest.raises(DataError) as info:
        delphi.read_questionnaires(tmp_path)
    text = str(info.value)
    for part in ("outside the scale", "not a number", "有点熟", "cannot be read", "more than one file"):
        assert part in text


def test_candidate_rubric_from_table_and_rubric(tmp_path):
    table = pd.DataFrame(
        {"mean": [4.6, 4.4, 2.0, 4.5], "cv": [0.1, 0.12, 0.5, 0.11]}, index=["m1", "m2", "m3", "k1"]
    )
    res = delphi.screen(
        table, [{"stat": "mean", "op": ">=", "value": 3.5}, {"stat": "cv", "op": "<=", "value": 0.25}]
    )
    cand = pd.DataFrame(
        {
            "code": ["m1", "m2", "m3", "k1"],
            "name": ["甲", "乙", "丙", "丁"],
            "block": ["b1", "b1", "b1", "b2"],
            "block_name": ["领导", "领导", "领导", "组织"],
        }
    )
    rub = delphi.candidate_rubric(res, cand, code="cand")
    assert rub.indicators == ["m1", "m2", "k1"] and rub.top_blocks == ["b1", "b2"]
    assert rub.effective_weights()["k1"] == pytest.approx(0.5)
    path = wb.save_rubric(rub, tmp_path / "cand.yaml")
    assert wb.load_rubric(path).indicators == ["m1", "m2", "k1"]
    cq = wb.load_rubric("indicators/cq_organs.yaml")
    stats_ = pd.DataFrame({"mean": 4.0, "cv": 0.1}, index=cq.indicators)
    stats_.loc["ldr_meetings", "mean"] = 2.0
    kept = delphi.candidate_rubric(delphi.screen(stats_, [{"stat": "mean", "op": ">=", "value": 3.5}]), cq)
    assert "ldr_meetings" not in kept.indicators and len(kept.indicators) == len(cq.indicators) - 1
    assert kept.full_marks()["leadership"] == pytest.approx(cq.full_marks()["leadership"])
    with pytest.raises(RubricError, match="not in the candidate table"):
        delphi.candidate_rubric(res, cand.iloc[:2])


# ---------------------------------------------------------------- bad input


def test_bad_input():
    with pytest.raises(DataError, match="at least 2"):
        delphi.summarise([[5, 4, 3]])
    with pytest.raises(DataError, match="outside the scale") as info:
        delphi.summarise([[5, 6, 3], [4, 4, 0]])
    assert len(info.value.problems) == 2 and info.value.problems[0].column == "1"
    delphi.summarise([[5, 6, 3], [4, 9, 1]], scale=(1, 9))
    with pytest.raises(SpecError, match="scale"):
        delphi.summarise([[5, 4], [4, 4]], scale=(5, 1))
    with pytest.raises(DataError, match="no expert rated"):
        delphi.summarise([[5, np.nan], [4, np.nan]])
    with pytest.raises(DataError, match="hold text"):
        delphi.summarise(pd.DataFrame({"a": [5, 4], "b": ["x", "y"]}))
    with pytest.warns(WorkbenchWarning, match="undefined"):
        res = delphi.kendall_w([[3, 3, 3], [4, 4, 4]])
    assert math.isnan(res.W) and "undefined" in repr(res)
    with pytest.raises(DataError, match="at least 2 rounds"):
        delphi.convergence([[[5, 4], [4, 4]]])
    with pytest.raises(DataError, match="did not"):
        delphi.convergence(
            [pd.DataFrame({"a": [5, 4], "b": [3, 4]}), pd.DataFrame({"a": [5, 4], "c": [3, 4]})]
        )
    with pytest.raises(SpecError, match="stat"):
        delphi.screen(pd.DataFrame({"mean": [1.0]}), [{"stat": "average", "op": ">=", "value": 3}])
    with pytest.raises(SpecError, match="cutoff"):
        delphi.screen(pd.DataFrame({"mean": [1.0]}), [{"stat": "mean", "op": ">=", "value": "high"}])
    with pytest.raises(DataError, match="coding tables") as info:
        delphi.authority(pd.DataFrame({"理论分析": ["很大", "大"]}), pd.Series(["熟悉", "有点"]))
    assert len(info.value.problems) == 2
