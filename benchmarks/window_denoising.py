"""A design change tried for long, level-type anomalies: a whole-window
denoising term beside DDMT's masked-imputation error. Diagnostic, not in the
package.

DDMT rebuilds each timestamp from its neighbours. A long anomaly at an unusual
level is rebuilt well, because its neighbours sit at the same level (see the
score-aggregation section of ``docs/benchmarks.md``). This script tests the
obvious remedy from diffusion-based detectors: also hide the *whole* window,
noise it to a small diffusion step ``t`` and let the denoiser pull it back
towards the training data in one step; the squared error of that is the
"denoising" term.

What it changes, only inside this script (two functions of
``skddmt._scoring`` are wrapped for the run; the package is untouched):

* training: each training (and validation) window is, with probability
  ``--p-full``, fully hidden instead of masked by the interleaved or ADNM
  masks, so the denoiser also learns to denoise windows without context
  (diffusion steps drawn uniformly, as for the other windows);
* scoring: for each entity, one pass gives every feature's imputation error
  (the package's score), one pass per ``--steps`` value every feature's
  denoising error at that step. Each is divided by its feature's mean on the
  training series and averaged over features; ``sum`` adds the two terms.
  Unlike the package (``error_normalisation='feature'``, which floors each
  mean at a share of their median with ``_preprocessing.floored``), the mean
  is only floored at 1e-8, so a column constant in training weighs more
  here; the figures in ``docs/benchmarks.md`` were measured that way.

Everything else is ``DDMTDetector(random_state=seed)`` with its defaults. The
test labels only score the rows; nothing is picked with them. Per-entity
results go to ``--out`` as JSON lines, so an interrupted run resumes (use one
``--out`` per ``--steps`` and ``--params``).

Run:  python benchmarks/window_denoising.py ../shared/data/MSL/ALL_concat.npz \\
          ../shared/data/SMAP/ALL_concat.npz ../shared/data/SMD
      (about 2.5 min per entity on 2 CPU cores)
"""

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch

import skddmt._scoring as scoring
import skddmt._training as training
from skddmt import DDMTDetector
from skddmt.benchmark import entity_paths
from skddmt.datasets import load_npz
from skddmt.metrics import auc_pr, vus_pr

_SETTINGS = {"p_full": 0.25, "term": "impute", "step": 25}
_training_mask = scoring.training_mask
_node_errors = scoring.node_errors


def training_mask_with_full(denoiser, diffusion, x0, cfg, generator, group_masks):
    """The package's training mask, replaced by an all-ones mask (the whole
    window hidden) for a share ``p_full`` of the windows."""
    mask = _training_mask(denoiser, diffusion, x0, cfg, generator, group_masks)
    full = torch.rand(x0.shape[0], generator=generator, device=x0.device) < _SETTINGS["p_full"]
    return torch.where(full[:, None, None], torch.ones_like(mask), mask)


def node_errors_or_denoising(denoiser, diffusion, windows, cfg, generator, group_masks):
    """The package's imputation errors, or the one-step whole-window
    denoising errors from step ``step`` (0-based)."""
    if _SETTINGS["term"] == "impute":
        return _node_errors(denoiser, diffusion, windows, cfg, generator, group_masks)
    step = _SETTINGS["step"]
    full = torch.ones_like(windows)
    rec = diffusion.reconstruct(denoiser, windows, full, step, [step], generator)
    return (rec - windows).square()


def normalised_terms(det, data, term, step=None):
    """Per-timestamp term on the test series, each feature divided by its
    mean on the training series, then averaged over features."""
    _SETTINGS.update(term=term, step=step)
    train = det._anomaly_score(data.train, per_feature=True)
    test = det._anomaly_score(data.test, per_feature=True)
    return (test / np.maximum(train.mean(axis=0), 1e-8)).mean(axis=1)


def run_entity(path, seed, steps, params=None):
    data = load_npz(path)
    t0 = time.perf_counter()
    det = DDMTDetector(random_state=seed, **(params or {})).fit(data.train)
    fit_s = time.perf_counter() - t0
    y = data.test_label
    impute = normalised_terms(det, data, "impute")
    rows = {"impute": impute}
    for step in steps:
        den = normalised_terms(det, data, "denoise", step)
        rows[f"denoise t={step}"] = den
        rows[f"sum t={step}"] = impute + den
    return {"entity": path.stem, "dataset": path.parent.name, "seed": seed,
            "fit_seconds": fit_s, "epochs": det.n_epochs_,
            "scores": {k: {"vus_pr": vus_pr(y, s), "auc_pr": auc_pr(y, s)}
                       for k, s in rows.items()}}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+", help=".npz files or folders of them")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--p-full", type=float, default=0.25)
    parser.add_argument("--steps", type=int, nargs="+", default=[25, 499],
                        help="0-based diffusion steps of the denoising term")
    parser.add_argument("--params", default="{}",
                        help="JSON of other DDMTDetector parameters (tests use tiny models)")
    parser.add_argument("--out", default="benchmarks/results_window_denoising/runs.jsonl")
    args = parser.parse_args(argv)
    _SETTINGS["p_full"] = args.p_full
    training.training_mask = training_mask_with_full
    scoring.node_errors = node_errors_or_denoising
    try:
        return _run(args)
    finally:  # the package's own functions again, also for a caller in the same process
        training.training_mask = _training_mask
        scoring.node_errors = _node_errors


def _run(args):
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    done = []
    if out.is_file():
        done = [json.loads(line) for line in out.read_text().splitlines() if line.strip()]
        done = [r for r in done if r["p_full"] == args.p_full]
    for seed in args.seeds:
        for path in entity_paths(args.inputs):
            key = (path.parent.name, path.stem, seed)
            if any((r["dataset"], r["entity"], r["seed"]) == key for r in done):
                continue
            record = run_entity(path, seed, args.steps, json.loads(args.params))
            record["p_full"] = args.p_full
            done.append(record)
            with out.open("a") as fh:
                fh.write(json.dumps(record) + "\n")
            best = {k: round(v["vus_pr"], 3) for k, v in record["scores"].items()}
            print(f"{key}: fit {record['fit_seconds']:.0f} s, VUS-PR {best}", flush=True)

    datasets = sorted({r["dataset"] for r in done})
    names = list(done[0]["scores"]) if done else []
    lines = ["| score | " + " | ".join(datasets) + " |", "|---|" + "---:|" * len(datasets)]
    for name in names:
        cells = []
        for ds in datasets:
            recs = [r for r in done if r["dataset"] == ds and name in r["scores"]]
            per_seed = {}
            for r in recs:
                per_seed.setdefault(r["seed"], []).append(r["scores"][name])
            vus = np.mean([np.mean([s["vus_pr"] for s in v]) for v in per_seed.values()])
            ap = np.mean([np.mean([s["auc_pr"] for s in v]) for v in per_seed.values()])
            cells.append(f"{vus:.3f} / {ap:.3f} ({len(recs)} runs)")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    text = "\n".join(lines)
    print("\nMean over entities, then over seeds (VUS-PR / AUC-PR):\n\n" + text)
    return text


if __name__ == "__main__":
    main()
