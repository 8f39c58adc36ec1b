"""Hostile and broken data tables: CSV (UTF-8, BOM, GBK), Excel and Parquet."""

from __future__ import annotations

import pandas as pd

import workbench as wb
from workbench.errors import DataError

from ._make import (
    SMALL_DATA,
    SMALL_RUBRIC,
    Setup,
    add_zip_part,
    case,
    cell,
    check_argv,
    data,
    replace_zip_part,
    rows,
    rubric,
    score_argv,
    write,
    xlsx,
)

CAT_RUBRIC = SMALL_RUBRIC + "categories: {column: cat}\n"
WEIGHTED = (
    SMALL_RUBRIC
    + "scheme: {type: weighted, party_weight: 0.1, other: {column: econ, name: 经济, scale: 100}}\n"
)


def _csv_case(id, text, where=(), *, rubric_text=SMALL_RUBRIC, encoding="utf-8", name="d.csv"):
    """Score a CSV built from ``text`` (str, bytes, or a function of SMALL_DATA)."""

    def make(folder, out):
        body = text(SMALL_DATA) if callable(text) else text
        d = write(folder, name, body, encoding)
        r = rubric(folder, rubric_text)
        return Setup(score_argv(r, d, out), name, api=lambda: wb.read_table(d, rubric=wb.load_rubric(r)))

    case(f"csv-{id}", "data CSV", error=DataError, where=where)(make)


def _with(unit, column, value):
    return lambda t: cell(t, unit, column, value)


def _append(line):
    return lambda t: t + line + "\n"


# ---- ids that look alike after Unicode normalisation
_csv_case("fullwidth-id-digits", "unit,meet,eval,rate,check,h1,h2,d1,v1\n００１,4,优,100,0,0,0,0,0\n001,4,优,100,0,0,0,0,0\n",
          ("'００１' (row 2) and '001' (row 3)",))  # fmt: skip
_csv_case(
    "fullwidth-id-letter",
    lambda t: t.replace("\nA,", "\nＡ,", 1) + "A,4,优,100,0,0,0,0,0\n",
    ("row 2", "row 6"),
)
_csv_case("zero-width-in-id", lambda t: t.replace("\nB,", "\nA\u200b,", 1), ("row 2", "row 3"))
_csv_case("trailing-space-id", lambda t: t.replace("\nB,", "\nA ,", 1), ("appears more than once",))
_csv_case(
    "ligature-id", lambda t: t.replace("\nA,", "\nﬁ1,", 1).replace("\nB,", "\nfi1,", 1), ("row 2", "row 3")
)
_csv_case("nbsp-id", lambda t: t.replace("\nB,", "\nA\u00a0,", 1), ("row 3",))
_csv_case("empty-id", lambda t: t.replace("\nB,", "\n,", 1), ("row 3", "empty"))
_csv_case("rlo-in-id", lambda t: t.replace("\nB,", "\nB\u202e1,", 1), ("row 3", "U+202E"))
_csv_case("nul-in-id", lambda t: t.replace("\nB,", "\nB\x00,", 1), ("row 3", "U+0000"))
_csv_case("esc-in-name", "unit,name,meet,eval,rate,check,h1,h2,d1,v1\nA,区\x1b[2J委,4,优,100,0,0,0,0,0\n",
          ("row 2", "column 'name'", "U+001B"))  # fmt: skip

