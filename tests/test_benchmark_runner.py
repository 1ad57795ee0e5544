"""skddmt.benchmark.runner: the metrics of both protocols and one run."""

import json

import numpy as np
import pytest

from skddmt import benchmark
from skddmt.baselines import MeanSquareDetector

from .benchmark_helpers import TINY


def test_evaluate_perfect_scores():
    y = np.zeros(500, int)
    y[100:120] = 1
    y[300:305] = 1
    score = y + np.random.default_rng(0).uniform(0, 0.5, size=500)  # anomalies rank first
    res = benchmark.evaluate(y, score, y, ratio=5.0)  # 5 % = the 25 anomalous points
    for key in ("vus_pr", "vus_roc", "auc_pr", "auc_roc", "pa_k_auc", "point_f1",
                "affiliation_f1", "pa_f1"):
        assert res[key] == pytest.approx(1.0), key

@pytest.mark.parametrize("extra", [{"n_reverse_steps": 3}, {"n_samples": 2},
                                   {"score_stride": 4}, {"score_features": [0, 2]},
                                   {"contamination": 0.05}])
def test_rescored_variant_equals_a_fresh_fit(bench_data, extra):
    """Re-scoring a trained model with scoring-time parameters gives exactly
    what fitting with them gives (training does not depend on them)."""
    path = bench_data / "SMD" / "e0.npz"
    base, variant = benchmark.run_one("ddmt", TINY, path, 0, ratio=1.0, rescore=[extra])
    fresh = benchmark.run_one("ddmt", {**TINY, **extra}, path, 0, ratio=1.0)[0]
    for key in benchmark.SOUND + benchmark.PAPER + ["flagged"]:
        assert variant[key] == pytest.approx(fresh[key], abs=1e-9), key
    # ... and the variant is a different scorer, so the check above is not vacuous.
    assert any(variant[key] != base[key] for key in benchmark.SOUND), extra

def test_rescored_variants_do_not_accumulate(bench_data):
    """Several re-scored variants in one run: each is the base parameters
    plus its own extra only, not the extras before it."""
    path = bench_data / "SMD" / "e0.npz"
    extras = [{"score_smoothing": 1}, {"n_samples": 2}]
    _, first, second = benchmark.run_one("ddmt", TINY, path, 0, ratio=1.0, rescore=extras)
    alone = benchmark.run_one("ddmt", TINY, path, 0, ratio=1.0, rescore=extras[1:])[1]
    for key in benchmark.SOUND + ["flagged"]:
        assert second[key] == pytest.approx(alone[key], abs=1e-9), key
    assert any(first[key] != second[key] for key in benchmark.SOUND)

def test_runner_columns_give_detectors_only_those_columns(bench_data, tmp_path):
    """--columns restricts every detector to the given columns, and such runs
    are cached apart from runs on every column."""
    path = bench_data / "MSL" / "e2.npz"
    out = tmp_path / "out"
    benchmark.main([str(path), "--detectors", "pca", "meansq", "--seeds", "0",
                    "--columns", "0", "2", "--out", str(out)])
    result = json.loads((out / "results.json").read_text())
    assert result["config"]["columns"] == [0, 2]
    got = {r["detector"]: r for r in result["runs"]}
    data = np.load(path)
    subset = MeanSquareDetector().fit(data["train"][:, [0, 2]])
    decision = subset.decision_function(data["test"][:, [0, 2]])
    expected = benchmark.evaluate(data["test_label"], -decision, (decision < 0).astype(int),
                                  1.0, 100)
    assert got["meansq"]["vus_pr"] == pytest.approx(expected["vus_pr"])
    every = benchmark.run_one("meansq", {}, path, 0, 1.0)[0]
    assert every["vus_pr"] != pytest.approx(expected["vus_pr"])
    assert (benchmark.run_file(out / "cache", "meansq", {}, path, 0, [0, 2])
            != benchmark.run_file(out / "cache", "meansq", {}, path, 0))
    assert benchmark.run_file(out / "cache", "meansq", {}, path, 0, [0, 2]).is_file()
    with pytest.raises(ValueError, match=r"--columns \[3\] out of range .*3 columns"):
        benchmark.run_one("meansq", {}, path, 0, 1.0, columns=[0, 3])

def test_runner_refuses_a_kept_model_of_other_parameters(bench_data, tmp_path):
    models = tmp_path / "models"
    entity = bench_data / "MSL" / "e2.npz"
    benchmark.run_one("ddmt", TINY, entity, 0, ratio=1.0, models=models)
    other = benchmark.model_file(models, {**TINY, "max_epochs": 1}, entity, 0)
    other.parent.mkdir(parents=True)
    benchmark.model_file(models, TINY, entity, 0).rename(other)  # a stale or misplaced file
    with pytest.raises(ValueError, match="trained with other parameters"):
        benchmark.run_one("ddmt", {**TINY, "max_epochs": 1}, entity, 0, ratio=1.0,
                          models=models)
