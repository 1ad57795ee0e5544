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
* ``within_pairs`` and ``cross_pairs``: AUC-ROC is the share of
  (anomalous, normal) pairs of timestamps that the score orders correctly,
  so it splits exactly into the pairs whose two timestamps lie in the same
  channel (``within_share`` of all pairs) and the pairs from two different
  channels. The first says how well the score ranks points inside a
  channel, the second how its levels compare across channels;
* ``channel``: the mean over channels of the AUC-ROC inside each channel
  (every channel counts once, whatever its size);
* ``ranked``: AUC-PR and VUS-PR of the score turned into its percentile rank
  inside its channel (what a score normalised per channel would give; it
  needs the channel boundaries, which the detector does not have).

Two label-free scores of the telemetry value alone (column 0) can be added
as detectors, to tell *which* property of a point the ranking rewards:
``level_rarity`` is the score of
:class:`skddmt.baselines.HistogramDetector` (HBOS; its default 10 bins, or
``--level-bins``) fitted on column 0 alone: ``-log`` of the share of training values in the
value's bin, high for a value between the modes of the training values as
well as beyond them; ``level_tail`` is ``-log`` of the
two-sided tail share of the training values (high only beyond the bulk).

A diagnosis, not a detector: the channel boundaries and the labels are used
to *explain* the figures of ``python -m skddmt.benchmark``, never to choose
anything. DDMT is either fitted here (``DDMTDetector(random_state=seed)``)
or loaded from a model kept by ``python -m skddmt.benchmark --models DIR``
(``--model FILE``; a pickle: load only files you wrote). The baselines are
those of the benchmark, with the same seed.

Run:  python benchmarks/channel_diagnosis.py ../shared/data/SMAP --seed 2 \\
          --model benchmarks/models/ddmt-<tag>/SMAP__ALL_concat__seed2.joblib
      (without --model, DDMT is fitted first: about 2 min for SMAP, 1.5 for MSL)
      python benchmarks/channel_diagnosis.py ../shared/data/SMAP \\
          --detectors level_rarity level_tail     (seconds; no model)
