"""Weights of a build: effective weights down the tree, PCA and optimised weights per block, and
the impact of removing each component on the ranking."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._i18n import _
from ..composite.aggregate import TreePlan, aggregate_runs
from ..errors import ModelError, WorkbenchError
from ._common import AnalysisResult, blocks, check_build

__all__ = ["effective_weights", "pca_weights", "optimised_weights", "removal_impact"]


def effective_weights(result) -> AnalysisResult:
    """Each code's weight within its parent and in the index (the product down the tree).

    Wraps ``Rubric.effective_weights`` with the build's weights (the spec's overrides).

    Returns
    -------
    AnalysisResult
        ``table`` per code: parent, level, weight (within parent), effective (in the root);
        ``facts`` has the sum of effective weights per level.
    """
    check_build(result, "effective_weights")
    r = result.rubric
    over = dict(result.spec.weights or {})
    levels = r.levels()
    t = pd.DataFrame(
        {
            "parent": [r.parent(c) for c in r.nodes],
            "level": levels.loc[list(r.nodes)].to_numpy(),
            "weight": r.local_weights(over).loc[list(r.nodes)].to_numpy(),
            "effective": r.effective_weights(over).loc[list(r.nodes)].to_numpy(),
        },
        index=pd.Index(list(r.nodes), name="code"),
    )
    sums = t.groupby("level")["effective"].sum()
    facts = {f"sum level {int(k)}": float(v) for k, v in sums.items()}
    return AnalysisResult(table=t, kind="effective_weights", facts=facts)


def _per_block(result, fit, kind, min_units=3):
    """Run ``fit(children table, parent, kids, notes)`` on each block; a table of weights per code."""
    rows, notes = [], []
    for parent, kids in blocks(result.rubric).items():
        x = result.scores[kids].dropna()
        if len(kids) < 2:
            rows.append({"code": kids[0], "parent": parent, "weight": 1.0})
            continue
        if len(x) < min_units:
            notes.append(
                _("{parent}: fewer than {min_units} units with every child; skipped").format(
                    parent=parent, min_units=min_units
                )
            )
            continue
        try:
            rows += fit(x, parent, kids, notes)
        except (WorkbenchError, ModelError) as exc:
            notes.append(_("{parent}: {note}").format(parent=parent, note=exc))
            rows += [{"code": k, "parent": parent, "weight": np.nan} for k in kids]
    t = pd.DataFrame(rows).set_index("code")
    t.insert(2, "nominal", result.weights.loc[t.index].to_numpy())
    return AnalysisResult(table=t, kind=kind, facts={"blocks": t["parent"].nunique()}, notes=tuple(notes))


def pca_weights(result, **options) -> AnalysisResult:
    """PCA weights of the children of every aggregate (``workbench.weighting.pca`` per block).

    Parameters
    ----------
    result : IndexResult
        Uses ``result.scores`` (normalised indicators and aggregates), complete cases per block.
    **options
        Passed to :func:`workbench.weighting.pca` (``variant``, ``n_factors``...).

    Returns
    -------
    AnalysisResult
        ``table`` per code: parent, weight (sum 1 within the parent), nominal (the build's).

    References
    ----------
    OECD/JRC (2008). Handbook on Constructing Composite Indicators, section 6.1.
    """
    from ..weighting import pca

    check_build(result, "pca_weights")

    def fit(x, parent, kids, notes):
        w = pca(x, **options).weights
        return [{"code": k, "parent": parent, "weight": float(w[k])} for k in kids]

    return _per_block(result, fit, "pca_weights")


def optimised_weights(result, target=None, *, measure="r2") -> AnalysisResult:
    """Weights that make each component's importance in its parent match a target
    (``workbench.weighting.optimised`` per block, Becker et al. 2017).

    Parameters
    ----------
    result : IndexResult
    target : mapping code -> float, optional
        Target importance (relative within each parent); default equal within each parent.
    measure : {"r2", "r"}, default="r2"

    Returns
    -------
    AnalysisResult
        ``table`` per code: parent, weight, nominal, importance (achieved), target, gap (the block's
        sum of squared importance gaps); ``notes`` name blocks whose target is not reachable with
        non-negative weights.

    References
    ----------
    Becker, W., Saisana, M., Paruolo, P. & Vandecasteele, I. (2017). Weights and importance in
    composite indicators: Closing the gap. Ecological Indicators 80:12-22.
    """
    from ..weighting import optimised

    check_build(result, "optimised_weights")
    target = dict(target or {})

    def fit(x, parent, kids, notes):
        goal = [float(target.get(k, 1.0)) for k in kids]
        res = optimised(x, goal, measure=measure)
        notes += [_("{parent}: {note}").format(parent=parent, note=n) for n in res.notes]
        t = res.table
        return [
            {
                "code": k,
                "parent": parent,
                "weight": float(t.loc[k, "weight"]),
                "importance": float(t.loc[k, "importance"]),
                "target": float(t.loc[k, "target"]),
                "gap": float(res.stats["objective"]),
            }
            for k in kids
        ]

    return _per_block(result, fit, "optimised_weights")


def _ranks(scores: np.ndarray) -> np.ndarray:
    """Rank per column, 1 = highest, ties share the best rank, NaN stays NaN."""
    return pd.DataFrame(scores).rank(ascending=False, method="min").to_numpy()


def removal_impact(result, codes=None) -> AnalysisResult:
    """How much the index ranking moves when each component is dropped (its siblings keep their
    relative weights and are renormalised), as COINr's ``remove_elements``.

    All removals are aggregated together (one weight set per removal, vectorised).

    Parameters
    ----------
    result : IndexResult
    codes : list of str, optional
        Components to drop one at a time (default every code except the root and only children).

    Returns
    -------
    AnalysisResult
        ``table`` per code: parent, level, mean_abs_rank_change, max_abs_rank_change,
        share_changed (units whose rank moved), sorted by mean change.

    References
    ----------
    Saisana, M., Saltelli, A. & Tarantola, S. (2005). Uncertainty and sensitivity analysis
    techniques as tools for the quality assessment of composite indicators. JRSS A 168(2):307-323.
    """
    check_build(result, "removal_impact")
    r = result.rubric
    plan = TreePlan.from_rubric(r)
    if codes is None:
        codes = [c for c in plan.codes if c != r.root and len(r.children(r.parent(c))) > 1]
    unknown = [c for c in codes if c not in r.nodes or c == r.root]
    if unknown:
        from ..errors import SpecError

        raise SpecError(
            _("removal_impact: unknown or root code(s) {unknown}.").format(unknown=unknown), key="codes"
        )
    base = dict(result.spec.weights or {})
    W = plan.weight_matrix([{**base, c: 0.0} for c in codes])
    values = result.scores[list(r.indicators)].to_numpy(dtype=float)
    A = aggregate_runs(plan, values, W, result.spec.aggregate, result.scores.index)
    nominal = _ranks(result.index.to_numpy()[:, None])
    moved = np.abs(_ranks(A[:, :, plan.root]) - nominal)
    levels = r.levels()
    t = pd.DataFrame(
        {
            "parent": [r.parent(c) for c in codes],
            "level": [int(levels[c]) for c in codes],
            "mean_abs_rank_change": np.nanmean(moved, axis=0),
            "max_abs_rank_change": np.nanmax(moved, axis=0),
            "share_changed": np.nanmean(moved > 0, axis=0),
        },
        index=pd.Index(codes, name="code"),
    )
    t = t.sort_values("mean_abs_rank_change", ascending=False, kind="stable")
    return AnalysisResult(table=t, kind="removal_impact", facts={"components": len(t), "units": len(values)})
