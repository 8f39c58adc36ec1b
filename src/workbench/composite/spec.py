"""A composite-index build described as plain data: :class:`Spec`.

A spec names methods with strings and parameters with numbers, so it prints, saves (dict, JSON,
TOML, YAML), compares and can be sampled. Every field is checked and put in one canonical form
when the spec is made (defaults filled in, numbers as floats), so two specs that mean the same
build are equal and hash the same. A variant is ``dataclasses.replace(spec, normalise=...)``; a
Monte Carlo run is :func:`apply_overrides` with a mapping of dotted field paths. This replaces
COINr's "log and regenerate" (Becker et al. 2022) with data instead of call-stack introspection.
"""

from __future__ import annotations

import json
import math
import numbers
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .._i18n import _
from ..errors import SpecError, check_option
from .aggregate import AGGREGATE_METHODS, METHOD_PARAMS
from .impute import IMPUTE_METHODS
from .normalise import NORMALISE_METHODS, REQUIRED
from .treat import FALLBACKS, TREAT_DEFAULTS

__all__ = ["Spec", "apply_overrides", "field_paths", "FIELDS", "PRE_AGGREGATION"]

FIELDS = ("denominate", "impute", "screen", "treat", "normalise", "aggregate", "weights")
PRE_AGGREGATION = FIELDS[:5]  # the fields that change the table that is aggregated


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
_DEFAULTS = {"normalise": {"method": "minmax"}, "aggregate": "amean"}


