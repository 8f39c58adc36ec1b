"""Scoring engine: expected scores worked out by hand from the rubric definitions."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import pytest

import workbench as wb
from workbench.rubric._parse import parse_rubric_text
from workbench.scoring import grades as G


def rubric(text: str):
    return parse_rubric_text(textwrap.dedent(text))


@pytest.fixture
def card(small_rubric_path, small_data_path):
    r = wb.load_rubric(small_rubric_path)
    return wb.score(r, wb.read_table(small_data_path, rubric=r))


def test_small_rubric_hand_checked(card):
    # Full marks: meet 20, eval 20, rate 30, check 30 (points as written).
    # A: meet 4/4 -> 20; 优 -> 20; rate 100 reaches the 100 band -> 30; 0 missing items -> 30.
    #    base 100; bonus: national 3 and city 2, stacking 'highest' -> 3 (cap 5); total 103.
    # B: meet "２" (full width) = 2 -> 2/4 x 20 = 10; 良 -> 16; rate "９５" -> 90 band -> 24;
    #    2 missing items -> 30 - 2x2 = 26; base 76; bonus city 2; deductions 3 x 4 = 12 -> cap 10;
    #    total 76 + 2 - 10 = 68.
    # C: meet 5/4 capped at 1 -> 20; 中 -> 12; rate "无" exempt; 1 missing item -> 28;
    #    earned 60 of an available 70 -> base 60/70 x 100 = 85.714...; vetoed -> 较差.
    # D: 100 like A but no bonus -> 100.
    assert card.points.loc["A"].tolist() == [20, 20, 30, 30]
    assert card.points.loc["B"].tolist() == [10, 16, 24, 26]
    assert card.total.to_dict() == pytest.approx({"A": 103, "B": 68, "C": 60 / 70 * 100, "D": 100})
    assert card.bonus.to_dict() == {"A": 3, "B": 2, "C": 0, "D": 0}
    assert card.deduction["B"] == 10 and card.deduction_items.loc["B", "d1"] == 12
    assert np.isnan(card.points.loc["C", "rate"])
    assert card.blocks.loc["B", "lead"] == 26 and card.blocks.loc["B", "org"] == 50
    # Grades: A and D are 优秀 by band; quota 0.34 x 4 = 1.36 -> 1 place -> D moves to 良好.
    assert card.grade_band.to_dict() == {"A": "优秀", "B": "一般", "C": "良好", "D": "优秀"}
    assert card.grade.to_dict() == {"A": "优秀", "B": "一般", "C": "较差", "D": "良好"}
    assert card.demoted.to_dict() == {"A": False, "B": False, "C": False, "D": True}
    assert card.vetoed.to_dict() == {"A": False, "B": False, "C": True, "D": False}
    # Ranks by final score, except that vetoed units rank last (veto_rank: last, the default):
    # A 103, D 100, B 68, then C (85.7 but vetoed).
    assert card.rank.to_dict() == {"A": 1, "D": 2, "B": 3, "C": 4}
    assert card.grade_counts().to_dict() == {"优秀": 1, "良好": 1, "一般": 1, "较差": 1}


def test_explain_lines(card):
    text = str(card.explain("C"))
    assert "不涉及" in text and "按可得满分 70 折算到 100 分" in text
    assert "发生重大安全事故" in text and "较差" in text
    en = str(card.explain("B", lang="en"))
    assert "over the cap 10" in en and "Total: 68" in en
    d = str(card.explain("D", lang="en"))
    assert "quota: 优秀 at most 34%, moved down to 良好" in d
    assert card.explain("A").to_frame().loc["meet", "points"] == 20
    with pytest.raises(wb.DataError, match="not in the scorecard"):
        card.explain("nope")


def test_input_not_modified(small_rubric_path, small_data_path):
    r = wb.load_rubric(small_rubric_path)
    data = wb.read_table(small_data_path)
    before = data.copy()
    wb.score(r, data)
    pd.testing.assert_frame_equal(data, before)


@pytest.mark.parametrize(
    ("ties", "share", "expected"),
    [
        # scores 95, 95, 92, 80, 70; quota 0.4 x 5 = 2 places: the tied pair fits.
        ("exclude", 0.4, ["优秀", "优秀", "良好", "良好", "一般"]),
        # quota 0.2 -> 1 place, two units tied at 95: 'exclude' demotes both, 'include' keeps both.
        ("exclude", 0.2, ["良好", "良好", "良好", "良好", "一般"]),
        ("include", 0.2, ["优秀", "优秀", "良好", "良好", "一般"]),
    ],
)
def test_quota_ties(ties, share, expected):
    names = ["优秀", "良好", "一般", "较差"]
    scores = np.array([95, 95, 92, 80, 70.0])
    band = G.band_index(scores, [("优秀", 90), ("良好", 80), ("一般", 60), ("较差", 0)])
    assert band.tolist() == [0, 0, 0, 1, 2]
    gi, _ = G.apply_quota(band, scores, {"优秀": share}, names, ties=ties)
    assert [names[i] for i in gi] == expected


def test_quota_cascades_and_groups():
    names = ["A", "B", "C"]
    scores = np.array([99, 98, 97, 96, 95, 94.0])
    band = np.zeros(6, dtype=int)  # everyone qualifies for the top band
    # top at most 1/3 (2 units), B at most 1/3 (2 units): the rest fall to C
    gi, demoted = G.apply_quota(band, scores, {"A": 1 / 3, "B": 1 / 3}, names)
    assert gi.tolist() == [0, 0, 1, 1, 2, 2] and demoted.tolist() == [False, False, True, True, True, True]
    # within two groups of 3 units: 1 place each
    groups = np.array(["x", "y", "x", "y", "x", "y"])
    gi, _ = G.apply_quota(band, scores, {"A": 1 / 3}, names, groups=groups)
    assert gi.tolist() == [0, 0, 1, 1, 1, 1]


def test_band_bounds_inclusive():
    bands = [("优秀", 90), ("良好", 80), ("较差", 0)]
    assert G.band_index(np.array([90, 89.999, 80, 0, -5]), bands).tolist() == [0, 1, 1, 2, 2]


TWO_SCORE = """
code: two
name: 两分制
scale: 100
blocks:
  - code: pb
    name: 党建
    weight: 100
    indicators:
      - {code: x, name: 党建得分, weight: 100, rule: {type: direct, unit: points}}
