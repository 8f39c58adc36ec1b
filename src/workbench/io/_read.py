"""Reading data tables and writing outputs safely.

:func:`read_table` reads CSV (UTF-8, UTF-8 with BOM or GBK, detected and reported), Excel
(``.xlsx``, a named sheet) and Parquet into a DataFrame indexed by unit id, and checks the unit
ids. Given a rubric, it also checks and coerces the rubric's columns (:func:`validate_data`).
Inputs are never modified; outputs are written atomically (:func:`atomic_write_text`,
:func:`atomic_write_bytes`), so a failure never leaves a half-written file. Tables are written by
:func:`write_table`, which neutralises spreadsheet formulas in text (:func:`safe_cell`); paths are
guarded by :func:`check_outputs` and :func:`safe_filename` (:mod:`workbench.io._files`).
"""

from __future__ import annotations

import logging
import os
import tempfile
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from .._text import bad_cells, normalise_key, normalise_keys, printable
from ..errors import DataError, OutputError, Problem
from ._files import atomic_write_bytes, check_outputs, clean_orphans, guard_inputs, safe_filename, write_files
from ._limits import check_parquet, check_table_file, check_xlsx
from ._outputs import FORMULA_PREFIXES, neutralise_formulas, safe_cell, table_bytes, write_table
from ._table_checks import (
    check_header,
    check_text_columns,
    csv_encoding_after_failure,
    duplicate_id_problems,
    non_finite_mask,
    normal_columns,
)

__all__ = [
    "read_table",
    "validate_data",
    "detect_encoding",
    "atomic_write_text",
    "atomic_write_bytes",
    "ensure_writable",
    "MISSING_TOKENS",
    "UNIT_COLUMNS",
    "NAME_COLUMNS",
    "unit_names",
    "FORMULA_PREFIXES",
    "safe_cell",
    "neutralise_formulas",
    "write_table",
    "table_bytes",
    "write_files",
    "check_outputs",
    "guard_inputs",
    "safe_filename",
    "clean_orphans",
    "normalise_key",
    "printable",
]

log = logging.getLogger(__name__)

# Messages added for untrusted files (issue 12), in one place for the gettext catalogue.
MESSAGES = {
    "is_folder": "{path} is a folder; give the data file",
    "formulas": "formula cells in the columns that are scored",
    "formula_warning": (
        "{file}: cells {cells} of sheet {sheet!r} hold formulas; their stored results are read "
        "(they are not scored)"
    ),
    "other_scale": "{value:g} is outside 0..{top:g}, the scale of this score",
    "bad_category": "category label {value!r} contains control or direction-changing characters",
}

# Cells that mean "no value" in Chinese report tables. They count as missing only where the rubric
# allows a missing value for that indicator; elsewhere they are reported as errors.
MISSING_TOKENS = frozenset(
    {
        "",
        "—",
        "——",
        "–",
        "-",
        "--",
        "无",
        "空",
        "/",
        "不涉及",
        "不适用",
        "NA",
        "N/A",
        "n/a",
        "nan",
        "NaN",
        "null",
    }
)
# Unit id columns recognised when none is named (the one used is reported in ``attrs['unit']``).
UNIT_COLUMNS = ("unit", "uCode", "unit_code", "单位代码", "单位编码", "code", "expert", "专家")
# Columns that hold a unit's display name (department name), used by tables, charts and briefings.
NAME_COLUMNS = ("name", "unit_name", "名称", "单位名称")
_YES = frozenset({"1", "是", "有", "true", "True", "TRUE", "yes", "Yes", "Y", "y", "√", "✓"})
_NO = frozenset({"0", "否", "无", "false", "False", "FALSE", "no", "No", "N", "n", "×", ""})


