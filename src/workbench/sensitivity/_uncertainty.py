"""Monte Carlo uncertainty of ranks and grades: which units' standing survives other choices."""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from .._results import ResultMixin
from .._rng import as_generator
from ..errors import SpecError, check_option
from ._models import evaluate, factors_for, setup
from ._reduced import run_reduced
from ._runner import Design, root_entropy

__all__ = ["UncertaintyResult", "uncertainty"]

KEEP_CELLS = 100_000_000  # runs x units kept as whole tables by default (about 1.3 GB of results)
QUANTILES = (0.05, 0.5, 0.95)


def check_n(n, func, minimum=2):
    if not isinstance(n, numbers.Integral) or isinstance(n, bool) or n < minimum:
        raise SpecError(
            f"The 'n' parameter of {func} must be an integer >= {minimum}. Got {n!r} instead.", key="n"
        )
    return int(n)


def quantiles_rows(x: np.ndarray, qs) -> np.ndarray:
    """Quantiles of each column of x (runs x units), as ``np.quantile(x, qs, axis=0)`` ('linear')."""
    r, n = x.shape
    out = np.empty((len(qs), n))
    step = 4096  # units per block: a transposed block stays in cache
    for a in range(0, n, step):
        srt = np.sort(np.ascontiguousarray(x[:, a : a + step].T), axis=1)
        for k, q in enumerate(qs):
            h = (r - 1) * q
            lo = int(np.floor(h))
            hi = min(lo + 1, r - 1)
            v0, v1 = srt[:, lo].astype(float), srt[:, hi].astype(float)
            out[k, a : a + step] = v0 + (h - lo) * (v1 - v0)
    return out


@dataclass(frozen=True, repr=False, eq=False)
class UncertaintyResult(ResultMixin):
    """Ranks, scores and grades of every unit under every run.

    Attributes
    ----------
    ranks : DataFrame (units x runs) or None  1 = best, ties share the best rank (None when the runs
        were reduced where they ran, ``keep_runs=False``)
    scores : DataFrame (units x runs) or None  the target score (rubric: final score; composite:
        the index)
    rank_stats : DataFrame  per unit: nominal, mean, median, q05, q95 of the rank
    params : DataFrame (runs x factors)  what each run drew (weights as drawn, alternatives by value
        or by position ``#k``)
    nominal : DataFrame  per unit: nominal score, rank (and grade)
    grade_probs : DataFrame or None  units x grades: share of runs giving each grade (rubric scoring)
    p_top : Series or None  share of runs in the top grade (after veto and quota)
    fragile : Index or None  units whose modal grade has probability below ``fragile_threshold``
        or whose grade differs from the nominal one in more than ``change_threshold`` of runs
    rank_error : Series or None  per unit, the largest error (in ranks) of the reduced quantiles
        q05, median, q95 (0 = exact); None when every run was kept (the quantiles are exact)
    """

    ranks: pd.DataFrame | None
    scores: pd.DataFrame | None
    rank_stats: pd.DataFrame
    params: pd.DataFrame
    nominal: pd.DataFrame
    grade_probs: pd.DataFrame | None
    p_top: pd.Series | None
    fragile: pd.Index | None
    factors: tuple
    sampling: str
    target: str
    _runs: object = field(repr=False)
    _grade_idx: np.ndarray | None = field(repr=False)
    _grade_names: tuple = ()
    rank_error: pd.Series | None = None

    def run(self, i: int) -> dict:
        """Run ``i`` as plain data, to replay it: ``score(rubric, data, weights=res.run(i)["weights"])``
        (with ``party_weight``/``quota`` set on the rubric) or ``apply_overrides(spec, res.run(i))``."""
        return self._runs.run(i)

    @cached_property
    def grades(self) -> pd.DataFrame | None:
        """Grade of every unit under every run (units x runs, categorical), or None."""
        if self._grade_idx is None or self.ranks is None:
            return None
        cols = {
            r: pd.Categorical.from_codes(self._grade_idx[r], categories=list(self._grade_names))
            for r in range(self._grade_idx.shape[0])
        }
        return pd.DataFrame(cols, index=self.ranks.index)

    def to_frame(self) -> pd.DataFrame:
        """One row per unit, by nominal rank: rank interval, and grade probabilities when graded."""
        out = self.nominal.rename(columns=lambda c: f"nominal_{c}").join(
            self.rank_stats.drop(columns="nominal")
        )
        out["width90"] = out["q95"] - out["q05"]
        if self.grade_probs is not None:
            probs = self.grade_probs
            out["modal_grade"] = probs.idxmax(axis=1)
            out["p_modal"] = probs.max(axis=1)
            out["p_top"] = self.p_top
            out["fragile"] = out.index.isin(self.fragile)
        return out.sort_values("nominal_rank", kind="stable")

    def _summary_title(self) -> str:
        return f"Uncertainty of ranks: {len(self.params)} runs over {', '.join(self.factors)}"

    def _summary_facts(self) -> dict:
        st = self.rank_stats
        facts = {
            "units": len(st),
            "sampling": self.sampling,
            "median 90% rank interval": float((st["q95"] - st["q05"]).median()),
            "units whose rank never moves": int(((st["q95"] - st["q05"]) == 0).sum()),
        }
        if self.fragile is not None:
            facts["fragile grades"] = len(self.fragile)
        if self.rank_error is not None:
            facts["largest quantile error (ranks)"] = float(self.rank_error.max())
        return facts


