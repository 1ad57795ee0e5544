"""Benchmark runner: ``python -m skddmt.benchmark --help``.

Fits one model per entity (an SMD machine, a NASA channel or a concatenated
series) for each detector and seed, scores the entity's test series and
evaluates it under two protocols:

* the *paper protocol*, for comparison with published tables only: the
  threshold is the (100 - r) percentile of the **test** scores (r = 0.5 % for
  SMD and SWaT, 1 % otherwise) and F1 is point-adjusted;
* the *sound protocol*: threshold-free VUS-PR, VUS-ROC, AUC-PR, AUC-ROC, and
  at the detector's own threshold (fitted on training data) point-wise F1,
  affiliation F1 and the PA%K AUC.

Results are cached per (detector, parameters, entity, seed) as JSON, so an
interrupted run resumes where it stopped. With ``--models``, fitted DDMT
models are kept too, keyed by the parameters that shape training only, so a
later run that changes only scoring-time parameters (a new threshold, other
scored columns, more reverse steps) re-scores them instead of training again.
A markdown table and a JSON file with every run and the summary (means and
standard deviations over seeds of the per-seed means over entities) are
written to ``--out``.
"""

import argparse
import hashlib
import json
import sys
import time
import warnings
from pathlib import Path

import joblib
import numpy as np
from sklearn.ensemble import IsolationForest
from sklearn.utils import Bunch

from . import __version__, metrics
from ._detector import DDMTDetector, _same_value
from .baselines import (HistogramDetector, KNNDetector, MeanSquareDetector, PCADetector,
                        RandomDetector)
from .datasets import load_npz

#: Anomaly ratio r (in %) of the paper protocol, per dataset name.
PAPER_RATIO = {"SMD": 0.5, "SWAT": 0.5, "MSL": 1.0, "SMAP": 1.0, "PSM": 1.0}
DEFAULT_RATIO = 1.0

#: name -> (factory(seed, params), uses the seed)
DETECTORS = {
    "ddmt": (lambda seed, params: DDMTDetector(random_state=seed, **params), True),
    "iforest": (lambda seed, params: IsolationForest(random_state=seed, **params), True),
    "pca": (lambda seed, params: PCADetector(**params), False),
    "knn": (lambda seed, params: KNNDetector(random_state=seed, **params), True),
    "meansq": (lambda seed, params: MeanSquareDetector(**params), False),
    "hbos": (lambda seed, params: HistogramDetector(**params), False),
    "random": (lambda seed, params: RandomDetector(random_state=seed, **params), True),
}

SOUND = ["vus_pr", "vus_roc", "auc_pr", "auc_roc", "pa_k_auc", "point_f1", "affiliation_f1"]
PAPER = ["pa_precision", "pa_recall", "pa_f1"]
COST = ["fit_seconds", "score_seconds"]


def evaluate(y, anomaly_score, own_flags, ratio, window=100):
    """Every metric of both protocols for one scored test series.

    Parameters
    ----------
    y : ndarray of shape (n,)
        1 = anomaly.
    anomaly_score : ndarray of shape (n,)
        Higher = more abnormal.
    own_flags : ndarray of shape (n,)
        1 where the detector's own (training-fitted) threshold flags a row.
    ratio : float
        Anomaly ratio r in % of the paper protocol.
    window : int
        VUS window.

    Returns
    -------
    dict
    """
    result = {
        "vus_pr": metrics.vus_pr(y, anomaly_score, window=window),
        "vus_roc": metrics.vus_roc(y, anomaly_score, window=window),
        "auc_pr": metrics.auc_pr(y, anomaly_score),
        "auc_roc": metrics.auc_roc(y, anomaly_score),
        "pa_k_auc": metrics.pa_k_auc(y, own_flags),
        "point_f1": metrics.point_prf(y, own_flags)[2],
        "affiliation_f1": metrics.affiliation_prf(y, own_flags)[2],
        "flagged": float(np.mean(own_flags)),
    }
    paper_flags = (anomaly_score > np.percentile(anomaly_score, 100.0 - ratio)).astype(int)
    p, r, f = metrics.pa_prf(y, paper_flags)
    result.update(pa_precision=p, pa_recall=r, pa_f1=f)
    return {k: float(v) for k, v in result.items()}


