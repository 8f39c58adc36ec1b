"""Reliability of a panel of raters: intraclass correlations and Krippendorff's alpha."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from scipy import sparse, stats

from .._i18n import _, use_language
from ..errors import DataError, SpecError, WorkbenchWarning, check_option
from ._common import as_ratings, complete_cases, drop_empty_raters, two_way_anova
from ._scalar import ScalarResult

__all__ = ["AlphaResult", "icc", "krippendorff_alpha"]

ICC_INDEX = ["ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"]
ICC_DESCRIPTION = {
    "ICC1": "one-way random, single rater",
    "ICC2": "two-way random, absolute agreement, single rater",
    "ICC3": "two-way mixed, consistency, single rater",
    "ICC1k": "one-way random, mean of k raters",
    "ICC2k": "two-way random, absolute agreement, mean of k raters",
    "ICC3k": "two-way mixed, consistency, mean of k raters",
}


def icc(ratings, *, confidence: float = 0.95) -> pd.DataFrame:
    """Intraclass correlations ICC1, ICC2, ICC3 and their k-rater means (Shrout & Fleiss 1979).

    Parameters
    ----------
    ratings : DataFrame or array of shape (n_units, n_raters)
        Numbers or grade words (encoded with :func:`encode_grades`); NaN = missing. The ANOVA forms
        need complete cases: units with a missing rating are dropped with a warning.
    confidence : float, default=0.95
        Level of the confidence intervals.

    Returns
    -------
    DataFrame indexed ICC1, ICC2, ICC3, ICC1k, ICC2k, ICC3k with columns icc, F, df1, df2, pval,
    ci_low, ci_high. ``attrs`` holds ``n_units``, ``n_raters``, ``n_dropped``, a description
    of each form, and ``note`` / ``note_zh`` (None unless the ICCs are undefined). All ratings
    identical: agreement is undefined, not zero; every ICC is NaN (0/0) so that programs can test
    for it, ``attrs["note"]`` reads "undefined (all ratings identical: ...)" (``note_zh``:
    "无定义（所有评分相同…）") and a WorkbenchWarning says so.

    Raises
    ------
    DataError
        Fewer than 2 raters, fewer than 2 complete units, or a rater column without any rating
        (named; the ICC needs every rater on every unit, so the column is not silently dropped).

    Notes
    -----
    F tests and intervals as in McGraw & Wong (1996) and R ``psych::ICC``: exact F-based
    intervals for the one-way and consistency forms, Satterthwaite's approximate df for the
    absolute-agreement form (ICC2), and the Spearman-Brown step-up of those bounds for ICC2k.

    References
    ----------
    Shrout, P.E. & Fleiss, J.L. (1979). Intraclass correlations: uses in assessing rater
    reliability. Psychological Bulletin 86(2), 420-428.
    McGraw, K.O. & Wong, S.P. (1996). Forming inferences about some intraclass correlation
    coefficients. Psychological Methods 1(1), 30-46.

    Examples
    --------
    >>> x = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
    >>> round(float(icc(x).loc["ICC3", "icc"]), 2)
    0.71
    """
    if not 0 < confidence < 1:
        raise SpecError(
            _("The 'confidence' parameter of icc must be in (0, 1). Got {confidence!r} instead.").format(
                confidence=confidence
            )
        )
    full = as_ratings(ratings, func="icc")
    r = complete_cases(full, func="icc")
    a = two_way_anova(r.values)
    n, k, msr, msc, mse, msw = a["n"], a["k"], a["msr"], a["msc"], a["mse"], a["msw"]
    out = pd.DataFrame(
        index=pd.Index(ICC_INDEX), columns=["icc", "F", "df1", "df2", "pval", "ci_low", "ci_high"]
    )
    out.attrs.update(n_units=n, n_raters=k, n_dropped=len(full.units) - n, description=dict(ICC_DESCRIPTION))
    out.attrs.update(note=None, note_zh=None)
    if msr == 0 and msw == 0:
        value = r.values.flat[0]
        warnings.warn(
            _(
                "icc: all ratings are identical (every rating of the {n} complete units is "
                "{value:g}), so there is no variance between or within units and every ICC is "
                "undefined (0/0). The table holds NaN; attrs['note'] says why. Agreement "
                "cannot be judged from these ratings."
            ).format(n=n, value=value),
            WorkbenchWarning,
            stacklevel=2,
        )
        # The note in both languages, whatever the language of the moment (two keys programs read).
        for key, lang in (("note", "en"), ("note_zh", "zh")):
            with use_language(lang):
                out.attrs[key] = _(
                    "undefined (all ratings identical: every rating is {value:g}; ICC = 0/0)"
                ).format(value=value)
        out[:] = np.nan
        out[["df1", "df2"]] = [[n - 1, n * (k - 1)], *[[n - 1, (n - 1) * (k - 1)]] * 2] * 2
        return out.astype(float)

    with np.errstate(divide="ignore", invalid="ignore"):
        est = [
            (msr - msw) / (msr + (k - 1) * msw),
            (msr - mse) / (msr + (k - 1) * mse + k * (msc - mse) / n),
            (msr - mse) / (msr + (k - 1) * mse),
            (msr - msw) / msr,
            (msr - mse) / (msr + (msc - mse) / n),
            (msr - mse) / msr,
        ]
        f_one, f_two = np.float64(msr) / msw, np.float64(msr) / mse
        df1, df_one, df_two = n - 1, n * (k - 1), (n - 1) * (k - 1)
        q = 1 - (1 - confidence) / 2
        # Exact intervals from the F distribution (McGraw & Wong 1996, cases 1 and 3).
        f1_lo, f1_hi = f_one / stats.f.ppf(q, df1, df_one), f_one * stats.f.ppf(q, df_one, df1)
        f3_lo, f3_hi = f_two / stats.f.ppf(q, df1, df_two), f_two * stats.f.ppf(q, df_two, df1)

        def single(f):  # ICC bound from an F bound; an infinite F (no error) bounds at 1
            return np.where(np.isinf(f), 1.0, (f - 1) / (f + k - 1))

        def mean_k(f):
            return 1 - 1 / f

        # Absolute agreement: Satterthwaite's approximate denominator df (McGraw & Wong 1996, case 2A).
        icc2 = est[1]
        fj = msc / mse if mse > 0 else (0.0 if msc == 0 else np.inf)
        if np.isinf(fj):
            v = k - 1.0  # limit of the Satterthwaite df as the residual vanishes
        else:
            base = n * (1 + (k - 1) * icc2) - k * icc2
            v = (k - 1) * (n - 1) * (k * icc2 * fj + base) ** 2 / ((n - 1) * k**2 * icc2**2 * fj**2 + base**2)
        f2_hi, f2_lo = stats.f.ppf(q, n - 1, v), stats.f.ppf(q, v, n - 1)
        denom = k * msc + (k * n - k - n) * mse
        l2 = n * (msr - f2_hi * mse) / (f2_hi * denom + n * msr)
        u2 = n * (f2_lo * msr - mse) / (denom + n * f2_lo * msr)

        lows = [single(f1_lo), l2, single(f3_lo), mean_k(f1_lo), l2 * k / (1 + l2 * (k - 1)), mean_k(f3_lo)]
        highs = [single(f1_hi), u2, single(f3_hi), mean_k(f1_hi), u2 * k / (1 + u2 * (k - 1)), mean_k(f3_hi)]
        p_one, p_two = stats.f.sf(f_one, df1, df_one), stats.f.sf(f_two, df1, df_two)
    out["icc"] = np.asarray(est, dtype=float)
    out["F"] = [f_one, f_two, f_two, f_one, f_two, f_two]
    out["df1"] = float(df1)
    out["df2"] = [float(d) for d in (df_one, df_two, df_two, df_one, df_two, df_two)]
    out["pval"] = [p_one, p_two, p_two, p_one, p_two, p_two]
    out["ci_low"] = np.asarray(lows, dtype=float)
    out["ci_high"] = np.asarray(highs, dtype=float)
    return out.astype(float)


@dataclass(frozen=True, eq=False, repr=False)
class AlphaResult(ScalarResult):
    """Krippendorff's alpha; the object is the float ``alpha`` and carries the details.

    Attributes
    ----------
    alpha : float
    level : str
    d_observed, d_expected : float
        Observed and expected disagreement (alpha = 1 - d_observed / d_expected).
    n_units : int
        Units with at least two ratings (pairable).
    n_pairable : int
        Ratings in those units.
    coincidence : DataFrame or None
        Coincidence matrix o_ck (values x values), kept when there are at most 30 distinct values;
        built on first access from ``coincidence_counts`` and ``coincidence_labels`` (the
        categories: words, or the distinct values), since a table costs more than the whole
        statistic on a small panel.
    """

    alpha: float
    level: str
    d_observed: float
    d_expected: float
    n_units: int
    n_pairable: int
    coincidence_counts: np.ndarray | None = None
    coincidence_labels: tuple | np.ndarray | None = None

    @cached_property
    def coincidence(self) -> pd.DataFrame | None:
        if self.coincidence_counts is None:
            return None
        names = self.coincidence_labels
        if isinstance(names, np.ndarray) and np.all(names == np.round(names)):
            names = names.astype(int)
        return pd.DataFrame(self.coincidence_counts, index=pd.Index(names), columns=pd.Index(names))

    def _summary_title(self) -> str:
        return _("Krippendorff's alpha ({level}) = {alpha}").format(
            level=self.level, alpha=self._value_text(self.alpha)
        )


def _delta_pairs(a, b, level):
    if level == "nominal":
        return (a != b).astype(float)
    if level == "ratio":  # ((a - b) / (a + b))^2; ratings are >= 0, so a + b = 0 only where a = b = 0
        s = a + b
        s[s == 0] = 1.0  # there a - b = 0, and 0 / 1 = 0 is the metric's value
        d = (a - b) / s
        return d * d
    return (a - b) ** 2


def _value_codes(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values and each rating's code (as ``np.unique(v, return_inverse=True)``).

    A small panel sorts (fewest numpy calls); integer scores on a large one skip the sort.
    """
    if v.size <= 4096:
        s = np.sort(v)
        first = np.empty(s.size, dtype=bool)
        first[0] = True
        np.not_equal(s[1:], s[:-1], out=first[1:])
        values = s[first]
        return values, np.searchsorted(values, v)
    lo, hi = v.min(), v.max()
    if hi - lo <= 100_000 and (v == np.floor(v)).all():
        offset = (v - lo).astype(np.intp)
        present = np.bincount(offset, minlength=int(hi - lo) + 1) > 0
        code_of = np.cumsum(present) - 1
        return np.flatnonzero(present) + lo, code_of[offset]
    return np.unique(v, return_inverse=True)


