import numpy as np
import pytest

from skddmt import DDMTDetector

#: A small, fast configuration for tests (a few seconds per fit on 2 cores).
TINY = dict(window_size=16, d_model=16, n_layers=1, n_heads=2, max_epochs=3,
            batch_size=32, adnm_max_radius=3, train_stride=2, random_state=0)


def tiny_detector(**params):
    """A DDMTDetector small enough for unit tests."""
    return DDMTDetector(**{**TINY, **params})


def periodic_series(n, n_features=3, seed=0, noise=0.05):
    """Sines of different periods and phases with Gaussian noise, shape (n, n_features)."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)[:, None]
    periods = 12 + 5 * np.arange(n_features)[None, :]
    phases = np.linspace(0, 1.5, n_features)[None, :]
    return np.sin(2 * np.pi * t / periods + phases) + noise * rng.normal(size=(n, n_features))


def with_anomalies(X, seed=0):
    """Copy of X with spikes and one shifted segment; returns (X_anom, y) with 1 = anomaly."""
    rng = np.random.default_rng(seed)
    X = X.copy()
    y = np.zeros(len(X), dtype=int)
    n = len(X)
    for i in rng.choice(np.arange(20, n - 20), size=6, replace=False):
        X[i, rng.integers(X.shape[1])] += rng.choice([-1, 1]) * 3.0
        y[i] = 1
    start = n // 2
    X[start:start + 8, 0] += 2.5
    y[start:start + 8] = 1
    return X, y


@pytest.fixture(scope="session")
def train_series():
    return periodic_series(600, seed=1)


@pytest.fixture(scope="session")
def test_series():
    return with_anomalies(periodic_series(400, seed=2), seed=3)


@pytest.fixture(scope="session")
def fitted(train_series):
    """A tiny detector fitted once for the read-only tests."""
    return tiny_detector().fit(train_series)


def _write_bench_entity(path, seed):
    X, y = with_anomalies(periodic_series(300, seed=seed + 1), seed=seed)
    np.savez(path, train=periodic_series(400, seed=seed).astype(np.float32),
             test=X.astype(np.float32), test_label=y.astype(np.int8))

@pytest.fixture
def bench_data(tmp_path):
    """A benchmark data folder: SMD with two tiny entities, MSL with one."""
    for name, seeds in (("SMD", (0, 1)), ("MSL", (2,))):
        (tmp_path / name).mkdir()
        for s in seeds:
            _write_bench_entity(tmp_path / name / f"e{s}.npz", s)
    return tmp_path
