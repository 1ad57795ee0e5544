"""The simple baseline detectors."""

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score
from sklearn.utils.estimator_checks import parametrize_with_checks

from skddmt.baselines import KNNDetector, MeanSquareDetector, PCADetector, RandomDetector

from .conftest import periodic_series, with_anomalies

BASELINES = [MeanSquareDetector(), PCADetector(n_components=2),
             KNNDetector(n_neighbors=3, random_state=0), RandomDetector(random_state=0)]


def _expected_failures(estimator):
    if isinstance(estimator, RandomDetector):
        reason = "random scores are drawn per position in the series, not per row content"
        return {"check_methods_sample_order_invariance": reason,
                "check_methods_subset_invariance": reason}
    return {}


@parametrize_with_checks(BASELINES, expected_failed_checks=_expected_failures)
def test_sklearn_compatible(estimator, check):
    check(estimator)


def test_mean_square_is_the_mean_squared_z():
    X = np.array([[0.0, 0.0], [2.0, 4.0], [1.0, 2.0]])
    det = MeanSquareDetector().fit(X)
    z = (X - X.mean(0)) / X.std(0)
    np.testing.assert_allclose(-det.score_samples(X), np.mean(z**2, axis=1))


def test_pca_error_is_zero_inside_the_training_subspace():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 1)) @ np.array([[1.0, 2.0, -1.0]])
    det = PCADetector(n_components=1).fit(X)
    assert np.max(-det.score_samples(X)) < 1e-10
    assert -det.score_samples(np.array([[1.0, -2.0, 0.0]]))[0] > 0.1


def test_knn_mean_distance_to_nearest_training_rows():
    X = np.array([[0.0], [1.0], [3.0], [10.0]])
    det = KNNDetector(n_neighbors=2).fit(X)
    # standardised distances from 0.5 to its two nearest rows (0 and 1): 0.5 and 0.5
    assert -det.score_samples(np.array([[0.5]]))[0] == pytest.approx(0.5 / X.std())
    # and from 5 to 3 and 1 (or 10): 2 and 4 -> mean 3
    assert -det.score_samples(np.array([[5.0]]))[0] == pytest.approx(3.0 / X.std())


@pytest.mark.parametrize("det", [MeanSquareDetector(), PCADetector(n_components=2),
                                 KNNDetector(random_state=0)])
def test_baselines_find_spikes(det):
    X, y = with_anomalies(periodic_series(400, seed=2), seed=3)
    det.fit(periodic_series(600, seed=1))
    spikes = y.copy()
    spikes[200:208] = 0  # the shifted segment is subtle for row-wise models
    keep = (y == 0) | (spikes == 1)
    assert roc_auc_score(spikes[keep], -det.score_samples(X)[keep]) > 0.9


def test_random_scores_are_seeded():
    X = periodic_series(100)
    a = RandomDetector(random_state=1).fit(X).score_samples(X)
    b = RandomDetector(random_state=1).fit(X).score_samples(X)
    c = RandomDetector(random_state=2).fit(X).score_samples(X)
    assert np.array_equal(a, b) and not np.array_equal(a, c)
