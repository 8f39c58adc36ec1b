"""Validate the raw values of every return at once, field by field, against the rubric's fields.

Raw values from all files are factorised together, each distinct value is classified once (number,
text, blank, 不涉及-like token, error value), and each field's rule is then applied to whole arrays:
missing values, numbers out of range or not whole, text that is not a number, grades not in the
list, formulas (whose cached results are never used). A loop runs over the rubric's fields, never
over units or files.
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

from ..io import MISSING_TOKENS
from ._fields import NO, YES, Field, requirement
from ._labels import form_texts
from ._xlsx import CellError

__all__ = ["check_values"]

_YES = frozenset({"是", "有", "1", "true", "yes", "y", "√", "✓"})  # compared in lower case
_NO = frozenset({"否", "无", "0", "false", "no", "n", "×"})


def _classify(uniques: np.ndarray):
    """Per distinct raw value: its number (NaN if none), its text, blank, token, formula-free error."""
    n = len(uniques)
    number = np.full(n, np.nan)
    text = np.empty(n, dtype=object)
    blank = np.zeros(n, dtype=bool)
    token = np.zeros(n, dtype=bool)
    pct = np.zeros(n, dtype=bool)
    for i, u in enumerate(uniques):  # distinct values only
        if isinstance(u, CellError):
            text[i] = str(u)
            continue
        if isinstance(u, (float, int, np.floating, np.integer)) and not isinstance(u, bool):
            number[i] = float(u)
            text[i] = f"{float(u):g}" if float(u).is_integer() else repr(float(u))
            continue
        s = unicodedata.normalize("NFKC", str(u)).strip()
        text[i] = s
        if s == "":
            blank[i] = True
        elif s in MISSING_TOKENS:
            token[i] = True
        else:
            pct[i] = s.endswith("%")  # "95%" typed as text: a percentage, for percentage items only
            try:  # thousands separators are common in money figures
                number[i] = float(s.rstrip("%").replace(",", "") if pct[i] else s.replace(",", ""))
            except ValueError:
                pass
            if not np.isfinite(number[i]):  # 'inf' and 'nan' typed as text are not figures
                number[i] = np.nan
    return number, text, blank, token, pct


def check_values(records: pd.DataFrame, fields: dict[str, Field], n_entries: int):
    """Validate every record; return (values by field code, problems DataFrame).

    Parameters
    ----------
    records : DataFrame with columns ``entry`` (int), ``code``, ``raw``, ``cell``, ``formula``
    fields : field code -> Field
    n_entries : number of unit entries (the rows of the value arrays)

    Returns
    -------
    values : dict code -> array (float for numbers, object for grades and flags), one per entry
    problems : DataFrame with columns entry, cell, field, value, kind, severity, expected
    """
    codes, uniques = pd.factorize(records["raw"].to_numpy(dtype=object), use_na_sentinel=True)
    number, text, blank, token, pct = _classify(np.asarray(uniques, dtype=object))
    # code -1 (None: an empty cell) picks the appended 'blank'
    number, text = np.append(number, np.nan)[codes], np.append(text, "")[codes]
    blank, token = np.append(blank, True)[codes], np.append(token, False)[codes]
    pct = np.append(pct, False)[codes]
    formula = records["formula"].to_numpy(dtype=bool)
    entry = records["entry"].to_numpy()
    field_code = records["code"].to_numpy(dtype=object)
    out_problems = []
    values = {}
    texts = form_texts()
    for code, f in fields.items():
        rows = np.flatnonzero(field_code == code)
        col = np.full(n_entries, np.nan) if f.kind == "number" else np.full(n_entries, None, dtype=object)
        if rows.size == 0:
            values[code] = col
            continue
        fx, num, txt = formula[rows], number[rows], text[rows]
        bl, tk = blank[rows] & ~fx, token[rows] & ~fx
        problems = {"formula": fx}
        empty = bl | tk
        none = np.zeros_like(bl)
        # counts and flags: a blank (or 无, —) is 0 / 否; exempt items: 不涉及 is fine, a blank is
        # taken as 不涉及 with a reminder; 'missing: zero' items: no value scores zero
        fill_blank = empty if f.blank is not None else none
        missing_err = empty if (f.blank is None and f.required) else none
        exempt_warn = bl if (f.blank is None and f.exempt) else none
        problems["missing"] = missing_err
        problems["exempt_blank"] = exempt_warn
        ok = ~fx & ~empty
        if f.kind == "number":
            percent_item = f.unit.strip() in ("%", "％")
            nan = ok & (np.isnan(num) | (pct[rows] & (not percent_item)))
            problems["not_a_number"] = nan
            good = ok & ~nan
            lo = -np.inf if f.lo is None else f.lo
            hi = np.inf if f.hi is None else f.hi
            out = good & ((num < lo - 1e-9) | (num > hi + 1e-9))
            problems["out_of_range"] = out
            frac = good & ~out & f.whole & (np.abs(num - np.round(num)) > 1e-9)
            problems["not_whole"] = frac
            good = good & ~out & ~frac
            col[entry[rows[good]]] = num[good]
            col[entry[rows[fill_blank]]] = f.blank
            if percent_item:  # 95% typed into Excel arrives as 0.95
                problems["share_as_percent"] = good & (num > 0) & (num <= 1)
        elif f.kind == "grade":
            # grades written by Excel as 5.0 match a grade "5"
            allowed = np.isin(txt, np.array(f.choices, dtype=object))
            problems["unknown_grade"] = ok & ~allowed
            good = ok & allowed
            col[entry[rows[good]]] = txt[good]
        else:
            low = np.char.lower(txt.astype(str))
            yes, no = np.isin(low, list(_YES)), np.isin(low, list(_NO))
            problems["unknown_grade"] = ok & ~yes & ~no
            col[entry[rows[ok & yes]]] = YES
            col[entry[rows[(ok & no & ~yes) | fill_blank]]] = NO
        values[code] = col
        expected = requirement(f, texts)
        for kind, mask in problems.items():
            if mask.any():
                sel = rows[mask]
                out_problems.append(
                    pd.DataFrame(
                        {
                            "entry": entry[sel],
                            "cell": records["cell"].to_numpy(dtype=object)[sel],
                            "field": code,
                            "value": text[sel],
                            "kind": "out_of_range" if kind == "share_as_percent" else kind,
                            "severity": "warning"
                            if kind in ("exempt_blank", "share_as_percent")
                            else "error",
                            "expected": expected,
                            "text": "share_as_percent" if kind == "share_as_percent" else kind,
                        }
                    )
                )
    problems = (
        pd.concat(out_problems, ignore_index=True)
        if out_problems
        else pd.DataFrame(columns=["entry", "cell", "field", "value", "kind", "severity", "expected", "text"])
    )
    return values, problems
