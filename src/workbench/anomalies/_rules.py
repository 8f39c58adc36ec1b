"""Rule checks of report figures, row by row on whole columns: ranges, required figures, whole
numbers, parts above their whole, sums and ratios that do not add up, impossible combinations."""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..io import MISSING_TOKENS

__all__ = ["FlagSink", "rule_checks", "fmt", "numbers"]


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
    nm = lambda c: names.get(c, c)  # noqa: E731
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
            zh, en = "负数：该项为计数或金额，不能为负", "negative: a count or amount cannot be negative"
        elif lo == 0 and hi == 100:
            zh, en = "百分比超出 0–100", "a percentage outside 0–100"
        else:
            zh, en = f"超出允许范围 {text}", f"outside the allowed range {text}"
        sink.add(rows, code, "out_of_range", v[rows], lo=np.nan if lo is None else lo,
                 hi=np.nan if hi is None else hi, expected=text, reason_zh=zh, reason_en=en)  # fmt: skip
    for code in checks.required:
        if code in values:
            empty = np.isnan(values[code]) & ~_not_number(raw, code, values)
        else:  # a text column (grades)
            t = _texts(raw, code)
            empty = (t.isna() | t.isin(list(MISSING_TOKENS))).to_numpy(dtype=bool)
        rows = np.flatnonzero(empty)
        sink.add(rows, code, "missing", np.nan, expected="必填 / required",
                 reason_zh="必填数据为空", reason_en="a required figure is missing")  # fmt: skip
    for code in checks.integer:
        v = values[code]
        rows = np.flatnonzero(np.isfinite(v) & (v != np.round(v)))
        sink.add(rows, code, "not_integer", v[rows], expected="整数 / whole number",
                 reason_zh="应为整数", reason_en="should be a whole number")  # fmt: skip
    for code, other in checks.not_above.items():
        v, w = values[code], values[other]
        rows = np.flatnonzero(v > w)
        sink.add(rows, code, "out_of_range", v[rows], hi=w[rows], related=other,
                 expected=["≤ ", (w[rows], 2), f"（{nm(other)}）"],
                 reason_zh=[f"大于{nm(other)}（", (w[rows], 2), "），部分不能超过总数"],
                 reason_en=[f"exceeds {other} (", (w[rows], 2), "): a part cannot exceed its whole"])  # fmt: skip
    for total, (parts, tol) in checks.sums.items():
        v = values[total]
        s = np.sum([values[p] for p in parts], axis=0)
        rows = np.flatnonzero(np.abs(v - s) > tol + 1e-9)  # NaN compares False: incomplete rows skipped
        plus = " + ".join(parts)
        plus_zh = "＋".join(nm(p) for p in parts)
        sink.add(rows, total, "total_mismatch", v[rows], lo=s[rows] - tol, hi=s[rows] + tol, score=(v - s)[rows],
                 related=", ".join(parts), expected=["= ", (s[rows], 2), f"（{plus_zh}）"],
                 reason_zh=[f"{nm(total)}（", (v[rows], 2), f"）不等于{plus_zh}（", (s[rows], 2), "）"],
                 reason_en=[f"{total} (", (v[rows], 2), f") does not equal {plus} (", (s[rows], 2), ")"])  # fmt: skip
    for code, (num, den, scale, tol) in checks.ratios.items():
        v, a, b = values[code], values[num], values[den]
        with np.errstate(divide="ignore", invalid="ignore"):
            expect = np.where(b != 0, scale * a / b, np.nan)
        rows = np.flatnonzero(np.abs(v - expect) > tol + 1e-9)
        sink.add(rows, code, "total_mismatch", v[rows], lo=expect[rows] - tol, hi=expect[rows] + tol,
                 score=(v - expect)[rows], related=f"{num}, {den}",
                 expected=[(expect[rows], 4), f" ± {fmt(tol)}（{fmt(scale)}×{nm(num)}/{nm(den)}）"],
                 reason_zh=[f"{nm(code)}（", (v[rows], 4), f"）与{fmt(scale)}×{nm(num)}/{nm(den)}（",
                            (expect[rows], 2), "）不符"],
                 reason_en=[f"{code} (", (v[rows], 4), f") does not match {fmt(scale)}*{num}/{den} (",
                            (expect[rows], 2), ")"])  # fmt: skip
    for cond in checks.conditions:
        when = np.logical_and.reduce([_term(values, raw, t) for t in cond.when])
        then = np.logical_and.reduce([_term(values, raw, t) for t in cond.then])
        rows = np.flatnonzero(when & ~then)
        target = cond.then[0][0]
        zh = (
            cond.reason_zh
            or f"不可能的组合：{_describe_zh(cond.when, nm)} 时应 {_describe_zh(cond.then, nm)}"
        )
        en = cond.reason or f"impossible combination: {cond.describe()}"
        sink.add(rows, target, "impossible_combination", _column(values, raw, target)[rows],
                 related=", ".join(sorted(cond.columns() - {target})), expected=_describe_zh(cond.then, nm),
                 reason_zh=zh, reason_en=en)  # fmt: skip
    for code, grades in checks.allowed.items():
        col = raw[code].astype("string").str.strip()
        rows = np.flatnonzero((col.notna() & ~col.isin(list(grades))).to_numpy())
        sink.add(rows, code, "invalid_value", col.iloc[rows].to_numpy(dtype=object), expected="/".join(grades),
                 reason_zh=f"不是有效等次（{'/'.join(grades)}）", reason_en=f"not one of the grades {list(grades)}")  # fmt: skip
    for code in values:
        rows = np.flatnonzero(_not_number(raw, code, values))
        if rows.size:
            sink.add(rows, code, "not_a_number", raw[code].iloc[rows].to_numpy(dtype=object),
                     expected="数字 / a number", reason_zh="不是数字", reason_en="not a number")  # fmt: skip


def _not_number(raw, code, values) -> np.ndarray:
    """Cells that hold text which is not a number (blank cells and tokens such as "—" or "无" are
    missing values, not wrong ones)."""
    col = raw[code]
    if pd.api.types.is_numeric_dtype(col):
        return np.zeros(len(col), dtype=bool)
    text = col.astype("string").str.normalize("NFKC").str.strip()
    return (text.notna() & ~text.isin(list(MISSING_TOKENS)) & np.isnan(values[code])).to_numpy(dtype=bool)


def numbers(col: pd.Series) -> np.ndarray:
    """Numbers of a column; text cells parsed through their distinct values (full-width digits,
    thousands separators); missing tokens ("—", "无", blank) and other text become NaN."""
    if col.dtype == np.float64:
        return col.to_numpy()
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        return col.to_numpy(dtype=float, na_value=np.nan)
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    clean = [unicodedata.normalize("NFKC", str(u)).strip().replace(",", "") for u in uniques]
    nums = pd.to_numeric(pd.Series([None if u in MISSING_TOKENS else u for u in clean], dtype=object),
                         errors="coerce").to_numpy(dtype=float)  # fmt: skip
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


def _describe_zh(terms, nm) -> str:
    words = {"==": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥", "in": "∈", "not_in": "∉",
             "between": "介于", "missing": "为空"}  # fmt: skip
    return "且".join(f"{nm(c)}{words[op]}{'' if op == 'missing' else v}" for c, op, v in terms)
