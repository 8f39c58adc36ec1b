"""Questionnaire workbooks for a Delphi round (Chinese), written and read back.

One workbook per expert with three sheets: 填写说明 (instructions), 指标评分 (one row per
indicator: code, block, name, description, last round's feedback, the rating and a comment) and
专家信息 (expert id, round, scale, familiarity and judgment basis). Every byte of Excel the module
writes goes through :func:`write_workbook`, so it can be routed through a formula-safe writer.
Reading uses openpyxl in read-only mode and reports every problem of every file at once.
"""

from __future__ import annotations

import io
import numbers
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .._results import ResultMixin
from ..errors import DataError, Problem, SpecError
from ._common import LABELS, check_scale, names
from ._experts import BASIS_CODES, FAMILIARITY_CODES

__all__ = ["Responses", "write_workbook", "write_questionnaire", "read_questionnaires"]

_BASIS = list(BASIS_CODES["common"])
_LEVELS = ["大", "中", "小"]
_FAMILIARITY = list(FAMILIARITY_CODES["common"])


def write_workbook(path, sheets) -> Path:
    """Write sheets to an .xlsx file atomically (the one place this module writes Excel).

    Parameters
    ----------
    path : str or Path
    sheets : list of dict
        Each with ``name``, ``rows`` (list of rows, the first one a header), optional ``widths``
        ({column letter: width}) and ``choices`` ([(cell range, [options])]: drop-down lists).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    from ..io import atomic_write_bytes, safe_cell

    wb = Workbook()
    wb.remove(wb.active)
    for spec in sheets:
        ws = wb.create_sheet(spec["name"])
        for row in spec["rows"]:
            # names come from users: text that a spreadsheet would run is neutralised (workbench.io)
            ws.append([None if (isinstance(v, float) and np.isnan(v)) else safe_cell(v) for v in row])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for col, width in spec.get("widths", {}).items():
            ws.column_dimensions[col].width = width
        for ref, options in spec.get("choices", []):
            dv = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=True)
            dv.add(ref)
            ws.add_data_validation(dv)
        ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return atomic_write_bytes(Path(path), buf.getvalue())


def _candidates(candidates) -> pd.DataFrame:
    if hasattr(candidates, "indicators") and hasattr(candidates, "nodes"):
        from ._rubric import candidates_from_rubric

        candidates = candidates_from_rubric(candidates)
    if not isinstance(candidates, pd.DataFrame) or not {"code", "name"} <= set(candidates.columns):
        raise DataError(
            "write_questionnaire: 'candidates' must be a rubric or a table with columns 'code' and 'name' "
            "(optionally 'block_name' and 'description')."
        )
    if candidates["code"].duplicated().any():
        dup = candidates["code"][candidates["code"].duplicated()].unique()
        raise DataError(f"write_questionnaire: candidate code(s) {names(dup)} repeat.", column="code")
    return candidates.reset_index(drop=True)


def write_questionnaire(path, candidates, *, round_no=1, scale=(1, 5), expert=None, feedback=None) -> Path:
    """Write one expert's questionnaire for a Delphi round (Chinese), ready to send.

    Parameters
    ----------
    path : str or Path
        The .xlsx file to write (atomically).
    candidates : DataFrame or Rubric
        Columns ``code``, ``name`` and optionally ``block_name``, ``description``; or a rubric
        (its indicators).
    round_no : int, default=1
    scale : (low, high), default=(1, 5)
        Printed in the header and enforced by a drop-down list of whole numbers.
    expert : str, optional
        Pre-filled expert id (otherwise the expert writes it, or the file name is used on read).
    feedback : DelphiSummary or ScreeningResult, optional
        Last round's result: its mean and CV (and the screening decision) are shown next to each
        indicator, as controlled feedback between rounds.

    Returns
    -------
    Path
    """
    lo, hi = check_scale(scale, func="write_questionnaire")
    if not (isinstance(round_no, numbers.Integral) and round_no >= 1):
        raise SpecError(f"write_questionnaire: 'round_no' must be a positive integer; got {round_no!r}.")
    cand = _candidates(candidates)
    n = len(cand)
    rating = f"{LABELS['col_rating']}（{lo:g}-{hi:g}）"
    header = [LABELS["col_code"], LABELS["col_block"], LABELS["col_name"], LABELS["col_description"]]
    cols = [
        cand["code"],
        cand.get("block_name", [None] * n),
        cand["name"],
        cand.get("description", [None] * n),
    ]
    if feedback is not None:
        table = getattr(feedback, "table", feedback)
        prev = table.reindex(cand["code"])
        header += [LABELS["col_prev_mean"], LABELS["col_prev_cv"]]
        cols += [prev["mean"].round(2).tolist(), prev["cv"].round(3).tolist()]
        if "decision_zh" in prev:
            header.append(LABELS["col_prev_decision"])
            cols.append(prev["decision_zh"].tolist())
    header += [rating, LABELS["col_comment"]]
    cols += [[None] * n, [None] * n]
    rows = [header] + [list(r) for r in zip(*[list(c) for c in cols], strict=True)]
    letter = chr(ord("A") + len(header) - 2)
    scores = [f"{v:g}" for v in np.arange(lo, hi + 1)]
    intro = [
        [f"指标体系德尔菲专家咨询问卷（第 {round_no} 轮）"],
        [
            f"请在“{LABELS['sheet_ratings']}”表的“{rating}”列为每项指标的重要性打分：{lo:g} 分最不重要，{hi:g} 分最重要。"
        ],
        ["如认为指标需要修改、合并或删除，请在“修改意见”列说明；可在表末另起一行提出新增指标。"],
        [f"请在“{LABELS['sheet_expert']}”表填写您对本指标体系的熟悉程度和判断依据，用于计算专家权威系数。"],
    ]
    if feedback is not None:
        intro.append(["“上轮均数”“上轮变异系数”为上一轮全体专家评分的统计结果，供您参考后重新判断。"])
    expert_rows = [
        ["项目", "填写"],
        [LABELS["expert_id"], expert],
        [LABELS["round_no"], int(round_no)],
        [LABELS["scale"], f"{lo:g}-{hi:g}"],
        [LABELS["familiarity"], None],
        [LABELS["basis_header"], None],
        *[[b, None] for b in _BASIS],
    ]
    return write_workbook(
        path,
        [
            {"name": LABELS["sheet_intro"], "rows": intro, "widths": {"A": 100}},
            {
                "name": LABELS["sheet_ratings"],
                "rows": rows,
                "widths": {"A": 16, "B": 14, "C": 40, "D": 30},
                "choices": [(f"{letter}2:{letter}{n + 1}", scores)],
            },
            {
                "name": LABELS["sheet_expert"],
                "rows": expert_rows,
                "widths": {"A": 40, "B": 16},
                "choices": [("B5", _FAMILIARITY), (f"B7:B{6 + len(_BASIS)}", _LEVELS)],
            },
        ],
    )


@dataclass(frozen=True, repr=False, eq=False)
class Responses(ResultMixin):
    """Questionnaires of one round read back.

    Attributes
    ----------
    ratings : DataFrame (experts x indicators), NaN = not answered
    comments : DataFrame (experts x indicators) of text, empty where none
    basis : DataFrame (experts x judgment bases) of 大 / 中 / 小
    familiarity : Series of answers per expert
    files : Series of file names per expert
    scale : tuple
    round_no : int or None
    """

    ratings: pd.DataFrame
    comments: pd.DataFrame
    basis: pd.DataFrame
    familiarity: pd.Series
    files: pd.Series
    scale: tuple
    round_no: int | None

    def to_frame(self) -> pd.DataFrame:
        return self.ratings

    def _summary_title(self) -> str:
        return f"Delphi questionnaires: {len(self.ratings)} experts x {self.ratings.shape[1]} indicators"


def _rows(book, sheet):
    return [list(r) for r in book[sheet].iter_rows(values_only=True)]


def _read_one(path: Path, scale, problems):
    from openpyxl import load_workbook

    where = path.name
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for files that are not workbooks
        problems.append(Problem(f"cannot be read as an .xlsx workbook ({type(exc).__name__})", key=where))
        return None
    try:
        missing = [s for s in (LABELS["sheet_ratings"], LABELS["sheet_expert"]) if s not in book.sheetnames]
        if missing:
            problems.append(Problem(f"has no sheet(s) {missing}; sheets are {book.sheetnames}", key=where))
            return None
        info = {
            str(r[0]).strip(): (r[1] if len(r) > 1 else None)
            for r in _rows(book, LABELS["sheet_expert"])
            if r and r[0]
        }
        rows = _rows(book, LABELS["sheet_ratings"])
    finally:
        book.close()
    header = [str(h).strip() if h is not None else "" for h in rows[0]] if rows else []
    rating_col = next((i for i, h in enumerate(header) if h.startswith(LABELS["col_rating"])), None)
    if LABELS["col_code"] not in header or rating_col is None:
        problems.append(
            Problem(
                f"sheet {LABELS['sheet_ratings']} needs columns {LABELS['col_code']} and "
                f"{LABELS['col_rating']}; found {header}",
                key=where,
                row=1,
            )
        )
        return None
    if scale is None:
        text = str(info.get(LABELS["scale"]) or "1-5").replace("–", "-")
        try:
            scale = tuple(float(v) for v in text.split("-"))
        except ValueError:
            scale = (1.0, 5.0)
    lo, hi = scale
    code_col = header.index(LABELS["col_code"])
    comment_col = header.index(LABELS["col_comment"]) if LABELS["col_comment"] in header else None
    ratings, comments = {}, {}
    for i, row in enumerate(rows[1:], start=2):
        code = row[code_col] if code_col < len(row) else None
        if code is None or str(code).strip() == "":
            continue
        code = str(code).strip()
        value = row[rating_col] if rating_col < len(row) else None
        if isinstance(value, str) and value.strip() == "":
            value = None
        if value is not None:
            try:
                value = float(value)
            except (TypeError, ValueError):
                problems.append(
                    Problem(
                        f"rating {value!r} of {code!r} is not a number",
                        key=where,
                        row=i,
                        column=header[rating_col],
                    )
                )
                value = None
            else:
                if not (lo <= value <= hi):
                    problems.append(
                        Problem(
                            f"rating {value:g} of {code!r} is outside the scale {lo:g}-{hi:g}",
                            key=where,
                            row=i,
                            column=header[rating_col],
                        )
                    )
        ratings[code] = np.nan if value is None else value
        if comment_col is not None and comment_col < len(row) and row[comment_col] not in (None, ""):
            comments[code] = str(row[comment_col])
    expert = info.get(LABELS["expert_id"])
    expert = str(expert).strip() if expert not in (None, "") else path.stem
    basis = {b: info.get(b) for b in _BASIS}
    fam = info.get(LABELS["familiarity"])
    for b, v in basis.items():
        if v not in (None, "") and str(v).strip() not in _LEVELS:
            problems.append(
                Problem(f"judgment basis {b}: {v!r}; expected one of {_LEVELS}", key=where, column=b)
            )
    if fam not in (None, "") and str(fam).strip() not in _FAMILIARITY:
        problems.append(
            Problem(
                f"familiarity {fam!r}; expected one of {_FAMILIARITY}",
                key=where,
                column=LABELS["familiarity"],
            )
        )
    round_no = info.get(LABELS["round_no"])
    return expert, ratings, comments, basis, fam, scale, round_no


def read_questionnaires(paths, *, scale=None) -> Responses:
    """Read a round's returned questionnaires (written by :func:`write_questionnaire`).

    Parameters
    ----------
    paths : folder, or sequence of .xlsx paths
        A folder means every ``*.xlsx`` in it (sorted by name), one per expert.
    scale : (low, high), optional
        Overrides the scale written in each workbook.

    Returns
    -------
    Responses
        ``ratings`` is ready for :func:`summarise` (experts in rows).

    Raises
    ------
    DataError
        Every problem of every file at once: unreadable files, missing sheets or columns, ratings
        that are not numbers or outside the scale, unknown familiarity or basis answers, the same
        expert id in two files, files that list different indicators.
    """
    if scale is not None:
        scale = check_scale(scale, func="read_questionnaires")
    if isinstance(paths, (str, Path)) and Path(paths).is_dir():
        files = sorted(Path(paths).glob("*.xlsx"))
    elif isinstance(paths, (str, Path)):
        files = [Path(paths)]
    else:
        files = [Path(p) for p in paths]
    if not files:
        raise DataError(f"read_questionnaires: no .xlsx questionnaires found in {paths!s}.")
    problems: list[Problem] = []
    pairs = []
    for f in files:
        if not f.exists():
            problems.append(Problem("file not found", key=str(f)))
            continue
        r = _read_one(f, scale, problems)
        if r is not None:
            pairs.append((f, r))
    read = [r for _, r in pairs]
    experts = [r[0] for r in read]
    dup = sorted({e for e in experts if experts.count(e) > 1})
    if dup:
        problems.append(Problem(f"expert id(s) {dup} appear in more than one file", key="expert"))
    if read:
        first = list(read[0][1])
        for f, r in pairs:
            if set(r[1]) != set(first):
                diff = sorted(set(r[1]) ^ set(first))
                problems.append(
                    Problem(f"lists different indicators from the first file: {diff[:8]}", key=f.name)
                )
    if problems:
        raise DataError(f"read_questionnaires: {len(files)} file(s) checked", problems=problems)
    index = pd.Index(experts, name="expert")
    first = list(read[0][1])
    ratings = pd.DataFrame([[r[1][c] for c in first] for r in read], index=index, columns=first, dtype=float)
    comments = pd.DataFrame([[r[2].get(c, "") for c in first] for r in read], index=index, columns=first)
    basis = pd.DataFrame([r[3] for r in read], index=index)
    familiarity = pd.Series([r[4] for r in read], index=index, name="familiarity")
    rounds = {r[6] for r in read}
    return Responses(
        ratings=ratings,
        comments=comments,
        basis=basis,
        familiarity=familiarity,
        files=pd.Series([f.name for f, _ in pairs], index=index, name="file"),
        scale=read[0][5],
        round_no=int(rounds.pop()) if len(rounds) == 1 and None not in rounds else None,
    )
