"""The yearly-loop commands: workbench template, collect, compare and years (exit codes, outputs,
inputs never replaced, nothing written into the returns folder)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import workbench as wb
from workbench.cli import main
from workbench.collection import simulate_returns

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def county(tmp_path):
    rubric, data = wb.examples.load_example("county", up_to="data")
    units = tmp_path / "units.csv"
    data.iloc[:6][["name", "category"]].to_csv(units)
    return rubric, data.iloc[:6], units


def _digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def test_template_writes_one_form_and_one_per_unit(county, tmp_path, capsys):
    _rubric, data, units = county
    assert main(["template", "--out", str(tmp_path / "填报表.xlsx"), "--units", str(units),
                 "--per-unit", str(tmp_path / "forms")]) == 0  # fmt: skip
    forms = sorted((tmp_path / "forms").iterdir())
    assert [p.name.split("_")[0] for p in forms] == list(data.index)
    book = openpyxl.load_workbook(tmp_path / "填报表.xlsx")
    assert [book.worksheets[0].cell(5 + i, 1).value for i in range(6)] == list(data.index)  # one row per unit
    assert "form written" in capsys.readouterr().out


def test_template_refuses_its_input_and_needs_an_output(county, tmp_path, capsys):
    _rubric, _data, units = county
    xlsx_units = tmp_path / "units.xlsx"
    pd.read_csv(units, index_col=0).to_excel(xlsx_units)
    before = xlsx_units.read_bytes()
    assert main(["template", "--units", str(xlsx_units), "--out", str(xlsx_units), "--layout", "unit"]) == 2
    assert xlsx_units.read_bytes() == before
    assert main(["template"]) == 2
    assert "error" in capsys.readouterr().err


def test_collect_writes_the_table_problems_and_feedback(county, tmp_path, capsys):
    rubric, data, units = county
    simulate_returns(rubric, data, tmp_path / "returns", seed=3,
                     problems={"missing": 1, "out_of_range": 1, "not_a_return": 1})  # fmt: skip
    before = _digest(tmp_path / "returns")
    out = tmp_path / "out" / "汇总.xlsx"
    code = main(["collect", str(tmp_path / "returns"), "--units", str(units), "--out", str(out),
                 "--feedback", str(tmp_path / "out" / "fb"), "--check", "--mkdir"])  # fmt: skip
    assert code == 0
    text = capsys.readouterr().out
    assert "7 files read, 6 units collected (4 ready to score); 3 errors" in text
    book = openpyxl.load_workbook(out)
    table = pd.read_excel(out, sheet_name=0, index_col=0, dtype={"unit": str})
    assert list(table.index) == list(data.index)
    assert len(book.sheetnames) == 4  # table, problems, returns, checks
    assert len(list((tmp_path / "out" / "fb").iterdir())) == 3
    assert _digest(tmp_path / "returns") == before
    assert main(["collect", str(tmp_path / "returns"), "--out", str(tmp_path / "returns" / "x.xlsx")]) == 2
    assert _digest(tmp_path / "returns") == before
    assert main(["collect", str(tmp_path / "nowhere"), "--out", str(tmp_path / "y.xlsx")]) == 2


def test_compare_and_years(county, tmp_path, capsys):
    rubric, _data, _units = county
    revised = tmp_path / "revised.yaml"
    text = wb.examples.sample_path("indicators/cq_organs.yaml").read_text(encoding="utf-8")
    revised.write_text(text.replace("quota: {优秀: 0.2}", "quota: {优秀: 0.1}"), encoding="utf-8")
    data = str(wb.examples.sample_path("data/samples/county_organs.csv"))
    code = main(["compare", "--old", "cq_organs", "--new", str(revised), "--data", data,
                 "--out", str(tmp_path / "cmp.xlsx"), "--chart", str(tmp_path / "cmp.png")])  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    assert "quota 20% → 10%" in out and "grade up 0" in out
    assert (tmp_path / "cmp.png").read_bytes()[:4] == b"\x89PNG"
    assert len(openpyxl.load_workbook(tmp_path / "cmp.xlsx").sheetnames) == 4
    rubric_path = str(wb.examples.sample_path("indicators/cq_organs.yaml"))
    code = main(["years", "--previous", "2024", str(revised), data, "--rubric", rubric_path, "--data", data,
                 "--period", "2025", "--out", str(tmp_path / "y.xlsx"), "--chart", str(tmp_path / "y.png")])  # fmt: skip
    assert code == 0
    assert "2024 → 2025" in capsys.readouterr().out
    assert (tmp_path / "y.png").exists() and (tmp_path / "y.xlsx").exists()
    last = [
        str(ROOT / "indicators/versions/cq_organs_2024.yaml"),
        str(ROOT / "data/samples/county_organs_2024.csv"),
    ]
    # last year's table under this year's rubric: it lacks ldr_attend, refused with the column named
    assert main(["years", "--previous", "2024", rubric_path, last[1], "--data", data]) == 2
    assert "ldr_attend" in capsys.readouterr().err


def test_a_clean_collection_is_ready_for_score(county, tmp_path):
    rubric, data, units = county
    simulate_returns(rubric, data, tmp_path / "returns", seed=4, problems={}, csv_units=1)
    out = tmp_path / "汇总.xlsx"
    assert main(["collect", str(tmp_path / "returns"), "--units", str(units), "--out", str(out)]) == 0
    assert main(["score", "--data", str(out), "--out", str(tmp_path / "scores.csv")]) == 0
    scores = pd.read_csv(tmp_path / "scores.csv", index_col=0)
    expected = wb.score(rubric, data).final
    assert sorted(scores.index) == sorted(expected.index)


def test_brief_with_a_revision_and_last_year(tmp_path):
    last = [
        "2024",
        str(ROOT / "indicators/versions/cq_organs_2024.yaml"),
        str(ROOT / "data/samples/county_organs_2024.csv"),
    ]
    out = tmp_path / "brief"
    code = main(["brief", "--rubric", str(ROOT / "indicators/cq_organs.yaml"), "--out", str(out), "--format", "html",
                 "--draws", "20", "--revision", str(ROOT / "indicators/versions/cq_organs_2026_draft.yaml"),
                 "--previous", *last, "--period", "2025"])  # fmt: skip
    assert code == 0
    html = (out / "cq_organs_briefing.html").read_text(encoding="utf-8")
    assert "与 2024 年比较：2024 → 2025" in html and "与修订方案比较" in html
    # last year's table does not fit this year's rubric (no ldr_attend): refused before anything runs
    wrong = [
        "2024",
        str(ROOT / "indicators/cq_organs.yaml"),
        str(ROOT / "data/samples/county_organs_2024.csv"),
    ]
    assert main(["brief", "--out", str(tmp_path / "b2"), "--previous", *wrong]) == 2
    assert not (tmp_path / "b2").exists()