def detect_encoding(raw: bytes) -> str:
    """Name the encoding of CSV bytes: 'utf-8-sig' (BOM), 'utf-8', or 'gbk' (read as GB18030).

    Raises
    ------
    DataError
        When the bytes are neither valid UTF-8 nor valid GBK.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        raw.decode("gb18030")
        return "gbk"
    except UnicodeDecodeError:
        pass
    line = raw[: utf8_error.start].count(b"\n") + 1
    raise DataError(
        f"the file is neither UTF-8 nor GBK text (invalid byte at offset {utf8_error.start}, line {line})",
        row=line,
        hint="save the table as CSV UTF-8 from Excel or WPS",
    )


def _decode(raw: bytes, encoding: str, file: str) -> str:
    codec = "gb18030" if encoding.lower() in ("gbk", "gb2312", "gb18030") else encoding
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        guess = ""
        try:
            raw.decode("gb18030")
            guess = " It decodes as GBK: the file was probably saved by Excel or WPS in GBK."
        except UnicodeDecodeError:
            pass
        raise DataError(
            f"the file is not valid {encoding} text (invalid byte at offset {exc.start}, line {line}).{guess}",
            file=file,
            row=line,
            hint="pass encoding='gbk', or leave encoding=None to detect it",
        ) from None


def read_table(
    path: str | Path,
    *,
    unit: str | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    rubric=None,
) -> pd.DataFrame:
    """Read a data table indexed by unit id.

    Parameters
    ----------
    path : str or Path
        ``.csv`` / ``.txt`` (UTF-8, UTF-8 with BOM or GBK), ``.xlsx`` / ``.xlsm`` or ``.parquet``.
    unit : str, optional
        Unit id column. By default the rubric's ``unit_column``, else the first of
        ``UNIT_COLUMNS`` present. Ids are read as text (leading zeros kept).
    sheet : str or int, optional
        Excel sheet name or position (default the first sheet).
    encoding : str, optional
        CSV encoding; by default detected. The encoding used is in ``attrs['encoding']``.
    rubric : Rubric, optional
        When given, the rubric's columns are checked and coerced with :func:`validate_data`.

    Returns
    -------
    DataFrame
        Indexed by unit id; ``attrs`` holds ``source``, ``encoding``, ``sheet`` and ``unit``.

    Raises
    ------
    DataError
        Missing or empty file, undecodable text, missing sheet, missing or duplicated unit ids,
        and (with a rubric) missing columns or cells that are not numbers.
    """
    path = Path(path)
    file = str(path)
    if not path.exists():
        raise DataError(f"data file not found: {path}", file=file)
    if path.is_dir():
        raise DataError(MESSAGES["is_folder"].format(path=path), file=file)
    if path.stat().st_size == 0:
        raise DataError(
            "the file is empty", file=file, hint="export the table again; it has no header or rows"
        )
    check_table_file(path, file)  # size limits before anything is read
    suffix = path.suffix.lower()
    used_encoding = None
    formulas = ""
    if unit is None and rubric is not None:
        unit = rubric.unit_column
    if suffix in (".csv", ".txt", ".tsv"):
        sep = "\t" if suffix == ".tsv" else ","
        with path.open("rb") as fh:  # the first line is enough for the header and a BOM
            first = fh.readline()
        if encoding is not None:  # a declared encoding is verified, with the line that fails
            used_encoding = encoding
            _decode(path.read_bytes(), encoding, file)
        elif first.startswith(b"\xef\xbb\xbf"):
            used_encoding = "utf-8-sig"
        else:
            used_encoding = "utf-8"  # tried first; the parser's own decoding tells if it is not
        try:
            raw_header = _csv_header(first, used_encoding, sep, file)
        except UnicodeDecodeError:  # GBK, or the row where a mixed file changes encoding
            used_encoding = csv_encoding_after_failure(path.read_bytes(), file, declared=used_encoding)
            raw_header = _csv_header(first, used_encoding, sep, file)
        header = check_header(raw_header, file)  # normal names; repeated names refused
        unit = _pick_unit(header, unit, file)
        # ids stay text (leading zeros kept); object parses faster than str
        dtypes = {raw_header[header.index(unit)]: object}
        try:
            try:
                # pandas reads a path much faster than an in-memory buffer
                frame = _parse_csv(path, sep, used_encoding, dtypes)
            except UnicodeDecodeError:
                if encoding is not None:
                    raise
                # GBK, or a clear error naming the row where a mixed file changes encoding
                used_encoding = csv_encoding_after_failure(path.read_bytes(), file, declared=used_encoding)
                raw_header = _csv_header(first, used_encoding, sep, file)
                header = check_header(raw_header, file)
                unit = _pick_unit(header, unit, file)
                dtypes = {raw_header[header.index(unit)]: object}
                frame = _parse_csv(path, sep, used_encoding, dtypes)
        except (pd.errors.ParserError, ValueError) as exc:
            if isinstance(exc, DataError):
                raise
            raise DataError(f"cannot parse the CSV: {_first_line(exc)}", file=file) from None
        log.info("read %s as %s", file, used_encoding)
    elif suffix in (".xlsx", ".xlsm", ".xls"):
        if suffix != ".xls":  # zip sizes, cell count and range checked before loading
            formulas = check_xlsx(path, sheet, file)
        try:
            book = pd.ExcelFile(path)
        except Exception as exc:  # openpyxl raises many types for corrupt files
            raise DataError(f"cannot open the Excel file: {_first_line(exc)}", file=file) from None
        with book:
            frame, sheet, unit = _read_sheet(book, sheet, unit, file)
    elif suffix in (".parquet", ".pq"):
        check_parquet(path, file)  # footer sizes and nested columns checked before loading
        try:
            frame = pd.read_parquet(path)
        except Exception as exc:
            raise DataError(f"cannot read the Parquet file: {_first_line(exc)}", file=file) from None
        if unit is None and frame.index.name in UNIT_COLUMNS:
            frame = frame.reset_index()
        check_header(list(frame.columns), file)
        unit = _pick_unit(normal_columns(frame.columns), unit, file)
        frame.columns = normal_columns(frame.columns)
        frame[unit] = frame[unit].astype(str)
    else:
        raise DataError(f"unsupported file type {suffix!r}; expected .csv, .xlsx or .parquet", file=file)
    if frame.empty or len(frame.columns) == 0:
        raise DataError("the table has a header but no rows", file=file)
    if suffix not in (".parquet", ".pq"):
        frame.columns = [
            c if str(c).startswith("Unnamed:") else n for c, n in zip(frame.columns, header_of(frame))
        ]
    if formulas:
        _formula_cells(path, formulas, frame, sheet, unit, rubric, file)
    frame = _index_by_unit(frame, unit, file)
    frame.attrs.update({"source": file, "encoding": used_encoding, "sheet": sheet, "unit": unit})
    check_text_columns(frame, {c: "name" for c in NAME_COLUMNS}, file, index_name=unit)
    if rubric is not None:
        frame = validate_data(rubric, frame, file=file)
    return frame


def header_of(frame: pd.DataFrame) -> list:
    """The frame's text column names in normal form (see :func:`workbench._text.normalise_key`)."""
    return [normalise_key(c) if isinstance(c, str) else c for c in frame.columns]


