"""Tests of skddmt.metrics.scorers: make_tsad_scorer and the *_scorer objects,
alone and inside scikit-learn model selection."""

import math
import pickle
import warnings

import numpy as np
import pytest
from sklearn.base import BaseEstimator, OutlierMixin
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_val_score

from skddmt.metrics import (
    auc_pr,
    auc_pr_scorer,
    auc_roc,
    auc_roc_scorer,
    make_tsad_scorer,
    range_auc_pr,
    vus_pr,
    vus_pr_scorer,
    vus_roc,
    vus_roc_scorer,
)


class MeanDistanceDetector(OutlierMixin, BaseEstimator):
    """Tiny detector: squared distance to the training mean of one feature."""

    def __init__(self, feature=0):
        self.feature = feature

    def fit(self, X, y=None):
        X = np.asarray(X, dtype=float)
        self.mean_ = X.mean(axis=0)
        self.offset_ = float(np.quantile(self.score_samples(X), 0.05))
        return self

    def score_samples(self, X):
        X = np.asarray(X, dtype=float)
        return -(X[:, self.feature] - self.mean_[self.feature]) ** 2

    def decision_function(self, X):
        return self.score_samples(X) - self.offset_

    def predict(self, X):
        return np.where(self.decision_function(X) < 0, -1, 1)


class ScoreSamplesOnly(BaseEstimator):
    def fit(self, X, y=None):
        self.mean_ = np.asarray(X, dtype=float).mean(axis=0)
        return self

    def score_samples(self, X):
        return -((np.asarray(X, dtype=float) - self.mean_) ** 2).sum(axis=1)


def _scorer_data(seed=0, n=600):
    """Three noisy features; anomalies are shifts of feature 1 only, in every fold."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = np.zeros(n, dtype=int)
    for s in range(60, n, 75):
        y[s:s + 6] = 1
    X[y == 1, 1] += 4.0
    return X, y


def test_scorer_equals_metric_on_negated_decision_function():
    X, y = _scorer_data()
    det = MeanDistanceDetector(feature=1).fit(X)
    anomaly_score = -det.decision_function(X)
    assert vus_pr_scorer(det, X, y) == pytest.approx(vus_pr(y, anomaly_score))
    assert vus_roc_scorer(det, X, y) == pytest.approx(vus_roc(y, anomaly_score))
    assert auc_pr_scorer(det, X, y) == pytest.approx(auc_pr(y, anomaly_score))
    assert auc_roc_scorer(det, X, y) == pytest.approx(auc_roc(y, anomaly_score))
    scorer = make_tsad_scorer("range_auc_pr", window=8)
    assert scorer(det, X, y) == pytest.approx(range_auc_pr(y, anomaly_score, window=8))
    # fallback to -score_samples
    plain = ScoreSamplesOnly().fit(X)
    assert auc_roc_scorer(plain, X, y) == pytest.approx(auc_roc(y, -plain.score_samples(X)))
    # pickles (needed for parallel grid searches)
    again = pickle.loads(pickle.dumps(scorer))
    assert again(det, X, y) == scorer(det, X, y)
    assert repr(scorer) == "make_tsad_scorer('range_auc_pr', window=8)"


def test_scorer_in_grid_search_with_time_series_split():
    X, y = _scorer_data()
    search = GridSearchCV(
        MeanDistanceDetector(),
        {"feature": [0, 1, 2]},
        scoring={"vus_pr": make_tsad_scorer("vus_pr", window=10), "auc_roc": auc_roc_scorer},
        refit="vus_pr",
        cv=TimeSeriesSplit(n_splits=3),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")           # no undefined-metric fold here
        search.fit(X, y)
    assert search.best_params_ == {"feature": 1}
    assert search.cv_results_["mean_test_vus_pr"][1] > 0.5
    scores = cross_val_score(MeanDistanceDetector(feature=1), X, y,
                             scoring=vus_pr_scorer, cv=TimeSeriesSplit(n_splits=3))
    assert np.all(np.isfinite(scores))


@pytest.mark.filterwarnings("ignore:One or more of the test scores are non-finite")
def test_scorer_warns_and_returns_nan_on_fold_without_anomalies():
    X, y = _scorer_data()
    det = MeanDistanceDetector(feature=1).fit(X)
    normal = y == 0
    with pytest.warns(UserWarning, match="no anomalies.*undefined"):
        value = vus_pr_scorer(det, X[normal], y[normal])
    assert math.isnan(value)
    with pytest.warns(UserWarning, match="only anomalies"):
        value = auc_pr_scorer(det, X[~normal], y[~normal])
    assert math.isnan(value)
    # inside a grid search: the first test fold (rows 150..299 here) has no anomaly
    y_first_clean = y.copy()
    y_first_clean[150:300] = 0
    search = GridSearchCV(MeanDistanceDetector(), {"feature": [0, 1]},
                          scoring=auc_roc_scorer, cv=TimeSeriesSplit(n_splits=3))
    with pytest.warns(UserWarning, match="no anomalies"):
        search.fit(X, y_first_clean)
    assert np.isnan(search.cv_results_["split0_test_score"]).all()
    assert np.isfinite(search.cv_results_["split1_test_score"]).all()


def test_make_tsad_scorer_errors():
    with pytest.raises(ValueError, match="valid names are.*vus_pr"):
        make_tsad_scorer("f1")
    with pytest.raises(ValueError, match="window"):
        make_tsad_scorer("auc_pr", window=10)
    X, y = _scorer_data()
    det = MeanDistanceDetector().fit(X)
    with pytest.raises(ValueError, match="needs labels"):
        auc_pr_scorer(det, X, None)
    with pytest.raises(ValueError, match="binary"):
        auc_pr_scorer(det, X, np.where(y == 1, -1, 1))
