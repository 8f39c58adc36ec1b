"""Rubric slimming: every figure is checked against an independent run of ``workbench.score`` on
the edited rubric (and scipy's Spearman), never against the vectorised rescoring itself."""

from __future__ import annotations

import itertools
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.stats import spearmanr

import workbench as wb
from workbench.errors import DataError, RubricError, SpecError
from workbench.rubric._parse import parse_rubric_text
from workbench.scoring.kernel import evaluate
from workbench.slimming import item_burden, remove_items, slim

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"

SYN = textwrap.dedent(
    """\
    code: syn
    name: 合成方案
    scale: 100
    blocks:
      - code: A
        name: 甲板块
        weight: 50
        indicators:
          - {code: a1, name: 甲一, weight: 20, rule: {type: linear, lo: 0, hi: 100}, burden_hours: 4}
          - {code: a2, name: 甲二, weight: 15, rule: {type: linear, lo: 0, hi: 100}, burden_hours: 1}
          - {code: a3, name: 甲三, weight: 15, rule: {type: target_ratio, target: 1}, burden_hours: 2}
      - code: B
        name: 乙板块
        weight: 50
        indicators:
          - {code: b1, name: 乙一, weight: 20, rule: {type: linear, lo: 0, hi: 100}, burden_hours: 3}
          - {code: b2, name: 乙二, weight: 20, rule: {type: linear, lo: 0, hi: 100}, burden_hours: 5}
          - {code: b3, name: 乙三, weight: 10, kind: qualitative,
             rule: {type: grade_map, points: {优: 10, 良: 8, 中: 6}}, burden_hours: 2}
    grades: {bands: {优秀: 90, 良好: 80, 一般: 60, 较差: 0}, quota: {优秀: 0.2}}
    """
)


