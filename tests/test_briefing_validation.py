"""Plausibility from the rubric: impossible data and impossible rules are refused, all at once.

Issue 11: ``workbench check`` said "table OK" for a percentage of 150 or -5, a negative count of
meetings, a category the rubric does not define, and a grade map worth 5 points on a 4-point item.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import workbench as wb
from workbench.cli import main
from workbench.rubric._extras import Range, valid_range

ROOT = Path(__file__).resolve().parents[1]
CQ = ROOT / "indicators" / "cq_organs.yaml"
COUNTY = ROOT / "data" / "samples" / "county_organs.csv"


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def county() -> pd.DataFrame:
    return pd.read_csv(COUNTY, dtype=str, keep_default_na=False)  # cells as written


def write(frame: pd.DataFrame, path: Path) -> Path:
    frame.to_csv(path, index=False)
    return path


def test_impossible_values_are_refused_all_at_once(tmp_path, capsys):
    data = county()
    data.loc[0, "org_three_one"] = "150"  # a percentage (%)
    data.loc[1, "org_three_one"] = "-5"
    data.loc[2, "ldr_meetings"] = "-2"  # a count (次/年)
    data.loc[3, "ldr_meetings"] = "2.5"  # counts are whole
    data.loc[4, "category"] = "党政综合部"  # misspelt category
    data.loc[5, "ide_exam"] = "101"  # declared range [0, 100]
    path = write(data, tmp_path / "bad.csv")
    with pytest.raises(wb.DataError) as info:
        wb.read_table(path, rubric=wb.load_rubric(CQ))
    err = info.value
    where = {(p.row, p.column) for p in err.problems}
    # spreadsheet rows: header is row 1, so data row i is row i + 2
    assert where == {
        (2, "org_three_one"),
        (3, "org_three_one"),
        (4, "ldr_meetings"),
        (5, "ldr_meetings"),
        (6, "category"),
        (7, "ide_exam"),
    }
    text = str(err)
    assert "150 is not a valid value" in text and "from 0 to 100" in text and "a percentage" in text
    assert "-2 is not a valid value" in text and "whole numbers >= 0" in text
    assert "'党政综合部' is not one of the rubric's categories" in text
    assert str(path) in text
    # the command line refuses it too (check, score, brief), exit 2, nothing written
    assert main(["check", "--rubric", str(CQ), str(path)]) == 2
    assert "6 problems" in capsys.readouterr().err
    assert main(["score", "--data", str(path), "--out", str(tmp_path / "s.csv")]) == 2
    assert main(["brief", "--data", str(path), "--out", str(tmp_path / "b"), "--draws", "5"]) == 2
    assert not (tmp_path / "s.csv").exists() and not (tmp_path / "b").exists()


def test_declared_ranges_let_rates_pass_100():
    r = wb.load_rubric(ROOT / "indicators" / "enterprise.yaml")
    assert valid_range(r.nodes["ent_revenue"]) == Range(0.0, None, False, "declared")
    assert valid_range(r.nodes["ent_three_one"]) == Range(0.0, 100.0, False, "percent")
    assert valid_range(r.nodes["ent_org_life"]).whole  # a checklist counts missing items
    assert valid_range(r.nodes["ent_superior_rating"]) == Range()  # grades are checked by their list


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("%", Range(0.0, 100.0, False, "percent")),
        ("次/年", Range(0.0, None, True, "count")),
        ("户", Range(0.0, None, True, "count")),
        ("人次/百名党员", Range(0.0, None, False, "count")),  # a rate, not a count
        ("学时/人", Range(0.0, None, False, "measure")),
        ("万元/年", Range(0.0, None, False, "measure")),
        ("指数", Range()),  # unknown: not checked
    ],
)
def test_ranges_inferred_from_the_unit(unit, expected):
    text = f"""
code: r
name: r
scale: 10
blocks:
  - {{code: b, name: b, weight: 10, indicators: [{{code: x, name: x, weight: 10, unit: '{unit}',
      rule: {{type: linear, lo: 0, hi: 10}}}}]}}
