"""A rubric compiled once into plain data: the program the scoring kernel runs.

:func:`compile_rubric` turns a :class:`~workbench.rubric.Rubric` into a :class:`Program` of numpy
arrays and numbers (tree, raw weights per category, rule blocks with stacked parameters, bonus and
deduction items and caps, veto levels, bands, quotas, the scheme). :func:`prepare` applies the
program's rules to a validated table once, giving the :class:`Inputs` that do not depend on
weights, quotas or the scheme (shares of full marks, bonus, deduction, veto flags, the other
score). :func:`workbench.scoring.kernel.evaluate` then scores any number of variants from them.
Both are frozen and picklable, so a dask worker receives them as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from . import grades as G
from .rules import RULE_TYPES

__all__ = ["Program", "Inputs", "RuleBlock", "compile_rubric", "prepare"]

SCHEMES = ("single", "weighted", "multiplicative", "dual100")


@dataclass(frozen=True, eq=False)
class RuleBlock:
    """Indicators (positions ``cols``) scored by one rule type in one direction."""

    type: str
    direction: int
    cols: np.ndarray
    params: dict = field(repr=False)
    grades: tuple = ()  # grade_map: each indicator's grade list (the order of its data codes)


@dataclass(frozen=True, eq=False)
class Adjust:
    """Bonus or deduction items: points per occurrence, per-item caps, stacking, overall cap."""

    codes: tuple
    points: np.ndarray
    caps: np.ndarray  # inf = no per-item cap
    cap: float  # inf = no overall cap
    highest: bool  # 'highest': one occurrence of the best item counts, no stacking


@dataclass(frozen=True, eq=False)
class Program:
    """A rubric as arrays (see the module docstring). Positions follow the rubric's file order."""

    code: str
    nodes: tuple  # N node codes, parents before children
    parent: np.ndarray  # (N,) parent position, -1 for the root
    groups: tuple  # (parent position, children positions) of every internal node, parents first
    ind: np.ndarray  # (m,) node positions of the indicators
    indicators: tuple
    blocks: tuple  # codes of the internal nodes (the root included), file order
    member: np.ndarray = field(repr=False)  # (m, B) 1.0 where an indicator lies under a block
    root: int  # the root's column in ``member``
    raw: np.ndarray = field(repr=False)  # (K, N) raw weights: row 0 the rubric's, row k a category's
    cat_column: str | None
    cat_labels: tuple  # the categories of rows 1..K-1
    rank_within: bool
    scale: float
    exempt: np.ndarray  # (m,) missing values exempt the unit (else they score 0)
    may_miss: np.ndarray  # (m,) validation lets values be missing ('zero' or 'exempt')
    rules: tuple  # RuleBlock, ...
    bonus: Adjust
    deduction: Adjust
    veto_codes: tuple
    veto_test: tuple  # per item: (indicator code or None, below, above)
    veto_levels: np.ndarray  # (V,) best grade each item leaves
    veto_last: bool  # vetoed units rank after all others
    names: tuple  # grade names, best first (empty: no grades)
    bounds: np.ndarray  # (G,) lower bounds of the bands
    quota: np.ndarray  # (G,) share of units per grade, NaN = none
    ties: str
    rounding: str
    quota_by_category: bool
    scheme: str
    other_column: str | None
    other_scale: float
    party_weight: float | None
    dual: np.ndarray | None  # (G, G) dual-100 matrix of grade positions

    def position(self, codes) -> np.ndarray:
        """Node positions of ``codes``."""
        pos = self._pos
        return np.array([pos[c] for c in codes], dtype=np.intp)

    @cached_property
    def _pos(self) -> dict:
        return {c: i for i, c in enumerate(self.nodes)}


