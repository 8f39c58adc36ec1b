"""evaluate_runs checks each run's overrides once per distinct override: the result of every run must
still be exactly build_index of apply_overrides(spec, run), and bad runs fail as apply_overrides does."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import ROOT

import workbench as wb
from workbench.composite import Spec, apply_overrides, build_index, evaluate_runs
from workbench.errors import SpecError

ASEM = ROOT / "data/samples/asem"
NOMINAL = Spec(
    denominate=True,
    impute={"method": "group_mean", "group": "EurAsia_group"},
    screen={"min_share": 0.9},
    treat={"winmax": 5},
    normalise={"method": "minmax", "lo": 1, "hi": 100},
)


@pytest.fixture(scope="module")
def asem():
    return wb.rubric_from_table(ASEM / "ASEM_iMeta.csv"), wb.read_table(ASEM / "ASEM_iData.csv")


def _check(rubric, data, runs, out):
    for j, run in enumerate(runs):
        ref = build_index(rubric, data, apply_overrides(NOMINAL, run)).index.reindex(out.units).to_numpy()
        assert np.array_equal(out.scores[:, j], ref, equal_nan=True), (j, run)


def test_shared_and_fresh_override_objects_and_sub_paths(asem):
    rubric, data = asem
    zscore = {"method": "zscore", "mean": 10, "sd": 2}
    weights = {"Conn": 0.7, "Sust": 1.3}
    runs = [
        {"normalise": zscore, "weights": weights},
        {"normalise": dict(zscore), "weights": dict(weights)},  # equal content, other objects
        {"normalise": zscore, "weights.Conn": 2.0},  # one weight by path
        # whole field, then a path into it, and the other way round: order kept (copies, because
        # apply_overrides writes the path into the dict it was given)
        {"weights": dict(weights), "weights.Sust": 0.5},
        {"weights.Sust": 0.5, "weights": dict(weights)},
        {"aggregate.2": "gmean"},  # a level key turns one method into a mapping
        {"treat": {"winmax": 2}, "treat.winmax": 4},
        {"treat.winmax": 5},  # equals the nominal: the same table
        {"screen.min_share": 0.95, "impute": None},  # drops units: NaN rows in that run only
        {},
    ]
    out = evaluate_runs(rubric, data, NOMINAL, runs)
    _check(rubric, data, runs, out)
    assert np.array_equal(out.scores[:, 0], out.scores[:, 1])
    assert not np.array_equal(out.scores[:, 3], out.scores[:, 4])
    assert np.array_equal(out.scores[:, 7], out.scores[:, 9])
    assert np.isnan(out.scores[:, 8]).any() and not np.isnan(out.scores[:, 9]).any()


def test_runs_from_a_generator_of_fresh_dicts(asem):
    # fresh dicts freed after use must not be mistaken for earlier ones (their ids can be reused)
    rubric, data = asem
    specs = [
        {"normalise": {"method": "minmax", "lo": lo, "hi": 100}, "aggregate": "gmean"} for lo in (1, 2, 3)
    ]
    out = evaluate_runs(
        rubric,
        data,
        NOMINAL,
        ({k: dict(v) if isinstance(v, dict) else v for k, v in s.items()} for s in specs),
    )
    _check(rubric, data, specs, out)
    assert len({tuple(out.scores[:5, j]) for j in range(3)}) == 3


def test_bad_runs_fail_as_apply_overrides_does(asem):
    rubric, data = asem
    for run in (
        {"treat.winmax": True},
        {"treat.winmax": -1},
        {"normalise": {"method": "nope"}},
        {"nope": 1},
        ["x"],
    ):
        with pytest.raises(SpecError) as direct:
            apply_overrides(NOMINAL, run)
        with pytest.raises(SpecError) as batch:
            evaluate_runs(rubric, data, NOMINAL, [{}, run])
        assert str(batch.value) == str(direct.value)
    with pytest.raises(SpecError, match="Nope"):  # codes are checked against the rubric
        evaluate_runs(rubric, data, NOMINAL, [{}, {"weights": {"Nope": 1}}])
    # 1 and True are different overrides (the bool is refused, the int is not)
    out = evaluate_runs(rubric, data, NOMINAL, [{"treat.winmax": 1}])
    with pytest.raises(SpecError):
        evaluate_runs(rubric, data, NOMINAL, [{"treat.winmax": 1}, {"treat.winmax": True}])
    assert np.isfinite(out.scores).all()
