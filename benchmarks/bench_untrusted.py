"""Benchmark: the limits on untrusted input cost little, and refuse bombs at once (issue 12).

Targets:
- an alias bomb (9 anchors of 9, ~387 million values) is refused in under 1 s with under 20 MB;
  baseline: libyaml's own parse of a benign rubric of the same size.
- a 5 KB workbook with a cell at XFD1048576 is refused in under 1 s; baseline: opening it with
  openpyxl (read-only), the first step of any read.
- ``workbench check`` of a 100,000-indicator rubric: at most 2.5x ``yaml.load`` with libyaml's
  C loader on the same file (the floor for any YAML reader; it used to take 100 s).
- ``write_table`` of 100,000 units x 20 columns to CSV with formula neutralisation and fsync: at
  most 1.5x the previous writer (``DataFrame.to_csv`` text, encoded, written).
- ``read_table`` of 100,000 units (ids normalised, duplicates and controls checked): at most 2x
  ``pandas.read_csv`` alone.

Run: ``.venv/bin/python benchmarks/bench_untrusted.py [--quick]``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from _timing import best_of

import workbench as wb
from workbench.errors import DataError, RubricError
from workbench.io import write_table


def report(name, value, unit, target, baseline_name, baseline, ratio_target=None):
    ratio = value / baseline if baseline else float("nan")
    ok = value <= target if ratio_target is None else ratio <= ratio_target
    goal = f"target <= {target:g} {unit}" if ratio_target is None else f"target ratio <= {ratio_target:g}"
    print(
        f"{name}: {value:.3g} {unit} ({goal}); {baseline_name} {baseline:.3g} s; ratio {ratio:.2f}"
        + ("" if ok else "  MISSED")
    )


def bomb(folder: Path) -> None:
    lines = ["a0: &a0 [" + ",".join(["x"] * 9) + "]"]
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    p = folder / "bomb.yaml"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    benign = folder / "benign.yaml"
    benign.write_text(
        "code: x\nname: y\nblocks:\n" + "".join(f"  - {{code: b{i}, name: n}}\n" for i in range(12)),
        encoding="utf-8",
    )
    text = benign.read_text(encoding="utf-8")
    base = best_of(lambda: yaml.load(text, Loader=yaml.CSafeLoader), repeat=5)
    try:  # warm: imports are not part of the refusal
        wb.load_rubric(benign)
    except RubricError:
        pass

    def refuse():
        try:
            wb.load_rubric(p)
        except RubricError:
            return
        raise AssertionError("the bomb was accepted")

    tracemalloc.start()
    t = time.perf_counter()
    refuse()
    elapsed = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    report("alias bomb (9x9) refused", elapsed, "s", 1.0, "libyaml parse of a same-size rubric", base)
    print(f"alias bomb peak memory: {peak:.2f} MB (target <= 20 MB)" + ("" if peak <= 20 else "  MISSED"))


def far_cell(folder: Path) -> None:
    import openpyxl

    p = folder / "far.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["unit", "x"])
    ws.append(["A", 1])
    ws["XFD1048576"] = 1
    book.save(p)
    base = best_of(lambda: openpyxl.load_workbook(p, read_only=True).close(), repeat=5)

    def refuse():
        try:
            wb.read_table(p)
        except DataError:
            return
        raise AssertionError("accepted")

    report("5 KB workbook with a cell at XFD1048576 refused", best_of(refuse, repeat=5), "s", 1.0,
           "openpyxl read-only open", base)  # fmt: skip


def big_rubric(folder: Path, n_blocks: int, per: int) -> None:
    lines = ["code: big", "name: 大方案", "weighting: relative", "scale: 100", "blocks:"]
    for b in range(n_blocks):
        lines.append(f"  - code: b{b}\n    name: 板块{b}\n    weight: 1\n    indicators:")
        lines += [
            f"      - {{code: b{b}i{i}, name: 指标{b}-{i}, weight: 1, rule: {{type: target_ratio, target: 4}}}}"
            for i in range(per)
        ]
    p = folder / "big.yaml"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    text = p.read_text(encoding="utf-8")
    base = best_of(lambda: yaml.load(text, Loader=yaml.CSafeLoader), repeat=1)
    elapsed = best_of(lambda: wb.load_rubric(p), repeat=1)
    report(
        f"check of a {n_blocks * per:,}-indicator rubric", elapsed, "s", 0, "yaml.load (C loader)", base, 2.5
    )


def tables(folder: Path, n: int) -> None:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(n, 18)), columns=[f"x{i}" for i in range(18)])
    frame.insert(0, "name", [f"单位{i}" if i % 1000 else "=HYPERLINK(1)" for i in range(n)])
    frame.insert(0, "unit", [f"U{i:06d}" for i in range(n)])
    frame = frame.set_index("unit")
    p = folder / "t.csv"
    # the writer before issue 12: pandas text, encoded, written (no neutralising, no fsync)
    base = best_of(lambda: (folder / "plain.csv").write_bytes(frame.to_csv().encode("utf-8-sig")), repeat=3)
    report(f"write_table {n:,} x 20 CSV", best_of(lambda: write_table(p, frame), repeat=3), "s", 0,
           "DataFrame.to_csv + encode + write", base, 1.5)  # fmt: skip
    base = best_of(lambda: pd.read_csv(p, dtype={"unit": object}), repeat=3)
    report(f"read_table {n:,} x 20 CSV", best_of(lambda: wb.read_table(p), repeat=3), "s", 0,
           "pandas.read_csv", base, 2.0)  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    quick = ap.parse_args().quick
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bomb(folder)
        far_cell(folder)
        tables(folder, 10_000 if quick else 100_000)
        big_rubric(folder, 100, 100) if quick else big_rubric(folder, 1000, 100)


if __name__ == "__main__":
    main()