"""
    from workbench.rubric._parse import parse_rubric_text

    assert valid_range(parse_rubric_text(text).nodes["x"]) == expected


def test_rule_points_cannot_exceed_full_marks():
    from workbench.rubric._parse import parse_rubric_text

    text = """
code: r
name: r
scale: 10
blocks:
  - code: b
    name: b
    weight: 10
    indicators:
      - {code: q, name: q, weight: 4, rule: {type: grade_map, points: {好: 5, 差: 1}}}
      - {code: t, name: t, weight: 3, rule: {type: target_ratio, target: 4, cap: 1.2}}
      - {code: k, name: k, weight: 3, rule: {type: bands, points: [[90, 3], [80, 2]]}}
"""
    with pytest.raises(wb.RubricError) as info:
        parse_rubric_text(text)
    messages = [p.message for p in info.value.problems]
    assert len(messages) == 2  # the grade map and the cap; bands at full marks are fine
    assert any("up to 5 points but the item's full marks are 4" in m for m in messages)
    assert any("up to 3.6 points but the item's full marks are 3" in m for m in messages)


def test_bonus_counts_are_whole_and_other_score_not_negative(tmp_path):
    data = county()
    data.loc[0, "bonus_national"] = "0.5"
    r = wb.load_rubric(CQ)
    with pytest.raises(wb.DataError, match="row 2, column 'bonus_national'"):
        wb.read_table(write(data, tmp_path / "a.csv"), rubric=r)
    data = county()
    data.loc[0, "econ_score"] = "-1"
    r2 = wb.load_rubric(ROOT / "indicators" / "comprehensive_2pct.yaml")
    with pytest.raises(wb.DataError, match=r"econ_score.*-1 is outside 0\.\.100"):
        wb.read_table(write(data, tmp_path / "b.csv"), rubric=r2)


def test_subject_example_data_and_category_names_round_trip(tmp_path):
    r = wb.load_rubric(ROOT / "indicators" / "longxi_vanguard.yaml")
    assert r.subject.individuals and r.subject.name == "党员" and r.subject.counter == "名"
    assert r.example_data == "longxi_members.csv" and len(r.categories.names) == 10
    back = wb.load_rubric(wb.save_rubric(r, tmp_path / "v.yaml"))
    assert back.subject == r.subject and back.example_data == r.example_data
    assert back.categories.names == r.categories.names
    assert back.nodes["vg_dues_months"].valid_range == (0.0, 12.0)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("example_data: ../secret.csv", "without folders"),
        ("subject: {kind: robot}", "'kind' must be 'organisation' or 'individual'"),
        ("categories: {column: c, names: [甲], groups: {乙: {weights: {b: 1}}}}", "not among 'names'"),
    ],
)
def test_bad_new_keys_are_rubric_errors(extra, message):
    from workbench.rubric._parse import parse_rubric_text

    text = f"""
code: r
name: r
scale: 10
blocks:
  - {{code: b, name: b, weight: 10, indicators: [{{code: x, name: x, weight: 10, rule: {{type: linear, lo: 0, hi: 1}}}}]}}
{extra}
"""
    with pytest.raises(wb.RubricError, match=message):
        parse_rubric_text(text)


def test_every_shipped_rubric_names_its_sample_and_it_fits():
    from workbench.examples import example_data_path

    for path in sorted((ROOT / "indicators").glob("*.yaml")):
        r = wb.load_rubric(path)
        data = wb.read_table(example_data_path(r), rubric=r)  # no impossible value in the samples
        assert len(data) > 10


def test_category_spelled_with_spaces_is_the_same_category(tmp_path):
    data = county()
    first = data.loc[0, "category"]
    data.loc[0, "category"] = f" {first}　"  # a space before, a full-width space after
    r = wb.load_rubric(CQ)
    read = wb.read_table(write(data, tmp_path / "s.csv"), rubric=r)
    assert read["category"].iloc[0] == first
    card = wb.score(r, read)
    assert card.category.nunique() == 5  # no sixth, one-unit category
