"""Text from untrusted files: normal forms for ids and labels, characters that must not pass.

- :func:`normalise_key` is what unit ids and category labels are compared by: Unicode NFKC
  (full-width ``００１`` and ``Ｕ1`` become ``001`` and ``U1``), zero-width characters removed,
  runs of whitespace collapsed and ends stripped. Two cells that differ only in these ways name
  the same unit, so a file that has both is refused (look-alike duplicates).
- :func:`bad_characters` finds control characters (NUL, ESC...) and bidirectional overrides
  (U+202E turns ``exe.txt`` into ``txt.exe`` on screen) in names; loaders refuse them with the
  row and column, so they never reach a terminal, an HTML page or a chart.
- :func:`printable` escapes such characters in a message printed to a terminal.

References
----------
Unicode Standard Annex #15, "Unicode Normalization Forms" (NFKC);
Boucher, N. and Anderson, R. (2023) "Trojan Source: Invisible Vulnerabilities", USENIX Security.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

__all__ = [
    "normalise_key",
    "normalise_keys",
    "bad_characters",
    "bad_cells",
    "printable",
    "ZERO_WIDTH",
    "BIDI",
]

MESSAGES = {
    "bad_char": "{what} {value!r} contains {chars}, which cannot be shown safely",
    "bad_char_hint": "delete the character (it is invisible in most editors) and save again",
}

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# embeddings, overrides and isolates (Trojan Source) plus the implicit marks
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_ZW_RE = re.compile(f"[{ZERO_WIDTH}]")
_SPACE_RE = re.compile(r"\s+")
# C0 and C1 controls (tab and line feed allowed where ``allow`` says) and the bidi controls
_BAD_RE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI}]")
_BAD_ANY_RE = re.compile(f"[\x00-\x1f\x7f-\x9f{BIDI}]")


def normalise_key(value) -> str:
    """The form an id or label is compared by: NFKC, no zero-width characters, single spaces.

    >>> normalise_key("００１"), normalise_key(" Ｕ1\\u200b "), normalise_key("党政  综合部门 ")
    ('001', 'U1', '党政 综合部门')
    """
    s = unicodedata.normalize("NFKC", str(value))
    return _SPACE_RE.sub(" ", _ZW_RE.sub("", s)).strip()


def normalise_keys(values: pd.Series) -> pd.Series:
    """:func:`normalise_key` over a column (missing cells stay missing, as NaN).

    ASCII text without runs of whitespace only needs stripping (NFKC leaves ASCII alone), which
    pandas does on the whole column at once; only the other cells go through
    :func:`normalise_key`, once per distinct value.
    """
    text = values.astype("str")
    simple = text.str.isascii() & ~text.str.contains(r"\s\s|[^\S ]", regex=True)
    out = text.str.strip()
    hard = (~simple.fillna(False).astype(bool) & values.notna()).to_numpy()
    if hard.any():
        out = out.astype(object)
        codes, uniques = pd.factorize(text[hard])
        out[hard] = np.array([normalise_key(u) for u in uniques], dtype=object)[codes]
    return out.rename(values.name)


def bad_characters(text: str, *, allow_newlines: bool = False) -> list[str]:
    """The control and bidirectional characters in ``text`` as ``U+XXXX`` names (empty if none)."""
    found = (_BAD_RE if allow_newlines else _BAD_ANY_RE).findall(str(text))
    return sorted({f"U+{ord(c):04X}" for c in found})


def bad_cells(values: pd.Series) -> np.ndarray:
    """Mask of the text cells of a column that hold control or bidirectional characters."""
    text = values.astype("str")
    return text.str.contains(_BAD_ANY_RE.pattern, regex=True).fillna(False).to_numpy(dtype=bool)


def printable(text: str) -> str:
    """``text`` with control and bidirectional characters shown as escapes (line feeds kept)."""
    return _BAD_RE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), str(text))
