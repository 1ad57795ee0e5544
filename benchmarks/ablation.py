"""Ablation of DDMTDetector on the benchmark data: which parts earn their place.

Runs ``python -m skddmt.benchmark`` (DDMT only) once per variant, each into
its own output folder under ``--out`` (runs are cached there, so an
interrupted ablation resumes), then prints one markdown table: VUS-PR and
AUC-PR per dataset, and fit / score seconds summed over the entities (with
several seeds, a second table gives each variant's VUS-PR difference seed by
seed), for

* the full model (``DDMTDetector()`` defaults);
* the parts of the second design, each switched back: ``mask_mode='timestamp'``
  (whole rows hidden instead of single elements), ``training_masks='interleaved'``
  (the scoring masks at a random phase instead of random gaps), ``scale_floor=0.1``
  (the input scale floored at 10 % of the median standard deviation);
* the first design, all three switched back (``first design``);
* ``adnm=False``: no Adaptive Dynamic Neighbour Mask;
* ``mask_width=0``: no neighbour band in the attention;
* both off;
* ``diffusion=False``: the same Transformer trained as a plain masked
  reconstructor, without noise;
* ``adnm_max_radius=25`` (a quarter window, the default until synthetic
  series preferred a tenth, 10: user guide, section 10);
* ``adnm_ratio=0.1`` (the default until synthetic series preferred 0.01,
  one suspect per window of 100);
* ``error_normalisation='feature'`` (the mean training error as divisor
  instead of the 99th percentile), ``rarity='none'`` (the imputation error
  alone, without the latent rarity term) and ``rarity_combination='sum'``
  (the two terms each over its training mean, added, instead of the larger
  z-score), re-scored like the next three;
* ``n_reverse_steps=5`` against the default single step, ``n_samples=4``
  (four noise draws averaged) against one, and ``score_smoothing=1`` (each
  timestamp's own error) against the default moving average of 11, and
  ``adnm_scoring=False`` (ADNM in training only, no second pass at scoring).
  Training depends on none of them, so each is the full model's trained
  network re-scored (``--ddmt-rescore``), on ``--rescore-seeds``.

Each variant's figures are beside the full model's on the *same seeds*
(the delta column), so a variant run on fewer seeds is still compared
fairly. Times are comparable only between runs made under the same load:
the script prints the seeds and the output folder of each row.

Run:  python benchmarks/ablation.py --seeds 0 1 2 --rescore-seeds 0 1 2 --models benchmarks/models
      (about 25 min per trained variant and seed on 2 CPU cores; the table of
      docs/benchmarks.md gives the variants it was run with)

With ``--models DIR`` the fitted models are kept in DIR: once the full
model of a seed is kept, its re-scored variants cost a scoring pass only.

With ``--cost ENTITY.npz`` it instead fits and scores every variant on that
one entity, one after the other in this process, and prints the fit
seconds, epochs, seconds per epoch and scoring seconds: a cost comparison
made under equal conditions (the benchmark runs of different variants may
not be).
"""

import argparse
import json
import time
from pathlib import Path

import numpy as np

from skddmt import benchmark

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
INPUTS = [DATA / "MSL" / "ALL_concat.npz", DATA / "SMAP" / "ALL_concat.npz", DATA / "SMD"]

#: label -> (parameters of a trained variant, its output folder under --out)
TRAINED = {
    "mask_mode=timestamp": ({"mask_mode": "timestamp"}, "timestamp_masks"),
    "training_masks=interleaved": ({"training_masks": "interleaved"}, "interleaved_training"),
    "scale_floor=0.1": ({"scale_floor": 0.1}, "floor01"),
    "first design": ({"mask_mode": "timestamp", "training_masks": "interleaved",
                      "scale_floor": 0.1, "error_normalisation": "feature"}, "first_design"),
    "adnm=False": ({"adnm": False}, "adnm_off"),
    "mask_width=0": ({"mask_width": 0}, "band_off"),
    "adnm=False, mask_width=0": ({"adnm": False, "mask_width": 0}, "both_off"),
    "diffusion=False": ({"diffusion": False}, "diffusion_off"),
    "adnm_max_radius=25": ({"adnm_max_radius": 25}, "radius25"),
    "adnm_ratio=0.1": ({"adnm_ratio": 0.1}, "ratio01"),
}
RESCORED = {"error_normalisation=feature": {"error_normalisation": "feature"},
            "rarity=none": {"rarity": "none"},
            "rarity_combination=sum": {"rarity_combination": "sum"},
            "n_reverse_steps=5": {"n_reverse_steps": 5}, "n_samples=4": {"n_samples": 4},
            "score_smoothing=1": {"score_smoothing": 1},
            "adnm_scoring=False": {"adnm_scoring": False}}
