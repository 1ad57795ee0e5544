"""skddmt.benchmark.store: the key recipe of run records and kept models."""



from skddmt import DDMTDetector, benchmark

from .benchmark_helpers import TINY


def test_cache_key_is_the_full_parameter_set(tmp_path, monkeypatch):
    """Spelling out a default gives the same cached run; changing a value, or
    a default of the estimator, gives another."""
    path = tmp_path / "SMD" / "e0.npz"
    key = benchmark.run_file
    assert key(tmp_path, "ddmt", {}, path, 0) == key(tmp_path, "ddmt", {"max_epochs": 20}, path, 0)
    assert key(tmp_path, "ddmt", {}, path, 0) != key(tmp_path, "ddmt", {"max_epochs": 3}, path, 0)
    assert key(tmp_path, "ddmt", {}, path, 0) != key(tmp_path, "ddmt", {}, path, 1)
    assert key(tmp_path, "ddmt", {}, path, 0).parent.name.startswith("ddmt-")
    before = key(tmp_path, "ddmt", {}, path, 0)
    # A new default (here simulated by the factory) must not reuse old runs.
    monkeypatch.setitem(benchmark.DETECTORS, "ddmt", (
        lambda seed, params: DDMTDetector(random_state=seed,
                                                    **{"max_epochs": 7, **params}), True))
    assert key(tmp_path, "ddmt", {}, path, 0) != before

def test_model_key_ignores_scoring_parameters_only(tmp_path):
    path = tmp_path / "SMD" / "e0.npz"
    key = benchmark.model_file
    same = key(tmp_path, TINY, path, 0)
    for extra in ({"n_samples": 2}, {"contamination": 0.05}, {"score_features": [0]},
                  {"verbose": True}):
        assert key(tmp_path, {**TINY, **extra}, path, 0) == same, extra
    for other in (key(tmp_path, {**TINY, "max_epochs": 1}, path, 0),
                  key(tmp_path, {**TINY, "adnm": False}, path, 0),
                  key(tmp_path, TINY, path, 1),
                  key(tmp_path, TINY, path, 0, columns=[0])):
        assert other != same
