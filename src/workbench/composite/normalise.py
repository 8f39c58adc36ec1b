"""Normalisation as COINr's ``Normalise`` (``n_minmax``, ``n_zscore``, ``n_rank``, ``n_prank``,
``n_borda``, ``n_dist2max``, ``n_dist2ref``, ``n_dist2targ``, ``n_goalposts``).

Directions are applied as COINr does: the column is multiplied by its direction (1 or -1) before
the method, so "higher is better" holds after normalisation. Distance to target and goalposts use
the direction explicitly (see each method below).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from .._i18n import _
from ..errors import DataError, SpecError
from ._fields import NORMALISE_METHODS, REQUIRED, canonical  # noqa: F401  (registry re-exported)

__all__ = ["normalise", "NORMALISE_METHODS"]


def _constant(x, codes, method):
    span = np.nanmax(x, axis=0) - np.nanmin(x, axis=0)
    bad = [c for c, s in zip(codes, span) if not s > 0]
    if bad:
        raise DataError(
            _(
                "normalise: indicator(s) {bad} have no spread (all values equal or missing), "
                "so '{method}' is undefined. Drop them from the rubric or use method 'rank'."
            ).format(bad=bad, method=method),
            column=str(bad[0]),
        )


def _ranks(x):
    from scipy.stats import rankdata  # imported here: keeps `import workbench` light

    return rankdata(x, method="min", axis=0, nan_policy="omit")


def _apply(x_raw, d, m, codes, *, targets, ref_row):
    """One method on the columns ``x_raw`` (units x k) with directions ``d`` (k,)."""
    method = m["method"]
    x = x_raw * d
    with np.errstate(invalid="ignore", divide="ignore"):
        if method in ("minmax", "dist2max", "dist2ref"):
            _constant(x, codes, method)
        if method == "minmax":
            mn, mx = np.nanmin(x, axis=0), np.nanmax(x, axis=0)
            return (x - mn) / (mx - mn) * (m["hi"] - m["lo"]) + m["lo"]
        if method == "zscore":
            sd = np.nanstd(x, axis=0, ddof=1)
            bad = [c for c, s in zip(codes, sd) if not s > 0]
            if bad:
                raise DataError(
                    _(
                        "normalise: indicator(s) {bad} have zero standard deviation; zscore is undefined."
                    ).format(bad=bad)
                )
            return (x - np.nanmean(x, axis=0)) / sd * m["sd"] + m["mean"]
        if method in ("rank", "prank", "borda"):
            r = _ranks(x)
            if method == "rank":
                return r
            if method == "borda":
                return r - 1
            n = np.sum(~np.isnan(x), axis=0)
            return (r - 1) / (n - 1)
        if method == "dist2max":
            mn, mx = np.nanmin(x, axis=0), np.nanmax(x, axis=0)
            return 1 - (mx - x) / (mx - mn)
        if method == "dist2ref":
            ref = x[ref_row]
            if np.isnan(ref).any():
                bad = [c for c, r in zip(codes, ref) if np.isnan(r)]
                raise DataError(
                    _("normalise: the reference unit has no value for {bad}; dist2ref is undefined.").format(
                        bad=bad
                    )
                )
            y = 1 - (ref - x) / (ref - np.nanmin(x, axis=0))
            return np.minimum(y, 1.0) if m["cap"] else y
        if method == "dist2targ":
            # x_raw in its own units: (x - min)/(t - min) if higher is better, (max - x)/(max - t) if not
            mn, mx = np.nanmin(x_raw, axis=0), np.nanmax(x_raw, axis=0)
            y = np.where(d > 0, (x_raw - mn) / (targets - mn), (mx - x_raw) / (mx - targets))
            bad = [c for c, t, a, b, dd in zip(codes, targets, mn, mx, d) if t == (a if dd > 0 else b)]
            if bad:
                raise DataError(
                    _(
                        "normalise: the target of {bad} equals the worst value; dist2targ is undefined."
                    ).format(bad=bad)
                )
            return np.minimum(y, 1.0) if m["cap"] else y
        # goalposts: (x - lo)/(hi - lo) if higher is better, (hi - x)/(hi - lo) if not
        lo, hi = targets[:, 0], targets[:, 1]
        y = np.where(d > 0, (x_raw - lo) / (hi - lo), (hi - x_raw) / (hi - lo))
        if m["trunc"]:
            y = np.clip(y, 0.0, 1.0)
        return y * m["scale"]


def _check_codes(mapping, codes, where):
    unknown = [c for c in mapping if c not in set(codes)]
    if unknown:
        raise SpecError(
            _("Spec field '{where}' names unknown indicator(s) {unknown}.").format(
                where=where, unknown=unknown
            ),
            key=where,
        )


def normalise_array(values, directions, norm, *, codes, units, rubric_targets=None):
    """Normalise ``values`` (units x indicators) with a canonical ``normalise`` spec field.

    Columns are grouped by method (per-indicator ``overrides``) and each group is normalised in
    one pass over its columns.
    """
    codes = list(codes)
    over = norm.get("overrides", {})
    _check_codes(over, codes, "normalise.overrides")
    base = {k: v for k, v in norm.items() if k != "overrides"}
    specs = [over.get(c, base) for c in codes]
    groups: dict[str, list[int]] = {}
    for j, s in enumerate(specs):
        groups.setdefault(json.dumps(s, sort_keys=True, default=list), []).append(j)
    out = np.empty_like(values, dtype=float)
    for cols in groups.values():
        m = specs[cols[0]]
        sub = [codes[j] for j in cols]
        targets, ref_row = None, None
        if m["method"] == "dist2targ":
            given = dict(m.get("targets", {}))
            _check_codes(given, codes, "normalise.targets")
            base_t = rubric_targets if rubric_targets is not None else np.full(len(codes), np.nan)
            targets = np.array([given.get(codes[j], base_t[j]) for j in cols], dtype=float)
            if np.isnan(targets).any():
                bad = [c for c, t in zip(sub, targets) if np.isnan(t)]
                raise SpecError(
                    _(
                        "normalise 'dist2targ' needs a target for indicator(s) {bad}: add Target to "
                        "the rubric or give normalise={{'method': 'dist2targ', 'targets': {{code: "
                        "value}}}}."
                    ).format(bad=bad),
                    key="normalise.targets",
                )
        elif m["method"] == "goalposts":
            posts = dict(m["posts"])
            _check_codes(posts, codes, "normalise.posts")
            bad = [c for c in sub if c not in posts]
            if bad:
                raise SpecError(
                    _("normalise 'goalposts' needs posts for indicator(s) {bad}.").format(bad=bad),
                    key="normalise.posts",
                )
            targets = np.array([posts[c] for c in sub], dtype=float).reshape(len(sub), 2)
        elif m["method"] == "dist2ref":
            pos = np.flatnonzero(np.array([str(u) for u in units], dtype=object) == m["unit"])
            if not pos.size:
                raise DataError(
                    _(
                        "normalise 'dist2ref': reference unit {unit!r} is not among the units (unknown, "
                        "or dropped by screening)."
                    ).format(unit=m["unit"]),
                    key="normalise.unit",
                )
            ref_row = int(pos[0])
        out[:, cols] = _apply(
            values[:, cols], np.asarray(directions, float)[cols], m, sub, targets=targets, ref_row=ref_row
        )
    return out


def normalise(data, method="minmax", *, directions=None, **params):
    """Normalise each column of a table.

    Parameters
    ----------
    data : DataFrame of shape (n_units, n_indicators)
    method : str, default="minmax"
        ``"minmax"`` (``lo=0, hi=100``): ``(x - min)/(max - min) (hi - lo) + lo``;
        ``"zscore"`` (``mean=0, sd=1``) with the sample standard deviation;
        ``"rank"`` (ties get the lowest rank), ``"prank"`` ``(rank - 1)/(n - 1)``, ``"borda"``
        ``rank - 1``; ``"dist2max"`` ``1 - (max - x)/(max - min)``; ``"dist2ref"`` (``unit``,
        ``cap=False``) ``1 - (x_ref - x)/(x_ref - min)``; ``"dist2targ"`` (``targets``,
        ``cap=False``) ``(x - min)/(t - min)`` or ``(max - x)/(max - t)`` for lower-is-better;
        ``"goalposts"`` (``posts={code: [lo, hi]}``, ``scale=100``, ``trunc=True``).
    directions : mapping or sequence of {1, -1}, optional
        Default all 1 (higher is better).
    **params
        Parameters of the method.

    Returns
    -------
    DataFrame

    References
    ----------
    OECD/JRC (2008). Handbook on Constructing Composite Indicators, section 5 (normalisation).
    Becker, W. et al. (2022). COINr: An R package for developing composite indicators. JOSS 7(78).

    Examples
    --------
    >>> import pandas as pd
    >>> normalise(pd.DataFrame({"x": [1.0, 2.0, 5.0]}), directions=[-1])["x"].tolist()
    [100.0, 75.0, 0.0]
    """
    spec_normalise = canonical("normalise", {"method": method, **params})
    if not isinstance(data, pd.DataFrame):
        raise DataError(
            _("normalise: data must be a DataFrame of units x indicators; got {type_name}").format(
                type_name=type(data).__name__
            )
        )
    codes = list(data.columns)
    if directions is None:
        d = np.ones(len(codes))
    elif isinstance(directions, (dict, pd.Series)):
        d = np.array([directions.get(c, np.nan) for c in codes], dtype=float)
    else:
        d = np.asarray(directions, dtype=float).ravel()
    if d.shape != (len(codes),) or not np.isin(d, (1, -1)).all():
        raise SpecError(
            _("normalise: 'directions' must give 1 or -1 for each of {codes}; got {directions!r}.").format(
                codes=codes, directions=directions
            )
        )
    values = data.to_numpy(dtype=float, na_value=np.nan)
    out = normalise_array(values, d, spec_normalise, codes=codes, units=list(data.index))
    return pd.DataFrame(out, index=data.index, columns=data.columns)
