"""Fleets in parallel: n_jobs and joblib's backends give the serial scores."""

import numpy as np
import os

import pytest
import torch
from joblib import parallel_config

from .conftest import periodic_series, tiny_detector


@pytest.fixture(scope="module")
def fleet():
    return [periodic_series(260 + 20 * i, seed=i) + i for i in range(4)]


@pytest.fixture(scope="module")
def serial(fleet):
    return tiny_detector().fit(fleet)


#: Torch threads of each of 2 loky workers (joblib gives each cpu_count // n_jobs).
WORKER_THREADS = max(1, (os.cpu_count() or 1) // 2)


def _same(a, b):
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b))


def serial_at(det, threads, method, *args, **kwargs):
    """``det.method(*args)`` computed serially on ``threads`` torch threads."""
    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        return getattr(det, method)(*args, **kwargs)
    finally:
        torch.set_num_threads(before)


@pytest.mark.parametrize("backend", ["loky", "threading"])
def test_parallel_scores_equal_the_serial_ones(serial, fleet, backend):
    """Identical to the serial scores on the workers' torch thread count: the
    caller's for threads, 1 for loky's processes on 2 cores (a matrix product
    of a few rows rounds differently on another thread count)."""
    threads = torch.get_num_threads() if backend == "threading" else WORKER_THREADS
    contexts = [s[:100] for s in fleet]
    tails = [s[100:] for s in fleet]
    expected = serial_at(serial, threads, "score_samples", fleet)
    parts = serial_at(serial, threads, "feature_scores", fleet)
    serial.set_params(n_jobs=2)
    try:
        with parallel_config(backend=backend):
            assert _same(serial.score_samples(fleet), expected)
            assert _same(serial.feature_scores(fleet), parts)
            assert _same(serial.score_samples(tails, context=contexts),
                         [e[100:] for e in expected])
    finally:
        serial.set_params(n_jobs=None)


def test_parallel_fit_calibrates_as_the_serial_fit(fleet):
    """The calibration pass of fit in threads: the same model as the serial fit."""
    serial = tiny_detector().fit(fleet)
    with parallel_config(backend="threading"):
        parallel = tiny_detector(n_jobs=2).fit(fleet)
    assert parallel.offset_ == serial.offset_
    assert np.array_equal(parallel.feature_error_scale_, serial.feature_error_scale_)
    assert _same(parallel.score_samples(fleet), serial.score_samples(fleet))


def test_n_jobs_is_a_neutral_parameter(serial, fleet):
    serial.set_params(n_jobs=-1)
    try:
        serial.recalibrate(fleet)  # accepted: no retraining needed
    finally:
        serial.set_params(n_jobs=None)
    with pytest.raises(ValueError, match="n_jobs"):
        tiny_detector(n_jobs=1.5).fit(fleet)
