"""Uncertain factors: what may vary, checked once, with every bad value named.

A factor is a (field path, alternatives or distribution) pair, as COINr's Address/Distribution:
``"weights"`` (weight sets, global AHP weights, Dirichlet or uniform noise around the nominal
weights), ``"weights.<code>"``, and scalar settings (``"quota"``, ``"party_weight"``, any spec
field path of a composite build). :func:`parse_factors` turns them into :class:`Factor` objects
that say how many design dimensions each needs.
"""

from __future__ import annotations

import dataclasses
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import SpecError

__all__ = ["Context", "Factor", "parse_factors"]

_SCALARS = (str, numbers.Number, type(None))


@dataclass(frozen=True)
class Context:
    """What a model lets vary: the rubric's weight tree, fixed codes and scalar settings."""

    rubric: object
    kind: str  # "rubric" or "spec"
    nominal_raw: Mapping  # code -> relative weight the runs start from
    fixed: frozenset  # codes whose weight categories set (left alone unless named)
    scalar_paths: tuple  # paths that take one scalar or alternative per run
    spec_fields: tuple = ()  # spec fields whose dotted sub-keys are accepted

    @property
    def codes(self) -> list[str]:
        return [c for c in self.rubric.nodes if c != self.rubric.root]

    def valid_paths(self) -> list[str]:
        return ["weights", "weights.<code>", *self.scalar_paths] + [f"{f}.<key>" for f in self.spec_fields]


@dataclass(frozen=True)
class Factor:
    """One uncertain input. ``kind``: choice | uniform | dirichlet | noise | sets."""

    path: str
    kind: str
    dims: int
    alternatives: tuple = ()
    bounds: tuple = ()
    codes: tuple = ()  # weights written by this factor (columns of its draw)
    groups: tuple = ()  # dirichlet/noise: (positions in codes, nominal shares, scale) per sibling group
    param: float = 0.0
    table: np.ndarray | None = field(default=None, repr=False)  # sets: (n_sets, len(codes))
    labels: tuple = ()

    @property
    def is_weights(self) -> bool:
        return self.path == "weights" or self.path.startswith("weights.")


def _bad(path, message, hint=None):
    return SpecError(f"factor {path!r}: {message}", key=path, hint=hint)


def _check_weight_table(ctx, path, frame: pd.DataFrame) -> None:
    """Weight sets: known codes, finite non-negative numbers, every sibling of a touched parent."""
    r = ctx.rubric
    unknown = [c for c in frame.columns if c not in r.nodes or c == r.root]
    if unknown:
        raise _bad(
            path,
            f"weight sets name codes that are not in rubric {r.code!r}: {unknown}; valid codes: {ctx.codes}",
        )
    values = frame.to_numpy(dtype=float)
    bad = (~np.isfinite(values) & ~np.isnan(values)) | (values < 0)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise _bad(
            path,
            f"weights must be finite and >= 0; set {frame.index[i]!r} gives "
            f"{frame.columns[j]!r} = {values[i, j]!r}",
        )
    given = ~np.isnan(values)
    col = {c: j for j, c in enumerate(frame.columns)}
    parents = dict.fromkeys(r.parent(c) for c in frame.columns)
    for p in parents:
        kids = r.children(p)
        missing = [k for k in kids if k not in col]
        if missing:
            raise _bad(
                path,
                f"weight sets do not cover the children of {p!r}: missing {missing}",
                hint="give every sibling (weights are relative within each parent), or vary one "
                "weight in the rubric's own units with the path 'weights.<code>'",
            )
        kid_given = given[:, [col[k] for k in kids]]
        partial = kid_given.any(axis=1) & ~kid_given.all(axis=1)
        if partial.any():
            i = int(np.flatnonzero(partial)[0])
            gone = [k for k, g in zip(kids, kid_given[i]) if not g]
            raise _bad(
                path, f"weight set {frame.index[i]!r} does not cover the children of {p!r}: missing {gone}"
            )
        zero = kid_given.all(axis=1) & (np.nan_to_num(values[:, [col[k] for k in kids]]).sum(axis=1) == 0)
        if zero.any():
            raise _bad(
                path,
                f"weight set {frame.index[int(np.flatnonzero(zero)[0])]!r} gives every child "
                f"of {p!r} weight 0",
            )