def compile_rubric(rubric) -> Program:
    """Compile ``rubric`` into a :class:`Program` (once per rubric object; the result is cached)."""
    cached = rubric.__dict__.get("_program")
    if cached is not None:
        return cached
    nodes = tuple(rubric.nodes)
    pos = {c: i for i, c in enumerate(nodes)}
    inds = tuple(rubric.indicators)
    blocks = tuple(c for c in nodes if rubric.nodes[c].children)
    member = np.zeros((len(inds), len(blocks)))
    bcol = {b: k for k, b in enumerate(blocks)}
    for j, c in enumerate(inds):
        member[j, bcol[rubric.root]] = 1.0
        for a in rubric.ancestors(c):
            member[j, bcol[a]] = 1.0
    raw = np.array([[float(n.weight) for n in rubric.nodes.values()]])
    cats = rubric.categories
    labels = tuple(str(k) for k in (cats.weights if cats is not None else {}))
    if labels:
        raw = np.repeat(raw, len(labels) + 1, axis=0)
        for k, label in enumerate(labels, start=1):
            for c, w in dict(cats.weights[label]).items():
                raw[k, pos[c]] = float(w)
    order = {}
    for j, c in enumerate(inds):  # one block per (rule type, direction), in file order
        node = rubric.nodes[c]
        order.setdefault((node.rule.type, 1 if node.direction > 0 else -1), []).append(j)
    rules = []
    for (t, d), cols in order.items():
        objs = [rubric.nodes[inds[j]].rule for j in cols]
        grade_lists = tuple(tuple(r.grades()) for r in objs) if t == "grade_map" else ()
        params = stack_params(objs)
        params["may_miss"] = np.array([rubric.nodes[inds[j]].missing != "error" for j in cols])
        rules.append(RuleBlock(t, d, np.array(cols), params, grade_lists))
    g, sch = rubric.grades, rubric.scheme
    names = tuple(g.names)
    program = Program(
        code=rubric.code,
        nodes=nodes,
        parent=np.array([pos[n.parent] if n.parent is not None else -1 for n in rubric.nodes.values()]),
        groups=tuple(
            (pos[c], np.array([pos[k] for k in n.children])) for c, n in rubric.nodes.items() if n.children
        ),
        ind=np.array([pos[c] for c in inds]),
        indicators=inds,
        blocks=blocks,
        member=member,
        root=bcol[rubric.root],
        raw=raw,
        cat_column=None if cats is None else cats.column,
        cat_labels=labels,
        rank_within=bool(cats is not None and cats.rank_within),
        scale=float(rubric.scale),
        exempt=np.array([rubric.nodes[c].missing == "exempt" for c in inds], dtype=bool),
        may_miss=np.array([rubric.nodes[c].missing != "error" for c in inds], dtype=bool),
        rules=tuple(rules),
        bonus=_adjust(rubric.bonus),
        deduction=_adjust(rubric.deductions),
        veto_codes=tuple(v.code for v in rubric.veto),
        veto_test=tuple((v.indicator, v.below, v.above) for v in rubric.veto),
        veto_levels=G.veto_levels(rubric.veto, names) if names else np.zeros(len(rubric.veto), np.int8),
        veto_last=rubric.veto_rank == "last",
        names=names,
        bounds=np.array([b for _, b in g.bands], dtype=float),
        quota=G.quota_table(dict(g.quota), names)[0] if names else np.zeros(0),
        ties=g.ties,
        rounding=g.rounding,
        quota_by_category=g.scope == "category" and cats is not None,
        scheme=sch.type,
        other_column=sch.other_column if sch.type != "single" else None,
        other_scale=float(sch.other_scale),
        party_weight=sch.party_weight,
        dual=G.dual_table(sch.matrix, names) if sch.type == "dual100" and names else None,
    )
    object.__setattr__(rubric, "_program", program)  # the rubric is immutable: compile once
    return program


def stack_params(rules) -> dict:
    """The parameters of rules of one type as arrays: scalars (k,), sequences (k, longest) padded
    with NaN (a rule never reads past its own length)."""
    dicts = [r.params() for r in rules]
    out = {}
    for name in dicts[0] if dicts else ():
        vals = [d[name] for d in dicts]
        if isinstance(vals[0], tuple):
            width = max(1, max(len(v) for v in vals))
            arr = np.full((len(vals), width), np.nan)
            for i, v in enumerate(vals):
                arr[i, : len(v)] = v
            out[name] = arr
        else:
            out[name] = np.array(vals, dtype=float)
    return out


def _adjust(adj) -> Adjust:
    return Adjust(
        codes=tuple(it.code for it in adj.items),
        points=np.array([it.points for it in adj.items], dtype=float),
        caps=np.array([np.inf if it.cap is None else it.cap for it in adj.items], dtype=float),
        cap=np.inf if adj.cap is None else float(adj.cap),
        highest=adj.stacking == "highest",
    )


@dataclass(frozen=True, eq=False)
class Inputs:
    """What scoring needs from a table, fixed across variants (arrays over n units).

    ``shares`` is (m, n), one contiguous row per indicator (NaN where a unit is exempt);
    ``filled`` is the same with exempt shares 0 and ``present`` (m, n) marks the shares that count
    (None when nobody is exempt). ``row`` is each unit's row of ``Program.raw`` (None: one row);
    ``cat`` the unit's category code among ``cat_labels`` (peers, quota groups, ranks within).
    """

    n: int
    shares: np.ndarray = field(repr=False)
    filled: np.ndarray = field(repr=False)
    present: np.ndarray | None = field(repr=False)
    row: np.ndarray | None = field(repr=False)
    cat: np.ndarray | None = field(repr=False)
    cat_labels: np.ndarray | None = field(repr=False)
    bonus_items: np.ndarray = field(repr=False)
    deduction_items: np.ndarray = field(repr=False)
    bonus: np.ndarray = field(repr=False)
    deduction: np.ndarray = field(repr=False)
    veto_flags: np.ndarray = field(repr=False)  # (n, V) bool
    vetoed: np.ndarray = field(repr=False)  # (n,) bool
    veto_floor: np.ndarray = field(repr=False)  # (n,) int8
    other: np.ndarray | None = field(repr=False)

    def __getstate__(self):
        # the per-category copies are rebuilt where they are needed, not sent to every worker
        return {k: v for k, v in self.__dict__.items() if k != "parts"}

    def __setstate__(self, state):
        self.__dict__.update(state)

    @cached_property
    def parts(self) -> list:
        """Per raw-weight row k: (units of the row, filled (m, n_k), present (m, n_k) or None, k)."""
        if self.row is None:
            return [(slice(None), self.filled, self.present, 0)]
        out = []
        for k in range(int(self.row.max()) + 1):
            cols = np.flatnonzero(self.row == k)
            if len(cols):
                pres = None if self.present is None else np.ascontiguousarray(self.present[:, cols])
                out.append((cols, np.ascontiguousarray(self.filled[:, cols]), pres, k))
        return out


