"""The methods each composite step offers, and the checks that put a spec field in canonical form.

The steps (:mod:`.impute`, :mod:`.treat`, :mod:`.normalise`, :mod:`.aggregate`) and the
:class:`~workbench.composite.Spec` both import this module and never each other: a step checks
its own parameters with :func:`canonical`, exactly as a spec checks the same field.
"""

from __future__ import annotations

import json
import math
import numbers
from collections.abc import Mapping

from .._i18n import _
from ..errors import SpecError, check_option

__all__ = [
    "IMPUTE_METHODS",
    "TREAT_DEFAULTS",
    "FALLBACKS",
    "NORMALISE_METHODS",
    "REQUIRED",
    "AGGREGATE_METHODS",
    "METHOD_PARAMS",
    "canonical",
]

# ---------------------------------------------------------------------- the methods of each step
IMPUTE_METHODS = ("mean", "median", "group_mean", "group_median")
TREAT_DEFAULTS = {"winmax": 5, "skew": 2.0, "kurt": 3.5, "fallback": "log_ct"}
FALLBACKS = ("log_ct", "log_ct_plus", "none")
REQUIRED = object()  # marks a parameter without a default
NORMALISE_METHODS = {
    "minmax": {"lo": 0.0, "hi": 100.0},
    "zscore": {"mean": 0.0, "sd": 1.0},
    "rank": {},
    "prank": {},
    "borda": {},
    "dist2max": {},
    "dist2ref": {"unit": REQUIRED, "cap": False},
    "dist2targ": {"cap": False, "targets": None},
    "goalposts": {"posts": REQUIRED, "scale": 100.0, "trunc": True},
}
AGGREGATE_METHODS = ("amean", "gmean", "hmean", "genmean", "copeland")
METHOD_PARAMS = {m: (("p", "min_share") if m == "genmean" else ("min_share",)) for m in AGGREGATE_METHODS}


class _Frozen(dict):
    """A read-only dict: spec fields cannot change after the spec is made (hashable, picklable)."""

    def _readonly(self, *args, **kwargs):
        raise TypeError("Spec fields are read-only; use dataclasses.replace(spec, field=...) instead")

    __setitem__ = __delitem__ = update = pop = popitem = clear = setdefault = __ior__ = _readonly

    def __hash__(self):
        return hash(json.dumps(_thaw(self), sort_keys=True, default=str))

    def __reduce__(self):
        return (_Frozen, (dict(self),))


def _freeze(obj):
    if isinstance(obj, Mapping):
        return _Frozen({k: _freeze(v) for k, v in obj.items()})
    if isinstance(obj, (list, tuple)):
        return tuple(_freeze(v) for v in obj)
    return obj


def _thaw(obj):
    if isinstance(obj, Mapping):
        return {k: _thaw(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_thaw(v) for v in obj]
    return obj


# ---------------------------------------------------------------------- checks of one value
def _fail(field, message):
    raise SpecError(_("Spec field '{field}': {message}").format(field=field, message=message), key=field)


def _mapping(value, field) -> dict:
    if not isinstance(value, Mapping):
        _fail(
            field,
            _("expected a dict, None or a method name; got {type_name} {value!r}").format(
                type_name=type(value).__name__, value=value
            ),
        )
    return dict(value)


def _keys(d, allowed, field):
    bad = [k for k in d if k not in allowed]
    if bad:
        _fail(
            field, _("unknown key(s) {bad}; valid keys are {allowed}").format(bad=bad, allowed=list(allowed))
        )


def _number(value, field, *, lo=-math.inf, hi=math.inf, lo_open=False, integer=False):
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)
    if ok and integer:
        ok = float(value).is_integer()
    if ok:
        ok = (value > lo if lo_open else value >= lo) and value <= hi
    if not ok:
        kind = _("an integer") if integer else _("a finite number")
        rng = f" {'>' if lo_open else '>='} {lo:g}" if lo > -math.inf else ""
        rng += _(" and <= {hi:g}").format(hi=hi) if hi < math.inf else ""
        _fail(field, _("expected {kind}{rng}; got {value!r}").format(kind=kind, rng=rng, value=value))
    return int(value) if integer else float(value)


