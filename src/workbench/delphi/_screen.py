"""Screening indicators after a Delphi round: rules as data, a decision and a reason for each."""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._results import ResultMixin
from ..errors import DataError, SpecError, check_option
from ._common import LABELS, names

__all__ = ["CUTOFF_RULES", "ScreeningResult", "screen"]

# The cut-off convention (界值法) of Chinese Delphi studies: for the mean and the full-score
# frequency the cut-off is (mean - SD) across indicators and an indicator must reach it; for the
# coefficient of variation the cut-off is (mean + SD) and an indicator must stay below it.
CUTOFF_RULES = (
    {"stat": "mean", "op": ">=", "value": "cutoff"},
    {"stat": "full_score_freq", "op": ">=", "value": "cutoff"},
    {"stat": "cv", "op": "<=", "value": "cutoff"},
)

_STATS = ("mean", "sd", "cv", "full_score_freq", "rank_sum", "median")
_OPS = {">=": np.greater_equal, ">": np.greater, "<=": np.less_equal, "<": np.less}
_FAIL_OP = {">=": "<", ">": "<=", "<=": ">", "<": ">="}


def _check_rules(rules) -> tuple[dict, ...]:
    if isinstance(rules, Mapping) or not isinstance(rules, Sequence) or not rules:
        raise SpecError(
            "The 'rules' parameter of screen must be a non-empty list of rules such as "
            "[{'stat': 'mean', 'op': '>=', 'value': 3.5}, {'stat': 'cv', 'op': '<=', 'value': 'cutoff'}]. "
            f"Got {rules!r} instead.",
            key="rules",
        )
    out = []
    for i, rule in enumerate(rules):
        key = f"rules[{i}]"
        if not isinstance(rule, Mapping) or set(rule) - {"stat", "op", "value"} or "stat" not in rule:
            raise SpecError(
                f"screen: {key} must be a mapping with keys 'stat', 'op' and 'value'; got {rule!r}.", key=key
            )
        check_option(rule["stat"], _STATS, name=f"{key}.stat", func="screen")
        op = rule.get("op", ">=")
        check_option(op, list(_OPS), name=f"{key}.op", func="screen")
        value = rule.get("value", "cutoff")
        number = isinstance(value, numbers.Real) and not isinstance(value, bool) and np.isfinite(value)
        if not (number or value == "cutoff"):
            raise SpecError(
                f"screen: {key}.value must be a number or 'cutoff' (mean - SD across indicators for '>=', "
                f"mean + SD for '<='); got {value!r}.",
                key=f"{key}.value",
            )
        out.append({"stat": rule["stat"], "op": op, "value": value if value == "cutoff" else float(value)})
    return tuple(out)


@dataclass(frozen=True, repr=False, eq=False)
class ScreeningResult(ResultMixin):
    """Decisions on each indicator after a round, with the rule values behind them.

    Attributes
    ----------
    table : DataFrame indexed by indicator
        The statistics used, one ``pass_<stat>`` column per rule, ``failed`` (count),
        ``decision`` (keep / review / drop), ``decision_zh`` (保留 / 讨论 / 删除) and the reasons
        ``reason_zh`` and ``reason_en`` (every rule with its value and threshold).
    thresholds : Series
        The threshold of each rule (the computed cut-off where ``value='cutoff'``).
    rules : tuple of dict
    drop_when : str
    """

    table: pd.DataFrame
    thresholds: pd.Series
    rules: tuple
    drop_when: str

    def _codes(self, decision):
        return list(self.table.index[self.table["decision"] == decision])

    @property
    def kept(self) -> list:
        return self._codes("keep")

    @property
    def dropped(self) -> list:
        return self._codes("drop")

    @property
    def review(self) -> list:
        return self._codes("review")

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def _summary_title(self) -> str:
        return f"Delphi screening: {len(self.kept)} kept, {len(self.review)} to review, {len(self.dropped)} dropped"

    def _summary_facts(self) -> dict:
        return {
            f"rule {i + 1}": f"{r['stat']} {r['op']} {self.thresholds.iloc[i]:.4g}"
            + (" (cut-off)" if r["value"] == "cutoff" else "")
            for i, r in enumerate(self.rules)
        } | {"drop when": self.drop_when}


