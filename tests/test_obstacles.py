"""Tests of the obstacle degree (workbench.analysis.obstacles and scorecard_obstacles)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import workbench as wb
from workbench.analysis import group_obstacles, obstacles, scorecard_obstacles, top_obstacles
from workbench.errors import DataError, SpecError, WorkbenchWarning


def test_obstacles_by_hand():
    # unit u1: deviations (0.5, 0, 0.8) x weights (0.5, 0.3, 0.2) = (0.25, 0, 0.16), total 0.41
    x = pd.DataFrame({"a": [0.5, 1.0], "b": [1.0, 0.0], "c": [0.2, 0.5]}, index=["u1", "u2"])
    w = pd.Series({"a": 0.5, "b": 0.3, "c": 0.2})
    o = obstacles(x, w)
    np.testing.assert_allclose(o.loc["u1"], np.array([0.25, 0.0, 0.16]) / 0.41 * 100)
    np.testing.assert_allclose(o.loc["u2"], np.array([0.0, 0.3, 0.1]) / 0.4 * 100)
    top = top_obstacles(o, k=2)
    assert top[top["unit"] == "u1"]["indicator"].tolist() == ["a", "c"]
    assert top[top["unit"] == "u2"]["indicator"].tolist() == ["b", "c"]
    g = group_obstacles(o, {"a": "B1", "b": "B1", "c": "B2"})
    np.testing.assert_allclose(g.sum(axis=1), 100.0)
    assert g.loc["u1", "B2"] == pytest.approx(16 / 0.41)


matrices = st.integers(0, 10_000).map(lambda s: np.random.default_rng(s).uniform(0, 1, (20, 6)))


@settings(max_examples=40, deadline=None)
@given(matrices, st.integers(0, 10_000))
def test_rows_sum_to_100_and_order_follows_weighted_deviation(x, seed):
    w = np.random.default_rng(seed).dirichlet(np.ones(6))
    o = obstacles(x, w).to_numpy()
    np.testing.assert_allclose(o.sum(axis=1), 100.0)
    assert (o >= 0).all()
    dev = w * (1 - x)
    np.testing.assert_array_equal(np.argmax(o, axis=1), np.argmax(dev, axis=1))


def test_perfect_unit_is_nan_with_warning():
    with pytest.warns(WorkbenchWarning, match="undefined"):
        o = obstacles([[1.0, 1.0], [0.5, 1.0]], [0.5, 0.5])
    assert o.iloc[0].isna().all() and o.iloc[1].tolist() == [100.0, 0.0]
    assert top_obstacles(o, 1)["unit"].tolist() == [1]


def test_scorecard_obstacles_are_shares_of_lost_points():
    rubric = wb.load_rubric("indicators/cq_organs.yaml")
    data = wb.read_table("data/samples/county_organs.csv", rubric=rubric)
    card = wb.score(rubric, data)
    res = scorecard_obstacles(card, k=3)
    lost = (card.full - card.points).where(card.shares.notna(), 0.0).clip(lower=0)
    lost = lost.where(lost > 1e-9, 0.0)
    np.testing.assert_allclose(res.lost, lost, atol=1e-9)
    expected = lost.div(lost.sum(axis=1), axis=0) * 100
    np.testing.assert_allclose(res.degrees, expected, atol=1e-9)
    np.testing.assert_allclose(res.degrees.sum(axis=1), 100.0)
    np.testing.assert_allclose(res.by_block.sum(axis=1), 100.0)
    weakest = res.weakest(n=4, k=3)
    assert list(weakest.index) == list(card.rank.sort_values(ascending=False, kind="stable").index[:4])
    unit = weakest.index[0]
    hb = res.holding_back(unit)
    assert hb["obstacle"].is_monotonic_decreasing and hb["lost"].sum() == pytest.approx(lost.loc[unit].sum())
    assert weakest.loc[unit, "obstacle_1"].startswith(hb["name"].iloc[0])
    assert len(res.top) == 3 * len(card.index)
    assert res.per_block(1)["block"].is_unique


def test_bad_input():
    with pytest.raises(DataError, match="outside"):
        obstacles([[1.2, 0.5]], [0.5, 0.5])
    with pytest.raises(DataError, match="missing"):
        obstacles([[np.nan, 0.5]], [0.5, 0.5])
    with pytest.raises(SpecError, match="sum to 0.8"):
        obstacles([[0.2, 0.5]], [0.4, 0.4])
    with pytest.raises(SpecError, match="negative"):
        obstacles([[0.2, 0.5]], [1.5, -0.5])
    with pytest.raises(SpecError, match="do not match"):
        obstacles(pd.DataFrame({"a": [0.2], "b": [0.5]}), {"a": 0.5, "c": 0.5})
    with pytest.raises(DataError, match="Scorecard"):
        scorecard_obstacles(pd.DataFrame())
