"""Display helpers for briefing notebooks: every block shows as HTML and also carries a structured
copy (a JSON MIME bundle) from which the PDF is laid out, so HTML and PDF say the same thing.

In a briefing template::

    from workbench.report import document as doc
    doc.heading("得分、等次与排名")
    doc.paragraph(summary_text)
    doc.table(card.to_frame().head(20), numeric=True)
    doc.figure(fig, caption="...")
"""

from __future__ import annotations

import base64
import html as _html

import pandas as pd

from .pdf import Block

__all__ = [
    "MIME",
    "heading",
    "subheading",
    "paragraph",
    "bullets",
    "note",
    "table",
    "figure",
    "blocks_from_notebook",
]

MIME = "application/vnd.workbench.block+json"


def _show(block: dict, html_text: str) -> None:
    from IPython.display import display

    display({"text/html": html_text, MIME: block, "text/plain": block.get("text", "")}, raw=True)


def heading(text: str) -> None:
    """A section heading (h2)."""
    _show({"kind": "heading", "text": text}, f"<h2>{_html.escape(text)}</h2>")


def subheading(text: str) -> None:
    _show({"kind": "subheading", "text": text}, f"<h3>{_html.escape(text)}</h3>")


def paragraph(text: str, css: str = "") -> None:
    """A paragraph of plain text (escaped; no markup is interpreted)."""
    cls = f" class='{css}'" if css else ""
    _show({"kind": "paragraph", "text": text}, f"<p{cls}>{_html.escape(text)}</p>")


def bullets(items: list[str], css: str = "summary") -> None:
    """A bullet list; ``css='summary'`` renders it as the highlighted summary box."""
    lis = "".join(f"<li>{_html.escape(i)}</li>" for i in items)
    _show({"kind": "bullets", "text": "\n".join(items)}, f"<ul class='{css}'>{lis}</ul>")


def note(text: str) -> None:
    _show({"kind": "note", "text": text}, f"<p class='note'>{_html.escape(text)}</p>")


def _fmt(v) -> str:
    if isinstance(v, float):
        return (
            "" if pd.isna(v) else f"{v:,.4g}" if abs(v) >= 1e4 else f"{v:.4g}" if abs(v) < 1 else f"{v:.1f}"
        )
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    if isinstance(v, bool):
        return "是" if v else ""
    return str(v)


def table(frame: pd.DataFrame, caption: str = "", index: bool = True, max_rows: int | None = None) -> None:
    """A table; cells are formatted once, so HTML and PDF show the same strings."""
    frame = frame if max_rows is None else frame.head(max_rows)
    if index:
        frame = frame.reset_index()
    cols = [str(c) for c in frame.columns]
    rows = [[_fmt(v) for v in rec] for rec in frame.itertuples(index=False, name=None)]
    numeric = [
        pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
        for c in frame.columns
    ]
    head = "".join(
        f"<th class='{'num' if n else 'text'}'>{_html.escape(c)}</th>" for c, n in zip(cols, numeric)
    )
    body = "".join(
        "<tr>"
        + "".join(f"<td class='{'num' if n else 'text'}'>{_html.escape(v)}</td>" for v, n in zip(r, numeric))
        + "</tr>"
        for r in rows
    )
    cap = f"<caption>{_html.escape(caption)}</caption>" if caption else ""
    _show(
        {"kind": "table", "columns": cols, "rows": rows, "numeric": numeric, "caption": caption},
        f"<table class='wb-table'>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>",
    )


def figure(fig, caption: str = "", dpi: int = 110) -> None:
    """A matplotlib figure, embedded as PNG (the figure is closed)."""
    from .plots import figure_png

    png = figure_png(fig, dpi=dpi)
    b64 = base64.b64encode(png).decode("ascii")
    cap = f"<figcaption>{_html.escape(caption)}</figcaption>" if caption else ""
    _show(
        {"kind": "image", "png": b64, "caption": caption},
        f"<figure><img alt='{_html.escape(caption)}' src='data:image/png;base64,{b64}'>{cap}</figure>",
    )


def blocks_from_notebook(nb) -> list[Block]:
    """The structured blocks an executed briefing notebook displayed, in order (for the PDF)."""
    out: list[Block] = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for o in cell.get("outputs", []):
            data = o.get("data", {}) if o.get("output_type") in ("display_data", "execute_result") else {}
            b = data.get(MIME)
            if not b:
                continue
            out.append(
                Block(
                    kind=b["kind"],
                    text=b.get("text", ""),
                    columns=tuple(b.get("columns", ())),
                    rows=tuple(tuple(r) for r in b.get("rows", ())),
                    png=base64.b64decode(b["png"]) if b.get("png") else b"",
                    caption=b.get("caption", ""),
                    numeric=tuple(b.get("numeric", ())),
                )
            )
    return out
