"""The ``workbench`` command: its parser (every command and option, in one place) and :func:`main`.

Exit codes: 0 success, 2 bad input (the message says where), 1 internal error.
"""

from __future__ import annotations

import argparse
import sys
import textwrap

from .._i18n import _
from ..errors import WorkbenchError
from ._common import DEFAULT_RUBRIC, MESSAGES, OUTPUTS, _inputs, _resolve_inputs, check_output_paths
from ._design import cmd_simulate, cmd_uncertainty
from ._reports import cmd_brief, cmd_examples, cmd_export
from ._tables import cmd_check, cmd_score
from ._weights import cmd_ahp

__all__ = ["main", "build_parser"]

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
      workbench app --rubric my_rubric.yaml --data my_units.xlsx   # the weight simulator in the browser (local)

    exit codes: 0 success, 2 bad input (the message says where), 1 internal error
    """
)


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
    from ..sensitivity._command import add_arguments

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

    from ._yearly import add_commands  # template, collect, compare, years

    add_commands(sub, EPILOG, DEFAULT_RUBRIC)
    from ._app import add_command as add_app

    add_app(sub, EPILOG, DEFAULT_RUBRIC)
    for name in OUTPUTS:  # every command that writes: missing folders only when asked for
        sub.choices[name].add_argument(
            "--mkdir", action="store_true", help=_("create missing folders of the outputs (else an error)")
        )
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

    from .._i18n import set_language
    from ..errors import WorkbenchWarning
    from ..io import guard_inputs, printable

    argv = sys.argv[1:] if argv is None else list(argv)
    set_language(_language_from(argv))
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        _resolve_inputs(args)
        check_output_paths(args)  # before any work: the format each suffix names, the folders
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
    except BrokenPipeError:
        # the reader went away (`workbench ... | head`): not an error of ours. Point stdout at
        # devnull so that the interpreter's final flush does not raise again (Python docs, signal)
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, as a shell reports it
    except Exception as exc:  # pragma: no cover - an internal error, reported as such
        import traceback

        from ..report.export import NotebookError

        if isinstance(exc, NotebookError):  # the cell and error say enough; the kernel trace is noise
            print(printable(MESSAGES["internal"].format(message=exc)), file=sys.stderr)
            return 1
        traceback.print_exc()
        print(printable(MESSAGES["internal"].format(message=repr(exc))), file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
