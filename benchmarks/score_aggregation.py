"""How should DDMT's per-feature errors become one score? A label-free check
of alternatives on the benchmark data.

For each entity, fits ``DDMTDetector(random_state=seed)`` with its defaults,
keeps every feature's reconstruction error per timestamp on the training and
the test series (one scoring pass each), then forms the anomaly score in
several ways. Every way uses the *training* errors only for its
normalisation; the test labels are used only to report VUS-PR and AUC-PR,
never to pick anything. The rows:

* ``default``: mean over features of the error divided by that feature's
  mean training error (``error_normalisation='feature'``);
* ``none``: mean of the raw squared errors (``error_normalisation='none'``);
* ``median``: median over features instead of the mean;
* ``q99``: each feature divided by its 99th training percentile;
* ``tail mean`` / ``tail max``: each feature's error turned into
  ``-log`` of its tail probability under that feature's training errors
  (an empirical p-value, at most ``log(n_train + 1)``), then the mean or the
  maximum over features;
* ``local median``: the default score divided by its running median over
  2,000 timestamps (a drift-robust, self-normalised score);
* ``watch COLS``: the default normalisation over the columns given by
  ``--watch`` only, i.e. ``DDMTDetector(score_features=COLS)``; the other
  columns stay model input.

Every row is then smoothed over time with the detector's
``score_smoothing`` (the default, or the one of ``--params``), so that the
``default`` row is the detector's own score.

Errors are cached as ``.npz`` under ``--out`` so the table can be rebuilt
without refitting.

Run:  python benchmarks/score_aggregation.py ../shared/data/MSL/ALL_concat.npz \\
          ../shared/data/SMAP/ALL_concat.npz --watch 0
      python benchmarks/score_aggregation.py ../shared/data/SMD
      (about 3 min per entity on 2 CPU cores)
"""

import argparse
import json
from pathlib import Path

import numpy as np
from scipy.ndimage import median_filter

from skddmt import DDMTDetector
from skddmt._preprocessing import floored, moving_average
from skddmt.benchmark import entity_paths
from skddmt.datasets import load_npz
from skddmt.metrics import auc_pr, vus_pr

LOCAL_WINDOW = 2000


def feature_errors(path, seed, out, params=None):
    """(train errors, test errors, labels) of one entity, cached under ``out``
    (the cache name holds only the entity and the seed: use one ``out``
    folder per parameter set)."""
    path = Path(path)
    cache = Path(out) / f"{path.parent.name}__{path.stem}__seed{seed}.npz"
    if cache.is_file():
        f = np.load(cache)
        return f["train"], f["test"], f["label"]
    data = load_npz(path)
    est = DDMTDetector(random_state=seed, **(params or {})).fit(data.train)
    # The per-feature pass behind score_samples (private: no public API
    # returns unweighted per-feature errors).
    train = est._anomaly_score(est._validate(data.train, reset=False)[0][0], per_feature=True)
    test = est._anomaly_score(est._validate(data.test, reset=False)[0][0], per_feature=True)
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.savez(cache, train=train, test=test, label=data.test_label)
    return train, test, data.test_label


def tail_scores(train, test):
    """``-log`` empirical tail probability of each test error under the same
    feature's training errors."""
    n = len(train)
    out = np.empty(test.shape)
    for j in range(train.shape[1]):
        ranked = np.sort(train[:, j])
        at_least = n - np.searchsorted(ranked, test[:, j], side="left")
        out[:, j] = -np.log((at_least + 1) / (n + 1))
    return out


def aggregations(train, test, watch=None, smoothing=1):
    """{name: anomaly score of every test timestamp}, each normalised with
    the training errors only, then smoothed over time as the detector's
    ``score_smoothing`` does (``smoothing`` rows; 1: not at all)."""
    scale = floored(train.mean(axis=0))
    default = (test / scale).mean(axis=1)
    tail = tail_scores(train, test)
    scores = {
        "default": default,
        "none": test.mean(axis=1),
        "median": np.median(test / scale, axis=1),
        "q99": (test / floored(np.quantile(train, 0.99, axis=0))).mean(axis=1),
        "tail mean": tail.mean(axis=1),
        "tail max": tail.max(axis=1),
        "local median": default / np.maximum(
            median_filter(default, size=LOCAL_WINDOW, mode="nearest"), 1e-12),
    }
    if watch is not None:
        cols = list(watch)
        scores[f"watch {','.join(map(str, cols))}"] = (
            test[:, cols] / floored(train[:, cols].mean(axis=0))).mean(axis=1)
    return {name: moving_average(score, smoothing) for name, score in scores.items()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="+", help=".npz files or folders")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--watch", nargs="+", type=int, default=None, metavar="COL",
                        help="columns of the 'watch' row (domain knowledge, e.g. 0 for "
                             "the telemetry column of MSL and SMAP)")
    parser.add_argument("--params", default="{}",
                        help="JSON of DDMTDetector parameters (default: the defaults)")
    parser.add_argument("--out", default="benchmarks/results_aggregation")
    args = parser.parse_args(argv)
    params = json.loads(args.params)

    per_dataset = {}
    for path in entity_paths(args.inputs):
        train, test, label = feature_errors(path, args.seed, args.out, params)
        smoothing = DDMTDetector(**params).score_smoothing
        for name, score in aggregations(train, test, args.watch, smoothing).items():
            rows = per_dataset.setdefault(path.parent.name, {}).setdefault(name, [])
            rows.append((vus_pr(label, score), auc_pr(label, score)))
        print(f"{path.parent.name}/{path.stem} done", flush=True)
    lines = ["| aggregation | " + " | ".join(f"{ds} VUS-PR | {ds} AUC-PR" for ds in per_dataset)
             + " |", "|---|" + "---:|---:|" * len(per_dataset)]
    names = list(next(iter(per_dataset.values())))
    for name in names:
        cells = []
        for rows in per_dataset.values():
            vus, ap = np.mean(rows[name], axis=0)
            cells += [f"{vus:.3f}", f"{ap:.3f}"]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    text = "\n".join(lines)
    print(text)
    Path(args.out).mkdir(parents=True, exist_ok=True)
    (Path(args.out) / "results.json").write_text(json.dumps(
        {name: {ds: np.mean(rows[name], axis=0).tolist() for ds, rows in per_dataset.items()}
         for name in names}, indent=1))
    return text


if __name__ == "__main__":
    main()
