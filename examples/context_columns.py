"""Context columns: score only the sensor you watch, condition on the commands
=============================================================================

A heater with three modes (off, low, high; one-hot command columns 1-3)
drives a temperature sensor (column 0): after each mode switch the
temperature settles towards the mode's set-point. Mode switches are normal
but rare, so the model rebuilds the command columns badly exactly when a
switch happens. The labelled anomalies are faults of the sensor only: spikes
and bursts of noise.

By default every column counts in the score, and normal mode switches
compete with the faults. ``score_features=[0]`` scores the sensor alone,
while the commands remain model input. The plot shows the test series and
both scores, with the sensor faults shaded.

Run::

    python examples/context_columns.py [--epochs N] [--out scores.png]

With the default of 6 epochs per fit this takes about 45 seconds on 2 CPU
cores. The documentation build runs it with ``--epochs 3``: the numbers and
the plot on the documentation page come from those shorter fits.
"""

import argparse

import numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score

from skddmt import DDMTDetector
from skddmt.metrics import vus_pr

SET_POINTS = np.array([20.0, 35.0, 50.0])
VARIANTS = (("all (default)", None), ("sensor only [0]", [0]))  # label, score_features


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


def anomaly_scores(X_train, X_test, max_epochs=6, random_state=0):
    """{label: anomaly score of X_test (higher = more abnormal)} of the
    default score and of the score of the sensor column alone."""
    scores = {}
    for label, columns in VARIANTS:
        det = DDMTDetector(score_features=columns, max_epochs=max_epochs,
                           random_state=random_state)
        scores[label] = -det.fit(X_train).score_samples(X_test)
    return scores


def metrics(y_test, score):
    """(AUC-PR, AUC-ROC, VUS-PR) of one anomaly score."""
    return (average_precision_score(y_test, score), roc_auc_score(y_test, score),
            vus_pr(y_test, score))


def compare(X_train, X_test, y_test, max_epochs=6, random_state=0):
    """{label: (AUC-PR, AUC-ROC, VUS-PR)} of the default score and of the
    score of the sensor column alone."""
    scores = anomaly_scores(X_train, X_test, max_epochs, random_state)
    return {label: metrics(y_test, score) for label, score in scores.items()}


def plot(path, X_test, y_test, scores):
    """The sensor and both scores over time, sensor faults shaded; saves the
    figure to ``path`` and returns it (left open for the documentation
    gallery)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1 + len(scores), 1, figsize=(12, 2.4 * (1 + len(scores))),
                             sharex=True)
    edges = np.flatnonzero(np.diff(np.r_[0, y_test, 0])).reshape(-1, 2)
    for ax in axes:
        for start, stop in edges:
            ax.axvspan(start - 0.5, stop - 0.5, color="tab:red", alpha=0.3, lw=1)
    axes[0].plot(X_test[:, 0], lw=0.7, color="black")
    faults = np.flatnonzero(y_test)
    axes[0].plot(faults, X_test[faults, 0], "o", ms=2.5, color="tab:red")
    switches = np.flatnonzero(np.diff(X_test[:, 1:].argmax(axis=1)))
    for t in switches:
        axes[0].axvline(t + 0.5, color="tab:green", ls=":", lw=1)
    axes[0].set_ylabel("temperature\n(column 0)")
    axes[0].set_title("test series: sensor faults in red, normal mode switches dotted green",
                      fontsize=10)
    for ax, (label, score) in zip(axes[1:], scores.items()):
        ax.plot(score, lw=0.7, color="tab:blue")
        ax.set_yscale("log")
        ax.set_ylabel(f"anomaly score\n{label}")
    axes[-1].set_xlabel("test timestamp")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return fig


def main():
    parser = argparse.ArgumentParser(description="Context columns: score only the sensor.")
    parser.add_argument("--epochs", type=int, default=6, help="max epochs of each fit")
    parser.add_argument("--out", default="context_columns_scores.png", help="PNG path")
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    X_train, _ = make_heater(4000, rng, anomalies=False)
    X_test, y_test = make_heater(2000, rng)
    switches = int(np.sum(np.diff(X_test[:, 1:].argmax(axis=1)) != 0))
    print(f"test: {len(X_test)} rows, {y_test.mean():.1%} anomalous, "
          f"{switches} normal mode switches")
    scores = anomaly_scores(X_train, X_test, max_epochs=args.epochs)
    print(f"{'scored columns':<24} {'AUC-PR':>7} {'AUC-ROC':>8} {'VUS-PR':>7}")
    for label, score in scores.items():
        ap, roc, vus = metrics(y_test, score)
        print(f"{label:<24} {ap:7.3f} {roc:8.3f} {vus:7.3f}")
    plot(args.out, X_test, y_test, scores)
    print(f"\nsaved {args.out}")


if __name__ == "__main__":
    main()
