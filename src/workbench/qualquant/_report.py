"""qual_vs_quant: reliability, rater effects and qualitative vs quantitative scoring in one report."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .._i18n import _
from .._results import ResultMixin
from ..agreement import GRADE_ORDER, compare_scorings, mix_scorings, rater_effects
from ..agreement import regrade_probability as _regrade
from ..agreement._common import DroppedRatingsWarning
from ..errors import DataError, check_option
from ._panel import panel_fuzzy, panel_scoring, point_table
from ._ratings import as_sheet
from ._reliability import panel_reliability
from ._split import rubric_grade_points, split_scoring
from ._text import OPERATORS, summary_lines

__all__ = ["QualQuantReport", "qual_vs_quant"]


@dataclass(frozen=True, repr=False)
class QualQuantReport(ResultMixin):
    """Everything :func:`qual_vs_quant` found, with the key numbers in :meth:`summary_lines`.

    Attributes
    ----------
    rubric_name, qualitative_source : str
        ``qualitative_source`` is "rubric" (the rubric's qualitative items) or "panel" (the rating
        panel's score): the qualitative scoring compared with the quantitative one.
    scores : DataFrame indexed by unit
        quantitative and qualitative (the two parts of the rubric, 0-100), panel (mean points of
        the raters), fuzzy (crisp score of the fuzzy evaluation), base (the rubric's base score)
        and qual_share (the rubric's own qualitative share for the unit).
    split : SplitScoring
    sheet : RatingSheet
        The ratings, in the data's unit order.
    rating_item : str or None
        Rubric indicator whose grade map gave ``grade_points``.
    grade_points : dict {grade: points}
    reliability : PanelReliability
    effects : RaterEffects
    raters : DataFrame indexed by rater
        Reliability (rest_r, mean_kappa) and effects (leniency in SD, pval, top_share, sd_ratio,
        verdict_zh, verdict_en) side by side.
    comparison : ScoringComparison
        Qualitative (a) vs quantitative (b): rank correlations, transitions, movers, Bland-Altman.
    mix : MixResult
        Mixed scores at each qualitative share (columns), graded by the rubric's bands.
    regrade : RegradeResult or None
        Probability that another panel of the same size gives a different grade to the panel's
        mean points (plain mean of the raters other than the self-rating, graded by ``bands``;
        None without grade bands).
    fuzzy : FuzzyEvaluationResult
        Fuzzy comprehensive evaluation of the raters' grade shares (one row per rater group).
        On ties of the largest membership its ``grade`` is the first, i.e. the worse, grade.
    membership : DataFrame
        Membership degrees R, indexed by (unit, group), columns the grades worst first; pass it to
        :func:`workbench.mcda.fuzzy_evaluation` to try other operators.
    operator : str
    bands : dict {grade: lower bound} or None
    names : Series or None
        Unit names, for sentences and tables.
    notes : tuple of str
    """

    rubric_name: str
    qualitative_source: str
    scores: pd.DataFrame
    split: object
    sheet: object
    rating_item: str | None
    grade_points: dict
    reliability: object
    effects: object
    raters: pd.DataFrame
    comparison: object
    mix: object
    regrade: object
    fuzzy: object
    membership: pd.DataFrame
    operator: str
    bands: dict | None
    names: pd.Series | None
    notes: tuple = ()

    @property
    def qualitative_scores(self) -> pd.Series:
        """The qualitative scoring compared with the quantitative one (``qualitative_source``)."""
        col = "qualitative" if self.qualitative_source == "rubric" else "panel"
        return self.scores[col]

    @property
    def top_grade(self):
        """The best grade of the bands (e.g. 优秀), or None."""
        return max(self.bands, key=self.bands.get) if self.bands else None

    def top_changes(self) -> pd.DataFrame:
        """Units in the top grade at the smallest share but not at the largest ("loses"), or the reverse
        ("gains"), with the share at which each first changes."""
        top = self.mix.top
        first, last = top.iloc[:, 0], top.iloc[:, -1]
        moved = top.index[first != last]
        switch = top.loc[moved].ne(first.loc[moved], axis=0).idxmax(axis=1)
        out = pd.DataFrame(
            {
                "change": np.where(last.loc[moved], "gains", "loses"),
                "from_share": switch.astype(float),
                "qualitative": self.qualitative_scores.loc[moved],
                "quantitative": self.scores.loc[moved, "quantitative"],
            },
            index=moved,
        )
        if self.names is not None:
            out.insert(0, "name", self.names.reindex(moved))
        return out.sort_values(["change", "from_share"], kind="stable")

    def to_frame(self) -> pd.DataFrame:
        frame = self.scores.copy()
        if self.names is not None:
            frame.insert(0, "name", self.names.reindex(frame.index))
        table = self.comparison.table
        for col in ("grade_qualitative", "grade_quantitative", "shift"):
            if col in table.columns:
                frame[col] = table[col].reindex(frame.index)
        if self.regrade is not None:
            frame["p_regrade"] = self.regrade.probability.reindex(frame.index)
        return frame

    def summary_lines(self, lang: str = "zh") -> list[str]:
        """Four to six plain-language sentences with the key numbers (``lang`` "zh" or "en")."""
        check_option(lang, ["zh", "en"], name="lang", func="QualQuantReport.summary_lines")
        return summary_lines(self, lang)

    def _summary_title(self) -> str:
        return _("Qualitative vs quantitative scoring: {rubric}").format(rubric=self.rubric_name)

    def _summary_facts(self) -> dict:
        rel, cmp = self.reliability, self.comparison
        facts = {
            _("qualitative scoring"): self.qualitative_source,
            _("{form} single / panel").format(form=rel.form): f"{rel.single:.3f} / {rel.panel_mean:.3f}",
            _("raters for {target:g}").format(target=rel.target): rel.raters_needed,
            _("Spearman(qual, quant)"): round(cmp.spearman, 3),
        }
        if cmp.n_changed_grade is not None:
            facts[_("units changing grade")] = _("{part} of {total}").format(
                part=cmp.n_changed_grade, total=len(cmp.table)
            )
        if self.regrade is not None:
            facts[_("mean P(other panel, other grade)")] = round(float(self.regrade.probability.mean()), 3)
        facts[_("fuzzy operator")] = self.operator
        for i, note in enumerate(self.notes, 1):
            facts[_("note {i}").format(i=i)] = note
        return facts


def _match_units(sheet, index, func):
    rated = set(sheet.units)
    scored = set(index)
    no_rating = [u for u in index if u not in rated]
    no_data = [u for u in sheet.units if u not in scored]
    if no_rating or no_data:
        parts = []
        if no_rating:
            parts.append(
                _("{n} unit(s) of the data have no row in the rating sheet: {units}").format(
                    n=len(no_rating), units=no_rating[:20]
                )
            )
        if no_data:
            parts.append(
                _("{n} rated unit(s) are not in the data: {units}").format(n=len(no_data), units=no_data[:20])
            )
        raise DataError(
            _("{func}: the rating sheet and the data must cover the same units; {parts}.").format(
                func=func, parts=_("; ").join(parts)
            ),
            file=sheet.source,
            hint=_("check the unit ids of both files, or select the same units from each before calling"),
        )
    labels = None if sheet.labels is None else sheet.labels.reindex(index)
    return replace(sheet, table=sheet.table.reindex(index), labels=labels)


def qual_vs_quant(
    rubric,
    data,
    ratings,
    *,
    qualitative: str = "rubric",
    grade_points=None,
    rating_item: str | None = None,
    groups=None,
    weights=None,
    trim: float = 0.0,
    self_rater=None,
    shares=None,
    bands=None,
    target: float = 0.8,
    form: str = "ICC2",
    operator: str = "weighted_average",
    n_regrade: int = 1000,
    seed=None,
    items=None,
    unit: str | None = None,
    top: int = 10,
) -> QualQuantReport:
    """Qualitative versus quantitative scoring of the same units: reliability, rater effects, who moves.

    Parameters
    ----------
    rubric : Rubric
    data : DataFrame or Scorecard
        The rubric's data, one row per unit (or its Scorecard).
    ratings : RatingSheet or DataFrame of shape (n_units, n_raters)
        A rating panel of the same units (e.g. 民主测评 from :func:`read_ratings`).
    qualitative : {"rubric", "panel"}, default="rubric"
        The qualitative scoring: the rubric's qualitative items (:func:`split_scoring`) or the
        panel's mean points (:func:`panel_scoring`). The quantitative scoring is always the
        rubric's other items.
    grade_points : mapping {grade: points on 0-100} or sequence, optional
        Default: the grade map of the rubric's rated item (``rating_item``, by default the
        grade_map indicator whose grades are the sheet's, preferring source 民主测评), in
        percent of its full marks; for a sheet of numbers, the numbers themselves (0-100).
    rating_item : str, optional
    groups, weights, trim :
        Rater groups, group weights and trimming of :func:`panel_scoring`; groups are also the
        rows of the fuzzy evaluation.
    self_rater : str, optional
        Self-rating column of a DataFrame (a RatingSheet knows its own).
    shares : array of qualitative shares in [0, 1], default=np.linspace(0, 1, 11)
    bands : dict {grade: lower bound}, optional
        Default: the rubric's grade bands (quotas and vetoes are not applied to the mixes);
        ``{}`` or False compares without grades (no transitions and no regrade probability).
    target : float, default=0.8
        Reliability the panel mean should reach.
    form : {"ICC1", "ICC2", "ICC3"}, default="ICC2"
    operator : {"weighted_average", "min_max", "product_max", "min_bounded_sum"}
        Composition operator of the fuzzy evaluation B = W o R.
    n_regrade : int, default=1000
        Simulated panels for the regrade probability.
    seed : int, Generator or None, default=None
    items : sequence of str, optional
        Qualitative indicators of the rubric (default: kind qualitative or source 民主测评/述职/个别谈话).
    unit : str, optional
        Unit id column of ``data``.
    top : int, default=10
        Units listed among the movers.

    Returns
    -------
    QualQuantReport

    Raises
    ------
    DataError
        The rating sheet and the data do not cover the same units (both lists named), unknown grade
        words, a rater without a group.
    SpecError, RubricError
        Bad options; a rubric without qualitative or quantitative items; no grade points.

    References
    ----------
    Shrout & Fleiss (1979); Saal, Downey & Lahey (1980); Bland & Altman (1986); Kelley (1947);
    Zadeh (1965); 汪培庄 (1983). See the functions of :mod:`workbench.agreement` and
    :func:`workbench.mcda.fuzzy_evaluation`.

    Examples
    --------
    >>> report = qual_vs_quant(rubric, data, read_ratings(path, self_rater="SELF"), seed=1)  # doctest: +SKIP
    >>> print("\\n".join(report.summary_lines("en")))  # doctest: +SKIP
    """
    func = "qual_vs_quant"
    check_option(qualitative, ["rubric", "panel"], name="qualitative", func=func)
    check_option(operator, list(OPERATORS), name="operator", func=func)
    split = split_scoring(rubric, data, items=items, unit=unit)
    index = split.card.index
    sheet = _match_units(as_sheet(ratings, self_rater=self_rater, func=func), index, func)
    item = None
    if grade_points is None and sheet.order is not None:
        item, grade_points = rubric_grade_points(rubric, sheet.order, rating_item)
    points, gp = point_table(sheet, grade_points, func=func)
    if gp is None:  # a numeric sheet's own numbers are its points
        gp = {v: v for v in np.unique(points[~np.isnan(points)]).tolist()}
    panel = panel_scoring(sheet, grade_points, groups=groups, weights=weights, trim=trim)
    if bands is None:
        bands = dict(rubric.grades.bands) or None
    elif isinstance(bands, Mapping | bool) and not bands:  # {} or False: compare without grades
        bands = None
    qual = split.qualitative if qualitative == "rubric" else panel
    quant = split.quantitative

    reliability = panel_reliability(sheet, target=target, form=form)
    default_words = sheet.order == tuple(GRADE_ORDER)
    effects = rater_effects(
        sheet.words() if default_words else sheet.table,
        self_rater=sheet.self_rater,
        # rater_effects reads only the default grade words; other words go in as codes, best = K.
        top=None if default_words or sheet.order is None else len(sheet.order),
    )
    keep = ["leniency", "pval", "top_share", "sd_ratio", "verdict_zh", "verdict_en"]
    raters = reliability.raters.join(effects.table[keep])

    names = ("qualitative", "quantitative")
    comparison = compare_scorings(
        qual.rename(names[0]), quant.rename(names[1]), bands=bands, top=top, names=names
    )
    mix = mix_scorings(qual, quant, shares=np.linspace(0, 1, 11) if shares is None else shares, bands=bands)
    regrade = None
    if bands is not None:
        peers = sheet.panel.columns
        frame = pd.DataFrame(points, index=index, columns=sheet.table.columns)[peers]
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=DroppedRatingsWarning)
            regrade = _regrade(frame, bands, n=n_regrade, seed=seed)

    group_of = (
        {c: "测评" for c in sheet.panel.columns} if groups is None else {str(k): v for k, v in groups.items()}
    )
    fuzzy, membership = panel_fuzzy(sheet, group_of, weights, gp, operator)
    scores = pd.DataFrame(
        {
            "quantitative": quant,
            "qualitative": split.qualitative,
            "panel": panel,
            "fuzzy": fuzzy.score,
            "base": split.card.base,
            "qual_share": split.qual_share,
        }
    )
    notes = []
    if reliability.n_complete < reliability.n_units:
        notes.append(
            _(
                "{n} of {total} units miss a rating: ICC, Kendall's W, Fleiss' kappa and the regrade variance "
                "components use the complete units; alpha, panel scores, rater effects and the fuzzy evaluation "
                "use every rating"
            ).format(n=reliability.n_units - reliability.n_complete, total=reliability.n_units)
        )
    unit_names = sheet.names
    if unit_names is None and isinstance(data, pd.DataFrame) and "name" in data.columns:
        unit_names = data["name"].astype(str)
    return QualQuantReport(
        rubric_name=rubric.name,
        qualitative_source=qualitative,
        scores=scores,
        split=split,
        sheet=sheet,
        rating_item=item,
        grade_points=dict(gp),
        reliability=reliability,
        effects=effects,
        raters=raters,
        comparison=comparison,
        mix=mix,
        regrade=regrade,
        fuzzy=fuzzy,
        membership=membership,
        operator=operator,
        bands=bands,
        names=unit_names,
        notes=tuple(notes),
    )
