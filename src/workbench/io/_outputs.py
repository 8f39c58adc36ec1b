"""Formula-safe tables: every table the package writes goes through :func:`write_table`.

Re-exported by :mod:`workbench.io`. A spreadsheet runs a cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return (``=HYPERLINK(...)``, ``=cmd|' /C calc'!A0``).
:func:`safe_cell` puts an apostrophe in front of such *text* (OWASP's advice), so Excel and WPS
show it as text; numbers stay numbers (a negative score is still a number cell), and text that is
a plain number such as ``-5`` is left as it is. :func:`write_table` applies it to every cell,
index label and header, and writes through :func:`workbench.io.atomic_write_bytes`.

References
----------
OWASP, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from .._i18n import _
from ..errors import OutputError
from ._files import _guarded, atomic_write_bytes, check_outputs
from ._paths import FORMATS, TABLE_FORMATS, output_format

__all__ = [
    "FORMULA_PREFIXES",
    "safe_cell",
    "neutralise_formulas",
    "write_table",
    "table_bytes",
    "EXCEL_MAX_ROWS",
]


def _messages() -> dict:
    """Every message of this module, in the current language (the gettext catalogue)."""
    return {
        "is_dir": _("{path} is a folder; give a file name (e.g. {example})"),
        "too_many_rows": _(
            "the table has {rows:,} rows, more than an Excel sheet holds ({limit:,}); sheet {sheet!r}"
        ),
        "too_many_rows_hint": _("write CSV instead (--out file.csv)"),
        "too_many_cols": _("the table has {cols:,} columns, more than an Excel sheet holds ({limit:,})"),
        "csv_sheets": _("a CSV file holds one table; got {n} ({names})"),
        "csv_sheets_hint": _("write .xlsx for several sheets"),
        "format": _("cannot write {suffix!r} tables; use .csv, .tsv or .xlsx"),
    }


# OWASP: cells beginning with these are read as formulas by Excel, LibreOffice and WPS; the
# full-width forms are included because some spreadsheets normalise them on input.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?$")
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLS = 16_384


def safe_cell(value):
    """``value`` as a spreadsheet will show it without running it.

    Text starting with ``= + - @``, a tab, a carriage return or a line feed gets a leading
    apostrophe, unless it is a plain number (``-5``, ``+3.5``, ``-12%``); every other value is
    returned unchanged (numbers stay numbers).

    >>> safe_cell('=HYPERLINK("http://x", "y")')
    '\\'=HYPERLINK("http://x", "y")'
    >>> safe_cell("-2+3"), safe_cell("-5"), safe_cell(-5.0)
    ("'-2+3", '-5', -5.0)
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def _needs(values: np.ndarray) -> np.ndarray:
    """Mask of text cells that :func:`safe_cell` changes (one pass over distinct values)."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    flag = np.array([safe_cell(u) is not u for u in uniques] + [False], dtype=bool)
    return flag[codes]


def _safe_labels(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        return index.set_levels([_safe_labels(level) for level in index.levels])
    if index.dtype.kind in "biufcmM":
        return index
    values = index.to_numpy(dtype=object)
    mask = _needs(values)
    if not mask.any():
        return index
    values = values.copy()
    values[mask] = ["'" + str(v) for v in values[mask]]
    return pd.Index(values, name=None if index.name is None else safe_cell(str(index.name)))


def neutralise_formulas(frame: pd.DataFrame | pd.Series) -> pd.DataFrame:
    """A copy of ``frame`` in which no text cell, index label or header can run as a formula.

    Numeric, boolean and date columns are untouched; text and categorical columns go through
    :func:`safe_cell` (vectorised over distinct values).
    """
    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    out = frame.copy(deep=False)
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        if col.dtype.kind in "biufcmM":
            continue
        if isinstance(col.dtype, pd.CategoricalDtype):
            cats = col.cat.categories
            if cats.dtype.kind not in "biufcmM":
                out.isetitem(i, col.cat.rename_categories(list(map(safe_cell, cats))))
            continue
        values = col.to_numpy(dtype=object)
        mask = _needs(values)
        if mask.any():
            values = values.copy()
            values[mask] = ["'" + v for v in values[mask]]
            out.isetitem(i, pd.Series(values, index=out.index, name=col.name, dtype=object))
    out.columns = _safe_labels(out.columns)
    out.index = _safe_labels(out.index)
    if out.index.name is not None:
        out.index.name = safe_cell(str(out.index.name))
    return out


def _sheet_name(name, used: set) -> str:
    clean = re.sub(r"[\[\]:*?/\\']", "_", str(name)).strip() or "sheet"
    clean = clean[:31]
    base, k = clean, 2
    while clean.lower() in used:
        clean = f"{base[:28]}_{k}"
        k += 1
    used.add(clean.lower())
    return clean


def table_bytes(frames, suffix: str, *, index: bool = True) -> bytes:
    """Render one table (CSV) or several sheets (xlsx) to bytes, formulas neutralised.

    ``frames`` is a DataFrame/Series or a mapping of sheet name to DataFrame. CSV is UTF-8 with
    a BOM, so Excel and WPS open Chinese text correctly.
    """
    sheets = dict(frames) if isinstance(frames, Mapping) else {"Sheet1": frames}
    suffix = suffix.lower()
    fmt = FORMATS.get(suffix)  # the one table of suffixes and formats (workbench.io._paths)
    if fmt in ("csv", "tsv"):
        if len(sheets) != 1:
            raise OutputError(
                _messages()["csv_sheets"].format(n=len(sheets), names=", ".join(map(str, sheets))),
                hint=_messages()["csv_sheets_hint"],
            )
        frame = neutralise_formulas(next(iter(sheets.values())))
        sep = "\t" if fmt == "tsv" else ","
        # CRLF rows (RFC 4180): a cell holding a bare CR is then quoted, so it cannot start a new
        # row whose first cell a spreadsheet would run
        return frame.to_csv(index=index, sep=sep, lineterminator="\r\n").encode("utf-8-sig")
    if fmt == "xlsx":
        for name, frame in sheets.items():  # checked before the writer opens: nothing half-built
            if len(frame) + frame.columns.nlevels > EXCEL_MAX_ROWS:
                raise OutputError(
                    _messages()["too_many_rows"].format(
                        rows=len(frame), limit=EXCEL_MAX_ROWS - 1, sheet=name
                    ),
                    hint=_messages()["too_many_rows_hint"],
                )
            if frame.shape[1] + (frame.index.nlevels if index else 0) > EXCEL_MAX_COLS:
                raise OutputError(
                    _messages()["too_many_cols"].format(cols=frame.shape[1], limit=EXCEL_MAX_COLS)
                )
        buf = io.BytesIO()
        used: set = set()
        with pd.ExcelWriter(buf, engine="openpyxl") as xl:
            for name, frame in sheets.items():
                neutralise_formulas(frame).to_excel(xl, sheet_name=_sheet_name(name, used), index=index)
        return buf.getvalue()
    raise OutputError(_messages()["format"].format(suffix=suffix))


def write_table(path, frames, *, index: bool = True) -> Path:
    """Write a table to ``.csv`` (UTF-8 with BOM) or ``.xlsx`` (one sheet per mapping entry), atomically.

    Every text cell, label and header goes through :func:`safe_cell`; numbers stay numeric cells.

    Parameters
    ----------
    path : str or Path
        ``.csv``/``.tsv`` for one table, ``.xlsx`` for one or several sheets.
    frames : DataFrame, Series or mapping of sheet name to DataFrame
    index : bool, default=True
        Write the index (unit ids) as the first column.

    Raises
    ------
    OutputError
        An unsupported suffix, several tables for a CSV, more rows than Excel holds, a folder
        given as the file, an input as the target, or a location that cannot be written.
    """
    path = Path(path)
    if path.is_dir():  # said before anything is rendered
        raise OutputError(
            _messages()["is_dir"].format(path=path, example=path / "result.csv"), file=str(path)
        )
    output_format(path, TABLE_FORMATS, option="")  # the suffix decides the format: no CSV in a .txt
    check_outputs(_guarded.get(), [path])
    return atomic_write_bytes(path, table_bytes(frames, path.suffix, index=index))
