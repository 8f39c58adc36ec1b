"""Commands that write reports: ``brief`` (briefing and feedback sheets), ``export`` (notebooks as
HTML) and ``examples`` (a copy of the shipped rubrics, samples and notebooks to edit)."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import WorkbenchError
from ._common import _inputs

__all__ = ["cmd_brief", "cmd_export", "cmd_examples"]


def cmd_brief(args) -> int:
    import warnings

    from ..errors import WorkbenchWarning
    from ..report.briefing import build_briefing

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


def cmd_export(args) -> int:
    import tempfile

    from ..examples import copy_examples, shipped_root
    from ..io import check_outputs
    from ..report.export import export_notebook

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
    from ..examples import copy_examples

    written = copy_examples(args.to)
    print(f"examples copied to {Path(args.to).resolve()}: {len(written)} new file(s)")
    print(f"next: cd {args.to} && workbench brief --rubric indicators/hangzhou_dual100.yaml")
    return 0
