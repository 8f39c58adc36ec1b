"""The weight-simulator app (``make app``: Voila on 127.0.0.1): pick a shipped rubric or upload a
rubric and data, then simulate (:func:`workbench.report.widgets.weight_simulator`).

Uploads are checked by :func:`workbench.report.simulator_files.load_inputs`, with the command
line's messages; a file that does not fit leaves the simulator as it was and says why. Nothing is
fetched from the network and nothing leaves the machine: uploads go from the page to the local
kernel, downloads come back as links in the page.
"""

from __future__ import annotations

import html

from .._i18n import _
from ..errors import WorkbenchError

__all__ = ["simulator_app"]


def labels() -> dict:
    """The app's labels in the current language (one place for all of them)."""
    return {
        "title": _("Choose the rubric and the data"),
        "shipped": _("Shipped rubric"),
        "rubric": _("Upload a rubric (.yaml)"),
        "data": _("Upload data (.xlsx or .csv)"),
        "sheet": _("Excel sheet"),
        "sheet_hint": _("first sheet"),
        "load": _("Load"),
        "loaded": _("Loaded: rubric {rubric} ({name}); data {data}: {n} units."),
        "help": _(
            "Without uploads the shipped rubric is simulated on its sample data. An uploaded rubric "
            "replaces the shipped one; uploaded data are checked against the rubric as `workbench check` "
            "checks them."
        ),
        "warning": _("Warning: {message}"),
        "error": _("Not loaded: {message}"),
    }


def simulator_app(choice: str = "cq_organs", *, data_path=None, top: int = 20):
    """The app as an ipywidgets box: a file chooser above the simulator.

    Parameters
    ----------
    choice : str, default='cq_organs'  the shipped rubric shown first (or a rubric file's path)
    data_path : path, optional  data for it (default: the rubric's sample data)
    top : int  rows of the ranking shown

    The box's ``state`` is the :class:`~workbench.report.simulator.SimulatorState` shown now, and
    ``load(choice=..., rubric_file=(name, bytes), data_file=(name, bytes), sheet=...)`` loads
    inputs as the Load button does (returning the message shown).
    """
    import ipywidgets as w

    from .simulator import SimulatorState
    from .simulator_files import Loaded, load_inputs, shipped_choices, uploaded
    from .widgets import weight_simulator

    t = labels()
    choices = shipped_choices()
    menu = w.Dropdown(
        options=[(v, k) for k, v in choices.items()],
        value=choice if choice in choices else None,  # a rubric given by path is not in the menu
        description=t["shipped"],
        style={"description_width": "9em"},
        layout=w.Layout(width="40em"),
    )
    # no icons: they come from Font Awesome, which Voila's page would fetch from a CDN
    up_rubric = w.FileUpload(accept=".yaml,.yml", multiple=False, description=t["rubric"], icon="")
    up_data = w.FileUpload(accept=".xlsx,.xlsm,.csv", multiple=False, description=t["data"], icon="")
    for up in (up_rubric, up_data):
        up.layout = w.Layout(width="18em")
    sheet = w.Text(placeholder=t["sheet_hint"], description=t["sheet"], style={"description_width": "9em"})
    button = w.Button(description=t["load"], button_style="primary")
    message, slot = w.HTML(), w.VBox()
    chooser = w.VBox(
        [
            w.HTML(f"<b>{html.escape(t['title'])}</b>"),
            menu,
            w.HBox([up_rubric, up_data]),
            sheet,
            w.HTML(f"<small>{html.escape(t['help'])}</small>"),
            button,
            message,
        ]
    )
    app = w.VBox([chooser, slot])

    def show(loaded: Loaded) -> str:
        app.state = SimulatorState(loaded.rubric, loaded.data)
        slot.children = [weight_simulator(state=app.state, top=top)]
        r = loaded.rubric
        text = t["loaded"].format(
            rubric=loaded.rubric_name, name=r.name, data=loaded.data_name, n=len(loaded.data)
        )
        lines = [text] + [t["warning"].format(message=m) for m in loaded.warnings]
        message.value = "<br>".join(html.escape(x) for x in lines)
        return "\n".join(lines)

    def load(choice=None, rubric_file=None, data_file=None, sheet=None) -> str:
        try:
            loaded = load_inputs(choice, rubric_file, data_file, sheet=sheet)
        except WorkbenchError as exc:
            text = t["error"].format(message=exc)
            message.value = f"<pre style='color:#a00;white-space:pre-wrap'>{html.escape(text)}</pre>"
            return text
        return show(loaded)

    button.on_click(
        lambda _b: load(menu.value, uploaded(up_rubric.value), uploaded(up_data.value), sheet.value.strip())
    )
    app.load, app.state = load, None
    load(choice, None, data_path)
    return app


def page_glyphs(rubric, data_path=None) -> str:
    """A ``<style>`` with the glyphs of the app's page: its headings, the interface, and the names in
    ``rubric`` and its data (``workbench app`` shows it as the first output, so that the page reads
    in Chinese before the widgets load, on a machine without Chinese fonts)."""
    from ..io import read_table
    from ..rubric import load_rubric
    from .briefing import resolve_data
    from .widgets import glyph_style

    loaded = load_rubric(rubric)
    data = read_table(resolve_data(loaded, data_path), rubric=loaded)
    text = data.select_dtypes(exclude="number").astype(str).to_numpy().ravel()
    names = [n.name for n in loaded.nodes.values()] + list(loaded.grades.names)
    return glyph_style(
        *names, *map(str, data.columns), *data.index.astype(str), *text, loaded.name, loaded.source or ""
    )