def _global_to_local(ctx, path, frame: pd.DataFrame) -> pd.DataFrame:
    """Global leaf weights (e.g. AHP replicates) -> relative weights of every node (blocks = sums)."""
    r = ctx.rubric
    leaves = r.indicators
    missing = [c for c in leaves if c not in frame.columns]
    extra = [c for c in frame.columns if c not in leaves]
    if missing or extra:
        raise _bad(
            path,
            f"global weights must have one column per indicator of {r.code!r}; "
            f"missing {missing}, not indicators {extra}",
        )
    g = frame[leaves].to_numpy(dtype=float)
    if not np.isfinite(g).all() or (g < 0).any():
        rows = frame.index[~(np.isfinite(g) & (g >= 0)).all(axis=1)].tolist()
        raise _bad(
            path,
            f"global weights must be finite and >= 0; rows {rows[:5]} are not",
            hint="drop failed bootstrap replicates with .dropna()",
        )
    codes = ctx.codes
    member = np.zeros((len(leaves), len(codes)))
    pos = {c: j for j, c in enumerate(codes)}
    for i, leaf in enumerate(leaves):
        member[i, pos[leaf]] = 1.0
        for a in r.ancestors(leaf):
            member[i, pos[a]] = 1.0
    return pd.DataFrame(g @ member, index=frame.index, columns=codes)


def _weight_sets(ctx, path, spec) -> Factor:
    level = "local"
    if isinstance(spec, Mapping) and "global" in spec:
        level, spec = "global", spec["global"]
    if hasattr(spec, "replicates") and isinstance(spec.replicates, pd.DataFrame):  # ahp.BootstrapResult
        level, spec = "global", spec.replicates
    if isinstance(spec, pd.DataFrame):
        frame = spec.copy()
    elif (
        isinstance(spec, Sequence) and not isinstance(spec, str) and all(isinstance(d, Mapping) for d in spec)
    ):
        frame = pd.DataFrame([dict(d) for d in spec])
    else:
        raise _bad(
            path,
            f"expected a list of weight dicts, a DataFrame of weight sets (runs x codes), "
            f"{{'global': DataFrame}}, {{'dirichlet': {{...}}}} or {{'uniform_noise': a}}; got "
            f"{type(spec).__name__}",
        )
    if len(frame) == 0:
        raise _bad(path, "no weight sets given")
    frame.columns = [str(c) for c in frame.columns]
    if level == "global":
        frame = _global_to_local(ctx, path, frame)
    _check_weight_table(ctx, path, frame)
    return Factor(
        path,
        "sets",
        1,
        codes=tuple(frame.columns),
        table=frame.to_numpy(dtype=float),
        labels=tuple(frame.index),
    )


def _perturbed(ctx, path, kind, options) -> Factor:
    r = ctx.rubric
    if isinstance(options, Mapping):
        opts = dict(options)
    else:
        opts = {"concentration" if kind == "dirichlet" else "a": options}
    key = "concentration" if kind == "dirichlet" else "a"
    value = opts.pop(key, None)
    codes = opts.pop("codes", None)
    if opts:
        raise _bad(path, f"unknown options {sorted(opts)} for {kind!r}; expected {key!r} and 'codes'")
    if not isinstance(value, numbers.Real) or isinstance(value, bool) or not np.isfinite(value):
        raise _bad(path, f"{kind!r} needs a number {key!r}; got {value!r}")
    if kind == "dirichlet" and value <= 0:
        raise _bad(
            path,
            f"the Dirichlet concentration must be > 0; got {value!r}",
            hint="larger values keep the draws closer to the nominal weights (50 is mild)",
        )
    if kind == "noise" and not 0 <= value < 1:
        raise _bad(
            path, f"uniform noise a must satisfy 0 <= a < 1 (weights times U(1-a, 1+a)); got {value!r}"
        )
    if codes is None:
        codes = [c for c in ctx.codes if c not in ctx.fixed]
    else:
        unknown = [c for c in codes if c not in r.nodes or c == r.root]
        if unknown:
            raise _bad(path, f"codes {unknown} are not in rubric {r.code!r}; valid codes: {ctx.codes}")
    chosen = set(codes)
    out_codes, groups = [], []
    for parent in dict.fromkeys(r.parent(c) for c in ctx.codes):
        kids = [k for k in r.children(parent) if k in chosen]
        if len(kids) < 2:
            continue  # a lone weight is renormalised back to itself
        raw = np.array([ctx.nominal_raw[k] for k in kids], dtype=float)
        if raw.sum() <= 0:
            continue
        full = len(kids) == len(r.children(parent))
        # a whole sibling group is written as local shares; a part keeps the rubric's units
        scale = 1.0 if full else float(raw.sum())
        pos = np.arange(len(out_codes), len(out_codes) + len(kids))
        groups.append((pos, raw / raw.sum(), scale))
        out_codes += kids
    if not out_codes:
        raise _bad(
            path,
            f"no sibling weights to perturb among {list(codes)}",
            hint="name at least two children of one parent in 'codes'",
        )
    return Factor(
        path, kind, len(out_codes), codes=tuple(out_codes), groups=tuple(groups), param=float(value)
    )