def _coincidences(unit_idx, codes, w, n_units, n_values):
    """Nonzero cells (row, col, o_ck) of the coincidence matrix N^T diag(w) N minus self-pairs.

    With few categories (dense path) the full matrix comes back as well, else None.
    """
    if n_values <= 32:  # few categories: a dense units x values count matrix is cheapest
        counts = np.bincount(unit_idx * n_values + codes, minlength=n_units * n_values).reshape(
            n_units, n_values
        )
        weighted = counts * w[:, None]
        dense = weighted.T @ counts
        dense.flat[:: n_values + 1] -= weighted.sum(axis=0)
        row, col = np.nonzero(dense)
        return row, col, dense[row, col], dense
    counts = sparse.csr_array((np.ones(codes.size), (unit_idx, codes)), shape=(n_units, n_values))
    weighted = counts.multiply(w[:, None]).tocsr()
    coo = (weighted.T @ counts).tocoo()
    self_pairs = np.asarray(weighted.sum(axis=0)).ravel()
    return coo.row, coo.col, coo.data - np.where(coo.row == coo.col, self_pairs[coo.row], 0.0), None


def krippendorff_alpha(ratings, level: str = "nominal", *, order=None) -> AlphaResult:
    """Krippendorff's alpha for any number of raters, with missing ratings.

    Parameters
    ----------
    ratings : DataFrame or array of shape (n_units, n_raters)
        NaN = missing. Grade words are read as ordered codes (:func:`encode_grades`); for
        ``level="nominal"`` any words are accepted as unordered categories.
    level : {"nominal", "ordinal", "interval", "ratio"}, default="nominal"
        Metric of the disagreement function delta.
    order : sequence, optional
        The categories worst first, for words that are not the default grade words (e.g.
        ``["不合格", "基本合格", "合格"]``); word ``order[i]`` gets code ``i + 1``. Numeric codes
        may be listed too, in increasing order; then every number in the table must be listed.

    Returns
    -------
    AlphaResult
        A float (the alpha) with details. When every pairable rating is the same value (no
        expected disagreement) alpha is undefined: the float is NaN for programs, a warning is
        issued, and the printed result reads "undefined (all ratings identical)".

    Raises
    ------
    DataError
        No unit has two or more ratings, the table is not 2-D with >= 2 raters (rater columns
        without any rating are dropped with a WorkbenchWarning naming them: alpha allows missing
        ratings, and an empty column adds no pair), or a word (or, with numeric ``order``, a number)
        is not in the order (each cell named).
    SpecError
        ``order`` repeats a category, puts grade words of a known scale the wrong way round (e.g.
        best first) or lists numeric codes out of increasing order; the offending pairs are named.

    Notes
    -----
    Built on the coincidence matrix o_ck = sum_u n_uc n_uk / (m_u - 1) (diagonal without
    self-pairs), formed as a sparse product N^T W N of the units x values count matrix N, so the
    cost grows with the number of ratings, not with units x values. Observed disagreement uses the
    nonzero cells of o; expected disagreement uses its margins n_c (closed forms for the nominal,
    interval and ordinal metrics; the ordinal metric equals the interval metric on the values'
    mid-ranks (sum_{g<c} n_g + n_c / 2)).

    References
    ----------
    Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg School for
    Communication Departmental Papers 43. Hayes, A.F. & Krippendorff, K. (2007). Communication
    Methods and Measures 1(1), 77-89.

    Examples
    --------
    >>> round(float(krippendorff_alpha([[1, 1], [2, 2], [3, 3], [1, 2]], level="interval")), 3)
    0.821
    """
    check_option(level, ["nominal", "ordinal", "interval", "ratio"], name="level", func="krippendorff_alpha")
    r = as_ratings(
        ratings, func="krippendorff_alpha", words="nominal" if level == "nominal" else "grades", order=order
    )
    r = drop_empty_raters(r, func="krippendorff_alpha")
    x = r.values
    if level == "ratio" and np.fmin.reduce(x, axis=None) < 0:  # fmin skips NaN (nanmin, cheaper)
        raise DataError(
            _(
                "krippendorff_alpha(level='ratio') needs non-negative ratings (a ratio scale "
                "has an absolute zero). Got a minimum of {minimum:g}."
            ).format(minimum=np.nanmin(x)),
            hint=_("use level='interval' for scores that can be negative"),
        )
    valid = ~np.isnan(x)
    m = valid.sum(axis=1)
    pairable = m >= 2
    if not pairable.any():
        raise DataError(
            _(
                "krippendorff_alpha needs at least one unit with two or more ratings. Every "
                "unit has at most one."
            ),
            hint=_("tables are units in rows, raters in columns; transpose if yours is the other way"),
        )
    if not pairable.all():
        x, valid, m = x[pairable], valid[pairable], m[pairable]
    unit_idx, __ = np.nonzero(valid)
    values, codes = _value_codes(x[valid])
    n_values = len(values)
    n_c = np.bincount(codes, minlength=n_values).astype(float)
    n = n_c.sum()
    w = 1.0 / (m - 1)
    row, col, o, dense = _coincidences(unit_idx, codes, w, len(m), n_values)

    t = values
    if level == "ordinal":
        t = np.cumsum(n_c) - n_c + n_c / 2  # mid-ranks: the ordinal metric is interval on these
    d_o = float((o * _delta_pairs(t[row], t[col], level)).sum())
    if level == "nominal":
        d_e = n * n - float((n_c**2).sum())
    elif level in ("interval", "ordinal"):
        centred = t - (n_c * t).sum() / n
        d_e = 2 * n * float((n_c * centred**2).sum())
    else:
        d_e = 0.0
        step = max(1, 2**22 // n_values)
        for start in range(0, n_values, step):  # blocks of rows bound the memory of the V x V metric
            blk = slice(start, start + step)
            d_e += float(
                (n_c[blk, None] * n_c[None, :] * _delta_pairs(t[blk, None], t[None, :], level)).sum()
            )
    d_observed, d_expected = d_o / n, d_e / (n * (n - 1))
    if d_expected <= 0:
        warnings.warn(
            _(
                "krippendorff_alpha: all ratings are identical (every pairable rating is the "
                "same value), so alpha is undefined (0/0): there is no disagreement to expect. "
                "Returned as NaN; the result prints 'undefined (all ratings identical)'."
            ),
            WorkbenchWarning,
            stacklevel=2,
        )
        alpha = np.nan
    else:
        alpha = 1 - d_observed / d_expected
    # words name the categories; numbers are named lazily by AlphaResult.coincidence
    names = values if r.labels is None else tuple(r.labels[int(v) - 1] for v in values)
    if n_values > 30:
        dense = names = None
    return AlphaResult(
        alpha=float(alpha),
        level=level,
        d_observed=d_observed,
        d_expected=d_expected,
        n_units=int(len(m)),
        n_pairable=int(n),
        coincidence_counts=dense,
        coincidence_labels=names,
    )
