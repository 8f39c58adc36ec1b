"""The scoring kernel: R variants in one pass equal score() on rubrics rewritten with each variant.

Truth used: ``workbench.score`` (the kernel with R = 1, itself pinned by the hand-checked cases of
test_scoring.py and test_shipped_rubrics.py) on a rubric *rewritten* with a variant's settings,
through the rubric model's own editing functions (``Rubric.with_weights``, ``remove_items``,
``dataclasses.replace`` of scheme, quota and veto). Every shipped rubric with its sample data,
with some units duplicated so that quotas meet exact ties, under both tie rules.
"""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import workbench as wb
from workbench.examples import EXAMPLES, load_example
from workbench.scoring.kernel import evaluate
from workbench.slimming import remove_items


@pytest.fixture(scope="module", params=sorted(EXAMPLES))
def example(request):
    rubric, data = load_example(request.param, up_to="data")
    twins = data.iloc[:6].copy()  # exact copies of units: their scores tie in every variant
    twins.index = pd.Index([f"{u}_twin" for u in twins.index], name=data.index.name)
    return rubric, pd.concat([data, twins])


def draw_variant(rubric, rng):
    """One variant as plain settings: sibling weights, party weight, quota, removed items, veto."""
    v = {}
    parents = [c for c, n in rubric.nodes.items() if len(n.children) > 1]
    touched = [p for p in parents if rng.random() < 0.5]
    v["weights"] = {k: float(rng.uniform(0.2, 3.0)) for p in touched for k in rubric.children(p)}
    if rubric.scheme.type == "weighted":
        v["party_weight"] = float(rng.uniform(0.0, 1.0))
    names = rubric.grades.names
    if names and rng.random() < 0.7:
        v["quota"] = {g: float(rng.uniform(0.05, 0.45)) for g in names[:-1] if rng.random() < 0.6}
    held = {x.indicator for x in rubric.veto if x.indicator}
    free = [c for c in rubric.indicators if c not in held]
    v["removed"] = [c for c in free if rng.random() < 0.15][: len(rubric.indicators) - 1]
    v["veto"] = [rng.random() < 0.7 for _ in rubric.veto]
    return v


def rewrite(rubric, v):
    """The rubric the variant describes, edited the way a user would edit it."""
    out = rubric
    if v["weights"]:
        out = out.with_weights(v["weights"])
        if out.categories is not None:  # named weights replace the categories' for those codes
            cats = {g: MappingProxyType({c: w for c, w in ws.items() if c not in v["weights"]})
                    for g, ws in out.categories.weights.items()}  # fmt: skip
            out = replace(out, categories=replace(out.categories, weights=MappingProxyType(cats)))
    if "party_weight" in v:
        out = replace(out, scheme=replace(out.scheme, party_weight=v["party_weight"]))
    if "quota" in v:
        out = replace(out, grades=replace(out.grades, quota=MappingProxyType(v["quota"])))
    if v["removed"]:
        out = remove_items(out, v["removed"])
    return replace(out, veto=tuple(x for x, on in zip(out.veto, v["veto"]) if on))


def arrays(program, variants):
    """The kernel's variant arrays for a list of variants."""
    r_, names = len(variants), program.names
    w = np.full((r_, len(program.nodes)), np.nan)
    removed = np.zeros((r_, len(program.indicators)), dtype=bool)
    quota = np.tile(np.asarray(program.quota, dtype=float), (r_, 1)) if names else None
    for i, v in enumerate(variants):
        if v["weights"]:
            w[i, program.position(list(v["weights"]))] = list(v["weights"].values())
        removed[i] = [c in v["removed"] for c in program.indicators]
        if "quota" in v:
            quota[i] = [v["quota"].get(g, np.nan) for g in names]
    out = {"weights": w, "removed": removed, "quota": quota, "veto": np.array([v["veto"] for v in variants])}
    if program.scheme == "weighted":
        out["party_weight"] = np.array([v["party_weight"] for v in variants])
    if not program.veto_codes:
        out.pop("veto")
    return out


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), include_ties=st.booleans())
def test_variants_equal_score_on_rewritten_rubrics(example, seed, include_ties):
    rubric, data = example
    if include_ties:
        rubric = replace(rubric, grades=replace(rubric.grades, ties="include"))
    rng = np.random.default_rng(seed)
    variants = [draw_variant(rubric, rng) for _ in range(4)]
    card = wb.score(rubric, data)
    program, inputs = card._arrays["program"], card._arrays["inputs"]
    ev = evaluate(program, inputs, **arrays(program, variants))
    for i, v in enumerate(variants):
        ref = wb.score(rewrite(rubric, v), data)
        np.testing.assert_allclose(ev.final[i], ref.final.to_numpy(), rtol=0, atol=1e-9)
        np.testing.assert_allclose(ev.total[i], ref.total.to_numpy(), rtol=0, atol=1e-9)
        assert (ev.rank[i] == ref.rank.to_numpy()).all(), f"ranks differ in variant {i}: {v}"
        if program.names:
            assert (ev.grade[i] == ref.grade.cat.codes.to_numpy()).all(), f"grades differ in variant {i}: {v}"


def test_one_variant_is_score(example):
    """R = 1 with no variant is score() itself, and a batch reproduces each of its rows alone."""
    rubric, data = example
    card = wb.score(rubric, data)
    program, inputs = card._arrays["program"], card._arrays["inputs"]
    ev = evaluate(program, inputs)
    assert (ev.final[0] == card.final.to_numpy()).all() and (ev.rank[0] == card.rank.to_numpy()).all()
    rng = np.random.default_rng(7)
    variants = [draw_variant(rubric, rng) for _ in range(5)]
    both = evaluate(program, inputs, **arrays(program, variants))
    for i in range(5):
        alone = evaluate(program, inputs, **arrays(program, variants[i : i + 1]))
        np.testing.assert_allclose(both.final[i], alone.final[0], rtol=0, atol=1e-9)
        assert (both.rank[i] == alone.rank[0]).all()


def test_variant_arrays_must_agree():
    rubric, data = load_example("county", up_to="data")
    card = wb.score(rubric, data)
    program, inputs = card._arrays["program"], card._arrays["inputs"]
    with pytest.raises(ValueError, match="disagree"):
        evaluate(program, inputs, weights=np.full((3, len(program.nodes)), np.nan), quota=np.zeros((2, 4)))
    with pytest.raises(wb.SpecError, match="not components of rubric"):
        wb.score(rubric, data, weights={"nope": 1.0})
    with pytest.raises(wb.SpecError, match="finite numbers >= 0.*leadership"):
        wb.score(rubric, data, weights={"leadership": -1.0})
