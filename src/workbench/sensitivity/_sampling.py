"""Uncertain factors: what may vary, checked once, and how a point of [0, 1)^d becomes a run.

A factor is a (field path, alternatives or distribution) pair, as COINr's Address/Distribution.
Every factor owns ``dims`` columns of a design matrix of uniforms in [0, 1): one for a discrete
choice or a scalar range, one per perturbed weight for the Dirichlet and uniform-noise weight
distributions (inverse-CDF transforms, so a quasi-random or Saltelli design maps straight onto
the factor and Sobol' indices of a multi-dimensional factor come out as one group).
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from ._factors import Factor

__all__ = ["draw"]


def _shares(f: Factor, u: np.ndarray) -> np.ndarray:
    """Dirichlet or noise draws of the weights of ``f`` (runs x codes) from uniforms."""
    out = np.empty_like(u)
    for pos, p, scale in f.groups:
        if f.kind == "dirichlet":
            from scipy.special import gammaincinv

            # gamma(alpha_k) quantiles, normalised: a Dirichlet(c * p) draw per run
            g = gammaincinv(f.param * p, u[:, pos])
            g = np.maximum(g, np.finfo(float).tiny)
        else:
            g = p * (1.0 - f.param + 2.0 * f.param * u[:, pos])
        out[:, pos] = g / g.sum(axis=1, keepdims=True) * scale
    return out


def draw(factors: list[Factor], u: np.ndarray):
    """Map design points to runs.

    Returns
    -------
    weights : DataFrame (runs x codes), NaN where a run leaves a weight nominal
    values : dict path -> list of per-run values (non-weight factors)
    params : DataFrame (runs x factor columns): what each run drew, readably
    """
    n = len(u)
    u = np.clip(u, 0.0, np.nextafter(1.0, 0.0))
    wcols: dict[str, np.ndarray] = {}
    values: dict[str, list] = {}
    params: dict[str, object] = {}
    j = 0
    for f in factors:
        block = u[:, j : j + f.dims]
        j += f.dims
        if f.kind in ("dirichlet", "noise"):
            w = _shares(f, block)
            for k, c in enumerate(f.codes):
                wcols[c] = w[:, k]
                params[f"weights.{c}"] = w[:, k]
            continue
        if f.kind == "sets":
            idx = np.floor(block[:, 0] * len(f.table)).astype(int)
            for k, c in enumerate(f.codes):
                wcols[c] = f.table[idx, k]
            params[f.path] = np.asarray(f.labels, dtype=object)[idx]
            continue
        if f.kind == "uniform":
            lo, hi = f.bounds
            vals = lo + (hi - lo) * block[:, 0]
            shown = vals
        else:
            idx = np.floor(block[:, 0] * len(f.alternatives)).astype(int)
            vals = [f.alternatives[i] for i in idx]
            shown = np.asarray([f.labels[i] for i in idx], dtype=object)
            if all(isinstance(a, numbers.Real) and not isinstance(a, bool) for a in f.alternatives):
                shown = np.asarray(vals, dtype=float)
        if f.codes:
            wcols[f.codes[0]] = np.asarray(vals, dtype=float)
        else:
            values[f.path] = list(vals)
        params[f.path] = shown
    weights = pd.DataFrame(wcols, index=pd.RangeIndex(n, name="run"))
    return weights, values, pd.DataFrame(params, index=pd.RangeIndex(n, name="run"))
