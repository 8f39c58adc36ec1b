"""Why each unit's grade differs from the band of its score (veto, quota, the dual-100 matrix), and
short marks for ranking tables. Texts are built per distinct case, not per unit."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..catalogue import text
from .text import _join, words

__all__ = ["reasons"]


def reasons(b, lang: str = "zh") -> pd.DataFrame:
    """Per unit: the grade its score alone gives, its grade, and why they differ.

    Columns: ``alone`` (grade of the score's band), ``grade``, ``differs``, ``vetoed``, ``demoted``,
    ``matrix`` (dual-100 lowered it), ``why`` (veto, quota and matrix reasons) and ``note`` (``why``
    plus items that do not apply). Texts are built per distinct case, not per unit.
    """
    from ...scoring.grades import apply_veto, band_index

    c, r = b.card, b.rubric
    idx = c.index
    empty = pd.Series("", index=idx, dtype=object)
    names = r.grades.names
    out = pd.DataFrame(index=idx)
    if not names:
        out["alone"] = out["grade"] = empty
        for k in ("differs", "vetoed", "demoted", "matrix", "matrix_gate"):
            out[k] = False
        out["why"] = empty
        out["note"] = _exempt_notes(b, lang, empty)
        out["mark"] = _marks(b, out, lang)
        return out
    w = words(b, lang)
    scheme = r.scheme
    if scheme.type == "dual100":
        party = band_index(np.round(c.total.to_numpy() * 100 / r.scale, 9), r.grades.bands)
        other = band_index(np.round(c.other.to_numpy() * 100 / scheme.other_scale, 9), r.grades.bands)
        alone = party
    else:
        alone = band_index(np.round(c.final.to_numpy(), 9), r.grades.bands)
    band = c.grade_band.cat.codes.to_numpy()
    grade = c.grade.cat.codes.to_numpy()
    flags = c.veto_items.to_numpy(dtype=bool) if r.veto else np.zeros((len(idx), 0), bool)
    after_veto = apply_veto(band, flags, r.veto, names)
    out["alone"] = np.asarray(names, dtype=object)[alone]
    out["grade"] = np.asarray(names, dtype=object)[grade]
    out["differs"] = alone != grade
    out["vetoed"] = c.vetoed.to_numpy()
    out["demoted"] = c.demoted.to_numpy()
    out["matrix"] = band != alone if scheme.type == "dual100" else False
    # the party grade held the final grade below the other score's grade (the dual-100 gate)
    out["matrix_gate"] = band > other if scheme.type == "dual100" else False
    parts = []
    if r.veto:
        parts.append(_veto_texts(r, flags, lang, idx))
    if out["demoted"].any():
        parts.append(_quota_texts(b, after_veto, lang, w))
    if scheme.type == "dual100":
        parts.append(_matrix_texts(names, party, other, band, out["matrix"].to_numpy(), lang, w, idx))
    why = _concat(parts, text("clause_sep", lang), idx)
    out["why"] = why
    out["note"] = _concat([why, _exempt_notes(b, lang, empty)], text("clause_sep", lang), idx)
    out["mark"] = _marks(b, out, lang)
    return out


def _marks(b, out, lang) -> pd.Series:
    """Short marks for ranking tables: 一票否决, 名额降档, 双百分矩阵, n 项不涉及."""
    idx = out.index
    marks = [
        pd.Series(np.where(out[col].to_numpy(dtype=bool), text(key, lang), ""), index=idx)
        for col, key in (("vetoed", "mark_veto"), ("demoted", "mark_quota"), ("matrix", "mark_matrix"))
    ]
    k = b.card.shares.isna().sum(axis=1)
    head, tail = text("mark_exempt", lang, k="\x00").split("\x00")
    marks.append((head + k.astype(str) + tail).where(k > 0, ""))
    return _concat(marks, text("list_sep", lang), idx)


def _concat(parts, sep, idx) -> pd.Series:
    out = pd.Series("", index=idx, dtype=object)
    for p in parts:
        p = p.reindex(idx).fillna("")
        glue = np.where((out != "") & (p != ""), sep, "")
        out = out + glue + p
    return out


def _veto_texts(r, flags, lang, idx) -> pd.Series:
    out = pd.Series("", index=idx, dtype=object)
    hit = flags.any(axis=1)
    if not hit.any():
        return out
    patterns, inverse = np.unique(flags[hit], axis=0, return_inverse=True)
    labels = [
        text("why_veto", lang, items=_join([v.name for v, f in zip(r.veto, row) if f], lang))
        for row in patterns
    ]
    out[hit] = np.asarray(labels, dtype=object)[inverse.ravel()]
    return out


def _quota_texts(b, after_veto, lang, w) -> pd.Series:
    c, g = b.card, b.rubric.grades
    idx = c.index
    names = g.names
    by_cat = g.scope == "category" and c.category is not None
    group = c.category if by_cat else pd.Series("", index=idx)
    key = np.round(c.final.to_numpy(), 9)
    if b.rubric.veto_rank == "last":
        key = np.where(c.vetoed, key - (np.nanmax(key) - np.nanmin(key) + 1), key)
    rank = pd.Series(key, index=idx).groupby(group.to_numpy()).rank(method="min", ascending=False)
    size = group.map(group.value_counts())
    fn = {"floor": np.floor, "ceil": np.ceil, "round": lambda x: np.floor(x + 0.5)}[g.rounding]
    out = pd.Series("", index=idx, dtype=object)
    demoted = c.demoted.to_numpy()
    cases = pd.DataFrame({"g": after_veto, "n": size.to_numpy()})[demoted].drop_duplicates()
    where = text("why_where_cat" if by_cat else "why_where_all", lang)
    scope = text("scope_category_short" if by_cat else "scope_all_short", lang, **w)
    for gi, n in cases.itertuples(index=False):  # one text per (grade, group size): a handful
        share = g.quota.get(names[gi], np.nan)
        k = int(fn(share * n + 1e-9)) if np.isfinite(share) else 0
        template = text(
            "why_quota",
            lang,
            grade=names[gi],
            scope=scope,
            share=share,
            n=int(n),
            k=k,
            counter=w["counter"],
            where=where,
            rank="\x00",
        )
        head, tail = template.split("\x00")
        sel = demoted & (after_veto == gi) & (size.to_numpy() == n)
        out[sel] = head + rank[sel].astype(int).astype(str) + tail
    return out


def _matrix_texts(names, party, other, band, lowered, lang, w, idx) -> pd.Series:
    out = pd.Series("", index=idx, dtype=object)
    if not lowered.any():
        return out
    names = np.asarray(names, dtype=object)
    cases = pd.DataFrame({"a": party, "b": other, "g": band})[lowered].drop_duplicates()
    for a, o, gi in cases.itertuples(index=False):
        label = text("why_matrix", lang, a=names[a], b=names[o], grade=names[gi], other=w["other"])
        out[lowered & (party == a) & (other == o) & (band == gi)] = label
    return out


def _exempt_notes(b, lang, empty) -> pd.Series:
    c, r = b.card, b.rubric
    rescaled = c.available.to_numpy() < r.scale - 1e-9
    if not rescaled.any():
        return empty
    k = c.shares.isna().sum(axis=1)
    # the numbers differ per unit: fill them in as whole columns, not unit by unit
    head, mid, tail = (
        text("why_exempt", lang, k="\x00", available="\x01").replace("\x01", "\x00").split("\x00")
    )
    shown = head + k.astype(str) + mid + c.available.round(1).astype(str) + tail
    return shown.where(rescaled, "")
