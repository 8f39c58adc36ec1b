"""The weight simulator's logic, without widgets (tested without a browser).

:class:`SimulatorState` holds what the controls say: one set of top-block weights for every
category with weights of its own (分类指导) and one for the rubric itself, which set the sliders
edit (a category, or every category by an explicit choice), the scheme, the party weight, the quota
and the veto switch. Each change is one pass of the scoring kernel (:mod:`workbench.scoring.kernel`)
with the weight sets as a (1, K, N) variant, so one category's weights never replace another's.
:meth:`SimulatorState.rubric_now` is the rubric the controls describe (the app's YAML download);
``workbench.score`` of it gives the numbers of :meth:`SimulatorState.card`, unit by unit.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .._i18n import _, language
from ..errors import SpecError
from ..io import unit_names

__all__ = ["SimulatorState", "rebalance", "BASE", "ALL", "SCHEMES", "scheme_labels"]

BASE = "\x00rubric"  # the rubric's own weights (a category label never holds a control character)
ALL = "\x00all"  # the scope "every category at once"
SCHEMES = ("single", "weighted", "dual100", "multiplicative")
_CONTROLS = ("scheme", "party_weight", "quota_on", "quota_share", "veto_on", "scope")


def scheme_labels() -> dict:
    """The schemes as the menu shows them, in the current language."""
    return {
        "single": _("party building assessed on its own"),
        "weighted": _("fixed weight in a comprehensive score"),
        "dual100": _("dual-100 grade matrix"),
        "multiplicative": _("multiplicative (business score x party-building rate)"),
    }


def rebalance(weights: dict, changed: str, value: float, total: float = 100.0) -> dict:
    """Set ``weights[changed] = value`` and rescale the others so that all sum to ``total``.

    The others keep their proportions; if they are all zero they share the remainder equally.
    Values are rounded to whole points, the rounding remainder going to the largest other weight.
    """
    value = float(min(max(value, 0.0), total))
    others = [k for k in weights if k != changed]
    rest = total - value
    base = np.array([max(weights[k], 0.0) for k in others], dtype=float)
    share = base / base.sum() if base.sum() > 0 else np.full(len(others), 1.0 / max(len(others), 1))
    new = np.round(share * rest)
    if len(others):
        new[int(np.argmax(share))] += rest - new.sum()
    out = dict(zip(others, new.tolist()))
    out[changed] = value
    return {k: out[k] for k in weights}


class SimulatorState:
    """What the simulator shows for the current controls (no widgets involved).

    Parameters
    ----------
    rubric : Rubric
    data : DataFrame  validated for the rubric (``read_table(..., rubric=rubric)``)
    scope : str, optional  the weight set the sliders edit: a category label, :data:`BASE` or
        :data:`ALL` (default: the first category with weights of its own, else :data:`BASE`)

    Setting a control (``state.scheme = "weighted"``) tells the :meth:`on_change` listeners, so a
    widget showing this state moves its controls and redraws.
    """

    def __init__(self, rubric, data: pd.DataFrame, *, scope: str | None = None, weights: dict | None = None):
        from ..scoring import score
        from ..scoring.program import compile_rubric

        self.__dict__["_listeners"] = []
        self.rubric, self.data = rubric, data
        program = compile_rubric(rubric)
        self._top = list(rubric.top_blocks)
        self._top_pos = program.position(self._top)
        self._keys = [BASE, *program.cat_labels]  # row k of the program's raw weights
        raw = program.raw[:, self._top_pos]
        with np.errstate(invalid="ignore", divide="ignore"):
            pct = np.nan_to_num(raw * 100.0 / raw.sum(axis=1, keepdims=True))
        self.initial_sets = {k: dict(zip(self._top, map(float, row))) for k, row in zip(self._keys, pct)}
        self.weight_sets = {k: dict(v) for k, v in self.initial_sets.items()}
        sch = rubric.scheme
        self.other_column = sch.other_column if sch.type != "single" else "econ_score"
        self.other_name = (
            (sch.other_name or sch.other_column)
            if sch.type != "single"
            else _("economic and social development score")
        )
        self.scheme = sch.type
        self.party_weight = sch.party_weight if sch.party_weight is not None else 0.02
        self.quota_on, self.veto_on = True, True
        top = rubric.grades.names[0] if rubric.grades.bands else None
        self.quota_share = float(rubric.grades.quota.get(top, 0.2)) if top else 0.2
        self.initial_quota = self.quota_share
        self.scope = scope if scope is not None else (self._keys[1] if len(self._keys) > 1 else BASE)
        self._compiled = {}  # scheme -> (scorecard, program, inputs) of the data under that scheme
        self.baseline = score(rubric, data)
        if weights is not None:
            self.weights = weights

    # ------------------------------------------------------------------ controls
    def __setattr__(self, name, value):
        if name == "scope" and value not in self.scopes:
            raise SpecError(
                _("the simulator has no weight set {value!r}; choose one of {options}").format(
                    value=value, options=list(self.scopes.values())
                ),
                key="scope",
            )
        super().__setattr__(name, value)
        if name in _CONTROLS:
            self._notify(name)

    def on_change(self, listener) -> None:
        """Call ``listener(control name)`` whenever a control or a weight is set."""
        self._listeners.append(listener)

    def _notify(self, name: str) -> None:
        for listener in self.__dict__.get("_listeners", ()):
            listener(name)

    @property
    def schemes(self) -> dict:
        """Schemes available: those needing another score only when the data have it."""
        labels = scheme_labels()
        if self.other_column and self.other_column in self.data.columns:
            return labels
        return {"single": labels["single"]}

    @property
    def category_sets(self) -> list:
        """The categories with weights of their own (rows 1.. of the compiled rubric)."""
        return self._keys[1:]

    @property
    def scopes(self) -> dict:
        """The weight sets the sliders can edit: each category with weights of its own, the
        rubric's own set (when some units use it), and every category at once (an explicit choice)."""
        out = {k: k for k in self.category_sets}
        if not out or self._base_used():
            out[BASE] = _("rubric's weights") if not out else _("categories without weights of their own")
        if out and len(self._keys) > 1:
            out[ALL] = _("all categories at once (the same change for each)")
        return out

    def set_label(self, key: str) -> str:
        """How a weight set is named on the page."""
        return self.scopes.get(key) or (_("rubric's weights") if key == BASE else str(key))

    def _base_used(self) -> bool:
        cats = self.rubric.categories
        if cats is None or cats.column not in self.data.columns:
            return True
        return bool((~self.data[cats.column].astype(str).isin(self.category_sets)).any())

    @property
    def weights(self) -> dict:
        """The weights the sliders show (percent of the top blocks, summing to 100)."""
        return dict(self.weight_sets[BASE if self.scope == ALL else self.scope])

    @weights.setter
    def weights(self, new: dict) -> None:
        new = self._checked(new)
        if self.scope != ALL:
            self.weight_sets[self.scope] = new
        else:  # the same change of points for every set, each set then summing to 100 again
            shown = self.weight_sets[BASE]
            for key, old in self.weight_sets.items():
                moved = {b: max(old[b] + new[b] - shown[b], 0.0) for b in self._top}
                total = sum(moved.values())
                self.weight_sets[key] = (
                    {b: w * 100.0 / total for b, w in moved.items()} if total > 0 else dict(new)
                )
        self._notify("weights")

    def set_weight(self, block: str, value: float) -> None:
        """Move one slider: ``block`` to ``value`` in the edited set, the others rebalanced."""
        self.weights = rebalance(self.weights, block, value)

    def reset(self) -> None:
        """Every weight set back to the rubric's."""
        self.weight_sets = {k: dict(v) for k, v in self.initial_sets.items()}
        self._notify("weights")

    def _checked(self, new) -> dict:
        if set(new) != set(self._top):
            raise SpecError(
                _("the weights must name exactly the top blocks {blocks}; got {got}").format(
                    blocks=self._top, got=sorted(new)
                ),
                key="weights",
            )
        ok = all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and v >= 0
            for v in new.values()
        )
        if not ok or sum(new.values()) <= 0:
            raise SpecError(
                _("weights must be finite numbers >= 0, not all zero; got {got}").format(got=dict(new)),
                key="weights",
            )
        return {b: float(new[b]) for b in self._top}

    def changed(self) -> list:
        """Keys of the weight sets that differ from the rubric's."""
        return [
            k
            for k in self._keys
            if any(abs(self.weight_sets[k][b] - self.initial_sets[k][b]) > 1e-9 for b in self._top)
        ]

    def weights_frame(self, initial: bool = False) -> pd.DataFrame:
        """Top blocks x weight sets (category labels; the rubric's own set last), percent;
        ``initial=True``: the rubric as written."""
        sets = self.initial_sets if initial else self.weight_sets
        keys = [k for k in self._keys[1:] + [BASE] if k in self.scopes]
        frame = pd.DataFrame({k: sets[k] for k in keys}).loc[self._top]
        frame.columns = [self.scopes[k] for k in keys]
        frame.index = [self.rubric.nodes[b].name for b in self._top]
        return frame

    # ------------------------------------------------------------------ the rubric described
    def scenario(self):
        """The scheme, quota and veto of the controls as a :class:`~workbench.scenario.Scenario`
        (weights are per category and go into :meth:`rubric_now` instead)."""
        from ..scenario import Scenario

        g = self.rubric.grades
        top = g.names[0] if g.bands else None
        quota = ({top: self.quota_share} if top else {}) if self.quota_on else {}
        if self.quota_on and top and abs(self.quota_share - self.initial_quota) < 1e-12:
            quota = dict(g.quota)  # untouched: keep the rubric's quotas as written
        scheme = {"type": self.scheme}
        if self.scheme != "single":
            scheme["other"] = {"column": self.other_column, "name": self.other_name}
        if self.scheme == "weighted":
            scheme["party_weight"] = self.party_weight
        return Scenario(name="simulator", scheme=scheme, quota=quota if g.bands else None, veto=self.veto_on)

    def rubric_now(self):
        """The rubric the controls describe: the edited weight sets written into the rubric's own
        weights and its categories' weights, then the scheme, quota and veto."""
        from dataclasses import replace
        from types import MappingProxyType

        from ..scenario import apply_scenario

        r, changed = self.rubric, set(self.changed())
        cats = r.categories
        if BASE in changed:
            new = r.with_weights(self.weight_sets[BASE])
            groups = {g: _rescaled(w, r, new, self._top) for g, w in (cats.weights if cats else {}).items()}
            r = new
        else:
            groups = {g: dict(w) for g, w in (cats.weights if cats else {}).items()}
        for k in self.category_sets:
            partial = not set(self._top) <= set(groups[k])
            if k in changed or (partial and BASE in changed):  # a whole set, never mixed with the base
                groups[k].update(self.weight_sets[k])
        if cats is not None:
            proxy = MappingProxyType({g: MappingProxyType(w) for g, w in groups.items()})
            r = replace(r, categories=replace(cats, weights=proxy))
        return apply_scenario(r, self.scenario())

    # ------------------------------------------------------------------ results
    def card(self):
        """The scorecard of the current controls: the compiled rubric of the chosen scheme, scored
        by the kernel with the weight sets, party weight, quota and veto as variants."""
        from ..scenario import Scenario, apply_scenario
        from ..scoring.engine import score_inputs, scorecard
        from ..scoring.kernel import evaluate

        scenario = self.scenario()
        key = (self.scheme, self.other_column)  # the party weight is a variant, not a new program
        if key not in self._compiled:  # once per scheme: the data are validated and ruled once
            scheme_rubric = apply_scenario(self.rubric, Scenario(scheme=scenario.scheme))
            self._compiled[key] = score_inputs(scheme_rubric, self.data)
        base, program, inputs = self._compiled[key]
        variants = {}
        changed = self.changed()
        if changed:
            w = np.full((1, len(program.raw), len(program.nodes)), np.nan)
            for k in changed:
                w[0, self._keys.index(k), self._top_pos] = [self.weight_sets[k][b] for b in self._top]
            variants["weights"] = w
        if program.scheme == "weighted":
            variants["party_weight"] = np.array([self.party_weight], dtype=float)
        if program.names and scenario.quota != dict(self.rubric.grades.quota):
            variants["quota"] = np.array([[scenario.quota.get(g, np.nan) for g in program.names]])
        if not self.veto_on and program.veto_codes:
            variants["veto"] = np.zeros((1, len(program.veto_codes)), dtype=bool)
        ev = evaluate(program, inputs, details=True, **variants)
        # the card carries the rubric the controls describe, so it explains itself correctly
        return scorecard(self.rubric_now(), program, inputs, ev, base.index, base._arrays["values"])

    def _names(self, card) -> pd.Series:
        names = unit_names(self.data)
        return pd.Series(card.index, index=card.index) if names is None else names.reindex(card.index)

    def table(self, card=None, top: int | None = None) -> pd.DataFrame:
        """Ranking with the change against the rubric as written (positive = moved up)."""
        card = card or self.card()
        cols = {_("Name"): self._names(card)}
        if card.category is not None:
            cols[_("Category")] = card.category
        cols.update(
            {
                _("Score"): card.final.round(2),
                _("Grade"): card.grade.astype(object),
                _("Rank"): card.rank,
                _("Rank change"): self.baseline.rank - card.rank,
                _("Grade before"): self.baseline.grade.astype(object),
            }
        )
        frame = pd.DataFrame(cols).sort_values(_("Rank"), kind="stable")
        return frame if top is None else frame.head(top)

    def counts(self, card=None) -> pd.DataFrame:
        """Units per grade: the rubric as written and the current controls."""
        card = card or self.card()
        if not self.rubric.grades.bands:
            return pd.DataFrame()
        return pd.DataFrame({_("as written"): self.baseline.grade_counts(), _("now"): card.grade_counts()}).T

    def changes(self, card=None) -> pd.DataFrame:
        """Units whose grade changes, best new rank first, and why (see :func:`grade_changes`)."""
        from ._simulator_why import grade_changes

        return grade_changes(self, card or self.card())

    def differences(self) -> list:
        """What the controls change against the rubric as written (see :func:`differences`)."""
        from ._simulator_why import differences

        return differences(self)

    def explain(self, unit, card=None):
        """Why ``unit`` has its score, grade and rank under the current controls."""
        return (card or self.card()).explain(unit, lang="en" if language() == "en" else "zh")


def _rescaled(overrides, old, new, top) -> dict:
    """A category's overrides after ``old.with_weights`` gave ``new``: overrides below the top
    blocks are relative to siblings whose weights were re-expressed, so they scale with them."""
    out = {}
    for c, w in overrides.items():
        if c in top:
            out[c] = float(w)
            continue
        kids = old.nodes[old.nodes[c].parent].children
        ref = next((k for k in (c, *kids) if old.nodes[k].weight > 0), c)
        before = old.nodes[ref].weight
        out[c] = float(w) * (new.nodes[ref].weight / before if before > 0 else 1.0)
    return out
