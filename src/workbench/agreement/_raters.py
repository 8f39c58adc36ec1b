"""Rater effects: leniency/severity, self-rating gap, halo and restriction of range, with verdicts."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .._i18n import _
from .._results import ResultMixin
from ..errors import DataError, SpecError, check_option
from ._common import GRADE_ORDER, DroppedRatingsWarning, as_ratings, encode_grades
from ._verdicts import verdicts

__all__ = ["RaterEffects", "rater_effects"]

_LONG_COLUMNS = {
    "unit": ("unit", "uCode", "单位", "被考核单位"),
    "rater": ("rater", "评委", "评价人", "评分人"),
    "score": ("score", "rating", "得分", "评分", "分数"),
    "item": ("item", "指标", "项目"),
}


@dataclass(frozen=True, repr=False)
class RaterEffects(ResultMixin):
    """Per-rater effects and verdicts from :func:`rater_effects`.

    Attributes
    ----------
    table : DataFrame indexed by rater
        n_ratings, mean, leniency (mean deviation from the other raters' mean on the same units,
        in pooled SD units), leniency_points (same in rating points), stat and pval (test of zero
        deviation), top_share, sd_ratio, halo (mean between-item correlation of the rater),
        halo_gap (halo minus the all-rater baseline), is_self, verdict_zh, verdict_en.
    pooled_sd : Series indexed by item
        Pooled within-rater SD used as the unit of leniency.
    self_rater : label or None
    self_gap, self_gap_pval : float or None
        Self-rating minus the other raters' mean, in SD units, and its p-value.
    halo_baseline : float or None
        Mean between-item correlation of all (non-self) raters' ratings pooled within raters.
    test : str
    """

    table: pd.DataFrame
    pooled_sd: pd.Series
    self_rater: object = None
    self_gap: float | None = None
    self_gap_pval: float | None = None
    halo_baseline: float | None = None
    test: str = "t"

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def _summary_title(self) -> str:
        return _("Rater effects (leniency in SD units)")

    def _summary_facts(self) -> dict:
        facts = {_("raters"): len(self.table), _("items"): len(self.pooled_sd)}
        if self.self_gap is not None:
            facts[_("self-rating gap (SD)")] = round(self.self_gap, 3)
        if self.halo_baseline is not None:
            facts[_("halo baseline r")] = round(self.halo_baseline, 3)
        return facts


def _find(columns, role):
    for name in _LONG_COLUMNS[role]:
        if name in columns:
            return name
    return None


def _stack(ratings, items):
    """Return (X of shape (items, units, raters), item names, unit index, rater index, grade labels)."""
    if (
        isinstance(ratings, pd.DataFrame)
        and _find(ratings.columns, "unit")
        and _find(ratings.columns, "rater")
    ):
        cols = {role: _find(ratings.columns, role) for role in ("unit", "rater", "score", "item")}
        if items is not None:
            if items not in ratings.columns:
                raise DataError(
                    _(
                        "rater_effects: the item column {items!r} is not in the long table; columns: "
                        "{columns}."
                    ).format(items=items, columns=list(ratings.columns))
                )
            cols["item"] = items
        if cols["score"] is None:
            raise DataError(
                _(
                    "rater_effects: a long table needs a score column named one of {long_columns}. "
                    "Got columns {columns}."
                ).format(long_columns=_LONG_COLUMNS["score"], columns=list(ratings.columns))
            )
        long = ratings.copy()
        keys = [c for c in (cols["item"], cols["unit"], cols["rater"]) if c is not None]
        dup = long.duplicated(keys, keep=False)
        if dup.any():
            first = long.loc[dup, keys].iloc[0].to_dict()
            raise DataError(
                _("rater_effects: {dup} rows repeat the same {keys}; e.g. {first}.").format(
                    dup=int(dup.sum()), keys=keys, first=first
                ),
                row=int(np.flatnonzero(dup.to_numpy())[0]) + 2,
                hint=_("each rater rates each unit (on each item) once"),
            )
        scores = long[cols["score"]]
        labels = None
        if scores.dtype == object or pd.api.types.is_string_dtype(scores):
            labels = GRADE_ORDER
            long[cols["score"]] = encode_grades(scores.astype(object))
        if cols["item"] is None:
            long["__item"] = "score"
            cols["item"] = "__item"
        cube = long.set_index([cols["item"], cols["unit"], cols["rater"]])[cols["score"]].astype(float)
        full = pd.MultiIndex.from_product(cube.index.levels)
        shape = tuple(len(level) for level in cube.index.levels)
        x = cube.reindex(full).to_numpy().reshape(shape)
        lv = cube.index.levels
        return x, lv[0], lv[1], lv[2], labels
    if items is not None:
        raise SpecError(
            _(
                "The 'items' parameter of rater_effects names the item column of a long table "
                "(columns unit, rater, score, item); with a wide table or a dict of tables "
                "leave it None."
            )
        )
    tables = dict(ratings) if isinstance(ratings, Mapping) else {"score": ratings}
    if not tables:
        raise DataError(_("rater_effects got an empty dict of tables; give {item: units x raters table}."))
    read = {k: as_ratings(v, func="rater_effects", min_units=2, min_raters=2) for k, v in tables.items()}
    frames = {k: pd.DataFrame(r.values, index=r.units, columns=r.raters) for k, r in read.items()}
    units = pd.Index(pd.unique(np.concatenate([f.index.to_numpy(dtype=object) for f in frames.values()])))
    raters = pd.Index(pd.unique(np.concatenate([f.columns.to_numpy(dtype=object) for f in frames.values()])))
    x = np.stack([f.reindex(index=units, columns=raters).to_numpy(dtype=float) for f in frames.values()])
    labels = next((r.labels for r in read.values() if r.labels is not None), None)
    return x, pd.Index(list(frames)), units, raters, labels


def _halo(x, mask, peers):
    """Per-rater mean between-item correlation and the pooled within-rater baseline."""
    z, m = np.where(mask, x, 0.0), mask.astype(float)
    n = np.einsum("iur,jur->ijr", m, m)
    sx = np.einsum("iur,jur->ijr", z, m)
    sxx = np.einsum("iur,jur->ijr", z * z, m)
    sxy = np.einsum("iur,jur->ijr", z, z)
    sy, syy = sx.transpose(1, 0, 2), sxx.transpose(1, 0, 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        cxy, vx, vy = sxy - sx * sy / n, sxx - sx**2 / n, syy - sy**2 / n
        ok = n >= 3
        r = np.where(ok & (vx > 0) & (vy > 0), cxy / np.sqrt(vx * vy), np.nan)
        upper = np.triu_indices(x.shape[0], k=1)
        per_rater = (
            np.nanmean(r[upper], axis=0) if np.isfinite(r[upper]).any() else np.full(x.shape[2], np.nan)
        )
        keep = ok & peers[None, None, :]
        c, a, b = (np.where(keep, v, 0.0).sum(axis=2) for v in (cxy, vx, vy))
        pooled = c / np.sqrt(a * b)
    return per_rater, float(np.nanmean(pooled[upper]))


def rater_effects(ratings, self_rater=None, items=None, *, test: str = "t", top=None) -> RaterEffects:
    """Leniency/severity, self-rating gap, halo and restriction of range of each rater.

    Parameters
    ----------
    ratings : DataFrame (n_units, n_raters), dict {item: DataFrame (n_units, n_raters)}, or long DataFrame
        Numbers or grade words (较差 < 一般 < 良好 < 优秀); NaN = missing. A long table has columns
        unit, rater, score and optionally item (Chinese names 单位, 评委, 得分/评分, 指标 work too).
        Several items are needed for the halo measure.
    self_rater : label, optional
        Column (rater) holding each unit's self-rating. It is compared with all other raters and
        left out of the other raters' reference means and of the pooled SD.
    items : str, optional
        Name of the item column of a long table (default: a column named item / 指标 if present).
    test : {"t", "wilcoxon"}, default="t"
        Test of zero mean deviation: one-sample t on the deviations (= paired t of the rater vs the
        others' mean) or Wilcoxon signed-rank.
    top : number or grade word, optional
        Top category for ``top_share``; default the best grade word, or each item's maximum rating.

    Returns
    -------
    RaterEffects
        Per rater, with a short Chinese and English verdict. Verdict rules: leniency flagged at
        |deviation| >= 0.2 SD with p < 0.05; top share >= 50%; SD ratio < 0.6; halo when the rater's
        mean between-item correlation exceeds the all-rater baseline by >= 0.2.

    Raises
    ------
    DataError
        Fewer than 2 raters besides the self-rater, fewer than 2 units, unknown grade words,
        duplicate rows in a long table, no spread within raters, a self-rating column without any
        rating. Other rater columns without any rating are dropped with a WorkbenchWarning naming
        them.
    SpecError
        Unknown ``test``, ``self_rater`` not a column, ``items`` given for a wide table.

    Notes
    -----
    The SD unit is the pooled within-rater SD of each item (the spread of one rater's ratings over
    units), so leniency is comparable across items on different scales. The halo baseline pools the
    raters' within-rater cross-products, so rater leniency cannot create correlation.

    References
    ----------
    Saal, F.E., Downey, R.G. & Lahey, M.A. (1980). Rating the ratings: assessing the
    psychometric quality of rating data. Psychological Bulletin 88(2), 413-428.
    Myford, C.M. & Wolfe, E.W. (2003). Detecting and measuring rater effects using many-facet
    Rasch measurement: Part I. Journal of Applied Measurement 4(4), 386-422.

    Examples
    --------
    >>> x = pd.DataFrame({"A": [3, 2, 4, 1], "B": [3, 2, 4, 2], "C": [4, 3, 4, 3]})
    >>> rater_effects(x).table["leniency"].round(2).tolist()
    [-0.63, -0.25, 0.89]
    """
    check_option(test, ["t", "wilcoxon"], name="test", func="rater_effects")
    x, item_names, units, raters, labels = _stack(ratings, items)
    empty = np.isnan(x).all(axis=(0, 1))
    if empty.any():
        names = [str(r) for r in raters[empty]]
        if self_rater is not None and self_rater in raters and empty[raters.get_loc(self_rater)]:
            raise DataError(
                _(
                    "rater_effects: the self-rating column {self_rater!r} has no ratings, so there "
                    "is no self-rating gap to measure."
                ).format(self_rater=self_rater),
                column=str(self_rater),
                hint=_("fill in the self-ratings or leave self_rater=None"),
            )
        # leniency is measured against the other raters on the units each rater rated, so a rater
        # with no ratings contributes nothing: drop it, saying so
        warnings.warn(
            _(
                "rater_effects: dropped rater column(s) {names}, which have no ratings (every "
                "cell is missing)."
            ).format(names=names),
            DroppedRatingsWarning,
            stacklevel=2,
        )
        x, raters = x[:, :, ~empty], raters[~empty]
    n_items, n_units, n_raters = x.shape
    mask = ~np.isnan(x)
    peers = np.ones(n_raters, dtype=bool)
    if self_rater is not None:
        if self_rater not in raters:
            raise SpecError(
                _(
                    "The 'self_rater' parameter of rater_effects must be one of the raters "
                    "{raters}. Got {self_rater!r} instead."
                ).format(raters=list(raters), self_rater=self_rater)
            )
        peers[raters.get_loc(self_rater)] = False
    if peers.sum() < 2 or n_units < 2:
        raise DataError(
            _(
                "rater_effects needs at least 2 raters besides the self-rater and 2 units. Got "
                "{peers} raters and {n_units} units."
            ).format(peers=int(peers.sum()), n_units=n_units)
        )

    peer_mask = mask & peers
    peer_x = np.where(peer_mask, x, 0.0)
    others_sum = peer_x.sum(axis=2, keepdims=True) - peer_x
    others_n = peer_mask.sum(axis=2, keepdims=True) - peer_mask
    with np.errstate(divide="ignore", invalid="ignore"):
        dev = np.where(mask & (others_n > 0), x - others_sum / others_n, np.nan)

    n_ir = mask.sum(axis=1)  # (items, raters)
    means = np.where(n_ir > 0, np.where(mask, x, 0).sum(axis=1) / np.maximum(n_ir, 1), np.nan)
    ss = np.where(mask, (x - means[:, None, :]) ** 2, 0).sum(axis=1)
    dof = np.maximum(n_ir - 1, 0)
    pooled_var = (np.where(peers, ss, 0).sum(axis=1)) / np.where(peers, dof, 0).sum(axis=1)
    if np.any(~(pooled_var > 0)):
        bad = [str(item_names[i]) for i in np.flatnonzero(~(pooled_var > 0))]
        raise DataError(
            _(
                "rater_effects: on item(s) {bad} every rater gives all units the same rating, "
                "so there is no spread to measure effects in."
            ).format(bad=bad),
            hint=_("rater effects need ratings that vary over units"),
        )
    pooled_sd = np.sqrt(pooled_var)

    dz = (dev / pooled_sd[:, None, None]).transpose(2, 0, 1).reshape(n_raters, -1)
    draw = dev.transpose(2, 0, 1).reshape(n_raters, -1)
    n_dev = np.isfinite(dz).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        leniency = np.nansum(dz, axis=1) / n_dev
        points = np.nansum(draw, axis=1) / n_dev
        if test == "t":
            sd = np.sqrt(np.nansum((dz - leniency[:, None]) ** 2, axis=1) / (n_dev - 1))
            stat = leniency / (sd / np.sqrt(n_dev))
            pval = np.where(n_dev > 1, 2 * stats.t.sf(np.abs(stat), np.maximum(n_dev - 1, 1)), np.nan)
            pval = np.where(sd == 0, np.where(leniency == 0, 1.0, 0.0), pval)
        else:
            res = stats.wilcoxon(dz, axis=1, nan_policy="omit", zero_method="zsplit")
            stat, pval = np.asarray(res.statistic, dtype=float), np.asarray(res.pvalue, dtype=float)

    if top is not None:
        top_code = (
            encode_grades([top], order=labels or GRADE_ORDER)[0] if isinstance(top, str) else float(top)
        )
        top_value = np.full(n_items, top_code)
        top_name = str(top)
    elif labels is not None:
        top_value, top_name = np.full(n_items, float(len(labels))), labels[-1]
    else:
        top_value, top_name = np.nanmax(x, axis=(1, 2)), None  # "the top category", in each language
    top_share = (mask & (x == top_value[:, None, None])).sum(axis=(0, 1)) / mask.sum(axis=(0, 1))
    sd_ratio = np.sqrt((ss / pooled_var[:, None]).sum(axis=0) / dof.sum(axis=0))

    halo = halo_gap = np.full(n_raters, np.nan)
    baseline = None
    if n_items >= 2:
        halo, baseline = _halo(x, mask, peers)
        halo_gap = halo - baseline

    table = pd.DataFrame(
        {
            "n_ratings": mask.sum(axis=(0, 1)),
            "mean": np.nanmean(np.where(mask, x, np.nan).reshape(-1, n_raters), axis=0),
            "leniency": leniency,
            "leniency_points": points,
            "stat": stat,
            "pval": pval,
            "top_share": top_share,
            "sd_ratio": sd_ratio,
            "halo": halo,
            "halo_gap": halo_gap,
            "is_self": ~peers,
        },
        index=raters,
    )
    table["verdict_zh"], table["verdict_en"] = verdicts(table, top_name)
    self_gap = self_p = None
    if self_rater is not None:
        self_gap, self_p = float(table.at[self_rater, "leniency"]), float(table.at[self_rater, "pval"])
    return RaterEffects(
        table=table,
        pooled_sd=pd.Series(pooled_sd, index=item_names, name="pooled_sd"),
        self_rater=self_rater,
        self_gap=self_gap,
        self_gap_pval=self_p,
        halo_baseline=baseline,
        test=test,
    )
