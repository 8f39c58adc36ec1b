"""Rating sheets (units x raters, grade words or numbers) and panel scores from them."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .._i18n import _
from .._results import ResultMixin
from ..agreement import GRADE_ORDER, encode_grades
from ..errors import DataError, Problem, SpecError, WorkbenchWarning

__all__ = ["RatingSheet", "read_ratings"]

#: Columns of a rating sheet that describe the unit rather than rate it.
LABEL_COLUMNS = ("name", "名称", "单位名称", "单位", "category", "类别", "org_type", "备注", "note")


@dataclass(frozen=True, repr=False)
class RatingSheet(ResultMixin):
    """A validated rating sheet: units in rows, raters in columns, numeric codes.

    Attributes
    ----------
    table : DataFrame of shape (n_units, n_raters)
        Grade codes (worst word of ``order`` = 1, best = len(order)) or the numbers of the sheet;
        NaN = no rating. Includes the self-rating column when there is one.
    order : tuple of str or None
        Grade words from worst to best; None when the sheet held numbers only.
    self_rater : str or None
        Column holding each unit's self-rating (自评).
    labels : DataFrame or None
        The sheet's other columns (e.g. ``name``), indexed by unit.
    source : str or None
        File the sheet was read from.
    """

    table: pd.DataFrame
    order: tuple | None
    self_rater: str | None = None
    labels: pd.DataFrame | None = None
    source: str | None = None

    @property
    def units(self) -> pd.Index:
        return self.table.index

    @property
    def panel(self) -> pd.DataFrame:
        """The raters' codes without the self-rating column."""
        return self.table.drop(columns=[self.self_rater]) if self.self_rater is not None else self.table

    @property
    def names(self) -> pd.Series | None:
        """Unit names when the sheet has a ``name`` / ``单位名称`` / ``名称`` column."""
        if self.labels is None:
            return None
        for col in LABEL_COLUMNS[:4]:
            if col in self.labels.columns:
                return self.labels[col].astype(str).rename("name")
        return None

    def words(self) -> pd.DataFrame:
        """The table with codes turned back into grade words (numbers-only sheets are returned as is)."""
        if self.order is None:
            return self.table.copy()
        lookup = np.array([None, *self.order], dtype=object)
        codes = self.table.to_numpy()
        out = np.where(np.isnan(codes), None, lookup[np.nan_to_num(codes, nan=0).astype(int)])
        return pd.DataFrame(out, index=self.table.index, columns=self.table.columns)

    def to_frame(self) -> pd.DataFrame:
        return self.words()

    def _summary_title(self) -> str:
        return _("Rating sheet {source}").format(source=self.source) if self.source else _("Rating sheet")

    def _summary_facts(self) -> dict:
        facts = {
            _("units"): len(self.table),
            _("raters"): self.panel.shape[1],
            _("self-rating column"): self.self_rater or _("none"),
            _("missing ratings"): int(self.panel.isna().to_numpy().sum()),
        }
        facts[_("grades (worst first)")] = " < ".join(self.order) if self.order else _("numbers")
        return facts


def _is_rating(col: pd.Series, order: Sequence[str]) -> tuple[pd.Series, pd.Series]:
    """Per cell: holds a grade word of ``order``; holds a number."""
    text = col.astype(object).map(lambda v: v.strip() if isinstance(v, str) else v)
    word = text.isin(list(order))
    number = pd.to_numeric(text.where(~word), errors="coerce").notna()
    return word, number


