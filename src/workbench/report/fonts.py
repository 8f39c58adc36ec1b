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

__all__ = ["font_path", "setup_fonts", "font_face_css", "FONT_FAMILY"]

FONT_FAMILY = "Noto Sans CJK SC"
_FILE = "NotoSansCJKsc-Regular.otf"


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
