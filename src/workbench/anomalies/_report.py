"""The anomaly report: one row per flagged figure and check, ready to send back to the unit."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .._i18n import _
from .._results import ResultMixin
from ..io import atomic_write_bytes

__all__ = ["AnomalyReport", "COLUMNS_ZH"]

COLUMNS_ZH = {
    "unit": "单位代码",
    "unit_name": "单位名称",
    "category": "类别",
    "period": "报告期",
    "indicator": "指标代码",
    "indicator_name": "指标名称",
    "value": "填报值",
    "expected": "合理范围或应为",
    "check": "检查类型",
    "reason_zh": "问题说明",
    "reason_en": "reason",
}
CHECKS_ZH = {
    "out_of_range": "超出范围",
    "missing": "必填为空",
    "not_integer": "非整数",
    "not_a_number": "非数字",
    "invalid_value": "无效取值",
    "total_mismatch": "合计或比率不符",
    "impossible_combination": "不可能的组合",
    "peer_deviation": "偏离同类",
    "jump": "突增突降",
    "change": "环比异常",
    "cumulative_fall": "累计数下降",
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
        out.insert(0, "检查类型", [CHECKS_ZH.get(k, k) for k in out.index])
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
        out["check"] = out["check"].map(lambda k: CHECKS_ZH.get(k, k)) if lang != "en" else out["check"]
        if lang == "zh":
            out = out.drop(columns="reason_en")
        elif lang == "en":
            return out.drop(columns="reason_zh")
        return out.rename(columns=COLUMNS_ZH)

    def to_csv(self, path, *, lang: str = "both") -> Path:
        """Write the flag list as CSV (UTF-8 with BOM, so Excel and WPS show the Chinese), atomically."""
        text = self.table(lang).to_csv(index=False)
        return atomic_write_bytes(Path(path), text.encode("utf-8-sig"))

    def to_excel(self, path, *, lang: str = "both") -> Path:
        """Write an Excel workbook atomically: sheet 问题清单 (every flag) and 汇总 (counts per check)."""
        buf = io.BytesIO()
        with pd.ExcelWriter(buf, engine="openpyxl") as xl:
            self.table(lang).to_excel(xl, sheet_name="问题清单", index=False)
            self.counts().to_excel(xl, sheet_name="汇总")
        return atomic_write_bytes(Path(path), buf.getvalue())

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
            facts[_("by check")] = _(", ").join(
                f"{k} {v}" for k, v in self.flags["check"].value_counts().items()
            )
        if self.skipped:
            facts[_("skipped peer groups")] = _("; ").join(self.skipped)
        return facts
