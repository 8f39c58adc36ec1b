"""The interactive weight simulator (ipywidgets) for policy offices.

Sliders for the block weights (kept summing to 100), a scheme menu (party building alone, a
fixed weight in a comprehensive score, Hangzhou's dual-100, the multiplicative scheme), quota and
veto switches; the ranking table, grade counts and rank-change chart update on every change.
All computing goes through the scoring kernel (:mod:`workbench.scoring.kernel`): the rubric of the
chosen scheme is compiled and the data prepared once, and every change of the controls is one
kernel pass with the new weights, party weight, quota and veto as a variant.
:class:`SimulatorState` holds the logic so it is tested without a browser.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..io import unit_names

__all__ = ["SimulatorState", "rebalance", "weight_simulator", "rank_change_png"]

SCHEMES = {
    "single": "党建考核单独评定 / party building alone",
    "weighted": "固定权重综合考核 / fixed weight in a comprehensive score",
    "dual100": "双百分 / dual-100 grade matrix",
    "multiplicative": "双乘数 / multiplicative",
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


_CONTROLS = ("weights", "scheme", "party_weight", "quota_on", "quota_share", "veto_on")


@dataclass
class SimulatorState:
    """What the simulator shows for the current controls (no widgets involved).

    Setting a control (``state.scheme = "weighted"``) also moves the widget's controls and redraws
    it (through :meth:`on_change` listeners), so code below the widget in a notebook describes the
    same scenario the widget shows, live and in an exported page.
    """

    rubric: object
    data: pd.DataFrame
    other_column: str | None = "econ_score"
    other_name: str = "经济社会发展得分"
    weights: dict = field(default_factory=dict)
    scheme: str = "single"
    party_weight: float = 0.02
    quota_on: bool = True
    quota_share: float = 0.2
    veto_on: bool = True

    def __setattr__(self, name, value):
        super().__setattr__(name, value)
        if name in _CONTROLS:
            for listener in self.__dict__.get("_listeners", ()):
                listener(name)

    def on_change(self, listener) -> None:
        """Call ``listener(control name)`` whenever a control is set."""
        self.__dict__.setdefault("_listeners", []).append(listener)

    def __post_init__(self):
        from ..scoring import score

        full = self.rubric.full_marks()
        total = sum(float(full[b]) for b in self.rubric.top_blocks)
        if not self.weights:
            self.weights = rebalance(
                {b: round(float(full[b]) * 100 / total) for b in self.rubric.top_blocks},
                self.rubric.top_blocks[0],
                round(float(full[self.rubric.top_blocks[0]]) * 100 / total),
            )
        if self.rubric.scheme.type != "single":
            self.scheme = self.rubric.scheme.type
            self.other_column = self.rubric.scheme.other_column
            self.other_name = self.rubric.scheme.other_name or self.other_column
            self.party_weight = self.rubric.scheme.party_weight or self.party_weight
        self.initial_weights = dict(self.weights)
        top = self.rubric.grades.names[0] if self.rubric.grades.bands else None
        if top is not None and top in self.rubric.grades.quota:
            self.quota_share = float(self.rubric.grades.quota[top])
        self.initial_quota = self.quota_share
        self._compiled = {}  # scheme -> (scorecard, program, inputs) of the data under that scheme
        self.baseline = score(self.rubric, self.data)

    @property
    def schemes(self) -> dict:
        """Schemes available: those needing another score only when the data have it."""
        if self.other_column and self.other_column in self.data.columns:
            return SCHEMES
        return {"single": SCHEMES["single"]}

    def scenario(self):
        from ..scenario import Scenario

        top = self.rubric.grades.names[0] if self.rubric.grades.bands else None
        quota = ({top: self.quota_share} if top else {}) if self.quota_on else {}
        if self.quota_on and top and abs(self.quota_share - self.initial_quota) < 1e-12:
            quota = dict(self.rubric.grades.quota)  # untouched: keep the rubric's quotas as written
        scheme = {"type": self.scheme}
        if self.scheme != "single":
            scheme["other"] = {"column": self.other_column, "name": self.other_name}
        if self.scheme == "weighted":
            scheme["party_weight"] = self.party_weight
        # weights enter only once changed: the rubric's own (possibly per-category) weights stand until then
        weights = dict(self.weights) if self.weights != self.initial_weights else None
        return Scenario(
            name="simulator",
            weights=weights,
            scheme=scheme,
            quota=quota if self.rubric.grades.bands else None,
            veto=self.veto_on,
        )

    def card(self):
        """The scorecard of the current controls: the compiled rubric of the chosen scheme, scored
        by the kernel with the sliders' weights, the party weight, quota and veto as variants."""
        from ..scenario import Scenario, apply_scenario
        from ..scoring.engine import score_inputs, scorecard, weight_overrides
        from ..scoring.kernel import evaluate

        scenario = self.scenario()
        key = (self.scheme, self.other_column)  # the party weight is a variant, not a new program
        if key not in self._compiled:  # once per scheme: the data are validated and ruled once
            scheme_rubric = apply_scenario(self.rubric, Scenario(scheme=scenario.scheme))
            self._compiled[key] = score_inputs(scheme_rubric, self.data)
        base, program, inputs = self._compiled[key]
        variants = {}
        if scenario.weights:
            variants["weights"] = weight_overrides(program, scenario.weights, func="weight_simulator")
        if program.scheme == "weighted":
            variants["party_weight"] = np.array([self.party_weight], dtype=float)
        if program.names and scenario.quota != dict(self.rubric.grades.quota):
            variants["quota"] = np.array([[scenario.quota.get(g, np.nan) for g in program.names]])
        if not self.veto_on and program.veto_codes:
            variants["veto"] = np.zeros((1, len(program.veto_codes)), dtype=bool)
        ev = evaluate(program, inputs, details=True, **variants)
        # the card carries the rubric the controls describe, so it explains itself correctly
        return scorecard(apply_scenario(self.rubric, scenario), program, inputs, ev, base.index,
                         base._arrays["values"])  # fmt: skip

    def table(self, card=None, top: int | None = None) -> pd.DataFrame:
        """Ranking with the change against the rubric as written (positive = moved up)."""
        card = card or self.card()
        names = unit_names(self.data)
        names = pd.Series(card.index, index=card.index) if names is None else names
        frame = pd.DataFrame(
            {
                "名称": names.reindex(card.index),
                "得分": card.final.round(2),
                "等次": card.grade.astype(object),
                "排名": card.rank,
                "排名变化": self.baseline.rank - card.rank,
                "原等次": self.baseline.grade.astype(object),
            }
        ).sort_values("排名", kind="stable")
        return frame if top is None else frame.head(top)

    def counts(self, card=None) -> pd.DataFrame:
        card = card or self.card()
        if not self.rubric.grades.bands:
            return pd.DataFrame()
        return pd.DataFrame({"原方案": self.baseline.grade_counts(), "调整后": card.grade_counts()}).T


