"""``workbench app``: the weight simulator as a local web page (Voila on 127.0.0.1), from any folder.

``make app`` in a clone and ``workbench app`` after ``pip install`` run the same thing: the shipped
simulator notebook, its parameters set to the rubric and data given on the command line, served by
Voila with the package's own template (nothing fetched from the network).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from .._i18n import _
from ..errors import WorkbenchError

__all__ = ["add_command", "cmd_app"]

NOTEBOOK = "01_weight_simulator"
# The page's glyphs as an output of the first cell, in the page Voila sends: the notebook's headings
# and tables show Chinese before the widgets load, with no Chinese font on the reader's machine.
_GLYPHS = (
    "from IPython.display import HTML, display\n"
    "from workbench.report.app import page_glyphs\n"
    "display(HTML(page_glyphs(rubric, data_path)))\n"
)


def add_command(sub, epilog: str, default_rubric: str) -> None:
    p = sub.add_parser(
        "app",
        help=_("open the weight simulator as a local web page (your own rubric and data, offline)"),
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--rubric",
        default=default_rubric,
        help=_("rubric file, or the name of a shipped rubric (default {name})").format(name=default_rubric),
    )
    p.add_argument("--data", default=None, help=_("data table (default: the sample the rubric names)"))
    p.add_argument("--port", type=int, default=8866, help=_("port on 127.0.0.1 (default 8866)"))
    p.add_argument("--no-browser", action="store_true", help=_("do not open a browser"))
    p.set_defaults(func=cmd_app)


def cmd_app(args) -> int:
    if importlib.util.find_spec("voila") is None:
        raise WorkbenchError(
            _("the simulator app needs Voila, which is not installed"),
            hint=_('install it with: pip install "indicator-workbench[notebook]"'),
        )
    if not 0 < args.port < 65536:
        raise WorkbenchError(
            _("--port {port} is not a port number").format(port=args.port), hint=_("give 1024-65535")
        )
    import jupytext
    import nbformat

    from ..examples import shipped_root
    from ..report.briefing import resolve_data
    from ._common import _load

    # rubric and data checked here, with the command line's messages, before a server starts
    rubric, __ = _load(args)
    rubric_path = Path(args.rubric).resolve()
    data_path = Path(resolve_data(rubric, args.data)).resolve()
    nb = jupytext.read(shipped_root() / "notebooks" / f"{NOTEBOOK}.py")
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    # the values go in a cell right after the notebook's parameters cell, as papermill does;
    # repr() writes each path as a Python string literal, whatever characters it holds
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", ()))
    values = f"rubric = {str(rubric_path)!r}\ndata_path = {str(data_path)!r}\n" + _GLYPHS
    nb.cells.insert(at + 1, nbformat.v4.new_code_cell(values, metadata={"tags": ["injected-parameters"]}))
    templates = Path(__file__).resolve().parent.parent / "report" / "templates" / "jupyter"
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(templates), env.get("JUPYTER_PATH")]))
    with tempfile.TemporaryDirectory(prefix="workbench-app-") as tmp:
        # the notebook with the parameters lives in a private folder, removed when the server stops
        page = Path(tmp) / f"{NOTEBOOK}.ipynb"
        nbformat.write(nb, page)
        cmd = [
            sys.executable,
            "-m",
            "voila",
            "--Voila.ip=127.0.0.1",  # local only: the page edits files of this machine
            f"--port={args.port}",
            "--template=workbench",
            *(["--no-browser"] if args.no_browser else []),
            str(page),
        ]
        print(
            _("the simulator: http://127.0.0.1:{port}/ (Ctrl+C stops it)").format(port=args.port), flush=True
        )
        server = subprocess.Popen(cmd, env=env)
        # Ctrl+C reaches Voila too (same process group); a SIGTERM to this command (a service
        # manager, a test) must stop Voila as well, and the private folder is removed after it
        previous = signal.signal(signal.SIGTERM, _interrupt)
        try:
            return server.wait()
        except KeyboardInterrupt:
            server.terminate()
            server.wait()
            return 0
        finally:
            signal.signal(signal.SIGTERM, previous)


def _interrupt(signum, frame):
    raise KeyboardInterrupt
