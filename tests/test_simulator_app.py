"""The simulator app without a browser: a shipped rubric or uploads (checked with the command line's
messages, naming the uploaded file), downloads (the rubric as YAML, the results as formula-safe
Excel), and the widgets wired to the state."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import openpyxl
import pytest

import workbench as wb
from workbench._i18n import use_language
from workbench.cli import main
from workbench.errors import DataError, RubricError
from workbench.report.simulator import ALL, SimulatorState
from workbench.report.simulator_files import (
    download_link,
    load_inputs,
    results_download,
    rubric_download,
    shipped_choices,
    uploaded,
)

ROOT = Path(__file__).resolve().parents[1]
RUBRIC = ROOT / "indicators" / "cq_organs.yaml"
CSV = ROOT / "data" / "samples" / "county_organs.csv"


def _upload(path: Path, name: str | None = None) -> tuple[str, bytes]:
    return name or path.name, path.read_bytes()


def _bad_csv(tmp_path) -> Path:
    """The sample with two cells that are not numbers and one unknown grade."""
    text = CSV.read_text(encoding="utf-8").splitlines()
    text[3] = text[3].replace(",D003,", ",D003,", 1)
    rows = [r.split(",") for r in text]
    head = rows[0]
    rows[2][head.index("ldr_meetings")] = "五次"
    rows[5][head.index("ide_exam")] = "x"
    rows[7][head.index("ldr_secretary_report")] = "很好"
    path = tmp_path / "我的数据.csv"
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_shipped_rubrics_load_with_their_samples():
    choices = shipped_choices()
    assert "cq_organs" in choices and "hangzhou_dual100" in choices
    assert choices["cq_organs"].startswith("重庆市机关党建工作目标考核")
    loaded = load_inputs("hangzhou_dual100")
    assert loaded.rubric.code == "hangzhou_dual100" and len(loaded.data) == 86
    assert loaded.data_name == "hangzhou_units.csv"


def test_uploaded_excel_and_csv_give_the_same_units():
    xlsx = load_inputs("cq_organs", data_file=_upload(ROOT / "data" / "samples" / "county_organs.xlsx"))
    csv = load_inputs(rubric_file=_upload(RUBRIC, "我的方案.yaml"), data_file=_upload(CSV))
    assert xlsx.rubric_name == "cq_organs" and csv.rubric_name == "我的方案.yaml"
    assert csv.data_name == "county_organs.csv" and xlsx.data.attrs["source"] == "county_organs.xlsx"
    a, b = SimulatorState(xlsx.rubric, xlsx.data).card(), SimulatorState(csv.rubric, csv.data).card()
    assert (a.final == b.final).all() and len(a.final) == 86


def test_bad_upload_has_the_command_lines_message_naming_the_uploaded_file(tmp_path, capsys):
    bad = _bad_csv(tmp_path)
    with pytest.raises(DataError) as err:
        load_inputs("cq_organs", data_file=_upload(bad))
    app_text = str(err.value)
    assert main(["check", "--rubric", str(RUBRIC), str(bad)]) == 2
    cli_text = capsys.readouterr().err.strip()
    # the same message, naming the file as the user knows it instead of a temporary copy
    assert cli_text == "error: " + app_text.replace("我的数据.csv", str(bad), 1)
    assert app_text.startswith("我的数据.csv: the data do not fit rubric 'cq_organs' (3 problems)")
    assert "row 3, column 'ldr_meetings': '五次' is not a number" in app_text
    assert "workbench-upload-" not in app_text and str(tmp_path) not in app_text
    with use_language("zh"), pytest.raises(DataError) as err:  # shown in Chinese in the app
        load_inputs("cq_organs", data_file=_upload(bad))
    text = str(err.value)
    assert text.startswith("我的数据.csv：数据与考核方案 'cq_organs' 不符（共 3 个问题）")
    assert "第 3 行，列“ldr_meetings”：'五次' 不是数字" in text and "等次 '很好' 不在" in text


def test_bad_uploads_are_refused_with_a_reason(tmp_path):
    with pytest.raises(DataError, match=r"notes\.pdf: files of type '\.pdf' cannot be read here"):
        load_inputs("cq_organs", data_file=("notes.pdf", b"%PDF-1.4"))
    with pytest.raises(RubricError, match=r"rubric\.yaml"):
        load_inputs(rubric_file=("rubric.yaml", b"code: x\nname: y\nblocks: 5\n"))
    with pytest.raises(RubricError, match=r"weights\.txt: files of type '\.txt'"):
        load_inputs(rubric_file=("weights.txt", b"a"))
    own = RUBRIC.read_text(encoding="utf-8").replace("example_data: county_organs.csv\n", "")
    with pytest.raises(DataError, match="names no sample data: upload its data table"):
        load_inputs(rubric_file=("own.yaml", own.encode("utf-8")))
    with pytest.raises(DataError, match="the file is empty"):
        load_inputs("cq_organs", data_file=("empty.csv", b""))
    with pytest.raises(RubricError, match="choose a shipped rubric or upload"):
        load_inputs()


def test_file_upload_values_are_read():
    item = {"name": "a.csv", "type": "text/csv", "size": 3, "content": memoryview(b"x,y")}
    assert uploaded((item,)) == ("a.csv", b"x,y") and uploaded(()) is None


def test_downloads_are_the_rubric_and_formula_safe_results(tmp_path):
    loaded = load_inputs("cq_organs")
    data = loaded.data.copy()
    data.loc["D001", "name"] = '=HYPERLINK("http://x","y")'
    st = SimulatorState(loaded.rubric, data)
    st.quota_share = 0.1
    name, content = results_download(st)
    assert name == "cq_organs_simulated_results.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(content))
    # the tests run in English: the sheets of `workbench score --lang en`, then the simulator's
    assert book.sheetnames == ["scores", "full precision", "grade changes", "weights"]
    cells = [c.value for row in book[book.sheetnames[0]].iter_rows() for c in row]
    assert '\'=HYPERLINK("http://x","y")' in cells  # shown as text, never run
    changes = book["grade changes"]
    assert changes.max_row - 1 == len(st.changes())
    rubric_name, text = rubric_download(st)
    link = download_link(rubric_name, text, "rubric <b>")
    href = re.search(r'href="data:application/x-yaml;base64,([^"]+)"', link).group(1)
    assert base64.b64decode(href) == text and "rubric &lt;b&gt;" in link and "http" not in link


def test_widgets_move_the_state_and_show_the_categories():
    pytest.importorskip("ipywidgets")
    from workbench.report.widgets import weight_simulator, weights_html

    loaded = load_inputs("cq_organs")
    box = weight_simulator(loaded.rubric, loaded.data, top=5)
    st = box.state
    by = {getattr(c, "description", ""): c for c in box.children}
    by["思想建设"].value = 26  # a slider move, as the browser sends it
    assert st.weight_sets["党政综合部门"]["ideology"] == 26 and st.weight_sets["群团及其他"]["ideology"] == 20
    by["Sliders edit"].value = ALL
    assert by["思想建设"].value == 20  # the sliders now show the rubric's own set
    by["思想建设"].value = 22
    assert st.weight_sets["群团及其他"]["ideology"] == 22 and st.weight_sets["党政综合部门"]["ideology"] == 28
    html = weights_html(st)
    assert "<b>28.0</b>" in html and "was 25" in html
    prepare, links = box.children[-1].children
    prepare.click()
    links = links.value
    assert links.count("download=") == 2 and "cq_organs_simulated.yaml" in links


def test_app_loads_uploads_and_keeps_the_simulator_on_a_bad_file(tmp_path):
    pytest.importorskip("ipywidgets")
    from workbench.report.app import simulator_app

    app = simulator_app("cq_organs", top=5)
    first = app.state
    assert first.rubric.code == "cq_organs"
    text = app.load("cq_organs", None, _upload(_bad_csv(tmp_path)))
    assert text.startswith("Not loaded: 我的数据.csv: the data do not fit") and app.state is first
    text = app.load("enterprise", None, None)
    assert app.state.rubric.code == "enterprise" and "40 units" in text
    assert app.children[1].children[0].state is app.state
    rubric = wb.load_rubric(RUBRIC)
    assert rubric.categories is not None


def test_the_app_page_fetches_nothing_from_the_network(tmp_path):
    """`workbench app` (what `make app` runs) serves the shipped simulator notebook on the rubric and
    data given, from any folder, with the package's Voila template: Voila's lab template loads Font
    Awesome from a CDN, ours does not, so the page works offline."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    pytest.importorskip("voila")
    assert "$(BIN)/workbench app" in (ROOT / "Makefile").read_text(encoding="utf-8")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    work = tmp_path / "work"
    work.mkdir()
    data = str(ROOT / "data" / "samples" / "hangzhou_units.csv")
    cmd = [sys.executable, "-m", "workbench", "app", "--no-browser", f"--port={port}"]
    cmd += ["--rubric", "hangzhou_dual100", "--data", data]
    env = dict(os.environ, WORKBENCH_LANG="zh")
    proc = subprocess.Popen(cmd, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        page = ""
        for _ in range(240):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=90) as r:
                    page = r.read().decode("utf-8")
                break
            except OSError:
                if proc.poll() is not None:
                    break
                time.sleep(0.5)
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=30)
    assert page, err.decode("utf-8", "replace")[-3000:]
    assert f"http://127.0.0.1:{port}/" in out.decode("utf-8")
    assert "Traceback" not in page and "杭州" in page  # the notebook ran on the rubric given
    assert "@font-face" in page  # glyphs in the page itself, before any widget loads
    assert list(work.iterdir()) == []  # the parameterised notebook lived in a private folder
    assert "jupyter-widgets" in page or "voila" in page.lower()
    assert not re.search(r"<(link|script)[^>]+(href|src)=[\"']https?://", page), (
        "a stylesheet or script from the web"
    )
    assert "fontawesome" not in page


