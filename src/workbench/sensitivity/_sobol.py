"""Variance-based sensitivity (Sobol' indices) of ranks and scores, delegated to SALib.

The factors of :func:`uncertainty` become the inputs of a Saltelli/Sobol' design on [0, 1)^d
(``SALib.sample.sobol``); discrete alternatives are mapped from [0, 1) to their positions and a
multi-dimensional factor (Dirichlet or noise over several weights) is one SALib group, so every
factor gets one first-order and one total index (``SALib.analyze.sobol``, bootstrap CIs).
"""

from __future__ import annotations

import numbers
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._results import ResultMixin
from .._rng import as_generator
from ..errors import SpecError, WorkbenchWarning
from ._factors import Context, parse_factors
from ._models import concat_draws, evaluate, factors_for, setup
from ._runner import Design, root_entropy
from ._sampling import draw
from ._sobol_sums import run_sums, unit_indices

__all__ = ["SobolResult", "sobol", "sobol_function"]


@dataclass(frozen=True, repr=False, eq=False)
class SobolResult(ResultMixin):
    """Sobol' indices of the main output, and point estimates per unit (or per output column).

    Attributes
    ----------
    indices : DataFrame (factors x [S1, S1_conf, ST, ST_conf])
        Of the main output: the mean absolute rank change vs nominal (models), or the function's
        (first) output; ``*_conf`` are half-widths of bootstrap confidence intervals.
    grade_indices : DataFrame or None
        The same for the share of units whose grade differs from the nominal grade (graded
        rubrics): quotas and veto act on grades, not on ranks.
    unit_S1, unit_ST : DataFrame (units x factors) or None
        First-order and total indices of each unit's score (models) or each output column.
    second_order : DataFrame (factors x factors) or None
    params : DataFrame (runs x factor columns)  the design as drawn
    output : Series (runs,)  the main output of every run
    n : int  base sample size (runs = n x (factors + 2), or n x (2 factors + 2) with second order)
    output_name : str
    """

    indices: pd.DataFrame
    grade_indices: pd.DataFrame | None
    unit_S1: pd.DataFrame | None
    unit_ST: pd.DataFrame | None
    second_order: pd.DataFrame | None
    params: pd.DataFrame
    output: pd.Series
    n: int
    output_name: str

    def to_frame(self) -> pd.DataFrame:
        """Indices of the main output; with grades, also of the share of changed grades."""
        if self.grade_indices is None:
            return self.indices
        return pd.concat({"ranks": self.indices, "grades": self.grade_indices}, axis=1)

    def _summary_title(self) -> str:
        return f"Sobol' indices of {self.output_name} ({len(self.output)} runs)"

    def _summary_facts(self) -> dict:
        ix = self.indices
        return {
            "most influential (total)": str(ix["ST"].idxmax()),
            "sum of first-order indices": float(ix["S1"].sum()),
        }


def _base_n(n, func):
    if not isinstance(n, numbers.Integral) or isinstance(n, bool) or n < 2:
        raise SpecError(f"The 'n' parameter of {func} must be an integer >= 2. Got {n!r} instead.", key="n")
    m = 1 << (int(n) - 1).bit_length()
    if m != n:
        warnings.warn(
            f"{func}: Sobol' designs need a power of 2; using n={m} instead of {n}",
            WorkbenchWarning,
            stacklevel=3,
        )
    return m


