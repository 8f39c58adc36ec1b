"""Anomaly checks of report data (党建报表): rule checks, peer deviations and changes across periods.

Hangzhou's first party-building report found 116 figures on 27 indicators that failed
requirements or deviated from the average (seed 003). :func:`check_report` finds such figures in a
wide report table (one row per unit and period, one column per indicator) and lists each with the
unit, period, indicator, value, the expected range and the reason in Chinese and English.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .._i18n import _
from ..errors import DataError, Problem, SpecError
from ..io import UNIT_COLUMNS
from ._derive import checks_from_rubric
from ._panel import Grid, changes, cumulative, peer
from ._periods import parse_periods
from ._report import AnomalyReport
from ._rules import FlagSink, numbers, rule_checks
from ._spec import Checks, parse_checks

__all__ = ["check_report"]

NAME_COLUMNS = ("unit_name", "name", "单位名称")


def _check_number(value, name, lo, hi, *, lo_open=True, integer=False, allow_none=False):
    if value is None and allow_none:
        return None
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
    ok = ok and math.isfinite(float(value)) and (value > lo if lo_open else value >= lo) and value <= hi
    ok = ok and (not integer or float(value) == int(value))
    if not ok:
        what = _("an integer") if integer else _("a number")
        left = "(" if lo_open else "["
        none = _(" or None") if allow_none else ""
        raise SpecError(
            _(
                "The '{name}' parameter of check_report must be {what} in {left}{lo:g}, "
                "{hi:g}]{none}. Got {value!r} instead."
            ).format(name=name, what=what, left=left, lo=lo, hi=hi, none=none, value=value),
            key=name,
        )
    return int(value) if integer else float(value)


def check_report(
    data: pd.DataFrame,
    checks=None,
    *,
    rubric=None,
    unit: str | None = None,
    period: str | None = "period",
    category=None,
    names=None,
    indicators=None,
    peer_threshold: float = 3.5,
    min_peers: int = 3,
    jump_ratio: float | None = 5.0,
    jump_offset: float = 1.0,
    change_threshold: float | None = None,
    min_periods: int = 3,
) -> AnomalyReport:
    """Check report figures and list every figure that fails a rule or deviates.

    Parameters
    ----------
    data : DataFrame of shape (units x periods, columns)
        Wide report table: a unit id column (``unit``, or the index), a period column, one column
        per indicator. Never modified.
    checks : mapping, YAML path or Checks, optional
        Declared checks (see :mod:`workbench.anomalies._spec`: ranges, required, integer, not_above,
        sum, ratio, conditions, cumulative, peer, change, names). Build one from an indicator table
        with :func:`checks_from_table`.
    rubric : Rubric, optional
        Adds the checks a rubric implies (:func:`checks_from_rubric`); declared checks win.
    unit : str, optional
        Unit id column (default: the index if named, else the first of ``workbench.io.UNIT_COLUMNS``).
    period : str or None, default='period'
        Period column (months ``2025-01`` / ``2025年1月`` or quarters ``2025Q1``); None for one period.
    category : str, Series or mapping, optional
        Peer groups (分类): a column, or unit -> category. Default: all units are peers.
    names : str, Series or mapping, optional
        Unit names: a column, or unit -> name (default: a ``unit_name``/``name``/``单位名称`` column).
    indicators : list of str, optional
        Indicator columns (default: those the checks name, else every numeric column).
    peer_threshold : float > 0, default=3.5
        Flag |robust z| above this among the peers of the same category and period (z = (x -
        median) / (1.4826 MAD); Iglewicz & Hoaglin's 3.5).
    min_peers : int >= 2, default=3
        Peer groups with fewer units are skipped, with a WorkbenchWarning naming them.
    jump_ratio : float > 1 or None, default=5
        Flag (x + offset) / (m + offset) >= jump_ratio or <= 1 / jump_ratio, m the median of the same
        unit's other periods (a one-period spike or collapse). None switches the check off.
    jump_offset : float >= 0, default=1
        Added to both sides so that zeros do not divide.
    change_threshold : float > 0 or None, default=None
        Flag |robust z| above this of a period-to-period change against the same unit's other
        changes (per unit and indicator). Off by default: small counts with mostly unchanged
        months make the MAD tiny, so it flags ordinary movements; switch on for smooth series.
    min_periods : int >= 2, default=3
        Fewest other periods a unit needs for the jump and change checks.

    Returns
    -------
    AnomalyReport

    Raises
    ------
    DataError
        Missing columns, duplicated (unit, period) rows, periods that do not parse (naming rows).
    SpecError
        Thresholds outside their range, malformed checks.

    Warns
    -----
    WorkbenchWarning
        When a category has fewer than ``min_peers`` units: its peer deviation is undefined and
        skipped (the other checks still run for its units).

    References
    ----------
    Iglewicz, B. & Hoaglin, D. C. (1993). How to Detect and Handle Outliers. ASQC Quality Press.
    """
    peer_threshold = _check_number(peer_threshold, "peer_threshold", 0, math.inf)
    min_peers = _check_number(min_peers, "min_peers", 2, math.inf, lo_open=False, integer=True)
    jump_ratio = _check_number(jump_ratio, "jump_ratio", 1, math.inf, allow_none=True)
    jump_offset = _check_number(jump_offset, "jump_offset", 0, math.inf, lo_open=False)
    change_threshold = _check_number(change_threshold, "change_threshold", 0, math.inf, allow_none=True)
    min_periods = _check_number(min_periods, "min_periods", 2, math.inf, lo_open=False, integer=True)
    if not isinstance(data, pd.DataFrame):
        raise DataError(
            _("check_report needs a DataFrame; got {type_name}").format(type_name=type(data).__name__)
        )

    frame, ids = _unit_ids(data, unit)
    checks = parse_checks(checks)
    if rubric is not None:
        checks = checks_from_rubric(rubric).merge(checks)
    meta = {c for c in (period, category if isinstance(category, str) else None) if c}
    meta |= {c for c in ([names] if isinstance(names, str) else NAME_COLUMNS) if c in frame.columns}
    codes = _indicators(frame, checks, indicators, meta)
    _require_columns(frame, codes | checks.columns(), period, category, names)
    text_cols = set(checks.allowed) | checks.text_columns()
    values = {c: numbers(frame[c]) for c in sorted(codes | checks.columns()) if c not in text_cols}
    nm = {c: checks.names.get(c, c) for c in frame.columns}

    sink = FlagSink()
    rule_checks(values, frame, checks, nm, sink)
    unit_names = _lookup(frame, ids, names, NAME_COLUMNS, "names")
    cats = _lookup(frame, ids, category, (), "category")
    n_periods, skipped = 1, ()
    if period is not None and period in frame.columns:
        ords, freq = parse_periods(frame[period], column=period)
        peer_cols = [c for c in (checks.peer if checks.peer is not None else sorted(codes)) if c in values]
        change_cols = checks.change if checks.change is not None else sorted(codes - set(checks.cumulative))
        change_cols = [c for c in change_cols if c in values]
        grid = Grid(ids, ords, cats, min_peers)
        n_periods, skipped = grid.T, grid.skipped
        settings = dict(peer_threshold=peer_threshold, jump_ratio=jump_ratio, jump_offset=jump_offset,
                        change_threshold=change_threshold, min_periods=min_periods)  # fmt: skip
        for code in sorted(set(peer_cols) | set(change_cols) | set(checks.cumulative)):
            x = grid.cube(values[code])
            if code in peer_cols:
                peer(grid, x, code, peer_threshold, nm, sink)
            if code in checks.cumulative:
                cumulative(grid, x, code, freq, nm, sink)
            if code in change_cols and grid.T >= 2:
                changes(grid, x, code, settings, nm, sink)
    else:  # one period: peers only
        grid = Grid(ids, np.zeros(len(ids), dtype=np.int64), cats, min_peers)
        skipped = grid.skipped
        for code in [c for c in (checks.peer if checks.peer is not None else sorted(codes)) if c in values]:
            peer(grid, grid.cube(values[code]), code, peer_threshold, nm, sink)
    flags = sink.frame()
    rows = flags["row"].to_numpy(dtype=np.int64)
    flags.insert(0, "unit", ids[rows])
    flags.insert(1, "unit_name", None if unit_names is None else unit_names[rows])
    flags.insert(2, "category", None if cats is None else cats[rows])
    per = (
        frame[period].to_numpy(dtype=object)[rows] if period is not None and period in frame.columns else None
    )
    flags.insert(3, "period", per)
    ind = pd.Categorical(flags["indicator"])
    flags["indicator"] = ind
    flags.insert(6, "indicator_name", pd.Categorical(ind.categories.map(lambda c: nm.get(c, c))[ind.codes]))
    flags["check"] = pd.Categorical(flags["check"])
    # reading order: by input row, then indicator and check
    order = np.lexsort((flags["check"].cat.codes, ind.codes, rows))
    if (np.diff(order) != 1).any():
        flags = flags.take(order)
    flags = flags[[c for c in flags.columns if c != "row"] + ["row"]].reset_index(drop=True)
    return AnomalyReport(
        flags=flags,
        n_rows=len(frame),
        n_units=len(pd.unique(ids)),
        n_periods=n_periods,
        n_indicators=len(codes),
        settings=dict(
            peer_threshold=peer_threshold,
            min_peers=min_peers,
            jump_ratio=jump_ratio,
            jump_offset=jump_offset,
            change_threshold=change_threshold,
            min_periods=min_periods,
        ),  # fmt: skip
        skipped=tuple(skipped),
    )


# ------------------------------------------------------------------------------- inputs
def _unit_ids(data, unit):
    if unit is not None and unit in data.columns:
        return data, data[unit].astype(str).to_numpy(dtype=object)
    if unit is not None and data.index.name != unit:
        raise DataError(
            _("the unit id column {unit!r} is missing; the table has columns {columns}").format(
                unit=unit, columns=list(data.columns)[:20]
            ),
            column=unit,
        )
    if unit is None and data.index.name is None:
        found = next((c for c in UNIT_COLUMNS if c in data.columns), None)
        if found is None:
            raise DataError(
                _("no unit id column found; looked for {unit_columns}").format(
                    unit_columns=list(UNIT_COLUMNS)
                ),
                hint=_("pass unit='<column>'"),
            )
        return data, data[found].astype(str).to_numpy(dtype=object)
    return data, data.index.astype(str).to_numpy(dtype=object)


def _indicators(frame, checks: Checks, indicators, meta) -> set:
    if indicators is not None:
        return set(indicators)
    named = checks.columns()
    if named:
        return named
    skip = set(meta) | set(UNIT_COLUMNS)
    return {c for c in frame.columns if c not in skip and pd.api.types.is_numeric_dtype(frame[c])}


def _require_columns(frame, needed, period, category, names):
    cols = set(frame.columns)
    missing = sorted(c for c in needed if c not in cols)
    for label, c in (("period", period), ("category", category), ("names", names)):
        if isinstance(c, str) and c not in cols and not (label == "period" and c == "period"):
            missing.append(c)
    if missing:
        raise DataError(
            _("the report table has no column for {missing}").format(missing=missing),
            problems=[
                Problem(_("column named by the checks or arguments is missing"), column=c) for c in missing
            ],
        )


def _lookup(frame, ids, spec, defaults, what):
    """Per-row values of unit names or categories from a column or a unit -> value mapping."""
    if spec is None:
        col = next((c for c in defaults if c in frame.columns), None)
        return None if col is None else frame[col].to_numpy(dtype=object)
    if isinstance(spec, str):
        return frame[spec].to_numpy(dtype=object)
    mapping = spec if isinstance(spec, pd.Series) else pd.Series(dict(spec))
    mapping.index = mapping.index.astype(str)
    out = mapping.reindex(pd.Index(ids)).to_numpy(dtype=object)
    if what == "category":
        lost = sorted(set(ids[pd.isna(out)]))
        if lost:
            raise DataError(
                _("no category for units {lost}").format(lost=lost[:20]),
                key="category",
                hint=_("give every unit a category, or leave category=None"),
            )
    return out
