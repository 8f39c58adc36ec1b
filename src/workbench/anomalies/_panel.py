"""The units x periods grid of a report table, and the checks that need it: peer deviation,
falls of year-to-date figures, one-period jumps and unusual period-to-period changes."""

from __future__ import annotations

import warnings
from functools import partial

import numpy as np
import pandas as pd

from .._i18n import _, _n, _p
from ..errors import DataError, Problem, WorkbenchWarning
from ._robust import loo_median, peer_z, series_change_z
from ._rules import both, parts

__all__ = ["Grid", "peer", "cumulative", "changes"]


class Grid:
    """Units x periods layout of the rows, and the peer groups (units of one category)."""

    def __init__(self, ids, ords, cats, min_peers):
        u, units = pd.factorize(ids)
        periods, t = np.unique(ords, return_inverse=True)
        self.U, self.T, self.periods = len(units), len(periods), periods
        self.cell = u * self.T + t
        # a table sorted by unit then period, every unit filing every period, is the grid itself
        self.direct = len(self.cell) == self.U * self.T and bool(
            (self.cell == np.arange(len(self.cell))).all()
        )
        if not self.direct:
            counts = np.bincount(self.cell, minlength=self.U * self.T)
            if (counts > 1).any():
                dup = np.flatnonzero(counts[self.cell] > 1)
                again = _("unit {unit!r} appears again for this period")
                raise DataError(
                    _("{n} rows repeat a (unit, period) pair; each unit files once per period").format(
                        n=len(dup)
                    ),
                    problems=[Problem(again.format(unit=ids[i]), row=int(i) + 2) for i in dup[:20]],
                )
            self.row_of = np.full(self.U * self.T, -1, dtype=np.int64)
            self.row_of[self.cell] = np.arange(len(ids))
        cat_u = np.zeros(self.U, dtype=np.int64)
        labels = np.array([_("(all)")], dtype=object)
        if cats is not None:
            cc, labels = pd.factorize(pd.Series(cats, dtype=object).astype(str))
            cat_u[u] = cc  # a unit's category: its (last) row's
        sizes = np.bincount(cat_u, minlength=len(labels))
        small = sizes < min_peers
        self.skipped = [
            _n("{category} ({n} unit)", "{category} ({n} units)", int(sizes[g])).format(
                category=labels[g], n=int(sizes[g])
            )
            for g in np.flatnonzero(small)
        ]
        if self.skipped:
            warnings.warn(
                _(
                    "peer deviation is undefined for categories with fewer than {min_peers} units "
                    "and is skipped for {skipped}; the other checks still run for their units"
                ).format(min_peers=min_peers, skipped=self.skipped),
                WorkbenchWarning,
                stacklevel=3,
            )
        if len(labels) == 1:
            self.groups = [] if small[0] else [slice(None)]
        else:
            order = np.argsort(cat_u, kind="stable")
            bounds = np.r_[0, np.cumsum(sizes)]
            self.groups = [order[bounds[g] : bounds[g + 1]] for g in np.flatnonzero(~small)]

    def cube(self, v: np.ndarray) -> np.ndarray:
        if self.direct:
            return v.reshape(self.U, self.T)
        out = np.full(self.U * self.T, np.nan)
        out[self.cell] = v
        return out.reshape(self.U, self.T)

    def rows(self, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Input rows of flagged cells (mask (U, T)) and their flat cell ids."""
        cells = np.flatnonzero(mask)
        return (cells if self.direct else self.row_of[cells]), cells


def peer(grid, x, code, threshold, nm, sink):
    for members in grid.groups:
        sub = x[members]
        z, med, scale = peer_z(sub, np.array([0, len(sub)]))
        with np.errstate(invalid="ignore"):
            hit = np.abs(z) > threshold
        if not hit.any():
            continue
        uu, tt = np.nonzero(hit)
        unit_pos = np.arange(grid.U)[members][uu]
        cells = unit_pos * grid.T + tt
        rows = cells if grid.direct else grid.row_of[cells]
        zz, mm, ss = z[uu, tt], med[uu, tt], scale[uu, tt]
        lo, hi = mm - threshold * ss, mm + threshold * ss
        up = zz > 0
        side = partial(_words, up, lambda: _p("compared with", "above"), lambda: _p("compared with", "below"))
        zh, en = both(lambda: _("{side} the peer median {median} (robust z = {z})"), side=side, median=(mm, 2),
                      z=(zz, 1))  # fmt: skip
        sink.add(rows, code, "peer_deviation", x.ravel()[cells], lo=lo, hi=hi, score=zz,
                 expected=parts(_("{low}–{high} (peer median {median})"), low=(lo, 2), high=(hi, 2), median=(mm, 2)),
                 reason_zh=zh, reason_en=en)  # fmt: skip


def cumulative(grid, x, code, freq, nm, sink):
    """A year-to-date figure may not fall from one period to the next within the same year."""
    per_year = 12 if freq == "M" else 4
    consecutive = np.diff(grid.periods) == 1
    same_year = (grid.periods[1:] % per_year) != 0
    fall = np.zeros(x.shape, dtype=bool)
    with np.errstate(invalid="ignore"):
        fall[:, 1:] = (x[:, 1:] < x[:, :-1]) & (consecutive & same_year)[None, :]
    rows, cells = grid.rows(fall)
    prev = x.ravel()[cells - 1]
    zh, en = both(
        lambda: _("a year-to-date figure fell from {previous} in the previous period"), previous=(prev, 2)
    )
    sink.add(rows, code, "cumulative_fall", x.ravel()[cells], lo=prev, score=x.ravel()[cells] - prev,
             expected=parts(_("≥ {previous} (previous year-to-date)"), previous=(prev, 2)),
             reason_zh=zh, reason_en=en)  # fmt: skip


def changes(grid, x, code, settings, nm, sink):
    valid_other = (~np.isnan(x)).sum(axis=1, keepdims=True) - 1
    ratio_lim, off = settings["jump_ratio"], settings["jump_offset"]
    if ratio_lim is not None:
        m = loo_median(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = (x + off) / (m + off)
            hit = ((ratio >= ratio_lim) | (ratio <= 1.0 / ratio_lim)) & (m + off > 0)
        hit &= valid_other >= settings["min_periods"]
        rows, cells = grid.rows(hit)
        mm, rr = m.ravel()[cells], ratio.ravel()[cells]
        lo, hi = (mm + off) / ratio_lim - off, (mm + off) * ratio_lim - off
        kind = partial(_words, rr > 1, lambda: _p("sudden", "jump"), lambda: _p("sudden", "drop"))
        zh, en = both(lambda: _("sudden {kind} against the unit's median of other periods ({median})"), kind=kind,
                      median=(mm, 2))  # fmt: skip
        sink.add(rows, code, "jump", x.ravel()[cells], lo=lo, hi=hi, score=rr,
                 expected=parts(_("{low}–{high} (the unit's median of other periods {median})"), low=(lo, 2),
                                high=(hi, 2), median=(mm, 2)),
                 reason_zh=zh, reason_en=en)  # fmt: skip
    if settings["change_threshold"] is not None:
        consecutive = np.r_[False, np.diff(grid.periods) == 1]
        z, d, scale = series_change_z(x, consecutive)
        with np.errstate(invalid="ignore"):
            hit = (np.abs(z) > settings["change_threshold"]) & (valid_other >= settings["min_periods"])
        rows, cells = grid.rows(hit)
        dd, zz = d.ravel()[cells], z.ravel()[cells]
        prev = x.ravel()[cells - 1]
        sc = np.repeat(scale, grid.T)[cells]
        t = settings["change_threshold"]
        zh, en = both(lambda: _("unusual change of {change} from the previous period (robust z = {z} against the "
                                "unit's other changes)"), change=(dd, 2), z=(zz, 1))  # fmt: skip
        sink.add(rows, code, "change", x.ravel()[cells], lo=prev - t * sc, hi=prev + t * sc, score=zz,
                 expected=parts(_("{low}–{high} (previous period {previous})"), low=(prev - t * sc, 2),
                                high=(prev + t * sc, 2), previous=(prev, 2)),
                 reason_zh=zh, reason_en=en)  # fmt: skip


def _words(mask: np.ndarray, yes, no) -> np.ndarray:
    """Per flagged cell, the word ``yes()`` where ``mask`` holds and ``no()`` elsewhere (current language)."""
    return np.where(mask, yes(), no())
