"""causal=True: every timestamp scored from its past only, so a stream of
calls with context gives the scores of one batch."""

import numpy as np
import pytest
import torch
from scipy.stats import spearmanr

from skddmt._context import context_reach
from skddmt._scoring import given_nodes

from .conftest import tiny_detector


@pytest.fixture(scope="module")
def causal(train_series):
    return tiny_detector(causal=True).fit(train_series)


def test_given_nodes_score_every_timestamp_once():
    idx = torch.arange(6)[:, None] + torch.arange(4)  # windows of 4 at starts 0..5
    given = given_nodes(idx)
    counts = np.bincount(idx[given].numpy(), minlength=9)
    np.testing.assert_array_equal(counts, 1)
    assert given[0].all() and not given[1:, :-1].any()


def test_scores_do_not_depend_on_later_rows(causal, fitted, test_series):
    """The first k rows score alike with or without the rows after them:
    k is chosen so that their windows fill whole scoring batches, which
    then draw the same noise."""
    X = test_series[0]
    k = causal.window_size_ - 1 + 4 * causal.batch_size
    whole = causal.score_samples(X)
    np.testing.assert_array_equal(causal.score_samples(X[:k]), whole[:k])
    # the default mode looks ahead: its first k rows change with later rows
    assert not np.allclose(fitted.score_samples(X[:k]), fitted.score_samples(X)[:k])


def test_context_is_cut_to_the_rows_the_scores_depend_on(causal, test_series):
    X = test_series[0]
    reach = context_reach(causal.window_size_, causal.score_smoothing)
    assert reach == causal.window_size_ + causal.score_smoothing - 2
    new = X[300:310]
    expected = causal.score_samples(X[300 - reach:310])[reach:]
    np.testing.assert_array_equal(causal.score_samples(new, context=X[:300]), expected)
    np.testing.assert_array_equal(causal.score_samples(new, context=X[300 - reach:300]),
                                  expected)
    # a shorter context is used whole
    short = X[290:300]
    np.testing.assert_array_equal(causal.score_samples(new, context=short),
                                  causal.score_samples(X[290:310])[10:])


def test_streamed_scores_follow_the_batch_scores(causal, test_series):
    """Calls of 5 rows differ from one batch only by their noise draws."""
    X = test_series[0]
    batch = causal.score_samples(X)[100:]
    stream = np.concatenate([causal.score_samples(X[i:i + 5], context=X[:i])
                             for i in range(100, len(X), 5)])
    assert spearmanr(stream, batch).statistic > 0.8


def test_causal_is_a_scoring_parameter(train_series, test_series, causal):
    """recalibrate after set_params(causal=True) gives the causally fitted model."""
    det = tiny_detector().fit(train_series)
    det.set_params(causal=True).recalibrate(train_series)
    assert det.offset_ == causal.offset_
    np.testing.assert_array_equal(det.feature_error_scale_, causal.feature_error_scale_)
    X = test_series[0]
    np.testing.assert_array_equal(det.score_samples(X), causal.score_samples(X))
    assert set(np.unique(det.predict(X))) <= {-1, 1}


def test_feature_scores_sum_to_the_causal_score(causal, test_series):
    X = test_series[0]
    np.testing.assert_allclose(causal.feature_scores(X).sum(axis=1), -causal.score_samples(X),
                               rtol=1e-5)


def test_missing_rows_take_the_last_earlier_score(train_series, test_series):
    det = tiny_detector(causal=True, missing="mask", score_smoothing=1).fit(train_series)
    X = test_series[0].copy()
    X[200:203] = np.nan
    scores = det.score_samples(X)
    np.testing.assert_array_equal(scores[200:203], scores[199])
    assert np.isfinite(scores).all()
