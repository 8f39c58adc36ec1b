"""Files of the weight-simulator app: what a user picks or uploads, and what they download.

- :func:`load_inputs` takes a shipped rubric (by name) or an uploaded rubric (YAML), and the
  rubric's sample data or an uploaded table (Excel or CSV), and checks them exactly as the command
  line does (:func:`workbench.load_rubric`, :func:`workbench.read_table` with the rubric), from a
  private temporary folder. Messages name the uploaded file, not the temporary copy.
- :func:`rubric_download` writes the rubric the controls describe with ``save_rubric``'s writer;
  :func:`results_download` writes the results workbook through the formula-safe
  :func:`workbench.io.table_bytes`; :func:`download_link` offers bytes as a link that needs no
  server (a ``data:`` URL), so the app stays local and offline.
"""

from __future__ import annotations

import base64
import html
import tempfile
import warnings
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from .._i18n import _
from ..errors import DataError, RubricError, WorkbenchError, WorkbenchWarning

__all__ = [
    "Loaded",
    "load_inputs",
    "shipped_choices",
    "uploaded",
    "rubric_download",
    "results_download",
    "download_link",
]

RUBRIC_SUFFIXES = (".yaml", ".yml")
DATA_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".txt", ".tsv")


@dataclass(frozen=True)
class Loaded:
    """A rubric and its data, checked; ``warnings`` are the messages the command line would print."""

    rubric: object
    data: pd.DataFrame
    rubric_name: str
    data_name: str
    warnings: tuple = ()


def shipped_choices() -> dict:
    """Shipped rubrics that name their sample data: ``{name: "name · rubric title"}``."""
    from ..examples import SHIPPED_RUBRICS, sample_path
    from ..rubric import load_rubric

    out = {}
    for name, rel in SHIPPED_RUBRICS.items():
        rubric = load_rubric(sample_path(rel))
        if rubric.example_data:
            out[name] = f"{rubric.name} ({name})"
    return out


def uploaded(value) -> tuple[str, bytes] | None:
    """``(file name, content)`` of an ipywidgets ``FileUpload`` value (the last file), or None."""
    if not value:
        return None
    item = value[-1] if isinstance(value, (list, tuple)) else next(iter(value.values()))
    return str(item["name"]), bytes(item["content"])


def load_inputs(
    choice: str | None = None,
    rubric_file: tuple[str, bytes] | None = None,
    data_file: tuple[str, bytes] | str | Path | None = None,
    *,
    sheet: str | None = None,
) -> Loaded:
    """The rubric and data the app simulates, checked as ``workbench check`` checks them.

    Parameters
    ----------
    choice : str, optional  a shipped rubric's name or a rubric file's path (used when no rubric
        is uploaded)
    rubric_file, data_file : (file name, bytes), optional  uploads; ``data_file`` may also be a
        path; without data, the rubric's sample data are used
    sheet : str, optional  Excel sheet (default the first)

    Raises
    ------
    WorkbenchError
        The command line's message for the same file (RubricError, DataError...), naming the file
        as uploaded.
    """
    from ..examples import example_data_path, resolve_rubric
    from ..io import read_table
    from ..rubric import load_rubric

    with (
        tempfile.TemporaryDirectory(prefix="workbench-upload-") as tmp,
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always", WorkbenchWarning)
        folder = Path(tmp)
        try:
            if rubric_file is not None:
                rubric = load_rubric(_saved(folder, rubric_file, RUBRIC_SUFFIXES, RubricError))
                rubric_name = rubric_file[0]
            elif choice:
                rubric = load_rubric(resolve_rubric(choice))
                rubric_name = choice
            else:
                raise RubricError(_("choose a shipped rubric or upload a rubric file (.yaml)"))
            if isinstance(data_file, (str, Path)):  # a path on this machine (the notebook's parameter)
                path, data_name = Path(data_file), Path(data_file).name
            elif data_file is not None:
                path, data_name = _saved(folder, data_file, DATA_SUFFIXES, DataError), data_file[0]
            elif rubric.example_data:
                path = example_data_path(rubric)
                data_name = path.name
            else:
                raise DataError(
                    _("rubric {code!r} names no sample data: upload its data table (Excel or CSV)").format(
                        code=rubric.code
                    )
                )
            data = read_table(path, rubric=rubric, sheet=sheet or None)
        except WorkbenchError as exc:
            raise _renamed(exc, folder) from None
        notes = tuple(
            _strip(str(w.message), folder) for w in caught if issubclass(w.category, WorkbenchWarning)
        )
    data.attrs["source"] = data_name
    return Loaded(rubric, data, rubric_name, data_name, notes)


def _saved(folder: Path, upload: tuple[str, bytes], suffixes: tuple, error) -> Path:
    """The upload written under a safe name in the private folder (its suffix checked first)."""
    from ..io import safe_filename

    name, content = upload
    suffix = Path(name).suffix.lower()
    if suffix not in suffixes:
        raise error(
            _("{name}: files of type {suffix!r} cannot be read here; expected one of {expected}").format(
                name=name, suffix=suffix or _("(none)"), expected=", ".join(suffixes)
            ),
            file=name,
        )
    path = folder / safe_filename(Path(name).name, default=f"upload{suffix}")
    path.write_bytes(content)
    return path


def _strip(text: str, folder: Path) -> str:
    return text.replace(f"{folder}/", "").replace(str(folder), "")


def _renamed(exc: WorkbenchError, folder: Path) -> WorkbenchError:
    """The same error, naming the uploaded file instead of its temporary copy."""
    fix = lambda s: None if s is None else _strip(s, folder)  # noqa: E731
    exc.problems = [replace(p, message=fix(p.message), hint=fix(p.hint)) for p in exc.problems]
    exc.file = fix(exc.file)
    if exc.summary is not None:
        exc.summary = fix(exc.summary)
    exc.hint = fix(exc.hint)
    exc.args = (exc._render(),)
    return exc


def rubric_download(state) -> tuple[str, bytes]:
    """``(file name, YAML bytes)`` of the rubric the simulator's controls describe."""
    from ..io import safe_filename
    from ..rubric._write import rubric_yaml

    rubric = state.rubric_now()
    return safe_filename(f"{rubric.code}_simulated.yaml"), rubric_yaml(rubric).encode("utf-8")


def results_download(state, card=None) -> tuple[str, bytes]:
    """``(file name, xlsx bytes)``: the scores rounded and at full precision (the first two sheets
    of ``workbench score``; its points per item are left out, they take most of the time for a
    province), the units whose grade changes and why, and the weight sets before and now."""
    from .._i18n import language
    from ..io import safe_filename, table_bytes, unit_names
    from .sheets import score_tables

    card = card or state.card()
    lang = "en" if language() == "en" else "zh"
    sheets = dict(list(score_tables(card, unit_names(state.data), lang=lang).items())[:2])
    sheets[_("grade changes")] = state.changes(card)
    before, now = state.weights_frame(initial=True), state.weights_frame()
    sheets[_("weights")] = pd.concat({_("as written"): before, _("now"): now}, axis=1)
    name = safe_filename(f"{state.rubric.code}_simulated_results.xlsx")
    return name, table_bytes(sheets, ".xlsx")


def download_link(name: str, data: bytes, label: str) -> str:
    """An HTML link that downloads ``data`` as ``name`` from the page itself (no server, no network)."""
    mime = {
        ".yaml": "application/x-yaml",
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }.get(Path(name).suffix.lower(), "application/octet-stream")
    url = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return (
        f'<a download="{html.escape(name)}" href="{url}" '
        f'style="margin-right:1.5em">{html.escape(label)} ({html.escape(name)})</a>'
    )