#: DDMT parameters that only act at scoring time (with the default
#: ``timestep_sampling='uniform'``), so a fitted model can be re-scored with
#: them (``DDMTDetector.recalibrate``) instead of trained again.
RESCORABLE = DDMTDetector.SCORING_PARAMS


def run_one(detector, params, path, seed, ratio, window=100, rescore=(), columns=None,
            models=None):
    """Fit, score and evaluate one (detector, entity, seed).

    With ``columns`` (a list of column indices), the detector sees only
    those columns of the training and test series.

    With ``models`` (a folder; DDMT only), the fitted model is kept there
    (:func:`model_file`). When a kept model was trained with the same
    training parameters, it is loaded instead of fitted, its scoring-time
    parameters are set to those of ``params`` and it is recalibrated on the
    training series: the model a fresh ``fit`` would give
    (``DDMTDetector.recalibrate``). Its ``fit_seconds`` are those of the
    original fit (``fit_time_``), plus the calibration pass when one was
    needed.

    Each dict of ``rescore`` (DDMT only, keys from :data:`RESCORABLE`) gives
    one more record, in order after the first: the same trained model with
    those parameters set, its threshold recalibrated on the training series,
    then the test series scored again. That is the model a fresh ``fit``
    with those parameters would give, without training it again. Its
    ``fit_seconds`` is the shared fit time plus its own calibration pass, so
    it overstates a fresh fit by one calibration pass with ``params``.

    Returns
    -------
    list of dict
        One record for ``params``, then one per item of ``rescore``.
    """
    data = select_columns(load_npz(path), columns)
    factory, _ = DETECTORS[detector]
    est = factory(seed, params)
    kept = None
    if models and detector == "ddmt":
        kept = model_file(models, params, path, seed, columns)
    if kept is not None and kept.is_file():
        est, fit_seconds = _reuse_model(kept, est, data.train)
    else:
        t0 = time.perf_counter()
        est.fit(data.train)
        fit_seconds = time.perf_counter() - t0
        if kept is not None:
            kept.parent.mkdir(parents=True, exist_ok=True)
            partial = kept.with_suffix(".partial")
            joblib.dump(est, partial)
            partial.replace(kept)  # never a half-written model under the final name
    records = [_score(est, data, ratio, window, fit_seconds)]
    if not rescore:
        return records
    # Each variant is ``params`` plus its own extra, never the extras before it.
    own = {k: v for k, v in est.get_params(deep=False).items() if k in RESCORABLE}
    for extra in rescore:
        est.set_params(**{**own, **extra})
        t0 = time.perf_counter()
        est.recalibrate(data.train)
        calibration = time.perf_counter() - t0
        records.append(_score(est, data, ratio, window, fit_seconds + calibration))
    return records


def model_file(models, params, path, seed, columns=None):
    """Where the fitted DDMT model of (``params``, entity, seed) is kept.

    The key is the set of parameters that shape training
    (``DDMTDetector._training_params``, defaults included), the package
    version and the input columns: models that differ only in
    ``DDMTDetector.SCORING_PARAMS`` (or ``device``, ``verbose``) share a file.
    """
    est = DETECTORS["ddmt"][0](seed, params)
    trained = {k: v for k, v in est._training_params().items() if k != "random_state"}
    key = {"trained": trained, "version": __version__}
    if columns is not None:
        key["columns"] = list(columns)
    tag = hashlib.sha1(json.dumps(key, sort_keys=True, default=repr).encode()).hexdigest()[:10]
    return Path(models) / f"ddmt-{tag}" / f"{path.parent.name}__{path.stem}__seed{seed}.joblib"


