"""Aggregation up the rubric tree, as COINr's ``Aggregate`` (``a_amean``, ``a_gmean``, ``a_hmean``,
``a_genmean``, ``a_copeland``), for one weight set or many at once.

Missing children are skipped and the remaining weights renormalised within the parent; an
optional ``min_share`` (COINr's ``dat_thresh``) gives NaN when too few children have data. Every
level is computed for all units and all weight sets together: values are held as an array
(units x runs x nodes), and each parent sums its children in a fixed order, so one run computed
alone and the same run inside a batch give bit-identical scores.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._i18n import _
from ..errors import DataError, SpecError
from ._fields import AGGREGATE_METHODS, METHOD_PARAMS, canonical  # noqa: F401  (registry re-exported)

__all__ = ["aggregate", "AGGREGATE_METHODS", "TreePlan"]


def _method_tuple(m) -> tuple:
    """(name, p, min_share) from a canonical method (a name or a dict with parameters)."""
    if isinstance(m, str):
        return (m, None, None)
    return (m["method"], m.get("p"), m.get("min_share"))


@dataclass(frozen=True, eq=False)
class TreePlan:
    """The rubric tree compiled to arrays: node columns are the indicators (rubric order), then the
    aggregates by level, the root last; column ``n`` (one past the last node) is an empty pad."""

    codes: tuple
    n_ind: int
    pos: dict
    level: np.ndarray
    parent: np.ndarray
    base: np.ndarray
    children: tuple
    root: int
    _schedules: dict = field(default_factory=dict, repr=False)

    @classmethod
    def from_rubric(cls, rubric) -> TreePlan:
        levels = rubric.levels()
        inds = list(rubric.indicators)
        aggs = sorted((c for c in rubric.nodes if rubric.nodes[c].children), key=lambda c: levels[c])
        codes = tuple(inds + aggs)
        pos = {c: i for i, c in enumerate(codes)}
        parent = np.array([pos.get(rubric.nodes[c].parent, -1) for c in codes])
        base = np.append([float(rubric.nodes[c].weight) for c in codes], 0.0)
        children = tuple(tuple(pos[k] for k in rubric.nodes[c].children) for c in codes)
        lev = np.array([int(levels[c]) for c in codes])
        return cls(codes, len(inds), pos, lev, parent, base, children, pos[rubric.root])

    @property
    def n(self) -> int:
        return len(self.codes)

    def weight_matrix(self, weight_sets) -> np.ndarray:
        """Raw weights (runs x nodes+1) from the rubric's, overridden by each ``{code: w}``."""
        W = np.tile(self.base, (len(weight_sets), 1))
        for r, ws in enumerate(weight_sets):
            for code, w in (ws or {}).items():
                j = self.pos.get(code)
                if j is None or j == self.root:
                    what = _("the root") if j == self.root else _("not in the rubric")
                    raise SpecError(
                        _(
                            "Spec field 'weights' names {code!r}, which is {what}; weights are relative "
                            "within a parent, for codes such as {codes}..."
                        ).format(code=code, what=what, codes=list(self.codes[:5])),
                        key=f"weights.{code}",
                    )
                W[r, j] = w
        parents = [p for p in range(self.n) if self.children[p]]
        for p in parents:
            sums = W[:, list(self.children[p])].sum(axis=1)
            if (sums <= 0).any():
                r = int(np.flatnonzero(sums <= 0)[0])
                raise SpecError(
                    _(
                        "the weights of every child of {parent!r} are zero (run {r}), so they do not "
                        "cover that aggregate; give at least one of {children} a weight."
                    ).format(parent=self.codes[p], r=r, children=[self.codes[k] for k in self.children[p]]),
                    key="weights",
                )
        return W

    def schedule(self, agg) -> list:
        """``[(method tuple, parent columns, children matrix padded with n)]`` in computing order."""
        import json

        key = json.dumps(agg, sort_keys=True)
        if key in self._schedules:
            return self._schedules[key]
        mapping = agg if isinstance(agg, dict) and "method" not in agg else {"default": agg}
        top = int(self.level.max())
        for k in mapping:
            if k == "default":
                continue
            if k.isdigit():
                if not 1 <= int(k) < top:
                    raise SpecError(
                        _(
                            "Spec field 'aggregate' has level key {k!r}; this rubric has aggregation steps "
                            "1 to {last} (key 'k' combines level-k nodes into level k+1)."
                        ).format(k=k, last=top - 1),
                        key=f"aggregate.{k}",
                    )
            elif k not in self.pos or not self.children[self.pos[k]]:
                valid = [c for c in self.codes if self.children[self.pos[c]]]
                raise SpecError(
                    _(
                        "Spec field 'aggregate' names {k!r}, which is not an aggregate of this rubric; "
                        "aggregates are {valid}."
                    ).format(k=k, valid=valid),
                    key=f"aggregate.{k}",
                )
        steps = []
        for lev in range(2, top + 1):
            groups: dict[tuple, list[int]] = {}
            for p in np.flatnonzero(self.level == lev):
                code = self.codes[p]
                m = mapping.get(code, mapping.get(str(lev - 1), mapping["default"]))
                groups.setdefault(_method_tuple(m), []).append(int(p))
            for method, ps in groups.items():
                width = max(len(self.children[p]) for p in ps)
                K = np.full((len(ps), width), self.n)
                for i, p in enumerate(ps):
                    K[i, : len(self.children[p])] = self.children[p]
                steps.append((method, np.array(ps), K))
        self._schedules[key] = steps
        return steps


