"""The interactive weight simulator (ipywidgets) for policy offices.

The rubric's categories (分类指导) and their block weights stand in a table; the sliders edit one
category's weights (kept summing to 100), or every category at once when the user chooses so; a
scheme menu (party building alone, a fixed weight in a comprehensive score, Hangzhou's dual-100,
the multiplicative scheme), quota and veto switches. Grade counts, the units whose grade changes
with the reasons, one unit's explanation, the ranking and the rank-change chart update on every
change; the adjusted rubric (YAML) and the results (Excel) download from the page. The logic is
:class:`~workbench.report.simulator.SimulatorState` (tested without a browser); this module only
wires widgets to it. :func:`workbench.report.app.simulator_app` adds picking and uploading files.
"""

from __future__ import annotations

import functools
import html

import numpy as np
import pandas as pd

from .._i18n import _
from ..errors import WorkbenchError
from ..io import unit_names
from .simulator import ALL, SCHEMES, SimulatorState, rebalance

__all__ = ["SimulatorState", "rebalance", "weight_simulator", "rank_change_png", "weights_html", "SCHEMES"]

_WIDE = {"description_width": "12em"}
_SHOWN = 200  # units listed on the page; the results download lists them all


def labels() -> dict:
    """The simulator's labels in the current language (one place for all of them)."""
    return {
        "weights": _("Block weights by category"),
        "weights_one": _("Block weights"),
        "edit": _("Sliders edit"),
        "total": _("weights of the edited set: {total:.0f} / 100"),
        "reset": _("Back to the rubric's weights"),
        "scheme": _("Scheme"),
        "party": _("Party weight"),
        "quota_on": _("Limit the top grade (quota)"),
        "quota": _("Top-grade quota"),
        "veto_on": _("Apply one-vote veto items"),
        "grades": _("Grades: the rubric as written and now"),
        "changes": _("Units whose grade changes, and why"),
        "no_change": _("No unit changes grade."),
        "unit": _("Explain unit"),
        "ranking": _("Ranking"),
        "chart": _("Rank change against the rubric as written"),
        "prepare": _("Prepare downloads"),
        "preparing": _("Preparing the files..."),
        "more": _("... and {n} more: every unit is in the results download."),
        "rubric_file": _("adjusted rubric (YAML)"),
        "results_file": _("results (Excel)"),
        "was": _("was {value:g}"),
        "differences": _("Against the rubric as written: {changes}."),
        "as_written": _("The controls are those of the rubric as written."),
        "all_note": _(
            "Editing every category at once: each slider move changes the same block by the same "
            "points in every category; the other blocks of each category make room in proportion."
        ),
    }


def weights_html(state: SimulatorState) -> str:
    """The weight sets as an HTML table: blocks in rows, categories in columns, the edited set
    highlighted, changed weights with the rubric's value beside them (all text escaped)."""
    now, before = state.weights_frame(), state.weights_frame(initial=True)
    edited = None if state.scope == ALL else state.scopes[state.scope]
    was = labels()["was"]
    head = "".join(
        f"<th style='padding:2px 8px;{_mark(c == edited or state.scope == ALL)}'>{html.escape(str(c))}</th>"
        for c in now.columns
    )
    rows = []
    for block in now.index:
        cells = []
        for c in now.columns:
            a, b = now.at[block, c], before.at[block, c]
            text = (
                f"{a:.1f}"
                if abs(a - b) < 1e-9
                else f"<b>{a:.1f}</b> <small>({was.format(value=round(b, 1))})</small>"
            )
            style = f"padding:2px 8px;text-align:right;{_mark(c == edited or state.scope == ALL)}"
            cells.append(f"<td style='{style}'>{text}</td>")
        rows.append(
            f"<tr><th style='text-align:left;padding:2px 8px'>{html.escape(str(block))}</th>{''.join(cells)}</tr>"
        )
    return f"<table style='border-collapse:collapse'><tr><th></th>{head}</tr>{''.join(rows)}</table>"


