"""The yearly-loop commands of ``workbench``: template, collect, compare, years.

Kept beside :mod:`workbench.cli`, which adds them with :func:`add_commands`; each command is a thin
shell over :mod:`workbench.collection` and :mod:`workbench.compare`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .._i18n import _

__all__ = ["add_commands"]

_SHOWN = 20  # problems or changes printed; the files hold all of them


def _units(path):
    if path is None:
        return None
    from ..io import read_table

    return read_table(path)


def cmd_template(args) -> int:
    from ..collection import write_template, write_unit_templates
    from ..errors import SpecError
    from ..rubric import load_rubric

    if args.out is None and args.per_unit is None:
        raise SpecError(_("give --out FILE.xlsx, --per-unit DIR, or both"), key="out")
    rubric = load_rubric(args.rubric)
    units = _units(args.units)
    inputs = [args.rubric, args.units]
    written = []
    if args.per_unit is not None:
        written += write_unit_templates(rubric, units, args.per_unit, inputs=inputs)
    if args.out is not None:
        written.append(
            write_template(rubric, args.out, layout=args.layout, units=units, rows=args.rows, inputs=inputs)
        )
    for path in written[:_SHOWN]:
        print(_("form written: {path}").format(path=path))
    if len(written) > _SHOWN:
        print(_("... and {n} more forms").format(n=len(written) - _SHOWN))
    return 0


def cmd_collect(args) -> int:
    from ..collection import collect
    from ..io import printable
    from ..rubric import load_rubric

    rubric = load_rubric(args.rubric)
    units = _units(args.units)
    result = collect(args.folder, rubric, units=units, check=args.check, recursive=args.recursive)
    inputs = [args.rubric, args.units]
    written = result.write(args.out, inputs=inputs)
    if args.feedback:
        written += result.write_feedback(args.feedback, inputs=inputs)
    p = result.problems
    print(
        _(
            "{files} files read, {units} units collected ({ready} ready to score); {errors} errors, "
            "{warnings} warnings; {skipped} files skipped"
        ).format(
            files=len(result.files),
            units=len(result.table),
            ready=len(result.ready),
            errors=int((p["severity"] == "error").sum()),
            warnings=int((p["severity"] == "warning").sum()),
            skipped=int((result.files["status"] == "skipped").sum()),
        )  # fmt: skip
    )
    for row in p.head(_SHOWN).itertuples():
        where = " ".join(str(x) for x in (row.file, row.cell, row.field_name or row.field) if x)
        print(printable(f"  {where}: {row.message}"))  # file names and values come from the returns
    if len(p) > _SHOWN:
        print(_("  ... {n} more in the output file").format(n=len(p) - _SHOWN))
    if result.checks is not None:
        print(_("report checks: {n} figures deviate from their peers").format(n=result.checks.n_figures))
    for path in written:
        print(_("written: {path}").format(path=path))
    return 0


def cmd_compare(args) -> int:
    from ..compare import compare_versions, plot_versions
    from ..examples import resolve_rubric
    from ..io import read_table, table_bytes, write_files
    from ..rubric import load_rubric

    old, new = (load_rubric(resolve_rubric(p)) for p in (args.old, args.new))
    data = read_table(args.data, sheet=args.sheet, unit=args.unit)
    cmp = compare_versions(old, new, data)
    changes = cmp.diff.changes
    print(_("{old} → {new}: {n} changes in the rubric").format(old=old.code, new=new.code, n=len(changes)))
    for text in changes["description"].head(_SHOWN):
        print(f"  {text}")
    u = cmp.units
    print(
        _(
            "{n} units: grade up {up}, down {down}; rank changed for {moved}; rank correlation {rho:.3f}"
        ).format(
            n=len(u),
            up=int((u["grade_change"] > 0).sum()),
            down=int((u["grade_change"] < 0).sum()),
            moved=int((u["rank_change"] != 0).sum()),
            rho=cmp.rank_correlation(),
        )  # fmt: skip
    )
    for uid, row in cmp.movers().head(_SHOWN).iterrows():
        name = row.get("name", "") or ""
        print(f"  {uid} {name}: {row['grade_old']} → {row['grade_new']}  {row['reason']}  {row['drivers']}")
    files = {}
    if args.out:
        sheets = {_("Rubric changes"): changes, _("Units"): u, _("Weights"): cmp.weights,
                  _("Item contributions"): cmp.contributions}  # fmt: skip
        files[Path(args.out)] = table_bytes(sheets, Path(args.out).suffix or ".xlsx")
    if args.chart:
        from ..report.plots import figure_png

        files[Path(args.chart)] = figure_png(plot_versions(cmp))
    for path in write_files(files) if files else []:
        print(_("written: {path}").format(path=path))
    return 0


def cmd_years(args) -> int:
    from ..compare import compare_periods, plot_periods
    from ..examples import resolve_rubric
    from ..io import read_table, table_bytes, unit_names, write_files
    from ..rubric import load_rubric
    from ..scoring import score

    periods, names = {}, None
    now = [args.period or _("this period"), args.rubric, args.data]  # as `brief --previous ... --period`
    for label, rubric_path, data_path in [*args.previous, now]:
        rubric = load_rubric(resolve_rubric(rubric_path))
        data = read_table(data_path, rubric=rubric)
        periods[label] = score(rubric, data)
        names = unit_names(data) if unit_names(data) is not None else names
    yoy = compare_periods(periods, names=names, threshold=args.threshold)
    m = yoy.movement
    print(_("{prev} → {now}: {up} units moved up, {down} moved down; grade up {gu}, down {gd}").format(
        prev=yoy.periods[-2], now=yoy.periods[-1], up=int((m["move"] == "up").sum()),
        down=int((m["move"] == "down").sum()), gu=int((m["grade_change"] > 0).sum()),
        gd=int((m["grade_change"] < 0).sum())))  # fmt: skip
    for row in yoy.blocks.to_dict("records"):
        print(
            _("  {block}: {up} improving, {down} declining").format(
                block=row["name"], up=row["improving"], down=row["declining"]
            )
        )
    files = {}
    if args.out:
        sheets = {_("Movements"): m, _("Block changes"): yoy.block_change, _("Blocks"): yoy.blocks,
                  _("Grade transitions"): yoy.transitions, _("Ranks"): yoy.ranks}  # fmt: skip
        files[Path(args.out)] = table_bytes(sheets, Path(args.out).suffix or ".xlsx")
    if args.chart:
        from ..report.plots import figure_png

        files[Path(args.chart)] = figure_png(plot_periods(yoy))
    for path in write_files(files) if files else []:
        print(_("written: {path}").format(path=path))
    return 0


def add_commands(sub, epilog: str, default_rubric: str) -> None:
    """Add the template, collect, compare and years commands to the ``workbench`` parser."""
    fmt = argparse.RawDescriptionHelpFormatter
    p = sub.add_parser(
        "template",
        help=_("write data-collection forms (Excel) from a rubric"),
        epilog=epilog,
        formatter_class=fmt,
    )
    p.add_argument(
        "--rubric",
        default=default_rubric,
        help=_("rubric file (default {rubric})").format(rubric=default_rubric),
    )
    p.add_argument("--out", default=None, help=_("the form to write (.xlsx)"))
    p.add_argument("--units", default=None, help=_("table of units (id, name, category) to pre-fill"))
    p.add_argument("--per-unit", default=None, metavar="DIR", help=_("write one form per unit into DIR"))
    p.add_argument("--layout", choices=["indicator", "unit"], default=None,
                   help=_("one row per item (one unit) or one row per unit (default: per unit when --units lists several)"))  # fmt: skip
    p.add_argument(
        "--rows", type=int, default=50, help=_("blank unit rows of a per-unit form without --units (50)")
    )
    p.set_defaults(func=cmd_template)

    p = sub.add_parser(
        "collect",
        help=_("collect returned forms and tables from a folder into one table"),
        epilog=epilog,
        formatter_class=fmt,
    )
    p.add_argument("folder", help=_("folder of returned workbooks and CSV files (never modified)"))
    p.add_argument(
        "--rubric",
        default=default_rubric,
        help=_("rubric file (default {rubric})").format(rubric=default_rubric),
    )
    p.add_argument("--out", required=True, help=_("consolidated table and problem list (.xlsx, or .csv)"))
    p.add_argument("--units", default=None, help=_("table of the units expected (id, name, category)"))
    p.add_argument("--check", action="store_true", help=_("also check figures that deviate from their peers"))
    p.add_argument(
        "--feedback", default=None, metavar="DIR", help=_("write one problem list per returned file into DIR")
    )
    p.add_argument("--recursive", action="store_true", help=_("also read subfolders"))
    p.set_defaults(func=cmd_collect)

    p = sub.add_parser(
        "compare",
        help=_("compare two versions of a rubric on the same units"),
        epilog=epilog,
        formatter_class=fmt,
    )
    p.add_argument("--old", required=True, help=_("the rubric as it was (.yaml)"))
    p.add_argument("--new", required=True, help=_("the revised rubric (.yaml)"))
    p.add_argument("--data", required=True, help=_("data table of the units"))
    p.add_argument("--sheet", default=None, help=_("Excel sheet name"))
    p.add_argument("--unit", default=None, help=_("unit id column (default: detected)"))
    p.add_argument("--out", default=None, help=_("write the comparison (.xlsx)"))
    p.add_argument("--chart", default=None, help=_("write the chart (.png)"))
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser(
        "years",
        help=_("rank and grade movements between periods (进位/退位)"),
        epilog=epilog,
        formatter_class=fmt,
    )
    p.add_argument(
        "--rubric",
        default=default_rubric,
        help=_("rubric file (default {rubric})").format(rubric=default_rubric),
    )
    p.add_argument("--data", required=True, help=_("this period's data table"))
    p.add_argument("--period", default=None, help=_("label of this period (e.g. 2025)"))
    p.add_argument("--previous", nargs=3, action="append", required=True, metavar=("LABEL", "RUBRIC", "DATA"),
                   help=_("an earlier period: its label, rubric and data (oldest first; repeat for more)"))  # fmt: skip
    p.add_argument("--threshold", type=float, default=0.05,
                   help=_("change of a block's share of full marks that counts as improving (0.05)"))  # fmt: skip
    p.add_argument("--out", default=None, help=_("write the movements (.xlsx)"))
    p.add_argument("--chart", default=None, help=_("write the chart (.png)"))
    p.set_defaults(func=cmd_years)
