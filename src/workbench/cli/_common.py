"""What the commands share: the default rubric, the messages, loading the inputs, listing them."""

from __future__ import annotations

from pathlib import Path

__all__ = ["DEFAULT_RUBRIC", "MESSAGES", "OUTPUTS", "check_output_paths"]

# Bare names resolve to the shipped examples (workbench.examples), so the defaults work from any folder.
DEFAULT_RUBRIC = "cq_organs"

# Messages of the command, in one place (to move into the gettext catalogue).
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


# What each command writes: (option's destination, "file" | "folder" | "folder_or_file", formats).
# The rules themselves (suffix -> format, missing folders) are workbench.io.output_path's.
_TABLES = ("csv", "tsv", "xlsx")
OUTPUTS = {
    "brief": (("out", "folder_or_file", ("html", "pdf")), ("feedback", "folder", None)),
    "score": (("out", "file", _TABLES),),
    "ahp": (("out", "folder", None), ("write_rubric", "file", ("yaml",))),
    "simulate": (("out", "folder", None),),
    "uncertainty": (("out", "folder", None),),
    "export": (("out", "folder_or_file", ("html",)),),
    "examples": (("to", "folder", None),),
    "template": (("out", "file", ("xlsx",)), ("per_unit", "folder", None)),
    "collect": (("out", "file", ("csv", "xlsx")), ("feedback", "folder", None)),
    "compare": (("out", "file", ("xlsx",)), ("chart", "file", ("png",))),
    "years": (("out", "file", ("xlsx",)), ("chart", "file", ("png",))),
}


def check_output_paths(args) -> None:
    """Every output of the command checked before anything runs (``workbench.io.output_path``): the
    suffix names a format the command writes, and a missing folder is an error unless ``--mkdir``."""
    from ..io import check_outputs, output_path

    inputs = _inputs(args)
    for dest, kind, formats in OUTPUTS.get(args.command, ()):
        value = getattr(args, dest, None)
        if value is None:
            continue
        option = "--" + dest.replace("_", "-")
        path = Path(value)
        as_file = kind == "file" or (kind == "folder_or_file" and path.suffix != "" and not path.is_dir())
        if as_file:
            check_outputs(inputs, [path])  # an input named as the output is said as such first
        output_path(
            path, formats=formats if as_file else None, folder=not as_file, mkdir=args.mkdir, option=option
        )


def _resolve_inputs(args) -> None:
    """Bare rubric names resolve to the shipped rubrics (the data default to the rubric's sample)."""
    from ..examples import resolve_rubric

    if getattr(args, "rubric", None):
        args.rubric = str(resolve_rubric(args.rubric))


def _load(args):
    from ..io import read_table
    from ..report.briefing import resolve_data
    from ..rubric import load_rubric

    rubric = load_rubric(args.rubric)
    # without --data: the sample table the rubric names (example_data)
    path = resolve_data(rubric, args.data)
    data = read_table(
        path, rubric=rubric, sheet=getattr(args, "sheet", None), unit=getattr(args, "unit", None)
    )
    return rubric, data


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