#: Datasets always in the table, in this order; others (fleets: "MSL channels")
#: follow in the order the runs give them.
DATASETS = ("SMD", "MSL", "SMAP")


def dataset_names(figures):
    """:data:`DATASETS`, then the other datasets of ``figures`` (dicts keyed
    by dataset) in the order they come."""
    extra = [name for f in figures for name in f if name not in DATASETS]
    return [*DATASETS, *dict.fromkeys(extra)]


def run(inputs, seeds, params, out, rescore=(), models=None, fleet=()):
    """Run (or read from cache) one variant; returns its ``runs`` list.

    With ``models`` (a folder), fitted models are kept there and reused
    (``python -m skddmt.benchmark --models``), so a later re-scored variant
    needs no training. ``fleet`` folders are run as fleets of channels
    (``--fleet``)."""
    argv = [str(p) for p in inputs] + ["--detectors", "ddmt", "--seeds", *map(str, seeds),
                                       "--ddmt-params", json.dumps(params), "--out", str(out)]
    if fleet:
        argv += ["--fleet", *map(str, fleet)]
    for extra in rescore:
        argv += ["--ddmt-rescore", json.dumps(extra)]
    if models:
        argv += ["--models", str(models)]
    benchmark.main(argv)
    return json.loads((Path(out) / "results.json").read_text())["runs"]


def per_dataset(runs, detector, seeds):
    """{dataset: {metric: mean over seeds of the mean over entities}}, plus
    the sums over entities of the fit and score seconds (mean over seeds)."""
    out = {}
    for dataset in dataset_names([dict.fromkeys(r["dataset"] for r in runs)]):
        rows = [r for r in runs if r["detector"] == detector and r["dataset"] == dataset
                and r["seed"] in seeds]
        if not rows:
            continue
        res = {}
        for key in ("vus_pr", "auc_pr"):
            res[key] = float(np.mean([np.mean([r[key] for r in rows if r["seed"] == s])
                                      for s in seeds]))
        for key in ("fit_seconds", "score_seconds"):
            res[key] = float(np.mean([np.sum([r[key] for r in rows if r["seed"] == s])
                                      for s in seeds]))
        out[dataset] = res
    return out


