"""DDMTDetector.feature_scores (skddmt._attribution): the anomaly score split
by feature."""

import numpy as np
import pytest

from skddmt._calibration import combine_terms, feature_contributions

from .conftest import tiny_detector


def test_rows_sum_to_the_anomaly_score(fitted, test_series):
    X, _ = test_series
    parts = fitted.feature_scores(X)
    assert parts.shape == X.shape and np.all(parts >= 0)
    np.testing.assert_allclose(parts.sum(axis=1), -fitted.score_samples(X), rtol=1e-5)


def test_the_anomalous_feature_gets_the_largest_share(train_series):
    """A spike in one feature: at the spike, that feature's share leads."""
    det = tiny_detector(max_epochs=4, score_smoothing=1).fit(train_series)
    X = train_series[:300].copy()
    X[150, 1] += 3.0
    parts = det.feature_scores(X)
    assert np.argmax(parts[150]) == 1
    assert parts[150, 1] > 0.5 * parts[150].sum()


def test_left_out_columns_get_nothing_and_rarity_is_shared(train_series, test_series):
    X = test_series[0]
    det = tiny_detector(max_epochs=1, score_features=[0, 2], rarity="latent").fit(train_series)
    parts = det.feature_scores(X)
    assert np.all(parts[:, 1] == 0)
    np.testing.assert_allclose(parts.sum(axis=1), -det.score_samples(X), rtol=1e-5)


def test_a_list_gives_a_list(fitted, test_series):
    X, _ = test_series
    parts = fitted.feature_scores([X[:200], X[200:]])
    assert isinstance(parts, list) and [p.shape for p in parts] == [(200, 3), (len(X) - 200, 3)]
    np.testing.assert_allclose(parts[1], fitted.feature_scores(X[200:]))


def test_contributions_are_the_terms_of_the_score():
    errors = np.array([[1.0, 2.0, 4.0], [0.0, 6.0, 3.0]])
    scales = np.array([1.0, 2.0, 4.0])
    parts = feature_contributions(errors, np.array([0, 1]), scales)
    np.testing.assert_allclose(parts, [[0.5, 0.5, 0.0], [0.0, 1.5, 0.0]])
    with_rarity = feature_contributions(errors, np.array([0, 1]), scales,
                                        rarity=np.array([4.0, 0.0]),
                                        terms={"imputation_scale": 2.0, "rarity_scale": 2.0})
    np.testing.assert_allclose(with_rarity, [[1.25, 1.25, 0.0], [0.0, 0.75, 0.0]])


def test_with_the_max_rule_the_rarity_adds_its_excess_equally():
    """Imputation terms 1.5 and 1.5 (parts 0.5 + 1.0 and 0 + 1.5), z-scores
    (x - 1) / 0.5 = 1 and 1; rarity z-scores (4 - 2) / 1 = 2 and -2: row 0
    gets the rarity's excess of 1 shared equally on top of its own parts,
    row 1 its imputation parts alone, centre shared equally."""
    errors = np.array([[1.0, 4.0, 4.0], [0.0, 6.0, 3.0]])
    scales = np.array([1.0, 2.0, 4.0])
    terms = {"imputation_scale": 0.5, "rarity_scale": 1.0, "imputation_centre": 1.0,
             "rarity_centre": 2.0, "combination": "max"}
    parts = feature_contributions(errors, np.array([0, 1]), scales,
                                  rarity=np.array([4.0, 0.0]), terms=terms)
    np.testing.assert_allclose(parts, [[0.5, 1.5, 0.0], [-1.0, 2.0, 0.0]])
    score = combine_terms(np.array([1.5, 1.5]), np.array([4.0, 0.0]), **terms)
    np.testing.assert_allclose(parts.sum(axis=1), score)


def test_feature_scores_rejects_bad_input(fitted):
    with pytest.raises(ValueError, match="features"):
        fitted.feature_scores(np.zeros((50, 5)))
