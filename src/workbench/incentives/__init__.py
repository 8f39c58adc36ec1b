"""Incentive simulation: where assessed units put their effort, and what designs do about it.

The "2% problem" (domain.md, seed 000): when party building counts for 2% of a comprehensive
assessment, departments put essentially no effort into it. This package computes how a
population of units (:class:`Population`) splits its effort across tasks under an assessment
design (:class:`Institution`: weights, the 2% comprehensive scheme, Hangzhou's dual-100 matrix,
the multiplicative scheme, grade bands, quotas, veto items, noisy or compressed scores, rewards),
solves quota tournaments as an equilibrium, sweeps design parameters and finds tipping points.

Closed forms it reproduces: :func:`effort_shares` (linear aggregation), :func:`hm_linear_contract`
(Holmström & Milgrom 1991), :func:`veto_insurance_effort`.

Typical use::

    from workbench import incentives as inc
    pop = inc.random_population(86, seed=1)
    inst = inc.institution_from_rubric(rubric, rewards={"优秀": 1, "良好": 0.6, "一般": 0.3, "较差": 0})
    out = inc.equilibrium(pop, inst, seed=1)
    sw = inc.sweep(pop, inst, "party_weight", np.linspace(0, 0.5, 51))
    inc.tipping_points(sw, "party_share", level=0.01)
"""

from __future__ import annotations

from ._closed_form import HMContract, effort_shares, hm_linear_contract, veto_insurance_effort
from ._designs import (
    DESIGNS,
    with_ceiling,
    with_noise,
    with_party_gate,
    with_party_weight,
    with_quota,
    with_veto_items,
)
from ._from_data import population_from_scorecard, population_from_table
from ._from_rubric import DEFAULT_NOISE, default_tasks, institution_from_rubric
from ._institution import AGGREGATIONS, Institution, VetoRisk
from ._outcome import Outcome, best_response, equilibrium
from ._population import Population, default_value, random_population
from ._sweep import SweepResult, sweep, tipping_points

__all__ = [
    "effort_shares",
    "hm_linear_contract",
    "HMContract",
    "veto_insurance_effort",
    "Population",
    "random_population",
    "population_from_table",
    "population_from_scorecard",
    "default_value",
    "Institution",
    "VetoRisk",
    "institution_from_rubric",
    "default_tasks",
    "AGGREGATIONS",
    "DEFAULT_NOISE",
    "with_party_weight",
    "with_quota",
    "with_veto_items",
    "with_noise",
    "with_party_gate",
    "with_ceiling",
    "DESIGNS",
    "Outcome",
    "best_response",
    "equilibrium",
    "sweep",
    "SweepResult",
    "tipping_points",
]