def test_the_app_page_has_glyphs_for_its_headings_and_widgets():
    """Voila shows the notebook's headings around the widgets with the reader's fonts, which may
    have no Chinese (a fresh Linux desktop): the style the simulator embeds covers them too."""
    import base64
    import io

    from fontTools.ttLib import TTFont

    from workbench.report.widgets import glyph_style

    css = glyph_style()
    assert ".jp-RenderedMarkdown" in css
    woff = base64.b64decode(re.search(r"base64,([A-Za-z0-9+/=]+)", css).group(1))
    covered = set(map(chr, TTFont(io.BytesIO(woff)).getBestCmap()))
    text = (ROOT / "notebooks" / "01_weight_simulator.py").read_text(encoding="utf-8")
    chinese = {c for c in text if "\u4e00" <= c <= "\u9fff" or c in "（），。：；“”"}
    assert len(chinese) > 100 and chinese <= covered, sorted(chinese - covered)[:20]


def test_app_refuses_a_bad_rubric_or_table_before_starting_a_server(tmp_path, capsys, monkeypatch):
    """`workbench app` checks the rubric and the table with the command line's messages first."""
    import types

    bad = tmp_path / "units.csv"
    bad.write_text("unit,name\nU1,甲\n", encoding="utf-8")
    started = []
    fake = types.SimpleNamespace(Popen=lambda *a, **k: started.append(a))
    monkeypatch.setattr("workbench.cli._app.subprocess", fake)
    assert main(["app", "--rubric", str(tmp_path / "missing.yaml"), "--no-browser"]) == 2
    assert "missing.yaml" in capsys.readouterr().err
    assert main(["app", "--rubric", "cq_organs", "--data", str(bad), "--no-browser"]) == 2
    assert "units.csv" in capsys.readouterr().err
    assert started == []
