"""Stated versus revealed weights: the rubric's (and a panel's) weights beside weights derived from data."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._i18n import _
from .._results import ResultMixin
from ..errors import DataError, ModelError, SpecError, WorkbenchWarning, check_option

__all__ = ["StatedRevealed", "stated_vs_revealed"]

METHODS = ("entropy_sum", "entropy_minmax", "critic", "pca", "ols", "nnls", "ordinal")
_FIT = ("n", "r2", "adj_r2", "pseudo_r2", "aic", "bic", "converged")
_MAX_ORDINAL_LEVELS = 10  # beyond this the outcome is a score, not grades: OLS/NNLS only
_LEVELS = {"blocks": ("blocks",), "indicators": ("indicators",), "both": ("blocks", "indicators")}


@dataclass(frozen=True, repr=False, eq=False)
class StatedRevealed(ResultMixin):
    """Stated and revealed weights side by side.

    Attributes
    ----------
    tables : dict of DataFrame
        Per level ("blocks", "indicators"): codes x methods, each column a weight vector summing to
        1 (``stated``, ``ahp`` if given, ``entropy_sum``, ``entropy_minmax``, ``critic``, ``pca``,
        ``ols``, ``nnls``, ``ordinal``).
    rank_correlation, kendall_tau : dict of DataFrame
        Per level: Spearman's rho and Kendall's tau between methods (``compare_weights``).
    results : dict
        ``(level, method) -> WeightResult`` with each method's details (e.g. regression tables).
    coefficients : DataFrame
        Regression coefficients with CIs and implied weights: ``level``, ``method``, ``code``,
        ``coef``, ``se``, ``ci_low``, ``ci_high``, ``p``, ``weight``.
    fits : DataFrame
        Per (level, method) of the regressions: ``n``, ``r2``, ``adj_r2``, ``pseudo_r2``, ``aic``.
    data : dict of DataFrame
        Per level, the table the methods were run on (units x codes).
    notes : tuple of str
        Columns or units left out and why; methods that could not run.
    """

    tables: dict
    rank_correlation: dict
    kendall_tau: dict
    results: dict
    coefficients: pd.DataFrame
    fits: pd.DataFrame
    data: dict = field(repr=False)
    notes: tuple = ()

    @property
    def weights(self) -> pd.DataFrame:
        """Every level's table stacked, indexed by (level, code)."""
        return pd.concat(self.tables, names=["level", "code"])

    def to_frame(self) -> pd.DataFrame:
        return self.weights

    def _summary_title(self) -> str:
        return _("Stated vs revealed weights")

    def _summary_facts(self) -> dict:
        facts = {}
        for level, rho in self.rank_correlation.items():
            if "stated" in rho:
                others = rho["stated"].drop("stated").dropna()
                facts[_("{level}: rank corr. with stated").format(level=level)] = _(", ").join(
                    f"{k} {v:.2f}" for k, v in others.items()
                )
        for i, note in enumerate(self.notes, 1):
            facts[_("note {i}").format(i=i)] = note
        return facts


def _outcome(outcome, data, index):
    if isinstance(outcome, str):
        if isinstance(data, pd.DataFrame) and outcome in data.columns:
            return data[outcome].reindex(index)
        raise DataError(
            _("stated_vs_revealed: no outcome column {outcome!r} in the data.").format(outcome=outcome),
            column=outcome,
        )
    if isinstance(outcome, pd.Series):
        common = index.intersection(outcome.index)
        if len(common) == 0:
            raise DataError(
                _(
                    "stated_vs_revealed: the outcome's index shares no unit id with the data "
                    "(data: {data}..., outcome: {outcome}...); index both by unit id."
                ).format(data=list(index[:3]), outcome=list(outcome.index[:3])),
            )
        return outcome.reindex(index)
    arr = np.asarray(outcome)
    if arr.ndim != 1 or len(arr) != len(index):
        raise DataError(
            _(
                "stated_vs_revealed: the outcome has shape {shape}; expected one value per unit ({n_units})."
            ).format(shape=arr.shape, n_units=len(index))
        )
    return pd.Series(arr, index=index)


