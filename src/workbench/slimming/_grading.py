"""Grades of many candidate scorings at once: bands, dual-100 matrix, veto floors and quotas,
mirroring :mod:`workbench.scoring.grades` on (candidates x units) arrays."""

from __future__ import annotations

import numpy as np

__all__ = ["GradingMixin"]


class GradingMixin:
    """Grading part of :class:`~workbench.slimming.Rescorer` (needs ``rubric``, ``n``, ``other``)."""

    def _grading_setup(self, card):
        r = self.rubric
        g = r.grades
        self.names = g.names
        self.has_grades = bool(self.names)
        if not self.has_grades:
            return
        self.bounds = np.array([b for _, b in g.bands], dtype=float)
        worst = len(self.names) - 1
        flags = np.asarray(card._arrays["veto_items"], dtype=bool)
        floor = np.zeros(self.n, dtype=int)
        for j, item in enumerate(r.veto):
            f = worst if item.effect == "lowest" else self.names.index(item.cap_grade)
            floor = np.where(flags[:, j], np.maximum(floor, f), floor)
        self.veto_floor = floor
        if r.scheme.type == "dual100":
            k = len(self.names)
            table = np.empty((k, k), dtype=int)
            for a, row in r.scheme.matrix.items():
                for b, fin in row.items():
                    table[self.names.index(a), self.names.index(b)] = self.names.index(fin)
            self.dual_table = table
            self.other_band = self._band(self.other[None, :] * 100.0 / r.scheme.other_scale)[0]
        if g.scope == "category" and card.category is not None:
            self.groups = np.unique(card.category.to_numpy(dtype=str), return_inverse=True)[1]
        else:
            self.groups = np.zeros(self.n, dtype=int)
        self.group_sizes = np.bincount(self.groups)
        round_fn = {"floor": np.floor, "ceil": np.ceil, "round": lambda x: np.floor(x + 0.5)}[g.rounding]
        self.places = {
            j: round_fn(g.quota[name] * self.group_sizes + 1e-9)
            for j, name in enumerate(self.names[:-1])
            if g.quota.get(name) is not None
        }
        self.ties = g.ties

    @staticmethod
    def grade_codes_of(card) -> np.ndarray:
        if not card.rubric.grades.names:
            return np.zeros(len(card.final), dtype=int)
        return np.asarray(card.grade.cat.codes, dtype=int)

    def _band(self, scores: np.ndarray) -> np.ndarray:
        # bounds fall; the band is the number of bounds above the score (as grades.band_index)
        idx = np.searchsorted(-self.bounds, -scores, side="left")
        return np.minimum(idx, len(self.bounds) - 1)

    def grades(self, final, total, key, order, *, sorted_out: bool = False):
        """Grade indices (K, n): bands, dual-100 matrix, veto floors, then quotas (engine order).

        ``order`` sorts each row of ``key`` descending. With ``sorted_out`` the grades come back in a
        sorted order of each row together with that order (comparisons then need no scatter).
        """
        r = self.rubric
        # bands read scores rounded like the ranking key: a score that is 70 up to summation
        # noise (69.99999999999999) is 70
        if r.scheme.type == "dual100":
            band = self.dual_table[self._band(np.round(total * 100.0 / r.scale, 9)), self.other_band]
        else:
            band = self._band(key)
        band = np.maximum(band, self.veto_floor)
        if not self.places:
            if sorted_out:
                return np.take_along_axis(band, order, axis=1), order
            return band
        out, order = self._quota(band, key, order)
        if sorted_out:
            return out, order
        result = np.empty_like(out)
        np.put_along_axis(result, order, out, axis=1)
        return result

    def _quota(self, grade: np.ndarray, key: np.ndarray, order: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Quotas on (K, n) at once: within each group, units of grade j beyond the places demoted.

        Returns the grades in (group, score) order of each row, and that order.

        Units are put in (group, score descending) order (a stable partition of the score order by
        group, without a second sort); groups then occupy the same columns in every row, so counts
        within a group are differences of one cumulative sum.
        """
        K, n = grade.shape
        sizes = self.group_sizes
        if len(sizes) > 1:  # stable partition by group: a radix sort of small integers
            g_sorted = self.groups.astype(np.int16)[order]
            order = np.take_along_axis(order, np.argsort(g_sorted, axis=1, kind="stable"), axis=1)
        sk = np.take_along_axis(key, order, axis=1)
        out = np.take_along_axis(grade, order, axis=1)
        bounds = np.r_[0, np.cumsum(sizes)]
        g = np.repeat(np.arange(len(sizes)), sizes)  # the group of each column, identical in every row
        tie = np.zeros((K, n), dtype=bool)  # tie[:, p]: column p ties with column p - 1 (same group)
        tie[:, 1:] = (sk[:, 1:] == sk[:, :-1]) & (g[1:] == g[:-1])[None, :]
        tied_rows = np.flatnonzero(tie.any(axis=1))
        if len(tied_rows):  # run bounds only where ties exist; elsewhere each unit is its own run
            t = tie[tied_rows]
            pos = np.broadcast_to(np.arange(n), t.shape)
            first = np.maximum.accumulate(np.where(~t, pos, 0), axis=1)
            end = np.ones(t.shape, dtype=bool)
            end[:, :-1] = ~t[:, 1:]
            last = np.minimum.accumulate(np.where(end, pos, n)[:, ::-1], axis=1)[:, ::-1]
        for j in sorted(self.places):
            mask = out == j
            if not mask.any():
                continue
            cs = np.empty((K, n), dtype=np.int32)  # masked units so far, within the group
            for a, b in zip(bounds[:-1], bounds[1:]):
                np.cumsum(mask[:, a:b], axis=1, out=cs[:, a:b])
            if self.ties == "exclude":  # every tied unit counts: a tie at the boundary loses together
                rank = cs
                if len(tied_rows):
                    rank = cs.copy()
                    rank[tied_rows] = np.take_along_axis(cs[tied_rows], last, axis=1)
            else:
                rank = cs.copy()
                if len(tied_rows):
                    ct = cs[tied_rows]
                    before = np.where(
                        first > bounds[g][None, :],
                        np.take_along_axis(ct, np.maximum(first - 1, 0), axis=1),
                        0,
                    )
                    rank[tied_rows] = before + 1
            lose = mask & (rank > self.places[j][g][None, :])
            out[lose] = j + 1
        return out, order