grades: {bands: {优秀: 90, 良好: 80, 一般: 60, 较差: 0}}
"""


def _two(scheme: str):
    return rubric(TWO_SCORE + scheme)


def test_weighted_two_percent():
    r = _two("scheme: {type: weighted, party_weight: 0.02, other: {column: econ, name: 经济社会}}\n")
    data = pd.DataFrame({"x": [100.0, 50.0], "econ": [80.0, 90.0]}, index=pd.Index(["u1", "u2"], name="unit"))
    card = wb.score(r, data)
    # u1: 0.02 x 100 + 0.98 x 80 = 80.4; u2: 0.02 x 50 + 0.98 x 90 = 89.2 -> u2 ranks first
    assert card.final.tolist() == pytest.approx([80.4, 89.2])
    assert card.rank.tolist() == [2, 1]
    assert card.grade.tolist() == ["良好", "良好"]


def test_multiplicative():
    r = _two("scheme: {type: multiplicative, other: {column: biz, name: 经营业绩}}\n")
    data = pd.DataFrame({"x": [90.0, 60.0], "biz": [100.0, 120.0]}, index=pd.Index(["a", "b"], name="unit"))
    card = wb.score(r, data)
    # a: 100 x 90/100 = 90; b: 120 x 60/100 = 72
    assert card.final.tolist() == pytest.approx([90.0, 72.0])
    assert card.grade.tolist() == ["优秀", "一般"]


def test_dual100_matrix():
    matrix = """
scheme:
  type: dual100
  other: {column: econ, name: 经济社会发展}
  matrix:
    优秀: {优秀: 优秀, 良好: 良好, 一般: 一般, 较差: 较差}
    良好: {优秀: 良好, 良好: 良好, 一般: 一般, 较差: 较差}
    一般: {优秀: 一般, 良好: 一般, 一般: 一般, 较差: 较差}
    较差: {优秀: 较差, 良好: 较差, 一般: 较差, 较差: 较差}
