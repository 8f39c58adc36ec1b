"""The command line and the briefing, end to end on the bundled samples."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import workbench as wb
from workbench.cli import main
from workbench.scenario import Scenario, apply_scenario, load_scenario

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def test_brief_default_html_and_pdf(tmp_path, capsys):
    assert main(["brief", "--out", str(tmp_path), "--draws", "50"]) == 0
    html = (tmp_path / "cq_organs_briefing.html").read_text(encoding="utf-8")
    assert "重庆市机关党建工作目标考核" in html and "等次" in html and "结果稳不稳" in html
    assert "@font-face" in html and "data:image/png;base64," in html
    # code hidden, nothing loaded from the network
    assert "compute_briefing" not in html
    assert not re.search(r"(src|href)=[\"']https?://", html)
    assert "cdn.jsdelivr" not in html and "unpkg.com" not in html and "mathjax" not in html.lower()
    pdf = (tmp_path / "cq_organs_briefing.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"WorkbenchPDF" in pdf  # the CJK font with TrueType outlines
    assert capsys.readouterr().out.count("briefing written") == 2


def test_brief_english_scenario(tmp_path):
    out = tmp_path / "b.html"
    code = main(
        [
            "brief",
            "--rubric",
            "indicators/comprehensive_2pct.yaml",
            "--scenario",
            "indicators/scenarios/party_weight_10.yaml",
            "--lang",
            "en",
            "--format",
            "html",
            "--draws",
            "20",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    html = (tmp_path / "b.html").read_text(encoding="utf-8")
    assert "assessment briefing" in html and "党建权重提高到10%" in html
    assert not (tmp_path / "b.pdf").exists()


def test_score_and_check(tmp_path, capsys):
    out = tmp_path / "scores.csv"
    assert main(["score", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel-friendly UTF-8
    assert main(["check", "indicators/cq_organs.yaml"]) == 0
    assert main(["check", "--rubric", "indicators/cq_organs.yaml", "data/samples/county_organs_gbk.csv"]) == 0
    assert "encoding gbk" in capsys.readouterr().out


def test_bad_input_exit_code_2_and_nothing_written(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("code: x\nname: [unclosed\n", encoding="utf-8")
    assert main(["check", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "malformed YAML" in err and "bad.yaml" in err
    out = tmp_path / "reports"
    assert main(["brief", "--rubric", str(bad), "--out", str(out)]) == 2
    bad_scn = tmp_path / "s.yaml"
    bad_scn.write_text("name: x\nquota: {优秀: 1.5}\n", encoding="utf-8")
    assert main(["brief", "--scenario", str(bad_scn), "--out", str(out)]) == 2
    assert "quota" in capsys.readouterr().err
    assert not out.exists()


def test_scenarios_apply_without_touching_the_rubric():
    r = wb.load_rubric("indicators/comprehensive_2pct.yaml")
    s = load_scenario("indicators/scenarios/party_weight_10.yaml")
    r10 = apply_scenario(r, s)
    assert r.scheme.party_weight == 0.02 and r10.scheme.party_weight == 0.10
    data = wb.read_table("data/samples/county_organs.csv", rubric=r)
    # final = 0.10 x party (on 100) + 0.90 x econ: check one unit by hand from its own parts
    card = wb.score(r10, data)
    u = card.index[0]
    assert card.final[u] == pytest.approx(0.10 * card.total[u] * 100 / r.scale + 0.90 * card.other[u])
    quota = apply_scenario(
        wb.load_rubric("indicators/cq_organs.yaml"), load_scenario("indicators/scenarios/quota_10.yaml")
    )
    assert dict(quota.grades.quota) == {"优秀": 0.10}
    no_veto = apply_scenario(r, Scenario(veto=False))
    assert no_veto.veto == () and r.veto != ()
    with pytest.raises(wb.SpecError, match="party_weight"):
        apply_scenario(r, Scenario(scheme={"type": "weighted", "party_weight": 2}))
    with pytest.raises(wb.SpecError, match="not in rubric"):
        apply_scenario(r, Scenario(weights={"nope": 1}))


def test_simulator_export_renders_widgets_offline(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_LANG", "zh")  # the page as users see it: labels from the catalogue
    assert main(["export", "notebooks/01_weight_simulator.py", "--out", str(tmp_path)]) == 0
    html = (tmp_path / "01_weight_simulator.html").read_text(encoding="utf-8")
    assert "application/vnd.jupyter.widget-state+json" in html
    assert "@jupyter-widgets/html-manager" in html or "jupyter-widgets" in html
    # no script or stylesheet is fetched from the network
    assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']https?://", html)
    assert "@font-face" in html
    assert "领导重视" in html or "\\u9886\\u5bfc\\u91cd\\u89c6" in html  # widget state may escape it
    import json

    blobs = re.findall(
        r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>', html, re.S
    )
    models = json.loads(blobs[-1])["state"]
    # the rank-change chart is an image in its output widget, not an empty area
    outputs = [o for m in models.values() for o in m["state"].get("outputs", [])]
    assert any("image/png" in o.get("data", {}) for o in outputs)
    # the app opens at the rubric as written, the static section below describes the same scenario
    menus = {
        m["state"]["description"]: m["state"] for m in models.values() if m["model_name"] == "DropdownModel"
    }
    menu = menus["考核方式"]
    assert menu["_options_labels"][menu["index"]] == "党建考核单独评定"
    # the categories' weights are on the page; the sliders edit one category, or all by choice
    scope = menus["调整对象"]
    assert scope["_options_labels"][scope["index"]] == "党政综合部门"
    assert "所有类别同时调整（各类作相同增减）" in scope["_options_labels"]
    htmls = [m["state"]["value"] for m in models.values() if m["model_name"] == "HTMLModel"]
    weights = next(v for v in htmls if "群团及其他" in v and "思想建设" in v)
    assert weights.count("<td") == 25 and "原为" not in weights  # 5 blocks x 5 categories, as written
    ranking = next(v for v in htmls if "<th class='num'>排名变化</th>" in v)
    widget_units = re.findall(r"<tr><td class='text'>(D\d+)</td>", ranking)[:10]
    static = html[html.index("state.table(top=10)") :] if "state.table(top=10)" in html else html
    static_units = [u for u in re.findall(r"<th>(D\d+)</th>", static)][:10]
    assert widget_units and widget_units == static_units


def test_simulator_logic():
    from workbench.report.widgets import SimulatorState, rebalance

    assert rebalance({"a": 20, "b": 30, "c": 50}, "a", 60) == {"a": 60, "b": 15, "c": 25}
    assert sum(rebalance({"a": 33, "b": 33, "c": 34}, "b", 7).values()) == 100
    r = wb.load_rubric("indicators/cq_organs.yaml")
    st = SimulatorState(r, wb.read_table("data/samples/county_organs.csv", rubric=r))
    untouched = st.card()
    assert (untouched.grade.astype(str) == st.baseline.grade.astype(str)).all()
    st.weights = rebalance(st.weights, "leadership", 60)
    assert sum(st.weights.values()) == 100 and (st.card().rank != st.baseline.rank).any()
    st.scheme, st.party_weight = "weighted", 0.02
    card = st.card()
    # with party building at 2%, the economic-social score decides the order
    assert card.final.corr(st.data["econ_score"], method="spearman") > 0.95


def test_simulate_sweep_writes_table_chart_and_tipping_points(tmp_path, capsys):
    code = main(
        [
            "simulate",
            "--rubric",
            "indicators/comprehensive_2pct.yaml",
            "--values",
            "0,0.02,0.1,0.3",
            "--out",
            str(tmp_path),
        ]
    )
    assert code == 0
    import pandas as pd

    table = pd.read_csv(
        tmp_path / "comprehensive_2pct_party_weight_sweep.csv", index_col=0, encoding="utf-8-sig"
    )
    assert list(table.index) == [0, 0.02, 0.1, 0.3]
    # effort on party building rises with its weight and is essentially zero at 2%
    assert table["party_share"].is_monotonic_increasing and table.loc[0.02, "party_share"] < 0.01
    assert (tmp_path / "comprehensive_2pct_party_weight_sweep.png").read_bytes().startswith(b"\x89PNG")
    assert main(["simulate", "--parameter", "nope", "--out", str(tmp_path)]) == 2


def test_notebook_failures_are_typed(tmp_path):
    from workbench.report.export import NotebookError, execute_notebook

    bad_input = tmp_path / "bad_input.py"
    bad_input.write_text(
        '# %% tags=["parameters"]\nx = 1\n# %%\nimport workbench as wb\nwb.load_rubric("nope.yaml")\n',
        encoding="utf-8",
    )
    with pytest.raises(wb.RubricError, match="not found"):
        execute_notebook(bad_input, {}, cwd=tmp_path)
    broken = tmp_path / "broken.py"
    broken.write_text('# %% tags=["parameters"]\nx = 1\n# %%\n{}["missing"]\n', encoding="utf-8")
    with pytest.raises(NotebookError, match="broken.py failed in cell 2: KeyError"):
        execute_notebook(broken, {}, cwd=tmp_path)


@pytest.fixture(scope="module")
def hostile_briefing(tmp_path_factory):
    """The default briefing for data in which a unit is named like a script."""
    import pandas as pd

    folder = tmp_path_factory.mktemp("hostile")
    data = pd.read_csv(ROOT / "data/samples/county_organs.csv", dtype={"unit": str}, keep_default_na=False)
    first = data["unit"].iloc[0]
    data.loc[0, "name"] = "<script>alert(1)</script>"
    path = folder / "units.csv"
    data.to_csv(path, index=False)
    assert main(["brief", "--data", str(path), "--draws", "30", "--out", str(folder)]) == 0
    return folder / "cq_organs_briefing.html", folder / "cq_organs_briefing.pdf", first


def test_briefing_escapes_user_strings(hostile_briefing):
    html_path, _, _ = hostile_briefing
    html = html_path.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html  # no widgets here, so no script at all


def test_briefing_pdf_has_chinese_text(hostile_briefing):
    pypdf = pytest.importorskip("pypdf")
    _, pdf_path, _ = hostile_briefing
    reader = pypdf.PdfReader(str(pdf_path))
    first = reader.pages[0].extract_text()
    assert "重庆市机关党建工作目标考核" in first and "考核结果简报" in first
    assert len(reader.pages) >= 3


def test_briefing_renders_in_headless_chromium(hostile_briefing, tmp_path):
    import shutil
    import subprocess

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("headless Chromium is not installed (Debian package 'chromium'); screenshot test skipped")
    html_path, _, _ = hostile_briefing
    shot = tmp_path / "briefing.png"
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=1100,1400",
            f"--screenshot={shot}",
            html_path.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    import matplotlib.image as mpimg

    img = mpimg.imread(shot)
    assert img.shape[0] == 1400 and img.shape[1] == 1100
    # the page is not blank: the title band, text and chart give many distinct colours
    assert len({tuple(px) for px in (img[::20, ::20, :3] * 255).astype(int).reshape(-1, 3)}) > 20


def test_unwritable_output_is_bad_input(tmp_path, capsys):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert main(["brief", "--out", str(blocker / "reports"), "--draws", "10"]) == 2
    assert f"{blocker} is a file, not a folder" in capsys.readouterr().err
    assert main(["brief", "--data", str(tmp_path / "missing.csv"), "--out", str(tmp_path / "r")]) == 2
    assert not (tmp_path / "r").exists()


def test_brief_with_revealed_weights_and_mismatch(tmp_path, capsys):
    out = tmp_path / "b.html"
    args = [
        "brief",
        "--outcome",
        "data/samples/holistic_grades.csv:grade",
        "--format",
        "html",
        "--draws",
        "20",
    ]
    assert main([*args, "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "回归显示（有序模型）" in html and "回归显示（最小二乘）" in html
    # a rubric whose columns the data do not have: exit 2, the message lists them, nothing written
    bad = tmp_path / "bad.html"
    assert (
        main(
            [
                "brief",
                "--rubric",
                "indicators/enterprise.yaml",
                "--data",
                "data/samples/county_organs.csv",
                "--out",
                str(bad),
            ]
        )
        == 2
    )
    assert "the data do not fit rubric 'enterprise'" in capsys.readouterr().err
    assert not bad.exists()


def test_simulator_controls_follow_the_state_set_from_code():
    """The static section below the widget sets the scenario on ``simulator.state``: the widget's
    controls and views follow, so both describe the same scenario (issue 11)."""
    pytest.importorskip("ipywidgets")
    from workbench.report.widgets import rank_change_png, weight_simulator

    r = wb.load_rubric("indicators/cq_organs.yaml")
    box = weight_simulator(r, wb.read_table("data/samples/county_organs.csv", rubric=r), top=5)
    state = box.state
    controls = {getattr(c, "description", ""): c for c in box.children}
    state.scheme, state.party_weight = "weighted", 0.10
    assert controls["Scheme"].value == "weighted" and controls["Party weight"].value == pytest.approx(0.10)
    assert state.card().final.corr(state.data["econ_score"]) > 0.9  # the state kept the scenario
    # the rank-change chart is drawn to an image, and says so when nothing changed
    png = rank_change_png(state.table())
    assert png.startswith(b"\x89PNG") and len(png) > 5000


def test_kernels_of_closed_sessions_are_culled():
    """voila.json and jupyter_server_config.json (read from the repository root, where `make app`
    and `make lab` run) cull kernels that lost their browser session."""
    import json

    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from traitlets.config import Config

    for name, limit in (("voila.json", 900), ("jupyter_server_config.json", 3600)):
        cfg = Config(json.loads((ROOT / name).read_text(encoding="utf-8")))
        km = AsyncMappingKernelManager(config=cfg)
        assert km.cull_idle_timeout == limit and km.cull_interval > 0
        assert km.cull_connected is False  # a kernel with an open page is never culled
    from voila.app import Voila

    assert str(ROOT) in Voila().config_file_paths  # voila.json is found from the root


def test_kernel_sockets_stay_out_of_the_working_folder(tmp_path, monkeypatch):
    """The briefing's kernel talks over Unix sockets in a private temporary folder: none is
    created in the user's working folder (jupyter_client's default), none outlives the run."""
    from workbench.report.export import execute_notebook

    work = tmp_path / "work"
    work.mkdir()
    source = tmp_path / "probe.py"
    source.write_text(
        '# %% tags=["parameters"]\nx = 1\n# %%\nimport json, ipykernel.connect\n'
        'print(json.load(open(ipykernel.connect.get_connection_file()))["ip"])\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(work)
    nb = execute_notebook(source, cwd=work)
    ip = Path(nb.cells[1].outputs[0]["text"].strip())
    assert ip.is_absolute() and not ip.parent.exists()  # private folder, removed after the run
    assert list(work.iterdir()) == []
