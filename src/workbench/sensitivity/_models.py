"""The two models a run can change: rubric scoring (``spec=None``) and a composite build (``Spec``).

:func:`setup` scores the nominal case once and says what may vary (a :class:`Context`); a job
(:class:`RubricJob` or :class:`CompositeJob`, plain data a dask worker can receive) scores any
chunk of runs, drawing them from the seed itself (:func:`chunk`); :func:`evaluate` runs every
chunk and assembles the runs x units arrays.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import SpecError
from ..scoring import grades as G
from ..scoring.kernel import evaluate as kernel_evaluate
from ._factors import Context, parse_factors
from ._runner import chunk_bounds, local_map, map_chunks
from ._sampling import draw

__all__ = ["Setup", "setup", "evaluate", "Runs", "RubricJob", "CompositeJob", "chunk", "concat_draws"]


@dataclass(frozen=True, eq=False)
class RubricJob:
    """Rubric scoring: the compiled program and prepared inputs (picklable for dask)."""

    program: object = field(repr=False)
    inputs: object = field(repr=False)
    target: str = "final"
    factors: tuple = ()
    design: object = None

    @property
    def n_units(self) -> int:
        return self.inputs.n

    @property
    def graded(self) -> bool:
        return bool(self.program.names)


@dataclass(frozen=True, eq=False)
class CompositeJob:
    """A composite build (COINr-style pipeline) and its nominal spec."""

    rubric: object = field(repr=False)
    data: object = field(repr=False)
    spec: object = None
    unit: str | None = None
    target: str = ""
    units: pd.Index = None
    factors: tuple = ()
    design: object = None

    @property
    def n_units(self) -> int:
        return len(self.units)

    graded = False


@dataclass(frozen=True, eq=False)
class Setup:
    """A model ready for many runs, and its nominal result."""

    rubric: object
    data: object = field(repr=False)
    spec: object
    unit: str | None
    ctx: Context
    job: object = field(repr=False)  # RubricJob or CompositeJob, without factors and design yet
    units: pd.Index
    nominal_score: pd.Series
    nominal_rank: pd.Series
    nominal_grade: pd.Series | None
    grade_names: tuple
    target: str

    def with_runs(self, factors, design):
        return dataclasses.replace(self.job, factors=tuple(factors), design=design)


@dataclass(frozen=True, eq=False)
class Runs:
    """Evaluated runs: what each drew and what came out (arrays are runs x units, or None when the
    runs were reduced on the workers)."""

    weights: pd.DataFrame  # runs x codes (NaN = nominal)
    values: dict  # path -> per-run values of the other factors
    params: pd.DataFrame
    scores: np.ndarray | None
    ranks: np.ndarray | None
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
        from ..scoring.engine import score_inputs

        valid_targets = ["final", "total", *rubric.blocks]
        if target is not None and target not in valid_targets:
            raise SpecError(
                f"The 'target' parameter of {func} must be one of {valid_targets}. Got {target!r} instead.",
                key="target",
            )
        card, program, inputs = score_inputs(rubric, data, unit=_data_unit(data, unit))
        cats = rubric.categories
        fixed = frozenset(c for w in (cats.weights.values() if cats else ()) for c in w)
        scalars = (("party_weight",) if rubric.scheme.type == "weighted" else ()) + (
            ("quota",) if rubric.grades.names else ()
        )
        ctx = Context(rubric, "rubric", {c: float(n.weight) for c, n in nodes.items()}, fixed, scalars)
        tgt = target or "final"
        score = {"final": card.final, "total": card.total}.get(tgt)
        if score is None:
            score = card.blocks[tgt]
        rank = card.rank
        if tgt != "final":
            rank = pd.Series(G.rank_rows(G.round9(score.to_numpy()[None, :]))[0], index=card.index)
        names = tuple(rubric.grades.names)
        job = RubricJob(program, inputs, tgt)
        grade = card.grade if names else None
        return Setup(rubric, data, None, unit, ctx, job, card.index, score.rename("score"),
                     rank.rename("rank"), grade, names, tgt)  # fmt: skip
    from ..composite import build_index

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
    rank = pd.Series(G.rank_rows(G.round9(score.to_numpy()[None, :]), float)[0], index=score.index)
    job = CompositeJob(rubric, data, spec, unit, tgt, score.index)
    return Setup(rubric, data, spec, unit, ctx, job, score.index, score.rename("score"),
                 rank.rename("rank"), None, (), tgt)  # fmt: skip


def draws(job, a: int, b: int):
    """The runs a..b-1 as drawn from the seed: (weights, values, params), indexed a..b-1."""
    weights, values, params = draw(list(job.factors), job.design.rows(a, b))
    index = pd.RangeIndex(a, b, name="run")
    return weights.set_axis(index), values, params.set_axis(index)


def rubric_variants(job: RubricJob, weights: pd.DataFrame, values: dict) -> dict:
    """Kernel variant arrays (weights, party weight, quota) of drawn runs."""
    program, r_ = job.program, len(weights)
    out = {}
    if len(weights.columns):
        w = np.full((r_, len(program.nodes)), np.nan)
        w[:, program.position(list(weights.columns))] = weights.to_numpy(dtype=float)
        out["weights"] = w
    if "party_weight" in values:
        out["party_weight"] = np.asarray(values["party_weight"], dtype=float)
    if "quota" in values:  # one small table per run, not per unit
        out["quota"] = np.concatenate([G.quota_table(q, program.names) for q in values["quota"]])
    return out


def chunk(job, a: int, b: int, out=None, grades: bool = True):
    """Draw and score runs a..b-1: (weights, values, params, scores, grades, ranks)."""
    weights, values, params = draws(job, a, b)
    if isinstance(job, RubricJob):
        ev = kernel_evaluate(job.program, job.inputs, target=job.target, out=out, grades=grades,
                             **rubric_variants(job, weights, values))  # fmt: skip
        if out is not None:
            return weights, values, params, None, None, None
        return weights, values, params, ev.target, ev.grade, ev.rank
    scores = _composite_scores(job, weights, values)
    return weights, values, params, scores, None, G.rank_rows(G.round9(scores), float)


def _composite_scores(job: CompositeJob, weights, values) -> np.ndarray:
    from ..composite.batch import evaluate_runs

    base = dict(getattr(job.spec, "weights", None) or {})
    codes, w = list(weights.columns), weights.to_numpy(dtype=float)
    run_list = []
    for i in range(len(weights)):  # one small dict per run, as Runs.run(i) makes it
        run = {p: v[i] for p, v in values.items()}
        drawn = {c: float(x) for c, x in zip(codes, w[i]) if not np.isnan(x)}
        if drawn or base:
            run["weights"] = {**base, **drawn}
        run_list.append(run)
    if job.target == job.rubric.root:
        res = evaluate_runs(job.rubric, job.data, job.spec, run_list, unit=job.unit)
        frame = pd.DataFrame(np.asarray(res.scores, dtype=float), index=res.units)
    else:  # the batch interface returns the root only; other targets replay each run
        from ..composite import build_index
        from ..composite.spec import apply_overrides

        frame = pd.DataFrame(
            {
                i: build_index(job.rubric, job.data, apply_overrides(job.spec, r), unit=job.unit).scores[
                    job.target
                ]
                for i, r in enumerate(run_list)
            }
        )
    return frame.reindex(job.units).to_numpy(dtype=float).T


def concat_draws(parts) -> tuple:
    """Weights, values and params of consecutive chunks, joined in run order."""
    weights = pd.concat([p[0] for p in parts])
    params = pd.concat([p[2] for p in parts])
    values = {k: [v for p in parts for v in p[1][k]] for k in parts[0][1]}
    return weights, values, params


def evaluate(st: Setup, factors, design, n_runs: int, client=None) -> Runs:
    """Draw and evaluate every run; the runs x units arrays are assembled here."""
    job = st.with_runs(factors, design)
    n = job.n_units
    base = dict(getattr(st.spec, "weights", None) or {}) if st.spec is not None else {}
    if isinstance(job, RubricJob):
        pieces = chunk_bounds(n_runs, n)
    else:  # runs sharing a table are built together: one piece here, pieces of 256 on a cluster
        pieces = chunk_bounds(n_runs, n, max_runs=256 if client is not None else None)
    if isinstance(job, RubricJob) and client is None:  # chunks write straight into the result
        whole = (
            np.empty((n_runs, n)),
            np.empty((n_runs, n), dtype=np.int8) if job.graded else None,
            np.empty((n_runs, n), dtype=np.int32),
        )
        parts = local_map(
            lambda ab: chunk(job, *ab, out=tuple(None if w is None else w[ab[0] : ab[1]] for w in whole)),
            pieces,
        )
        scores, grades, ranks = whole
    else:
        parts = map_chunks(chunk, job, pieces, client=client)
        scores, grades, ranks = (
            None if parts[0][k] is None else np.concatenate([p[k] for p in parts]) for k in (3, 4, 5)
        )
    weights, values, params = concat_draws(parts)
    return Runs(weights, values, params, scores, ranks, grades, base)


def factors_for(st: Setup, factors):
    """Parse the factors; for a composite build, check every alternative against the spec now
    (a bad value fails here with the spec's own message, not half-way through the runs)."""
    fs = parse_factors(factors, st.ctx)
    if st.spec is not None:
        from ..composite.spec import apply_overrides

        for f in fs:
            if f.is_weights:
                continue
            for value in f.alternatives if f.kind == "choice" else f.bounds:
                apply_overrides(st.spec, {f.path: value})
    return fs
