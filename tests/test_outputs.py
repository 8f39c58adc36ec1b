"""Outputs: no writer emits a formula, atomic and all-or-none writes, path guards, input limits."""

from __future__ import annotations

import csv
import os
import re
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import workbench as wb
from workbench.cli import main
from workbench.errors import DataError, OutputError, RubricError, SpecError
from workbench.io import (
    FORMULA_PREFIXES,
    check_outputs,
    clean_orphans,
    neutralise_formulas,
    safe_cell,
    safe_filename,
    write_files,
    write_table,
)

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = ['=HYPERLINK("http://x","点我")', "=cmd|' /C calc'!A0", "@SUM(1+1)", "+1+1", "-2+3", "\t=1", "\r=1"]
# tabs and carriage returns in names are refused at input (control characters), so only the
# writer-level tests (write_table, the anomaly report) carry them
IN_DATA = HOSTILE[:5]
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?$")


def _unsafe_text(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not _NUMBER.match(value)


def assert_no_formulas(path: Path) -> None:
    """No cell of a written table is a formula (xlsx) or starts like one (CSV)."""
    if path.suffix == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path)
        for ws in book:
            for row in ws.iter_rows():
                for c in row:
                    assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                    assert not _unsafe_text(c.value), (ws.title, c.coordinate, c.value)
    elif path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for r, row in enumerate(csv.reader(fh)):
                for value in row:
                    assert not _unsafe_text(value), (path.name, r, value)


# ------------------------------------------------------------------ every writer, hostile strings
def _hostile_data(tmp_path) -> Path:
    frame = pd.read_csv(ROOT / "data" / "samples" / "county_organs.csv", dtype={"unit": str})
    frame.loc[: len(IN_DATA) - 1, "name"] = IN_DATA
    frame.loc[len(IN_DATA) : 2 * len(IN_DATA) - 1, "unit"] = IN_DATA
    p = tmp_path / "units.csv"
    frame.to_csv(p, index=False)
    return p


def _score(tmp_path, suffix):
    out = tmp_path / "out" / f"scores{suffix}"
    assert (
        main(["score", "--data", str(_hostile_data(tmp_path)), "--out", str(out), "--names", "--mkdir"]) == 0
    )
    return [out]


def _ahp(tmp_path):
    text = (ROOT / "data" / "samples" / "expert_panel.csv").read_text(encoding="utf-8")
    for i, h in enumerate(IN_DATA[1:5], start=1):  # no commas: one cell each
        text = text.replace(f"\nE0{i},", f"\n{h.replace(chr(34), '')},", 1)
    sheet = tmp_path / "panel.csv"
    sheet.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["ahp", "--sheet-file", str(sheet), "--out", str(out), "--n-boot", "0"]) == 0
    return sorted(out.glob("*.csv"))


def _simulate(tmp_path):
    text = (ROOT / "indicators" / "comprehensive_2pct.yaml").read_text(encoding="utf-8")
    r = tmp_path / "r.yaml"
    r.write_text(text.replace("code: comprehensive_2pct", "code: '@SUM(1+1)'", 1), encoding="utf-8")
    out = tmp_path / "out"
    args = ["simulate", "--rubric", str(r), "--data", str(_hostile_data(tmp_path)), "--values", "0.02,0.2"]
    assert main([*args, "--out", str(out)]) == 0
    return sorted(out.glob("*.csv"))


def _anomalies(tmp_path):
    f = pd.read_csv(ROOT / "data" / "samples" / "report_filings.csv", dtype={"unit": str}).head(200)
    f.loc[f.index[: len(HOSTILE)], "unit_name"] = HOSTILE
    f["members_total"] = f["members_total"].astype(float)
    f.loc[f.index[: len(HOSTILE)], "members_total"] = 1e7
    rep = wb.anomalies.check_report(f)
    assert set(HOSTILE) <= set(rep.flags["unit_name"])
    return [rep.to_csv(tmp_path / "flags.csv"), rep.to_excel(tmp_path / "flags.xlsx")]


