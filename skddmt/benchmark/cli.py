"""The command line: ``python -m skddmt.benchmark --help``."""

import argparse
import json
import sys
import time
import warnings
from pathlib import Path

from .detectors import DETECTORS, SMOOTHING
from .report import entity_spread, markdown, summarise, variant_label
from .runner import (
    DEFAULT_RATIO,
    FLEET_FIT,
    PAPER_RATIO,
    RESCORABLE,
    entity_paths,
    run_fleet,
    run_one,
)
from .store import run_file


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m skddmt.benchmark",
        description="Fit detectors on benchmark entities (.npz with train, test, test_label) "
                    "and report both evaluation protocols beside simple baselines.")
    parser.add_argument("inputs", nargs="*",
                        help=".npz files or folders (a folder gives all its .npz but "
                             "ALL_concat*.npz); the dataset name is the parent folder's name")
    parser.add_argument("--fleet", nargs="+", default=[], metavar="FOLDER",
                        help="run each FOLDER's entities (its .npz but ALL_concat*.npz) as one "
                             "fleet, reported as the dataset '<folder> channels': DDMT fits one "
                             "model on the list of their training series and scores each test "
                             "series alone; the other detectors fit one model per entity")
    parser.add_argument("--detectors", nargs="+", default=list(DETECTORS), choices=list(DETECTORS))
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--ddmt-params", default="{}",
                        help='JSON of DDMTDetector parameters, e.g. \'{"max_epochs": 5}\'')
    parser.add_argument("--ddmt-rescore", action="append", default=[], metavar="JSON",
                        help="also report DDMT with these scoring-time parameters "
                             f"(keys from {', '.join(RESCORABLE)}), from the same trained "
                             "model re-scored; repeatable, e.g. '{\"n_reverse_steps\": 5}'")
    parser.add_argument("--baseline-smoothing", type=int, default=None, metavar="W",
                        help="also report every baseline smoothed alike: its score's centred "
                             "moving average of W rows, as DDMT's score_smoothing (rows "
                             "'<name>[smoothing=W]', the same fitted baseline)")
    parser.add_argument("--window", type=int, default=100, help="VUS window (default 100)")
    parser.add_argument("--ratio", action="append", default=[], metavar="DATASET=R",
                        help="paper-protocol anomaly ratio in %% for a dataset "
                             f"(defaults: {PAPER_RATIO}, else {DEFAULT_RATIO})")
    parser.add_argument("--columns", nargs="+", type=int, default=None, metavar="COL",
                        help="give every detector only these columns of each entity, e.g. "
                             "0 for the telemetry column of MSL and SMAP")
    parser.add_argument("--out", default="benchmarks/results", help="output folder")
    parser.add_argument("--no-cache", action="store_true", help="ignore cached runs")
    parser.add_argument("--models", metavar="DIR",
                        help="keep fitted DDMT models in DIR and reuse them: a run whose "
                             "parameters differ from a kept model's only in scoring-time "
                             f"parameters ({', '.join(RESCORABLE)}) re-scores it instead of "
                             "training again (DDMTDetector.save files, loaded without unpickling)")
    args = parser.parse_args(argv)

    ratios = {**PAPER_RATIO}
    for item in args.ratio:
        name, _, value = item.partition("=")
        ratios[name.upper()] = float(value)
    params = {"ddmt": json.loads(args.ddmt_params)}
    rescore = [json.loads(item) for item in args.ddmt_rescore]
    for extra in rescore:
        unknown = sorted(set(extra) - set(RESCORABLE))
        if unknown:
            parser.error(f"--ddmt-rescore takes only {', '.join(RESCORABLE)}; got {unknown}")
    if rescore and params["ddmt"].get("timestep_sampling", "uniform") != "uniform":
        parser.error("--ddmt-rescore needs timestep_sampling='uniform': with 'scoring', "
                     "training depends on the reverse steps")
    if args.baseline_smoothing is not None and args.baseline_smoothing < 1:
        parser.error("--baseline-smoothing takes a width of at least 1 row")
    smoothing = ([] if args.baseline_smoothing is None
                 else [{SMOOTHING: args.baseline_smoothing}])
    if not args.inputs and not args.fleet:
        parser.error("give entity files or folders, or --fleet folders")
    paths = entity_paths(args.inputs)
    fleets = {}
    for folder in args.fleet:
        if not Path(folder).is_dir():
            parser.error(f"--fleet takes folders; {folder} is not one")
        fleets[f"{Path(folder).name} channels"] = entity_paths([folder])
    out = Path(args.out)
    cache = out / "cache"
    # a job: (detector, dataset label, entity file or a fleet's list of files, seed)
    targets = {d: [(p.parent.name, p) for p in paths] for d in args.detectors}
    for label, members in fleets.items():
        for d in args.detectors:
            targets[d] += [(label, members)] if d in FLEET_FIT else [(label, p) for p in members]
    jobs = [(d, label, target, s) for d in args.detectors for label, target in targets[d]
            for s in (args.seeds if DETECTORS[d][1] else args.seeds[:1])]

    from tqdm.auto import tqdm

    runs = []
    t_start = time.perf_counter()
    for detector, dataset, target, seed in tqdm(jobs, desc="benchmark", unit="run",
                                                file=sys.stderr):
        fleet = not isinstance(target, Path)
        folder = (target[0] if fleet else target).parent.name
        ratio = ratios.get(folder.upper(), DEFAULT_RATIO)
        p = params.get(detector, {})
        extras = rescore if detector == "ddmt" else smoothing
        variants = [p] + [{**p, **extra} for extra in extras]
        files = [run_file(cache, detector, v, target, seed, args.columns) for v in variants]
        if all(f.is_file() for f in files) and not args.no_cache:
            records = [json.loads(f.read_text()) for f in files]
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                if fleet:
                    records = run_fleet(p, target, seed, ratio, args.window, rescore=extras,
                                        columns=args.columns, models=args.models)
                else:
                    records = run_one(detector, p, target, seed, ratio, args.window,
                                      rescore=extras, columns=args.columns,
                                      models=args.models)
            for f, record in zip(files, records):
                f.parent.mkdir(parents=True, exist_ok=True)
                f.write_text(json.dumps(record))
        labels = [detector] + [variant_label(detector, extra) for extra in extras]
        seeds = args.seeds if not DETECTORS[detector][1] else [seed]
        for label, record in zip(labels, records):
            for rec in (record if fleet else [{"entity": target.stem, **record}]):
                for s in seeds:  # a seed-free detector stands for every seed
                    runs.append({"detector": label, "dataset": dataset, "seed": s, **rec})
    summary = summarise(runs)
    n_entities = {ds: len({r["entity"] for r in runs if r["dataset"] == ds}) for ds in summary}
    spread = entity_spread(runs)
    table = markdown(summary, n_entities, spread)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.md").write_text(table)
    (out / "results.json").write_text(json.dumps(
        {"config": {"inputs": [str(p) for p in paths], "detectors": args.detectors,
                    "fleets": {label: [str(p) for p in members]
                               for label, members in fleets.items()},
                    "seeds": args.seeds, "params": params, "window": args.window,
                    "baseline_smoothing": args.baseline_smoothing,
                    "columns": args.columns,
                    "ratios": ratios},
         "summary": summary, "seed_spread": spread, "runs": runs}, indent=1))
    print(table)
    print(f"{len(jobs)} runs in {time.perf_counter() - t_start:.0f} s; "
          f"wrote {out / 'results.md'} and {out / 'results.json'}")
