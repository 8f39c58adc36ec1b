"""Tests of workbench.qualquant: rating sheets, the qualitative/quantitative split, panel scores and
the qual_vs_quant report, on the bundled county (data/samples) and on small hand-made tables.

Truths used: numbers documented in data/samples/README.md ("Observed: mean inter-rater correlation
0.52, ICC(1,1) 0.51, ICC(1,k) 0.93, self-ratings 0.34 SD above the raters"), the generator itself
(data/samples/make_samples.py, replayed for the raters' realised leniency), hand computations from
the raw CSV text with the point maps written in indicators/cq_organs.yaml, and properties.
"""

from __future__ import annotations

import importlib.util
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import workbench
from workbench.errors import DataError, RubricError, SpecError, WorkbenchWarning
from workbench.qualquant import (
    RatingSheet,
    panel_reliability,
    panel_scoring,
    qual_vs_quant,
    read_ratings,
    split_scoring,
)

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
RATINGS = SAMPLES / "democratic_evaluation.csv"
POINTS = {"优秀": 100, "良好": 80, "一般": 50, "较差": 0}  # sty_mass_rating's grade map in % of 5 points


@pytest.fixture(scope="module")
def rubric():
    return workbench.load_rubric(ROOT / "indicators" / "cq_organs.yaml")


@pytest.fixture(scope="module")
def data(rubric):
    return workbench.read_table(SAMPLES / "county_organs.csv", rubric=rubric)


@pytest.fixture(scope="module")
def sheet():
    return read_ratings(RATINGS, self_rater="SELF")


@pytest.fixture(scope="module")
def report(rubric, data, sheet):
    return qual_vs_quant(rubric, data, sheet, seed=20261125, n_regrade=400)


# ----------------------------------------------------------------------------- reading ratings
def test_read_ratings_codes_match_the_words(sheet):
    raw = pd.read_csv(RATINGS, dtype=str).set_index("unit")
    codes = {"较差": 1.0, "一般": 2.0, "良好": 3.0, "优秀": 4.0}
    expected = raw.drop(columns="name").apply(lambda col: col.map(codes)).astype(float)
    pd.testing.assert_frame_equal(sheet.table, expected, check_names=False)
    assert sheet.order == ("较差", "一般", "良好", "优秀")
    assert list(sheet.panel.columns) == [f"R{j:02d}" for j in range(1, 13)]
    assert int(sheet.panel.isna().to_numpy().sum()) == 22  # README: 22 of 1,032 rater cells blank
    assert sheet.names["D001"] == "区委办公室"
    assert sheet.words().loc["D001", "R01"] == "优秀"
    assert "missing ratings: 22" in repr(sheet)


def test_unknown_grade_word_names_row_column_and_unit(tmp_path):
    lines = RATINGS.read_text(encoding="utf-8").splitlines()
    cells = lines[3].split(",")  # file line 4 = unit D003
    assert cells[0] == "D003"
    cells[6] = "优"  # column R05 (unit, name, R01..R04 come first)
    lines[3] = ",".join(cells)
    path = tmp_path / "typo.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_ratings(path, self_rater="SELF")
    exc = err.value
    assert exc.row == 4 and exc.column == "R05"
    assert "D003" in str(exc) and "'优'" in str(exc) and str(path) in str(exc)


