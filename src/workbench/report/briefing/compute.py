"""Everything a briefing shows, computed once (no display, no language).

The scorecard is always computed; the data-driven parts (robustness under uncertain weights,
entropy/CRITIC weights, nominal vs effective weight, the effort model of the 2% question,
revealed weights) are computed when the data support them and otherwise recorded as skipped with
a reason, so a briefing never fails because 2 units cannot carry a CRITIC weighting.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..._results import ResultMixin
from ...errors import WorkbenchError

__all__ = ["BriefingData", "compute_briefing", "scenario_problem", "PARTY_WEIGHTS", "SUMMARY_LIMIT"]

PARTY_WEIGHTS = (0.02, 0.05, 0.10, 0.20, 0.30, 0.50)
SUMMARY_LIMIT = 150  # more units than this (or individuals): summary layout, full table as appendix
MODEL_UNITS = 1000  # the effort model runs on at most this many units (results settle by ~500)
CONCENTRATION = 50.0  # Dirichlet concentration of the weight draws


@dataclass(frozen=True, repr=False, eq=False)
class BriefingData(ResultMixin):
    """The numbers of a briefing.

    Attributes
    ----------
    rubric : Rubric  the rubric scored (with the scenario applied, when it applies)
    card : Scorecard
    baseline : Scorecard or None  the rubric as written, when a scenario was applied
    names : Series or None  display names of the units
    data_file : str  the data table's file name
    scenario : Scenario or None  the scenario asked for
    scenario_skipped : tuple or None  (catalogue key, values): why the scenario does not apply
    uncertainty, importance : results of :mod:`workbench.sensitivity`, or None when skipped
    weights : DataFrame or None  stated vs data-driven (and revealed) weights of the top blocks
    effort : DataFrame or None  party weight -> effort shares (schemes with a party weight only)
    effort_units : int  units the local effort model ran on
    skipped : dict  part -> (catalogue key, values): parts not computed, and why
    layout : {'full', 'summary'}
    """

    rubric: object
    card: object
    baseline: object
    names: pd.Series | None
    data_file: str
    scenario: object
    scenario_skipped: tuple | None
    uncertainty: object
    importance: object
    weights: pd.DataFrame | None
    effort: pd.DataFrame | None
    effort_units: int
    skipped: dict = field(default_factory=dict)
    layout: str = "full"
    n_draws: int = 0

    def to_frame(self) -> pd.DataFrame:
        return self.card.to_frame()

    def _summary_title(self) -> str:
        return f"Briefing data: {self.rubric.name} ({len(self.card.index)} units, {self.layout} layout)"

    @property
    def n(self) -> int:
        return len(self.card.index)

    @property
    def within(self) -> bool:
        """Ranks are read within category (the rubric says categories are ranked apart)."""
        c = self.rubric.categories
        return c is not None and c.rank_within and self.card.category is not None

    @property
    def weight_spread(self) -> float:
        """Typical relative variation of a top block's weight in the draws (Dirichlet SD / mean)."""
        w = self.rubric.effective_weights()[self.rubric.top_blocks].to_numpy()
        w = w / w.sum()
        return float(np.mean(np.sqrt((1 - w) / (w * (CONCENTRATION + 1)))))


def scenario_problem(rubric, scenario, columns) -> tuple | None:
    """Why ``scenario`` cannot apply to ``rubric`` with data ``columns`` (key, values), or None.

    A scenario written for another scheme (a grade this rubric does not have, another score the
    data lack) does not make the briefing fail: it is reported, and the rubric as written is
    briefed. A scenario with invalid values, or weights for codes the rubric does not have (most
    often a typo), still raises on applying it.
    """
    names = list(scenario.bands) if scenario.bands else rubric.grades.names
    missing = [g for g in (scenario.quota or {}) if g not in names]
    if missing:
        return ("sc_no_grade", {"grades": "/".join(names) or "—", "grade": missing[0]})
    scheme = scenario.scheme or {}
    if scheme.get("type", "single") != "single":
        other = scheme.get("other") or {}
        column = other.get("column") or rubric.scheme.other_column
        if column is None or column not in columns:
            return ("sc_no_column", {"column": column or "?", "name": other.get("name") or column or "?"})
    return None


