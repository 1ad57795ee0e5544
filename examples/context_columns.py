"""Context columns: score only the sensor you watch, condition on the commands.

A heater with three modes (off, low, high; one-hot command columns 1-3)
drives a temperature sensor (column 0): after each mode switch the
temperature settles towards the mode's set-point. Mode switches are normal
but rare, so the model rebuilds the command columns badly exactly when a
switch happens. The labelled anomalies are faults of the sensor only: spikes
and bursts of noise.

By default every column counts in the score, and normal mode switches
compete with the faults. ``score_features=[0]`` scores the sensor alone,
while the commands remain model input.

Run:  python examples/context_columns.py   (about a minute on 2 CPU cores)
"""

import numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score

from skddmt import DDMTDetector
from skddmt.metrics import vus_pr

SET_POINTS = np.array([20.0, 35.0, 50.0])


def make_heater(n, rng, anomalies=True):
    """(X, y): temperature and one-hot heater mode per row, 1 = sensor fault."""
    mode = np.zeros(n, dtype=int)
    t = 0
    while t < n:
        length = int(rng.integers(150, 400))
        mode[t:t + length] = rng.integers(3)
        t += length
    temperature = np.empty(n)
    temp = SET_POINTS[mode[0]]
    for i in range(n):
        temp += 0.05 * (SET_POINTS[mode[i]] - temp)
        temperature[i] = temp
    temperature += 0.8 * np.sin(2 * np.pi * np.arange(n) / 30) + 0.2 * rng.normal(size=n)
    y = np.zeros(n, dtype=int)
    if anomalies:
        for i in rng.choice(np.arange(50, n - 50), size=10, replace=False):
            temperature[i] += rng.choice([-1, 1]) * 6.0
            y[i] = 1
        for start in rng.choice(np.arange(200, n - 200, 400), size=3, replace=False):
            temperature[start:start + 30] += 2.0 * rng.normal(size=30)  # a loose contact
            y[start:start + 30] = 1
    return np.c_[temperature, np.eye(3)[mode]], y


def compare(X_train, X_test, y_test, max_epochs=6, random_state=0):
    """{label: (AUC-PR, AUC-ROC, VUS-PR)} of the default score and of the
    score of the sensor column alone."""
    results = {}
    for label, columns in (("all (default)", None), ("sensor only [0]", [0])):
        det = DDMTDetector(score_features=columns, max_epochs=max_epochs,
                           random_state=random_state)
        score = -det.fit(X_train).score_samples(X_test)
        results[label] = (average_precision_score(y_test, score),
                          roc_auc_score(y_test, score), vus_pr(y_test, score))
    return results


def main():
    rng = np.random.default_rng(0)
    X_train, _ = make_heater(4000, rng, anomalies=False)
    X_test, y_test = make_heater(2000, rng)
    switches = int(np.sum(np.diff(X_test[:, 1:].argmax(axis=1)) != 0))
    print(f"test: {len(X_test)} rows, {y_test.mean():.1%} anomalous, "
          f"{switches} normal mode switches")
    print(f"{'scored columns':<24} {'AUC-PR':>7} {'AUC-ROC':>8} {'VUS-PR':>7}")
    for label, (ap, roc, vus) in compare(X_train, X_test, y_test).items():
        print(f"{label:<24} {ap:7.3f} {roc:8.3f} {vus:7.3f}")


if __name__ == "__main__":
    main()
