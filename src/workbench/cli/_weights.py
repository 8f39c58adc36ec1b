"""The ``ahp`` command: AHP weights from an expert panel's survey sheet, with a consistency report."""

from __future__ import annotations

import sys
from pathlib import Path

from ._common import _inputs

__all__ = ["cmd_ahp"]


def _csv(frame) -> bytes:
    from ..io import table_bytes

    return table_bytes(frame, ".csv")  # formula-safe, UTF-8 with BOM for Excel and WPS


def cmd_ahp(args) -> int:
    import warnings

    from ..calibration import ahp_weights_for_rubric, panel_from_sheet
    from ..errors import SpecError, WorkbenchWarning
    from ..io import check_outputs, write_files
    from ..rubric import load_rubric
    from ..rubric._write import rubric_yaml

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise SpecError(f"--out must be a folder; {out} is a file.", key="out")
    names = (
        "ahp_weights.csv",
        "ahp_consistency.csv",
        "ahp_worst_judgments.csv",
        "ahp_completed_judgments.csv",
    )
    check_outputs(_inputs(args), [out / n for n in names] + [args.write_rubric], folder=None)
    rubric = load_rubric(args.rubric)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", WorkbenchWarning)
        panel = panel_from_sheet(args.sheet_file, rubric, sheet=args.sheet, coding=args.coding)
        res = ahp_weights_for_rubric(
            panel, rubric, aggregate=args.aggregate, n_boot=args.n_boot, seed=args.seed
        )
        weighted = res.rubric(categories=args.categories) if args.write_rubric else None
    consistency = res.cr.copy()
    bad = res.inconsistent.groupby("expert")["parent"].agg(lambda s: " ".join(map(str, s)))
    consistency["inconsistent_blocks"] = bad.reindex(consistency.index).fillna("")
    tables = (res.weights, consistency, res.worst.set_index("expert"), res.completed.set_index("expert"))
    files = {out / n: _csv(t) for n, t in zip(names, tables)}
    if weighted is not None:
        files[Path(args.write_rubric)] = rubric_yaml(weighted).encode("utf-8")
    written = write_files(files)  # all or none
    for w in caught:
        if issubclass(w.category, WorkbenchWarning):
            print(f"warning: {w.message}", file=sys.stderr)
    bad_experts = ", ".join(map(str, res.inconsistent_experts)) or "none"
    print(
        f"AHP weights for {rubric.code}: {len(res.cr)} experts, blocks judged: {', '.join(res.judged)}; "
        f"inconsistent (CR > {res.settings['threshold']:g}): {bad_experts}"
    )
    for note in res.notes:
        print(f"note: {note}")
    for path in written:
        print(f"written: {path}")
    return 0
