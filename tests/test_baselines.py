"""The simple baseline detectors."""

import numpy as np
import pytest
from sklearn.ensemble import IsolationForest
from sklearn.frozen import FrozenEstimator
from sklearn.metrics import roc_auc_score
from sklearn.utils.estimator_checks import parametrize_with_checks

from skddmt.baselines import (HistogramDetector, KMeansDetector, KNNDetector, MeanSquareDetector,
                              PCADetector, RandomDetector, SmoothedDetector)

from .conftest import periodic_series, with_anomalies

BASELINES = [MeanSquareDetector(), PCADetector(n_components=2),
             KNNDetector(n_neighbors=3, random_state=0), HistogramDetector(n_bins=5),
             KMeansDetector(window_size=3, n_clusters=2, random_state=0),
             RandomDetector(random_state=0), SmoothedDetector(PCADetector(n_components=2))]


def _expected_failures(estimator):
    if isinstance(estimator, RandomDetector):
        reason = "random scores are drawn per position in the series, not per row content"
        return {"check_methods_sample_order_invariance": reason,
                "check_methods_subset_invariance": reason}
    if isinstance(estimator, (KMeansDetector, SmoothedDetector)):
        reason = "a row's score depends on the rows around it (its windows, its smoothing)"
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
                                 KNNDetector(random_state=0), HistogramDetector(),
                                 KMeansDetector(window_size=4, random_state=0)])
def test_baselines_find_spikes(det):
    X, y = with_anomalies(periodic_series(400, seed=2), seed=3)
    det.fit(periodic_series(600, seed=1))
    spikes = y.copy()
    spikes[200:208] = 0  # the shifted segment is subtle for row-wise models
    keep = (y == 0) | (spikes == 1)
    assert roc_auc_score(spikes[keep], -det.score_samples(X)[keep]) > 0.9


def test_histogram_score_is_the_sum_of_log_bin_shares():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3))
    det = HistogramDetector(n_bins=7).fit(X)
    Z = (X - X.mean(0)) / X.std(0)
    rows = rng.normal(size=(20, 3))
    Zr = (rows - X.mean(0)) / X.std(0)
    expected = np.zeros(len(rows))
    for j in range(3):  # naive: count the training values in each row's bin
        edges = np.linspace(Z[:, j].min(), Z[:, j].max(), 8)
        for i, v in enumerate(Zr[:, j]):
            if edges[0] <= v <= edges[-1]:
                b = min(np.searchsorted(edges, v, side="right") - 1, 6)
                count = np.sum((Z[:, j] >= edges[b]) & ((Z[:, j] < edges[b + 1]) | (b == 6)))
            else:
                count = 0
            expected[i] -= np.log((count + 1) / (len(X) + 7))
    np.testing.assert_allclose(-det.score_samples(rows), expected)


def test_histogram_flags_a_value_between_two_modes():
    """A distance from the mean misses a rare value between the modes; HBOS does not."""
    rng = np.random.default_rng(1)
    X = np.r_[rng.normal(-1, 0.05, 500), rng.normal(1, 0.05, 500)][:, None]
    test = np.array([[-1.0], [1.0], [0.0], [5.0]])
    hbos = -HistogramDetector().fit(X).score_samples(test)
    assert hbos[2] > hbos[0] + 3 and hbos[2] > hbos[1] + 3
    assert hbos[3] >= hbos[2]  # outside the training range: an empty bin
    meansq = -MeanSquareDetector().fit(X).score_samples(test)
    assert meansq[2] < meansq[0]


def test_histogram_constant_feature_has_one_bin():
    X = np.c_[np.arange(50.0), np.full(50, 3.0)]
    det = HistogramDetector(n_bins=5).fit(X)
    s = -det.score_samples(np.array([[10.0, 3.0], [10.0, 3.5]]))
    assert s[1] > s[0]
    assert det.bin_min_[1] == det.bin_max_[1]


def test_random_scores_are_seeded():
    X = periodic_series(100)
    a = RandomDetector(random_state=1).fit(X).score_samples(X)
    b = RandomDetector(random_state=1).fit(X).score_samples(X)
    c = RandomDetector(random_state=2).fit(X).score_samples(X)
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_kmeans_with_one_row_windows_is_the_distance_to_the_nearest_centroid():
    X = np.r_[np.zeros(30), np.full(30, 10.0)][:, None]
    det = KMeansDetector(window_size=1, n_clusters=2, random_state=0).fit(X)
    assert np.max(-det.score_samples(X)) < 1e-6
    rows = np.array([[5.0], [1.0], [12.0]])
    np.testing.assert_allclose(-det.score_samples(rows), np.array([5.0, 1.0, 2.0]) / X.std())


def test_kmeans_row_score_is_the_mean_over_its_windows():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2))
    det = KMeansDetector(window_size=5, n_clusters=4, random_state=0).fit(X)
    test = rng.normal(size=(30, 2))
    Z = (test - X.mean(0)) / X.std(0)
    centres = det.kmeans_.cluster_centers_
    window = [np.min(np.linalg.norm(centres - Z[s:s + 5].T.ravel(), axis=1))
              for s in range(26)]
    expected = [np.mean(window[max(0, t - 4):min(t, 25) + 1]) for t in range(30)]
    np.testing.assert_allclose(-det.score_samples(test), expected, rtol=1e-9)


