"""Commands on a data table: ``score`` (scores, grades and ranks to CSV or Excel) and ``check``
(validate a rubric file, or a table against a rubric)."""

from __future__ import annotations

from pathlib import Path

from ._common import _inputs, _load

__all__ = ["cmd_score", "cmd_check"]


def cmd_score(args) -> int:
    from ..io import check_outputs, table_bytes, unit_names, write_files
    from ..report.sheets import score_tables
    from ..scoring import score

    out = Path(args.out)
    xlsx = out.suffix.lower() in (".xlsx", ".xlsm")
    # a CSV holds one table: the rounded scores, and the full precision next to it
    full = out.with_name(f"{out.stem}_full_precision{out.suffix or '.csv'}")
    check_outputs(_inputs(args), [out] if xlsx else [out, full])
    rubric, data = _load(args)
    card = score(rubric, data)
    sheets = score_tables(card, unit_names(data), lang=args.lang, block_names=args.names)
    first, precise = list(sheets.values())[:2]
    if xlsx:
        files = {out: table_bytes(sheets, out.suffix)}
    else:
        files = {out: table_bytes(first, out.suffix or ".csv"), full: table_bytes(precise, full.suffix)}
    for path in write_files(files):  # formula-safe cells; all or none
        print(f"scores written: {path} ({len(first)} units)")
    return 0


def cmd_check(args) -> int:
    from ..io import read_table
    from ..rubric import load_rubric

    if args.rubric is None and args.path.endswith((".yaml", ".yml")):
        rubric = load_rubric(args.path)
        print(
            f"rubric OK: {rubric.code} {rubric.name}: {len(rubric.indicators)} indicators, "
            f"{len(rubric.top_blocks)} top blocks, scale {rubric.scale:g}"
        )
        return 0
    rubric = load_rubric(args.rubric) if args.rubric else None
    data = read_table(args.path, rubric=rubric, sheet=args.sheet, unit=args.unit)
    enc = data.attrs.get("encoding")
    print(
        f"table OK: {len(data)} units, {data.shape[1]} columns"
        + (f", encoding {enc}" if enc else "")
        + (f", fits rubric {rubric.code}" if rubric else "")
    )
    return 0
