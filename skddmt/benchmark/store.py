"""The store: cached run records (JSON) and kept DDMT models
(``DDMTDetector.save`` files, which load without unpickling), both filed
under one key recipe, :func:`key_tag`.

A run record is keyed by the detector's *full* parameter set (defaults
included, so a change of a default is a new key); a kept model by the
parameters that shape its training only (:func:`training_key`), so that runs
differing only in scoring-time parameters share it. Both keys add the
package version and the input columns (when not all). Public API only.
"""

import hashlib
import json
import time
from pathlib import Path

from .. import DDMTDetector, __version__
from .detectors import DETECTORS, SMOOTHING


def key_tag(params, columns=None):
    """The 10-hex-digit tag of a parameter dict, the package version and the
    input columns: the one key recipe of the store."""
    key = {"params": params, "version": __version__}
    if columns is not None:
        key["columns"] = list(columns)
    return hashlib.sha1(json.dumps(key, sort_keys=True, default=repr).encode()).hexdigest()[:10]


def _file_name(path, seed, suffix):
    """``<folder>__<entity>__seed<seed><suffix>``; for a fleet (a list of
    paths), the entity part names how many and which entities it holds."""
    if isinstance(path, (str, Path)):
        path = Path(path)
        return f"{path.parent.name}__{path.stem}__seed{seed}{suffix}"
    paths = [Path(p) for p in path]
    names = sorted(f"{p.parent.name}/{p.stem}" for p in paths)
    which = hashlib.sha1("\n".join(names).encode()).hexdigest()[:8]
    folders = "+".join(sorted({p.parent.name for p in paths}))
    return f"{folders}__fleet{len(paths)}-{which}__seed{seed}{suffix}"


def training_key(est):
    """The parameters of ``est`` that shape its trained model.

    Every parameter except the scoring-time ones
    (``DDMTDetector.SCORING_PARAMS``, which ``recalibrate`` follows),
    ``DDMTDetector.NEUTRAL_PARAMS`` and the seed (part of the file name).
    With ``timestep_sampling`` other than ``'uniform'`` training depends on a
    scoring parameter
    (``n_reverse_steps``), so then only the neutral ones are left out.
    """
    params = est.get_params(deep=False)
    free = {"random_state", *DDMTDetector.NEUTRAL_PARAMS}
    if params.get("timestep_sampling", "uniform") == "uniform":
        free |= set(DDMTDetector.SCORING_PARAMS)
    return {k: v for k, v in params.items() if k not in free}


def run_file(cache, detector, params, path, seed, columns=None):
    """Cache path of the record of one run (detector, params, entity, seed).

    ``path`` is an entity's file, or a list of them for a fleet run
    (:func:`~skddmt.benchmark.run_fleet`), whose key holds every entity.
    A baseline's smoothed variant (``params`` with :data:`SMOOTHING`) has its
    own key."""
    params = dict(params)
    smoothing = params.pop(SMOOTHING, None) if detector != "ddmt" else None
    est = DETECTORS[detector][0](seed, params)
    full = {k: v for k, v in est.get_params(deep=False).items() if k != "random_state"}
    if smoothing is not None:
        full[SMOOTHING] = smoothing
    return Path(cache) / f"{detector}-{key_tag(full, columns)}" / _file_name(path, seed, ".json")


def model_file(models, params, path, seed, columns=None):
    """Where the fitted DDMT model of (``params``, entity, seed) is kept:
    models that differ only in scoring-time parameters share a file.
    ``path`` is a list of entity files for the model of a fleet."""
    est = DETECTORS["ddmt"][0](seed, params)
    tag = key_tag({"trained": training_key(est)}, columns)
    return Path(models) / f"ddmt-{tag}" / _file_name(path, seed, ".skddmt")


def save_model(est, file):
    """Keep a fitted model at ``file``, never half-written under that name."""
    file.parent.mkdir(parents=True, exist_ok=True)
    partial = file.with_suffix(".partial")
    est.save(partial)
    partial.replace(file)


def load_model(file, wanted, X_train):
    """A kept model turned into the one ``wanted`` (unfitted) would become by
    ``fit(X_train)``, and its fit seconds.

    The kept model's scoring-time parameters are set to ``wanted``'s and it
    is recalibrated on ``X_train`` when they differ. Model files are read by
    ``DDMTDetector.load``, which never unpickles.
    """
    fitted = DDMTDetector.load(file)
    if key_tag(training_key(fitted)) != key_tag(training_key(wanted)):
        raise ValueError(f"{file} holds a model trained with other parameters than the run "
                         "asks for; delete it (or the --models folder) and run again.")
    scoring = {k: v for k, v in wanted.get_params(deep=False).items()
               if k in DDMTDetector.SCORING_PARAMS}
    current = fitted.get_params(deep=False)
    if key_tag({k: current[k] for k in scoring}) == key_tag(scoring):
        return fitted, fitted.fit_time_
    fitted.set_params(**scoring)
    t0 = time.perf_counter()
    fitted.recalibrate(X_train)
    return fitted, fitted.fit_time_ + time.perf_counter() - t0
