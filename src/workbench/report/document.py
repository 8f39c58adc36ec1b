"""Display helpers for briefing notebooks: every block shows as HTML and also carries a structured
copy (a JSON MIME bundle) from which the PDF is laid out, so HTML and PDF say the same thing.

In a briefing template::

    from workbench.report import document as doc
    doc.heading("得分、等次与排名")
    doc.paragraph(summary_text)
    doc.table(card.to_frame().head(20), digits={"总分": 2})
    doc.figure(fig, caption="...")

The same blocks render outside a notebook: :func:`block_html` turns one into HTML and
:func:`html_page` makes a self-contained page of several (used by the feedback sheets).
"""

from __future__ import annotations

import base64
import contextlib
import html as _html
import re

import pandas as pd

from .pdf import Block

__all__ = [
    "MIME",
    "capture",
    "title",
    "heading",
    "subheading",
    "paragraph",
    "bullets",
    "note",
    "table",
    "figure",
    "table_block",
    "figure_block",
    "block_html",
    "html_page",
    "blocks_from_notebook",
    "blocks_from_dicts",
]

MIME = "application/vnd.workbench.block+json"
_NUMBER = re.compile(r"^$|^[-+]?[\d,]*\.?\d+%?$|^\d+–\d+$")


_SINKS: list[list] = []  # open capture() blocks


@contextlib.contextmanager
def capture():
    """Collect the blocks displayed inside the ``with`` block instead of displaying them::

    with capture() as blocks:
        heading("要点")
    html_page(blocks, title="...")
    """
    sink: list[dict] = []
    _SINKS.append(sink)
    try:
        yield sink
    finally:
        _SINKS.remove(sink)


def _show(block: dict) -> None:
    if _SINKS:
        _SINKS[-1].append(block)
        return
    from IPython.display import display

    display({"text/html": block_html(block), MIME: block, "text/plain": block.get("text", "")}, raw=True)


def title(text: str) -> None:
    """The briefing's title (h1)."""
    _show({"kind": "title", "text": text})


def heading(text: str) -> None:
    """A section heading (h2)."""
    _show({"kind": "heading", "text": text})


def subheading(text: str) -> None:
    _show({"kind": "subheading", "text": text})


def paragraph(text: str) -> None:
    """A paragraph of plain text (escaped; no markup is interpreted)."""
    _show({"kind": "paragraph", "text": text})


def bullets(items: list[str], css: str = "summary") -> None:
    """A bullet list; ``css='summary'`` renders it as the highlighted summary box."""
    _show({"kind": "bullets", "text": "\n".join(items), "css": css})


def note(text: str) -> None:
    _show({"kind": "note", "text": text})


def _fmt(v, digits: int | None = None) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else ""
    if isinstance(v, float):
        if pd.isna(v):
            return ""
        if digits is not None:
            return f"{v:.{digits}f}"
        return f"{v:,.4g}" if abs(v) >= 1e4 else f"{v:.4g}" if abs(v) < 1 else f"{v:.1f}"
    return str(v)


def table_block(
    frame: pd.DataFrame, caption: str = "", index: bool = True, digits: dict | None = None
) -> dict:
    """A table as a block: cells formatted once (floats to ``digits[column]`` decimals when given),
    so HTML and PDF show the same strings."""
    if index:
        frame = frame.reset_index()
    digits = digits or {}
    cols = [str(c) for c in frame.columns]
    places = [digits.get(c) for c in cols]
    rows = [[_fmt(v, d) for v, d in zip(rec, places)] for rec in frame.itertuples(index=False, name=None)]
    # right-align numbers, also when given as text ("12.5%", "3–7")
    numeric = [
        bool(pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c]))
        or (len(rows) > 0 and all(_NUMBER.match(r[j]) for r in rows))
        for j, c in enumerate(frame.columns)
    ]
    return {"kind": "table", "columns": cols, "rows": rows, "numeric": numeric, "caption": caption}


def table(
    frame: pd.DataFrame,
    caption: str = "",
    index: bool = True,
    max_rows: int | None = None,
    digits: dict | None = None,
) -> None:
    """A table (see :func:`table_block`)."""
    frame = frame if max_rows is None else frame.head(max_rows)
    _show(table_block(frame, caption=caption, index=index, digits=digits))


