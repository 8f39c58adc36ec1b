"""One summary object that renders as text, HTML and LaTeX (as statsmodels' ``Summary``)."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

__all__ = ["Summary"]


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


@dataclass(frozen=True)
class Summary:
    """A title, a few facts and a table.

    Parameters
    ----------
    title : str
    facts : dict
        Short ``name: value`` pairs shown above the table.
    table : DataFrame
    max_rows : int, default=20
        Rows shown in text and HTML (the full table stays in ``table``).
    """

    title: str
    facts: dict = field(default_factory=dict)
    table: pd.DataFrame | None = None
    max_rows: int = 20

    def as_text(self) -> str:
        lines = [self.title]
        lines += [f"  {k}: {_fmt(v)}" for k, v in self.facts.items()]
        if self.table is not None:
            with pd.option_context(
                "display.max_rows",
                self.max_rows,
                "display.max_columns",
                12,
                "display.width",
                120,
                "display.unicode.east_asian_width",
                True,
            ):
                lines.append(str(self.table))
        return "\n".join(lines)

    def as_html(self) -> str:
        parts = [f"<div class='wb-summary'><strong>{html.escape(self.title)}</strong>"]
        if self.facts:
            items = "".join(
                f"<li>{html.escape(str(k))}: {html.escape(_fmt(v))}</li>" for k, v in self.facts.items()
            )
            parts.append(f"<ul>{items}</ul>")
        if self.table is not None:
            # to_html escapes cell text by default, so user strings cannot inject markup
            parts.append(self.table.to_html(max_rows=self.max_rows, float_format=lambda x: f"{x:.4g}"))
        parts.append("</div>")
        return "".join(parts)

    def as_latex(self) -> str:
        body = "" if self.table is None else self.table.to_latex(float_format=lambda x: f"{x:.4g}")
        facts = "\n".join(f"% {k}: {_fmt(v)}" for k, v in self.facts.items())
        return f"% {self.title}\n{facts}\n{body}"
