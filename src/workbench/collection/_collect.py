"""Collect every return in a folder into one table ready for scoring, and a problem list to send back.

:func:`collect` reads each file of a folder (any order, any names; forms made by
:func:`write_template`, other workbooks and CSV tables), identifies each unit (the pre-filled id,
else the id typed in the form, else the file name), validates every value against the rubric at
once, and reports every problem with its file and cell: missing values, numbers out of range or
not whole, text that is not a number, grades not in the list, formulas, duplicate or unknown units,
units that sent nothing, files that are not returns or cannot be read, locked cells changed. A bad
file never stops the collection; nothing in the folder is written or changed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

from .._i18n import use_language
from ..errors import DataError
from ._check import check_values
from ._fields import fingerprint, rubric_fields
from ._labels import form_texts, problem_kinds, problem_texts
from ._read import ReadLimits, _key, read_return
from ._result import Collection

__all__ = ["collect"]

_SPLIT = re.compile(r"[_\-\s.,，、（）()【】\[\]]+")


class _Context:
    """What reading a file needs to know about the rubric and the expected units."""

    def __init__(self, rubric, units: pd.DataFrame | None, check_limits):
        from ..io import NAME_COLUMNS

        self.rubric_code = rubric.code
        fields = rubric_fields(rubric)
        self.fingerprint = fingerprint(rubric)
        self.fields = {f.code: f for f in fields}
        self.field_by_label = {
            **{_key(f.name): f.code for f in fields},
            **{_key(f.code): f.code for f in fields},
        }
        words = defaultdict(set)
        for lang in ("zh", "en"):  # a form re-saved as a plain table keeps its labels in either language
            with use_language(lang):
                t = form_texts()
                for k in ("unit", "unit_name", "category", "code", "value", "codes_row"):
                    words[k].add(t[k])
        fold = lambda xs: {_key(x).casefold() for x in xs}  # noqa: E731
        self.unit_headers = fold({"unit", "uCode", "unit_code", "单位代码", "单位编码", *words["unit"]})
        self.name_headers = fold({*NAME_COLUMNS, *words["unit_name"]})
        cat = rubric.categories.column if rubric.categories is not None else "category"
        self.category_headers = fold({cat, "category", "类别", *words["category"]})
        self.code_headers = fold({"code", "指标代码", "item code", *words["code"], *words["codes_row"]})
        self.value_headers = fold({"value", "填报值", *words["value"]})
        self.unit_expected = form_texts()["unit"]
        self.known: dict[str, str] = {}  # normal form of an expected id -> the id as listed
        self.known_names: dict[str, str] = {}  # normal form of a name -> unit id
        self.name_of: dict[str, str] = {}  # normal form of an id -> name
        if units is not None:
            from ..io import unit_names

            self.known = {_key(u): str(u) for u in units.index}
            names = unit_names(units)
            if names is not None:
                self.name_of = {_key(u): str(n) for u, n in names.items() if isinstance(n, str)}
                self.known_names = {
                    _key(n): _key(u) for u, n in names.items() if isinstance(n, str) and n.strip()
                }
        self.check_limits = check_limits
        from ._io import LimitError

        self.limit_error = LimitError

    def unit_from_file(self, file: str) -> str:
        """The unit a file name names: a token that is a known id, else the longest known name in
        it; without a list of units, the name's first token."""
        stem = Path(file).stem
        tokens = [t for t in _SPLIT.split(stem) if t]
        if not self.known:
            return _key(tokens[0]) if tokens else ""
        for t in tokens:
            if _key(t) in self.known:
                return _key(t)
        hits = [(len(n), u) for n, u in self.known_names.items() if n and n in _key(stem)]
        return max(hits)[1] if hits else ""


def collect(
    folder,
    rubric,
    *,
    units=None,
    check: bool = False,
    recursive: bool = False,
    limits: ReadLimits | None = None,
) -> Collection:
    """Read every returned workbook and CSV file in ``folder`` and consolidate them.

    Parameters
    ----------
    folder : str or Path
        The returns, in any order and with any names. Files whose names start with ``.`` or ``~$``
        (Excel's lock files) are ignored; other files that are not spreadsheets are reported.
    rubric : Rubric
    units : DataFrame indexed by unit id, optional
        The units expected (columns ``name`` and the category column optional): returns from other
        units are reported, units without a return are listed, and names and categories come from
        this list.
    check : bool or dict, default=False
        Also run the peer-deviation checks of :func:`workbench.anomalies.check_report` on the
        numeric indicators of the consolidated table, within categories (``Collection.checks``);
        a dict passes its settings (e.g. ``{"peer_threshold": 5}``).
    recursive : bool, default=False
        Also read the files of subfolders.
    limits : ReadLimits, optional
        Size limits of one returned file.

    Returns
    -------
    Collection
        ``table`` (one row per unit, the rubric's columns, ready for :func:`workbench.score`),
        ``problems`` (file, unit, cell, item, value, problem, severity, what to do), ``files``,
        ``remarks`` and ``checks``; ``ready`` is the table of the units without errors.

    Raises
    ------
    DataError
        When ``folder`` is not a folder.

    Examples
    --------
    >>> result = collect("returns/", rubric, units=units)  # doctest: +SKIP
    >>> card = workbench.score(rubric, result.ready)  # doctest: +SKIP
    """
    from ._io import check_limits

    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(f"the returns folder {folder} does not exist or is not a folder", file=str(folder))
    limits = limits or ReadLimits()
    ctx = _Context(rubric, units, check_limits)
    paths = sorted(p for p in (folder.rglob("*") if recursive else folder.iterdir()) if p.is_file())
    paths = [p for p in paths if not p.name.startswith((".", "~$"))]
    returns = [read_return(p, p.relative_to(folder).as_posix(), ctx, limits) for p in paths]
    return _consolidate(returns, rubric, ctx, units, folder, check)