def _first_line(exc: BaseException) -> str:
    """The first line of a library's message (its own tracebacks and context are noise to users)."""
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _formula_cells(path, part, frame, sheet, unit, rubric, file) -> None:
    """Refuse formula cells in the columns that are scored (and the id column); warn about others.

    A formula's stored result is what a reader gets, but Excel shows (and the unit sees) the
    recalculated value, which can differ; a hostile file can store any result.
    """
    import warnings

    from ..errors import WorkbenchWarning
    from ._limits import MESSAGES as LIMIT_MESSAGES
    from ._limits import formula_cells

    cols = list(frame.columns)
    scored = {unit} | (_rubric_columns(rubric) if rubric is not None else set())
    problems, others = [], []
    for ref, row, k in formula_cells(path, part):
        column = str(cols[k - 1]) if 0 < k <= len(cols) else "?"
        text = LIMIT_MESSAGES["formula"].format(cell=ref, sheet=sheet, column=column)
        if column in scored:
            problems.append(Problem(text, row=row, column=column, hint=LIMIT_MESSAGES["formula_hint"]))
        else:
            others.append(ref)
    if problems:
        raise DataError(MESSAGES["formulas"], file=file, problems=problems)
    if others:
        warnings.warn(
            MESSAGES["formula_warning"].format(file=file, cells=", ".join(others[:10]), sheet=sheet),
            WorkbenchWarning,
            stacklevel=3,
        )