@dataclass(frozen=True, init=False)
class Spec:
    """How to build a composite index, as plain data (``None`` skips a step).

    Steps run in the order denominate, impute, screen, treat, normalise, aggregate (COINr's
    ``Denominate``, ``Impute``, ``Screen``, ``Treat``, ``Normalise``, ``Aggregate``).

    Parameters
    ----------
    denominate : bool, default=False
        Divide each indicator by its rubric ``denominator`` column (COINr's iMeta Denominator).
    impute : None, str or dict, default=None
        ``{"method": "mean" | "median" | "group_mean" | "group_median", "group": column}``.
    screen : None or dict, default=None
        ``{"min_share": s}``: drop units with data for less than a share ``s`` of the indicators.
    treat : None, True or dict, default=None
        ``{"winmax": 5, "skew": 2.0, "kurt": 3.5, "fallback": "log_ct", "overrides": {code: {...} | None}}``:
        winsorise indicators with ``|skew| >= skew`` and ``kurtosis >= kurt``, else log-transform.
    normalise : None, str or dict, default={"method": "minmax", "lo": 0, "hi": 100}
        ``minmax`` (lo, hi), ``zscore`` (mean, sd), ``rank``, ``prank``, ``borda``, ``dist2max``,
        ``dist2ref`` (unit, cap), ``dist2targ`` (cap, targets), ``goalposts`` (posts, scale, trunc);
        ``"overrides": {code: {...}}`` for single indicators. Directions come from the rubric.
        None aggregates the values as they are (directions are then not applied).
    aggregate : str or dict, default="amean"
        ``"amean" | "gmean" | "hmean" | "copeland"``, ``{"method": "genmean", "p": p}``, any of these
        with ``"min_share"`` (NaN when the share of weighted children with data is lower, COINr's
        ``dat_thresh``), or a mapping ``{"default": m, "1": m, code: m}``: key ``"k"`` is the k-th
        aggregation (level-k nodes into level k+1, COINr's ``f_ag[k]``); a code names one aggregate.
    weights : None or dict, default=None
        ``{code: weight}``, relative within each parent; codes not named keep the rubric's weight.

    Examples
    --------
    >>> import dataclasses
    >>> spec = Spec(treat={"winmax": 5})
    >>> spec.treat["kurt"]
    3.5
    >>> dataclasses.replace(spec, aggregate="gmean") == Spec(treat=True, aggregate="gmean")
    True
    """

    denominate: bool
    impute: Mapping | None
    screen: Mapping | None
    treat: Mapping | None
    normalise: Mapping | None
    aggregate: str | Mapping
    weights: Mapping | None

    def __init__(
        self,
        *,
        denominate=False,
        impute=None,
        screen=None,
        treat=None,
        normalise=_DEFAULTS["normalise"],
        aggregate=_DEFAULTS["aggregate"],
        weights=None,
        **unknown,
    ):
        if unknown:
            raise SpecError(
                _("Spec has no field(s) {unknown}; its fields are {fields}.").format(
                    unknown=sorted(unknown), fields=list(FIELDS)
                ),
                key=sorted(unknown)[0],
            )
        given = dict(zip(FIELDS, (denominate, impute, screen, treat, normalise, aggregate, weights)))
        for name, value in given.items():
            object.__setattr__(self, name, _freeze(_CANON[name](value)))

    def __hash__(self):
        return hash(self.canonical_json())

    # -------------------------------------------------------------- plain data
    def to_dict(self) -> dict:
        """The spec as plain dicts, lists and scalars (``Spec.from_dict`` reads it back)."""
        return {name: _thaw(getattr(self, name)) for name in FIELDS}

    @classmethod
    def from_dict(cls, data: Mapping) -> Spec:
        if not isinstance(data, Mapping):
            raise SpecError(
                _("a spec must be a dict of fields {fields}; got {type_name}").format(
                    fields=list(FIELDS), type_name=type(data).__name__
                )
            )
        return cls(**{str(k): v for k, v in data.items()})

    def canonical_json(self, fields=FIELDS) -> str:
        """Canonical JSON of some fields: equal specs give equal text (a cache key)."""
        return json.dumps({f: _thaw(getattr(self, f)) for f in fields}, sort_keys=True, ensure_ascii=False)

    def diff(self, other: Spec) -> dict:
        """``{path: (this value, other value)}`` for every leaf path where two specs differ."""
        a, b = _flatten(self.to_dict()), _flatten(other.to_dict())
        return {p: (a.get(p), b.get(p)) for p in sorted(set(a) | set(b)) if a.get(p) != b.get(p)}

    # -------------------------------------------------------------- files
    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str) -> Spec:
        return cls.from_dict(json.loads(text))

    def to_yaml(self) -> str:
        import yaml

        return yaml.safe_dump(self.to_dict(), allow_unicode=True, sort_keys=False)

    @classmethod
    def from_yaml(cls, text: str) -> Spec:
        from .._yaml import load_yaml

        return cls.from_dict(load_yaml(text, error=SpecError, what="spec") or {})

    def to_toml(self) -> str:
        """TOML text; a skipped step is written ``false`` (TOML has no null)."""
        d = self.to_dict()
        lines, tables = [], []
        for name in FIELDS:
            value = d[name]
            if name == "weights" and value is None:
                continue
            if isinstance(value, dict):
                tables.append(f"\n[{name}]")
                tables += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()]
            else:
                lines.append(f"{name} = {_toml_value(value)}")
        return "\n".join(lines + tables) + "\n"

    @classmethod
    def from_toml(cls, text: str) -> Spec:
        try:
            return cls.from_dict(tomllib.loads(text))
        except tomllib.TOMLDecodeError as exc:
            raise SpecError(_("the spec is not valid TOML: {exc}").format(exc=exc)) from None

    def save(self, path) -> Path:
        """Write the spec as ``.toml``, ``.yaml``/``.yml`` or ``.json`` (atomically)."""
        from ..io import atomic_write_text

        path = Path(path)
        writers = {".toml": self.to_toml, ".yaml": self.to_yaml, ".yml": self.to_yaml, ".json": self.to_json}
        suffix = check_option(path.suffix.lower(), list(writers), name="suffix", func="Spec.save")
        return atomic_write_text(path, writers[suffix]())

    @classmethod
    def load(cls, path) -> Spec:
        path = Path(path)
        readers = {
            ".toml": cls.from_toml,
            ".yaml": cls.from_yaml,
            ".yml": cls.from_yaml,
            ".json": cls.from_json,
        }
        suffix = check_option(path.suffix.lower(), list(readers), name="suffix", func="Spec.load")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise SpecError(_("cannot read the spec file: {exc}").format(exc=exc), file=str(path)) from None
        return readers[suffix](text)


