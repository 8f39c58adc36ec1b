"""The bad-input corpus (tests/bad_inputs): every hostile or broken input is refused cleanly.

For each case: the API raises the typed error with a message naming the file and the place; the
CLI exits 2 with the same, without a traceback; nothing is written (no output, no temporary file)
and the inputs are byte for byte unchanged. Cases marked ``safe`` are documented safe handling
(the input is accepted and made harmless); for them the CLI exits 0 and the output is checked.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from bad_inputs import CASES

from workbench.cli import main


def snapshot(root: Path) -> dict[str, str]:
    """Relative path -> content hash of every file under ``root`` (links by target, huge files by size)."""
    out = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            p = Path(dirpath) / name
            rel = str(p.relative_to(root))
            if p.is_symlink():
                out[rel] = "link:" + os.readlink(p)
            elif p.stat().st_size > 50 * 1024 * 1024:  # sparse test files: size is enough
                out[rel] = f"size:{p.stat().st_size}"
            else:
                out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def test_the_corpus_is_large_and_covers_every_area():
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids)) and len(ids) >= 100, len(ids)
    areas = {c.area for c in CASES}
    assert areas >= {"rubric YAML", "scenario YAML", "data CSV", "data Excel", "data Parquet", "expert sheet",
                     "report filings", "CLI paths"}  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case, tmp_path, capsys):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    out.mkdir()  # outputs go into a folder that exists (a missing one is an error without --mkdir)
    setup = case.make(folder, out)
    before = snapshot(tmp_path)
    if case.safe is None and setup.api is not None:
        with pytest.raises(case.error) as info:
            setup.api()
        message = str(info.value)
        assert setup.file in message, message
        for where in case.where:
            assert where in message, (where, message)
    if setup.argv is not None:
        code = main(setup.argv)
        err = capsys.readouterr().err
        assert "Traceback" not in err and "internal error" not in err, err
        if case.safe is None:
            assert code == 2, err
            assert setup.file in err, err
            for where in case.where:
                assert where in err, (where, err)
        else:
            assert code == 0, err
    after = snapshot(tmp_path)
    if case.safe is None:
        assert after == before  # nothing written, no temporary file left, inputs unchanged
    else:
        assert {k: after[k] for k in before} == before  # inputs unchanged
        assert not [k for k in after if ".wbtmp-" in k or ".wbstage-" in k]
        out.mkdir(exist_ok=True)
        setup.check(out)


def test_every_command_is_in_the_corpus():
    import inspect

    source = "".join(inspect.getsource(__import__(f"bad_inputs.{m}", fromlist=["x"])) for m in
                     ("cases_rubric", "cases_tables", "cases_other", "_make"))  # fmt: skip
    for command in ("check", "score", "brief", "ahp", "simulate", "export"):
        assert f'"{command}"' in source, command