def test_numbers_mixed_with_words_must_be_codes(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text("unit,A,B,C\nu1,优秀,良好,4\nu2,一般,7,良好\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_ratings(path)
    assert err.value.row == 3 and err.value.column == "B"


def test_label_and_empty_columns(tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text("unit,name,A,B,C,D\nu1,甲,优秀,良好,好,\nu2,乙,一般,良好,好,\n", encoding="utf-8")
    with pytest.warns(WorkbenchWarning) as rec:
        sheet = read_ratings(path)
    text = " ".join(str(w.message) for w in rec)
    assert "['D']" in text and "['C']" in text  # blank rater left out; misspelt-looking column reported
    assert list(sheet.table.columns) == ["A", "B"]
    with pytest.raises(DataError) as err:  # naming C as a rater reports its words
        read_ratings(path, raters=["A", "B", "C"])
    assert err.value.column == "C"


def test_read_ratings_bad_columns(tmp_path):
    with pytest.raises(DataError, match="self-rating column 'ME'"):
        read_ratings(RATINGS, self_rater="ME")
    with pytest.raises(DataError, match="R99"):
        read_ratings(RATINGS, raters=["R01", "R99"])
    with pytest.raises(SpecError):
        read_ratings(RATINGS, order=["优秀", "优秀"])


def test_numeric_sheet_keeps_numbers(tmp_path):
    path = tmp_path / "scores.csv"
    path.write_text("unit,A,B,C\nu1,90,85,\nu2,70,75,72\nu3,60,65,58\n", encoding="utf-8")
    sheet = read_ratings(path)
    assert sheet.order is None
    assert panel_scoring(sheet).round(6).tolist() == [87.5, 72.333333, 61.0]


# ----------------------------------------------------------------------------- split_scoring
def test_split_scoring_matches_hand_computation(rubric, data):
    parts = split_scoring(rubric, data)
    assert parts.qualitative_items == ("ldr_secretary_report", "sty_mass_rating", "cen_innovation")
    raw = pd.read_csv(SAMPLES / "county_organs.csv", dtype=str).set_index("unit")
    # Shares of the grade maps in indicators/cq_organs.yaml.
    sec = raw["ldr_secretary_report"].map({"好": 1.0, "较好": 0.8, "一般": 0.6, "差": 0.3})
    mass = raw["sty_mass_rating"].map({"优秀": 1.0, "良好": 0.8, "一般": 0.5, "较差": 0.0})
    inn = raw["cen_innovation"].map({"A": 1.0, "B": 0.8, "C": 0.6, "D": 0.3})
    # Full marks: base weights (经济管理部门) 4, 5, 4; 党政综合部门 has central 15 of 100 -> innovation 3.
    # Exempt for these units: cen_law_enforcement (3/20 of central) always, org_recruit (3 of 25) when
    # written 不涉及 / 无 / —; the available full marks shrink by theirs.
    full = {"经济管理部门": (4, 5, 4, 20), "党政综合部门": (4, 5, 3, 15)}
    recruit_exempt = raw["org_recruit"].isin(["不涉及", "无", "—"])
    for cat, (f1, f2, f3, central) in full.items():
        units = raw.index[raw["category"] == cat]
        hand = 100 * (f1 * sec[units] + f2 * mass[units] + f3 * inn[units]) / (f1 + f2 + f3)
        np.testing.assert_allclose(parts.qualitative[units], hand, rtol=1e-12)
        available = 100 - 3 * central / 20 - 3 * recruit_exempt[units]
        np.testing.assert_allclose(parts.qual_share[units], (f1 + f2 + f3) / available, rtol=1e-12)


def test_split_recombines_into_the_base_score(rubric, data):
    parts = split_scoring(rubric, data)
    s = parts.qual_share
    np.testing.assert_allclose(
        parts.card.base, s * parts.qualitative + (1 - s) * parts.quantitative, rtol=1e-12, atol=1e-9
    )
    # A Scorecard can be passed instead of the data.
    again = split_scoring(rubric, parts.card)
    pd.testing.assert_series_equal(again.quantitative, parts.quantitative)


def test_split_exempt_items_count_in_neither_part(small_rubric_path, small_data_path):
    rubric = workbench.load_rubric(small_rubric_path)
    data = workbench.read_table(small_data_path, rubric=rubric)
    parts = split_scoring(rubric, data)
    assert parts.qualitative_items == ("eval",)
    # Unit C: meet 5 of target 4 -> 20/20; rate exempt; check 1 item at 2 points -> 28/30.
    assert parts.quantitative["C"] == pytest.approx(100 * (20 + 28) / 50)
    assert parts.qualitative["C"] == pytest.approx(100 * 12 / 20)


def test_split_needs_both_kinds(rubric, data):
    with pytest.raises(RubricError, match="no qualitative indicator"):
        split_scoring(rubric, data, items=[])
    with pytest.raises(RubricError, match="no_such_code"):
        split_scoring(rubric, data, items=["no_such_code"])


# ----------------------------------------------------------------------------- panel_scoring
def test_panel_scoring_groups_weights_and_trim():
    x = pd.DataFrame(
        {"S": ["优秀", "优秀"], "P1": ["良好", "一般"], "P2": ["优秀", None], "M1": ["较差", "良好"]},
        index=["u1", "u2"],
    )
    groups = {"S": "自评", "P1": "同级", "P2": "同级", "M1": "群众"}
    w = {"自评": 0.2, "同级": 0.4, "群众": 0.4}
    got = panel_scoring(x, POINTS, groups=groups, weights=w)
    # u1: 0.2*100 + 0.4*(80+100)/2 + 0.4*0 = 56; u2: 0.2*100 + 0.4*50 + 0.4*80 = 72.
    assert got.tolist() == pytest.approx([56.0, 72.0])
    # Without groups the self column is left out when named.
    assert panel_scoring(x, POINTS, self_rater="S").tolist() == pytest.approx([60.0, 65.0])
    # Trimming 25% of 4 ratings drops one at each end: u1 (0, 80, 100, 100) -> 90.
    assert panel_scoring(x, POINTS, trim=0.25).iloc[0] == pytest.approx(90.0)
    # A unit missing a whole group has the remaining weights renormalised.
    y = x.copy()
    y.loc["u2", "M1"] = None
    assert panel_scoring(y, POINTS, groups=groups, weights=w).iloc[1] == pytest.approx((20 + 0.4 * 50) / 0.6)


def test_panel_scoring_bad_input():
    x = pd.DataFrame({"A": ["优秀", "良好"], "B": ["良好", "一般"]})
    with pytest.raises(DataError, match="raters without a group: \\['B'\\]"):
        panel_scoring(x, POINTS, groups={"A": "g"})
    with pytest.raises(SpecError, match="'weights' has no weight"):
        panel_scoring(x, POINTS, groups={"A": "g", "B": "h"}, weights={"g": 1})
    with pytest.raises(SpecError, match="no points for grade"):
        panel_scoring(x, {"优秀": 100})
    with pytest.raises(SpecError, match="trim"):
        panel_scoring(x, POINTS, trim=0.5)
    with pytest.raises(SpecError, match="give 'groups' too"):
        panel_scoring(x, POINTS, weights={"g": 1})


@pytest.mark.filterwarnings("ignore::workbench.errors.WorkbenchWarning")  # all-blank columns
@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(["优秀", "良好", "一般", "较差", None]), min_size=4, max_size=4),
        min_size=2,
        max_size=6,
    ),
    st.permutations(range(4)),
)
def test_panel_score_is_a_mean_of_its_ratings(rows, perm):
    x = pd.DataFrame(rows, columns=list("ABCD"))
    x.iloc[:, 0] = x.iloc[:, 0].fillna("良好")  # every unit rated at least once
    x.iloc[0, 1], x.iloc[1, 2] = "优秀", "一般"  # at least one word in the columns used
    got = panel_scoring(x, POINTS)
    pts = x.apply(lambda c: c.map(POINTS)).astype(float)
    assert np.all(got >= pts.min(axis=1) - 1e-9) and np.all(got <= pts.max(axis=1) + 1e-9)
    pd.testing.assert_series_equal(panel_scoring(x.iloc[:, list(perm)], POINTS), got)