def table(rows):
    """Markdown table from ``[(label, seeds, variant figures, full-model figures)]``."""
    names = dataset_names([v for _, _, v, _ in rows])
    head = ["variant", "seeds"]
    for ds in names:
        head += [f"{ds} VUS-PR (Δ)", f"{ds} AUC-PR (Δ)"]
    head += ["fit s", "score s", "full: fit s", "full: score s"]
    lines = ["| " + " | ".join(head) + " |", "|---|---|" + "---:|" * (len(head) - 2)]
    for label, seeds, variant, full in rows:
        cells = [label, " ".join(map(str, seeds))]
        for ds in names:
            for key in ("vus_pr", "auc_pr"):
                if ds not in variant:
                    cells.append("n/a")
                    continue
                v, f = variant[ds][key], full[ds][key]
                cells.append(f"{v:.3f} ({v - f:+.3f})" if label != "full" else f"{v:.3f}")
        for res in (variant, full):
            for key in ("fit_seconds", "score_seconds"):
                cells.append(f"{sum(res[ds][key] for ds in res):.0f}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def seed_table(rows):
    """Markdown table of the VUS-PR difference from the full model, seed by
    seed, from ``[(label, seeds, [variant figures per seed], [full-model
    figures per seed])]``: whether a mean difference has the same sign on
    every seed."""
    names = dataset_names([f for _, _, variant, _ in rows for f in variant])
    head = ["variant", "seeds"] + [f"{ds} VUS-PR Δ per seed" for ds in names]
    lines = ["| " + " | ".join(head) + " |", "|---|---|" + "---:|" * len(names)]
    for label, seeds, variant, full in rows:
        cells = [label, " ".join(map(str, seeds))]
        for ds in names:
            if any(ds not in v for v in variant):
                cells.append("n/a")
                continue
            cells.append(" / ".join(f"{v[ds]['vus_pr'] - f[ds]['vus_pr']:+.3f}"
                                    for v, f in zip(variant, full)))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def cost(path, base, variants, seed=0):
    """Markdown table of fit / score seconds of each variant on one entity."""
    from skddmt import DDMTDetector
    from skddmt.datasets import load_npz

    data = load_npz(path)
    lines = ["| variant | fit s | epochs | s per epoch | score s (test) |",
             "|---|---:|---:|---:|---:|"]
    for label in ["full", *variants]:
        params = {**base, **TRAINED.get(label, ({}, None))[0], **RESCORED.get(label, {})}
        est = DDMTDetector(random_state=seed, **params)
        t0 = time.perf_counter()
        est.fit(data.train)
        fit_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        est.score_samples(data.test)
        score_s = time.perf_counter() - t0
        lines.append(f"| {label} | {fit_s:.3g} | {est.n_epochs_} | {fit_s / est.n_epochs_:.3g} "
                     f"| {score_s:.3g} |")
    return "\n".join(lines)


def main(argv=None):
    """Run the ablation and print its table; returns the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2],
                        help="seeds of the trained variants (and of the full model)")
    parser.add_argument("--rescore-seeds", nargs="+", type=int, default=None,
                        help="seeds of the re-scored variants (default: --seeds)")
    parser.add_argument("--variants", nargs="+", default=list(TRAINED) + list(RESCORED),
                        choices=list(TRAINED) + list(RESCORED))
    parser.add_argument("--inputs", nargs="*", default=[str(p) for p in INPUTS])
    parser.add_argument("--fleet", nargs="+", default=[], metavar="FOLDER",
                        help="also run these folders as fleets of channels (reported as "
                             "'<folder> channels'); with --inputs and nothing after it, only them")
    parser.add_argument("--full-out", default="benchmarks/results_ddmt",
                        help="output folder of the full model (shares the main cache)")
    parser.add_argument("--out", default="benchmarks/results_ablation")
    parser.add_argument("--cost", metavar="ENTITY.npz",
                        help="time every variant on this one entity instead")
    parser.add_argument("--base-params", default="{}",
                        help="JSON of DDMTDetector parameters applied to every variant, "
                             "the full model included (default: none, i.e. the defaults)")
    parser.add_argument("--models", metavar="DIR",
                        help="keep the fitted models in DIR and reuse them (see "
                             "python -m skddmt.benchmark --models): with the full models "
                             "kept, a re-scored variant costs a scoring pass, not a fit")
    args = parser.parse_args(argv)
    base = json.loads(args.base_params)
    if args.cost:
        text = cost(args.cost, base, args.variants)
        print(text)
        return text
    rescore_seeds = args.rescore_seeds or args.seeds

    full_seeds = sorted(set(args.seeds) | set(rescore_seeds))
    rescore = [RESCORED[v] for v in args.variants if v in RESCORED]
    full_runs = []
    for seed in full_seeds:  # one call per seed: only the rescore seeds re-score
        full_runs += run(args.inputs, [seed], base, args.full_out,
                         rescore if seed in rescore_seeds else (), args.models, args.fleet)
    rows = [("full", full_seeds, per_dataset(full_runs, "ddmt", full_seeds),
             per_dataset(full_runs, "ddmt", full_seeds))]
    per_seed = []  # (label, seeds, [variant figures per seed], [full figures per seed])
    for label in args.variants:
        if label in TRAINED:
            params, name = TRAINED[label]
            runs = run(args.inputs, args.seeds, {**base, **params}, Path(args.out) / name,
                       models=args.models, fleet=args.fleet)
            detector, seeds = "ddmt", args.seeds
        else:
            runs, detector, seeds = full_runs, benchmark.variant_label("ddmt", RESCORED[label]), \
                rescore_seeds
        rows.append((label, seeds, per_dataset(runs, detector, seeds),
                     per_dataset(full_runs, "ddmt", seeds)))
        per_seed.append((label, seeds, [per_dataset(runs, detector, [s]) for s in seeds],
                         [per_dataset(full_runs, "ddmt", [s]) for s in seeds]))
    text = table(rows)
    if any(len(seeds) > 1 for _, seeds, _, _ in rows):
        text += "\n\n" + seed_table(per_seed)
    print(text)
    return text


if __name__ == "__main__":
    main()