"""
    r = _two(matrix)
    data = pd.DataFrame(
        {"x": [95.0, 85, 70.0], "econ": [99.0, 99, 99]}, index=pd.Index(list("abc"), name="unit")
    )
    card = wb.score(r, data)
    # party grades 优秀/良好/一般 with economy 优秀 -> 优秀/良好/一般; final score = sum
    assert card.grade.tolist() == ["优秀", "良好", "一般"]
    assert card.final.tolist() == [194, 184, 169]
    assert "双百分矩阵" in str(card.explain("b"))


def test_dual100_default_is_worse_grade():
    r = _two("scheme: {type: dual100, other: {column: econ, name: 经济}}\n")
    data = pd.DataFrame({"x": [95.0, 70.0], "econ": [65.0, 95.0]}, index=pd.Index(["a", "b"], name="unit"))
    assert wb.score(r, data).grade.tolist() == ["一般", "一般"]


def test_category_weights_and_rank_within():
    r = rubric(
        """
code: cat
name: 分类
weighting: relative
scale: 100
blocks:
  - {code: b1, name: 一, weight: 1, indicators: [{code: x, name: x, weight: 1, rule: {type: linear, lo: 0, hi: 10}}]}
  - {code: b2, name: 二, weight: 1, indicators: [{code: y, name: y, weight: 1, rule: {type: linear, lo: 0, hi: 10}}]}
categories: {column: kind, groups: {执法: {weights: {b1: 3, b2: 1}}}}
"""
    )
    data = pd.DataFrame(
        {"x": [10.0, 10, 0], "y": [0.0, 0, 10], "kind": ["执法", "综合", "综合"]},
        index=pd.Index(["p", "q", "r"], name="unit"),
    )
    card = wb.score(r, data)
    # p (执法): b1 weight 3/4 -> 75 points from x; q (综合): 1/2 -> 50; r: 50 from y
    assert card.total.tolist() == pytest.approx([75.0, 50.0, 50.0])
    assert card.rank_in_category.tolist() == [1, 1, 1]
    assert card.rank.tolist() == [1, 2, 2]


def test_rule_types_by_hand():
    r = rubric(
        """
code: rules
name: 规则
weighting: relative
scale: 100
blocks:
  - code: b
    name: b
    weight: 1
    indicators:
      - {code: lin, name: lin, weight: 1, direction: -1, rule: {type: linear, lo: 0, hi: 4}}
      - {code: tr, name: tr, weight: 1, direction: -1, rule: {type: target_ratio, target: 2, cap: 1}}
      - {code: bd, name: bd, weight: 1, direction: -1, rule: {type: bands, scores: [[1, 1.0], [3, 0.5]]}}
      - {code: rk, name: rk, weight: 1, rule: {type: rank_ladder, scores: [1.0, 0.8], otherwise: 0.5}}
      - {code: pd, name: pd, weight: 1, rule: {type: peer_deviation, at_mean: 0.8, slope: 0.1}}
