"""Rule checks of report figures, row by row on whole columns: ranges, required figures, whole
numbers, parts above their whole, sums and ratios that do not add up, impossible combinations."""

from __future__ import annotations

import string
import unicodedata
from functools import partial

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._i18n import _, _p, language, use_language
from ..io import MISSING_TOKENS

__all__ = ["FlagSink", "rule_checks", "fmt", "numbers", "parts", "both"]


def fmt(v) -> str:
    """A figure as a report shows it: 12, 95.5, 1234.57 (no trailing zeros)."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "—"
    return f"{float(v):.6g}" if abs(float(v)) < 1e6 else f"{float(v):.0f}"


def _text(parts, n: int) -> pa.Array:
    """Join text parts into n strings, vectorised with Arrow: a part is a literal string, an array of
    strings, or ``(numbers, decimals)`` shown rounded (``—`` for NaN)."""
    cols = []
    for p in parts:
        if isinstance(p, str):
            cols.append(pa.scalar(p))
        elif isinstance(p, tuple):
            x = np.round(np.asarray(p[0], dtype=float), p[1]) + 0.0  # + 0.0 turns -0.0 into 0.0
            s = pc.cast(pa.array(x), pa.string())
            cols.append(pc.if_else(pa.array(np.isnan(x)), "—", s))
        else:
            cols.append(pa.array(np.asarray(p, dtype=object).astype(str), type=pa.string()))
    if not cols:
        return pa.array([""] * n, type=pa.string())
    if all(isinstance(c, pa.Scalar) for c in cols):
        return pa.array(["".join(c.as_py() for c in cols)] * n, type=pa.string())
    return pc.binary_join_element_wise(*cols, "")


def parts(template: str, **fields) -> list:
    """A translated template as text parts for :class:`FlagSink`: its literal text, and each field
    formatted in place (a scalar or a string) or kept as a per-row part (an array of words, or
    ``(numbers, decimals)``), so the texts of many flags are still built by Arrow in one pass."""
    out = []
    for literal, name, spec, __ in string.Formatter().parse(template):
        if literal:
            out.append(literal)
        if name is not None:
            v = fields[name]
            out.append(v if isinstance(v, (tuple, np.ndarray)) else format(v, spec or ""))
    return out


def both(template, **fields) -> tuple[list, list]:
    """The parts of ``template`` (a function returning a translated template) in Chinese and in
    English: the two reason columns of a flag. A callable field is called in each language (Chinese
    texts name columns by their names, English ones by their codes)."""
    out = []
    for lang in ("zh", "en"):
        with use_language(lang):
            out.append(parts(template(), **{k: v() if callable(v) else v for k, v in fields.items()}))
    return out[0], out[1]


def _plus(members, nm) -> str:
    return _p("sum of columns", " + ").join(nm(p) for p in members)


class FlagSink:
    """Collects flagged figures as column blocks; :meth:`frame` joins them once.

    Texts are given as parts (see :func:`_text`) and built with Arrow string kernels, so a report
    with millions of flags does not format them one by one in Python.
    """

    TEXT = ("expected", "related", "reason_zh", "reason_en")

    def __init__(self):
        self.parts: list[dict] = []

    def add(self, rows, indicator, check, value, *, lo=np.nan, hi=np.nan, score=np.nan, expected,
            reason_zh, reason_en, related=""):  # fmt: skip
        rows = np.asarray(rows, dtype=np.int64)
        n = rows.size
        if n == 0:
            return
        block = {
            "row": rows,
            "indicator": np.full(n, indicator, dtype=object),
            "check": np.full(n, check, dtype=object),
            "value": np.broadcast_to(
                np.asarray(value, dtype=object if np.asarray(value).dtype.kind in "OUS" else float), (n,)
            ),
            "expected_low": np.broadcast_to(np.asarray(lo, dtype=float), (n,)),
            "expected_high": np.broadcast_to(np.asarray(hi, dtype=float), (n,)),
            "score": np.broadcast_to(np.asarray(score, dtype=float), (n,)),
        }
        for name, parts in zip(self.TEXT, (expected, related, reason_zh, reason_en)):
            block[name] = _text([parts] if isinstance(parts, str) else parts, n)
        self.parts.append(block)

    def frame(self) -> pd.DataFrame:
        num = ["row", "value", "expected_low", "expected_high", "score"]
        cols = ["row", "indicator", "check", "value", "expected", "expected_low", "expected_high", "score",
                "related", "reason_zh", "reason_en"]  # fmt: skip
        if not self.parts:
            return pd.DataFrame({c: pd.Series(dtype=float if c in num else object) for c in cols})
        out = {}
        for c in cols:
            if c in self.TEXT:
                out[c] = pd.arrays.ArrowStringArray(pa.concat_arrays([p[c] for p in self.parts]))
            elif c == "value" and any(p[c].dtype == object for p in self.parts):
                out[c] = np.concatenate([p[c].astype(object) for p in self.parts])
            else:
                out[c] = np.concatenate([p[c] for p in self.parts])
        return pd.DataFrame(out, columns=cols)


def _range_text(lo, hi) -> tuple[str, str]:
    if lo is not None and hi is not None:
        return f"{fmt(lo)}–{fmt(hi)}", f"{fmt(lo)}–{fmt(hi)}"
    if lo is not None:
        return f"≥ {fmt(lo)}", f"≥ {fmt(lo)}"
    return f"≤ {fmt(hi)}", f"≤ {fmt(hi)}"


def rule_checks(values: dict, raw: pd.DataFrame, checks, names, sink: FlagSink) -> None:
    """Run the declared rule checks on the numeric columns ``values`` (code -> float array).

    ``raw`` is the input table (for text columns and for cells that are not numbers).
    """
    # Chinese texts name columns by their names (the checks' 'names'), English ones by their codes.
    nm = lambda c: names.get(c, c) if language() == "zh" else c  # noqa: E731
    for code, (lo, hi) in checks.ranges.items():
        v = values[code]
        bad = np.zeros(v.shape, dtype=bool)
        if lo is not None:
            bad |= v < lo
        if hi is not None:
            bad |= v > hi
        rows = np.flatnonzero(bad)
        text, __ = _range_text(lo, hi)
        if lo == 0 and hi is None:
            zh, en = both(lambda: _("negative: a count or amount cannot be negative"))
        elif lo == 0 and hi == 100:
            zh, en = both(lambda: _("a percentage outside 0–100"))
        else:
            zh, en = both(lambda: _("outside the allowed range {range}"), range=text)
        sink.add(rows, code, "out_of_range", v[rows], lo=np.nan if lo is None else lo,
                 hi=np.nan if hi is None else hi, expected=text, reason_zh=zh, reason_en=en)  # fmt: skip
    for code in checks.required:
        if code in values:
            empty = np.isnan(values[code]) & ~_not_number(raw, code, values)
        else:  # a text column (grades)
            t = _texts(raw, code)
            empty = (t.isna() | t.isin(list(MISSING_TOKENS))).to_numpy(dtype=bool)
        rows = np.flatnonzero(empty)
        zh, en = both(lambda: _("a required figure is missing"))
        sink.add(
            rows,
            code,
            "missing",
            np.nan,
            expected=_p("expected value", "required"),
            reason_zh=zh,
            reason_en=en,
        )
    for code in checks.integer:
        v = values[code]
        rows = np.flatnonzero(np.isfinite(v) & (v != np.round(v)))
        zh, en = both(lambda: _("should be a whole number"))
        sink.add(
            rows,
            code,
            "not_integer",
            v[rows],
            expected=_p("expected value", "whole number"),
            reason_zh=zh,
            reason_en=en,
        )
    for code, other in checks.not_above.items():
        v, w = values[code], values[other]
        rows = np.flatnonzero(v > w)
        whole = (w[rows], 2)
        zh, en = both(lambda: _("exceeds {whole} ({value}): a part cannot exceed its whole"),
                      whole=partial(nm, other), value=whole)  # fmt: skip
        sink.add(rows, code, "out_of_range", v[rows], hi=w[rows], related=other,
                 expected=parts(_("≤ {value} ({whole})"), value=whole, whole=nm(other)),
                 reason_zh=zh, reason_en=en)  # fmt: skip
    for total, (members, tol) in checks.sums.items():
        v = values[total]
        s = np.sum([values[p] for p in members], axis=0)
        rows = np.flatnonzero(np.abs(v - s) > tol + 1e-9)  # NaN compares False: incomplete rows skipped
        total_of = (s[rows], 2)
        zh, en = both(lambda: _("{total} ({value}) does not equal {sum} ({sum_value})"), total=partial(nm, total),
                      value=(v[rows], 2), sum=partial(_plus, members, nm), sum_value=total_of)  # fmt: skip
        sink.add(rows, total, "total_mismatch", v[rows], lo=s[rows] - tol, hi=s[rows] + tol, score=(v - s)[rows],
                 related=", ".join(members),
                 expected=parts(_("= {value} ({sum})"), value=total_of, sum=_plus(members, nm)),
                 reason_zh=zh, reason_en=en)  # fmt: skip
    for code, (num, den, scale, tol) in checks.ratios.items():
        v, a, b = values[code], values[num], values[den]
        with np.errstate(divide="ignore", invalid="ignore"):
            expect = np.where(b != 0, scale * a / b, np.nan)
        rows = np.flatnonzero(np.abs(v - expect) > tol + 1e-9)
        zh, en = both(lambda: _("{name} ({value}) does not match {scale}*{num}/{den} ({expected})"),
                      name=partial(nm, code), value=(v[rows], 4), scale=fmt(scale), num=partial(nm, num),
                      den=partial(nm, den), expected=(expect[rows], 2))  # fmt: skip
        sink.add(rows, code, "total_mismatch", v[rows], lo=expect[rows] - tol, hi=expect[rows] + tol,
                 score=(v - expect)[rows], related=f"{num}, {den}",
                 expected=parts(_("{value} ± {tol} ({scale}×{num}/{den})"), value=(expect[rows], 4),
                                tol=fmt(tol), scale=fmt(scale), num=nm(num), den=nm(den)),
                 reason_zh=zh, reason_en=en)  # fmt: skip
    for cond in checks.conditions:
        when = np.logical_and.reduce([_term(values, raw, t) for t in cond.when])
        then = np.logical_and.reduce([_term(values, raw, t) for t in cond.then])
        rows = np.flatnonzero(when & ~then)
        target = cond.then[0][0]
        zh, en = both(lambda: _("impossible combination: if {when} then {then}"),
                      when=partial(_describe, cond.when, nm), then=partial(_describe, cond.then, nm))  # fmt: skip
        sink.add(rows, target, "impossible_combination", _column(values, raw, target)[rows],
                 related=", ".join(sorted(cond.columns() - {target})), expected=_describe(cond.then, nm),
                 reason_zh=cond.reason_zh or zh, reason_en=cond.reason or en)  # fmt: skip
    for code, grades in checks.allowed.items():
        col = raw[code].astype("string").str.strip()
        rows = np.flatnonzero((col.notna() & ~col.isin(list(grades))).to_numpy())
        zh, en = both(lambda: _("not one of the grades {grades}"), grades="/".join(grades))
        sink.add(rows, code, "invalid_value", col.iloc[rows].to_numpy(dtype=object), expected="/".join(grades),
                 reason_zh=zh, reason_en=en)  # fmt: skip
    for code in values:
        rows = np.flatnonzero(_not_number(raw, code, values))
        if rows.size:
            zh, en = both(lambda: _("not a number"))
            sink.add(rows, code, "not_a_number", raw[code].iloc[rows].to_numpy(dtype=object),
                     expected=_p("expected value", "a number"), reason_zh=zh, reason_en=en)  # fmt: skip


def _not_number(raw, code, values) -> np.ndarray:
    """Cells that hold text which is not a number (blank cells and tokens such as "—" or "无" are
    missing values, not wrong ones)."""
    col = raw[code]
    if pd.api.types.is_numeric_dtype(col):
        return (
            np.isinf(col.to_numpy(dtype=float, na_value=np.nan))
            if col.dtype.kind == "f"
            else np.zeros(len(col), dtype=bool)
        )
    text = col.astype("string").str.normalize("NFKC").str.strip()
    return (text.notna() & ~text.isin(list(MISSING_TOKENS)) & np.isnan(values[code])).to_numpy(dtype=bool)


def numbers(col: pd.Series) -> np.ndarray:
    """Numbers of a column; text cells parsed through their distinct values (full-width digits,
    thousands separators); missing tokens ("—", "无", blank) and other text become NaN."""
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        values = col.to_numpy() if col.dtype == np.float64 else col.to_numpy(dtype=float, na_value=np.nan)
        # an infinite figure is not a number: flagged 'not_a_number', kept out of peer statistics
        return np.where(np.isinf(values), np.nan, values) if np.isinf(values).any() else values
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    clean = [unicodedata.normalize("NFKC", str(u)).strip().replace(",", "") for u in uniques]
    nums = pd.to_numeric(pd.Series([None if u in MISSING_TOKENS else u for u in clean], dtype=object),
                         errors="coerce").to_numpy(dtype=float)  # fmt: skip
    nums = np.where(np.isinf(nums), np.nan, nums)
    return np.append(nums, np.nan)[codes]


def _texts(raw, c) -> pd.Series:
    return raw[c].astype("string").str.normalize("NFKC").str.strip()


def _column(values, raw, c):
    return values[c] if c in values else raw[c].to_numpy(dtype=object)


def _term(values, raw, term) -> np.ndarray:
    """One condition term on whole columns; text values compare as text, never evaluated."""
    c, op, v = term
    if op == "missing":
        t = _texts(raw, c)
        miss = (t.isna() | t.isin(list(MISSING_TOKENS))).to_numpy(dtype=bool)
        return miss if v else ~miss
    if isinstance(v, str) or (op in ("in", "not_in") and any(isinstance(e, str) for e in v)):
        t = _texts(raw, c)
        hit = {"==": lambda: t == v, "!=": lambda: (t != v) & t.notna(), "in": lambda: t.isin(list(v)),
               "not_in": lambda: ~t.isin(list(v)) & t.notna()}[op]()  # fmt: skip
        return hit.fillna(False).to_numpy(dtype=bool)
    x = values[c] if c in values else numbers(raw[c])
    with np.errstate(invalid="ignore"):
        if op in ("in", "not_in"):
            hit = np.isin(x, np.asarray(v, dtype=float))
            return hit if op == "in" else ~hit & ~np.isnan(x)
        if op == "between":
            return (x >= v[0]) & (x <= v[1])
        return {
            "==": x == v,
            "!=": (x != v) & ~np.isnan(x),
            "<": x < v,
            "<=": x <= v,
            ">": x > v,
            ">=": x >= v,
        }[op]


def _describe(terms, nm) -> str:
    """Terms of a condition as people read them, in the current language."""
    return _p("condition", " and ").join(_term_text(nm(c), op, v) for c, op, v in terms)


def _term_text(column, op, value) -> str:
    if op == "missing":
        return (_("{column} is missing") if value else _("{column} is not missing")).format(column=column)
    texts = {
        "==": _("{column} == {value!r}"),
        "!=": _("{column} != {value!r}"),
        "<": _("{column} < {value!r}"),
        "<=": _("{column} <= {value!r}"),
        ">": _("{column} > {value!r}"),
        ">=": _("{column} >= {value!r}"),
        "in": _("{column} in {value!r}"),
        "not_in": _("{column} not in {value!r}"),
        "between": _("{column} between {value!r}"),
    }
    return texts[op].format(column=column, value=value)
