"""Scoring with context: the rows before X in time, prepended and cut off again."""

import numpy as np
import pytest

from .conftest import periodic_series, tiny_detector, with_anomalies


@pytest.fixture(scope="module")
def fitted():
    return tiny_detector().fit(periodic_series(300, seed=1))


@pytest.fixture(scope="module")
def stream():
    X, _ = with_anomalies(periodic_series(160, seed=7), seed=2)
    return X


@pytest.mark.parametrize("method", ["score_samples", "decision_function", "predict",
                                    "feature_scores"])
def test_context_scores_the_rows_of_x_as_the_end_of_the_joined_series(fitted, stream, method):
    context, X = stream[:120], stream[120:]
    with_context = getattr(fitted, method)(X, context=context)
    joined = getattr(fitted, method)(stream)
    assert with_context.shape[0] == len(X)
    assert np.array_equal(with_context, joined[120:])


def test_context_changes_the_scores_of_the_first_rows(fitted, stream):
    context, X = stream[:120], stream[120:]
    alone = fitted.score_samples(X)
    with_context = fitted.score_samples(X, context=context)
    assert not np.allclose(alone, with_context)


def test_no_context_and_an_empty_one_are_the_same(fitted, stream):
    X = stream[120:]
    alone = fitted.score_samples(X)
    assert np.array_equal(fitted.score_samples(X, context=None), alone)
    assert np.array_equal(fitted.score_samples(X, context=np.empty((0, 3))), alone)


def test_a_list_takes_a_list_of_contexts(fitted, stream):
    other = periodic_series(90, seed=8)
    out = fitted.score_samples([stream[120:], other[60:]], context=[stream[:120], None])
    assert np.array_equal(out[0], fitted.score_samples(stream)[120:])
    assert np.array_equal(out[1], fitted.score_samples(other[60:]))


def test_context_is_not_modified(fitted, stream):
    context, X = stream[:120].copy(), stream[120:].copy()
    context.flags.writeable = False
    fitted.score_samples(X, context=context)
    assert np.array_equal(context, stream[:120]) and np.array_equal(X, stream[120:])


@pytest.mark.parametrize("context, match", [
    (np.ones((50, 4)), "The context: X has 4 features"),
    (np.full((50, 3), np.nan), "The context: Input X contains NaN"),
    (np.ones(50), "The context: Expected 2D array"),
    ([np.ones((50, 3))], "not a list"),
])
def test_bad_context_names_the_context(fitted, stream, context, match):
    with pytest.raises(ValueError, match=match):
        fitted.score_samples(stream[120:], context=context)


def test_a_list_needs_a_context_per_series(fitted, stream):
    with pytest.raises(ValueError, match="list of 2 items"):
        fitted.score_samples([stream, stream], context=stream)
    with pytest.raises(ValueError, match="list of 2 items"):
        fitted.score_samples([stream, stream], context=[stream])
    with pytest.raises(ValueError, match="The context of series 1: X has 2 features"):
        fitted.score_samples([stream, stream], context=[None, np.ones((9, 2))])


def test_dataframe_context_with_the_fitted_names():
    pd = pytest.importorskip("pandas")
    X = periodic_series(300, seed=1)
    names = ["a", "b", "c"]
    det = tiny_detector().fit(pd.DataFrame(X, columns=names))
    frame = pd.DataFrame(periodic_series(150, seed=3), columns=names)
    out = det.score_samples(frame.iloc[100:], context=frame.iloc[:100])
    assert np.array_equal(out, det.score_samples(frame)[100:])


def test_context_is_not_routed_metadata():
    """No set_{method}_request methods: meta-estimators never route context."""
    from skddmt import DDMTDetector

    assert not [name for name in dir(DDMTDetector)
                if name.startswith("set_") and name.endswith("_request")]