def test_kmeans_sees_a_shape_that_rows_alone_cannot():
    """A sine at twice its frequency: every row is a normal value, no window is."""
    t = np.arange(1200)
    train = np.sin(2 * np.pi * t / 25)[:, None]
    test = np.sin(2 * np.pi * t[:600] / 25)[:, None]
    test[300:350, 0] = np.sin(2 * np.pi * t[300:350] / 12.5)
    y = np.zeros(600, int)
    y[300:350] = 1
    det = KMeansDetector(window_size=20, n_clusters=25, random_state=0).fit(train)
    meansq = -MeanSquareDetector().fit(train).score_samples(test)
    assert roc_auc_score(y, -det.score_samples(test)) > 0.95
    assert roc_auc_score(y, meansq) < 0.6


def test_kmeans_scores_a_series_shorter_than_its_window():
    X = periodic_series(300)
    det = KMeansDetector(random_state=0).fit(X)
    scores = det.score_samples(X[:5])
    assert scores.shape == (5,) and np.all(np.isfinite(scores))
    assert KMeansDetector(random_state=0).fit(X[:10]).score_samples(X).shape == (300,)


def test_kmeans_is_seeded_and_bounded_by_max_train():
    X = periodic_series(500)
    a = KMeansDetector(max_train=50, random_state=1).fit(X)
    b = KMeansDetector(max_train=50, random_state=1).fit(X)
    assert np.array_equal(a.score_samples(X), b.score_samples(X))
    assert a.kmeans_.n_features_in_ == 40 * 3


@pytest.mark.parametrize("cls", [MeanSquareDetector, PCADetector])
def test_feature_scores_split_the_score_by_feature(cls):
    rng = np.random.default_rng(0)
    mix = rng.normal(size=(2, 6))  # 6 features from 2 signals: PCA keeps 2 components
    X = rng.normal(size=(300, 2)) @ mix + 0.01 * rng.normal(size=(300, 6))
    det = cls().fit(X)
    test = rng.normal(size=(50, 2)) @ mix + 0.01 * rng.normal(size=(50, 6))
    test[10, 2] += 8.0
    parts = det.feature_scores(test)
    assert parts.shape == (50, 6) and np.all(parts >= 0)
    np.testing.assert_allclose(parts.sum(axis=1), -det.score_samples(test))
    assert np.argmax(parts[10]) == 2


def _series(n=400, seed=0):
    """5 features mixed from 2 signals (the same mix for every seed), and noise."""
    mix = np.random.default_rng(0).normal(size=(2, 5))
    rng = np.random.default_rng(seed + 1)
    return rng.normal(size=(n, 2)) @ mix + 0.1 * rng.normal(size=(n, 5))


def test_smoothed_width_one_is_the_wrapped_detector():
    X, test = _series(), _series(seed=1)
    plain = PCADetector().fit(X)
    smoothed = SmoothedDetector(PCADetector(), width=1).fit(X)
    np.testing.assert_array_equal(smoothed.score_samples(test), plain.score_samples(test))
    assert smoothed.offset_ == plain.offset_


def test_smoothed_score_is_the_centred_moving_average():
    X, test = _series(), _series(seed=1)
    raw = -MeanSquareDetector().fit(X).score_samples(test)
    det = SmoothedDetector(MeanSquareDetector(), width=11).fit(X)
    got = -det.score_samples(test)
    for t in (5, 200, len(test) - 6):  # full windows: rows t - 5 .. t + 5
        assert got[t] == pytest.approx(raw[t - 5:t + 6].mean(), rel=1e-12)
    assert got[0] == pytest.approx(raw[:6].mean(), rel=1e-12)  # shrunk at the start
    # the threshold is set on the smoothed training scores
    train = -det.score_samples(X)
    assert np.mean(train > -det.offset_) < 0.05
    assert det.offset_ != MeanSquareDetector().fit(X).offset_


def test_smoothed_ranks_a_segment_above_isolated_spikes():
    X = _series()
    test = _series(seed=1)
    test[100:130, 1] += 1.5      # a long, moderate shift
    test[[300, 340], 3] += 2.5   # two isolated, larger spikes
    raw = -PCADetector().fit(X).score_samples(test)
    smooth = -SmoothedDetector(PCADetector(), width=11).fit(X).score_samples(test)
    seg = np.zeros(len(test), dtype=int)
    seg[100:130] = 1
    assert roc_auc_score(seg, smooth) > roc_auc_score(seg, raw)


def test_smoothed_frozen_estimator_is_not_fitted_again():
    X, other = _series(), 10.0 + 3.0 * _series(seed=2)
    inner = PCADetector().fit(X)
    det = SmoothedDetector(FrozenEstimator(inner), width=1).fit(other)
    test = _series(seed=1)
    np.testing.assert_array_equal(det.score_samples(test), inner.score_samples(test))
    assert det.offset_ == SmoothedDetector(FrozenEstimator(inner), width=1).fit(other).offset_


def test_smoothed_wraps_isolation_forest_and_splits_feature_scores():
    X, test = _series(), _series(seed=1)
    det = SmoothedDetector(IsolationForest(random_state=0), width=5).fit(X)
    assert det.score_samples(test).shape == (len(test),)
    assert not hasattr(det, "feature_scores")  # IsolationForest has none
    det = SmoothedDetector(PCADetector(), width=5).fit(X)
    parts = det.feature_scores(test)
    assert parts.shape == test.shape
    np.testing.assert_allclose(parts.sum(axis=1), -det.score_samples(test))


def test_smoothed_rejects_bad_width_and_feature_count():
    X = _series()
    with pytest.raises(ValueError, match="width"):
        SmoothedDetector(PCADetector(), width=0).fit(X)
    det = SmoothedDetector(PCADetector()).fit(X)
    with pytest.raises(ValueError, match="features"):
        det.score_samples(X[:, :3])