# ----------------------------------------------------------------------------- reliability and raters
def test_reliability_close_to_the_generator(report):
    rel = report.reliability
    # README "Observed: ICC(1,1) 0.51, ICC(1,k) 0.93" on the same file.
    assert round(float(rel.icc.loc["ICC1", "icc"]), 2) == 0.51
    assert round(float(rel.icc.loc["ICC1k", "icc"]), 2) == 0.93
    # The generator's single-rater reliability: var(q) / (var(q) + leniency 0.35^2 + noise 1) = 0.47
    # (absolute agreement), 1/2 = 0.50 (consistency), "about 0.5" in the README. With 66 complete units
    # x 12 raters the 95% interval of one estimate is about +-0.1 wide, so 0.5 must lie inside it and
    # the estimate within 0.1 of it; cutting latents into 4 grades lowers it a little more.
    for form in ("ICC1", "ICC2", "ICC3"):
        row = rel.icc.loc[form]
        assert row["ci_low"] < 0.5 < row["ci_high"]
    assert abs(rel.single - 0.5) < 0.1
    assert rel.form == "ICC2" and rel.n_complete == 66
    # Spearman-Brown: ceil(0.8 (1 - r) / (r 0.2)) raters, computed here by hand.
    assert rel.raters_needed == int(np.ceil(0.8 * (1 - rel.single) / (rel.single * 0.2)))
    assert 0.35 < float(rel.alpha) < 0.65 and 0.4 < float(rel.kendall_w) < 0.7
    assert set(rel.icc.index) == {"ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"}


