"""Checks of untrusted data tables that :func:`workbench.read_table` runs on every file.

- Headers are compared in normal form (:func:`workbench._text.normalise_key`: ``"unit "`` is
  ``unit``); two columns with the same normal name are refused, naming both positions (pandas
  would silently rename the second to ``a1.1`` and the first would be used).
- Unit ids in normal form: ``００１``/``001``, ``Ｕ1``/``U1`` and ``U1`` + zero-width space are the
  same unit, so a file with both is refused naming both rows (counts, quotas and ranks would
  otherwise change).
- Ids, names and category labels with control or bidirectional characters are refused.
- Numbers must be finite and within :data:`MAX_ABS_VALUE` (``inf``, ``Infinity``, ``1e308``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from .._i18n import _
from .._text import bad_cells, normalise_key, normalise_keys
from ..errors import DataError, Problem

__all__ = [
    "MAX_ABS_VALUE",
    "normal_columns",
    "check_header",
    "duplicate_id_problems",
    "check_text_columns",
    "non_finite_mask",
    "column_number",
    "column_letters",
]

# Larger figures lose integer precision in float64 sums and overflow in products (1e308 * 3).
MAX_ABS_VALUE = 1e15


def _messages() -> dict:
    """Every message of this module, in the current language (the gettext catalogue)."""
    return {
        "dup_column": _("columns {first} and {second} are both named {name!r}{normal}"),
        "dup_column_normal": _(" (after removing spaces and invisible characters)"),
        "dup_column_hint": _("rename or delete one of them; only one column may hold each figure"),
        "dup_columns": _("the table has columns with the same name"),
        "dup_id": _("unit id {first!r} (row {row1}) and {second!r} (row {row2}) are the same id{normal}"),
        "dup_id_normal": _(" once full-width characters, spaces and invisible characters are normalised"),
        "dup_id_hint": _("each unit must appear once; delete or correct one of the rows"),
        "bad_text": _("{what} {value!r} contains {chars}, control or direction-changing characters"),
        "bad_text_hint": _("retype the cell; these characters are invisible and can disguise text"),
        "bad_text_summary": _("cells hold control or direction-changing characters"),
        "not_finite": _("{value} is not a finite number"),
        "too_large": _("{value:g} is larger than {limit:g} in magnitude, too large for a reported figure"),
        "number_hint": _("enter the figure itself; check for a formula error or a unit mistake"),
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
            normal = _messages()["dup_column_normal"] if str(raw[i]) != str(raw[j]) else ""
            problems.append(
                Problem(
                    _messages()["dup_column"].format(
                        first=_col_label(j, raw[j], first_col),
                        second=_col_label(i, raw[i], first_col),
                        name=n,
                        normal=normal,
                    ),
                    row=1,
                    column=n,
                    hint=_messages()["dup_column_hint"],
                )
            )
        else:
            seen[n] = i
    if problems:
        raise DataError(_messages()["dup_columns"], file=file, problems=problems)
    return names


def _col_label(i: int, raw, first_col: int) -> str:
    return f"{column_letters(i + first_col)} ({str(raw)!r})"


def column_number(letters: str) -> int:
    """Excel column letters to a 1-based number: A -> 1, Z -> 26, AA -> 27, XFD -> 16384."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(n: int) -> str:
    """1-based column number to Excel letters (inverse of :func:`column_number`)."""
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def count_rest(problems: list, n: int) -> None:
    """Let the last problem listed count ``n`` more of its kind that are not listed (``Problem.more``),
    so an error states the true number of problems while listing a few."""
    if n > 0 and problems:
        problems[-1] = replace(problems[-1], more=problems[-1].more + n)


def duplicate_id_problems(raw: pd.Series, ids: pd.Series, dup: np.ndarray, unit: str) -> list[Problem]:
    """Problems for repeated ids: the same text, or look-alikes named with both rows."""
    problems = []
    text = raw.astype(str).str.strip().to_numpy(dtype=object)
    groups = list(pd.Series(np.flatnonzero(dup)).groupby(ids.to_numpy(dtype=object)[dup], sort=False))
    for _key, pos in groups[:20]:
        pos = pos.tolist()
        if len({text[k] for k in pos}) == 1:  # written the same way: every row is reported
            problems += [
                Problem(_("unit id {id!r} appears more than once").format(id=text[k]), row=k + 2, column=unit)
                for k in pos[:20]
            ]
            count_rest(problems, len(pos) - 20)
            continue
        first = pos[0]
        for k in pos[1:6]:
            problems.append(
                Problem(
                    _messages()["dup_id"].format(
                        first=text[first],
                        second=text[k],
                        row1=first + 2,
                        row2=k + 2,
                        normal=_messages()["dup_id_normal"] if text[first] != text[k] else "",
                    ),
                    row=k + 2,
                    column=unit,
                    hint=_messages()["dup_id_hint"],
                )
            )
        count_rest(problems, len(pos) - 6)
    count_rest(problems, sum(len(pos) for _k, pos in groups[20:]))  # groups not listed: a row each
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
        flagged = np.flatnonzero(bad_cells(col))
        for i in flagged[:20]:
            value = col.iloc[i]
            chars = ", ".join(sorted({f"U+{ord(ch):04X}" for ch in value if _is_bad(ch)}))
            problems.append(
                Problem(
                    _messages()["bad_text"].format(what=what, value=value, chars=chars),
                    row=int(i) + 2,
                    column=str(c),
                    hint=_messages()["bad_text_hint"],
                )
            )
        count_rest(problems, len(flagged) - 20)
    if problems:
        raise DataError(_messages()["bad_text_summary"], file=file, problems=problems)


def _is_bad(ch: str) -> bool:
    from .._text import bad_characters

    return bool(bad_characters(ch))


def non_finite_mask(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(infinite cells, finite cells beyond :data:`MAX_ABS_VALUE`) of a float array."""
    with np.errstate(invalid="ignore"):
        inf = np.isinf(values)
        big = np.abs(values) > MAX_ABS_VALUE
    return inf, big & ~inf


def _index_by_unit(frame: pd.DataFrame, unit: str, file: str | None) -> pd.DataFrame:
    missing = frame[unit].isna().to_numpy()
    # normal form (NFKC, no zero-width characters, single spaces): look-alike ids are one id
    ids = normalise_keys(frame[unit]).astype(str)  # pandas' own text dtype: hashing it stays fast
    blank = missing | (ids == "").to_numpy(dtype=bool, na_value=True)
    # is_unique is one hash pass; the positions of duplicates are only needed to report them
    dup = np.zeros(len(ids), dtype=bool) if ids.is_unique else ids.duplicated(keep=False).to_numpy() & ~blank
    if blank.any() or dup.any():
        problems = [
            Problem(_("unit id is empty"), row=int(i) + 2, column=unit) for i in np.flatnonzero(blank)[:20]
        ]
        count_rest(problems, int(blank.sum()) - 20)
        problems += duplicate_id_problems(frame[unit], ids, dup, unit)
        raise DataError(
            _(
                "unit ids in column {unit!r} must be present and unique ({empty} empty, {dup} duplicated)"
            ).format(unit=unit, empty=int(blank.sum()), dup=int(ids[dup].nunique())),
            file=file,
            problems=problems,
        )
    out = frame.drop(columns=[unit])
    out.index = pd.Index(ids, name=unit)
    return out