def _stats_table(summary) -> pd.DataFrame:
    table = getattr(summary, "table", summary)
    if not isinstance(table, pd.DataFrame):
        raise DataError(
            f"screen: expected the result of workbench.delphi.summarise or its table; got {type(summary).__name__}."
        )
    return table


def screen(summary, rules=CUTOFF_RULES, *, drop_when="all_fail") -> ScreeningResult:
    """Decide keep / review / drop for every indicator of a round, with the reason for each.

    Rules are plain data: ``{"stat": "mean", "op": ">=", "value": 3.5}`` keeps an indicator whose
    mean reaches 3.5; ``"value": "cutoff"`` uses the cut-off convention (界值法): mean - SD of the
    statistic across indicators for ``>=``/``>`` rules, mean + SD (ddof=1) for ``<=``/``<`` rules.
    The default applies the cut-off to the mean, the full-score frequency and the coefficient of
    variation. An indicator that passes every rule is kept; with ``drop_when="all_fail"`` (default)
    one that fails every rule is dropped and the rest go to review (讨论); with
    ``drop_when="any_fail"`` any failure drops.

    Parameters
    ----------
    summary : DelphiSummary or DataFrame
        The result of :func:`summarise` (or its table).
    rules : sequence of mapping, default=CUTOFF_RULES
        Each with ``stat`` (one of mean, sd, cv, full_score_freq, rank_sum, median), ``op``
        (>=, >, <=, <) and ``value`` (a number or ``"cutoff"``).
    drop_when : {"all_fail", "any_fail"}, default="all_fail"

    Returns
    -------
    ScreeningResult

    Examples
    --------
    >>> from workbench.delphi import summarise
    >>> s = summarise([[5, 4, 2], [5, 4, 1], [4, 5, 2]])
    >>> screen(s, [{"stat": "mean", "op": ">=", "value": 3.5}]).table["decision"].tolist()
    ['keep', 'keep', 'drop']
    """
    rules = _check_rules(rules)
    check_option(drop_when, ["all_fail", "any_fail"], name="drop_when", func="screen")
    table = _stats_table(summary)
    missing = sorted({r["stat"] for r in rules} - set(table.columns))
    if missing:
        raise DataError(f"screen: the summary has no column(s) {names(missing)}; use summarise(...) first.")
    out = pd.DataFrame(index=table.index)
    thresholds, passes, zh, en = [], [], [], []
    seen: dict = {}
    for r in rules:
        seen[r["stat"]] = seen.get(r["stat"], 0) + 1
        suffix = "" if seen[r["stat"]] == 1 else f"_{seen[r['stat']]}"
        col = table[r["stat"]].to_numpy(dtype=float)
        if r["value"] == "cutoff":
            centre, spread = np.nanmean(col), np.nanstd(col, ddof=1) if len(col) > 1 else 0.0
            t = centre - spread if r["op"] in (">=", ">") else centre + spread
        else:
            t = r["value"]
        ok = _OPS[r["op"]](col, t)  # NaN (e.g. an SD from one answer) fails the rule
        thresholds.append(t)
        passes.append(ok)
        out[r["stat"]] = col
        out[f"pass_{r['stat']}{suffix}"] = ok
        label = LABELS.get(r["stat"], r["stat"])
        zh.append([f"{label} {v:.3g} {r['op'] if p else _FAIL_OP[r['op']]} {t:.3g}" for v, p in zip(col, ok)])
        en.append(
            [f"{r['stat']} {v:.3g} {r['op'] if p else _FAIL_OP[r['op']]} {t:.3g}" for v, p in zip(col, ok)]
        )
    passed = np.vstack(passes)
    failed = (~passed).sum(axis=0)
    drop = failed == len(rules) if drop_when == "all_fail" else failed > 0
    decision = np.where(failed == 0, "keep", np.where(drop, "drop", "review"))
    out["failed"] = failed
    out["decision"] = decision
    out["decision_zh"] = [LABELS[d] for d in decision]
    out["reason_zh"] = [
        "；".join(parts) + f" → {LABELS[d]}" for parts, d in zip(zip(*zh), decision, strict=True)
    ]
    out["reason_en"] = ["; ".join(parts) + f" -> {d}" for parts, d in zip(zip(*en), decision, strict=True)]
    return ScreeningResult(
        table=out,
        thresholds=pd.Series(thresholds, index=[f"{r['stat']} {r['op']}" for r in rules], name="threshold"),
        rules=rules,
        drop_when=drop_when,
    )
