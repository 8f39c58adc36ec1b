"""Uncertainty and sensitivity analysis of ranks and grades (workbench.sensitivity).

Truths used: published/analytic Sobol' indices (Ishigami; a weighted sum of independent inputs),
run-by-run replays with workbench.score / build_index, independent re-implementations of ranks,
quotas and quantiles, and the closed form of the correlation ratio of a linear composite.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import rankdata

import workbench as wb
from workbench import sensitivity as sa
from workbench.rubric._parse import parse_rubric_dict
from workbench.scoring import grades as G
from workbench.scoring.grades import SortedRows, rank_rows

ROOT = Path(__file__).resolve().parents[1]
GRADES = {"优秀": 90, "良好": 80, "一般": 60, "较差": 0}


def lin(code, w, **kw):
    return {
        "code": code,
        "name": f"指标{code}",
        "weight": w,
        "rule": {"type": "linear", "lo": 40, "hi": 100},
        **kw,
    }


def make_rubric(**over):
    d = {
        "code": "t",
        "name": "测试方案",
        "scale": 100,
        "blocks": [
            {"code": "A", "name": "领导重视", "weight": 30, "indicators": [lin("a1", 20), lin("a2", 10)]},
            {
                "code": "B",
                "name": "组织建设",
                "weight": 40,
                "indicators": [lin("b1", 25), lin("b2", 15, missing="exempt")],
            },
            {
                "code": "C",
                "name": "作风建设",
                "weight": 30,
                "indicators": [
                    lin("c1", 10),
                    {
                        "code": "c2",
                        "name": "测评",
                        "weight": 20,
                        "kind": "qualitative",
                        "rule": {"type": "grade_map", "points": {"好": 20, "较好": 16, "一般": 12, "差": 6}},
                    },
                ],
            },
        ],
        "bonus": {"cap": 5, "items": [{"code": "h1", "name": "表彰", "points": 2}]},
        "deductions": {"cap": 10, "items": [{"code": "d1", "name": "通报", "points": 3}]},
        "veto": [
            {"code": "v1", "name": "违纪", "effect": "lowest"},
            {"code": "v2", "name": "意识形态", "effect": "cap", "cap_grade": "一般"},
        ],
        "grades": {"bands": GRADES, "quota": {"优秀": 0.2, "良好": 0.5}},
    }
    d.update(over)
    return parse_rubric_dict(d)


def make_data(n=60, seed=0, other=False):
    rng = np.random.default_rng(seed)
    skill = rng.normal(0, 1, n)
    cols = {}
    for c in ("a1", "a2", "b1", "b2", "c1"):
        cols[c] = np.clip(np.round(85 + 6 * skill + rng.normal(0, 6, n), 0), 40, 100)
    cols["b2"] = np.where(rng.random(n) < 0.2, np.nan, cols["b2"])
    cols["c2"] = np.array(["好", "较好", "一般", "差"], dtype=object)[rng.integers(0, 4, n)]
    cols["h1"] = rng.poisson(0.3, n)
    cols["d1"] = rng.poisson(0.3, n)
    cols["v1"] = (rng.random(n) < 0.05).astype(int)
    cols["v2"] = (rng.random(n) < 0.05).astype(int)
    cols["cat"] = np.array(["机关", "事业"], dtype=object)[rng.integers(0, 2, n)]
    if other:
        cols["econ"] = np.round(rng.uniform(60, 100, n), 0)
    return pd.DataFrame(cols, index=pd.Index([f"U{i:03d}" for i in range(n)], name="unit"))


CATEGORIES = {
    "column": "cat",
    "groups": {
        "机关": {"weights": {"A": 40, "B": 30, "C": 30}},
        "事业": {"weights": {"A": 20, "B": 50, "C": 30}},
    },
}
SCHEMES = {
    "plain": ({}, False),
    "categories": (
        {
            "categories": CATEGORIES,
            "grades": {
                "bands": GRADES,
                "quota": {"优秀": 0.25},
                "scope": "category",
                "ties": "include",
                "rounding": "ceil",
            },
        },
        False,
    ),
    "weighted": (
        {
            "scheme": {
                "type": "weighted",
                "other": {"column": "econ", "name": "经济", "scale": 100},
                "party_weight": 0.1,
            }
        },
        True,
    ),
    "multiplicative": (
        {"scheme": {"type": "multiplicative", "other": {"column": "econ", "name": "经营", "scale": 100}}},
        True,
    ),
    "dual100": (
        {
            "grades": {"bands": GRADES},
            "scheme": {"type": "dual100", "other": {"column": "econ", "name": "经济", "scale": 100}},
        },
        True,
    ),
}


def with_settings(rubric, run: dict):
    """The rubric a run describes (party weight, quota), for replaying it with score()."""
    out = rubric
    if "party_weight" in run:
        out = replace(out, scheme=replace(out.scheme, party_weight=float(run["party_weight"])))
    if "quota" in run:
        q = run["quota"]
        names = out.grades.names
        q = {} if q is None else (dict(q) if isinstance(q, dict) else {names[0]: float(q)})
        out = replace(out, grades=replace(out.grades, quota=q))
    return out


def assert_replays(rubric, data, res, runs):
    """Run r of ``res`` equals score(rubric with the run's settings, data, weights=run weights)."""
    for i in runs:
        run = res.run(i)
        card = wb.score(with_settings(rubric, run), data, weights=run.get("weights"))
        np.testing.assert_allclose(res.scores[i].to_numpy(), card.final.to_numpy(), rtol=0, atol=1e-9)
        assert (res.ranks[i].to_numpy() == card.rank.to_numpy()).all(), f"ranks differ in run {i}"
        if res.grades is not None:
            got = res.grades[i].astype(str).to_numpy()
            assert (got == card.grade.astype(str).to_numpy()).all(), f"grades differ in run {i}"


# ----------------------------------------------------------------------------- replays with score()
@pytest.mark.parametrize("name", list(SCHEMES))
def test_each_run_equals_score(name):
    over, other = SCHEMES[name]
    rubric = make_rubric(**over)
    data = make_data(other=other)
    factors = {"weights": {"dirichlet": {"concentration": 4}}}
    if rubric.grades.quota:
        factors["quota"] = [0.1, 0.3, {"优秀": 0.15, "良好": 0.4}, None]
    if name == "weighted":
        factors["party_weight"] = {"uniform": [0.02, 0.4]}
    res = sa.uncertainty(rubric, data, None, factors, n=24, seed=5)
    assert_replays(rubric, data, res, range(24))
    nominal = wb.score(rubric, data)
    assert (res.nominal["rank"] == nominal.rank).all()
    assert (res.rank_stats["nominal"] == nominal.rank).all()


def test_categories_keep_their_weights_unless_named():
    rubric = make_rubric(**SCHEMES["categories"][0])
    data = make_data()
    res = sa.uncertainty(rubric, data, None, {"weights": {"dirichlet": {"concentration": 10}}}, n=8, seed=1)
    # block weights are set per category, so only the indicator weights within blocks are drawn
    assert sorted(res.params.columns) == sorted(f"weights.{c}" for c in ("a1", "a2", "b1", "b2", "c1", "c2"))
    named = sa.uncertainty(rubric, data, None, {"weights.A": [10, 50]}, n=8, seed=1)
    assert_replays(rubric, data, named, range(8))


def test_weight_sets_list_frame_and_global():
    rubric = make_rubric()
    data = make_data()
    sets = [{"A": 1, "B": 1, "C": 1}, {"A": 0.5, "B": 0.3, "C": 0.2}, {"a1": 1, "a2": 3}]
    res = sa.uncertainty(rubric, data, None, {"weights": sets}, n=12, seed=2, sampling="random")
    assert_replays(rubric, data, res, range(12))
    frame = pd.DataFrame(sets[:2], index=["equal", "expert"])
    res2 = sa.uncertainty(rubric, data, None, {"weights": frame}, n=6, seed=2)
    assert set(res2.params["weights"]) <= {"equal", "expert"}
    assert_replays(rubric, data, res2, range(6))
    # global leaf weights (as from ahp.bootstrap): blocks get the sums of their indicators
    g = pd.DataFrame(
        [[0.1, 0.1, 0.2, 0.2, 0.2, 0.2], [0.3, 0.1, 0.1, 0.1, 0.2, 0.2]],
        columns=["a1", "a2", "b1", "b2", "c1", "c2"],
    )
    res3 = sa.uncertainty(rubric, data, None, {"weights": {"global": g}}, n=4, seed=0)
    for i in range(4):
        w = res3.run(i)["weights"]
        row = g.iloc[0] if w["a1"] == 0.1 else g.iloc[1]
        expected = wb.score(rubric.with_weights(row.to_dict(), level="global"), data)
        np.testing.assert_allclose(res3.scores[i].to_numpy(), expected.final.to_numpy(), atol=1e-9)


def test_ahp_bootstrap_replicates_as_weight_sets():
    from workbench import ahp

    rng = np.random.default_rng(4)

    def judgments(w, experts=5):  # consistent matrices of noisy expert weights
        v = w * np.exp(rng.normal(0, 0.3, (experts, len(w))))
        return v[:, :, None] / v[:, None, :]

    arrays = {
        "goal": judgments(np.array([3.0, 4, 3])),
        "A": judgments(np.array([2.0, 1])),
        "B": judgments(np.array([5.0, 3])),
        "C": judgments(np.array([1.0, 2])),
    }
    elements = {"goal": ["A", "B", "C"], "A": ["a1", "a2"], "B": ["b1", "b2"], "C": ["c1", "c2"]}
    boot = ahp.bootstrap(ahp.Panel.from_arrays(arrays, elements), n=50, seed=1)
    rubric, data = make_rubric(), make_data()
    res = sa.uncertainty(rubric, data, None, {"weights": boot}, n=6, seed=2)
    for i in range(6):
        w = res.run(i)["weights"]
        row = boot.replicates.loc[res.params.loc[i, "weights"]]
        assert w["A"] == pytest.approx(row["a1"] + row["a2"])
        expected = wb.score(rubric.with_weights(row.to_dict(), level="global"), data)
        np.testing.assert_allclose(res.scores[i].to_numpy(), expected.final.to_numpy(), atol=1e-9)
        assert (res.ranks[i] == expected.rank).all()


def test_shipped_cq_organs_on_county_sample():
    path = ROOT / "data" / "samples" / "county_organs.csv"
    if not path.exists():
        pytest.skip("data/samples/county_organs.csv not generated")
    rubric = wb.load_rubric(ROOT / "indicators" / "cq_organs.yaml")
    data = wb.read_table(path, rubric=rubric)
    res = sa.uncertainty(
        rubric, data, None, {"weights": {"uniform_noise": 0.5}, "quota": [0.1, 0.2, 0.3]}, n=16, seed=3
    )
    assert_replays(rubric, data, res, range(16))


# ----------------------------------------------------------------------------- statistics and properties
def test_statistics_match_independent_computations():
    rubric = make_rubric()
    data = make_data(n=80)
    res = sa.uncertainty(rubric, data, None, {"weights": {"dirichlet": {"concentration": 2}}}, n=64, seed=9)
    ranks = res.ranks.to_numpy(dtype=float)
    q = np.quantile(ranks, [0.05, 0.5, 0.95], axis=1)
    np.testing.assert_allclose(res.rank_stats[["q05", "median", "q95"]].to_numpy().T, q)
    np.testing.assert_allclose(res.rank_stats["mean"], ranks.mean(axis=1))
    grades = res.grades
    for g in rubric.grades.names:
        np.testing.assert_allclose(res.grade_probs[g], (grades == g).mean(axis=1))
    np.testing.assert_allclose(res.p_top, (grades == "优秀").mean(axis=1))
    np.testing.assert_allclose(res.grade_probs.sum(axis=1), 1.0)
    nominal = wb.score(rubric, data).grade.astype(str)
    changed = (grades.astype(str).to_numpy() != nominal.to_numpy()[:, None]).mean(axis=1)
    fragile = (res.grade_probs.max(axis=1) < 0.8) | (changed > 0.2)
    assert list(res.fragile) == list(fragile[fragile].index)
    assert len(res.fragile) > 0
    frame = res.to_frame()
    assert frame["fragile"].sum() == len(res.fragile) and frame.index[0] == res.nominal["rank"].idxmin()
    assert "Uncertainty of ranks" in repr(res) and "fragile grades" in repr(res)


def test_seed_reproducible_and_draws_centered():
    rubric = make_rubric()
    data = make_data()
    f = {"weights": {"dirichlet": {"concentration": 400}}}
    a = sa.uncertainty(rubric, data, None, f, n=256, seed=11)
    b = sa.uncertainty(rubric, data, None, f, n=256, seed=11)
    c = sa.uncertainty(rubric, data, None, f, n=256, seed=12)
    pd.testing.assert_frame_equal(a.ranks, b.ranks)
    pd.testing.assert_frame_equal(a.params, b.params)
    assert not a.params.equals(c.params)
    p = a.params
    np.testing.assert_allclose(p[["weights.A", "weights.B", "weights.C"]].sum(axis=1), 1.0)
    np.testing.assert_allclose(p[["weights.A", "weights.B", "weights.C"]].mean(), [0.3, 0.4, 0.3], atol=0.01)
    # Dirichlet(c p): Var = p (1 - p) / (c + 1)
    np.testing.assert_allclose(p["weights.B"].var(), 0.4 * 0.6 / 401, rtol=0.25)


def test_uniform_noise_bounds():
    rubric = make_rubric()
    res = sa.uncertainty(rubric, make_data(), None, {"weights": {"uniform_noise": 0.25}}, n=200, seed=1)
    ratio = res.params["weights.a1"] / res.params["weights.a2"] / 2.0  # nominal a1:a2 = 2
    assert ratio.min() >= 0.75 / 1.25 - 1e-12 and ratio.max() <= 1.25 / 0.75 + 1e-12
    assert ratio.min() < 0.7 and ratio.max() > 1.4


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=1, max_size=40), st.integers(1, 4))
def test_rank_rows_matches_rankdata(values, rows):
    x = np.array([np.roll(values, k) for k in range(rows)], dtype=float)
    expected = np.array([rankdata(-row, method="min") for row in x])
    assert (rank_rows(x) == expected).all()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.booleans()), min_size=1, max_size=30))
