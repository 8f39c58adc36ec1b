"""An expert panel's AHP weights for a rubric: consistency, aggregation, synthesis, intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._i18n import _
from ..errors import JudgmentError, SpecError, WorkbenchError, check_option
from ._result import AHPWeights, category_clash, qname
from ._sheet import rewrap

__all__ = ["ahp_weights_for_rubric"]


def _check_panel(pan, rubric):
    for parent, j in pan.blocks.items():
        if parent not in rubric.nodes or not rubric.nodes[parent].children:
            raise JudgmentError(
                _(
                    "ahp_weights_for_rubric: panel block {parent!r} is not a block of rubric "
                    "{code!r} (its root is {root!r}, its blocks {blocks})."
                ).format(parent=parent, code=rubric.code, root=rubric.root, blocks=rubric.blocks),
                key=str(parent),
            )
        kids = rubric.children(parent)
        if set(j.elements) != set(kids):
            raise JudgmentError(
                _(
                    "ahp_weights_for_rubric: panel block {parent!r} compares {elements}, but in "
                    "the rubric its children are {kids}. Judge exactly the rubric's children of "
                    "each block."
                ).format(parent=parent, elements=list(j.elements), kids=kids),
                key=str(parent),
            )


def _expert_weights(weights, experts):
    if weights is None:
        return None
    if isinstance(weights, (dict, pd.Series)):
        w = pd.Series(weights, dtype=float)
        missing = [e for e in experts if e not in w.index]
        if missing:
            raise SpecError(
                _(
                    "ahp_weights_for_rubric: 'expert_weights' has no weight for expert(s) "
                    "{missing}; the panel's experts are {experts}."
                ).format(missing=missing, experts=list(experts)),
                key="expert_weights",
            )
        return w.loc[list(experts)].to_numpy()
    return np.asarray(weights, dtype=float)


def _chain(rubric, code) -> list:
    """``code`` and its ancestors up to (excluding) the root."""
    return [code, *rubric.ancestors(code)]


def _under(rubric, top) -> list:
    """Rubric nodes strictly below ``top``, in file order."""
    return [
        c
        for c in rubric.nodes
        if c != rubric.root and c != top and (top == rubric.root or top in _chain(rubric, c)[1:])
    ]


def _mapping(rubric, local: pd.Series, leaves: list, codes: list) -> np.ndarray:
    """(panel leaves x nodes) matrix M: weights of ``codes`` within the panel's root = g @ M.

    A node above a panel leaf sums the weights of its leaves; a node inside a block the panel did
    not judge gets its leaf's weight times the rubric's local weights down to it.
    """
    m = np.zeros((len(leaves), len(codes)))
    for i, leaf in enumerate(leaves):
        up = _chain(rubric, leaf)
        for j, c in enumerate(codes):
            chain = _chain(rubric, c)
            if c in up:
                m[i, j] = 1.0
            elif leaf in chain[1:]:
                m[i, j] = float(np.prod(local[chain[: chain.index(leaf)]]))
    return m


def _diagnose(pan, method, ri, missing, k, threshold, cr):
    """Completed missing judgments and each expert's worst judgments, block by block."""
    from .. import ahp

    # most_inconsistent and complete take one matrix at a time; panels are small (5-30 experts x a
    # few blocks), so this loop costs milliseconds. The CRs themselves come vectorised.
    filled, worst = [], []
    for parent, j in pan.blocks.items():
        el = list(j.elements)
        kk = min(k, len(el) * (len(el) - 1) // 2)
        for e, a in zip(pan.experts, np.asarray(j.values)):
            m = pd.DataFrame(a, index=el, columns=el)
            if np.isnan(a).any():
                m = ahp.complete(m, method=missing)
                for r, c in zip(*np.nonzero(np.triu(np.isnan(a), 1))):
                    filled.append(
                        {
                            "expert": e,
                            "parent": parent,
                            "row": el[r],
                            "column": el[c],
                            "estimate": m.iat[r, c],
                        }
                    )
            w = ahp.most_inconsistent(m, k=kk, method=method, ri=ri)
            w.insert(0, "parent", parent)
            w.insert(0, "expert", e)
            w["inconsistent"] = bool(cr.loc[e, parent] > threshold)
            worst.append(w)
    cols = ["expert", "parent", "row", "column", "estimate"]
    return pd.DataFrame(filled, columns=cols), pd.concat(worst, ignore_index=True)


def _aggregate(pan, rubric, aggregate, ew, pp, method, ri, missing):
    """The panel's local weights per judged block, and the CR of each aggregated matrix."""
    from .. import ahp

    local, crs = {}, {}
    if aggregate == "judgments":
        for parent, j in pan.blocks.items():
            m = ahp.aggregate_judgments(j, weights=ew)
            m = pd.DataFrame(np.asarray(m), index=list(j.elements), columns=list(j.elements))
            p = ahp.priorities(m, method=method, ri=ri, missing=missing if m.isna().any().any() else None)
            local[parent], crs[parent] = p.weights, p.cr
    else:
        g = ahp.aggregate_priorities(pp.global_weights, weights=ew)
        leaves = list(pp.global_weights.columns)
        base = rubric.local_weights()
        for parent, j in pan.blocks.items():
            w = g.to_numpy() @ _mapping(rubric, base, leaves, list(j.elements))
            local[parent], crs[parent] = pd.Series(w / w.sum(), index=list(j.elements)), np.nan
    local = {p: s[rubric.children(p)].rename("local_weight") for p, s in local.items()}
    return local, pd.Series(crs, name="cr", dtype=float)


def ahp_weights_for_rubric(
    panel,
    rubric,
    *,
    aggregate="judgments",
    expert_weights=None,
    method="eigen",
    ri="saaty1980",
    missing="harker",
    threshold=0.1,
    k=3,
    n_boot=1000,
    seed=None,
    quantiles=(0.05, 0.95),
) -> AHPWeights:
    """A panel's AHP weights for every indicator of a rubric, with consistency report and intervals.

    Each expert's priorities and consistency ratio are computed for every judged block (missing
    judgments completed), the panel is aggregated, the hierarchy is synthesised with the rubric's
    own local weights inside blocks the panel did not judge, and a bootstrap over experts gives an
    interval for every weight.

    Parameters
    ----------
    panel : workbench.ahp.Panel or dict parent -> Judgments
        Keyed by rubric blocks (``rubric.root`` for the top blocks), as :func:`panel_from_sheet`
        returns it; each block must compare exactly the rubric's children of that block.
    rubric : Rubric
    aggregate : {"judgments", "priorities"}, default="judgments"
        "judgments" (AIJ): weighted geometric mean of the experts' matrices, block by block.
        "priorities" (AIP): weighted geometric mean of the experts' global weights.
    expert_weights : array-like of shape (n_experts,) or mapping expert -> weight, optional
        Equal by default; 0 leaves an expert out.
    method : {"eigen", "geometric", "colnorm"}, default="eigen"
    ri : str, default="saaty1980"
        Random-index table (see :func:`workbench.ahp.random_index`).
    missing : {"harker", "bozoki"}, default="harker"
        Completion of missing judgments.
    threshold : float, default=0.1
        CR above which an expert's block is reported as inconsistent.
    k : int, default=3
        Judgments listed per expert and block in ``worst``.
    n_boot : int, default=1000
        Bootstrap replicates over experts; 0 skips the bootstrap.
    seed : int, Generator or None, default=None
    quantiles : pair of float, default=(0.05, 0.95)

    Returns
    -------
    AHPWeights
        ``weights`` (every node), ``global_weights`` (indicators, sum 1), ``cr``,
        ``inconsistent``, ``worst``, ``completed``, ``local``, ``per_expert``, ``bootstrap`` and
        ``rubric()`` for the weighted rubric.

    References
    ----------
    Saaty, T.L. (1980). The Analytic Hierarchy Process. McGraw-Hill.
    Forman, E. & Peniwati, K. (1998). Aggregating individual judgments and priorities with the AHP.
    EJOR 108:165-169.
    Harker, P.T. (1987). Incomplete pairwise comparisons in the AHP. Math. Modelling 9:837-848.

    Examples
    --------
    >>> res = ahp_weights_for_rubric(panel_from_sheet(path, rubric), rubric, seed=1)  # doctest: +SKIP
    >>> save_rubric(res.rubric(), "reports/weighted.yaml")  # doctest: +SKIP
    """
    from .. import ahp

    func = "ahp_weights_for_rubric"
    check_option(aggregate, ("judgments", "priorities"), name="aggregate", func=func)
    check_option(missing, ("harker", "bozoki"), name="missing", func=func)
    for name, v, lo in (("k", k, 1), ("n_boot", n_boot, 0)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < lo:
            raise SpecError(
                _("The '{name}' parameter of {func} must be an int >= {lo}. Got {v!r} instead.").format(
                    name=name, func=func, lo=lo, v=v
                ),
                key=name,
            )
    try:
        pan = panel if isinstance(panel, ahp.Panel) else ahp.Panel(panel)
    except WorkbenchError as exc:
        raise rewrap(exc, func) from None
    _check_panel(pan, rubric)
    experts = list(pan.experts)
    ew = _expert_weights(expert_weights, experts)
    pp = ahp.panel_priorities(pan, method=method, ri=ri, missing=missing, threshold=threshold)
    completed, worst = _diagnose(pan, method, ri, missing, k, threshold, pp.cr)
    local, agg_cr = _aggregate(pan, rubric, aggregate, ew, pp, method, ri, missing)

    mapping = {c: float(w) for s in local.values() for c, w in s.items()}
    loc = rubric.local_weights(mapping)
    eff = rubric.effective_weights(mapping)
    leaves = list(pp.global_weights.columns)
    top = next(p for p in pan.blocks if rubric.parent(p) not in pan.blocks)
    codes = _under(rubric, top)
    m = _mapping(rubric, loc, leaves, codes)
    e_top = float(eff[top])
    indicators = rubric.indicators

    per = pd.DataFrame(
        np.tile(eff[indicators].to_numpy(), (len(experts), 1)), index=pp.cr.index, columns=indicators
    )
    inner = pd.DataFrame(e_top * pp.global_weights[leaves].to_numpy() @ m, index=pp.cr.index, columns=codes)
    per.loc[:, [c for c in indicators if c in inner.columns]] = inner[
        [c for c in indicators if c in inner.columns]
    ]

    nodes = [c for c in rubric.nodes if c != rubric.root]
    table = pd.DataFrame(
        {
            "name": rubric.names()[nodes],
            "parent": [rubric.parent(c) for c in nodes],
            "level": rubric.levels()[nodes],
            "stated_local": rubric.local_weights()[nodes],
            "stated_global": rubric.effective_weights()[nodes],
            "local": loc[nodes],
            "global": eff[nodes],
            "source": ["panel" if rubric.parent(c) in pan.blocks else "rubric" for c in nodes],
        },
        index=pd.Index(nodes, name="code"),
    )
    boot = None
    if n_boot:
        boot = ahp.bootstrap(
            pan,
            n=n_boot,
            seed=seed,
            aggregate=aggregate,
            method=method,
            ri=ri,
            missing=missing,
            weights=ew,
            quantiles=quantiles,
        )
        reps = np.tile(eff[nodes].to_numpy(), (n_boot, 1))
        reps[:, [nodes.index(c) for c in codes]] = e_top * boot.replicates[leaves].to_numpy() @ m
        reps[np.isnan(boot.replicates.to_numpy()).any(axis=1)] = np.nan
        table["mean"] = np.nanmean(reps, axis=0)
        table["sd"] = np.nanstd(reps, axis=0, ddof=1)
        for q, col in zip(boot.quantiles, np.nanquantile(reps, boot.quantiles, axis=0)):
            table[qname(q)] = col

    judged = tuple(pan.blocks)
    unjudged = tuple(c for c, n in rubric.nodes.items() if n.children and c not in pan.blocks)
    notes = []
    if unjudged:
        notes.append(
            _(
                "blocks {blocks} were not judged by the panel: their children keep the rubric's local weights"
            ).format(blocks=list(unjudged))
        )
    if len(completed):
        notes.append(
            _("{n} missing judgment(s) estimated ({method}); see 'completed'").format(
                n=len(completed), method=missing
            )
        )
    clash = category_clash(rubric.categories, mapping)
    if clash:
        notes.append(
            _(
                "categories {clash} have their own weights for judged elements; rubric(categories='drop') "
                "applies the panel's weights to every category"
            ).format(clash=clash)
        )
    settings = dict(
        aggregate=aggregate,
        method=method,
        ri=ri,
        missing=missing,
        threshold=threshold,
        k=k,
        n_boot=n_boot,
        seed=seed if isinstance(seed, (int, type(None))) else "Generator",
        quantiles=tuple(quantiles),
        expert_weights=None if ew is None else dict(zip(experts, ew / ew.sum())),
    )
    return AHPWeights(
        weights=table,
        global_weights=eff[indicators].rename("global_weight"),
        local=local,
        aggregate_cr=agg_cr,
        cr=pp.cr,
        inconsistent=pp.inconsistent,
        worst=worst,
        completed=completed,
        per_expert=per,
        bootstrap=boot,
        judged=judged,
        unjudged=unjudged,
        source=rubric,
        settings=settings,
        notes=tuple(notes),
    )