def _rubric_columns(rubric) -> set:
    cols = set(rubric.indicators) | {rubric.nodes[c].name for c in rubric.indicators}
    cols |= {it.code for it in rubric.bonus.items} | {it.code for it in rubric.deductions.items}
    cols |= {v.code for v in rubric.veto}
    if rubric.categories is not None:
        cols.add(rubric.categories.column)
    if rubric.scheme.type != "single":
        cols.add(rubric.scheme.other_column)
    return cols


def _codec(encoding: str) -> str:
    return "gb18030" if encoding.lower() in ("gbk", "gb2312", "gb18030") else encoding


def _csv_header(first: bytes, encoding: str, sep: str, file: str) -> list[str]:
    """Column names from the first line (the body is parsed once, by pandas).

    Raises UnicodeDecodeError when the line is not in ``encoding`` (the caller then detects it).
    """
    import csv

    line = first.decode(_codec(encoding))
    if line.startswith("\ufeff"):
        line = line[1:]
    # as written (pandas needs these names); compared in normal form by check_header
    return next(csv.reader([line.rstrip("\r\n")], delimiter=sep), [])


def _parse_csv(source, sep: str, encoding: str, dtypes: dict) -> pd.DataFrame:
    return pd.read_csv(source, dtype=dtypes, sep=sep, encoding=_codec(encoding), encoding_errors="strict")


def _read_sheet(book, sheet, unit, file):
    """Read one sheet of an open workbook, unit ids as text; returns (frame, sheet name, unit column)."""
    names = book.sheet_names
    if sheet is None:
        sheet = names[0]
    elif isinstance(sheet, int) and not 0 <= sheet < len(names):
        raise DataError(
            f"the workbook has {len(names)} sheets; sheet {sheet} does not exist", file=file, key="sheet"
        )
    elif isinstance(sheet, str) and sheet not in names:
        raise DataError(
            f"the workbook has no sheet named {sheet!r}; its sheets are {names}", file=file, key="sheet"
        )
    # the header as written (pandas renames a repeated name to 'a1.1', hiding it)
    raw = pd.read_excel(book, sheet_name=sheet, header=None, nrows=1)
    raw_header = raw.iloc[0].tolist() if len(raw) else []
    header = check_header(raw_header, file)
    unit = _pick_unit(header, unit, file)
    frame = pd.read_excel(book, sheet_name=sheet, dtype={raw_header[header.index(unit)]: str})
    if not isinstance(sheet, str):
        sheet = names[sheet]
    return frame, sheet, unit


def detect_encoding_or_raise(raw: bytes, file: str) -> str:
    try:
        return detect_encoding(raw)
    except DataError as exc:
        raise DataError(str(exc), file=file, row=exc.row, hint=exc.hint) from None


def unit_names(data: pd.DataFrame) -> pd.Series | None:
    """Display names of the units (the first of :data:`NAME_COLUMNS` present), or None."""
    for col in NAME_COLUMNS:
        if col in data.columns:
            return data[col].astype(str)
    return None


def _pick_unit(columns: Iterable, unit: str | None, file: str) -> str:
    cols = [str(c) for c in columns]
    if unit is not None:
        if unit not in cols:
            raise DataError(
                f"the unit id column {unit!r} is missing; the table has columns {cols[:20]}",
                file=file,
                column=unit,
                hint="pass unit='<id column>'",
            )
        return unit
    for name in UNIT_COLUMNS:
        if name in cols:
            return name
    raise DataError(
        f"no unit id column found; looked for {list(UNIT_COLUMNS)} in {cols[:20]}",
        file=file,
        hint="pass unit='<id column>' to read_table",
    )