def test_self_rating_is_lenient_by_about_0_3_sd(report, sheet):
    peers = sheet.panel.to_numpy()
    # README: "self-ratings 0.34 SD above the raters" = (mean self - mean rater) / SD of the ratings.
    raw_gap = (sheet.table["SELF"].mean() - np.nanmean(peers)) / np.nanstd(peers, ddof=1)
    assert raw_gap == pytest.approx(0.34, abs=0.005)
    # The generator shifts self-ratings by 0.3 SD; the mean of 86 deviations has SE about 0.075,
    # so the estimate (in within-rater SD units) must be within 2 SE of 0.3 and significant.
    eff = report.effects
    assert abs(eff.self_gap - 0.3) < 0.15 and eff.self_gap_pval < 0.01
    assert report.raters.loc["SELF", "verdict_en"].startswith("self-rating")
    assert "自评平均比他评高" in report.summary_lines("zh")[1]


def _realised_leniency() -> np.ndarray:
    """Each rater's realised latent leniency (leniency + mean noise), replayed from the generator."""
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    children = np.random.default_rng(gen.SEED).spawn(15)
    units = gen.county_units(children[0])
    q = gen.county_latent(children[1], units)["q"].to_numpy()
    rng = children[2]  # democratic_ratings draws leniency, then the noise, from this child
    leniency = rng.normal(0.0, 0.35, 12)
    noise = rng.normal(0.0, 1.0, (len(q), 12))
    real = leniency + noise.mean(axis=0)
    return (real - real.mean()) / np.sqrt(1 + 1 + 0.35**2)  # in SD of the rating latent


def test_lenient_and_severe_raters_are_flagged(report):
    # data/samples/README.md gives the leniency distribution, N(0, 0.35), not the raters; the
    # generator replayed gives the realised values: R09 +0.42 SD, R12 -0.38, R10 -0.29 are the
    # largest (R11's +0.26 is capped by the 优秀 ceiling: 57% of its ratings are 优秀).
    real = pd.Series(_realised_leniency(), index=[f"R{j:02d}" for j in range(1, 13)])
    t = report.raters
    for rater in real.index[real.abs() > 0.28]:
        assert t.loc[rater, "pval"] < 0.05
        assert np.sign(t.loc[rater, "leniency"]) == np.sign(real[rater])
        word = "lenient" if real[rater] > 0 else "severe"
        assert t.loc[rater, "verdict_en"].startswith(word)
    assert set(real.index[real.abs() > 0.28]) == {"R09", "R10", "R12"}
    # Estimated leniency (on grade codes) ranks the raters as the latent truth does.
    assert t.loc[real.index, "leniency"].corr(real, method="spearman") > 0.7
    assert t.loc["R11", "verdict_en"].startswith("ratings concentrated in 优秀")


def test_rater_reliability_table(report, sheet):
    t = report.raters
    peers = sheet.panel
    # rest_r of R01: Pearson with the mean of R02..R12, over units both exist for, by pandas.
    rest = peers.drop(columns="R01").mean(axis=1)
    assert t.loc["R01", "rest_r"] == pytest.approx(peers["R01"].corr(rest), rel=1e-9)
    self_rest = sheet.table["SELF"].corr(peers.mean(axis=1))
    assert t.loc["SELF", "rest_r"] == pytest.approx(self_rest, rel=1e-9)
    assert t["mean_kappa"].between(0, 1).all() and bool(t.loc["SELF", "is_self"])


# ----------------------------------------------------------------------------- comparison and mixing
def test_grade_changes_equal_the_transition_table(report, rubric):
    trans = report.comparison.transitions
    # Hand count of the printed table (rows qualitative, columns quantitative, 优秀 良好 一般 较差):
    #   优秀 25 17 0 0 / 良好 13 14 1 0 / 一般 1 13 0 0 / 较差 0 2 0 0 -> off-diagonal 17+13+1+1+13+2 = 47.
    assert trans.to_numpy().tolist() == [[25, 17, 0, 0], [13, 14, 1, 0], [1, 13, 0, 0], [0, 2, 0, 0]]
    off_diagonal = int(trans.to_numpy().sum() - np.trace(trans.to_numpy()))
    assert off_diagonal == 47
    by_share = report.mix.by_share
    assert int(by_share.loc[1.0, "n_changed_grade"]) == off_diagonal
    assert int(by_share.loc[0.0, "n_changed_grade"]) == 0
    assert report.comparison.n_changed_grade == off_diagonal
    # Independently: grade both scores with the rubric's bands by pd.cut.
    cuts = [-np.inf, 60, 80, 90, np.inf]
    g = {
        c: pd.cut(report.scores[c], cuts, right=False, labels=False) for c in ("qualitative", "quantitative")
    }
    assert int((g["qualitative"] != g["quantitative"]).sum()) == off_diagonal
    assert "47" in report.summary_lines("zh")[2] and "47 of 86" in report.summary_lines("en")[2]