def _order(y: pd.Series, levels, rubric) -> list:
    """Outcome levels, lowest first."""
    if levels is not None:
        return [s.strip() for s in levels.split(">")][::-1] if isinstance(levels, str) else list(levels)
    if isinstance(y.dtype, pd.CategoricalDtype) and y.cat.ordered:
        return list(y.cat.categories)
    seen = set(y.dropna().unique())
    if pd.api.types.is_numeric_dtype(y):
        return sorted(seen)
    names = rubric.grades.names  # best first
    if seen and seen <= set(names):
        return [g for g in reversed(names)]
    raise SpecError(
        _(
            "stated_vs_revealed: cannot tell the order of the outcome's grades {seen}; "
            "pass levels=[lowest, ..., highest] (or the text '优秀>良好>一般>较差')."
        ).format(seen=sorted(map(str, seen))),
        key="levels",
    )


def _raw(card, rubric, codes):
    """Indicator values as numbers (grades coded 1..K from worst to best) and directions."""
    out = {}
    for c in codes:
        v = card.values[c]
        if isinstance(v.dtype, pd.CategoricalDtype) or v.dtype == object:
            mapping = dict(getattr(rubric[c].rule, "mapping", ()) or {})
            order = sorted(mapping, key=mapping.get) if mapping else list(pd.unique(v.dropna()))
            v = v.map({g: float(i + 1) for i, g in enumerate(order)})
        out[c] = pd.to_numeric(v, errors="coerce").astype(float)
    directions = pd.Series({c: float(rubric[c].direction) for c in codes})
    return pd.DataFrame(out, index=card.index), directions


def _blocks(card, rubric):
    """Top-block scores as shares of the full marks each unit could earn in the block."""
    tops = rubric.top_blocks
    avail = card.full.where(card.shares.notna()).fillna(0.0)
    out = {}
    for t in tops:
        if rubric[t].children:
            inds = [c for c in rubric.indicators if t in rubric.ancestors(c)]
            den = avail[inds].sum(axis=1)
            out[t] = (card.blocks[t] / den).where(den > 0)
        else:
            out[t] = card.shares[t]
    return pd.DataFrame(out, index=card.index)


def _node_weights(rubric, weights) -> pd.Series:
    """Weights of every node: given ones, blocks missing from them as the sum of their indicators."""
    if hasattr(weights, "weights") and isinstance(weights.weights, pd.DataFrame):
        return weights.weights["global"]  # an AHPWeights result
    w = pd.Series(weights, dtype=float)
    for code, node in rubric.nodes.items():
        if node.children and code not in w.index:
            inds = [c for c in rubric.indicators if code == rubric.root or code in rubric.ancestors(c)]
            if all(c in w.index for c in inds):
                w[code] = w[inds].sum()
    return w


def _clean(x: pd.DataFrame, notes: list, level: str) -> pd.DataFrame:
    gaps = x.columns[x.isna().any()]
    if len(gaps):
        counts = _(", ").join(f"{c} ({int(x[c].isna().sum())})" for c in gaps)
        notes.append(
            _("{level}: left out columns with missing or exempt values: {counts}").format(
                level=level, counts=counts
            )
        )
        x = x.drop(columns=gaps)
    const = x.columns[x.nunique() <= 1]
    if len(const):
        notes.append(
            _("{level}: left out constant columns {columns} (they cannot separate units)").format(
                level=level, columns=list(const)
            )
        )
        x = x.drop(columns=const)
    return x


