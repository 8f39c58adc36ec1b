"""Many builds at once, for uncertainty and sensitivity analysis (COINr's ``get_sensitivity``).

``evaluate_runs`` takes a nominal spec and a list of runs (each a mapping of field paths to
values, see :func:`~workbench.composite.apply_overrides`) and returns the index of every unit in
every run. Runs are grouped by the fields that change the table before aggregation
(denominate, impute, screen, treat, normalise): each distinct table is computed once, each of its
stages cached by the canonical JSON of the fields it depends on. All runs that share a table and
an aggregation method are aggregated together, vectorised over their weight sets. The scores are
bit-identical to ``build_index(rubric, data, apply_overrides(spec, run))`` for each run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .._i18n import _
from .._results import ResultMixin
from ..errors import SpecError
from .aggregate import aggregate_runs
from .build import Pipeline, as_spec
from .spec import FIELDS, PRE_AGGREGATION, Spec, apply_overrides

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
        return _("BatchScores: index scores per run")

    def _summary_facts(self) -> dict:
        return {
            _("units"): self.scores.shape[0],
            _("runs"): self.scores.shape[1],
            _("distinct tables"): self.n_tables,
        }


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
        raise SpecError(
            _("runs must be a list of dicts (field path -> value); got {type_name}").format(
                type_name=type(runs).__name__
            )
        )
    fields = _RunFields(spec)
    states = [fields.state(run) for run in runs]
    pipe = Pipeline(rubric, data, unit)
    plan = pipe.plan
    col = plan.root if target is None else plan.pos.get(target)
    if col is None:
        raise SpecError(
            _(
                "The 'target' parameter of evaluate_runs must be a code of the rubric, e.g. "
                "{root!r}. Got {target!r} instead."
            ).format(root=rubric.root, target=target),
            key="target",
        )
    # runs sharing the table before aggregation are computed from it once; all runs sharing an
    # aggregation method are then aggregated in one pass, whatever their table (rows a table's
    # screening dropped are NaN there and stay NaN)
    tables: dict[str, tuple] = {}
    by_agg: dict[str, list[int]] = {}
    table_of = []
    for i, st in enumerate(states):
        key = fields.canonical(st, PRE_AGGREGATION)
        if key not in tables:
            __, rows, values, __ = pipe.run(fields.spec(st, PRE_AGGREGATION))[-1]
            tables[key] = (rows, values)
        table_of.append(key)
        by_agg.setdefault(fields.canonical(st, ("aggregate",)), []).append(i)
    n_units = len(pipe.units)
    out = np.full((n_units, len(states)), np.nan)
    for members in by_agg.values():
        stack = np.full((n_units, len(members), plan.n_ind), np.nan)
        for r, i in enumerate(members):
            rows, values = tables[table_of[i]]
            stack[rows, r] = values
        W = plan.weight_matrix([fields.value(states[i], "weights") for i in members])
        A = aggregate_runs(plan, stack, W, fields.value(states[members[0]], "aggregate"), pipe.units)
        out[:, members] = A[:, :, col]
    return BatchScores(scores=out, units=pipe.units, n_tables=len(tables))


class _RunFields:
    """Each run's spec, field by field: a run's overrides of one field are checked and made
    canonical once for all runs that override that field the same way (``apply_overrides``
    treats the fields independently), so 300 runs cost a few dozen spec checks, not 300."""

    def __init__(self, spec: Spec):
        self.nominal = spec
        self._field: dict = {}  # (field, override key) -> canonical field value
        self._json: dict = {}
        self._keep: list = []  # the override values keyed by id() stay alive, so ids stay unique

    def _key(self, value):
        if value is None or isinstance(value, (str, bool, int, float)):
            return (type(value), value)
        self._keep.append(value)
        return (type(value), id(value))

    def state(self, run) -> tuple:
        """Per field, the key of the run's overrides of it (None: nominal)."""
        if not isinstance(run, Mapping):
            apply_overrides(self.nominal, run)  # raises the SpecError for a run that is not a dict
        items: dict[str, list] = {}
        for path, value in run.items():
            items.setdefault(str(path).split(".")[0], []).append((path, value))
        state = dict.fromkeys(FIELDS)
        for name, pairs in items.items():
            key = (name, tuple((str(path), self._key(v)) for path, v in pairs))
            if key not in self._field:
                # unknown fields and bad values raise here, as apply_overrides on the whole run
                if len(pairs) == 1 and pairs[0][0] == name and name in FIELDS:
                    # a whole field: Spec checks it alone (its fields are checked independently)
                    self._field[key] = getattr(Spec(**{name: pairs[0][1]}), name)
                else:
                    self._field[key] = getattr(apply_overrides(self.nominal, dict(pairs)), name)
            state[name] = key
        return tuple(state[f] for f in FIELDS)

    def value(self, state, name):
        key = state[FIELDS.index(name)]
        return getattr(self.nominal, name) if key is None else self._field[key]

    def spec(self, state, names) -> Spec:
        """The nominal spec with the run's values of ``names``."""
        return replace(self.nominal, **{n: self.value(state, n) for n in names})

    def canonical(self, state, names) -> str:
        idx = tuple(state[FIELDS.index(n)] for n in names)
        key = (names, idx)
        if key not in self._json:
            self._json[key] = self.spec(state, names).canonical_json(names)
        return self._json[key]
