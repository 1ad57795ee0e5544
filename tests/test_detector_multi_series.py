"""DDMTDetector on a list of series (one model, windows never crossing series)."""

import numpy as np
import pytest

from skddmt import DDMTDetector

from .conftest import periodic_series, tiny_detector, with_anomalies


@pytest.fixture(scope="module")
def series_list():
    """Three training series of different lengths, starting at different levels."""
    return [periodic_series(300, seed=1), periodic_series(250, seed=4) + 3.0,
            periodic_series(200, seed=5) - 2.0]


@pytest.fixture(scope="module")
def fitted_list(series_list):
    return tiny_detector().fit(series_list)


def test_list_in_list_out(fitted_list, series_list):
    Xa, _ = with_anomalies(periodic_series(120, seed=7), seed=2)
    Xb = periodic_series(90, seed=8) + 3.0
    for method in ("score_samples", "decision_function", "predict"):
        out = getattr(fitted_list, method)([Xa, Xb])
        assert isinstance(out, list) and len(out) == 2
        assert [o.shape for o in out] == [(120,), (90,)]
    labels = fitted_list.predict((Xa, Xb))  # a tuple works too
    assert set(np.unique(np.concatenate(labels))) <= {-1, 1}
    fit_labels = tiny_detector().fit_predict(series_list)
    assert [len(lab) for lab in fit_labels] == [len(s) for s in series_list]


def test_each_series_scored_as_if_alone(fitted_list):
    Xa = periodic_series(120, seed=7)
    Xb = periodic_series(90, seed=8) + 3.0
    together = fitted_list.score_samples([Xa, Xb])
    assert np.array_equal(together[0], fitted_list.score_samples(Xa))
    assert np.array_equal(together[1], fitted_list.score_samples(Xb))


def test_list_of_one_series_is_the_same_model_as_the_array(train_series, test_series):
    X = test_series[0]
    single = tiny_detector().fit(train_series)
    listed = tiny_detector().fit([train_series])
    assert listed.offset_ == single.offset_
    assert np.array_equal(listed.score_samples([X])[0], single.score_samples(X))


def test_concatenation_is_not_the_same_as_a_list(series_list):
    """Fitting the concatenated series would train on the jumps between
    series; the list does not, so the two models differ."""
    listed = tiny_detector().fit(series_list)
    joined = tiny_detector().fit(np.concatenate(series_list))
    X = periodic_series(100, seed=9)
    assert not np.allclose(listed.score_samples(X), joined.score_samples(X))


def test_contamination_over_all_training_series(series_list):
    det = tiny_detector(contamination=0.1).fit(series_list)
    flagged = np.concatenate(det.predict(series_list)) == -1
    assert abs(flagged.mean() - 0.1) < 0.02


def test_shortest_series_sets_the_window(series_list):
    short = periodic_series(12, seed=3)
    with pytest.warns(UserWarning, match="shortest training series"):
        det = tiny_detector().fit(series_list + [short])
    assert det.window_size_ == 12


def test_nested_lists_of_numbers_are_one_series(train_series):
    det = tiny_detector().fit(train_series[:200].tolist())
    out = det.score_samples(train_series[200:300].tolist())
    assert isinstance(out, np.ndarray) and out.shape == (100,)


@pytest.mark.parametrize("make_bad, match", [
    (lambda s: [s[0], s[1][:, :2]], r"Series 1 of the list: .*features"),
    (lambda s: [s[0], np.where(np.arange(250)[:, None] == 7, np.nan, s[1])],
     r"Series 1 of the list: .*NaN"),
    (lambda s: [s[0], s[1][:, 0]], "item 1 is not"),
    (lambda s: [s[0], s[1][:1]], r"Series 1 of the list: .*minimum of 2"),
])
def test_bad_series_in_a_list_are_named(series_list, make_bad, match):
    with pytest.raises(ValueError, match=match):
        DDMTDetector(max_epochs=1).fit(make_bad(series_list))


def test_scoring_list_checks_each_series(fitted_list):
    good = periodic_series(50, seed=2)
    with pytest.raises(ValueError, match=r"Series 1 of the list: .*features"):
        fitted_list.score_samples([good, good[:, :2]])


def test_list_inputs_not_modified(series_list):
    copies = [s.copy() for s in series_list]
    tiny_detector().fit(series_list).score_samples(series_list)
    assert all(np.array_equal(a, b) for a, b in zip(series_list, copies))
