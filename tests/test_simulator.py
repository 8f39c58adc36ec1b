"""The weight simulator's logic without a browser: categories (分类指导) keep their own weights, a
slider edits one category or, by explicit choice, all of them; the numbers are those of
``workbench.score`` with the same weights, unit by unit; who changes grade and why."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd
import pytest

import workbench as wb
from workbench.errors import SpecError
from workbench.report.simulator import ALL, BASE, SimulatorState, rebalance

ROOT = Path(__file__).resolve().parents[1]
TOP = ["leadership", "ideology", "organisation", "style", "central"]
# categories.groups of indicators/cq_organs.yaml, as written there (points of 100)
AS_WRITTEN = {
    "党政综合部门": [20, 25, 25, 15, 15],
    "经济管理部门": [20, 20, 25, 15, 20],
    "执法监管部门": [20, 15, 25, 20, 20],
    "社会事业部门": [20, 20, 20, 15, 25],
    "群团及其他": [20, 20, 30, 15, 15],
}


@pytest.fixture(scope="module")
def county():
    r = wb.load_rubric(ROOT / "indicators" / "cq_organs.yaml")
    return r, wb.read_table(ROOT / "data" / "samples" / "county_organs.csv", rubric=r)


def _with_groups(rubric, groups: dict):
    """The rubric with its categories' weights replaced (built here, not by the simulator)."""
    proxy = {g: MappingProxyType(dict(zip(TOP, map(float, w)))) for g, w in groups.items()}
    cats = replace(rubric.categories, weights=MappingProxyType(proxy))
    return replace(rubric, categories=cats)


def _same_scores(card, expected, atol=1e-9):
    np.testing.assert_allclose(card.final.to_numpy(), expected.final.to_numpy(), rtol=0, atol=atol)
    np.testing.assert_allclose(card.blocks.to_numpy(), expected.blocks.to_numpy(), rtol=0, atol=atol)
    assert (card.grade.astype(str) == expected.grade.astype(str)).all()
    assert (card.rank == expected.rank).all()
    if expected.rank_in_category is not None:
        assert (card.rank_in_category == expected.rank_in_category).all()


def test_the_table_shows_every_category_and_the_untouched_state_is_the_rubric(county):
    r, data = county
    st = SimulatorState(r, data)
    assert list(st.scopes)[:5] == list(AS_WRITTEN) and ALL in st.scopes
    assert BASE not in st.scopes  # every unit belongs to a category with weights of its own
    assert st.scope == "党政综合部门"  # a category, never "all" without asking
    frame = st.weights_frame()
    assert list(frame.columns) == list(AS_WRITTEN)
    assert list(frame.index) == ["领导重视", "思想建设", "组织建设", "作风建设", "中心工作"]
    for g, w in AS_WRITTEN.items():
        assert frame[g].tolist() == w
    _same_scores(st.card(), wb.score(r, data))


def test_a_slider_edits_only_the_category_being_edited(county):
    r, data = county
    st = SimulatorState(r, data)
    st.scope = "党政综合部门"
    st.set_weight("ideology", 26)  # 25 -> 26: the others (20, 25, 15, 15) give up one point
    expected = dict(AS_WRITTEN, 党政综合部门=[20, 26, 24, 15, 15])  # rounding's point goes to the largest
    for g, w in expected.items():
        assert [st.weight_sets[g][b] for b in TOP] == w, g
    card = st.card()
    _same_scores(card, wb.score(_with_groups(r, expected), data))
    # independent of score(): block points of the edited category scale with its weights, every
    # other category's units keep their scores exactly
    mine = (data["category"] == "党政综合部门").to_numpy()
    base = st.baseline
    np.testing.assert_allclose(card.blocks["ideology"][mine], base.blocks["ideology"][mine] * 26 / 25)
    np.testing.assert_allclose(card.blocks["organisation"][mine], base.blocks["organisation"][mine] * 24 / 25)
    np.testing.assert_array_equal(card.final[~mine], base.final[~mine])
    assert st.changed() == ["党政综合部门"]