"""

import argparse
import json
import time
from pathlib import Path

import joblib
import numpy as np

from skddmt import DDMTDetector, metrics
from skddmt.baselines import HistogramDetector
from skddmt.benchmark import DETECTORS
from skddmt.datasets import _read_labeled_anomalies, load_npz


def channel_segments(folder):
    """Names and (start, stop) test-series slices of the channels of
    ``folder/ALL_concat.npz``, checked against the per-channel files."""
    folder = Path(folder)
    ids = [r["chan_id"] for r in _read_labeled_anomalies(folder / "labeled_anomalies.csv")
           if r["spacecraft"].upper() == folder.name.upper()]
    order = [c for c in ids if ids.count(c) == 1]  # as load_nasa: channels listed once
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


LEVEL_SCORES = ("level_rarity", "level_tail")


def level_scores(train, test, column=0, n_bins=10):
    """The ``level_rarity`` and ``level_tail`` scores of the module docstring
    (higher = more anomalous) for every test row, from the training rows."""
    hbos = HistogramDetector(n_bins=n_bins).fit(train[:, [column]])
    rarity = -hbos.score_samples(test[:, [column]])
    ref, x = np.sort(train[:, column]), test[:, column]
    below = np.searchsorted(ref, x, side="right") / len(ref)
    above = 1.0 - np.searchsorted(ref, x, side="left") / len(ref)
    tail = np.clip(np.minimum(below, above), 1.0 / len(ref), 1.0)
    return dict(zip(LEVEL_SCORES, (rarity, -np.log(tail))))


def diagnose(score, y, bounds, window=100):
    """The figures of the module docstring for one score.

    AUC-ROC is the share of (anomalous, normal) pairs of timestamps that the
    score orders correctly, so the pooled AUC-ROC is exactly the
    pair-weighted mean of ``within_pairs_auc_roc`` (pairs inside one
    channel, a share ``within_share`` of all pairs) and
    ``cross_pairs_auc_roc`` (pairs from two channels).
    """
    n_pos = int(y.sum())
    n_pairs = n_pos * (len(y) - n_pos)
    pooled = metrics.auc_roc(y, score)
    aucs, pairs, ranked = [], [], np.empty_like(score, dtype=float)
    for a, b in bounds:
        s, lab = score[a:b], y[a:b]
        ranked[a:b] = (np.argsort(np.argsort(s, kind="stable"), kind="stable") + 0.5) / (b - a)
        pos = int(lab.sum())
        if 0 < pos < len(lab):
            aucs.append(metrics.auc_roc(lab, s))
            pairs.append(pos * (len(lab) - pos))
    aucs, pairs = np.array(aucs), np.array(pairs, dtype=float)
    within_pairs = float(pairs.sum())
    nan = float("nan")
    return dict(
        pooled_auc_roc=pooled, pooled_auc_pr=metrics.auc_pr(y, score),
        pooled_vus_pr=metrics.vus_pr(y, score, window),
        within_share=within_pairs / n_pairs,
        within_pairs_auc_roc=float(aucs @ pairs / within_pairs) if len(aucs) else nan,
        cross_pairs_auc_roc=(float((pooled * n_pairs - aucs @ pairs) / (n_pairs - within_pairs))
                             if n_pairs > within_pairs else nan),
        channel_auc_roc=float(aucs.mean()) if len(aucs) else nan, n_channels=len(aucs),
        ranked_auc_pr=metrics.auc_pr(y, ranked),
        ranked_vus_pr=metrics.vus_pr(y, ranked, window),
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", help="MSL or SMAP folder holding ALL_concat.npz, the "
                        "per-channel .npz files and labeled_anomalies.csv")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--model", help="a DDMT model kept by the benchmark's --models")
    parser.add_argument("--ddmt-params", default="{}",
                        help="JSON of DDMTDetector parameters for a DDMT fitted here, or "
                             "scoring parameters to set on the --model one")
    parser.add_argument("--detectors", nargs="+",
                        default=["ddmt", "iforest", "knn", "pca", "meansq", "hbos", "random"])
    parser.add_argument("--level-bins", type=int, default=10,
                        help="bins of the level_rarity histogram (default: 10)")
    args = parser.parse_args(argv)
    ddmt_params = json.loads(args.ddmt_params)
    names, bounds, data = channel_segments(args.folder)
    y = np.asarray(data.test_label)
    print(f"{Path(args.folder).name}: {len(names)} channels, {len(y)} test rows, "
          f"{int(sum(0 < y[a:b].sum() for a, b in bounds))} channels with anomalies")
    cols = ["pooled_auc_roc", "pooled_auc_pr", "pooled_vus_pr", "within_share",
            "within_pairs_auc_roc", "cross_pairs_auc_roc", "channel_auc_roc", "ranked_auc_pr",
            "ranked_vus_pr"]
    lines = ["| detector | " + " | ".join(cols) + " | seconds |",
             "|---|" + "---:|" * (len(cols) + 1)]
    print("\n".join(lines))
    for name in args.detectors:
        t0 = time.perf_counter()
        if name in LEVEL_SCORES:
            score = level_scores(np.asarray(data.train), np.asarray(data.test),
                                 n_bins=args.level_bins)[name]
        else:
            if name == "ddmt" and args.model:
                est = joblib.load(args.model)
                other = sorted(set(ddmt_params) - set(DDMTDetector.SCORING_PARAMS))
                if other:
                    parser.error(f"with --model, --ddmt-params takes scoring parameters only "
                                 f"({', '.join(DDMTDetector.SCORING_PARAMS)}); got {other}")
                est.set_params(**ddmt_params)  # the ranking does not depend on the threshold
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
