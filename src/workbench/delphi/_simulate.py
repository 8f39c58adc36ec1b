"""A simulated expert panel, for demonstrations, tests and teaching (seeded)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._results import ResultMixin
from .._rng import as_generator
from ..errors import SpecError
from ._common import LABELS, check_scale
from ._experts import BASIS_CODES, FAMILIARITY_CODES

__all__ = ["SimulatedPanel", "simulate_panel"]


@dataclass(frozen=True, repr=False, eq=False)
class SimulatedPanel(ResultMixin):
    """Ratings of a simulated panel over several rounds, with the experts' self-assessments.

    Attributes
    ----------
    rounds : dict of round name -> DataFrame (experts x indicators, NaN = no answer)
    basis : DataFrame (experts x judgment bases) of 大 / 中 / 小
    familiarity : Series of familiarity answers
    importance : Series, the true mean importance used to generate the ratings
    """

    rounds: dict
    basis: pd.DataFrame
    familiarity: pd.Series
    importance: pd.Series

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {name: r.mean(axis=0) for name, r in self.rounds.items()} | {"importance": self.importance}
        )

    def _summary_title(self) -> str:
        first = next(iter(self.rounds.values()))
        return f"Simulated Delphi panel: {len(first)} experts, {first.shape[1]} indicators, {len(self.rounds)} rounds"


def simulate_panel(
    importance,
    *,
    n_experts=15,
    n_rounds=2,
    scale=(1, 5),
    noise=0.9,
    pull=0.5,
    dropout=0.1,
    missing=0.02,
    seed=None,
) -> SimulatedPanel:
    """Simulate a Delphi panel rating candidate indicators over several rounds.

    Expert e's latent view of indicator j in round 1 is ``importance_j + b_e + noise * u_ej`` with
    a personal leniency ``b_e ~ N(0, 0.3)`` and ``u ~ N(0, 1)``; in later rounds, after seeing the
    panel's mean ``m_j`` of the previous round (controlled feedback), it moves a share ``pull``
    towards it: ``(1 - pull) * z + pull * m_j + 0.3 * noise * u``. Ratings are the latents rounded
    and clipped to the scale. Each invited expert fails to return a round with probability
    ``dropout`` and leaves a single item blank with probability ``missing``.

    Parameters
    ----------
    importance : Series or mapping {indicator code: true mean importance on the scale}
    n_experts : int, default=15
    n_rounds : int, default=2
    scale : (low, high), default=(1, 5)
    noise, pull, dropout, missing : float
    seed : int, Generator or None, default=None

    Returns
    -------
    SimulatedPanel
        Rounds named 第1轮, 第2轮, ...; experts E01, E02, ...
    """
    lo, hi = check_scale(scale, func="simulate_panel")
    imp = pd.Series(importance, dtype=float)
    if not (isinstance(n_experts, int) and n_experts >= 2 and isinstance(n_rounds, int) and n_rounds >= 1):
        raise SpecError("simulate_panel: 'n_experts' must be an int >= 2 and 'n_rounds' an int >= 1.")
    for name, v in (("noise", noise), ("pull", pull), ("dropout", dropout), ("missing", missing)):
        if not (0 <= v <= (10 if name == "noise" else 1)):
            raise SpecError(
                f"simulate_panel: '{name}' is {v!r}; expected a share in [0, 1] (noise in [0, 10])."
            )
    rng = as_generator(seed)
    m, n = n_experts, len(imp)
    experts = pd.Index([f"E{i + 1:02d}" for i in range(m)], name="expert")
    mu = imp.to_numpy()
    z = mu + rng.normal(0, 0.3, (m, 1)) + noise * rng.normal(size=(m, n))
    rounds, prev_mean = {}, mu
    for r in range(n_rounds):
        if r:
            z = (1 - pull) * z + pull * prev_mean + 0.3 * noise * rng.normal(size=(m, n))
        x = np.clip(np.rint(z), lo, hi)
        x[rng.random((m, n)) < missing] = np.nan
        x[rng.random(m) < dropout] = np.nan
        answered = ~np.isnan(x)
        counts = answered.sum(axis=0)
        prev_mean = np.where(counts > 0, np.where(answered, x, 0).sum(axis=0) / np.maximum(counts, 1), mu)
        rounds[LABELS["round"].format(n=r + 1)] = pd.DataFrame(x, index=experts, columns=imp.index)
    levels = ["大", "中", "小"]
    probs = {
        "理论分析": [0.4, 0.4, 0.2],
        "实践经验": [0.6, 0.3, 0.1],
        "同行了解": [1 / 3] * 3,
        "直觉": [1 / 3] * 3,
    }
    basis = pd.DataFrame(
        {b: rng.choice(levels, size=m, p=probs[b]) for b in BASIS_CODES["common"]}, index=experts
    )
    fam = list(FAMILIARITY_CODES["common"])
    familiarity = pd.Series(rng.choice(fam, size=m, p=[0.3, 0.45, 0.2, 0.05, 0.0]), index=experts)
    return SimulatedPanel(rounds=rounds, basis=basis, familiarity=familiarity, importance=imp)
