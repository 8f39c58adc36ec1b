"""Returns that are plain tables (a workbook without a form's hidden sheet, or a CSV file).

A header row (searched in the first 30 rows) with a unit id column and columns named by item codes
or names gives one unit per row; item codes with a value column give one unit, whose id is found in a
labelled cell above the header (such as 单位代码) or else in the file name.
"""

from __future__ import annotations

import csv
import io

from ._layout import cell_ref
from ._return import add_unit, cell_text

__all__ = ["read_csv", "read_grid"]


def read_csv(path, ret, ctx, limits):
    from ..io import detect_encoding

    size = path.stat().st_size
    if size > limits.max_bytes:
        return ret.skip("unreadable", reason_key="too_large", reason=f"{size:,} bytes")
    raw = path.read_bytes()
    try:
        text = raw.decode("gb18030" if (enc := detect_encoding(raw)) == "gbk" else enc)
    except Exception:  # detect_encoding raises DataError for bytes that are neither UTF-8 nor GBK
        return ret.skip("unreadable", reason_key="encoding")
    cells = {}
    for r, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        for c, v in enumerate(row, start=1):
            if v.strip():
                cells[(r, c)] = (v, False)
        if len(cells) > limits.max_cells:
            return ret.skip(
                "unreadable", reason_key="too_large", reason=f"more than {limits.max_cells:,} cells"
            )
    return read_grid(cells, ret, ctx)


def read_grid(cells, ret, ctx):
    """A plain table: one row per unit (unit id column + item columns) or one unit (codes + values)."""
    by_row: dict[int, dict[int, str]] = {}
    for (r, c), (v, _f) in cells.items():
        if r <= 30 and v is not None:
            by_row.setdefault(r, {})[c] = cell_text(v)
    for r in sorted(by_row):
        row = by_row[r]
        unit_col = next((c for c, v in row.items() if v in ctx.unit_headers), None)
        fields = {c: ctx.field_by_label[v] for c, v in row.items() if v in ctx.field_by_label}
        if unit_col is not None and fields:
            return _wide(cells, r, row, unit_col, fields, ret, ctx)
        code_col = next((c for c, v in row.items() if v in ctx.code_headers), None)
        value_col = next((c for c, v in row.items() if v in ctx.value_headers), None)
        if code_col is not None and value_col is not None:
            return _long(cells, by_row, r, code_col, value_col, ret, ctx)
    return ret.skip("not_a_return", reason_key="no_table")


def _wide(cells, header, row, unit_col, fields, ret, ctx):
    name_col = next((c for c, v in row.items() if v in ctx.name_headers), None)
    cat_col = next((c for c, v in row.items() if v in ctx.category_headers), None)
    last = max(r for r, _c in cells)
    for r in range(header + 1, last + 1):
        uid = cell_text(cells.get((r, unit_col), (None, False))[0])
        if not uid:
            if any((r, c) in cells for c in fields):
                ret.problem("missing", cell=cell_ref(r, unit_col), code="unit", expected=ctx.unit_expected)
            continue
        name, cat = (
            cell_text(cells.get((r, c), (None, False))[0]) if c is not None else ""
            for c in (name_col, cat_col)
        )
        idx = add_unit(ret, ctx, uid, name, cat, "table", cell_ref(r, unit_col))
        for c, code in fields.items():
            v, f = cells.get((r, c), (None, False))
            ret.records.append((idx, code, v, cell_ref(r, c), f))
    return ret


def _long(cells, by_row, header, code_col, value_col, ret, ctx):
    uid = name = category = ""
    cell = ""
    for r in range(1, header):  # a label such as 单位代码 with the value to its right
        for c, v in by_row.get(r, {}).items():
            nxt = by_row.get(r, {}).get(c + 1, "")
            if v in ctx.unit_headers and nxt:
                uid, cell = nxt, cell_ref(r, c + 1)
            elif v in ctx.name_headers and nxt:
                name = nxt
            elif v in ctx.category_headers and nxt:
                category = nxt
    source = "form"
    if not uid:
        uid, source, cell = ctx.unit_from_file(ret.file), "file name", ""
        if not uid:
            return ret.skip("no_unit")
    idx = add_unit(ret, ctx, uid, name, category, source, cell)
    last = max(r for r, _c in cells)
    for r in range(header + 1, last + 1):
        code = cell_text(cells.get((r, code_col), (None, False))[0])
        code = ctx.field_by_label.get(code, code)
        if code in ctx.fields:
            v, f = cells.get((r, value_col), (None, False))
            ret.records.append((idx, code, v, cell_ref(r, value_col), f))
        elif code:
            ret.problem("unknown_field", severity="warning", cell=cell_ref(r, code_col), code=code)
    return ret
