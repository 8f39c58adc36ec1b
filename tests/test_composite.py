"""Composite-index pipeline (workbench.composite: Spec, build_index, steps, evaluate_runs).

Three kinds of truth: published reference builds of the ASEM index (COINr), hand computations on
small arrays (Excel SKEW/KURT formulas, a winsorisation worked step by step, means by hand), and
properties (bounds, invariances, regenerate = same result).
"""

from __future__ import annotations

import dataclasses
import math
import pickle

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

import workbench as wb
from workbench.composite import (
    Spec,
    aggregate,
    apply_overrides,
    build_index,
    evaluate_runs,
    excel_kurt,
    excel_skew,
    field_paths,
    impute,
    normalise,
    treat,
)
from workbench.errors import DataError, SpecError

ASEM = ROOT / "data/samples/asem"
FULL = Spec(
    denominate=True,
    impute={"method": "group_mean", "group": "EurAsia_group"},
    screen={"min_share": 0.9},
    treat={"winmax": 5, "skew": 2.0, "kurt": 3.5},
    normalise={"method": "minmax", "lo": 0, "hi": 100},
    aggregate="amean",
)


@pytest.fixture(scope="module")
def asem():
    rubric = wb.rubric_from_table(ASEM / "ASEM_iMeta.csv")
    return rubric, wb.read_table(ASEM / "ASEM_iData.csv")


@pytest.fixture(scope="module")
def full_build(asem):
    return build_index(*asem, FULL)


def small_rubric():
    """Two pillars of two indicators under one index; b is lower-is-better; c has a target."""
    meta = pd.DataFrame(
        {
            "iCode": ["a", "b", "c", "d", "P1", "P2", "Index"],
            "Parent": ["P1", "P1", "P2", "P2", "Index", "Index", None],
            "Level": [1, 1, 1, 1, 2, 2, 3],
            "Direction": [1, -1, 1, 1, 1, 1, 1],
            "Weight": [1, 1, 2, 1, 1, 1, 1],
            "Target": [None, None, 8.0, None, None, None, None],
            "Denominator": [None, "pop", None, None, None, None, None],
        }
    )
    return wb.rubric_from_table(meta)


def small_data():
    return pd.DataFrame(
        {
            "a": [1.0, 2.0, 3.0, 4.0],
            "b": [10.0, 20.0, 30.0, 40.0],
            "c": [2.0, 4.0, 6.0, 8.0],
            "d": [5.0, np.nan, 1.0, 3.0],
            "pop": [1.0, 2.0, 5.0, 10.0],
            "grp": ["x", "x", "y", "y"],
        },
        index=pd.Index(["u1", "u2", "u3", "u4"], name="uCode"),
    )


# ---------------------------------------------------------------------- published references
def test_asem_reference_build(asem):
    # Reference: tests/reference/asem.md (COINr 1.1.14 on this data): min-max [0, 100] with
    # directions from iMeta, no denomination/imputation/treatment, weighted arithmetic mean with
    # missing values skipped and weights renormalised within each parent.
    res = build_index(*asem, Spec(normalise={"method": "minmax", "lo": 0, "hi": 100}, aggregate="amean"))
    top = res.index.sort_values(ascending=False).head(5).round(4)
    assert top.to_dict() == {"DEU": 75.2278, "GBR": 68.9363, "FRA": 65.9181, "CHE": 62.6059, "NLD": 61.2438}
    assert res.scores.loc["DEU", "Conn"] == pytest.approx(81.1567, abs=5e-5)
    assert res.scores.loc["DEU", "Sust"] == pytest.approx(69.2989, abs=5e-5)
    assert res.ranks.loc[["DEU", "GBR", "FRA"], "Index"].tolist() == [1, 2, 3]
    # min-max output spans the bounds exactly
    norm = res.tables["normalised"]
    assert (norm.min() == 0).all() and (norm.max() == 100).all()


