"""Tables for people: the headers, rounding and sheets of ``score --out``.

Writing them is :func:`workbench.io.write_table`'s job (formula-safe cells, atomic, CSV with a BOM
so Excel and WPS show Chinese), as for every table the package writes.
"""

from __future__ import annotations

__all__ = ["score_tables"]


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
