"""Model selection: DDMTDetector in a Pipeline, tuned by GridSearchCV.

A synthetic three-feature series with injected spikes and a shifted segment
stands in for labelled validation data. The scorer takes labels with
1 = anomaly and uses ``-decision_function`` as the anomaly score, and the
folds come from TimeSeriesSplit (no shuffling of timestamps).

Run:  python examples/model_selection.py   (about 15 seconds on 2 CPU cores)
"""

import numpy as np
from sklearn.metrics import average_precision_score
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skddmt import DDMTDetector


def make_series(n, rng):
    """Three noisy periodic signals in different units, with labelled anomalies."""
    t = np.arange(n)[:, None]
    X = np.sin(2 * np.pi * t / np.array([25, 40, 60]) + np.array([0.0, 1.0, 2.0]))
    X = X * np.array([1.0, 50.0, 0.01]) + 0.05 * rng.normal(size=(n, 3)) * np.array([1, 50, 0.01])
    y = np.zeros(n, dtype=int)
    for i in rng.choice(np.arange(50, n - 50), size=12, replace=False):
        X[i] += 4 * X.std(axis=0) * rng.choice([-1, 1])
        y[i] = 1
    for start in rng.choice(np.arange(100, n - 100, 200), size=3, replace=False):
        X[start:start + 15, 0] += 2.0
        y[start:start + 15] = 1
    return X, y


def ap_scorer(estimator, X, y):
    """Average precision with y = 1 for anomalies; higher is better."""
    return average_precision_score(y, -estimator.decision_function(X))


def main():
    rng = np.random.default_rng(0)
    X, y = make_series(3000, rng)
    pipe = make_pipeline(StandardScaler(), DDMTDetector(window_size=50, d_model=32, max_epochs=3,
                                                        random_state=0))
    grid = {"ddmtdetector__adnm": [True, False], "ddmtdetector__mask_width": [0, 2]}
    search = GridSearchCV(pipe, grid, scoring=ap_scorer, cv=TimeSeriesSplit(n_splits=2))
    search.fit(X, y)
    for params, mean in zip(search.cv_results_["params"], search.cv_results_["mean_test_score"]):
        print(f"{params}  mean AUC-PR {mean:.3f}")
    print("best:", search.best_params_)


if __name__ == "__main__":
    main()