def _index_by_unit(frame: pd.DataFrame, unit: str, file: str | None) -> pd.DataFrame:
    missing = frame[unit].isna().to_numpy()
    # normal form (NFKC, no zero-width characters, single spaces): look-alike ids are one id
    ids = normalise_keys(frame[unit]).astype(str)  # pandas' own text dtype: hashing it stays fast
    blank = missing | (ids == "").to_numpy(dtype=bool, na_value=True)
    # is_unique is one hash pass; the positions of duplicates are only needed to report them
    dup = np.zeros(len(ids), dtype=bool) if ids.is_unique else ids.duplicated(keep=False).to_numpy() & ~blank
    if blank.any() or dup.any():
        problems = [
            Problem("unit id is empty", row=int(i) + 2, column=unit) for i in np.flatnonzero(blank)[:20]
        ]
        problems += duplicate_id_problems(frame[unit], ids, dup, unit)
        raise DataError(
            f"unit ids in column {unit!r} must be present and unique "
            f"({int(blank.sum())} empty, {int(ids[dup].nunique())} duplicated)",
            file=file,
            problems=problems,
        )
    out = frame.drop(columns=[unit])
    out.index = pd.Index(ids, name=unit)
    return out


def validate_data(
    rubric, frame: pd.DataFrame, *, file: str | None = None, unit: str | None = None
) -> pd.DataFrame:
    """Check and coerce the columns a rubric needs; return a new frame (the input is untouched).

    - every indicator, bonus, deduction and veto code must be a column (an indicator may also be
      found by its Chinese name); the category column and the scheme's other-score column too;
    - numeric columns: full-width digits and signs are converted (NFKC: "８５" -> 85); tokens such
      as "—" or "无" become missing only where the indicator's ``missing`` policy allows it;
      anything else that is not a number is reported with its row and column;
    - qualitative grades must be among the rule's grades; checklist counts must be non-negative;
      ``direct`` values must lie within their full marks;
    - bonus/deduction counts must be non-negative numbers (blank = 0); veto flags 0/1, 是/否,
      有/无 (blank = no).

    Raises
    ------
    DataError
        Listing every problem found, with row (as the spreadsheet shows it) and column.
    """
    frame, arrays = coerce_columns(rubric, frame, file=file, unit=unit)
    # a shallow copy is safe under copy-on-write; only columns whose values changed are replaced
    result = frame.copy(deep=False)
    for c, values in arrays.items():
        col = frame[c]
        if (
            isinstance(values, np.ndarray)
            and values.dtype == col.dtype
            and np.may_share_memory(values, col.to_numpy())
        ):
            continue  # a float column read as such: nothing changed, nothing to copy
        if (
            isinstance(values, pd.Categorical)
            and col.dtype == values.dtype
            and np.array_equal(col.cat.codes, values.codes)
        ):
            continue
        result[c] = values
    result.attrs = dict(frame.attrs)
    return result


