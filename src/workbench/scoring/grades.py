"""Grading and ranking stage of the scoring kernel: bands, dual-100 matrix, veto, quotas, ranks.

Every function works on (R, n) arrays, one row per variant of a scoring (a weight set, a quota,
a party weight), and on (n,) arrays as one variant: :func:`workbench.score` is R = 1. Grades are
integer positions in the rubric's band list (0 = best), turned into names only at the end.

One sort per row serves the quotas (the k-th largest score within a grade and quota group) and
the ranks (1 = best, ties share the best rank, vetoed units optionally last), so nothing loops
over variants or units.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "round9",
    "band_index",
    "veto_levels",
    "veto_floor",
    "apply_veto",
    "quota_places",
    "quota_table",
    "apply_quota",
    "dual_table",
    "dual_matrix_index",
    "SortedRows",
    "rank_desc",
    "rank_rows",
]

ROUNDING = {"floor": np.floor, "ceil": np.ceil, "round": lambda x: np.floor(x + 0.5)}


def round9(x) -> np.ndarray:
    """``np.round(x, 9)`` (multiply, rint, divide: numpy's own steps) with one temporary.

    Scores are compared after this rounding, so that floating sums of equal scores tie and a
    total of 70 summed as 69.99999999999999 is 70 for the bands.
    """
    y = np.multiply(x, 1e9)
    np.rint(y, out=y)
    return np.divide(y, 1e9, out=y)


def _bounds(bands) -> np.ndarray:
    if isinstance(bands, np.ndarray):
        return bands.astype(float, copy=False)
    return np.array([b for _, b in bands], dtype=float)


def band_index(scores, bands) -> np.ndarray:
    """Index of the band each score falls in (0 = best), same shape as ``scores``.

    ``bands`` are (name, lower bound) pairs best first, or the array of lower bounds. A score
    equal to a lower bound belongs to that band (90 is 优秀 under 优秀 >= 90).
    """
    x = np.asarray(scores, dtype=float)
    bounds = _bounds(bands)
    idx = np.zeros(x.shape, dtype=np.int8)
    for b in bounds:  # bounds fall: count how many lie above the score
        idx += x < b
    return np.minimum(idx, len(bounds) - 1)


def veto_levels(veto_items, names) -> np.ndarray:
    """The grade each veto item imposes at best: the lowest grade, or its ``cap_grade``."""
    worst = len(names) - 1
    return np.array(
        [worst if v.effect == "lowest" else list(names).index(v.cap_grade) for v in veto_items], dtype=np.int8
    )


def veto_floor(flags: np.ndarray, levels: np.ndarray, active: np.ndarray | None = None) -> np.ndarray:
    """Best grade left to each unit by the veto items it triggered (0 = untouched).

    Parameters
    ----------
    flags : bool array (n, V)  one column per veto item
    levels : int array (V,)  from :func:`veto_levels`
    active : bool array (R, V), optional  which items apply in each variant

    Returns
    -------
    int8 array (n,), or (R, n) with ``active``
    """
    n = flags.shape[0]
    if active is None:
        floor = np.zeros(n, dtype=np.int8)
        for j, level in enumerate(levels):
            np.maximum(floor, np.int8(level), out=floor, where=flags[:, j])
        return floor
    floor = np.zeros((len(active), n), dtype=np.int8)
    for j, level in enumerate(levels):
        hit = active[:, j, None] & flags[None, :, j]
        floor = np.where(hit, np.maximum(floor, level), floor).astype(np.int8)
    return floor


def apply_veto(grade_idx, veto_flags, veto_items, names) -> np.ndarray:
    """Lower grades of vetoed units: 'lowest' sets the lowest grade, 'cap' caps the grade."""
    levels = veto_levels(veto_items, names)
    return np.maximum(grade_idx, veto_floor(np.asarray(veto_flags, dtype=bool), levels))


def quota_places(shares, n_in_scope, rounding: str = "floor") -> np.ndarray:
    """Places a quota leaves: ``share * n`` rounded by ``rounding`` ('floor', 'ceil', 'round')."""
    return ROUNDING[rounding](np.asarray(shares, dtype=float) * n_in_scope + 1e-9)


def quota_table(quota, names, rows: int = 1) -> np.ndarray:
    """Quota shares as a (rows, grades) array, NaN where a grade has no quota.

    ``quota`` is a mapping grade -> share, a share of the top grade, None, or an array already.
    """
    if isinstance(quota, np.ndarray):
        return np.atleast_2d(quota).astype(float)
    out = np.full((rows, len(names)), np.nan)
    if quota is None:
        return out
    if not hasattr(quota, "items"):
        quota = {names[0]: float(quota)}
    for g, s in quota.items():
        if g in names[:-1] and s is not None:
            out[:, list(names).index(g)] = float(s)
    return out


def dual_table(matrix, names) -> np.ndarray:
    """The dual-100 matrix {party grade: {other grade: final grade}} as a (G, G) int8 table."""
    k = len(names)
    names = list(names)
    table = np.empty((k, k), dtype=np.int8)
    for a, row in matrix.items():
        for b, final in row.items():
            table[names.index(a), names.index(b)] = names.index(final)
    return table


def dual_matrix_index(party_idx, other_idx, matrix, names) -> np.ndarray:
    """Final grade index from the dual-100 matrix {party grade: {other grade: final grade}}."""
    table = matrix if isinstance(matrix, np.ndarray) else dual_table(matrix, names)
    party_idx = np.asarray(party_idx)
    return table[party_idx, np.broadcast_to(other_idx, party_idx.shape)]


class SortedRows:
    """Each row of ``key`` (R, n) sorted once, descending; shared by the quotas and the ranks."""

    def __init__(self, key: np.ndarray):
        key = np.atleast_2d(key)
        self.key = key
        self.has_nan = bool(np.isnan(key).any())
        if self.has_nan:  # NaN sorts last ascending, so negate to keep it last
            self.order = np.argsort(-key, axis=1)
        else:  # an ascending sort read backwards; the order among ties changes neither use
            self.order = np.ascontiguousarray(np.argsort(key, axis=1)[:, ::-1])
        # flat positions: np.take / np.put on them beat take/put_along_axis about twofold
        r_, n = key.shape
        self.flat = (
            self.order if r_ == 1 else self.order + (np.arange(r_, dtype=self.order.dtype) * n)[:, None]
        )
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

    def ranks(self, dtype=np.int32, out=None, last=None, average: bool = False) -> np.ndarray:
        """1 = largest, ties share the best rank (or their average rank); NaN ranks NaN (float dtype).

        ``last`` (bool (n,) or (R, n)): these units rank after all others, by key among
        themselves (``veto_rank: last``), read off the same sort. ``average``: tied units get the
        mean of the ranks they span (Spearman's convention).
        """
        r = self.sorted_ranks(last, average)
        out = np.empty(r.shape, dtype=dtype) if out is None else out
        self.scatter(r.astype(out.dtype, copy=False), out)
        if self.has_nan and np.issubdtype(out.dtype, np.floating):
            out[np.isnan(self.key)] = np.nan
        return out

    def sorted_ranks(self, last=None, average: bool = False) -> np.ndarray:
        """The ranks of :meth:`ranks` in each row's sorted order (no scatter back to the units)."""
        s, n = self.sorted, self.key.shape[1]
        pos = np.arange(n, dtype=np.int32)
        start = np.ones(s.shape, dtype=bool)
        start[:, 1:] = s[:, 1:] != s[:, :-1]
        if average:
            end = np.ones(s.shape, dtype=bool)
            end[:, :-1] = start[:, 1:]
            # position of the last unit of each run of ties, carried backwards along the row
            stop = np.minimum.accumulate(np.where(end, pos, n)[:, ::-1], axis=1)[:, ::-1]
        if last is None or not last.any():
            r = np.maximum.accumulate(np.where(start, pos, 0), axis=1) + 1
            return (r + stop + 1) / 2.0 if average else r
        # rank = 1 + units of the same kind (kept / last) with a strictly larger key, i.e. the
        # count of that kind before the start of the unit's run of ties
        v = self.gather(last)
        upto_v = np.cumsum(v, axis=1, dtype=np.int32)
        before_v = upto_v - v
        prop_v = np.maximum.accumulate(np.where(start, before_v, 0), axis=1)
        prop_k = np.maximum.accumulate(np.where(start, pos - before_v, 0), axis=1)
        n_kept = n - v.sum(axis=1, dtype=np.int32)[:, None]
        r = np.where(v, n_kept + prop_v, prop_k) + 1
        if average:  # the same kind's count through the end of the run is its largest rank
            thru_v = np.take_along_axis(upto_v, stop, axis=1)
            r = (r + np.where(v, n_kept + thru_v, stop + 1 - thru_v)) / 2.0
        return r

    def group_ranks(self, groups: np.ndarray, dtype=np.int32) -> np.ndarray:
        """Ranks within each group (int codes (n,)), as :meth:`ranks` within each group."""
        n = self.key.shape[1]
        g = np.asarray(groups)[self.order]
        # a stable partition of the sorted order by group: a radix sort of small integers
        part = np.argsort(g.astype(np.int32, copy=False), axis=1, kind="stable")
        order = np.take_along_axis(self.order, part, axis=1)
        s = np.take_along_axis(self.sorted, part, axis=1)
        g = np.take_along_axis(g, part, axis=1)
        pos = np.arange(n, dtype=np.int32)
        new_group = np.ones(s.shape, dtype=bool)
        new_group[:, 1:] = g[:, 1:] != g[:, :-1]
        start = new_group.copy()
        start[:, 1:] |= s[:, 1:] != s[:, :-1]
        first = np.maximum.accumulate(np.where(new_group, pos, 0), axis=1)
        r = np.maximum.accumulate(np.where(start, pos, 0), axis=1) - first + 1
        out = np.empty(s.shape, dtype=dtype)
        np.put_along_axis(out, order, r.astype(dtype, copy=False), axis=1)
        if self.has_nan and np.issubdtype(out.dtype, np.floating):
            out[np.isnan(self.key)] = np.nan
        return out


def rank_desc(x, groups=None) -> np.ndarray:
    """Competition ranks of ``x`` (n,): 1 = largest, ties share the best rank, NaN stays NaN;
    within each group when ``groups`` (int codes or labels, (n,)) is given."""
    srt = SortedRows(np.asarray(x, dtype=float)[None, :])
    if groups is None:
        return srt.ranks(float)[0]
    codes = np.asarray(groups)
    if not np.issubdtype(codes.dtype, np.integer):
        codes = np.unique(codes.astype(str), return_inverse=True)[1]
    return srt.group_ranks(codes, float)[0]


def rank_rows(key: np.ndarray, dtype=np.int32, last=None) -> np.ndarray:
    """Rank each row of ``key`` (R, n): 1 = largest, ties share the best rank."""
    return SortedRows(key).ranks(dtype, last=last)


def apply_quota(
    grade_idx,
    scores,
    quota,
    names=None,
    *,
    ties: str = "exclude",
    rounding: str = "floor",
    groups=None,
    srt: SortedRows | None = None,
    out: np.ndarray | None = None,
):
    """Enforce quotas (at most a share of units per grade), demoting the lowest-scoring excess.

    Grades are processed best first; a unit demoted from a grade competes for the next one. The
    number of places is ``share * n`` rounded by ``rounding``, with n the units in scope (all
    units, or each group's units). At the boundary, units with equal scores are all demoted
    (``ties='exclude'``, so the quota is never exceeded) or all kept (``'include'``).

    Parameters
    ----------
    grade_idx : int array (n,) or (R, n)
    scores : float array (n,) or (R, n)  compared after :func:`round9` (ignored when ``srt`` is given)
    quota : mapping grade -> share, or float array (R, n_grades) with NaN where a grade has none
    names : list of grade names, best first (needed for a mapping)
    groups : int array (n,), optional  quota scope: each group's units compete among themselves
    srt : SortedRows, optional  the rows of the rounded scores, already sorted
    out : int8 array (R, n), optional

    Returns
    -------
    grade_idx : int array, same shape as the input
    demoted : bool array, True for units whose grade the quota lowered

    Notes
    -----
    Work happens in each row's sorted order. Under ``ties='exclude'`` a unit keeps its grade when
    its key exceeds the (places + 1)-th largest key of its grade (and group); under 'include'
    when its key reaches the places-th largest.
    """
    band = np.asarray(grade_idx)
    one = band.ndim == 1
    band2 = band[None, :] if one else band
    if srt is None:
        srt = SortedRows(round9(np.atleast_2d(np.asarray(scores, dtype=float))))
    shares = quota_table(quota, names, rows=band2.shape[0]) if not isinstance(quota, np.ndarray) else quota
    shares = np.broadcast_to(np.atleast_2d(shares), (band2.shape[0], shares.shape[-1]))
    grade = srt.gather(band2.astype(np.int8, copy=False))
    key = srt.sorted
    n = key.shape[1]
    if groups is None:
        scopes = [(None, n)]
        gsorted = None
    else:
        codes = np.asarray(groups)
        if not np.issubdtype(codes.dtype, np.integer):
            codes = np.unique(codes.astype(str), return_inverse=True)[1]
        counts = np.bincount(codes)
        scopes = [(g, int(c)) for g, c in enumerate(counts) if c]
        gsorted = srt.gather(codes)
    for j in range(shares.shape[1]):
        s = shares[:, j]
        has = ~np.isnan(s)
        if not has.any():
            continue
        mask = grade == j
        lose = np.zeros(mask.shape, dtype=bool)
        for g, size in scopes:
            places = quota_places(np.where(has, s, 0.0), size, rounding).astype(np.int64)
            ms = mask if g is None else mask & (gsorted == g)
            if ties == "exclude":
                kept = key > srt.kth_largest(ms, places + 1)[:, None]
            else:
                kept = key >= srt.kth_largest(ms, places)[:, None]
            lose |= ms & ~kept & has[:, None]
        grade += lose  # demoted one grade down: j -> j + 1
    result = np.empty(band2.shape, dtype=np.int8) if out is None else out
    srt.scatter(grade, result)
    demoted = result > band2
    if one:
        return result[0].astype(band.dtype, copy=False), demoted[0]
    return result, demoted