def _analyse(factors, n, y_main, y_units, rng, second_order, num_resamples, conf_level):
    """SALib analysis of the main output (with CIs) and point indices of every unit column."""
    from SALib.analyze import sobol as sa

    problem = _problem(factors)
    names = [f.path for f in factors]
    seed = int(rng.integers(1, 2**31 - 1))  # SALib treats a falsy seed as "unseeded"
    if np.ptp(y_main) == 0:
        zero = pd.DataFrame(
            0.0, index=pd.Index(names, name="factor"), columns=["S1", "S1_conf", "ST", "ST_conf"]
        )
        si = {"S1": zero.S1, "S1_conf": zero.S1, "ST": zero.ST, "ST_conf": zero.ST}
    else:
        si = sa.analyze(
            problem,
            np.asarray(y_main, dtype=float),
            calc_second_order=second_order,
            num_resamples=num_resamples,
            conf_level=conf_level,
            seed=seed,
        )
    indices = pd.DataFrame(
        {k: np.asarray(si[k]) for k in ("S1", "S1_conf", "ST", "ST_conf")},
        index=pd.Index(names, name="factor"),
    )
    s2 = None
    if second_order and "S2" in si:
        s2 = pd.DataFrame(np.asarray(si["S2"]), index=names, columns=names)
    u1 = ut = None
    if y_units is not None:
        d = len(factors)
        step = 2 * d + 2 if second_order else d + 2
        y = np.asarray(y_units, dtype=float)
        sd = y.std(axis=0)
        # SALib's estimators, on every column at once (each column centred and scaled as analyze does)
        z = np.divide(y - y.mean(axis=0), sd, out=np.zeros_like(y), where=sd > 0)
        a, b = z[0::step], z[step - 1 :: step]
        s1 = np.empty((y.shape[1], d))
        st = np.empty((y.shape[1], d))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # constant units get 0, as SALib returns
            for j in range(d):  # a loop over factors; units are columns
                ab = z[j + 1 :: step]
                s1[:, j] = sa.first_order(a, ab, b)
                st[:, j] = sa.total_order(a, ab, b)
        u1 = pd.DataFrame(s1, columns=pd.Index(names, name="factor"))
        ut = pd.DataFrame(st, columns=pd.Index(names, name="factor"))
    return indices, u1, ut, s2


def _problem(factors) -> dict:
    names, groups = [], []
    for f in factors:
        for k in range(f.dims):
            names.append(f"{f.path}[{k}]" if f.dims > 1 else f.path)
            groups.append(f.path)
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    if any(f.dims > 1 for f in factors):
        problem["groups"] = groups
    return problem


def _design(factors, n, rng, second_order) -> Design:
    """SALib's Saltelli design over the factors, made from the seed wherever runs are scored."""
    problem = _problem(factors)
    groups = problem.get("groups", problem["names"])
    return Design("saltelli", problem["num_vars"], root_entropy(rng), n, tuple(zip(problem["names"], groups)),
                  second_order)  # fmt: skip


def _runs(factors, n, second_order) -> int:
    return n * (2 * len(factors) + 2 if second_order else len(factors) + 2)


