"""Rubrics in and out: rubric files (YAML) and COINr-style indicator tables.

The model (:mod:`._model`) knows nothing of files; this module joins it to the parser
(:mod:`._parse`), the writer (:mod:`._write`) and the table reader (:mod:`._table`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .._yaml import read_text
from ..errors import RubricError
from ._model import Rubric
from ._parse import parse_rubric_text
from ._table import rubric_from_table as _from_table
from ._write import rubric_yaml

__all__ = ["load_rubric", "save_rubric", "rubric_from_table"]


def load_rubric(path: str | Path) -> Rubric:
    """Load and validate a rubric file (YAML).

    Every problem in the file is collected and reported at once in one
    :class:`~workbench.errors.RubricError` with the key path and line of each.

    Parameters
    ----------
    path : str or Path
        A ``.yaml``/``.yml`` rubric file (see ``docs/rubric_language.md``).

    Returns
    -------
    Rubric

    Examples
    --------
    >>> rubric = load_rubric("indicators/cq_organs.yaml")  # doctest: +SKIP
    >>> rubric.full_marks()["leadership"]  # doctest: +SKIP
    20.0
    """
    path = Path(path)
    text = read_text(path, error=RubricError, what="rubric file")  # size checked before reading
    return parse_rubric_text(text, file=str(path))


def save_rubric(rubric: Rubric, path: str | Path) -> Path:
    """Write ``rubric`` as a YAML rubric file that :func:`load_rubric` reads back.

    The file is written atomically (to a temporary file, then renamed), so a failure never
    leaves a half-written rubric.
    """
    from ..io import atomic_write_text  # io validates data against rubrics: imported on use

    return atomic_write_text(Path(path), rubric_yaml(rubric))


def rubric_from_table(
    imeta: pd.DataFrame | str | Path, *, code: str = "index", name: str | None = None
) -> Rubric:
    """Build a rubric from a COINr-style indicator table (iMeta).

    Parameters
    ----------
    imeta : DataFrame or path
        Columns ``iCode, Parent, Level, Direction, Weight`` and optionally ``iName, Unit, Target,
        Denominator, Type``. Rows of ``Type`` 'Group' or 'Denominator' are metadata and skipped.
        Weights are relative within each parent.

    Returns
    -------
    Rubric
        Indicators are quantitative with a peer min-max rule; Denominator, Target and Unit are kept.

    References
    ----------
    Becker, W. et al. (2022) COINr: An R package for developing composite indicators. JOSS 7(78).
    """
    return _from_table(imeta, code=code, name=name)