def _scalar(ctx, path, spec) -> Factor:
    if isinstance(spec, Mapping) and set(spec) == {"uniform"}:
        lo_hi = spec["uniform"]
        ok = (
            isinstance(lo_hi, Sequence)
            and len(lo_hi) == 2
            and all(isinstance(x, numbers.Real) and np.isfinite(x) for x in lo_hi)
            and lo_hi[0] < lo_hi[1]
        )
        if not ok:
            raise _bad(path, f"'uniform' needs [low, high] with low < high; got {lo_hi!r}")
        return Factor(path, "uniform", 1, bounds=(float(lo_hi[0]), float(lo_hi[1])))
    if isinstance(spec, (str, Mapping)) or not isinstance(spec, Sequence | np.ndarray | pd.Index):
        raise _bad(path, f"expected a list of alternatives or {{'uniform': [low, high]}}; got {spec!r}")
    alts = tuple(spec)
    if not alts:
        raise _bad(path, "the list of alternatives is empty")
    labels = tuple(a if isinstance(a, _SCALARS) else f"#{i}" for i, a in enumerate(alts))
    return Factor(path, "choice", 1, alternatives=alts, labels=labels)


def _check_scalar_values(ctx, f: Factor) -> None:
    name = f.path.split(".")[0]
    values = list(f.bounds) if f.kind == "uniform" else list(f.alternatives)
    if f.path.startswith("weights."):
        bad = [v for v in values if not (isinstance(v, numbers.Real) and np.isfinite(v) and v >= 0)]
        if bad:
            raise _bad(f.path, f"a weight must be a finite number >= 0; got {bad}")
    elif name == "party_weight" and ctx.kind == "rubric":
        bad = [v for v in values if not (isinstance(v, numbers.Real) and 0 <= v <= 1)]
        if bad:
            raise _bad(f.path, f"party_weight must lie in [0, 1]; got {bad}")
    elif name == "quota" and ctx.kind == "rubric":
        grades = ctx.rubric.grades.names
        for v in values:
            if v is None or (isinstance(v, numbers.Real) and 0 <= v <= 1):
                continue
            if isinstance(v, Mapping) and all(g in grades[:-1] and 0 <= s <= 1 for g, s in v.items()):
                continue
            raise _bad(
                f.path,
                f"a quota is a share in [0, 1] of the top grade {grades[0]!r}, a dict "
                f"{{grade: share}} over {grades[:-1]}, or None; got {v!r}",
            )


def parse_factors(factors, ctx: Context) -> list[Factor]:
    """Check every factor once; unknown paths list the valid ones."""
    if not isinstance(factors, Mapping) or not factors:
        raise SpecError(
            f"'factors' must be a non-empty dict path -> alternatives; got {factors!r}", key="factors"
        )
    out = []
    codes = set(ctx.codes)
    for path, spec in factors.items():
        head, _, tail = str(path).partition(".")
        if ctx.kind == "function":  # plain inputs of a function: every factor is a scalar
            out.append(_scalar(ctx, path, spec))
            continue
        if path == "weights":
            if isinstance(spec, Mapping) and set(spec) <= {"dirichlet"} and spec:
                out.append(_perturbed(ctx, path, "dirichlet", spec["dirichlet"]))
            elif isinstance(spec, Mapping) and set(spec) <= {"uniform_noise"} and spec:
                out.append(_perturbed(ctx, path, "noise", spec["uniform_noise"]))
            else:
                out.append(_weight_sets(ctx, path, spec))
            continue
        if head == "weights" and tail:
            if tail not in codes:
                raise _bad(
                    path,
                    f"{tail!r} is not a code of rubric {ctx.rubric.code!r}; valid codes: {sorted(codes)}",
                )
            f = dataclasses.replace(_scalar(ctx, path, spec), codes=(tail,))
        elif path in ctx.scalar_paths or (head in ctx.spec_fields and tail):
            f = _scalar(ctx, path, spec)
        else:
            raise SpecError(
                f"unknown factor path {path!r}; valid paths for this model: {ctx.valid_paths()}",
                key=str(path),
            )
        _check_scalar_values(ctx, f)
        out.append(f)
    written = {}
    for f in out:
        for c in f.codes:
            if c in written:
                raise _bad(
                    f.path,
                    f"weight {c!r} is also drawn by factor {written[c]!r}; "
                    "each weight may be drawn by one factor only",
                )
            written[c] = f.path
    return out