def _consolidate(returns, rubric, ctx, units, folder, check) -> Collection:
    entries, records, remarks, problems = [], [], [], []
    for ret in returns:
        base = len(entries)
        if not ret.skipped:
            entries += [dict(u, file=ret.file) for u in ret.units]
            records += [(base + i, code, raw, cell, f) for i, code, raw, cell, f in ret.records]
            remarks += [(base + i, code, text) for i, code, text in ret.remarks]
        for p in ret.problems:
            local = p["unit"] if p["unit"] is not None else (0 if len(ret.units) == 1 else None)
            unit = None if local is None or ret.skipped else base + local
            problems.append(dict(p, entry=unit, file=ret.file, text=p["kind"]))
    e = pd.DataFrame(entries, columns=["id", "name", "category", "source", "cell", "file"])
    rec = pd.DataFrame(records, columns=["entry", "code", "raw", "cell", "formula"])
    values, checked = check_values(rec, ctx.fields, len(e))
    codes = list(ctx.fields)
    wide = pd.DataFrame(values, columns=codes, index=e.index) if len(e) else pd.DataFrame(columns=codes)
    keep = np.ones(len(e), dtype=bool)
    texts = problem_texts()
    if ctx.known:
        unknown = ~e["id"].isin(list(ctx.known)).to_numpy()
        for i in np.flatnonzero(unknown):
            problems.append(_p(e, i, "unknown_unit", cell=e.at[i, "cell"], unit=e.at[i, "id"]))
        keep &= ~unknown
    ids = e["id"].to_numpy(dtype=object)
    dup = pd.Series(ids[keep]).duplicated(keep=False).to_numpy()
    for uid in pd.unique(ids[keep][dup]):  # a loop over duplicated ids, usually none
        rows = np.flatnonzero((ids == uid) & keep)
        same = all(wide.iloc[r].equals(wide.iloc[rows[0]]) for r in rows[1:])
        files = e.loc[rows, "file"].tolist()
        for r in rows if not same else rows[1:]:
            others = "、".join(f for f in files if f != e.at[r, "file"]) or e.at[r, "file"]
            kind = "duplicate_unit" if not same else "duplicate_same"
            problems.append(_p(e, r, "duplicate_unit", text=kind, cell=e.at[r, "cell"], unit=uid, others=others,
                               severity="error" if not same else "warning"))  # fmt: skip
        keep[rows if not same else rows[1:]] = False
    returned = set(ids)
    for uid in ctx.known:
        if uid not in returned:
            problems.append({"entry": None, "file": "", "cell": "", "field": "", "value": None, "kind": "not_returned",
                             "severity": "error", "text": "not_returned", "unit_id": uid,
                             "fmt": {"unit": ctx.known[uid], "name": ctx.name_of.get(uid, "")}})  # fmt: skip
    table = _table(rubric, e, wide, keep, units, ctx)
    cat_problems = _categories(rubric, e, keep, table)
    frame = _problem_frame(problems + cat_problems, checked, e, ctx, rubric, texts)
    return Collection.build(table, frame, returns, e, remarks, ctx, rubric, folder, check)


def _p(e, i, kind, *, text=None, cell="", severity="error", **fmt):
    return {"entry": i, "file": e.at[i, "file"], "cell": cell, "field": "", "value": None, "kind": kind,
            "severity": severity, "text": text or kind, "fmt": fmt}  # fmt: skip


def _table(rubric, e, wide, keep, units, ctx) -> pd.DataFrame:
    """The consolidated table: one row per kept unit, name, category and the rubric's columns."""
    kept = e.loc[keep]
    index = pd.Index(kept["id"].to_numpy(dtype=object), name=rubric.unit_column or "unit")
    table = wide.loc[keep].set_axis(index, axis=0)
    table.insert(0, "name", kept["name"].replace("", np.nan).to_numpy(dtype=object))
    if rubric.categories is not None:
        table.insert(1, rubric.categories.column, kept["category"].replace("", np.nan).to_numpy(dtype=object))
    if units is not None:  # the office's list wins for names and categories
        from ..io import unit_names

        listed = pd.DataFrame(index=pd.Index([_key(u) for u in units.index]))
        names = unit_names(units)
        if names is not None:
            listed["name"] = names.to_numpy()
            table["name"] = listed["name"].reindex(table.index).fillna(table["name"]).to_numpy()
        col = rubric.categories.column if rubric.categories is not None else None
        if col is not None and col in units.columns:
            listed[col] = units[col].to_numpy()
            table[col] = listed[col].reindex(table.index).fillna(table[col]).to_numpy()
        listed_ids = set(listed.index)
        order = [u for u in listed.index if u in table.index]
        table = table.loc[order + [u for u in table.index if u not in listed_ids]]
    else:
        table = table.sort_index(kind="stable")
    return table