def uncertainty(
    rubric,
    data,
    spec,
    factors,
    n=300,
    seed=None,
    unit="uCode",
    target=None,
    sampling="sobol",
    client=None,
    *,
    fragile_threshold=0.8,
    change_threshold=0.2,
    keep_runs=None,
) -> UncertaintyResult:
    """Monte Carlo uncertainty analysis of ranks (and grades) under uncertain choices.

    Parameters
    ----------
    rubric : Rubric
    data : DataFrame (units x columns)
    spec : Spec or None
        ``None``: the model is rubric scoring (:func:`workbench.score`) and only weight factors,
        ``"party_weight"`` (weighted schemes) and ``"quota"`` apply. A ``Spec``: a composite build,
        and any spec field path may vary.
    factors : dict path -> alternatives or distribution
        ``"weights"``: a list of weight dicts or a DataFrame (sets x codes) of weights relative
        within each parent (every sibling of a parent they touch), ``{"global": DataFrame}`` or an
        ``ahp.BootstrapResult`` (global leaf weights), ``{"dirichlet": {"concentration": c}}``
        (Dirichlet(c x nominal shares) within each parent) or ``{"uniform_noise": a}`` (each
        weight times U(1-a, 1+a), renormalised); both accept ``"codes"`` (default: every weight
        not set per category). ``"weights.<code>"``: alternatives or ``{"uniform": [lo, hi]}`` in
        the rubric's own units. Other paths (``"quota"``, ``"party_weight"``, ``"treat.winmax"``,
        ``"aggregate"``...): a list of alternatives or ``{"uniform": [lo, hi]}``.
    n : int, default=300
        Number of runs (>= 2).
    seed : int, Generator or None, default=None
    unit : str, default="uCode"
        Unit id column (used when present in ``data``).
    target : str, optional
        Rubric: ``"final"`` (default), ``"total"`` or a block code; composite: a column of the
        built scores (default the index). Ranks are of the target; grades always of the final score.
    sampling : {"sobol", "random"}, default="sobol"
        Scrambled, seeded Sobol' points (scipy.stats.qmc; run i is point i) or pseudo-random
        draws (one ``SeedSequence`` child per block of 1,024 runs, by block index).
    client : dask.distributed.Client, optional
        Score chunks of runs on a cluster. Every chunk draws its own runs from the seed where it
        runs; the same seed gives identical results here, on one worker or on many.
    fragile_threshold, change_threshold : float, default=0.8, 0.2
    keep_runs : bool, optional
        Keep the runs x units tables (``ranks``, ``scores``, ``grades``). ``False`` reduces the
        runs where they are scored (per-unit rank sums, ranges, grade counts, then rank
        histograms; see ``docs/distributed.md``): grade probabilities and mean ranks are exact,
        the quantiles carry the bound ``rank_error``. Default: keep them up to 10^8 runs x units.

    Returns
    -------
    UncertaintyResult

    Notes
    -----
    Rubric scoring rescores every run from the fixed indicator shares in one matrix product per
    chunk of runs (per category when categories carry their own weights), then applies the
    scheme, bands, veto and quotas on (runs x units) arrays; run ``r`` equals
    ``score(rubric, data, weights=res.run(r)["weights"])``.

    References
    ----------
    Saisana, M., Saltelli, A. & Tarantola, S. (2005) Uncertainty and sensitivity analysis
    techniques as tools for the quality assessment of composite indicators. JRSS A 168(2):307-323.
    OECD/JRC (2008) Handbook on Constructing Composite Indicators, step 7.

    Examples
    --------
    >>> res = uncertainty(rubric, data, None, {"weights": {"dirichlet": {"concentration": 50}}},
    ...                   n=500, seed=1)  # doctest: +SKIP
    >>> res.fragile  # doctest: +SKIP
    """
    n = check_n(n, "uncertainty")
    check_option(sampling, ("sobol", "random"), name="sampling", func="uncertainty")
    st = setup(rubric, data, spec, unit=unit, target=target, func="uncertainty")
    fs = factors_for(st, factors)
    design = Design(sampling, sum(f.dims for f in fs), root_entropy(as_generator(seed)))
    units = st.units
    keep = keep_runs if keep_runs is not None else n * len(units) <= KEEP_CELLS
    ranks = scores = error = grade_idx = counts = None
    if keep:
        runs = evaluate(st, fs, design, n, client=client)
        cols = pd.RangeIndex(n, name="run")
        ranks = pd.DataFrame(runs.ranks.T, index=units, columns=cols, copy=False)
        scores = pd.DataFrame(runs.scores.T, index=units, columns=cols, copy=False)
        q05, med, q95 = quantiles_rows(runs.ranks, QUANTILES)
        mean, grade_idx = runs.ranks.mean(axis=0), runs.grades
        if runs.grades is not None:
            counts = np.stack(
                [(runs.grades == g).sum(axis=0, dtype=np.int32) for g in range(len(st.grade_names))], axis=1
            )
    else:
        if spec is not None:
            raise SpecError(
                "keep_runs=False reduces runs of rubric scoring (spec=None); a composite build keeps its runs",
                key="keep_runs",
            )
        red = run_reduced(st, fs, design, n, QUANTILES, client=client)
        (q05, med, q95), mean, counts, runs = red.quantiles, red.mean, red.counts, red.runs
        error = pd.Series(red.error, index=units, name="rank_error")
    stats = pd.DataFrame(
        {"nominal": st.nominal_rank.to_numpy(), "mean": mean, "median": med, "q05": q05, "q95": q95},
        index=units,
    )
    nominal = pd.DataFrame({"score": st.nominal_score, "rank": st.nominal_rank})
    probs = p_top = fragile = None
    if counts is not None:
        names = list(st.grade_names)
        nominal["grade"] = st.nominal_grade
        counts = counts / n
        probs = pd.DataFrame(counts, index=units, columns=pd.Index(names, name="grade"))
        p_top = probs[names[0]].rename("p_top")
        nom_idx = pd.Categorical(st.nominal_grade, categories=names).codes
        p_change = 1.0 - counts[np.arange(len(units)), nom_idx]
        weak = (counts.max(axis=1) < fragile_threshold) | (p_change > change_threshold)
        fragile = units[weak]
    return UncertaintyResult(
        ranks=ranks,
        scores=scores,
        rank_stats=stats,
        params=runs.params,
        nominal=nominal,
        grade_probs=probs,
        p_top=p_top,
        fragile=fragile,
        factors=tuple(f.path for f in fs),
        sampling=sampling,
        target=st.target,
        _runs=runs,
        _grade_idx=grade_idx,
        _grade_names=st.grade_names,
        rank_error=error,
    )