def test_asem_full_example_matches_coinr_vignette(full_build):
    # Reference: COINr vignette "Presenting Results" (results.Rmd, as rendered on CRAN mirrors, e.g.
    # ftp.edu.ee/pub/cran/web/packages/COINr/vignettes/results.html): build_example_coin() =
    # Denominate; Impute(i_mean_grp, EurAsia_group); Screen(byNA, 0.9); Treat(winmax 5);
    # Normalise(minmax 0-100); Aggregate(a_amean); head(get_results(coin, "Aggregated", "Aggs")),
    # printed to 2 decimals.
    published = {
        "CHE": [68.38, 62.79, 73.98, 63.41, 32.87, 74.78, 85.94, 56.93, 77.21, 87.85, 56.88],
        "NLD": [64.82, 61.94, 67.70, 64.87, 46.62, 84.55, 71.74, 41.92, 58.73, 86.58, 57.78],
        "DNK": [64.80, 57.10, 72.51, 50.52, 30.43, 78.13, 75.35, 51.04, 69.83, 86.40, 61.29],
        "NOR": [64.47, 57.44, 71.50, 58.18, 25.70, 80.03, 89.46, 33.80, 70.90, 87.00, 56.59],
        "BEL": [63.54, 63.99, 63.09, 71.97, 48.22, 80.84, 75.60, 43.32, 53.01, 86.17, 50.09],
        "SWE": [63.00, 53.87, 72.12, 51.51, 23.87, 80.98, 74.51, 38.50, 66.37, 87.74, 62.27],
    }
    cols = ["Index", "Conn", "Sust", "Physical", "ConEcFin", "Political", "Instit", "P2P", "Environ"]
    cols += ["Social", "SusEcFin"]
    got = full_build.scores.loc[list(published), cols]
    assert got.to_numpy() == pytest.approx(np.array(list(published.values())), abs=0.005 + 1e-9)
    assert full_build.ranks.loc[list(published), "Index"].tolist() == [1, 2, 3, 4, 5, 6]


def test_full_example_steps(asem, full_build):
    rubric, data = asem
    t = full_build.tables
    assert list(t) == ["raw", "denominated", "imputed", "screened", "treated", "normalised", "aggregated"]
    # denomination by the iMeta Denominator column, by hand
    assert t["denominated"]["Flights"].to_numpy() == pytest.approx(
        (data["Flights"] / data["Population"]).to_numpy(), nan_ok=True
    )
    assert t["denominated"]["LPI"].equals(t["raw"]["LPI"])  # no denominator
    # group-mean imputation, by hand for every imputed cell
    den = t["denominated"]
    for code in den.columns[den.isna().any()]:
        for u in den.index[den[code].isna()]:
            g = data.loc[u, "EurAsia_group"]
            peers = den.loc[(data["EurAsia_group"] == g) & den[code].notna(), code]
            assert t["imputed"].loc[u, code] == pytest.approx(peers.sum() / len(peers))
    # screening keeps all 51
    assert len(t["screened"]) == 51 and full_build.details["screen"]["kept"].all()
    # every treated indicator passes the skew/kurtosis test afterwards
    det = full_build.details["treat"]
    assert det["passes_after"].all()
    changed = det.index[det["treatment"] != "none"]
    assert set(changed) == set(det.index[(det["skew"].abs() >= 2) & (det["kurt"] >= 3.5)])


# ---------------------------------------------------------------------- treatment by hand
def excel_stats(v):
    """Excel SKEW and KURT, written from Microsoft's documented formulas."""
    v = np.asarray(v, float)
    n = len(v)
    z = (v - v.mean()) / v.std(ddof=1)
    skew = n / ((n - 1) * (n - 2)) * np.sum(z**3)
    kurt = n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * np.sum(z**4) - 3 * (n - 1) ** 2 / ((n - 2) * (n - 3))
    return skew, kurt


def test_excel_skew_kurt_published_example():
    # Microsoft Excel documentation: SKEW(3,4,5,2,3,4,5,6,4,7) = 0.359543, KURT(...) = -0.151799637
    x = [3, 4, 5, 2, 3, 4, 5, 6, 4, 7]
    assert float(excel_skew(x)) == pytest.approx(0.359543, abs=1e-6)
    assert float(excel_kurt(x)) == pytest.approx(-0.151799637, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=5, max_size=30))
def test_excel_skew_kurt_match_formula(v):
    v = np.array(v)
    if v.std() < 1e-3:
        return
    s, k = excel_stats(v)
    assert float(excel_skew(v)) == pytest.approx(s, rel=1e-7, abs=1e-7)
    assert float(excel_kurt(v)) == pytest.approx(k, rel=1e-7, abs=1e-7)
    w = np.append(v, np.nan)  # NaNs are ignored
    assert float(excel_skew(w)) == pytest.approx(s, rel=1e-7, abs=1e-7)


