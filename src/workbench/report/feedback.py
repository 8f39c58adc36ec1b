"""Per-unit feedback sheets (反馈单): what an assessment office sends back to each unit.

One page per unit, as HTML and PDF: its score, grade and rank (within its category where the
rubric ranks within categories), why its grade differs from its score band, points lost per block
and per item against full marks, bonus, deduction and veto lines, and the three items that would
have raised its score most.

"Would have raised its score most" is measured by :func:`potential_gains`: for unit i and item j,

    gain_ij = mean over the other units k of its category of max(0, s_kj - s_ij) x F_ij x S / A_i

with s the share of the item's full marks earned, F_ij the item's full marks for the unit, S the
rubric's scale and A_i the full marks available to the unit (the base score is rescaled by S/A_i
when items do not apply). It is the points lost (1 - s_ij) F_ij times an attainability: the
average shortfall to the peers that did better, so an item nobody scores well on ranks low even
when many points are lost on it.
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

import numpy as np
import pandas as pd

from .catalogue import n_subject, text

__all__ = ["potential_gains", "sheet_blocks", "safe_filename", "write_feedback"]

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*\s]+')
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
MAX_NAME = 60  # characters of a file name stem


def potential_gains(card) -> pd.DataFrame:
    """Points of the total each unit could gain per item, judged by its category's peers.

    Returns
    -------
    DataFrame (units x indicators)
        0 where no peer did better, NaN where the item does not apply to the unit.
    """
    r = card.rubric
    shares = card.shares.to_numpy(dtype=float)
    full = card.full.to_numpy(dtype=float)
    rescale = (r.scale / card.available.to_numpy(dtype=float))[:, None]
    groups = card.category.to_numpy() if card.category is not None else np.zeros(len(shares), int)
    out = np.full(shares.shape, np.nan)
    for g in pd.unique(groups):  # a handful of categories
        rows = np.flatnonzero(groups == g)
        for j in range(shares.shape[1]):
            s = shares[rows, j]
            ok = ~np.isnan(s)
            m = int(ok.sum())
            if m < 2:
                out[rows[ok], j] = 0.0
                continue
            peer = np.sort(s[ok])
            csum = np.concatenate([[0.0], np.cumsum(peer)])
            above = np.searchsorted(peer, s[ok], side="right")
            # sum over peers of max(0, peer - s), the unit itself contributing 0
            excess = (csum[-1] - csum[above]) - s[ok] * (m - above)
            out[rows[ok], j] = excess / (m - 1)
    gains = out * full * rescale
    return pd.DataFrame(gains, index=card.index, columns=r.indicators)


def safe_filename(name, used: set, limit: int = MAX_NAME) -> str:
    """A file name stem made from a unit id: :func:`workbench.io.safe_filename` (no path tricks,
    control characters or reserved device names), with no spaces, at most ``limit`` characters,
    and not in ``used`` (compared without case, as Windows and macOS file systems do; ``used`` is
    updated)."""
    from ..io import safe_filename as _safe

    stem = _UNSAFE.sub("_", _safe(name, default="unit")).strip("._ ")[:limit].rstrip("._ ") or "unit"
    if stem.lower() in _RESERVED:
        stem = f"unit_{stem}"
    base, k = stem, 2
    while stem.lower() in used:
        suffix = f"_{k}"
        stem = base[: limit - len(suffix)] + suffix
        k += 1
    used.add(stem.lower())
    return stem


def sheet_blocks(b, unit, gains: pd.Series, why: pd.Series, lang: str = "zh", date: str = "") -> list[dict]:
    """The blocks of one unit's feedback sheet (see the module docstring)."""
    from . import document as doc
    from .briefing.text import words

    c, r = b.card, b.rubric
    w = words(b, lang)
    t = lambda key, **kw: text(key, lang, **{**w, **kw})  # noqa: E731
    name = str(b.names.get(unit, unit)) if b.names is not None else str(unit)
    facts = [t("fb_score", value=float(c.final[unit]))]
    if r.grades.bands:
        facts.append(t("fb_grade", grade=c.grade[unit]))
    if b.within:
        group = c.category[unit]
        size = int((c.category == group).sum())
        facts.append(
            t(
                "fb_rank_cat",
                group=group,
                rank=int(c.rank_in_category[unit]),
                n_subj=n_subject(size, r.subject, lang),
            )
        )
    else:
        facts.append(t("fb_rank_all", rank=int(c.rank[unit]), n_subj=n_subject(b.n, r.subject, lang)))
    if why.get("note"):
        facts.append(t("fb_why", reason=why["note"]))
    blocks = [
        {"kind": "title", "text": t("fb_title", name=name, rubric=r.name)},
        {"kind": "bullets", "text": "\n".join(facts), "css": "summary"},
    ]
    points, full, values = c.points.loc[unit], c.full.loc[unit], c.values.loc[unit]
    exempt = points.isna()
    parent = {code: r.nodes[next(iter(r.ancestors(code)[-1:]), code)].name for code in r.indicators}
    # the three items with the most to gain
    top = gains.dropna()
    top = top[top > 1e-9].sort_values(ascending=False, kind="stable").head(3)
    blocks.append({"kind": "heading", "text": t("fb_gains")})
    if len(top):
        frame = pd.DataFrame(
            {
                t("col_item"): [r.nodes[code].name for code in top.index],
                t("col_block"): [parent[code] for code in top.index],
                t("col_full"): full[top.index].to_numpy(),
                t("col_score"): points[top.index].to_numpy(),
                t("col_lost"): (full[top.index] - points[top.index]).to_numpy(),
                t("col_gain"): top.to_numpy(),
            }
        )
        blocks.append(doc.table_block(frame, index=False, digits=_digits(t, 2)))
        blocks.append({"kind": "note", "text": t("fb_gains_note")})
    else:
        blocks.append({"kind": "paragraph", "text": t("fb_no_gains")})
    # points by block
    rows = []
    for blk in r.top_blocks:
        leaves = [code for code in r.indicators if blk in r.ancestors(code) or code == blk]
        avail = float(full[leaves][~exempt[leaves]].sum())
        got = float(c.blocks.at[unit, blk])
        rows.append(
            {
                t("col_block"): r.nodes[blk].name,
                t("col_full"): avail,
                t("col_score"): got,
                t("col_lost"): avail - got,
            }
        )
    blocks.append({"kind": "heading", "text": t("fb_blocks")})
    blocks.append(doc.table_block(pd.DataFrame(rows), index=False, digits=_digits(t, 2)))
    # points by item
    na = t("not_applicable")
    items = pd.DataFrame(
        {
            t("col_block"): [parent[code] for code in r.indicators],
            t("col_item"): [r.nodes[code].name for code in r.indicators],
            t("col_value"): [_value(values[code], r.nodes[code].unit, na) for code in r.indicators],
            t("col_full"): full.to_numpy(),
            t("col_score"): points.to_numpy(),
            t("col_lost"): (full - points).to_numpy(),
        }
    )
    blocks.append({"kind": "heading", "text": t("fb_items")})
    blocks.append(doc.table_block(items, index=False, digits=_digits(t, 2)))
    blocks.append({"kind": "heading", "text": t("fb_adjust")})
    blocks.append({"kind": "bullets", "text": "\n".join(_adjust_lines(b, unit, t)), "css": "rules"})
    return blocks


