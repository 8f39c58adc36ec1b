"""What `workbench brief` writes: the rubric's own sample without --data, the summary layout with an
appendix file, per-unit feedback sheets with safe file names, typed section failures that leave
nothing behind, PDF quality (fonts, charts, a full first page), and `score --out`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import workbench as wb
from workbench.cli import main
from workbench.report.briefing import TEMPLATE, build_briefing, compute_briefing
from workbench.report.export import NotebookError
from workbench.report.feedback import potential_gains, safe_filename, write_feedback

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="module")
def members(tmp_path_factory):
    """`brief --rubric longxi_vanguard.yaml` alone: 600 party members, summary layout."""
    out = tmp_path_factory.mktemp("members")
    assert (
        main(["brief", "--rubric", "indicators/longxi_vanguard.yaml", "--out", str(out), "--draws", "10"])
        == 0
    )
    return out


def test_brief_reads_the_rubrics_own_sample(members):
    html = (members / "longxi_vanguard_briefing.html").read_text(encoding="utf-8")
    assert "600 名党员" in html and "单位" not in html  # people are called what they are
    # summary layout: no 600-row table, the full list in the appendix file
    assert html.count("<tr>") < 150
    assert "longxi_vanguard_briefing_appendix.csv" in html
    table = pd.read_csv(
        members / "longxi_vanguard_briefing_appendix.csv", encoding="utf-8-sig", dtype={"代码": str}
    )
    assert len(table) == 600 and {"代码", "名称", "类别", "总分", "等次", "说明"} <= set(table.columns)
    r = wb.load_rubric(ROOT / "indicators/longxi_vanguard.yaml")
    card = wb.score(r, wb.read_table(ROOT / "data/samples/longxi_members.csv", rubric=r))
    shown = table.set_index("代码")["总分"]
    np.testing.assert_allclose(shown.loc[card.index].to_numpy(), card.total.to_numpy(), atol=0.0051)
    assert (table.set_index("代码")["等次"].loc[card.index] == card.grade.astype(str).to_numpy()).all()


def test_pdf_fonts_pages_and_first_page(members):
    pdf = members / "longxi_vanguard_briefing.pdf"
    if shutil.which("pdffonts") is None or shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdffonts, pdftotext) is not installed")
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    assert "CID TrueType" in fonts.stdout and "Type 0C" not in fonts.stdout
    assert fonts.stderr == ""  # no "Mismatch between font type and embedded font file"
    render = subprocess.run(
        ["pdftoppm", "-r", "20", "-png", str(pdf), str(members / "page")], capture_output=True
    )
    assert render.returncode == 0 and render.stderr == b""
    # the first page is full: its last line of text sits in the lower third of the page
    bbox = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    page_h = float(bbox.split('<page width="')[1].split('height="')[1].split('"')[0])
    y_max = max(float(v.split('"')[0]) for v in bbox.split('yMax="')[1:])
    assert y_max > 0.66 * page_h
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "陇西县农村（社区）党员先锋指数：考核结果简报" in text.replace("\n", "")


def test_charts_are_200_dpi():
    from workbench.report import plots
    from workbench.report.document import figure_block

    card = wb.examples.load_example("enterprise")
    block = figure_block(plots.ranking_chart(card))
    import base64
    import io

    import matplotlib.image as mpimg

    img = mpimg.imread(io.BytesIO(base64.b64decode(block["png"])), format="png")
    assert block["dpi"] >= 200 and img.shape[1] / block["width_in"] >= 199


def test_section_failure_is_typed_and_leaves_nothing(tmp_path):
    broken = tmp_path / "template.py"
    text = TEMPLATE.read_text(encoding="utf-8")
    broken.write_text(
        text.replace('show("results", b, lang, date, appendix)', 'raise RuntimeError("boom")'),
        encoding="utf-8",
    )
    out = tmp_path / "nowhere" / "reports"
    with pytest.raises(NotebookError) as info:
        build_briefing("indicators/cq_organs.yaml", None, out, n_draws=5, template=broken)
    assert info.value.section == "results"
    assert "section 'results' (Scores, grades and ranks)" in str(info.value) and "boom" in str(info.value)
    assert not (tmp_path / "nowhere").exists()  # no empty folder


def test_potential_gains_by_brute_force():
    card = wb.examples.load_example("county")
    gains = potential_gains(card)
    shares, full = card.shares, card.full
    rescale = card.rubric.scale / card.available
    # brute force for a few units: mean over the other units of the category of max(0, s_peer - s_own)
    for u in card.index[[0, 7, 40, 85]]:
        peers = card.category[card.category == card.category[u]].index.drop(u)
        for j in card.rubric.indicators[::5]:
            if np.isnan(shares.at[u, j]):
                assert np.isnan(gains.at[u, j])
                continue
            others = shares.loc[peers, j].dropna()
            expected = np.maximum(others - shares.at[u, j], 0).sum() / len(others)
            assert gains.at[u, j] == pytest.approx(expected * full.at[u, j] * rescale[u])
    # properties: never more than the points lost (rescaled); zero on items where the unit is best
    lost = (full - card.points).mul(rescale, axis=0)
    assert ((gains <= lost + 1e-9) | gains.isna()).all().all()
    best = shares.groupby(card.category).transform("max")
    assert (gains[shares == best].fillna(0) == 0).all().all()


def test_safe_filenames_stay_inside_and_are_unique():
    used: set = set()
    names = [
        safe_filename(u, used)
        for u in ["../etc/passwd", ".hidden", "a/b", "a_b", "CON", "x" * 300, "A_B", " "]
    ]
    assert names[:3] == ["etc_passwd", "hidden", "a_b"]
    assert names[3] == "a_b_2" and names[4] == "unit_CON" and len(names[5]) <= 60
    assert names[6] == "A_B_3" and names[7] == "unit"
    assert len({n.lower() for n in names}) == len(names)
    assert all("/" not in n and "\\" not in n and not n.startswith(".") for n in names)


def test_feedback_sheets_for_hostile_ids(tmp_path):
    r = wb.load_rubric(ROOT / "indicators/enterprise.yaml")
    data = wb.read_table(ROOT / "data/samples/enterprises.csv", rubric=r).iloc[:6].copy()
    data.index = pd.Index(["../../escape", ".bashrc", "a/b", "a_b", "con", "E06"], name="unit")
    b = compute_briefing(r, data, n_draws=0, analyses=False)
    folder = tmp_path / "sheets"
    written = write_feedback(b, folder, lang="zh", date="2026-01-01")
    assert all(p.resolve().parent == folder.resolve() for p in written)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{s}.{e}" for s in ("escape", "bashrc", "a_b", "a_b_2", "unit_con", "E06") for e in ("html", "pdf")]
        + ["index.csv"]
    )
    assert not list(tmp_path.glob(".*"))  # the temporary folder is gone
    index = pd.read_csv(folder / "index.csv", encoding="utf-8-sig")
    assert index.iloc[0, 0] == "../../escape"  # the index maps file names back to ids
    sheet = (folder / "E06.html").read_text(encoding="utf-8")
    name = b.names["E06"]
    assert f"{name}：国有企业基层党组织党建工作考核评价反馈单" in sheet
    for label in ("最能提分的三项", "各板块得分", "各指标得分", "加分、扣分与一票否决", "可提高"):
        assert label in sheet
    assert f"{b.card.final['E06']:.2f}" in sheet
    assert "<script" not in sheet and "@font-face" in sheet
    assert (folder / "E06.pdf").read_bytes().startswith(b"%PDF")


def test_feedback_from_the_command_line(tmp_path, capsys):
    data = pd.read_csv(ROOT / "data/samples/enterprises.csv", dtype=str, keep_default_na=False).head(4)
    path = tmp_path / "four.csv"
    data.to_csv(path, index=False)
    args = ["brief", "--rubric", "indicators/enterprise.yaml", "--data", str(path), "--format", "html"]
    assert (
        main([*args, "--out", str(tmp_path / "b"), "--feedback", str(tmp_path / "fb"), "--draws", "5"]) == 0
    )
    out = capsys.readouterr().out
    assert "feedback sheets written" in out and "(4 units, HTML)" in out
    assert len(list((tmp_path / "fb").glob("*.html"))) == 4


def test_score_out_chinese_columns_rounded_and_full_precision(tmp_path):
    out = tmp_path / "scores.xlsx"
    assert main(["score", "--rubric", "indicators/cq_organs.yaml", "--out", str(out)]) == 0
    sheets = pd.read_excel(out, sheet_name=None, index_col=0)
    assert list(sheets) == ["得分", "完整精度", "指标得分"]
    shown, full = sheets["得分"], sheets["完整精度"]
    assert {
        "名称",
        "类别",
        "领导重视",
        "基本分",
        "加分",
        "扣分",
        "总分",
        "一票否决",
        "等次",
        "排名",
        "类别内排名",
    } <= set(shown.columns)
    card = wb.examples.load_example("county")
    np.testing.assert_allclose(full["总分"].loc[card.index], card.total, rtol=0, atol=1e-9)
    assert (shown["总分"] == shown["总分"].round(2)).all() and (
        shown["领导重视"] == shown["领导重视"].round(1)
    ).all()
    assert (full["总分"] != full["总分"].round(2)).any()  # full precision kept
    csv = tmp_path / "s.csv"
    assert main(["score", "--out", str(csv)]) == 0
    assert (tmp_path / "s_full_precision.csv").exists()
    assert "总分" in csv.read_text(encoding="utf-8-sig").splitlines()[0]
    en = tmp_path / "en.csv"
    assert main(["score", "--out", str(en), "--lang", "en"]) == 0
    assert "total" in en.read_text(encoding="utf-8-sig").splitlines()[0]


@pytest.mark.parametrize("code", sorted(p.stem for p in (ROOT / "indicators").glob("*.yaml")))
def test_simulate_defaults_work_on_every_rubric(code, tmp_path):
    from workbench.cli import default_parameter

    assert main(["simulate", "--rubric", f"indicators/{code}.yaml", "--out", str(tmp_path)]) == 0
    parameter = default_parameter(wb.load_rubric(ROOT / "indicators" / f"{code}.yaml"))
    table = pd.read_csv(tmp_path / f"{code}_{parameter}_sweep.csv", encoding="utf-8-sig", index_col=0)
    assert len(table) >= 5 and table["party_share"].between(0, 1).all()
    assert (tmp_path / f"{code}_{parameter}_sweep.png").read_bytes().startswith(b"\x89PNG")


def test_simulate_chart_says_what_is_on_each_axis_in_chinese():
    from workbench.report.plots import sweep_chart

    table = pd.DataFrame({"party_share": [0.0, 0.1], "top_share": [0.2, 0.2]}, index=[0.02, 0.3])
    fig = sweep_chart(table, "party_weight", "zh", title="t")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "党建在综合考核中的权重" and ax.get_ylabel() == "占比"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["用于党建的精力占比", "获最高等次的比例"]


def test_small_and_degenerate_data_skip_analyses_with_a_note(tmp_path):
    """2 units, or perfectly correlated blocks: the briefing says what it could not compute."""
    from workbench.report.briefing.sections import render_blocks

    r = wb.load_rubric(ROOT / "indicators/cq_organs.yaml")
    two = wb.read_table(ROOT / "data/samples/county_organs.csv", rubric=r).iloc[:2]
    b = compute_briefing(r, two, n_draws=20)
    assert b.uncertainty is None and b.skipped["robust"] == ("why_few", {"n": 2})
    notes = [bl["text"] for bl in render_blocks(b, "zh") if bl["kind"] == "note"]
    assert "稳健性分析未计算：部门太少（2 个部门）。" in notes
    assert "数据驱动的权重未计算：部门太少（2 个部门）。" in notes
    # the same through the command line and the template: exit 0, not "error: critic: ..."
    raw = pd.read_csv(ROOT / "data/samples/county_organs.csv", dtype=str, keep_default_na=False).head(2)
    raw.to_csv(tmp_path / "two.csv", index=False)
    args = ["brief", "--data", str(tmp_path / "two.csv"), "--out", str(tmp_path / "b"), "--format", "html"]
    assert main(args) == 0
    html = (tmp_path / "b" / "cq_organs_briefing.html").read_text(encoding="utf-8")
    assert "稳健性分析未计算" in html
    # two blocks that always move together: no entropy/CRITIC weights, a note instead
    from workbench.rubric._parse import parse_rubric_text

    twin = parse_rubric_text(
        """
code: twin
name: 双板块
scale: 100
blocks:
  - {code: a, name: 甲, weight: 50, indicators: [{code: x, name: x, weight: 50, unit: '%', rule: {type: linear, lo: 0, hi: 100}}]}
  - {code: b, name: 乙, weight: 50, indicators: [{code: y, name: y, weight: 50, unit: '%', rule: {type: linear, lo: 0, hi: 100}}]}
grades: {bands: {好: 80, 差: 0}}
"""
    )
    values = np.linspace(50, 100, 12)
    data = pd.DataFrame({"x": values, "y": values}, index=pd.Index([f"u{i}" for i in range(12)], name="unit"))
    b = compute_briefing(twin, data, n_draws=10)
    assert b.skipped["weights"] == ("why_no_spread", {})
    notes = [bl["text"] for bl in render_blocks(b, "zh") if bl["kind"] == "note"]
    assert "数据驱动的权重未计算：各板块得分没有差异或完全相关。" in notes
