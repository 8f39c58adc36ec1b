"""Writing collection forms: one workbook, or one per unit (all or none)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .._i18n import _
from ..errors import OutputError
from ._template import template_bytes

__all__ = ["write_template", "write_unit_templates"]


def _xlsx(path: Path) -> Path:
    if path.suffix.lower() != ".xlsx":
        raise OutputError(
            _("a collection form is an Excel workbook; name it .xlsx (got {path})").format(path=path),
            file=str(path),
            hint=_("e.g. --out 填报表.xlsx"),
        )
    return path


def write_template(
    rubric, out, *, layout: str | None = None, units: pd.DataFrame | None = None, rows: int = 50, inputs=()
) -> Path:
    """Write one collection workbook for ``rubric``.

    Parameters
    ----------
    rubric : Rubric
    out : str or Path  an ``.xlsx`` file
    layout : {'indicator', 'unit'}, optional
        Default: one row per unit when ``units`` lists more than one unit, else one row per item.
    units : DataFrame indexed by unit id, optional
        Units pre-filled (ids, names, categories), locked.
    rows : int, default=50
        Blank unit rows of a unit layout without units.
    inputs : paths, optional
        Files the command read; the form never replaces one of them.

    Returns
    -------
    Path
    """
    from ._io import check_outputs, write_files

    out = _xlsx(Path(out))
    if layout is None:
        layout = "unit" if units is not None and len(units) > 1 else "indicator"
    if layout == "indicator" and units is not None and len(units) > 1:
        raise OutputError(
            _("a form with one row per item is for one unit; {n} units were given").format(n=len(units)),
            hint=_("use --per-unit DIR for one form per unit, or --layout unit for one row per unit"),
        )
    data = template_bytes(rubric, layout=layout, units=units, rows=rows)
    check_outputs(list(inputs), [out])
    return write_files({out: data})[0]


def write_unit_templates(rubric, units: pd.DataFrame, folder, *, inputs=()) -> list[Path]:
    """Write one form per unit into ``folder`` (``<id>_<name>.xlsx``, the id pre-filled and locked).

    All forms are rendered before the first is written, and written all or none.

    Returns
    -------
    list of Path
    """
    from ._io import check_outputs, safe_filename, write_files

    if units is None or len(units) == 0:
        raise OutputError(_("--per-unit needs the list of units (--units)"), hint=_("e.g. --units units.csv"))
    folder = Path(folder)
    files = {}
    names = units["name"] if "name" in units.columns else pd.Series("", index=units.index)
    for i, uid in enumerate(units.index):
        name = "" if pd.isna(names.iloc[i]) else str(names.iloc[i])
        stem = safe_filename(f"{uid}_{name}" if name else str(uid), default=f"unit_{i + 1}")
        files[folder / f"{stem}.xlsx"] = template_bytes(rubric, layout="indicator", units=units.iloc[[i]])
    check_outputs(list(inputs), list(files), folder=folder)
    return write_files(files, folder=folder)
