"""Grades and ranks of many runs at once: every row of a (runs x units) array is one run.

One sort per row serves the quotas (the k-th largest score within a grade, per quota group) and
the ranks (1 = best, ties share the best rank, vetoed units optionally last), so no loop runs over
runs or units. Each function reproduces its one-run counterpart in :mod:`workbench.scoring`.
"""

from __future__ import annotations

import numpy as np

__all__ = ["round9", "band_rows", "SortedRows", "apply_quota_rows", "rank_rows"]

_ROUND = {"floor": np.floor, "ceil": np.ceil, "round": lambda x: np.floor(x + 0.5)}


def round9(x: np.ndarray) -> np.ndarray:
    """``np.round(x, 9)`` (multiply, rint, divide: numpy's own steps) with one temporary."""
    y = np.multiply(x, 1e9)
    np.rint(y, out=y)
    return np.divide(y, 1e9, out=y)


def band_rows(x: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    idx = np.zeros(x.shape, dtype=np.int8)
    for b in bounds:
        idx += x < b
    return np.minimum(idx, len(bounds) - 1)


class SortedRows:
    """Each row of ``key`` sorted once (descending), shared by the quotas and the ranks."""

    def __init__(self, key: np.ndarray):
        self.key = key
        if np.isnan(key).any():  # NaN sorts last ascending, so negate to keep it last
            self.order = np.argsort(-key, axis=1)
        else:  # an ascending sort read backwards; the order among ties changes neither use
            self.order = np.ascontiguousarray(np.argsort(key, axis=1)[:, ::-1])
        # flat positions: np.take / np.put on them beat take/put_along_axis about twofold
        r_, n = key.shape
        self.flat = self.order + (np.arange(r_, dtype=self.order.dtype) * n)[:, None]
        self.sorted = self.gather(key)

    def gather(self, x: np.ndarray) -> np.ndarray:
        """``x`` (R, n) or (n,) in each row's sorted order."""
        if x.ndim == 1:
            return x[self.order]
        return np.take(np.ascontiguousarray(x).reshape(-1), self.flat)

    def scatter(self, values: np.ndarray, out: np.ndarray) -> np.ndarray:
        """Put ``values`` (in sorted order) back at the units' places in ``out`` (C-contiguous)."""
        np.put(out.reshape(-1), self.flat, values)
        return out

    def kth_largest(self, mask_sorted: np.ndarray, k: np.ndarray) -> np.ndarray:
        """Per row, the k-th largest key among the units of ``mask_sorted`` (in sorted order);
        -inf when fewer than k units, +inf when k == 0."""
        counts = mask_sorted.sum(axis=1)
        # positions of the masked units, row after row: row r's k-th is at offset start_r + k - 1
        flat = np.flatnonzero(mask_sorted)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        out = np.where(k == 0, np.inf, -np.inf)
        ok = (k >= 1) & (k <= counts)
        out[ok] = self.sorted.ravel()[flat[starts[ok] + k[ok] - 1]]
        return out

    def ranks(self, dtype=np.int32, out=None, last=None) -> np.ndarray:
        """1 = largest, ties share the best rank (``rank_desc`` 'min'); NaN ranks NaN (float dtype).

        ``last`` (bool, per unit): these units rank after all others, by key among themselves
        (score()'s ``veto_rank='last'``), read off the same sort.
        """
        s, n = self.sorted, self.key.shape[1]
        start = np.ones(s.shape, dtype=bool)
        start[:, 1:] = s[:, 1:] != s[:, :-1]
        if last is None or not last.any():
            r = np.maximum.accumulate(np.where(start, np.arange(n, dtype=np.int32), 0), axis=1) + 1
        else:
            # rank = 1 + units of the same kind (kept / last) with a strictly larger key, i.e.
            # the count of that kind before the start of the unit's run of ties
            v = last[self.order]
            before_v = np.cumsum(v, axis=1, dtype=np.int32) - v
            before_k = np.arange(n, dtype=np.int32) - before_v
            prop_v = np.maximum.accumulate(np.where(start, before_v, 0), axis=1)
            prop_k = np.maximum.accumulate(np.where(start, before_k, 0), axis=1)
            n_kept = n - v.sum(axis=1, dtype=np.int32)
            r = np.where(v, n_kept[:, None] + prop_v, prop_k) + 1
        out = np.empty(s.shape, dtype=dtype) if out is None else out
        self.scatter(r.astype(out.dtype, copy=False), out)
        if np.issubdtype(out.dtype, np.floating):
            out[np.isnan(self.key)] = np.nan
        return out


def apply_quota_rows(band, srt: SortedRows, shares, model, out=None):
    """Quotas per run, as :func:`workbench.scoring.grades.apply_quota`, for (R, n) arrays.

    ``srt`` sorts the rounded final scores; ``shares`` is (R, n_grades) with NaN where a run
    sets no quota for a grade. Work happens in each row's sorted order. Under ``ties='exclude'``
    a unit keeps its grade when its 'max' rank among the units of that grade is within the
    places, i.e. when its key exceeds the (places + 1)-th largest key of the grade; under
    'include' when its key reaches the places-th largest.
    """
    grade = srt.gather(band)
    key = srt.sorted
    round_fn = _ROUND[model.rounding]
    groups = model.groups or (None,)
    gsorted = None
    if model.groups:
        lab = np.empty(key.shape[1], dtype=np.int32)
        for g, cols in enumerate(model.groups):
            lab[cols] = g
        gsorted = lab[srt.order]
    for j in range(shares.shape[1]):
        s = shares[:, j]
        has = ~np.isnan(s)
        if not has.any():
            continue
        mask = grade == j
        lose = np.zeros(mask.shape, dtype=bool)
        for g, cols in enumerate(groups):
            ng = key.shape[1] if cols is None else len(cols)
            places = round_fn(np.where(has, s, 0.0) * ng + 1e-9).astype(np.int64)
            ms = mask if cols is None else mask & (gsorted == g)
            if model.ties == "exclude":
                kept = key > srt.kth_largest(ms, places + 1)[:, None]
            else:
                kept = key >= srt.kth_largest(ms, places)[:, None]
            lose |= ms & ~kept & has[:, None]
        grade += lose  # demoted one grade down: j -> j + 1
    out = np.empty(band.shape, dtype=np.int8) if out is None else out
    srt.scatter(grade, out)
    return out


def rank_rows(key: np.ndarray, dtype=np.int32) -> np.ndarray:
    """Rank each row (1 = largest, ties share the best rank), as ``rank_desc`` row by row."""
    return SortedRows(key).ranks(dtype)