def _check_domain(B, K, method, p, units, codes, parents):
    """DataError naming units and children whose values the mean cannot take (log of <= 0...).

    ``B`` is node-major: nodes x units x runs.
    """
    if method == "amean" or method == "copeland":
        return
    X = B[K]  # parents x children x units x runs
    strict = method in ("gmean", "hmean") or (method == "genmean" and p <= 0)
    bad = (X <= 0) if strict else (X < 0)
    if not bad.any():
        return
    i, j, u, __ = np.nonzero(bad)
    pairs = sorted({f"{units[a]}/{codes[K[b, c]]}" for a, b, c in zip(u, i, j)})
    where = sorted({codes[parents[b]] for b in i})
    need = _("positive") if strict else _("non-negative")
    raise DataError(
        _(
            "aggregate: method {method!r} needs {need} values, but unit/component "
            "{pairs}{more} are not (aggregating {where}). "
            "Normalise onto a positive range, e.g. normalise={{'method': 'minmax', 'lo': "
            "1, 'hi': 100}}, or use 'amean'."
        ).format(
            method=method,
            need=need,
            pairs=pairs[:12],
            more=_(" (and more)") if len(pairs) > 12 else "",
            where=where,
        ),
    )


def _combine(B, W, K, method, p):
    """Weighted mean of each parent's children, children summed in column order of K.

    ``B`` is node-major (nodes x units x runs), so each child column is one contiguous block; the
    result is parents x units x runs. Missing values (NaN) add nothing to either sum.
    """
    shape = (K.shape[0],) + B.shape[1:]
    num, den = np.zeros(shape), np.zeros(shape)
    log = method == "gmean" or (method == "genmean" and p == 0)
    for j in range(K.shape[1]):
        idx = K[:, j]
        x = B[idx]  # parents x units x runs
        w = W[:, idx].T[:, None, :]  # parents x 1 x runs
        present = ~np.isnan(x)
        if present.all():  # no value missing: the masks below would change nothing
            if log:
                np.log(x, out=x)
            elif method == "hmean":
                np.divide(1.0, x, out=x)
            elif method == "genmean" and p != 1:
                x = x**p  # the ** operator as below (numpy's fast paths for p = 2, 0.5...)
            x *= w
            num += x
            den += w
            continue
        if log:
            t = np.log(np.where(present, x, 1.0))  # log 1 = 0 where missing
        elif method == "hmean":
            t = 1.0 / np.where(present, x, 1.0)
            t[~present] = 0.0
        elif method == "genmean" and p != 1:
            t = np.where(present, x, 1.0) ** p
            t[~present] = 0.0
        else:
            t = np.where(present, x, 0.0)
        t *= w
        num += t
        den += present * w
    with np.errstate(invalid="ignore", divide="ignore"):
        if log:
            return np.exp(num / den), den
        if method == "hmean":
            return den / num, den
        if method == "genmean" and p != 1:
            return (num / den) ** (1.0 / p), den
        return num / den, den


def _copeland(B, W, K, pad):
    """COINr's ``a_copeland``: +1 per unit outranked, -1 per unit outranking (weighted majority)."""
    U, R = B.shape[1:]
    out = np.empty((K.shape[0], U, R))
    upper = np.triu(np.ones((U, U), dtype=bool), 1)[:, :, None]
    eye = np.eye(U, dtype=bool)[:, :, None]
    for i, row in enumerate(K):
        kids = row[row != pad]
        orm = np.zeros((U, U, R))
        for c in kids:
            x = B[c]
            orm += ((x[:, None] > x[None, :]) + 0.5 * (x[:, None] == x[None, :])) * W[None, None, :, c]
        tot = W[:, kids].sum(axis=1)
        # as COINr: the lower triangle is the complement of the upper one
        orm = np.where(upper, orm, tot - np.swapaxes(orm, 0, 1))
        sign = np.where(eye, 0.0, np.sign(orm - 0.5 * tot))
        out[i] = sign.sum(axis=1)
    return out