def test_veto_last_ranks_match_shifted_key(units):
    # score(): vetoed units rank after all others, key - (max - min + 1), in score order
    key = np.array([[float(k) for k, _ in units]])
    last = np.array([v for _, v in units])
    shifted = np.where(last, key - (key.max() - key.min() + 1.0), key)
    expected = rankdata(-shifted[0], method="min")
    assert (SortedRows(key).ranks(last=last)[0] == expected).all()


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.integers(50, 100), st.integers(0, 3), st.integers(0, 1)), min_size=2, max_size=30),
    st.sampled_from(["exclude", "include"]),
    st.sampled_from(["floor", "ceil", "round"]),
    st.booleans(),
    st.floats(0.0, 1.0),
)
def test_quota_rows_match_a_unit_by_unit_oracle(units, ties, rounding, grouped, share):
    # independent oracle: grades best first; within each scope a unit keeps grade j when the units
    # of grade j with a score >= its own ('exclude') or > its own ('include') are within the places
    scores = np.array([float(u[0]) for u in units])
    band = np.array([u[1] for u in units])
    groups = np.array([u[2] for u in units]) if grouped else np.zeros(len(units), dtype=int)
    quota = {"优秀": share, "良好": 0.5}
    names = list(GRADES)
    rnd = {"floor": np.floor, "ceil": np.ceil, "round": lambda x: np.floor(x + 0.5)}[rounding]
    expected = band.copy()
    for j, name in enumerate(names[:-1]):
        if name not in quota:
            continue
        now = expected.copy()
        for i in range(len(units)):
            if now[i] != j:
                continue
            same = (now == j) & (groups == groups[i])
            places = rnd(quota[name] * (groups == groups[i]).sum() + 1e-9)
            ahead = (
                (scores[same] >= scores[i]).sum()
                if ties == "exclude"
                else (scores[same] > scores[i]).sum() + 1
            )
            if ahead > places:
                expected[i] = j + 1
    got, demoted = G.apply_quota(band, scores, quota, names, ties=ties, rounding=rounding,
                                 groups=groups if grouped else None)  # fmt: skip
    assert (got == expected).all()
    assert (demoted == (expected > band)).all()
    # the same on two rows at once (R variants), the second with a different share
    shares = np.array([[share, 0.5, np.nan, np.nan], [share, 0.5, np.nan, np.nan]])
    two, _ = G.apply_quota(np.stack([band, band]), np.stack([scores, scores]), shares, ties=ties,
                           rounding=rounding, groups=groups if grouped else None)  # fmt: skip
    assert (two == expected).all()