def sheet_from_frame(
    frame: pd.DataFrame,
    *,
    raters=None,
    self_rater=None,
    order: Sequence[str] = GRADE_ORDER,
    file: str | None = None,
    func: str = "read_ratings",
) -> RatingSheet:
    """Validate a units x raters DataFrame (already indexed by unit) into a :class:`RatingSheet`."""
    order = tuple(str(w).strip() for w in order)
    if not order or len(set(order)) != len(order):
        raise SpecError(
            _(
                "The 'order' parameter of {func} must list distinct grade words, worst first. Got {order}."
            ).format(func=func, order=order)
        )
    columns = [str(c) for c in frame.columns]
    frame = frame.set_axis(columns, axis=1)
    if self_rater is not None and str(self_rater) not in columns:
        raise DataError(
            _(
                "{func}: the self-rating column {self_rater!r} is not in the sheet; its "
                "columns are {columns}."
            ).format(func=func, self_rater=self_rater, columns=columns[:20]),
            file=file,
            column=str(self_rater),
            hint=_("pass self_rater='<column>' exactly as in the header, or None"),
        )
    masks = {c: _is_rating(frame[c], order) for c in columns}  # (word, number) per cell
    if raters is None:
        chosen, empty = [], []
        for c in columns:
            word, number = masks[c]
            filled = frame[c].notna() & (frame[c].astype(object).map(lambda v: str(v).strip()) != "")
            if word.any() or number.any() or c == self_rater:
                chosen.append(c)
            elif not filled.any():
                empty.append(c)
        if empty:
            warnings.warn(
                _("{func}: column(s) {empty} hold no rating at all and are left out.").format(
                    func=func, empty=empty
                ),
                WorkbenchWarning,
                stacklevel=3,
            )
        # A rater column whose every cell is a misspelt word would look like a label column: say so.
        odd = [c for c in columns if c not in chosen and c not in empty and c not in LABEL_COLUMNS]
        if odd:
            warnings.warn(
                _(
                    "{func}: column(s) {odd} hold no grade word of {order} or number and are kept "
                    "as labels, not raters; pass raters=[...] to read them as raters (unknown "
                    "words are then reported)."
                ).format(func=func, odd=odd, order=list(order)),
                WorkbenchWarning,
                stacklevel=3,
            )
    else:
        chosen = [str(r) for r in ([raters] if isinstance(raters, str) else raters)]
        missing = [r for r in chosen if r not in columns]
        if missing:
            raise DataError(
                _(
                    "{func}: rater column(s) {missing} are not in the sheet; its columns are {columns}."
                ).format(func=func, missing=missing, columns=columns[:20]),
                file=file,
                column=missing[0],
                hint=_("spell the rater columns as in the header"),
            )
        if self_rater is not None and str(self_rater) not in chosen:
            chosen.append(str(self_rater))
    if len([c for c in chosen if c != self_rater]) < 2:
        raise DataError(
            _("{func} needs at least 2 rater columns besides the self-rating. Got {chosen}.").format(
                func=func, chosen=chosen
            ),
            file=file,
            hint=_("a rating sheet has units in rows and one column per rater"),
        )
    try:
        codes = encode_grades(frame[chosen], order=order)
    except DataError as exc:
        raise DataError(exc.summary or str(exc), file=file, problems=exc.problems) from None
    has_words = any(masks[c][0].any() for c in chosen)
    if has_words:
        # Numbers mixed with words must be valid codes 1..K, otherwise they are not on one scale.
        x = codes.to_numpy()
        words = np.column_stack([masks[c][0].to_numpy() for c in chosen])
        bad = ~words & ~np.isnan(x) & ~np.isin(x, np.arange(1, len(order) + 1))
        if bad.any():
            rows, cols = np.nonzero(bad)
            problems = [
                Problem(
                    _("number {x:g} for unit {unit!r} is not a grade code 1..{n_order}").format(
                        x=x[r, c], unit=frame.index[r], n_order=len(order)
                    ),
                    row=int(r) + 2,
                    column=chosen[c],
                    hint=_("write grade words {order} or their codes 1..{n_order} (worst = 1)").format(
                        order=list(order), n_order=len(order)
                    ),
                )
                for r, c in zip(rows[:50], cols[:50])
            ]
            raise DataError(
                _("Numbers mixed with grade words in the rating sheet"), file=file, problems=problems
            )
    others = [c for c in columns if c not in chosen]
    return RatingSheet(
        table=codes.astype(float),
        order=order if has_words else None,
        self_rater=None if self_rater is None else str(self_rater),
        labels=frame[others] if others else None,
        source=file,
    )


def read_ratings(
    path,
    unit: str | None = None,
    raters=None,
    self_rater=None,
    order: Sequence[str] = GRADE_ORDER,
    *,
    sheet=None,
    encoding: str | None = None,
) -> RatingSheet:
    """Read a rating sheet (民主测评表): units in rows, one column per rater, grade words or numbers.

    Parameters
    ----------
    path : str or Path
        CSV (UTF-8 or GBK), Excel or Parquet file, read with :func:`workbench.read_table`.
    unit : str, optional
        Unit id column (default: ``unit`` or another id column ``read_table`` recognises).
    raters : sequence of str, optional
        Rater columns. Default: every column holding at least one grade word or number; columns of
        other text (e.g. ``name``) are kept as labels, and blank columns are dropped with a warning.
    self_rater : str, optional
        Column of each unit's self-rating (自评), e.g. ``"SELF"``.
    order : sequence of str, default=("较差", "一般", "良好", "优秀")
        Grade words from worst to best; word ``order[i]`` gets code ``i + 1``.
    sheet : str or int, optional
        Excel sheet.
    encoding : str, optional
        CSV encoding (default detected).

    Returns
    -------
    RatingSheet

    Raises
    ------
    DataError
        Missing file or columns, duplicated unit ids, a word not in ``order`` (every such cell listed
        with its row, rater column and unit), numbers mixed with words that are not codes 1..K, fewer
        than 2 raters.
    SpecError
        ``order`` with repeated words.

    Examples
    --------
    >>> sheet = read_ratings("data/samples/democratic_evaluation.csv", self_rater="SELF")  # doctest: +SKIP
    >>> sheet.panel.shape  # doctest: +SKIP
    (86, 12)
    """
    from ..io import read_table

    frame = read_table(path, unit=unit, sheet=sheet, encoding=encoding)
    return sheet_from_frame(
        frame, raters=raters, self_rater=self_rater, order=order, file=frame.attrs.get("source", str(path))
    )


def as_sheet(ratings, *, self_rater=None, order: Sequence[str] = GRADE_ORDER, func: str) -> RatingSheet:
    """A RatingSheet from a RatingSheet or a units x raters DataFrame."""
    if isinstance(ratings, RatingSheet):
        if self_rater is not None and str(self_rater) != ratings.self_rater:
            if str(self_rater) not in ratings.table.columns:
                raise DataError(
                    _(
                        "{func}: the self-rating column {self_rater!r} is not among the raters {columns}."
                    ).format(func=func, self_rater=self_rater, columns=list(ratings.table.columns))
                )
            return replace(ratings, self_rater=str(self_rater))
        return ratings
    if not isinstance(ratings, pd.DataFrame):
        raise DataError(
            _(
                "{func} needs a RatingSheet (from read_ratings) or a DataFrame of units x "
                "raters. Got {type_name}."
            ).format(func=func, type_name=type(ratings).__name__)
        )
    return sheet_from_frame(ratings, self_rater=self_rater, order=order, func=func)
