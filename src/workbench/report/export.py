"""Execute parameterised notebooks (papermill) and export them as self-contained HTML and PDF.

- :func:`execute_notebook` runs a jupytext ``py:percent`` or ``.ipynb`` notebook with parameters
  injected after its ``parameters`` cell, from a working folder, and keeps widget state.
- :func:`to_html` exports it with code hidden, images embedded, the CJK glyphs it uses embedded
  as a font, and nothing loaded from the network (no MathJax, no CDN; the widget renderer and
  require.js are inlined from the package when the notebook holds widget state).
- :func:`to_pdf` lays out the blocks the notebook displayed through
  :mod:`workbench.report.document` on A4 pages (:mod:`workbench.report.pdf`).
"""

from __future__ import annotations

import gzip
import json
import os
import re
import tempfile
from importlib import resources
from pathlib import Path

__all__ = ["execute_notebook", "to_html", "to_pdf", "export_notebook", "NotebookError", "BRIEFING_CSS"]

BRIEFING_CSS = """
body, .jp-Notebook, .jp-RenderedHTMLCommon { font-family: 'WorkbenchCJK', 'Noto Sans CJK SC', 'PingFang SC',
  'Microsoft YaHei', sans-serif !important; }
body { max-width: 1000px; margin: 0 auto !important; padding: 1.5em 1em !important; color: #222; }
.jp-Cell { padding: 0 !important; } .jp-OutputPrompt, .jp-InputPrompt { display: none !important; }
.jp-RenderedHTMLCommon h1 { font-size: 1.7em; color: #8b1a1a; border-bottom: 3px solid #8b1a1a; padding-bottom: .3em; }
.jp-RenderedHTMLCommon h2 { font-size: 1.25em; color: #8b1a1a; margin-top: 1.4em; }
.jp-RenderedHTMLCommon h3 { font-size: 1.05em; }
ul.summary { background: #fbf6ee; border-left: 4px solid #8b1a1a; padding: .8em 1.2em .8em 2.2em; line-height: 1.7; }
p.note { color: #666; font-size: .88em; }
ul.rules { line-height: 1.65; padding-left: 1.4em; }
table.wb-table { border-collapse: collapse; width: 100%; font-size: .86em; margin: .5em 0 1em 0;
  table-layout: auto !important; }
table.wb-table th { background: #f3efe8; font-weight: bold; }
table.wb-table th, table.wb-table td { border-bottom: 1px solid #e2ddd5; padding: .25em .5em; }
table.wb-table .num { text-align: right !important; } table.wb-table .text { text-align: left !important; }
table.wb-table td.num, table.wb-table th { white-space: nowrap; }
table.wb-table td.text:last-child { min-width: 9em; }
table.wb-table caption { caption-side: bottom; color: #666; font-size: .85em; text-align: left; }
.jupyter-widgets, .widget-label, .widget-html-content, select, option, input, button, .jp-OutputArea-output {
  font-family: 'WorkbenchCJK', 'Noto Sans CJK SC', sans-serif !important; }
figure { margin: .5em 0 1.2em 0; } figure img { max-width: 100%; } figcaption { color: #666; font-size: .85em; }
"""


def execute_notebook(
    source, parameters: dict | None = None, *, cwd=None, timeout: int = 900, progress: bool = False
):
    """Execute a notebook with papermill and return the executed notebook (nbformat node).

    Parameters
    ----------
    source : path
        A jupytext ``py:percent`` file or an ``.ipynb``; it must have a cell tagged ``parameters``.
    parameters : dict, optional
        Values injected after the parameters cell.
    cwd : path, optional
        Working folder of the kernel (relative paths in the notebook resolve from here).
    """
    import jupytext
    import nbformat
    import papermill
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import CaselessStrEnum, default

    source = Path(source)
    nb = jupytext.read(source) if source.suffix == ".py" else nbformat.read(source, as_version=4)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    with tempfile.TemporaryDirectory() as tmp:

        class _LocalKernelManager(AsyncKernelManager):
            # The kernel runs on this machine only: IPC (Unix sockets) instead of TCP on localhost,
            # so nothing listens on a port and the kernel does not warn about unencrypted TCP on
            # every briefing. The sockets live in this private temporary folder: jupyter_client's
            # default is "kernel-ipc-N" in the working folder, which litters the user's folder
            # (and is left behind when the process is killed).
            transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

            @default("ip")
            def _private_socket(self):
                return str(Path(tmp) / "kernel-ipc")

        src, out = Path(tmp) / "in.ipynb", Path(tmp) / "out.ipynb"
        nbformat.write(nb, src)
        try:
            papermill.execute_notebook(
                str(src),
                str(out),
                parameters=parameters or {},
                kernel_name="python3",
                cwd=str(cwd) if cwd else None,
                progress_bar=progress,
                log_output=False,
                execution_timeout=timeout,
                store_widget_state=True,
                kernel_manager_class=_LocalKernelManager if os.name == "posix" else AsyncKernelManager,
            )
        except papermill.PapermillExecutionError as exc:
            raise _translate(exc, source, _failed_section(out)) from None
        return nbformat.read(out, as_version=4)


