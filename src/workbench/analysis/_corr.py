"""Correlations within and across levels, and flags for redundant or negatively correlated
components of the same parent (COINr ``get_corr``, ``get_corr_flags``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._i18n import _
from ..errors import SpecError, check_option
from ._common import AnalysisResult, blocks, check_build

__all__ = ["correlations", "correlation_flags"]


def _codes_at(rubric, level):
    levels = rubric.levels()
    valid = sorted(set(levels.tolist()))
    if level not in valid:
        raise SpecError(
            _("The 'level' of the rubric must be one of {valid}. Got {level!r} instead.").format(
                valid=valid, level=level
            ),
            key="level",
        )
    return [c for c in rubric.nodes if levels[c] == level]


def _corr(data: pd.DataFrame, a, b, method):
    both = list(dict.fromkeys(list(a) + list(b)))
    return data[both].corr(method=method).loc[a, b]


def correlations(result, level_a=1, level_b=None, *, method="pearson", within="all") -> AnalysisResult:
    """Correlations between the codes of one level and those of another (or the same) level.

    Parameters
    ----------
    result : IndexResult
        Correlations of ``result.scores`` (normalised indicators and aggregates), pairwise
        complete observations.
    level_a, level_b : int, default=1, level_a
        Levels of the rows and columns (1 = indicators).
    method : {"pearson", "spearman", "kendall"}, default="pearson"
    within : {"all", "parent", "family"}, default="all"
        ``"parent"`` keeps pairs with the same parent; ``"family"`` keeps pairs where one code is an
        ancestor of the other (an indicator with its pillar, sub-index and index); others are NaN.

    Returns
    -------
    AnalysisResult
        ``table``: the correlation matrix (codes of ``level_a`` x codes of ``level_b``).

    References
    ----------
    OECD/JRC (2008). Handbook on Constructing Composite Indicators, step 4 (multivariate analysis).
    """
    check_build(result, "correlations")
    check_option(method, ["pearson", "spearman", "kendall"], name="method", func="correlations")
    check_option(within, ["all", "parent", "family"], name="within", func="correlations")
    r = result.rubric
    level_b = level_a if level_b is None else level_b
    a, b = _codes_at(r, level_a), _codes_at(r, level_b)
    m = _corr(result.scores, a, b, method)
    if within != "all":
        keep = np.zeros(m.shape, dtype=bool)
        for i, x in enumerate(a):
            for j, y in enumerate(b):
                if within == "parent":
                    keep[i, j] = r.parent(x) == r.parent(y)
                else:
                    keep[i, j] = x == y or y in r.ancestors(x) + [r.root] or x in r.ancestors(y) + [r.root]
        m = m.where(keep)
    facts = {"method": method, "levels": f"{level_a} x {level_b}", "within": within}
    return AnalysisResult(table=m, kind="correlations", facts=facts)


def correlation_flags(result, *, level=1, high=0.9, low=-0.4, method="pearson") -> AnalysisResult:
    """Pairs of components of the same parent that are redundant (r > high) or negatively
    correlated (r < low).

    Parameters
    ----------
    result : IndexResult
    level : int, default=1
        Level of the components (1 = indicators within their pillars).
    high, low : float, default=0.9, -0.4
    method : {"pearson", "spearman", "kendall"}, default="pearson"

    Returns
    -------
    AnalysisResult
        ``table`` of flagged pairs: parent, code_a, code_b, r, flag (``"redundant"`` or
        ``"negative"``); ``extra["pairs"]`` has every pair within a parent.

    References
    ----------
    Becker, W. et al. (2022). COINr: An R package for developing composite indicators. JOSS 7(78).
    """
    check_build(result, "correlation_flags")
    check_option(method, ["pearson", "spearman", "kendall"], name="method", func="correlation_flags")
    r = result.rubric
    codes = set(_codes_at(r, level))
    rows = []
    for parent, kids in blocks(r).items():
        kids = [k for k in kids if k in codes]
        if len(kids) < 2:
            continue
        m = result.scores[kids].corr(method=method).to_numpy()
        for i in range(len(kids)):
            for j in range(i + 1, len(kids)):
                rows.append({"parent": parent, "code_a": kids[i], "code_b": kids[j], "r": m[i, j]})
    pairs = pd.DataFrame(rows, columns=["parent", "code_a", "code_b", "r"])
    pairs["flag"] = np.select([pairs["r"] > high, pairs["r"] < low], ["redundant", "negative"], default="")
    flagged = pairs[pairs["flag"] != ""].reset_index(drop=True)
    facts = {
        "level": level,
        "pairs": len(pairs),
        "redundant": int((pairs["flag"] == "redundant").sum()),
        "negative": int((pairs["flag"] == "negative").sum()),
        "high": high,
        "low": low,
    }
    return AnalysisResult(table=flagged, kind="correlation_flags", facts=facts, extra={"pairs": pairs})