def rank_change_png(table: pd.DataFrame) -> bytes:
    """The rank-change chart as PNG bytes.

    Drawn to bytes rather than shown with ``plt.show()``: under a non-interactive backend (papermill,
    Voila) ``show`` displays nothing, which left the exported page's chart empty. With no change at
    all, the chart says so instead of drawing bars of height 0.
    """
    from .plots import _pyplot, figure_png

    plt = _pyplot()
    change = table["排名变化"].to_numpy()
    fig, ax = plt.subplots(figsize=(7, 3.2))
    ax.bar(np.arange(len(change)), change, color=np.where(change >= 0, "#009E73", "#D55E00"))
    ax.axhline(0, color="#666", lw=0.6)
    if not np.any(change):
        ax.text(
            0.5,
            0.5,
            "排名与原方案相同 / ranks as in the rubric as written",
            transform=ax.transAxes,
            ha="center",
            va="center",
            color="#666",
        )
        ax.set_ylim(-1, 1)
    ax.set_xlabel("按新排名排列的单位 / units by new rank")
    ax.set_ylabel("排名变化 / rank change")
    fig.tight_layout()
    return figure_png(fig, dpi=110)


def weight_simulator(rubric, data: pd.DataFrame, *, top: int = 20):
    """The simulator as an ipywidgets box (display it in a notebook or serve it with Voila)."""
    import ipywidgets as w
    from IPython.display import Image, display

    from .fonts import font_face_css, setup_fonts

    setup_fonts()
    state = SimulatorState(rubric, data)
    sliders = {
        b: w.IntSlider(
            value=int(state.weights[b]),
            min=0,
            max=100,
            step=1,
            description=rubric.nodes[b].name,
            continuous_update=False,
            style={"description_width": "8em"},
            layout=w.Layout(width="28em"),
        )
        for b in rubric.top_blocks
    }
    scheme = w.Dropdown(
        options=[(v, k) for k, v in state.schemes.items()],
        value=state.scheme if state.scheme in state.schemes else "single",
        description="考核方式",
        style={"description_width": "8em"},
        layout=w.Layout(width="36em"),
    )
    party = w.FloatSlider(
        value=state.party_weight,
        min=0.0,
        max=0.5,
        step=0.01,
        readout_format=".0%",
        description="党建权重",
        continuous_update=False,
        style={"description_width": "8em"},
    )
    quota_on = w.Checkbox(value=state.quota_on, description="实行优秀名额限制 / quota")
    quota = w.FloatSlider(
        value=state.quota_share,
        min=0.05,
        max=0.5,
        step=0.01,
        readout_format=".0%",
        description="优秀名额",
        continuous_update=False,
        style={"description_width": "8em"},
    )
    veto_on = w.Checkbox(value=state.veto_on, description="执行一票否决 / veto")
    total = w.HTML()
    out_counts, out_table, out_chart = w.Output(), w.Output(), w.Output()
    busy = {"on": False}

    def refresh(*_):
        card = state.card()
        total.value = f"<b>权重合计 {sum(state.weights.values()):.0f} / 100</b>"
        party.layout.display = "" if state.scheme == "weighted" else "none"
        for box, content in ((out_counts, state.counts(card)), (out_table, state.table(card, top))):
            box.clear_output(wait=True)
            with box:
                display(content)
        out_chart.clear_output(wait=True)
        with out_chart:
            display(Image(rank_change_png(state.table(card))))

    def on_slider(change, code):
        if busy["on"]:
            return
        busy["on"] = True
        state.weights = rebalance(state.weights, code, change["new"])
        for b, s in sliders.items():
            s.value = int(state.weights[b])
        busy["on"] = False
        refresh()

    for b, s in sliders.items():
        s.observe(lambda ch, b=b: on_slider(ch, b), names="value")

    def on_control(_):
        if busy["on"]:
            return
        busy["on"] = True
        state.scheme, state.party_weight = scheme.value, party.value
        state.quota_on, state.quota_share, state.veto_on = quota_on.value, quota.value, veto_on.value
        busy["on"] = False
        refresh()

    for ctl in (scheme, party, quota_on, quota, veto_on):
        ctl.observe(on_control, names="value")
    refresh()
    # Voila and JupyterLab use the reader's fonts; embed the glyphs this view can show so Chinese
    # renders even where no CJK font is installed
    text = (
        "".join(n.name for n in rubric.nodes.values())
        + "".join(rubric.grades.names)
        + "".join(SCHEMES.values())
    )
    names = unit_names(data)
    text += "".join(names) if names is not None else ""
    text += "板块权重合计考核方式党建实行优秀名额限制执行一票否决等次分布排名变化原方案调整后名称得分按新排列的单位"
    style = w.HTML(
        f"<style>{font_face_css(text)} .jupyter-widgets, .widget-label, .jp-OutputArea-output, select, "
        "option { font-family: 'WorkbenchCJK', sans-serif !important; }</style>"
    )
    controls = w.VBox(
        [
            style,
            w.HTML("<b>板块权重 / block weights</b>"),
            *sliders.values(),
            total,
            scheme,
            party,
            w.HBox([quota_on, quota]),
            veto_on,
        ]
    )
    box = w.VBox(
        [
            controls,
            w.HTML("<b>等次分布 / grades</b>"),
            out_counts,
            w.HTML("<b>排名 / ranking</b>"),
            out_table,
            w.HTML("<b>排名变化 / rank change vs the rubric as written</b>"),
            out_chart,
        ]
    )

    def follow_state(_name):
        # the state was set from code (e.g. a notebook cell below): show it in the controls
        if busy["on"]:
            return
        busy["on"] = True
        for b, s in sliders.items():
            s.value = int(state.weights[b])
        if state.scheme in state.schemes:
            scheme.value = state.scheme
        party.value, quota_on.value = state.party_weight, state.quota_on
        quota.value, veto_on.value = state.quota_share, state.veto_on
        busy["on"] = False
        refresh()

    state.on_change(follow_state)
    box.state = state  # for tests and for users who want the numbers behind the view
    return box
