"""Comparing two scorings of the same units (e.g. qualitative vs quantitative)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .._i18n import _
from .._results import ResultMixin
from ..errors import DataError, SpecError, WorkbenchWarning
from ._bands import as_bands, grade_scores
from ._common import GRADE_ORDER, DroppedRatingsWarning

__all__ = ["BlandAltman", "ScoringComparison", "compare_scorings"]


@dataclass(frozen=True, repr=False)
class BlandAltman(ResultMixin):
    """Bland-Altman agreement of two scorings on the same scale (difference = a - b).

    Attributes
    ----------
    bias, sd : float
        Mean and SD of the differences.
    loa_low, loa_high : float
        Limits of agreement, bias -+ z * sd (z = 1.96 for 95%).
    slope, slope_pval : float
        Regression of the difference on the mean: a slope far from 0 means proportional bias.
    table : DataFrame indexed by unit with columns mean and diff (for plotting).
    """

    bias: float
    sd: float
    loa_low: float
    loa_high: float
    slope: float
    slope_pval: float
    table: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def _summary_facts(self) -> dict:
        return {_("bias"): self.bias, _("limits of agreement"): f"[{self.loa_low:.4g}, {self.loa_high:.4g}]"}


@dataclass(frozen=True, repr=False)
class ScoringComparison(ResultMixin):
    """Result of :func:`compare_scorings`.

    Attributes
    ----------
    names : tuple of str
    spearman, spearman_pval, kendall_tau, kendall_pval : float
        Rank correlations (Kendall's tau-b).
    mean_abs_rank_shift, max_abs_rank_shift : float
    n_changed_grade : int or None
    table : DataFrame indexed by unit
        Scores, ranks (1 = best, ties share the best rank), ``shift`` = rank under a - rank under b
        (positive: the unit ranks higher under b), grades and ``grade_change`` (positive: better under b).
    transitions : DataFrame or None
        Grade under a (rows) x grade under b (columns), best grade first.
    movers : DataFrame
        The units with the largest absolute rank shift.
    bland_altman : BlandAltman
    """

    names: tuple
    spearman: float
    spearman_pval: float
    kendall_tau: float
    kendall_pval: float
    mean_abs_rank_shift: float
    max_abs_rank_shift: float
    n_changed_grade: int | None
    table: pd.DataFrame
    transitions: pd.DataFrame | None
    movers: pd.DataFrame
    bland_altman: BlandAltman

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def _summary_title(self) -> str:
        return _("Comparing scorings {a!r} and {b!r}").format(a=self.names[0], b=self.names[1])

    def _summary_facts(self) -> dict:
        def corr(value):  # a scoring that gives every unit the same score has no ranking to correlate
            return (
                round(value, 4)
                if np.isfinite(value)
                else _("undefined (a scoring gives every unit the same score)")
            )

        facts = {
            _("units"): len(self.table),
            _("Spearman"): corr(self.spearman),
            _("Kendall tau-b"): corr(self.kendall_tau),
            _("mean |rank shift|"): round(self.mean_abs_rank_shift, 3),
        }
        if self.n_changed_grade is not None:
            facts[_("units changing grade")] = self.n_changed_grade
        return facts


def _as_series(x, name, func):
    if isinstance(x, pd.DataFrame):
        if x.shape[1] != 1:
            raise DataError(
                _("{func} needs '{name}' as one column of scores. Got {n_columns} columns.").format(
                    func=func, name=name, n_columns=x.shape[1]
                )
            )
        x = x.iloc[:, 0]
    if isinstance(x, pd.Series):
        return x
    arr = np.asarray(x)
    if arr.ndim != 1:
        raise DataError(
            _("{func} needs '{name}' as a 1-D sequence of scores. Got shape {shape}.").format(
                func=func, name=name, shape=arr.shape
            )
        )
    return pd.Series(arr)


def _align(a, b, names, func, numeric=(True, True)):
    sa, sb = _as_series(a, names[0], func), _as_series(b, names[1], func)
    if isinstance(a, pd.Series) and isinstance(b, pd.Series):
        if set(sa.index) != set(sb.index):
            only = sorted(map(str, set(sa.index) ^ set(sb.index)))[:10]
            raise DataError(
                _("{func}: '{a}' and '{b}' score different units; in only one of them: {only}.").format(
                    func=func, a=names[0], b=names[1], only=only
                ),
                hint=_("pass scores of the same units (Series with the same index)"),
            )
        sb = sb.reindex(sa.index)
    elif len(sa) != len(sb):
        raise DataError(
            _("{func} needs equally long '{a}' and '{b}'. Got {n_a} and {n_b}.").format(
                func=func, a=names[0], b=names[1], n_a=len(sa), n_b=len(sb)
            )
        )
    else:
        sb = pd.Series(sb.to_numpy(), index=sa.index, name=sb.name)
    out = []
    for s, nm, num in zip((sa, sb), names, numeric):
        if num:
            conv = pd.to_numeric(s, errors="coerce")
            bad = conv.isna() & s.notna()
            if bad.any():
                raise DataError(
                    _("{func}: '{name}' holds non-numeric scores, e.g. {value!r} for unit {unit!r}.").format(
                        func=func, name=nm, value=s[bad].iloc[0], unit=s[bad].index[0]
                    ),
                    hint=_("give grades through bands= or grades=, scores as numbers"),
                )
            s = conv.astype(float)
        out.append(s)
    return out


def _drop_missing(sa, sb, func):
    both = sa.notna() & sb.notna()
    if both.sum() < 2:
        raise DataError(
            _("{func} needs at least 2 units scored by both scorings. Got {n}.").format(
                func=func, n=int(both.sum())
            )
        )
    if not both.all():
        warnings.warn(
            _("{func}: dropped {dropped} of {total} units missing a score.").format(
                func=func, dropped=int((~both).sum()), total=len(both)
            ),
            DroppedRatingsWarning,
            stacklevel=3,
        )
    return sa[both], sb[both]


def _grade_order(values):
    present = [v for v in pd.unique(np.asarray(values, dtype=object)) if v is not None and v == v]
    if all(isinstance(v, str) and v in GRADE_ORDER for v in present):
        return list(reversed(GRADE_ORDER))
    try:
        return sorted(present)
    except TypeError:
        return sorted(present, key=str)


def compare_scorings(a, b, bands=None, *, grades=None, top: int = 10, names=None, confidence: float = 0.95):
    """Compare two scorings of the same units: rank agreement, grade transitions, movers, Bland-Altman.

    Parameters
    ----------
    a, b : Series or array of shape (n_units,)
        Scores of the same units (e.g. qualitative and quantitative); Series are matched by index.
        Units missing either score are dropped with a warning.
    bands : dict {grade: lower bound}, optional
        E.g. ``{"优秀": 90, "良好": 80, "一般": 60, "较差": 0}``; grades both scorings.
    grades : pair of Series or arrays, optional
        Grades under a and under b given directly (instead of ``bands``).
    top : int, default=10
        Number of units listed in ``movers``.
    names : pair of str, optional
        Names of the scorings; default the Series names, else "a" and "b".
    confidence : float, default=0.95
        Coverage of the Bland-Altman limits of agreement.

    Returns
    -------
    ScoringComparison

    References
    ----------
    Kendall, M.G. (1945). The treatment of ties in ranking problems. Biometrika 33(3), 239-251.
    Bland, J.M. & Altman, D.G. (1986). Statistical methods for assessing agreement between two
    methods of clinical measurement. The Lancet 327(8476), 307-310.

    Examples
    --------
    >>> res = compare_scorings([95, 85, 70, 50], [88, 91, 65, 55], bands={"优秀": 90, "良好": 80, "一般": 60, "较差": 0})
    >>> res.n_changed_grade, round(res.spearman, 2)
    (2, 0.8)
    """
    if bands is not None and grades is not None:
        raise SpecError(_("compare_scorings takes either 'bands' or 'grades', not both."))
    default = [getattr(a, "name", None) or "a", getattr(b, "name", None) or "b"]
    names = tuple(str(n) for n in (names or default))
    if len(names) != 2 or names[0] == names[1]:
        names = (f"{names[0]}_a", f"{names[-1]}_b") if len(names) == 2 else ("a", "b")
    sa, sb = _align(a, b, names, "compare_scorings")
    if grades is not None:
        if len(grades) != 2:
            raise SpecError(
                _("The 'grades' parameter of compare_scorings must be a pair (grades_a, grades_b).")
            )
        ga, gb = _align(grades[0], grades[1], ("grades_a", "grades_b"), "compare_scorings", (False, False))
        ga.index, gb.index = sa.index, sa.index
    sa, sb = _drop_missing(sa, sb, "compare_scorings")
    rank_a = sa.rank(ascending=False, method="min")
    rank_b = sb.rank(ascending=False, method="min")
    shift = rank_a - rank_b
    table = pd.DataFrame(
        {names[0]: sa, names[1]: sb, f"rank_{names[0]}": rank_a, f"rank_{names[1]}": rank_b, "shift": shift}
    )
    transitions = n_changed = None
    if bands is not None or grades is not None:
        if bands is not None:
            bd = as_bands(bands, func="compare_scorings")
            order = list(reversed(bd.names))
            ga = pd.Series(
                bd.labels(grade_scores(bd, sa.to_numpy(), func="compare_scorings")), index=sa.index
            )
            gb = pd.Series(
                bd.labels(grade_scores(bd, sb.to_numpy(), func="compare_scorings")), index=sa.index
            )
        else:
            ga, gb = ga.loc[sa.index], gb.loc[sa.index]
            order = _grade_order(pd.concat([ga, gb]))
        position = {g: len(order) - i for i, g in enumerate(order)}  # higher = better
        table[f"grade_{names[0]}"], table[f"grade_{names[1]}"] = ga, gb
        table["grade_change"] = gb.map(position) - ga.map(position)
        transitions = (
            pd.crosstab(ga, gb).reindex(index=order, columns=order, fill_value=0).fillna(0).astype(int)
        )
        transitions.index.name, transitions.columns.name = names[0], names[1]
        n_changed = int((ga != gb).sum())

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", stats.ConstantInputWarning)
        rho = stats.spearmanr(sa, sb)
        tau = stats.kendalltau(sa, sb)
    if not (np.isfinite(rho.statistic) and np.isfinite(tau.statistic)):
        warnings.warn(
            _(
                "compare_scorings: a scoring gives every unit the same score, so the rank "
                "correlations are NaN."
            ),
            WorkbenchWarning,
            stacklevel=2,
        )
    order_movers = shift.abs().sort_values(ascending=False, kind="stable").index[: max(int(top), 0)]
    movers = table.loc[order_movers]

    diff, mean = sa - sb, (sa + sb) / 2
    bias, sd = float(diff.mean()), float(diff.std(ddof=1))
    z = stats.norm.ppf(1 - (1 - confidence) / 2)
    if mean.nunique() > 1:
        fit = stats.linregress(mean.to_numpy(), diff.to_numpy())
        slope, slope_p = float(fit.slope), float(fit.pvalue)
    else:
        slope, slope_p = np.nan, np.nan
    ba = BlandAltman(
        bias, sd, bias - z * sd, bias + z * sd, slope, slope_p, pd.DataFrame({"mean": mean, "diff": diff})
    )
    return ScoringComparison(
        names=names,
        spearman=float(rho.statistic),
        spearman_pval=float(rho.pvalue),
        kendall_tau=float(tau.statistic),
        kendall_pval=float(tau.pvalue),
        mean_abs_rank_shift=float(shift.abs().mean()),
        max_abs_rank_shift=float(shift.abs().max()),
        n_changed_grade=n_changed,
        table=table,
        transitions=transitions,
        movers=movers,
        bland_altman=ba,
    )
