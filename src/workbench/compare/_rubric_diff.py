"""What changed between two versions of a rubric: items, weights, rules, caps, bands and quotas.

:func:`diff_rubrics` matches nodes by code (and, for codes that appear in only one version, by
identical name, so a recoded item is not reported as one removal and one addition) and lists every
change as one row: what changed, the old and the new value, and a sentence for people.
"""

from __future__ import annotations

import math
from dataclasses import astuple, dataclass, replace

import pandas as pd

from .._i18n import _
from .._results import ResultMixin
from ._labels import diff_texts as _texts
from ._labels import diff_words as _words
from ._labels import kind_labels

__all__ = ["RubricDiff", "diff_rubrics", "CHANGE_KINDS", "kind_labels"]

CHANGE_KINDS = (
    "added",
    "removed",
    "recoded",
    "renamed",
    "moved",
    "reweighted",
    "rule",
    "definition",
    "bonus",
    "deduction",
    "veto",
    "bands",
    "quota",
    "grading",
    "scheme",
    "categories",
    "scale",
)
_COLUMNS = ["change", "code", "name", "old", "new", "description"]


@dataclass(frozen=True, repr=False)
class RubricDiff(ResultMixin):
    """Changes from ``old`` to ``new``, one row per change.

    Attributes
    ----------
    changes : DataFrame
        Columns ``change`` (one of :data:`CHANGE_KINDS`), ``code``, ``name``, ``old``, ``new``
        (values as in the rubric: points, shares, grade names) and ``description`` (a sentence in
        the current language).
    old_code, new_code : str  the two rubrics' codes
    recoded : dict  new code -> old code for nodes matched by name
    """

    changes: pd.DataFrame
    old_code: str
    new_code: str
    recoded: dict

    def to_frame(self) -> pd.DataFrame:
        return self.changes

    @property
    def empty(self) -> bool:
        return self.changes.empty

    def of_kind(self, *kinds: str) -> pd.DataFrame:
        return self.changes.loc[self.changes["change"].isin(kinds)]

    def counts(self) -> pd.Series:
        """Number of changes of each kind (kinds without changes omitted)."""
        return self.changes["change"].value_counts().reindex(CHANGE_KINDS).dropna().astype(int)

    def _summary_title(self) -> str:
        return _("Rubric changes {old} → {new}: {n}").format(
            old=self.old_code, new=self.new_code, n=len(self.changes)
        )

    def _summary_facts(self) -> dict:
        labels = kind_labels()
        return {labels[k]: int(v) for k, v in self.counts().items()}


class _Rows:
    """Collects change rows; each sentence comes from :func:`_texts` by key."""

    def __init__(self):
        self.rows, self.t, self.w = [], _texts(), _words()

    def __call__(self, change, code, name, old, new, text=None, /, **fields):
        fields.setdefault("old", old)
        fields.setdefault("new", new)
        sentence = self.t[text or change].format(**fields)
        self.rows.append(
            {"change": change, "code": code, "name": name, "old": old, "new": new, "description": sentence}
        )


def diff_rubrics(old, new) -> RubricDiff:
    """List what changed from rubric ``old`` to rubric ``new``.

    Parameters
    ----------
    old, new : Rubric

    Returns
    -------
    RubricDiff
        Empty when the two rubrics score every table the same way (names, codes, weights, rules,
        bonus, deduction, veto, grading, scheme and categories all equal).

    Notes
    -----
    Weights are compared as full marks (points of the scale), so a rubric written in relative
    weights and the same rubric written in points show no re-weighting. Rules are compared by
    what they score, not by how the file wrote them (points or shares).

    Examples
    --------
    >>> diff_rubrics(rubric, rubric).empty  # doctest: +SKIP
    True
    """
    add = _Rows()
    if old.scale != new.scale:
        add("scale", "", "", old.scale, new.scale)
    recoded = _nodes(old, new, add)
    _adjustments(old.bonus, new.bonus, "bonus", add)
    _adjustments(old.deductions, new.deductions, "deduction", add)
    _veto(old, new, add)
    _grades(old.grades, new.grades, add)
    _scheme(old.scheme, new.scheme, add)
    _categories(old, new, add)
    frame = pd.DataFrame(add.rows, columns=_COLUMNS)
    frame[["old", "new"]] = frame[["old", "new"]].astype(object)
    return RubricDiff(frame, old.code, new.code, recoded)


def _label(node) -> str:
    return f"{node.name}（{node.code}）"


