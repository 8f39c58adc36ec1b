"""The built wheel alone runs the main job from any folder (no repository around it).

The wheel is built from a copy of the working tree (so stale ``build/`` folders cannot hide a missing
file), unpacked into a temporary folder and put first on ``PYTHONPATH``; every command then runs
from an empty working folder. The environment's installed dependencies are reused (no build
isolation, no download), which keeps the test to a few seconds plus one briefing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SKIP = (".git", ".venv", "build", "dist", "reports", "*.egg-info", "__pycache__", ".hypothesis", "*.ipynb")


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory) -> Path:
    pytest.importorskip("setuptools", minversion="77")
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src"
    shutil.copytree(ROOT, src, symlinks=True, ignore=shutil.ignore_patterns(*SKIP))
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(base),
            ".",
        ],
        cwd=src,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    (wheel,) = base.glob("indicator_workbench-*.whl")
    site = base / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    return site


def _run(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(site), "WORKBENCH_LANG": "zh"}
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


def test_wheel_holds_every_shipped_file(unpacked):
    shipped = unpacked / "workbench" / "shipped"
    repo_files = {
        p.relative_to(ROOT).as_posix()
        for folder, pattern in (
            ("indicators", "**/*.yaml"),
            ("data/samples", "**/*"),
            ("notebooks", "[0-9]*.py"),
        )
        for p in (ROOT / folder).glob(pattern)
        if p.is_file() and "__pycache__" not in p.parts
    }
    wheel_files = {p.relative_to(shipped).as_posix() for p in shipped.rglob("*") if p.is_file()}
    assert repo_files and repo_files == wheel_files
    report = unpacked / "workbench" / "report"
    assert (report / "templates" / "nbconvert" / "workbench" / "index.html.j2").is_file()
    assert (report / "templates" / "briefing.py").is_file()
    assert list((report / "static").glob("*.js.gz"))


def test_wheel_runs_briefing_examples_and_export_from_an_empty_folder(unpacked, tmp_path):
    work = tmp_path / "empty"
    work.mkdir()
    where = _run(unpacked, work, "-c", "import workbench; print(workbench.__file__)")
    assert where.returncode == 0 and Path(where.stdout.strip()).is_relative_to(unpacked), where

    brief = _run(unpacked, work, "-m", "workbench", "brief", "--out", "reports")
    assert brief.returncode == 0, brief.stderr[-3000:]
    assert (work / "reports" / "cq_organs_briefing.html").stat().st_size > 10_000
    assert (work / "reports" / "cq_organs_briefing.pdf").read_bytes().startswith(b"%PDF")
    assert "Traceback" not in brief.stderr and "without encryption" not in brief.stderr

    ex = _run(unpacked, work, "-m", "workbench", "examples", "--to", "mine")
    assert ex.returncode == 0, ex.stderr
    for rel in (
        "indicators/hangzhou_dual100.yaml",
        "indicators/scenarios/quota_10.yaml",
        "data/samples/county_organs.csv",
        "notebooks/01_weight_simulator.py",
    ):
        assert (work / "mine" / rel).is_file(), rel

    code = "from workbench.examples import load_example; card = load_example('county');print(len(card.index))"
    loaded = _run(unpacked, work, "-c", code)
    assert loaded.returncode == 0 and loaded.stdout.strip() == "86", loaded.stderr[-2000:]

    export = _run(unpacked, work, "-m", "workbench", "export", "01_weight_simulator", "--out", "html")
    assert export.returncode == 0, export.stderr[-3000:]
    html = (work / "html" / "01_weight_simulator.html").read_text(encoding="utf-8")
    assert "application/vnd.jupyter.widget-state+json" in html and "@font-face" in html
    assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']https?://", html)  # nothing from the network
    # nothing but the outputs asked for appeared in the working folder
    assert sorted(p.name for p in work.iterdir()) == ["html", "mine", "reports"]
