"""Tables of a slimming result: most correlated siblings, reasons, per-unit comparison, merges."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["best_sibling", "reason", "comparison", "merges"]


def best_sibling(codes, parent: pd.Series, corr: pd.DataFrame) -> pd.DataFrame:
    """Each item's most correlated sibling (same parent) and that correlation."""
    a = corr.reindex(index=codes, columns=codes).to_numpy(copy=True)
    same = parent.to_numpy()[:, None] == parent.to_numpy()[None, :]
    np.fill_diagonal(same, False)
    a = np.where(same & np.isfinite(a), a, -np.inf)
    best = a.argmax(axis=1)
    val = a[np.arange(len(codes)), best]
    has = np.isfinite(val)
    return pd.DataFrame(
        {
            "code": np.where(has, np.asarray(codes, dtype=object)[best], None),
            "corr": np.where(has, val, np.nan),
        },
        index=codes,
    )


def reason(c, impact, corr, parent, removed, threshold) -> tuple[str, str]:
    if impact.at[c, "non_discriminating"]:
        share = impact.at[c, "full_share"]
        return (
            f"non-discriminating ({share:.0%} of units at full marks, share SD {impact.at[c, 'share_sd']:.3f})",
            f"区分度低（{share:.0%} 的单位得满分）",
        )
    kept = [k for k in corr.columns if k != c and k not in removed and parent[k] == parent[c]]
    if kept:
        r = corr.loc[c, kept].astype(float)
        best = r.idxmax() if r.notna().any() else None
        if best is not None and r[best] >= threshold:
            return (
                f"redundant with {best} (rho={r[best]:.2f})",
                f"与 {best} 高度相关（ρ={r[best]:.2f}），信息重复",
            )
    return "low impact", "删除后排名和等次几乎不变"


def comparison(card, rs, res) -> pd.DataFrame:
    names = rs.rubric.grades.names
    frame = pd.DataFrame(
        {
            "final_full": card.final.to_numpy(float),
            "final_slim": res["final"][0],
            "rank_full": rs.full_min.astype(int),
            "rank_slim": res["rank"][0].astype(int),
        },
        index=card.index,
    )
    frame["rank_shift"] = frame["rank_slim"] - frame["rank_full"]
    if names:
        frame["grade_full"] = pd.Categorical.from_codes(rs.full_grade, categories=names)
        frame["grade_slim"] = pd.Categorical.from_codes(res["grade"][0], categories=names)
        frame["grade_changed"] = frame["grade_full"].astype(str) != frame["grade_slim"].astype(str)
    return frame.sort_values("rank_full", kind="stable")


def merges(rs, pairs, hours, names, parent) -> pd.DataFrame:
    cols = [
        "keep",
        "keep_name",
        "drop",
        "drop_name",
        "block",
        "correlation",
        "hours_saved_per_unit",
        "spearman",
        "grade_changes",
        "mean_rank_shift",
    ]
    if not pairs:
        return pd.DataFrame(columns=cols)
    keep, drop = [], []
    for a, b, _ in pairs:  # the lighter item stays; on equal burden the first in file order
        k, d = (a, b) if hours[a] <= hours[b] else (b, a)
        keep.append(k)
        drop.append(d)
    raw = np.repeat(rs.raw_rows()[None], len(pairs), axis=0)  # (pairs, K, N)
    ki, di = rs.program.position(keep), rs.program.position(drop)
    at = np.arange(len(pairs))
    raw[at, :, ki] += raw[at, :, di]  # the dropped item's weight goes to the kept one, in every category
    raw[at, :, di] = 0.0
    res = rs.evaluate(weights=raw)
    frame = pd.DataFrame(
        {
            "keep": keep,
            "keep_name": [names[k] for k in keep],
            "drop": drop,
            "drop_name": [names[d] for d in drop],
            "block": [parent[k] for k in keep],
            "correlation": [p[2] for p in pairs],
            "hours_saved_per_unit": [hours[d] for d in drop],
            "spearman": res["spearman"],
            "grade_changes": res["grade_changes"].astype(int),
            "mean_rank_shift": res["mean_rank_shift"],
        },
        columns=cols,
    )
    return frame.sort_values("correlation", ascending=False, kind="stable").reset_index(drop=True)