_TABLE_CSS = (
    "table.wb-table { border-collapse: collapse; font-size: 13px; margin: .3em 0 .8em 0; }"
    "table.wb-table th { background: #f3efe8; } table.wb-table th, table.wb-table td { "
    "border-bottom: 1px solid #e2ddd5; padding: 2px 8px; } table.wb-table .num { text-align: right; "
    "white-space: nowrap; } table.wb-table .text { text-align: left; } "
    "table.wb-table td.text:last-child { min-width: 18em; }"
)


def frame_html(frame: pd.DataFrame, *, index_label: str | None = None, scroll: bool = False) -> str:
    """A table as escaped HTML (text left, numbers right, scores to 2 decimals)."""
    from .document import block_html, table_block

    frame = frame.copy()
    frame.index.name = index_label if index_label is not None else frame.index.name
    digits = {str(c): 2 for c in frame.columns if frame[c].dtype.kind == "f"}
    table = block_html(table_block(frame, digits=digits))
    return f"<div style='max-height:30em;overflow:auto'>{table}</div>" if scroll else table


def _mark(on: bool) -> str:
    return "background:#fbeee0;" if on else ""


def rank_change_png(table: pd.DataFrame) -> bytes:
    """The rank-change chart as PNG bytes.

    Drawn to bytes rather than shown with ``plt.show()``: under a non-interactive backend (papermill,
    Voila) ``show`` displays nothing, which left the exported page's chart empty. With no change at
    all, the chart says so instead of drawing bars of height 0.
    """
    from .plots import _pyplot, figure_png

    plt = _pyplot()
    change = table[_("Rank change")].to_numpy()
    fig, ax = plt.subplots(figsize=(7, 3.2))
    colors = np.where(change >= 0, "#009E73", "#D55E00")
    if len(change) <= 500:
        ax.bar(np.arange(len(change)), change, color=colors)
    else:  # one line per unit: a bar per unit takes seconds at 50,000 units, lines take milliseconds
        ax.vlines(np.arange(len(change)), 0, change, colors=colors, linewidth=0.5)
    ax.axhline(0, color="#666", lw=0.6)
    if not np.any(change):
        ax.text(
            0.5,
            0.5,
            _("ranks as in the rubric as written"),
            transform=ax.transAxes,
            ha="center",
            va="center",
            color="#666",
        )
        ax.set_ylim(-1, 1)
    ax.set_xlabel(_("units by new rank"))
    ax.set_ylabel(_("Rank change"))
    fig.tight_layout()
    return figure_png(fig, dpi=110)


@functools.cache
def _interface_text() -> str:
    """Every Chinese text the interface can show: the message catalogue, the briefing's words
    (grade reasons) and the explanation's words."""
    from .._i18n import translations
    from ..scoring.explain import _T
    from .catalogue import _ZH

    values = [str(v) for v in translations("zh")._catalog.values()]  # noqa: SLF001
    return "".join(values) + "".join(map(str, _ZH.values())) + "".join(map(str, _T["zh"].values()))


@functools.cache
def _page_text() -> str:
    """The simulator notebook's own text (its headings and explanations sit around the widgets)."""
    from ..examples import shipped_root

    try:
        return (shipped_root() / "notebooks" / "01_weight_simulator.py").read_text(encoding="utf-8")
    except OSError:
        return ""


def glyph_style(*texts) -> str:
    """A ``<style>`` embedding the glyphs of the interface and of ``texts`` (Voila and JupyterLab use
    the reader's fonts, which may have no Chinese)."""
    from .fonts import font_face_css

    chars = "".join(sorted(set(_interface_text() + _page_text() + "".join(map(str, texts)))))
    return (
        f"<style>{font_face_css(chars)} .jupyter-widgets, .widget-label, .jp-OutputArea-output, select, "
        ".jp-RenderedMarkdown, .jp-RenderedHTMLCommon, "
        f"option, button, table {{ font-family: 'WorkbenchCJK', sans-serif !important; }} "
        ".jp-RenderedHTMLCommon pre, .jp-RenderedHTMLCommon code, .jp-RenderedHTMLCommon pre span { "
        "font-family: Menlo, Consolas, 'DejaVu Sans Mono', 'WorkbenchCJK', monospace !important; } "
        f"{_TABLE_CSS}</style>"
    )


