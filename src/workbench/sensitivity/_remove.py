"""Remove one component at a time: how far the ranking (and the grades) move."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._results import ResultMixin
from ..errors import SpecError
from ..scoring.kernel import evaluate
from ._models import setup

__all__ = ["RemoveOneResult", "remove_one"]


@dataclass(frozen=True, repr=False, eq=False)
class RemoveOneResult(ResultMixin):
    """Impact of dropping each component (its siblings renormalised).

    Attributes
    ----------
    table : DataFrame indexed by code
        ``name``, ``parent``, ``mean_abs_rank_change``, ``max_abs_rank_change``,
        ``share_changed`` (units whose rank moved) and, for graded rubrics, ``grade_changed``
        (share of units whose grade changed); sorted by mean change.
    ranks : DataFrame (units x codes) or None
        Ranks with each code removed (rubric scoring).
    """

    table: pd.DataFrame
    ranks: pd.DataFrame | None

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def _summary_title(self) -> str:
        return f"Remove one component at a time ({len(self.table)} components)"

    def _summary_facts(self) -> dict:
        t = self.table
        return {"largest impact": str(t.index[0]) if len(t) else "none"}


def _default_codes(rubric, level):
    r = rubric
    if level == "indicators":
        pool = r.indicators
    elif level == "top":
        pool = r.top_blocks
    elif level == "blocks":
        pool = r.blocks
    else:
        raise SpecError(
            f"The 'level' parameter of remove_one must be one of ['indicators', 'top', 'blocks']. "
            f"Got {level!r} instead.",
            key="level",
        )
    return [c for c in pool if len(r.children(r.parent(c))) > 1]  # an only child cannot be dropped


def remove_one(rubric, data, spec=None, *, level="indicators", codes=None, unit="uCode", target=None):
    """Mean absolute rank change when each component is removed (siblings renormalised).

    Parameters
    ----------
    rubric : Rubric
    data : DataFrame
    spec : Spec or None, default=None
        None: rubric scoring (each removal is ``score(rubric, data, weights={code: 0})``, all
        rescored at once, with grades, veto and quotas). A Spec: delegates to
        :func:`workbench.analysis.removal_impact` on the build.
    level : {"indicators", "top", "blocks"}, default="indicators"
        Which components, when ``codes`` is not given (only children are skipped).
    codes : list of str, optional
    unit : str, default="uCode"
    target : str, optional
        Rubric scoring: ``"final"`` (default), ``"total"`` or a block code.

    Returns
    -------
    RemoveOneResult

    References
    ----------
    OECD/JRC (2008) Handbook on Constructing Composite Indicators, step 7 (exclusion of
    indicators); COINr ``remove_elements`` (Becker et al. 2022, JOSS 7(78)).
    """
    r = rubric
    codes = list(codes) if codes is not None else _default_codes(r, level)
    bad = [c for c in codes if c not in r.nodes or c == r.root]
    if bad:
        raise SpecError(
            f"remove_one: codes {bad} are not components of rubric {r.code!r}; valid codes: "
            f"{[c for c in r.nodes if c != r.root]}",
            key="codes",
        )
    if not codes:
        raise SpecError("remove_one: nothing to remove (every component is an only child)", key="codes")
    if spec is not None:
        from ..analysis import removal_impact
        from ..composite import build_index

        built = build_index(r, data, spec, unit=unit)
        table = removal_impact(built, codes).table.copy()
        table.insert(0, "name", [r.nodes[c].name for c in table.index])
        return RemoveOneResult(table, None)
    st = setup(r, data, None, unit=unit, target=target, func="remove_one")
    job = st.job
    override = np.full((len(codes), len(job.program.nodes)), np.nan)
    override[np.arange(len(codes)), job.program.position(codes)] = 0.0
    ev = evaluate(job.program, job.inputs, weights=override, target=job.target)
    grades, ranks = ev.grade, ev.rank
    moved = np.abs(ranks - st.nominal_rank.to_numpy()[None, :])
    table = pd.DataFrame(
        {
            "name": [r.nodes[c].name for c in codes],
            "parent": [r.parent(c) for c in codes],
            "mean_abs_rank_change": moved.mean(axis=1),
            "max_abs_rank_change": moved.max(axis=1),
            "share_changed": (moved > 0).mean(axis=1),
        },
        index=pd.Index(codes, name="code"),
    )
    if grades is not None:
        nominal = pd.Categorical(st.nominal_grade, categories=list(st.grade_names)).codes
        table["grade_changed"] = (grades != nominal[None, :]).mean(axis=1)
    table = table.sort_values("mean_abs_rank_change", ascending=False, kind="stable")
    ranks_frame = pd.DataFrame(ranks.T, index=st.units, columns=pd.Index(codes, name="removed"))
    return RemoveOneResult(table, ranks_frame)
