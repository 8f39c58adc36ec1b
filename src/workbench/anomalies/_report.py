"""The anomaly report: one row per flagged figure and check, ready to send back to the unit."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .._i18n import _, _p, use_language
from .._results import ResultMixin
from ..io import write_table

__all__ = ["AnomalyReport"]


def _headers() -> dict:
    """Column headers of the flag list for people, in the current language (``reason_en`` keeps its
    English header: it is the English column)."""
    return {
        "unit": _p("flag list", "unit code"),
        "unit_name": _p("flag list", "unit name"),
        "category": _p("flag list", "category"),
        "period": _p("flag list", "period"),
        "indicator": _p("flag list", "indicator code"),
        "indicator_name": _p("flag list", "indicator name"),
        "value": _p("flag list", "reported value"),
        "expected": _p("flag list", "expected range or value"),
        "check": _p("flag list", "check"),
        "reason_zh": _p("flag list", "problem"),
        "reason_en": "reason",
    }


def _check_names() -> dict:
    """Names of the check kinds for people, in the current language."""
    return {
        "out_of_range": _p("check", "out of range"),
        "missing": _p("check", "required figure missing"),
        "not_integer": _p("check", "not a whole number"),
        "not_a_number": _p("check", "not a number"),
        "invalid_value": _p("check", "invalid value"),
        "total_mismatch": _p("check", "total or ratio does not add up"),
        "impossible_combination": _p("check", "impossible combination"),
        "peer_deviation": _p("check", "deviates from peers"),
        "jump": _p("check", "sudden jump or drop"),
        "change": _p("check", "unusual change"),
        "cumulative_fall": _p("check", "year-to-date figure falls"),
    }


@dataclass(frozen=True, repr=False)
class AnomalyReport(ResultMixin):
    """Flagged report figures.

    Attributes
    ----------
    flags : DataFrame
        One row per (figure, check): unit, unit_name, category, period, indicator, indicator_name,
        value, expected (text), expected_low, expected_high, check, score (robust z, ratio or
        difference), related (other cells of a relation), reason_zh, reason_en, row (position of the
        row in the input table).
    n_rows, n_units, n_periods, n_indicators : int  size of the checked table
    settings : dict  thresholds used
    skipped : tuple  peer groups skipped (fewer than ``min_peers`` units), as text
    """

    flags: pd.DataFrame
    n_rows: int
    n_units: int
    n_periods: int
    n_indicators: int
    settings: dict = field(default_factory=dict)
    skipped: tuple = ()

    def to_frame(self) -> pd.DataFrame:
        return self.flags

    @property
    def n_figures(self) -> int:
        """Distinct flagged figures (unit, period, indicator); a figure may fail several checks."""
        return int(self.flags[["unit", "period", "indicator"]].drop_duplicates().shape[0])

    def counts(self) -> pd.DataFrame:
        """Flags per check kind: figures, units and indicators involved."""
        g = self.flags.groupby("check", sort=False)
        out = pd.DataFrame(
            {"flags": g.size(), "units": g["unit"].nunique(), "indicators": g["indicator"].nunique()}
        )
        with use_language("zh"):  # the summary sheet of the Chinese workbook
            names, header = _check_names(), _headers()["check"]
        out.insert(0, header, [names.get(k, k) for k in out.index])
        return out

    def for_unit(self, unit) -> pd.DataFrame:
        """The flags of one unit, as a sheet to send back to it."""
        return self.flags.loc[self.flags["unit"] == unit]

    def table(self, lang: str = "both") -> pd.DataFrame:
        """The flag list for people: ``lang='zh'`` Chinese headers and reasons, ``'en'`` English,
        ``'both'`` Chinese headers with both reason columns."""
        from ..errors import check_option

        check_option(lang, ("zh", "en", "both"), name="lang", func="AnomalyReport.table")
        cols = ["unit", "unit_name", "category", "period", "indicator", "indicator_name", "value", "expected",
                "check"]  # fmt: skip
        cols = [
            c
            for c in cols
            if c in self.flags.columns and not (c == "category" and self.flags[c].isna().all())
        ]
        out = self.flags[cols + ["reason_zh", "reason_en"]].copy()
        if lang == "en":
            return out.drop(columns="reason_zh")
        with use_language("zh"):
            names, headers = _check_names(), _headers()
        out["check"] = out["check"].map(lambda k: names.get(k, k))
        if lang == "zh":
            out = out.drop(columns="reason_en")
        return out.rename(columns=headers)

    def to_csv(self, path, *, lang: str = "both") -> Path:
        """Write the flag list as CSV (UTF-8 with BOM, so Excel and WPS show the Chinese), atomically."""
        return write_table(Path(path), self.table(lang), index=False)  # formula-safe cells

    def to_excel(self, path, *, lang: str = "both") -> Path:
        """Write an Excel workbook atomically: sheet 问题清单 (every flag) and 汇总 (counts per check)."""
        with use_language("en" if lang == "en" else "zh"):
            sheets = {
                _p("sheet", "flags"): self.table(lang),
                _p("sheet", "summary"): self.counts().rename_axis("check").reset_index(),
            }
        return write_table(Path(path), sheets, index=False)  # formula-safe cells

    def _summary_title(self) -> str:
        return _("Report checks: {n_flags} flags on {n_figures} figures").format(
            n_flags=len(self.flags), n_figures=self.n_figures
        )

    def _summary_facts(self) -> dict:
        facts = {
            _("table"): _("{n_units} units x {n_periods} periods x {n_indicators} indicators").format(
                n_units=self.n_units, n_periods=self.n_periods, n_indicators=self.n_indicators
            ),
            _("units flagged"): int(self.flags["unit"].nunique()),
        }
        if len(self.flags):
            names = _check_names()
            facts[_("by check")] = _(", ").join(
                f"{names.get(k, k)} {v}" for k, v in self.flags["check"].value_counts().items()
            )
        if self.skipped:
            facts[_("skipped peer groups")] = _("; ").join(self.skipped)
        return facts
