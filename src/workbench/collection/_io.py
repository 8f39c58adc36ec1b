"""The output and input-safety helpers the collection uses, from :mod:`workbench.io`.

Every table is written through the package's one formula-safe writer, several files are written
all or none, outputs never replace an input, codes become file names only after they are made safe,
and every returned workbook is checked against the table-file size limits before it is read.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["table_bytes", "write_files", "check_outputs", "safe_filename", "check_limits", "LimitError"]


def table_bytes(frames, suffix: str, *, index: bool = True) -> bytes:
    """CSV (UTF-8 with BOM) or xlsx bytes of one table or a mapping of sheets, formulas neutralised."""
    try:
        from ..io import table_bytes as _impl
    except ImportError:
        _impl = _table_bytes_local
    return _impl(frames, suffix, index=index)


def write_files(files: dict, *, folder=None) -> list[Path]:
    """Write several files all or none."""
    try:
        from ..io import write_files as _impl
    except ImportError:
        _impl = _write_files_local
    return _impl(files, folder=folder)


def check_outputs(inputs, outputs, *, folder=None) -> None:
    """Refuse an output that would replace an input (resolved paths) or leave ``folder``."""
    try:
        from ..io import check_outputs as _impl
    except ImportError:
        _impl = _check_outputs_local
    _impl(inputs, outputs, folder=folder)


def safe_filename(text, *, default: str = "output") -> str:
    """One safe file-name component from a unit id or name."""
    try:
        from ..io import safe_filename as _impl
    except ImportError:
        _impl = _safe_filename_local
    return _impl(text, default=default)


try:  # the shared size limits of table files (zip sizes and ratio, cells, grid, formulas)
    from .._limits import TableLimits, check_xlsx

    RETURN_LIMITS = TableLimits(
        max_file_bytes=20 * 1024**2,
        max_unzipped_bytes=100 * 1024**2,
        max_cells=500_000,
        max_grid=5_000_000,
    )
except ImportError:  # pragma: no cover - before the limits module existed
    check_xlsx = None

from ..errors import DataError as LimitError  # noqa: E402


def check_limits(path, file: str) -> None:
    """Refuse a returned workbook over the size limits (raises :class:`LimitError`)."""
    if check_xlsx is not None:
        check_xlsx(path, None, file, RETURN_LIMITS)


# ------------------------------------------------------------------------ local fallbacks
def _neutralise(frame):
    import pandas as pd

    prefixes = ("=", "+", "-", "@", "\t", "\r", "\n")

    def safe(v):
        if isinstance(v, str) and v.startswith(prefixes):
            try:
                float(v)
                return v
            except ValueError:
                return "'" + v
        return v

    out = frame.copy()
    for c in out.columns:
        if out[c].dtype == object or isinstance(out[c].dtype, pd.StringDtype):
            out[c] = out[c].map(safe)
    out.index = out.index.map(safe)
    out.columns = [safe(c) for c in out.columns]
    return out


def _table_bytes_local(frames, suffix, *, index=True) -> bytes:
    import io

    import pandas as pd

    sheets = frames if isinstance(frames, dict) else {"Sheet1": frames}
    if suffix.lower() == ".csv":
        return _neutralise(next(iter(sheets.values()))).to_csv(index=index).encode("utf-8-sig")
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        for name, frame in sheets.items():
            _neutralise(frame).to_excel(xl, sheet_name=str(name)[:31], index=index)
    return buf.getvalue()


def _write_files_local(files, *, folder=None) -> list[Path]:
    from ..io import atomic_write_bytes

    return [atomic_write_bytes(Path(p), data) for p, data in files.items()]


def _check_outputs_local(inputs, outputs, *, folder=None) -> None:
    from ..errors import OutputError

    ins = [Path(p).resolve() for p in inputs if p is not None]
    for out in outputs:
        o = Path(out).resolve()
        for i in ins:
            if o == i or (i.is_dir() and o.is_relative_to(i)):
                raise OutputError(f"{out} would replace or be written inside the input {i}", file=str(out))


def _safe_filename_local(text, *, default="output") -> str:
    import re
    import unicodedata

    s = unicodedata.normalize("NFKC", str(text))
    s = re.sub(r'[<>:"/\\|?*\x00-\x1f]+', "_", s).strip(" ._")
    return s[:80] or default