def test_winsorisation_worked_by_hand():
    x = list(np.arange(1.0, 31.0)) + [90.0, 95.0, 400.0]
    skew0, kurt0 = excel_stats(x)
    assert abs(skew0) >= 2 and kurt0 >= 3.5  # fails: treat
    # step 1: the maximum 400 takes the next value 95 -> still fails
    s1, k1 = excel_stats(x[:-1] + [95.0])
    assert abs(s1) >= 2 and k1 >= 3.5
    # step 2: the two tied 95s take 90 (2 points winsorised) -> still fails
    s2, k2 = excel_stats(x[:-3] + [90.0] * 3)
    assert abs(s2) >= 2 and k2 >= 3.5
    # step 3: the three tied 90s take 30 -> passes
    s3, k3 = excel_stats(x[:-3] + [30.0] * 3)
    assert abs(s3) < 2
    frame = pd.DataFrame({"x": x})
    out, det = treat(frame, winmax=3)
    assert out["x"].tolist() == x[:-3] + [30.0] * 3
    assert det.loc["x", "treatment"] == "winsorised" and det.loc["x", "n_winsorised"] == 3
    assert det.loc["x", "side"] == "high" and det.loc["x", "skew_after"] == pytest.approx(s3)
    # with winmax 2 winsorisation is not enough: log on the ORIGINAL values
    out, det = treat(frame, winmax=2)
    xa = np.array(x)
    expected = np.log(xa - 1.0 + 0.01 * (400.0 - 1.0))
    assert out["x"].to_numpy() == pytest.approx(expected)
    assert det.loc["x", "treatment"] == "log_ct"
    # negative skew: winsorised at the low end, mirror image
    out, det = treat(-frame, winmax=3)
    assert out["x"].tolist() == [-v for v in x[:-3] + [30.0] * 3] and det.loc["x", "side"] == "low"
    # per-indicator overrides: None leaves it alone, a dict changes a parameter
    both = pd.DataFrame({"x": x, "y": x})
    out, det = treat(both, winmax=3, overrides={"x": None, "y": {"winmax": 2}})
    assert out["x"].tolist() == x and det.loc["x", "treatment"] == "none (override)"
    assert det.loc["y", "treatment"] == "log_ct"


def test_log_ct_plus_for_negative_skew():
    x = -np.array(list(np.arange(1.0, 31.0)) + [90.0, 95.0, 400.0])
    out, det = treat(pd.DataFrame({"x": x}), winmax=0, fallback="log_ct_plus")
    a = 0.01 * (x.max() - x.min())
    assert out["x"].to_numpy() == pytest.approx(-np.log(x.max() + a - x))
    assert det.loc["x", "treatment"] == "log_ct_neg"


def test_treat_in_build_uses_overrides(asem):
    spec = dataclasses.replace(FULL, treat={"winmax": 5, "overrides": {"Bord": None, "Gas": {"winmax": 1}}})
    res = build_index(*asem, spec)
    det = res.details["treat"]
    assert det.loc["Bord", "treatment"] == "none (override)"
    assert det.loc["Gas", "treatment"] == "log_ct"
    gas = res.tables["screened"]["Gas"]
    expected = np.log(gas - gas.min() + 0.01 * (gas.max() - gas.min()))
    assert res.tables["treated"]["Gas"].to_numpy() == pytest.approx(expected.to_numpy())


# ---------------------------------------------------------------------- other steps by hand
def test_impute_methods_by_hand():
    d = pd.DataFrame({"x": [1.0, np.nan, 3.0, 10.0, np.nan, 20.0], "y": [np.nan] * 3 + [1.0, 2.0, 4.0]})
    g = ["a", "a", "a", "b", "b", "b"]
    assert impute(d, "mean")["x"].tolist() == [1.0, 8.5, 3.0, 10.0, 8.5, 20.0]
    assert impute(d, "median")["x"].tolist() == [1.0, 6.5, 3.0, 10.0, 6.5, 20.0]
    out = impute(d, "group_mean", group=g)
    assert out["x"].tolist() == [1.0, 2.0, 3.0, 10.0, 15.0, 20.0]
    assert out["y"].isna().tolist() == [True] * 3 + [False] * 3  # a group with no data stays missing
    assert impute(d, "group_median", group=g)["x"].tolist() == [1.0, 2.0, 3.0, 10.0, 15.0, 20.0]
    # units without a group are left alone (COINr skip_f_na)
    assert np.isnan(impute(d, "group_mean", group=["a", None, "a", "b", "b", "b"]).loc[1, "x"])


