"""Split a Scorecard into its qualitative and its quantitative part, each on 0-100."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._i18n import _
from .._results import ResultMixin
from ..errors import RubricError, SpecError

__all__ = ["SplitScoring", "split_scoring", "qualitative_items", "rubric_grade_points"]

#: Sources (``source:`` of an indicator) that make an indicator qualitative whatever its ``kind``.
QUALITATIVE_SOURCES = ("民主测评", "述职", "个别谈话")


@dataclass(frozen=True, repr=False)
class SplitScoring(ResultMixin):
    """The qualitative and quantitative parts of a Scorecard, each rescaled to 0-100.

    Attributes
    ----------
    qualitative, quantitative : Series indexed by unit
        100 x points earned on the part / full marks of the part available to the unit
        (exempt items count in neither); NaN if every item of the part is exempt for the unit.
    qual_share : Series indexed by unit
        The part's share of the unit's available full marks: the qualitative share the rubric
        itself applies. ``base = scale/100 x (qual_share x qualitative + (1 - qual_share) x quantitative)``.
    qualitative_items, quantitative_items : tuple of str
    card : Scorecard
        The scoring the parts come from (bonus, deductions and vetoes are in neither part).
    """

    qualitative: pd.Series
    quantitative: pd.Series
    qual_share: pd.Series
    qualitative_items: tuple
    quantitative_items: tuple
    card: object

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "qualitative": self.qualitative,
                "quantitative": self.quantitative,
                "qual_share": self.qual_share,
                "base": self.card.base,
                "grade": self.card.grade,
            }
        )

    def _summary_title(self) -> str:
        return _("Qualitative and quantitative parts of {rubric}").format(rubric=self.card.rubric.name)

    def _summary_facts(self) -> dict:
        return {
            _("qualitative items"): _(", ").join(self.qualitative_items),
            _("quantitative items"): len(self.quantitative_items),
            _("qualitative share (mean)"): float(self.qual_share.mean()),
            _("Spearman(qual, quant)"): float(self.qualitative.corr(self.quantitative, method="spearman")),
        }


def qualitative_items(rubric, items=None) -> list[str]:
    """Codes of the rubric's qualitative indicators: ``kind: qualitative`` or a qualitative source.

    ``items`` (codes) replaces the rule; unknown codes raise a RubricError.
    """
    if items is not None:
        chosen = [items] if isinstance(items, str) else list(items)
        unknown = [c for c in chosen if c not in rubric.indicators]
        if unknown:
            raise RubricError(
                _(
                    "qualitative items {unknown} are not indicators of rubric {code!r}; its "
                    "indicators are {indicators}."
                ).format(unknown=unknown, code=rubric.code, indicators=rubric.indicators[:30]),
                key="items",
            )
        return [c for c in rubric.indicators if c in chosen]
    return [
        c
        for c in rubric.indicators
        if rubric.nodes[c].kind == "qualitative" or (rubric.nodes[c].source or "") in QUALITATIVE_SOURCES
    ]


def split_scoring(rubric, data, *, items=None, unit: str | None = None) -> SplitScoring:
    """The qualitative and the quantitative part of a rubric's scoring, each as a 0-100 score.

    The rubric scores the data once (:func:`workbench.score`); each part is the points the unit
    earned on its items divided by the full marks of those items (the Scorecard's ``points`` and
    ``full``; items exempt for the unit are left out of both), times 100.

    Parameters
    ----------
    rubric : Rubric
    data : DataFrame or Scorecard
        The rubric's data (one row per unit), or a Scorecard already computed from it.
    items : sequence of str, optional
        Codes of the qualitative indicators. Default: indicators of ``kind: qualitative`` or with
        source 民主测评, 述职 or 个别谈话; every other indicator is quantitative.
    unit : str, optional
        Unit id column of ``data`` (passed to :func:`workbench.score`).

    Returns
    -------
    SplitScoring

    Raises
    ------
    RubricError
        The rubric has no qualitative or no quantitative indicator, or ``items`` names unknown codes.

    Examples
    --------
    >>> parts = split_scoring(rubric, data)  # doctest: +SKIP
    >>> parts.to_frame().head()  # doctest: +SKIP
    """
    from ..scoring import Scorecard, score

    card = data if isinstance(data, Scorecard) else score(rubric, data, unit=unit)
    qual = qualitative_items(rubric, items)
    quant = [c for c in rubric.indicators if c not in qual]
    if not qual or not quant:
        empty = "qualitative" if not qual else "quantitative"
        raise RubricError(
            _(
                "rubric {code!r} has no {empty} indicator, so it cannot be split into a "
                "qualitative and a quantitative part (qualitative: kind 'qualitative' or "
                "source in {qualitative_sources})."
            ).format(code=rubric.code, empty=empty, qualitative_sources=list(QUALITATIVE_SOURCES)),
            key="items",
            hint=_("pass items=[codes] naming the qualitative indicators"),
        )
    points = card.points.to_numpy()
    full = np.where(np.isnan(card.shares.to_numpy()), 0.0, card.full.to_numpy())  # exempt: no full marks
    is_qual = np.isin(np.asarray(rubric.indicators, dtype=object), qual)
    earned_q, earned_n = np.nansum(points[:, is_qual], axis=1), np.nansum(points[:, ~is_qual], axis=1)
    full_q, full_n = full[:, is_qual].sum(axis=1), full[:, ~is_qual].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        q = np.where(full_q > 0, 100.0 * earned_q / full_q, np.nan)
        n = np.where(full_n > 0, 100.0 * earned_n / full_n, np.nan)
        share = np.where(full_q + full_n > 0, full_q / (full_q + full_n), np.nan)
    idx = card.index
    return SplitScoring(
        qualitative=pd.Series(q, index=idx, name="qualitative"),
        quantitative=pd.Series(n, index=idx, name="quantitative"),
        qual_share=pd.Series(share, index=idx, name="qual_share"),
        qualitative_items=tuple(qual),
        quantitative_items=tuple(quant),
        card=card,
    )


def rubric_grade_points(rubric, order, item: str | None = None) -> tuple[str, dict]:
    """The rated indicator of a rubric and the points (0-100) its grade map gives each grade word.

    The indicator is ``item`` or, by default, the first ``grade_map`` indicator whose grades
    include every word of ``order``, preferring source 民主测评, then ``kind: qualitative``.
    Points are the share of the indicator's full marks times 100 (e.g. 优秀 5/5 -> 100).
    """
    candidates = [c for c in rubric.indicators if getattr(rubric.nodes[c].rule, "type", None) == "grade_map"]
    if item is not None:
        if item not in candidates:
            raise SpecError(
                _(
                    "The 'rating_item' {item!r} must be a grade_map indicator of rubric {code!r}: "
                    "one of {candidates}."
                ).format(item=item, code=rubric.code, candidates=candidates),
                key="rating_item",
            )
        candidates = [item]
    words = set(order or ())
    fitting = [c for c in candidates if words and words <= set(rubric.nodes[c].rule.grades())]
    if not fitting:
        raise SpecError(
            _(
                "No grade_map indicator of rubric {code!r} scores the grades {order} of "
                "the rating sheet (grade_map indicators: {candidates})."
            ).format(code=rubric.code, order=list(order or []), candidates=candidates),
            key="grade_points",
            hint=_(
                "pass grade_points={grade: points}, e.g. {'优秀': 100, '良好': 80, '一般': 50, '较差': 0}"
            ),
        )
    fitting.sort(key=lambda c: (rubric.nodes[c].source != "民主测评", rubric.nodes[c].kind != "qualitative"))
    code = fitting[0]
    shares = dict(rubric.nodes[code].rule.mapping)
    return code, {g: 100.0 * float(shares[g]) for g in order}
