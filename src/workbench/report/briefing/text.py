"""The sentences of a briefing: key points, grading rules (one sentence each), why each unit's grade
differs from its score band, notes and method. Every word comes from :mod:`..catalogue`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..catalogue import n_subject, subject_words, text

__all__ = ["words", "score_name", "summary_lines", "rule_lines", "method_lines", "skip_note", "quota_places"]


def score_name(rubric, lang: str = "zh") -> str:
    """What grades and ranks are read from: 总分, 综合得分, 最终得分 or 两项得分之和."""
    return text(f"score_{rubric.scheme.type}", lang)


def words(b, lang: str = "zh") -> dict:
    """Placeholders every sentence may use (subject words, score name, other score's name)."""
    r = b.rubric
    score = score_name(r, lang)
    out = subject_words(r.subject, lang)
    out.update(score=score, Score=score[:1].upper() + score[1:], other=r.scheme.other_name or "")
    return out


def _n(b, n: int, lang: str) -> str:
    return n_subject(int(n), b.rubric.subject, lang)


def _join(items, lang: str, limit: int | None = None) -> str:
    items = list(items)
    w = text("list_sep", lang)
    if limit is not None and len(items) > limit:
        rest = len(items) - limit
        return w.join(items[:limit]) + w + text("and_more", lang, n=rest, counter="")
    return w.join(items)


def skip_note(b, part: str, what: str, lang: str) -> str | None:
    """'数据驱动的权重未计算：单位太少（2 个部门）。' when ``part`` was skipped, else None."""
    if part not in b.skipped:
        return None
    key, values = b.skipped[part]
    values = dict(values)
    if "n" in values:
        values["n_subj"] = _n(b, values["n"], lang)
    reason = text(key, lang, **words(b, lang), **values)
    return text("skip", lang, what=text(what, lang), reason=reason)


# ----------------------------------------------------------------------------- key points
def summary_lines(b, lang: str = "zh") -> list[str]:
    """Four to eight plain-language sentences with the key numbers, for the top of the briefing."""
    c, r = b.card, b.rubric
    w = words(b, lang)
    final = c.final
    lines = [
        text(
            "sum_main",
            lang,
            **w,
            rubric=r.name,
            n_subj=_n(b, b.n, lang),
            mean=final.mean(),
            max=final.max(),
            min=final.min(),
        )
    ]
    if r.grades.bands:
        counts = c.grade_counts()
        parts = [text("sum_count", lang, grade=g, n=int(k), counter=w["counter"]) for g, k in counts.items()]
        lines.append(text("sum_grades", lang, counts=_join(parts, lang)))
    if b.within:
        weighted = bool(r.categories.weights)
        lines.append(text("sum_within" if weighted else "sum_within_groups", lang, **w))
    if c.vetoed.any():
        who = _names(b, c.vetoed[c.vetoed].index)
        lines.append(
            text("sum_veto", lang, n_subj=_n(b, c.vetoed.sum(), lang), who=_join(who, lang, limit=10))
        )
    if c.demoted.any():
        scope = "scope_category_short" if r.grades.scope == "category" else "scope_all_short"
        lines.append(
            text("sum_quota", lang, n_subj=_n(b, c.demoted.sum(), lang), scope=text(scope, lang, **w))
        )
    if r.scheme.type == "dual100":
        from .reasons import reasons

        why = reasons(b, lang)
        k = int(why["matrix_gate"].sum())
        if k:
            lines.append(text("sum_matrix", lang, n_subj=_n(b, k, lang)))
    u = b.uncertainty
    if u is not None and u.fragile is not None:
        k = len(u.fragile)
        lines.append(
            text("sum_stable", lang, **w) if k == 0 else text("sum_fragile", lang, n_subj=_n(b, k, lang))
        )
    lines += _weight_lines(b, lang, w)
    if b.baseline is not None and r.grades.bands:
        before = b.baseline.grade.cat.codes.to_numpy()
        after = c.grade.cat.codes.to_numpy()
        up, down = int((after < before).sum()), int((after > before).sum())
        lines.append(
            text("sum_scenario", lang, name=b.scenario.name, n_subj=_n(b, up + down, lang), up=up, down=down)
        )
    return lines


def _weight_lines(b, lang, w) -> list[str]:
    r, out = b.rubric, []
    if b.importance is not None:
        t = b.importance.table
        col = next((k for k in ("contribution", "effective") if t[k].notna().all()), None)
        if col is not None and r.scheme.type == "weighted":
            party = t.drop(index=r.scheme.other_column, errors="ignore")
            out.append(text("sum_party", lang, **w, nominal=party["nominal"].sum(), real=party[col].sum()))
        elif col is not None and r.scheme.type == "single":
            gap = (t["nominal"] - t[col]).abs().idxmax()
            out.append(
                text(
                    "sum_gap",
                    lang,
                    **w,
                    block=r.nodes[gap].name if gap in r.nodes else str(gap),
                    nominal=t.at[gap, "nominal"],
                    real=t.at[gap, col],
                )
            )
    if b.effort is not None and "model_share" in b.effort:
        e = b.effort.set_index("party_weight")["model_share"]
        p = r.scheme.party_weight
        out.append(text("sum_effort", lang, **w, p=p, e=e[p], e30=e[0.30]))
    return out


def _names(b, ids) -> list[str]:
    ids = pd.Index(ids)
    if b.names is None:
        return [str(i) for i in ids]
    return b.names.reindex(ids).fillna(pd.Series(ids.astype(str), index=ids)).astype(str).tolist()


# ----------------------------------------------------------------------------- rules
def rule_lines(b, lang: str = "zh") -> list[str]:
    """The grading rules, one sentence each."""
    r, w = b.rubric, words(b, lang)
    g = r.grades
    lines = []
    if r.scheme.type == "weighted":
        p = r.scheme.party_weight
        lines.append(text("rule_weighted", lang, **w, p=p, q=1 - p))
    elif r.scheme.type == "multiplicative":
        lines.append(text("rule_mult", lang, **w, scale=r.scale))
    if g.bands:
        parts = [text("band_from", lang, grade=name, bound=bound) for name, bound in g.bands[:-1]]
        lowest = g.bands[-2][1] if len(g.bands) > 1 else 0.0
        parts.append(text("band_below", lang, grade=g.bands[-1][0], bound=lowest))
        score = text("party_score", lang) if r.scheme.type == "dual100" else w["score"]
        lines.append(text("rule_bands", lang, score=score, bands=_join(parts, lang)))
    if r.scheme.type == "dual100":
        lines.append(text("rule_dual", lang, **w))
    if g.quota:
        quotas = _join([text("quota_item", lang, grade=k, share=v) for k, v in g.quota.items()], lang)
        scope = "scope_category" if g.scope == "category" else "scope_all"
        lines.append(
            text(
                "rule_quota",
                lang,
                **w,
                quotas=quotas,
                scope=text(scope, lang, **w),
                rounding=text(f"rounding_{g.rounding}", lang),
                ties=text(f"ties_{g.ties}", lang),
            )
        )
        if g.scope == "category" and b.card.category is not None:
            lines.append(text("rule_places", lang, places=_places(b, lang, w)))
    if r.veto:
        lowest = g.names[-1] if g.names else ""
        items = [
            text("veto_lowest", lang, name=v.name, grade=lowest)
            if v.effect == "lowest"
            else text("veto_cap", lang, name=v.name, grade=v.cap_grade)
            for v in r.veto
        ]
        last = text("veto_last" if r.veto_rank == "last" else "veto_score", lang, **w)
        lines.append(text("rule_veto", lang, items=_join(items, lang)) + text("sentence_sep", lang) + last)
    exempt = [r.nodes[c].name for c in r.indicators if r.nodes[c].missing == "exempt"]
    if exempt:
        lines.append(text("rule_exempt", lang, items=_join(exempt, lang), scale=r.scale))
    for key, adj in (("rule_bonus", r.bonus), ("rule_deduction", r.deductions)):
        if not adj.items:
            continue
        items = [
            text("adj_item", lang, name=it.name, points=it.points)
            if it.cap is None
            else text("adj_item_cap", lang, name=it.name, points=it.points, cap=it.cap)
            for it in adj.items
        ]
        stacking = text(f"stacking_{adj.stacking}", lang)
        key = key if adj.cap is not None else key + "_nocap"
        lines.append(text(key, lang, items=_join(items, lang), stacking=stacking, cap=adj.cap or 0))
    if r.bonus.items or r.deductions.items:
        lines.append(text("rule_total", lang))
    if r.categories is not None and b.card.category is not None:
        from .tables import group_order

        groups = group_order(b)
        key = "rule_categories" if r.categories.weights else "rule_groups"
        lines.append(text(key, lang, **w, k=len(groups), names=_join(groups, lang, limit=12)))
    lines.append(text("rule_rank_within" if b.within else "rule_rank", lang, **w))
    return lines


def quota_places(b) -> pd.DataFrame:
    """Per category (rows) and quota grade (columns): units in the category and places allowed."""
    g, card = b.rubric.grades, b.card
    size = card.category.value_counts(sort=False)
    fn = {"floor": np.floor, "ceil": np.ceil, "round": lambda x: np.floor(x + 0.5)}[g.rounding]
    out = pd.DataFrame({k: fn(q * size + 1e-9).astype(int) for k, q in g.quota.items()})
    out.insert(0, "n", size)
    order = [c for c in (b.rubric.categories.names or ()) if c in out.index]
    return out.reindex(order + [c for c in out.index if c not in order])


def _places(b, lang, w) -> str:
    table = quota_places(b)
    parts = []
    # categories with the same size and places are said once
    for values, rows in table.groupby(list(table.columns), sort=False):  # a handful of cases
        row = dict(zip(table.columns, values))
        quota = _join(
            [
                text("places_grade", lang, grade=k, k=int(row[k]), counter=w["counter"])
                for k in b.rubric.grades.quota
            ],
            lang,
        )
        key = "places_item" if len(rows) == 1 else "places_items"
        group = _join(rows.index, lang)
        parts.append(text(key, lang, group=group, n=int(row["n"]), counter=w["counter"], quota=quota))
    return text("clause_sep", lang).join(parts)


# ----------------------------------------------------------------------------- method
def method_lines(b, lang: str = "zh") -> list[str]:
    w = words(b, lang)
    lines = [text("method_data", lang), text("method_order", lang)]
    if b.uncertainty is not None:
        lines.append(text("method_robust", lang, **w, n=b.n_draws))
    if b.weights is not None and b.weights.shape[1] > 1 or b.importance is not None:
        lines.append(text("method_weights", lang, **w))
    if b.effort is not None:
        lines.append(text("method_effort", lang, **w))
    return lines