def test_normalise_methods_by_hand():
    d = pd.DataFrame({"x": [1.0, 2.0, 2.0, 5.0], "z": [4.0, 3.0, 2.0, 1.0]})
    assert normalise(d, "minmax", lo=1, hi=11)["x"].tolist() == [1.0, 3.5, 3.5, 11.0]
    assert normalise(d, directions=[1, -1])["z"].tolist() == pytest.approx([0.0, 100 / 3, 200 / 3, 100.0])
    z = normalise(d, "zscore", mean=10, sd=2)["x"]
    assert z.to_numpy() == pytest.approx(10 + 2 * (d["x"] - 2.5) / np.std(d["x"], ddof=1))
    assert normalise(d, "rank")["x"].tolist() == [1, 2, 2, 4]
    assert normalise(d, "borda")["x"].tolist() == [0, 1, 1, 3]
    assert normalise(d, "prank")["x"].tolist() == pytest.approx([0, 1 / 3, 1 / 3, 1])
    assert normalise(d, "dist2max")["x"].tolist() == pytest.approx([0, 0.25, 0.25, 1])
    assert normalise(d, "dist2ref", unit=1)["x"].tolist() == pytest.approx([0, 1, 1, 4])
    assert normalise(d, "dist2ref", unit=1, cap=True)["x"].tolist() == pytest.approx([0, 1, 1, 1])
    t = normalise(d, "dist2targ", targets={"x": 3, "z": 2}, directions=[1, -1])
    assert t["x"].tolist() == pytest.approx([0, 0.5, 0.5, 2.0])  # (x - min)/(t - min)
    assert t["z"].tolist() == pytest.approx([0, 0.5, 1.0, 1.5])  # (max - x)/(max - t)
    gp = normalise(d, "goalposts", posts={"x": [0, 4], "z": [0, 4]}, directions=[1, -1], scale=1)
    assert gp["x"].tolist() == [0.25, 0.5, 0.5, 1.0] and gp["z"].tolist() == [0.0, 0.25, 0.5, 0.75]


@settings(max_examples=30, deadline=None)
@given(
    # no subnormals: 5e-324 * 0.5 underflows to 0 and ties with 0, which no rescaling-invariance covers
    st.lists(
        st.floats(-1e4, 1e4, allow_nan=False, allow_subnormal=False), min_size=3, max_size=25, unique=True
    ),
    st.floats(0.01, 100),
    st.sampled_from(["rank", "prank", "borda"]),
)
def test_rank_normalisation_invariant_to_positive_rescaling(v, c, method):
    d = pd.DataFrame({"x": v})
    assert normalise(d * c, method)["x"].tolist() == normalise(d, method)["x"].tolist()


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.integers(-(10**6), 10**6), min_size=3, max_size=25, unique=True),
    st.floats(-50, 50),
    st.floats(0.5, 200),
)
def test_minmax_spans_bounds_exactly(v, lo, width):
    v = [x / 7 for x in v]
    out = normalise(pd.DataFrame({"x": v}), "minmax", lo=lo, hi=lo + width)["x"]
    assert out.min() == lo and out.max() == pytest.approx(lo + width, rel=1e-12)
    assert out.idxmin() == int(np.argmin(v)) and out.idxmax() == int(np.argmax(v))


