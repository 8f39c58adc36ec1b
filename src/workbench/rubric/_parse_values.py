"""Checks of single values in a rubric file, and the collector of every problem found.

Each check adds a problem (with the key path and, when the YAML gives one, the line) and returns
None instead of raising, so that a file is read to the end and every problem reported at once.
"""

from __future__ import annotations

import difflib
import math
import re

from .._text import bad_characters
from ..errors import Problem

_CODE_RE = re.compile(r"^[^\s.\[\]]+$")
MAX_WEIGHT = 1e15  # larger weights overflow when siblings are summed (1e308 + 1e308 = inf)
# Messages added for untrusted files (issue 12), in one place for the gettext catalogue.
MESSAGES = {
    "control": "'{name}' contains control or direction-changing characters ({chars}): {value!r}",
    "control_hint": "delete them; line breaks and tabs are allowed",
}


class _Ctx:
    """Collects problems; maps key paths to YAML lines."""

    def __init__(self, file: str | None, lines: dict[str, int]):
        self.file, self.lines, self.problems = file, lines, []

    def add(self, key: str, message: str, hint: str | None = None):
        line, k = self.lines.get(key), key
        while line is None and k:  # fall back to the nearest enclosing key that has a line
            k = re.sub(r"(\.[^.\[\]]+|\[\d+\])$", "", k)
            line = self.lines.get(k)
            if not re.search(r"(\.[^.\[\]]+|\[\d+\])$", k):
                break
        text = f"{message} (line {line})" if line else message
        self.problems.append(Problem(text, key=key or "<top>", hint=hint))

    def unknown_keys(self, d: dict, allowed: set, key: str):
        for k in d:
            if k not in allowed:
                guess = difflib.get_close_matches(str(k), sorted(allowed), n=1)
                hint = (
                    f"did you mean '{guess[0]}'?" if guess else f"allowed keys: {', '.join(sorted(allowed))}"
                )
                self.add(f"{key}.{k}" if key else str(k), f"unknown key {k!r}", hint)


def _number(ctx, d, name, key, *, required=False, default=None, minimum=None, positive=False):
    value = d.get(name)
    if value is None:
        value = default
    if value is None:
        if required:
            ctx.add(f"{key}.{name}" if key else name, f"'{name}' is required")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        ctx.add(f"{key}.{name}" if key else name, f"'{name}' must be a finite number; found {value!r}")
        return None
    if positive and value <= 0:
        ctx.add(f"{key}.{name}" if key else name, f"'{name}' must be positive; found {value!r}")
        return None
    if minimum is not None and value < minimum:
        ctx.add(f"{key}.{name}" if key else name, f"'{name}' must be at least {minimum}; found {value!r}")
        return None
    return float(value)


def _text(ctx, d, name, key, *, required=False):
    value = d.get(name)
    if value is None:
        if required:
            ctx.add(f"{key}.{name}" if key else name, f"'{name}' is required")
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        ctx.add(f"{key}.{name}" if key else name, f"'{name}' must be text; found {type(value).__name__}")
        return None
    bad = bad_characters(str(value), allow_newlines=True)
    if bad:  # NUL, ESC, U+202E...: invisible, and they would reach terminals, charts and HTML
        ctx.add(
            f"{key}.{name}" if key else name,
            MESSAGES["control"].format(name=name, chars=", ".join(bad), value=str(value)),
            MESSAGES["control_hint"],
        )
        return None
    return str(value).strip()


def _code(ctx, d, key):
    code = _text(ctx, d, "code", key, required=True)
    if code is not None and not _CODE_RE.match(code):
        ctx.add(f"{key}.code", f"code {code!r} must be non-empty without spaces, dots or brackets")
        return None
    return code