"""
    )
    x = [1.0, 2.0, 3.0, 3.0]
    data = pd.DataFrame(
        {c: x for c in ["lin", "tr", "bd", "rk", "pd"]}, index=pd.Index(list("abcd"), name="unit")
    )
    s = wb.score(r, data).shares
    # linear, lower is better: 1 - (x - 0)/4
    assert s["lin"].tolist() == pytest.approx([0.75, 0.5, 0.25, 0.25])
    # target ratio, lower is better: min(2/x, 1)
    assert s["tr"].tolist() == pytest.approx([1, 1, 2 / 3, 2 / 3])
    # bands, lower is better: x <= 1 -> 1.0; x <= 3 -> 0.5
    assert s["bd"].tolist() == [1.0, 0.5, 0.5, 0.5]
    # rank ladder: ranks (higher better) of 1,2,3,3 are 4,3,1,1 -> 0.5, 0.5, 1.0, 1.0
    assert s["rk"].tolist() == [0.5, 0.5, 1.0, 1.0]
    # peer deviation: mean 2.25, sample sd 0.9574; z = (x - 2.25)/0.9574
    sd = np.std(x, ddof=1)
    assert s["pd"].tolist() == pytest.approx([0.8 + 0.1 * (v - 2.25) / sd for v in x])


def test_weights_override_is_a_simulation():
    r = rubric(TWO_SCORE.replace("grades", "# grades") + "")
    data = pd.DataFrame({"x": [80.0]}, index=pd.Index(["u"], name="unit"))
    assert wb.score(r, data, weights={"pb": 1}).total.iloc[0] == 80


def test_asem_reference_build():
    # Reference: tests/reference/asem.md, COINr 1.1.14: min-max [0, 100], arithmetic mean,
    # missing values skipped with weights renormalised. Top five Index values.
    from conftest import ROOT

    r = wb.rubric_from_table(ROOT / "data/samples/asem/ASEM_iMeta.csv")
    card = wb.score(r, wb.read_table(ROOT / "data/samples/asem/ASEM_iData.csv", rubric=r))
    top = card.final.sort_values(ascending=False).head(5).round(4)
    assert top.to_dict() == {"DEU": 75.2278, "GBR": 68.9363, "FRA": 65.9181, "CHE": 62.6059, "NLD": 61.2438}
    # DEU's sub-indices: Conn 81.1567, Sust 69.2989 (blocks carry 50 points each)
    assert card.blocks.loc["DEU", "Conn"] * 2 == pytest.approx(81.1567, abs=1e-4)
    assert card.blocks.loc["DEU", "Sust"] * 2 == pytest.approx(69.2989, abs=1e-4)


VETO_BONUS = """
code: vb
name: 否决与加分
scale: 100
blocks:
  - code: b
    name: 基本
    weight: 100
    indicators:
      - {code: sat, name: 满意度, weight: 100, unit: "%", rule: {type: direct, unit: percent}}
bonus: {cap: 3, stacking: highest, items: [{code: nat, name: 国家级, points: 3}, {code: prov, name: 省级, points: 2}]}
veto:
  - {code: low_sat, name: 满意度低于50%, indicator: sat, below: 50, cap_grade: 一般}
grades: {bands: {优秀: 90, 良好: 80, 一般: 60, 较差: 0}}
"""


def test_threshold_veto_and_highest_stacking():
    r = rubric(VETO_BONUS)
    data = pd.DataFrame(
        {"sat": [95.0, 49.0, 85.0], "nat": [0, 0, 1], "prov": [2, 0, 1]},
        index=pd.Index(["p", "q", "r"], name="unit"),
    )
    card = wb.score(r, data)
    # p: two provincial honours count once (highest level only, no stacking): 95 + 2 = 97
    # r: national and provincial: only the national counts: 85 + 3 = 88
    assert card.bonus.tolist() == [2.0, 0.0, 3.0]
    # q: satisfaction 49 < 50 triggers the veto (no flag column needed): 49 is 较差 anyway;
    assert card.vetoed.tolist() == [False, True, False]
    assert card.grade.tolist() == ["优秀", "较差", "良好"]
    assert "满意度低于50% (sat < 50)" in str(card.explain("q"))
    with pytest.raises(wb.RubricError, match="exactly one of 'below' or 'above'"):
        rubric(VETO_BONUS.replace("below: 50", "below: 50, above: 90"))


def test_veto_rank_by_score_option():
    r = rubric(VETO_BONUS + "veto_rank: score\n")
    data = pd.DataFrame(
        {"sat": [95.0, 49.0], "nat": [0, 0], "prov": [0, 0]}, index=pd.Index(["p", "q"], name="unit")
    )
    assert wb.score(r, data).rank.tolist() == [1, 2]
    r2 = rubric(VETO_BONUS)
    data2 = pd.DataFrame(
        {"sat": [55.0, 45.0], "nat": [0, 0], "prov": [0, 0]}, index=pd.Index(["p", "q"], name="unit")
    )
    assert wb.score(r2, data2).rank.tolist() == [1, 2]
