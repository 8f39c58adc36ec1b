"""Rubric slimming: which items can go while the ranking and the grades stay close to the full rubric's.

Seed 000 criticises schemes of 20 to ~100 items as a burden on grassroots units. :func:`slim`
answers it with three questions asked of one scoring:

1. Redundancy: items highly correlated with a sibling in their block, and items that never
   discriminate (nearly every unit at full marks, or a tiny spread of shares).
2. Impact of removing each item: Spearman with the full ranking, grade changes and rank shifts
   when the item's points go to its siblings (weights renormalised within the parent).
3. Search: the largest set of items (or of collection hours) that can go while Spearman stays at
   or above ``min_spearman`` and at most ``max_grade_changes`` units change grade.

References
----------
OECD/JRC (2008) Handbook on Constructing Composite Indicators, section 6 (multivariate analysis:
correlation screening and redundancy) and section 7 (removing indicators, effect on ranks).
Becker, W. et al. (2022) COINr: An R package for developing composite indicators. JOSS 7(78)
(``remove_elements``: the rank change when an indicator is removed).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..errors import DataError, SpecError, check_option
from ._compare import Candidates
from ._result import SlimmingResult
from ._search import Constraints, exact_search, greedy_search

__all__ = ["slim", "item_burden"]


def _check_range(value, name, lo, hi, *, lo_open=False, integer=False):
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
    ok = ok and math.isfinite(float(value)) and (float(value) > lo if lo_open else float(value) >= lo)
    ok = ok and float(value) <= hi and (not integer or float(value) == int(value))
    if not ok:
        what = "an integer" if integer else "a number"
        left = "(" if lo_open else "["
        raise SpecError(
            f"The '{name}' parameter of slim must be {what} in {left}{lo:g}, {hi:g}]. Got {value!r} instead.",
            key=name,
        )
    return int(value) if integer else float(value)


def item_burden(rubric, burden: Mapping | pd.Series | None = None) -> pd.Series:
    """Collection burden (hours per unit) of every indicator, from the rubric or ``burden``.

    Raises
    ------
    DataError
        Naming the items whose burden is missing, negative or not a number.
    """
    codes = rubric.indicators
    values = {c: rubric.nodes[c].burden_hours for c in codes}
    if burden is not None:
        burden = dict(burden.items()) if isinstance(burden, (Mapping, pd.Series)) else None
        if burden is None:
            raise SpecError("The 'burden' parameter of slim must be a mapping code -> hours or a Series.")
        unknown = [c for c in burden if c not in values]
        if unknown:
            raise DataError(
                f"burden names items that are not indicators of {rubric.code!r}: {unknown}", key="burden"
            )
        values.update(burden)
    missing = [c for c, v in values.items() if v is None or (isinstance(v, float) and math.isnan(v))]
    bad = {c: v for c, v in values.items() if c not in missing and not _nonneg(v)}
    if missing or bad:
        parts = []
        if missing:
            parts.append(f"missing for {missing}")
        if bad:
            parts.append(f"negative or not a number for {bad}")
        raise DataError(
            "collection burden (hours per unit) is " + " and ".join(parts),
            key="burden_hours",
            hint="add 'burden_hours' to those items in the rubric file, or pass burden={code: hours}",
        )
    return pd.Series({c: float(values[c]) for c in codes}, name="burden_hours")


def _nonneg(v) -> bool:
    return (
        isinstance(v, (int, float, np.integer, np.floating))
        and not isinstance(v, bool)
        and math.isfinite(v)
        and v >= 0
    )


def slim(
    rubric,
    data,
    *,
    burden: Mapping | pd.Series | None = None,
    min_spearman: float = 0.95,
    max_grade_changes: int = 2,
    max_mean_rank_shift: float | None = None,
    objective: str = "items",
    method: str = "auto",
    candidates=None,
    screen: bool = True,
    exact_max: int = 20,
    corr_threshold: float = 0.9,
    full_share_max: float = 0.9,
    min_share_sd: float = 0.01,
    corr_method: str = "spearman",
    unit: str | None = None,
    weights: Mapping | None = None,
) -> SlimmingResult:
    """Find items that can be dropped or merged while ranks and grades stay close to the full rubric's.

    Parameters
    ----------
    rubric : Rubric
    data : DataFrame (units x columns) or Scorecard
        Unit data as for :func:`workbench.score`, or a scorecard already computed with ``rubric``.
    burden : mapping code -> hours, optional
        Collection effort per unit; by default the rubric's ``burden_hours``.
    min_spearman : float in [-1, 1], default=0.95
        Smallest Spearman correlation with the full rubric's ranking (of final scores) allowed.
    max_grade_changes : int >= 0, default=2
        Most units whose grade may differ from their full-rubric grade.
    max_mean_rank_shift : float >= 0, optional
        Optional bound on the mean absolute rank shift.
    objective : {'items', 'burden'}, default='items'
        Remove as many items as possible, or save as many hours as possible.
    method : {'auto', 'greedy', 'exact'}, default='auto'
        'auto' is exact when there are at most ``exact_max`` candidates, greedy otherwise.
    candidates : list of codes, optional
        Items that may be removed (default every indicator). Items a threshold veto reads always stay.
    screen : bool, default=True
        Drop from the candidates every item whose removal alone already breaks the constraints
        (the exact search is then exact over the screened candidates).
    exact_max : int in [1, 24], default=20
        Largest candidate set searched exactly (2**exact_max subsets at most).
    corr_threshold : float in (0, 1], default=0.9
        Correlation of shares at or above which two items of one block are redundant.
    full_share_max : float in (0, 1], default=0.9
        An item is non-discriminating when more than this share of units get full marks on it...
    min_share_sd : float >= 0, default=0.01
        ...or when the standard deviation of its shares (0..1) is below this.
    corr_method : {'spearman', 'pearson'}, default='spearman'
    unit : str, optional
        Unit id column of ``data``.
    weights : mapping, optional
        Weight overrides passed to :func:`workbench.score`.

    Returns
    -------
    SlimmingResult

    Raises
    ------
    DataError
        Burden missing or negative (naming the items); data that do not fit the rubric.
    SpecError
        A threshold outside its range, an unknown option or candidate code.

    References
    ----------
    OECD/JRC (2008) Handbook on Constructing Composite Indicators: Methodology and User Guide, ch. 6-7.

    Examples
    --------
    >>> res = slim(rubric, data, min_spearman=0.98, max_grade_changes=2)  # doctest: +SKIP
    >>> res.slimmed_rubric()  # doctest: +SKIP
    """
    from ..scoring import Scorecard, score

    min_spearman = _check_range(min_spearman, "min_spearman", -1.0, 1.0)
    max_grade_changes = _check_range(max_grade_changes, "max_grade_changes", 0, math.inf, integer=True)
    if max_mean_rank_shift is not None:
        max_mean_rank_shift = _check_range(max_mean_rank_shift, "max_mean_rank_shift", 0, math.inf)
    exact_max = _check_range(exact_max, "exact_max", 1, 24, integer=True)
    corr_threshold = _check_range(corr_threshold, "corr_threshold", 0, 1, lo_open=True)
    full_share_max = _check_range(full_share_max, "full_share_max", 0, 1, lo_open=True)
    min_share_sd = _check_range(min_share_sd, "min_share_sd", 0, math.inf)
    check_option(objective, ("items", "burden"), name="objective", func="slim")
    check_option(method, ("auto", "greedy", "exact"), name="method", func="slim")
    check_option(corr_method, ("spearman", "pearson"), name="corr_method", func="slim")

    if type(data).__name__ == "IndexResult":  # a composite build: its removal analysis lives elsewhere
        raise SpecError(
            "slim works on rubric scorings (workbench.score); for a composite build use "
            "workbench.analysis.removal_impact(result) and workbench.analysis.correlation_flags(result)",
            key="data",
        )
    hours = item_burden(rubric, burden)
    card = data if isinstance(data, Scorecard) else score(rubric, data, unit=unit, weights=weights)
    rs = Candidates(rubric, card, weights)
    codes = rubric.indicators
    m = len(codes)
    pos = {c: j for j, c in enumerate(codes)}

    shares = pd.DataFrame(card._arrays["shares"], index=card.index, columns=codes)
    redund = _redundancy(rubric, shares, corr_threshold, full_share_max, min_share_sd, corr_method)
    single = rs.evaluate(np.eye(m, dtype=bool)) if m > 1 else None
    cons = Constraints(min_spearman, max_grade_changes, max_mean_rank_shift)

    if candidates is None:
        cand = list(range(m))
    else:
        unknown = [c for c in candidates if c not in pos]
        if unknown:
            raise SpecError(
                f"candidates name codes that are not indicators of {rubric.code!r}: {unknown}",
                key="candidates",
            )
        cand = sorted({pos[c] for c in candidates})
    held = {v.indicator for v in rubric.veto if getattr(v, "indicator", None)}
    cand = [j for j in cand if codes[j] not in held]  # a veto threshold reads them: they stay
    evaluations = m if m > 1 else 0
    if screen and single is not None:
        ok1 = cons.feasible(single)
        cand = [j for j in cand if ok1[j]]
    if m <= 1:
        cand = []
    use_exact = method == "exact" or (method == "auto" and len(cand) <= exact_max)
    if method == "exact" and len(cand) > exact_max:
        raise SpecError(
            f"the exact search over {len(cand)} candidates would try 2**{len(cand)} subsets; at most "
            f"exact_max={exact_max} are allowed. Pass fewer candidates or method='greedy'.",
            key="method",
        )
    h = hours.to_numpy()
    order, steps, ev = greedy_search(rs, cand, h, cons, objective)
    evaluations += ev
    used = "greedy"
    if use_exact and cand:
        best, ev = exact_search(rs, cand, h, cons, objective, order)
        evaluations += ev
        used = "exact"
        if set(best) != set(order):  # an order for the table: least harmful first
            rho1 = single["spearman"][best]
            order = [best[k] for k in np.argsort(-np.nan_to_num(rho1, nan=-2.0), kind="stable")]

    return SlimmingResult.build(
        rubric=rubric,
        card=card,
        rs=rs,
        hours=hours,
        redundancy=redund,
        single=single,
        order=order,
        method=used,
        objective=objective,
        constraints=cons,
        candidates=tuple(codes[j] for j in cand),
        evaluations=evaluations,
        corr_threshold=corr_threshold,
    )


def _redundancy(rubric, shares: pd.DataFrame, corr_threshold, full_share_max, min_share_sd, corr_method):
    """Per-item discrimination statistics, the correlation matrix of shares and redundant sibling pairs."""
    codes = list(shares.columns)
    at_full = (shares >= 1.0 - 1e-9).where(shares.notna())
    full_share = at_full.mean()
    sd = shares.std(ddof=0)
    non_disc = (full_share > full_share_max) | (sd < min_share_sd)
    corr = shares.corr(method=corr_method)
    parent = np.array([rubric.nodes[c].parent for c in codes], dtype=object)
    a = corr.reindex(index=codes, columns=codes).to_numpy()
    same = np.triu(parent[:, None] == parent[None, :], k=1)
    with np.errstate(invalid="ignore"):
        hit = same & np.isfinite(a) & (a >= corr_threshold)
    pairs = [(codes[i], codes[j], float(a[i, j])) for i, j in zip(*np.nonzero(hit))]
    stats = pd.DataFrame(
        {"full_share": full_share, "share_sd": sd, "non_discriminating": non_disc.astype(bool)}, index=codes
    )
    return {"stats": stats, "corr": corr, "pairs": pairs}
