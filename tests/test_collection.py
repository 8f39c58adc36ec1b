"""Collection forms and returns (workbench.collection).

Truth: forms filled independently with openpyxl, cell by cell, from a source table and collected
back must give the source's values exactly (after the rubric's own reading of both); a corpus of
broken returns, each problem planted by hand at a known file and cell; the folder's bytes are
hashed before and after.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

import workbench as wb
from workbench._i18n import use_language
from workbench.collection import (
    collect,
    fingerprint,
    rubric_fields,
    simulate_returns,
    template_bytes,
    write_template,
    write_unit_templates,
)
from workbench.errors import OutputError, SpecError
from workbench.io import validate_data


def _source(example, step=1):
    """A bundled table (every ``step``-th unit) with ids that have leading zeros (001, ...) and Chinese names."""
    rubric, data = wb.examples.load_example(example, up_to="data")
    data = data.iloc[::step].copy()
    data.index = pd.Index([f"{i + 1:03d}" for i in range(len(data))], name=data.index.name)
    return rubric, data


def _typed(f, v):
    """A value as a person types it into the form (independent of the package's simulator)."""
    if isinstance(v, (bool, np.bool_)):
        return "是" if v else "否"
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "不涉及" if f.exempt else None
    if isinstance(v, (int, float, np.integer, np.floating)):
        return float(v)
    return str(v)


def _fill_indicator_form(path: Path, row: pd.Series, fields) -> None:
    wbk = openpyxl.load_workbook(path)
    ws = wbk.worksheets[0]
    by_code = {f.code: f for f in fields}
    for r in range(5, ws.max_row + 1):
        code = ws.cell(r, 2).value
        if code in by_code:
            ws.cell(r, 7, _typed(by_code[code], row.get(code)))
    wbk.save(path)


def _fill_unit_form(path: Path, data: pd.DataFrame, fields) -> None:
    wbk = openpyxl.load_workbook(path)
    ws = wbk.worksheets[0]
    cols = {ws.cell(2, c).value: c for c in range(1, ws.max_column + 1)}
    by_code = {f.code: f for f in fields}
    for r in range(5, ws.max_row + 1):
        uid = ws.cell(r, 1).value
        if uid in data.index:
            for code, f in by_code.items():
                ws.cell(r, cols[code], _typed(f, data.at[uid, code]))
    wbk.save(path)


def _hashes(folder: Path) -> dict:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _assert_same_values(rubric, collected, source):
    fields = [f.code for f in rubric_fields(rubric)]
    got = validate_data(rubric, collected)
    want = validate_data(rubric, source).loc[got.index]
    assert list(got.index) == list(source.index)
    for code in fields:
        a, b = got[code], want[code]
        if isinstance(a.dtype, pd.CategoricalDtype) or a.dtype == object:
            assert (
                a.astype(object).where(a.notna(), None).tolist()
                == b.astype(object).where(b.notna(), None).tolist()
            ), code
        else:
            np.testing.assert_array_equal(a.to_numpy(dtype=float), b.to_numpy(dtype=float), err_msg=code)


# ----------------------------------------------------------------------------- round trip
@pytest.mark.parametrize("example", ["county", "comprehensive", "enterprise", "longxi_fortress"])
def test_round_trip_one_form_per_unit(example, tmp_path):
    rubric, data = _source(example, step=6)
    exempt = [f.code for f in rubric_fields(rubric) if f.exempt]
    assert not exempt or data[exempt].isna().any().any()  # the subset has items that do not apply
    fields = rubric_fields(rubric)
    units = data[[c for c in ("name", rubric.categories.column if rubric.categories else None) if c in data]]
    paths = write_unit_templates(rubric, units, tmp_path / "returns")
    assert len(paths) == len(data) and paths[0].name.startswith("001_")
    for path, (_uid, row) in zip(paths, data.iterrows()):
        _fill_indicator_form(path, row, fields)
    result = collect(tmp_path / "returns", rubric, units=units)
    assert result.problems.empty, result.problems[["file", "cell", "message"]].head()
    assert result.table.index.tolist() == data.index.tolist()  # leading zeros kept, list order
    assert (result.table["name"] == data["name"]).all()
    _assert_same_values(rubric, result.table, data)
    np.testing.assert_allclose(wb.score(rubric, result.ready).final, wb.score(rubric, data).final)


def test_round_trip_one_row_per_unit(tmp_path):
    rubric, data = _source("county", step=3)
    fields = rubric_fields(rubric)
    form = write_template(rubric, tmp_path / "returns" / "全部单位.xlsx", units=data[["name", "category"]])
    _fill_unit_form(form, data, fields)
    result = collect(tmp_path / "returns", rubric)
    assert result.problems.empty
    assert result.table.index.tolist() == sorted(data.index)
    _assert_same_values(rubric, result.table.loc[data.index], data)


def test_a_return_sent_as_csv_or_plain_table(tmp_path):
    rubric, data = _source("county")
    folder = tmp_path / "returns"
    folder.mkdir()
    head = data.iloc[:3].copy()
    head.insert(0, "单位代码", head.index)
    head.to_csv(folder / "三个单位.csv", index=False, encoding="gbk")  # Excel's Chinese CSV
    long = pd.DataFrame({"指标代码": [f.code for f in rubric_fields(rubric)]})
    long["填报值"] = [data.iloc[3].get(c) for c in long["指标代码"]]
    long.to_excel(folder / f"{data.index[3]}_报表.xlsx", index=False)  # the unit id from the file name
    result = collect(folder, rubric, units=data.iloc[:4][["name", "category"]])  # the list gives categories
    # the blanks pandas writes for 不涉及 are taken as 不涉及, with a reminder
    assert set(result.problems["kind"]) <= {"exempt_blank"}
    assert set(result.table.index) == set(data.index[:4])
    assert result.files.set_index("file")["format"].to_dict() == {
        "三个单位.csv": "csv",
        "004_报表.xlsx": "table",
    }
    _assert_same_values(rubric, result.table.loc[data.index[:4]], data.iloc[:4])


# ----------------------------------------------------------------------------- the form
def test_form_has_validation_locks_instructions_and_hidden_metadata(tmp_path):
    rubric, data = _source("county")
    with use_language("zh"):
        raw = template_bytes(rubric, units=data.iloc[[6]][["name", "category"]])
    book = openpyxl.load_workbook(io.BytesIO(raw))
    form, lists, instr, meta = book.worksheets
    assert [s.sheet_state for s in book.worksheets] == ["visible", "hidden", "visible", "veryHidden"]
    assert form.protection.sheet and book.security.lockStructure
    assert form["B2"].value == "007" and form["B2"].protection.locked  # pre-filled id, text, locked
    fields = rubric_fields(rubric)
    dv = {str(d.sqref): d for d in form.data_validations.dataValidation}
    for i, f in enumerate(fields):
        cell = f"G{5 + i}"
        assert form[cell].protection.locked is False and form[f"B{5 + i}"].value == f.code
        if f.kind == "grade":
            assert dv[cell].type == "list" and all(g in dv[cell].formula1 for g in f.choices)
        elif f.kind == "flag":
            assert dv[cell].formula1 == '"是,否"'
        else:
            assert dv[cell].type == "custom" and f"ISNUMBER({cell})" in dv[cell].formula1
            assert (f"{cell}>=" in dv[cell].formula1) == (f.lo is not None)
            assert (f"{cell}<=" in dv[cell].formula1) == (f.hi is not None)
            assert ("不涉及" in dv[cell].formula1) == f.exempt
    by = {f.code: f for f in fields}
    assert (by["ldr_funding"].lo, by["ldr_funding"].hi, by["ldr_funding"].exempt) == (
        0,
        100,
        False,
    )  # a share
    assert (by["org_recruit"].lo, by["org_recruit"].hi, by["org_recruit"].exempt) == (
        0,
        None,
        True,
    )  # may pass 100%
    assert by["ldr_responsibility"].whole and by["ldr_responsibility"].hi == 10  # a checklist of 10 items
    assert by["bonus_city"].blank == 0 and by["veto_discipline"].choices == ("是", "否")
    assert any("填写" in (c.value or "") for c in instr["A"])  # the instructions are in Chinese
    assert meta["B3"].value == fingerprint(rubric)


def test_form_follows_the_rubric(tmp_path):
    rubric = wb.examples.load_example("county", up_to="rubric")
    changed = rubric.with_weights({"org_three_one": 8})
    assert fingerprint(rubric) == fingerprint(rubric.with_weights({}))
    raw = template_bytes(rubric.with_weights({}))
    assert fingerprint(changed) == fingerprint(rubric)  # weights are not on the form
    import dataclasses

    renamed = dataclasses.replace(
        rubric,
        nodes={
            **rubric.nodes,
            "ldr_meetings": dataclasses.replace(rubric.nodes["ldr_meetings"], name="新名称"),
        },
    )
    assert fingerprint(renamed) != fingerprint(rubric)
    described = dataclasses.replace(
        rubric,
        nodes={
            **rubric.nodes,
            "ldr_funding": dataclasses.replace(rubric.nodes["ldr_funding"], description="按年度预算口径"),
        },
    )
    sheet = openpyxl.load_workbook(io.BytesIO(template_bytes(described))).worksheets[0]
    assert (
        sheet["J4"].value == "Notes"
        and sheet["J8"].value == "按年度预算口径"
        and sheet["B8"].value == "ldr_funding"
    )
    assert openpyxl.load_workbook(io.BytesIO(raw)).worksheets[0]["J4"].value is None  # no notes, no column
    assert "新名称" in str(
        openpyxl.load_workbook(io.BytesIO(template_bytes(renamed))).worksheets[0]["C5"].value
    )
    assert raw != template_bytes(renamed)


def test_template_outputs_are_checked(tmp_path):
    rubric, data = _source("county")
    with pytest.raises(OutputError, match="xlsx"):
        write_template(rubric, tmp_path / "form.csv")
    with pytest.raises(OutputError, match="one unit"):
        write_template(rubric, tmp_path / "f.xlsx", units=data[["name"]], layout="indicator")
    src = tmp_path / "units.xlsx"
    src.write_bytes(b"x")
    with pytest.raises(OutputError):
        write_template(rubric, src, inputs=[src])
    assert src.read_bytes() == b"x"


# ----------------------------------------------------------------------------- broken returns
def _raw_workbook(sheet_xml: bytes, extra: dict | None = None) -> bytes:
    """A minimal .xlsx written by hand (no shared strings), to plant what no spreadsheet program writes."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    parts = {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "xl/workbook.xml": f'<workbook {ns} {rel}><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'.encode(),
        "xl/_rels/workbook.xml.rels": b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet_xml,
        **(extra or {}),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


def _set(path: Path, cells: dict) -> None:
    book = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        book.worksheets[0][ref] = value
    book.save(path)


@pytest.fixture
def corpus(tmp_path):
    """Good forms for 20 units, then one broken return of every kind (cells chosen by hand)."""
    rubric, data = _source("county")
    data = data.iloc[:20]
    fields = rubric_fields(rubric)
    row = {f.code: 5 + i for i, f in enumerate(fields)}
    folder = tmp_path / "returns"
    paths = write_unit_templates(rubric, data[["name", "category"]], folder)
    for path, (_uid, r) in zip(paths, data.iterrows()):
        _fill_indicator_form(path, r, fields)
    f = {p.name[:3]: p for p in paths}
    _set(f["001"], {f"G{row['ldr_meetings']}": None})  # missing
    _set(f["002"], {f"G{row['org_three_one']}": 150.0})  # out of range (a percentage)
    _set(f["003"], {f"G{row['ide_group_study']}": "十二次"})  # not a number
    _set(f["004"], {f"G{row['ldr_secretary_report']}": "优"})  # not one of 好/较好/一般/差
    _set(f["005"], {f"G{row['ldr_responsibility']}": 1.5})  # a checklist counts whole items
    _set(f["006"], {f"G{row['ide_member_training']}": "=95+1"})  # a formula
    _set(f["007"], {"C5": "随便改的名字", "B6": "ldr_meetings"})  # locked cells typed over
    dup = folder / "区委办公室_第二次报送.xlsx"  # the same unit again, with another figure
    dup.write_bytes(f["008"].read_bytes())
    _set(dup, {f"G{row['ldr_funding']}": 12.0})
    same = folder / "重复一份.xlsx"  # an identical second copy: kept once, with a warning
    same.write_bytes(f["009"].read_bytes())
    (folder / "伪装成表格.xlsx").write_bytes("这只是一段文字。".encode())
    broken = f["010"].read_bytes()
    (folder / "损坏的压缩包.xlsx").write_bytes(broken[: len(broken) // 2])
    f["010"].unlink()  # unit 010 sent only the broken copy: it is listed as not returned
    from msoffcrypto.format.ooxml import OOXMLFile  # test-only dependency (MIT)

    enc = io.BytesIO()
    OOXMLFile(io.BytesIO(f["011"].read_bytes())).encrypt("123456", enc)
    (folder / "加密.xlsx").write_bytes(enc.getvalue())
    f["011"].unlink()
    (folder / "会议通知.docx").write_bytes(b"PK\x03\x04 not a spreadsheet")
    stray = openpyxl.Workbook()
    stray.active["A1"] = "本单位无数据"
    stray.save(folder / "无关表格.xlsx")
    far = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    far += b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
    far += b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>'
    (folder / "巨大的表.xlsx").write_bytes(_raw_workbook(far))
    many = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (r, r) for r in range(1, 600_002))
    (folder / "六十万格.xlsx").write_bytes(
        _raw_workbook(
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            + many
            + b"</sheetData></worksheet>"
        )
    )
    bomb = b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
    (folder / "实体炸弹.xlsx").write_bytes(
        _raw_workbook(
            bomb
            + b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>'
        )
    )
    (folder / "~$001_区委办公室.xlsx").write_bytes(b"lock file")  # Excel's owner file: ignored
    units = pd.concat(
        [
            data[["name", "category"]],
            pd.DataFrame({"name": ["新设单位"], "category": ["群团及其他"]}, index=pd.Index(["099"])),
        ]
    )
    return rubric, data, folder, units, row


def test_broken_returns_are_reported_with_file_and_cell_and_the_rest_is_collected(corpus):
    rubric, data, folder, units, row = corpus
    before = _hashes(folder)
    result = collect(folder, rubric, units=units)
    assert _hashes(folder) == before  # nothing in the folder was modified
    p = result.problems
    got = {
        (r.file[:3] if r.file[:3].isdigit() else r.file, r.kind, r.cell, r.severity) for r in p.itertuples()
    }
    expected = {
        ("001", "missing", f"G{row['ldr_meetings']}", "error"),
        ("002", "out_of_range", f"G{row['org_three_one']}", "error"),
        ("003", "not_a_number", f"G{row['ide_group_study']}", "error"),
        ("004", "unknown_grade", f"G{row['ldr_secretary_report']}", "error"),
        ("005", "not_whole", f"G{row['ldr_responsibility']}", "error"),
        ("006", "formula", f"G{row['ide_member_training']}", "error"),
        ("007", "locked_altered", "C5", "warning"),
        ("007", "locked_altered", "B6", "warning"),
        ("008", "duplicate_unit", "B2", "error"),
        ("区委办公室_第二次报送.xlsx", "duplicate_unit", "B2", "error"),
        ("重复一份.xlsx", "duplicate_unit", "B2", "warning"),
        ("伪装成表格.xlsx", "unreadable", "", "error"),
        ("损坏的压缩包.xlsx", "unreadable", "", "error"),
        ("加密.xlsx", "unreadable", "", "error"),
        ("会议通知.docx", "not_a_return", "", "error"),
        ("无关表格.xlsx", "not_a_return", "", "error"),
        ("巨大的表.xlsx", "unreadable", "", "error"),
        ("六十万格.xlsx", "unreadable", "", "error"),
        ("实体炸弹.xlsx", "unreadable", "", "error"),
        ("", "not_returned", "", "error"),  # 010 (broken copy only), 011 (encrypted only), 099
    }
    assert got == expected
    assert sorted(p.loc[p["kind"] == "not_returned", "unit"]) == ["010", "011", "099"]
    reasons = p.set_index("file")["message"]
    assert "password" in reasons["加密.xlsx"] and "not an Excel" in reasons["伪装成表格.xlsx"]
    assert "damaged" in reasons["损坏的压缩包.xlsx"] and "too large" in reasons["六十万格.xlsx"]
    assert "XFD1048576" in reasons["巨大的表.xlsx"] or "too large" in reasons["巨大的表.xlsx"]
    # every other unit is collected with its figures; a typed-over code does not move a value
    t = result.table
    assert "008" not in t.index and {"001", "009", "007"} <= set(t.index)
    assert t.at["007", "ldr_meetings"] == data.at["007", "ldr_meetings"]
    assert t.at["007", "ldr_secretary_report"] == data.at["007", "ldr_secretary_report"]
    assert np.isnan(t.at["006", "ide_member_training"])  # a formula's cached value is never used
    assert np.isnan(t.at["002", "org_three_one"]) and np.isnan(t.at["001", "ldr_meetings"])
    assert set(result.ready.index) == set(data.index) - {
        "001",
        "002",
        "003",
        "004",
        "005",
        "006",
        "008",
        "010",
        "011",
    }
    good = result.ready.index
    _assert_same_values(rubric, result.table.loc[good], data.loc[good])
    status = result.files.set_index("file")["status"]
    assert (
        status["加密.xlsx"] == "skipped"
        and status["009_区工商联.xlsx" if False else "重复一份.xlsx"] == "collected"
    )
    assert "~$001_区委办公室.xlsx" not in status.index


def test_problem_list_speaks_chinese_and_is_written_beside_not_inside(corpus, tmp_path):
    rubric, _data, folder, units, _row = corpus
    with use_language("zh"):
        result = collect(folder, rubric, units=units)
        table = result.problem_table()
        assert list(table.columns[:4]) == ["文件", "单位代码", "单位名称", "单元格"]
        assert set(table["严重程度"]) == {"错误", "提醒"}
        missing = result.problems.loc[result.problems["kind"] == "missing", "message"].iloc[0]
        assert "缺少" in missing or "未填" in missing
        written = result.write(tmp_path / "out" / "汇总.xlsx")
        feedback = result.write_feedback(tmp_path / "out" / "反馈")
    book = openpyxl.load_workbook(written[0])
    assert book.sheetnames[:3] == ["汇总表", "问题清单", "报送情况"]
    assert len(feedback) == result.problems.loc[result.problems["file"] != "", "file"].nunique()
    with pytest.raises(OutputError, match="returns folder"):
        result.write(folder / "汇总.xlsx")
    assert not (folder / "汇总.xlsx").exists()


def test_unknown_units_and_ids_from_file_names(tmp_path):
    rubric, data = _source("county")
    folder = tmp_path / "returns"
    folder.mkdir()
    fields = rubric_fields(rubric)
    blank = template_bytes(rubric)  # no unit pre-filled: the unit types its id, or the file name says it
    for name, uid, typed in (("a.xlsx", "001", "001"), ("002_区政府办公室.xlsx", "002", None), ("区人大常委会办公室.xlsx", "003", None),
                             ("x.xlsx", "777", "777"), ("随便.xlsx", None, None)):  # fmt: skip
        (folder / name).write_bytes(blank)
        values = {"B2": typed} if typed else {}
        _set(folder / name, values)
        if uid in data.index:
            _fill_indicator_form(folder / name, data.loc[uid], fields)
    result = collect(folder, rubric, units=data[["name", "category"]])
    p = result.problems.set_index("file")
    assert set(result.table.index) == {"001", "002", "003"}
    assert "unknown_unit" in set(p.loc[["x.xlsx"], "kind"]) and p.loc["随便.xlsx", "kind"] == "no_unit"


def test_simulated_returns_match_what_collection_finds(tmp_path):
    rubric, data = wb.examples.load_example("county", up_to="data")
    data = data.iloc[:30]
    truth = simulate_returns(rubric, data, tmp_path / "returns", seed=5, csv_units=2)
    again = simulate_returns(rubric, data, tmp_path / "again", seed=5, csv_units=2)
    pd.testing.assert_frame_equal(truth, again)  # same seed, same plan
    result = collect(tmp_path / "returns", rubric, units=data[["name", "category"]])
    p = result.problems
    found = {(r.file, r.kind, r.cell) for r in p.itertuples()}
    for r in truth.itertuples():  # every planted problem is found where it was planted
        assert (r.file, r.kind, r.cell if r.kind not in ("duplicate_unit",) else "B2") in found, r
    assert len(p) == len(truth)  # and nothing else: the county's own data are clean
    assert ((result.files["format"] == "csv") & (result.files["status"] == "collected")).sum() == 2
    with pytest.raises(SpecError, match="not empty"):
        simulate_returns(rubric, data, tmp_path / "returns", seed=5)
    with pytest.raises(SpecError, match="unknown problem"):
        simulate_returns(rubric, data, tmp_path / "new", problems={"typo": 1})


def test_peer_checks_in_the_same_pass(tmp_path):
    rubric, data = wb.examples.load_example("county", up_to="data")
    data = data.copy()
    data.loc["D003", "ide_member_training"] = 61.0  # far below peers that report about 96%
    simulate_returns(rubric, data, tmp_path / "r", seed=2, problems={})
    result = collect(tmp_path / "r", rubric, check={"peer_threshold": 5.0})
    flags = result.checks.flags
    hit = flags.loc[(flags["unit"] == "D003") & (flags["indicator"] == "ide_member_training")]
    assert len(hit) == 1 and hit["check"].iloc[0] == "peer_deviation"


def test_text_from_returns_never_becomes_a_formula_in_the_outputs(tmp_path):
    rubric, data = _source("county", step=20)
    folder = tmp_path / "returns"
    folder.mkdir()
    table = data.copy()
    table["name"] = '=HYPERLINK("http://example.invalid","点我")'
    table["ldr_meetings"] = table["ldr_meetings"].astype(object)
    table.iloc[0, table.columns.get_loc("ldr_meetings")] = "=cmd|' /C calc'!A0"
    table.to_csv(folder / "表.csv")
    (folder / "老格式.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    result = collect(folder, rubric)
    kinds = result.problems.set_index("file")["kind"]
    assert (
        kinds["老格式.xls"] == "unreadable"
        and "xls" in result.problems.set_index("file").at["老格式.xls", "message"]
    )
    p = result.problems
    assert set(p.loc[(p["file"] == "表.csv") & (p["severity"] == "error"), "kind"]) == {"not_a_number"}
    out = result.write(tmp_path / "out.xlsx")[0]
    book = openpyxl.load_workbook(out)
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # nothing the spreadsheet would run
    assert any(str(c.value).startswith("'=HYPERLINK") for c in cells)


def test_percentages_typed_with_a_sign_or_as_shares(tmp_path):
    rubric, data = _source("county", step=30)
    fields = rubric_fields(rubric)
    folder = tmp_path / "returns"
    paths = write_unit_templates(rubric, data[["name", "category"]], folder)
    for path, (_uid, r) in zip(paths, data.iterrows()):
        _fill_indicator_form(path, r, fields)
    row = {f.code: 5 + i for i, f in enumerate(fields)}
    _set(paths[0], {f"G{row['ldr_funding']}": "９５％", f"G{row['ldr_meetings']}": "5%"})  # typed as text
    _set(paths[1], {f"G{row['org_dues']}": 0.98})  # 98% typed into Excel becomes 0.98
    result = collect(folder, rubric)
    p = result.problems.set_index(["unit", "field"])
    assert result.table.at["001", "ldr_funding"] == 95.0  # a percentage item takes 95%
    assert p.loc[("001", "ldr_meetings"), "kind"] == "not_a_number"  # a count does not
    assert (p.loc[("002", "org_dues"), "kind"], p.loc[("002", "org_dues"), "severity"]) == (
        "out_of_range",
        "warning",
    )
    assert result.table.at["002", "org_dues"] == 0.98  # kept, with a reminder to check it


def test_formula_like_rubric_and_unit_names_are_text_on_the_form(tmp_path):
    import dataclasses

    rubric, data = _source("county", step=40)
    hostile = '=HYPERLINK("http://example.invalid","点我")'
    node = dataclasses.replace(rubric.nodes["ldr_meetings"], name=hostile)
    rubric = dataclasses.replace(rubric, nodes={**rubric.nodes, "ldr_meetings": node})
    units = data[["name", "category"]].assign(name="=1+1")
    paths = write_unit_templates(rubric, units, tmp_path / "r")
    sheet = openpyxl.load_workbook(paths[0]).worksheets[0]
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert sheet["C5"].value == "'" + hostile and sheet["D2"].value == "'=1+1"
    for path, (_uid, r) in zip(paths, data.iterrows()):
        _fill_indicator_form(path, r, rubric_fields(rubric))
    result = collect(tmp_path / "r", rubric)
    assert result.problems.empty  # the neutralised text is what the form's hidden copy expects
