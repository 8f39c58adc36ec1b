"""Hierarchies: local priorities of every parent and their synthesis into global weights."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._i18n import _
from .._results import ResultMixin
from ..errors import JudgmentError
from ._core import Priorities, priorities

__all__ = ["Hierarchy", "synthesise", "structure"]


def structure(children: dict) -> tuple[object, list, list]:
    """``(root, parents in top-down order, leaves)`` of a tree given as parent -> children labels.

    Children may have several parents (alternatives under every criterion); cycles, several roots
    and parents that the root does not reach are errors.
    """
    parents = list(children)
    is_child = {c for kids in children.values() for c in kids}
    roots = [p for p in parents if p not in is_child]
    if len(roots) != 1:
        if not roots:
            raise JudgmentError(
                _(
                    "synthesise: every parent is also somebody's child, so the hierarchy has no "
                    "root (a cycle); parents: {parents}."
                ).format(parents=[str(p) for p in parents])
            )
        raise JudgmentError(
            _(
                "synthesise: the hierarchy has {n_roots} roots {roots} "
                "(parents that are nobody's child); expected exactly one goal. Add a top-level "
                "matrix comparing them, or synthesise each tree separately."
            ).format(n_roots=len(roots), roots=[str(r) for r in roots]),
            hint=_("check the spelling of the parent names against the children labels"),
        )
    # Kahn's algorithm: a parent is processed once every parent above it has passed weight down.
    indeg = {p: 0 for p in parents}
    for kids in children.values():
        for c in kids:
            if c in indeg:
                indeg[c] += 1
    order, queue = [], [roots[0]]
    while queue:
        p = queue.pop(0)
        order.append(p)
        for c in children[p]:
            if c in indeg:
                indeg[c] -= 1
                if indeg[c] == 0:
                    queue.append(c)
    if len(order) != len(parents):
        stuck = [str(p) for p in parents if p not in order]
        raise JudgmentError(_("synthesise: the hierarchy has a cycle through {stuck}.").format(stuck=stuck))
    leaves, seen = [], set()
    for p in order:
        for c in children[p]:
            if c not in children and c not in seen:
                seen.add(c)
                leaves.append(c)
    return roots[0], order, leaves


@dataclass(frozen=True, repr=False, eq=False)
class Hierarchy(ResultMixin):
    """Synthesis of a hierarchy (distributive mode).

    Attributes
    ----------
    global_weights : Series
        Weight of every leaf in the goal (sum 1), indexed by leaf code.
    node_weights : Series
        Global weight of every node below the root (parents and leaves).
    local : dict of Series
        Local priorities of the children of each parent, indexed by child code.
    cr : Series
        Consistency ratio of each parent's matrix (0 when weights were given directly).
    details : dict of Priorities
        The full result of each parent's matrix.
    root : str
    """

    global_weights: pd.Series
    node_weights: pd.Series
    local: dict
    cr: pd.Series
    details: dict
    root: object

    def to_frame(self) -> pd.DataFrame:
        top = {p: (1.0 if p == self.root else self.node_weights[p]) for p in self.local}
        rows = [
            {
                "parent": p,
                "element": c,
                "local": w,
                "contribution": top[p] * w,
                "global": self.node_weights[c],
            }
            for p, loc in self.local.items()
            for c, w in loc.items()
        ]
        out = pd.DataFrame(rows).set_index("element")
        out["leaf"] = out.index.isin(self.global_weights.index)
        return out

    def _summary_title(self) -> str:
        return _("AHP hierarchy '{root}' ({n_matrices} matrices, {n_leaves} leaves)").format(
            root=self.root, n_matrices=len(self.local), n_leaves=len(self.global_weights)
        )

    def _summary_facts(self) -> dict:
        worst = self.cr.idxmax()
        return {_("largest CR"): _("{cr:.4g} ({parent})").format(cr=self.cr[worst], parent=worst)}


def _local(parent, block, method, ri, missing):
    if isinstance(block, Priorities):
        if not isinstance(block.weights, pd.Series):
            raise JudgmentError(
                _("synthesise: the priorities of parent '{parent}' are not labelled.").format(parent=parent),
                key=str(parent),
            )
        return block
    if isinstance(block, pd.Series):
        w = block.astype(float)
        if (w < 0).any() or not np.isfinite(w).all() or w.sum() <= 0:
            raise JudgmentError(
                _(
                    "synthesise: direct weights of parent '{parent}' must be non-negative and "
                    "finite with a positive sum; got {weights}."
                ).format(parent=parent, weights=w.to_dict()),
                key=str(parent),
            )
        return w / w.sum()
    if not isinstance(block, pd.DataFrame):
        raise JudgmentError(
            _(
                "synthesise: the entry of parent '{parent}' is a {type_name}; expected a "
                "labelled pairwise DataFrame of its children (or a Series of direct weights), "
                "so that children can be linked to the parents below them."
            ).format(parent=parent, type_name=type(block).__name__),
            key=str(parent),
        )
    try:
        return priorities(block, method=method, ri=ri, missing=missing)
    except JudgmentError as exc:
        raise type(exc)(
            _("parent '{parent}': {error}").format(parent=parent, error=exc), key=str(parent)
        ) from None


def synthesise(tree, method="eigen", ri="saaty1980", missing=None) -> Hierarchy:
    """Global weights of a hierarchy from the pairwise matrices of its parents.

    Parameters
    ----------
    tree : dict
        Maps each parent code to the labelled pairwise DataFrame of its children (or to a Series of
        direct weights, or a :class:`Priorities`). The root is the parent that is nobody's child;
        children that are not parents are leaves. A child may sit under several parents (as
        alternatives under every criterion); its global weight adds up over them.
    method, ri, missing :
        Passed to :func:`priorities` for every matrix.

    Returns
    -------
    Hierarchy
        ``global_weights`` (leaves, sum 1), ``local`` (per parent), ``cr`` (per parent),
        ``node_weights``; ``to_frame()`` lists every parent-child link with the local weight, the
        contribution through that parent (its global weight x local) and the child's global weight
        (summed over its parents). Weights are not rounded
        before synthesis (AHPy rounds each local vector, which can move the third decimal).

    References
    ----------
    Saaty (1980) The Analytic Hierarchy Process. McGraw-Hill (distributive synthesis).

    Examples
    --------
    >>> import pandas as pd
    >>> top = pd.DataFrame([[1, 3], [1 / 3, 1]], index=["A", "B"], columns=["A", "B"])
    >>> sub = pd.DataFrame([[1, 1], [1, 1]], index=["a1", "a2"], columns=["a1", "a2"])
    >>> synthesise({"goal": top, "A": sub}).global_weights.round(3).to_dict()
    {'B': 0.25, 'a1': 0.375, 'a2': 0.375}
    """
    if not isinstance(tree, dict) or not tree:
        raise JudgmentError(
            _("synthesise: 'tree' must be a non-empty dict mapping each parent to its matrix.")
        )
    details = {p: _local(p, block, method, ri, missing) for p, block in tree.items()}
    local = {p: (d.weights if isinstance(d, Priorities) else d) for p, d in details.items()}
    root, order, leaves = structure({p: list(w.index) for p, w in local.items()})
    g = {root: 1.0}
    for p in order:
        gp = g[p]
        for c, w in local[p].items():
            g[c] = g.get(c, 0.0) + gp * float(w)
    nodes = pd.Series({c: v for c, v in g.items() if c != root}, name="global_weight", dtype=float)
    cr = pd.Series({p: (d.cr if isinstance(d, Priorities) else 0.0) for p, d in details.items()}, name="cr")
    return Hierarchy(
        global_weights=nodes.loc[leaves].rename("global_weight"),
        node_weights=nodes,
        local={p: local[p].rename("local_weight") for p in order},
        cr=cr[order],
        details={p: details[p] for p in order if isinstance(details[p], Priorities)},
        root=root,
    )
