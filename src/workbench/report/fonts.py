"""Chinese text in charts and exports, from a pip-installed font (no system packages).

The workbench uses Noto Sans CJK SC (SIL Open Font Licence), shipped inside the MIT-licensed
``mplfonts`` wheel. :func:`setup_fonts` registers it with matplotlib once; :func:`font_face_css`
embeds a subset of it in an HTML briefing so the page shows Chinese on machines without CJK fonts,
offline.
"""

from __future__ import annotations

import base64
import functools
import io
from pathlib import Path

__all__ = ["font_path", "setup_fonts", "font_face_css", "pdf_font", "FONT_FAMILY", "PDF_FAMILY"]

FONT_FAMILY = "Noto Sans CJK SC"
PDF_FAMILY = "WorkbenchPDF"  # TrueType subsets of the CJK font, registered for PDF pages
_FILE = "NotoSansCJKsc-Regular.otf"
# drawn by the PDF layout itself (bullets, clipped cells, arrows) whatever the text holds
_PDF_EXTRA = "0123456789.,:;%()[]+-—–−·/…•×→←≥≤～~！？、。，：；（）《》“”‘’%％ "


@functools.lru_cache(maxsize=1)
def font_path() -> Path:
    """Path of the bundled CJK font file.

    Raises
    ------
    FileNotFoundError
        If ``mplfonts`` is not installed (it is a core dependency).
    """
    import importlib.util

    spec = importlib.util.find_spec("mplfonts")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("the 'mplfonts' package (which ships Noto Sans CJK SC) is not installed")
    path = Path(spec.origin).parent / "fonts" / _FILE
    if not path.exists():
        raise FileNotFoundError(f"font file not found: {path}")
    return path


@functools.lru_cache(maxsize=1)
def setup_fonts() -> str:
    """Register the CJK font with matplotlib and make it the default sans-serif font.

    Idempotent; returns the family name. Minus signs use ASCII '-' because CJK fonts lack U+2212.
    """
    import matplotlib
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(font_path()))
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [FONT_FAMILY, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    # Type 42 keeps text as text in PDFs; matplotlib subsets the font itself.
    matplotlib.rcParams["pdf.fonttype"] = 42
    # names from users are text, never TeX: "$^$" would fail to parse and "$5 and $6" turn italic
    matplotlib.rcParams["text.parse_math"] = False
    return FONT_FAMILY


def font_face_css(text: str, family: str = "WorkbenchCJK") -> str:
    """A CSS ``@font-face`` rule embedding the glyphs ``text`` needs (WOFF, base64).

    Subsetting keeps a briefing self-contained and small (tens of kB instead of 16 MB).
    """
    from fontTools import subset

    chars = set(text) | set("0123456789.,:;%()+-—·/ ")
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(font_path()), options)
    sub = subset.Subsetter(options)
    sub.populate(text="".join(sorted(chars)))
    sub.subset(font)
    buf = io.BytesIO()
    subset.save_font(font, buf, options)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return (
        f"@font-face {{ font-family: '{family}'; "
        f"src: url(data:font/woff;base64,{data}) format('woff'); font-display: block; }}"
    )


@functools.lru_cache(maxsize=8)
def _pdf_font_for(chars: str) -> str:
    import tempfile

    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable
    from matplotlib import font_manager

    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    font = subset.load_font(str(font_path()), options)
    sub = subset.Subsetter(options)
    sub.populate(text=chars)
    sub.subset(font)
    # CFF outlines -> quadratic TrueType outlines (fontTools' otf2ttf recipe)
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    for glyph in glyphs.values():
        glyph.recalcBounds(glyf)
    del font["CFF "]
    for table in ("VORG", "GSUB", "GPOS", "GDEF"):
        if table in font:
            del font[table]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 1 if field == "maxZones" else 0)
    maxp.recalc(font)  # points and contours of the new outlines
    maxp.compile(font)
    post = font["post"]
    post.formatType, post.extraNames, post.mapping, post.glyphOrder = 3.0, [], {}, order
    font.sfntVersion = "\x00\x01\x00\x00"
    family = f"{PDF_FAMILY}{len(_REGISTERED)}"
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = family
        elif record.nameID == 6:
            record.string = family.replace(" ", "")
    if not _REGISTERED:
        import atexit

        atexit.register(_remove_registered)
    handle, path = tempfile.mkstemp(prefix="workbench-pdf-font-", suffix=".ttf")
    with open(handle, "wb") as fh:
        font.save(fh)
    _REGISTERED.append(path)
    font_manager.fontManager.addfont(path)
    return family


_REGISTERED: list[str] = []


def _remove_registered() -> None:
    import os

    for path in _REGISTERED:
        try:
            os.unlink(path)
        except OSError:
            pass


def pdf_font(text: str) -> str:
    """A font family (registered with matplotlib) covering ``text`` with TrueType outlines.

    matplotlib embeds fonts in PDFs as TrueType (Type 42); the bundled CJK font has CFF
    outlines, which PDF readers flag as a mismatch ("Mismatch between font type and embedded font
    file"). So PDF pages use a subset of it converted to TrueType outlines: only the characters the
    document needs, which takes well under a second. The same set of characters reuses the font.
    """
    chars = "".join(sorted(set(text) | set(_PDF_EXTRA) | {chr(c) for c in range(32, 127)}))
    return _pdf_font_for(chars)
