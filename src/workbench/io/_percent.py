"""Percentages read as users see them.

- Excel stores 98.2% as 0.982 in a cell formatted as a percentage. :func:`percent_cells` finds the
  cells of a sheet whose number format shows a percent sign (built-in formats 9 ``0%`` and 10
  ``0.00%``, and any custom format with an unquoted, unescaped ``%``) by one scan of the sheet's XML,
  so an indicator declared in percent (unit ``%``) reads 98.2 there, as the user sees it.
- Text such as ``"98.2%"`` or ``"98.2％"`` is a number for such an indicator (:func:`strip_percent`).
- A percent column whose values all lie in [0, 1] was probably entered as fractions (0.982 for
  98.2%): :func:`fraction_warning` says so, naming the column.

References
----------
ECMA-376 Part 1, 18.8.30 (numFmt) and 18.8.31 (built-in number formats 9 and 10).
"""

from __future__ import annotations

import re
import zipfile

import numpy as np

from .._i18n import _

__all__ = [
    "PERCENT_UNITS",
    "is_percent",
    "percent_styles",
    "percent_cells",
    "frame_positions",
    "as_shown",
    "strip_percent",
    "fraction_warning",
]

PERCENT_UNITS = frozenset({"%", "％", "百分比"})
_BUILTIN_PERCENT = frozenset({9, 10})  # ECMA-376 built-in number formats 0% and 0.00%
_NUMFMT_RE = re.compile(rb"<(?:\w+:)?numFmt\b([^>]*)>")
_XFS_RE = re.compile(rb"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", re.S)
_XF_RE = re.compile(rb"<(?:\w+:)?xf\b([^>]*)>")
_ID_RE = re.compile(rb'\snumFmtId="(\d+)"')
_CODE_RE = re.compile(rb'\sformatCode="([^"]*)"')


def is_percent(node) -> bool:
    """Whether an indicator is declared in percent (its unit is %, ％ or 百分比)."""
    return (getattr(node, "unit", None) or "").strip().replace(" ", "") in PERCENT_UNITS


def _shows_percent(code: str) -> bool:
    """A number format shows a percent sign outside quoted text and escapes (``\\%``)."""
    code = re.sub(r'"[^"]*"', "", code.replace("&quot;", '"'))
    return "%" in re.sub(r"\\.", "", code)


def percent_styles(zf: zipfile.ZipFile) -> list[int]:
    """Positions in ``cellXfs`` (the ``s`` of a cell) whose number format shows a percentage."""
    try:
        styles = zf.read("xl/styles.xml")
    except KeyError:
        return []
    custom = {}
    for m in _NUMFMT_RE.finditer(styles):
        fid, code = _ID_RE.search(m.group(1)), _CODE_RE.search(m.group(1))
        if fid and code:
            custom[int(fid.group(1))] = code.group(1).decode("utf-8", "replace")
    block = _XFS_RE.search(styles)
    if block is None:
        return []
    out = []
    for k, m in enumerate(_XF_RE.finditer(block.group(1))):
        fid = _ID_RE.search(m.group(1))
        n = int(fid.group(1)) if fid else 0
        if n in _BUILTIN_PERCENT or (n in custom and _shows_percent(custom[n])):
            out.append(k)
    return out


def percent_cells(path, sheet=None) -> dict[int, np.ndarray]:
    """Column number -> sheet row numbers of the cells of ``sheet`` formatted as percentages.

    ``sheet`` is a name, a position or None (the first), as :func:`workbench.read_table` takes it.
    One regular-expression pass over the sheet's XML (within the size limits already checked by
    :func:`workbench.io._limits.check_xlsx`) that matches only the cells with a percent style.
    """
    from ._limits import _sheet_parts

    with zipfile.ZipFile(path) as zf:
        styles = percent_styles(zf)
        parts = _sheet_parts(zf)
        if isinstance(sheet, int):
            chosen = parts[sheet] if 0 <= sheet < len(parts) else None
        else:
            chosen = next((p for p in parts if sheet is None or p[0] == sheet), None)
        if not styles or chosen is None or chosen[1] not in zf.NameToInfo:
            return {}
        data = zf.read(chosen[1])
    ids = b"|".join(str(s).encode() for s in styles)
    cell = re.compile(rb'<(?:\w+:)?c\b(?=[^>]*?\ss="(?:' + ids + rb')")[^>]*?\sr="([A-Z]{1,3})(\d{1,8})"')
    found: dict[int, list[int]] = {}
    for m in cell.finditer(data):
        found.setdefault(_column_number(m.group(1).decode()), []).append(int(m.group(2)))
    return {k: np.asarray(v) for k, v in found.items()}


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def frame_positions(cells: dict, columns, n_rows: int, header_row: int = 1) -> dict:
    """Column name -> row positions in a frame read with the header on ``header_row``."""
    out = {}
    cols = list(columns)
    for k, rows in cells.items():
        if 0 < k <= len(cols):
            pos = rows - header_row - 1
            pos = pos[(pos >= 0) & (pos < n_rows)]
            if len(pos):
                out[str(cols[k - 1])] = pos
    return out


def as_shown(values: np.ndarray, positions) -> np.ndarray:
    """``values`` with the cells at ``positions`` (stored as fractions, shown as percentages)
    multiplied by 100; a new array, the input is untouched."""
    if positions is None or not len(positions):
        return values
    out = np.array(values, dtype=float)
    out[positions] *= 100.0
    return out


def strip_percent(texts: np.ndarray) -> np.ndarray:
    """``"98.2%"`` -> ``"98.2"`` (texts already NFKC-normalised, so ``％`` is ``%``)."""
    return np.array([t[:-1].rstrip() if t.endswith("%") else t for t in texts], dtype=object)


def fraction_warning(values: np.ndarray, column: str, node, file: str | None) -> str | None:
    """The warning for a percent column whose values all lie in [0, 1] (not all 0), else None."""
    finite = values[np.isfinite(values)]
    if not len(finite) or finite.min() < 0 or finite.max() > 1 or finite.max() == 0:
        return None
    where = _("{file}: ").format(file=file) if file else ""
    return where + _(
        "column {column!r} ({name}) is in percent, but all its values lie between 0 and 1 (largest "
        "{largest:g}): if they are fractions (0.982 for 98.2%), multiply them by 100, or format the "
        "cells as percentages in Excel"
    ).format(column=column, name=node.name, largest=float(finite.max()))