def test_top_grade_gains_and_losses(report):
    top = report.mix.top
    changes = report.top_changes()
    gains = set(top.index[~top[0.0] & top[1.0]])
    losses = set(top.index[top[0.0] & ~top[1.0]])
    assert set(changes.index[changes["change"] == "gains"]) == gains
    assert set(changes.index[changes["change"] == "loses"]) == losses
    n0, n1 = int(top[0.0].sum()), int(top[1.0].sum())
    assert n1 - n0 == len(gains) - len(losses)
    assert f"从 {n0} 个变为 {n1} 个" in report.summary_lines("zh")[3]


def test_fuzzy_weighted_average_of_one_group_is_the_panel_mean(report):
    # With one row of memberships (the raters' grade shares) and grade scores equal to the grade
    # points, M(·,⊕) gives sum_j share_j points_j: the panel's mean points.
    np.testing.assert_allclose(report.scores["fuzzy"], report.scores["panel"], rtol=1e-12)
    assert report.operator == "weighted_average"
    assert "M(·,⊕)" in report.summary_lines("zh")[-1]


def test_fuzzy_with_groups_and_another_operator(rubric, data, sheet):
    groups = {"SELF": "自评", **{f"R{j:02d}": ("同级" if j <= 6 else "群众") for j in range(1, 13)}}
    weights = {"自评": 0.2, "同级": 0.4, "群众": 0.4}
    rep = qual_vs_quant(
        rubric, data, sheet, groups=groups, weights=weights, operator="min_max", seed=1, n_regrade=50
    )
    b = rep.fuzzy.b
    # Zadeh's M(∧,∨) for unit D001 by hand from the grade shares of each group.
    words = sheet.words().loc["D001"]
    shares = {
        g: words[[r for r, gg in groups.items() if gg == g]].value_counts(normalize=True) for g in weights
    }
    for grade in ("优秀", "良好"):
        hand = max(min(weights[g], shares[g].get(grade, 0.0)) for g in weights)
        assert b.loc["D001", grade] == pytest.approx(hand)
    # The panel score then weights the group means 0.2 / 0.4 / 0.4.
    pts = sheet.words().loc["D001"].map(POINTS)
    hand_panel = (
        0.2 * pts["SELF"]
        + 0.4 * pts[[f"R{j:02d}" for j in range(1, 7)]].mean()
        + 0.4 * pts[[f"R{j:02d}" for j in range(7, 13)]].mean()
    )
    assert rep.scores.loc["D001", "panel"] == pytest.approx(hand_panel)
    assert "M(∧,∨)" in rep.summary_lines("en")[-1]


def test_grade_points_come_from_the_rubric(report):
    assert report.rating_item == "sty_mass_rating"
    assert report.grade_points == POINTS


def test_panel_as_the_qualitative_scoring(rubric, data, sheet):
    rep = qual_vs_quant(rubric, data, sheet, qualitative="panel", seed=3, n_regrade=50)
    tbl = rep.comparison.table
    np.testing.assert_allclose(tbl["qualitative"], rep.scores["panel"])
    assert rep.summary_lines("zh")[2].startswith("测评得分与定量指标得分")


# ----------------------------------------------------------------------------- report object
def test_report_is_reproducible_with_a_seed(rubric, data, sheet, report):
    again = qual_vs_quant(rubric, data, sheet, seed=20261125, n_regrade=400)
    pd.testing.assert_frame_equal(again.to_frame(), report.to_frame())
    pd.testing.assert_frame_equal(again.regrade.table, report.regrade.table)
    assert again.summary_lines("en") == report.summary_lines("en")
    other = qual_vs_quant(rubric, data, sheet, seed=1, n_regrade=400)
    assert not other.regrade.probability.equals(report.regrade.probability)


def test_regrade_probability(report):
    p = report.regrade.probability
    assert p.between(0, 1).all() and report.regrade.n_draws == 400
    # Units far inside a band change grade rarely: every unit rated 优秀 by all 12 raters scores 100.
    unanimous = report.sheet.panel.eq(4).all(axis=1)
    assert unanimous.any() and (p[unanimous] < p[~unanimous].mean()).all()