# ----------------------------------------------------------------------------- Sobol' indices
def test_sobol_ishigami_reference():
    case = next(
        c
        for c in json.loads((ROOT / "tests" / "reference" / "stats_cases.json").read_text(encoding="utf-8"))
        if c["id"] == "sobol_ishigami_a7_b0.1"
    )
    # Ishigami & Homma (1990); analytic indices as in Saltelli et al. (2008) The Primer and SALib's
    # tests/test_regression.py; the case's Monte Carlo tolerance is 0.01 at N = 2^14.
    a, b = case["input"]["a"], case["input"]["b"]

    def ishigami(p):
        x1, x2, x3 = p["x1"].to_numpy(), p["x2"].to_numpy(), p["x3"].to_numpy()
        return np.sin(x1) + a * np.sin(x2) ** 2 + b * x3**4 * np.sin(x1)

    res = sa.sobol_function(
        ishigami,
        {f"x{i}": {"uniform": [-np.pi, np.pi]} for i in (1, 2, 3)},
        n=2**14,
        seed=1,
        num_resamples=50,
    )
    tol = case["tolerance"]["monte_carlo_N=2^14_saltelli"]
    np.testing.assert_allclose(res.indices["S1"], case["expected"]["S1"], atol=tol)
    np.testing.assert_allclose(res.indices["ST"], case["expected"]["ST"], atol=tol)
    assert (res.indices["S1_conf"] < 0.05).all()