def prepare(program: Program, arrays: dict, category=None) -> Inputs:
    """Apply the program's rules and adjustments to validated columns (``io.coerce_columns``).

    Parameters
    ----------
    program : Program
    arrays : dict column -> array of n values (grades as categoricals)
    category : array-like of n labels, optional  the category column (rubrics with categories)
    """
    inds = program.indicators
    n = len(arrays[inds[0]]) if inds else 0
    cat = labels = row = None
    if program.cat_column is not None:
        cat, labels = pd.factorize(np.asarray(category).astype(str))
        labels = np.asarray(labels, dtype=object)
        if len(program.raw) > 1:
            where = {lab: k for k, lab in enumerate(program.cat_labels, start=1)}
            row = np.array([where.get(lab, 0) for lab in labels], dtype=np.intp)[cat]
    shares = np.empty((len(inds), n))
    for b in program.rules:
        rule = RULE_TYPES[b.type]
        if rule.numeric:
            xs = [np.asarray(arrays[inds[j]], dtype=float) for j in b.cols]
        else:
            xs = [rule.codes(arrays[inds[j]], g) for j, g in zip(b.cols, b.grades)]
        out = [shares[j] for j in b.cols]
        rule.block(xs, b.params, b.direction, cat, out)  # each rule writes its own rows
        for o in out if rule.may_be_negative else ():  # shares are never below 0
            np.maximum(o, 0.0, out=o)
    # validated data are missing only where the rubric allows it, and only missing values give NaN
    rows = np.flatnonzero(program.may_miss)
    missing = np.array([np.isnan(shares[j]).any() for j in rows], dtype=bool)
    zero, exempt = rows[missing & ~program.exempt[rows]], rows[missing & program.exempt[rows]]
    for j in zero:  # 'zero': a missing value scores 0
        np.copyto(shares[j], 0.0, where=np.isnan(shares[j]))
    filled, present = shares, None
    if len(exempt):
        filled = np.nan_to_num(shares, nan=0.0)
        present = (~np.isnan(shares)).astype(float)
    bonus_items, bonus = _adjusted(program.bonus, arrays, n)
    ded_items, deduction = _adjusted(program.deduction, arrays, n)
    columns = [_veto_flag(t, c, arrays) for c, t in zip(program.veto_codes, program.veto_test)]
    flags = np.column_stack(columns) if columns else np.zeros((n, 0), dtype=bool)
    return Inputs(
        n=n,
        shares=shares,
        filled=filled,
        present=present,
        row=row,
        cat=cat,
        cat_labels=labels,
        bonus_items=bonus_items,
        deduction_items=ded_items,
        bonus=bonus,
        deduction=deduction,
        veto_flags=flags,
        vetoed=np.logical_or.reduce(columns) if columns else np.zeros(n, dtype=bool),
        veto_floor=G.veto_floor(flags, program.veto_levels),
        other=None if program.other_column is None else np.asarray(arrays[program.other_column], dtype=float),
    )


def _veto_flag(test, code, arrays) -> np.ndarray:
    """A veto flag column, or a threshold on an indicator (missing values never trigger it)."""
    indicator, below, above = test
    if indicator is None:
        return np.asarray(arrays[code], dtype=bool)
    x = np.asarray(arrays[indicator], dtype=float)
    with np.errstate(invalid="ignore"):
        return (x < below) if below is not None else (x > above)


def _adjusted(adj: Adjust, arrays, n) -> tuple[np.ndarray, np.ndarray]:
    """Per-item points (n, k) before the overall cap, and the applied total (n,)."""
    if not adj.codes:
        return np.zeros((n, 0)), np.zeros(n)
    counts = np.array([arrays[c] for c in adj.codes], dtype=float)  # (k, n): one row per item
    per = np.minimum(counts * adj.points[:, None], adj.caps[:, None])
    if adj.highest:  # highest level only, no stacking: one occurrence of the best item counts
        single = np.minimum(adj.points, adj.caps)[:, None]
        raw = np.where(counts > 0, single, 0.0).max(axis=0)
    else:
        raw = per.sum(axis=0)
    return per.T, np.minimum(raw, adj.cap)