def syn_data(n=40, seed=0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    q = rng.normal(size=n)
    a1 = np.clip(80 + 8 * q + rng.normal(0, 4, n), 0, 100).round(1)
    return pd.DataFrame(
        {
            "a1": a1,
            "a2": np.clip(a1 + rng.normal(0, 0.5, n), 0, 100).round(1),  # a copy of a1: redundant
            "a3": np.ones(n),  # everyone meets the target: never discriminates
            "b1": np.clip(78 + 6 * q + rng.normal(0, 6, n), 0, 100).round(1),
            "b2": np.clip(85 + 3 * q + rng.normal(0, 8, n), 0, 100).round(1),
            "b3": rng.choice(["优", "良", "中"], n, p=[0.4, 0.4, 0.2]),
        },
        index=pd.Index([f"U{i:02d}" for i in range(n)], name="unit"),
    )


@pytest.fixture(scope="module")
def syn():
    return parse_rubric_text(SYN), syn_data()


@pytest.fixture(scope="module")
def cq():
    rubric = wb.load_rubric(ROOT / "indicators" / "cq_organs.yaml")
    data = wb.read_table(SAMPLES / "county_organs.csv", rubric=rubric)
    return rubric, data


def reference_metrics(card_full, card_new):
    """Spearman of the engine's rankings (scipy), grade changes and mean |rank shift|."""
    a = card_full.rank.to_numpy(float)
    b = card_new.rank.loc[card_full.index].to_numpy(float)
    rho = spearmanr(a, b)[0] if np.ptp(b) > 0 else np.nan  # a constant score ranks nothing
    changes = int((card_full.grade.astype(str) != card_new.grade.loc[card_full.index].astype(str)).sum())
    shift = float(np.abs(card_new.rank.loc[card_full.index] - card_full.rank).mean())
    return rho, changes, shift


# ---------------------------------------------------------------------------- redundancy
def test_redundancy_and_merge_proposals(syn):
    rubric, data = syn
    # a3 gives everyone its 15 points: dropping it lowers every score (grades move) but hardly the ranks
    res = slim(rubric, data, min_spearman=0.9, max_grade_changes=12)
    imp = res.impact
    assert imp.loc["a3", "non_discriminating"] and imp.loc["a3", "full_share"] == 1.0
    assert not imp.loc[["a1", "a2", "b1", "b2"], "non_discriminating"].any()
    assert imp.loc["a1", "most_correlated"] == "a2" and imp.loc["a1", "correlation"] > 0.95
    assert imp.loc["a1", "redundant"] and not imp.loc["b1", "redundant"]
    # merge: keep the lighter item (a2, 1 h), move a1's weight to it
    merge = res.merges.iloc[0]
    assert (merge["keep"], merge["drop"], merge["hours_saved_per_unit"]) == ("a2", "a1", 4.0)
    merged = res.merged_rubric()
    assert "a1" not in merged.nodes and merged.nodes["a2"].weight == pytest.approx(35.0)
    card, card_m = wb.score(rubric, data), wb.score(merged, data)
    rho, changes, shift = reference_metrics(card, card_m)
    assert merge["spearman"] == pytest.approx(rho, abs=1e-12)
    assert merge["grade_changes"] == changes and merge["mean_rank_shift"] == pytest.approx(shift)
    # the proposed removals carry the right reasons
    reasons = res.removals["reason"].to_dict()
    assert reasons["a3"].startswith("non-discriminating")
    redundant = [c for c in ("a1", "a2") if c in reasons]
    assert redundant and reasons[redundant[0]].startswith("redundant with a")


def test_single_removal_impact_matches_engine(cq):
    rubric, data = cq
    res = slim(rubric, data, min_spearman=0.98, max_grade_changes=3)
    card = wb.score(rubric, data)
    for code in rubric.indicators:
        rho, changes, shift = reference_metrics(card, wb.score(remove_items(rubric, [code]), data))
        row = res.impact.loc[code]
        assert row["spearman"] == pytest.approx(rho, abs=1e-12), code
        assert row["grade_changes"] == changes, code
        assert row["mean_rank_shift"] == pytest.approx(shift), code


@pytest.mark.parametrize(
    "rubric_file, data_file",
    [
        ("hangzhou_dual100", "hangzhou_units"),
        ("enterprise_multiplier", "enterprises"),
        ("comprehensive_2pct", "county_organs"),
    ],
)
def test_schemes_match_engine(rubric_file, data_file):
    """Dual-100, multiplicative and weighted schemes: the proposal is what score() says it is."""
    rubric = wb.load_rubric(ROOT / "indicators" / f"{rubric_file}.yaml")
    data = wb.read_table(SAMPLES / f"{data_file}.csv", rubric=rubric)
    res = slim(rubric, data, min_spearman=0.97, max_grade_changes=4, method="greedy")
    rho, changes, shift = reference_metrics(wb.score(rubric, data), wb.score(res.slimmed_rubric(), data))
    assert res.spearman == pytest.approx(rho, abs=1e-12) and res.grade_changes == changes
    assert rho >= 0.97 and changes <= 4


# ---------------------------------------------------------------------------- slimmed rubric
def test_slimmed_rubric_round_trip(cq, tmp_path):
    rubric, data = cq
    res = slim(rubric, data, min_spearman=0.98, max_grade_changes=3)
    assert len(res.removed) >= 3
    slim_r = res.slimmed_rubric()
    assert set(slim_r.indicators) == set(rubric.indicators) - set(res.removed)
    path = wb.save_rubric(slim_r, tmp_path / "cq_slim.yaml")
    back = wb.load_rubric(path)
    assert back.indicators == slim_r.indicators
    pd.testing.assert_series_equal(back.full_marks(), slim_r.full_marks(), atol=1e-6)
    card, card_s, card_b = wb.score(rubric, data), wb.score(slim_r, data), wb.score(back, data)
    np.testing.assert_allclose(card_b.final, card_s.final, atol=1e-5)
    rho, changes, shift = reference_metrics(card, card_b)
    assert rho == pytest.approx(res.spearman, abs=1e-9) and rho >= 0.98
    assert changes == res.grade_changes <= 3
    assert shift == pytest.approx(res.mean_rank_shift)
    # per-unit comparison table agrees with the engine
    comp = res.comparison
    np.testing.assert_allclose(comp["final_slim"], card_s.final.loc[comp.index], atol=1e-9)
    assert (comp["rank_slim"] == card_s.rank.loc[comp.index]).all()
    assert (comp["grade_slim"].astype(str) == card_s.grade.loc[comp.index].astype(str)).all()
    # hours: per unit the sum of the removed items' burden; all units only where the item applies
    hours = item_burden(rubric)
    assert res.hours_saved_per_unit == pytest.approx(hours[list(res.removed)].sum())
    applies = card.shares[list(res.removed)].notna().sum()
    assert res.hours_saved_all_units == pytest.approx((hours[list(res.removed)] * applies).sum())
    assert res.removals["cum_spearman"].iloc[-1] == pytest.approx(res.spearman)


def test_empty_blocks_are_dropped_and_points_renormalised(syn):
    rubric, _ = syn
    out = remove_items(rubric, ["a1", "a2", "a3", "b3"])
    assert "A" not in out.nodes and out.top_blocks == ["B"]
    assert out.nodes["B"].weight == pytest.approx(100.0)
    assert out.nodes["b1"].weight == pytest.approx(50.0) and out.nodes["b2"].weight == pytest.approx(50.0)
    with pytest.raises(RubricError, match="empty"):
        remove_items(rubric, rubric.indicators)
    with pytest.raises(RubricError, match="not indicators"):
        remove_items(rubric, ["A"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.sets(
        st.sampled_from(
            [
                "ldr_meetings",
                "ldr_funding",
                "ide_exam",
                "org_dues",
                "org_records",
                "sty_complaints",
                "sty_clean_duty",
                "sty_mass_rating",
                "sty_discipline_rate",
                "cen_innovation",
            ]
        ),
        min_size=1,
        max_size=8,
    )
)
def test_removal_keeps_sibling_ratios(codes):
    """Property: surviving siblings keep their weight ratios; points add up; categories follow."""
    rubric = wb.load_rubric(ROOT / "indicators" / "cq_organs.yaml")
    out = remove_items(rubric, codes)
    eff = out.effective_weights()
    assert eff[out.indicators].sum() == pytest.approx(1.0)
    for code, node in out.nodes.items():
        if node.children:
            kids = list(node.children)
            w_new = np.array([out.nodes[k].weight for k in kids])
            w_old = np.array([rubric.nodes[k].weight for k in kids])
            np.testing.assert_allclose(w_new / w_new.sum(), w_old / w_old.sum())
            assert w_new.sum() == pytest.approx(out.nodes[code].weight if code != out.root else out.scale)
    for label, over in out.categories.weights.items():
        old = rubric.categories.weights[label]
        keys = [k for k in over]
        np.testing.assert_allclose(
            np.array([over[k] for k in keys]) / sum(over.values()),
            np.array([old[k] for k in keys]) / sum(old[k] for k in keys),
        )


# ---------------------------------------------------------------------------- search
def brute_force(rubric, data, candidates, min_rho, max_changes, objective):
    """Best feasible subset by enumerating every subset and scoring it with the engine."""
    card = wb.score(rubric, data)
    hours = item_burden(rubric)
    best = (0.0, 1.0, ())
    for k in range(1, len(candidates) + 1):
        for subset in itertools.combinations(candidates, k):
            if len(subset) == len(rubric.indicators):
                continue
            rho, changes, _ = reference_metrics(card, wb.score(remove_items(rubric, subset), data))
            if rho >= min_rho - 1e-12 and changes <= max_changes:
                primary = float(k) if objective == "items" else float(hours[list(subset)].sum())
                if (primary, rho) > best[:2]:
                    best = (primary, rho, subset)
    return best


@pytest.mark.parametrize("objective", ["items", "burden"])
def test_exact_search_matches_brute_force(syn, objective):
    rubric, data = syn
    res = slim(
        rubric,
        data,
        min_spearman=0.97,
        max_grade_changes=1,
        screen=False,
        method="exact",
        objective=objective,
    )
    primary, rho, subset = brute_force(rubric, data, rubric.indicators, 0.97, 1, objective)
    got = len(res.removed) if objective == "items" else res.hours_saved_per_unit
    assert got == pytest.approx(primary)
    assert res.spearman == pytest.approx(rho, abs=1e-12)
    assert res.method == "exact" and res.evaluations > 0


def test_greedy_result_is_feasible_and_exact_is_no_worse(cq):
    rubric, data = cq
    cands = [
        "ldr_meetings",
        "ldr_attend",
        "ide_member_training",
        "ide_party_lectures",
        "org_theme_day",
        "org_dues",
        "org_democratic_review",
        "sty_complaints",
        "cen_vanguard_posts",
        "cen_law_enforcement",
        "org_recruit",
        "org_records",
    ]
    g = slim(rubric, data, min_spearman=0.99, max_grade_changes=2, candidates=cands, method="greedy")
    e = slim(rubric, data, min_spearman=0.99, max_grade_changes=2, candidates=cands, method="exact")
    card = wb.score(rubric, data)
    for res in (g, e):
        rho, changes, _ = reference_metrics(card, wb.score(res.slimmed_rubric(), data))
        assert rho >= 0.99 and changes <= 2
        assert set(res.removed) <= set(cands)
    assert len(e.removed) >= len(g.removed)
    assert g.path["step"].tolist() == list(range(1, len(g.removed) + 1))


# ---------------------------------------------------------------------------- batch grades
QUOTA = textwrap.dedent(
    """\
    code: quota
    name: 名额测试
    scale: 100
    blocks:
      - code: A
        name: 甲
        weight: 60
        indicators:
          - {code: x1, name: 一, weight: 30, rule: {type: linear, lo: 0, hi: 10}}
          - {code: x2, name: 二, weight: 30, rule: {type: linear, lo: 0, hi: 10}, missing: exempt}
      - code: B
        name: 乙
        weight: 40
        indicators:
          - {code: x3, name: 三, weight: 20, rule: {type: linear, lo: 0, hi: 10}}
          - {code: x4, name: 四, weight: 20, rule: {type: bands, points: [[8, 20], [5, 10]], otherwise: 0}}
    veto: [{code: v, name: 否决, effect: cap, cap_grade: 一般}]
    grades: {bands: {优秀: 85, 良好: 70, 一般: 50, 较差: 0}, quota: {优秀: 0.25, 良好: 0.4},
             ties: TIES, scope: SCOPE}
    categories: {column: cat, groups: {甲类: {weights: {A: 30, B: 70}}}}
    """
)


@settings(max_examples=60, deadline=None)
@given(
    ties=st.sampled_from(["exclude", "include"]),
    scope=st.sampled_from(["all", "category"]),
    seed=st.integers(0, 10_000),
)
def test_batch_grades_and_ranks_match_engine(ties, scope, seed):
    """Quotas with ties, category scope, exempt items and a veto cap, for random weight sets."""
    rubric = parse_rubric_text(QUOTA.replace("TIES", ties).replace("SCOPE", scope))
    rng = np.random.default_rng(seed)
    n = 30
    vals = rng.integers(0, 11, (n, 4)).astype(float)  # coarse values: many tied scores
    vals[rng.random(n) < 0.2, 1] = np.nan
    data = pd.DataFrame(vals, columns=["x1", "x2", "x3", "x4"], index=[f"u{i}" for i in range(n)])
    data.iloc[5] = data.iloc[4]
    data["cat"] = rng.choice(["甲类", "乙类"], n)
    data["v"] = (rng.random(n) < 0.1).astype(int)
    card = wb.score(rubric, data)
    program, inputs = card._arrays["program"], card._arrays["inputs"]
    sets = [
        {c: float(w) for c, w in zip(["A", "B", "x1", "x2", "x3", "x4"], rng.integers(0, 5, 6) + 1)}
        for _ in range(6)
    ]
    raw = np.full((len(sets), len(program.nodes)), np.nan)
    for k, ws in enumerate(sets):
        raw[k, program.position(list(ws))] = list(ws.values())
    res = evaluate(program, inputs, weights=raw)
    for k, ws in enumerate(sets):
        ref = wb.score(rubric, data, weights=ws)
        np.testing.assert_allclose(res.final[k], ref.final.to_numpy(), atol=1e-9)
        assert (res.rank[k] == ref.rank.to_numpy()).all()
        assert (res.grade[k] == ref.grade.cat.codes.to_numpy()).all()


# ---------------------------------------------------------------------------- bad input
def test_bad_burden_names_items(syn):
    rubric, data = syn
    no_burden = parse_rubric_text(SYN.replace(", burden_hours: 4}", "}").replace(", burden_hours: 5}", "}"))
    with pytest.raises(DataError, match=r"missing for \['a1', 'b2'\]"):
        slim(no_burden, data)
    with pytest.raises(DataError, match="negative or not a number for {'b1': -2"):
        slim(rubric, data, burden={"b1": -2})
    with pytest.raises(DataError, match="not indicators"):
        slim(rubric, data, burden={"zz": 1})
    res = slim(no_burden, data, burden={"a1": 4, "b2": 5})  # filling the gaps works
    assert res.hours_full_per_unit == pytest.approx(17.0)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"min_spearman": 1.5}, "'min_spearman' parameter of slim must be a number in \\[-1, 1\\]"),
        ({"max_grade_changes": -1}, "'max_grade_changes'"),
        ({"max_grade_changes": 1.5}, "must be an integer"),
        ({"corr_threshold": 0}, "'corr_threshold'.*\\(0, 1\\]"),
        ({"full_share_max": 2}, "'full_share_max'"),
        ({"min_share_sd": -0.1}, "'min_share_sd'"),
        ({"exact_max": 30}, "'exact_max'"),
        ({"objective": "hours"}, "'objective' parameter of slim must be one of"),
        ({"method": "anneal"}, "'method'"),
        ({"candidates": ["nope"]}, "not indicators"),
    ],
)
def test_bad_options(syn, kwargs, match):
    rubric, data = syn
    with pytest.raises(SpecError, match=match):
        slim(rubric, data, **kwargs)


def test_composite_build_points_to_analysis():
    imeta = pd.read_csv(SAMPLES / "asem" / "ASEM_iMeta.csv")
    idata = pd.read_csv(SAMPLES / "asem" / "ASEM_iData.csv")
    rubric = wb.rubric_from_table(imeta)
    result = wb.build_index(rubric, idata, wb.Spec())
    with pytest.raises(SpecError, match="analysis.removal_impact"):
        slim(rubric, result)


def test_exact_refuses_too_many_candidates(cq):
    rubric, data = cq
    with pytest.raises(SpecError, match="exact_max"):
        slim(rubric, data, method="exact", screen=False, exact_max=10)


def test_result_renders(syn):
    rubric, data = syn
    res = slim(rubric, data, min_spearman=0.9, max_grade_changes=5)
    text = repr(res)
    assert "Slimming syn" in text and "hours saved per unit" in text
    assert "<div" in res._repr_html_()
    assert res.to_frame().index.name == "item"