def _attempt(fn, skipped: dict, part: str):
    """Run an optional computation; a failure the data explain is recorded, not raised."""
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn()
    except (WorkbenchError, np.linalg.LinAlgError, FloatingPointError) as exc:
        skipped[part] = ("why_generic", {"detail": str(exc).splitlines()[0]})
        return None


def compute_briefing(
    rubric,
    data: pd.DataFrame,
    *,
    outcome: pd.Series | None = None,
    scenario=None,
    n_draws: int = 300,
    seed: int = 20261125,
    data_source: str = "",
    analyses: bool = True,
) -> BriefingData:
    """Compute everything the briefing shows.

    Parameters
    ----------
    rubric : Rubric
    data : DataFrame  as :func:`workbench.read_table` returns it
    outcome : Series, optional  an overall judgment per unit (revealed weights)
    scenario : Scenario, optional  applied to the rubric when it fits (see :func:`scenario_problem`);
        the rubric as written is then scored as the baseline
    n_draws : int, default=300  weight draws of the robustness analysis (0 skips it)
    seed : int  of the weight draws and the revealed-weight bootstrap
    data_source : str  the data file (its name is shown)
    analyses : bool, default=True  False: the scorecard only (for appendix tables and feedback sheets)

    Returns
    -------
    BriefingData
    """
    from pathlib import Path

    from ...io import unit_names
    from ...scenario import apply_scenario
    from ...scoring import score

    baseline, skipped_scenario = None, None
    if scenario is not None:
        skipped_scenario = scenario_problem(rubric, scenario, data.columns)
        if skipped_scenario is None:
            baseline = score(rubric, data)
            rubric = apply_scenario(rubric, scenario)
    card = score(rubric, data)
    n = len(card.index)
    skipped: dict = {}
    few = ("why_few", {"n": n})
    unc = imp = None
    if not analyses:
        pass
    elif len(rubric.top_blocks) < 2:
        skipped["robust"] = skipped["importance"] = ("why_one_block", {})
    elif n < 3:
        skipped["robust"] = skipped["importance"] = few
    else:
        from ... import sensitivity

        if n_draws >= 2:
            factors = {"weights": {"dirichlet": {"concentration": CONCENTRATION}}}
            unc = _attempt(
                lambda: sensitivity.uncertainty(rubric, data, None, factors, n=n_draws, seed=seed),
                skipped,
                "robust",
            )
        imp = _attempt(lambda: sensitivity.importance(rubric, data, level="top"), skipped, "importance")
    weights = _weights(rubric, card, data, outcome, seed, skipped) if analyses else None
    effort, effort_units = _effort(rubric, card, data, skipped) if analyses else (None, 0)
    individuals = rubric.subject.individuals
    return BriefingData(
        rubric=rubric,
        card=card,
        baseline=baseline,
        names=unit_names(data),
        data_file=Path(data_source).name if data_source else "",
        scenario=scenario,
        scenario_skipped=skipped_scenario,
        uncertainty=unc,
        importance=imp,
        weights=weights,
        effort=effort,
        effort_units=effort_units,
        skipped=skipped,
        layout="summary" if individuals or n > SUMMARY_LIMIT else "full",
        n_draws=n_draws if unc is not None else 0,
    )