def _apply(B, W, K, parents, method, p, min_share, units, codes):
    """Aggregate one schedule step into ``B[parents]`` (node-major nodes x units x runs)."""
    _check_domain(B, K, method, p, units, codes, parents)
    pad = B.shape[0] - 1
    if method == "copeland":
        out = _copeland(B, W, K, pad)
    else:
        out, den = _combine(B, W, K, method, p)
        out = np.where(den > 0, out, np.nan)
    if min_share is not None:
        weighted = (W[:, K] > 0).transpose(1, 2, 0)[:, :, None, :]  # parents x children x 1 x runs
        have = (~np.isnan(B[K]) & weighted).sum(axis=1)
        share = have / np.maximum(weighted.sum(axis=1), 1)
        out = np.where(share >= min_share, out, np.nan)
    B[parents] = out


def aggregate_runs(plan: TreePlan, values: np.ndarray, W: np.ndarray, agg, units) -> np.ndarray:
    """Scores of every node (units x runs x nodes) from indicator values (units x indicators).

    ``W`` (runs x nodes+1) holds raw weights; ``agg`` is a canonical ``aggregate`` spec field.
    ``values`` may also be units x runs x indicators: each run its own table (batch evaluation).
    The result is a view of a node-major array (computing there keeps each node contiguous).
    """
    U, R = values.shape[0], W.shape[0]
    B = np.empty((plan.n + 1, U, R))
    B[: plan.n_ind] = (values[:, None, :] if values.ndim == 2 else values).transpose(2, 0, 1)
    B[plan.n_ind : plan.n] = np.nan
    # the pad (children K of parents with fewer children) is 1 with weight 0: it adds exactly 0 to
    # both sums of every mean (1 * 0, log 1 * 0, 1 / 1 * 0), as a missing value does
    B[plan.n] = 1.0
    for (method, p, min_share), parents, K in plan.schedule(agg):
        _apply(B, W, K, parents, method, p, min_share, units, plan.codes)
    return B[: plan.n].transpose(1, 2, 0)


def aggregate(data, weights=None, method="amean", *, p=None, min_share=None) -> pd.Series:
    """Aggregate the columns of a table row by row (COINr's ``Aggregate`` on a data frame).

    Parameters
    ----------
    data : DataFrame of shape (n_units, n_components)
    weights : mapping or sequence of float, optional
        Relative weights (default equal); NaN values are skipped and the weights of the others
        renormalised.
    method : {"amean", "gmean", "hmean", "genmean", "copeland"}, default="amean"
        Weighted arithmetic, geometric, harmonic or generalised (power ``p``) mean, or Copeland
        scores (pairwise weighted majority: wins minus losses).
    p : float, optional
        Power of ``"genmean"`` (1 arithmetic, 0 geometric, -1 harmonic).
    min_share : float in [0, 1], optional
        NaN when the share of components with data is below this.

    Returns
    -------
    Series of shape (n_units,)

    References
    ----------
    OECD/JRC (2008). Handbook on Constructing Composite Indicators, section 6.2 (aggregation).
    Munda, G. & Nardo, M. (2009). Noncompensatory/nonlinear composite indicators for ranking
    countries: a defensible setting. Applied Economics 41(12):1513-1523 (Copeland).

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"a": [1.0, 4.0], "b": [4.0, None]})
    >>> aggregate(d, {"a": 1, "b": 1}, "gmean").tolist()
    [2.0, 4.0]
    """
    m = {"method": method, **({"p": p} if p is not None else {}), "min_share": min_share}
    agg = canonical("aggregate", m)
    if not isinstance(data, pd.DataFrame):
        raise DataError(
            _("aggregate: data must be a DataFrame of units x components; got {type_name}").format(
                type_name=type(data).__name__
            )
        )
    cols = list(data.columns)
    if weights is None:
        w = np.ones(len(cols))
    elif isinstance(weights, (dict, pd.Series)):
        unknown = [k for k in weights.keys() if k not in set(cols)]
        if unknown:
            raise SpecError(
                _("aggregate: weights name unknown column(s) {unknown}.").format(unknown=unknown),
                key="weights",
            )
        w = np.array([weights.get(c, np.nan) for c in cols], dtype=float)
    else:
        w = np.asarray(weights, dtype=float).ravel()
    if w.shape != (len(cols),) or not np.all(np.isfinite(w) & (w >= 0)) or w.sum() <= 0:
        raise SpecError(
            _(
                "aggregate: weights must be one non-negative number per column of {cols}; got {weights!r}."
            ).format(cols=cols, weights=weights)
        )
    values = data.to_numpy(dtype=float, na_value=np.nan)
    C = len(cols)
    B = np.full((C + 1, len(data), 1), np.nan)  # node-major: the columns, then the result (the pad)
    B[:C, :, 0] = values.T
    W = np.append(w, 0.0)[None, :]
    K = np.arange(C)[None, :]
    method, p, min_share = _method_tuple(agg)
    labels = [str(c) for c in cols] + ["(result)"]
    _apply(B, W, K, np.array([C]), method, p, min_share, list(data.index), labels)
    return pd.Series(B[C, :, 0], index=data.index, name=method)
