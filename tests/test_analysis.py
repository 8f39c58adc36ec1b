"""Analysis of a composite-index build (workbench.analysis), checked against independent
computations: pandas/numpy statistics, pingouin's Cronbach alpha (GPL, test-only cross-check),
importance computed from scratch, and rebuilds with a component's weight set to zero."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT

import workbench as wb
from workbench import analysis as an
from workbench.composite import Spec, build_index
from workbench.errors import DataError, SpecError

SPEC = Spec(
    denominate=True,
    impute={"method": "group_mean", "group": "EurAsia_group"},
    screen={"min_share": 0.9},
    treat={"winmax": 5},
)


@pytest.fixture(scope="module")
def build():
    rubric = wb.rubric_from_table(ROOT / "data/samples/asem/ASEM_iMeta.csv")
    data = wb.read_table(ROOT / "data/samples/asem/ASEM_iData.csv")
    return build_index(rubric, data, SPEC)


def test_indicator_stats_by_hand():
    d = pd.DataFrame(
        {
            "skewed": [1.0] * 9 + [2.0, 3.0, 50.0],
            "sparse": [1.0, 2.0, 3.0] + [np.nan] * 9,
            "zeros": [0.0] * 8 + [1.0, 2.0, 3.0, 4.0],
            "fine": np.arange(12.0),
        }
    )
    res = an.indicator_stats(d)
    t = res.table
    assert t.loc["skewed", "skew"] == pytest.approx(d["skewed"].skew())  # pandas: bias-corrected G1 = Excel
    assert t.loc["skewed", "kurt"] == pytest.approx(d["skewed"].kurt())
    assert t.loc["sparse", "availability"] == pytest.approx(3 / 12)
    assert t.loc["zeros", "share_zeros"] == pytest.approx(8 / 12)
    assert t.loc["skewed", "n_unique"] == 4 and t.loc["skewed", "share_unique"] == pytest.approx(4 / 12)
    assert t["flagged"].to_dict() == {
        "skewed": "skew_kurt, unique",
        "sparse": "availability",
        "zeros": "zeros, unique",
        "fine": "",
    }
    assert res.facts["skew_kurt"] == 1 and "indicator_stats" in repr(res)


def test_indicator_stats_of_a_build(build):
    t = an.indicator_stats(build, "raw").table
    raw = build.tables["raw"]
    assert t.loc["Flights", "mean"] == pytest.approx(raw["Flights"].mean())
    assert t.loc["Flights", "sd"] == pytest.approx(raw["Flights"].std())
    after = an.indicator_stats(build, "treated").table
    assert not after["flag_skew_kurt"].any()  # treatment removed every skew/kurtosis flag
    with pytest.raises(SpecError, match="'table' parameter of indicator_stats"):
        an.indicator_stats(build, "cooked")


def test_correlations_within_and_across_levels(build):
    m = an.correlations(build, 1, 2).table
    s = build.scores
    assert m.loc["LPI", "Physical"] == pytest.approx(np.corrcoef(s["LPI"], s["Physical"])[0, 1])
    fam = an.correlations(build, 1, 2, within="family").table
    assert np.isnan(fam.loc["LPI", "Social"]) and fam.loc["LPI", "Physical"] == m.loc["LPI", "Physical"]
    same = an.correlations(build, 2, within="parent").table
    assert np.isnan(same.loc["Physical", "Social"]) and same.loc["Physical", "P2P"] == pytest.approx(
        s["Physical"].corr(s["P2P"])
    )
    sp = an.correlations(build, 1, 4, method="spearman").table
    assert sp.loc["CPI", "Index"] == pytest.approx(s["CPI"].rank().corr(s["Index"].rank()))
    with pytest.raises(SpecError, match="level"):
        an.correlations(build, 7)


def test_correlation_flags_on_constructed_data():
    meta = pd.DataFrame(
        {
            "iCode": ["a", "b", "c", "d", "P", "Q", "I"],
            "Parent": ["P", "P", "P", "Q", "I", "I", None],
            "Level": [1, 1, 1, 1, 2, 2, 3],
            "Direction": [1, 1, 1, 1, 1, 1, 1],
            "Weight": [1] * 7,
        }
    )
    rng = np.random.default_rng(0)
    x = rng.normal(size=40)
    data = pd.DataFrame(
        {"a": x, "b": x + 0.01 * rng.normal(size=40), "c": -x + rng.normal(size=40), "d": x},
        index=pd.Index([f"u{i}" for i in range(40)], name="uCode"),
    )
    res = build_index(wb.rubric_from_table(meta), data, Spec())
    flags = an.correlation_flags(res)
    got = {(r.code_a, r.code_b): r.flag for r in flags.table.itertuples()}
    assert got == {("a", "b"): "redundant", ("a", "c"): "negative", ("b", "c"): "negative"}
    assert flags.facts["pairs"] == 3  # d is alone in Q: a and d (r = 1) are not siblings


def test_cronbach_alpha_matches_pingouin(build):
    pingouin = pytest.importorskip("pingouin")
    t = an.cronbach_alpha(build).table
    for block in ("Physical", "P2P", "Conn"):
        kids = build.rubric.children(block)
        expected, _ = pingouin.cronbach_alpha(data=build.scores[kids])
        assert t.loc[block, "alpha"] == pytest.approx(expected, abs=1e-10)
    assert t.loc["Physical", "n_children"] == 8


def test_effective_weights_follow_the_build(build):
    res = an.effective_weights(build)
    assert all(v == pytest.approx(1.0) for v in res.facts.values())
    t = res.table
    assert t.loc["LPI", "effective"] == pytest.approx(1 / 8 * 1 / 5 * 1 / 2)
    heavy = dataclasses.replace(build.spec, weights={"Conn": 3.0, "Physical": 2.0})
    rubric = build.rubric
    data = wb.read_table(ROOT / "data/samples/asem/ASEM_iData.csv")
    t = an.effective_weights(build_index(rubric, data, heavy)).table
    assert t.loc["Conn", "effective"] == pytest.approx(0.75)
    assert t.loc["LPI", "effective"] == pytest.approx(0.75 * 2 / 6 * 1 / 8)
    sums = t.groupby("level")["effective"].sum()
    assert sums.to_numpy() == pytest.approx(np.ones(4))


def test_pca_weights_per_block(build):
    res = an.pca_weights(build)
    t = res.table
    sums = t.groupby("parent")["weight"].sum()
    assert sums.to_numpy() == pytest.approx(np.ones(len(sums)))
    assert (t["weight"] >= 0).all() and set(sums.index) == set(build.rubric.blocks) | {"Index"}
    assert t.loc["LPI", "nominal"] == pytest.approx(1 / 8)


def test_optimised_weights_reach_target_importance(build):
    res = an.optimised_weights(build)
    t = res.table
    unreachable = {n.split(":")[0] for n in res.notes}
    assert "Conn" in unreachable and "Sust" not in unreachable
    for block in ("Conn", "Sust", "Index", "P2P"):
        kids = build.rubric.children(block)
        x = build.scores[kids].to_numpy()
        w = t.loc[kids, "weight"].to_numpy()
        y = x @ w
        r2 = np.array([np.corrcoef(y, x[:, j])[0, 1] ** 2 for j in range(len(kids))])
        assert t.loc[kids, "importance"].to_numpy() == pytest.approx(r2 / r2.sum(), abs=1e-6)
        if block not in unreachable:  # equal importance is reached
            assert r2 / r2.sum() == pytest.approx(np.full(len(kids), 1 / len(kids)), abs=1e-4)
    uneven = an.optimised_weights(build, target={"Conn": 2, "Sust": 1}).table
    assert uneven.loc[["Conn", "Sust"], "target"].tolist() == pytest.approx([2 / 3, 1 / 3])


def test_removal_impact_matches_rebuilds(build):
    res = an.removal_impact(build)
    t = res.table
    data = wb.read_table(ROOT / "data/samples/asem/ASEM_iData.csv")
    nominal = build.ranks["Index"]
    for code in ("Conn", "Social", "LPI"):
        parent = build.rubric.parent(code)
        spec = dataclasses.replace(build.spec, weights={code: 0.0})
        again = build_index(build.rubric, data, spec)
        moved = (again.ranks["Index"] - nominal).abs()
        assert t.loc[code, "mean_abs_rank_change"] == pytest.approx(moved.mean())
        assert t.loc[code, "max_abs_rank_change"] == moved.max() and t.loc[code, "parent"] == parent
    assert t["mean_abs_rank_change"].is_monotonic_decreasing
    with pytest.raises(SpecError):
        an.removal_impact(build, ["Index"])


def test_analysis_needs_a_build():
    with pytest.raises(DataError, match="build_index"):
        an.cronbach_alpha(pd.DataFrame({"a": [1.0]}))