def test_sobol_weighted_sum_closed_form():
    # y = sum w_i x_i with independent x_i ~ U(0, b_i): S_i = w_i^2 var_i / sum_j w_j^2 var_j
    w = np.array([0.5, 0.3, 0.2])
    b = np.array([1.0, 2.0, 4.0])
    var = b**2 / 12
    expected = w**2 * var / (w**2 * var).sum()
    factors = {f"x{i}": {"uniform": [0, float(b[i])]} for i in range(3)}
    res = sa.sobol_function(lambda p: p.to_numpy() @ w, factors, n=4096, seed=3, num_resamples=20)
    np.testing.assert_allclose(res.indices["S1"], expected, atol=0.02)
    np.testing.assert_allclose(res.indices["ST"], expected, atol=0.02)
    # two outputs: per-output indices; the second depends on x0 only
    two = sa.sobol_function(lambda p: np.c_[p.to_numpy() @ w, p["x0"]], factors, n=1024, seed=3)
    np.testing.assert_allclose(two.unit_ST.iloc[1], [1, 0, 0], atol=0.03)


def test_sobol_on_rubric():
    rubric = make_rubric(**SCHEMES["weighted"][0])
    data = make_data(other=True)
    factors = {
        "weights.A": {"uniform": [10, 50]},
        "quota": {"uniform": [0.05, 0.4]},
        "party_weight": {"uniform": [0.02, 0.5]},
    }
    with pytest.warns(wb.errors.WorkbenchWarning, match="power of 2"):
        res = sa.sobol(rubric, data, None, factors, n=200, seed=4, num_resamples=20)
    assert res.n == 256 and len(res.output) == 256 * 5
    ix = res.indices
    # quotas act on grades only: no effect on ranks, some on grades
    assert ix.loc["quota", "ST"] == 0 and ix.loc["party_weight", "ST"] > 0.5
    assert res.grade_indices.loc["quota", "ST"] > 0.01
    assert res.unit_S1.shape == (len(data), 3) and list(res.unit_S1.index) == list(data.index)
    again = sa.sobol(rubric, data, None, factors, n=256, seed=4, num_resamples=20)
    pd.testing.assert_frame_equal(res.indices, again.indices)


