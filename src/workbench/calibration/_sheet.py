"""Reading an expert panel's survey sheet into an AHP :class:`~workbench.ahp.Panel` keyed by rubric blocks."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pandas as pd

from .._i18n import _
from ..errors import DataError, JudgmentError, SpecError, WorkbenchError, check_option

__all__ = ["panel_from_sheet", "rewrap"]

# A judgment column names two elements: "A_vs_B", "A vs B", "A-vs-B" (the layout survey tools export).
_VS = re.compile(r"\s*[_\-. ]vs\.?[_\-. ]\s*|\s+vs\.?\s+", re.IGNORECASE)
# Chinese headers such as "领导重视对思想建设" or "领导重视比思想建设" split only when both sides are known.
_CJK = ("对", "比")
EXPERT_COLUMNS = ("expert", "专家", "专家编号", "expert_id")


def rewrap(exc: WorkbenchError, prefix: str, file=None, **where) -> WorkbenchError:
    """The same error type with ``prefix`` in front of its message, keeping every problem's location."""
    file = exc.file or file
    if exc.summary is not None:
        return type(exc)(
            _("{prefix}: {message}").format(prefix=prefix, message=exc.summary),
            problems=exc.problems,
            file=file,
        )
    p = exc.problems[0]
    loc = {"key": p.key, "row": p.row, "column": p.column}
    loc.update({k: v for k, v in where.items() if v is not None})
    return type(exc)(
        _("{prefix}: {message}").format(prefix=prefix, message=p.message), file=file, hint=p.hint, **loc
    )


def _read(source, sheet, expert):
    """The sheet as a DataFrame indexed by expert id."""
    if isinstance(source, pd.DataFrame):
        frame = source
        col = expert or next((c for c in EXPERT_COLUMNS if c in frame.columns), None)
        if col is not None:
            if col not in frame.columns:
                raise DataError(
                    _("panel_from_sheet: no expert column {col!r}; the columns are {columns}.").format(
                        col=col, columns=list(frame.columns)
                    ),
                    column=str(col),
                )
            frame = frame.set_index(col)
        return frame
    if not isinstance(source, (str, Path)):
        raise SpecError(
            _(
                "panel_from_sheet: 'source' must be a path (.xlsx, .csv) or a DataFrame; got {type_name}."
            ).format(type_name=type(source).__name__),
            key="source",
        )
    from ..io import read_table

    if expert is not None:
        return read_table(source, sheet=sheet, unit=expert)
    first = None
    for unit in (*EXPERT_COLUMNS, None):  # None: read_table's own unit-id columns
        try:
            return read_table(source, sheet=sheet, unit=unit)
        except DataError as exc:
            first = first or exc
            # Told apart by location, not by text (messages are translated): a missing id column has no
            # row and names the candidate (None: the table's own id columns, none found).
            if exc.row is not None or exc.column != unit:
                raise  # a missing file, a missing sheet...: the same for every candidate
    raise DataError(
        _(
            "panel_from_sheet: no expert id column found (looked for {expert_columns}); "
            "pass expert='<column>'."
        ).format(expert_columns=list(EXPERT_COLUMNS)),
        file=str(source),
        key="expert",
    ) from first


def _split(col: str, lookup: dict):
    """``(left, right)`` codes named by a column, None for a column that is not a judgment, or raise."""
    parts = _VS.split(col)
    if len(parts) == 2 and all(p.strip() for p in parts):
        left, right = (p.strip() for p in parts)
        unknown = [s for s in (left, right) if s not in lookup]
        if unknown:
            close = {s: difflib.get_close_matches(s, list(lookup), n=2, cutoff=0.6) for s in unknown}
            hint = (
                _("; ").join(
                    _("{name!r}: did you mean {close}?").format(name=s, close=c)
                    for s, c in close.items()
                    if c
                )
                or None
            )
            raise JudgmentError(
                _(
                    "panel_from_sheet: column '{col}' names {unknown}, which is "
                    "not a code or name of this rubric. Fix the column header (codes are listed in "
                    "the rubric file)."
                ).format(col=col, unknown=", ".join(map(repr, unknown))),
                column=str(col),
                hint=hint,
            )
        return lookup[left], lookup[right]
    for sep in _CJK:
        for m in re.finditer(sep, col):
            left, right = col[: m.start()].strip(), col[m.end() :].strip()
            if left in lookup and right in lookup:
                return lookup[left], lookup[right]
    return None


