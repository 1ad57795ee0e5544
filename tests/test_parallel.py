"""Fleets in parallel: n_jobs and joblib's backends give the serial scores."""

import numpy as np
import pytest
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


@pytest.mark.parametrize("backend", ["loky", "threading"])
def test_parallel_scores_equal_the_serial_ones(serial, fleet, backend):
    expected = serial.score_samples(fleet)
    parts = serial.feature_scores(fleet)
    serial.set_params(n_jobs=2)
    try:
        with parallel_config(backend=backend):
            assert _same(serial.score_samples(fleet), expected)
            assert _same(serial.feature_scores(fleet), parts)
            contexts = [s[:100] for s in fleet]
            tails = [s[100:] for s in fleet]
            assert _same(serial.score_samples(tails, context=contexts),
                         [e[100:] for e in expected])
    finally:
        serial.set_params(n_jobs=None)


def test_parallel_fit_calibrates_as_the_serial_fit(serial, fleet):
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
