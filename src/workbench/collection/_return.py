"""What one returned file holds, and how ids and labels are compared (shared by the readers)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .._text import normalise_key

__all__ = ["FileReturn", "ReadLimits", "norm_key", "cell_text", "add_unit"]


@dataclass(frozen=True)
class ReadLimits:
    """Limits on one returned file (a return is a few hundred cells; these leave room for tables)."""

    max_bytes: int = 20 * 1024**2
    max_unzipped: int = 100 * 1024**2
    max_cells: int = 500_000


@dataclass
class FileReturn:
    """What one file holds. ``units`` are dicts (id, name, category, source, cell); ``records`` are
    (unit index, field code, raw value, cell, formula); ``problems`` are dicts for the problem list."""

    file: str
    kind: str = "other"
    units: list = field(default_factory=list)
    records: list = field(default_factory=list)
    remarks: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    fingerprint: str | None = None
    skipped: bool = False

    def problem(self, kind, *, unit=None, cell="", code="", value=None, severity="error", **fmt):
        self.problems.append(
            {
                "unit": unit,
                "cell": cell,
                "field": code,
                "value": value,
                "kind": kind,
                "severity": severity,
                "fmt": fmt,
            }
        )

    def skip(self, kind, **fmt):
        self.problem(kind, **fmt)
        self.skipped = True
        return self


def norm_key(value) -> str:
    """How ids, codes and header labels are compared: NFKC, no zero-width characters, single spaces."""
    return normalise_key(value)


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return norm_key(value)


def add_unit(ret, ctx, uid, name, category, source, cell) -> int:
    ret.units.append(
        {"id": norm_key(uid), "name": name, "category": category, "source": source, "cell": cell}
    )
    return len(ret.units) - 1
