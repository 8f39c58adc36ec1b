"""Reading tables: encodings, Excel sheets, Parquet, unit ids, numeric coercion, bad input."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

import workbench as wb
from workbench.errors import DataError, OutputError
from workbench.io import atomic_write_text, detect_encoding

TEXT = "unit,name,x\nD001,区发展改革委,85\nD002,区财政局,90.5\n"


@pytest.mark.parametrize(
    ("encoding", "expected"), [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gbk")]
)
def test_csv_encodings_detected_and_reported(tmp_path, encoding, expected):
    p = tmp_path / "t.csv"
    p.write_bytes(TEXT.encode(encoding))
    t = wb.read_table(p)
    assert t.attrs["encoding"] == expected
    assert t.loc["D001", "name"] == "区发展改革委"
    assert t["x"].tolist() == [85, 90.5]
    assert t.index.name == "unit" and list(t.index) == ["D001", "D002"]


def test_gbk_opened_as_utf8_is_a_clear_error(tmp_path):
    p = tmp_path / "t.csv"
    p.write_bytes(TEXT.encode("gbk"))
    with pytest.raises(DataError) as info:
        wb.read_table(p, encoding="utf-8")
    msg = str(info.value)
    assert "not valid utf-8" in msg and "line 2" in msg and "GBK" in msg and str(p) in msg


def test_undecodable_bytes(tmp_path):
    p = tmp_path / "t.csv"
    p.write_bytes(b"unit,x\n\xff\xfe\xfa,1\n")
    with pytest.raises(DataError, match="neither UTF-8 nor GBK"):
        wb.read_table(p)
    with pytest.raises(DataError):
        detect_encoding(b"\xff\xff\xff")


def test_leading_zero_ids_kept(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("单位代码,x\n001,1\n002,2\n", encoding="utf-8")
    t = wb.read_table(p)
    assert list(t.index) == ["001", "002"] and t.attrs["unit"] == "单位代码"


def test_excel_named_sheet_and_missing_sheet(tmp_path):
    p = tmp_path / "t.xlsx"
    with pd.ExcelWriter(p) as xl:
        pd.DataFrame({"说明": ["test"]}).to_excel(xl, sheet_name="说明", index=False)
        pd.DataFrame({"unit": ["A", "B"], "x": [1, 2]}).to_excel(xl, sheet_name="数据", index=False)
    t = wb.read_table(p, sheet="数据")
    assert t["x"].tolist() == [1, 2] and t.attrs["sheet"] == "数据"
    with pytest.raises(DataError) as info:
        wb.read_table(p, sheet="Sheet1")
    assert "no sheet named 'Sheet1'" in str(info.value) and "数据" in str(info.value)


def test_parquet(tmp_path):
    p = tmp_path / "t.parquet"
    pd.DataFrame({"unit": ["A", "B"], "x": [1.0, 2.0]}).to_parquet(p)
    assert wb.read_table(p)["x"].tolist() == [1.0, 2.0]


def test_empty_and_missing_files(tmp_path):
    p = tmp_path / "empty.csv"
    p.write_bytes(b"")
    with pytest.raises(DataError, match="empty"):
        wb.read_table(p)
    with pytest.raises(DataError, match="not found"):
        wb.read_table(tmp_path / "nope.csv")
    h = tmp_path / "header.csv"
    h.write_text("unit,x\n", encoding="utf-8")
    with pytest.raises(DataError, match="no rows"):
        wb.read_table(h)
    with pytest.raises(DataError, match="unsupported file type"):
        wb.read_table(_touch(tmp_path / "t.json"))


def _touch(p):
    p.write_text("{}", encoding="utf-8")
    return p


def test_duplicated_and_missing_unit_ids(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("unit,x\nA,1\nB,2\nA,3\n,4\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        wb.read_table(p)
    err = info.value
    rows = {(pr.row, pr.message[:20]) for pr in err.problems}
    assert (2, "unit id 'A' appears ") in rows and (4, "unit id 'A' appears ") in rows
    assert any(pr.row == 5 and "empty" in pr.message for pr in err.problems)
    q = tmp_path / "q.csv"
    q.write_text("id,x\nA,1\n", encoding="utf-8")
    with pytest.raises(DataError, match="no unit id column"):
        wb.read_table(q)
    with pytest.raises(DataError, match="'unit' is missing"):
        wb.read_table(q, unit="unit")


def test_rubric_columns_text_cells_and_missing_tokens(small_rubric_path, tmp_path):
    r = wb.load_rubric(small_rubric_path)
    p = tmp_path / "bad.csv"
    # meet has "abc" (text), check has "—" (not allowed: missing: error), eval has 甲 (unknown grade),
    # rate has "无" (allowed: missing: exempt), v1 column missing
    p.write_text(
        "unit,meet,eval,rate,check,h1,h2,d1\nA,abc,甲,无,—,0,0,0\nB,８５,优,90,1,0,0,0\n", encoding="utf-8"
    )
    with pytest.raises(DataError) as info:
        wb.read_table(p, rubric=r)
    msgs = [str(pr) for pr in info.value.problems]
    assert any("column for veto item 'v1'" in m for m in msgs)
    assert any("row 2, column 'meet': 'abc' is not a number" in m for m in msgs)
    assert any("row 2, column 'check'" in m and "'—'" in m and "missing" in m for m in msgs)
    assert any("row 2, column 'eval': grade '甲'" in m for m in msgs)
    assert not any("'rate'" in m for m in msgs)


def test_full_width_digits_and_names_as_columns(small_rubric_path, tmp_path):
    r = wb.load_rubric(small_rubric_path)
    p = tmp_path / "ok.csv"
    # columns may be named by the indicator's Chinese name
    p.write_text(
        "unit,专题研究次数,民主测评,按期换届率,台账缺项,h1,h2,d1,v1\nA,４,良,１００,0,,,,否\n",
        encoding="utf-8",
    )
    t = wb.read_table(p, rubric=r)
    assert t.loc["A", "meet"] == 4 and t.loc["A", "rate"] == 100
    assert t.loc["A", "v1"] == np.False_
    assert wb.score(r, t).total["A"] == 96


def test_inputs_never_modified_and_atomic_write(tmp_path, small_rubric_path, small_data_path):
    before = small_data_path.read_bytes()
    r = wb.load_rubric(small_rubric_path)
    wb.score(r, wb.read_table(small_data_path, rubric=r))
    assert small_data_path.read_bytes() == before
    out = atomic_write_text(tmp_path / "sub" / "x.txt", "党建")
    assert out.read_text(encoding="utf-8") == "党建"
    assert oct(os.stat(out).st_mode & 0o777) != "0o600"
    assert [p.name for p in out.parent.iterdir()] == ["x.txt"]


def test_failed_write_leaves_nothing(tmp_path, monkeypatch):
    target = tmp_path / "report.html"
    target.write_text("old", encoding="utf-8")

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OutputError, match="disk full"):  # a typed error naming the file, not a traceback
        atomic_write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]