# ----------------------------------------------------------------------------- importance and removal
def two_block_rubric(wa, wb_, lo_b):
    return parse_rubric_dict(
        {
            "code": "two",
            "name": "两板块",
            "scale": 100,
            "weighting": "relative",
            "blocks": [
                {
                    "code": "A",
                    "name": "经济发展",
                    "weight": wa,
                    "indicators": [
                        {
                            "code": "xa",
                            "name": "甲",
                            "weight": 1,
                            "rule": {"type": "linear", "lo": 0, "hi": 100},
                        }
                    ],
                },
                {
                    "code": "B",
                    "name": "机关党建",
                    "weight": wb_,
                    "indicators": [
                        {
                            "code": "xb",
                            "name": "乙",
                            "weight": 1,
                            "rule": {"type": "linear", "lo": 0, "hi": 100},
                        }
                    ],
                },
            ],
        }
    ), lo_b


def test_two_percent_block_has_almost_no_effective_weight():
    rubric, _ = two_block_rubric(98, 2, 95)
    rng = np.random.default_rng(0)
    n = 2000
    data = pd.DataFrame(
        {"xa": rng.uniform(0, 100, n), "xb": rng.uniform(95, 100, n)},
        index=pd.Index([f"U{i}" for i in range(n)], name="unit"),
    )
    res = sa.importance(rubric, data)
    t = res.table
    assert t.loc["B", "nominal"] == pytest.approx(0.02)
    # closed form: 2^2 x 0.05^2 / 12 against 98^2 / 12 -> S_B ~ 1e-6; far below 2%
    assert t.loc["B", "effective"] < 0.002
    assert t.loc["A", "effective"] > 0.99
    assert t.loc["B", "ratio"] < 0.1