def test_aggregate_by_hand():
    d = pd.DataFrame({"a": [1.0, 4.0, 2.0], "b": [4.0, np.nan, 8.0], "c": [2.0, 1.0, 4.0]})
    w = {"a": 1, "b": 2, "c": 1}
    assert aggregate(d, w).tolist() == pytest.approx([11 / 4, 5 / 2, 22 / 4])
    g = aggregate(d, w, "gmean")
    assert g.tolist() == pytest.approx([(1 * 16 * 2) ** 0.25, 2.0, (2 * 64 * 4) ** 0.25])
    assert aggregate(d, w, "hmean").tolist() == pytest.approx(
        [4 / (1 + 2 / 4 + 1 / 2), 2 / (1 / 4 + 1), 4 / (1 / 2 + 2 / 8 + 1 / 4)]
    )
    p = 2.0
    gm = aggregate(d, w, "genmean", p=p)
    assert gm.iloc[0] == pytest.approx(((1 + 2 * 16 + 4) / 4) ** 0.5)
    assert aggregate(d, w, "genmean", p=1).tolist() == pytest.approx(aggregate(d, w).tolist())
    assert aggregate(d, w, min_share=0.9).isna().tolist() == [False, True, False]


def test_copeland_by_hand():
    # u1 = (3, 1), u2 = (2, 0), u3 = (1, 2). Equal weights: u1 beats u2 on both components (+1/-1);
    # u1-u3 and u2-u3 split one each (a tie, 0). Copeland score = wins - losses.
    d = pd.DataFrame({"x": [3.0, 2.0, 1.0], "y": [1.0, 0.0, 2.0]}, index=["u1", "u2", "u3"])
    assert aggregate(d, method="copeland").tolist() == [1.0, -1.0, 0.0]
    # x weighs 2/3: whoever is better on x wins every pair -> u1 +2, u2 0, u3 -2
    assert aggregate(d, {"x": 2, "y": 1}, method="copeland").tolist() == [2.0, 0.0, -2.0]


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.lists(st.floats(0.01, 1e3), min_size=3, max_size=3), min_size=2, max_size=10),
    st.lists(st.floats(0.01, 10), min_size=3, max_size=3),
)
def test_geometric_at_most_arithmetic(rows, w):
    d = pd.DataFrame(rows, columns=["a", "b", "c"])
    g, a = aggregate(d, w, "gmean"), aggregate(d, w, "amean")
    h = aggregate(d, w, "hmean")
    assert (g <= a * (1 + 1e-12)).all() and (h <= g * (1 + 1e-12)).all()


def test_all_weight_on_one_child_returns_that_child(asem):
    rubric, data = asem
    res = build_index(rubric, data, Spec(weights={"Sust": 0.0}))
    assert res.index.equals(res.scores["Conn"].rename("Index"))
    kids = rubric.children("Physical")
    res = build_index(rubric, data, Spec(weights={k: (1.0 if k == "LPI" else 0.0) for k in kids}))
    assert res.scores["Physical"].equals(res.scores["LPI"].rename("Physical"))


def test_effective_weights_sum_to_one_per_level(asem):
    rubric, _ = asem
    eff = rubric.effective_weights({"Conn": 3, "Physical": 2})
    sums = eff.groupby(rubric.levels()).sum()
    assert sums.to_numpy() == pytest.approx(np.ones(4))


# ---------------------------------------------------------------------- tree aggregation
def test_small_build_by_hand():
    r, d = small_rubric(), small_data()
    res = build_index(r, d, Spec(denominate=True, impute={"method": "group_mean", "group": "grp"}))
    b = d["b"] / d["pop"]  # 10, 10, 6, 4 -> lower is better
    assert res.tables["denominated"]["b"].tolist() == b.tolist()
    assert res.tables["imputed"].loc["u2", "d"] == 5.0  # group x has only u1's 5
    n = res.tables["normalised"]
    assert n["b"].tolist() == pytest.approx([0, 0, 200 / 3, 100])
    p1 = (n["a"] + n["b"]) / 2
    p2 = (2 * n["c"] + n["d"]) / 3  # c weighs 2
    assert res.scores["P1"].to_numpy() == pytest.approx(p1.to_numpy())
    assert res.scores["P2"].to_numpy() == pytest.approx(p2.to_numpy())
    assert res.index.to_numpy() == pytest.approx(((p1 + p2) / 2).to_numpy())
    # a different method per level and per aggregate: P2 geometric, the rest arithmetic
    spec = Spec(normalise={"method": "minmax", "lo": 1, "hi": 100}, aggregate={"1": "amean", "P2": "gmean"})
    res = build_index(r, d, spec)
    n = res.tables["normalised"]
    p2 = np.exp((2 * np.log(n["c"]) + np.log(n["d"])) / 3)
    p2["u2"] = n.loc["u2", "c"]  # d is missing for u2: the geometric mean of what is there
    assert res.scores["P2"].to_numpy() == pytest.approx(p2.to_numpy())
    assert res.scores["P1"].to_numpy() == pytest.approx(((n["a"] + n["b"]) / 2).to_numpy())
    # missing values skipped, weights renormalised within the parent
    res = build_index(r, d, Spec())
    n = res.tables["normalised"]
    assert res.scores.loc["u2", "P2"] == pytest.approx(n.loc["u2", "c"])
    # minimum data share: u2 has half of P2's children
    res = build_index(r, d, Spec(aggregate={"method": "amean", "min_share": 0.75}))
    assert np.isnan(res.scores.loc["u2", "P2"]) and not np.isnan(res.scores.loc["u1", "P2"])


