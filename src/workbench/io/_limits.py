"""Size limits checked before a table file is loaded (Excel, Parquet, CSV).

A 5 KB workbook with one cell at ``XFD1048576`` makes a reader build a grid of 17 billion cells;
a zip bomb inside an ``.xlsx`` inflates a few kilobytes to gigabytes; a Parquet file's metadata can
promise billions of rows. Each is refused here, from the file's own bookkeeping, before pandas
reads a cell:

- ``.xlsx``: the zip directory's uncompressed sizes and compression ratios, then one streaming
  pass over the chosen sheet's XML (no parse tree) for the number of cells, the farthest row and
  column, and formula cells (whose stored results Excel recomputes on opening, so they may not be
  what the user sees);
- ``.parquet``: rows, columns and uncompressed bytes from the footer, and nested (list, struct,
  map) columns, which cannot be scored;
- ``.csv``: the file size.

References
----------
Fifield, D. (2019) "A better zip bomb", USENIX WOOT '19 (overlapping files, ratio limits).
ECMA-376 Part 1, §18.3 (SpreadsheetML worksheets: ``row`` and ``c`` elements, ``r`` references).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .._i18n import _
from ..errors import DataError
from ._table_checks import check_header, column_letters, column_number

__all__ = ["TableLimits", "TABLE_LIMITS", "check_table_file", "column_number", "column_letters"]


def _messages() -> dict:
    """Every message of this module, in the current language (the gettext catalogue)."""
    return {
        "file_too_big": _("the file is {size:,} bytes, over the limit of {limit:,} bytes"),
        "file_too_big_hint": _("split the table, or raise workbench.io._limits.TABLE_LIMITS.max_file_bytes"),
        "not_zip": _("the file is not an Excel workbook (.xlsx is a zip archive): {reason}"),
        "not_zip_hint": _("save it again from Excel or WPS as .xlsx"),
        "unzipped": _("the workbook unpacks to {size:,} bytes, over the limit of {limit:,} bytes"),
        "ratio": _(
            "part {part!r} of the workbook is compressed {ratio:,.0f} times (a zip bomb?); the limit is {limit:,}"
        ),
        "entries": _("the workbook has {n:,} parts, over the limit of {limit:,}"),
        "bomb_hint": _("open it in Excel or WPS, copy the table to a new workbook and save that"),
        "cells": _("sheet {sheet!r} has {n:,} cells, over the limit of {limit:,}"),
        "grid": _(
            "sheet {sheet!r} reaches row {row:,} and column {col} ({cells:,} cells in all), over the limit "
            "of {limit:,} cells"
        ),
        "grid_hint": _(
            "a cell far from the table (e.g. at {col}{row}) makes the whole range count: delete the "
            "empty rows and columns after the table (Ctrl+End shows the last cell) and save"
        ),
        "formula": _(
            "cell {cell} of sheet {sheet!r} (column {column!r}) holds a formula; its stored result may "
            "not be what Excel shows after recalculating"
        ),
        "formula_hint": _("copy the column and paste it as values (选择性粘贴 → 数值), then save"),
        "parquet": _("cannot read the Parquet file: {reason}"),
        "parquet_size": _(
            "the Parquet file holds {rows:,} rows x {cols:,} columns ({bytes:,} bytes unpacked), over the "
            "limit of {limit:,} cells / {limit_bytes:,} bytes"
        ),
        "nested": _("column {column!r} holds {kind} values; a table needs one number or text per cell"),
        "nested_hint": _("flatten the column before saving the Parquet file"),
    }


@dataclass(frozen=True)
class TableLimits:
    """Limits on table files (defaults admit 1,000,000 units x 20 columns)."""

    max_file_bytes: int = 2 * 1024**3
    max_unzipped_bytes: int = 1024**3
    max_ratio: float = 250.0  # xlsx parts of 1 MB or more
    max_entries: int = 10_000
    max_cells: int = 25_000_000  # cells written in the sheet
    max_grid: int = 25_000_000  # rows x columns of the range a reader builds


TABLE_LIMITS = TableLimits()

_ROW_RE = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="(\d{1,8})"')
_CELL_RE = re.compile(rb"<(?:\w+:)?c[\s>/]")
_REF_RE = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Z]{1,3})\d')
_FORMULA_RE = re.compile(rb"<(?:\w+:)?f[\s>/]")
_FCELL_RE = re.compile(
    rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Z]{1,3})(\d{1,7})"[^>]*>(?:(?!</(?:\w+:)?c>).){0,400}?<(?:\w+:)?f[\s>/]',
    re.DOTALL,
)


def _sheet_parts(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, zip part) in workbook order, read from workbook.xml and its relationships."""
    import html

    try:
        book = zf.read("xl/workbook.xml")
        rels = zf.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return []
    targets = {}
    for tag in re.findall(rb"<(?:\w+:)?Relationship\b[^>]*>", rels):
        rid = re.search(rb'\sId="([^"]*)"', tag)
        target = re.search(rb'\sTarget="([^"]*)"', tag)
        if rid and target:
            t = target.group(1).decode("utf-8", "replace").lstrip("/")
            targets[rid.group(1)] = t if t.startswith("xl/") else f"xl/{t}"
    out = []
    for tag in re.findall(rb"<(?:\w+:)?sheet\b[^>]*>", book):
        name = re.search(rb'\sname="([^"]*)"', tag)
        rid = re.search(rb'\s\w+:id="([^"]*)"', tag)
        if name and rid and rid.group(1) in targets:
            out.append((html.unescape(name.group(1).decode("utf-8", "replace")), targets[rid.group(1)]))
    return out


