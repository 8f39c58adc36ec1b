"""Weight calibration glue: expert sheet -> panel -> AHP weights for a rubric -> weighted rubric file,
and stated versus revealed weights.

Truths used: the documented generation of the bundled samples (data/samples/README.md: consistency
ratios per expert, the inconsistent experts E04/E09/E11, the blank cells, the true weights behind
holistic_grades.csv and the normalised coefficients it documents), a published AHP example
(tests/reference/ahp_cases.json), numbers recomputed here with numpy from the raw CSV, and
analytic properties (consistent panels return their generating weights).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import workbench
from workbench import calibration
from workbench.calibration import ahp_weights_for_rubric, panel_from_sheet, stated_vs_revealed
from workbench.cli import main
from workbench.errors import DataError, JudgmentError, SpecError, WorkbenchWarning

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
REFERENCE = ROOT / "tests" / "reference" / "ahp_cases.json"
RI = {3: 0.58, 4: 0.90, 5: 1.12}  # Saaty (1980), as data/samples/README.md states

# data/samples/README.md, "expert_panel.csv": CRs of the complete matrices (experts without blanks).
README_CR = {
    "E02": (0.022, 0.012, 0.022),
    "E03": (0.022, 0.026, 0.022),
    "E04": (0.216, 0.252, 0.030),
    "E05": (0.022, 0.026, 0.017),
    "E07": (0.012, 0.004, 0.017),
    "E08": (0.022, 0.023, 0.000),
    "E09": (0.178, 0.131, 0.073),
    "E11": (0.527, 0.190, 0.160),
    "E12": (0.000, 0.005, 0.022),
}
# The bold cells of that table: CR > 0.1.
README_INCONSISTENT = {
    ("E04", "__root__"),
    ("E04", "leadership"),
    ("E09", "__root__"),
    ("E09", "leadership"),
    ("E11", "__root__"),
    ("E11", "leadership"),
    ("E11", "style"),
}
SIX = [
    "org_three_one",
    "cen_task_completion",
    "sty_mass_rating",
    "ide_group_study",
    "ldr_funding",
    "ide_member_training",
]
TRUE_WEIGHTS = [0.25, 0.25, 0.20, 0.15, 0.10, 0.05]  # data/samples/README.md, holistic_grades.csv


@pytest.fixture(scope="module")
def rubric():
    return workbench.load_rubric(ROOT / "indicators" / "cq_organs.yaml")


@pytest.fixture(scope="module")
def sheet():
    return pd.read_csv(SAMPLES / "expert_panel.csv", index_col="expert")


@pytest.fixture(scope="module")
def panel(rubric):
    return panel_from_sheet(SAMPLES / "expert_panel.xlsx", rubric)


@pytest.fixture(scope="module")
def result(panel, rubric):
    return ahp_weights_for_rubric(panel, rubric, n_boot=300, seed=7)


@pytest.fixture(scope="module")
def county(rubric):
    data = workbench.read_table(SAMPLES / "county_organs.csv", rubric=rubric)
    grades = workbench.read_table(SAMPLES / "holistic_grades.csv")["grade"]
    return data, grades


def _matrix(row: pd.Series, elements: list) -> np.ndarray:
    """Signed coding decoded by hand (README: v > 0 -> a_ij = v, v < 0 -> a_ij = 1/|v|)."""
    n = len(elements)
    a = np.eye(n)
    for i in range(n):
        for j in range(i + 1, n):
            v = row[f"{elements[i]}_vs_{elements[j]}"]
            a[i, j] = np.nan if pd.isna(v) else (v if v >= 1 else 1 / -v)
            a[j, i] = 1 / a[i, j]
    return a


def _eigen(a: np.ndarray):
    vals, vecs = np.linalg.eig(a)
    k = np.argmax(vals.real)
    w = np.abs(vecs[:, k].real)
    return w / w.sum(), vals.real[k]


# ----------------------------------------------------------------------------- the bundled panel


def test_bundled_panel_loads_with_blocks_keyed_by_rubric_parents(panel, rubric, sheet):
    assert list(panel.blocks) == [rubric.root, "leadership", "style"]
    assert panel.experts == tuple(f"E{i:02d}" for i in range(1, 13))
    assert panel.blocks[rubric.root].elements == tuple(rubric.top_blocks)
    assert panel.blocks["leadership"].elements == tuple(rubric.children("leadership"))
    # E04 wrote -3 for leadership_vs_central: central preferred 3 times.
    assert sheet.loc["E04", "leadership_vs_central"] == -3
    assert panel.blocks[rubric.root].matrix("E04").loc["leadership", "central"] == pytest.approx(1 / 3)
    # The 5 blank cells (README) are missing judgments.
    assert (
        sum(int(np.isnan(j.values).sum()) // 2 for j in panel.blocks.values())
        == sheet.isna().sum().sum()
        == 5
    )


def test_csv_and_xlsx_and_frame_give_the_same_panel(panel, rubric, sheet):
    for other in (
        panel_from_sheet(SAMPLES / "expert_panel.csv", rubric),
        panel_from_sheet(sheet.reset_index(), rubric),
    ):
        for p, j in panel.blocks.items():
            np.testing.assert_array_equal(j.values, other.blocks[p].values)


def test_columns_may_name_elements_by_their_chinese_names(rubric, sheet):
    names = rubric.names()
    renamed = sheet.rename(
        columns=lambda c: "对".join(names[x] for x in c.split("_vs_")) if c.startswith("leadership_vs") else c
    )
    assert "领导重视对思想建设" in renamed.columns
    p = panel_from_sheet(renamed, rubric)
    np.testing.assert_array_equal(
        p.blocks[rubric.root].values, panel_from_sheet(sheet, rubric).blocks[rubric.root].values
    )


# ----------------------------------------------------------------------------- consistency report


def test_every_expert_has_a_cr_for_every_judged_block(result, rubric, sheet):
    assert result.cr.shape == (12, 3)
    assert not result.cr.isna().any().any()
    blocks = {
        rubric.root: rubric.top_blocks,
        "leadership": rubric.children("leadership"),
        "style": rubric.children("style"),
    }
    for expert, crs in README_CR.items():
        for (parent, elements), documented in zip(blocks.items(), crs):
            n = len(elements)
            _, lam = _eigen(_matrix(sheet.loc[expert], elements))
            independent = (lam - n) / (n - 1) / RI[n]
            assert result.cr.loc[expert, parent] == pytest.approx(independent, abs=1e-9)
            assert result.cr.loc[expert, parent] == pytest.approx(documented, abs=0.0006)


def test_known_inconsistent_experts_are_flagged(result):
    assert set(result.inconsistent_experts) == {"E04", "E09", "E11"}
    flagged = set(zip(result.inconsistent["expert"], result.inconsistent["parent"]))
    assert flagged == README_INCONSISTENT
    assert (result.inconsistent["cr"] > 0.1).all()
    assert result.inconsistent["cr"].is_monotonic_decreasing


def test_worst_judgments_are_the_largest_deviations_and_revisions_help(result, rubric, sheet):
    worst = result.worst
    assert set(worst.groupby(["expert", "parent"]).size()) == {3}
    top = worst[(worst.expert == "E11") & (worst.parent == rubric.root)].iloc[0]
    a = _matrix(sheet.loc["E11"], rubric.top_blocks)
    w, _ = _eigen(a)
    dev = np.abs(np.log(a * w[None, :] / w[:, None]))
    i, j = np.unravel_index(np.argmax(np.triu(dev, 1)), dev.shape)
    assert {top.row, top.column} == {rubric.top_blocks[i], rubric.top_blocks[j]}
    assert top.cr_after < top.cr
    assert top.suggested in {1 / k for k in range(1, 10)} | set(range(1, 10))
    assert (
        worst.loc[worst.inconsistent, ["expert", "parent"]]
        .apply(tuple, axis=1)
        .isin(README_INCONSISTENT)
        .all()
    )


def test_missing_judgments_are_completed_with_harker_estimates(result, rubric, sheet, panel):
    blanks = sheet.columns[sheet.isna().any()]
    assert len(result.completed) == 5
    assert set(result.completed.expert) <= {e for e in README_CR} ^ set(
        sheet.index
    )  # all in experts with blanks
    assert not set(result.completed.expert) & {
        "E04",
        "E09",
        "E11",
    }  # README: blanks only in consistent experts
    got = {f"{r.row}_vs_{r.column}" for r in result.completed.itertuples()}
    assert got == set(blanks)
    # Harker (1987): zero the blank, add the number of blanks of each row to its diagonal, take the
    # principal eigenvector w; the estimate is w_i / w_j.
    row = result.completed.iloc[0]
    elements = list(panel.blocks[row.parent].elements)
    a = _matrix(sheet.loc[row.expert], elements)
    blank = np.isnan(a)
    c = np.where(blank, 0.0, a) + np.diag(blank.sum(axis=1))
    w, _ = _eigen(c)
    i, j = elements.index(row.row), elements.index(row.column)
    assert row.estimate == pytest.approx(w[i] / w[j], rel=1e-6)


# ----------------------------------------------------------------------------- aggregation and synthesis


def test_global_weights_sum_to_one_and_unjudged_blocks_keep_rubric_weights(result, rubric):
    g = result.global_weights
    assert list(g.index) == rubric.indicators
    assert g.sum() == pytest.approx(1.0, abs=1e-12)
    assert (g > 0).all()
    assert set(result.unjudged) == {"ideology", "organisation", "central"}
    assert any("ideology" in n and "rubric" in n for n in result.notes)
    stated = rubric.local_weights()
    for block in result.unjudged:
        kids = rubric.children(block)
        np.testing.assert_allclose(g[kids] / g[kids].sum(), stated[kids], rtol=1e-12)
    assert (result.weights.loc[rubric.children("ideology"), "source"] == "rubric").all()
    assert (result.weights.loc[rubric.children("style"), "source"] == "panel").all()


def test_aij_matches_the_geometric_mean_of_judgments_computed_by_hand(result, rubric, sheet):
    blocks = {rubric.root: rubric.top_blocks, "leadership": rubric.children("leadership")}
    for parent, elements in blocks.items():
        logs = np.stack([np.log(_matrix(sheet.loc[e], elements)) for e in sheet.index])
        agg = np.exp(np.nanmean(logs, axis=0))  # a blank is left out of its cell's mean
        w, _ = _eigen(agg)
        np.testing.assert_allclose(result.local[parent].to_numpy(), w, atol=1e-9)
    top = result.weights.loc[rubric.top_blocks, "global"]
    np.testing.assert_allclose(top.to_numpy(), result.local[rubric.root].to_numpy(), atol=1e-12)
    ldr = result.global_weights[rubric.children("leadership")]
    np.testing.assert_allclose(ldr.to_numpy(), top["leadership"] * result.local["leadership"].to_numpy())


def test_aip_is_the_normalised_geometric_mean_of_experts_global_weights(panel, rubric):
    res = ahp_weights_for_rubric(panel, rubric, aggregate="priorities", n_boot=0)
    per = res.per_expert.to_numpy()
    gm = np.exp(np.log(per).mean(axis=0))
    # the experts' weights agree on the unjudged blocks' internal shares, so the mean factorises
    np.testing.assert_allclose(res.global_weights.to_numpy(), gm / gm.sum(), atol=1e-9)


def test_expert_weights_zero_leaves_experts_out(panel, rubric):
    keep = [e for e in panel.experts if e not in {"E04", "E09", "E11"}]
    weights = {e: (0.0 if e in {"E04", "E09", "E11"} else 1.0) for e in panel.experts}
    res = ahp_weights_for_rubric(panel, rubric, expert_weights=weights, n_boot=0)
    table = pd.read_csv(SAMPLES / "expert_panel.csv")
    sub = panel_from_sheet(table[table["expert"].isin(keep)], rubric)
    only = ahp_weights_for_rubric(sub, rubric, n_boot=0)
    np.testing.assert_allclose(res.global_weights, only.global_weights, atol=1e-12)


def test_published_hierarchy_through_a_one_expert_sheet(tmp_path):
    # AHPy README 'Choosing a leader' (wikipedia_leader_hierarchy in ahp_cases.json): criteria ->
    # candidates; each criterion is a block whose indicators are the three candidates.
    case = next(
        c
        for c in json.loads(REFERENCE.read_text(encoding="utf-8"))
        if c["id"] == "wikipedia_leader_hierarchy"
    )
    inp, exp = case["input"], case["expected"]
    crit, alts = inp["criteria"], inp["alternatives"]
    blocks = "".join(
        f"  - code: {c}\n    name: {c}\n    weight: 1\n    indicators:\n"
        + "".join(
            f"      - {{code: {c}_{a}, name: {c} {a}, weight: 1, rule: {{type: linear, lo: 0, hi: 1}}}}\n"
            for a in alts
        )
        for c in crit
    )
    path = tmp_path / "leader.yaml"
    path.write_text(
        f"code: leader\nname: 选领导\nscale: 100\nweighting: relative\nblocks:\n{blocks}", encoding="utf-8"
    )
    rub = workbench.load_rubric(path)

    def signed(v):
        return v if v >= 1 else -round(1 / v)

    row = {}
    for names, m in [
        (crit, inp["criteria_matrix"]),
        *[([f"{c}_{a}" for a in alts], inp["alternative_matrices"][c]) for c in crit],
    ]:
        for i in range(len(names)):
            for j in range(i + 1, len(names)):
                row[f"{names[i]}_vs_{names[j]}"] = signed(m[i][j])
    sheet = pd.DataFrame([row], index=pd.Index(["X"], name="expert"))
    res = ahp_weights_for_rubric(panel_from_sheet(sheet, rub), rub, n_boot=0)
    top = res.weights.loc[crit, "global"]
    np.testing.assert_allclose(top, [exp["criteria_global_3dp"][c] for c in crit], atol=0.001)
    edu = res.global_weights[[f"Education_{a}" for a in alts]]
    np.testing.assert_allclose(edu, [exp["Education_global_3dp"][a] for a in alts], atol=0.001)
    target = {a: res.global_weights[[f"{c}_{a}" for c in crit]].sum() for a in alts}
    tol = case["tolerance"]["weights_vs_unrounded_numpy"]
    assert target["Moll"] == pytest.approx(exp["target_weights_3dp"]["Moll"], abs=tol)
    assert target["Nell"] == pytest.approx(exp["target_weights_3dp"]["Nell"], abs=tol)
    assert target["Sue"] == pytest.approx(0.1491, abs=tol)  # unrounded synthesis, per the case's notes


@settings(max_examples=15, deadline=None)
@given(
    top=st.lists(st.floats(0.05, 1.0), min_size=5, max_size=5),
    style=st.lists(st.floats(0.05, 1.0), min_size=4, max_size=4),
    n_experts=st.integers(1, 4),
)
def test_consistent_panel_returns_its_generating_weights(rubric, top, style, n_experts):
    top, style = np.array(top) / sum(top), np.array(style) / sum(style)
    row = {}
    for names, w in ((rubric.top_blocks, top), (rubric.children("style"), style)):
        for i in range(len(names)):
            for j in range(i + 1, len(names)):
                row[f"{names[i]}_vs_{names[j]}"] = w[i] / w[j]
    sheet = pd.DataFrame([row] * n_experts, index=[f"X{k}" for k in range(n_experts)])
    res = ahp_weights_for_rubric(
        panel_from_sheet(sheet, rubric, coding="reciprocal", scale=None), rubric, n_boot=0
    )
    assert res.cr.to_numpy().max() < 1e-9
    assert res.inconsistent.empty
    expected = rubric.effective_weights().copy()
    for b, w in zip(rubric.top_blocks, top):
        kids = rubric.children(b)
        local = (
            style[[rubric.children("style").index(k) for k in kids]]
            if b == "style"
            else rubric.local_weights()[kids]
        )
        expected[kids] = w * np.asarray(local)
    np.testing.assert_allclose(res.global_weights, expected[rubric.indicators], atol=1e-9)


# ----------------------------------------------------------------------------- write back


def test_weighted_rubric_round_trips_through_a_file(result, rubric, tmp_path):
    with pytest.warns(WorkbenchWarning, match="categories"):
        weighted = result.rubric()
    path = workbench.save_rubric(weighted, tmp_path / "cq_ahp.yaml")
    back = workbench.load_rubric(path)
    full = back.full_marks()
    np.testing.assert_allclose(full[rubric.indicators], result.global_weights * rubric.scale, atol=1e-5)
    np.testing.assert_allclose(
        full[rubric.top_blocks], result.weights.loc[rubric.top_blocks, "global"] * 100, atol=1e-5
    )
    assert back.categories.weights == rubric.categories.weights  # kept by default


def test_dropping_category_weights_scores_every_unit_with_the_panel_weights(result, rubric, county, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error", WorkbenchWarning)
        weighted = result.rubric(categories="drop")
    back = workbench.load_rubric(workbench.save_rubric(weighted, tmp_path / "cq_ahp_drop.yaml"))
    assert not any(back.categories.weights.values())
    card = workbench.score(back, county[0])
    expected = np.broadcast_to(result.global_weights.to_numpy() * 100, card.full.shape)
    np.testing.assert_allclose(card.full.to_numpy(), expected, atol=1e-5)


# ----------------------------------------------------------------------------- bootstrap


def test_bootstrap_intervals_are_reproducible_with_a_seed(panel, rubric, result):
    again = ahp_weights_for_rubric(panel, rubric, n_boot=300, seed=7)
    pd.testing.assert_frame_equal(again.weights, result.weights)
    other = ahp_weights_for_rubric(panel, rubric, n_boot=300, seed=8)
    assert not np.allclose(other.weights["q05"], result.weights["q05"])
    w = result.weights
    assert (w["q05"] <= w["q95"]).all()
    assert ((w["q05"] - 1e-3 <= w["global"]) & (w["global"] <= w["q95"] + 1e-3)).all()
    # the panel leaves' intervals are ahp.bootstrap's, mapped onto the rubric
    boot = result.bootstrap.intervals
    np.testing.assert_allclose(
        w.loc["organisation", ["q05", "q95"]], boot.loc["organisation", ["q05", "q95"]]
    )
    np.testing.assert_allclose(boot["nominal"], w.loc[boot.index, "global"], atol=1e-12)
    # an unjudged block's indicator moves with its block: same relative interval
    share = rubric.local_weights()["org_three_one"]
    np.testing.assert_allclose(
        w.loc["org_three_one", ["q05", "q95"]], share * w.loc["organisation", ["q05", "q95"]]
    )


# ----------------------------------------------------------------------------- stated vs revealed


def test_ordinal_revealed_weights_recover_the_true_weights(rubric, county):
    data, grades = county
    res = stated_vs_revealed(rubric, data, grades, level="indicators", indicators=SIX, seed=1, n_boot=200)
    table = res.tables["indicators"]
    # README: "an ordinal logit gives 0.34, 0.29, 0.16, 0.13, 0.05, 0.03"; "OLS ... 0.33, 0.29, 0.15, 0.14, 0.06, 0.04"
    np.testing.assert_allclose(table.loc[SIX, "ordinal"], [0.34, 0.29, 0.16, 0.13, 0.05, 0.03], atol=0.006)
    np.testing.assert_allclose(table.loc[SIX, "ols"], [0.33, 0.29, 0.15, 0.14, 0.06, 0.04], atol=0.006)
    truth = pd.Series(TRUE_WEIGHTS, index=SIX)
    assert truth.corr(table["ordinal"], method="kendall") > 0.8
    assert np.abs(table["ordinal"] - truth).max() < 0.1
    coefs = res.coefficients.query("method == 'ordinal'").set_index("code")
    assert (coefs.loc[SIX[:4], "ci_low"] > 0).all()  # the four largest are clearly rewarded
    assert res.fits.loc[("indicators", "ordinal"), "pseudo_r2"] > 0.3


def test_all_indicators_revealed_weights_rank_the_true_drivers_first(rubric, county):
    data, grades = county
    res = stated_vs_revealed(rubric, data, grades, level="indicators", seed=1, n_boot=0)
    ordinal = res.tables["indicators"]["ordinal"].sort_values(ascending=False)
    assert set(ordinal.index[:2]) == {"org_three_one", "cen_task_completion"}
    assert ordinal[SIX].mean() > 3 * ordinal.drop(SIX).mean()
    assert any("cen_law_enforcement" in n for n in res.notes)  # exempt column left out, and said so


def test_block_level_table_with_ahp_and_rank_correlations(rubric, county, result):
    data, grades = county
    res = stated_vs_revealed(rubric, data, grades, ahp=result, seed=1, n_boot=200)
    table = res.tables["blocks"]
    assert list(table.index) == rubric.top_blocks
    assert list(table.columns) == ["stated", "ahp", *calibration._revealed.METHODS]
    np.testing.assert_allclose(table.sum(), 1.0)
    np.testing.assert_allclose(table["stated"], [0.2, 0.2, 0.25, 0.15, 0.2])
    np.testing.assert_allclose(table["ahp"], result.local[rubric.root], atol=1e-12)
    rho = res.rank_correlation["blocks"]
    assert rho.loc["stated", "stated"] == 1.0
    assert rho.loc["stated", "ahp"] == pytest.approx(table["stated"].corr(table["ahp"], method="spearman"))
    # block data: block points / full marks the unit could earn in it (no exempt items in leadership)
    card = workbench.score(rubric, data)
    share = card.blocks["leadership"] / card.full[rubric.children("leadership")].sum(axis=1)
    np.testing.assert_allclose(res.data["blocks"]["leadership"], share)
    assert res.data["blocks"].to_numpy().max() <= 1.0
    assert res.fits.loc[("blocks", "ols"), "r2"] > 0.2
    assert res.weights.index.names == ["level", "code"]
    # indicator-level weights are summed into their blocks
    by_indicator = stated_vs_revealed(rubric, data, grades, ahp=result.global_weights, n_boot=0)
    np.testing.assert_allclose(by_indicator.tables["blocks"]["ahp"], table["ahp"], atol=1e-12)
    with pytest.raises(SpecError, match="no weight for"):
        stated_vs_revealed(rubric, data, grades, ahp={"leadership": 1.0}, n_boot=0)


def test_numeric_outcome_uses_least_squares_only(rubric, county):
    data = county[0]
    truth = workbench.read_table(SAMPLES / "county_truth.csv")["true_quality"]
    res = stated_vs_revealed(rubric, data, truth, n_boot=0)
    assert "ordinal" not in res.tables["blocks"].columns
    assert any("ordinal model skipped" in n for n in res.notes)
    x = res.data["blocks"]
    z = (x - x.mean()) / x.std(ddof=1)
    beta = np.linalg.lstsq(np.column_stack([np.ones(len(z)), z]), truth.loc[z.index], rcond=None)[0][1:]
    np.testing.assert_allclose(res.coefficients.query("method == 'ols'")["coef"], beta, rtol=1e-8)
    np.testing.assert_allclose(
        res.tables["blocks"]["ols"], np.clip(beta, 0, None) / np.clip(beta, 0, None).sum()
    )


# ----------------------------------------------------------------------------- bad input


def test_unknown_code_in_a_column_names_the_column(rubric, sheet):
    bad = sheet.rename(columns={"leadership_vs_ideology": "leadership_vs_ideolgy"})
    with pytest.raises(JudgmentError, match="leadership_vs_ideolgy") as info:
        panel_from_sheet(bad, rubric)
    assert info.value.column == "leadership_vs_ideolgy"
    assert "ideology" in str(info.value)  # suggested spelling


def test_pair_across_blocks_names_the_column(rubric, sheet):
    bad = sheet.assign(ldr_meetings_vs_sty_complaints=2)
    with pytest.raises(JudgmentError, match="different children of one block") as info:
        panel_from_sheet(bad, rubric)
    assert info.value.column == "ldr_meetings_vs_sty_complaints"


def test_expert_with_a_disconnected_graph_is_named(rubric, sheet):
    bad = sheet.copy()
    bad.loc["E07", [c for c in bad.columns if c.startswith("leadership_vs_")]] = np.nan
    with pytest.raises(JudgmentError, match="E07") as info:
        panel_from_sheet(bad, rubric)
    assert info.value.key == rubric.root
    assert "not connected" in str(info.value) and "top blocks" in str(info.value)


def test_invalid_cells_are_listed_by_row_and_column(rubric, sheet):
    bad = sheet.copy().astype(object)
    bad.loc["E03", "style_vs_central"] = 0
    bad.loc["E05", "sty_clean_duty_vs_sty_complaints"] = "很重要"
    with pytest.raises(JudgmentError) as info:
        panel_from_sheet(bad, rubric)
    where = {(p.row, p.column) for p in info.value.problems}
    assert (4, "style_vs_central") in where  # E03 is the 3rd expert: spreadsheet row 4


def test_child_never_compared_and_blocks_without_their_parent(rubric, sheet):
    cols = [c for c in sheet.columns if "ldr_attend" not in c or not c.startswith("ldr_")]
    with pytest.raises(JudgmentError, match="ldr_attend"):
        panel_from_sheet(sheet[cols], rubric)
    only_blocks = sheet[[c for c in sheet.columns if c.startswith(("ldr_", "sty_"))]]
    with pytest.raises(JudgmentError, match="not the block above"):
        panel_from_sheet(only_blocks, rubric)
    with pytest.raises(JudgmentError, match="no column names a pair"):
        panel_from_sheet(sheet[["role"]], rubric)


def test_bad_options_and_files(rubric, sheet, panel, county, tmp_path):
    with pytest.raises(SpecError, match="coding"):
        panel_from_sheet(sheet, rubric, coding="saaty")
    with pytest.raises(DataError, match="not found"):
        panel_from_sheet(tmp_path / "nope.xlsx", rubric)
    with pytest.raises(DataError, match="sheet"):
        panel_from_sheet(SAMPLES / "expert_panel.xlsx", rubric, sheet="没有")
    with pytest.raises(SpecError, match="aggregate"):
        ahp_weights_for_rubric(panel, rubric, aggregate="mean")
    with pytest.raises(SpecError, match="E12"):
        ahp_weights_for_rubric(panel, rubric, expert_weights={"E01": 1.0}, n_boot=0)
    other = workbench.load_rubric(ROOT / "indicators" / "enterprise.yaml")
    with pytest.raises(JudgmentError, match="in the rubric its children are") as info:
        ahp_weights_for_rubric(panel, other, n_boot=0)
    assert info.value.key == "__root__"
    with pytest.raises(JudgmentError, match="not a block of rubric"):
        ahp_weights_for_rubric({"ldr_meetings": panel.blocks["style"]}, rubric, n_boot=0)
    data, grades = county
    with pytest.raises(SpecError, match="level"):
        stated_vs_revealed(rubric, data, grades, level="sub")
    with pytest.raises(SpecError, match="levels"):
        stated_vs_revealed(rubric, data, grades.map({"优秀": "A", "良好": "B", "一般": "C", "较差": "D"}))
    with pytest.raises(DataError, match="no unit id"):
        stated_vs_revealed(rubric, data, grades.set_axis([f"X{i}" for i in range(len(grades))]))


# ----------------------------------------------------------------------------- CLI


def test_cli_ahp_writes_weights_report_and_rubric(tmp_path, capsys, result):
    out = tmp_path / "ahp"
    code = main(
        [
            "ahp",
            "--sheet-file",
            str(SAMPLES / "expert_panel.xlsx"),
            "--rubric",
            str(ROOT / "indicators" / "cq_organs.yaml"),
            "--out",
            str(out),
            "--seed",
            "7",
            "--n-boot",
            "300",
            "--write-rubric",
            str(tmp_path / "w.yaml"),
        ]
    )
    assert code == 0
    text = capsys.readouterr()
    assert "E11" in text.out and "warning:" in text.err
    raw = (out / "ahp_weights.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # utf-8-sig for Excel
    weights = pd.read_csv(out / "ahp_weights.csv", index_col="code", encoding="utf-8-sig")
    assert weights.loc["leadership", "name"] == "领导重视"
    np.testing.assert_allclose(weights["global"], result.weights["global"], atol=1e-12)
    np.testing.assert_allclose(weights["q95"], result.weights["q95"], atol=1e-12)  # same seed
    cons = pd.read_csv(out / "ahp_consistency.csv", index_col="expert", encoding="utf-8-sig")
    assert cons.loc["E11", "inconsistent_blocks"] == "__root__ leadership style"
    assert len(pd.read_csv(out / "ahp_completed_judgments.csv", encoding="utf-8-sig")) == 5
    back = workbench.load_rubric(tmp_path / "w.yaml")
    np.testing.assert_allclose(back.full_marks()[back.indicators], result.global_weights * 100, atol=1e-5)


def test_cli_ahp_bad_input_exits_2_naming_the_column(tmp_path, capsys, sheet):
    bad = tmp_path / "bad.csv"
    sheet.rename(columns={"style_vs_central": "style_vs_centre"}).to_csv(bad, encoding="utf-8-sig")
    assert main(["ahp", "--sheet-file", str(bad), "--out", str(tmp_path / "o")]) == 2
    assert "style_vs_centre" in capsys.readouterr().err
    assert main(["ahp", "--sheet-file", str(tmp_path / "missing.xlsx"), "--out", str(tmp_path / "o")]) == 2
    assert not (tmp_path / "o").exists()
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(sheet.to_csv().encode("gbk"))
    assert main(["ahp", "--sheet-file", str(gbk), "--out", str(tmp_path / "o"), "--n-boot", "0"]) == 0