def _write_table(tmp_path):
    frame = pd.DataFrame({"text": HOSTILE, "x": -np.arange(len(HOSTILE), dtype=float)}, index=HOSTILE)
    frame.columns = ["=A1", "-x"]
    return [
        write_table(tmp_path / "t.csv", frame),
        write_table(tmp_path / "t.xlsx", {"=sheet": frame, "b": frame}),
    ]


def _questionnaire(tmp_path):
    cands = pd.DataFrame(
        {"code": [f"i{k}" for k in range(len(HOSTILE))], "name": HOSTILE, "description": HOSTILE}
    )
    return [wb.delphi.write_questionnaire(tmp_path / "q.xlsx", cands, expert="=cmd|' /C calc'!A0")]


WRITERS = {
    "score-csv": lambda p: _score(p, ".csv"),
    "score-xlsx": lambda p: _score(p, ".xlsx"),
    "ahp-csv": _ahp,
    "simulate-csv": _simulate,
    "anomaly-report": _anomalies,
    "write_table": _write_table,
    "delphi-questionnaire": _questionnaire,
}


@pytest.mark.parametrize("writer", list(WRITERS))
def test_no_writer_emits_a_formula(writer, tmp_path):
    files = WRITERS[writer](tmp_path)
    assert files
    for path in files:
        assert_no_formulas(path)


def test_every_table_writer_in_src_goes_through_write_table():
    """Walk the sources: pandas writers appear only in the one formula-safe module."""
    src = ROOT / "src" / "workbench"
    for path in src.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name == "_outputs.py":
            continue
        for pattern in (".to_csv(", ".to_excel(", "ExcelWriter(", "openpyxl.Workbook"):
            assert pattern not in text.replace("def to_csv(", "").replace("def to_excel(", ""), (
                path,
                pattern,
            )
        # a module that builds workbooks cell by cell (drop-down lists, locked cells) must pass
        # every value through safe_cell; it is then one of the writers walked above
        if re.search(r"from openpyxl import[^\n]*\bWorkbook\b", text):
            assert "safe_cell(" in text, path


def test_safe_cell_keeps_numbers_and_plain_negative_numbers():
    assert [safe_cell(v) for v in HOSTILE] == ["'" + v for v in HOSTILE]
    assert safe_cell("-5") == "-5" and safe_cell("+3.5") == "+3.5" and safe_cell("-12%") == "-12%"
    assert safe_cell(-5.0) == -5.0 and safe_cell(None) is None and safe_cell("正常") == "正常"


def test_negative_scores_stay_numeric_cells(tmp_path):
    import openpyxl

    frame = pd.DataFrame(
        {"score": [-3.5, 2.0], "name": ["-2+3", "ok"]}, index=pd.Index(["a", "b"], name="unit")
    )
    ws = openpyxl.load_workbook(write_table(tmp_path / "t.xlsx", frame)).active
    assert ws["B2"].value == -3.5 and ws["B2"].data_type == "n"
    assert ws["C2"].value == "'-2+3" and ws["C2"].data_type == "s"
    back = pd.read_csv(write_table(tmp_path / "t.csv", frame), encoding="utf-8-sig")
    assert back["score"].tolist() == [-3.5, 2.0]


def test_neutralise_formulas_leaves_the_input_alone():
    frame = pd.DataFrame({"a": ["=1", "x"], "g": pd.Categorical(["@a", "b"])})
    out = neutralise_formulas(frame)
    assert frame["a"].tolist() == ["=1", "x"] and out["a"].tolist() == ["'=1", "x"]
    assert list(out["g"].cat.categories) == ["'@a", "b"]


def test_too_many_rows_for_excel_is_an_output_error(tmp_path):
    frame = pd.DataFrame({"x": np.zeros(1_048_576, dtype=np.int8)})
    with pytest.raises(OutputError, match="more than an Excel sheet holds"):
        write_table(tmp_path / "big.xlsx", frame)
    assert not list(tmp_path.iterdir())