def test_dist2targ_uses_rubric_targets():
    r, d = small_rubric(), small_data()
    spec = Spec(normalise={"method": "dist2targ", "targets": {"a": 4, "b": 10, "d": 5}})
    n = build_index(r, d, spec).tables["normalised"]
    assert n["c"].tolist() == pytest.approx([0, 1 / 3, 2 / 3, 1])  # rubric target 8, min 2
    assert n["b"].tolist() == pytest.approx([1.0, 2 / 3, 1 / 3, 0.0])  # (40 - x)/(40 - 10)


def test_regenerate_reproduces_exactly(asem, full_build):
    again = build_index(*asem, FULL)
    pd.testing.assert_frame_equal(again.scores, full_build.scores, check_exact=True)
    variant = dataclasses.replace(FULL, normalise={"method": "zscore", "mean": 10, "sd": 2})
    res = build_index(*asem, variant)
    assert not res.scores.equals(full_build.scores)
    z = res.tables["normalised"]
    assert z.mean().to_numpy() == pytest.approx(np.full(49, 10.0)) and z.std().to_numpy() == pytest.approx(
        np.full(49, 2.0)
    )
    pd.testing.assert_frame_equal(build_index(*asem, variant).scores, res.scores, check_exact=True)
    assert variant.diff(FULL) == {
        "normalise.hi": (None, 100.0),
        "normalise.lo": (None, 0.0),
        "normalise.mean": (10.0, None),
        "normalise.method": ("zscore", "minmax"),
        "normalise.sd": (2.0, None),
    }


# ---------------------------------------------------------------------- spec as data
def test_spec_canonical_form_and_round_trips(tmp_path):
    spec = dataclasses.replace(
        FULL,
        treat={"winmax": 3, "overrides": {"Flights": None, "国内指标": {"winmax": 1}}},
        aggregate={1: "amean", "Conn": {"method": "genmean", "p": 0.5}},
        weights={"Conn": 2, "Sust": 1},
    )
    assert Spec(treat={"winmax": 5}) == Spec(treat=True) == Spec(treat={"winmax": 5.0, "kurt": 3.5})
    assert (
        Spec(aggregate={"method": "amean"}) == Spec(aggregate="amean") == Spec(aggregate={"default": "amean"})
    )
    assert spec.aggregate["1"] == "amean"
    assert Spec.from_dict(spec.to_dict()) == spec and hash(Spec.from_dict(spec.to_dict())) == hash(spec)
    assert Spec.from_toml(spec.to_toml()) == spec
    assert Spec.from_yaml(spec.to_yaml()) == spec
    assert Spec.from_json(spec.to_json()) == spec
    assert pickle.loads(pickle.dumps(spec)) == spec
    for suffix in (".toml", ".yaml", ".json"):
        assert Spec.load(spec.save(tmp_path / f"spec{suffix}")) == spec
    assert (
        "skip" not in spec.to_toml()
        and "impute" in Spec.from_toml("denominate = false\nimpute = false\n").to_dict()
    )
    with pytest.raises(TypeError):
        spec.treat["winmax"] = 4  # fields are read-only


