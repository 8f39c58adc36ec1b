"""The README's code examples run as written, from the repository's root (issue 11)."""

from __future__ import annotations

import doctest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_examples_run_as_written(tmp_path, monkeypatch):
    # a working folder that looks like the repository's root, so files the examples write
    # (reports/...) land in tmp_path, not in the clone
    for name in ("indicators", "data"):
        (tmp_path / name).symlink_to(ROOT / name, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    result = doctest.testfile(
        str(ROOT / "README.md"),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        verbose=False,
    )
    assert result.attempted >= 20
    assert result.failed == 0
    assert (tmp_path / "reports" / "cq_organs_ahp.yaml").exists()
