"""Where does a detector's ranking on a concatenated NASA series (MSL or SMAP
``ALL_concat``) come from: from differences *between* channels, or from
points *within* a channel?

``ALL_concat`` is every channel's training (and test) series joined end to
end in the order of ``labeled_anomalies.csv``. A detector sees one long
series and one threshold-free metric ranks all its timestamps together, so
a detector can do well by ranking whole channels (those with many
anomalies above those with few) or by ranking points inside each channel.
This script cuts the test series back into its channels (their lengths come
from the per-channel ``<chan>.npz`` files beside ``ALL_concat.npz``, and each
segment is checked equal to its channel's test series) and reports, per
detector:

* ``pooled``: the usual AUC-ROC, AUC-PR and VUS-PR over the whole series;
* ``between``: AUC-ROC when every timestamp gets its channel's mean score
  (only the ranking of channels is left);
* ``within``: the mean over channels with both classes of the AUC-ROC
  computed inside each channel (only the ranking inside channels is left);
* ``ranked``: AUC-ROC, AUC-PR and VUS-PR of the score turned into its
  percentile rank inside its channel (what a score normalised per channel
  would give; it needs the channel boundaries, which the detector does not
  have);
* ``rho``: Spearman correlation, over channels, of a channel's mean score
  and its share of anomalous timestamps.

A diagnosis, not a detector: the channel boundaries and the labels are used
to *explain* the figures of ``python -m skddmt.benchmark``, never to choose
anything. DDMT is either fitted here (``DDMTDetector(random_state=seed)``)
or loaded from a model kept by ``python -m skddmt.benchmark --models DIR``
(``--model FILE``; a pickle: load only files you wrote). The baselines are
those of the benchmark, with the same seed.

Run:  python benchmarks/channel_diagnosis.py ../shared/data/SMAP --seed 2 \\
          --model benchmarks/models/ddmt-<tag>/SMAP__ALL_concat__seed2.joblib
      (without --model, DDMT is fitted first: about 2 min for SMAP, 1.5 for MSL)
"""

import argparse
import csv
import json
import time
from pathlib import Path

import joblib
import numpy as np
from scipy.stats import spearmanr

from skddmt import metrics
from skddmt.benchmark import DETECTORS
from skddmt.datasets import load_npz


def channel_segments(folder):
    """Names and (start, stop) test-series slices of the channels of
    ``folder/ALL_concat.npz``, checked against the per-channel files."""
    folder = Path(folder)
    with open(folder / "labeled_anomalies.csv", newline="", encoding="utf-8-sig") as fh:
        rows = [r for r in csv.DictReader(fh) if r["spacecraft"].strip() == folder.name]
    ids = [r["chan_id"].strip() for r in rows]
    order = [c for i, c in enumerate(ids) if ids.count(c) == 1 and c not in ids[:i]]
    concat = load_npz(folder / "ALL_concat.npz")
    names, bounds, start = [], [], 0
    for chan in order:
        test = load_npz(folder / f"{chan}.npz").test
        stop = start + len(test)
        if not np.array_equal(concat.test[start:stop], test):
            raise ValueError(f"{chan}: its test series is not rows {start}:{stop} of "
                             "ALL_concat; the channel order does not match.")
        names.append(chan)
        bounds.append((start, stop))
        start = stop
    if start != len(concat.test):
        raise ValueError(f"the channels cover {start} test rows, ALL_concat has "
                         f"{len(concat.test)}.")
    return names, bounds, concat


def diagnose(score, y, bounds, window=100):
    """The figures of the module docstring for one score."""
    channel_id = np.concatenate([np.full(b - a, i) for i, (a, b) in enumerate(bounds)])
    means = np.array([score[a:b].mean() for a, b in bounds])
    ratios = np.array([y[a:b].mean() for a, b in bounds])
    within, ranked = [], np.empty_like(score, dtype=float)
    for a, b in bounds:
        s, lab = score[a:b], y[a:b]
        ranked[a:b] = (np.argsort(np.argsort(s, kind="stable"), kind="stable") + 0.5) / (b - a)
        if 0 < lab.sum() < len(lab):
            within.append(metrics.auc_roc(lab, s))
    return dict(
        pooled_auc_roc=metrics.auc_roc(y, score), pooled_auc_pr=metrics.auc_pr(y, score),
        pooled_vus_pr=metrics.vus_pr(y, score, window),
        between_auc_roc=metrics.auc_roc(y, means[channel_id]),
        within_auc_roc=float(np.mean(within)) if within else float("nan"),
        n_within=len(within),
        ranked_auc_roc=metrics.auc_roc(y, ranked), ranked_auc_pr=metrics.auc_pr(y, ranked),
        ranked_vus_pr=metrics.vus_pr(y, ranked, window),
        rho=float(spearmanr(means, ratios).statistic),
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", help="MSL or SMAP folder holding ALL_concat.npz, the "
                        "per-channel .npz files and labeled_anomalies.csv")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--model", help="a DDMT model kept by the benchmark's --models")
    parser.add_argument("--ddmt-params", default="{}",
                        help="JSON of DDMTDetector parameters for a DDMT fitted here")
    parser.add_argument("--detectors", nargs="+",
                        default=["ddmt", "iforest", "knn", "pca", "meansq", "random"])
    args = parser.parse_args(argv)
    ddmt_params = json.loads(args.ddmt_params)
    names, bounds, data = channel_segments(args.folder)
    y = np.asarray(data.test_label)
    print(f"{Path(args.folder).name}: {len(names)} channels, {len(y)} test rows, "
          f"{int(sum(0 < y[a:b].sum() for a, b in bounds))} channels with anomalies")
    lines = []
    cols = ["pooled_auc_roc", "pooled_auc_pr", "pooled_vus_pr", "between_auc_roc",
            "within_auc_roc", "ranked_auc_roc", "ranked_auc_pr", "ranked_vus_pr", "rho"]
    for line in ("| detector | " + " | ".join(cols) + " | seconds |",
                 "|---|" + "---:|" * (len(cols) + 1)):
        lines.append(line)
        print(line)
    for name in args.detectors:
        t0 = time.perf_counter()
        if name == "ddmt" and args.model:
            est = joblib.load(args.model)
        else:
            params = ddmt_params if name == "ddmt" else {}
            est = DETECTORS[name][0](args.seed, params).fit(data.train)
        score = -est.decision_function(data.test)
        res = diagnose(score, y, bounds)
        seconds = time.perf_counter() - t0
        lines.append(f"| {name} | " + " | ".join(f"{res[c]:.3f}" for c in cols)
                     + f" | {seconds:.0f} |")
        print(lines[-1], flush=True)
    return "\n".join(lines)


if __name__ == "__main__":
    main()