def test_importance_linear_closed_form():
    # independent uniform shares, points = share x full marks: S_i = full_i^2 / sum full_j^2
    rubric = parse_rubric_dict(
        {
            "code": "lin",
            "name": "线性",
            "scale": 100,
            "weighting": "relative",
            "blocks": [
                {
                    "code": c,
                    "name": c,
                    "weight": w,
                    "indicators": [
                        {
                            "code": f"x{c}",
                            "name": c,
                            "weight": 1,
                            "rule": {"type": "linear", "lo": 0, "hi": 100},
                        }
                    ],
                }
                for c, w in (("P", 50), ("Q", 30), ("R", 20))
            ],
        }
    )
    rng = np.random.default_rng(1)
    n = 4000
    data = pd.DataFrame(
        {f"x{c}": rng.uniform(0, 100, n) for c in "PQR"}, index=pd.Index(range(n), name="unit").astype(str)
    )
    full = np.array([50.0, 30.0, 20.0])
    expected = full**2 / (full**2).sum()
    for method in ("spline", "bins"):
        t = sa.importance(rubric, data, method=method).table
        np.testing.assert_allclose(t["S"], expected, atol=0.03)
        np.testing.assert_allclose(t["effective"], expected, atol=0.03)
        np.testing.assert_allclose(t["pearson_share"], expected, atol=0.03)
    np.testing.assert_allclose(t["nominal"], [0.5, 0.3, 0.2])


def test_correlation_ratio_nonlinear():
    # y = x^2 on U(-1, 1): Pearson r = 0 but E[y|x] = y, so the correlation ratio is 1
    x = np.linspace(-1, 1, 801)
    assert sa.correlation_ratio(x, x**2) > 0.99
    assert abs(np.corrcoef(x, x**2)[0, 1]) < 1e-9
    assert sa.correlation_ratio(x, np.random.default_rng(0).normal(size=801)) < 0.02


