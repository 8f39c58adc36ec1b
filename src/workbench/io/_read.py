"""Reading data tables: CSV, Excel and Parquet into a DataFrame indexed by unit id.

:func:`read_table` reads CSV (UTF-8, UTF-8 with BOM or GBK, detected and reported), Excel
(``.xlsx``, a named sheet) and Parquet into a DataFrame indexed by unit id, and checks the unit
ids. Given a rubric, it also checks and coerces the rubric's columns
(:func:`~workbench.io.validate_data`). Inputs are never modified. Size limits are checked before a
file is loaded (:mod:`._limits`), headers, ids and text by :mod:`._table_checks`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from .._i18n import _
from .._text import normalise_key
from ..errors import DataError, Problem
from ._encoding import _codec, _decode, csv_encoding_after_failure
from ._limits import check_parquet, check_table_file, check_xlsx
from ._percent import frame_positions, percent_cells
from ._table_checks import _index_by_unit, check_header, check_text_columns, normal_columns
from ._validate import validate_data

__all__ = ["read_table", "header_of", "unit_names", "UNIT_COLUMNS", "NAME_COLUMNS"]

log = logging.getLogger(__name__)


def _messages() -> dict:
    """Every message of this module, in the current language (the gettext catalogue)."""
    return {
        "is_folder": _("{path} is a folder; give the data file"),
        "formulas": _("formula cells in the columns that are scored"),
        "formula_warning": _(
            "{file}: cells {cells} of sheet {sheet!r} hold formulas; their stored results are read "
            "(they are not scored)"
        ),
    }


# Unit id columns recognised when none is named (the one used is reported in ``attrs['unit']``).
UNIT_COLUMNS = ("unit", "uCode", "unit_code", "单位代码", "单位编码", "code", "expert", "专家")
# Columns that hold a unit's display name (department name), used by tables, charts and briefings.
NAME_COLUMNS = ("name", "unit_name", "名称", "单位名称")


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
        raise DataError(_("data file not found: {path}").format(path=path), file=file)
    if path.is_dir():
        raise DataError(_messages()["is_folder"].format(path=path), file=file)
    if path.stat().st_size == 0:
        raise DataError(
            _("the file is empty"), file=file, hint=_("export the table again; it has no header or rows")
        )
    check_table_file(path, file)  # size limits before anything is read
    suffix = path.suffix.lower()
    used_encoding = None
    formulas = ""
    percent = {}
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
            raise DataError(
                _("cannot parse the CSV: {reason}").format(reason=_first_line(exc)), file=file
            ) from None
        log.info("read %s as %s", file, used_encoding)
    elif suffix in (".xlsx", ".xlsm", ".xls"):
        if suffix != ".xls":  # zip sizes, cell count and range checked before loading
            formulas = check_xlsx(path, sheet, file)
            percent = percent_cells(path, sheet)  # cells Excel shows as 98.2% but stores as 0.982
        try:
            book = pd.ExcelFile(path)
        except Exception as exc:  # openpyxl raises many types for corrupt files
            raise DataError(
                _("cannot open the Excel file: {reason}").format(reason=_first_line(exc)), file=file
            ) from None
        with book:
            frame, sheet, unit = _read_sheet(book, sheet, unit, file)
    elif suffix in (".parquet", ".pq"):
        check_parquet(path, file)  # footer sizes and nested columns checked before loading
        try:
            frame = pd.read_parquet(path)
        except Exception as exc:
            raise DataError(
                _("cannot read the Parquet file: {reason}").format(reason=_first_line(exc)), file=file
            ) from None
        if unit is None and frame.index.name in UNIT_COLUMNS:
            frame = frame.reset_index()
        check_header(list(frame.columns), file)
        unit = _pick_unit(normal_columns(frame.columns), unit, file)
        frame.columns = normal_columns(frame.columns)
        frame[unit] = frame[unit].astype(str)
    else:
        raise DataError(
            _("unsupported file type {suffix!r}; expected .csv, .xlsx or .parquet").format(suffix=suffix),
            file=file,
        )
    if frame.empty or len(frame.columns) == 0:
        raise DataError(_("the table has a header but no rows"), file=file)
    if suffix not in (".parquet", ".pq"):
        frame.columns = [
            c if str(c).startswith("Unnamed:") else n for c, n in zip(frame.columns, header_of(frame))
        ]
    if formulas:
        _formula_cells(path, formulas, frame, sheet, unit, rubric, file)
    percent = frame_positions(percent, frame.columns, len(frame)) if percent else {}
    frame = _index_by_unit(frame, unit, file)
    frame.attrs.update({"source": file, "encoding": used_encoding, "sheet": sheet, "unit": unit})
    if percent:  # read as shown for indicators in percent, by validate_data or score
        frame.attrs["percent_cells"] = percent
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
    from ._limits import _messages as _limit_messages
    from ._limits import formula_cells

    cols = list(frame.columns)
    scored = {unit} | (_rubric_columns(rubric) if rubric is not None else set())
    problems, others = [], []
    for ref, row, k in formula_cells(path, part):
        column = str(cols[k - 1]) if 0 < k <= len(cols) else "?"
        text = _limit_messages()["formula"].format(cell=ref, sheet=sheet, column=column)
        if column in scored:
            problems.append(Problem(text, row=row, column=column, hint=_limit_messages()["formula_hint"]))
        else:
            others.append(ref)
    if problems:
        raise DataError(_messages()["formulas"], file=file, problems=problems)
    if others:
        warnings.warn(
            _messages()["formula_warning"].format(file=file, cells=", ".join(others[:10]), sheet=sheet),
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
            _("the workbook has {n} sheets; sheet {sheet} does not exist").format(n=len(names), sheet=sheet),
            file=file,
            key="sheet",
        )
    elif isinstance(sheet, str) and sheet not in names:
        raise DataError(
            _("the workbook has no sheet named {sheet!r}; its sheets are {names}").format(
                sheet=sheet, names=names
            ),
            file=file,
            key="sheet",
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
                _("the unit id column {unit!r} is missing; the table has columns {columns}").format(
                    unit=unit, columns=cols[:20]
                ),
                file=file,
                column=unit,
                hint=_("pass unit='<id column>'"),
            )
        return unit
    for name in UNIT_COLUMNS:
        if name in cols:
            return name
    raise DataError(
        _("no unit id column found; looked for {names} in {columns}").format(
            names=list(UNIT_COLUMNS), columns=cols[:20]
        ),
        file=file,
        hint=_("pass unit='<id column>' to read_table"),
    )