def _digits(t, d: int) -> dict:
    return {t(k): d for k in ("col_full", "col_score", "col_lost", "col_gain")}


def _value(v, unit, na) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return na
    if isinstance(v, (float, np.floating)):
        v = f"{v:g}"
    return f"{v} {unit}".strip() if unit and unit != "等次" else str(v)


def _adjust_lines(b, unit, t) -> list[str]:
    c, r = b.card, b.rubric
    sep = t("list_sep")
    lines = []
    for key, adj, per, applied in (
        ("fb_bonus", r.bonus, c.bonus_items, c.bonus),
        ("fb_deduction", r.deductions, c.deduction_items, c.deduction),
    ):
        if not adj.items:
            continue
        row = per.loc[unit]
        hits = [f"{it.name} {row[it.code]:g}" for it in adj.items if row[it.code] > 0]
        lines.append(t(key, items=sep.join(hits) or t("fb_none"), points=float(applied[unit])))
    if r.veto:
        hit = [v.name for v in r.veto if c.veto_items.at[unit, v.code]]
        lines.append(t("fb_veto", items=sep.join(hit) or t("fb_none")))
    return lines or [t("fb_none")]


def feedback_files(
    b, folder, *, lang: str = "zh", formats=("html", "pdf"), date: str | None = None
) -> dict[Path, bytes]:
    """Every feedback sheet (HTML and/or PDF) and the index table, rendered in memory.

    File names come from unit ids made safe and unique (:func:`safe_filename`), so every file
    lies directly inside ``folder``.
    """
    from ..io import table_bytes
    from .briefing.reasons import reasons
    from .document import blocks_from_dicts, html_page
    from .fonts import font_face_css
    from .pdf import render_pdf

    folder = Path(folder)
    date = date or _dt.date.today().isoformat()
    c = b.card
    gains = potential_gains(c)
    why = reasons(b, lang)
    used: set = set()
    stems = [safe_filename(u, used) for u in c.index]
    all_blocks = [sheet_blocks(b, u, gains.loc[u], why.loc[u], lang, date) for u in c.index]
    footer = text("fb_footer", lang, rubric=b.rubric.name, date=date)
    # one set of glyphs for every sheet: the HTML font subset and the PDF font are made once
    glyphs = "".join(
        sorted(
            set(footer).union(
                *(
                    bl.get("text", "")
                    + "".join(bl.get("columns", ()))
                    + "".join("".join(r) for r in bl.get("rows", ()))
                    for blocks in all_blocks
                    for bl in blocks
                )
            )
        )
    )
    font_css = font_face_css(glyphs) if "html" in formats else ""
    files: dict[Path, bytes] = {}
    names: list[tuple[str, str, str]] = []
    for unit, stem, blocks in zip(c.index, stems, all_blocks):
        title = blocks[0]["text"]
        html = pdf = ""
        if "html" in formats:
            html = f"{stem}.html"
            page = html_page(blocks, title=title, font_css=font_css, lang=lang)
            files[folder / html] = page.encode("utf-8")
        if "pdf" in formats:
            pdf = f"{stem}.pdf"
            files[folder / pdf] = render_pdf(
                blocks_from_dicts(blocks), title=title, footer=footer, glyphs=glyphs
            )
        names.append((str(unit), html, pdf))
    index = pd.DataFrame(names, columns=["unit", "html", "pdf"]).set_index("unit")
    if b.names is not None:
        index.insert(0, "name", b.names.reindex(index.index).to_numpy())
    files[folder / "index.csv"] = table_bytes(index, ".csv")
    return files


def check_feedback_folder(folder) -> Path:
    """``--feedback`` must name a folder (existing or new), not a file."""
    from ..errors import OutputError

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"--feedback must name a folder; {folder} is a file", file=str(folder))
    return folder


def write_feedback(
    b, folder, *, lang: str = "zh", formats=("html", "pdf"), date: str | None = None
) -> list[Path]:
    """Write one feedback sheet per unit into ``folder`` (HTML and/or PDF) and an index table,
    all or none (:func:`workbench.io.write_files`).

    Returns
    -------
    list of Path  the files written (sheets, then ``index.csv``)
    """
    from ..io import write_files

    folder = check_feedback_folder(folder)
    files = feedback_files(b, folder, lang=lang, formats=formats, date=date)
    return write_files(files, folder=folder)
