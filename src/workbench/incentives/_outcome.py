"""What an institution makes units do: efforts, outputs, scores, grades and summary metrics."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._i18n import _
from .._results import ResultMixin
from .._rng import as_generator
from ..errors import SpecError, WorkbenchWarning
from ..scoring import grades as _grades
from ._equilibrium import LOW, base_cutoffs, solve_all
from ._frontier import build_frontiers
from ._model import compile_problem

__all__ = ["Outcome", "best_response", "equilibrium", "design_metrics", "realise"]

METRICS = (
    "effort",
    "party_share",
    "distortion",
    "gaming_share",
    "veto_share",
    "value",
    "party_value",
    "party_score",
    "final_score",
    "top_share",
    "top_ability_pct",
    "cut_top",
)


def design_metrics(prob, sol, kappa) -> pd.DataFrame:
    """One row per design: where effort goes, what it produces and who wins the top grade.

    ``effort`` mean share of the budget used on assessed work (tasks and veto prevention);
    ``party_share`` share of that effort on the party-building score's tasks (real and gaming);
    ``distortion`` share on what is measured but not valued (tasks of value 0, and gaming);
    ``gaming_share``, ``veto_share``; ``value`` total value of true output, ``party_value`` its
    part from valued party tasks; ``party_score``/``final_score`` mean expected scores;
    ``top_share`` expected share of units in the top grade; ``top_ability_pct`` mean ability
    percentile of the expected top-grade winners (50 = average units win); ``cut_top`` the top
    cut-off (band or quota) of the final score, or the dual-100 quota gate on P + O.
    """
    D, d = prob.n_designs, prob.design
    tot = lambda x: np.bincount(d, weights=x, minlength=D)  # noqa: E731
    party, zero = prob.party, prob.value == 0
    task, veto = sol["eps"].sum(1), sol["veto"].sum(1)
    used = tot(task + veto)
    safe = np.where(used > 0, used, 1.0)
    waste = sol["real"][:, zero].sum(1) + sol["gaming"].sum(1)
    pw = prob.wraw[:, party]
    party_score = np.sum(pw * sol["scores"][:, party], 1) / np.maximum(pw.sum(1), 1e-300)
    final = sol["P"] + sol["O"] if prob.kind == "dual" else sol["F"]
    ability = prob.population.ability_or_default()
    pct = (pd.Series(ability).rank(pct=True).to_numpy() * 100)[prob.unit]
    ptop = sol["grade_probs"][:, 0] if sol["grade_probs"].shape[1] else np.zeros(len(d))
    w_top = tot(ptop)
    out = {
        "effort": tot((task + veto) / prob.E) / prob.n,
        "party_share": tot(sol["eps"][:, party].sum(1)) / safe,
        "distortion": tot(waste) / safe,
        "gaming_share": tot(sol["gaming"].sum(1)) / safe,
        "veto_share": tot(veto) / safe,
        "value": tot(sol["output"] @ prob.value),
        "party_value": tot(sol["output"][:, party & ~zero] @ prob.value[party & ~zero]),
        "party_score": tot(party_score) / prob.n,
        "final_score": tot(final) / prob.n,
        "top_share": w_top / prob.n,
        "top_ability_pct": np.where(w_top > 0, tot(ptop * pct) / np.where(w_top > 0, w_top, 1.0), np.nan),
        "cut_top": np.where(kappa[:, 0] > LOW, kappa[:, 0], np.nan) if kappa.shape[1] else np.full(D, np.nan),
    }
    return pd.DataFrame(out)


def realise(prob, sol, rng) -> dict:
    """One draw of measurement noise and veto events, graded as the scoring engine grades."""
    R, K = sol["scores"].shape
    noise = rng.standard_normal((R, K)) * prob.sd
    measured = sol["scores"] + noise
    vetoed_items = rng.random(sol["p_veto"].shape) < sol["p_veto"]
    w = prob.w
    if prob.kind == "linear":
        party = other = None
        final = np.sum(w * measured, 1)
    else:
        party, other = (np.sum(w[:, m] * measured[:, m], 1) for m in prob.groups)
        final = party + other if prob.kind == "dual" else party * other / 100.0
    grade = np.full(R, -1)
    names = prob.names
    for d, inst in enumerate(prob.institutions):  # designs, not units: each has its own bands and quota
        r = prob.design == d
        if not names:
            continue
        # graded as the scoring kernel grades a variant (workbench.scoring.grades)
        if prob.kind == "dual":
            idx = _grades.dual_matrix_index(
                _grades.band_index(party[r], inst.party_bands or inst.bands),
                _grades.band_index(other[r], inst.bands),
                {a: dict(zip(names, row)) for a, row in zip(names, inst.matrix)},
                names,
            )
        else:
            idx = _grades.band_index(final[r], inst.bands)
        idx = _grades.apply_veto(idx, vetoed_items[r][:, : len(inst.veto)], inst.veto, names)
        quota = _grades.quota_table(dict(inst.quota), names)
        grade[r] = _grades.apply_quota(idx, final[r], quota, ties=inst.ties, rounding=inst.rounding)[0]
    return {"measured": measured, "final": final, "vetoed": vetoed_items.any(1), "grade": grade}


@dataclass(frozen=True, repr=False)
class Outcome(ResultMixin):
    """Best responses of every unit to one institution (:func:`best_response`, :func:`equilibrium`).

    Attributes
    ----------
    effort : DataFrame (units x channels)  real effort per task, ``gaming:<task>``,
        ``veto:<code>`` and ``unused``
    output : DataFrame (units x tasks)  true output (score points of real work)
    expected : DataFrame  expected measured score per task (``score:<task>``), the scheme's
        scores (``final_score``, and ``party_score``/``other_score`` for two-score schemes) with
        their SDs, probability of the top grade and of a veto
    grade_probs : DataFrame (units x grades)  expected grade probabilities (veto included)
    realised : DataFrame  one draw: measured final score, veto, grade (seeded)
    cutoffs : Series  cut-offs of the final score (bands raised by quotas), or the dual-100 gate
    metrics : Series  :func:`design_metrics`
    diagnostics : Series  iterations, residual, converged; ``history`` has the iteration path
    """

    population: object
    institution: object
    effort: pd.DataFrame
    output: pd.DataFrame
    expected: pd.DataFrame
    grade_probs: pd.DataFrame
    realised: pd.DataFrame
    cutoffs: pd.Series
    metrics: pd.Series
    diagnostics: pd.Series
    history: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """One row per unit: efforts, expected final score, top-grade probability, realised grade."""
        cols = self.effort.copy()
        extra = [
            c for c in ("final_score", "party_score", "other_score", "p_top") if c in self.expected.columns
        ]
        cols[extra] = self.expected[extra]
        if "grade" in self.realised:
            cols["grade"] = self.realised["grade"]
        return cols

    def _summary_title(self) -> str:
        return _("Outcome of {name} for {n} units").format(name=self.institution.name, n=len(self.effort))

    def _summary_facts(self) -> dict:
        m = self.metrics
        facts = {k: float(m[k]) for k in ("effort", "party_share", "distortion", "value", "top_share")}
        facts["converged"] = bool(self.diagnostics["converged"])
        return facts


def _outcome(pop, inst, prob, sol, kappa, diag, history, seed) -> Outcome:
    units = pd.Index(pop.units, name="unit")
    tasks = list(pop.tasks)
    effort = pd.DataFrame(sol["real"], index=units, columns=tasks)
    for j, t in enumerate(tasks):
        if np.any(prob.g[:, j] > 0):
            effort[f"gaming:{t}"] = sol["gaming"][:, j]
    for j, v in enumerate(inst.veto):
        effort[f"veto:{v.code}"] = sol["veto"][:, j]
    effort["unused"] = np.maximum(prob.E - sol["eps"].sum(1) - sol["veto"].sum(1), 0.0)
    expected = pd.DataFrame(sol["scores"], index=units, columns=[f"score:{t}" for t in tasks])
    names = {"F": "final_score", "P": "party_score", "O": "other_score"}
    for key, label in names.items():
        if key in sol:
            expected[label] = sol[key]
            expected[f"sd:{label}"] = sol["s" + key]
    if prob.kind == "dual":
        expected["final_score"] = sol["P"] + sol["O"]
    gp = pd.DataFrame(sol["grade_probs"], index=units, columns=prob.names)
    if prob.names:
        expected["p_top"] = gp.iloc[:, 0]
    expected["p_veto"] = 1.0 - sol["surv"]
    draw = realise(prob, sol, as_generator(seed))
    realised = pd.DataFrame({"final_score": draw["final"], "vetoed": draw["vetoed"]}, index=units)
    if prob.names:
        realised["grade"] = pd.Categorical.from_codes(draw["grade"], categories=prob.names)
    label = ["final_gate"] if prob.kind == "dual" else prob.names[:-1]
    metrics = design_metrics(prob, sol, kappa).iloc[0]
    hist = pd.DataFrame(
        [
            {"iteration": it, **{f"cut:{n}": k[0, j] for j, n in enumerate(label)}, "residual": r[0]}
            for it, k, r in history
        ]
    )
    diagnostics = pd.Series({k: v[0] for k, v in diag.items()})
    if not diagnostics["converged"]:
        warnings.warn(
            _(
                "the quota cut-off did not converge in {n} iterations (residual "
                "{residual:.3g}); raise max_iter or lower damping"
            ).format(n=int(diagnostics["iterations"]), residual=diagnostics["residual"]),
            WorkbenchWarning,
            stacklevel=3,
        )
    return Outcome(
        population=pop,
        institution=inst,
        effort=effort,
        output=pd.DataFrame(sol["output"], index=units, columns=tasks),
        expected=expected,
        grade_probs=gp,
        realised=realised,
        cutoffs=pd.Series(
            np.where(kappa[0] > LOW, kappa[0], np.nan), index=label[: kappa.shape[1]], name="cutoff"
        ),
        metrics=metrics,
        diagnostics=diagnostics,
        history=hist,
    )


def best_response(population, institution, *, cutoffs=None, seed=None) -> Outcome:
    """Every unit's best response to an institution at given cut-offs (no quota equilibrium).

    Parameters
    ----------
    population : Population
    institution : Institution
    cutoffs : mapping grade -> cut-off of the final score, optional
        Cut-offs the units expect (default: the bands' lower bounds; for dual-100, ``{'final_gate':
        c}`` sets a quota gate on P + O). Quotas are ignored unless their cut-offs are given here.
    seed : int, Generator or None, default=None  for the realised noise and veto draws

    Returns
    -------
    Outcome
    """
    prob = compile_problem(population, [institution])
    fronts = build_frontiers(prob)
    kappa = base_cutoffs(prob)
    if cutoffs:
        label = ["final_gate"] if prob.kind == "dual" else prob.names[:-1]
        unknown = [k for k in cutoffs if k not in label]
        if unknown:
            raise SpecError(
                _("best_response: cutoffs name {unknown}; expected some of {label}").format(
                    unknown=unknown, label=label
                ),
                key="cutoffs",
            )
        for k, v in cutoffs.items():
            kappa[0, label.index(k)] = float(v)
    sol, kappa, diag, history = solve_all(prob, fronts, kappa=kappa, equilibrium=False)
    return _outcome(population, institution, prob, sol, kappa, diag, history, seed)


def equilibrium(population, institution, *, damping=0.5, tol=1e-6, max_iter=200, seed=None) -> Outcome:
    """Best responses when quotas make the cut-offs depend on everyone's effort (a tournament).

    Parameters
    ----------
    population : Population
    institution : Institution
    damping : float in (0, 1], default=0.5  step of the fixed-point iteration on the cut-offs
    tol : float, default=1e-6  convergence tolerance on the cut-offs (score points)
    max_iter : int, default=200
    seed : int, Generator or None, default=None  for the realised noise and veto draws

    Returns
    -------
    Outcome
        ``diagnostics`` reports iterations, residual and convergence; a WorkbenchWarning is raised
        if the iteration did not converge.

    References
    ----------
    Lazear, E. and Rosen, S. (1981) Rank-order tournaments as optimum labor contracts. JPE 89(5).
    """
    if not 0 < damping <= 1:
        raise SpecError(
            _("The 'damping' parameter of equilibrium must be in (0, 1]. Got {damping!r} instead.").format(
                damping=damping
            ),
            key="damping",
        )
    prob = compile_problem(population, [institution])
    fronts = build_frontiers(prob)
    sol, kappa, diag, history = solve_all(prob, fronts, damping=damping, tol=tol, max_iter=max_iter)
    return _outcome(population, institution, prob, sol, kappa, diag, history, seed)