def _toml_key(key) -> str:
    key = str(key)
    bare = key and all(ch.isascii() and (ch.isalnum() or ch in "_-") for ch in key)
    return key if bare else json.dumps(key, ensure_ascii=False)


def _toml_value(value) -> str:
    if value is None:
        return "false"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, numbers.Real):
        return repr(value) if isinstance(value, float) else str(int(value))
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"


def _flatten(d, prefix="") -> dict:
    out = {}
    for k, v in d.items():
        path = f"{prefix}{k}"
        if isinstance(v, dict) and v:
            out.update(_flatten(v, path + "."))
        else:
            out[path] = v
    return out


def field_paths(spec: Spec) -> list[str]:
    """Every field path of ``spec`` that :func:`apply_overrides` accepts: the fields themselves and
    the dotted paths of their current entries (``"treat.winmax"``, ``"weights.Conn"``...)."""
    paths = list(FIELDS)
    for name in FIELDS:
        value = _thaw(getattr(spec, name))
        if isinstance(value, dict):
            flat = _flatten({name: value})
            for p in flat:
                parts = p.split(".")
                paths += [".".join(parts[:i]) for i in range(2, len(parts) + 1)]
    return list(dict.fromkeys(paths))


def apply_overrides(spec: Spec, run: Mapping) -> Spec:
    """A new spec with some fields set by dotted path, e.g. ``{"treat.winmax": 3, "aggregate": "gmean"}``.

    A path is a field name (the whole field is replaced) or ``field.key[.key...]`` into a dict
    field. ``weights.<code>`` works when ``weights`` is None; ``aggregate.<level or code>`` turns a
    single method into a ``{"default": ...}`` mapping. The result is checked like any spec.

    >>> apply_overrides(Spec(treat=True), {"treat.winmax": 3}).treat["winmax"]
    3
    """
    if not isinstance(run, Mapping):
        raise SpecError(
            _("a run must be a dict of field paths to values; got {type_name}").format(
                type_name=type(run).__name__
            )
        )
    d = spec.to_dict()
    for path, value in run.items():
        parts = str(path).split(".")
        name = parts[0]
        if name not in FIELDS:
            raise SpecError(
                _("unknown field path {path!r}: Spec has no field {name!r}; its fields are {fields}.").format(
                    path=path, name=name, fields=list(FIELDS)
                ),
                key=str(path),
            )
        if len(parts) == 1:
            d[name] = value
            continue
        cur = d[name]
        if cur is None and name == "weights":
            cur = {}
        elif cur is None or cur is False:
            raise SpecError(
                _(
                    "cannot set {path!r}: step {name!r} is off (None) in this spec; set the whole "
                    "field, e.g. {{{name!r}: {{...}}}}"
                ).format(path=path, name=name),
                key=str(path),
            )
        elif name == "aggregate":
            cur = _aggregate_as_dict(cur, parts[1])
        elif not isinstance(cur, dict):
            raise SpecError(
                _("cannot set {path!r}: field {name!r} is {cur!r}, not a dict").format(
                    path=path, name=name, cur=cur
                ),
                key=str(path),
            )
        node = cur
        for part in parts[1:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise SpecError(
                    _("cannot set {path!r}: {part!r} is not a dict").format(path=path, part=part),
                    key=str(path),
                )
        node[parts[-1]] = value
        d[name] = cur
    return Spec.from_dict(d)


def _aggregate_as_dict(cur, key):
    params = {"method", "p", "min_share"}
    if isinstance(cur, str):
        return {"method": cur} if key in params else {"default": cur}
    if "method" in cur and key not in params:
        return {"default": cur}
    return cur
