"""Benchmark: collecting 1,000 returned workbooks (issue 15).

Target: ``workbench.collection.collect`` reads, validates and consolidates 1,000 returned forms
(one per unit, the county's 27 indicators plus bonus, deduction and veto items, a few planted
problems and broken files) in at most 30 s on this machine. Baseline, measured in the same run:
loading the same workbooks with openpyxl in read-only mode and reading every row of their first
sheet (the floor for reading them with the usual library; nothing validated).

Run: ``.venv/bin/python benchmarks/bench_collect.py [--quick]`` (``--quick``: 100 returns).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pandas as pd
from _timing import best_of_with_result

import workbench as wb
from workbench.collection import collect, simulate_returns

TARGET_S = 30.0


def units_table(n: int) -> pd.DataFrame:
    """``n`` units: the county's 86 departments repeated, with new ids and names."""
    rubric, data = wb.examples.load_example("county", up_to="data")
    reps = -(-n // len(data))
    big = pd.concat([data] * reps).iloc[:n].copy()
    big.index = pd.Index([f"U{i + 1:04d}" for i in range(n)], name=data.index.name)
    big["name"] = [f"{nm}{i // len(data) + 1}" for i, nm in enumerate(big["name"])]
    return rubric, big


def openpyxl_floor(paths: list[Path]) -> int:
    import openpyxl

    cells = 0
    for p in paths:
        try:
            book = openpyxl.load_workbook(p, read_only=True, data_only=True)
        except Exception:  # the planted broken files: openpyxl cannot open them either
            continue
        for row in book.worksheets[0].iter_rows(values_only=True):
            cells += len(row)
        book.close()
    return cells


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 returns instead of 1,000")
    args = parser.parse_args()
    n = 100 if args.quick else 1000
    rubric, data = units_table(n)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "returns"
        t = time.perf_counter()
        truth = simulate_returns(rubric, data, folder, seed=15, csv_units=5)
        made = time.perf_counter() - t
        paths = sorted(folder.iterdir())
        print(f"setup: {len(paths)} files written in {made:.1f} s ({len(truth)} planted problems)")
        units = data[["name", "category"]]
        collect(folder, rubric, units=units.iloc[:10])  # warm: imports are not part of the run
        openpyxl_floor(paths[:5])
        repeat = 3 if args.quick else 2
        seconds, result = best_of_with_result(lambda: collect(folder, rubric, units=units), repeat=repeat)
        floor, _cells = best_of_with_result(lambda: openpyxl_floor(paths), repeat=repeat)
        expected = n - truth.loc[truth["kind"] == "duplicate_unit", "unit"].nunique()
        assert len(result.table) == expected, (len(result.table), expected)
        ratio = seconds / floor
        print(
            f"collect {len(paths)} returns ({len(result.table)} units, {len(result.problems)} problems): "
            f"{seconds:.2f} s (target <= {TARGET_S:g} s); openpyxl read-only load of the same files "
            f"{floor:.2f} s; ratio {ratio:.2f}" + ("" if seconds <= TARGET_S else "  MISSED")
        )
        print(
            f"per return: {1000 * seconds / len(paths):.1f} ms; openpyxl floor {1000 * floor / len(paths):.1f} ms"
        )


if __name__ == "__main__":
    main()
