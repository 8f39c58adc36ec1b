"""Comparisons of rubric versions and of periods (workbench.compare).

Truth: scores recomputed by hand from the rubric definitions (weights x values), ranks from
pandas' own ranking, planted improvers and decliners, and the identity that the terms of a score
add up to it.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import workbench as wb
from workbench.compare import (
    block_shares,
    compare_periods,
    compare_versions,
    diff_rubrics,
    plot_periods,
    plot_versions,
    score_terms,
)
from workbench.errors import DataError, SpecError

TWO = """\
code: {code}
name: 测试方案
scale: 100
blocks:
  - code: a
    name: 甲板块
    weight: {wa}
    indicators:
      - {{code: a1, name: 甲指标, weight: {wa}, unit: "%", rule: {{type: direct, unit: percent}}}}
  - code: b
    name: 乙板块
    weight: {wb}
    indicators:
      - {{code: b1, name: 乙指标, weight: {wb}, unit: "%", rule: {{type: direct, unit: percent}}}}
grades: {{bands: {{优秀: 90, 良好: 80, 一般: 60, 较差: 0}}{quota}}}
"""

OLD = textwrap.dedent(
    """\
    code: old
    name: 旧方案
    scale: 100
    blocks:
      - code: lead
        name: 领导重视
        weight: 40
        indicators:
          - {code: meet, name: 专题研究次数, weight: 20, unit: 次, rule: {type: target_ratio, target: 4}}
          - {code: eval, name: 民主测评, weight: 20, kind: qualitative,
             rule: {type: grade_map, points: {优: 20, 良: 16, 中: 12, 差: 6}}}
      - code: org
        name: 组织建设
        weight: 60
        indicators:
          - {code: rate, name: 按期换届率, weight: 30, unit: "%", rule: {type: linear, lo: 60, hi: 100}}
          - {code: old_item, name: 旧指标, weight: 10, unit: 次, rule: {type: target_ratio, target: 2}}
          - {code: rec1, name: 台账规范, weight: 20, kind: checklist,
             rule: {type: deduction_per_item, per_item: 2, floor: 0}}
    bonus: {cap: 5, items: [{code: h1, name: 国家级表彰, points: 3}]}
    deductions: {cap: 10, items: [{code: d1, name: 通报批评, points: 4}]}
    veto: [{code: v1, name: 发生重大安全事故}]
    grades: {bands: {优秀: 90, 良好: 80, 一般: 60, 较差: 0}, quota: {优秀: 0.3}}
    """
)
NEW = textwrap.dedent(
    """\
    code: new
    name: 新方案
    scale: 100
    blocks:
      - code: lead
        name: 领导重视
        weight: 40
        indicators:
          - {code: meet, name: 专题研究党建次数, weight: 25, unit: 次, rule: {type: target_ratio, target: 6}}
          - {code: newi, name: 新指标, weight: 15, unit: 个, rule: {type: target_ratio, target: 3}}
      - code: org
        name: 组织建设
        weight: 60
        indicators:
          - {code: eval, name: 民主测评, weight: 20, kind: qualitative,
             rule: {type: grade_map, points: {优: 20, 良: 16, 中: 12, 差: 6}}}
          - {code: rate, name: 按期换届率, weight: 30, unit: "%", missing: exempt,
             rule: {type: linear, lo: 60, hi: 100}}
          - {code: rec2, name: 台账规范, weight: 10, kind: checklist,
             rule: {type: deduction_per_item, per_item: 1, floor: 0}}
    bonus: {cap: 6, items: [{code: h1, name: 国家级表彰, points: 3}, {code: h2, name: 市级表彰, points: 2}]}
    deductions: {cap: 10, items: [{code: d1, name: 通报批评, points: 5}]}
    veto: [{code: v1, name: 发生重大安全事故}, {code: v2, name: 意识形态事件, effect: cap, cap_grade: 一般}]
    grades: {bands: {优秀: 92, 良好: 80, 一般: 60, 较差: 0}, quota: {优秀: 0.2}, ties: include}
    """
)

ROOT = Path(__file__).resolve().parents[1]


def _rubric(tmp_path, text, name="r.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return wb.load_rubric(path)


def _two(tmp_path, code, wa, wb_, quota=""):
    return _rubric(tmp_path, TWO.format(code=code, wa=wa, wb=wb_, quota=quota), f"{code}.yaml")


def _hand_scores(a, b, wa, wb_):
    """Total of the two-item rubric by hand: each item is worth its weight times value/100."""
    return (wa * a + wb_ * b) / 100.0


# ----------------------------------------------------------------------------- rubric diff
def test_rubric_against_itself_shows_no_change_and_no_movement():
    rubric, data = wb.examples.load_example("county", up_to="data")
    assert diff_rubrics(rubric, rubric).empty
    cmp = compare_versions(rubric, rubric, data)
    u = cmp.units
    assert cmp.diff.empty
    assert (u["score_change"] == 0).all() and (u["rank_change"] == 0).all() and (u["grade_change"] == 0).all()
    assert not (u["band_crossed"] | u["quota_crossed"] | u["veto_changed"]).any()
    assert cmp.movers().empty
    assert (cmp.contributions.to_numpy() == 0).all()
    assert cmp.rank_correlation() == pytest.approx(1.0)
    np.testing.assert_allclose(cmp.weights["nominal_old"], cmp.weights["nominal_new"])


def test_diff_finds_every_kind_of_change(tmp_path):
    diff = diff_rubrics(_rubric(tmp_path, OLD, "old.yaml"), _rubric(tmp_path, NEW, "new.yaml"))
    found = set(zip(diff.changes["change"], diff.changes["code"]))
    expected = {
        ("renamed", "meet"),
        ("reweighted", "meet"),
        ("rule", "meet"),
        ("added", "newi"),
        ("removed", "old_item"),
        ("moved", "eval"),
        ("definition", "rate"),
        ("recoded", "rec2"),
        ("reweighted", "rec2"),
        ("bonus", ""),
        ("bonus", "h2"),
        ("deduction", "d1"),
        ("veto", "v2"),
        ("bands", "优秀"),
        ("quota", "优秀"),
        ("grading", "ties"),
    }
    assert found == expected
    # the recoded checklist loses 1 point of 10 per item as it lost 2 of 20: the same rule in shares
    assert ("rule", "rec2") not in found and diff.recoded == {"rec2": "rec1"}
    row = diff.changes.set_index(["change", "code"]).loc[("reweighted", "meet")]
    assert (row["old"], row["new"]) == (20.0, 25.0)
    assert diff.changes.set_index(["change", "code"]).loc[("quota", "优秀"), "new"] == 0.2
    assert diff.counts()["reweighted"] == 2


def test_diff_of_scheme_and_category_weights():
    county = wb.examples.load_example("county", up_to="rubric")
    comp = wb.examples.load_example("comprehensive", up_to="rubric")
    party10 = wb.scenario.apply_scenario(
        comp, wb.scenario.load_scenario(str(ROOT / "indicators/scenarios/party_weight_10.yaml"))
    )
    scheme = diff_rubrics(comp, party10).of_kind("scheme")
    assert list(scheme["code"]) == ["party_weight"]
    assert (scheme["old"].iloc[0], scheme["new"].iloc[0]) == (comp.scheme.party_weight, 0.10)
    groups = {g: dict(w) for g, w in county.categories.weights.items()}
    groups["群团及其他"] = {**groups["群团及其他"], "organisation": 25, "central": 20}
    from dataclasses import replace
    from types import MappingProxyType

    cats = replace(
        county.categories, weights=MappingProxyType({g: MappingProxyType(w) for g, w in groups.items()})
    )
    diff = diff_rubrics(county, replace(county, categories=cats))
    changed = diff.of_kind("categories")
    assert set(changed["code"]) == {"organisation", "central"}
    # 群团及其他: organisation 30 -> 25 of 100 points
    assert changed.set_index("code").loc["organisation", ["old", "new"]].tolist() == [30.0, 25.0]


# ----------------------------------------------------------------------------- versions
def test_known_reweighting_moves_known_units(tmp_path):
    old = _two(tmp_path, "v1", 50, 50)
    new = _two(tmp_path, "v2", 80, 20, quota=", quota: {优秀: 0.4}")
    a = np.array([100.0, 70, 90, 60, 95])
    b = np.array([70.0, 100, 90, 60, 75])
    data = pd.DataFrame({"a1": a, "b1": b}, index=pd.Index(["U1", "U2", "U3", "U4", "U5"], name="unit"))
    cmp = compare_versions(old, new, data)
    u = cmp.units
    t_old, t_new = _hand_scores(a, b, 50, 50), _hand_scores(a, b, 80, 20)
    np.testing.assert_allclose(u["score_old"], t_old)
    np.testing.assert_allclose(u["score_new"], t_new)
    r_old = pd.Series(t_old, index=data.index).rank(method="min", ascending=False)
    r_new = pd.Series(t_new, index=data.index).rank(method="min", ascending=False)
    np.testing.assert_array_equal(u["rank_change"], (r_old - r_new).astype(int))
    # by hand: U1 85 -> 94 良好 -> 优秀 (crosses the 90 line); U2 85 -> 76 良好 -> 一般;
    # U3 90 -> 90 stays in the 优秀 band but 40% of 5 units is 2 places, U1 94 and U5 91 take them
    assert u.loc["U1", ["grade_old", "grade_new", "grade_change"]].tolist() == ["良好", "优秀", 1]
    assert u.loc["U2", ["grade_old", "grade_new", "grade_change"]].tolist() == ["良好", "一般", -1]
    assert u.loc["U3", ["grade_old", "grade_new"]].tolist() == ["优秀", "良好"]
    assert u.loc["U3", "quota_crossed"] and not u.loc["U3", "band_crossed"]
    assert u.loc["U1", "band_crossed"] and u.loc["U2", "band_crossed"]
    reasons = cmp.units["reason"]
    assert reasons["U1"] == reasons["U2"] == "score crossed a grade line" and reasons["U3"] == "quota"
    assert reasons["U4"] == ""
    # item contributions by hand: a1 gains (80 - 50) a/100, b1 loses (50 - 20) b/100
    np.testing.assert_allclose(cmp.contributions["甲指标"], 0.30 * a)
    np.testing.assert_allclose(cmp.contributions["乙指标"], -0.30 * b)
    assert u.loc["U2", "drivers"].startswith("乙指标 -30.00")
    assert set(cmp.movers().index) == {"U1", "U2", "U3", "U5"}
    assert cmp.weights.loc["a", ["nominal_old", "nominal_new"]].tolist() == [0.5, 0.8]


@pytest.mark.parametrize(
    "example, block",
    [
        ("county", "organisation"),
        ("comprehensive", "ideology"),
        ("hangzhou", None),
        ("enterprise_multiplier", None),
    ],
)
def test_score_terms_add_up_under_every_scheme(example, block):
    rubric, data = wb.examples.load_example(example, up_to="data")
    card = wb.score(rubric, data)
    np.testing.assert_allclose(score_terms(card).sum(axis=1), card.final, rtol=0, atol=1e-9)
    target = block or rubric.top_blocks[0]
    new = rubric.with_weights({target: float(rubric.nodes[target].weight) * 1.5})
    cmp = compare_versions(rubric, new, data)
    np.testing.assert_allclose(cmp.contributions.sum(axis=1), cmp.units["score_change"], rtol=0, atol=1e-9)


def test_quota_change_demotes_the_lowest_of_the_band():
    rubric, data = wb.examples.load_example("county", up_to="data")
    tighter = wb.scenario.apply_scenario(
        rubric, wb.scenario.load_scenario(str(ROOT / "indicators/scenarios/quota_10.yaml"))
    )
    cmp = compare_versions(rubric, tighter, data)
    u = cmp.units
    assert (u["score_change"] == 0).all()  # a quota moves grades, never scores
    moved = u.loc[u["grade_change"] != 0]
    assert len(moved) and (moved["grade_change"] < 0).all() and (moved["reason"] == "quota").all()
    # independently: within each category, 优秀 keeps the floor(10% x n) best scores of its band
    new_top = u.loc[u["grade_new"] == "优秀"]
    for cat, group in u.groupby("category"):
        assert (new_top["category"] == cat).sum() <= np.floor(0.10 * len(group) + 1e-9)


def test_versions_refuse_data_that_does_not_fit(tmp_path):
    old = _two(tmp_path, "v1", 50, 50)
    with pytest.raises(DataError, match="b1"):
        compare_versions(old, old, pd.DataFrame({"a1": [90.0]}, index=pd.Index(["U1"], name="unit")))


# ----------------------------------------------------------------------------- periods
def _synthetic_years(seed=7, n=30):
    rng = np.random.default_rng(seed)
    ids = pd.Index([f"U{i:02d}" for i in range(n)], name="unit")
    y1 = pd.DataFrame(
        {"a1": rng.uniform(60, 89, n).round(1), "b1": rng.uniform(60, 89, n).round(1)}, index=ids
    )
    improvers, decliners = ids[[1, 5, 9]], ids[[2, 14, 20]]
    y2 = y1.copy()
    y2.loc[improvers, "a1"] += 10.0
    y2.loc[decliners, "b1"] -= 10.0
    return y1, y2, improvers, decliners


def test_year_over_year_finds_planted_improvers_and_decliners(tmp_path):
    y1, y2, improvers, decliners = _synthetic_years()
    r1 = _two(tmp_path, "y1", 50, 50)
    r2 = _two(tmp_path, "y2", 60, 40)  # this year's rubric re-weights the blocks
    yoy = compare_periods({"2024": (r1, y1), "2025": (r2, y2)}, threshold=0.05)
    assert list(yoy.improving("a")) == list(improvers) and yoy.improving("b").empty
    assert list(yoy.declining("b")) == list(decliners) and yoy.declining("a").empty
    # shares of a block are the item's value / 100: unchanged units show no change at all
    quiet = yoy.block_change.drop(index=improvers.union(decliners))
    assert (quiet.abs().to_numpy() < 1e-12).all()
    np.testing.assert_allclose(yoy.block_change.loc[improvers, "a"], 0.10)
    assert yoy.blocks.loc["a", ["improving", "declining"]].tolist() == [3, 0]
    t1 = pd.Series(_hand_scores(y1["a1"], y1["b1"], 50, 50), index=y1.index)
    t2 = pd.Series(_hand_scores(y2["a1"], y2["b1"], 60, 40), index=y2.index)
    expected = t1.rank(method="min", ascending=False) - t2.rank(method="min", ascending=False)
    np.testing.assert_array_equal(yoy.movement["rank_change"].to_numpy(dtype=float), expected.to_numpy())
    moves = yoy.movement["move"]
    assert set(moves.unique()) <= {"up", "down", "same"}
    assert (moves[expected > 0] == "up").all() and (moves[expected < 0] == "down").all()
    assert int(yoy.transitions.to_numpy().sum()) == len(y1)


def test_three_periods_and_units_that_come_and_go(tmp_path):
    y1, y2, *_ = _synthetic_years(seed=3, n=24)
    y3 = y2.drop(index="U00").copy()
    y3.loc["U99"] = [88.0, 88.0]
    r = _two(tmp_path, "y", 50, 50)
    cards = {k: wb.score(r, d) for k, d in (("2023", y1), ("2024", y2), ("2025", y3))}
    yoy = compare_periods(cards, names={"U99": "新单位"})
    m = yoy.movement
    assert m.loc["U99", "move"] == "new" and m.loc["U00", "move"] == "gone"
    assert pd.isna(m.loc["U99", "rank_change"]) and m.loc["U99", "name"] == "新单位"
    total = (cards["2023"].rank - cards["2025"].rank).dropna()
    np.testing.assert_array_equal(m["rank_change_total"].dropna().to_numpy(dtype=float), total.to_numpy())


def test_block_shares_by_hand_with_exempt_items():
    rubric, data = wb.examples.load_example("county", up_to="data")
    card = wb.score(rubric, data)
    shares = block_shares(card)
    unit = "D001"  # org_recruit is exempt (不涉及) for D001: its block is shared over the other items
    org = [c for c in rubric.indicators if "organisation" in rubric.ancestors(c)]
    applies = card.shares.loc[unit, org].notna()
    expected = card.points.loc[unit, org][applies].sum() / card.full.loc[unit, org][applies].sum()
    assert not applies["org_recruit"]
    assert shares.loc[unit, "organisation"] == pytest.approx(expected)


def test_period_arguments_are_checked(tmp_path):
    r = _two(tmp_path, "y", 50, 50)
    y1, *_ = _synthetic_years(n=21)
    card = wb.score(r, y1)
    with pytest.raises(SpecError, match="two or more"):
        compare_periods({"2025": card})
    with pytest.raises(SpecError, match="threshold"):
        compare_periods({"a": card, "b": card}, threshold=0)
    with pytest.raises(SpecError, match="category"):
        compare_periods({"a": card, "b": card}, rank="category")


def test_charts_draw_the_moves(tmp_path):
    y1, y2, *_ = _synthetic_years()
    r = _two(tmp_path, "y", 50, 50)
    yoy = compare_periods({"2024": (r, y1), "2025": (r, y2)})
    fig = plot_periods(yoy, top=4)
    left, right = fig.axes
    moving = int((yoy.movement["rank_change"].fillna(0) != 0).sum())
    grade_moved = int(
        ((yoy.movement["grade_change"].fillna(0) != 0) & (yoy.movement["rank_change"] != 0)).sum()
    )
    assert min(moving, 8) <= len(left.patches) <= min(moving, 8 + grade_moved)
    assert len(right.patches) == 2 * len(yoy.blocks)
    cmp = compare_versions(r, _two(tmp_path, "y2", 70, 30), y1)
    fig2 = plot_versions(cmp, top=3)
    change = cmp.units["score_change"]
    shown = set(change.nlargest(3).index) | set(change.nsmallest(3).index)
    shown |= set(cmp.units.index[(cmp.units["grade_change"] != 0) & (change != 0)])  # grade changes always
    assert len(fig2.axes[0].patches) == len(shown) and len(fig2.axes[1].patches) == 4 * len(cmp.weights)


# ----------------------------------------------------------------------------- the shipped years
def test_last_years_rubric_and_the_draft_differ_as_documented():
    now = wb.load_rubric(str(ROOT / "indicators/cq_organs.yaml"))
    last = wb.load_rubric(str(ROOT / "indicators/versions/cq_organs_2024.yaml"))
    draft = wb.load_rubric(str(ROOT / "indicators/versions/cq_organs_2026_draft.yaml"))
    found = set(zip(*diff_rubrics(last, now).changes[["change", "code"]].to_numpy().T))
    # 2024 -> 2025: ldr_attend added, the other four leadership items 5 -> 4 points; the grade map
    # and the funding bands were rescaled with them (the same rule), the checklist was not: it still
    # takes 0.5 points per missing item, now of 4 points (12.5% of the item instead of 10%)
    assert found == {
        ("added", "ldr_attend"),
        *[
            ("reweighted", c)
            for c in ("ldr_meetings", "ldr_secretary_report", "ldr_responsibility", "ldr_funding")
        ],
        ("rule", "ldr_responsibility"),
        ("deduction", "ded_late_report"),
        ("quota", "优秀"),
    }
    found = set(zip(*diff_rubrics(now, draft).changes[["change", "code"]].to_numpy().T))
    assert found == {("renamed", "ide_exam"), ("reweighted", "org_three_one"), ("reweighted", "org_records"),
                     ("bonus", ""), ("quota", "优秀")}  # fmt: skip


def test_planted_improvers_move_up_from_last_year():
    now = wb.load_rubric(str(ROOT / "indicators/cq_organs.yaml"))
    last = wb.load_rubric(str(ROOT / "indicators/versions/cq_organs_2024.yaml"))
    data = wb.read_table(str(ROOT / "data/samples/county_organs.csv"), rubric=now)
    before = wb.read_table(str(ROOT / "data/samples/county_organs_2024.csv"), rubric=last)
    assert "ldr_attend" not in before.columns  # last year's form did not ask for it
    truth = pd.read_csv(
        str(ROOT / "data/samples/county_truth_2024.csv"), index_col="unit", dtype={"unit": str}
    )
    yoy = compare_periods({"2024": (last, before), "2025": (now, data)}, rank="overall")
    moved = yoy.movement["rank_change"].astype(float)
    improvers = truth.index[truth["planted"] == "improver"]
    decliners = truth.index[truth["planted"] == "decliner"]
    assert (moved[improvers] > 0).all()  # README: all five move up
    assert (moved[decliners] < 0).sum() >= 4  # four of five move down
    assert moved[improvers].mean() > 10 > -10 > moved[decliners].mean()


# ----------------------------------------------------------------------------- briefing sections
def test_briefing_sections_say_what_the_comparisons_found():
    from workbench.compare import versions_section, years_section
    from workbench.report.document import capture

    now = wb.load_rubric(str(ROOT / "indicators/cq_organs.yaml"))
    last = wb.load_rubric(str(ROOT / "indicators/versions/cq_organs_2024.yaml"))
    draft = wb.load_rubric(str(ROOT / "indicators/versions/cq_organs_2026_draft.yaml"))
    data = wb.read_table(str(ROOT / "data/samples/county_organs.csv"), rubric=now)
    before = wb.read_table(str(ROOT / "data/samples/county_organs_2024.csv"), rubric=last)
    yoy = compare_periods({"2024": (last, before), "2025": (now, data)}, names=data["name"])
    cmp = compare_versions(now, draft, data)
    for lang, words in (
        ("zh", ("与 2024 年比较", "与修订方案比较", "等次变动")),
        ("en", ("Compared with 2024", "revised rubric", "Grade transitions")),
    ):
        with capture() as blocks:
            years_section(yoy, lang)
            versions_section(cmp, lang)
        text = " ".join(str(b.get("text", "")) for b in blocks)
        assert all(w in text for w in words), (lang, text[:300])
        kinds = [b["kind"] for b in blocks]
        assert kinds.count("heading") == 2 and kinds.count("image") == 2
        tables = [b for b in blocks if b["kind"] == "table"]
        transitions = tables[0]
        assert sum(int(v) for row in transitions["rows"] for v in row[1:]) == len(data)  # every unit once
        moved = int((yoy.movement["move"] == "up").sum())
        assert str(moved) in blocks[1]["text"]  # the first sentence counts the units that moved up
    down = cmp.units.index[cmp.units["grade_change"] < 0]
    assert len(down) and all(
        data.at[u, "name"] in text for u in down
    )  # every unit that drops a grade is named


def test_a_line_crossed_but_cancelled_by_the_quota_is_said_so():
    now = wb.load_rubric(str(ROOT / "indicators/cq_organs.yaml"))
    draft = wb.load_rubric(str(ROOT / "indicators/versions/cq_organs_2026_draft.yaml"))
    data = wb.read_table(str(ROOT / "data/samples/county_organs.csv"), rubric=now)
    cmp = compare_versions(now, draft, data)
    u = cmp.units
    held = u.index[u["reason"] == "crossed a grade line, held back by the quota"]
    assert len(held)  # the draft lifts some scores over the 90 line where 15% leaves no place
    band_old, band_new = cmp.old.grade_band.astype(str), cmp.new.grade_band.astype(str)
    for k in held:
        assert band_old[k] != band_new[k] and cmp.old.demoted[k] != cmp.new.demoted[k]
        assert u.at[k, "grade_old"] == u.at[k, "grade_new"]