def _flag(value, field):
    if not isinstance(value, bool):
        _fail(field, _("expected True or False; got {value!r}").format(value=value))
    return value


def _codes_to_numbers(value, field, *, pairs=False):
    d = _mapping(value, field)
    out = {}
    for code, v in d.items():
        if pairs:
            if not (isinstance(v, (list, tuple)) and len(v) == 2):
                _fail(f"{field}.{code}", _("expected a pair [lo, hi]; got {v!r}").format(v=v))
            lo, hi = (_number(x, f"{field}.{code}") for x in v)
            if not lo < hi:
                _fail(
                    f"{field}.{code}",
                    _("the lower goalpost must be below the upper one; got {v!r}").format(v=v),
                )
            out[str(code)] = (lo, hi)
        else:
            out[str(code)] = _number(v, f"{field}.{code}")
    return out


# ---------------------------------------------------------------------- canonical field forms
def _canon_denominate(value):
    if value is None:
        return False
    return _flag(value, "denominate")


def _canon_impute(value):
    if value is None or value is False:
        return None
    d = {"method": value} if isinstance(value, str) else _mapping(value, "impute")
    _keys(d, ("method", "group"), "impute")
    method = check_option(d.get("method"), IMPUTE_METHODS, name="impute.method", func="Spec")
    if method.startswith("group_"):
        group = d.get("group")
        if not isinstance(group, str) or not group:
            _fail(
                "impute.group",
                _("method {method!r} needs 'group': the name of a data column; got {group!r}").format(
                    method=method, group=group
                ),
            )
        return {"method": method, "group": group}
    if d.get("group") is not None:
        _fail(
            "impute.group",
            _("'group' is used by 'group_mean' and 'group_median' only, not {method!r}").format(
                method=method
            ),
        )
    return {"method": method}


def _canon_screen(value):
    if value is None or value is False:
        return None
    d = _mapping(value, "screen")
    _keys(d, ("min_share",), "screen")
    if "min_share" not in d:
        _fail("screen", _("missing 'min_share' (share of indicators a unit must have, e.g. 0.66)"))
    return {"min_share": _number(d["min_share"], "screen.min_share", lo=0.0, hi=1.0)}


def _treat_params(d, field, *, partial):
    keys = tuple(TREAT_DEFAULTS)
    _keys(d, keys + (() if partial else ("overrides",)), field)
    base = {} if partial else dict(TREAT_DEFAULTS)
    base.update({k: v for k, v in d.items() if k != "overrides"})
    out = {}
    if "winmax" in base:
        out["winmax"] = _number(base["winmax"], f"{field}.winmax", lo=0, integer=True)
    if "skew" in base:
        out["skew"] = _number(base["skew"], f"{field}.skew", lo=0.0, lo_open=True)
    if "kurt" in base:
        out["kurt"] = _number(base["kurt"], f"{field}.kurt")
    if "fallback" in base:
        out["fallback"] = check_option(base["fallback"], FALLBACKS, name=f"{field}.fallback", func="Spec")
    return out


def _canon_treat(value):
    if value is None or value is False:
        return None
    d = {} if value is True else _mapping(value, "treat")
    out = _treat_params(d, "treat", partial=False)
    overrides = d.get("overrides") or {}
    over = {}
    for code, o in _mapping(overrides, "treat.overrides").items():
        over[str(code)] = (
            None
            if o is None or o is False
            else _treat_params(
                _mapping(o, f"treat.overrides.{code}"), f"treat.overrides.{code}", partial=True
            )
        )
    if over:
        out["overrides"] = over
    return out