def test_apply_overrides_and_field_paths():
    spec = FULL
    new = apply_overrides(spec, {"treat.winmax": 2, "normalise": {"method": "rank"}, "aggregate": "gmean"})
    assert new.treat["winmax"] == 2 and new.normalise == {"method": "rank"} and new.aggregate == "gmean"
    assert apply_overrides(spec, {"weights.Conn": 2.0}).weights == {"Conn": 2.0}
    assert apply_overrides(spec, {"aggregate.Conn": "gmean"}).aggregate == {
        "default": "amean",
        "Conn": "gmean",
    }
    assert apply_overrides(spec, {"normalise.hi": 10}).normalise["hi"] == 10.0
    assert apply_overrides(spec, {}) == spec
    paths = field_paths(spec)
    assert {"treat", "treat.winmax", "normalise.lo", "impute.group", "aggregate"} <= set(paths)
    with pytest.raises(SpecError, match="no field 'traet'"):
        apply_overrides(spec, {"traet.winmax": 2})
    with pytest.raises(SpecError, match="off"):
        apply_overrides(Spec(), {"treat.winmax": 2})


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (
            {"normalise": {"method": "min_max"}},
            r"'normalise.method' parameter of Spec must be one of \{'minmax'",
        ),
        ({"aggregate": "geometric"}, r"must be one of \{'amean', 'gmean', 'hmean', 'genmean', 'copeland'\}"),
        ({"impute": {"method": "knn"}}, "must be one of"),
        ({"treat": {"fallback": "boxcox"}}, "must be one of"),
        ({"normalise": {"method": "minmax", "lo": 100, "hi": 0}}, "lo < hi"),
        ({"normalise": {"method": "minmax", "lo": 1, "hi": 1}}, "lo < hi"),
        ({"normalise": {"method": "zscore", "sd": 0}}, "sd"),
        ({"treat": {"winmax": -1}}, "winmax"),
        ({"treat": {"winmax": 2.5}}, "integer"),
        ({"treat": {"skew": 0}}, "skew"),
        ({"screen": {"min_share": 1.5}}, "min_share"),
        ({"aggregate": "genmean"}, "needs 'p'"),
        ({"aggregate": {"0": "amean"}}, "aggregate"),
        ({"impute": "group_mean"}, "group"),
        ({"weights": {"Conn": -1}}, "weights.Conn"),
        ({"normalise": {"method": "minmax", "bounds": [0, 1]}}, "unknown key"),
        ({"treta": {"winmax": 5}}, r"Spec has no field\(s\) \['treta'\]"),
        ({"denominate": "yes"}, "True or False"),
    ],
)
def test_bad_specs(kwargs, match):
    with pytest.raises(SpecError, match=match):
        Spec(**kwargs)


def test_bad_spec_fields_through_replace_and_from_dict():
    with pytest.raises(SpecError, match="no field"):
        dataclasses.replace(Spec(), nromalise="rank")
    with pytest.raises(SpecError, match="no field"):
        Spec.from_dict({"normalise": "rank", "wieghts": None})


def test_bad_inputs_to_build(asem):
    rubric, data = asem
    # geometric mean on non-positive values: names units and indicators
    with pytest.raises(DataError, match=r"gmean.*positive.*/") as err:
        build_index(rubric, data, Spec(aggregate="gmean"))
    assert "Physical" in str(err.value) and "lo': 1" in str(err.value)
    # weights naming unknown codes, or leaving a parent without weight
    with pytest.raises(SpecError, match="Nope"):
        build_index(rubric, data, Spec(weights={"Nope": 1}))
    with pytest.raises(SpecError, match="Conn"):
        build_index(rubric, data, Spec(weights={k: 0 for k in rubric.children("Conn")}))
    # aggregate keys must exist
    with pytest.raises(SpecError, match="steps 1 to 3"):
        build_index(rubric, data, Spec(aggregate={"4": "gmean"}))
    with pytest.raises(SpecError, match="not an aggregate"):
        build_index(rubric, data, Spec(aggregate={"LPI": "gmean"}))
    # a unit with too little data
    empty = data.copy()
    empty.loc["AUT", rubric.indicators] = np.nan
    with pytest.raises(DataError, match="AUT"):
        build_index(rubric, empty, Spec())
    assert "AUT" not in build_index(rubric, empty, Spec(screen={"min_share": 0.5})).scores.index
    gaps = small_data().assign(a=[np.nan, 1.0, 2.0, 3.0], c=[1.0, 2.0, np.nan, np.nan])  # each unit lacks one
    with pytest.raises(DataError, match="no unit has data"):
        build_index(small_rubric(), gaps, Spec(screen={"min_share": 1.0}))
    # missing columns, unknown group, unknown reference unit, text cells, no unit id
    with pytest.raises(DataError, match="LPI"):
        build_index(rubric, data.drop(columns=["LPI"]), Spec())
    with pytest.raises(DataError, match="Region"):
        build_index(rubric, data, Spec(impute={"method": "group_mean", "group": "Region"}))
    with pytest.raises(DataError, match="XXX"):
        build_index(rubric, data, Spec(normalise={"method": "dist2ref", "unit": "XXX"}))
    bad = data.astype({"LPI": object})
    bad.loc["AUT", "LPI"] = "n/a?"
    with pytest.raises(DataError, match="AUT/LPI"):
        build_index(rubric, bad, Spec())
    with pytest.raises(DataError, match="unit id"):
        build_index(rubric, data.reset_index(drop=True), Spec(), unit="uCode")
    with pytest.raises(SpecError, match="treat.overrides"):
        build_index(rubric, data, Spec(treat={"overrides": {"Nope": None}}))


