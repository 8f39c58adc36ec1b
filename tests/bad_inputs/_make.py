"""Builders for the bad-input corpus: small valid files and ways to break them."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from conftest import ROOT, SMALL_DATA, SMALL_RUBRIC

CASES: list[Case] = []
SAMPLES = ROOT / "data" / "samples"
CQ = ROOT / "indicators" / "cq_organs.yaml"
PANEL = SAMPLES / "expert_panel.csv"


@dataclass
class Setup:
    """What a case built: the CLI arguments, the API call (or None), the file the message names."""

    argv: list[str]
    file: str
    api: Callable | None = None
    check: Callable | None = None  # for documented safe handling: inspects the output folder


@dataclass
class Case:
    id: str
    area: str
    make: Callable[[Path, Path], Setup]
    error: type | None = None  # the typed error the API raises; None = documented safe handling
    where: tuple[str, ...] = ()
    safe: str | None = None  # what the documented safe handling is
    tags: tuple[str, ...] = field(default_factory=tuple)


def case(id, area, *, error=None, where=(), safe=None):
    """Register the decorated ``make(folder, out) -> Setup`` as a corpus case."""

    def deco(make):
        CASES.append(Case(id, area, make, error, tuple(where), safe))
        return make

    return deco


def write(folder: Path, name: str, content, encoding: str = "utf-8") -> Path:
    p = folder / name
    p.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return p


def rubric(folder: Path, text: str = SMALL_RUBRIC, name: str = "r.yaml") -> Path:
    return write(folder, name, text)


def data(folder: Path, text: str = SMALL_DATA, name: str = "d.csv", encoding: str = "utf-8") -> Path:
    return write(folder, name, text, encoding)


def cell(text: str, unit: str, column: str, value: str) -> str:
    """SMALL_DATA-style CSV text with one cell replaced."""
    lines = text.splitlines()
    header = lines[0].split(",")
    k = header.index(column)
    for i, line in enumerate(lines[1:], start=1):
        parts = line.split(",")
        if parts[0] == unit:
            parts[k] = value
            lines[i] = ",".join(parts)
    return "\n".join(lines) + "\n"


def rows(text: str = SMALL_DATA) -> list[list]:
    """CSV text as rows of typed cells (numbers as numbers), for Excel and Parquet builders."""
    out = []
    for line in text.strip().splitlines():
        row = []
        for v in line.split(","):
            try:
                row.append(float(v) if "." in v else int(v))
            except ValueError:
                row.append(v)
        out.append(row)
    return out


def xlsx(folder: Path, table: list[list], name: str = "d.xlsx", post=None) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "数据"
    for r in table:
        ws.append(r)
    if post is not None:
        post(ws)
    p = folder / name
    book.save(p)
    return p


def add_zip_part(path: Path, name: str, payload: bytes) -> None:
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(name, payload)


def replace_zip_part(path: Path, part: str, edit) -> None:
    with zipfile.ZipFile(path) as zf:
        items = [(i, zf.read(i.filename)) for i in zf.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for info, payload in items:
            zf.writestr(info.filename, edit(payload) if info.filename == part else payload)


def alias_bomb(levels: int = 9, width: int = 9, indent: str = "") -> str:
    lines = [f"{indent}a0: &a0 [" + ",".join(["x"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"{indent}a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def score_argv(r: Path, d: Path, out: Path, *extra) -> list[str]:
    return ["score", "--rubric", str(r), "--data", str(d), "--out", str(out / "scores.csv"), *extra]


def check_argv(path: Path, r: Path | None = None) -> list[str]:
    return ["check", str(path)] + (["--rubric", str(r)] if r is not None else [])
