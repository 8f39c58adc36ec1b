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

import pandas as pd

from .._i18n import _, use_language
from ..errors import DataError
from ._check import check_values
from ._fields import fingerprint, rubric_fields
from ._labels import form_texts
from ._problems import problem_frame
from ._read import read_return
from ._result import Collection
from ._return import ReadLimits, norm_key
from ._units import category_problems, consolidated_table, resolve_units

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
            **{norm_key(f.name): f.code for f in fields},
            **{norm_key(f.code): f.code for f in fields},
        }
        words = defaultdict(set)
        for lang in ("zh", "en"):  # a form re-saved as a plain table keeps its labels in either language
            with use_language(lang):
                t = form_texts()
                for k in ("unit", "unit_name", "category", "code", "value", "codes_row"):
                    words[k].add(t[k])
        fold = lambda xs: {norm_key(x).casefold() for x in xs}  # noqa: E731
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

            self.known = {norm_key(u): str(u) for u in units.index}
            names = unit_names(units)
            if names is not None:
                self.name_of = {norm_key(u): str(n) for u, n in names.items() if isinstance(n, str)}
                self.known_names = {
                    norm_key(n): norm_key(u) for u, n in names.items() if isinstance(n, str) and n.strip()
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
            return norm_key(tokens[0]) if tokens else ""
        for t in tokens:
            if norm_key(t) in self.known:
                return norm_key(t)
        hits = [(len(n), u) for n, u in self.known_names.items() if n and n in norm_key(stem)]
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
        raise DataError(
            _("the returns folder {folder} does not exist or is not a folder").format(folder=folder),
            file=str(folder),
        )
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
    keep, resolved = resolve_units(e, wide, ctx)
    table = consolidated_table(rubric, e, wide, keep, units)
    found = problems + resolved + category_problems(rubric, e, keep, table)
    frame = problem_frame(found, checked, e, ctx, rubric)
    return Collection.build(table, frame, returns, e, remarks, ctx, rubric, folder, check)
