"""Checks of untrusted data tables that :func:`workbench.read_table` runs on every file.

- Headers are compared in normal form (:func:`workbench._text.normalise_key`: ``"unit "`` is
  ``unit``); two columns with the same normal name are refused, naming both positions (pandas
  would silently rename the second to ``a1.1`` and the first would be used).
- Unit ids in normal form: ``００１``/``001``, ``Ｕ1``/``U1`` and ``U1`` + zero-width space are the
  same unit, so a file with both is refused naming both rows (counts, quotas and ranks would
  otherwise change).
- Ids, names and category labels with control or bidirectional characters are refused.
- A CSV file whose rows mix UTF-8 and GBK is refused with the first row that breaks the encoding
  of the rows before it (decoding it all as GBK turns every UTF-8 name into mojibake).
- Numbers must be finite and within :data:`MAX_ABS_VALUE` (``inf``, ``Infinity``, ``1e308``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._text import bad_cells, normalise_key
from ..errors import DataError, Problem

__all__ = [
    "MAX_ABS_VALUE",
    "normal_columns",
    "check_header",
    "duplicate_id_problems",
    "check_text_columns",
    "csv_encoding_after_failure",
    "non_finite_mask",
]

# Larger figures lose integer precision in float64 sums and overflow in products (1e308 * 3).
MAX_ABS_VALUE = 1e15

MESSAGES = {
    "dup_column": "columns {first} and {second} are both named {name!r}{normal}",
    "dup_column_normal": " (after removing spaces and invisible characters)",
    "dup_column_hint": "rename or delete one of them; only one column may hold each figure",
    "dup_columns": "the table has columns with the same name",
    "dup_id": "unit id {first!r} (row {row1}) and {second!r} (row {row2}) are the same id{normal}",
    "dup_id_normal": " once full-width characters, spaces and invisible characters are normalised",
    "dup_id_hint": "each unit must appear once; delete or correct one of the rows",
    "bad_text": "{what} {value!r} contains {chars}, control or direction-changing characters",
    "bad_text_hint": "retype the cell; these characters are invisible and can disguise text",
    "bad_text_summary": "cells hold control or direction-changing characters",
    "mixed": (
        "this row is {other} text but the rows before it are {encoding} (from row {first_row}); the "
        "file mixes encodings, e.g. rows pasted from a GBK file into a UTF-8 one"
    ),
    "mixed_hint": "open the file in Excel or WPS, fix the garbled rows, and save it once as CSV UTF-8",
    "not_finite": "{value} is not a finite number",
    "too_large": "{value:g} is larger than {limit:g} in magnitude, too large for a reported figure",
    "number_hint": "enter the figure itself; check for a formula error or a unit mistake",
}


def normal_columns(names: Sequence) -> list[str]:
    """Header names in normal form (text; empty names stay empty)."""
    return [normalise_key(n) if not (isinstance(n, float) and np.isnan(n)) else "" for n in names]


def check_header(raw: Sequence, file: str | None, *, first_col: int = 1) -> list[str]:
    """The normalised header; refuse names that repeat after normalisation, naming both columns."""
    names = normal_columns(raw)
    seen: dict[str, int] = {}
    problems = []
    for i, n in enumerate(names):
        if n == "" or n.startswith("Unnamed:"):
            continue
        if n in seen:
            j = seen[n]
            normal = MESSAGES["dup_column_normal"] if str(raw[i]) != str(raw[j]) else ""
            problems.append(
                Problem(
                    MESSAGES["dup_column"].format(
                        first=_col_label(j, raw[j], first_col),
                        second=_col_label(i, raw[i], first_col),
                        name=n,
                        normal=normal,
                    ),
                    row=1,
                    column=n,
                    hint=MESSAGES["dup_column_hint"],
                )
            )
        else:
            seen[n] = i
    if problems:
        raise DataError(MESSAGES["dup_columns"], file=file, problems=problems)
    return names


def _col_label(i: int, raw, first_col: int) -> str:
    from ._limits import column_letters

    return f"{column_letters(i + first_col)} ({str(raw)!r})"


def duplicate_id_problems(raw: pd.Series, ids: pd.Series, dup: np.ndarray, unit: str) -> list[Problem]:
    """Problems for repeated ids: the same text, or look-alikes named with both rows."""
    problems = []
    text = raw.astype(str).str.strip().to_numpy(dtype=object)
    groups = pd.Series(np.flatnonzero(dup)).groupby(ids.to_numpy(dtype=object)[dup], sort=False)
    for _, pos in list(groups)[:20]:
        pos = pos.tolist()
        if len({text[k] for k in pos}) == 1:  # written the same way: every row is reported
            problems += [
                Problem(f"unit id {text[k]!r} appears more than once", row=k + 2, column=unit)
                for k in pos[:20]
            ]
            continue
        first = pos[0]
        for k in pos[1:6]:
            problems.append(
                Problem(
                    MESSAGES["dup_id"].format(
                        first=text[first],
                        second=text[k],
                        row1=first + 2,
                        row2=k + 2,
                        normal=MESSAGES["dup_id_normal"] if text[first] != text[k] else "",
                    ),
                    row=k + 2,
                    column=unit,
                    hint=MESSAGES["dup_id_hint"],
                )
            )
    return problems


def check_text_columns(frame: pd.DataFrame, columns: dict, file: str | None, *, index_name=None) -> None:
    """Refuse control and bidirectional characters in the given text columns (and the index).

    ``columns`` maps a column name to how messages call its cells ("unit id", "name"...).
    """
    problems = []
    targets = [(c, what, frame[c]) for c, what in columns.items() if c in frame.columns]
    if index_name is not None:
        targets.append((index_name, "unit id", pd.Series(frame.index, dtype=object)))
    for c, what, col in targets:
        if col.dtype.kind in "biufcmM":
            continue
        for i in np.flatnonzero(bad_cells(col))[:20]:
            value = col.iloc[i]
            chars = ", ".join(sorted({f"U+{ord(ch):04X}" for ch in value if _is_bad(ch)}))
            problems.append(
                Problem(
                    MESSAGES["bad_text"].format(what=what, value=value, chars=chars),
                    row=int(i) + 2,
                    column=str(c),
                    hint=MESSAGES["bad_text_hint"],
                )
            )
    if problems:
        raise DataError(MESSAGES["bad_text_summary"], file=file, problems=problems)


def _is_bad(ch: str) -> bool:
    from .._text import bad_characters

    return bool(bad_characters(ch))


_CJK = re.compile("[\u4e00-\u9fff]")


def _line_kind(line: bytes) -> str:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        try:
            line.decode("gb18030")
        except UnicodeDecodeError:
            return "neither"
        return "GBK"
    # a short GBK word can be valid UTF-8 by chance; Chinese text in UTF-8 has CJK ideographs
    return "UTF-8" if _CJK.search(text) else "other"


def csv_encoding_after_failure(raw: bytes, file: str, *, declared: str) -> str:
    """The encoding to read a CSV with after UTF-8 failed, or a DataError for a mixed file.

    Each non-ASCII line is classified (UTF-8 Chinese, GBK, neither); the first line whose
    encoding differs from the first such line's is reported as the row where the file changes
    encoding (decoding it all as GBK would turn every UTF-8 name into mojibake). Only runs after
    the fast UTF-8 path failed.
    """
    from ._read import detect_encoding_or_raise

    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    first = None
    for i, line in enumerate(body.split(b"\n")):
        if line.isascii():
            continue
        kind = _line_kind(line)
        if kind in ("other", "neither") and first is None:
            continue
        if first is None:
            first = (kind, i + 1)
        elif kind != first[0] and kind != "other":
            if kind == "neither":
                break  # the whole-file check below names the byte
            raise DataError(
                MESSAGES["mixed"].format(row=i + 1, encoding=first[0], other=kind, first_row=first[1]),
                file=file,
                row=i + 1,
                hint=MESSAGES["mixed_hint"],
            )
    if raw.startswith(b"\xef\xbb\xbf") and first is not None and first[0] == "GBK":
        raise DataError(
            MESSAGES["mixed"].format(
                row=first[1], encoding="UTF-8 (the file starts with a UTF-8 mark)", other="GBK", first_row=1
            ),
            file=file,
            row=first[1],
            hint=MESSAGES["mixed_hint"],
        )
    return detect_encoding_or_raise(raw, file)


def non_finite_mask(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(infinite cells, finite cells beyond :data:`MAX_ABS_VALUE`) of a float array."""
    with np.errstate(invalid="ignore"):
        inf = np.isinf(values)
        big = np.abs(values) > MAX_ABS_VALUE
    return inf, big & ~inf