def _categories(rubric, e, keep, table) -> list[dict]:
    """Every unit of a rubric with categories needs one of its categories."""
    if rubric.categories is None:
        return []
    col = rubric.categories.column
    allowed = tuple(getattr(rubric.categories, "names", ()) or ())
    out = []
    by_id = {uid: i for i, uid in zip(np.flatnonzero(keep), e.loc[keep, "id"])}
    for uid, cat in table[col].items():
        i = by_id[uid]
        if pd.isna(cat) or str(cat).strip() == "":
            out.append(_p(e, i, "missing", cell=e.at[i, "cell"], expected=col) | {"field": col})
        elif allowed and _key(cat) not in {_key(a) for a in allowed}:
            p = _p(e, i, "unknown_grade", cell=e.at[i, "cell"], expected="、".join(allowed), value=cat)
            out.append(p | {"field": col, "value": cat})
    return out


def _problem_frame(problems, checked, e, ctx, rubric, texts) -> pd.DataFrame:
    """All problems as one table, with the unit, the item's name and a sentence in the current language."""
    kinds = problem_kinds()
    rows = []
    for p in problems:  # file-level and unit-level problems (few); cell problems come as a frame
        fmt = dict(p.get("fmt") or {})
        if p["kind"] in ("unreadable", "not_a_return"):
            reason = texts[fmt.pop("reason_key", "no_table")].format(reason=fmt.get("reason", ""))
            msg = (
                texts["not_a_return"].format(rubric=rubric.name, reason=reason)
                if p["kind"] == "not_a_return"
                else reason
            )
        else:
            msg = texts[p["text"]].format_map(_Blank(fmt, value=p.get("value")))
        rows.append({"entry": p["entry"], "file": p["file"], "unit": p.get("unit_id"), "cell": p["cell"],
                     "field": p.get("field") or fmt.get("code", ""), "value": _shown(p.get("value", fmt.get("value"))),
                     "kind": p["kind"], "severity": p["severity"], "message": msg,
                     "expected": fmt.get("expected", "")})  # fmt: skip
    frame = pd.DataFrame(rows)
    if len(checked):
        checked = checked.copy()
        checked["file"] = e["file"].to_numpy()[checked["entry"].to_numpy(dtype=int)]
        checked["message"] = [
            texts[t].format(value=v, expected=x)
            for t, v, x in zip(checked["text"], checked["value"], checked["expected"])
        ]
        frame = pd.concat([frame, checked.drop(columns="text")], ignore_index=True)
    if frame.empty:
        frame = pd.DataFrame(
            columns=[
                "entry",
                "file",
                "unit",
                "cell",
                "field",
                "value",
                "kind",
                "severity",
                "message",
                "expected",
            ]
        )
    has = frame["entry"].notna().to_numpy()
    entry = frame["entry"].to_numpy()
    unit = np.array(frame["unit"] if "unit" in frame else [None] * len(frame), dtype=object)
    unit[has] = e["id"].to_numpy(dtype=object)[entry[has].astype(int)]
    frame["unit"] = unit
    names_of = {**ctx.name_of, **{u: n for u, n in zip(e["id"], e["name"]) if n}}
    frame["unit_name"] = frame["unit"].map(lambda u: names_of.get(u, ""))
    names = {c: f.name for c, f in ctx.fields.items()}
    frame["field_name"] = frame["field"].map(lambda c: names.get(c, ""))
    frame["kind_name"] = frame["kind"].map(kinds)
    key = frame["cell"].fillna("").map(_cell_key)
    frame = frame.assign(_r=[k[0] for k in key], _c=[k[1] for k in key], _f=frame["file"].eq(""))
    frame = frame.sort_values(["_f", "file", "_r", "_c"], kind="stable").drop(
        columns=["_r", "_c", "_f", "entry"]
    )
    cols = [
        "file",
        "unit",
        "unit_name",
        "cell",
        "field",
        "field_name",
        "value",
        "kind",
        "kind_name",
        "severity",
        "message",
        "expected",
    ]
    return frame[cols].reset_index(drop=True)


class _Blank(dict):
    """str.format_map fields that a sentence names but a problem does not carry show as blank."""

    def __init__(self, fmt, value=None):
        super().__init__(fmt)
        self.setdefault("value", _shown(value))

    def __missing__(self, key):
        return ""


def _shown(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _cell_key(ref: str) -> tuple[int, int]:
    m = re.match(r"^([A-Z]{1,3})(\d+)$", ref or "")
    if not m:
        return (0, 0)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col
