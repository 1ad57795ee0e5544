"""Fleets in parallel: n_jobs and joblib's backends give the serial scores."""

import numpy as np

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


def test_scores_do_not_depend_on_the_torch_thread_count(serial, fleet):
    """What makes parallel scores equal serial ones: loky and Dask workers
    run torch on fewer threads than the caller."""
    if torch.get_num_threads() < 2:
        pytest.skip("needs 2 torch threads")
    for method in ("score_samples", "feature_scores"):
        assert _same(serial_at(serial, 1, method, fleet), getattr(serial, method)(fleet))


@pytest.mark.parametrize("backend", ["loky", "threading"])
def test_parallel_scores_equal_the_serial_ones(serial, fleet, backend):
    """Bit for bit, though each loky worker has fewer torch threads than the caller."""
    contexts = [s[:100] for s in fleet]
    tails = [s[100:] for s in fleet]
    expected = serial.score_samples(fleet)
    parts = serial.feature_scores(fleet)
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