def test_all_categories_by_explicit_choice_get_the_same_change(county):
    """Issue 17: moving 思想建设 20 -> 21 flattened all five sets to the base weights; D003's 中心工作
    went from 11.92 to 15.90. Now every category moves by the same points and keeps the rest."""
    r, data = county
    st = SimulatorState(r, data)
    st.scope = ALL
    assert st.weights == dict(zip(TOP, [20.0, 20.0, 25.0, 15.0, 20.0]))  # the rubric's own set
    st.set_weight("ideology", 21)  # +1 for 思想建设, -1 for 组织建设 (the largest of the others)
    expected = {g: [w[0], w[1] + 1, w[2] - 1, w[3], w[4]] for g, w in AS_WRITTEN.items()}
    for g, w in expected.items():
        assert [st.weight_sets[g][b] for b in TOP] == w, g
    card = st.card()
    _same_scores(
        card, wb.score(_with_groups(r, expected).with_weights(dict(zip(TOP, [20, 21, 24, 15, 20]))), data)
    )
    assert card.blocks.at["D003", "central"] == pytest.approx(11.92125)  # 中心工作 untouched
    assert card.blocks.at["D003", "ideology"] == pytest.approx(24.093381 * 26 / 25, abs=1e-5)
    assert (card.rank - st.baseline.rank).abs().max() <= 3
    said = st.differences()
    assert said[0] == "rubric's weights: 思想建设 20 → 21, 组织建设 25 → 24"
    assert said[1] == "weights of 党政综合部门: 思想建设 25 → 26, 组织建设 25 → 24"
    assert len(said) == 6 and not any("\x00" in x for x in said)


def test_rubric_now_is_what_the_controls_score(county, tmp_path):
    from workbench.report.simulator_files import rubric_download

    r, data = county
    st = SimulatorState(r, data)
    st.scope = "群团及其他"
    st.set_weight("central", 30)
    st.scope = ALL
    st.set_weight("leadership", 10)
    st.scheme, st.party_weight, st.quota_share, st.veto_on = "weighted", 0.3, 0.1, False
    card = st.card()
    name, text = rubric_download(st)
    assert name == "cq_organs_simulated.yaml"
    path = tmp_path / name
    path.write_bytes(text)
    again = wb.load_rubric(path)  # the downloaded rubric, read back as the command line reads it
    assert again.scheme.type == "weighted" and again.scheme.party_weight == 0.3 and again.veto == ()
    assert dict(again.grades.quota) == {"优秀": 0.1}
    for g in AS_WRITTEN:
        w = again.categories.weights[g]
        assert [round(w[b] / sum(w.values()) * 100, 9) for b in TOP] == [
            round(st.weight_sets[g][b], 9) for b in TOP
        ]
    _same_scores(card, wb.score(st.rubric_now(), data))
    # the file holds points to 6 decimals (save_rubric's writer): 17 x 4/15 is written 4.533333
    _same_scores(card, wb.score(again, data), atol=1e-5)


SMALL_WITH_CATEGORIES = """
categories:
  column: kind
  groups:
    X: {weights: {lead: 50, org: 50, org1: 10}}
    Z: {weights: {org1: 10}}
"""


