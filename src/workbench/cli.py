"""The ``workbench`` command.

Exit codes: 0 success, 2 bad input (the message says where), 1 internal error.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

from .errors import WorkbenchError

__all__ = ["main"]

# Bare names resolve to the shipped examples (workbench.examples), so the defaults work from any folder.
DEFAULT_RUBRIC = "cq_organs"
# a sweep's points are each a full model run; more than this is a typo such as 0:1:1e-9
MAX_SWEEP_POINTS = 1000

# Messages of this module, in one place (to move into the gettext catalogue).
MESSAGES = {
    "bad_values": (
        "--values must be start:stop:step (e.g. 0:0.5:0.05) or a list (e.g. 0.02,0.1,0.3) of finite "
        "numbers; got {text!r}"
    ),
    "too_many_points": "--values {text!r} gives {n:,.0f} points; at most {limit:,} are allowed",
    "error": "error: {message}",
    "warning": "warning: {message}",
    "internal": "internal error: {message}; please report it with the command you ran",
}

EPILOG = textwrap.dedent(
    """\
    examples:
      workbench brief                                   # default briefing (HTML + PDF) from the bundled samples
      workbench brief --rubric indicators/longxi_vanguard.yaml   # any shipped rubric: it names its sample data
      workbench brief --rubric indicators/enterprise.yaml --feedback reports/feedback   # + a 反馈单 per unit
      workbench brief --rubric indicators/comprehensive_2pct.yaml --scenario indicators/scenarios/party_weight_10.yaml
      workbench brief --rubric indicators/enterprise.yaml --data data/samples/enterprises.csv --out reports/
      workbench score --rubric indicators/cq_organs.yaml --data my_units.xlsx --sheet 数据 --out scores.xlsx
      workbench check indicators/my_rubric.yaml         # validate a rubric and list every problem
      workbench export notebooks/01_weight_simulator.py # offline HTML with working widget views
      workbench simulate --rubric indicators/comprehensive_2pct.yaml --values 0:0.5:0.02   # the 2% problem
      workbench simulate --rubric indicators/hangzhou_dual100.yaml   # the question that fits the scheme
      workbench uncertainty --draws 1000 --scheduler tcp://10.0.0.5:8786   # rank intervals on a dask cluster
      workbench check --rubric indicators/cq_organs.yaml my_units.csv   # validate a data table
      workbench ahp --sheet-file data/samples/expert_panel.xlsx --out reports/ahp --write-rubric reports/ahp.yaml
      workbench examples --to my_workbench                # copy the shipped rubrics, scenarios, samples and notebooks

    exit codes: 0 success, 2 bad input (the message says where), 1 internal error
    """
)


def _resolve_inputs(args) -> None:
    """Bare rubric names resolve to the shipped rubrics (the data default to the rubric's sample)."""
    from .examples import resolve_rubric

    if getattr(args, "rubric", None):
        args.rubric = str(resolve_rubric(args.rubric))


def _load(args):
    from .io import read_table
    from .report.briefing import resolve_data
    from .rubric import load_rubric

    rubric = load_rubric(args.rubric)
    # without --data: the sample table the rubric names (example_data)
    path = resolve_data(rubric, args.data)
    data = read_table(
        path, rubric=rubric, sheet=getattr(args, "sheet", None), unit=getattr(args, "unit", None)
    )
    return rubric, data


def cmd_brief(args) -> int:
    import warnings

    from .errors import WorkbenchWarning
    from .report.briefing import build_briefing

    formats = ("html", "pdf") if args.format == "both" else (args.format,)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", WorkbenchWarning)
        written = _brief(args, build_briefing, formats)
    for w in caught:
        if issubclass(w.category, WorkbenchWarning):
            print(f"warning: {w.message}", file=sys.stderr)
    sheets = [p for p in written if args.feedback and Path(p).parent == Path(args.feedback)]
    for path in written:
        if path not in sheets:
            print(f"briefing written: {path}")
    if sheets:
        units = sum(1 for p in sheets if p.suffix in (".html", ".pdf")) // len(formats)
        print(f"feedback sheets written: {args.feedback} ({units} units, {' and '.join(formats).upper()})")
    return 0


def _brief(args, build_briefing, formats):
    return build_briefing(
        args.rubric,
        args.data,
        args.out,
        scenario_path=args.scenario,
        outcome_path=args.outcome,
        lang=args.lang,
        formats=formats,
        n_draws=args.draws,
        seed=args.seed,
        sheet=args.sheet,
        unit=args.unit,
        progress=sys.stderr.isatty(),
        feedback=args.feedback,
        revision_path=args.revision,
        previous=args.previous,
        period=args.period,
    )


def cmd_score(args) -> int:
    from .io import check_outputs, table_bytes, unit_names, write_files
    from .report.sheets import score_tables
    from .scoring import score

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
    from .io import read_table
    from .rubric import load_rubric

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


def _csv(frame) -> bytes:
    from .io import table_bytes

    return table_bytes(frame, ".csv")  # formula-safe, UTF-8 with BOM for Excel and WPS


def cmd_ahp(args) -> int:
    import warnings

    from ._rubric_write import rubric_yaml
    from .calibration import ahp_weights_for_rubric, panel_from_sheet
    from .errors import SpecError, WorkbenchWarning
    from .io import check_outputs, write_files
    from .rubric import load_rubric

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


def cmd_uncertainty(args) -> int:
    from .sensitivity._command import run

    return run(args, _load)


def cmd_export(args) -> int:
    import tempfile

    from .examples import copy_examples, shipped_root
    from .io import check_outputs
    from .report.export import export_notebook

    shipped = shipped_root() / "notebooks"
    sources = []
    for nb in args.notebooks:
        path = Path(nb)
        if not path.exists() and path.parent == Path("."):
            # a shipped notebook by name: '01_weight_simulator' or '01_weight_simulator.py'
            path = shipped / f"{path.stem}.py"
        if not path.exists():
            names = ", ".join(p.stem for p in sorted(shipped.glob("[0-9][0-9]_*.py")))
            raise WorkbenchError(f"notebook not found: {nb}", file=nb, hint=f"shipped notebooks: {names}")
        sources.append(path)
    out = Path(args.out)
    html = [out if out.suffix.lower() == ".html" else out / f"{path.stem}.html" for path in sources]
    check_outputs(_inputs(args) + sources, html)
    for path in sources:
        with tempfile.TemporaryDirectory(prefix="workbench-export-") as tmp:
            # shipped notebooks read indicators/ and data/samples/ from their working folder: run them
            # in a scratch copy of the examples, so nothing is written inside the installed package
            cwd = Path.cwd()
            if path.is_relative_to(shipped):
                copy_examples(tmp)
                cwd = Path(tmp)
            written = export_notebook(
                path, out.resolve(), cwd=cwd, hide_code=args.hide_code, progress=sys.stderr.isatty()
            )
        print(f"notebook exported: {written}")
    return 0


def cmd_examples(args) -> int:
    from .examples import copy_examples

    written = copy_examples(args.to)
    print(f"examples copied to {Path(args.to).resolve()}: {len(written)} new file(s)")
    print(f"next: cd {args.to} && workbench brief --rubric indicators/hangzhou_dual100.yaml")
    return 0


def _values(text: str) -> list[float]:
    """'0:0.5:0.05' (start:stop:step, stop included) or '0.02,0.1,0.3'; at most MAX_SWEEP_POINTS."""
    import math

    try:
        if ":" in text:
            start, stop, step = (float(v) for v in text.split(":"))
            if not all(map(math.isfinite, (start, stop, step))) or step <= 0 or stop < start:
                raise ValueError
            n = (stop - start) / step + 1
            if n > MAX_SWEEP_POINTS:  # checked before any list is built
                raise WorkbenchError(
                    MESSAGES["too_many_points"].format(n=n, limit=MAX_SWEEP_POINTS, text=text), key="values"
                )
            return [round(start + i * step, 10) for i in range(int(round(n - 1)) + 1)]
        values = [float(v) for v in text.split(",") if v.strip()]
        if not values or not all(map(math.isfinite, values)):
            raise ValueError
        if len(values) > MAX_SWEEP_POINTS:
            raise WorkbenchError(
                MESSAGES["too_many_points"].format(n=len(values), limit=MAX_SWEEP_POINTS, text=text[:40]),
                key="values",
            )
        return values
    except ValueError as exc:
        if isinstance(exc, WorkbenchError):
            raise
        raise WorkbenchError(MESSAGES["bad_values"].format(text=text), key="values") from None


def _inputs(args) -> list[Path]:
    """Every file a command reads (so that no output replaces one)."""
    found = []
    for name in ("rubric", "data", "scenario", "sheet_file", "path", "units", "old", "new", "revision"):
        value = getattr(args, name, None)
        if value:
            found.append(Path(value))
    for key in ("previous",):  # (label, rubric, data) triples of years and brief
        found += [
            Path(f) for entry in getattr(args, key, None) or [] if isinstance(entry, list) for f in entry[1:]
        ]
    found += [Path(nb) for nb in getattr(args, "notebooks", None) or []]
    outcome = getattr(args, "outcome", None)
    if outcome:  # FILE or FILE:COLUMN
        found.append(
            Path(outcome) if Path(outcome).exists() else Path(str(outcome).rpartition(":")[0] or outcome)
        )
    return found


SWEEP_DEFAULTS = {
    "party_weight": "0:0.5:0.02",
    "top_quota": "0.05:0.5:0.05",
    "n_veto": "0:6:1",
    "party_noise": "0:20:2",
    "noise": "0:20:2",
    "party_gate": "60:95:2.5",
    "party_ceiling": "80:100:2",
}


def default_parameter(rubric) -> str:
    """The design question that fits a rubric: party building's weight where it has one, the party
    gate of a dual-100 scheme, otherwise the top grade's quota (or measurement noise without grades)."""
    kind = rubric.scheme.type
    if kind == "weighted":
        return "party_weight"
    if kind == "dual100":
        return "party_gate"
    return "top_quota" if rubric.grades.bands else "party_noise"


def cmd_simulate(args) -> int:
    import matplotlib

    matplotlib.use("Agg")
    from tqdm import tqdm

    from . import incentives as inc
    from .errors import check_option
    from .io import check_outputs, safe_filename, table_bytes, write_files
    from .report.catalogue import text
    from .report.plots import figure_png, sweep_chart
    from .scoring import score

    rubric, data = _load(args)
    parameter = args.parameter or default_parameter(rubric)
    check_option(parameter, inc.DESIGNS, name="parameter", func="workbench simulate")
    values = _values(args.values or SWEEP_DEFAULTS[parameter])
    out = Path(args.out)
    stem = safe_filename(f"{rubric.code}_{parameter}_sweep")  # a code never becomes a path
    paths = [out / f"{stem}.csv", out / f"{stem}_tipping_points.csv", out / f"{stem}.png"]
    check_outputs(_inputs(args), paths, folder=out)
    with tqdm(total=3, desc="simulate", disable=not sys.stderr.isatty()) as bar:
        card = score(rubric, data)
        pop = inc.population_from_scorecard(card)
        inst = inc.institution_from_rubric(rubric)
        bar.update()
        result = inc.sweep(pop, inst, parameter, values)
        bar.update()
        table = result.to_frame()
        tips = inc.tipping_points(result, "party_share", level=args.level)
        title = text("sim_title", args.lang, rubric=rubric.name, param=text(f"sim_{parameter}", args.lang))
        png = figure_png(sweep_chart(table, parameter, args.lang, title=title))
        bar.update()
    tables = [table_bytes(table, ".csv"), table_bytes(tips, ".csv", index=False), png]
    written = write_files(dict(zip(paths, tables)), folder=out)  # all or none
    for path in written:
        print(f"written: {path}")
    if len(tips):
        print(tips.to_string(index=False))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="Design, weight, score and stress-test assessment rubrics (党建工作考核评价).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def data_args(p):
        p.add_argument("--rubric", default=DEFAULT_RUBRIC, help=f"rubric file (default {DEFAULT_RUBRIC})")
        p.add_argument(
            "--data",
            default=None,
            help="data table: CSV (UTF-8/GBK), Excel or Parquet (default: the sample the rubric names)",
        )
        p.add_argument("--sheet", default=None, help="Excel sheet name")
        p.add_argument("--unit", default=None, help="unit id column (default: detected)")

    p = sub.add_parser(
        "brief",
        help="write a briefing (HTML + PDF), optionally with per-unit feedback sheets",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    data_args(p)
    p.add_argument(
        "--out", default="reports", help="output folder, or a file name without extension (default reports/)"
    )
    p.add_argument(
        "--scenario", default=None, help="scenario YAML: weights, scheme, quota or veto changes to compare"
    )
    p.add_argument(
        "--outcome",
        default=None,
        help="overall judgments of the same units (FILE or FILE:COLUMN, e.g. data/samples/holistic_grades.csv:grade) "
        "to show the weights they reveal",
    )
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of labels (default zh)")
    p.add_argument(
        "--format", choices=["html", "pdf", "both"], default="both", help="what to write (default both)"
    )
    p.add_argument(
        "--draws", type=int, default=300, help="weight draws for the robustness section (default 300)"
    )
    p.add_argument("--seed", type=int, default=20261125, help="random seed (same seed, same briefing)")
    p.add_argument(
        "--feedback",
        default=None,
        metavar="DIR",
        help="also write one feedback sheet (反馈单) per unit into DIR, as HTML and PDF",
    )
    p.add_argument(
        "--revision", default=None, help="a revised rubric: add a section comparing it with --rubric"
    )
    p.add_argument(
        "--previous",
        nargs=3,
        action="append",
        default=None,
        metavar=("LABEL", "RUBRIC", "DATA"),
        help="an earlier period (oldest first; repeat for more): add a year-over-year section",
    )
    p.add_argument("--period", default=None, help="label of this period in the year-over-year section")
    p.set_defaults(func=cmd_brief)

    p = sub.add_parser(
        "score",
        help="score a data table to CSV or Excel",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    data_args(p)
    p.add_argument(
        "--out",
        required=True,
        help="output .xlsx (sheets: rounded scores, full precision, points per item) or .csv "
        "(rounded; full precision in <name>_full_precision.csv)",
    )
    p.add_argument(
        "--lang", choices=["zh", "en"], default="zh", help="column names: Chinese (default) or English codes"
    )
    p.add_argument("--names", action="store_true", help="with --lang en: label blocks by their Chinese names")
    p.set_defaults(func=cmd_score)

    p = sub.add_parser(
        "check",
        help="validate a rubric file or a data table",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("path", help="a rubric .yaml, or a data table (with --rubric to check it fits)")
    p.add_argument("--rubric", default=None)
    p.add_argument("--sheet", default=None)
    p.add_argument("--unit", default=None)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser(
        "ahp",
        help="AHP weights from an expert panel's survey sheet, with consistency report",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--sheet-file", required=True, help="survey sheet: one row per expert, one column per pair (A_vs_B)"
    )
    p.add_argument("--rubric", default=DEFAULT_RUBRIC, help=f"rubric file (default {DEFAULT_RUBRIC})")
    p.add_argument("--sheet", default=None, help="Excel sheet name (default the first)")
    p.add_argument(
        "--coding",
        choices=["signed", "reciprocal"],
        default="signed",
        help="signed: -9..9, negative = the second is preferred (default); reciprocal: 1/9..9",
    )
    p.add_argument("--out", required=True, help="output folder for the CSV files")
    p.add_argument("--seed", type=int, default=None, help="seed of the bootstrap over experts")
    p.add_argument("--n-boot", type=int, default=1000, help="bootstrap replicates (default 1000; 0 = none)")
    p.add_argument(
        "--aggregate",
        choices=["judgments", "priorities"],
        default="judgments",
        help="geometric mean of judgments (default) or of priorities",
    )
    p.add_argument("--write-rubric", default=None, help="also write the weighted rubric (.yaml) here")
    p.add_argument(
        "--categories",
        choices=["keep", "drop"],
        default="keep",
        help="category-specific weights in the written rubric: keep (default) or drop for judged elements",
    )
    p.set_defaults(func=cmd_ahp)

    p = sub.add_parser(
        "simulate",
        help="sweep an assessment design parameter and model where units put their effort",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    data_args(p)
    p.add_argument(
        "--parameter",
        default=None,
        help="design parameter to sweep: party_weight, top_quota, n_veto, party_noise, noise, party_gate, "
        "party_ceiling (default: party_weight for a weighted scheme, party_gate for dual-100, "
        "otherwise top_quota)",
    )
    p.add_argument(
        "--values",
        default=None,
        help="start:stop:step or a comma list (default per parameter, e.g. party_weight 0:0.5:0.02, "
        "top_quota 0.05:0.5:0.05)",
    )
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the chart (default zh)")
    p.add_argument(
        "--level", type=float, default=0.01, help="effort share that counts as a tipping point (0.01)"
    )
    p.add_argument("--out", default="reports", help="output folder (default reports/)")
    p.set_defaults(func=cmd_simulate)

    p = sub.add_parser(
        "uncertainty",
        help="rank intervals and grade probabilities under uncertain weights, here or on a dask cluster",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    data_args(p)
    from .sensitivity._command import add_arguments

    add_arguments(p)
    p.set_defaults(func=cmd_uncertainty)

    p = sub.add_parser(
        "export",
        help="run notebooks and export them as self-contained HTML",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "notebooks",
        nargs="+",
        help="jupytext .py or .ipynb notebooks, or names of shipped ones (e.g. 01_weight_simulator)",
    )
    p.add_argument("--out", default="reports/notebooks", help="output folder (default reports/notebooks/)")
    p.add_argument("--hide-code", action="store_true", help="show outputs only")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "examples",
        help="copy the shipped rubrics, scenarios, sample data and notebooks into a folder to edit",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--to", default="workbench-examples", help="target folder (default workbench-examples/)")
    p.set_defaults(func=cmd_examples)

    from ._cli_yearly import add_commands  # template, collect, compare, years

    add_commands(sub, EPILOG, DEFAULT_RUBRIC)
    return parser


def _language_from(argv: list[str]) -> str | None:
    """``--lang X`` / ``--lang=X`` anywhere on the command line (read before the help is built)."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def main(argv: list[str] | None = None) -> int:
    import warnings

    from ._i18n import set_language
    from .errors import WorkbenchWarning
    from .io import guard_inputs, printable

    argv = sys.argv[1:] if argv is None else list(argv)
    set_language(_language_from(argv))
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        _resolve_inputs(args)
        # no write of this command may replace one of its inputs
        with guard_inputs(_inputs(args)), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", WorkbenchWarning)
            code = args.func(args)
        for w in caught:  # one readable line each, not a source location
            if issubclass(w.category, WorkbenchWarning):
                print(printable(MESSAGES["warning"].format(message=w.message)), file=sys.stderr)
            else:
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        return code
    except WorkbenchError as exc:
        # the message quotes file contents: control and bidi characters are shown escaped
        print(printable(MESSAGES["error"].format(message=exc)), file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # pragma: no cover
        return 130
    except Exception as exc:  # pragma: no cover - an internal error, reported as such
        import traceback

        from .report.export import NotebookError

        if isinstance(exc, NotebookError):  # the cell and error say enough; the kernel trace is noise
            print(printable(MESSAGES["internal"].format(message=exc)), file=sys.stderr)
            return 1
        traceback.print_exc()
        print(printable(MESSAGES["internal"].format(message=repr(exc))), file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
