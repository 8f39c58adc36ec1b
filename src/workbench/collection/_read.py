"""One returned file -> the units it speaks for, the raw value of every field, and file-level problems.

Three kinds of returns are understood:

- a **form** made by :func:`workbench.collection.write_template` (its very hidden sheet says which
  rubric, layout and pre-filled units it was made for, and what its locked cells read);
- a **table** in a workbook or CSV file: a header row with a unit id column and columns named by
  item codes or names (one row per unit), or item codes with a value column (one unit);
- anything else is reported as not a return, and a file that cannot be read is reported with the
  reason (password, old format, damaged, too large); neither stops the collection.

Values are returned raw (numbers, text, booleans, error values); :mod:`._check` validates them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ._layout import IND, META_SHEET, META_TAG, UNI, cell_ref
from ._return import FileReturn, ReadLimits, add_unit, cell_text
from ._tables import read_csv, read_grid
from ._xlsx import WorkbookError, open_book

__all__ = ["read_return"]


def read_return(path: Path, name: str, ctx, limits: ReadLimits) -> FileReturn:
    """Read one file of the returns folder (never raises for a bad file: it is reported and skipped).

    ``ctx`` carries the rubric's fields, header words and known units (see ``_collect``).
    """
    ret = FileReturn(name)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, ret, ctx, limits)
    if suffix in (".csv", ".txt"):
        ret.kind = "csv"
        return read_csv(path, ret, ctx, limits)
    if suffix == ".xls":  # the old binary format: say how to fix it rather than "not a spreadsheet"
        return ret.skip("unreadable", reason_key="xls")
    return ret.skip("not_a_return", reason_key="other_type")


def _read_xlsx(path, ret, ctx, limits):
    try:
        book = open_book(path, max_bytes=limits.max_bytes, max_unzipped=limits.max_unzipped)
    except WorkbookError as exc:
        return ret.skip("unreadable", reason_key=exc.reason, reason=exc.detail)
    with book.zf:
        try:
            ctx.check_limits(path, ret.file)
            if META_SHEET in book.sheets:
                meta = _meta(book.cells(META_SHEET, 20_000))
                if meta.get(META_TAG) is not None and meta.get("sheet") in book.sheets:
                    ret.kind = "form"
                    return _read_form(book, meta, ret, ctx, limits)
            ret.kind = "table"
            visible = [n for n, s in book.states.items() if s == "visible" and n != META_SHEET] or list(
                book.sheets
            )
            if not visible:
                return ret.skip("not_a_return", reason_key="no_table")
            return read_grid(book.cells(visible[0], limits.max_cells), ret, ctx)
        except WorkbookError as exc:
            return ret.skip("unreadable", reason_key=exc.reason, reason=exc.detail)
        except ctx.limit_error as exc:  # the shared size limits of table files
            return ret.skip("unreadable", reason_key="too_large", reason=str(exc))


def _meta(cells) -> dict:
    """Settings (A:B), pre-filled units (D:F) and locked cells (JSON in H) of a form's hidden sheet."""
    by_col: dict[int, dict[int, object]] = {}
    for (r, c), (v, _f) in cells.items():
        by_col.setdefault(c, {})[r] = v
    keys, values = by_col.get(1, {}), by_col.get(2, {})
    meta = {cell_text(v): values.get(r) for r, v in keys.items() if v is not None}
    d, e, f = (by_col.get(c, {}) for c in (4, 5, 6))
    meta["units"] = [(cell_text(d[r]), cell_text(e.get(r)), cell_text(f.get(r))) for r in sorted(d)]
    text = "".join(str(v) for _r, v in sorted(by_col.get(8, {}).items()))
    try:
        locked = json.loads(text) if text else []
        ok = isinstance(locked, list) and all(
            isinstance(x, list) and len(x) == 2 and isinstance(x[0], str) for x in locked
        )
    except (ValueError, RecursionError):
        ok = False
    if not ok:
        raise WorkbookError("bad_xml", "the form's hidden sheet")
    meta["locked"] = [tuple(x) for x in locked]
    return meta


_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


def _pos(ref: str) -> tuple[int, int] | None:
    m = _REF.match(ref)
    if not m:
        return None
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def _same(expected, found) -> bool:
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        return (
            isinstance(found, (int, float))
            and not isinstance(found, bool)
            and float(found) == float(expected)
        )
    return found is not None and str(found) == str(expected)


