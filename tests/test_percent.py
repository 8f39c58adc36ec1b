"""Percentages read as users see them (issue 17): Excel cells formatted as percentages (written here by
openpyxl with number_format '0.0%'), text such as "98.2%" or "98.2％", a warning for a percent column
entered as fractions, and problem counts that are the true number."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

import workbench as wb
from workbench.cli import main
from workbench.errors import DataError, WorkbenchWarning

ROOT = Path(__file__).resolve().parents[1]
RUBRIC = ROOT / "indicators" / "cq_organs.yaml"
CSV = ROOT / "data" / "samples" / "county_organs.csv"
PERCENT = [
    "ldr_funding",
    "ide_member_training",
    "org_three_one",
    "org_election",
    "org_dues",
    "org_recruit",
    "org_democratic_review",
    "org_standard_branch",
    "cen_task_completion",
    "cen_vanguard_posts",
]


@pytest.fixture(scope="module")
def rubric():
    return wb.load_rubric(RUBRIC)


@pytest.fixture(scope="module")
def raw(rubric):
    """The sample as numbers (its full-width ９５．５ read as 95.5), ids in a column, grades as text."""
    frame = wb.read_table(CSV, rubric=rubric).reset_index()
    for c in frame.columns:
        if isinstance(frame[c].dtype, pd.CategoricalDtype):
            frame[c] = frame[c].astype(object)
    return frame


def _write_xlsx(path: Path, frame: pd.DataFrame, percent: dict) -> Path:
    """The frame as a workbook; ``percent`` maps a column to the rows (0-based) stored as a fraction
    in a cell formatted '0.0%', as Excel keeps 98.2% (0.982)."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        ws.append([None if pd.isna(v) else v for v in row])
    for column, rows in percent.items():
        j = list(frame.columns).index(column) + 1
        for i in rows:
            cell = ws.cell(row=i + 2, column=j)
            if isinstance(cell.value, (int, float)):
                cell.value = cell.value / 100
                cell.number_format = "0.0%"
    book.save(path)
    return path


def test_percent_formatted_cells_are_read_as_the_percentages_shown(rubric, raw, tmp_path):
    """Issue 17: with the rate cells formatted as percentages, 优秀 fell from 15 to 0 and the mean
    from 89.4 to 77.7, and `check` said the table was OK."""
    everything = {c: range(len(raw)) for c in PERCENT}
    path = _write_xlsx(tmp_path / "rates.xlsx", raw, everything)
    assert openpyxl.load_workbook(path).active["M2"].number_format == "0.0%"  # a real percent cell
    from_xlsx = wb.read_table(path, rubric=rubric)
    from_csv = wb.read_table(CSV, rubric=rubric)
    for c in PERCENT:
        np.testing.assert_allclose(from_xlsx[c].to_numpy(float), from_csv[c].to_numpy(float), rtol=1e-12)
    assert from_xlsx["ide_member_training"].max() > 90  # a column that was stored as fractions
    card = wb.score(rubric, from_xlsx)
    assert card.grade_counts()["优秀"] == 15 and round(card.total.mean(), 1) == 89.4
    np.testing.assert_allclose(card.final, wb.score(rubric, from_csv).final, rtol=1e-12)
    # read without the rubric, then scored: the same (the cells' formats travel with the frame)
    np.testing.assert_allclose(wb.score(rubric, wb.read_table(path)).final, card.final, rtol=1e-12)


def test_mixed_columns_and_non_percent_indicators(rubric, raw, tmp_path):
    # half of a column formatted as percentages, the other half typed as 96.5; a test score formatted
    # as a percentage is not a percent indicator and keeps its stored value
    half = {"ide_member_training": range(0, len(raw), 2), "ide_exam": [0]}
    path = _write_xlsx(tmp_path / "mixed.xlsx", raw, half)
    data = wb.read_table(path, rubric=rubric)
    np.testing.assert_allclose(data["ide_member_training"].to_numpy(float), raw["ide_member_training"])
    assert data["ide_exam"].iloc[0] == pytest.approx(raw["ide_exam"].iloc[0] / 100)


def test_percent_text_is_a_number_for_percent_indicators(rubric, raw, tmp_path):
    frame = raw.astype({"org_three_one": object, "ldr_meetings": object})
    frame["ide_member_training"] = frame["ide_member_training"].map(lambda v: f"{v:g}%").astype(object)
    frame.loc[1, "ide_member_training"] = "94.3％"  # full-width percent sign, as typed in Chinese
    frame.loc[2, "org_three_one"] = " 97 % "  # the third row is D003
    path = tmp_path / "text.csv"
    frame.to_csv(path, index=False)
    data = wb.read_table(path, rubric=rubric)
    np.testing.assert_allclose(data["ide_member_training"].to_numpy(float), raw["ide_member_training"])
    assert data.loc["D003", "org_three_one"] == 97.0
    frame.loc[3, "ldr_meetings"] = "50%"  # not an indicator in percent: still not a number
    frame.to_csv(path, index=False)
    with pytest.raises(DataError, match="row 5, column 'ldr_meetings': '50%' is not a number"):
        wb.read_table(path, rubric=rubric)


def test_fractions_in_a_percent_column_raise_a_warning_naming_it(rubric, raw, tmp_path, capsys):
    frame = raw.copy()
    frame["org_dues"] = frame["org_dues"] / 100
    path = tmp_path / "fractions.csv"
    frame.to_csv(path, index=False)
    with pytest.warns(
        WorkbenchWarning, match=r"column 'org_dues' \(党费按月足额收缴率\) is in percent"
    ) as rec:
        wb.read_table(path, rubric=rubric)
    assert len([w for w in rec if issubclass(w.category, WorkbenchWarning)]) == 1  # only that column
    assert main(["check", "--rubric", str(RUBRIC), str(path)]) == 0
    err = capsys.readouterr().err
    assert "warning:" in err and "'org_dues'" in err and "multiply them by 100" in err
    assert (
        main(["score", "--rubric", str(RUBRIC), "--data", str(path), "--out", str(tmp_path / "s.csv")]) == 0
    )
    assert capsys.readouterr().err.count("'org_dues'") == 1  # read and scored: said once
    with warnings.catch_warnings():
        warnings.simplefilter("error", WorkbenchWarning)
        wb.read_table(CSV, rubric=rubric)  # the sample itself gives no warning


def test_problem_counts_are_the_true_number(rubric, raw, tmp_path, capsys):
    """Issue 17: "20 problems" when all 86 rows were affected."""
    frame = raw.copy()
    frame["ldr_meetings"] = "五次"
    path = tmp_path / "bad.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError) as err:
        wb.read_table(path, rubric=rubric)
    text = str(err.value)
    assert "(86 problems)" in text and text.count("is not a number") == 20 and "... and 66 more" in text
    frame["ide_exam"] = "x"  # two columns: 172 problems, 40 listed
    frame.to_csv(path, index=False)
    assert main(["check", "--rubric", str(RUBRIC), str(path)]) == 2
    out = capsys.readouterr().err
    assert "(172 problems)" in out and "... and 132 more" in out


def test_number_formats_that_show_a_percent_sign():
    from workbench.io._percent import _shows_percent

    assert _shows_percent("0.0%") and _shows_percent("#,##0.00%") and _shows_percent("0.0%;[Red]-0.0%")
    assert not _shows_percent('0"%"') and not _shows_percent("0\\%") and not _shows_percent("0.00")
