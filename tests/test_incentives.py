"""Tests of workbench.incentives: closed forms, best responses, equilibrium, sweeps, bad input.

Reference values come from tests/reference/stats_cases.json (Holmström & Milgrom 1991
multitask model, separable special cases) and from closed forms derived in the module docstrings;
numerical answers are checked against independent computations written out here (scipy
optimisers, dense grids, normal CDFs), never against the solver's own output.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import reference_cases
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize
from scipy.stats import norm

import workbench as wb
from workbench import incentives as inc
from workbench.errors import DataError, RubricError, SpecError

ROOT = Path(__file__).resolve().parents[1]
CASES = reference_cases("stats_cases.json")
BANDS = (("优秀", 90.0), ("良好", 80.0), ("一般", 60.0), ("较差", 0.0))
REWARDS = (1.0, 0.6, 0.3, 0.0)


def two_task_pop(productivity, budget=1.0, cost=0.0, **kw):
    productivity = np.atleast_2d(productivity)
    units = tuple(f"u{i}" for i in range(len(productivity)))
    return inc.Population(
        units=units, tasks=("econ", "party"), productivity=productivity, budget=budget, cost=cost, **kw
    )


def shares_of(out, tasks=("econ", "party")):
    e = out.effort[list(tasks)].to_numpy()
    return e / e.sum(axis=1, keepdims=True)


# ----------------------------------------------------------------------------- closed forms
@settings(max_examples=40, deadline=None)
@given(
    w=st.lists(st.floats(0.01, 1.0), min_size=2, max_size=5),
    gamma=st.floats(0.1, 0.9),
    seed=st.integers(0, 1000),
)
def test_effort_shares_is_the_first_order_condition(w, gamma, seed):
    # FOC of max sum w a e^g s.t. sum e = 1: w_k a_k g e_k^(g-1) equal across tasks (design.md)
    a = np.random.default_rng(seed).uniform(0.5, 2.0, len(w))
    e = inc.effort_shares(w, gamma, a)
    assert e.sum() == pytest.approx(1.0)
    marginal = np.array(w) * a * gamma * e ** (gamma - 1)
    np.testing.assert_allclose(marginal, marginal[0], rtol=1e-9)
    expected = (np.array(w) * a) ** (1 / (1 - gamma))
    np.testing.assert_allclose(e, expected / expected.sum(), rtol=1e-12)


def test_effort_shares_domain_numbers():
    # domain.md: "at w=2% and gamma=0.5 the party-building share is ~0%, at 30% it is ~15%"; with two
    # tasks of equal productivity the formula gives w^2 / (w^2 + (1-w)^2): 0.0416% and 15.52%
    assert inc.effort_shares([0.98, 0.02])[1] == pytest.approx(0.02**2 / (0.02**2 + 0.98**2), rel=1e-12)
    assert inc.effort_shares([0.98, 0.02])[1] == pytest.approx(0.000416, abs=1e-6)
    assert inc.effort_shares([0.7, 0.3])[1] == pytest.approx(0.155172, abs=1e-6)


def test_effort_shares_labels_and_rows():
    s = inc.effort_shares(pd.Series({"经济": 0.9, "党建": 0.1}))
    assert list(s.index) == ["经济", "党建"] and s["党建"] == pytest.approx(0.01 / 0.82)
    frame = pd.DataFrame([[0.5, 0.5], [0.9, 0.1]], index=["A", "B"], columns=["x", "y"])
    out = inc.effort_shares(frame, productivity=[1.0, 2.0])
    assert isinstance(out, pd.DataFrame) and out.loc["A", "y"] == pytest.approx(0.8)


def test_effort_shares_perfect_substitutes_corner():
    # gamma = 1: output linear in effort, so all effort goes to the largest w_k a_k (HM 1991 sec. 3)
    np.testing.assert_array_equal(inc.effort_shares([0.6, 0.4], 1.0, [1.0, 2.0]), [0.0, 1.0])
    np.testing.assert_array_equal(inc.effort_shares([0.5, 0.5], 1.0), [0.5, 0.5])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"weights": [0.5, 0.5], "gamma": 0.0},
        {"weights": [0.5, 0.5], "gamma": 1.5},
        {"weights": [0.5, -0.5]},
        {"weights": [0.0, 0.0]},
        {"weights": [0.5, np.nan]},
        {"weights": [0.5, 0.5], "productivity": [1.0, 2.0, 3.0]},
        {"weights": [[[0.5]]]},
    ],
)
def test_effort_shares_bad_input(kwargs):
    with pytest.raises(SpecError):
        inc.effort_shares(**kwargs)


def test_hm_closed_form_reference():
    # stats_cases.json hm1991_separable_independent_tasks: alpha_i* = B_i / (1 + r c_i sigma_i^2)
    case = CASES["hm1991_separable_independent_tasks"]
    x = case["input"]
    res = inc.hm_linear_contract(x["B_prime"], x["c"], x["sigma2"], x["r"])
    tol = case["tolerance"]["closed_form"]
    np.testing.assert_allclose(res.alpha, case["expected"]["alpha_star"], atol=tol)
    np.testing.assert_allclose(res.effort, case["expected"]["effort"], atol=tol)
    assert res.to_frame().shape == (2, 2)


def _agent(c):
    # HM's effort t with cost c t^2/2 is our output y = a e^0.5 with linear cost 1/2 per unit of e:
    # (1/2)(y/a)^2 = c y^2/2 when a = 1/sqrt(c)
    return inc.Population(
        units=("agent",), tasks=("t1", "t2"), productivity=[1 / np.sqrt(c)], budget=100.0, cost=0.5
    )


def test_hm_numeric_alpha_star():
    # stats_cases.json hm1991_separable_independent_tasks, numerically: the principal maximises the
    # total certainty equivalent over alpha, with the agent's efforts from the simulation's best response
    case = CASES["hm1991_separable_independent_tasks"]
    x = case["input"]
    B, c, s2, r = np.array(x["B_prime"]), np.array(x["c"]), np.array(x["sigma2"]), x["r"]
    pop = _agent(c)

    def neg_surplus(alpha):
        alpha = np.maximum(alpha, 1e-9)
        inst = inc.Institution(tasks=("t1", "t2"), weights=tuple(alpha / alpha.sum()), per_point=alpha.sum())
        t = inc.best_response(pop, inst).output.to_numpy()[0]
        return -(B @ t - np.sum(c * t**2 / 2) - r / 2 * np.sum(alpha**2 * s2))

    res = minimize(neg_surplus, [0.3, 0.3], method="Nelder-Mead", options={"xatol": 1e-7, "fatol": 1e-12})
    np.testing.assert_allclose(res.x, case["expected"]["alpha_star"], atol=case["tolerance"]["numeric"])


@pytest.mark.parametrize("k", range(4))
def test_assessment_weight_to_effort(k):
    # stats_cases.json assessment_weight_to_effort_separable: pay k * sum w_i x_i, cost sum c_i t_i^2/2
    # -> t_i = k w_i / c_i
    case = CASES["assessment_weight_to_effort_separable"]
    inp, exp = case["input"]["cases"][k], case["expected"]["cases"][k]
    inst = inc.Institution(tasks=("t1", "t2"), weights=tuple(inp["w"]), per_point=case["input"]["k"])
    out = inc.best_response(_agent(np.array(inp["c"])), inst)
    t = out.output.to_numpy()[0]
    np.testing.assert_allclose(t, exp["effort"], atol=case["tolerance"])
    assert t[1] / t.sum() == pytest.approx(exp["share_task2"], abs=case["tolerance"])


@pytest.mark.parametrize("w_party", [0.02, 0.1, 0.3, 0.5])
@pytest.mark.parametrize("ceiling", [None, 1e12])
def test_best_response_matches_effort_shares(w_party, ceiling):
    # a fixed budget (no outside option) under linear aggregation: the numerical best response
    # reproduces e_k / E = (w_k a_k)^(1/(1-gamma)) / sum (design.md); the huge ceiling forces the
    # numerical (Newton / Lambert W) frontier instead of the closed form
    prod = np.array([[1.0, 1.0], [2.0, 0.5], [0.7, 1.6]])
    pop = two_task_pop(prod, budget=[1.0, 3.0, 0.5], gamma=0.5)
    inst = inc.Institution(
        tasks=("econ", "party"), weights=(1 - w_party, w_party), per_point=1.0, ceiling=(ceiling, ceiling)
    )
    out = inc.best_response(pop, inst)
    w = np.array([1 - w_party, w_party])
    expected = (w * prod) ** 2 / ((w * prod) ** 2).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(shares_of(out), expected, atol=1e-6)
    np.testing.assert_allclose(out.effort[["econ", "party"]].sum(axis=1), pop.budget, atol=1e-9)


def test_perfect_substitutes_corner_solution():
    # gamma = 1 (HM 1991: tasks that are perfect substitutes in cost): the agent puts all effort into
    # the task with the larger marginal reward w_k a_k
    pop = two_task_pop([[1.0, 1.5], [1.0, 0.5]], gamma=1.0)
    out = inc.best_response(pop, inc.Institution(tasks=("econ", "party"), weights=(0.6, 0.4), per_point=1.0))
    np.testing.assert_allclose(out.effort[["econ", "party"]].to_numpy(), [[0.0, 1.0], [1.0, 0.0]], atol=1e-12)


# ----------------------------------------------------------------------------- veto
def _veto_setup(w, n_items=1, budget=100.0, cost=0.1):
    pop = two_task_pop([[1.0, 1.0], [1.5, 0.8]], budget=budget, cost=cost)
    item = inc.VetoRisk("safety", "安全生产", p0=0.3, scale=1.0, loss=10.0)
    inst = inc.Institution(tasks=("econ", "party"), weights=w, per_point=1.0)
    return pop, inc.with_veto_items(inst, n_items, item)


@pytest.mark.parametrize("w", [(0.98, 0.02), (0.7, 0.3), (0.5, 0.5)])
def test_veto_insurance_effort_is_independent_of_weights(w):
    # derivation in veto_insurance_effort: v* = s ln(p0 L / (s c)) = ln 30 = 3.4012 here
    expected = 1.0 * np.log(0.3 * 10.0 / (1.0 * 0.1))
    assert inc.veto_insurance_effort(0.3, 1.0, 10.0, 0.1) == pytest.approx(expected, rel=1e-12)
    pop, inst = _veto_setup(w)
    out = inc.best_response(pop, inst)
    np.testing.assert_allclose(out.effort["veto:safety_1"], expected, atol=1e-9)
    # an independent solve of the unit's whole problem: max w.a sqrt(e) - c(e1+e2+v) - L p0 exp(-v/s)
    a = pop.productivity[0]

    def neg(x):
        e1, e2, v = np.maximum(x, 0)
        return -(
            w[0] * a[0] * np.sqrt(e1) + w[1] * a[1] * np.sqrt(e2) - 0.1 * (e1 + e2 + v) - 3.0 * np.exp(-v)
        )

    res = minimize(neg, [1.0, 0.1, 1.0], method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-14})
    assert out.effort.loc["u0", "veto:safety_1"] == pytest.approx(res.x[2], abs=1e-5)
    assert out.effort.loc["u0", "econ"] == pytest.approx(res.x[0], abs=1e-5)


def test_many_veto_items_crowd_out_weighted_work():
    # with a binding budget each extra veto item takes its effort out of the scored tasks
    task_effort = []
    for n in (0, 1, 3, 6):
        pop, inst = _veto_setup((0.7, 0.3), n_items=n, budget=8.0)
        out = inc.best_response(pop, inst)
        task_effort.append(out.effort[["econ", "party"]].to_numpy().sum())
        veto = out.effort.filter(like="veto:").to_numpy()
        assert np.all(veto < np.log(30.0) + 1e-9)  # never more than the slack-budget insurance
    assert np.all(np.diff(task_effort) < 0)
    with pytest.raises(SpecError):
        inc.veto_insurance_effort(0.3, 1.0, 10.0, 0.0)
    with pytest.raises(SpecError):
        inc.VetoRisk("x", p0=1.5)


# ----------------------------------------------------------------------------- thresholds and noise
def _one_task(theta, sd=3.0, bands=(("top", 80.0), ("rest", 0.0)), cost=0.05):
    pop = inc.Population(
        units=[f"u{i:02d}" for i in range(len(theta))],
        tasks=("t",),
        productivity=(10.0 * np.asarray(theta))[:, None],
        base=60.0,
        budget=10.0,
        cost=cost,
    )
    inst = inc.Institution(tasks=("t",), weights=(1.0,), bands=bands, rewards=(1.0, 0.0), noise=(sd,))
    return pop, inst


def test_effort_is_hump_shaped_around_the_cutoff():
    # smooth expected reward: P(top) = Phi((60 + a sqrt(e) - 80) / sd); units that can just reach the
    # cut-off work hardest, weak units give up, strong ones coast
    theta = np.linspace(0.2, 3.0, 29)
    pop, inst = _one_task(theta)
    out = inc.best_response(pop, inst)
    e = out.effort["t"].to_numpy()
    k = int(np.argmax(e))
    assert 0 < k < len(e) - 1
    assert e[0] == pytest.approx(0.0, abs=1e-9) and e[-1] < 0.2 * e[k]
    assert np.all(np.diff(e[k:]) < 0)
    assert abs(out.expected["final_score"].iloc[k] - 80.0) < 2 * 3.0


def test_threshold_best_response_is_the_global_optimum():
    # an independent dense grid over effort for U(e) = Phi((60 + a sqrt(e) - 80) / 3) - 0.05 e
    theta = np.array([0.9, 1.4, 2.0, 2.6])
    pop, inst = _one_task(theta)
    out = inc.best_response(pop, inst)
    grid = np.linspace(0, 10, 200001)
    for i, a in enumerate(10 * theta):
        U = norm.cdf((60 + a * np.sqrt(grid) - 80) / 3.0) - 0.05 * grid
        e = out.effort["t"].iloc[i]
        mine = norm.cdf((60 + a * np.sqrt(e) - 80) / 3.0) - 0.05 * e
        assert mine >= U.max() - 1e-9
        assert e == pytest.approx(grid[np.argmax(U)], abs=1e-3)


def test_compressed_scores_draw_no_effort_whatever_the_weight():
    # a block compressed near the top (scores 95 of a 96 ceiling) has little effective weight: the
    # marginal score of effort exp(-x/H) is tiny, so even at a 50% weight party effort stays small
    pop = two_task_pop([[30.0, 30.0]] * 3, cost=0.05, base=[[60.0, 95.0]] * 3)
    inst = inc.Institution(tasks=("econ", "party"), weights=(0.5, 0.5), per_point=0.02)
    free = inc.best_response(pop, inst).effort["party"].mean()
    capped = inc.best_response(pop, replace(inst, ceiling=(None, 96.0))).effort["party"].mean()
    assert capped < 0.05 * free


# ----------------------------------------------------------------------------- equilibrium
def _tournament(quota=0.2, seed=3, scale=30.0):
    pop = inc.random_population(86, seed=seed, scale=scale)
    inst = inc.Institution(
        tasks=("econ", "party", "paper"),
        weights=(0.8, 0.1, 0.1),
        party=(False, True, True),
        bands=BANDS,
        rewards=REWARDS,
        quota=(("优秀", quota),),
        noise=(3.0, 3.0, 3.0),
    )
    return pop, inst


def test_quota_equilibrium_fills_the_quota():
    pop, inst = _tournament()
    out = inc.equilibrium(pop, inst, seed=1)
    assert out.diagnostics["converged"]
    cut = out.cutoffs["优秀"]
    assert cut >= 90.0
    # independent check of the fixed point: expected share above the cut-off = floor(0.2 * 86) / 86
    mu, sd = out.expected["final_score"], out.expected["sd:final_score"]
    share = np.mean((1 - out.expected["p_veto"]) * norm.sf(cut, loc=mu, scale=sd))
    assert share == pytest.approx(17 / 86, abs=2e-3)
    assert out.expected["p_top"].mean() == pytest.approx(share, abs=1e-9)
    # a tournament: when every unit is more productive, the cut-off rises
    pop2, _ = _tournament(scale=40.0)
    assert inc.equilibrium(pop2, inst).cutoffs["优秀"] > cut


def test_quota_not_binding_keeps_the_band():
    pop, inst = _tournament(quota=0.95)
    out = inc.equilibrium(pop, inst)
    assert out.cutoffs["优秀"] == 90.0 and out.diagnostics["iterations"] <= 1


def test_seeds_reproduce_everything():
    a, b = inc.random_population(20, seed=7), inc.random_population(20, seed=7)
    np.testing.assert_array_equal(a.productivity, b.productivity)
    assert not np.array_equal(a.productivity, inc.random_population(20, seed=8).productivity)
    pop, inst = _tournament()
    r1 = inc.equilibrium(pop, inst, seed=5).realised
    r2 = inc.equilibrium(pop, inst, seed=5).realised
    pd.testing.assert_frame_equal(r1, r2)
    assert not r1["final_score"].equals(inc.equilibrium(pop, inst, seed=6).realised["final_score"])
    # realised grades obey the quota (graded by workbench.scoring.grades.apply_quota)
    assert (r1["grade"] == "优秀").sum() <= 17


# ----------------------------------------------------------------------------- rubric-based designs
@pytest.fixture(scope="module")
def county():
    rubric = wb.load_rubric(ROOT / "indicators/comprehensive_2pct.yaml")
    data = wb.read_table(ROOT / "data/samples/county_organs.csv", rubric=rubric)
    return rubric, wb.score(rubric, data)


def test_institution_from_rubric_2pct(county):
    rubric, card = county
    inst = inc.institution_from_rubric(rubric, rewards=dict(zip([g for g, _ in BANDS], REWARDS)))
    assert inst.aggregation == "weighted" and inst.party_weight == 0.02
    assert inst.tasks == ("econ", "party", "paper") and inst.party == (False, True, True)
    eff = rubric.effective_weights()
    paper = [c for c in rubric.indicators if rubric.nodes[c].source == "台账"]
    assert inst.weights[2] == pytest.approx(eff[paper].sum())
    assert inst.weights[1] + inst.weights[2] == pytest.approx(1.0)
    assert inst.final_weights()["econ"] == pytest.approx(0.98)
    assert dict(inst.quota) == {"优秀": 0.2} and [v.code for v in inst.veto] == ["veto_discipline"]
    pop = inc.population_from_scorecard(card, gaming={"paper": 0.8})
    np.testing.assert_allclose(pop.base[:, 0], card.other.to_numpy())
    out = inc.equilibrium(pop, inst, seed=1)
    assert out.metrics["party_share"] < 0.01  # the 2% problem


def test_institution_from_rubric_dual100_and_errors():
    rubric = wb.load_rubric(ROOT / "indicators/hangzhou_dual100.yaml")
    inst = inc.institution_from_rubric(rubric)
    assert inst.aggregation == "dual100" and inst.matrix[2][0] == "良好"
    assert inst.rewards == pytest.approx((1.0, 2 / 3, 1 / 3, 0.0))
    with pytest.raises(RubricError):
        inc.institution_from_rubric(rubric, tasks={"econ": ["@other"], "party": ["organisation_duty"]})
    with pytest.raises(SpecError):
        inc.institution_from_rubric(rubric, rewards={"优秀": 1.0})


def test_dual100_gate_draws_party_effort_only_when_it_binds():
    pop = inc.random_population(40, seed=2, base={"econ": 70, "party": 75, "paper": 75})
    inst = inc.Institution(
        tasks=("econ", "party", "paper"),
        weights=(1.0, 0.7, 0.3),
        party=(False, True, True),
        aggregation="dual100",
        bands=BANDS,
        rewards=REWARDS,
        matrix=(
            ("优秀", "良好", "一般", "较差"),
            ("优秀", "良好", "一般", "较差"),
            ("良好", "良好", "一般", "较差"),  # a party score of 一般 caps the grade at 良好
            ("一般", "一般", "一般", "较差"),
        ),
        noise=(3.0, 3.0, 3.0),
    )
    low = inc.equilibrium(pop, inc.with_party_gate(inst, 60.0)).metrics["party_share"]
    high = inc.equilibrium(pop, inc.with_party_gate(inst, 85.0)).metrics["party_share"]
    assert low < 0.01 < high


def test_population_from_table_and_errors():
    frame = pd.DataFrame({"unit": ["A", "B"], "pe": [1.0, 2.0], "pp": [0.5, 0.5], "E": [1.0, 2.0]})
    pop = inc.population_from_table(frame, {"econ": "pe", "party": "pp"}, unit="unit", budget="E")
    assert pop.units == ("A", "B") and pop.budget.tolist() == [1.0, 2.0]
    assert pop.to_frame().shape[0] == 2
    with pytest.raises(DataError, match="nope"):
        inc.population_from_table(frame, {"econ": "nope"}, unit="unit")
    bad = frame.assign(pe=["x", 1.0])
    with pytest.raises(DataError):
        inc.population_from_table(bad, {"econ": "pe"}, unit="unit")
    with pytest.raises(SpecError):
        two_task_pop([[1.0, -1.0]])
    with pytest.raises(SpecError):
        inc.random_population(0)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"aggregation": "sum"},
        {"weights": (1.0,)},
        {"party_weight": 1.5},
        {"bands": BANDS, "quota": (("满分", 0.2),)},
        {"bands": BANDS, "rewards": (1.0, 0.0)},
        {"aggregation": "dual100", "party": (False, True), "bands": BANDS, "matrix": (("优秀",),)},
        {"noise": (-1.0, 0.0)},
        {"bands": (("A", 50.0), ("B", 60.0))},
    ],
)
def test_institution_bad_input(kwargs):
    base = {"tasks": ("econ", "party"), "weights": (0.5, 0.5)}
    with pytest.raises(SpecError):
        inc.Institution(**{**base, **kwargs})


def test_institution_is_plain_data():
    inst = inc.Institution(tasks=("econ", "party"), weights=(0.9, 0.1), party=(False, True))
    assert hash(inst) == hash(replace(inst))
    assert inc.with_party_weight(inst, 0.3).weights == pytest.approx((0.7, 0.3))
    with pytest.raises(SpecError):
        inc.best_response(two_task_pop([[1.0, 1.0]]), replace(inst, tasks=("econ", "党建")))


# ----------------------------------------------------------------------------- sweeps
def test_sweep_reproduces_closed_form_and_finds_the_tipping_point():
    pop = two_task_pop([[1.0, 1.0]] * 4)
    inst = inc.Institution(tasks=("econ", "party"), weights=(0.5, 0.5), party=(False, True), per_point=1.0)
    grid = np.round(np.linspace(0, 0.5, 51), 10)
    sw = inc.sweep(pop, inst, "party_weight", grid)
    np.testing.assert_allclose(sw.table["party_share"], grid**2 / (grid**2 + (1 - grid) ** 2), atol=1e-9)
    tp = inc.tipping_points(sw, "party_share", level=[0.01, 0.05]).set_index("kind")
    # exact crossing of w^2/(w^2+(1-w)^2) = 0.01: w = 1 / (1 + sqrt(99)) = 0.0913; linear interpolation
    # between grid points 0.09 and 0.10 lands within the grid's curvature error
    assert tp.loc["crosses 0.01", "at"] == pytest.approx(1 / (1 + np.sqrt(99)), abs=2e-3)
    assert tp.loc["crosses 0.01", "direction"] == "up"
    assert set(sw.units.columns) >= {"party_weight", "unit", "effort:party", "p_top"}


def test_tipping_points_on_a_table_and_errors():
    table = pd.DataFrame({"m": [0.0, 0.0, 0.2, 0.8, 1.0]}, index=[0.0, 1.0, 2.0, 3.0, 4.0])
    tp = inc.tipping_points(table, "m", level=0.5).set_index("kind")
    assert tp.loc["crosses 0.5", "at"] == pytest.approx(2.5)
    assert tp.loc["steepest", "at"] == pytest.approx(2.5) and tp.loc["steepest", "slope"] == pytest.approx(
        0.6
    )
    assert np.isnan(inc.tipping_points(table, "m", level=2.0)["at"].iloc[0])
    with pytest.raises(SpecError):
        inc.tipping_points(table, "nope")
    with pytest.raises(SpecError):
        inc.tipping_points(table.iloc[::-1], "m")


def test_sweep_bad_input():
    pop = two_task_pop([[1.0, 1.0]])
    inst = inc.Institution(tasks=("econ", "party"), weights=(0.5, 0.5), party=(False, True))
    with pytest.raises(SpecError):
        inc.sweep(pop, inst, "colour", [1, 2])
    with pytest.raises(SpecError):
        inc.sweep(pop, inst, "party_weight", [])
    with pytest.raises(SpecError):
        inc.equilibrium(pop, inst, damping=0.0)


@pytest.mark.parametrize(
    "scheme", ["comprehensive_2pct", "hangzhou_dual100", "enterprise_multiplier", "cq_organs"]
)
def test_every_shipped_scheme_solves(scheme):
    rubric = wb.load_rubric(ROOT / f"indicators/{scheme}.yaml")
    inst = inc.institution_from_rubric(rubric, veto_hazard={"p0": 0.1, "scale": 0.05})
    pop = inc.random_population(
        30, inst.tasks, seed=4, base=70.0, gaming={"paper": 0.8} if "paper" in inst.tasks else None
    )
    out = inc.equilibrium(pop, inst, seed=4)
    assert out.diagnostics["converged"]
    used = out.effort.drop(columns="unused").sum(axis=1) + out.effort["unused"]
    np.testing.assert_allclose(used, pop.budget, atol=1e-9)
    assert (out.effort.to_numpy() >= -1e-12).all()
    probs = out.grade_probs.sum(axis=1) if len(out.grade_probs.columns) else pd.Series(1.0)
    np.testing.assert_allclose(probs, 1.0, atol=1e-9)
    assert "Outcome" in repr(out) and "<" in out._repr_html_()
    assert all(v.p0 == 0.1 for v in inst.veto)


def test_bonus_task_is_capped_at_the_bonus_cap():
    rubric = wb.load_rubric(ROOT / "indicators/cq_organs.yaml")
    tasks = {**inc.default_tasks(rubric), "bonus": ["@bonus"]}
    inst = inc.institution_from_rubric(rubric, tasks=tasks)
    j = inst.tasks.index("bonus")
    assert inst.ceiling[j] == rubric.bonus.cap and inst.weights[j] == pytest.approx(100 / rubric.scale)
    pop = inc.random_population(
        10, inst.tasks, seed=1, base={t: (0.0 if t == "bonus" else 70.0) for t in inst.tasks}
    )
    out = inc.best_response(pop, inst)
    assert (out.expected["score:bonus"] < rubric.bonus.cap).all()


def test_best_response_cutoffs_and_callable_sweeps():
    pop, inst = _tournament()
    low = inc.best_response(pop, inst, cutoffs={"优秀": 95.0})
    assert low.cutoffs["优秀"] == 95.0 and low.diagnostics["status"] == "no quota"
    with pytest.raises(SpecError):
        inc.best_response(pop, inst, cutoffs={"满分": 95.0})
    by_field = inc.sweep(pop, inst, "per_point", [0.0, 0.01])
    by_func = inc.sweep(pop, inst, lambda i, v: replace(i, per_point=v), [0.0, 0.01])
    pd.testing.assert_frame_equal(by_field.table, by_func.table, check_names=False)
    assert by_field.table["effort"].iloc[1] > by_field.table["effort"].iloc[0]


def test_bonus_and_deduction_tasks_from_a_scorecard():
    # capped bonus (+ up to the cap) and deductions (a unit starts at minus its capped deductions and
    # effort can bring that towards 0): both are tasks whose scores are compressed below a ceiling
    rubric = wb.load_rubric(ROOT / "indicators/cq_organs.yaml")
    card = wb.score(rubric, wb.read_table(ROOT / "data/samples/county_organs.csv", rubric=rubric))
    tasks = {**inc.default_tasks(rubric), "bonus": ["@bonus"], "deduction": ["@deduction"]}
    inst = inc.institution_from_rubric(rubric, tasks=tasks)
    pop = inc.population_from_scorecard(card, tasks)
    k = pop.tasks.index("deduction")
    np.testing.assert_allclose(pop.base[:, k], -card.deduction.to_numpy())
    assert pop.base[:, pop.tasks.index("bonus")] == pytest.approx(card.bonus.to_numpy())
    assert inst.ceiling[inst.tasks.index("deduction")] == 0.0
    out = inc.best_response(pop, inst)
    s = out.expected["score:deduction"]
    assert ((s >= pop.base[:, k] - 1e-9) & (s <= 1e-9)).all()


# ----------------------------------------------------------------------------- issue 6: bad input, blocking
def test_negative_budgets_and_productivities_are_named():
    with pytest.raises(SpecError, match=r"'productivity' .* got -1 for unit 'u0', task 'party'") as err:
        two_task_pop([[1.0, -1.0], [2.0, 2.0]])
    assert err.value.key == "productivity"
    with pytest.raises(SpecError, match=r"'budget' .* got -2 \(given as one number for every unit\)"):
        two_task_pop([[1.0, 1.0]], budget=-2.0)
    with pytest.raises(SpecError, match=r"'budget' must be positive.* got 0 for unit 'u1'"):
        two_task_pop([[1.0, 1.0], [1.0, 1.0]], budget=[1.0, 0.0])
    with pytest.raises(SpecError, match=r"'cost' .* got -0.5 for unit 'u1'"):
        two_task_pop([[1.0, 1.0], [1.0, 1.0]], cost=[0.0, -0.5])
    with pytest.raises(SpecError, match=r"'gaming' .* got -1 for unit 'u0', task 'econ'"):
        two_task_pop([[1.0, 1.0]], gaming=[-1.0, 0.0])
    with pytest.raises(SpecError, match=r"'base' must be finite; got nan for unit 'u0', task 'party'"):
        two_task_pop([[1.0, 1.0]], base=[60.0, np.nan])
    frame = pd.DataFrame({"unit": ["甲", "乙"], "pe": [1.0, -3.0], "E": [1.0, 0.0]})
    with pytest.raises(
        DataError, match=r"column 'pe' \(productivity of econ\) must be non-negative; got -3 \(row 3"
    ):
        inc.population_from_table(frame, {"econ": "pe"}, unit="unit")
    with pytest.raises(
        DataError, match=r"column 'E' \(budget\) must be positive; got 0 \(row 3, unit '乙'\)"
    ):
        inc.population_from_table(frame.assign(pe=1.0), {"econ": "pe"}, unit="unit", budget="E")


def test_weights_that_do_not_match_the_tasks():
    tasks = ("econ", "party")
    with pytest.raises(
        SpecError, match=r"'weights' needs one per task \(2 tasks: \['econ', 'party'\]\); got 1"
    ):
        inc.Institution(tasks=tasks, weights=(1.0,))
    with pytest.raises(SpecError, match=r"not in 'tasks': \['党建'\]; has no weight for \['party'\]"):
        inc.Institution(tasks=tasks, weights={"econ": 1.0, "党建": 1.0})
    with pytest.raises(SpecError, match=r"'weights' needs finite numbers >= 0; got -1 for task 'party'"):
        inc.Institution(tasks=tasks, weights=(1.0, -1.0))
    with pytest.raises(SpecError, match=r"'party' needs one flag per task"):
        inc.Institution(tasks=tasks, weights=(1.0, 1.0), party=(True,))
    # a mapping in any order is the same design as the tuple in task order
    by_name = inc.Institution(tasks=tasks, weights={"party": 0.3, "econ": 0.7})
    assert by_name.weights == (0.7, 0.3) and by_name == inc.Institution(tasks=tasks, weights=(0.7, 0.3))


@pytest.mark.parametrize("share", [0.0, 1.0, 1.5, -0.1, np.nan])
def test_quota_outside_zero_one(share):
    base = {"tasks": ("econ", "party"), "weights": (0.5, 0.5), "bands": BANDS}
    with pytest.raises(SpecError, match=r"quota of grade '优秀' must be a share in \(0, 1\).*got") as err:
        inc.Institution(**base, quota={"优秀": share})
    assert err.value.key == "quota.优秀"
    inst = inc.Institution(**base)
    if not share > 0:
        with pytest.raises(SpecError, match="with_quota: the quota of grade '优秀'"):
            inc.with_quota(inst, share)
    else:  # a share of 1 or more removes the quota (documented)
        assert inc.with_quota(inc.with_quota(inst, 0.2), share).quota == ()


@pytest.mark.parametrize("p0", [-0.1, 1.5, np.nan])
def test_veto_hazard_outside_zero_one(p0):
    with pytest.raises(
        SpecError, match=r"'p0' of veto item 'safety' \(安全生产\) must be a probability in \[0, 1\]"
    ):
        inc.VetoRisk("safety", "安全生产", p0=p0)
    rubric = wb.load_rubric(ROOT / "indicators/comprehensive_2pct.yaml")
    with pytest.raises(SpecError, match=r"'p0' of veto item"):
        inc.institution_from_rubric(rubric, veto_hazard={"p0": p0, "scale": 0.05})
    with pytest.raises(SpecError, match=r"'scale' of veto item 'safety' must be positive.*got 0"):
        inc.VetoRisk("safety", scale=0.0)


def test_sweep_unknown_parameter_and_bad_values_are_named():
    pop = two_task_pop([[1.0, 1.0]])
    inst = inc.Institution(tasks=("econ", "party"), weights=(0.5, 0.5), party=(False, True), bands=BANDS)
    with pytest.raises(SpecError, match=r"'parameter' parameter of sweep .* Got 'colour' instead") as err:
        inc.sweep(pop, inst, "colour", [1, 2])
    assert err.value.key == "parameter"
    with pytest.raises(SpecError, match=r"sweep over 'party_weight': the value 1.5 .* \[0, 1\]; got 1.5"):
        inc.sweep(pop, inst, "party_weight", [0.1, 1.5])
    with pytest.raises(SpecError, match=r"sweep over 'top_quota': the value -0.2 .*share in \(0, 1\)"):
        inc.sweep(pop, inst, "top_quota", [0.2, -0.2])
    with pytest.raises(SpecError, match=r"sweep over 'noise'.*'noise' needs finite numbers >= 0"):
        inc.sweep(pop, inst, "noise", [1.0, -1.0])


def test_blocked_search_gives_the_same_numbers(monkeypatch):
    # the grid search runs over blocks of rows; blocks of any size must give the numbers of one batch
    from workbench.incentives import _best_response

    rubric = wb.load_rubric(ROOT / "indicators/hangzhou_dual100.yaml")
    dual = inc.institution_from_rubric(rubric)
    pop_d = inc.random_population(15, dual.tasks, seed=5, base=75.0)
    pop, inst = _tournament()
    runs = []
    for block in (10**9, 2000):
        monkeypatch.setattr(_best_response, "BLOCK", block)
        runs.append(
            (
                inc.sweep(pop, inst, "party_weight", [0.0, 0.2, 0.4]).units,
                inc.sweep(pop_d, dual, "party_noise", [0.0, 3.0]).units,
            )
        )
    for one, blocked in zip(*runs):
        pd.testing.assert_frame_equal(one, blocked, check_exact=True)