def _norm_method(value, field, *, allow_overrides):
    d = {"method": value} if isinstance(value, str) else _mapping(value, field)
    method = check_option(d.get("method"), list(NORMALISE_METHODS), name=f"{field}.method", func="Spec")
    params = NORMALISE_METHODS[method]
    _keys(d, ("method", *params, *(("overrides",) if allow_overrides else ())), field)
    out = {"method": method}
    for name, default in params.items():
        v = d.get(name, default)
        where = f"{field}.{name}"
        if v is REQUIRED:
            _fail(field, _("method {method!r} needs {name!r}").format(method=method, name=name))
        if v is None:
            continue
        if name in ("cap", "trunc"):
            out[name] = _flag(v, where)
        elif name == "unit":
            out[name] = str(v)
        elif name == "targets":
            out[name] = _codes_to_numbers(v, where)
        elif name == "posts":
            out[name] = _codes_to_numbers(v, where, pairs=True)
        else:
            out[name] = _number(v, where, lo=0.0 if name == "sd" else -math.inf, lo_open=name == "sd")
    if method == "minmax" and not out["lo"] < out["hi"]:
        _fail(
            field,
            _("minmax needs lo < hi; got lo={lo:g}, hi={hi:g}").format(lo=out["lo"], hi=out["hi"]),
        )
    return out


def _canon_normalise(value):
    if value is None or value is False:
        return None
    out = _norm_method(value, "normalise", allow_overrides=True)
    src = value.get("overrides") if isinstance(value, Mapping) else None
    over = {
        str(c): _norm_method(v, f"normalise.overrides.{c}", allow_overrides=False)
        for c, v in _mapping(src or {}, "normalise.overrides").items()
    }
    if over:
        out["overrides"] = over
    return out


def _agg_method(value, field):
    """A single aggregation method in its simplest form: a name, or a dict when it has parameters."""
    d = {"method": value} if isinstance(value, str) else _mapping(value, field)
    method = check_option(d.get("method"), AGGREGATE_METHODS, name=f"{field}.method", func="Spec")
    _keys(d, ("method", *METHOD_PARAMS[method]), field)
    out = {"method": method}
    if method == "genmean":
        if "p" not in d:
            _fail(field, _("method 'genmean' needs 'p' (the power of the generalised mean)"))
        out["p"] = _number(d["p"], f"{field}.p")
    if d.get("min_share") is not None:
        out["min_share"] = _number(d["min_share"], f"{field}.min_share", lo=0.0, hi=1.0)
    return method if len(out) == 1 else out


def _canon_aggregate(value):
    if value is None:
        _fail(
            "aggregate",
            _("a method is needed, one of {aggregate_methods}").format(
                aggregate_methods=list(AGGREGATE_METHODS)
            ),
        )
    if isinstance(value, str) or (isinstance(value, Mapping) and "method" in value):
        return _agg_method(value, "aggregate")
    d = _mapping(value, "aggregate")
    out = {"default": _agg_method(d.get("default", "amean"), "aggregate.default")}
    for key, v in d.items():
        if key == "default":
            continue
        if isinstance(key, numbers.Integral) or (isinstance(key, str) and key.isdigit()):
            key = str(_number(int(key), "aggregate", lo=1, integer=True))
        out[str(key)] = _agg_method(v, f"aggregate.{key}")
    return out["default"] if len(out) == 1 else out


def _canon_weights(value):
    if value is None:
        return None
    d = _mapping(value, "weights")
    out = {str(c): _number(w, f"weights.{c}", lo=0.0) for c, w in d.items()}
    return out or None


_CANON = {
    "denominate": _canon_denominate,
    "impute": _canon_impute,
    "screen": _canon_screen,
    "treat": _canon_treat,
    "normalise": _canon_normalise,
    "aggregate": _canon_aggregate,
    "weights": _canon_weights,
}


def canonical(name: str, value):
    """Field ``name`` of a spec in canonical, read-only form (what ``Spec(name=value).name`` holds)."""
    return _freeze(_CANON[name](value))