def coerce_columns(rubric, frame: pd.DataFrame, *, file: str | None = None, unit: str | None = None):
    """Validate ``frame`` for ``rubric``; return (frame indexed by unit, {column: coerced array}).

    The arrays are what :func:`workbench.score` computes on; :func:`validate_data` puts them back
    into a DataFrame. Text columns are coerced through their distinct values (``pd.factorize``),
    so a column of 100,000 grades costs one hash pass, not 100,000 string operations.
    """
    if unit is not None and unit in frame.columns:
        frame = _index_by_unit(frame, unit, file)
    file = file or frame.attrs.get("source")
    problems: list[Problem] = []
    out: dict[str, np.ndarray] = {}
    cols = set(map(str, frame.columns))
    rename = {
        rubric.nodes[c].name: c for c in rubric.indicators if c not in cols and rubric.nodes[c].name in cols
    }
    if rename:
        frame = frame.rename(columns=rename)
        cols = set(map(str, frame.columns))
    needed = [(c, "indicator") for c in rubric.indicators]
    needed += [(it.code, "bonus item") for it in rubric.bonus.items]
    needed += [(it.code, "deduction item") for it in rubric.deductions.items]
    needed += [(v.code, "veto item") for v in rubric.veto if v.indicator is None]
    if rubric.categories is not None:
        needed.append((rubric.categories.column, "category column"))
    if rubric.scheme.type != "single":
        needed.append((rubric.scheme.other_column, f"{rubric.scheme.other_name} (other score) column"))
    for c, what in needed:
        if c not in cols:
            label = rubric.nodes[c].name if c in rubric.nodes else ""
            problems.append(Problem(f"the table has no column for {what} {c!r} {label}".rstrip(), column=c))
    full = rubric.full_marks()
    for code in rubric.indicators:
        if code not in cols:
            continue
        node = rubric.nodes[code]
        col = frame[code]
        if node.rule is not None and not node.rule.numeric:
            out[code] = _check_grades(col, node, problems)
            continue
        values = _to_number(col, code, problems, allow_missing=node.missing != "error")
        _check_range(problems, values, code, node)
        if node.rule is not None and node.rule.type == "direct":
            top = node.rule.per if node.rule.input != "points" else float(full[code])
            _report(
                problems,
                (values < 0) | (values > top + 1e-9),
                code,
                lambda i, v=values, top=top: (
                    f"{v[i]:g} is outside 0..{top:g}, the range of this directly scored item"
                ),
            )
        out[code] = values
    for adj in (rubric.bonus, rubric.deductions):
        for it in adj.items:
            if it.code in cols:
                values = np.nan_to_num(
                    _to_number(frame[it.code], it.code, problems, allow_missing=True), nan=0.0
                )
                _report(
                    problems,
                    (values < 0) | (values % 1 != 0),
                    it.code,
                    lambda i, v=values, n=it.name: (
                        f"{v[i]:g} is not a possible count of {n!r} (expected a whole number of times, 0 or more)"
                    ),
                )
                out[it.code] = values
    for v in rubric.veto:
        if v.indicator is None and v.code in cols:
            out[v.code] = _to_flag(frame[v.code], v.code, problems)
    if rubric.scheme.type != "single" and rubric.scheme.other_column in cols:
        c = rubric.scheme.other_column
        out[c] = _to_number(frame[c], c, problems, allow_missing=False)
        top = rubric.scheme.other_scale  # weighted and dual100 put the score on 100: 99999 of 100 is an error
        if rubric.scheme.type in ("weighted", "dual100"):
            _report(
                problems,
                (out[c] < 0) | (out[c] > top * (1 + 1e-9)),
                c,
                lambda i, v=out[c], top=top: MESSAGES["other_scale"].format(value=v[i], top=top),
            )
    if rubric.categories is not None and rubric.categories.column in cols:
        # labels compared in normal form: '党政综合部门 ' is '党政综合部门', not a category of its own
        c = rubric.categories.column
        _report(
            problems,
            bad_cells(frame[c]),
            c,
            lambda i, v=frame[c]: MESSAGES["bad_category"].format(value=v.iloc[i]),
        )
        labels = normalise_keys(frame[c])
        if not labels.equals(frame[c].astype(object)):
            out[c] = labels.where(frame[c].notna(), frame[c]).to_numpy(dtype=object)
        if rubric.categories.names:
            # a label the rubric does not define would silently form a category of its own
            _check_categories(problems, labels.where(frame[c].notna(), frame[c]), rubric.categories)
    if problems:
        raise DataError(f"the data do not fit rubric {rubric.code!r}", file=file, problems=problems)
    return frame, out