def _reuse_model(file, wanted, X_train):
    """A kept model turned into the one ``wanted`` (unfitted) would become by
    ``fit(X_train)``, and its fit seconds. Model files are pickles: load only
    files you wrote."""
    fitted = joblib.load(file)
    if (not isinstance(fitted, DDMTDetector)
            or fitted._training_params() != wanted._training_params()):
        raise ValueError(f"{file} holds a model trained with other parameters than the run "
                         "asks for; delete it (or the --models folder) and run again.")
    scoring = {k: v for k, v in wanted.get_params(deep=False).items()
               if k in DDMTDetector.SCORING_PARAMS}
    current = fitted.get_params(deep=False)
    if all(_same_value(current[k], v) for k, v in scoring.items()):
        return fitted, fitted.fit_time_
    fitted.set_params(**scoring)
    t0 = time.perf_counter()
    fitted.recalibrate(X_train)
    return fitted, fitted.fit_time_ + time.perf_counter() - t0


def select_columns(data, columns):
    """``data`` with only ``columns`` of its train and test series (all when None)."""
    if columns is None:
        return data
    n = data.train.shape[1]
    bad = [c for c in columns if not -n <= c < n]
    if bad:
        raise ValueError(f"--columns {bad} out of range for {data.name} ({n} columns)")
    data = Bunch(**data)
    data.train, data.test = data.train[:, columns], data.test[:, columns]
    return data


def _score(est, data, ratio, window, fit_seconds):
    t0 = time.perf_counter()
    decision = est.decision_function(data.test)
    score_seconds = time.perf_counter() - t0
    record = evaluate(data.test_label, -decision, (decision < 0).astype(int), ratio, window)
    record.update(fit_seconds=fit_seconds, score_seconds=score_seconds)
    return record


def entity_paths(inputs):
    """``.npz`` files from files and folders (a folder gives all its ``*.npz``)."""
    paths = []
    for item in inputs:
        item = Path(item)
        if item.is_dir():
            found = sorted(item.glob("*.npz"))
            if not found:
                raise ValueError(f"no .npz file in {item}")
            paths.extend(found)
        elif item.is_file():
            paths.append(item)
        else:
            raise FileNotFoundError(f"no such file or folder: {item}")
    return paths


def _cache_file(cache, detector, params, path, seed, columns=None):
    """Cache path of one run, keyed by the estimator's *full* parameter set
    (defaults included, so a change of a default is a new key), the package
    version and the input columns (when not all)."""
    est = DETECTORS[detector][0](seed, params)
    full = {k: v for k, v in est.get_params(deep=False).items() if k != "random_state"}
    key = {"params": full, "version": __version__}
    if columns is not None:
        key["columns"] = list(columns)
    key = json.dumps(key, sort_keys=True, default=repr)
    tag = hashlib.sha1(key.encode()).hexdigest()[:10]
    return Path(cache) / f"{detector}-{tag}" / f"{path.parent.name}__{path.stem}__seed{seed}.json"


def _label(detector, extra):
    """Row label of a re-scored variant, e.g. ``ddmt[n_reverse_steps=5]``."""
    return f"{detector}[" + ",".join(f"{k}={v}" for k, v in sorted(extra.items())) + "]"


def summarise(runs):
    """Mean and std over seeds of the per-seed means over entities.

    Returns ``{dataset: {detector: {metric: (mean, std, n_seeds)}}}``.
    """
    out = {}
    keys = SOUND + PAPER + COST
    by = {}
    for r in runs:
        by.setdefault((r["dataset"], r["detector"], r["seed"]), []).append(r)
    for (dataset, detector, _), recs in sorted(by.items()):
        per_seed = out.setdefault(dataset, {}).setdefault(detector, {k: [] for k in keys})
        for k in keys:
            per_seed[k].append(float(np.nanmean([rec[k] for rec in recs])))
    for dataset, dets in out.items():
        for detector, vals in dets.items():
            dets[detector] = {
                k: (float(np.mean(v)), float(np.std(v, ddof=1)) if len(v) > 1 else 0.0, len(v))
                for k, v in vals.items()
            }
    return out


_LABELS = {"vus_pr": "VUS-PR", "vus_roc": "VUS-ROC", "auc_pr": "AUC-PR", "auc_roc": "AUC-ROC",
           "pa_k_auc": "PA%K AUC", "point_f1": "F1", "affiliation_f1": "Aff-F1",
           "pa_precision": "PA P", "pa_recall": "PA R", "pa_f1": "PA F1",
           "fit_seconds": "fit s", "score_seconds": "score s"}


