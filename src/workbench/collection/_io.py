"""The size limits of a returned file, and where the collection's writers come from.

Every table is written through the package's one formula-safe writer (:func:`workbench.io.table_bytes`),
several files all or none (:func:`workbench.io.write_files`), never over an input
(:func:`workbench.io.check_outputs`), with file names made safe (:func:`workbench.io.safe_filename`);
every returned workbook is checked against the table-file size limits before it is read.
"""

from __future__ import annotations

from ..errors import DataError as LimitError
from ..io import check_outputs, safe_filename, table_bytes, write_files
from ..io._limits import TableLimits, check_xlsx

__all__ = [
    "table_bytes",
    "write_files",
    "check_outputs",
    "safe_filename",
    "check_limits",
    "LimitError",
    "RETURN_LIMITS",
]

# A return is a few hundred cells; these limits leave room for a table of many units and refuse
# a sheet that would make a reader build millions of cells.
RETURN_LIMITS = TableLimits(
    max_file_bytes=20 * 1024**2,
    max_unzipped_bytes=100 * 1024**2,
    max_cells=500_000,
    max_grid=5_000_000,
)


def check_limits(path, file: str) -> None:
    """Refuse a returned workbook over :data:`RETURN_LIMITS` (raises :class:`LimitError`)."""
    check_xlsx(path, None, file, RETURN_LIMITS)