def test_remove_one_matches_loop_of_score():
    rubric = make_rubric()
    data = make_data()
    res = sa.remove_one(rubric, data, level="indicators")
    nominal = wb.score(rubric, data)
    for code in ("a1", "b2", "c2"):
        card = wb.score(rubric, data, weights={code: 0})
        moved = (card.rank - nominal.rank).abs()
        assert res.table.loc[code, "mean_abs_rank_change"] == pytest.approx(moved.mean())
        assert res.table.loc[code, "max_abs_rank_change"] == moved.max()
        assert res.table.loc[code, "grade_changed"] == pytest.approx(
            (card.grade.astype(str) != nominal.grade.astype(str)).mean()
        )
        assert (res.ranks[code] == card.rank).all()
    top = sa.remove_one(rubric, data, level="top")
    assert set(top.table.index) == {"A", "B", "C"}


# ----------------------------------------------------------------------------- composite builds
@pytest.fixture(scope="module")
def asem():
    base = ROOT / "data" / "samples" / "asem"
    rubric = wb.rubric_from_table(base / "ASEM_iMeta.csv")
    return rubric, wb.read_table(base / "ASEM_iData.csv", unit="uCode")


def test_composite_runs_equal_build_index(asem):
    from workbench.composite import Spec, apply_overrides, build_index

    rubric, data = asem
    spec = Spec(normalise={"method": "minmax", "lo": 1, "hi": 100})
    factors = {
        "aggregate": ["amean", "gmean"],
        "treat": [None, {"winmax": 5}],
        "weights": {"dirichlet": {"concentration": 20}},
    }
    res = sa.uncertainty(rubric, data, spec, factors, n=12, seed=3)
    assert res.grade_probs is None and res.fragile is None
    for i in (0, 5, 11):
        built = build_index(rubric, data, apply_overrides(spec, res.run(i)))
        s = built.scores[rubric.root].reindex(res.scores.index)
        np.testing.assert_allclose(res.scores[i], s, rtol=0, atol=1e-9)
        expected = rankdata(-np.round(s.to_numpy(), 9), method="min")
        assert (res.ranks[i].to_numpy() == expected).all()
    imp = sa.importance(rubric, data, spec)
    assert list(imp.table.index) == rubric.top_blocks and imp.table["nominal"].sum() == pytest.approx(1)
    rem = sa.remove_one(rubric, data, spec, level="top")
    assert set(rem.table.index) == set(rubric.top_blocks)
    bad = {"treat.winmax": [1, 2]}  # treat is off in this spec: caught at evaluation, with its message
    with pytest.raises(wb.SpecError, match="treat"):
        sa.uncertainty(rubric, data, spec, bad, n=2, seed=1)


# ----------------------------------------------------------------------------- dask
def test_dask_local_cluster_identical():
    distributed = pytest.importorskip("distributed")
    rubric = make_rubric(**SCHEMES["categories"][0])
    data = make_data()
    f = {"weights": {"dirichlet": {"concentration": 5}}, "quota": [0.1, 0.3]}
    local = sa.uncertainty(rubric, data, None, f, n=40, seed=8)
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = sa.uncertainty(rubric, data, None, f, n=40, seed=8, client=client)
    pd.testing.assert_frame_equal(local.ranks, remote.ranks)
    pd.testing.assert_frame_equal(local.scores, remote.scores)
    pd.testing.assert_frame_equal(local.grade_probs, remote.grade_probs)


