"""Expert panels over a hierarchy: every expert's priorities and consistency, vectorised over experts."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._i18n import _
from .._results import ResultMixin
from ..errors import JudgmentError, SpecError, check_option
from ._core import METHODS, stack_priorities
from ._group import Judgments
from ._hierarchy import structure
from ._kernels import harker_matrix, perron_many, row_gm_many
from ._missing import complete_array
from ._ri import ri_lookup

__all__ = ["Panel", "PanelPriorities", "panel_priorities", "block_priorities", "propagate"]

_MISSING = (None, "harker", "bozoki")


@dataclass(frozen=True, repr=False, eq=False)
class Panel(ResultMixin):
    """Judgments of one panel of experts over a hierarchy.

    Parameters
    ----------
    blocks : dict
        Maps each parent code to the :class:`Judgments` on its children (or to a list / dict of
        labelled DataFrames, one per expert). Every block must have the same experts; the root is
        the parent that is nobody's child, as in :func:`synthesise`.

    Examples
    --------
    >>> import numpy as np
    >>> j = Judgments(np.array([[[1, 2], [0.5, 1]], [[1, 4], [0.25, 1]]]), ("A", "B"), ("e1", "e2"))
    >>> Panel({"goal": j}).experts
    ('e1', 'e2')
    """

    blocks: dict

    def __post_init__(self):
        if not isinstance(self.blocks, dict) or not self.blocks:
            raise JudgmentError(_("Panel: 'blocks' must be a non-empty dict mapping parents to Judgments."))
        blocks = {}
        for parent, j in self.blocks.items():
            if not isinstance(j, Judgments):
                try:
                    j = Judgments.from_matrices(j)
                except JudgmentError as exc:
                    raise type(exc)(
                        _("block '{parent}': {error}").format(parent=parent, error=exc), key=str(parent)
                    ) from None
            blocks[parent] = j
        first = next(iter(blocks.values())).experts
        for parent, j in blocks.items():
            if set(j.experts) != set(first):
                raise JudgmentError(
                    _(
                        "Panel: block '{parent}' has experts {experts}, the first block has {first}; "
                        "every expert must judge every block (use NaN for a missing judgment)."
                    ).format(parent=parent, experts=list(j.experts), first=list(first)),
                    key=str(parent),
                )
            if j.experts != first:
                order = [j.experts.index(e) for e in first]
                blocks[parent] = Judgments(j.values[order], j.elements, first)
        structure({p: list(j.elements) for p, j in blocks.items()})
        object.__setattr__(self, "blocks", blocks)

    @classmethod
    def from_arrays(cls, arrays: dict, elements: dict, experts=None) -> Panel:
        """Build from ``parent -> ndarray (n_experts, k, k)`` and ``parent -> k element codes``."""
        missing = [str(p) for p in arrays if p not in elements]
        if missing:
            raise JudgmentError(
                _("Panel.from_arrays: no element codes given for block(s) {missing}.").format(missing=missing)
            )
        ex = () if experts is None else tuple(experts)
        return cls({p: Judgments(a, tuple(elements[p]), ex) for p, a in arrays.items()})

    @property
    def experts(self) -> tuple:
        return next(iter(self.blocks.values())).experts

    def to_frame(self) -> pd.DataFrame:
        rows = []
        for p, j in self.blocks.items():
            k = len(j.elements)
            rows.append(
                {
                    "parent": p,
                    "elements": k,
                    "missing": int(np.isnan(j.values).sum() // 2),
                    "pairs": k * (k - 1) // 2,
                }
            )
        return pd.DataFrame(rows).set_index("parent")

    def _summary_title(self) -> str:
        return _("Panel of {n_experts} expert(s), {n_blocks} block(s)").format(
            n_experts=len(self.experts), n_blocks=len(self.blocks)
        )


def as_panel(panel, func: str) -> Panel:
    if isinstance(panel, Panel):
        return panel
    if isinstance(panel, Judgments):
        return Panel({"goal": panel})
    if isinstance(panel, dict):
        return Panel(panel)
    raise JudgmentError(
        _("{func}: expected a Panel, a Judgments or a dict parent -> Judgments; got {type_name}.").format(
            func=func, type_name=type(panel).__name__
        )
    )


def block_priorities(a: np.ndarray, method: str, ri_val: float, missing):
    """``(weights, lambda_max, cr)`` of a stack that may hold NaN (missing) judgments.

    Harker's method runs on the whole stack at once (its modified matrices are iterated like any
    other); Bozóki's completion is an optimisation per incomplete matrix.
    """
    nan = np.isnan(a)
    has = nan.any(axis=(1, 2))
    if has.any():
        if missing is None:
            raise JudgmentError(
                _("{count} matrix(es) have missing judgments; pass missing='harker' or 'bozoki'.").format(
                    count=int(has.sum())
                ),
                key="missing",
            )
        a = a.copy()
        if missing == "harker":
            sub = a[has]
            c, known = harker_matrix(sub)
            w, __ = perron_many(c, row_gm_many(sub, known))
            a[has] = np.where(known, sub, w[:, :, None] / w[:, None, :])
        else:
            for k in np.flatnonzero(has):
                a[k] = complete_array(a[k], "bozoki")
    return stack_priorities(a, method, ri_val)


def propagate(local: dict, order: list, leaves: list, shape: tuple) -> np.ndarray:
    """Leaf global weights ``shape + (n_leaves,)`` from local weight arrays ``parent -> (*shape, k)``.

    ``local[p]`` is a pair ``(children, array)``; the loop runs over links of the hierarchy, each
    step vectorised over experts or replicates.
    """
    g = {order[0]: np.ones(shape)}
    for p in order:
        children, w = local[p]
        for i, c in enumerate(children):
            g[c] = g[c] + g[p] * w[..., i] if c in g else g[p] * w[..., i]
    return np.stack([g[leaf] for leaf in leaves], axis=-1)


@dataclass(frozen=True, repr=False, eq=False)
class PanelPriorities(ResultMixin):
    """Every expert's priorities and consistency, block by block.

    Attributes
    ----------
    local : dict of DataFrame
        Per parent: experts x children local weights.
    global_weights : DataFrame
        Experts x leaves: each expert's own synthesis.
    cr : DataFrame
        Experts x parents consistency ratios.
    inconsistent : DataFrame
        One row per (expert, parent) with CR above ``threshold``.
    threshold : float
    """

    local: dict
    global_weights: pd.DataFrame
    cr: pd.DataFrame
    inconsistent: pd.DataFrame
    threshold: float

    def to_frame(self) -> pd.DataFrame:
        return self.cr

    def _summary_title(self) -> str:
        return _("Panel priorities ({n_experts} experts, {n_blocks} blocks)").format(
            n_experts=self.cr.shape[0], n_blocks=self.cr.shape[1]
        )

    def _summary_facts(self) -> dict:
        return {
            _("judgments with CR > {threshold:g}").format(threshold=self.threshold): len(self.inconsistent)
        }


def panel_priorities(
    panel, method="eigen", ri="saaty1980", missing="harker", threshold=0.1
) -> PanelPriorities:
    """Each expert's priorities and CR for every block, and who is inconsistent.

    Parameters
    ----------
    panel : Panel, Judgments or dict parent -> Judgments
    method : {"eigen", "geometric", "colnorm"}, default="eigen"
    ri : str, default="saaty1980"
        Random-index table, see :func:`random_index`.
    missing : {None, "harker", "bozoki"}, default="harker"
        Estimation of missing judgments (see :func:`complete`).
    threshold : float, default=0.1
        CR above which an expert's block is listed as inconsistent (Saaty's 10 % rule).

    Returns
    -------
    PanelPriorities

    References
    ----------
    Saaty (1980) The Analytic Hierarchy Process; Harker (1987) Mathematical Modelling 9:837-848.
    """
    check_option(method, METHODS, name="method", func="panel_priorities")
    check_option(missing, _MISSING, name="missing", func="panel_priorities")
    if not isinstance(threshold, (int, float)) or not threshold >= 0:
        raise SpecError(
            _(
                "The 'threshold' parameter of panel_priorities must be a number >= 0. Got "
                "{threshold!r} instead."
            ).format(threshold=threshold),
            key="threshold",
        )
    pan = as_panel(panel, "panel_priorities")
    experts = pd.Index(pan.experts, name="expert")
    root, order, leaves = structure({p: list(j.elements) for p, j in pan.blocks.items()})
    local, crs, arrays = {}, {}, {}
    for p in order:
        j = pan.blocks[p]
        ri_val = ri_lookup(len(j.elements), ri, func="panel_priorities")[0]
        try:
            w, __, cr = block_priorities(np.asarray(j.values), method, ri_val, missing)
        except JudgmentError as exc:
            raise type(exc)(
                _("panel_priorities, block '{parent}': {error}").format(parent=p, error=exc), key=str(p)
            ) from None
        local[p] = pd.DataFrame(w, index=experts, columns=list(j.elements))
        crs[p] = cr
        arrays[p] = (list(j.elements), w)
    glob = propagate(arrays, order, leaves, (len(experts),))
    cr = pd.DataFrame(crs, index=experts)
    long = cr.stack().rename("cr").reset_index()
    long.columns = ["expert", "parent", "cr"]
    bad = long[long["cr"] > threshold].sort_values("cr", ascending=False).reset_index(drop=True)
    return PanelPriorities(
        local, pd.DataFrame(glob, index=experts, columns=leaves), cr, bad, float(threshold)
    )
