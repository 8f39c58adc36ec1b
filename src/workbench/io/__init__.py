"""Reading data tables and writing outputs safely.

:func:`read_table` reads CSV (UTF-8, UTF-8 with BOM or GBK, detected and reported), Excel
(``.xlsx``, a named sheet) and Parquet into a DataFrame indexed by unit id, and checks the unit
ids. Given a rubric, it also checks and coerces the rubric's columns (:func:`validate_data`).
Inputs are never modified; outputs are written atomically (:func:`atomic_write_text`,
:func:`atomic_write_bytes`), so a failure never leaves a half-written file. Tables are written by
:func:`write_table`, which neutralises spreadsheet formulas in text (:func:`safe_cell`); paths are
guarded by :func:`check_outputs` and :func:`safe_filename`.

- :mod:`._read`: reading tables (encodings, sheets, unit ids);
- :mod:`._files`: atomic and guarded file writing; :mod:`._outputs`: the formula-safe table writer;
- :mod:`._limits`: size limits checked before a file is loaded; :mod:`._table_checks`: checks of
  headers, ids and text that every table passes.
"""

from .._text import normalise_key, printable
from ._files import (
    atomic_write_bytes,
    check_outputs,
    clean_orphans,
    guard_inputs,
    safe_filename,
    write_files,
)
from ._outputs import FORMULA_PREFIXES, neutralise_formulas, safe_cell, table_bytes, write_table

# also importable from here, as from the old io.py, though not in __all__
from ._read import (  # noqa: F401
    MISSING_TOKENS,
    NAME_COLUMNS,
    UNIT_COLUMNS,
    atomic_write_text,
    coerce_columns,
    detect_encoding,
    detect_encoding_or_raise,
    ensure_writable,
    header_of,
    normalise_text,
    read_table,
    unit_names,
    validate_data,
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
