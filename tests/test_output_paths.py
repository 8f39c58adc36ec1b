"""Output paths through the command line (issue 17): a missing parent folder is an error unless
--mkdir asks for it, and the suffix decides the format or is refused (no CSV inside a .txt). Every
command that writes follows the same rule, decided in one place (workbench.io.output_path)."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.cli import main

ROOT = Path(__file__).resolve().parents[1]
PANEL = str(ROOT / "data" / "samples" / "expert_panel.csv")

# command line before the output option; the output option; the output is a folder
WRITERS = {
    "score": (["score"], "--out", "out.csv"),
    "simulate": (["simulate", "--values", "0.02,0.1"], "--out", "sweep"),
    "uncertainty": (["uncertainty", "--draws", "20"], "--out", "runs"),
    "ahp": (["ahp", "--sheet-file", PANEL, "--n-boot", "0"], "--out", "ahp"),
    "ahp-rubric": (
        ["ahp", "--sheet-file", PANEL, "--n-boot", "0", "--out", "{tmp}"],
        "--write-rubric",
        "w.yaml",
    ),
    "brief": (["brief", "--format", "html", "--draws", "10"], "--out", "briefing"),
    "export": (["export", "00_start_here"], "--out", "html"),
    "examples": (["examples"], "--to", "copy"),
    "template": (["template"], "--out", "form.xlsx"),
    "compare": (
        [
            "compare",
            "--old",
            "indicators/cq_organs.yaml",
            "--new",
            "indicators/versions/cq_organs_2026_draft.yaml",
            "--data",
            "data/samples/county_organs.csv",
        ],
        "--out",
        "cmp.xlsx",
    ),  # fmt: skip
}


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("name", list(WRITERS))
def test_a_missing_folder_is_an_error_unless_asked_for(name, tmp_path, capsys):
    head, option, leaf = WRITERS[name]
    head = [a.replace("{tmp}", str(tmp_path / "side")) for a in head]
    target = tmp_path / "missing" / "deeper" / leaf
    assert main([*head, option, str(target)]) == 2
    err = capsys.readouterr().err
    assert f"{option} {target}: the folder {target.parent} does not exist" in err and "--mkdir" in err
    assert not (tmp_path / "missing").exists()  # nothing created, nothing computed into it
    if name in ("brief", "export", "uncertainty"):
        return  # the slow ones: the refusal is what differs between commands
    assert main([*head, option, str(target), "--mkdir"]) == 0
    assert target.exists()


def test_the_suffix_decides_the_format_or_is_refused(tmp_path, capsys):
    for leaf in ("out.txt", "out", "out.json"):
        assert main(["score", "--out", str(tmp_path / leaf)]) == 2
        err = capsys.readouterr().err
        assert "does not name a format written here; expected .csv, .tsv, .xlsx" in err
    assert list(tmp_path.iterdir()) == []
    assert main(["ahp", "--sheet-file", PANEL, "--n-boot", "0", "--out", str(tmp_path / "a"),
                 "--write-rubric", str(tmp_path / "w.txt")]) == 2  # fmt: skip
    assert "expected .yaml, .yml" in capsys.readouterr().err and not (tmp_path / "a").exists()
    assert main(["brief", "--out", str(tmp_path / "b.docx")]) == 2
    assert "expected .html, .pdf" in capsys.readouterr().err
    assert main(["score", "--out", str(tmp_path / "s.tsv")]) == 0
    assert (tmp_path / "s.tsv").read_bytes().startswith(b"\xef\xbb\xbf") and b"\t" in (
        tmp_path / "s.tsv"
    ).read_bytes()


def test_a_file_where_a_folder_is_expected_and_the_reverse(tmp_path, capsys):
    (tmp_path / "f").write_text("x", encoding="utf-8")
    assert main(["simulate", "--values", "0.02", "--out", str(tmp_path / "f")]) == 2
    assert "is a file; give a folder" in capsys.readouterr().err
    assert main(["score", "--out", str(tmp_path)]) == 2
    assert "is a folder; give a file name" in capsys.readouterr().err


def test_library_writers_refuse_a_table_in_a_txt(tmp_path):
    import pandas as pd

    from workbench.errors import OutputError
    from workbench.io import write_table

    with pytest.raises(OutputError, match="does not name a format"):
        write_table(tmp_path / "t.txt", pd.DataFrame({"a": [1]}))
    assert not (tmp_path / "t.txt").exists()