def test_unit_column_and_chinese_codes():
    meta = pd.DataFrame(
        {
            "iCode": ["甲", "乙", "总分"],
            "Parent": ["总分", "总分", None],
            "Level": [1, 1, 2],
            "Direction": [1, 1, 1],
            "Weight": [1, 3, 1],
        }
    )
    r = wb.rubric_from_table(meta)
    d = pd.DataFrame({"单位": ["一支部", "二支部", "三支部"], "甲": [1.0, 2.0, 3.0], "乙": [3.0, 2.0, 1.0]})
    res = build_index(r, d, Spec(), unit="单位")
    assert res.index.tolist() == pytest.approx([75.0, 50.0, 25.0])
    assert res.index.index.tolist() == ["一支部", "二支部", "三支部"]


# ---------------------------------------------------------------------- batch evaluation
def test_evaluate_runs_equals_build_index_exactly(asem):
    rubric, data = asem
    rng = np.random.default_rng(3)
    codes = rubric.blocks
    runs = [
        {
            "treat.winmax": int(rng.integers(1, 6)),
            "normalise": [
                {"method": "minmax", "lo": 1, "hi": 100},
                {"method": "zscore", "mean": 10, "sd": 2},
            ][i % 2],
            "aggregate": ["amean", "gmean"][(i // 2) % 2],
            "weights": {c: float(rng.uniform(0.75, 1.25)) for c in codes},
        }
        for i in range(12)
    ]
    runs += [{}, {"screen.min_share": 0.95, "impute": None}, {"aggregate": {"Conn": "copeland"}}]
    spec = dataclasses.replace(FULL, normalise={"method": "minmax", "lo": 1, "hi": 100})
    out = evaluate_runs(rubric, data, spec, runs)
    assert out.scores.shape == (51, len(runs)) and out.units.equals(data.index)
    assert out.n_tables < len(runs)
    for j, run in enumerate(runs):
        ref = build_index(rubric, data, apply_overrides(spec, run)).index.reindex(out.units)
        assert np.array_equal(out.scores[:, j], ref.to_numpy(), equal_nan=True), j
    assert np.isnan(out.scores[:, -2]).any()  # that run's screening dropped units
    frame = out.to_frame()
    assert frame.shape == (51, len(runs)) and frame.index.name == "uCode"
    conn = evaluate_runs(rubric, data, spec, runs[:3], target="Conn").scores
    ref = build_index(rubric, data, apply_overrides(spec, runs[2])).scores["Conn"].to_numpy()
    assert np.array_equal(conn[:, 2], ref)


def test_evaluate_runs_rejects_bad_runs(asem):
    rubric, data = asem
    with pytest.raises(SpecError, match="no field"):
        evaluate_runs(rubric, data, FULL, [{"winmax": 3}])
    with pytest.raises(SpecError, match="weights"):
        evaluate_runs(rubric, data, FULL, [{"weights": {"Conn": 0, "Sust": 0}}])
    with pytest.raises(SpecError, match="'target' parameter of evaluate_runs"):
        evaluate_runs(rubric, data, FULL, [{}], target="Nope")
    assert math.isfinite(evaluate_runs(rubric, data, FULL, [{}]).scores[0, 0])