def test_report_renders_and_speaks_both_languages(report):
    zh, en = report.summary_lines("zh"), report.summary_lines("en")
    assert 4 <= len(zh) <= 6 and len(zh) == len(en)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in line) for line in zh)
    assert "ICC2" in en[0] and f"{report.reliability.raters_needed} raters" in en[0]
    text = repr(report)
    assert "Qualitative vs quantitative scoring" in text and "units changing grade: 47 of 86" in text
    assert "<table" in report._repr_html_()
    frame = report.to_frame()
    assert {"name", "quantitative", "qualitative", "panel", "fuzzy", "p_regrade"} <= set(frame.columns)
    assert frame.loc["D001", "name"] == "区委办公室"
    with pytest.raises(SpecError):
        report.summary_lines("fr")


def test_unit_mismatch_names_the_units(rubric, data, sheet):
    table = sheet.table.drop(index=["D005"]).rename(index={"D006": "X999"})
    bad = RatingSheet(table=table, order=sheet.order, self_rater="SELF")
    with pytest.raises(DataError) as err:
        qual_vs_quant(rubric, data, bad, seed=1)
    msg = str(err.value)
    assert "'D005'" in msg and "'D006'" in msg and "'X999'" in msg


def test_dataframe_ratings_and_options(rubric, data):
    frame = workbench.read_table(RATINGS)  # with its name column; raters detected
    with pytest.raises(SpecError, match="operator"):
        qual_vs_quant(rubric, data, frame, self_rater="SELF", operator="max_min")
    with pytest.raises(SpecError, match="qualitative"):
        qual_vs_quant(rubric, data, frame, self_rater="SELF", qualitative="both")
    with pytest.raises(SpecError, match="form"):
        panel_reliability(frame, form="ICC4")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the report states dropped units instead of warning
        rep = qual_vs_quant(rubric, data, frame, self_rater="SELF", seed=2, n_regrade=50)
    assert rep.sheet.self_rater == "SELF" and rep.notes


def test_small_rubric_with_its_own_grade_words(small_rubric_path, small_data_path, tmp_path):
    rubric = workbench.load_rubric(small_rubric_path)
    data = workbench.read_table(small_data_path, rubric=rubric)
    path = tmp_path / "panel.csv"
    path.write_text(
        "unit,P1,P2,P3,自评\nA,优,优,良,优\nB,良,中,良,优\nC,中,差,中,良\nD,优,良,优,优\n", encoding="utf-8"
    )
    sheet = read_ratings(path, self_rater="自评", order=("差", "中", "良", "优"))
    rep = qual_vs_quant(rubric, data, sheet, seed=0, n_regrade=100)
    # The 'eval' grade map (优 20, 良 16, 中 12, 差 6 of 20 points) in percent of its full marks.
    assert rep.rating_item == "eval"
    assert rep.grade_points == {"差": 30.0, "中": 60.0, "良": 80.0, "优": 100.0}
    assert rep.scores.loc["B", "panel"] == pytest.approx((80 + 60 + 80) / 3)
    assert rep.raters.loc["自评", "is_self"] and len(rep.summary_lines("en")) == 6
    assert list(rep.membership.columns) == ["差", "中", "良", "优"]
    np.testing.assert_allclose(rep.membership.groupby(level=0).sum().sum(axis=1), 1.0)


def test_numeric_sheet_and_no_bands(small_rubric_path, small_data_path, tmp_path):
    rubric = workbench.load_rubric(small_rubric_path)
    data = workbench.read_table(small_data_path, rubric=rubric)
    path = tmp_path / "scores.csv"
    path.write_text("unit,P1,P2,P3\nA,95,90,88\nB,80,76,84\nC,62,70,58\nD,91,85,93\n", encoding="utf-8")
    sheet = read_ratings(path)
    rep = qual_vs_quant(rubric, data, sheet, qualitative="panel", bands={}, seed=0, n_regrade=100)
    assert rep.scores.loc["A", "panel"] == pytest.approx((95 + 90 + 88) / 3)
    # Numbers are their own points, so the fuzzy crisp score of one group is the plain mean again.
    np.testing.assert_allclose(rep.scores["fuzzy"], rep.scores["panel"], rtol=1e-12)
    assert rep.regrade is None and rep.comparison.transitions is None and rep.top_grade is None
    assert len(rep.summary_lines("zh")) == 4  # no grade sentences without bands
