"""Grade bands of the agreement family: reading ``{grade: lower bound}`` or thresholds, and grading
scores with them."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .._i18n import _
from ..errors import SpecError, WorkbenchWarning

__all__ = ["Bands", "as_bands", "grade_scores"]


@dataclass(frozen=True)
class Bands:
    """Grade cut-offs: ``names[g]`` covers scores in ``[lower[g], lower[g+1])``; worst grade first."""

    names: tuple
    lower: np.ndarray

    def codes(self, scores) -> np.ndarray:
        """Grade index (0 = worst) of each score; -1 for NaN or a score below the lowest bound."""
        scores = np.asarray(scores, dtype=float)
        idx = np.searchsorted(self.lower, scores, side="right") - 1
        return np.where(np.isnan(scores), -1, idx)

    def labels(self, codes) -> np.ndarray:
        names = np.array(list(self.names) + [None], dtype=object)
        return names[np.asarray(codes)]


def as_bands(bands, *, func: str) -> Bands:
    """Read ``{grade: lower bound}`` (any order) or an ascending sequence of thresholds."""
    if isinstance(bands, Mapping):
        if not bands:
            raise SpecError(
                _("The 'bands' parameter of {func} is empty; give {{grade: lower bound}}.").format(func=func)
            )
        try:
            pairs = sorted(((float(v), str(k)) for k, v in bands.items()), key=lambda p: p[0])
        except (TypeError, ValueError) as exc:
            raise SpecError(
                _(
                    "The 'bands' parameter of {func} must map grade names to numeric lower bounds, "
                    "e.g. {{'优秀': 90, '良好': 80, '一般': 60, '较差': 0}}. Got {bands!r}."
                ).format(func=func, bands=dict(bands))
            ) from exc
        lower = np.array([p[0] for p in pairs])
        names = tuple(p[1] for p in pairs)
    else:
        try:
            cuts = np.asarray(bands, dtype=float).ravel()
        except (TypeError, ValueError) as exc:
            raise SpecError(
                _(
                    "The 'bands' parameter of {func} must be a dict {{grade: lower bound}} or a "
                    "sequence of numeric thresholds. Got {bands!r}."
                ).format(func=func, bands=bands)
            ) from exc
        if cuts.size == 0 or np.any(np.diff(cuts) <= 0):
            raise SpecError(
                _(
                    "The thresholds given to {func} must be a non-empty, strictly increasing "
                    "sequence. Got {bands!r}."
                ).format(func=func, bands=bands)
            )
        lower = np.concatenate([[-np.inf], cuts])
        names = tuple(range(len(lower)))
    if not np.all(np.isfinite(lower[1:])) or np.any(np.diff(lower) <= 0):
        raise SpecError(
            _("The lower bounds of 'bands' in {func} must be finite and distinct. Got {bands!r}.").format(
                func=func, bands=bands
            )
        )
    return Bands(names, lower)


def grade_scores(bands: Bands, scores: np.ndarray, *, func: str) -> np.ndarray:
    codes = bands.codes(scores)
    below = (codes < 0) & ~np.isnan(np.asarray(scores, dtype=float))
    if below.any():
        warnings.warn(
            _("{func}: {below} score(s) fall below the lowest band bound {lower:g} and get no grade.").format(
                func=func, below=int(below.sum()), lower=bands.lower[0]
            ),
            WorkbenchWarning,
            stacklevel=3,
        )
    return codes
