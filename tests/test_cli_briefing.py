"""The command line and the first briefing, end to end on the bundled samples."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workbench.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def test_brief_default_is_self_contained(tmp_path, capsys):
    assert main(["brief", "--out", str(tmp_path)]) == 0
    html = (tmp_path / "cq_organs_briefing.html").read_text(encoding="utf-8")
    assert "重庆市机关党建工作目标考核" in html and "等次分布" in html
    assert "@font-face" in html and "data:image/png;base64," in html
    # nothing is loaded from the network
    assert not re.search(r"(src|href)=[\"']https?://", html)
    assert "briefing written" in capsys.readouterr().out


def test_brief_english_and_escaping(tmp_path):
    out = tmp_path / "b.html"
    assert main(["brief", "--lang", "en", "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "assessment briefing" in html and "<script" not in html


def test_score_and_check(tmp_path, capsys):
    out = tmp_path / "scores.csv"
    assert main(["score", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel-friendly UTF-8
    assert main(["check", "indicators/cq_organs.yaml"]) == 0
    assert main(["check", "--rubric", "indicators/cq_organs.yaml", "data/samples/county_organs_gbk.csv"]) == 0
    assert "encoding gbk" in capsys.readouterr().out


def test_bad_input_exit_code_2(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("code: x\nname: [unclosed\n", encoding="utf-8")
    assert main(["check", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "malformed YAML" in err and "bad.yaml" in err
    out = tmp_path / "nothing.html"
    assert main(["brief", "--rubric", str(bad), "--out", str(out)]) == 2
    assert not out.exists()