def _run(method, x, d, y_num, y_ord, order, *, link, ci, n_boot, seed):
    """One method's weights on ``x`` (directions ``d``; regressions see cost columns sign-flipped)."""
    from .. import weighting

    if method.startswith("entropy"):
        norm = method.split("_")[1]
        return weighting.entropy(x, None if norm == "sum" else d, normalise=norm)
    if method == "critic":
        return weighting.critic(x, d)
    if method == "pca":
        return weighting.pca(x)
    if method == "ordinal":
        return weighting.regression(x * d, y_ord, "ordinal", levels=order, link=link, ci=ci)
    return weighting.regression(x * d, y_num, method, ci=ci, n_boot=n_boot, seed=seed)


def stated_vs_revealed(
    rubric,
    data,
    outcome,
    *,
    ahp=None,
    level="blocks",
    indicators=None,
    values="raw",
    levels=None,
    link="logit",
    ci=0.95,
    n_boot=1000,
    seed=None,
) -> StatedRevealed:
    """Compare the rubric's stated weights (and a panel's) with weights derived from data.

    Objective weights (entropy with raw shares and with min-max rescaling, CRITIC, PCA) say how much
    each part varies and how little it duplicates others; revealed weights (policy capturing: OLS,
    NNLS and an ordinal model of an overall judgment on the parts) say what the judges actually
    rewarded. Both are compared with the weights the rubric states.

    Parameters
    ----------
    rubric : Rubric
    data : DataFrame or Scorecard
        Units x columns as :func:`workbench.read_table` returns them (scored here with
        :func:`workbench.score`), or a Scorecard already computed.
    outcome : Series, array or column name
        The overall judgment per unit (e.g. holistic grades 优秀/良好/一般/较差), aligned by unit id.
        Units without one are left out (noted).
    ahp : AHPWeights, Series or mapping, optional
        A panel's weights (e.g. from :func:`ahp_weights_for_rubric`), shown as column ``ahp``.
    level : {"blocks", "indicators", "both"}, default="blocks"
        "blocks": each top block's score as a share of the full marks the unit could earn in it.
        "indicators": the indicators themselves.
    indicators : sequence of str, optional
        Indicators to use at the indicator level (default all). Columns with exempt or missing
        values, or constant columns, are left out (noted).
    values : {"raw", "shares"}, default="raw"
        Indicator-level data: "raw" values (grades coded 1..K worst to best; cost indicators enter
        the regressions with their sign flipped and entropy/CRITIC with their direction) or
        "shares" of full marks earned (the rubric's rules applied).
    levels : sequence or str, optional
        Order of the outcome's grades, lowest first; default from an ordered Categorical, the
        rubric's grade bands, or sorted numbers. OLS and NNLS use the codes 1..K.
    link : {"logit", "probit"}, default="logit"
    ci : float, default=0.95
    n_boot : int, default=1000
        Bootstrap draws for the NNLS intervals.
    seed : int, Generator or None, default=None

    Returns
    -------
    StatedRevealed

    References
    ----------
    Cooksey, R.W. (1996). Judgment Analysis. Academic Press (policy capturing).
    Diakoulaki, D., Mavrotas, G. & Papayannakis, L. (1995). Determining objective weights in multiple
    criteria problems: the CRITIC method. Computers & OR 22(7):763-770.
    OECD/JRC (2008). Handbook on Constructing Composite Indicators, section 6.1.

    Examples
    --------
    >>> res = stated_vs_revealed(rubric, data, grades["grade"], level="both", seed=1)  # doctest: +SKIP
    >>> res.tables["blocks"]  # doctest: +SKIP
    """
    from .. import weighting
    from ..scoring import Scorecard, score

    func = "stated_vs_revealed"
    check_option(level, list(_LEVELS), name="level", func=func)
    check_option(values, ("raw", "shares"), name="values", func=func)
    card = data if isinstance(data, Scorecard) else score(rubric, data)
    y = _outcome(outcome, data, card.index)
    order = _order(y, levels, rubric)
    known = y.notna() & y.isin(order)
    notes = []
    if (~known).any():
        notes.append(_("{n} unit(s) without a usable outcome left out").format(n=int((~known).sum())))
    code = {g: float(i + 1) for i, g in enumerate(order)}
    y_num = y[known] if pd.api.types.is_numeric_dtype(y) else y[known].map(code).astype(float)
    y_ord = pd.Series(pd.Categorical(y[known], categories=order, ordered=True), index=y[known].index)
    eff = rubric.effective_weights()
    if rubric.categories is not None and rubric.categories.weights:
        notes.append(
            _(
                "stated weights are the rubric's base weights; categories {categories} score with their own weights"
            ).format(categories=list(rubric.categories.weights))
        )
    if ahp is not None:
        ahp = _node_weights(rubric, ahp)
    tables, rho, tau, results, coefs, fits, used = {}, {}, {}, {}, [], [], {}
    for lev in _LEVELS[level]:
        if lev == "blocks":
            x = _blocks(card, rubric)
            d = pd.Series(1.0, index=x.columns)
        else:
            codes = list(rubric.indicators if indicators is None else indicators)
            unknown = [c for c in codes if c not in rubric.indicators]
            if unknown:
                raise SpecError(
                    _("{func}: {unknown} are not indicators of rubric {code!r}.").format(
                        func=func, unknown=unknown, code=rubric.code
                    ),
                    key="indicators",
                )
            x, d = (
                _raw(card, rubric, codes)
                if values == "raw"
                else (card.shares[codes], pd.Series(1.0, index=codes))
            )
        x = _clean(x.loc[known], notes, lev)
        d = d[x.columns]
        used[lev] = x
        named = {"stated": eff[x.columns]}
        if ahp is not None:
            lacking = [c for c in x.columns if pd.isna(ahp.get(c))]
            if lacking:
                raise SpecError(
                    _("{func}: the 'ahp' weights have no weight for {lacking}.").format(
                        func=func, lacking=lacking
                    ),
                    key="ahp",
                )
            named["ahp"] = ahp[x.columns]
        for m in METHODS:
            if m == "ordinal" and len(order) > _MAX_ORDINAL_LEVELS:
                notes.append(
                    _("{level}: ordinal model skipped: the outcome has {n} distinct values").format(
                        level=lev, n=len(order)
                    )
                )
                continue
            try:
                res = _run(m, x, d, y_num, y_ord, order, link=link, ci=ci, n_boot=n_boot, seed=seed)
            except (DataError, ModelError) as exc:
                notes.append(
                    _("{level}: {method} could not run: {error}").format(level=lev, method=m, error=exc)
                )
                warnings.warn(
                    _("{func}: {level}: {method} could not run: {error}").format(
                        func=func, level=lev, method=m, error=exc
                    ),
                    WorkbenchWarning,
                    stacklevel=2,
                )
                continue
            results[(lev, m)] = named[m] = res
            if res.method == "regression":
                t = res.table.reset_index(names="code")
                t.insert(0, "method", m)
                t.insert(0, "level", lev)
                coefs.append(t)
                fits.append({"level": lev, "method": m, **{k: v for k, v in res.stats.items() if k in _FIT}})
        table = weighting.compare_weights(**named)
        rho[lev], tau[lev] = table.attrs["rank_correlation"], table.attrs["kendall_tau"]
        table.index.name = "code"
        table.attrs = {}  # kept in rank_correlation / kendall_tau; attrs of DataFrames do not concat
        tables[lev] = table
    coef_cols = ["level", "method", "code", "coef", "se", "ci_low", "ci_high", "p", "weight"]
    return StatedRevealed(
        tables=tables,
        rank_correlation=rho,
        kendall_tau=tau,
        results=results,
        coefficients=pd.concat(coefs, ignore_index=True)[coef_cols]
        if coefs
        else pd.DataFrame(columns=coef_cols),
        fits=pd.DataFrame(fits).set_index(["level", "method"]) if fits else pd.DataFrame(),
        data=used,
        notes=tuple(notes),
    )