# ----------------------------------------------------------------------------- bad input
def test_bad_inputs():
    rubric = make_rubric()
    data = make_data()
    run = lambda f, **kw: sa.uncertainty(rubric, data, None, f, **{"n": 4, "seed": 1, **kw})  # noqa: E731
    with pytest.raises(wb.SpecError, match="unknown factor path 'treat.winmax'.*valid paths.*weights"):
        run({"treat.winmax": [1, 2]})
    with pytest.raises(wb.SpecError, match="unknown factor path 'party_weight'"):
        run({"party_weight": [0.1]})  # a single-score scheme has no party weight
    with pytest.raises(wb.SpecError, match="concentration must be > 0"):
        run({"weights": {"dirichlet": {"concentration": -3}}})
    with pytest.raises(wb.SpecError, match="0 <= a < 1"):
        run({"weights": {"uniform_noise": 1.0}})
    with pytest.raises(wb.SpecError, match="do not cover the children of '__root__'.*'C'"):
        run({"weights": [{"A": 1, "B": 2}]})
    with pytest.raises(wb.SpecError, match="not in rubric"):
        run({"weights": [{"A": 1, "B": 2, "C": 1, "Z": 3}]})
    with pytest.raises(wb.SpecError, match="finite and >= 0"):
        run({"weights": [{"A": -1, "B": 2, "C": 1}]})
    with pytest.raises(wb.SpecError, match="global weights must have one column per indicator"):
        run({"weights": {"global": pd.DataFrame([{"a1": 1.0}])}})
    with pytest.raises(wb.SpecError, match="'n' parameter of uncertainty must be an integer >= 2"):
        run({"weights": {"uniform_noise": 0.1}}, n=1)
    with pytest.raises(wb.SpecError, match="'sampling'"):
        run({"weights": {"uniform_noise": 0.1}}, sampling="latin")
    with pytest.raises(wb.SpecError, match="'target'"):
        run({"weights": {"uniform_noise": 0.1}}, target="nope")
    with pytest.raises(wb.SpecError, match="quota is a share"):
        run({"quota": [1.5]})
    with pytest.raises(wb.SpecError, match="'uniform' needs"):
        run({"quota": {"uniform": [0.3, 0.1]}})
    with pytest.raises(wb.SpecError, match="is not a code"):
        run({"weights.zz": [1, 2]})
    with pytest.raises(wb.SpecError, match="also drawn"):
        run({"weights": {"uniform_noise": 0.1}, "weights.a1": [1, 2]})
    with pytest.raises(wb.SpecError, match="'n' parameter of sobol"):
        sa.sobol(rubric, data, None, {"weights.A": [1, 2]}, n=1)
    with pytest.raises(wb.SpecError, match="'level' parameter of importance"):
        sa.importance(rubric, data, level="a1")
    with pytest.raises(wb.SpecError, match="'method' parameter of importance"):
        sa.importance(rubric, data, method="loess")
    with pytest.raises(wb.SpecError, match="not components"):
        sa.remove_one(rubric, data, codes=["zz"])
    with pytest.raises(wb.SpecError, match="must be a Rubric"):
        sa.uncertainty("cq.yaml", data, None, {"weights.A": [1]})


def test_replay_helper_sets_party_weight_and_quota():
    rubric = make_rubric(**SCHEMES["weighted"][0])
    r2 = with_settings(rubric, {"party_weight": 0.3, "quota": 0.1})
    assert r2.scheme.party_weight == 0.3 and dict(r2.grades.quota) == {"优秀": 0.1}
    assert replace(rubric, scheme=rubric.scheme) == rubric


def test_contribution_share_closed_form_and_two_percent():
    # y = sum of block points: Cov(x_i, y)/Var(y) = Var(x_i)/sum Var(x_j) for independent blocks
    # (covariance decomposition, Li, Rabitz et al. 2010); checked against sample variances.
    import textwrap

    from workbench.rubric._parse import parse_rubric_text

    r = parse_rubric_text(
        textwrap.dedent("""
        code: c
        name: c
        scale: 100
        blocks:
          - {code: a, name: a, weight: 50, indicators: [{code: xa, name: xa, weight: 50, rule: {type: direct, unit: points}}]}
          - {code: b, name: b, weight: 50, indicators: [{code: xb, name: xb, weight: 50, rule: {type: direct, unit: points}}]}
        """)
    )
    rng = np.random.default_rng(0)
    d = pd.DataFrame(
        {"xa": rng.uniform(0, 50, 4000), "xb": rng.uniform(20, 30, 4000)},
        index=pd.Index([f"u{i}" for i in range(4000)], name="unit"),
    )
    t = sa.importance(r, d, level="top").table
    va, vb = d["xa"].var(), d["xb"].var()
    assert t.loc["a", "contribution"] == pytest.approx(va / (va + vb), abs=0.02)
    # the 2% scheme on the bundled county: party-building blocks carry well under 2% of the variance
    r2 = wb.load_rubric(ROOT / "indicators/comprehensive_2pct.yaml")
    d2 = wb.read_table(ROOT / "data/samples/county_organs.csv", rubric=r2)
    t2 = sa.importance(r2, d2, level="top").table
    assert t2.drop(index="econ_score")["contribution"].sum() < 0.02
