"""Results that are their headline number (alpha, kappa, W) and say when that number is undefined."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from .._i18n import _
from .._results import ResultMixin

__all__ = ["ScalarResult"]


class ScalarResult(ResultMixin, float):
    """Base of results that *are* their headline number (alpha, kappa, W) and also carry details.

    The instance behaves as a float (``float(res)``, arithmetic, ``pytest.approx``) and exposes the
    other fields as attributes. Subclasses are ``@dataclass(frozen=True, eq=False, repr=False)``
    whose first field is the headline value.
    """

    def __new__(cls, *args, **kwargs):
        value = args[0] if args else kwargs[_head(cls)]
        return float.__new__(cls, value)

    def __reduce__(self):
        # Rebuild through the dataclass constructor so the float value and the fields agree.
        from dataclasses import fields

        return (_rebuild, (type(self), {f.name: getattr(self, f.name) for f in fields(self)}))

    @property
    def undefined(self) -> bool:
        """True when the statistic is undefined (0/0); the number is then NaN."""
        return bool(np.isnan(float(self)))

    def _undefined_reason(self) -> str:
        """Why the headline value can be undefined; a subclass may say it its own way."""
        return _("all ratings identical")

    def _undefined_text(self) -> str:
        return _("undefined ({reason})").format(reason=self._undefined_reason())

    def _value_text(self, value: float, fmt: str = ".4f") -> str:
        """A number of the summary, or the reason it is undefined (never a bare 'nan')."""
        if np.isnan(value):
            return self._undefined_text() if self.undefined else _("undefined")
        return format(value, fmt)

    def _summary_facts(self) -> dict:
        if not self.undefined:
            return {}
        return {
            _("note"): _("agreement is undefined (0/0): {reason}").format(reason=self._undefined_reason())
        }

    def to_frame(self) -> pd.DataFrame:
        """One row of the scalar fields. When undefined, NaN cells read "undefined (...)" instead."""
        from dataclasses import fields

        row = {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if np.isscalar(getattr(self, f.name)) or getattr(self, f.name) is None
        }
        if self.undefined:
            head = fields(self)[0].name
            row = {k: _("undefined") if isinstance(v, float) and np.isnan(v) else v for k, v in row.items()}
            row[head] = self._undefined_text()
        return pd.DataFrame([row], index=[type(self).__name__.removesuffix("Result")])


@cache
def _head(cls) -> str:
    """Name of the headline field (the first), looked up once per class: results of small panels
    are built in microseconds, and dataclasses.fields() costs a few."""
    from dataclasses import fields

    return fields(cls)[0].name


def _rebuild(cls, kwargs):
    return cls(**kwargs)
