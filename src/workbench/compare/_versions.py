"""Two rubric versions on the same units: who moves, who crosses a grade or quota line, and why.

:func:`compare_versions` scores one table under an old and a new rubric and lines the results up
per unit: score, rank and grade under each, the lines crossed (grade band, quota, veto), and the
items that made the difference. The difference is exact: every unit's final score is split into
one term per item (its points, rescaled as the rubric rescales exempt items and weighted as the
scheme weights the rubric total), bonus, deduction and the scheme's other score, so the changes of
the terms add up to the change of the final score.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._i18n import _
from .._results import ResultMixin
from ._labels import reason_labels
from ._rubric_diff import RubricDiff, diff_rubrics

__all__ = ["VersionComparison", "compare_versions", "score_terms"]

_BONUS, _DEDUCTION, _OTHER = "__bonus__", "__deduction__", "__other__"


def score_terms(card) -> pd.DataFrame:
    """Split each unit's final score into additive terms: one per indicator, bonus, deduction, other.

    Parameters
    ----------
    card : Scorecard

    Returns
    -------
    DataFrame (units x terms)
        Indicator columns by code, then ``__bonus__``, ``__deduction__`` (negative) and
        ``__other__`` (the scheme's other-score term); each row sums to ``card.final``.

    Notes
    -----
    final = a * total + b with (a, b) = (1, 0) for a single score, (w 100 / scale,
    (1 - w) other 100 / other_scale) for a weighted scheme, (other / scale, 0) for the
    multiplicative one and (1, other) for dual-100; total = sum_j points_j scale / available +
    bonus - deduction, where available is the full marks of the items that apply to the unit.
    """
    r = card.rubric
    avail = card.available.to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rescale = np.where(avail > 0, r.scale / avail, 0.0)
    s = r.scheme
    n = len(card.index)
    other = None if card.other is None else card.other.to_numpy(dtype=float)
    if s.type == "weighted":
        a, b = (
            np.full(n, s.party_weight * 100.0 / r.scale),
            (1 - s.party_weight) * other * 100.0 / s.other_scale,
        )
    elif s.type == "multiplicative":
        a, b = other / r.scale, np.zeros(n)
    elif s.type == "dual100":
        a, b = np.ones(n), other
    else:
        a, b = np.ones(n), np.zeros(n)
    pts = card.points.fillna(0.0).to_numpy() * (rescale * a)[:, None]
    terms = pd.DataFrame(pts, index=card.index, columns=list(r.indicators))
    terms[_BONUS] = card.bonus.to_numpy() * a
    terms[_DEDUCTION] = -card.deduction.to_numpy() * a
    terms[_OTHER] = b
    return terms


@dataclass(frozen=True, repr=False)
class VersionComparison(ResultMixin):
    """The same units scored under two rubric versions.

    Attributes
    ----------
    diff : RubricDiff  what changed in the rubric
    old, new : Scorecard
    units : DataFrame
        Per unit: ``name`` (when the data has names), ``category``, ``score_old``, ``score_new``,
        ``score_change``, ``rank_old``, ``rank_new``, ``rank_change`` (old - new: positive = up),
        ``grade_old``, ``grade_new``, ``grade_change`` (grade steps, positive = up), ``band_crossed``
        (the score band changed), ``quota_crossed`` (the quota moves it down in one version only),
        ``veto_changed``, ``reason`` (why the grade changed: band, quota, veto, other; or a line
        crossed that the quota cancels) and
        ``drivers`` (the items whose change moved the score most, with their points).
    contributions : DataFrame (units x terms)
        Change of each term of the final score (see :func:`score_terms`); rows sum to
        ``score_change``.
    weights : DataFrame
        Per top block: ``name``, ``nominal_old``, ``nominal_new`` (share of the scale) and
        ``effective_old``, ``effective_new`` (share of the differences between units that the
        block carries, from :func:`workbench.sensitivity.importance`).
    """

    diff: RubricDiff
    old: object
    new: object
    units: pd.DataFrame
    contributions: pd.DataFrame
    weights: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.units

    def movers(self) -> pd.DataFrame:
        """Units whose grade changed or that crossed a band or quota line, biggest moves first."""
        u = self.units
        mask = (u["grade_change"] != 0) | u["band_crossed"] | u["quota_crossed"] | u["veto_changed"]
        out = u.loc[mask]
        return out.iloc[np.argsort(-out["score_change"].abs().to_numpy(), kind="stable")]

    def _summary_title(self) -> str:
        return _("Rubric {old} → {new} on {n} units").format(
            old=self.diff.old_code, new=self.diff.new_code, n=len(self.units)
        )

    def _summary_facts(self) -> dict:
        u = self.units
        return {
            _("rubric changes"): len(self.diff.changes),
            _("grade up"): int((u["grade_change"] > 0).sum()),
            _("grade down"): int((u["grade_change"] < 0).sum()),
            _("rank changed"): int((u["rank_change"] != 0).sum()),
            _("rank correlation (Spearman)"): round(float(self.rank_correlation()), 4),
        }

    def rank_correlation(self) -> float:
        """Spearman correlation of the two rankings (1 = same order)."""
        u = self.units
        return float(u["rank_old"].rank().corr(u["rank_new"].rank()))


def compare_versions(
    old, new, data: pd.DataFrame, *, unit: str | None = None, top: int = 3
) -> VersionComparison:
    """Score ``data`` under rubric versions ``old`` and ``new`` and explain the differences.

    Parameters
    ----------
    old, new : Rubric
    data : DataFrame
        One row per unit with the columns both rubrics need (as :func:`workbench.read_table`
        returns it); never modified.
    unit : str, optional
        Unit id column, when the ids are a column rather than the index.
    top : int, default=3
        How many items to name as the drivers of each unit's change.

    Returns
    -------
    VersionComparison

    Raises
    ------
    DataError
        When the data do not fit one of the rubrics (the message names which).

    References
    ----------
    Paruolo, P., Saisana, M. & Saltelli, A. (2013) Ratings and rankings: voodoo or science?
    JRSS A 176(3):609-634 (nominal vs effective weights).

    Examples
    --------
    >>> cmp = compare_versions(rubric, rubric, data)  # doctest: +SKIP
    >>> int((cmp.units["rank_change"] != 0).sum())  # doctest: +SKIP
    0
    """
    from ..io import unit_names
    from ..scoring import score

    card_old = score(old, data, unit=unit)
    card_new = score(new, data, unit=unit)
    diff = diff_rubrics(old, new)
    t_old, t_new = score_terms(card_old), score_terms(card_new)
    recoded = {o: n for n, o in diff.recoded.items()}
    t_old = t_old.rename(columns=recoded)
    cols = list(dict.fromkeys([*t_new.columns[:-3], *t_old.columns[:-3], _BONUS, _DEDUCTION, _OTHER]))
    delta = t_new.reindex(columns=cols, fill_value=0.0) - t_old.reindex(columns=cols, fill_value=0.0)
    names = {
        c: (new.nodes[c].name if c in new.nodes else old.nodes[recoded_back(diff, c)].name) for c in cols[:-3]
    }
    names.update(
        {_BONUS: _("bonus"), _DEDUCTION: _("deduction"), _OTHER: new.scheme.other_name or _("other score")}
    )

    units = pd.DataFrame(index=card_new.index)
    labels = unit_names(data) if unit is None else unit_names(data.set_index(unit))
    if labels is not None:
        units["name"] = labels.reindex(card_new.index).to_numpy()
    if card_new.category is not None:
        units["category"] = card_new.category
    units["score_old"], units["score_new"] = card_old.final, card_new.final
    units["score_change"] = card_new.final - card_old.final
    units["rank_old"], units["rank_new"] = card_old.rank, card_new.rank
    units["rank_change"] = card_old.rank - card_new.rank
    g_old, g_new = _grade_index(card_old), _grade_index(card_new)
    units["grade_old"], units["grade_new"] = card_old.grade.astype(object), card_new.grade.astype(object)
    units["grade_change"] = g_old - g_new
    units["band_crossed"] = (
        card_old.grade_band.astype(object).to_numpy() != card_new.grade_band.astype(object).to_numpy()
    )
    units["quota_crossed"] = card_old.demoted.to_numpy() != card_new.demoted.to_numpy()
    units["veto_changed"] = card_old.vetoed.to_numpy() != card_new.vetoed.to_numpy()
    same = units["grade_change"] == 0
    reason = np.select(
        [same & units["band_crossed"] & units["quota_crossed"], same, units["veto_changed"],
         units["band_crossed"], units["quota_crossed"]],
        ["held", "", "veto", "band", "quota"],
        "other",
    )  # fmt: skip
    text = reason_labels()
    units["reason"] = [text[r] for r in reason]
    units["drivers"] = _drivers(delta, names, top)
    weights = _weights(old, new, data, unit)
    return VersionComparison(diff, card_old, card_new, units, delta.rename(columns=names), weights)


def recoded_back(diff: RubricDiff, code: str) -> str:
    """The old code of a node (its own code unless it was recoded)."""
    return diff.recoded.get(code, code)


def _grade_index(card) -> np.ndarray:
    if not card.rubric.grades.bands:
        return np.zeros(len(card.index), dtype=int)
    return card.grade.cat.codes.to_numpy().astype(int)


def _drivers(delta: pd.DataFrame, names: dict, top: int) -> list[str]:
    """The ``top`` terms with the largest absolute change per unit, as 'name +1.23' (whole arrays)."""
    x = delta.to_numpy()
    order = np.argsort(-np.abs(x), axis=1, kind="stable")[:, :top]
    picked = np.take_along_axis(x, order, axis=1)
    labels = np.array([names[c] for c in delta.columns], dtype=object)
    out = []
    for row_idx, row_val in zip(order, picked):  # top (3) entries per unit: formatting only
        parts = [f"{labels[j]} {v:+.2f}" for j, v in zip(row_idx, row_val) if abs(v) >= 0.005]
        out.append("；".join(parts))
    return out


def _weights(old, new, data, unit) -> pd.DataFrame:
    """Nominal and effective weights of the top blocks under each version."""
    from ..errors import WorkbenchError
    from ..sensitivity import importance

    frames = {}
    for tag, r in (("old", old), ("new", new)):
        eff = r.effective_weights()
        nominal = pd.Series({c: float(eff[c]) for c in r.top_blocks})
        try:
            table = importance(r, data, level="top", unit=unit).table
            effective = table["effective"].reindex(nominal.index)
        except WorkbenchError:  # too few units or a constant score: the effective weight is undefined
            effective = pd.Series(np.nan, index=nominal.index)
        frames[tag] = pd.DataFrame({f"nominal_{tag}": nominal, f"effective_{tag}": effective})
    out = frames["old"].join(frames["new"], how="outer")
    out.insert(0, "name", [new.nodes[c].name if c in new.nodes else old.nodes[c].name for c in out.index])
    order = [c for c in new.top_blocks] + [c for c in old.top_blocks if c not in new.nodes]
    out = out.reindex([c for c in order if c in out.index])
    return out[["name", "nominal_old", "nominal_new", "effective_old", "effective_new"]]
