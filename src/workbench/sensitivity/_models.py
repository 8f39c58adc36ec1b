"""The two models a run can change: rubric scoring (``spec=None``) and a composite build (``Spec``).

:func:`setup` scores the nominal case and says what may vary (a :class:`Context`);
:func:`evaluate` turns a design of uniforms into runs and their scores, grades and ranks.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import SpecError
from ._distributed import assemble, chunk_bounds, map_chunks
from ._factors import Context, parse_factors
from ._rubric_runs import prepare, quota_tuple, rank_rows, run_all
from ._sampling import draw

__all__ = ["Setup", "setup", "evaluate", "Runs"]


@dataclass(frozen=True, eq=False)
class Setup:
    """A model ready for many runs, and its nominal result."""

    rubric: object
    data: object = field(repr=False)
    spec: object
    unit: str | None
    ctx: Context
    model: object = field(repr=False)  # RubricModel, or None for a composite build
    units: pd.Index
    nominal_score: pd.Series
    nominal_rank: pd.Series
    nominal_grade: pd.Series | None
    grade_names: tuple
    target: str


@dataclass(frozen=True, eq=False)
class Runs:
    """Evaluated runs: what each drew and what came out (arrays are runs x units)."""

    weights: pd.DataFrame  # runs x codes (NaN = nominal)
    values: dict  # path -> per-run values of the other factors
    params: pd.DataFrame
    scores: np.ndarray
    ranks: np.ndarray
    grades: np.ndarray | None
    base_weights: dict  # spec weights every run starts from (composite builds)

    def run(self, i: int) -> dict:
        """Run ``i`` as plain data: ``{"weights": {code: w}, path: value, ...}``."""
        out = {p: v[i] for p, v in self.values.items()}
        row = self.weights.iloc[i] if len(self.weights.columns) else pd.Series(dtype=float)
        drawn = {c: float(w) for c, w in row.items() if not np.isnan(w)}
        if drawn or self.base_weights:
            out["weights"] = {**self.base_weights, **drawn}
        return out


def _data_unit(data, unit):
    return unit if unit is not None and unit in getattr(data, "columns", ()) else None


def setup(rubric, data, spec, *, unit="uCode", target=None, func="uncertainty") -> Setup:
    """Score the nominal case once; say which factor paths the model accepts."""
    from ..rubric import Rubric

    if not isinstance(rubric, Rubric):
        raise SpecError(
            f"The 'rubric' parameter of {func} must be a Rubric (see workbench.load_rubric). "
            f"Got {type(rubric).__name__} instead.",
            key="rubric",
        )
    nodes = rubric.nodes
    if spec is None:
        valid_targets = ["final", "total", *rubric.blocks]
        if target is not None and target not in valid_targets:
            raise SpecError(
                f"The 'target' parameter of {func} must be one of {valid_targets}. Got {target!r} instead.",
                key="target",
            )
        model, card = prepare(rubric, data, unit=_data_unit(data, unit), target=target)
        cats = rubric.categories
        fixed = frozenset(c for w in (cats.weights.values() if cats else ()) for c in w)
        scalars = (("party_weight",) if rubric.scheme.type == "weighted" else ()) + (
            ("quota",) if rubric.grades.names else ()
        )
        ctx = Context(rubric, "rubric", {c: float(n.weight) for c, n in nodes.items()}, fixed, scalars)
        tgt = model.target
        score = {"final": card.final, "total": card.total}.get(tgt)
        if score is None:
            score = card.blocks[tgt]
        names = tuple(rubric.grades.names)
        rank = (
            card.rank
            if tgt == "final"
            else pd.Series(
                rank_rows(np.round(score.to_numpy()[None, :], 9))[0], index=card.index, name="rank"
            )
        )
        return Setup(
            rubric,
            data,
            None,
            unit,
            ctx,
            model,
            card.index,
            score.rename("score"),
            rank.rename("rank"),
            card.grade if names else None,
            names,
            tgt,
        )
    from ..scoring import build_index

    base = dict(getattr(spec, "weights", None) or {})
    fields = tuple(f.name for f in dataclasses.fields(spec) if f.name != "weights")
    raw = {c: float(base.get(c, n.weight)) for c, n in nodes.items()}
    ctx = Context(rubric, "spec", raw, frozenset(), fields, fields)
    built = build_index(rubric, data, spec, unit=unit)
    tgt = target or rubric.root
    if tgt not in built.scores.columns:
        raise SpecError(
            f"The 'target' parameter of {func} must be a column of the built scores "
            f"{list(built.scores.columns)}. Got {target!r} instead.",
            key="target",
        )
    score = built.scores[tgt].astype(float)
    rank = pd.Series(rank_rows(np.round(score.to_numpy()[None, :], 9), float)[0], index=score.index)
    return Setup(
        rubric,
        data,
        spec,
        unit,
        ctx,
        None,
        score.index,
        score.rename("score"),
        rank.rename("rank"),
        None,
        (),
        tgt,
    )


def _composite_chunk(job, runs):
    from ..scoring.batch import evaluate_runs

    rubric, data, spec, unit, target, units = job
    if target == rubric.root:
        res = evaluate_runs(rubric, data, spec, list(runs), unit=unit)
        frame = pd.DataFrame(np.asarray(res.scores, dtype=float), index=res.units)
    else:  # the batch interface returns the root only; other targets replay each run
        from ..scoring import build_index
        from ..scoring.spec import apply_overrides

        frame = pd.DataFrame(
            {
                i: build_index(rubric, data, apply_overrides(spec, r), unit=unit).scores[target]
                for i, r in enumerate(runs)
            }
        )
    scores = frame.reindex(units).to_numpy(dtype=float).T
    return scores, None, rank_rows(np.round(scores, 9), float)


def evaluate(st: Setup, factors, u: np.ndarray, client=None) -> Runs:
    """Map a design of uniforms (runs x dims) to runs and evaluate them all."""
    weights, values, params = draw(factors, u)
    n_runs, n = len(u), len(st.units)
    base = {}
    if st.spec is None:
        pos = {c: i for i, c in enumerate(st.model.nodes)}
        override = np.full((n_runs, len(pos)), np.nan)
        for c in weights.columns:
            override[:, pos[c]] = weights[c].to_numpy()
        pw = None if "party_weight" not in values else np.asarray(values["party_weight"], dtype=float)
        qs = None
        if "quota" in values:
            qs = np.full((n_runs, len(st.grade_names)), np.nan)
            for i, q in enumerate(values["quota"]):  # one small dict per run, not per unit
                for j, s in quota_tuple(q, list(st.grade_names)):
                    qs[i, j] = s
        scores, grades, ranks = run_all(st.model, override, pw, qs, client=client)
    else:
        base = dict(getattr(st.spec, "weights", None) or {})
        runs = Runs(weights, values, params, None, None, None, base)
        run_list = [runs.run(i) for i in range(n_runs)]
        job = (st.rubric, st.data, st.spec, st.unit, st.target, st.units)
        # at most 256 runs a piece: runs sharing a table are built together, pieces spread on a cluster
        pieces = [(run_list[a:b],) for a, b in chunk_bounds(n_runs, n, max_runs=256)]
        parts = map_chunks(_composite_chunk, job, pieces, client=client)
        scores, grades, ranks = assemble(parts, n_runs, n, (np.float64, None, np.float64))
    return Runs(weights, values, params, scores, ranks, grades, base)


def factors_for(st: Setup, factors):
    """Parse the factors; for a composite build, check every alternative against the spec now
    (a bad value fails here with the spec's own message, not half-way through the runs)."""
    fs = parse_factors(factors, st.ctx)
    if st.spec is not None:
        from ..scoring.spec import apply_overrides

        for f in fs:
            if f.is_weights:
                continue
            for value in f.alternatives if f.kind == "choice" else f.bounds:
                apply_overrides(st.spec, {f.path: value})
    return fs
