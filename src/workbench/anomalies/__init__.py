"""Anomaly checks of report data (党建报表 数据核查).

Seed 003: Hangzhou's first party-building report found 116 figures on 27 indicators that failed
requirements or deviated from the average. :func:`check_report` finds such figures in a wide
report table (one row per unit and period) with three families of checks:

- rule checks, declared as plain data (:func:`parse_checks`, :func:`checks_from_table`) or implied
  by a rubric (:func:`checks_from_rubric`): ranges, required figures, whole numbers, parts above
  their whole, sums and ratios that do not add up, impossible combinations (``{if: ..., then: ...}``,
  parsed, never evaluated);
- peer deviation: robust z (median and 1.4826 MAD) among the units of the same category and period;
- changes across periods: one-period jumps and drops against the unit's own median, falls of
  year-to-date figures, and (optionally) robust z of period-to-period changes.

The result, :class:`AnomalyReport`, lists each flagged figure with unit, name, period, indicator,
value, expected range and reason in Chinese and English, and exports CSV or Excel atomically.
"""

from ._core import check_report
from ._derive import checks_from_rubric, checks_from_table
from ._periods import parse_periods
from ._report import AnomalyReport
from ._robust import loo_median, peer_z, robust_z_rows, series_change_z
from ._spec import Checks, Condition, parse_checks

__all__ = [
    "check_report",
    "AnomalyReport",
    "Checks",
    "Condition",
    "parse_checks",
    "checks_from_table",
    "checks_from_rubric",
    "parse_periods",
    "robust_z_rows",
    "peer_z",
    "loo_median",
    "series_change_z",
]
