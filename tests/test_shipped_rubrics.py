"""The shipped rubric files (indicators/*.yaml): they load, and they score as their own text says.

Every expected number below is worked out by hand from the rubric file (the arithmetic is written
out step by step), never copied from the engine's output. Each scheme's special feature (veto,
capped bonus with stacking highest, quotas, the dual-100 matrix, the multiplicative and the 2%
weighted schemes, categories, exempt items, star quotas) is exercised on a small hand-made table.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import workbench

ROOT = Path(__file__).resolve().parents[1]
INDICATORS = ROOT / "indicators"
SHIPPED = sorted(p.stem for p in INDICATORS.glob("*.yaml"))


def load(code):
    return workbench.load_rubric(INDICATORS / f"{code}.yaml")


def frame(rows: dict) -> pd.DataFrame:
    """Units as a dict {unit id: {column: value}} -> table indexed by unit."""
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "unit"
    return out


# --------------------------------------------------------------------------- every file
def test_all_expected_files_are_shipped():
    expected = {
        "cq_organs",
        "city_shuangshu",
        "enterprise",
        "enterprise_multiplier",
        "longxi_fortress",
        "longxi_service",
        "longxi_vanguard",
        "hangzhou_dual100",
        "comprehensive_2pct",
    }
    assert expected <= set(SHIPPED)


@pytest.mark.parametrize("code", SHIPPED)
def test_rubric_loads_and_documents_itself(code):
    rubric = load(code)
    assert rubric.code == code
    # cited as a reader would cite it: a document title, never an internal file or seed number
    assert rubric.source and "《" in rubric.source
    assert not any(
        w in (rubric.source + rubric.notes).lower() for w in ("seed", "domain.md", "种子", "/work")
    )
    assert rubric.example_data and rubric.subject.name
    assert rubric.notes and len(rubric.notes) > 200  # every chosen number is explained
    assert rubric.scale == 100
    for c in rubric.indicators:
        node = rubric.nodes[c]
        assert node.unit, f"{c} has no unit"
        assert node.source, f"{c} has no source"
        assert node.burden_hours is not None and node.burden_hours > 0, f"{c} has no burden_hours"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in node.name), f"{c} needs a Chinese name"
        assert c.isascii(), f"{c} needs an English code"
    # points: the indicators of the rubric add up to its scale
    assert rubric.full_marks()[rubric.indicators].sum() == pytest.approx(100.0)
    assert rubric.grades.bands


@pytest.mark.parametrize("code", ["cq_organs", "city_shuangshu"])
def test_bigger_schemes_have_20_to_40_items(code):
    assert 20 <= len(load(code).indicators) <= 40


def test_cq_organs_mixes_the_rule_types():
    rubric = load("cq_organs")
    types = {rubric.nodes[c].rule.type for c in rubric.indicators}
    assert {
        "target_ratio",
        "bands",
        "linear",
        "rank_ladder",
        "peer_deviation",
        "grade_map",
        "deduction_per_item",
    } <= types
    assert {rubric.nodes[c].missing for c in rubric.indicators} == {"error", "exempt"}
    assert rubric.top_blocks == ["leadership", "ideology", "organisation", "style", "central"]
    assert [rubric.nodes[b].name for b in rubric.top_blocks] == [
        "领导重视",
        "思想建设",
        "组织建设",
        "作风建设",
        "中心工作",
    ]
    assert set(rubric.categories.weights) == {
        "党政综合部门",
        "经济管理部门",
        "执法监管部门",
        "社会事业部门",
        "群团及其他",
    }


def test_longxi_star_bands_and_first_year_quotas():
    for code in ("longxi_fortress", "longxi_service", "longxi_vanguard"):
        g = load(code).grades
        assert g.bands == (("五星", 90.0), ("四星", 80.0), ("三星", 70.0), ("二星", 60.0), ("一星", 0.0))
        assert dict(g.quota) == {"五星": 0.1, "四星": 0.2}


# --------------------------------------------------------------------------- cq_organs
# A unit of 经济管理部门 (the base weights 20/20/25/15/20), worked out item by item.
CQ_U1 = {
    "category": "经济管理部门",
    "ldr_meetings": 3,
    "ldr_secretary_report": "较好",
    "ldr_responsibility": 2,
    "ldr_funding": 85,
    "ldr_attend": 6,
    "ide_group_study": 9,
    "ide_member_training": 90,
    "ide_party_lectures": 2,
    "ide_ideology_duty": 1,
    "ide_exam": 90,
    "org_three_one": 94,
    "org_theme_day": 12,
    "org_election": 95,
    "org_dues": 100,
    "org_recruit": "不涉及",
    "org_democratic_review": 90,
    "org_standard_branch": 95,
    "org_records": 4,
    "sty_clean_duty": 0,
    "sty_discipline_rate": 0.4,
    "sty_mass_rating": "良好",
    "sty_complaints": 4,
    "cen_task_completion": 95,
    "cen_vanguard_posts": 15,
    "cen_service_projects": 4,
    "cen_innovation": "B",
    "cen_law_enforcement": "不涉及",
    "bonus_national": 0,
    "bonus_city": 1,
    "bonus_district": 0,
    "bonus_promoted": 3,
    "ded_criticised": 1,
    "ded_late_report": 5,
    "ded_rectification": 0,
    "veto_discipline": "否",
    "veto_ideology": "否",
}


def test_cq_organs_hand_checked_unit():
    # two peers in the same category make the peer rules computable by hand
    u2 = {**CQ_U1, "ide_exam": 80, "org_standard_branch": 90}
    u3 = {**CQ_U1, "ide_exam": 70, "org_standard_branch": 85}
    card = workbench.score(load("cq_organs"), frame({"U1": CQ_U1, "U2": u2, "U3": u3}))
    # 领导重视 (20): meetings 3 of target 4 -> 0.75 x 4 = 3.0; report 较好 -> 3.2;
    # responsibility list 2 missing -> 4 - 2 x 0.5 = 3.0; funding 85% -> band >= 80 -> 2;
    # attend 6 of target 6 -> 4.  Sum 3.0 + 3.2 + 3.0 + 2 + 4 = 15.2
    leadership = 3.0 + 3.2 + 3.0 + 2 + 4
    assert card.blocks.loc["U1", "leadership"] == pytest.approx(15.2)
    # 思想建设 (20): study 9 of 12 -> 0.75 x 5 = 3.75; training 90% -> (90-60)/40 = 0.75 x 4 = 3.0;
    # lectures 2 -> band >= 2 -> 2; ideology list 1 missing -> 3 - 0.5 = 2.5;
    # exam: peers 90, 80, 70 -> mean 80, SD 10 -> z = 1 -> 0.85 + 0.08 = 0.93 x 5 = 4.65
    ideology = 3.75 + 3.0 + 2 + 2.5 + 4.65
    assert card.blocks.loc["U1", "ideology"] == pytest.approx(15.9)
    # 组织建设 (25, of which org_recruit's 3 are exempt): three-one 94% -> (94-70)/30 = 0.8 x 5 = 4.0;
    # theme days 12 of 12 -> 3; elections 95% -> band >= 90 -> 2; dues 100% -> 3; recruit 不涉及 -> exempt;
    # review 90% -> (90-80)/20 = 0.5 x 3 = 1.5; standard branches rank 1 of 3 -> first 3;
    # records 4 missing -> 2 - 4 x 0.25 = 1.0.  Sum 17.5 of 22 available
    organisation = 4.0 + 3 + 2 + 3 + 1.5 + 3 + 1.0
    assert card.blocks.loc["U1", "organisation"] == pytest.approx(17.5)
    # 作风建设 (15): clean-governance list complete -> 4; discipline 0.4 per 100 -> band <= 0.5 -> 2;
    # mass rating 良好 -> 4; complaints 4 with target 2 (lower is better) -> 2/4 = 0.5 x 3 = 1.5
    style = 4 + 2 + 4 + 1.5
    # 中心工作 (20, of which cen_law_enforcement's 3 are exempt): tasks 95% -> (95-60)/40 = 0.875 x 6 = 5.25;
    # vanguard posts 15% of target 30% -> 0.5 x 3 = 1.5; 4 projects -> band >= 4 -> 3; innovation B -> 3.2
    central = 5.25 + 1.5 + 3 + 3.2
    earned = leadership + ideology + organisation + style + central  # 73.05
    available = 100 - 3 - 3  # two exempt items
    base = earned * 100 / available  # 77.7128
    assert card.available["U1"] == pytest.approx(94)
    assert card.base["U1"] == pytest.approx(base)
    # bonus: 市级表彰 1 x 2 = 2; 经验推广 3 x 1 = 3, item cap 2 -> 2; sum 4 (cap 5)
    assert card.bonus["U1"] == pytest.approx(4.0)
    # deductions: 通报批评 1 x 3 = 3; 逾期报送 5 x 0.5 = 2.5, item cap 2 -> 2; sum 5 (cap 10)
    assert card.deduction["U1"] == pytest.approx(5.0)
    total = base + 4.0 - 5.0  # 76.7128
    assert card.total["U1"] == pytest.approx(total)
    assert round(total, 2) == 76.71
    assert card.grade["U1"] == "一般"  # 60 <= 76.7 < 80


def _cq_near_perfect(category, task=100.0):
    """Every item at full marks except the peer-relative exam (equal peers: z = 0 -> 0.85 x 5 =
    4.25, so 0.75 below full marks) and the task completion rate that orders the units."""
    return {
        "category": category,
        "ldr_meetings": 4,
        "ldr_secretary_report": "好",
        "ldr_responsibility": 0,
        "ldr_funding": 100,
        "ldr_attend": 6,
        "ide_group_study": 12,
        "ide_member_training": 100,
        "ide_party_lectures": 4,
        "ide_ideology_duty": 0,
        "ide_exam": 85,
        "org_three_one": 100,
        "org_theme_day": 12,
        "org_election": 100,
        "org_dues": 100,
        "org_recruit": 100,
        "org_democratic_review": 100,
        "org_standard_branch": 90,
        "org_records": 0,
        "sty_clean_duty": 0,
        "sty_discipline_rate": 0,
        "sty_mass_rating": "优秀",
        "sty_complaints": 0,
        "cen_task_completion": task,
        "cen_vanguard_posts": 30,
        "cen_service_projects": 6,
        "cen_innovation": "A",
        "cen_law_enforcement": 100,
        "bonus_national": 0,
        "bonus_city": 0,
        "bonus_district": 0,
        "bonus_promoted": 0,
        "ded_criticised": 0,
        "ded_late_report": 0,
        "ded_rectification": 0,
        "veto_discipline": "否",
        "veto_ideology": "否",
    }


def test_cq_organs_veto_overrides_the_score():
    rows = {f"U{i}": _cq_near_perfect("经济管理部门") for i in range(1, 11)}
    rows["U1"] = {**rows["U1"], "veto_discipline": "是"}
    rows["U2"] = {**rows["U2"], "veto_ideology": "是"}
    card = workbench.score(load("cq_organs"), frame(rows))
    # everyone: 100 - 0.75 (exam at the peer mean) = 99.25
    assert card.total.to_numpy() == pytest.approx([99.25] * 10)
    assert card.grade["U1"] == "较差"  # 严重违纪: effect lowest
    assert card.grade["U2"] == "一般"  # 意识形态事件: capped at 一般


def test_cq_organs_quota_within_each_category_and_ties_excluded():
    # five units per category with task completion 100, 95, 90, 85, 80 -> each step loses
    # 5/40 x 6 = 0.75 points, so totals are 99.25, 98.5, 97.75, 97.0, 96.25: all in the 优秀 band.
    # Quota 优秀 <= 20% within the category: floor(0.2 x 5) = 1 place per category.
    rows = {}
    for cat, prefix in (("经济管理部门", "E"), ("群团及其他", "Q")):
        for k, task in enumerate([100, 95, 90, 85, 80]):
            rows[f"{prefix}{k + 1}"] = _cq_near_perfect(cat, task)
    card = workbench.score(load("cq_organs"), frame(rows))
    assert card.total[["E1", "E2", "E3", "E4", "E5"]].to_numpy() == pytest.approx(
        [99.25, 98.5, 97.75, 97.0, 96.25]
    )
    # 群团及其他 weights central work 15 instead of 20: the task item is worth 6 x 15/20 = 4.5,
    # each 5-point step loses 5/40 x 4.5 = 0.5625; the exam is worth 5 x 20/20 = 5 -> loses 0.75
    assert card.total[["Q1", "Q2", "Q5"]].to_numpy() == pytest.approx(
        [99.25, 99.25 - 0.5625, 99.25 - 4 * 0.5625]
    )
    assert (card.grade_band == "优秀").all()
    assert card.grade[card.grade == "优秀"].index.tolist() == ["E1", "Q1"]
    assert card.grade[["E2", "E3", "E4", "E5", "Q2", "Q5"]].eq("良好").all()
    # ties at the boundary: E1 and E2 equal -> the one place cannot be split, both are demoted
    rows["E2"] = _cq_near_perfect("经济管理部门", 100)
    card = workbench.score(load("cq_organs"), frame(rows))
    assert card.grade["E1"] == card.grade["E2"] == "良好"
    assert card.grade["Q1"] == "优秀"


def test_cq_organs_category_weights():
    # the same near-perfect unit with a 一般 mass rating (2.5 of 5 base points: share 0.5) in two categories:
    # 经济管理部门 style block 15 -> the item is worth 5 -> loses 2.5 -> 99.25 - 2.5 = 96.75
    # 执法监管部门 style block 20 -> the item is worth 5 x 20/15 = 6.667 -> loses 3.333;
    #   its ideology block is 15, so the exam is worth 5 x 15/20 = 3.75 and loses 0.15 x 3.75 = 0.5625
    #   -> 100 - 0.5625 - 3.3333 = 96.1042
    a = {**_cq_near_perfect("经济管理部门"), "sty_mass_rating": "一般"}
    b = {**_cq_near_perfect("执法监管部门"), "sty_mass_rating": "一般"}
    card = workbench.score(load("cq_organs"), frame({"A": a, "B": b}))
    assert card.total["A"] == pytest.approx(96.75)
    assert card.total["B"] == pytest.approx(100 - 0.15 * 3.75 - 0.5 * 5 * 20 / 15)
    assert card.full.loc["B", "sty_mass_rating"] == pytest.approx(20 / 3)


# --------------------------------------------------------------------------- comprehensive_2pct
COMP_U1 = {
    "ldr_meetings": 3,
    "ldr_responsibility": 2,
    "ide_group_study": 12,
    "ide_member_training": 80,
    "org_three_one": 85,
    "org_dues": 98.5,
    "org_democratic_review": 100,
    "sty_clean_duty": 1,
    "sty_mass_rating": "良好",
    "cen_task_completion": 90,
    "veto_discipline": "否",
    "econ_score": 92,
}


def test_comprehensive_hand_checked_unit():
    card = workbench.score(load("comprehensive_2pct"), frame({"U1": COMP_U1}))
    # meetings 3/4 x 10 = 7.5; list 2 missing -> 10 - 2 x 1.25 = 7.5; study 12/12 -> 10;
    # training (80-60)/40 = 0.5 x 10 = 5; three-one (85-70)/30 = 0.5 x 10 = 5; dues 98.5 -> band >= 98 -> 3;
    # review 100 -> 10; clean duty 1 missing -> 8 - 1 = 7; mass rating 良好 -> 5.6; tasks (90-60)/40 x 20 = 15
    party = 7.5 + 7.5 + 10 + 5 + 5 + 3 + 10 + 7 + 5.6 + 15  # 75.6
    assert card.total["U1"] == pytest.approx(party)
    # weighted 2%: 0.02 x 75.6 + 0.98 x 92 = 1.512 + 90.16 = 91.672 -> band 优秀
    assert card.final["U1"] == pytest.approx(0.02 * 75.6 + 0.98 * 92)
    assert card.grade_band["U1"] == "优秀"
    # ... but 优秀 <= 20% of one unit is floor(0.2) = 0 places, so the quota demotes it to 良好
    assert card.grade["U1"] == "良好"


def test_comprehensive_two_percent_barely_moves_the_ranking():
    perfect = {
        **COMP_U1,
        "ldr_meetings": 4,
        "ldr_responsibility": 0,
        "ide_member_training": 100,
        "org_three_one": 100,
        "org_dues": 100,
        "sty_clean_duty": 0,
        "sty_mass_rating": "优秀",
        "cen_task_completion": 100,
    }
    poor = {
        **COMP_U1,
        "ldr_meetings": 2,
        "ldr_responsibility": 8,
        "ide_group_study": 6,
        "ide_member_training": 60,
        "org_three_one": 70,
        "org_dues": 90,
        "org_democratic_review": 80,
        "sty_clean_duty": 8,
        "sty_mass_rating": "较差",
        "cen_task_completion": 60,
    }
    rows = {
        "A": {**perfect, "econ_score": 85},
        "B": {**poor, "econ_score": 86},
        "C": {**perfect, "econ_score": 99, "veto_discipline": "是"},
    }
    card = workbench.score(load("comprehensive_2pct"), frame(rows))
    # A: party 100 -> 0.02 x 100 + 0.98 x 85 = 85.3
    # B: party 10 (meetings 2/4 x 10 = 5, study 6/12 x 10 = 5, every other item 0)
    #    -> 0.02 x 10 + 0.98 x 86 = 84.48
    assert card.total["A"] == pytest.approx(100)
    assert card.total["B"] == pytest.approx(10)
    assert card.final["A"] == pytest.approx(85.3)
    assert card.final["B"] == pytest.approx(84.48)
    # a 90-point gap in party building is worth 1.8 points; one point of economic score is worth 0.98
    assert card.final["A"] - card.final["B"] == pytest.approx(0.02 * 90 - 0.98 * 1)
    # the veto still decides the grade whatever the weight: C has 0.02 x 100 + 0.98 x 99 = 99.02
    assert card.final["C"] == pytest.approx(99.02)
    assert card.grade["C"] == "较差"


# --------------------------------------------------------------------------- hangzhou_dual100
HZ_PERFECT = {
    "hz_clean_duty": 0,
    "hz_clean_cases": 0,
    "hz_inspection_rectify": 100,
    "hz_clean_talks": 100,
    "hz_eight_rules": 0,
    "hz_branch_standard": 100,
    "hz_three_one": 100,
    "hz_report_quality": 100,
    "hz_cadre_review": "好",
    "hz_member_mgmt": 0,
    "hz_secretary_training": 100,
    "hz_ideology_duty": 0,
    "hz_theory_study": 12,
    "hz_publicity": 20,
    "hz_opinion_response": 100,
    "hz_other_tasks": 100,
    "hz_sat_members": 100,
    "hz_sat_public": 100,
}


def test_hangzhou_hand_checked_unit():
    u = {
        **HZ_PERFECT,
        "hz_clean_duty": 2,
        "hz_clean_cases": 0.8,
        "hz_inspection_rectify": 90,
        "hz_clean_talks": 95,
        "hz_eight_rules": 1,
        "hz_branch_standard": 90,
        "hz_three_one": 91,
        "hz_report_quality": 91.7,
        "hz_cadre_review": "较好",
        "hz_member_mgmt": 1,
        "hz_secretary_training": 95,
        "hz_ideology_duty": 1,
        "hz_theory_study": 10,
        "hz_publicity": 12,
        "hz_opinion_response": 96,
        "hz_other_tasks": 100,
        "hz_sat_members": 94,
        "hz_sat_public": 92,
        "econ_score": 84,
    }
    card = workbench.score(load("hangzhou_dual100"), frame({"U1": u}))
    # 党风廉政 (25): list 2 missing -> 6 - 1.6 = 4.4; 0.8 cases per 100 -> band <= 1 -> 1;
    # rectification 90/100 x 6 = 5.4; talks (95-80)/20 = 0.75 x 4 = 3; 1 eight-rules problem -> 2
    clean = 4.4 + 1 + 5.4 + 3 + 2  # 15.8
    # 组织建设 (30): standard (90-60)/40 = 0.75 x 8 = 6; three-one (91-70)/30 = 0.7 x 5 = 3.5;
    # report quality 91.7 -> band >= 90 -> 4; cadre review 较好 -> 3.2; member list 1 missing -> 6 - 0.8 = 5.2;
    # secretary training 95/100 x 2 = 1.9
    organisation = 6 + 3.5 + 4 + 3.2 + 5.2 + 1.9  # 23.8
    # 宣传思想 (20): ideology list 1 missing -> 6 - 1 = 5; study 10/12 x 5 = 4.1667; 12 articles -> band >= 10 -> 3;
    # opinion response (96-80)/20 = 0.8 x 4 = 3.2
    ideology = 5 + 10 / 12 * 5 + 3 + 3.2  # 15.3667
    other = 5  # 100% of other tasks
    # 满意度 (20): members (94-60)/40 = 0.85 x 10 = 8.5; public (92-60)/40 = 0.8 x 10 = 8
    satisfaction = 8.5 + 8
    total = clean + organisation + ideology + other + satisfaction  # 76.4667
    assert card.total["U1"] == pytest.approx(total)
    assert card.blocks.loc["U1", "performance"] == pytest.approx(clean + organisation + ideology + other)
    # party 76.5 -> 一般; economic 84 -> 良好; matrix row 一般, column 良好 -> 良好; ranked by 76.47 + 84
    assert card.grade["U1"] == "良好"
    assert card.final["U1"] == pytest.approx(total + 84)


def test_hangzhou_matrix_poor_party_building_blocks_the_top_grade():
    # party-building totals made by lowering satisfaction items from the perfect 100:
    # members 80 -> (80-60)/40 = 0.5 x 10 = 5 -> loses 5; members 60 -> loses 10; public 80 -> loses 5
    p95 = {**HZ_PERFECT, "hz_sat_members": 80}  # 95 -> 优秀
    p85 = {**HZ_PERFECT, "hz_sat_members": 60, "hz_sat_public": 80}  # 85 -> 良好
    p75 = {
        **HZ_PERFECT,
        "hz_sat_members": 60,
        "hz_sat_public": 60,
        "hz_other_tasks": 0,
    }  # 100-20-5 = 75 -> 一般
    # 较差: additionally standard branches 60% (-8), three-one 70% (-5), no articles (-5), clean list all missing (-6)
    p51 = {**p75, "hz_branch_standard": 60, "hz_three_one": 70, "hz_publicity": 0, "hz_clean_duty": 10}
    rows = {
        "A": {**p95, "econ_score": 95},
        "B": {**p85, "econ_score": 95},
        "C": {**p75, "econ_score": 95},
        "D": {**p51, "econ_score": 95},
        "E": {**p95, "econ_score": 70},
        "F": {**p75, "econ_score": 85},
        "G": {**p51, "econ_score": 70},
        "H": {**p51, "econ_score": 50},
    }
    card = workbench.score(load("hangzhou_dual100"), frame(rows))
    assert card.total[list("ABCD")].to_numpy() == pytest.approx([95, 85, 75, 51])
    expected = {
        "A": "优秀",  # 优秀 x 优秀
        "B": "优秀",  # party 良好 does not block: the economic grade passes
        "C": "良好",  # party 一般 blocks the top grade: 优秀 -> 良好
        "D": "一般",  # party 较差: at most 一般
        "E": "一般",  # strong party building does not lift a 一般 economy
        "F": "良好",  # 一般 x 良好 -> 良好
        "G": "一般",  # 较差 x 一般 -> 一般
        "H": "较差",  # 较差 x 较差
    }
    assert card.grade.to_dict() == expected


def test_hangzhou_matrix_differs_from_the_default_worse_of_two(tmp_path):
    import yaml

    spec = yaml.safe_load((INDICATORS / "hangzhou_dual100.yaml").read_text(encoding="utf-8"))
    del spec["scheme"]["matrix"]
    path = tmp_path / "worse_of_two.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    p85 = {**HZ_PERFECT, "hz_sat_members": 60, "hz_sat_public": 80}  # 85 -> 良好
    p75 = {**HZ_PERFECT, "hz_sat_members": 60, "hz_sat_public": 60, "hz_other_tasks": 0}  # 75 -> 一般
    data = frame({"B": {**p85, "econ_score": 95}, "F": {**p75, "econ_score": 85}})
    shipped = workbench.score(load("hangzhou_dual100"), data).grade
    worse = workbench.score(workbench.load_rubric(path), data).grade
    # party 良好 x economy 优秀: the file passes the economic grade, worse-of-two gives 良好
    # party 一般 x economy 良好: the file caps at 良好 (no change), worse-of-two gives 一般
    assert shipped.tolist() == ["优秀", "良好"]
    assert worse.tolist() == ["良好", "一般"]


# --------------------------------------------------------------------------- enterprise
ENT_U1 = {
    "ent_revenue": 96,
    "ent_profit": 110,
    "ent_asset_growth": 103,
    "ent_safety_incidents": 1,
    "ent_member_projects": 2,
    "ent_three_one": 91,
    "ent_org_life": 1,
    "ent_duty_list": 3,
    "ent_training_hours": 24,
    "ent_recruit": 100,
    "ent_dues": 99,
    "ent_democratic_rating": 90,
    "ent_superior_rating": "B",
    "ent_honour_national": 0,
    "ent_honour_provincial": 2,
    "ent_honour_group": 3,
    "ent_criticised_group": 1,
    "ent_criticised_superior": 0,
    "ent_veto_safety": 0,
    "ent_veto_stability": 0,
    "business_score": 88,
}


def test_enterprise_hand_checked_unit():
    card = workbench.score(load("enterprise"), frame({"U1": ENT_U1}))
    # 发展业绩 (40): revenue 96% -> 0.96 x 10 = 9.6; profit 110% -> capped 1.0 x 10 = 10;
    # asset growth 103% -> band >= 102 -> 6; 1 accident -> 3; 2 of 3 projects -> 2/3 x 6 = 4
    performance = 9.6 + 10 + 6 + 3 + 4  # 32.6
    # 工作质量 (30): three-one (91-70)/30 = 0.7 x 6 = 4.2; org life 1 missing -> 5 - 1 = 4;
    # duty list 3 missing -> 5 - 1.5 = 3.5; training 24/32 = 0.75 x 5 = 3.75; recruit 100% -> 4; dues 99 -> band 98 -> 3
    quality = 4.2 + 4 + 3.5 + 3.75 + 4 + 3  # 22.45
    # 组织活力 (30): democratic rating (90-60)/40 = 0.75 x 20 = 15; superior B -> 8
    vitality = 15 + 8
    assert card.blocks.loc["U1", "performance"] == pytest.approx(performance)
    assert card.blocks.loc["U1", "work_quality"] == pytest.approx(quality)
    # bonus, stacking highest: provincial 2 x 2 = 4, item cap 2 -> 2; group 3 x 1 = 3, item cap 1 -> 1;
    # the highest is 2 (no stacking); deduction: group criticism 1 x 3 = 3
    total = performance + quality + vitality + 2 - 3  # 77.05
    assert card.bonus["U1"] == pytest.approx(2)
    assert card.total["U1"] == pytest.approx(total)
    assert card.grade["U1"] == "一般"


def test_enterprise_bonus_highest_level_only_capped_deductions_and_veto():
    rows = {
        "A": {**ENT_U1, "ent_honour_national": 0, "ent_honour_provincial": 0, "ent_honour_group": 4},
        "B": {**ENT_U1, "ent_honour_national": 1, "ent_honour_provincial": 1, "ent_honour_group": 1},
        "C": {**ENT_U1, "ent_honour_national": 2, "ent_honour_provincial": 0, "ent_honour_group": 0},
        "D": {**ENT_U1, "ent_criticised_group": 2, "ent_criticised_superior": 2},
        "E": {**ENT_U1, "ent_veto_safety": 1, "ent_honour_national": 1, "ent_criticised_group": 0},
        "F": {**ENT_U1, "ent_veto_stability": 1},
    }
    card = workbench.score(load("enterprise"), frame(rows))
    # A: four group-level honours are worth one group-level honour: min(4 x 1, 1) = 1
    # B: national 3, provincial 2, group 1 -> the highest only: 3 (not 6)
    # C: two national honours -> min(2 x 3, 3) = 3, and the overall cap is 3
    assert card.bonus[["A", "B", "C"]].to_numpy() == pytest.approx([1, 3, 3])
    # D: group 2 x 3 = 6, superior 2 x 5 = 10 -> 16, capped at 10
    assert card.deduction["D"] == pytest.approx(10)
    base = 32.6 + 22.45 + 23  # the hand-checked unit's base score, 78.05
    assert card.total["D"] == pytest.approx(base + 2 - 10)
    # E has the best total here (78.05 + 3) but a major accident: one-vote veto -> 较差
    assert card.total["E"] == pytest.approx(base + 3)
    assert card.grade["E"] == "较差" and card.grade["F"] == "较差"


# --------------------------------------------------------------------------- enterprise_multiplier
def test_enterprise_multiplier_hand_checked_and_multiplicative():
    perfect = {
        **ENT_U1,
        "ent_three_one": 100,
        "ent_org_life": 0,
        "ent_duty_list": 0,
        "ent_training_hours": 32,
        "ent_recruit": 100,
        "ent_dues": 100,
        "ent_democratic_rating": 100,
        "ent_superior_rating": "A",
        "ent_criticised_group": 0,
    }
    rows = {
        "U1": ENT_U1,
        "A": {**perfect, "business_score": 90},
        "B": {**perfect, "ent_democratic_rating": 80, "business_score": 95},
        "C": {**perfect, "business_score": 99, "ent_veto_stability": 1},
    }
    card = workbench.score(load("enterprise_multiplier"), frame(rows))
    # U1 party building (100): three-one (91-70)/30 = 0.7 x 10 = 7; org life 1 missing -> 8 - 1.5 = 6.5;
    # duty list 3 missing -> 8 - 3 = 5; training 24/32 x 8 = 6; recruit 100% -> 8; dues 99 -> band 98 -> 5;
    # democratic (90-60)/40 = 0.75 x 30 = 22.5; superior B -> 16; deduction 1 group criticism -> -3
    party = 7 + 6.5 + 5 + 6 + 8 + 5 + 22.5 + 16 - 3  # 73.0
    assert card.total["U1"] == pytest.approx(party)
    # final = business 88 x 73.0 / 100 = 64.24 -> C级 (60-75)
    assert card.final["U1"] == pytest.approx(88 * 73.0 / 100)
    assert card.grade["U1"] == "C级"
    # A: 90 x 100% = 90 -> A级; B: democratic (80-60)/40 x 30 = 15 (loses 15) -> 85% x 95 = 80.75 -> B级
    assert card.final["A"] == pytest.approx(90)
    assert card.final["B"] == pytest.approx(95 * 0.85)
    # the product: a better business score cannot make up for the party-building rate (B < A)
    assert card.grade_band[["A", "B"]].tolist() == ["A级", "B级"]
    # quota A级 <= 20% of 4 units -> floor(0.8) = 0 places: A is demoted to B级; C (99 x 100%) is vetoed
    assert card.grade[["A", "B", "C"]].tolist() == ["B级", "B级", "D级"]


# --------------------------------------------------------------------------- city_shuangshu
SS_U1 = {
    "rep_decisions": "好",
    "rep_responsibility": "较好",
    "rep_innovation": "一般",
    "rep_teams": "好",
    "rep_support": "差",
    "rep_supervision": "较好",
    "rt_inspection": 88,
    "rt_calendar": 95,
    "rt_information": 7,
    "rt_rectification": 85,
    "dem_self": "好",
    "dem_peers": 80,
    "dem_masses": 90,
    "dem_organisation": "较好",
    "perf_weak_orgs": "不涉及",
    "perf_recruit": 120,
    "perf_young_recruits": 50,
    "perf_collective_income": 70,
    "perf_venues": 90,
    "perf_training": 94,
    "talk_committee": "较好",
    "talk_secretary": "好",
    "ss_bonus_promoted": 3,
    "ss_ded_neglect": 1,
    "ss_veto_false_data": "无",
    "ss_veto_mass_incident": "无",
}


def test_city_shuangshu_hand_checked_unit():
    rows = {
        "U1": SS_U1,
        "U2": {**SS_U1, "ss_veto_mass_incident": "有"},
        "U3": {**SS_U1, "ss_veto_false_data": "有"},
    }
    card = workbench.score(load("city_shuangshu"), frame(rows))
    # 专项述职 (20): 好 4 x 1.0 = 4; 较好 4 x 0.8 = 3.2; 一般 3 x 0.6 = 1.8; 好 3; 差 3 x 0.3 = 0.9; 较好 3 x 0.8 = 2.4
    report = 4 + 3.2 + 1.8 + 3 + 0.9 + 2.4  # 15.3
    # 平时考核 (25): inspection (88-60)/40 = 0.7 x 8 = 5.6; calendar 95% x 7 = 6.65; 7 articles -> band >= 6 -> 3;
    # rectification (85-70)/30 = 0.5 x 6 = 3
    routine = 5.6 + 6.65 + 3 + 3  # 18.25
    # 民主测评 (20): self 好 -> 4; peers (80-50)/50 = 0.6 x 8 = 4.8; masses (90-50)/50 = 0.8 x 4 = 3.2; organisation 较好 -> 3.2
    democratic = 4 + 4.8 + 3.2 + 3.2  # 15.2
    # 实绩分析 (25, weak-organisation item exempt -> 20 available): recruit 120% capped -> 4;
    # young recruits (50-30)/40 = 0.5 x 3 = 1.5; collective income (70-40)/60 = 0.5 x 5 = 2.5;
    # venues (90-60)/40 = 0.75 x 4 = 3; training (94-70)/30 = 0.8 x 4 = 3.2
    performance = 4 + 1.5 + 2.5 + 3 + 3.2  # 14.2
    # 个别谈话 (10): 较好 6 x 0.8 = 4.8; 好 4
    talks = 4.8 + 4
    base = (report + routine + democratic + performance + talks) * 100 / 95  # 71.75 / 95 x 100 = 75.5263
    # bonus 3 x 1 = 3, capped at 2; deduction 1 x 3 = 3
    total = base + 2 - 3
    assert card.base["U1"] == pytest.approx(base)
    assert card.total["U1"] == pytest.approx(total)
    assert round(total, 2) == 74.53
    assert card.grade["U1"] == "一般"
    assert card.grade["U2"] == "一般"  # capped at 一般: no change for a 一般 unit
    assert card.grade["U3"] == "差"  # false data: lowest


def test_city_shuangshu_quota_thirty_percent():
    # ten units in the 好 band (>= 90); 好 <= 30% -> floor(0.3 x 10) = 3 places
    perfect = {
        **SS_U1,
        **{c: "好" for c in SS_U1 if c.startswith(("rep_", "talk_"))},
        "rt_inspection": 100,
        "rt_calendar": 100,
        "rt_information": 12,
        "rt_rectification": 100,
        "dem_peers": 100,
        "dem_masses": 100,
        "dem_organisation": "好",
        "perf_young_recruits": 70,
        "perf_collective_income": 100,
        "perf_venues": 100,
        "perf_training": 100,
        "ss_bonus_promoted": 0,
        "ss_ded_neglect": 0,
    }
    rows = {f"U{k:02d}": {**perfect, "rt_inspection": 100 - 4 * k} for k in range(10)}
    card = workbench.score(load("city_shuangshu"), frame(rows))
    # each 4 inspection points lose 4/40 x 8 = 0.8 points of 100 available... of 95 available, rescaled:
    # U00 = 100, U01 = (95 - 0.8)/95 x 100 = 99.158, ..., U09 = (95 - 7.2)/95 x 100 = 92.42
    assert card.total["U09"] == pytest.approx((95 - 7.2) / 95 * 100)
    assert (card.grade_band == "好").all()
    assert card.grade_counts().to_dict() == {"好": 3, "较好": 7, "一般": 0, "差": 0}
    assert card.grade[["U00", "U01", "U02"]].eq("好").all()


# --------------------------------------------------------------------------- longxi
LX_U1 = {
    "town": "东风镇",
    "lx_secretary_review": "较好",
    "lx_committee": 1,
    "lx_reserve_cadres": 1,
    "lx_training": 30,
    "lx_new_members": 3,
    "lx_young_share": 15,
    "lx_mobile_contact": "不涉及",
    "lx_qualified": 96,
    "lx_three_one": 91,
    "lx_theme_day": 9,
    "lx_life_meeting": 1,
    "lx_poverty_exit": 100,
    "lx_collective_income": 6.5,
    "lx_agency_service": 45,
    "lx_satisfaction": 80,
    "lx_venue": 0,
    "lx_funds": 85,
    "lx_records": 3,
    "lx_bonus_honour": 1,
    "lx_bonus_model": 1,
    "lx_ded_criticised": 0,
    "lx_veto_satisfaction": "",
    "lx_veto_weak": "",
}


def test_longxi_fortress_hand_checked_unit():
    rows = {
        "U1": LX_U1,
        "U2": {**LX_U1, "lx_veto_weak": "是"},
        "U3": {**LX_U1, "lx_satisfaction": 45, "lx_veto_satisfaction": "是"},
    }
    card = workbench.score(load("longxi_fortress"), frame(rows))
    # 班子建设 (20): review 较好 0.8 x 8 = 6.4; committee 1 missing -> 4 - 1 = 3; reserve 1 of 2 -> 0.5 x 4 = 2;
    # training 30/40 = 0.75 x 4 = 3
    team = 6.4 + 3 + 2 + 3  # 14.4
    # 党员队伍 (20, mobile contact exempt -> 15): 3 of 3 -> 5; young (15-5)/20 = 0.5 x 5 = 2.5; qualified 96 -> band >= 95 -> 4
    members = 5 + 2.5 + 4  # 11.5
    # 组织生活 (20): three-one (91-70)/30 = 0.7 x 8 = 5.6; theme 9/12 = 0.75 x 6 = 4.5; life meeting 1 missing -> 6 - 1.5 = 4.5
    life = 5.6 + 4.5 + 4.5  # 14.6
    # 服务发展 (25): poverty exit 100% -> 8; income 6.5 -> band >= 5 -> 5; agency 45/60 = 0.75 x 5 = 3.75;
    # satisfaction (80-50)/50 = 0.6 x 5 = 3
    service = 8 + 5 + 3.75 + 3  # 19.75
    # 基础保障 (15): venue complete -> 5; funds 85 -> band >= 80 -> 3; records 3 missing -> 5 - 1.5 = 3.5
    support = 5 + 3 + 3.5  # 11.5
    base = (team + members + life + service + support) * 100 / 95  # 71.75 / 95 x 100 = 75.526
    total = base + 2 + 1  # honour 2 + model 1 (sum, cap 5)
    assert card.total["U1"] == pytest.approx(total)
    assert round(total, 2) == 78.53
    assert card.grade["U1"] == "三星"  # 70 <= 78.5 < 80
    assert card.grade["U2"] == "二星"  # 软弱涣散: the grade is capped at 二星, so 三星 becomes 二星
    # U3: satisfaction 45 -> (45-50) < 0 -> 0 points, and the no-star veto -> 一星
    assert card.grade["U3"] == "一星"


def test_longxi_star_quotas_within_each_town():
    # ten branches of one town, all in the 五星 band; another town with two branches
    perfect = {
        **LX_U1,
        "lx_secretary_review": "好",
        "lx_committee": 0,
        "lx_reserve_cadres": 2,
        "lx_training": 40,
        "lx_young_share": 25,
        "lx_qualified": 100,
        "lx_three_one": 100,
        "lx_theme_day": 12,
        "lx_life_meeting": 0,
        "lx_collective_income": 10,
        "lx_agency_service": 60,
        "lx_satisfaction": 100,
        "lx_funds": 100,
        "lx_records": 0,
        "lx_bonus_honour": 0,
        "lx_bonus_model": 0,
    }
    rows = {f"A{k:02d}": {**perfect, "lx_agency_service": 60 - 3 * k} for k in range(10)}
    rows.update(
        {"B01": {**perfect, "town": "红星镇"}, "B02": {**perfect, "town": "红星镇", "lx_agency_service": 30}}
    )
    card = workbench.score(load("longxi_fortress"), frame(rows))
    # A-town: each 3 fewer services lose 3/60 x 5 = 0.25 of 95 available: A00 = 100 ... A09 = (95 - 2.25)/95 x 100 = 97.63
    assert card.total["A09"] == pytest.approx((95 - 2.25) / 95 * 100)
    # 五星 <= 10%: floor(0.1 x 10) = 1 -> A00; the nine demoted compete for 四星 <= 20%: floor(2) = 2 -> A01, A02;
    # the other seven fall to 三星
    a = card.grade[[f"A{k:02d}" for k in range(10)]].tolist()
    assert a == ["五星", "四星", "四星"] + ["三星"] * 7
    # B-town: floor(0.1 x 2) = 0 five-star places, floor(0.2 x 2) = 0 four-star places -> both 三星
    assert card.grade[["B01", "B02"]].tolist() == ["三星", "三星"]


def test_longxi_service_hand_checked_unit():
    u = {
        "town": "东风镇",
        "sv_attendance": 95,
        "sv_tasks": 90,
        "sv_review": "较好",
        "sv_visits": 80,
        "sv_agency": 50,
        "sv_satisfaction": 90,
        "sv_help_households": "不涉及",
        "sv_help_exit": "不涉及",
        "sv_violations": 1,
        "sv_bonus_honour": 1,
        "sv_ded_complaint": 2,
        "sv_veto_discipline": "",
    }
    card = workbench.score(load("longxi_service"), frame({"U1": u, "U2": {**u, "sv_veto_discipline": "是"}}))
    # 履职 (30): attendance (95-80)/20 = 0.75 x 8 = 6; tasks 90% x 12 = 10.8; review 较好 -> 8
    # 服务 (35): visits 80/100 x 10 = 8; agency 50/40 capped -> 10; satisfaction (90-60)/40 = 0.75 x 15 = 11.25
    # 扶贫 (20): both items 不涉及 -> exempt (20 points unavailable)
    # 纪律 (15): 1 violation -> band <= 1 -> 10
    earned = 6 + 10.8 + 8 + 8 + 10 + 11.25 + 10  # 64.05 of 80 available
    base = earned * 100 / 80  # 80.0625
    total = base + 2 - 4  # honour 1 x 2; complaints 2 x 2 = 4 (cap 6)
    assert card.available["U1"] == pytest.approx(80)
    assert card.total["U1"] == pytest.approx(total)
    assert card.grade["U1"] == "三星"  # 78.06
    assert card.grade["U2"] == "一星"


def test_longxi_vanguard_hand_checked_unit_and_elderly_exemption():
    young = {
        "town": "东风镇",
        "vg_study_hours": 24,
        "vg_org_life": 18,
        "vg_dues_months": 11,
        "vg_violations": 0,
        "vg_mass_rating": "良好",
        "vg_family": "好",
        "vg_volunteer_hours": 30,
        "vg_help_households": 1,
        "vg_lead_projects": 1,
        "vg_bonus_deed": 0,
        "vg_veto_redline": "",
        "vg_veto_dues": "",
    }
    old = {
        **young,
        "vg_volunteer_hours": "不涉及",
        "vg_help_households": "不涉及",
        "vg_lead_projects": "不涉及",
    }
    card = workbench.score(
        load("longxi_vanguard"), frame({"Y": young, "O": old, "V": {**young, "vg_veto_dues": "是"}})
    )
    # 政治 (25): study 24/32 = 0.75 x 10 = 7.5; organisational life 18/24 = 0.75 x 15 = 11.25
    # 纪律 (25): dues 11 months -> band >= 10 -> 6; no violation -> 15
    # 品德 (20): mass rating 良好 0.8 x 12 = 9.6; family 好 -> 8
    common = 7.5 + 11.25 + 6 + 15 + 9.6 + 8  # 57.35
    # 作为 (30): volunteer 30 h of 24 -> capped 10; 1 of 2 households -> 5; 1 project -> band >= 1 -> 7
    assert card.total["Y"] == pytest.approx(common + 10 + 5 + 7)  # 79.35 -> 三星
    # aged 70+: the three contribution items are exempt -> 57.35 of 70 available, rescaled to 100 = 81.93 -> 四星 band
    assert card.total["O"] == pytest.approx(common * 100 / 70)
    assert card.grade_band[["Y", "O"]].tolist() == ["三星", "四星"]
    # ... but with three members in the town 四星 <= 20% gives floor(0.6) = 0 places: O is demoted to 三星
    assert card.grade[["Y", "O"]].tolist() == ["三星", "三星"]
    assert card.grade["V"] == "一星"
