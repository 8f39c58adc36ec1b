"""Several Delphi rounds: participation, concordance and convergence from one round to the next."""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._results import ResultMixin
from ..errors import DataError, Problem, WorkbenchWarning
from ._common import LABELS, names
from ._summary import summarise

__all__ = ["RoundsResult", "convergence"]


@dataclass(frozen=True, repr=False, eq=False)
class RoundsResult(ResultMixin):
    """Delphi rounds side by side.

    Attributes
    ----------
    rounds : DataFrame indexed by round
        ``invited``, ``responded``, ``positive`` (coefficient), ``indicators``, ``W``, ``chi2``,
        ``df``, ``pval``, ``mean_cv``, and ``W_common``: W over the indicators rated in every
        round (dropping low-rated items shrinks the spread of importance and lowers W by itself,
        so only ``W_common`` compares rounds like with like).
    indicators : DataFrame indexed by indicator
        ``mean_<round>`` and ``cv_<round>`` for every round the indicator was rated in,
        ``cv_change`` (last round minus the round before, on indicators rated in both) and
        ``converged`` (CV did not increase).
    summaries : dict of round -> DelphiSummary
    """

    rounds: pd.DataFrame
    indicators: pd.DataFrame
    summaries: dict

    @property
    def converged(self) -> bool:
        """W over the common indicators did not fall and their mean CV did not rise in the last round."""
        w = self.rounds["W_common"].to_numpy()
        cv = self.indicators["cv_change"].dropna()
        return bool(len(cv)) and bool(cv.mean() <= 0) and not (w[-1] < w[-2])

    def to_frame(self) -> pd.DataFrame:
        return self.rounds

    def _summary_title(self) -> str:
        return f"Delphi rounds: {len(self.rounds)}"

    def _summary_facts(self) -> dict:
        cv = self.indicators["cv_change"].dropna()
        return {
            "W by round": " -> ".join("undefined" if math.isnan(w) else f"{w:.3f}" for w in self.rounds["W"]),
            "W on common indicators": " -> ".join(
                "undefined" if math.isnan(w) else f"{w:.3f}" for w in self.rounds["W_common"]
            ),
            "mean CV change (last round)": round(float(cv.mean()), 4) if len(cv) else "n/a",
            "converged": self.converged,
        }


def _round_names(rounds):
    if isinstance(rounds, Mapping):
        return list(rounds.keys()), list(rounds.values())
    if isinstance(rounds, (str, bytes)) or not isinstance(rounds, Sequence):
        raise DataError(
            "convergence: 'rounds' must be a list of rating tables (one per round) or a mapping "
            f"{{round name: table}}; got {type(rounds).__name__}."
        )
    rounds = list(rounds)
    return [LABELS["round"].format(n=i + 1) for i in range(len(rounds))], rounds


def convergence(rounds, scale=(1, 5), *, allow_new=False) -> RoundsResult:
    """Compare Delphi rounds: response, Kendall's W and the change in each indicator's CV.

    Opinions converge when W rises (or holds) and coefficients of variation fall from one round
    to the next. Indicators dropped after a round are simply absent later; an indicator that
    appears in a later round without being rated before is an error (a renamed code, or a
    new item proposed by the experts: pass ``allow_new=True`` to accept new items).

    Parameters
    ----------
    rounds : sequence of tables or mapping {name: table}
        Ratings per round (experts x indicators, NaN = no answer), in order; at least two.
    scale : (low, high), default=(1, 5)
    allow_new : bool, default=False

    Returns
    -------
    RoundsResult

    Raises
    ------
    DataError
        Fewer than two rounds, indicators that appear from nowhere (all listed), or any problem of
        :func:`summarise` in a round (prefixed with the round's name).
    """
    labels, tables = _round_names(rounds)
    if len(tables) < 2:
        raise DataError(
            f"convergence: {len(tables)} round(s) given; convergence compares at least 2 rounds "
            "(use summarise for a single round)."
        )
    summaries = {}
    for name, table in zip(labels, tables, strict=True):
        try:
            summaries[name] = summarise(table, scale)
        except DataError as exc:
            raise type(exc)(f"round {name!r}: {exc}", problems=exc.problems) from None
    if not allow_new:
        problems = []
        for (a, sa), (b, sb) in zip(list(summaries.items())[:-1], list(summaries.items())[1:], strict=True):
            new = sb.table.index.difference(sa.table.index, sort=False)
            if len(new):
                problems.append(
                    Problem(
                        f"round {b!r} rates indicator(s) {names(new)} that round {a!r} did not",
                        key=str(b),
                        hint="check for renamed codes, or pass allow_new=True for items the experts added",
                    )
                )
        if problems:
            raise DataError("convergence: indicators do not match between rounds", problems=problems)
    rows = {}
    for name, s in summaries.items():
        k = s.kendall
        rows[name] = {
            "invited": s.n_experts,
            "responded": s.n_responded,
            "positive": s.positive_coefficient,
            "indicators": len(s.table),
            "W": k.W,
            "chi2": k.chi2,
            "df": k.df,
            "pval": k.pval,
            "mean_cv": float(s.table["cv"].mean()),
        }
    common = list(labels and summaries[labels[-1]].table.index)
    for s in summaries.values():
        common = [c for c in common if c in s.table.index]
    for name, table in zip(labels, tables, strict=True):
        frame = table if isinstance(table, pd.DataFrame) else pd.DataFrame(np.asarray(table, dtype=float))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", WorkbenchWarning)  # an undefined W is reported as NaN here
            rows[name]["W_common"] = (
                summarise(frame[common], scale).kendall.W if len(common) >= 2 else math.nan
            )
    per_round = pd.DataFrame.from_dict(rows, orient="index")
    per_round.index.name = "round"
    parts = {}
    for name, s in summaries.items():
        parts[f"mean_{name}"] = s.table["mean"]
        parts[f"cv_{name}"] = s.table["cv"]
    ind = pd.concat(parts, axis=1, sort=False)
    ind.index.name = "indicator"
    last, before = labels[-1], labels[-2]
    ind["cv_change"] = ind[f"cv_{last}"] - ind[f"cv_{before}"]
    ind["converged"] = np.where(ind["cv_change"].isna(), None, ind["cv_change"] <= 1e-12)
    return RoundsResult(rounds=per_round, indicators=ind, summaries=summaries)
