"""Random-index tables for Saaty's consistency ratio, and the rule used between and beyond their entries."""

from __future__ import annotations

import numbers
import warnings

from .._i18n import _, use_language
from ..errors import SpecError, WorkbenchWarning, check_option

__all__ = ["RI_TABLES", "random_index", "ri_lookup"]

_N15 = range(1, 16)

#: Random-index tables (n -> RI), as published; RI = 0 for n < 3 in every table.
RI_TABLES: dict[str, dict[int, float]] = {
    # Saaty (1980), n = 1..10, with the common n = 11..15 extension (non-monotone 1.48 at n = 12).
    "saaty1980": dict(
        zip(_N15, [0, 0, 0.58, 0.9, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59])
    ),
    # Saaty (2005), Theory and Applications of the ANP, p. 31 (AHPy's random_index='saaty').
    "saaty2005": dict(
        zip(_N15, [0, 0, 0.52, 0.89, 1.11, 1.25, 1.35, 1.4, 1.45, 1.49, 1.52, 1.54, 1.56, 1.58, 1.59])
    ),
    # Alonso & Lamata (2006), 100,000 random matrices per n.
    "alonso_lamata2006": dict(
        zip(
            _N15,
            [0, 0, 0.5245, 0.8815, 1.1086, 1.2479, 1.3417, 1.4056, 1.4499, 1.4854, 1.5141, 1.5365, 1.5551]
            + [1.5713, 1.5838],
        )
    ),
    # Donegan & Dodd (1991), as in AHPy (random_index='dd'); listed n only, gaps above n = 20.
    "donegan_dodd1991": dict(
        zip(
            [1, 2, *range(3, 21), 25, 30, 40, 50, 60, 70, 80, 90, 100],
            [0, 0, 0.4914, 0.8286, 1.0591, 1.1797, 1.2519, 1.3171, 1.3733, 1.4055, 1.4213, 1.4497, 1.4643]
            + [1.4822, 1.4969, 1.5078, 1.5153, 1.5262, 1.5313, 1.5371, 1.5619, 1.5772, 1.5976, 1.6102]
            + [1.6178, 1.6237, 1.6277, 1.6213, 1.6339],
        )
    ),
    # Tummala & Ling (1998), as in pymcdm.
    "tummala_ling1998": dict(
        zip(
            _N15,
            [0, 0, 0.5799, 0.8921, 1.1159, 1.2358, 1.3322, 1.3952, 1.4537, 1.4882, 1.5117, 1.5356, 1.5571]
            + [1.5714, 1.5831],
        )
    ),
}


def _al_fit(n: int) -> float:
    # Alonso & Lamata (2006): mean random lambda_max = 2.7699 n - 4.3513, so RI(n) = (1.7699 n - 4.3513)/(n - 1).
    return (1.7699 * n - 4.3513) / (n - 1)


# (table, n) -> (RI, how it was obtained, the numbers of that rule, the rule in English). Results store
# the English rule (provenance, no translation on the hot path); rule_text() renders it for people.
_CACHE: dict[tuple[str, int], tuple[float, str, dict, str]] = {}


def _rule_text(how: str, table: str, **k) -> str:
    if how == "small":
        return _("n < 3: every reciprocal matrix is consistent, RI = 0")
    if how == "table":
        return _("{table} table").format(table=table)
    if how == "interpolated":
        return _("{table}: linear interpolation between n={lo} and n={hi}").format(table=table, **k)
    return _(
        "extrapolated beyond the {table} table (last n={last}) with Alonso & Lamata's fit "
        "(1.7699n - 4.3513)/(n - 1), scaled to the table's value at n={last}"
    ).format(table=table, **k)


def ri_lookup(n: int, table: str = "saaty1980", *, func: str = "random_index") -> tuple[float, str]:
    """``(RI, rule)`` where ``rule`` says (in English) how the value was obtained (stored with every
    result; :func:`rule_text` says it in the current language)."""
    key = (table, n)
    hit = _CACHE.get(key)
    if hit is None:
        check_option(table, RI_TABLES, name="ri" if func != "random_index" else "table", func=func)
        if not isinstance(n, numbers.Integral) or isinstance(n, bool) or n < 1:
            raise SpecError(
                _("The 'n' parameter of {func} must be an integer >= 1. Got {n!r} instead.").format(
                    func=func, n=n
                ),
                key="n",
            )
        n = int(n)
        tab = RI_TABLES[table]
        listed = sorted(tab)
        if n < 3:
            ri, how, params = 0.0, "small", {}
        elif n in tab:
            ri, how, params = float(tab[n]), "table", {}
        elif n < listed[-1]:
            lo = max(k for k in listed if k < n)
            hi = min(k for k in listed if k > n)
            ri, how, params = (
                tab[lo] + (tab[hi] - tab[lo]) * (n - lo) / (hi - lo),
                "interpolated",
                {"lo": lo, "hi": hi},
            )
        else:
            last = listed[-1]
            ri, how, params = tab[last] * _al_fit(n) / _al_fit(last), "extrapolated", {"last": last}
        with use_language("en"):
            hit = _CACHE[key] = (ri, how, params, _rule_text(how, table, **params))
    if hit[1] == "extrapolated":
        rule = _rule_text(hit[1], table, **hit[2])
        warnings.warn(
            _("{func}: RI for n={n} {rule}").format(func=func, n=n, rule=rule), WorkbenchWarning, stacklevel=3
        )
    return hit[0], hit[3]


def rule_text(n: int, table: str) -> str:
    """How RI(n) of ``table`` was obtained, in the current language (for summaries)."""
    if (table, n) not in _CACHE:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", WorkbenchWarning)
            ri_lookup(n, table)
    hit = _CACHE[(table, n)]
    return _rule_text(hit[1], table, **hit[2])


def random_index(n: int, table: str = "saaty1980") -> float:
    """Random consistency index RI(n) of a named table.

    Parameters
    ----------
    n : int
        Matrix size (>= 1). RI is 0 for n < 3.
    table : {"saaty1980", "saaty2005", "alonso_lamata2006", "donegan_dodd1991", "tummala_ling1998"}
        Which published table. Between listed sizes (only Donegan & Dodd has gaps, above n = 20) the
        value is linearly interpolated, as AHPy does. Beyond the last listed size the value is
        extrapolated with Alonso & Lamata's (2006) fit of the mean random lambda_max,
        RI(n) = (1.7699 n - 4.3513) / (n - 1), scaled so that it meets the table's last entry, and a
        :class:`~workbench.errors.WorkbenchWarning` says so. Results of :func:`priorities` store the
        table name (``ri_table``) and the rule used (``ri_rule``).

    Returns
    -------
    float

    References
    ----------
    Saaty (1980) The Analytic Hierarchy Process; Saaty (2005) Theory and Applications of the ANP, p. 31;
    Donegan & Dodd (1991) Math. Comput. Modelling 15(10):135-137; Tummala & Ling (1998) Theory and
    Decision 44:221-230; Alonso & Lamata (2006) Int. J. Uncertainty, Fuzziness and Knowledge-Based
    Systems 14(4):445-459.

    Examples
    --------
    >>> random_index(9), random_index(9, table="saaty2005")
    (1.45, 1.45)
    >>> round(random_index(22, table="donegan_dodd1991"), 4)
    1.547
    """
    return ri_lookup(n, table)[0]
