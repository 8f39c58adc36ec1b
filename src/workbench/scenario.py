"""Scenarios: "what if" variants of a rubric, as plain data.

A policy office asks "if party building counted 10% instead of 2%", "if we used Hangzhou's
dual-100 rule", "if 优秀 were capped at 15%". A :class:`Scenario` holds such changes; applying it to
a rubric gives a new rubric (the original is untouched), so a baseline and a variant are scored
side by side. Scenarios come from YAML files (``--scenario`` of ``workbench brief``) or from the
weight simulator's controls.

Scenario file::

    name: 党建权重提高到10%
    weights: {leadership: 25}            # relative weights within each parent
    scheme: {type: weighted, party_weight: 0.10, other: {column: econ_score, name: 经济社会发展}}
    quota: {优秀: 0.15}                   # replaces the rubric's quotas ({} removes them)
    veto: false                           # ignore veto items (true keeps them)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from .errors import SpecError

__all__ = ["Scenario", "load_scenario", "apply_scenario"]

_KEYS = {"name", "description", "weights", "scheme", "quota", "veto", "bands"}
# Messages added for untrusted files (issue 12), in one place for the gettext catalogue.
MESSAGES = {
    "text": "'{key}' must be text; found {type}",
    "control": "'{key}' contains control or direction-changing characters ({chars})",
    "control_hint": "delete them; line breaks and tabs are allowed",
    "other": "'scheme.other' must be a mapping {{column: ..., name: ..., scale: 100}}",
    "number": "'{key}' must be a finite number; found {value!r}",
}
_SCHEMES = ("single", "weighted", "multiplicative", "dual100")


@dataclass(frozen=True)
class Scenario:
    """Changes to a rubric. ``None`` means "keep the rubric's"."""

    name: str = "scenario"
    weights: dict | None = None
    scheme: dict | None = None
    quota: dict | None = None
    veto: bool | None = None
    bands: dict | None = None
    description: str = ""
    source: str | None = field(default=None, compare=False)


def load_scenario(path) -> Scenario:
    """Read a scenario YAML file (safe loading with limits; validated by :func:`apply_scenario`)."""
    from ._yaml import read_yaml

    path = Path(path)
    data = read_yaml(path, error=SpecError, what="scenario file")
    return scenario_from_dict(data, file=str(path))


def scenario_from_dict(data, file: str | None = None) -> Scenario:
    if not isinstance(data, dict):
        raise SpecError("a scenario must be a mapping such as {name: ..., weights: {...}}", file=file)
    unknown = sorted(set(map(str, data)) - _KEYS)
    if unknown:
        raise SpecError(
            f"unknown scenario keys {unknown}; expected some of {sorted(_KEYS)}", file=file, key=unknown[0]
        )
    for key in ("weights", "scheme", "quota", "bands"):
        if data.get(key) is not None and not isinstance(data[key], dict):
            raise SpecError(
                f"'{key}' must be a mapping; found {type(data[key]).__name__}", file=file, key=key
            )
    if data.get("veto") is not None and not isinstance(data["veto"], bool):
        raise SpecError(f"'veto' must be true or false; found {data['veto']!r}", file=file, key="veto")
    _check_scenario_values(data, file)
    return Scenario(
        name=str(data.get("name", Path(file).stem if file else "scenario")),
        weights=data.get("weights"),
        scheme=data.get("scheme"),
        quota=data.get("quota"),
        veto=data.get("veto"),
        bands=data.get("bands"),
        description=str(data.get("description", "")),
        source=file,
    )


def _check_scenario_values(data: dict, file) -> None:
    """Text without control characters; numbers that are finite numbers (never a traceback)."""
    from ._text import bad_characters

    for key in ("name", "description"):
        value = data.get(key)
        if value is not None and not isinstance(value, (str, int, float)):
            raise SpecError(MESSAGES["text"].format(key=key, type=type(value).__name__), file=file, key=key)
        bad = bad_characters(str(value), allow_newlines=True) if value is not None else []
        if bad:
            raise SpecError(
                MESSAGES["control"].format(key=key, chars=", ".join(bad)),
                file=file,
                key=key,
                hint=MESSAGES["control_hint"],
            )
    numbers = [(f"bands.{k}", v) for k, v in (data.get("bands") or {}).items()]
    numbers += [(f"weights.{k}", v) for k, v in (data.get("weights") or {}).items()]
    scheme = data.get("scheme") or {}
    if "other" in scheme and scheme["other"] is not None and not isinstance(scheme["other"], dict):
        raise SpecError(MESSAGES["other"], file=file, key="scheme.other")
    other = scheme.get("other") or {}
    if "scale" in other:
        numbers.append(("scheme.other.scale", other["scale"]))
    for key, v in numbers:
        ok = isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and abs(v) <= 1e15
        if not ok or (key == "scheme.other.scale" and v <= 0):
            raise SpecError(MESSAGES["number"].format(key=key, value=v), file=file, key=key)


def apply_scenario(rubric, scenario: Scenario):
    """A new rubric with the scenario's changes (the given rubric is not modified).

    Raises
    ------
    SpecError
        Unknown codes or grades, weights that are negative or all zero, shares outside (0, 1],
        a scheme without the other score's column.
    """
    from .errors import RubricError
    from .rubric import Scheme

    file = scenario.source
    out = rubric
    if scenario.weights:
        try:
            out = out.with_weights(scenario.weights)
        except RubricError as exc:
            raise SpecError(f"scenario {scenario.name!r}: {exc}", file=file, key="weights") from None
        if out.categories is not None and out.categories.weights:
            # the scenario decides the weights of every sibling group it touches, for all categories
            parents = {out.nodes[c].parent for c in scenario.weights}
            siblings = {k for p in parents for k in out.nodes[p].children}
            kept = {
                g: MappingProxyType({c: v for c, v in w.items() if c not in siblings})
                for g, w in out.categories.weights.items()
            }
            out = replace(out, categories=replace(out.categories, weights=MappingProxyType(kept)))
    g = out.grades
    if scenario.bands is not None:
        bands = tuple((str(k), float(v)) for k, v in scenario.bands.items())
        if not bands or any(b >= a for (_, a), (_, b) in zip(bands, bands[1:])) or bands[-1][1] > 0:
            raise SpecError(
                "'bands' must list grades best first with falling lower bounds ending at 0",
                file=file,
                key="bands",
            )
        g = replace(
            g, bands=bands, quota=MappingProxyType({k: v for k, v in g.quota.items() if k in dict(bands)})
        )
    if scenario.quota is not None:
        names = g.names
        bad = {
            k: v
            for k, v in scenario.quota.items()
            if k not in names or not isinstance(v, (int, float)) or not 0 < v <= 1
        }
        if bad:
            raise SpecError(
                f"quota must map grades {names} to shares in (0, 1]; found {bad}", file=file, key="quota"
            )
        if sum(scenario.quota.values()) > 1 + 1e-9:
            raise SpecError("quotas add up to more than 100% of units", file=file, key="quota")
        g = replace(g, quota=MappingProxyType({k: float(v) for k, v in scenario.quota.items()}))
    out = replace(out, grades=g)
    if scenario.veto is False:
        out = replace(out, veto=())
    if scenario.scheme is not None:
        s = dict(scenario.scheme)
        stype = s.get("type", out.scheme.type)
        if stype not in _SCHEMES:
            raise SpecError(
                f"scheme type must be one of {_SCHEMES}; found {stype!r}", file=file, key="scheme.type"
            )
        other = s.get("other") or {}
        column = other.get("column", out.scheme.other_column)
        if stype != "single" and not column:
            raise SpecError(
                f"scheme {stype!r} needs other: {{column: ...}} (the other score's column)",
                file=file,
                key="scheme.other",
            )
        pw = s.get("party_weight", out.scheme.party_weight)
        if stype == "weighted" and (
            pw is None or not isinstance(pw, (int, float)) or not 0 <= pw <= 1 or math.isnan(pw)
        ):
            raise SpecError(
                f"'party_weight' must be a share in [0, 1]; found {pw!r}",
                file=file,
                key="scheme.party_weight",
            )
        matrix = s.get("matrix", out.scheme.matrix if stype == out.scheme.type else None)
        if stype == "dual100" and matrix is None:
            names = g.names
            matrix = {a: {b: names[max(i, j)] for j, b in enumerate(names)} for i, a in enumerate(names)}
        out = replace(
            out,
            scheme=Scheme(
                type=stype,
                other_column=column if stype != "single" else None,
                other_name=other.get("name", out.scheme.other_name or column),
                other_scale=float(other.get("scale", out.scheme.other_scale)),
                party_weight=float(pw) if stype == "weighted" else None,
                matrix=None
                if matrix is None
                else MappingProxyType({a: MappingProxyType(dict(r)) for a, r in matrix.items()}),
            ),
        )
    return out