def _check_range(problems, values: np.ndarray, code: str, node) -> None:
    """Values outside the indicator's valid range (declared, or inferred from its unit and kind)."""
    from ..rubric._extras import valid_range

    rng = valid_range(node)
    if not rng.bounded:
        return
    with np.errstate(invalid="ignore"):
        bad = np.zeros(len(values), dtype=bool)
        if rng.lo is not None:
            bad |= values < rng.lo
        if rng.hi is not None:
            bad |= values > rng.hi
        if rng.whole:
            bad |= np.isfinite(values) & (values % 1 != 0)
    if not bad.any():
        return
    if rng.lo is not None and rng.hi is not None:
        span = f"from {rng.lo:g} to {rng.hi:g}"
    elif rng.lo is not None:
        span = f">= {rng.lo:g}"
    else:
        span = "any value" if rng.hi is None else f"<= {rng.hi:g}"
    span = f"whole numbers {span}" if rng.whole else f"a value {span}"
    why = {
        "percent": "a percentage",
        "count": f"a count ({node.unit})",
        "measure": f"an amount ({node.unit})",
        "checklist": "a number of missing checklist items",
        "declared": "as the rubric declares",
    }.get(rng.basis, "")
    hint = (
        "correct the cell; if such values are valid, declare e.g. 'range: [0, 200]' for the indicator"
        if rng.basis != "declared"
        else "correct the cell, or widen the indicator's 'range' in the rubric"
    )
    _report(
        problems,
        bad,
        code,
        lambda i: f"{values[i]:g} is not a valid value of {node.name!r}: expected {span} ({why})",
        hint=hint,
    )


def _check_categories(problems, col: pd.Series, categories):
    """Category values must be among the rubric's declared categories (after NFKC and stripping).

    Returns the cleaned values when cleaning changed any, else None.
    """
    codes, uniques = _factorize(col)
    known = np.array([u in categories.names for u in uniques], dtype=bool)
    raw = col.iloc
    _report(
        problems,
        np.append(~known, True)[codes],
        categories.column,
        lambda i: (
            f"category {raw[i]!r} is not one of the rubric's categories {list(categories.names)}"
            if not pd.isna(raw[i])
            else f"the category is empty; expected one of {list(categories.names)}"
        ),
        hint="correct the cell, or add the category to 'categories.names' in the rubric",
    )
    raw_u = pd.unique(col.dropna().astype(str))
    if set(raw_u) <= set(uniques):
        return None
    return np.append(uniques.astype(object), None)[codes]


def _report(problems, mask: np.ndarray, column: str, message, limit: int = 20, hint: str | None = None):
    """Add one problem per flagged cell (first ``limit``), with spreadsheet row numbers."""
    for i in np.flatnonzero(mask)[:limit]:
        problems.append(Problem(message(i), row=int(i) + 2, column=column, hint=hint))


def _factorize(col: pd.Series):
    """Distinct non-missing values (NFKC-normalised, stripped text) and each cell's code (-1 = NA)."""
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    clean = np.array([unicodedata.normalize("NFKC", str(u)).strip() for u in uniques], dtype=object)
    return np.asarray(codes), clean


def _to_number(col: pd.Series, code: str, problems, *, allow_missing: bool) -> np.ndarray:
    missing_hint = "enter a number, or set 'missing: zero' or 'missing: exempt' for it in the rubric"
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        values = col.to_numpy() if col.dtype == np.float64 else col.to_numpy(dtype=float, na_value=np.nan)
        _report_non_finite(problems, values, code)
        if not allow_missing:
            _report(
                problems,
                np.isnan(values),
                code,
                lambda i: "the cell is empty but this indicator does not accept missing values",
                hint=missing_hint,
            )
        return values
    codes, uniques = _factorize(col)
    numbers = pd.to_numeric(
        pd.Series([u.replace(",", "") for u in uniques], dtype=object), errors="coerce"
    ).to_numpy(dtype=float)
    token = np.array([u in MISSING_TOKENS for u in uniques], dtype=bool)
    bad_u = np.isnan(numbers) & ~token
    values = np.append(numbers, np.nan)[codes]  # code -1 (NA) picks the appended NaN
    raw = col.iloc  # only read for the cells reported
    _report(problems, np.append(bad_u, False)[codes], code, lambda i: f"{raw[i]!r} is not a number")
    _report_non_finite(problems, values, code, raw)
    if not allow_missing:
        empty = np.append(token, True)[codes]
        _report(
            problems,
            empty,
            code,
            lambda i: (
                "the cell is empty, which this indicator does not accept as missing"
                if pd.isna(raw[i]) or str(raw[i]).strip() == ""
                else f"the cell holds {raw[i]!r}, which this indicator does not accept as missing"
            ),
            hint=missing_hint,
        )
    return values


