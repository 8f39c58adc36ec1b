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
import numbers
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .._i18n import _
from ..errors import SpecError, check_option
from ._fields import _CANON, _freeze, _thaw

__all__ = ["Spec", "apply_overrides", "field_paths", "FIELDS", "PRE_AGGREGATION"]

FIELDS = ("denominate", "impute", "screen", "treat", "normalise", "aggregate", "weights")
PRE_AGGREGATION = FIELDS[:5]  # the fields that change the table that is aggregated


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