def markdown(summary, n_entities):
    """Markdown tables: one per dataset, sound protocol then paper protocol."""
    lines = []
    for dataset, dets in summary.items():
        lines.append(f"### {dataset} ({n_entities[dataset]} entities)\n")
        for title, keys in (("Sound protocol (own threshold fitted on training data)",
                             SOUND + COST),
                            ("Paper protocol (threshold from test scores, point-adjusted; "
                             "legacy, for comparison only)", PAPER)):
            lines.append(f"{title}:\n")
            lines.append("| detector | " + " | ".join(_LABELS[k] for k in keys) + " |")
            lines.append("|---|" + "---:|" * len(keys))
            for detector, vals in dets.items():
                cells = []
                for k in keys:
                    mean, std, _ = vals[k]
                    cells.append(f"{mean:.1f}" if k in COST else f"{mean:.3f} ± {std:.3f}")
                lines.append(f"| {detector} | " + " | ".join(cells) + " |")
            lines.append("")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m skddmt.benchmark",
        description="Fit detectors on benchmark entities (.npz with train, test, test_label) "
                    "and report both evaluation protocols beside simple baselines.")
    parser.add_argument("inputs", nargs="+",
                        help=".npz files or folders (a folder gives all its .npz); the dataset "
                             "name is the parent folder's name")
    parser.add_argument("--detectors", nargs="+", default=list(DETECTORS), choices=list(DETECTORS))
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--ddmt-params", default="{}",
                        help='JSON of DDMTDetector parameters, e.g. \'{"max_epochs": 5}\'')
    parser.add_argument("--ddmt-rescore", action="append", default=[], metavar="JSON",
                        help="also report DDMT with these scoring-time parameters "
                             f"(keys from {', '.join(RESCORABLE)}), from the same trained "
                             "model re-scored; repeatable, e.g. '{\"n_reverse_steps\": 5}'")
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
                             "training again (files are pickles: load only your own)")
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
    paths = entity_paths(args.inputs)
    out = Path(args.out)
    cache = out / "cache"
    jobs = [(d, p, s) for d in args.detectors for p in paths
            for s in (args.seeds if DETECTORS[d][1] else args.seeds[:1])]

    from tqdm.auto import tqdm

    runs = []
    t_start = time.perf_counter()
    for detector, path, seed in tqdm(jobs, desc="benchmark", unit="run", file=sys.stderr):
        dataset = path.parent.name
        p = params.get(detector, {})
        extras = rescore if detector == "ddmt" else []
        variants = [p] + [{**p, **extra} for extra in extras]
        files = [_cache_file(cache, detector, v, path, seed, args.columns) for v in variants]
        if all(f.is_file() for f in files) and not args.no_cache:
            records = [json.loads(f.read_text()) for f in files]
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                records = run_one(detector, p, path, seed,
                                  ratios.get(dataset.upper(), DEFAULT_RATIO), args.window,
                                  rescore=extras, columns=args.columns,
                                  models=args.models)
            for f, record in zip(files, records):
                f.parent.mkdir(parents=True, exist_ok=True)
                f.write_text(json.dumps(record))
        labels = [detector] + [_label(detector, extra) for extra in extras]
        seeds = args.seeds if not DETECTORS[detector][1] else [seed]
        for label, record in zip(labels, records):
            for s in seeds:  # a seed-free detector stands for every seed
                runs.append({"detector": label, "dataset": dataset, "entity": path.stem,
                             "seed": s, **record})
    summary = summarise(runs)
    n_entities = {ds: len({r["entity"] for r in runs if r["dataset"] == ds}) for ds in summary}
    table = markdown(summary, n_entities)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.md").write_text(table)
    (out / "results.json").write_text(json.dumps(
        {"config": {"inputs": [str(p) for p in paths], "detectors": args.detectors,
                    "seeds": args.seeds, "params": params, "window": args.window,
                    "columns": args.columns,
                    "ratios": ratios},
         "summary": summary, "runs": runs}, indent=1))
    print(table)
    print(f"{len(jobs)} runs in {time.perf_counter() - t_start:.0f} s; "
          f"wrote {out / 'results.md'} and {out / 'results.json'}")


if __name__ == "__main__":
    main()