def figure_block(fig, caption: str = "") -> dict:
    """A matplotlib figure as a block: a PNG at :data:`~workbench.report.plots.DPI` (the figure is
    closed) shown at the figure's own size."""
    from .plots import DPI, figure_png

    width_in = float(fig.get_size_inches()[0])
    png = figure_png(fig, dpi=DPI)
    return {
        "kind": "image",
        "png": base64.b64encode(png).decode("ascii"),
        "caption": caption,
        "dpi": DPI,
        "width_in": width_in,
    }


def figure(fig, caption: str = "") -> None:
    """A matplotlib figure (see :func:`figure_block`)."""
    _show(figure_block(fig, caption))


def block_html(b: dict) -> str:
    """The HTML of one block (every text escaped)."""
    kind, esc = b["kind"], _html.escape
    txt = b.get("text", "")
    if kind == "title":
        return f"<h1>{esc(txt)}</h1>"
    if kind == "heading":
        return f"<h2>{esc(txt)}</h2>"
    if kind == "subheading":
        return f"<h3>{esc(txt)}</h3>"
    if kind == "note":
        return f"<p class='note'>{esc(txt)}</p>"
    if kind == "bullets":
        lis = "".join(f"<li>{esc(i)}</li>" for i in txt.splitlines() if i.strip())
        return f"<ul class='{esc(b.get('css', 'summary'))}'>{lis}</ul>"
    if kind == "table":
        numeric = b.get("numeric") or [False] * len(b["columns"])
        cls = ["num" if n else "text" for n in numeric]
        head = "".join(f"<th class='{c}'>{esc(h)}</th>" for h, c in zip(b["columns"], cls))
        body = "".join(
            "<tr>" + "".join(f"<td class='{c}'>{esc(v)}</td>" for v, c in zip(r, cls)) + "</tr>"
            for r in b["rows"]
        )
        cap = f"<caption>{esc(b['caption'])}</caption>" if b.get("caption") else ""
        return f"<table class='wb-table'>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    if kind == "image":
        width = f" style='width:{b.get('width_in', 8.0) * 96:.0f}px'" if b.get("width_in") else ""
        cap = f"<figcaption>{esc(b['caption'])}</figcaption>" if b.get("caption") else ""
        return (
            f"<figure><img alt='{esc(b.get('caption', ''))}'{width} "
            f"src='data:image/png;base64,{b['png']}'>{cap}</figure>"
        )
    return f"<p>{esc(txt)}</p>"


def html_page(blocks: list[dict], *, title: str, font_css: str = "", lang: str = "zh") -> str:
    """A self-contained HTML page of blocks, styled like a briefing (no script, nothing fetched)."""
    from .export import BRIEFING_CSS

    body = "\n".join(block_html(b) for b in blocks)
    return (
        f"<!DOCTYPE html>\n<html lang='{'en' if lang == 'en' else 'zh-CN'}'><head><meta charset='utf-8'>"
        f"<title>{_html.escape(title)}</title><style>{font_css}\n{BRIEFING_CSS}\n"
        "body { font-family: 'WorkbenchCJK', 'Noto Sans CJK SC', sans-serif; }</style></head>"
        f"<body><main class='jp-RenderedHTMLCommon'>{body}</main></body></html>\n"
    )


def _block(b: dict) -> Block:
    return Block(
        kind=b["kind"],
        text=b.get("text", ""),
        columns=tuple(b.get("columns", ())),
        rows=tuple(tuple(r) for r in b.get("rows", ())),
        png=base64.b64decode(b["png"]) if b.get("png") else b"",
        caption=b.get("caption", ""),
        numeric=tuple(b.get("numeric", ())),
        dpi=float(b.get("dpi", 110)),
    )


def blocks_from_dicts(blocks: list[dict]) -> list[Block]:
    """PDF blocks from block dicts (as :func:`table_block` and :func:`figure_block` make them)."""
    return [_block(b) for b in blocks]


def blocks_from_notebook(nb) -> list[Block]:
    """The structured blocks an executed briefing notebook displayed, in order (for the PDF)."""
    out: list[Block] = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for o in cell.get("outputs", []):
            data = o.get("data", {}) if o.get("output_type") in ("display_data", "execute_result") else {}
            b = data.get(MIME)
            if b:
                out.append(_block(b))
    return out
