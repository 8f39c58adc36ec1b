"""Reporting periods: monthly or quarterly filings written the ways Chinese report tables write them."""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from .._i18n import _
from ..errors import DataError, Problem

__all__ = ["parse_periods", "period_label"]

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}
_MONTH = [
    re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})$"),  # 2025-01, 2025/1, 2025.01
    re.compile(r"^(\d{4})(\d{2})$"),  # 202501
    re.compile(r"^(\d{4})\s*[mM](\d{1,2})$"),  # 2025M01
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月(?:份)?$"),  # 2025年1月
    re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*\d{1,2}(?:[ T].*)?$"),  # 2025-01-31 (a date)
]
_QUARTER = [
    re.compile(r"^(\d{4})\s*[-/]?\s*[qQ]([1-4])$"),  # 2025Q1, 2025-Q1
    re.compile(r"^(\d{4})\s*年\s*第?\s*([1-4一二三四])\s*季度?$"),  # 2025年第1季度, 2025年一季度
]


def _parse_one(text: str):
    """(frequency, ordinal) of one period label, or None."""
    s = unicodedata.normalize("NFKC", text).strip()
    for pat in _MONTH:
        m = pat.match(s)
        if m:
            year, month = int(m.group(1)), int(m.group(2))
            return ("M", year * 12 + month - 1) if 1 <= month <= 12 else None
    for pat in _QUARTER:
        m = pat.match(s)
        if m:
            q = m.group(2)
            q = _CN_DIGITS.get(q) or int(q)
            return "Q", int(m.group(1)) * 4 + q - 1
    return None


def parse_periods(col: pd.Series, *, column: str = "period") -> tuple[np.ndarray, str]:
    """Parse a column of period labels into ordinals (consecutive periods differ by 1).

    Accepted: months ``2025-01``, ``2025/1``, ``202501``, ``2025M01``, ``2025年1月``, a date
    (its month), and quarters ``2025Q1``, ``2025-Q1``, ``2025年第1季度``, ``2025年一季度``; or a pandas
    Period / datetime column. Each distinct label is parsed once.

    Returns
    -------
    ordinals : int array (n,)
        ``year * 12 + month - 1`` (monthly) or ``year * 4 + quarter - 1`` (quarterly).
    freq : {'M', 'Q'}

    Raises
    ------
    DataError
        Listing the rows (as the spreadsheet numbers them, header = row 1) whose period does not
        parse, or when months and quarters are mixed.
    """
    if isinstance(col.dtype, pd.PeriodDtype):
        freq = col.dt.freqstr[0]
        if freq not in ("M", "Q"):
            raise DataError(
                _("periods must be months or quarters; found frequency {freqstr!r}").format(
                    freqstr=col.dt.freqstr
                ),
                column=column,
            )
        year = col.dt.year.to_numpy()
        if freq == "M":
            return (year * 12 + col.dt.month.to_numpy() - 1).astype(np.int64), "M"
        return (year * 4 + col.dt.quarter.to_numpy() - 1).astype(np.int64), "Q"
    if pd.api.types.is_datetime64_any_dtype(col):
        return (col.dt.year.to_numpy() * 12 + col.dt.month.to_numpy() - 1).astype(np.int64), "M"
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    parsed = [_parse_one(str(u)) for u in uniques]
    bad_u = np.array([p is None for p in parsed] + [True])
    bad = bad_u[codes]
    if bad.any():
        rows = np.flatnonzero(bad)
        problems = [
            Problem(
                _("period {value!r} does not parse").format(value=col.iloc[i]), row=int(i) + 2, column=column
            )
            for i in rows[:20]
        ]
        raise DataError(
            _(
                "{n_rows} rows have a period that is not a month (2025-01, 2025年1月) or a "
                "quarter (2025Q1, 2025年第1季度); rows {rows}"
            ).format(n_rows=len(rows), rows=[int(i) + 2 for i in rows[:20]]),
            problems=problems,
        )
    freqs = {p[0] for p in parsed}
    if len(freqs) > 1:
        raise DataError(
            _("the table mixes monthly and quarterly periods; check months and quarters separately"),
            column=column,
        )
    ords = np.array([p[1] for p in parsed], dtype=np.int64)
    return ords[codes], freqs.pop()


def period_label(ordinal: int, freq: str) -> str:
    """The canonical label of an ordinal: ``2025-01`` or ``2025Q1``."""
    if freq == "M":
        return f"{ordinal // 12:04d}-{ordinal % 12 + 1:02d}"
    return f"{ordinal // 4:04d}Q{ordinal % 4 + 1}"