def _report_non_finite(problems, values: np.ndarray, code: str, raw=None) -> None:
    """Refuse inf, -inf and figures beyond MAX_ABS_VALUE (they rank first or overflow sums)."""
    from ._table_checks import MAX_ABS_VALUE
    from ._table_checks import MESSAGES as CHECK_MESSAGES

    inf, big = non_finite_mask(values)
    hint = CHECK_MESSAGES["number_hint"]
    shown = (lambda i: repr(raw[i])) if raw is not None else (lambda i: f"{values[i]:g}")
    _report(problems, inf, code, lambda i: CHECK_MESSAGES["not_finite"].format(value=shown(i)), hint=hint)
    _report(
        problems,
        big,
        code,
        lambda i: CHECK_MESSAGES["too_large"].format(value=values[i], limit=MAX_ABS_VALUE),
        hint=hint,
    )


def _check_grades(col: pd.Series, node, problems) -> np.ndarray:
    grades = set(node.rule.grades())
    codes, uniques = _factorize(col)
    # numeric grades written as 5.0 by Excel match a map key "5"
    uniques = np.array(
        [u[:-2] if u.endswith(".0") and u[:-2].isdigit() else u for u in uniques], dtype=object
    )
    known_u = np.array([u in grades for u in uniques], dtype=bool)
    token_u = np.array([u in MISSING_TOKENS for u in uniques], dtype=bool)
    raw = col.iloc
    _report(
        problems,
        np.append(~known_u & ~token_u, False)[codes],
        node.code,
        lambda i: f"grade {raw[i]!r} is not one of {sorted(grades)}",
    )
    if node.missing == "error":
        _report(
            problems,
            np.append(token_u, True)[codes],
            node.code,
            lambda i: "the grade is missing and this indicator does not accept missing values",
        )
    # a categorical keeps one small code array per column; rules and tables read it directly
    order = list(node.rule.grades())
    to_grade = np.array(
        [order.index(u) if k else -1 for u, k in zip(uniques, known_u)] + [-1], dtype=np.int64
    )
    return pd.Categorical.from_codes(to_grade[codes], categories=order)


def _to_flag(col: pd.Series, code: str, problems) -> np.ndarray:
    if pd.api.types.is_bool_dtype(col):
        return col.to_numpy(dtype=bool)
    if pd.api.types.is_numeric_dtype(col):
        values = col.to_numpy(dtype=float, na_value=0.0)
        _report(
            problems,
            ~np.isin(values, (0.0, 1.0)),
            code,
            lambda i: f"a veto flag must be 0 or 1; found {values[i]:g}",
        )
        return values == 1.0
    codes, uniques = _factorize(col)
    yes_u = np.array([u in _YES for u in uniques], dtype=bool)
    no_u = np.array([u in _NO for u in uniques], dtype=bool)
    raw = col.iloc
    _report(
        problems,
        np.append(~yes_u & ~no_u, False)[codes],
        code,
        lambda i: f"a veto flag must be 是/否, 有/无 or 1/0; found {raw[i]!r}",
    )
    return np.append(yes_u, False)[codes]


def ensure_writable(folder) -> Path:
    """Create ``folder`` if needed and check that files can be written in it.

    Raises
    ------
    OutputError
        Naming the folder and the reason, so nothing is computed for an output that cannot be saved.
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".write-test.", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(
            f"cannot write to the output folder {folder}: {exc.strerror or exc}",
            file=str(folder),
            hint="choose a folder you can write to with --out",
        ) from None
    return folder


def atomic_write_text(path: Path, text: str) -> Path:
    """Write UTF-8 text atomically (see :func:`atomic_write_bytes`)."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def normalise_text(value: str) -> str:
    """NFKC-normalise a cell (full-width digits and letters to ASCII), stripped."""
    return unicodedata.normalize("NFKC", value).strip()
