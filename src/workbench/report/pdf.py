"""A small PDF layout engine for briefings, on matplotlib alone (no LaTeX, no browser).

A briefing is a list of blocks — headings, paragraphs, bullet lists, tables and images — laid out
on A4 pages with the bundled CJK font, which matplotlib embeds (Type 42, subset), so Chinese text
renders and stays searchable in any PDF viewer after a plain pip install.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, field

import numpy as np

from .fonts import setup_fonts

__all__ = ["Block", "render_pdf", "text_width_em", "wrap_text"]

PAGE_W, PAGE_H = 8.27, 11.69  # A4, inches
MARGIN = 0.75
CONTENT_W = PAGE_W - 2 * MARGIN
PT = 1 / 72  # inches per point
ACCENT = "#8b1a1a"


@dataclass(frozen=True)
class Block:
    """One element of a briefing.

    kind : 'title' | 'heading' | 'subheading' | 'paragraph' | 'bullets' | 'table' | 'image' | 'note'
    text : heading or paragraph text; for 'bullets', one item per line
    columns, rows : table header and cells (strings)
    png : image bytes
    caption : shown under tables and images
    """

    kind: str
    text: str = ""
    columns: tuple = ()
    rows: tuple = ()
    png: bytes = b""
    caption: str = ""
    numeric: tuple = field(default=())  # per column: right-align
    dpi: float = 110.0  # resolution the image was rendered at (its size on the page follows)


def _char_em(ch: str) -> float:
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    if ch in "il.,;:'|!":
        return 0.3
    if ch.isupper() or ch in "mw%@":
        return 0.7
    return 0.55


def text_width_em(text: str) -> float:
    """Approximate width of ``text`` in em (CJK characters are one em wide)."""
    return sum(_char_em(c) for c in text)


def wrap_text(text: str, width_em: float) -> list[str]:
    """Wrap text to lines of at most ``width_em``; breaks at spaces for Latin text and between
    any two CJK characters (Chinese has no spaces between words), but never before closing
    punctuation (a line does not start with '，' or '。': it overhangs the margin instead)."""
    lines: list[str] = []
    for para in text.split("\n"):
        line, w = "", 0.0
        tokens = _tokens(para)
        for tok in tokens:
            tw = text_width_em(tok)
            if w + tw > width_em and line.strip() and tok not in _NO_LINE_START:
                lines.append(line.rstrip())
                line, w = ("" if tok == " " else tok), (0.0 if tok == " " else tw)
            else:
                line += tok
                w += tw
        lines.append(line.rstrip())
    return lines


_NO_LINE_START = frozenset("，。、；：？！）》」』”’%％,.;:?!)]…")


def _tokens(text: str) -> list[str]:
    """Latin words stay whole; CJK characters and punctuation are single tokens."""
    out, word = [], ""
    for ch in text:
        wide = unicodedata.east_asian_width(ch) in ("W", "F")
        if ch == " " or wide:
            if word:
                out.append(word)
                word = ""
            out.append(ch)
        else:
            word += ch
    if word:
        out.append(word)
    return out


class _Pager:
    """Keeps the current page and the vertical cursor (inches from the top)."""

    def __init__(self, pdf, footer: str):
        import matplotlib.pyplot as plt

        self.plt, self.pdf, self.footer = plt, pdf, footer
        self.page_no = 0
        self.fig = None
        self.y = 0.0
        self.pending: list[Block] = []  # images that float to the top of the next page
        self.new_page()

    def new_page(self):
        if self.fig is not None:
            self.finish()
        self.fig = self.plt.figure(figsize=(PAGE_W, PAGE_H))
        self.page_no += 1
        self.y = MARGIN
        while self.pending:
            _place_image(self, self.pending.pop(0))

    def finish(self):
        self.fig.text(MARGIN / PAGE_W, 0.4 / PAGE_H, self.footer, fontsize=7, color="#888888")
        self.fig.text(
            1 - MARGIN / PAGE_W, 0.4 / PAGE_H, str(self.page_no), fontsize=7, color="#888888", ha="right"
        )
        self.pdf.savefig(self.fig)
        self.plt.close(self.fig)

    def room(self, height: float) -> None:
        if self.y + height > PAGE_H - MARGIN:
            self.new_page()

    def text(self, x_in: float, text: str, size: float, fontweight: str = "normal", **kw):
        x, y = x_in / PAGE_W, 1 - self.y / PAGE_H
        if fontweight == "bold":
            # the bundled CJK font has one weight: bold is a thin outline in the text colour drawn
            # behind the text (as a path), so the text itself stays text (searchable, copyable)
            from matplotlib import patheffects

            colour = kw.get("color", "#222222")
            outline = [patheffects.Stroke(linewidth=size * 0.045, foreground=colour)]
            self.fig.text(x, y, text, fontsize=size, va="top", path_effects=outline, **kw)
        self.fig.text(x, y, text, fontsize=size, va="top", **kw)


def _lines(p: _Pager, text: str, size: float, indent: float = 0.0, color="#222222", weight="normal"):
    width_em = (CONTENT_W - indent) / (size * PT)
    lh = size * PT * 1.55
    for line in wrap_text(text, width_em):
        p.room(lh)
        p.text(MARGIN + indent, line, size, color=color, fontweight=weight)
        p.y += lh


def _table(p: _Pager, b: Block):
    cols = [str(c) for c in b.columns]
    rows = [[str(v) for v in r] for r in b.rows]
    k = len(cols)
    if k == 0:
        return
    numeric = list(b.numeric) + [False] * (k - len(b.numeric))
    natural = np.array(
        [max([text_width_em(c) for c in [cols[j]] + [r[j] for r in rows[:200]]] + [1.5]) for j in range(k)]
    )
    widths = np.minimum(natural, 18.0) + 1.2  # padding; long text wraps within its column
    size = 8.0
    while widths.sum() * size * PT > CONTENT_W and size > 6.0:
        size -= 0.5
    room_em = CONTENT_W / (size * PT)
    capped = natural + 1.2 > widths
    if capped.any() and widths.sum() < room_em:
        # spare width goes to the long text columns (a reason, a note), so they wrap less
        extra = np.where(capped, natural + 1.2 - widths, 0.0)
        widths = widths + extra * min(1.0, (room_em - widths.sum()) / extra.sum())
    scale = min(1.0, room_em / widths.sum())
    col_w = widths * size * PT * scale
    x = MARGIN + np.concatenate([[0.0], np.cumsum(col_w)[:-1]])
    lh = size * PT * 1.7  # a row of one line
    line_h = size * PT * 1.3  # each further line of a wrapped cell

    def header():
        p.room(lh * 2)
        p.fig.patches.append(_rect(p, MARGIN, p.y - 0.02, col_w.sum(), lh, "#f0ebe3"))
        for j, c in enumerate(cols):
            _cell(p, x[j], col_w[j], c, size, numeric[j], bold=True)
        p.y += lh

    header()
    for r in rows:
        # text cells wrap within their column (numbers never do)
        lines = [
            [v] if numeric[j] else wrap_text(v, col_w[j] / (size * PT) - 0.6) or [""] for j, v in enumerate(r)
        ]
        height = lh + line_h * (max(len(c) for c in lines) - 1)
        if p.y + height > PAGE_H - MARGIN:
            p.new_page()
            header()
        top = p.y
        for j, cell in enumerate(lines):
            for i, line in enumerate(cell):
                p.y = top + i * line_h
                _cell(p, x[j], col_w[j], line, size, numeric[j])
        p.y = top
        p.fig.lines.append(_hline(p, MARGIN, MARGIN + col_w.sum(), p.y + height - 0.03))
        p.y += height
    if b.caption:
        p.y += 0.05
        _lines(p, b.caption, 7.5, color="#666666")
    p.y += 0.12


def _cell(p, x0, w, text, size, right, bold=False):
    max_em = w / (size * PT) - 0.6
    if text_width_em(text) > max_em:  # clip with an ellipsis rather than overflow the column
        while text and text_width_em(text + "…") > max_em:
            text = text[:-1]
        text += "…"
    pad = 0.3 * size * PT
    xx = x0 + w - pad if right else x0 + pad
    p.text(
        xx,
        text,
        size,
        ha="right" if right else "left",
        fontweight="bold" if bold else "normal",
        color="#222222",
    )


def _rect(p, x_in, y_in, w_in, h_in, colour):
    from matplotlib.patches import Rectangle

    return Rectangle(
        (x_in / PAGE_W, 1 - (y_in + h_in) / PAGE_H),
        w_in / PAGE_W,
        h_in / PAGE_H,
        transform=p.fig.transFigure,
        facecolor=colour,
        edgecolor="none",
        zorder=-1,
    )


def _hline(p, x0, x1, y_in, colour="#dddddd"):
    from matplotlib.lines import Line2D

    return Line2D(
        [x0 / PAGE_W, x1 / PAGE_W], [1 - y_in / PAGE_H] * 2, transform=p.fig.transFigure, color=colour, lw=0.5
    )


def _image_size(b: Block):
    import matplotlib.image as mpimg

    img = mpimg.imread(io.BytesIO(b.png), format="png")
    h_px, w_px = img.shape[:2]
    w = min(CONTENT_W, w_px / (b.dpi or 110.0))
    h = w * h_px / w_px
    max_h = PAGE_H - 2 * MARGIN - 0.4
    if h > max_h:
        h, w = max_h, max_h * w_px / h_px
    return img, w, h


def _image(p: _Pager, b: Block):
    """An image where it stands; if it does not fit, shrunk a little, or else floated to the top of
    the next page while the text after it fills this one (no half-empty page)."""
    if p.pending:  # keep figures in order
        p.pending.append(b)
        return
    _, w, h = _image_size(b)
    left = PAGE_H - MARGIN - p.y - 0.15
    if h > left and left < max(2.5, 0.7 * h):
        p.pending.append(b)
        return
    _place_image(p, b)


def _place_image(p: _Pager, b: Block):
    img, w, h = _image_size(b)
    left = PAGE_H - MARGIN - p.y - 0.15
    if h > left:
        h, w = left, w * left / h
    ax = p.fig.add_axes(
        [(MARGIN + (CONTENT_W - w) / 2) / PAGE_W, 1 - (p.y + h) / PAGE_H, w / PAGE_W, h / PAGE_H]
    )
    ax.imshow(img, interpolation="lanczos")
    ax.set_axis_off()
    p.y += h + 0.08
    if b.caption:
        _lines(p, b.caption, 7.5, color="#666666")
    p.y += 0.1


def render_pdf(blocks: list[Block], *, title: str = "", footer: str = "", glyphs: str = "") -> bytes:
    """Lay out ``blocks`` on A4 pages and return the PDF bytes.

    ``glyphs``: characters to include in the embedded font besides the document's own; documents
    rendered with the same superset (a batch of feedback sheets) share one converted font.
    """
    setup_fonts()
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.backends.backend_pdf import PdfPages

    from .fonts import pdf_font

    text = (
        glyphs
        + title
        + footer
        + "".join(
            b.text + b.caption + "".join(b.columns) + "".join("".join(r) for r in b.rows) for b in blocks
        )
    )
    buf = io.BytesIO()
    family = pdf_font(text)
    with (
        matplotlib.rc_context({"font.sans-serif": [family, "DejaVu Sans"]}),
        PdfPages(buf, metadata={"Title": title, "Creator": "indicator-design workbench"}) as pdf,
    ):
        p = _Pager(pdf, footer)
        for b in blocks:
            if b.kind == "title":
                _lines(p, b.text, 18, color=ACCENT, weight="bold")
                p.fig.lines.append(_hline(p, MARGIN, PAGE_W - MARGIN, p.y + 0.02, ACCENT))
                p.y += 0.2
            elif b.kind == "heading":
                p.room(0.9)  # keep a heading with what follows
                p.y += 0.12
                _lines(p, b.text, 13, color=ACCENT, weight="bold")
                p.y += 0.04
            elif b.kind == "subheading":
                p.room(0.7)
                p.y += 0.06
                _lines(p, b.text, 11, weight="bold")
            elif b.kind == "bullets":
                for item in b.text.splitlines():
                    if item.strip():
                        _lines(p, "• " + item.strip(), 10, indent=0.15)
                p.y += 0.08
            elif b.kind == "note":
                _lines(p, b.text, 8, color="#666666")
                p.y += 0.06
            elif b.kind == "table":
                _table(p, b)
            elif b.kind == "image":
                _image(p, b)
            else:
                _lines(p, b.text, 10)
                p.y += 0.1
        if p.pending:  # figures still floating: they get the next page
            p.new_page()
        p.finish()
    return buf.getvalue()