class NotebookError(RuntimeError):
    """A notebook failed for a reason other than bad input (an internal error).

    ``section`` names the failing cell's section (its ``section:<name>`` tag), when it has one.
    """

    def __init__(self, message: str, section: str | None = None):
        super().__init__(message)
        self.section = section


def _failed_section(path) -> str | None:
    """The ``section:<name>`` tag of the cell that failed, read from papermill's output notebook."""
    import nbformat

    try:
        nb = nbformat.read(path, as_version=4)
    except (OSError, ValueError):
        return None
    for cell in nb.cells:
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            tags = cell.get("metadata", {}).get("tags", [])
            return next((t.split(":", 1)[1] for t in tags if t.startswith("section:")), None)
    return None


def _translate(exc, source, section: str | None = None):
    """Bad input inside the notebook (a WorkbenchError) stays bad input; anything else is internal."""
    from .. import errors

    cls = getattr(errors, exc.ename, None)
    message = str(exc.evalue).strip()
    if isinstance(cls, type) and issubclass(cls, errors.WorkbenchError):
        return cls(message)
    if section is not None:
        from .catalogue import TEXT

        title = TEXT["en"].get(f"sec_{section}", section)
        where = f"section '{section}' ({title})"
        return NotebookError(f"{Path(source).name} failed in {where}: {exc.ename}: {message}", section)
    return NotebookError(f"{Path(source).name} failed in cell {exc.exec_count}: {exc.ename}: {message}")


def _asset(name: str) -> str:
    data = resources.files("workbench.report").joinpath("static", name).read_bytes()
    return gzip.decompress(data).decode("utf-8")


def to_html(nb, *, title: str = "", css: str = BRIEFING_CSS, hide_code: bool = True, lang: str = "zh") -> str:
    """Self-contained HTML of an executed notebook (see module docstring)."""
    from nbconvert import HTMLExporter

    from .fonts import font_face_css

    tpl = resources.files("workbench.report").joinpath("templates", "nbconvert")
    exporter = HTMLExporter(
        template_name="workbench",
        extra_template_basedirs=[str(tpl)],
        exclude_input=hide_code,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        language_code="en" if lang == "en" else "zh-CN",
    )
    if title:
        nb.metadata["title"] = title
    widgets = bool(nb.metadata.get("widgets"))
    res = {
        "workbench": {
            "require_js": _asset("require-2.3.7.js.gz") if widgets else "",
            "widget_js": _asset("html-manager-1.0.15-embed-amd.js.gz") if widgets else "",
            "font_css": "",
            "css": css,
        }
    }
    draft, _ = exporter.from_notebook_node(nb, resources=res)
    visible = re.sub(r"<script.*?</script>|<style.*?</style>|<[^>]+>", " ", draft, flags=re.S)
    # widget views render their text from the saved widget state, not from the visible HTML
    state = json.dumps(nb.metadata.get("widgets", {}), ensure_ascii=False) if widgets else ""
    res["workbench"]["font_css"] = font_face_css(visible + title + state)
    body, _ = exporter.from_notebook_node(nb, resources=res)
    return body


def to_pdf(nb, *, title: str = "", footer: str = "") -> bytes:
    """A4 PDF of the blocks an executed briefing notebook displayed."""
    from .document import blocks_from_notebook
    from .pdf import render_pdf

    return render_pdf(blocks_from_notebook(nb), title=title, footer=footer)


def export_notebook(
    source, out, *, parameters: dict | None = None, cwd=None, hide_code: bool = False, progress: bool = False
) -> Path:
    """Execute a notebook and write it as self-contained HTML (widgets render offline)."""
    from ..io import atomic_write_text

    source, out = Path(source), Path(out)
    nb = execute_notebook(source, parameters, cwd=cwd, progress=progress)
    path = out if out.suffix.lower() == ".html" else out / f"{source.stem}.html"
    title = source.stem.replace("_", " ")
    return atomic_write_text(path, to_html(nb, title=title, hide_code=hide_code))
