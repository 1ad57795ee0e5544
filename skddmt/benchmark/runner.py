"""The runner: the metrics of both protocols, and one
(detector, entity, seed) fitted, scored and evaluated.

It uses the public API only (``get_params``, ``set_params``,
``recalibrate``, ``decision_function``, ``fit_time_``, and
:class:`~skddmt.baselines.SmoothedDetector` around a frozen baseline).
"""

import time
from pathlib import Path

import numpy as np
from sklearn.frozen import FrozenEstimator
from sklearn.utils import Bunch

from .. import DDMTDetector, metrics
from ..baselines import SmoothedDetector
from ..datasets import load_npz
from .detectors import DETECTORS, SMOOTHING
from .store import load_model, model_file, save_model

#: Anomaly ratio r (in %) of the paper protocol, per dataset name.
PAPER_RATIO = {"SMD": 0.5, "SWAT": 0.5, "MSL": 1.0, "SMAP": 1.0, "PSM": 1.0}
DEFAULT_RATIO = 1.0

#: Stem prefix of a file that concatenates the other entities of its folder;
#: :func:`entity_paths` leaves it out of a folder.
CONCATENATED = "ALL_concat"

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


#: The detectors that a fleet run (:func:`run_fleet`) fits once on the list of
#: the fleet's training series; the others are fitted per entity.
FLEET_FIT = ("ddmt",)

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

    Each dict of ``rescore`` gives one more record, in order after the
    first. For DDMT (keys from :data:`RESCORABLE`): the same trained model
    with those parameters set, its threshold recalibrated on the training
    series, then the test series scored again. That is the model a fresh
    ``fit`` with those parameters would give, without training it again. Its
    ``fit_seconds`` is the shared fit time plus its own calibration pass, so
    it overstates a fresh fit by one calibration pass with ``params``. For a
    baseline (the one key :data:`SMOOTHING`): the same fitted baseline with
    its score smoothed over that many rows and its threshold set on the
    smoothed training scores (:class:`~skddmt.baselines.SmoothedDetector`).

    Returns
    -------
    list of dict
        One record for ``params``, then one per item of ``rescore``.
    """
    data = select_columns(load_npz(path), columns)
    kept = None
    if models and detector == "ddmt":
        kept = model_file(models, params, path, seed, columns)
    variants = _run(detector, params, seed, [data], data.train, ratio, window, rescore, kept)
    return [records[0] for records in variants]


def run_fleet(params, paths, seed, ratio, window=100, rescore=(), columns=None, models=None):
    """DDMT on a fleet: one model for the training series of every entity of
    ``paths``, then each entity's test series scored and evaluated alone.

    This is how a user with many sensors or machines runs it: ``fit`` on the
    list of training series (one standardisation, one model, one
    ``offset_``, no window across two series), ``decision_function`` on one
    test series at a time. ``rescore`` and ``models`` act as in
    :func:`run_one` (the kept model is keyed by the whole fleet). Each
    record's ``fit_seconds`` is the fleet's fit time (plus the variant's
    calibration pass) divided by the number of entities: the share of one
    entity, comparable with a detector fitted per entity.

    Returns
    -------
    list of list of dict
        For ``params`` and then each item of ``rescore``: one record per
        entity, in the order of ``paths``, each with its ``entity`` (the file
        stem).
    """
    paths = list(paths)
    datas = [select_columns(load_npz(p), columns) for p in paths]
    kept = model_file(models, params, paths, seed, columns) if models else None
    variants = _run("ddmt", params, seed, datas, [d.train for d in datas], ratio, window,
                    rescore, kept)
    for records in variants:
        for record, path in zip(records, paths):
            record["fit_seconds"] /= len(paths)
            record["entity"] = path.stem
    return variants


def _run(detector, params, seed, datas, train, ratio, window, rescore, kept):
    """One model fitted on ``train`` (or loaded from ``kept``), then every
    test series of ``datas`` scored: a list of records per variant."""
    factory, _ = DETECTORS[detector]
    est = factory(seed, params)
    if kept is not None and kept.is_file():
        est, fit_seconds = load_model(kept, est, train)
    else:
        t0 = time.perf_counter()
        est.fit(train)
        fit_seconds = time.perf_counter() - t0
        if kept is not None:
            save_model(est, kept)
    variants = [[_score(est, data, ratio, window, fit_seconds) for data in datas]]
    if not rescore:
        return variants
    if detector != "ddmt":
        for extra in rescore:
            t0 = time.perf_counter()
            smoothed = SmoothedDetector(FrozenEstimator(est), width=extra[SMOOTHING]).fit(train)
            calibration = time.perf_counter() - t0
            variants.append([_score(smoothed, data, ratio, window, fit_seconds + calibration)
                             for data in datas])
        return variants
    # Each variant is ``params`` plus its own extra, never the extras before it.
    own = {k: v for k, v in est.get_params(deep=False).items() if k in RESCORABLE}
    for extra in rescore:
        est.set_params(**{**own, **extra})
        t0 = time.perf_counter()
        est.recalibrate(train)
        calibration = time.perf_counter() - t0
        variants.append([_score(est, data, ratio, window, fit_seconds + calibration)
                         for data in datas])
    return variants


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
    """``.npz`` files from files and folders.

    A folder gives all its ``*.npz`` but ``ALL_concat*.npz``: a
    concatenation of the folder's other entities (as in MSL and SMAP) is not
    one more entity of it; give its path to run it.
    """
    paths = []
    for item in inputs:
        item = Path(item)
        if item.is_dir():
            found = [p for p in sorted(item.glob("*.npz"))
                     if not p.stem.startswith(CONCATENATED)]
            if not found:
                raise ValueError(f"no .npz file in {item}")
            paths.extend(found)
        elif item.is_file():
            paths.append(item)
        else:
            raise FileNotFoundError(f"no such file or folder: {item}")
    return paths