def test_base_weights_keep_lower_level_category_weights(small_rubric_path, small_data_path):
    """Editing the rubric's own set re-expresses every node in points; a category's weight for an
    indicator inside a block is relative to its siblings, so it must keep its share."""
    path = small_rubric_path.with_name("cats.yaml")
    path.write_text(small_rubric_path.read_text(encoding="utf-8") + SMALL_WITH_CATEGORIES, encoding="utf-8")
    r = wb.load_rubric(path)
    data = pd.read_csv(small_data_path, dtype=str).assign(kind=["X", "Y", "Z", "Y"])
    data = wb.io.validate_data(r, data.set_index("unit"))
    st = SimulatorState(r, data)
    assert BASE in st.scopes and set(st.scopes) == {"X", "Z", BASE, ALL}  # Y uses the rubric's set
    st.scope = BASE
    st.set_weight("lead", 55)
    assert st.weight_sets["X"] == {"lead": 50.0, "org": 50.0} and st.weight_sets["Z"] == {
        "lead": 40.0,
        "org": 60.0,
    }
    now = st.rubric_now()
    # org1's share of org in category X stays 10 / (10 + 30) = 0.25 (org2 now has 45 * 30 / 60 points)
    x = now.categories.weights["X"]
    assert x["org1"] / (x["org1"] + now.nodes["org2"].weight) == pytest.approx(0.25)
    _same_scores(st.card(), wb.score(now, data))


def test_rubric_without_categories_has_one_set(small_rubric_path, small_data_path):
    r = wb.load_rubric(small_rubric_path)
    st = SimulatorState(r, wb.read_table(small_data_path, rubric=r))
    assert list(st.scopes) == [BASE] and st.scope == BASE
    st.weights = rebalance(st.weights, "lead", 70)
    assert st.weights == {"lead": 70.0, "org": 30.0}
    _same_scores(st.card(), wb.score(r, st.data, weights={"lead": 70, "org": 30}))
    with pytest.raises(SpecError, match="no weight set"):
        st.scope = "X"
    with pytest.raises(SpecError, match="top blocks"):
        st.weights = {"lead": 1}
    with pytest.raises(SpecError, match="not all zero"):
        st.weights = {"lead": 0, "org": 0}


def test_who_changes_grade_and_why(county):
    r, data = county
    st = SimulatorState(r, data)
    st.scope = "执法监管部门"
    st.set_weight("style", 40)
    st.veto_on = False
    card = st.card()
    changes = st.changes(card)
    moved = card.grade.astype(str) != st.baseline.grade.astype(str)
    assert set(changes.index) == set(card.index[moved]) and len(changes) > 0
    assert changes["Rank now"].is_monotonic_increasing
    assert (changes["Grade before"] != changes["Grade now"]).all()
    # a unit vetoed as written: the veto is the reason its grade was lower before
    vetoed = [u for u in changes.index if st.baseline.vetoed[u]]
    assert vetoed and all("before: veto:" in changes.at[u, "Why"] for u in vetoed)
    # the blocks named are those whose points moved most, with the change in points
    u = next(u for u in changes.index if data.at[u, "category"] == "执法监管部门")
    diff = (card.blocks.loc[u, TOP] - st.baseline.blocks.loc[u, TOP]).abs().sort_values(ascending=False)
    name = r.nodes[diff.index[0]].name
    d = card.blocks.at[u, diff.index[0]] - st.baseline.blocks.at[u, diff.index[0]]
    assert f"{name} {d:+.2f}" in changes.at[u, "Why"]
    assert changes.at[u, "Why"].startswith(f"score {st.baseline.final[u]:.2f} → {card.final[u]:.2f}")
    assert "作风建设" in str(st.explain(u, card))


def test_quota_reasons_come_from_the_briefing(county):
    r, data = county
    st = SimulatorState(r, data)
    st.quota_share = 0.1
    assert st.differences() == ["优秀 for at most 10%"]
    st.scheme, st.party_weight, st.veto_on = "weighted", 0.3, False
    assert st.differences() == [
        "scheme: fixed weight in a comprehensive score",
        "party weight 30%",
        "优秀 for at most 10%",
        "veto items not applied",
    ]
    st.scheme, st.veto_on = "single", True
    changes = st.changes()
    assert len(changes) and (changes["Grade before"] == "优秀").all()
    assert changes["Why"].str.contains("quota: 优秀 for at most 10%").all()
