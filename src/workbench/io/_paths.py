"""Where an output may go and in which format: one place for every command that writes.

- **The suffix decides the format, or the output is refused.** :data:`FORMATS` maps each suffix
  the package writes to its format (a workbook is written as ``.xlsx``: an ``.xlsm`` would promise
  macros it does not hold); a command names the formats it can write and
  :func:`output_format` refuses any other suffix (no CSV inside a ``.txt``, no table without a
  suffix), naming the suffixes that work.
- **A missing folder is an error unless asked for.** :func:`output_path` refuses an output whose
  parent folder does not exist, unless the user asked for it (``--mkdir``; ``mkdir=True``), so a
  typo in a path never silently creates a folder tree. A folder output (``--out reports/``) may
  itself be created; its parent must exist.

Both are checked before anything is computed; the writers of :mod:`workbench.io._files` then create
what was allowed.
"""

from __future__ import annotations

from pathlib import Path

from .._i18n import _
from ..errors import OutputError

__all__ = ["FORMATS", "TABLE_FORMATS", "output_format", "output_path"]

FORMATS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".xlsx": "xlsx",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".html": "html",
    ".pdf": "pdf",
    ".png": "png",
}
TABLE_FORMATS = ("csv", "tsv", "xlsx")


def output_format(path, formats=TABLE_FORMATS, *, option: str = "--out") -> str:
    """The format an output's suffix names, if it is one of ``formats``.

    Raises
    ------
    OutputError
        The suffix is missing or names no format of ``formats`` (e.g. ``.txt`` for a table).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    fmt = FORMATS.get(suffix)
    if fmt in formats:
        return fmt
    expected = ", ".join(s for s, f in FORMATS.items() if f in formats)
    found = suffix or _("no suffix")
    where = f"{option} {path}" if option else str(path)
    raise OutputError(
        _("{where}: {found} does not name a format written here; expected {expected}").format(
            where=where, found=found, expected=expected
        ),
        hint=_("name the file with one of these suffixes, e.g. {example}").format(
            example=path.with_suffix(next(s for s, f in FORMATS.items() if f in formats)).name
        ),
    )


def output_path(
    path, *, formats=None, folder: bool = False, mkdir: bool = False, option: str = "--out"
) -> Path:
    """Check an output before anything is computed: its format and its folder.

    Parameters
    ----------
    path : str or Path  the output file, or the output folder when ``folder`` is true
    formats : tuple of format names, optional  what the command can write there (files only)
    folder : bool  the output is a folder (it may be created; its parent must exist)
    mkdir : bool  missing folders may be created (``--mkdir``)
    option : str  the option that named the path, for the message

    Raises
    ------
    OutputError
        A suffix that names no format of ``formats``, a file where a folder is expected (or the
        reverse), or a missing parent folder without ``mkdir``.
    """
    path = Path(path)
    if folder and path.exists() and not path.is_dir():
        raise OutputError(
            _("{option} {path} is a file; give a folder").format(option=option, path=path),
        )
    if not folder:
        if path.is_dir():
            raise OutputError(
                _("{option} {path} is a folder; give a file name").format(option=option, path=path),
            )
        if formats is not None:
            output_format(path, formats, option=option)
    parent = path.absolute().parent
    if parent.exists() and not parent.is_dir():
        raise OutputError(
            _("{option} {path}: {parent} is a file, not a folder").format(
                option=option, path=path, parent=parent
            ),
        )
    if not parent.exists() and not mkdir:
        raise OutputError(
            _("{option} {path}: the folder {parent} does not exist").format(
                option=option, path=path, parent=parent
            ),
            hint=_("check the path, or add --mkdir to create the missing folders"),
        )
    return path
