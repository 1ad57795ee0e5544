"""Quickstart: DDMT on one real server machine (SMD machine-1-2, bundled)
=======================================================================

Fits :class:`~skddmt.DDMTDetector` on the machine's training series, scores
its test series, and prints threshold-free (AUC-PR, AUC-ROC) and thresholded
(point-wise F1 at each model's own threshold, fitted on training data only)
metrics next to IsolationForest's. Saves a PNG of both score series with the
labelled anomalies shaded and the thresholds drawn.

Run::

    python examples/quickstart.py [--epochs N] [--out scores.png]

With the defaults (at most 20 epochs; early stopping usually ends the fit
sooner) this takes one to two minutes on 2 CPU cores. The documentation build
runs it with ``--epochs 2``: the numbers and the plot on the documentation
page come from that shorter fit.
"""

import argparse
import time

import numpy as np
from sklearn.ensemble import IsolationForest
from sklearn.metrics import average_precision_score, f1_score, roc_auc_score

from skddmt import DDMTDetector
from skddmt.datasets import load_smd_sample


def report(name, y, anomaly_score, flagged, seconds):
    """One line of metrics; y and flagged use 1 = anomaly."""
    print(f"{name:<16} AUC-PR {average_precision_score(y, anomaly_score):.3f}  "
          f"AUC-ROC {roc_auc_score(y, anomaly_score):.3f}  "
          f"F1@own-threshold {f1_score(y, flagged):.3f}  "
          f"flagged {flagged.mean():6.2%}  ({seconds:.0f} s)")


def plot(path, y, curves):
    """Scores over time, labelled anomalies shaded, thresholds dashed.

    Saves the figure to ``path`` and returns it (left open, so that the
    documentation gallery shows it).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(curves), 1, figsize=(12, 2.6 * len(curves)), sharex=True)
    edges = np.flatnonzero(np.diff(np.r_[0, y, 0]))
    for ax, (name, score, threshold) in zip(np.atleast_1d(axes), curves):
        for start, stop in edges.reshape(-1, 2):
            ax.axvspan(start, stop, color="tab:red", alpha=0.25, lw=0)
        ax.plot(score, lw=0.6, color="tab:blue")
        ax.axhline(threshold, color="black", ls="--", lw=1, label="threshold (from training)")
        ax.set_yscale("symlog", linthresh=max(abs(threshold), 1e-3))
        ax.set_ylabel(f"{name}\nanomaly score")
        ax.legend(loc="upper right", fontsize=8)
    np.atleast_1d(axes)[-1].set_xlabel("test timestamp (red: labelled anomalies)")
    fig.suptitle("SMD machine-1-2 test series")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return fig


def main():
    parser = argparse.ArgumentParser(description="Quickstart: DDMT on SMD machine-1-2.")
    parser.add_argument("--epochs", type=int, default=None,
                        help="max training epochs (default: the estimator's, 20)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="quickstart_scores.png", help="PNG path")
    args = parser.parse_args()

    data = load_smd_sample()
    y = data.test_label
    print(f"SMD {data.name}: train {data.train.shape}, test {data.test.shape}, "
          f"{y.mean():.2%} of test timestamps labelled anomalous")

    t0 = time.perf_counter()
    ddmt = DDMTDetector(random_state=args.seed, verbose=1)
    if args.epochs:
        ddmt.set_params(max_epochs=args.epochs)
    ddmt.fit(data.train)
    ddmt_score = -ddmt.score_samples(data.test)          # higher = more abnormal
    ddmt_flag = (ddmt.predict(data.test) == -1).astype(int)
    ddmt_time = time.perf_counter() - t0

    t0 = time.perf_counter()
    iforest = IsolationForest(random_state=args.seed).fit(data.train)
    if_score = -iforest.score_samples(data.test)
    if_flag = (iforest.predict(data.test) == -1).astype(int)
    if_time = time.perf_counter() - t0

    print(f"\nDDMT trained {ddmt.n_epochs_} epochs in {ddmt.fit_time_:.0f} s")
    report("DDMTDetector", y, ddmt_score, ddmt_flag, ddmt_time)
    report("IsolationForest", y, if_score, if_flag, if_time)

    plot(args.out, y, [("DDMT", ddmt_score, -ddmt.offset_),
                       ("IsolationForest", if_score, -iforest.offset_)])
    print(f"\nsaved {args.out}")


if __name__ == "__main__":
    main()