def weight_simulator(rubric=None, data: pd.DataFrame | None = None, *, top: int = 20, state=None):
    """The simulator as an ipywidgets box (display it in a notebook or serve it with Voila).

    Give ``rubric`` and ``data``, or a ready :class:`SimulatorState` as ``state``. The box's
    ``state`` attribute is the state it shows; setting its controls from code moves the widgets.
    """
    import ipywidgets as w
    from IPython.display import Image, display

    from .fonts import setup_fonts
    from .simulator_files import download_link, results_download, rubric_download

    setup_fonts()
    state = state if state is not None else SimulatorState(rubric, data)
    rubric, data, t = state.rubric, state.data, labels()
    sliders = {
        b: w.IntSlider(
            value=int(round(state.weights[b])),
            min=0,
            max=100,
            description=rubric.nodes[b].name,
            continuous_update=False,
            style=_WIDE,
            layout=w.Layout(width="30em"),
        )
        for b in rubric.top_blocks
    }
    scope = w.Dropdown(
        options=[(v, k) for k, v in state.scopes.items()],
        value=state.scope,
        description=t["edit"],
        style=_WIDE,
        layout=w.Layout(width="40em"),
    )
    scope.layout.display = "" if len(state.scopes) > 1 else "none"
    scheme = w.Dropdown(
        options=[(v, k) for k, v in state.schemes.items()],
        value=state.scheme if state.scheme in state.schemes else "single",
        description=t["scheme"],
        style=_WIDE,
        layout=w.Layout(width="40em"),
    )
    party = w.FloatSlider(
        value=state.party_weight,
        min=0.0,
        max=0.5,
        step=0.01,
        readout_format=".0%",
        description=t["party"],
        continuous_update=False,
        style=_WIDE,
    )
    quota_on = w.Checkbox(value=state.quota_on, description=t["quota_on"])
    quota = w.FloatSlider(
        value=state.quota_share,
        min=0.05,
        max=0.5,
        step=0.01,
        readout_format=".0%",
        description=t["quota"],
        continuous_update=False,
        style=_WIDE,
    )
    veto_on = w.Checkbox(value=state.veto_on, description=t["veto_on"])
    reset, prepare = w.Button(description=t["reset"]), w.Button(description=t["prepare"])
    table_html, total, note, status, links = w.HTML(), w.HTML(), w.HTML(), w.HTML(), w.HTML()
    unit = w.Dropdown(description=t["unit"], style=_WIDE, layout=w.Layout(width="40em"))
    explain_html = w.HTML()
    out_counts, out_changes, out_table, out_chart = w.HTML(), w.HTML(), w.HTML(), w.Output()
    busy = {"on": False}
    controls = {
        "scheme": scheme,
        "party_weight": party,
        "quota_on": quota_on,
        "quota_share": quota,
        "veto_on": veto_on,
        "scope": scope,
    }

    def refresh():
        table_html.value = weights_html(state)
        total.value = f"<b>{html.escape(t['total'].format(total=sum(state.weights.values())))}</b>"
        note.value = f"<i>{html.escape(t['all_note'])}</i>" if state.scope == ALL else ""
        party.layout.display = "" if state.scheme == "weighted" else "none"
        links.value = ""  # a download always describes the controls as they are now
        try:
            card = state.card()
        except WorkbenchError as exc:
            status.value = f"<pre style='color:#a00;white-space:pre-wrap'>{html.escape(str(exc))}</pre>"
            return
        status.value = ""
        box.card = card
        changes, unit_label = state.changes(card), _("Unit")
        out_counts.value = frame_html(state.counts(card), index_label="")
        said = _(", ").join(state.differences())
        said = t["differences"].format(changes=said) if said else t["as_written"]
        shown = frame_html(changes.head(_SHOWN), index_label=unit_label, scroll=True) if len(changes) else ""
        if len(changes) > _SHOWN:
            shown += f"<p>{html.escape(t['more'].format(n=len(changes) - _SHOWN))}</p>"
        out_changes.value = (
            f"<p>{html.escape(said)} {html.escape(t['no_change']) if not len(changes) else ''}</p>{shown}"
        )
        ranking = state.table(card)
        out_table.value = frame_html(ranking.head(top), index_label=unit_label)
        out_chart.clear_output(wait=True)
        with out_chart:
            display(Image(rank_change_png(ranking)))
        ids = list(changes.index) or list(ranking.index[: min(top, len(ranking))])
        names = ranking[_("Name")].reindex(ids).astype(str)
        busy["on"] = True
        chosen = unit.value
        unit.options = [(f"{i} {n}" if n != str(i) else str(i), i) for i, n in zip(ids, names)]
        unit.value = chosen if chosen in ids else (ids[0] if ids else None)  # the unit looked at stays
        busy["on"] = False
        explain_unit()

    def explain_unit(*_args):
        if busy["on"] or unit.value is None or getattr(box, "card", None) is None:
            explain_html.value = ""
            return
        text = str(state.explain(unit.value, box.card))
        explain_html.value = f"<pre style='font-size:12px;white-space:pre-wrap'>{html.escape(text)}</pre>"

    def follow_state(_name):
        busy["on"] = True
        for b, s in sliders.items():
            s.value = int(round(state.weights[b]))
        for name, ctl in controls.items():
            value = getattr(state, name)
            if name != "scheme" or value in state.schemes:
                ctl.value = value
        busy["on"] = False
        refresh()

    def on_slider(change, block):
        if not busy["on"]:
            state.set_weight(block, change["new"])

    def on_control(change, name):
        if not busy["on"]:
            setattr(state, name, change["new"])

    def on_prepare(_button):
        links.value = html.escape(t["preparing"])  # sent at once: a province takes seconds
        card = getattr(box, "card", None) or state.card()
        parts = [
            (rubric_download(state), t["rubric_file"]),
            (results_download(state, card), t["results_file"]),
        ]
        links.value = "".join(download_link(name, data, label) for (name, data), label in parts)

    for b, s in sliders.items():
        s.observe(lambda ch, b=b: on_slider(ch, b), names="value")
    for name, ctl in controls.items():
        ctl.observe(lambda ch, n=name: on_control(ch, n), names="value")
    unit.observe(explain_unit, names="value")
    reset.on_click(lambda _b: state.reset())
    prepare.on_click(on_prepare)
    state.on_change(follow_state)
    names = unit_names(data)
    style = w.HTML(
        glyph_style(
            *(n.name for n in rubric.nodes.values()),
            *rubric.grades.names,
            *state.scopes.values(),
            *(names if names is not None else ()),
            *data.index.astype(str),
        )
    )
    head = lambda key: w.HTML(f"<b>{html.escape(t[key])}</b>")  # noqa: E731
    box = w.VBox(
        [
            style,
            head("weights" if len(state.weight_sets) > 1 else "weights_one"),
            table_html,
            scope,
            note,
            *sliders.values(),
            w.HBox([total, reset]),
            scheme,
            party,
            w.HBox([quota_on, quota]),
            veto_on,
            status,
            head("grades"),
            out_counts,
            head("changes"),
            out_changes,
            unit,
            explain_html,
            head("ranking"),
            out_table,
            head("chart"),
            out_chart,
            w.HBox([prepare, links]),
        ]
    )
    box.state, box.card = state, None  # for tests and for users who want the numbers behind the view
    refresh()
    return box