# ---- numbers: non-finite, overflowing, out of scale
_csv_case("indicator-inf", _with("A", "meet", "inf"), ("row 2", "column 'meet'", "not a finite"))
_csv_case("indicator-minus-inf", _with("B", "meet", "-inf"), ("row 3", "column 'meet'"))
_csv_case("indicator-Infinity-text", _with("A", "eval", "Infinity"), ("row 2", "column 'eval'"))
_csv_case("indicator-1e308", _with("A", "meet", "1e308"), ("row 2", "too large"))
_csv_case("bonus-count-Infinity", _with("A", "h1", "Infinity"), ("row 2", "column 'h1'"))
_csv_case("bonus-count-1e308", _with("A", "h1", "1e308"), ("row 2", "column 'h1'"))
_csv_case("deduction-count-negative", _with("A", "d1", "-3"), ("row 2", "column 'd1'"))
_csv_case("nan-text-required", _with("A", "meet", "nan"), ("row 2", "column 'meet'"))
_csv_case("not-a-number", _with("A", "meet", "四次"), ("row 2", "not a number"))
_csv_case("checklist-negative", _with("A", "check", "-1"), ("row 2", "column 'check'"))
_csv_case("veto-flag-unknown", _with("A", "v1", "maybe"), ("row 2", "column 'v1'"))
_csv_case("grade-unknown", _with("A", "eval", "极好"), ("row 2", "column 'eval'"))
_csv_case(
    "other-score-99999",
    lambda t: _econ(t, "99999"),
    ("row 2", "column 'econ'", "0..100"),
    rubric_text=WEIGHTED,
)
_csv_case("other-score-inf", lambda t: _econ(t, "inf"), ("row 2", "column 'econ'"), rubric_text=WEIGHTED)
_csv_case("other-score-negative", lambda t: _econ(t, "-5"), ("row 2", "column 'econ'"), rubric_text=WEIGHTED)


def _econ(text, first):
    lines = text.strip().splitlines()
    lines[0] += ",econ"
    lines[1:] = [ln + ("," + first if i == 0 else ",80") for i, ln in enumerate(lines[1:])]
    return "\n".join(lines) + "\n"


# ---- encodings and structure
_MIXED = b"unit,name,meet,eval,rate,check,h1,h2,d1,v1\n"
_csv_case("utf8-then-gbk-row", _MIXED + "A,区财政局,4,优,100,0,0,0,0,0\n".encode() + "B,区发改委,4,优,100,0,0,0,0,0\n".encode("gbk"),
          ("row 3", "mixes encodings"))  # fmt: skip
_csv_case("gbk-then-utf8-row", _MIXED + "A,区财政局,4,优,100,0,0,0,0,0\n".encode("gbk") + "B,区发改委,4,优,100,0,0,0,0,0\n".encode(),
          ("row 3", "mixes encodings"))  # fmt: skip
_csv_case(
    "bom-then-gbk-row", b"\xef\xbb\xbf" + _MIXED + "A,区财政局,4,优,100,0,0,0,0,0\n".encode("gbk"), ("row 2",)
)
_csv_case("undecodable-bytes", _MIXED + b"A,\xff\xfe\xfa,4,\x81,100,0,0,0,0,0\n", ("line 2",))
_csv_case(
    "repeated-column",
    lambda t: t.replace("eval,rate", "meet,rate", 1),
    ("columns B ('meet') and C ('meet')",),
)
_csv_case(
    "repeated-after-spaces", lambda t: t.replace("eval,rate", "meet ,rate", 1), ("'meet '", "invisible")
)
_csv_case("repeated-fullwidth", lambda t: t.replace("eval,rate", "ｍｅｅｔ,rate", 1), ("columns B",))
_csv_case("empty-file", "", ("empty",))
_csv_case("header-only", "unit,meet\n", ("no rows",))
_csv_case("ragged-row", lambda t: t + "E,1,2,3,4,5,6,7,8,9,10,11\n", ("line 6",))
_csv_case("missing-column", lambda t: t.replace(",v1", ",v2"), ("'v1'",))
_csv_case("binary-garbage", bytes(range(256)) * 4, ("no unit id column",))
_csv_case("wrong-suffix", SMALL_DATA, ("unsupported file type",), name="d.json")


def _folder_as_data(folder, out):
    d = folder / "d.csv"
    d.mkdir()
    r = rubric(folder)
    return Setup(score_argv(r, d, out), "d.csv", api=lambda: wb.read_table(d))


case("csv-path-is-a-folder", "data CSV", error=DataError, where=("folder",))(_folder_as_data)


def _huge(folder, out):
    d = folder / "d.csv"
    with d.open("wb") as fh:
        fh.write(SMALL_DATA.encode())
        fh.truncate(3 * 1024**3)  # sparse: refused from its size, never read
    r = rubric(folder)
    return Setup(score_argv(r, d, out), "d.csv", api=lambda: wb.read_table(d))


case("csv-over-size-limit", "data CSV", error=DataError, where=("over the limit",))(_huge)


