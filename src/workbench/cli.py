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

DEFAULT_RUBRIC = "indicators/cq_organs.yaml"
DEFAULT_DATA = "data/samples/county_organs.csv"

EPILOG = textwrap.dedent(
    """\
    examples:
      workbench brief                                   # default briefing (HTML + PDF) from the bundled samples
      workbench brief --rubric indicators/comprehensive_2pct.yaml --scenario indicators/scenarios/party_weight_10.yaml
      workbench brief --rubric indicators/enterprise.yaml --data data/samples/enterprises.csv --out reports/
      workbench score --rubric indicators/cq_organs.yaml --data my_units.xlsx --sheet 数据 --out scores.xlsx
      workbench check indicators/my_rubric.yaml         # validate a rubric and list every problem
      workbench export notebooks/01_weight_simulator.py # offline HTML with working widget views
      workbench simulate --rubric indicators/comprehensive_2pct.yaml --values 0:0.5:0.02   # the 2% problem
      workbench uncertainty --draws 1000 --scheduler tcp://10.0.0.5:8786   # rank intervals on a dask cluster
      workbench check --rubric indicators/cq_organs.yaml my_units.csv   # validate a data table
      workbench ahp --sheet-file data/samples/expert_panel.xlsx --out reports/ahp --write-rubric reports/ahp.yaml

    exit codes: 0 success, 2 bad input (the message says where), 1 internal error
    """
)


def _load(args):
    from .io import read_table
    from .rubric import load_rubric

    rubric = load_rubric(args.rubric)
    data = read_table(
        args.data, rubric=rubric, sheet=getattr(args, "sheet", None), unit=getattr(args, "unit", None)
    )
    return rubric, data


def cmd_brief(args) -> int:
    from .report.briefing import build_briefing

    formats = ("html", "pdf") if args.format == "both" else (args.format,)
    written = build_briefing(
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
    )
    for path in written:
        print(f"briefing written: {path}")
    return 0


def cmd_score(args) -> int:
    from .io import atomic_write_bytes, unit_names
    from .scoring import score

    rubric, data = _load(args)
    card = score(rubric, data)
    frame = card.to_frame(names=args.names)
    names = unit_names(data)
    if names is not None:
        frame.insert(0, "name", names.reindex(frame.index))
    out = Path(args.out)
    if out.suffix.lower() in (".xlsx", ".xlsm"):
        import io

        buf = io.BytesIO()
        with __import__("pandas").ExcelWriter(buf, engine="openpyxl") as xl:
            frame.to_excel(xl, sheet_name="scores")
            card.points.to_excel(xl, sheet_name="points")
        atomic_write_bytes(out, buf.getvalue())
    else:
        # utf-8-sig so that Excel on Windows opens the Chinese text correctly
        atomic_write_bytes(out, frame.to_csv().encode("utf-8-sig"))
    print(f"scores written: {out} ({len(frame)} units)")
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


def _write_csv(path: Path, frame) -> Path:
    from .io import atomic_write_bytes

    # utf-8-sig so that Excel on Windows opens the Chinese text correctly
    return atomic_write_bytes(path, frame.to_csv().encode("utf-8-sig"))


def cmd_ahp(args) -> int:
    import warnings

    from .calibration import ahp_weights_for_rubric, panel_from_sheet
    from .errors import SpecError, WorkbenchWarning
    from .rubric import load_rubric, save_rubric

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise SpecError(f"--out must be a folder; {out} is a file.", key="out")
    rubric = load_rubric(args.rubric)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", WorkbenchWarning)
        panel = panel_from_sheet(args.sheet_file, rubric, sheet=args.sheet, coding=args.coding)
        res = ahp_weights_for_rubric(
            panel, rubric, aggregate=args.aggregate, n_boot=args.n_boot, seed=args.seed
        )
        weighted = res.rubric(categories=args.categories) if args.write_rubric else None
    out.mkdir(parents=True, exist_ok=True)
    consistency = res.cr.copy()
    bad = res.inconsistent.groupby("expert")["parent"].agg(lambda s: " ".join(map(str, s)))
    consistency["inconsistent_blocks"] = bad.reindex(consistency.index).fillna("")
    written = [
        _write_csv(out / "ahp_weights.csv", res.weights),
        _write_csv(out / "ahp_consistency.csv", consistency),
        _write_csv(out / "ahp_worst_judgments.csv", res.worst.set_index("expert")),
        _write_csv(out / "ahp_completed_judgments.csv", res.completed.set_index("expert")),
    ]
    if weighted is not None:
        written.append(save_rubric(weighted, args.write_rubric))
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
    from .report.export import export_notebook

    for nb in args.notebooks:
        if not Path(nb).exists():
            raise WorkbenchError(f"notebook not found: {nb}", file=nb)
    for nb in args.notebooks:
        path = export_notebook(
            nb, args.out, cwd=Path.cwd(), hide_code=args.hide_code, progress=sys.stderr.isatty()
        )
        print(f"notebook exported: {path}")
    return 0


