"""Does smoothing the score over time help DDMT more than it helps the baselines?

``DDMTDetector`` smooths its anomaly score with a centred moving average of
``score_smoothing`` rows (default 11). The baselines of the benchmark do not.
This script gives every detector the same smoothing, so that a reader can see
how much of DDMT's figures is the smoothing and how much is the model.

For each entity and seed it scores the test series once per detector
(DDMT unsmoothed, ``score_smoothing=1``), then smooths every score with
``skddmt._preprocessing.moving_average`` at each ``--widths`` value and
reports VUS-PR and AUC-PR, means over the entities of a dataset and over the
seeds. Nothing is chosen here: the default width was chosen on synthetic
series (``benchmarks/select_defaults.py``; user guide, section 10).

With ``--models`` (the folder of the main benchmark's ``--models``), DDMT
reuses the kept default models instead of fitting them again.

Run:  python benchmarks/score_smoothing.py ../shared/data/MSL/ALL_concat.npz \\
          ../shared/data/SMAP/ALL_concat.npz ../shared/data/SMD --seeds 0 1 2 \\
          --models benchmarks/models
      (about 10 min with kept models on 2 CPU cores)
"""

import argparse
import json
import warnings
from pathlib import Path

import joblib
import numpy as np

from skddmt._preprocessing import moving_average
from skddmt.benchmark import DETECTORS, entity_paths, model_file
from skddmt.datasets import load_npz
from skddmt.metrics import auc_pr, vus_pr

DEFAULT_DETECTORS = ("ddmt", "iforest", "pca", "knn", "meansq", "hbos")


def unsmoothed_test_scores(detector, path, seed, data, models=None):
    """Unsmoothed anomaly score of the test series (higher = more abnormal)."""
    factory, _ = DETECTORS[detector]
    kept = model_file(models, {}, path, seed) if models and detector == "ddmt" else None
    if kept is not None and kept.is_file():
        est = joblib.load(kept)
    else:
        est = factory(seed, {}).fit(data.train)
    if detector == "ddmt":
        est.set_params(score_smoothing=1)  # test scores only: the threshold is not used
    return -est.score_samples(data.test)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+", help=".npz files or folders")
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--widths", nargs="+", type=int, default=[1, 5, 11, 25])
    parser.add_argument("--detectors", nargs="+", default=list(DEFAULT_DETECTORS),
                        choices=list(DETECTORS))
    parser.add_argument("--models", metavar="DIR", help="kept DDMT models to reuse")
    parser.add_argument("--out", default="benchmarks/results_smoothing")
    args = parser.parse_args(argv)
    if min(args.widths) < 1:
        parser.error("--widths must be positive")

    # (detector, width, dataset) -> list of (VUS-PR, AUC-PR) over entities and seeds
    cells = {}
    for path in entity_paths(args.inputs):
        data = load_npz(path)
        for detector in args.detectors:
            seeds = args.seeds if DETECTORS[detector][1] else args.seeds[:1]
            for seed in seeds:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", UserWarning)
                    score = unsmoothed_test_scores(detector, path, seed, data, args.models)
                for width in args.widths:
                    smoothed = moving_average(score, width)
                    cells.setdefault((detector, width, path.parent.name), []).append(
                        (vus_pr(data.test_label, smoothed), auc_pr(data.test_label, smoothed)))
        print(f"{path.parent.name}/{path.stem} done", flush=True)

    datasets = list(dict.fromkeys(ds for _, _, ds in cells))
    lines = ["| detector | width | " + " | ".join(f"{ds} VUS-PR | {ds} AUC-PR" for ds in datasets)
             + " |", "|---|---:|" + "---:|---:|" * len(datasets)]
    summary = {}
    for detector in args.detectors:
        for width in args.widths:
            row = []
            for ds in datasets:
                vus, ap = np.mean(cells[(detector, width, ds)], axis=0)
                summary.setdefault(detector, {}).setdefault(str(width), {})[ds] = [vus, ap]
                row += [f"{vus:.3f}", f"{ap:.3f}"]
            lines.append(f"| {detector} | {width} | " + " | ".join(row) + " |")
    text = "\n".join(lines)
    print(text)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.md").write_text(text + "\n")
    (out / "results.json").write_text(json.dumps(
        {"config": {"inputs": args.inputs, "seeds": args.seeds, "widths": args.widths},
         "summary": summary}, indent=1))
    return summary


if __name__ == "__main__":
    main()