def panel_from_sheet(source, rubric, sheet=None, coding="signed", *, expert=None, scale="saaty"):
    """Read a panel's pairwise judgments from a survey sheet into a Panel keyed by rubric blocks.

    Parameters
    ----------
    source : str, Path or DataFrame
        The sheet: one row per expert, one column per pair named ``<first>_vs_<second>`` with rubric
        codes (or rubric names; ``"A vs B"``, ``"A对B"`` also work). Other columns (role, name...)
        are ignored. Files are read with :func:`workbench.read_table` (CSV in UTF-8/GBK, Excel).
    rubric : Rubric
        The rubric whose elements were judged. Pairs of top blocks form the root's block; pairs of
        the indicators (or sub-blocks) of one block form that block's block.
    sheet : str or int, optional
        Excel sheet (default the first).
    coding : {"signed", "reciprocal"}, default="signed"
        As in :func:`workbench.ahp.read_survey`: signed -9..9 (negative = the second element is
        preferred), or the ratio a_ij itself.
    expert : str, optional
        Expert id column; default the first of ``expert``, ``专家``, ``专家编号``, ``expert_id``
        present (for a DataFrame, else its index).
    scale : "saaty", int or None, default="saaty"
        Declared scale; values beyond it are errors.

    Returns
    -------
    workbench.ahp.Panel
        ``blocks`` maps ``rubric.root`` (the top blocks' comparisons) and each judged block's code to
        the experts' :class:`~workbench.ahp.Judgments` on its children, in rubric order.

    Raises
    ------
    JudgmentError
        A column naming an unknown code (the column is named, with close matches), a pair of
        elements with different parents, a block whose child is never compared, judged blocks that
        do not form one tree, invalid cells (every one listed by row and column), an expert whose
        comparisons leave a block disconnected (the expert and block are named).
    DataError
        Unreadable file, missing sheet, no expert id column.

    References
    ----------
    Saaty, T.L. (1980). The Analytic Hierarchy Process. McGraw-Hill.

    Examples
    --------
    >>> panel = panel_from_sheet("data/samples/expert_panel.xlsx", rubric)  # doctest: +SKIP
    >>> list(panel.blocks)  # doctest: +SKIP
    ['__root__', 'leadership', 'style']
    """
    from ..ahp import Panel, read_survey

    check_option(coding, ("signed", "reciprocal"), name="coding", func="panel_from_sheet")
    frame = _read(source, sheet, expert)
    file = frame.attrs.get("source")
    lookup = {str(n.name): c for c, n in rubric.nodes.items() if c != rubric.root and n.name}
    lookup.update({c: c for c in rubric.nodes if c != rubric.root})
    groups: dict[str, dict] = {}
    for col in frame.columns:
        pair = _split(str(col), lookup)
        if pair is None:
            continue
        left, right = pair
        pl, pr = rubric.parent(left), rubric.parent(right)
        if left == right or pl != pr:
            raise JudgmentError(
                _(
                    "panel_from_sheet: column '{col}' compares {left!r} (under {pl!r}) with "
                    "{right!r} (under {pr!r}); a judgment compares two different children of one "
                    "block."
                ).format(col=col, left=left, pl=pl, right=right, pr=pr),
                column=str(col),
                file=file,
            )
        groups.setdefault(pl, {})[col] = (left, right)
    if not groups:
        raise JudgmentError(
            _(
                "panel_from_sheet: no column names a pair of rubric elements (expected headers "
                "like '{first}_vs_{last}')."
            ).format(first=rubric.top_blocks[0], last=rubric.top_blocks[-1]),
            file=file,
        )
    blocks = {}
    for parent in [p for p in rubric.nodes if p in groups]:  # rubric order: top-down
        kids = rubric.children(parent)
        seen = {e for pair in groups[parent].values() for e in pair}
        never = [k for k in kids if k not in seen]
        label = _("the top blocks") if parent == rubric.root else _("block '{parent}'").format(parent=parent)
        if never:
            raise JudgmentError(
                _(
                    "panel_from_sheet: {label} has children {never} that no column compares with a "
                    "sibling; add columns such as '{child}_vs_{sibling}'."
                ).format(
                    label=label,
                    never=never,
                    child=never[0],
                    sibling=next(k for k in kids if k != never[0]),
                ),
                key=str(parent),
                file=file,
            )
        cols = list(groups[parent])
        try:
            blocks[parent] = read_survey(frame[cols], kids, coding=coding, pairs=groups[parent], scale=scale)
        except WorkbenchError as exc:
            raise rewrap(
                exc, _("panel_from_sheet, {label}").format(label=label), file=file, key=str(parent)
            ) from None
    roots = [p for p in blocks if rubric.parent(p) not in blocks]
    if len(roots) > 1:
        raise JudgmentError(
            _(
                "panel_from_sheet: the sheet judges blocks {roots} but not the block above "
                "them, so they do not form one hierarchy. Add the comparisons of their "
                "parent's children (e.g. the top blocks), or read each block separately with "
                "workbench.ahp.read_survey."
            ).format(roots=roots),
            file=file,
        )
    return Panel(blocks)