def _values(text: str) -> list[float]:
    """'0:0.5:0.05' (start:stop:step, stop included) or '0.02,0.1,0.3'."""
    try:
        if ":" in text:
            start, stop, step = (float(v) for v in text.split(":"))
            if step <= 0 or stop < start:
                raise ValueError
            n = int(round((stop - start) / step)) + 1
            return [round(start + i * step, 10) for i in range(n)]
        return [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise WorkbenchError(
            f"--values must be start:stop:step (e.g. 0:0.5:0.05) or a list (e.g. 0.02,0.1,0.3); got {text!r}",
            key="values",
        ) from None


def cmd_simulate(args) -> int:
    import matplotlib

    matplotlib.use("Agg")
    from tqdm import tqdm

    from . import incentives as inc
    from .errors import check_option
    from .io import atomic_write_bytes
    from .report.fonts import setup_fonts
    from .report.plots import figure_png
    from .scoring import score

    check_option(args.parameter, inc.DESIGNS, name="parameter", func="workbench simulate")
    values = _values(args.values)
    rubric, data = _load(args)
    with tqdm(total=3, desc="simulate", disable=not sys.stderr.isatty()) as bar:
        card = score(rubric, data)
        pop = inc.population_from_scorecard(card)
        inst = inc.institution_from_rubric(rubric)
        bar.update()
        result = inc.sweep(pop, inst, args.parameter, values)
        bar.update()
        table = result.to_frame()
        tips = inc.tipping_points(result, "party_share", level=args.level)
        setup_fonts()
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(7, 4))
        for col, label in (
            ("party_share", "党建精力占比 / party-building effort share"),
            ("distortion", "扭曲（只为被考核而做）/ distortion"),
            ("top_share", "最高等次占比 / top-grade share"),
        ):
            if col in table.columns:
                ax.plot(table.index, table[col], marker="o", ms=3, label=label)
        ax.set_xlabel(args.parameter)
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
        fig.tight_layout()
        png = figure_png(fig)
        bar.update()
    out = Path(args.out)
    stem = f"{rubric.code}_{args.parameter}_sweep"
    written = [
        atomic_write_bytes(out / f"{stem}.csv", table.to_csv().encode("utf-8-sig")),
        atomic_write_bytes(out / f"{stem}_tipping_points.csv", tips.to_csv(index=False).encode("utf-8-sig")),
        atomic_write_bytes(out / f"{stem}.png", png),
    ]
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

    def data_args(p, default_data=True):
        p.add_argument("--rubric", default=DEFAULT_RUBRIC, help=f"rubric file (default {DEFAULT_RUBRIC})")
        p.add_argument(
            "--data",
            default=DEFAULT_DATA if default_data else None,
            required=not default_data,
            help=f"data table: CSV (UTF-8/GBK), Excel or Parquet (default {DEFAULT_DATA})",
        )
        p.add_argument("--sheet", default=None, help="Excel sheet name")
        p.add_argument("--unit", default=None, help="unit id column (default: detected)")

    p = sub.add_parser(
        "brief",
        help="export an HTML briefing",
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
    p.set_defaults(func=cmd_brief)

    p = sub.add_parser(
        "score",
        help="score a data table to CSV or Excel",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    data_args(p)
    p.add_argument("--out", required=True, help="output .csv or .xlsx")
    p.add_argument("--names", action="store_true", help="label blocks by their Chinese names")
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
        default="party_weight",
        help="design parameter to sweep: party_weight, top_quota, n_veto, party_noise, noise, party_gate, "
        "party_ceiling (default party_weight)",
    )
    p.add_argument(
        "--values", default="0:0.5:0.02", help="start:stop:step or a comma list (default 0:0.5:0.02)"
    )
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
    p.add_argument("notebooks", nargs="+", help="jupytext .py or .ipynb notebooks")
    p.add_argument("--out", default="reports/notebooks", help="output folder (default reports/notebooks/)")
    p.add_argument("--hide-code", action="store_true", help="show outputs only")
    p.set_defaults(func=cmd_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except WorkbenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # pragma: no cover
        return 130
    except Exception as exc:  # pragma: no cover - an internal error, reported as such
        import traceback

        from .report.export import NotebookError

        if isinstance(exc, NotebookError):  # the cell and error say enough; the kernel trace is noise
            print(f"internal error: {exc}; please report it with the command you ran", file=sys.stderr)
            return 1
        traceback.print_exc()
        print(f"internal error: {exc!r}; please report it with the command you ran", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