def _read_form(book, meta, ret, ctx, limits):
    cells = book.cells(meta["sheet"], limits.max_cells)
    ret.fingerprint = str(meta.get("fingerprint"))
    # where the form put each item, as written in its hidden sheet: a code typed over in the
    # visible sheet cannot move a value to another item
    written = {}
    for ref, expected in meta["locked"]:
        pos = _pos(ref)
        if pos is None:
            continue
        written[pos] = expected
        found = cells.get(pos, (None, False))[0]
        if not _same(expected, found):
            ret.problem("locked_altered", severity="warning", cell=ref, value=found, expected=expected)
    if meta.get("rubric") != ctx.rubric_code or ret.fingerprint != ctx.fingerprint:
        ret.problem("template_version", severity="warning", found=f"{meta.get('rubric')} {ret.fingerprint}",
                    now=f"{ctx.rubric_code} {ctx.fingerprint}")  # fmt: skip
    value = lambda r, c: cells.get((r, c), (None, False))  # noqa: E731
    prefilled = meta["units"]
    if meta.get("layout") == "unit":
        codes = {c: cell_text(v) for (r, c), v in written.items() if r == UNI.codes}
        lead = {k: c for c, k in codes.items() if k in ("unit", "name", "category")}
        fields = {c: k for c, k in codes.items() if k in ctx.fields}
        remark = next((c for c, k in codes.items() if k == "remark"), None)
        _unknown_codes(
            ret,
            {c: k for c, k in codes.items() if k not in ctx.fields and k not in (*lead, "remark")},
            UNI.codes,
            by_row=False,
        )
        last = max((r for r, _c in cells), default=0)
        for i, r in enumerate(range(UNI.first, last + 1)):
            pre = prefilled[i] if i < len(prefilled) else ("", "", "")
            typed = [
                cell_text(value(r, lead[k])[0]) if k in lead else "" for k in ("unit", "name", "category")
            ]
            if not any(typed) and not any(value(r, c)[0] is not None for c in fields):
                continue
            uid = pre[0] or typed[0]
            source = "prefilled" if pre[0] else "form"
            idx = add_unit(
                ret,
                ctx,
                uid,
                pre[1] or typed[1],
                pre[2] or typed[2],
                source,
                cell_ref(r, lead.get("unit", 1)),
            )
            for c, code in fields.items():
                v, f = value(r, c)
                ret.records.append((idx, code, v, cell_ref(r, c), f))
            if remark is not None and value(r, remark)[0] is not None:
                ret.remarks.append((idx, "", cell_text(value(r, remark)[0])))
        if not ret.units:
            ret.problem("missing", cell=cell_ref(UNI.first, 1), code="unit", expected=ctx.unit_expected)
        return ret
    rows = {cell_text(v): r for (r, c), v in written.items() if c == IND.code and r >= IND.first}
    _unknown_codes(ret, {r: k for k, r in rows.items() if k not in ctx.fields}, IND.code, by_row=True)
    pre = prefilled[0] if prefilled else ("", "", "")
    typed = [cell_text(value(*p)[0]) for p in (IND.unit_cell, IND.name_cell, IND.category_cell)]
    uid, source = (pre[0], "prefilled") if pre[0] else (typed[0], "form")
    if not uid:
        uid, source = ctx.unit_from_file(ret.file), "file name"
        if not uid:
            return ret.skip("no_unit", cell=cell_ref(*IND.unit_cell))
    idx = add_unit(ret, ctx, uid, pre[1] or typed[1], pre[2] or typed[2], source, cell_ref(*IND.unit_cell))
    for code, r in rows.items():
        if code in ctx.fields:
            v, f = value(r, IND.value)
            ret.records.append((idx, code, v, cell_ref(r, IND.value), f))
            note = value(r, IND.remark)[0]
            if note is not None:
                ret.remarks.append((idx, code, cell_text(note)))
    return ret


def _unknown_codes(ret, where: dict, fixed: int, *, by_row: bool) -> None:
    for pos, code in where.items():
        if code:
            ret.problem(
                "unknown_field",
                severity="warning",
                cell=cell_ref(pos, fixed) if by_row else cell_ref(fixed, pos),
                code=code,
            )
