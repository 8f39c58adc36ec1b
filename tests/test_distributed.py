"""Uncertainty and Sobol' indices reduced where the runs are scored, here and on a dask cluster.

Truths used: the single-process analysis that keeps every run (exact quantiles, grade shares and
SALib's own per-column estimators on the full runs x units matrix), and an independent bound check
of the reduced quantiles; the cluster runs in worker processes (``processes=True``), with 2 workers
and then 1, and must give identical numbers for the same seed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_sensitivity import SCHEMES, make_data, make_rubric

from workbench import sensitivity as sa
from workbench.sensitivity import _reduced, _sobol

FACTORS = {"weights": {"dirichlet": {"concentration": 5}}, "quota": [0.1, 0.3, None]}


@pytest.fixture(scope="module")
def case():
    return make_rubric(**SCHEMES["categories"][0]), make_data(n=60, seed=2)


def test_reduced_equals_kept_runs(case, monkeypatch):
    rubric, data = case
    # 64 bins >= 60 ranks keeps the quantiles exact; tasks of 16 runs, combined in a tree
    monkeypatch.setattr(_reduced, "hist_bins", lambda n_units: 64)
    for sampling in ("sobol", "random"):
        kept = sa.uncertainty(rubric, data, None, FACTORS, n=40, seed=3, sampling=sampling)
        red = sa.uncertainty(rubric, data, None, FACTORS, n=40, seed=3, sampling=sampling, keep_runs=False)
        assert red.ranks is None and red.grades is None and (red.rank_error == 0).all()
        pd.testing.assert_frame_equal(kept.rank_stats, red.rank_stats)
        pd.testing.assert_frame_equal(kept.grade_probs, red.grade_probs)
        pd.testing.assert_frame_equal(kept.params, red.params)
        assert list(kept.fragile) == list(red.fragile) and kept.run(11) == red.run(11)


def test_reduced_quantiles_within_their_stated_bound(case, monkeypatch):
    rubric, data = case
    monkeypatch.setattr(_reduced, "hist_bins", lambda n_units: 4)  # coarse bins: approximate quantiles
    kept = sa.uncertainty(rubric, data, None, FACTORS, n=64, seed=5)
    red = sa.uncertainty(rubric, data, None, FACTORS, n=64, seed=5, keep_runs=False)
    ranks = kept.ranks.to_numpy()
    width = (ranks.max(axis=1) - ranks.min(axis=1) + 1 + 3) // 4  # bins over each unit's [min, max]
    np.testing.assert_array_equal(red.rank_error.to_numpy(), (width - 1) / 2)
    assert red.rank_error.max() > 0
    for q in ("q05", "median", "q95"):
        err = np.abs(red.rank_stats[q] - kept.rank_stats[q])
        assert (err <= red.rank_error + 1e-9).all(), q
    pd.testing.assert_series_equal(red.rank_stats["mean"], kept.rank_stats["mean"])
    pd.testing.assert_frame_equal(red.grade_probs, kept.grade_probs)


def test_sobol_unit_indices_equal_salib_on_the_full_matrix():
    rubric = make_rubric(**SCHEMES["weighted"][0])
    data = make_data(other=True)
    factors = {"weights.A": {"uniform": [10, 50]}, "party_weight": {"uniform": [0.02, 0.5]}}
    res = sa.sobol(rubric, data, None, factors, n=128, seed=4, num_resamples=10)
    # SALib's estimators column by column on the kept runs x units scores of the same design
    st = _sobol.setup(rubric, data, None, unit=None)
    fs = _sobol.factors_for(st, factors)
    rng = _sobol.as_generator(4)
    design = _sobol._design(fs, 128, rng, False)
    runs = _sobol.evaluate(st, fs, design, 128 * 4)
    y_main = np.abs(runs.ranks - st.nominal_rank.to_numpy()[None, :]).mean(axis=1)
    _, u1, ut, _ = _sobol._analyse(fs, 128, y_main, runs.scores, rng, False, 10, 0.95)
    np.testing.assert_allclose(res.unit_S1.to_numpy(), u1.to_numpy(), rtol=0, atol=1e-10)
    np.testing.assert_allclose(res.unit_ST.to_numpy(), ut.to_numpy(), rtol=0, atol=1e-10)
    np.testing.assert_allclose(res.output.to_numpy(), y_main, rtol=0, atol=0)


def test_process_cluster_matches_single_process(case, monkeypatch):
    distributed = pytest.importorskip("distributed")
    rubric, data = case
    monkeypatch.setattr(_reduced, "hist_bins", lambda n_units: 64)  # several tasks, as above
    sobol_f = {"weights.A": {"uniform": [10, 50]}, "quota": {"uniform": [0.05, 0.4]}}
    local = sa.uncertainty(rubric, data, None, FACTORS, n=40, seed=8, sampling="random")
    local_s = sa.sobol(rubric, data, None, sobol_f, n=32, seed=2, num_resamples=10)
    results = {}
    for workers in (2, 1):  # a fresh cluster each time: the same seed, whatever the workers
        with (
            distributed.LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            results[workers] = (
                sa.uncertainty(rubric, data, None, FACTORS, n=40, seed=8, sampling="random",
                               client=client, keep_runs=False),
                sa.sobol(rubric, data, None, sobol_f, n=32, seed=2, num_resamples=10, client=client),
            )  # fmt: skip
            if workers == 2:
                kept = sa.uncertainty(rubric, data, None, FACTORS, n=40, seed=8, sampling="random",
                                      client=client)  # fmt: skip
    pd.testing.assert_frame_equal(local.ranks, kept.ranks)  # whole runs gathered from the workers
    for unc, sob in results.values():
        pd.testing.assert_frame_equal(local.rank_stats, unc.rank_stats)
        pd.testing.assert_frame_equal(local.grade_probs, unc.grade_probs)
        pd.testing.assert_frame_equal(local.params, unc.params)
        pd.testing.assert_frame_equal(local_s.indices, sob.indices)
        pd.testing.assert_frame_equal(local_s.unit_S1, sob.unit_S1)
        pd.testing.assert_frame_equal(local_s.unit_ST, sob.unit_ST)


def test_command_line_uncertainty(tmp_path, capsys):
    from conftest import ROOT

    from workbench.cli import main

    rubric, data = ROOT / "indicators" / "cq_organs.yaml", ROOT / "data" / "samples" / "county_organs.csv"
    args = ["uncertainty", "--rubric", str(rubric), "--data", str(data), "--draws", "50", "--out"]
    assert main([*args, str(tmp_path / "a")]) == 0
    assert main([*args, str(tmp_path / "b"), "--reduce"]) == 0
    out = capsys.readouterr().out
    assert "uncertainty written" in out and "不确定性分析已写入" in out and "0" in out.splitlines()[-1]
    a = (tmp_path / "a" / "cq_organs_uncertainty.csv").read_bytes()
    assert a == (tmp_path / "b" / "cq_organs_uncertainty.csv").read_bytes()  # reduced = kept, exactly
    table = pd.read_csv(tmp_path / "a" / "cq_organs_uncertainty.csv", index_col=0, encoding="utf-8-sig")
    assert len(table) == 86 and {"q05", "q95", "p_top", "fragile"} <= set(table.columns)
    assert main(["uncertainty", "--rubric", str(rubric), "--data", str(data), "--draws", "1"]) == 2
