"""Reading data tables and writing outputs safely.

:func:`read_table` reads CSV (UTF-8, UTF-8 with BOM or GBK, detected and reported), Excel
(``.xlsx``, a named sheet) and Parquet into a DataFrame indexed by unit id, and checks the unit
ids. Given a rubric, it also checks and coerces the rubric's columns (:func:`validate_data`).
Inputs are never modified; outputs are written atomically (:func:`atomic_write_text`,
:func:`atomic_write_bytes`), so a failure never leaves a half-written file. Tables are written by
:func:`write_table`, which neutralises spreadsheet formulas in text (:func:`safe_cell`); paths are
guarded by :func:`check_outputs` and :func:`safe_filename`.

- reading: :mod:`._read` (CSV, Excel, Parquet; unit ids), :mod:`._encoding` (UTF-8 or GBK),
  :mod:`._limits` (size limits checked before a file is loaded), :mod:`._table_checks` (headers,
  ids and text every table passes);
- validation against a rubric: :mod:`._validate` (the columns a rubric scores) and :mod:`._cells`
  (numbers, grades and flags of one column);
- writing: :mod:`._paths` (where an output may go and in which format, for every command),
  :mod:`._files` (atomic, guarded, all or none) and :mod:`._outputs` (the formula-safe table writer).
"""

from .._text import normalise_key, printable
from ._cells import (
    MISSING_TOKENS,
    normalise_text,  # noqa: F401
)
from ._encoding import (
    detect_encoding,
    detect_encoding_or_raise,  # noqa: F401
)
from ._files import (
    atomic_write_bytes,
    atomic_write_text,
    check_outputs,
    clean_orphans,
    ensure_writable,
    guard_inputs,
    safe_filename,
    write_files,
)
from ._outputs import FORMULA_PREFIXES, neutralise_formulas, safe_cell, table_bytes, write_table
from ._paths import FORMATS, output_format, output_path
from ._read import (
    NAME_COLUMNS,
    UNIT_COLUMNS,
    header_of,  # noqa: F401
    read_table,
    unit_names,
)
from ._validate import (
    coerce_columns,  # noqa: F401
    validate_data,
)

# the names marked noqa are importable from here, as from the old io.py, but not in __all__
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
    "FORMATS",
    "output_format",
    "output_path",
]