# ---- documented safe handling
def _safe_score(id, text, safe, *, out_name="scores.csv", rubric_text=SMALL_RUBRIC, check=None):
    def make(folder, out):
        d = data(folder, text)
        r = rubric(folder, rubric_text)
        argv = ["score", "--rubric", str(r), "--data", str(d), "--out", str(out / out_name)]
        return Setup(argv, "d.csv", check=check or _formulas_safe)

    case(f"csv-{id}", "data CSV", safe=safe)(make)


def _formulas_safe(out):
    from .cases_rubric import _no_formulas

    _no_formulas(out)


_FORMULA_DATA = (
    "unit,name,meet,eval,rate,check,h1,h2,d1,v1\n"
    '=1+1,"=HYPERLINK(""http://x"",""点我"")",4,优,100,0,0,0,0,0\n'
    "-2+3,\"=cmd|' /C calc'!A0\",4,良,95,2,0,0,0,0\n"
    "@SUM(1+1),+1+1,5,中,90,1,0,0,0,0\n"
    "D,'=2+2,4,优,100,0,0,0,0,0\n"
)
_safe_score("formula-names-to-csv", _FORMULA_DATA, "cells written with a leading ' (OWASP)")
_safe_score("formula-names-to-xlsx", _FORMULA_DATA, "text cells, never formula cells", out_name="scores.xlsx")
_safe_score(
    "html-in-names",
    "unit,name,meet,eval,rate,check,h1,h2,d1,v1\nA,<script>alert(1)</script>,4,优,100,0,0,0,0,0\n",
    "kept as text; escaped where HTML is written",
)
_safe_score(
    "header-with-trailing-space", SMALL_DATA.replace("unit,", "unit ,", 1), "headers compared in normal form"
)


def _categories_normalised(out):
    frame = pd.read_csv(out / "scores.csv", encoding="utf-8-sig", dtype=str)
    assert set(frame["类别"]) == {"机关"}, frame["类别"].tolist()  # score --out: Chinese headers


_safe_score(
    "category-trailing-space",
    "unit,cat,meet,eval,rate,check,h1,h2,d1,v1\nA,机关,4,优,100,0,0,0,0,0\nB,机关 ,4,良,95,2,0,0,0,0\n"
    "C,机关\u200b,5,中,90,1,0,0,0,0\nD,ＣＡＴ,4,优,100,0,0,0,0,0\n".replace("ＣＡＴ", "机关\u3000"),
    "labels compared in normal form (NFKC, spaces, zero-width)",
    rubric_text=CAT_RUBRIC,
    check=_categories_normalised,
)


# ---- Excel
def _xlsx_case(id, build, where=(), *, sheet=None):
    def make(folder, out):
        d = build(folder)
        r = rubric(folder)
        extra = ["--sheet", sheet] if sheet else []
        return Setup(
            score_argv(r, d, out, *extra),
            d.name,
            api=lambda: wb.read_table(d, rubric=wb.load_rubric(r), sheet=sheet),
        )

    case(f"xlsx-{id}", "data Excel", error=DataError, where=where)(make)


def _far_cell(ws):
    ws["XFD1048576"] = 1


def _styled_rows(folder):
    p = xlsx(folder, rows())

    def edit(xml):
        far = b'<row r="1048576" s="1" customFormat="1"><c r="Z1048576" s="1"/></row></sheetData>'
        return xml.replace(b"</sheetData>", far)

    replace_zip_part(p, "xl/worksheets/sheet1.xml", edit)
    return p


def _zip_bomb(folder):
    p = xlsx(folder, rows())
    add_zip_part(p, "xl/media/padding.bin", b"\0" * (8 * 1024 * 1024))  # 8 MB of zeros: ratio ~1000
    return p


_xlsx_case("far-cell-XFD1048576", lambda f: xlsx(f, rows(), post=_far_cell), ("XFD", "1,048,576", "数据"))
_xlsx_case("styled-empty-rows", _styled_rows, ("row 1,048,576",))
_xlsx_case("zip-bomb-part", _zip_bomb, ("compressed", "padding.bin"))
_xlsx_case("not-a-zip", lambda f: write(f, "d.xlsx", SMALL_DATA), ("not an Excel workbook",))
_xlsx_case("truncated-zip", lambda f: write(f, "d.xlsx", xlsx(f, rows(), name="full.xlsx").read_bytes()[:700]),
           ("not an Excel workbook",))  # fmt: skip