def _weights(rubric, card, data, outcome, seed, skipped) -> pd.DataFrame | None:
    """Stated vs data-driven weights of the top blocks, on the blocks' achievement rates."""
    from ... import weighting

    blocks = rubric.top_blocks
    if len(blocks) < 2:
        skipped["weights"] = ("why_one_block", {})
        return None
    full = rubric.full_marks()
    rates = pd.DataFrame({b: card.blocks[b].to_numpy() / full[b] for b in blocks}, index=card.index)
    stated = rubric.effective_weights()[blocks]
    out = pd.DataFrame({"stated": stated / stated.sum()})
    varying = rates.loc[:, rates.std() > 1e-9]
    corr = varying.corr().to_numpy() if varying.shape[1] >= 2 else np.ones((1, 1))
    off = corr[~np.eye(len(corr), dtype=bool)]
    if len(card.index) < 3:
        skipped["weights"] = ("why_few", {"n": len(card.index)})
    elif varying.shape[1] < 2 or (off.size and np.nanmax(np.abs(off)) > 1 - 1e-9):
        skipped["weights"] = ("why_no_spread", {})
    else:
        found = _attempt(
            lambda: {
                "entropy": weighting.entropy(varying, normalise="minmax").weights,
                "critic": weighting.critic(varying).weights,
            },
            skipped,
            "weights",
        )
        for k, v in (found or {}).items():
            out[k] = v.reindex(blocks).fillna(0.0)
    if outcome is not None:
        revealed = _attempt(lambda: _revealed(rubric, data, outcome, seed), skipped, "revealed")
        for col, values in (revealed or {}).items():
            out[col] = values.reindex(blocks).to_numpy()
    out.index = [rubric.nodes[b].name for b in blocks]
    return out


def _revealed(rubric, data, outcome, seed) -> dict:
    from ...calibration import stated_vs_revealed

    known = set(outcome.dropna().astype(str))
    levels = rubric.grades.names[::-1] if known <= set(rubric.grades.names) else None
    table = stated_vs_revealed(rubric, data, outcome, levels=levels, seed=seed).tables["blocks"]
    return {c: table[c] for c in ("ols", "ordinal") if c in table.columns and table[c].notna().any()}


def _effort(rubric, card, data, skipped) -> tuple[pd.DataFrame | None, int]:
    """Party weight -> effort on party building, for schemes where party building has a weight."""
    if rubric.scheme.type != "weighted":
        return None, 0
    from ...incentives import effort_shares

    p = rubric.scheme.party_weight
    pw = np.unique(np.append(PARTY_WEIGHTS, p))
    # textbook closed form: linear aggregation, two equally productive tasks, gamma 0.5
    effort = pd.DataFrame(
        {"party_weight": pw, "effort_share": effort_shares(np.column_stack([pw, 1 - pw]), gamma=0.5)[:, 0]}
    )
    n = len(card.index)
    if n < 3:
        skipped["effort"] = ("why_few", {"n": n})
        return effort, 0
    model = _attempt(lambda: _effort_model(rubric, card, data, pw), skipped, "effort")
    if model is None:
        return effort, 0
    frame, used = model
    effort["model_share"] = frame["party_share"].to_numpy()
    effort["distortion"] = frame["distortion"].to_numpy()
    return effort, used


def _effort_model(rubric, card, data, pw):
    """The calibrated model of these units (their scores, bands, quota and veto).

    Beyond :data:`MODEL_UNITS` units it runs on units taken at equal steps of the score order: the
    model's results are population averages, which such a sample keeps (they settle by ~500 units),
    while its cost grows faster than the number of units.
    """
    from ...incentives import institution_from_rubric, population_from_scorecard, sweep
    from ...scoring import score

    if len(card.index) > MODEL_UNITS:
        order = np.argsort(-card.final.to_numpy(), kind="stable")
        pick = order[np.unique(np.linspace(0, len(order) - 1, MODEL_UNITS).round().astype(int))]
        card = score(rubric, data.iloc[np.sort(pick)])
    result = sweep(population_from_scorecard(card), institution_from_rubric(rubric), "party_weight", list(pw))
    return result.to_frame(), len(card.index)
