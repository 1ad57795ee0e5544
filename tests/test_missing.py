"""Missing values: missing='mask' hides NaN from the model and the score."""

import numpy as np
import pytest
from scipy.stats import spearmanr
from sklearn.metrics import roc_auc_score

from skddmt._missing import interpolate_rows, observed_mean
from skddmt._preprocessing import fit_scaler

from .conftest import periodic_series, tiny_detector, with_anomalies

#: Enough training for the model to rebuild the sines (about 10 s on 2 cores).
TRAINED = dict(window_size=32, max_epochs=4, train_stride=1, adnm_max_radius=None)


def with_gaps(X, rate, full_rows, seed=5):
    """Copy of ``X`` with a share ``rate`` of its elements and ``full_rows``
    whole rows set to NaN."""
    X = X.copy()
    rng = np.random.default_rng(seed)
    X[rng.random(X.shape) < rate] = np.nan
    X[rng.choice(np.arange(1, len(X) - 1), full_rows, replace=False)] = np.nan
    return X


@pytest.fixture(scope="module")
def train():
    return periodic_series(1500, n_features=4, seed=1)


@pytest.fixture(scope="module")
def test_pair():
    X, y = with_anomalies(periodic_series(600, n_features=4, seed=2), seed=3)
    return X, with_gaps(X, 0.05, 10), y


@pytest.fixture(scope="module")
def masked(train):
    return tiny_detector(**TRAINED, missing="mask").fit(with_gaps(train, 0.05, 20))


def test_gaps_score_like_the_true_values(masked, train, test_pair):
    """The same series with its gaps filled by the true values: the scores
    rank the timestamps alike and find the anomalies alike."""
    X, gapped, y = test_pair
    with_true = -masked.score_samples(X)
    with_gaps_ = -masked.score_samples(gapped)
    assert np.isfinite(with_gaps_).all()
    assert spearmanr(with_gaps_, with_true).statistic > 0.85
    assert roc_auc_score(y, with_true) > 0.95
    assert roc_auc_score(y, with_gaps_) > roc_auc_score(y, with_true) - 0.03
    # a model fitted on the complete training series scores much the same
    complete = tiny_detector(**TRAINED).fit(train)
    assert roc_auc_score(y, with_true) > roc_auc_score(y, -complete.score_samples(X)) - 0.03


def test_without_nan_the_mask_mode_is_the_default_model(train, test_pair):
    X = test_pair[0]
    default = tiny_detector().fit(train)
    masked = tiny_detector(missing="mask").fit(train)
    assert masked.offset_ == default.offset_
    assert np.array_equal(masked.score_samples(X), default.score_samples(X))


def test_missing_values_are_left_out_of_the_parts(masked, test_pair):
    X, gapped, _ = test_pair
    masked.set_params(score_smoothing=1)
    try:
        parts = masked.feature_scores(gapped)
        score = -masked.score_samples(gapped)
    finally:
        masked.set_params(score_smoothing=11)
    np.testing.assert_allclose(parts.sum(axis=1), score, rtol=1e-5)
    missing = np.isnan(gapped)
    partly = missing & ~missing.all(axis=1, keepdims=True)
    assert partly.any() and np.all(parts[partly] == 0)
    # a row with nothing observed gets the score of its context
    for t in np.flatnonzero(missing.all(axis=1)):
        if not missing[t - 1].all() and not missing[t + 1].all():
            assert score[t] == pytest.approx((score[t - 1] + score[t + 1]) / 2)


def test_context_and_rarity_take_missing_values(train, test_pair):
    _, gapped, _ = test_pair
    det = tiny_detector(missing="mask", rarity="latent").fit(with_gaps(train, 0.05, 20))
    assert np.isfinite(det.score_samples(gapped)).all()
    tail = det.score_samples(gapped[300:], context=gapped[:300])
    assert np.array_equal(tail, det.score_samples(gapped)[300:])


def test_default_refuses_nan(train):
    with pytest.raises(ValueError, match="NaN"):
        tiny_detector().fit(with_gaps(train, 0.01, 0))
    det = tiny_detector().fit(train)
    with pytest.raises(ValueError, match="NaN"):
        det.score_samples(with_gaps(train[:200], 0.01, 0))


def test_mask_mode_refuses_infinity_and_unobserved_columns(train):
    X = train.copy()
    X[5, 1] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        tiny_detector(missing="mask").fit(X)
    X = train.copy()
    X[:, 2] = np.nan
    with pytest.raises(ValueError, match="Column 2 of X has no observed value"):
        tiny_detector(missing="mask").fit(X)
    det = tiny_detector(missing="mask").fit(train)
    with pytest.raises(ValueError, match="Every row of the series is missing"):
        det.score_samples(np.full((50, 4), np.nan))


def test_the_statistics_leave_missing_values_out():
    X = np.array([[1.0, 5.0], [np.nan, 5.0], [3.0, np.nan], [5.0, 5.0]])
    mean, scale = fit_scaler(X, 0.0)
    np.testing.assert_allclose(mean, [3.0, 5.0])
    np.testing.assert_allclose(scale, [np.std([1.0, 3.0, 5.0]), 1.0])  # constant: 1


def test_observed_mean_and_interpolation():
    values = np.array([[1.0, 3.0], [np.nan, 4.0], [np.nan, np.nan], [2.0, 2.0]])
    means = observed_mean(values)
    np.testing.assert_array_equal(means[[0, 1, 3]], [2.0, 4.0, 2.0])
    assert np.isnan(means[2])
    np.testing.assert_allclose(interpolate_rows(means), [2.0, 4.0, 3.0, 2.0])
    np.testing.assert_allclose(interpolate_rows(np.array([np.nan, 1.0, np.nan])), 1.0)
    rows = interpolate_rows(np.array([[0.0, 2.0], [np.nan, np.nan], [2.0, 0.0]]))
    np.testing.assert_allclose(rows[1], [1.0, 1.0])
    # causal: from the last earlier row, the first row for the leading ones
    np.testing.assert_array_equal(
        interpolate_rows(np.array([np.nan, 1.0, np.nan, np.nan, 4.0, np.nan]), causal=True),
        [1.0, 1.0, 1.0, 1.0, 4.0, 4.0])
    np.testing.assert_array_equal(interpolate_rows(means, causal=True), [2.0, 4.0, 4.0, 2.0])
    clean = np.arange(6.0).reshape(3, 2)
    assert np.array_equal(observed_mean(clean), clean.mean(axis=1))
    with pytest.raises(ValueError, match="Every row"):
        interpolate_rows(np.array([np.nan, np.nan]))
