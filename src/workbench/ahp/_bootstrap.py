"""Bootstrap over experts: how much the global weights depend on who sat on the panel."""

from __future__ import annotations

import numbers
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._i18n import _
from .._results import ResultMixin
from .._rng import as_generator
from ..errors import SpecError, WorkbenchWarning, check_option
from ._core import METHODS
from ._group import expert_weights
from ._hierarchy import structure
from ._panel import as_panel, block_priorities, panel_priorities, propagate
from ._ri import ri_lookup

__all__ = ["BootstrapResult", "bootstrap"]


@dataclass(frozen=True, repr=False, eq=False)
class BootstrapResult(ResultMixin):
    """Bootstrap distribution of the global weights.

    Attributes
    ----------
    intervals : DataFrame
        One row per leaf: ``nominal`` (whole panel), ``mean``, ``sd``, the two quantiles
        (e.g. ``q05``, ``q95``), ``rank`` (nominal, 1 = largest) and rank quantiles.
    replicates : DataFrame
        Replicates x leaves global weights.
    cr : DataFrame or None
        Replicates x parents CR of the aggregated matrices (aggregate="judgments").
    nominal : Series
        Global weights of the whole panel.
    n_failed : int
        Replicates with no usable judgments (only experts of weight 0 drawn, or a block left
        disconnected); their weights are NaN.
    aggregate : str
    quantiles : tuple of float
    """

    intervals: pd.DataFrame
    replicates: pd.DataFrame
    cr: pd.DataFrame | None
    nominal: pd.Series
    n_failed: int
    aggregate: str
    quantiles: tuple

    def to_frame(self) -> pd.DataFrame:
        return self.intervals

    def _summary_title(self) -> str:
        return _("Bootstrap over experts ({n} replicates, {aggregate})").format(
            n=len(self.replicates), aggregate=self.aggregate
        )

    def _summary_facts(self) -> dict:
        return {_("failed replicates"): self.n_failed}


def _qname(q: float) -> str:
    return f"q{100 * q:02.0f}" if float(100 * q).is_integer() else f"q{100 * q:g}"


def _connected(known: np.ndarray) -> np.ndarray:
    """Per matrix of a stack: is its comparison graph connected (boolean closure, all at once)."""
    reach = known.astype(float)
    for __ in range(int(np.ceil(np.log2(max(known.shape[-1], 2))))):
        reach = (reach @ reach > 0).astype(float)
    return (reach > 0).all(axis=(1, 2))