def sobol(
    rubric,
    data,
    spec,
    factors,
    n=256,
    seed=None,
    unit="uCode",
    target=None,
    client=None,
    *,
    second_order=False,
    num_resamples=100,
    conf_level=0.95,
) -> SobolResult:
    """First-order and total Sobol' indices of the choices in ``factors``.

    Outputs: (a) the mean absolute rank change vs the nominal ranking (COINr's summary of a
    ranking's sensitivity), with bootstrap confidence intervals; (b) each unit's score (point
    estimates, ``unit_S1``/``unit_ST``).

    Parameters
    ----------
    rubric, data, spec, factors, unit, target, client :
        As in :func:`uncertainty`. Each factor is one input; a weight distribution over several
        weights (Dirichlet, noise) is one group. To rank block weights one by one use one
        ``"weights.<code>"`` factor per block.
    n : int, default=256
        Base sample (a power of 2); runs = n x (factors + 2).
    seed : int, Generator or None, default=None
    second_order : bool, default=False
    num_resamples : int, default=100
    conf_level : float, default=0.95

    Returns
    -------
    SobolResult

    References
    ----------
    Saltelli, A. et al. (2010) Variance based sensitivity analysis of model output. Design and
    estimator for the total sensitivity index. Comput. Phys. Commun. 181(2):259-270.
    Herman, J. & Usher, W. (2017) SALib: An open-source Python library for sensitivity analysis.
    JOSS 2(9):97.
    """
    n = _base_n(n, "sobol")
    st = setup(rubric, data, spec, unit=unit, target=target, func="sobol")
    fs = factors_for(st, factors)
    rng = as_generator(seed)
    design = _design(fs, n, rng, second_order)
    n_runs = _runs(fs, n, second_order)
    grade_ix = None
    if spec is None:  # rubric scoring: per-unit indices from sums reduced where the runs are scored
        job = st.with_runs(fs, design)
        grade0 = (
            pd.Categorical(st.nominal_grade, categories=list(st.grade_names)).codes if job.graded else None
        )
        nominal = (st.nominal_rank.to_numpy(dtype=float), grade0, st.nominal_score.to_numpy(dtype=float))
        sums = run_sums(job, n_runs, n_runs // n, len(fs), nominal, client=client)
        y_main, params = sums.y_main, concat_draws(sums.draws)[2]
        indices, _, _, s2 = _analyse(fs, n, y_main, None, rng, second_order, num_resamples, conf_level)
        s1, st_ = unit_indices(sums, n, n_runs)
        names = pd.Index([f.path for f in fs], name="factor")
        u1, ut = pd.DataFrame(s1, columns=names), pd.DataFrame(st_, columns=names)
        if sums.y_grade is not None:
            grade_ix = _analyse(fs, n, sums.y_grade, None, rng, False, num_resamples, conf_level)[0]
    else:
        runs = evaluate(st, fs, design, n_runs, client=client)
        nominal = st.nominal_rank.to_numpy(dtype=float)
        y_main, params = np.nanmean(np.abs(runs.ranks - nominal[None, :]), axis=1), runs.params
        indices, u1, ut, s2 = _analyse(
            fs, n, y_main, runs.scores, rng, second_order, num_resamples, conf_level
        )
    u1.index = ut.index = st.units
    return SobolResult(
        indices,
        grade_ix,
        u1,
        ut,
        s2,
        params,
        pd.Series(y_main, name="mean_abs_rank_change"),
        n,
        "mean absolute rank change",
    )


def sobol_function(
    func, factors, n=1024, seed=None, *, second_order=False, num_resamples=100, conf_level=0.95
) -> SobolResult:
    """Sobol' indices of any function of scalar factors (the generic path of :func:`sobol`).

    Parameters
    ----------
    func : callable
        ``func(params) -> array of shape (runs,) or (runs, k)``; ``params`` is a DataFrame (runs x
        factors) of the drawn values.
    factors : dict name -> list of alternatives or ``{"uniform": [lo, hi]}``
    n : int, default=1024
        Base sample (a power of 2).

    Returns
    -------
    SobolResult
        ``indices`` of the first output column; ``unit_S1``/``unit_ST`` per output column when
        ``func`` returns several.

    Examples
    --------
    >>> import numpy as np
    >>> res = sobol_function(lambda p: p["a"] + 0.1 * p["b"],
    ...                      {"a": {"uniform": [0, 1]}, "b": {"uniform": [0, 1]}}, n=512, seed=1)
    >>> bool(res.indices.loc["a", "S1"] > 0.95)
    True
    """
    n = _base_n(n, "sobol_function")
    ctx = Context(_NoRubric(), "function", {}, frozenset(), tuple(str(k) for k in factors))
    fs = parse_factors(factors, ctx)
    rng = as_generator(seed)
    design = _design(fs, n, rng, second_order)
    _, _, params = draw(fs, design.rows(0, _runs(fs, n, second_order)))
    y = np.asarray(func(params), dtype=float)
    if y.ndim == 1:
        y = y[:, None]
    if y.shape[0] != len(params):
        raise SpecError(f"func returned {y.shape[0]} rows for {len(params)} runs", key="func")
    multi = y if y.shape[1] > 1 else None
    indices, u1, ut, s2 = _analyse(fs, n, y[:, 0], multi, rng, second_order, num_resamples, conf_level)
    return SobolResult(indices, None, u1, ut, s2, params, pd.Series(y[:, 0], name="output"), n, "func")


class _NoRubric:
    """Stands in for a rubric when factors are plain function inputs (no weight paths)."""

    code = "function"
    root = "root"
    nodes: dict = {}
