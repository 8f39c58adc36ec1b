"""Peer statistics of peer-relative rules (all units, or the units of one category)."""

from __future__ import annotations

import numpy as np

__all__ = ["peer_mean_sd"]


def peer_mean_sd(x: np.ndarray, peers: np.ndarray | None):
    """Peer-group mean and sample SD of ``x`` (n,) for each unit (NaNs skipped; one value: SD 0).

    Without peer groups the two are scalars; with groups, sums over the groups at once
    (``np.bincount``), in two passes so that the SD is not a difference of large squares.
    """
    ok = ~np.isnan(x)
    if peers is None:
        vals = x if ok.all() else x[ok]
        mean = vals.mean() if len(vals) else np.nan
        return mean, (vals.std(ddof=1) if len(vals) > 1 else 0.0)
    count = np.bincount(peers, weights=ok)
    x0 = np.where(ok, x, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.bincount(peers, weights=x0) / count
        dev = np.where(ok, x0 - mean[peers], 0.0)
        sd = np.where(count > 1, np.sqrt(np.bincount(peers, weights=dev * dev) / (count - 1)), 0.0)
    return mean[peers], sd[peers]
