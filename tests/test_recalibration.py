"""DDMTDetector.recalibrate (skddmt._recalibration): scoring parameters
changed after fit give the model a fresh fit would; other changes are refused."""

import pickle

import numpy as np
import pytest

from .conftest import tiny_detector


@pytest.mark.parametrize("change", [
    {"contamination": 0.05},
    {"n_reverse_steps": 3, "n_samples": 2},
    {"error_normalisation": "none", "score_stride": 5},
    {"score_smoothing": 1},
    {"adnm_scoring": False},
])
def test_recalibrate_gives_the_model_a_fresh_fit_would(train_series, test_series, change):
    """After set_params of scoring parameters, recalibrate on the training
    series reproduces a fresh fit with them: scores, scales and threshold."""
    X, _ = test_series
    fitted = tiny_detector(max_epochs=2, random_state=0).fit(train_series)
    before = fitted.decision_function(X)
    fresh = tiny_detector(max_epochs=2, random_state=0, **change).fit(train_series)
    original = train_series.copy()
    fitted.set_params(**change).recalibrate(train_series)
    np.testing.assert_array_equal(train_series, original)
    np.testing.assert_allclose(fitted.feature_error_scale_, fresh.feature_error_scale_)
    assert fitted.offset_ == pytest.approx(fresh.offset_)
    np.testing.assert_allclose(fitted.decision_function(X), fresh.decision_function(X))
    assert np.array_equal(fitted.predict(X), fresh.predict(X))
    assert not np.allclose(before, fitted.decision_function(X))  # the change did act


@pytest.mark.parametrize("change, name", [
    ({"d_model": 8}, "d_model"),
    ({"adnm": False, "learning_rate": 0.1}, "adnm, learning_rate"),
    ({"timestep_sampling": "scoring"}, "timestep_sampling"),
])
def test_recalibrate_refuses_training_parameter_changes(fitted, train_series, change, name):
    offset = fitted.offset_
    fitted = pickle.loads(pickle.dumps(fitted))  # leave the shared fixture alone
    fitted.set_params(**change)
    with pytest.raises(ValueError, match=rf"^{name} changed since fit.*call fit again"):
        fitted.recalibrate(train_series)
    assert fitted.offset_ == offset


def test_recalibrate_with_scoring_timesteps_needs_a_fit_for_reverse_steps(train_series):
    det = tiny_detector(max_epochs=1, timestep_sampling="scoring").fit(train_series)
    det.set_params(contamination=0.1).recalibrate(train_series)  # still allowed
    det.set_params(n_reverse_steps=2)
    with pytest.raises(ValueError, match="n_reverse_steps changed since fit"):
        det.recalibrate(train_series)


def test_recalibrate_rejects_bad_input_and_unfitted(fitted, train_series):
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        tiny_detector().recalibrate(train_series)
    with pytest.raises(ValueError, match="3 features"):
        fitted.recalibrate(train_series[:, :2])
    bad = train_series.copy()
    bad[5, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        fitted.recalibrate(bad)
    det = pickle.loads(pickle.dumps(fitted))
    det.set_params(contamination=2.0)
    with pytest.raises(ValueError, match="contamination"):
        det.recalibrate(train_series)


def test_adnm_scoring_false_drops_the_second_pass_at_scoring_only(train_series, test_series,
                                                                  monkeypatch):
    """``adnm_scoring=False`` rebuilds every node once (the interleaved pass)
    where ADNM adds a second pass, and leaves a model without ADNM alone."""
    import skddmt._reconstruction as reconstruction

    X, _ = test_series
    calls = []
    inner = reconstruction.masked_errors
    monkeypatch.setattr(reconstruction, "masked_errors",
                        lambda *args: calls.append(1) or inner(*args))
    fitted = tiny_detector(max_epochs=1, random_state=0, batch_size=10_000).fit(train_series)
    for adnm_scoring, passes in ((True, 2), (False, 1)):
        calls.clear()
        fitted.set_params(adnm_scoring=adnm_scoring).score_samples(X)
        assert len(calls) == passes
    plain = tiny_detector(max_epochs=1, random_state=0, adnm=False).fit(train_series)
    scores = plain.score_samples(X)
    plain.set_params(adnm_scoring=False).recalibrate(train_series)
    np.testing.assert_array_equal(plain.score_samples(X), scores)
