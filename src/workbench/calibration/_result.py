"""The result of :func:`ahp_weights_for_rubric` and the weighted rubric it writes back."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field, replace
from types import MappingProxyType

import pandas as pd

from .._i18n import _
from .._results import ResultMixin
from ..errors import WorkbenchWarning, check_option

__all__ = ["AHPWeights", "category_clash", "qname"]


@dataclass(frozen=True, repr=False, eq=False)
class AHPWeights(ResultMixin):
    """A panel's AHP weights mapped onto a rubric.

    Attributes
    ----------
    weights : DataFrame
        One row per rubric node (blocks and indicators, file order): ``name``, ``parent``,
        ``level``, ``stated_local`` / ``stated_global`` (the rubric's own weights), ``local`` and
        ``global`` (after the panel), ``source`` ("panel" when the panel judged the node against its
        siblings, "rubric" when the node's block was not judged and keeps the rubric's weights),
        and, with a bootstrap, ``mean``, ``sd`` and the interval columns (e.g. ``q05``, ``q95``).
    global_weights : Series
        Weight of every indicator in the root (sum 1).
    local : dict of Series
        The panel's aggregated local weights of each judged block's children.
    aggregate_cr : Series
        Consistency ratio of each judged block's aggregated matrix (NaN when priorities were
        aggregated).
    cr : DataFrame
        Experts x judged blocks: each expert's consistency ratio.
    inconsistent : DataFrame
        ``expert``, ``parent``, ``cr``: blocks where an expert's CR exceeds ``threshold``.
    worst : DataFrame
        For every expert and judged block, the ``k`` judgments furthest from the expert's own
        priorities: ``expert``, ``parent``, ``row``, ``column``, ``judgment``, ``consistent``,
        ``suggested``, ``cr``, ``cr_after`` (see :func:`workbench.ahp.most_inconsistent`) and
        ``inconsistent`` (the block's CR exceeds ``threshold``).
    completed : DataFrame
        Missing judgments and their estimates: ``expert``, ``parent``, ``row``, ``column``,
        ``estimate``.
    per_expert : DataFrame
        Experts x indicators: each expert's own global weights (rubric weights where not judged).
    bootstrap : BootstrapResult or None
    judged, unjudged : tuple of str
        Blocks whose children the panel weighed, and blocks that keep the rubric's local weights.
    settings : dict
    notes : tuple of str
    """

    weights: pd.DataFrame
    global_weights: pd.Series
    local: dict
    aggregate_cr: pd.Series
    cr: pd.DataFrame
    inconsistent: pd.DataFrame
    worst: pd.DataFrame
    completed: pd.DataFrame
    per_expert: pd.DataFrame
    bootstrap: object
    judged: tuple
    unjudged: tuple
    source: object = field(repr=False)
    settings: dict = field(default_factory=dict)
    notes: tuple = ()

    def to_frame(self) -> pd.DataFrame:
        return self.weights

    def _summary_title(self) -> str:
        return _("AHP weights for rubric {code} ({n} experts)").format(code=self.source.code, n=len(self.cr))

    def _summary_facts(self) -> dict:
        bad = sorted(set(self.inconsistent["expert"]))
        facts = {
            _("aggregation"): self.settings.get("aggregate"),
            _("judged blocks"): _(", ").join(self.judged),
            _("inconsistent experts"): _(", ").join(map(str, bad)) or _("none"),
        }
        for i, note in enumerate(self.notes, 1):
            facts[_("note {i}").format(i=i)] = note
        return facts

    @property
    def inconsistent_experts(self) -> list:
        """Experts with a CR above the threshold in at least one block (worst first)."""
        return list(dict.fromkeys(self.inconsistent["expert"]))

    def rubric(self, categories="keep"):
        """The source rubric with the panel's local weights (``Rubric.with_weights(level="local")``).

        Parameters
        ----------
        categories : {"keep", "drop"}, default="keep"
            Category-specific weights (分类指导) of the judged elements override the new weights
            when units are scored. "keep" leaves them (with a warning); "drop" removes them for the
            judged elements so every category is scored with the panel's weights.

        Returns
        -------
        Rubric
            Write it with :func:`workbench.save_rubric`; its ``full_marks()`` are the global
            weights times the rubric scale.
        """
        check_option(categories, ("keep", "drop"), name="categories", func="AHPWeights.rubric")
        mapping = {c: float(w) for s in self.local.values() for c, w in s.items()}
        out = self.source.with_weights(mapping, level="local")
        cats = out.categories
        clash = category_clash(cats, mapping)
        if clash and categories == "keep":
            warnings.warn(
                _(
                    "AHPWeights.rubric: categories {clash} carry their own weights for "
                    "{indicators}; scoring uses those, not the panel's. Pass "
                    "categories='drop' to apply the panel's weights to every category."
                ).format(clash=clash, indicators=sorted(mapping.keys() & _codes(cats))),
                WorkbenchWarning,
                stacklevel=2,
            )
        elif clash:
            groups = {
                g: MappingProxyType({c: w for c, w in ws.items() if c not in mapping})
                for g, ws in cats.weights.items()
            }
            groups = {g: ws for g, ws in groups.items() if ws}
            out = replace(out, categories=replace(cats, weights=MappingProxyType(groups)))
        return out


def qname(q: float) -> str:
    """Column name of a quantile, as in ``workbench.ahp.bootstrap``: 0.05 -> q05, 0.975 -> q97.5."""
    return f"q{100 * q:02.0f}" if float(100 * q).is_integer() else f"q{100 * q:g}"


def _codes(cats) -> set:
    return set() if cats is None else {c for ws in cats.weights.values() for c in ws}


def category_clash(cats, mapping) -> list:
    if cats is None:
        return []
    return [g for g, ws in cats.weights.items() if set(ws) & set(mapping)]
