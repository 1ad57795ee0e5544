"""The benchmark runner (python -m skddmt.benchmark)."""

import json

import numpy as np
import pytest

from skddmt import benchmark

from .conftest import periodic_series, with_anomalies


def _write_entity(path, seed):
    X, y = with_anomalies(periodic_series(300, seed=seed + 1), seed=seed)
    np.savez(path, train=periodic_series(400, seed=seed).astype(np.float32),
             test=X.astype(np.float32), test_label=y.astype(np.int8))


@pytest.fixture
def data_dir(tmp_path):
    for name, seeds in (("SMD", (0, 1)), ("MSL", (2,))):
        (tmp_path / name).mkdir()
        for s in seeds:
            _write_entity(tmp_path / name / f"e{s}.npz", s)
    return tmp_path


def test_evaluate_perfect_scores():
    y = np.zeros(500, int)
    y[100:120] = 1
    y[300:305] = 1
    score = y + np.random.default_rng(0).uniform(0, 0.5, size=500)  # anomalies rank first
    res = benchmark.evaluate(y, score, y, ratio=5.0)  # 5 % = the 25 anomalous points
    for key in ("vus_pr", "vus_roc", "auc_pr", "auc_roc", "pa_k_auc", "point_f1",
                "affiliation_f1", "pa_f1"):
        assert res[key] == pytest.approx(1.0), key


def test_runner_writes_tables_and_resumes_from_cache(data_dir, tmp_path, capsys):
    out = tmp_path / "out"
    args = [str(data_dir / "SMD"), str(data_dir / "MSL" / "e2.npz"),
            "--detectors", "meansq", "random", "ddmt", "--seeds", "0", "1",
            "--ddmt-params", json.dumps({"window_size": 16, "d_model": 8, "n_heads": 2,
                                         "n_layers": 1, "max_epochs": 1}),
            "--out", str(out)]
    benchmark.main(args)
    table = (out / "results.md").read_text()
    assert "### SMD (2 entities)" in table and "### MSL (1 entities)" in table
    assert "| ddmt |" in table and "| meansq |" in table and "PA F1" in table
    result = json.loads((out / "results.json").read_text())
    smd = result["summary"]["SMD"]
    assert set(smd) == {"meansq", "random", "ddmt"}
    mean, std, n_seeds = smd["random"]["vus_pr"]
    assert n_seeds == 2 and 0 <= mean <= 1
    assert smd["meansq"]["vus_pr"][1] == 0.0  # seed-free: identical over seeds
    cached = sorted((out / "cache").rglob("*.json"))
    # meansq runs once per entity; random and ddmt once per entity and seed
    assert len(cached) == 3 + 2 * 3 + 2 * 3

    # resume: a cached record is reused, not recomputed
    target = next(p for p in cached if p.parent.name.startswith("meansq") and "e0" in p.name)
    record = json.loads(target.read_text())
    record["vus_pr"] = 0.123
    target.write_text(json.dumps(record))
    capsys.readouterr()
    benchmark.main(args)
    again = json.loads((out / "results.json").read_text())["summary"]["SMD"]["meansq"]["vus_pr"]
    other = json.loads(next(p for p in cached if p.parent.name.startswith("meansq")
                            and "e1" in p.name).read_text())["vus_pr"]
    assert again[0] == pytest.approx((0.123 + other) / 2)


def test_runner_rejects_missing_input(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file"):
        benchmark.main([str(tmp_path / "nope.npz"), "--out", str(tmp_path)])


def test_cache_key_is_the_full_parameter_set(tmp_path, monkeypatch):
    """Spelling out a default gives the same cached run; changing a value, or
    a default of the estimator, gives another."""
    path = tmp_path / "SMD" / "e0.npz"
    key = benchmark._cache_file
    assert key(tmp_path, "ddmt", {}, path, 0) == key(tmp_path, "ddmt", {"max_epochs": 20}, path, 0)
    assert key(tmp_path, "ddmt", {}, path, 0) != key(tmp_path, "ddmt", {"max_epochs": 3}, path, 0)
    assert key(tmp_path, "ddmt", {}, path, 0) != key(tmp_path, "ddmt", {}, path, 1)
    assert key(tmp_path, "ddmt", {}, path, 0).parent.name.startswith("ddmt-")
    before = key(tmp_path, "ddmt", {}, path, 0)
    # A new default (here simulated by the factory) must not reuse old runs.
    monkeypatch.setitem(benchmark.DETECTORS, "ddmt", (
        lambda seed, params: benchmark.DDMTDetector(random_state=seed,
                                                    **{"max_epochs": 7, **params}), True))
    assert key(tmp_path, "ddmt", {}, path, 0) != before
