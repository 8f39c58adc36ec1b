"""Writing tables for people: CSV that Excel opens (UTF-8 with BOM) or Excel workbooks, atomically.

Every table the command line and the briefing write (``score --out``, a briefing's appendix, the
feedback sheets' index, ``simulate``'s sweep) goes through :func:`write_table`, so one function
decides how cells are written.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

__all__ = ["write_table", "score_tables"]


def write_table(path, table: pd.DataFrame | dict, *, index: bool = True) -> Path:
    """Write ``table`` to ``path`` atomically and return the path.

    Parameters
    ----------
    path : str or Path
        ``.csv`` (UTF-8 with BOM, so Excel on Windows shows Chinese correctly) or ``.xlsx``.
    table : DataFrame, or dict sheet name -> DataFrame
        Several sheets need an ``.xlsx`` path.
    index : bool, default=True
        Write the row labels as the first column.

    Raises
    ------
    OutputError
        When the path cannot be written, or several sheets are given for a CSV file.
    """
    from ..errors import OutputError
    from ..io import atomic_write_bytes

    path = Path(path)
    sheets = table if isinstance(table, dict) else {"Sheet1": table}
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        buf = io.BytesIO()
        with pd.ExcelWriter(buf, engine="openpyxl") as xl:
            for name, frame in sheets.items():
                frame.to_excel(xl, sheet_name=str(name)[:31], index=index)
        return atomic_write_bytes(path, buf.getvalue())
    if len(sheets) != 1:
        raise OutputError(
            f"{path}: a CSV file holds one table; {len(sheets)} were given",
            file=str(path),
            hint="write an .xlsx file to keep several sheets",
        )
    frame = next(iter(sheets.values()))
    return atomic_write_bytes(path, frame.to_csv(index=index).encode("utf-8-sig"))


def score_tables(card, names, lang: str = "zh", block_names: bool = False) -> dict:
    """``score --out`` tables: the scores with headers in ``lang`` (rounded: 1 decimal for points,
    2 for totals), the same at full precision, and the points per item (full precision)."""
    from .catalogue import text

    r = card.rubric
    full = card.to_frame(names=block_names or lang != "en")
    if names is not None:
        full.insert(0, "name", names.reindex(full.index))
    if lang != "en":
        heads = {
            "name": "col_name",
            "category": "col_category",
            "base": "col_base",
            "bonus": "col_bonus",
            "deduction": "col_deduction",
            "total": "col_total",
            "final": "score_" + r.scheme.type,
            "vetoed": "col_vetoed",
            "grade": "col_grade",
            "rank": "col_rank",
            "rank_in_category": "col_rank_cat",
        }
        full = full.rename(columns={k: text(v, lang) for k, v in heads.items()})
        full = full.rename(columns={"other": r.scheme.other_name or "other"})
        full.index.name = text("col_unit", lang)
        yes = text("yes", lang)
        full[text("col_vetoed", lang)] = full[text("col_vetoed", lang)].map({True: yes, False: ""})
    shown = full.copy()
    for col in shown.columns:
        if shown[col].dtype.kind == "f":
            whole_score = col in (
                text("col_total", lang),
                text("score_" + r.scheme.type, lang),
                "total",
                "final",
            )
            shown[col] = shown[col].round(2 if whole_score else 1)
    points = card.points.rename(columns=lambda c: r.nodes[c].name) if lang != "en" else card.points
    sheets = ("得分", "完整精度", "指标得分") if lang != "en" else ("scores", "full precision", "points")
    return dict(zip(sheets, (shown, full, points)))