def _scan_sheet(zf: zipfile.ZipFile, part: str) -> tuple[int, int, int, bool]:
    """(cells, farthest row, farthest column, has formulas) in one streaming pass over the XML."""
    cells = max_row = max_col = 0
    formulas = False
    tail = b""
    with zf.open(part) as fh:
        while True:
            chunk = fh.read(1 << 20)
            data = tail + chunk
            cut = data.rfind(b"<") if chunk else len(data)  # never split an element between passes
            if cut <= 0:
                cut = len(data)
            body, tail = data[:cut], data[cut:]
            cells += len(_CELL_RE.findall(body))
            rows = _ROW_RE.findall(body)
            if rows:
                max_row = max(max_row, max(map(int, rows)))
            letters = set(_REF_RE.findall(body))  # a few distinct columns per chunk
            if letters:
                max_col = max(max_col, max(column_number(c.decode()) for c in letters))
            formulas = formulas or _FORMULA_RE.search(body) is not None
            if not chunk:
                break
    return cells, max_row, max_col, formulas


def formula_cells(path, sheet_part: str, limit: int = 20) -> list[tuple[str, int, int]]:
    """The first ``limit`` formula cells of a sheet as (reference, row, column number)."""
    out = []
    with zipfile.ZipFile(path) as zf, zf.open(sheet_part) as fh:
        data = fh.read()  # only called for a sheet already within the size limits
    for m in _FCELL_RE.finditer(data):
        col, row = m.group(1).decode(), int(m.group(2))
        out.append((f"{col}{row}", row, column_number(col)))
        if len(out) >= limit:
            break
    return out


def check_xlsx(path, sheet, file: str, limits: TableLimits = TABLE_LIMITS) -> str | None:
    """Refuse a workbook that would expand past the limits; return the chosen sheet's zip part.

    ``sheet`` is a name, a position or None (the first sheet), as :func:`workbench.read_table`
    takes it. Returns None when the sheet is not found (the reader then names the sheets).
    """
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise DataError(
            _messages()["not_zip"].format(reason=exc), file=file, hint=_messages()["not_zip_hint"]
        ) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_entries:
            raise DataError(
                _messages()["entries"].format(n=len(infos), limit=limits.max_entries),
                file=file,
                hint=_messages()["bomb_hint"],
            )
        total = sum(i.file_size for i in infos)  # zipfile stops reading a part at its declared size
        if total > limits.max_unzipped_bytes:
            raise DataError(
                _messages()["unzipped"].format(size=total, limit=limits.max_unzipped_bytes),
                file=file,
                hint=_messages()["bomb_hint"],
            )
        for i in infos:
            ratio = i.file_size / max(i.compress_size, 1)
            if i.file_size >= 1 << 20 and ratio > limits.max_ratio:
                raise DataError(
                    _messages()["ratio"].format(part=i.filename, ratio=ratio, limit=limits.max_ratio),
                    file=file,
                    hint=_messages()["bomb_hint"],
                )
        parts = _sheet_parts(zf)
        if sheet is None:
            chosen = parts[0] if parts else None
        elif isinstance(sheet, int):
            chosen = parts[sheet] if 0 <= sheet < len(parts) else None
        else:
            chosen = next((p for p in parts if p[0] == sheet), None)
        if chosen is None or chosen[1] not in zf.NameToInfo:
            return None
        name, part = chosen
        try:
            cells, max_row, max_col, formulas = _scan_sheet(zf, part)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:  # a CRC error, a truncated part
            raise DataError(
                _messages()["not_zip"].format(reason=exc), file=file, hint=_messages()["not_zip_hint"]
            ) from None
    if cells > limits.max_cells:
        raise DataError(_messages()["cells"].format(sheet=name, n=cells, limit=limits.max_cells), file=file)
    if max_row * max_col > limits.max_grid:
        col = column_letters(max_col)
        raise DataError(
            _messages()["grid"].format(
                sheet=name, row=max_row, col=col, cells=max_row * max_col, limit=limits.max_grid
            ),
            file=file,
            hint=_messages()["grid_hint"].format(col=col, row=max_row),
        )
    return part if formulas else ""


def check_parquet(path, file: str, limits: TableLimits = TABLE_LIMITS) -> None:
    """Refuse a Parquet file whose footer promises more than the limits, or nested columns."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
        meta, schema = pf.metadata, pf.schema_arrow
    except Exception as exc:  # pyarrow raises several types for corrupt footers
        raise DataError(_messages()["parquet"].format(reason=exc), file=file) from None
    unpacked = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    if meta.num_rows * max(meta.num_columns, 1) > limits.max_grid or unpacked > limits.max_unzipped_bytes:
        raise DataError(
            _messages()["parquet_size"].format(
                rows=meta.num_rows,
                cols=meta.num_columns,
                bytes=unpacked,
                limit=limits.max_grid,
                limit_bytes=limits.max_unzipped_bytes,
            ),
            file=file,
        )
    check_header(list(schema.names), file)  # pandas would fail on, or rename, a repeated name
    for field in schema:
        t = field.type
        kind = (
            "list"
            if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t)
            else "struct"
            if pa.types.is_struct(t)
            else "map"
            if pa.types.is_map(t)
            else None
        )
        if kind:
            raise DataError(
                _messages()["nested"].format(column=field.name, kind=kind),
                file=file,
                column=field.name,
                hint=_messages()["nested_hint"],
            )


def check_table_file(path: Path, file: str, limits: TableLimits = TABLE_LIMITS) -> None:
    """The file-size limit, common to every format."""
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise DataError(
            _messages()["file_too_big"].format(size=size, limit=limits.max_file_bytes),
            file=file,
            hint=_messages()["file_too_big_hint"],
        )