def _match_by_name(o_nodes: dict, n_nodes: dict) -> dict:
    """New code -> old code for nodes present under one code only whose (unique) name is unchanged."""
    key = lambda n: (n.name, n.is_indicator)  # noqa: E731
    gone = [c for c in o_nodes if c not in n_nodes]
    came = [c for c in n_nodes if c not in o_nodes]
    by_name: dict = {}
    for c in gone:
        by_name.setdefault(key(o_nodes[c]), []).append(c)
    unique_new = pd.Series([key(n) for n in n_nodes.values()]).value_counts()
    return {
        c: by_name[key(n_nodes[c])][0]
        for c in came
        if len(by_name.get(key(n_nodes[c]), ())) == 1 and unique_new[key(n_nodes[c])] == 1
    }


def _nodes(old, new, add) -> dict:
    o_nodes = {c: n for c, n in old.nodes.items() if c != old.root}
    n_nodes = {c: n for c, n in new.nodes.items() if c != new.root}
    recoded = _match_by_name(o_nodes, n_nodes)
    back = {v: k for k, v in recoded.items()}
    o_full, n_full = old.full_marks(), new.full_marks()
    kind = lambda n: add.w["indicator"] if n.is_indicator else add.w["block"]  # noqa: E731
    for c, n in o_nodes.items():
        if c not in n_nodes and c not in back:
            add("removed", c, n.name, float(o_full[c]), None, kind=kind(n), item=_label(n), points=o_full[c])
    for c, n in n_nodes.items():
        if c not in o_nodes and c not in recoded:
            add("added", c, n.name, None, float(n_full[c]), kind=kind(n), item=_label(n), points=n_full[c])
    where = lambda r, p: r.nodes[p].name if p is not None else add.w["top"]  # noqa: E731
    for c_new, n in n_nodes.items():
        c_old = recoded.get(c_new, c_new)
        if c_old not in o_nodes:
            continue
        o = o_nodes[c_old]
        if c_old != c_new:
            add("recoded", c_new, n.name, c_old, c_new, name=n.name)
        if o.name != n.name:
            add("renamed", c_new, n.name, o.name, n.name, code=c_new)
        o_parent = back.get(o.parent, o.parent) if o.parent != old.root else None
        n_parent = n.parent if n.parent != new.root else None
        if o_parent != n_parent:
            add("moved", c_new, n.name, o_parent, n_parent, item=_label(n),
                old=where(old, o.parent if o_parent else None), new=where(new, n_parent))  # fmt: skip
        of, nf = float(o_full[c_old]), float(n_full[c_new])
        if abs(of - nf) > 1e-9 * max(1.0, abs(of)):
            add("reweighted", c_new, n.name, of, nf, item=_label(n),
                share_old=of / old.scale, share_new=nf / new.scale)  # fmt: skip
        if n.is_indicator and o.is_indicator:
            _indicator(o, n, of, nf, add)
    return recoded


def _close(a, b) -> bool:
    """Equal up to rounding: rules are stored as shares, and 2.4/4 is not exactly 3/5."""
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b))
    if isinstance(a, float) or isinstance(b, float):
        return (
            isinstance(a, (int, float)) and isinstance(b, (int, float)) and math.isclose(a, b, abs_tol=1e-9)
        )
    return a == b


def _same_rule(a, b) -> bool:
    if a is None or b is None:
        return a is b
    # a rule written in points and the same rule written in shares score alike
    return type(a) is type(b) and _close(astuple(replace(a, unit="share")), astuple(replace(b, unit="share")))


def _indicator(o, n, of, nf, add) -> None:
    if not _same_rule(o.rule, n.rule):
        a, b = o.rule.describe(of), n.rule.describe(nf)
        if a == b:  # the same points on other full marks: a different share of the item
            a, b = (add.t["of_points"].format(rule=t, points=p) for t, p in ((a, of), (b, nf)))
        add("rule", n.code, n.name, a, b, item=_label(n))
    for attr in ("direction", "kind", "missing", "unit"):
        a, b = getattr(o, attr), getattr(n, attr)
        if a != b:
            add("definition", n.code, n.name, a, b, item=_label(n), what=add.w[attr])


def _num(x, add) -> str:
    return add.w["none"] if x is None else f"{x:g}"