_xlsx_case("formula-in-scored-column", lambda f: xlsx(f, rows(), post=lambda ws: ws.__setitem__("B2", "=1+99")),
           ("B2", "column 'meet'", "formula"))  # fmt: skip
_xlsx_case(
    "repeated-header",
    lambda f: xlsx(f, [r[:3] + [r[1]] + r[3:] for r in rows()]),
    ("columns B ('meet') and D",),
)
_xlsx_case("missing-sheet", lambda f: xlsx(f, rows()), ("no sheet named 'nope'",), sheet="nope")
_xlsx_case(
    "fullwidth-ids", lambda f: xlsx(f, rows() + [["Ａ", 4, "优", 100, 0, 0, 0, 0, 0]]), ("row 2", "row 6")
)
_xlsx_case("value-1e308", lambda f: xlsx(f, [r if r[0] != "A" else [r[0], 1e308] + r[2:] for r in rows()]),
           ("row 2", "too large"))  # fmt: skip
_xlsx_case(
    "control-char-id",
    lambda f: xlsx(f, [r if r[0] != "B" else ["B\u202e"] + r[1:] for r in rows()]),
    ("U+202E",),
)


def _formula_name(folder, out):
    table = [["unit", "name"] + rows()[0][1:]] + [[r[0], f"单位{r[0]}"] + r[1:] for r in rows()[1:]]
    d = xlsx(folder, table, post=lambda ws: ws.__setitem__("B3", '="区"&"财政局"'))
    r = rubric(folder)
    argv = ["score", "--rubric", str(r), "--data", str(d), "--out", str(out / "scores.xlsx")]
    return Setup(argv, "d.xlsx", check=_formulas_safe)


case("xlsx-formula-in-name-column", "data Excel", safe="stored result read, with a warning naming B3")(
    _formula_name
)


# ---- Parquet
def _pq_case(id, frame_or_table, where=()):
    def make(folder, out):
        import pyarrow as pa
        import pyarrow.parquet as pq

        d = folder / "d.parquet"
        t = frame_or_table() if callable(frame_or_table) else frame_or_table
        if isinstance(t, bytes):
            d.write_bytes(t)
        else:
            pq.write_table(t if isinstance(t, pa.Table) else pa.Table.from_pandas(t, preserve_index=False), d)
        r = rubric(folder)
        return Setup(
            score_argv(r, d, out), "d.parquet", api=lambda: wb.read_table(d, rubric=wb.load_rubric(r))
        )

    case(f"parquet-{id}", "data Parquet", error=DataError, where=where)(make)


def _frame(**edits):
    f = pd.read_csv(__import__("io").StringIO(SMALL_DATA), dtype={"unit": str})
    for k, v in edits.items():
        f[k] = v
    return f


def _dup_names():
    import pyarrow as pa

    return pa.table(
        [pa.array(["A", "B"]), pa.array([1, 2]), pa.array([3, 4])], names=["unit", "meet", "meet"]
    )


_pq_case("list-cells", lambda: _frame(meet=[[1, 2], [3], [], [4]]), ("column 'meet'", "list"))
_pq_case("struct-cells", lambda: _frame(meet=[{"a": 1}] * 4), ("column 'meet'", "struct"))
_pq_case("repeated-column", _dup_names, ("columns B ('meet') and C ('meet')",))
_pq_case("inf-values", lambda: _frame(meet=[float("inf"), 1.0, 2.0, 3.0]), ("row 2", "column 'meet'"))
_pq_case("corrupt-footer", b"PAR1" + b"\0" * 64 + b"PAR1", ("Parquet",))
_pq_case("lookalike-ids", lambda: _frame(unit=["００１", "001", "C", "D"]), ("row 2", "row 3"))


# ---- check of a table on its own (no rubric)
def _check_table(folder, out):
    d = data(folder, "unit,x\n００１,1\n001,2\n")
    return Setup(check_argv(d), "d.csv", api=lambda: wb.read_table(d))


case("csv-check-lookalike-ids", "data CSV", error=DataError, where=("row 2", "row 3"))(_check_table)
