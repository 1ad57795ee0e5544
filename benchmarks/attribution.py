"""Attribution on SMD: do per-feature scores point at the labelled causes?

For every SMD machine with an ``interpretation_label/<machine>.txt`` file in
``--data`` (the dataset's authors mark, for each labelled anomaly, the
features that caused it), this scores the test series feature by feature
with

* ``ddmt``: ``DDMTDetector().feature_scores`` (the default model; a model
  kept by ``python -m skddmt.benchmark --models DIR`` is loaded instead of
  trained when ``--models DIR`` is given);
* ``zscore``: each feature's squared standardised value
  (``MeanSquareDetector.feature_scores``);
* ``pca``: each feature's squared PCA residual (``PCADetector.feature_scores``);

and prints HitRate@100%, HitRate@150%, NDCG@100% and NDCG@150%
(:func:`skddmt.metrics.interpretation_scores`) averaged over every labelled
timestamp of a machine, then over the machines: mean ± std over seeds.
Every labelled timestamp counts, found by the detector or not, so no
threshold enters.

Run:  python benchmarks/attribution.py --seeds 0 1 2 --models benchmarks/models
      (a few minutes with the headline's kept models; about 12 min per seed without)
"""

import argparse
import json
from pathlib import Path

import numpy as np

from skddmt import DDMTDetector
from skddmt.baselines import MeanSquareDetector, PCADetector
from skddmt.benchmark import model_file
from skddmt.datasets import load_npz, read_interpretation
from skddmt.metrics import interpretation_scores

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "SMD"
KEYS = ("hitrate@100%", "hitrate@150%", "ndcg@100%", "ndcg@150%")


def ddmt_model(path, seed, params, models):
    """The DDMT model (``params`` over the defaults) of an entity and seed:
    kept, or fitted now."""
    if models:
        kept = model_file(models, params, path, seed)
        if kept.is_file():
            return DDMTDetector.load(kept)
    return DDMTDetector(random_state=seed, **params).fit(load_npz(path).train)


def machine_scores(path, segments, seed, params, models):
    """{detector: interpretation_scores} of one machine and seed."""
    data = load_npz(path)
    parts = {
        "ddmt": ddmt_model(path, seed, params, models).feature_scores(data.test),
        "zscore": MeanSquareDetector().fit(data.train).feature_scores(data.test),
        "pca": PCADetector().fit(data.train).feature_scores(data.test),
    }
    return {name: interpretation_scores(p, segments) for name, p in parts.items()}


def table(results):
    """Markdown table from {detector: {seed: [per-machine dicts]}}."""
    lines = ["| detector | " + " | ".join(KEYS) + " |", "|---|" + "---:|" * len(KEYS)]
    for name, per_seed in results.items():
        cells = []
        for key in KEYS:
            means = [np.mean([m[key] for m in machines]) for machines in per_seed.values()]
            std = np.std(means, ddof=1) if len(means) > 1 else 0.0
            cells.append(f"{np.mean(means):.3f} ± {std:.3f}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DATA), help="SMD folder of machine .npz files")
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--models", metavar="DIR", help="folder of kept benchmark models")
    parser.add_argument("--ddmt-params", default="{}",
                        help="JSON of DDMTDetector parameters (default: the defaults)")
    args = parser.parse_args(argv)
    folder = Path(args.data)
    machines = [p for p in sorted(folder.glob("*.npz"))
                if (folder / "interpretation_label" / f"{p.stem}.txt").is_file()]
    if not machines:
        raise SystemExit(f"no machine .npz with an interpretation_label file in {folder}")
    results = {}
    for seed in args.seeds:
        for path in machines:
            segments = read_interpretation(folder / "interpretation_label" / f"{path.stem}.txt")
            scores_of = machine_scores(path, segments, seed, json.loads(args.ddmt_params),
                                       args.models)
            for name, scores in scores_of.items():
                results.setdefault(name, {}).setdefault(seed, []).append(scores)
    n_ts = sum(m["n_timestamps"] for m in results["ddmt"][args.seeds[0]])
    text = (f"{len(machines)} machines, {n_ts} labelled timestamps, seeds {args.seeds}\n\n"
            + table(results))
    print(text)
    return text


if __name__ == "__main__":
    main()
