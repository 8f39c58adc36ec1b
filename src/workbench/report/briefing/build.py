"""``workbench brief``: validate the inputs, run the template notebook, write HTML, PDF, the
appendix table and the feedback sheets, all or nothing."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from ..catalogue import text

__all__ = ["build_briefing", "load_outcome", "resolve_data", "TEMPLATE"]

TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / "briefing.py"


def load_outcome(spec: str):
    """An overall judgment per unit from ``FILE`` (its last column) or ``FILE:COLUMN``."""
    from ...errors import DataError
    from ...io import read_table

    path, _, column = str(spec).partition(":") if not Path(str(spec)).exists() else (str(spec), "", "")
    table = read_table(path)
    column = column or table.columns[-1]
    if column not in table.columns:
        raise DataError(
            f"the outcome table has no column {column!r}; it has {list(table.columns)}",
            file=path,
            column=column,
        )
    return table[column]


def resolve_data(rubric, data_path) -> Path:
    """The data table: the one given, else the sample the rubric names (``example_data``)."""
    from ...examples import example_data_path

    return Path(data_path) if data_path is not None else example_data_path(rubric)


def _check_writable(folder: Path) -> None:
    """Fail before any work when ``folder`` cannot be created or written (nothing is created)."""
    import os

    from ...errors import OutputError

    probe = folder
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir() or not os.access(probe, os.W_OK | os.X_OK):
        reason = "it is a file" if not probe.is_dir() else "permission denied"
        raise OutputError(
            f"cannot write to the output folder {folder}: {reason} ({probe})",
            file=str(folder),
            hint="choose a folder you can write to with --out",
        )


def build_briefing(
    rubric_path,
    data_path,
    out,
    *,
    scenario_path=None,
    outcome_path=None,
    lang: str = "zh",
    formats=("html", "pdf"),
    n_draws: int = 300,
    seed: int = 20261125,
    sheet=None,
    unit=None,
    cwd=None,
    progress: bool = False,
    feedback=None,
    template=None,
    revision_path=None,
    previous=None,
    period=None,
) -> list[Path]:
    """Execute the briefing template with papermill and write the briefing, all or nothing.

    Inputs (rubric, data, scenario, outcome) are validated first, so bad input is reported before
    any notebook runs; every output is rendered in memory before the first file is written, and
    each file is written atomically, so a failure leaves no file and no new folder.

    Parameters
    ----------
    rubric_path : path
    data_path : path or None  None: the sample table the rubric names (``example_data``)
    out : path  a folder, or a file name (.html/.pdf) whose stem is used
    scenario_path, outcome_path : optional
    lang : {'zh', 'en'}
    formats : tuple of 'html', 'pdf'
    n_draws, seed : robustness analysis
    sheet, unit : see :func:`workbench.read_table`
    feedback : path, optional  also write one feedback sheet per unit into this folder
    template : path, optional  another template notebook (tests)
    revision_path : path, optional  a revised rubric: adds the section comparing it with this one
    previous : list of (label, rubric path, data path), optional
        Earlier periods, oldest first: adds the year-over-year section.
    period : str, optional  the label of this period in that section

    Returns
    -------
    list of Path  the files written

    Raises
    ------
    WorkbenchError  bad input (exit 2 on the command line)
    NotebookError  a section of the template failed (its ``section`` names it)
    """
    from ...errors import check_option
    from ...io import check_outputs, read_table, safe_filename, table_bytes, write_files
    from ...rubric import load_rubric
    from ...scenario import apply_scenario, load_scenario
    from ..export import execute_notebook, to_html, to_pdf
    from ..feedback import check_feedback_folder, feedback_files
    from .compute import SUMMARY_LIMIT, compute_briefing, scenario_problem
    from .tables import unit_table

    check_option(lang, ("zh", "en"), name="lang", func="build_briefing")
    rubric = load_rubric(rubric_path)
    data_path = resolve_data(rubric, data_path)
    data = read_table(data_path, rubric=rubric, sheet=sheet, unit=unit)
    scenario = None if scenario_path is None else load_scenario(scenario_path)
    if scenario is not None:
        problem = scenario_problem(rubric, scenario, data.columns)
        if problem is None:
            apply_scenario(rubric, scenario)  # invalid values are bad input
        else:
            import warnings

            from ...errors import WorkbenchWarning

            key, values = problem
            warnings.warn(
                f"scenario {scenario.name!r} does not apply to rubric {rubric.code!r} "
                f"({text(key, 'en', **values)}; column {values.get('column', '-')}); "
                "the briefing shows the rubric as written and says so",
                WorkbenchWarning,
                stacklevel=2,
            )
    if outcome_path is not None:
        load_outcome(outcome_path)  # validated here; the template reads it again
    revision_path, previous = _comparisons(rubric, data, revision_path, previous)
    out = Path(out)
    single = out.suffix.lower() in (".html", ".pdf")
    # a rubric code becomes one safe file name, never a path (workbench.io.safe_filename)
    stem = safe_filename(f"{rubric.code}_briefing" + ("" if lang == "zh" else f"_{lang}"))
    base = out.with_suffix("") if single else out / stem
    _check_writable(base.parent)
    if feedback is not None:
        _check_writable(check_feedback_folder(feedback))
    summary = rubric.subject.individuals or len(data) > SUMMARY_LIMIT
    appendix = base.parent / f"{base.name}_appendix.csv" if summary else None
    targets = [base.parent / f"{base.name}.{fmt}" for fmt in formats] + ([appendix] if appendix else [])
    inputs = [rubric_path, data_path, scenario_path, outcome_path and str(outcome_path).split(":")[0]]
    inputs += [revision_path] + [p for _label, *paths in previous or () for p in paths]
    check_outputs(inputs, targets, folder=base.parent)  # before anything runs: no input overwritten
    date = _dt.date.today().isoformat()
    params = {
        "rubric_path": str(Path(rubric_path).resolve()),
        "data_path": str(Path(data_path).resolve()),
        "scenario_path": None if scenario_path is None else str(Path(scenario_path).resolve()),
        "outcome_path": None if outcome_path is None else str(outcome_path),
        "lang": lang,
        "n_draws": int(n_draws),
        "seed": int(seed),
        "sheet": sheet,
        "unit": unit,
        "date": date,
        "appendix": None if appendix is None else appendix.name,
        "revision_path": revision_path,
        "previous": previous,
        "period": period,
    }
    nb = execute_notebook(template or TEMPLATE, params, cwd=cwd or Path.cwd(), progress=progress)
    title = text("title", lang, name=rubric.name)
    # render everything before writing anything, so a failure leaves no partial set of files
    html = to_html(nb, title=title, lang=lang) if "html" in formats else None
    pdf = (
        to_pdf(nb, title=title, footer=text("footer", lang, title=title, date=date))
        if "pdf" in formats
        else None
    )
    light = None
    if appendix is not None or feedback is not None:
        # the scorecard and the reasons again, without the optional analyses (cheap)
        light = compute_briefing(
            rubric, data, scenario=scenario, n_draws=0, data_source=str(data_path), analyses=False
        )
    files: dict[Path, bytes] = {}
    if feedback is not None:
        files.update(feedback_files(light, feedback, lang=lang, formats=formats, date=date))
    if appendix is not None:
        files[appendix] = table_bytes(unit_table(light, lang, both_ranks=True, full_notes=True), ".csv")
    if html is not None:
        files[base.with_suffix(".html")] = html.encode("utf-8")
    if pdf is not None:
        files[base.with_suffix(".pdf")] = pdf
    return write_files(files)  # the briefing, its appendix and the feedback sheets: all or none


def _comparisons(rubric, data, revision_path, previous):
    """Validate the inputs of the optional comparison sections before any notebook runs; return
    them as resolved paths (a revised rubric, earlier periods as [label, rubric, data])."""
    from ..._i18n import _
    from ...errors import SpecError
    from ...io import read_table, validate_data
    from ...rubric import load_rubric

    if revision_path is not None:
        validate_data(load_rubric(revision_path), data)  # this period's data must fit the revision too
        revision_path = str(Path(revision_path).resolve())
    out = []
    for entry in previous or ():
        if len(entry) != 3:
            raise SpecError(
                _("an earlier period is (label, rubric, data); got {entry!r}").format(entry=entry),
                key="previous",
            )
        label, rubric_path, data_path = entry
        read_table(data_path, rubric=load_rubric(rubric_path))
        out.append([str(label), str(Path(rubric_path).resolve()), str(Path(data_path).resolve())])
    return revision_path, out or None