def bootstrap(
    panel,
    n=2000,
    seed=None,
    *,
    aggregate="judgments",
    method="eigen",
    ri="saaty1980",
    missing="harker",
    weights=None,
    quantiles=(0.05, 0.95),
) -> BootstrapResult:
    """Resample experts with replacement and recompute the global weights of a hierarchy.

    Parameters
    ----------
    panel : Panel, Judgments or dict parent -> Judgments
    n : int, default=2000
        Number of replicates.
    seed : int, Generator or None, default=None
    aggregate : {"judgments", "priorities"}, default="judgments"
        "judgments" (AIJ): each replicate takes the weighted geometric mean of the sampled experts'
        matrices block by block, then synthesises. "priorities" (AIP): each replicate takes the
        weighted geometric mean of the sampled experts' own global weights (normalised).
    method, ri, missing :
        As in :func:`panel_priorities`.
    weights : array-like of shape (n_experts,), optional
        Expert weights; a sampled expert carries its weight (times the number of times drawn).
    quantiles : pair of float, default=(0.05, 0.95)

    Returns
    -------
    BootstrapResult

    Notes
    -----
    Vectorised: a replicate is a row of draw counts per expert, so AIJ is one matrix product of
    counts x log-judgments per block, and the priorities of all replicates come from one batched
    power iteration. There is no Python loop over replicates.

    References
    ----------
    Efron & Tibshirani (1993) An Introduction to the Bootstrap; Forman & Peniwati (1998) EJOR
    108:165-169 (AIJ vs AIP).
    """
    check_option(aggregate, ("judgments", "priorities"), name="aggregate", func="bootstrap")
    check_option(method, METHODS, name="method", func="bootstrap")
    if not isinstance(n, numbers.Integral) or isinstance(n, bool) or n < 1:
        raise SpecError(
            _("The 'n' parameter of bootstrap must be an integer >= 1. Got {n!r} instead.").format(n=n),
            key="n",
        )
    q = tuple(float(x) for x in np.atleast_1d(quantiles))
    if not all(0 <= x <= 1 for x in q):
        raise SpecError(
            _(
                "The 'quantiles' parameter of bootstrap must hold numbers in [0, 1]. Got "
                "{quantiles!r} instead."
            ).format(quantiles=quantiles),
            key="quantiles",
        )
    pan = as_panel(panel, "bootstrap")
    n_exp = len(pan.experts)
    ew = expert_weights(weights, n_exp, "bootstrap")
    rng = as_generator(seed)
    draws = rng.integers(0, n_exp, size=(n, n_exp))
    counts = np.bincount((draws + n_exp * np.arange(n)[:, None]).ravel(), minlength=n * n_exp)
    # Row 0 is the whole panel (the nominal result); rows 1.. are the replicates.
    c = np.vstack([np.ones(n_exp), counts.reshape(n, n_exp)]) * ew
    # A replicate that drew only experts of weight 0 has no judgments at all: reported as failed.
    failed = c.sum(axis=1) <= 0
    c[failed] = 1.0
    c /= c.sum(axis=1, keepdims=True)
    root, order, leaves = structure({p: list(j.elements) for p, j in pan.blocks.items()})
    crs = None
    if aggregate == "priorities":
        g = panel_priorities(pan, method=method, ri=ri, missing=missing).global_weights.to_numpy()
        with np.errstate(divide="ignore"):
            glob = np.exp(c @ np.log(g))
        glob /= glob.sum(axis=1, keepdims=True)
    else:
        arrays, crs = {}, {}
        for p in order:
            j = pan.blocks[p]
            k = len(j.elements)
            v = np.asarray(j.values).reshape(n_exp, k * k)
            known = ~np.isnan(v)
            logs = np.where(known, np.log(np.where(known, v, 1.0)), 0.0)
            den = c @ known
            with np.errstate(divide="ignore", invalid="ignore"):
                agg = np.exp((c @ logs) / den).reshape(-1, k, k)
            gap = (den <= 0).reshape(-1, k, k)
            if gap.any():
                bad = ~_connected(~gap)
                failed |= bad
                agg[bad] = 1.0  # placeholder; these replicates are reported as NaN
            ri_val = ri_lookup(k, ri, func="bootstrap")[0]
            w, __, cr = block_priorities(agg, method, ri_val, missing)
            arrays[p] = (list(j.elements), w)
            crs[p] = cr[1:]
        glob = propagate(arrays, order, leaves, (n + 1,))
        crs = pd.DataFrame(crs)
        crs.index.name = "replicate"
    glob[failed] = np.nan
    n_failed = int(failed[1:].sum())
    if n_failed:
        warnings.warn(
            _(
                "bootstrap: {n_failed} of {n} replicates drew only experts of weight 0, or "
                "left a block's comparison graph disconnected; their weights are NaN and left "
                "out of the intervals."
            ).format(n_failed=n_failed, n=n),
            WorkbenchWarning,
            stacklevel=2,
        )
    rep = glob[1:]
    ranks = np.where(np.isnan(rep), np.nan, (-rep).argsort(axis=1).argsort(axis=1) + 1.0)
    nominal = pd.Series(glob[0], index=leaves, name="global_weight")
    out = pd.DataFrame(
        {"nominal": glob[0], "mean": np.nanmean(rep, 0), "sd": np.nanstd(rep, 0, ddof=1)}, index=leaves
    )
    for x, col in zip(q, np.nanquantile(rep, q, axis=0)):
        out[_qname(x)] = col
    out["rank"] = nominal.rank(ascending=False, method="min").to_numpy()
    for x, col in zip(q, np.nanquantile(ranks, q, axis=0)):
        out[f"rank_{_qname(x)}"] = col
    replicates = pd.DataFrame(rep, columns=leaves)
    replicates.index.name = "replicate"
    return BootstrapResult(out, replicates, crs, nominal, n_failed, aggregate, q)