def _adjustments(o, n, change, add) -> None:
    what = add.w[change]
    if o.cap != n.cap:
        add(change, "", what, o.cap, n.cap, "cap", what=what, old=_num(o.cap, add), new=_num(n.cap, add))
    if o.stacking != n.stacking:
        add(change, "", what, o.stacking, n.stacking, "stacking", what=what)
    oi, ni = {it.code: it for it in o.items}, {it.code: it for it in n.items}
    for c, it in oi.items():
        if c not in ni:
            add(change, c, it.name, it.points, None, "item_removed", what=what, name=it.name)
    for c, it in ni.items():
        a = oi.get(c)
        if a is None:
            add(change, c, it.name, None, it.points, "item_added", what=what, name=it.name, points=it.points)
        elif (a.points, a.cap) != (it.points, it.cap):
            add(change, c, it.name, f"{a.points:g}/{_num(a.cap, add)}", f"{it.points:g}/{_num(it.cap, add)}",
                "item_changed", what=what, name=it.name, old=a.points, new=it.points,
                cap_old=_num(a.cap, add), cap_new=_num(it.cap, add))  # fmt: skip
        elif a.name != it.name:
            add(change, c, it.name, a.name, it.name, "renamed", code=c)


def _veto(old, new, add) -> None:
    def text(v):
        effect = add.w["lowest"] if v.effect == "lowest" else add.w["at_most"].format(grade=v.cap_grade)
        return f"{v.describe()}: {effect}"

    ov, nv = {v.code: v for v in old.veto}, {v.code: v for v in new.veto}
    for c, v in ov.items():
        if c not in nv:
            add("veto", c, v.name, text(v), None, "veto_removed", name=v.describe())
    for c, v in nv.items():
        if c not in ov:
            add("veto", c, v.name, None, text(v), "veto_added", name=v.describe())
        elif ov[c] != v:
            add("veto", c, v.name, text(ov[c]), text(v), "veto_changed", name=v.name)


def _grades(o, n, add) -> None:
    ob, nb = dict(o.bands), dict(n.bands)
    for g in ob:
        if g not in nb:
            add("bands", g, g, ob[g], None, "grade_removed", grade=g)
    for g, bound in nb.items():
        if g not in ob:
            add("bands", g, g, None, bound, "grade_added", grade=g, bound=bound)
        elif ob[g] != bound:
            add("bands", g, g, ob[g], bound, "line", grade=g)
    if list(ob) != list(nb) and set(ob) == set(nb):
        add("bands", "", "", " > ".join(ob), " > ".join(nb), "order")
    pct = lambda q: add.w["none"] if q is None else f"{q:.0%}"  # noqa: E731
    for g in dict.fromkeys([*o.quota, *n.quota]):
        a, b = o.quota.get(g), n.quota.get(g)
        if a != b:
            add("quota", g, g, a, b, grade=g, old=pct(a), new=pct(b))
    for attr in ("ties", "rounding", "scope"):
        a, b = getattr(o, attr), getattr(n, attr)
        if a != b:
            add("grading", attr, add.w[attr], a, b, "setting", what=add.w[attr])


def _scheme(o, n, add) -> None:
    pct = lambda q: add.w["none"] if q is None else f"{q:.0%}"  # noqa: E731
    for attr in ("type", "party_weight", "other_column", "other_scale"):
        a, b = getattr(o, attr), getattr(n, attr)
        if a != b:
            key = "scheme" if attr == "type" else attr
            shown = (pct(a), pct(b)) if attr == "party_weight" else (a, b)
            add("scheme", attr, add.w[key], a, b, "setting", what=add.w[key], old=shown[0], new=shown[1])
    plain = lambda m: None if m is None else {k: dict(v) for k, v in m.items()}  # noqa: E731
    if plain(o.matrix) != plain(n.matrix):
        add("scheme", "matrix", "", str(plain(o.matrix)), str(plain(n.matrix)), "matrix")


def _categories(old, new, add) -> None:
    o, n = old.categories, new.categories
    if o is None and n is None:
        return
    if o is None or n is None or o.column != n.column:
        a, b = (None if c is None else c.column for c in (o, n))
        add("categories", "column", add.w["column"], a, b, "setting", what=add.w["column"])
        return
    if o.rank_within != n.rank_within:
        add("categories", "rank_within", add.w["rank_within"], o.rank_within, n.rank_within, "setting",
            what=add.w["rank_within"])  # fmt: skip
    for g in dict.fromkeys([*o.weights, *n.weights]):
        a = old.full_marks(dict(o.weights[g]) if g in o.weights else None)
        b = new.full_marks(dict(n.weights[g]) if g in n.weights else None)
        for c in new.top_blocks:
            if c in a.index and abs(float(a[c]) - float(b[c])) > 1e-9:
                add("categories", c, f"{g}·{new.nodes[c].name}", float(a[c]), float(b[c]), "group",
                    group=g, item=_label(new.nodes[c]))  # fmt: skip
