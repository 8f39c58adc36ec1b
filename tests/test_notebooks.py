"""The notebook tour: conventions (parameters cell, recap, orchestration only) and execution.

Notebooks are jupytext ``py:percent`` files; each one is converted and executed top to bottom on
the bundled samples, from the repository root, as CI would.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py"))


def _cells(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    parts = text.split("\n# %%")
    return parts[1:] if len(parts) > 1 else [text]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_conventions(path):
    cells = _cells(path)
    code_cells = [c for c in cells if not c.lstrip().startswith("[markdown]")]
    assert code_cells and 'tags=["parameters"]' in code_cells[0].splitlines()[0], (
        f"{path.name}: the first code cell must be tagged parameters"
    )
    last_md = [c for c in cells if c.lstrip().startswith("[markdown]")][-1]
    assert any(w in last_md for w in ("小结", "What we learned", "What we did")), (
        f"{path.name}: end with a recap"
    )
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        assert not isinstance(node, ast.ClassDef), f"{path.name}: classes belong in the package"
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            assert length <= 6, f"{path.name}: def {node.name} has {length} lines; move it into the package"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path, tmp_path):
    jupytext = pytest.importorskip("jupytext")
    nbclient = pytest.importorskip("nbclient")
    nb = jupytext.read(path)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    env_backup = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = "Agg"
    try:
        client = nbclient.NotebookClient(
            nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
        )
        client.execute()
    finally:
        if env_backup is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = env_backup
    errors = [
        out
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]
    assert not errors