# ------------------------------------------------------------------ paths
def test_safe_filename():
    assert safe_filename("../../elsewhere/evil") == "elsewhere_evil"
    assert safe_filename("/etc/x") == "etc_x" and safe_filename("a\\b") == "a_b"
    assert safe_filename("重庆 机关") == "重庆 机关" and safe_filename("CON") == "_CON"
    assert safe_filename("..") == "output" and safe_filename("a\u202eb\x00") == "a_b"
    assert len(safe_filename("长" * 200).encode()) <= 120


def test_check_outputs_sees_through_links(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("x", encoding="utf-8")
    (tmp_path / "sym.csv").symlink_to(data)
    os.link(data, tmp_path / "hard.csv")
    for out in ("d.csv", "sym.csv", "hard.csv", "sub/../d.csv"):
        (tmp_path / "sub").mkdir(exist_ok=True)
        with pytest.raises(OutputError, match="would replace the input"):
            check_outputs([data], [tmp_path / out])
    check_outputs([data], [tmp_path / "new.csv"], folder=tmp_path)
    with pytest.raises(OutputError, match="outside the output folder"):
        check_outputs([], [tmp_path.parent / "x.csv"], folder=tmp_path)


def test_write_files_is_all_or_none(tmp_path, monkeypatch):
    (tmp_path / "b.csv").write_text("old", encoding="utf-8")
    real = os.replace
    calls = []

    def flaky(src, dst):
        calls.append(dst)
        if len(calls) == 1:
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    with pytest.raises(OutputError, match="No space left"):
        write_files({tmp_path / "a.csv": b"1", tmp_path / "b.csv": b"2"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.csv"]
    assert (tmp_path / "b.csv").read_text(encoding="utf-8") == "old"


def test_orphans_of_a_killed_run_are_cleaned(tmp_path):
    dead = 2**22 + 12345  # beyond pid_max on Linux: no such process
    (tmp_path / f".scores.csv.wbtmp-{dead}-abc").write_bytes(b"half")
    (tmp_path / f".wbstage-{dead}-xyz").mkdir()
    (tmp_path / f".other.wbtmp-{os.getpid()}-live").write_bytes(b"in progress")
    assert clean_orphans(tmp_path) == 2
    assert [p.name for p in tmp_path.iterdir()] == [f".other.wbtmp-{os.getpid()}-live"]
    write_table(tmp_path / "t.csv", pd.DataFrame({"x": [1]}))  # a write cleans as it goes, too


def test_atomic_writes_are_fsynced_before_the_rename(tmp_path, monkeypatch):
    events = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (events.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (events.append("replace"), real_replace(a, b))[1])
    write_table(tmp_path / "t.csv", pd.DataFrame({"x": [1]}))
    assert events[:2] == ["fsync", "replace"]


# ------------------------------------------------------------------ limits and the loader
def test_alias_bomb_refused_fast_and_small(tmp_path):
    import tracemalloc

    from bad_inputs._make import alias_bomb

    p = tmp_path / "bomb.yaml"
    p.write_text(alias_bomb(levels=12), encoding="utf-8")
    tracemalloc.start()
    t = time.perf_counter()
    with pytest.raises(RubricError, match="100,000 extra values"):
        wb.load_rubric(p)
    elapsed = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 1.0 and peak < 20e6, (elapsed, peak)


def test_shared_anchors_within_budget_are_fine(tmp_path):
    from workbench._yaml import load_yaml

    text = "r: &r {type: target_ratio, target: 4}\nitems: [" + ", ".join(["*r"] * 500) + "]\n"
    data, lines = load_yaml(text, lines=True)
    assert len(data["items"]) == 500 and lines["items"] == 2


def test_yaml_limits_name_the_limit():
    from workbench._yaml import YamlLimits, load_yaml

    with pytest.raises(SpecError, match="over the limit of 10 bytes"):
        load_yaml("a: 12345678901", error=SpecError, limits=YamlLimits(max_bytes=10))
    with pytest.raises(SpecError, match="nests 4 levels deep, over the limit of 3"):
        load_yaml("a: [[[1]]]", error=SpecError, limits=YamlLimits(max_depth=3))


def test_excel_cell_count_limit(tmp_path, monkeypatch):
    import workbench.io._limits as limits

    p = tmp_path / "t.xlsx"
    pd.DataFrame({"unit": list("ABCDEFGH"), "x": range(8)}).to_excel(p, index=False)
    monkeypatch.setattr(limits, "TABLE_LIMITS", limits.TableLimits(max_cells=10))
    monkeypatch.setattr(limits.check_xlsx, "__defaults__", (limits.TABLE_LIMITS,))
    with pytest.raises(DataError, match="18 cells, over the limit of 10"):
        wb.read_table(p)


def test_names_with_controls_never_reach_the_terminal(tmp_path, capsys):
    p = tmp_path / "r.yaml"
    p.write_text('code: x\nname: "a\\e[2Jb\\u202e"\nblocks: []\n', encoding="utf-8")
    assert main(["check", str(p)]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\u202e" not in err and "U+001B" in err


# ------------------------------------------------------------------ silent changes, now visible
def test_minmax_flat_column_same_share_both_directions(tmp_path):
    rubric = tmp_path / "r.yaml"
    rubric.write_text(
        "code: mm\nname: 最小最大\nscale: 100\nblocks:\n"
        "  - {code: b, name: 板块, weight: 100, indicators: [\n"
        "      {code: up, name: 越高越好, weight: 50, rule: {type: minmax}},\n"
        "      {code: down, name: 越低越好, weight: 50, direction: -1, rule: {type: minmax}}]}\n",
        encoding="utf-8",
    )
    r = wb.load_rubric(rubric)
    flat = pd.DataFrame(
        {"up": [3.0, 3.0, 3.0], "down": [3.0, 3.0, 3.0]}, index=pd.Index(list("abc"), name="unit")
    )
    # peers who all report the same value cannot be told apart: full marks in either direction
    assert wb.score(r, flat).shares.to_numpy().tolist() == [[1.0, 1.0]] * 3
    varied = pd.DataFrame({"up": [1.0, 2.0, 3.0], "down": [1.0, 2.0, 3.0]}, index=flat.index)
    assert wb.score(r, varied).shares.to_numpy().tolist() == [[0.0, 1.0], [0.5, 0.5], [1.0, 0.0]]


def test_category_labels_compared_in_normal_form(small_rubric_path, tmp_path):
    text = small_rubric_path.read_text(encoding="utf-8") + "categories: {column: cat}\n"
    r = tmp_path / "cat.yaml"
    r.write_text(text, encoding="utf-8")
    d = tmp_path / "d.csv"
    d.write_text("unit,cat,meet,eval,rate,check,h1,h2,d1,v1\nA,机关,4,优,100,0,0,0,0,0\nB,机关 ,4,良,95,2,0,0,0,0\n"
                 "C,机关\u200b,5,中,90,1,0,0,0,0\n", encoding="utf-8")  # fmt: skip
    rubric = wb.load_rubric(r)
    card = wb.score(rubric, wb.read_table(d, rubric=rubric))
    assert card.rank_in_category.tolist() == card.rank.tolist()  # one category, not three


def test_simulate_values_capped():
    from workbench.cli import MAX_SWEEP_POINTS, _values

    assert len(_values(f"0:{MAX_SWEEP_POINTS - 1}:1")) == MAX_SWEEP_POINTS
    with pytest.raises(wb.WorkbenchError, match="points; at most"):
        _values(f"0:{MAX_SWEEP_POINTS}:1")


def test_save_rubric_header_cannot_smuggle_yaml(tmp_path, small_rubric_path):
    r = wb.load_rubric(small_rubric_path)
    from dataclasses import replace

    odd = replace(r, name="方案\nscale: 1\n# 注释")
    p = wb.save_rubric(odd, tmp_path / "odd.yaml")
    again = wb.load_rubric(p)
    assert again.name == odd.name and again.scale == r.scale


def test_a_reader_that_goes_away_is_not_an_internal_error(tmp_path):
    """`workbench ... | head`: the pipe closes early; exit 141 (as a shell reports SIGPIPE), no traceback."""
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "workbench", "check", str(ROOT / "indicators" / "cq_organs.yaml")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait() == 141 and "Traceback" not in err and "internal error" not in err, err
