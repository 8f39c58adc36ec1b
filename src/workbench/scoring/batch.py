"""Many builds at once, for uncertainty and sensitivity analysis (COINr's ``get_sensitivity``).

``evaluate_runs`` takes a nominal spec and a list of runs (each a mapping of field paths to
values, see :func:`~workbench.scoring.apply_overrides`) and returns the index of every unit in
every run. Runs are grouped by the fields that change the table before aggregation
(denominate, impute, screen, treat, normalise): each distinct table is computed once, each of its
stages cached by the canonical JSON of the fields it depends on. All runs that share a table and
an aggregation method are aggregated together, vectorised over their weight sets. The scores are
bit-identical to ``build_index(rubric, data, apply_overrides(spec, run))`` for each run.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._results import ResultMixin
from ..errors import SpecError
from .aggregate import aggregate_runs
from .build import Pipeline, as_spec
from .spec import PRE_AGGREGATION, apply_overrides
from .spec import _canon_weights as canon_weights

__all__ = ["evaluate_runs", "BatchScores"]


@dataclass(frozen=True, repr=False, eq=False)
class BatchScores(ResultMixin):
    """Index scores of every unit in every run.

    Attributes
    ----------
    scores : ndarray of shape (n_units, n_runs)
        Root (index) score, or the ``target`` code's; NaN where a run's screening dropped the unit.
    units : Index
        Unit ids of the rows (every unit of the data, in data order).
    n_tables : int
        Distinct pre-aggregation tables computed (the rest of the runs reused them).
    """

    scores: np.ndarray
    units: pd.Index
    n_tables: int

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            self.scores, index=self.units, columns=pd.RangeIndex(self.scores.shape[1], name="run")
        )

    def _summary_title(self) -> str:
        return "BatchScores: index scores per run"

    def _summary_facts(self) -> dict:
        return {"units": self.scores.shape[0], "runs": self.scores.shape[1], "distinct tables": self.n_tables}


def _specs(spec, runs) -> tuple[list, list]:
    """Each run's spec without its weights (one spec per distinct setting, shared by the runs that
    have it) and each run's weights, set by the 'weights' paths as :func:`apply_overrides` does."""
    cache, specs, weights = {}, [], []
    for run in runs:
        if not isinstance(run, Mapping):
            raise SpecError(f"a run must be a dict of field paths to values; got {type(run).__name__}")
        rest = {p: v for p, v in run.items() if p != "weights" and not str(p).startswith("weights.")}
        key = json.dumps(rest, sort_keys=True, default=repr)
        if key not in cache:
            cache[key] = apply_overrides(spec, rest)
        base = cache[key]
        w = None if base.weights is None else dict(base.weights)
        for path, value in run.items():
            if path == "weights":
                w = canon_weights(value)
            elif str(path).startswith("weights."):
                w = {**(w or {}), **canon_weights({str(path)[len("weights.") :]: value})}
        specs.append(base)
        weights.append(w)
    return specs, weights


def evaluate_runs(rubric, data, spec, runs, unit="uCode", *, target=None) -> BatchScores:
    """Index scores for many variants of a build, computed together.

    Parameters
    ----------
    rubric : Rubric
    data : DataFrame of shape (n_units, n_columns)
    spec : Spec or dict
        The nominal build.
    runs : sequence of mapping
        One mapping per run from field path to value, e.g. ``{"treat.winmax": 3, "normalise":
        {"method": "zscore"}, "aggregate": "gmean", "weights": {code: w}}``; ``{}`` is the nominal.
    unit : str or None, default="uCode"
    target : str, optional
        Code whose scores are returned (default the root, i.e. the index).

    Returns
    -------
    BatchScores
        ``scores`` (n_units x n_runs), ``units``.

    References
    ----------
    Saisana, M., Saltelli, A. & Tarantola, S. (2005). Uncertainty and sensitivity analysis
    techniques as tools for the quality assessment of composite indicators. JRSS A 168(2):307-323.

    Examples
    --------
    >>> runs = [{"treat.winmax": w, "aggregate": a} for w in (1, 5) for a in ("amean", "gmean")]
    >>> out = evaluate_runs(rubric, data, spec, runs)  # doctest: +SKIP
    >>> out.scores.shape  # doctest: +SKIP
    (51, 4)
    """
    spec = as_spec(spec)
    if isinstance(runs, (str, bytes)) or not hasattr(runs, "__iter__"):
        raise SpecError(f"runs must be a list of dicts (field path -> value); got {type(runs).__name__}")
    specs, weights = _specs(spec, list(runs))
    pipe = Pipeline(rubric, data, unit)
    plan = pipe.plan
    col = plan.root if target is None else plan.pos.get(target)
    if col is None:
        raise SpecError(
            f"The 'target' parameter of evaluate_runs must be a code of the rubric, e.g. {rubric.root!r}. "
            f"Got {target!r} instead.",
            key="target",
        )
    out = np.full((len(pipe.units), len(specs)), np.nan)
    groups: dict[str, dict[str, list[int]]] = {}
    keys = {}  # canonical keys once per distinct spec, not once per run
    for i, s in enumerate(specs):
        if id(s) not in keys:
            keys[id(s)] = (s.canonical_json(PRE_AGGREGATION), s.canonical_json(("aggregate",)))
        table, agg = keys[id(s)]
        groups.setdefault(table, {}).setdefault(agg, []).append(i)
    for by_agg in groups.values():
        members_all = next(iter(by_agg.values()))
        stages = pipe.run(specs[members_all[0]])
        _, rows, values, _ = stages[-1]
        units = pipe.units[rows]
        for members in by_agg.values():
            W = plan.weight_matrix([weights[i] for i in members])
            A = aggregate_runs(plan, values, W, specs[members[0]].aggregate, units)
            out[np.ix_(rows, members)] = A[:, :, col]
    return BatchScores(scores=out, units=pipe.units, n_tables=len(groups))
