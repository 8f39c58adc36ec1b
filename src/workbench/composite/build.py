"""Build a composite index from a rubric, a data table and a :class:`~workbench.composite.Spec`.

The steps run in COINr's order (denominate, impute, screen, treat, normalise, aggregate) on whole
arrays; every intermediate table is kept by step name. Running the same spec again gives the same
result bit for bit, so a variant is ``dataclasses.replace(spec, ...)`` and ``build_index`` again
(COINr's ``Regen``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from .._i18n import _
from .._results import ResultMixin
from ..errors import DataError, SpecError
from .aggregate import TreePlan, aggregate_runs
from .denominate import denominate_array, denominators
from .impute import impute_array
from .normalise import normalise_array
from .screen import screen_array
from .spec import FIELDS, Spec
from .treat import column_params, treat_array

__all__ = ["build_index", "IndexResult"]

STEP_TABLES = {
    "denominate": "denominated",
    "impute": "imputed",
    "screen": "screened",
    "treat": "treated",
    "normalise": "normalised",
}


@dataclass(frozen=True, repr=False, eq=False)
class IndexResult(ResultMixin):
    """The result of :func:`build_index`.

    Attributes
    ----------
    scores : DataFrame (units x codes)
        Indicators after the last step before aggregation, every aggregate, the root (last).
    ranks : DataFrame (units x codes)
        Rank of each unit in each column (1 = highest; ties share the best rank).
    tables : mapping step name -> DataFrame
        ``raw``, then ``denominated``, ``imputed``, ``screened``, ``treated``, ``normalised`` for the
        steps that ran, and ``aggregated`` (= ``scores``).
    details : mapping step name (``denominate``, ``impute``, ``screen``, ``treat``) -> DataFrame
        What each step did: denominators used, values imputed, unit availability, treatment per
        indicator (skew, kurtosis, points winsorised, log).
    weights : Series
        Weight of each code within its parent (sum 1 per parent), after the spec's overrides.
    spec : Spec
    rubric : Rubric
    """

    scores: pd.DataFrame
    ranks: pd.DataFrame
    tables: Mapping
    details: Mapping
    weights: pd.Series
    spec: Spec
    rubric: object

    @property
    def index(self) -> pd.Series:
        """The root (index) scores."""
        return self.scores[self.rubric.root]

    def to_frame(self) -> pd.DataFrame:
        """Aggregates and the index, with the index rank, best first."""
        aggs = [c for c in self.scores.columns if self.rubric.nodes[c].children]
        out = self.scores[aggs[::-1]].copy()
        out.insert(0, "rank", self.ranks[self.rubric.root])
        return out.sort_values("rank", kind="stable")

    def _summary_title(self) -> str:
        return _("Composite index {name}").format(name=self.rubric.name)

    def _summary_facts(self) -> dict:
        steps = [s for s in FIELDS[:5] if getattr(self.spec, s)]
        agg = self.spec.aggregate
        return {
            _("units"): len(self.scores),
            _("indicators"): len(self.rubric.indicators),
            _("steps"): ", ".join(steps + ["aggregate"]),
            _("normalise"): (self.spec.normalise or {}).get("method", _("none")),
            _("aggregate"): agg if isinstance(agg, str) else _("mixed"),
        }


def _prepare(rubric, data, unit):
    """Index ``data`` by unit and return (frame, indicator values as floats)."""
    if not isinstance(data, pd.DataFrame):
        raise DataError(
            _("build_index: data must be a DataFrame (units x columns); got {type_name}").format(
                type_name=type(data).__name__
            )
        )
    if unit is not None and unit in data.columns:
        ids = data[unit]
        if ids.isna().any() or ids.duplicated().any():
            bad = ids[ids.isna() | ids.duplicated(keep=False)].unique().tolist()
            raise DataError(
                _("unit ids in column {unit!r} must be present and unique; found {bad}").format(
                    unit=unit, bad=bad[:10]
                ),
                column=unit,
            )
        frame = data.drop(columns=[unit])
        frame.index = pd.Index(ids.astype(str).to_numpy(dtype=object), name=unit)
    elif unit is None or data.index.name == unit:
        frame = data
        if frame.index.has_duplicates:
            dup = frame.index[frame.index.duplicated()].unique().tolist()
            raise DataError(_("unit ids must be unique; duplicated: {dup}").format(dup=dup[:10]))
    else:
        raise DataError(
            _(
                "no unit id column {unit!r}: the data have columns {columns} and an index "
                "named {name!r}; pass unit='<id column>' (or unit=None to use the index)."
            ).format(unit=unit, columns=list(map(str, data.columns))[:12], name=data.index.name),
            column=unit,
        )
    codes = list(rubric.indicators)
    missing = [c for c in codes if c not in frame.columns]
    if missing:
        raise DataError(
            _(
                "the data have no column for indicator(s) {missing}{more}; every indicator of "
                "rubric {code!r} needs a column."
            ).format(missing=missing[:12], more=" ..." if len(missing) > 12 else "", code=rubric.code),
            column=missing[0],
        )
    block = frame[codes]
    if all(pd.api.types.is_numeric_dtype(t) and not pd.api.types.is_bool_dtype(t) for t in block.dtypes):
        values = block.to_numpy(dtype=float, na_value=np.nan)
    else:
        values = block.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    text = np.isnan(values) & block.notna().to_numpy()
    if text.any():
        r, c = np.nonzero(text)
        cells = [f"{frame.index[i]}/{codes[j]}={block.iat[i, j]!r}" for i, j in zip(r[:10], c[:10])]
        raise DataError(
            _("indicator values must be numbers; found text in unit/indicator {cells}").format(cells=cells),
            column=codes[c[0]],
        )
    if np.isinf(values).any():
        r, c = np.nonzero(np.isinf(values))
        raise DataError(
            _("infinite values in unit/indicator {cells}").format(
                cells=[f"{frame.index[i]}/{codes[j]}" for i, j in zip(r, c)][:10]
            )
        )
    return frame, values


class Pipeline:
    """The steps before aggregation for one rubric and data table, with each stage's output cached
    by the canonical JSON of the spec fields it depends on (so many specs share work)."""

    def __init__(self, rubric, data, unit="uCode"):
        self.rubric = rubric
        self.plan = TreePlan.from_rubric(rubric)
        self.frame, self.raw = _prepare(rubric, data, unit)
        self.units = self.frame.index
        self.codes = list(rubric.indicators)
        nodes = rubric.nodes
        self.directions = np.array([nodes[c].direction for c in self.codes], dtype=float)
        self.targets = np.array([np.nan if nodes[c].target is None else nodes[c].target for c in self.codes])
        self._cache: dict = {}

    def _denominate(self, rows, values):
        dens = denominators(self.rubric)
        needed = sorted(set(dens.values()))
        missing = [d for d in needed if d not in self.frame.columns]
        if missing:
            raise DataError(
                _("denominate: the data have no denominator column(s) {missing}.").format(missing=missing),
                column=missing[0],
            )
        D = np.full(values.shape, np.nan)
        has = np.array([c in dens for c in self.codes])
        for j, c in enumerate(self.codes):
            if c in dens:
                D[:, j] = pd.to_numeric(self.frame[dens[c]], errors="coerce").to_numpy(
                    float, na_value=np.nan
                )[rows]
        out = denominate_array(values, D, has, self.units[rows], self.codes)
        det = pd.DataFrame(
            {"denominator": [dens.get(c) for c in self.codes]}, index=pd.Index(self.codes, name="code")
        )
        return rows, out, det

    def _impute(self, rows, values, imp):
        groups = None
        if "group" in imp:
            if imp["group"] not in self.frame.columns:
                raise DataError(
                    _(
                        "impute: the group column {group!r} is not in the data; columns include {columns}."
                    ).format(
                        group=imp["group"],
                        columns=[c for c in self.frame.columns if c not in set(self.codes)][:12],
                    ),
                    column=imp["group"],
                )
            groups = self.frame[imp["group"]].to_numpy(dtype=object)[rows]
        out, filled = impute_array(values, imp["method"], groups)
        return rows, out, pd.DataFrame({"imputed": filled}, index=pd.Index(self.codes, name="code"))

    def _screen(self, rows, values, scr):
        keep, share = screen_array(values, scr["min_share"])
        if not keep.any():
            raise DataError(
                _(
                    "screen: no unit has data for at least {min_share:.0%} of the indicators (best: "
                    "{share:.0%}); lower screen.min_share."
                ).format(min_share=scr["min_share"], share=share.max())
            )
        det = pd.DataFrame({"availability": share, "kept": keep}, index=self.units[rows])
        return rows[keep], values[keep], det

    def _treat(self, rows, values, tr):
        unknown = [c for c in tr.get("overrides", {}) if c not in set(self.codes)]
        if unknown:
            raise SpecError(
                _("Spec field 'treat.overrides' names unknown indicator(s) {unknown}.").format(
                    unknown=unknown
                ),
                key="treat.overrides",
            )
        out, det = treat_array(values, column_params(tr, self.codes), self.codes)
        return rows, out, det

    def _normalise(self, rows, values, norm):
        out = normalise_array(
            values,
            self.directions,
            norm,
            codes=self.codes,
            units=self.units[rows],
            rubric_targets=self.targets,
        )
        return rows, out, None

    def run(self, spec: Spec) -> list:
        """``[(table name, rows, values, details)]`` for raw data and each step that runs."""
        out = [("raw", np.arange(len(self.units)), self.raw, None)]
        for k, step in enumerate(FIELDS[:5]):
            setting = getattr(spec, step)
            if not setting:
                continue
            key = spec.canonical_json(FIELDS[: k + 1])
            if key not in self._cache:
                rows, values = out[-1][1], out[-1][2]
                if step == "denominate":
                    res = self._denominate(rows, values)
                else:
                    res = getattr(self, f"_{step}")(rows, values, setting)
                self._cache[key] = res
            rows, values, det = self._cache[key]
            out.append((STEP_TABLES[step], rows, values, det))
        self._check_units(out, spec)
        return out

    def _check_units(self, stages, spec):
        """A unit with no indicator data at all cannot be scored: say so, and how to fix it."""
        rows, values = stages[-1][1], stages[-1][2]
        empty = np.isnan(values).all(axis=1)
        if empty.any():
            units = self.units[rows][empty].tolist()
            raise DataError(
                _(
                    "unit(s) {units} have no indicator data after the steps before aggregation, so "
                    "they cannot be scored. Drop them with screen={{'min_share': ...}}, impute, or "
                    "remove the rows."
                ).format(units=units[:12]),
            )


def build_index(rubric, data, spec: Spec | Mapping | None = None, *, unit="uCode") -> IndexResult:
    """Build a composite index: denominate, impute, screen, treat, normalise, aggregate.

    Parameters
    ----------
    rubric : Rubric
        The tree (e.g. from ``rubric_from_table`` on a COINr iMeta table); gives directions,
        weights, denominators and targets.
    data : DataFrame of shape (n_units, n_columns)
        One row per unit: indicator columns and any denominator or group columns.
    spec : Spec or dict, optional
        Default ``Spec()``: min-max onto [0, 100] and the weighted arithmetic mean.
    unit : str or None, default="uCode"
        Unit id column (or the index's name); None uses the index as it is.

    Returns
    -------
    IndexResult
        ``scores``, ``ranks``, ``tables`` by step, ``details``, ``weights``.

    References
    ----------
    OECD/JRC (2008). Handbook on Constructing Composite Indicators: Methodology and User Guide.
    Becker, W. et al. (2022). COINr: An R package for developing composite indicators. JOSS 7(78).

    Examples
    --------
    >>> import workbench as wb  # doctest: +SKIP
    >>> r = wb.rubric_from_table("ASEM_iMeta.csv")  # doctest: +SKIP
    >>> res = wb.build_index(r, wb.read_table("ASEM_iData.csv"), wb.Spec())  # doctest: +SKIP
    >>> round(res.index["DEU"], 4)  # doctest: +SKIP
    75.2278
    """
    spec = as_spec(spec)
    pipe = Pipeline(rubric, data, unit)
    stages = pipe.run(spec)
    __, rows, values, __ = stages[-1]
    units = pipe.units[rows]
    plan = pipe.plan
    W = plan.weight_matrix([spec.weights])
    A = aggregate_runs(plan, values, W, spec.aggregate, units)[:, 0, :]
    scores = pd.DataFrame(A, index=units, columns=list(plan.codes))
    ranks = scores.rank(ascending=False, method="min")
    tables = {name: pd.DataFrame(v, index=pipe.units[r], columns=pipe.codes) for name, r, v, __ in stages}
    tables["aggregated"] = scores
    step_of = {t: s for s, t in STEP_TABLES.items()}
    details = {step_of[name]: d for name, __, __, d in stages if d is not None}
    return IndexResult(
        scores=scores,
        ranks=ranks,
        tables=MappingProxyType(tables),
        details=MappingProxyType(details),
        weights=local_weights(plan, W[0]),
        spec=spec,
        rubric=rubric,
    )


def local_weights(plan: TreePlan, w: np.ndarray) -> pd.Series:
    """Weights normalised within each parent (root 1), from one row of raw weights."""
    out = np.ones(plan.n)
    for p in range(plan.n):
        kids = list(plan.children[p])
        if kids:
            out[kids] = w[kids] / w[kids].sum()
    return pd.Series(out, index=list(plan.codes), name="weight")


def as_spec(spec) -> Spec:
    if spec is None:
        return Spec()
    if isinstance(spec, Spec):
        return spec
    if isinstance(spec, Mapping):
        return Spec.from_dict(spec)
    raise SpecError(
        _("spec must be a Spec or a dict of its fields; got {type_name}").format(
            type_name=type(spec).__name__
        )
    )
