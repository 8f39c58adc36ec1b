"""Orders of categories: the default grade words and checks of an explicit worst-first order."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._i18n import _
from ..errors import SpecError

__all__ = ["GRADE_ORDER", "KNOWN_SCALES", "check_order"]

#: Default grade words, worst to best (较差 < 一般 < 良好 < 优秀).
GRADE_ORDER = ("较差", "一般", "良好", "优秀")

# Grade scales in common use, worst first. An explicit order that puts two words of one of these
# scales the other way round is almost surely a mistake (best-first lists are the usual slip),
# so :func:`check_order` refuses it instead of silently reversing ordinal statistics.
KNOWN_SCALES = (
    GRADE_ORDER,
    ("差", "中", "良", "优"),
    ("差", "较差", "一般", "较好", "好"),
    ("不合格", "基本合格", "合格", "良好", "优秀"),
    ("不称职", "基本称职", "称职", "优秀"),
)


def _as_number(v) -> float | None:
    if isinstance(v, (bool, np.bool_)):
        return None
    try:
        x = float(str(v).strip()) if isinstance(v, str) else float(v)
    except (TypeError, ValueError):
        return None
    return x if np.isfinite(x) else None


def check_order(order, *, func: str, name: str = "order") -> tuple[list[str], np.ndarray | None]:
    """Validate an explicit worst-first order of categories; return (words, numeric codes or None).

    Raises SpecError when the order is empty or repeats a category, when it puts grade words of a
    known scale (较差 < 一般 < 良好 < 优秀, 差 < 中 < 良 < 优, 不合格 < 基本合格 < 合格, ...) the
    other way round, or when it lists numeric codes out of increasing order: numbers keep their
    values, so an order can confirm their order but not change it. Every offending pair is named.
    """
    if isinstance(order, str) or not isinstance(order, Sequence | np.ndarray | pd.Index):
        raise SpecError(
            _(
                "The '{name}' parameter of {func} must be a sequence of categories, worst "
                "first. Got {order!r}."
            ).format(name=name, func=func, order=order),
            key=name,
        )
    items = list(order)
    words = [str(w).strip() for w in items]
    if not words or len(set(words)) != len(words):
        dup = sorted({w for w in words if words.count(w) > 1})
        raise SpecError(
            (
                _(
                    "The '{name}' parameter of {func} must list distinct categories, worst first. Got {items}; "
                    "repeated: {dup}."
                )
                if dup
                else _(
                    "The '{name}' parameter of {func} must list distinct categories, worst first. Got {items}."
                )
            ).format(name=name, func=func, items=items, dup=dup),
            key=name,
        )
    numbers = [_as_number(v) for v in items]
    bad = []
    for scale in KNOWN_SCALES:
        rank = {w: i for i, w in enumerate(scale)}
        seq = [w for w in words if w in rank and _as_number(w) is None]
        bad += [
            (a, b) for i, a in enumerate(seq) for b in seq[i + 1 :] if rank[a] > rank[b] and (a, b) not in bad
        ]
    if bad:
        pairs = _(", ").join(_("{a!r} before {b!r}").format(a=a, b=b) for a, b in bad)
        fits = [scale for scale in KNOWN_SCALES if set(words) <= set(scale)]
        example = [w for w in fits[0] if w in words] if fits else list(GRADE_ORDER)
        raise SpecError(
            _(
                "The '{name}' parameter of {func} lists categories worst first, but it puts "
                "better grades before worse ones: {pairs}. Got {items}."
            ).format(name=name, func=func, pairs=pairs, items=items),
            key=name,
            hint=_("list the grades from worst to best, e.g. {example}").format(example=example),
        )
    codes = None
    if any(x is not None for x in numbers):
        codes = np.array([x for x in numbers if x is not None])
        down = [(a, b) for a, b in zip(codes[:-1], codes[1:]) if b <= a]
        if down:
            pairs = _(", ").join(_("{a:g} before {b:g}").format(a=a, b=b) for a, b in down)
            raise SpecError(
                _(
                    "The '{name}' parameter of {func} lists numeric codes out of increasing order "
                    "({pairs}); numbers keep their values, so ordinal statistics order them as "
                    "numbers. Got {items}."
                ).format(name=name, func=func, pairs=pairs, items=items),
                key=name,
                hint=_(
                    "recode the numbers first (e.g. ratings.replace({3: 1, 1: 3})) or list them in "
                    "increasing order"
                ),
            )
    return words, codes
