"""DDMTDetector: behaviour, the scikit-learn contract, errors, persistence."""

import io
import pickle
import warnings

import joblib
import numpy as np
import pytest
import torch
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skddmt import DDMTDetector, __version__
from skddmt._preprocessing import fit_scaler, floored
from skddmt._series import split_lengths
from skddmt._thresholds import moving_average
from skddmt._windows import window_starts

from .conftest import periodic_series, tiny_detector


def test_version_from_metadata():
    assert __version__ and __version__ != "0+unknown"


# ----------------------------------------------------------------- behaviour
def test_ranks_injected_anomalies_above_normal_points(fitted, test_series):
    """Spikes and a shifted segment get higher anomaly scores than normal points."""
    X, y = test_series
    anomaly = -fitted.score_samples(X)
    assert roc_auc_score(y, anomaly) > 0.9
    assert average_precision_score(y, anomaly) > 0.5


def test_score_for_every_row_and_sign_conventions(fitted, test_series):
    X, _ = test_series
    scores = fitted.score_samples(X)
    decision = fitted.decision_function(X)
    labels = fitted.predict(X)
    assert scores.shape == decision.shape == labels.shape == (len(X),)
    assert np.all(np.isfinite(scores)) and np.all(scores <= 0)
    np.testing.assert_allclose(decision, scores - fitted.offset_)
    assert set(np.unique(labels)) <= {-1, 1}
    assert np.array_equal(labels == -1, decision < 0)


def test_contamination_sets_training_share(train_series):
    """A float contamination flags that share of the training series."""
    det = tiny_detector(contamination=0.05).fit(train_series)
    share = np.mean(det.predict(train_series) == -1)
    assert share == pytest.approx(0.05, abs=0.005)


def test_auto_contamination_flags_some_points(fitted, train_series, test_series):
    """'auto' flags a few training points and the injected anomalies of the test series."""
    train_share = np.mean(fitted.predict(train_series) == -1)
    assert 0 < train_share < 0.1
    X, y = test_series
    flagged = fitted.predict(X) == -1
    assert flagged.any()
    assert flagged[y == 1].mean() > flagged[y == 0].mean()


def test_offset_does_not_depend_on_predict_data(fitted, test_series):
    before = fitted.offset_
    fitted.predict(test_series[0] * 3)
    assert fitted.offset_ == before


def test_history_and_early_stopping(train_series):
    det = tiny_detector(max_epochs=30, patience=1).fit(train_series)
    assert 1 <= det.n_epochs_ == len(det.history_) <= 30
    rec = det.history_[0]
    assert set(rec) == {"epoch", "train_loss", "valid_loss", "n_windows", "dur"}
    assert all(np.isfinite(r["valid_loss"]) and r["dur"] > 0 for r in det.history_)
    assert det.n_epochs_ < 30  # patience 1 stops early on this easy series


def test_no_validation_tail_monitors_training_loss(train_series):
    det = tiny_detector(validation_fraction=0.0).fit(train_series)
    assert all(np.isnan(r["valid_loss"]) for r in det.history_)


@pytest.mark.parametrize("params", [
    dict(adnm=False), dict(mask_width=0), dict(diffusion=False),
    dict(prediction="epsilon"), dict(n_reverse_steps=3, n_samples=2), dict(t_start=50),
    dict(timestep_sampling="scoring"), dict(error_normalisation="feature"),
    dict(windows_per_epoch=8),
])
def test_ablation_switches_run(params, train_series, test_series):
    """Every switch of the method trains and scores."""
    det = tiny_detector(max_epochs=1, **params).fit(train_series[:200])
    scores = det.score_samples(test_series[0])
    assert scores.shape == (len(test_series[0]),) and np.all(np.isfinite(scores))


def test_verbose_prints_only_when_asked(train_series, capsys):
    tiny_detector(max_epochs=1).fit(train_series[:100])
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""
    tiny_detector(max_epochs=1, verbose=1).fit(train_series[:100])
    assert "DDMT fit" in capsys.readouterr().err


# ------------------------------------------------------------- determinism
def test_same_seed_same_scores_bit_for_bit(train_series, test_series):
    a = tiny_detector(random_state=3).fit(train_series).score_samples(test_series[0])
    b = tiny_detector(random_state=3).fit(train_series).score_samples(test_series[0])
    c = tiny_detector(random_state=4).fit(train_series).score_samples(test_series[0])
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_global_rngs_untouched(train_series):
    torch.manual_seed(123)
    np.random.seed(123)
    torch_state, np_state = torch.get_rng_state(), np.random.get_state()
    tiny_detector(max_epochs=1).fit(train_series[:100]).score_samples(train_series[:50])
    assert torch.equal(torch.get_rng_state(), torch_state)
    assert np.array_equal(np.random.get_state()[1], np_state[1])


def test_streamed_scores_do_not_depend_on_batch_size(train_series, test_series):
    """Without noise, scoring in batches of 3 or 64 windows gives the same scores."""
    det = tiny_detector(diffusion=False, max_epochs=1).fit(train_series)
    a = det.score_samples(test_series[0])
    det.set_params(batch_size=3)
    b = det.score_samples(test_series[0])
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)


# ------------------------------------------------------------ short series
def test_series_shorter_than_window(fitted, train_series):
    with pytest.warns(UserWarning, match="fewer than window_size_"):
        scores = fitted.score_samples(train_series[:5])
    assert scores.shape == (5,) and np.all(np.isfinite(scores))


def test_training_series_shorter_than_window_clamps():
    X = periodic_series(12)
    with pytest.warns(UserWarning, match="longer than the training series"):
        det = tiny_detector(window_size=50, max_epochs=1).fit(X)
    assert det.window_size_ == 12
    assert det.score_samples(X).shape == (12,)


@pytest.mark.parametrize("window, expected", [(40, 4), (16, 1), (5, 1)])
def test_default_adnm_radius_is_a_tenth_of_the_window(window, expected):
    """adnm_max_radius=None resolves to window_size_ // 10, never below 1."""
    X = periodic_series(60)
    det = tiny_detector(window_size=window, adnm_max_radius=None, max_epochs=1).fit(X)
    assert det.adnm_max_radius_ == expected


def test_explicit_adnm_radius_is_kept(fitted):
    assert fitted.adnm_max_radius == 3 and fitted.adnm_max_radius_ == 3


def test_head_and_tail_are_scored(fitted):
    """Every row is covered, including the tail that a regular stride misses."""
    starts = window_starts(103, fitted.window_size_, fitted.window_size_ // 2)
    assert starts[-1] == 103 - fitted.window_size_
    scores = fitted.score_samples(periodic_series(103, seed=5))
    assert np.all(np.isfinite(scores))


# ------------------------------------------------------------------ errors
@pytest.mark.parametrize("bad, match", [
    (np.array([[0.0, np.nan]] * 30), "NaN"),
    (np.array([[0.0, np.inf]] * 30), "infinity"),
    (np.zeros(30), "Expected 2D array"),
    (np.zeros((1, 3)), "minimum of 2 is required"),
    (np.array([["a", "b"]] * 30), "could not convert|dtype"),
])
def test_fit_rejects_bad_input(bad, match):
    with pytest.raises(ValueError, match=match):
        tiny_detector().fit(bad)


def test_feature_count_mismatch(fitted):
    with pytest.raises(ValueError, match="X has 2 features, but DDMTDetector is expecting 3"):
        fitted.score_samples(np.zeros((20, 2)))


def test_score_rejects_nan(fitted):
    X = periodic_series(40)
    X[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        fitted.predict(X)


@pytest.mark.parametrize("params, match", [
    (dict(d_model=10, n_heads=3), "divisible"),
    (dict(t_start=600), "t_start"),
    (dict(contamination=0.7), "contamination"),
    (dict(device="tpu"), "device"),
    (dict(score_smoothing=0), "score_smoothing"),
])
def test_bad_parameters(params, match, train_series):
    with pytest.raises(ValueError, match=match):
        tiny_detector(**params).fit(train_series[:50])


def test_caller_arrays_not_modified(train_series, test_series):
    X = train_series.copy()
    Xt = test_series[0].copy()
    det = tiny_detector(max_epochs=1).fit(X)
    det.predict(Xt)
    assert np.array_equal(X, train_series) and np.array_equal(Xt, test_series[0])


def test_float32_and_readonly_input(train_series):
    X = train_series.astype(np.float32)
    X.setflags(write=False)
    det = tiny_detector(max_epochs=1).fit(X)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert det.score_samples(X).dtype == np.float64


# ------------------------------------------------------ standardisation
def test_constant_training_column_does_not_explode():
    """A column constant in training that drifts in test is bounded by the scale floor and clip."""
    X = periodic_series(300)
    X = np.c_[X, np.zeros(300)]
    mean, scale = fit_scaler(X)
    assert scale[-1] == pytest.approx(0.1 * np.median(X[:, :-1].std(axis=0)))
    det = tiny_detector(max_epochs=1).fit(X)
    Xt = X.copy()
    Xt[:, -1] = 1e-3  # a tiny drift of the constant column
    score_drift = -det.score_samples(Xt)
    assert np.max(score_drift) < 100.0 / X.shape[1] + 10  # at most clip**2 per feature
    Xt[:, -1] = 1e6
    assert np.all(np.isfinite(det.score_samples(Xt)))


# ----------------------------------------------------------- scikit-learn
def test_pipeline_with_scaler(train_series, test_series):
    pipe = make_pipeline(StandardScaler(), tiny_detector())
    pipe.fit(train_series * 100 + 7)
    X, y = test_series
    anomaly = -pipe.score_samples(X * 100 + 7)
    assert roc_auc_score(y, anomaly) > 0.8
    assert set(np.unique(pipe.predict(X * 100 + 7))) <= {-1, 1}


def _ap_scorer(estimator, X, y):
    """Average precision with y = 1 for anomalies (higher = better)."""
    return average_precision_score(y, -estimator.decision_function(X))


def test_grid_search_with_anomaly_labels(train_series, test_series):
    X, y = test_series
    X = np.r_[train_series[:200], X]
    y = np.r_[np.zeros(200, int), y]
    search = GridSearchCV(
        tiny_detector(max_epochs=1),
        {"mask_width": [0, 2], "adnm": [True, False]},
        scoring=_ap_scorer, cv=TimeSeriesSplit(n_splits=2), error_score="raise",
    )
    search.fit(X, y)
    assert set(search.best_params_) == {"mask_width", "adnm"}
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))


def test_pandas_feature_names(train_series):
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(train_series, columns=["cpu", "mem", "net"])
    det = tiny_detector(max_epochs=1).fit(df)
    assert list(det.feature_names_in_) == ["cpu", "mem", "net"]
    with pytest.warns(UserWarning, match="feature names"):
        det.score_samples(train_series)


# ------------------------------------------------------------- persistence
def test_pickle_and_joblib_round_trips(fitted, test_series):
    X = test_series[0]
    expected = fitted.score_samples(X)
    clone = pickle.loads(pickle.dumps(fitted))
    assert np.array_equal(clone.score_samples(X), expected)
    buf = io.BytesIO()
    joblib.dump(fitted, buf)
    buf.seek(0)
    assert np.array_equal(joblib.load(buf).score_samples(X), expected)


def test_model_pickled_before_score_smoothing_scores_as_it_did(fitted, test_series):
    """A pickle without ``score_smoothing`` (written before the parameter
    existed, when scores were not smoothed) loads with ``score_smoothing=1``."""
    state = fitted.__getstate__()
    del state["score_smoothing"]
    clone = DDMTDetector.__new__(DDMTDetector)
    clone.__setstate__(state)
    assert clone.score_smoothing == 1
    assert clone.get_params()["score_smoothing"] == 1
    assert fitted.score_smoothing == 11


def test_model_pickled_before_the_second_design_scores_as_it_did(train_series, test_series):
    """A pickle without the second design's parameters and attributes (a
    model of the first design) loads with them as they were then, and scores
    as before."""
    X = test_series[0]
    fitted = tiny_detector(max_epochs=1, mask_mode="timestamp", training_masks="interleaved",
                           scale_floor=0.1, rarity="none").fit(train_series)
    state = fitted.__getstate__()
    for name in ("mask_mode", "training_masks", "rarity", "scale_floor", "rarity_centroids_",
                 "imputation_scale_", "rarity_scale_"):
        del state[name]
    clone = DDMTDetector.__new__(DDMTDetector)
    clone.__setstate__(state)
    assert (clone.mask_mode, clone.training_masks, clone.rarity, clone.scale_floor) == \
        ("timestamp", "interleaved", "none", 0.1)
    np.testing.assert_array_equal(clone.score_samples(X), fitted.score_samples(X))


@pytest.mark.skipif(torch.cuda.is_available(), reason="simulates a machine without CUDA")
def test_model_from_cuda_machine_loads_on_cpu_only(fitted, test_series):
    """A pickle that says the model lived on CUDA loads and scores on the CPU, with a warning."""
    X = test_series[0]
    expected = fitted.score_samples(X)
    state = fitted.__getstate__()
    state["device_"] = torch.device("cuda")
    clone = DDMTDetector.__new__(DDMTDetector)
    with pytest.warns(RuntimeWarning, match="not available"):
        clone.__setstate__(state)
    assert clone.device_.type == "cpu"
    assert np.array_equal(clone.score_samples(X), expected)
    assert fitted.device_.type == "cpu"  # __getstate__ returned a copy


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_cuda_fit_pickles_to_cpu_tensors(train_series, test_series):
    det = tiny_detector(device="cuda").fit(train_series)
    assert det.device_.type == "cuda"
    state = pickle.loads(pickle.dumps(det)).__dict__
    assert all(p.device.type == "cpu" for p in state["denoiser_"].parameters())
    assert np.all(np.isfinite(det.score_samples(test_series[0])))


# ------------------------------------------------------------ precision/GPU
def test_bfloat16_autocast(fitted, train_series, test_series):
    X, y = test_series
    det = tiny_detector(precision="bfloat16").fit(train_series)
    assert det.diffusion_.autocast_dtype == torch.bfloat16
    scores = -det.score_samples(X)
    assert scores.dtype == np.float64 and np.all(np.isfinite(scores))
    # autocast really ran (bfloat16 rounding changes the scores) ...
    assert not np.array_equal(scores, -fitted.score_samples(X))
    # ... and the detector still works
    assert roc_auc_score(y, scores) > 0.8


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
@pytest.mark.parametrize("precision", ["float32", "bfloat16"])
def test_cuda_fit_and_score(train_series, test_series, precision):
    X, y = test_series
    gpu = tiny_detector(device="cuda", precision=precision).fit([train_series, train_series[::-1]])
    assert next(gpu.denoiser_.parameters()).device.type == "cuda"
    scores = gpu.score_samples([X])[0]
    assert np.all(np.isfinite(scores)) and roc_auc_score(y, -scores) > 0.8
    # Reversed (negative-stride) and read-only inputs score like a plain copy,
    # with no warning from torch.
    frozen = X.copy()
    frozen.flags.writeable = False
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.allclose(gpu.score_samples(frozen), scores)
        assert np.allclose(gpu.score_samples(X[::-1]), gpu.score_samples(X[::-1].copy()))
    # Same seed, same scores up to the order of floating-point atomics.
    again = tiny_detector(device="cuda", precision=precision).fit(
        [train_series, train_series[::-1]]).score_samples(X)
    assert np.allclose(again, scores, rtol=1e-3, atol=1e-6)


# ------------------------------------------------- epoch size, normalisation
def test_windows_per_epoch_bounds_each_epoch(train_series):
    full = tiny_detector(max_epochs=2).fit(train_series)
    n_all = full.history_[0]["n_windows"]
    n_train = split_lengths(len(train_series), full.validation_fraction, full.window_size_)[0]
    assert n_all == len(window_starts(n_train, full.window_size_, full.train_stride))
    capped = tiny_detector(max_epochs=2, windows_per_epoch=20).fit(train_series)
    assert [r["n_windows"] for r in capped.history_] == [20, 20]
    # a new random draw each epoch: the two models differ from each other
    assert not np.array_equal(full.score_samples(train_series),
                              capped.score_samples(train_series))
    # a cap above the number of windows changes nothing
    same = tiny_detector(max_epochs=2, windows_per_epoch=10 * n_all).fit(train_series)
    assert np.array_equal(same.score_samples(train_series), full.score_samples(train_series))


def test_feature_error_normalisation(train_series):
    """A feature that cannot be predicted (white noise) dominates the raw
    squared error; normalised per feature, the predictable features count
    as much and their small spikes show."""
    rng = np.random.default_rng(0)
    X = periodic_series(400, seed=2)
    y = np.zeros(len(X), dtype=int)
    for i in rng.choice(np.arange(20, 380), size=12, replace=False):
        X[i, rng.integers(3)] += rng.choice([-1, 1]) * 0.5
        y[i] = 1
    noisy_train = np.c_[train_series, 3.0 * rng.normal(size=(len(train_series), 2))]
    noisy_test = np.c_[X, 3.0 * rng.normal(size=(len(X), 2))]
    # the first design's masks: a tiny model learns this series in 10 epochs
    # with them (with training gaps it needs more)
    params = dict(max_epochs=10, train_stride=1, adnm=False, mask_mode="timestamp",
                  training_masks="interleaved", rarity="none")
    raw = tiny_detector(error_normalisation="none", **params).fit(noisy_train)
    norm = tiny_detector(error_normalisation="feature", **params).fit(noisy_train)
    assert np.all(raw.feature_error_scale_ == 1.0)
    scale = norm.feature_error_scale_
    assert scale.shape == (5,) and np.all(scale > 0)
    assert scale[3:].min() > 1.5 * scale[:3].max()  # noise features rebuild worst
    auc_raw = roc_auc_score(y, -raw.score_samples(noisy_test))
    auc_norm = roc_auc_score(y, -norm.score_samples(noisy_test))
    assert auc_norm > auc_raw + 0.1
    # the offset uses the same weights: the share of training points flagged stays sane
    flagged = np.mean(norm.predict(noisy_train) == -1)
    assert 0 < flagged < 0.2


# ----------------------------------------------------------- score_smoothing
def test_score_smoothing_averages_the_unsmoothed_scores(train_series, test_series):
    """The score is the moving average of the per-timestamp score, in each
    series of a list on its own, and the threshold follows it."""
    X, _ = test_series
    raw = tiny_detector(score_smoothing=1).fit(train_series)
    smooth = tiny_detector(score_smoothing=7).fit(train_series)
    np.testing.assert_allclose(smooth.score_samples(X), moving_average(raw.score_samples(X), 7))
    train_scores = -moving_average(raw.score_samples(train_series), 7)
    assert np.mean(train_scores > -smooth.offset_) == pytest.approx(
        np.mean(smooth.predict(train_series) == -1))
    first, second = smooth.score_samples([X[:100], X[100:]])
    np.testing.assert_allclose(first, moving_average(raw.score_samples(X[:100]), 7))
    np.testing.assert_allclose(second, moving_average(raw.score_samples(X[100:]), 7))
    assert not np.allclose(smooth.score_samples(X), raw.score_samples(X))


# ------------------------------------------------------------ score_features
def test_score_features_all_columns_is_the_default(train_series, test_series):
    """Naming every column (in any order, negative indices allowed) gives
    exactly the default scores and threshold."""
    default = tiny_detector(max_epochs=2).fit(train_series)
    every = tiny_detector(max_epochs=2, score_features=[2, -3, 1]).fit(train_series)
    np.testing.assert_array_equal(every.score_features_, [0, 1, 2])
    np.testing.assert_array_equal(every.score_samples(test_series[0]),
                                  default.score_samples(test_series[0]))
    assert every.offset_ == default.offset_


def test_score_features_leave_context_columns_out_of_the_score(train_series):
    """A context column that jumps where the watched columns stay normal
    raises the default score there, but not the score of the watched columns
    alone; the context column still feeds the model."""
    rng = np.random.default_rng(3)
    flag = (rng.random(len(train_series)) < 0.02).astype(float)
    train = np.c_[train_series, flag]
    test = np.c_[periodic_series(300, seed=4), np.zeros(300)]
    jumps = np.arange(40, 260, 40)
    test[jumps, 3] = 1.0  # normal flag switches, not an anomaly of the sensors
    test[150, 0] += 3.0   # a real anomaly of a watched sensor
    # point positions are asserted; with the mean error as divisor a flag
    # switch is a huge normalised error ('tail' softens it)
    params = dict(max_epochs=4, score_smoothing=1, error_normalisation="feature")
    every = tiny_detector(**params).fit(train)
    sensors = tiny_detector(score_features=[0, 1, 2], **params).fit(train)
    np.testing.assert_array_equal(sensors.score_features_, [0, 1, 2])
    assert sensors.feature_error_scale_[3] == 1.0
    s_every = -every.score_samples(test)
    s_sensors = -sensors.score_samples(test)
    # the flag switches top the default score; left out, they look normal
    # and the sensor anomaly comes first
    assert set(np.argsort(s_every)[-5:]) <= set(jumps) | {150}
    assert np.median(s_every[jumps]) > 5 * np.median(s_every)
    assert np.median(s_sensors[jumps]) < 2 * np.median(s_sensors)
    assert np.argmax(s_sensors) == 150
    # the threshold follows the scored columns too
    flagged = np.mean(sensors.predict(train) == -1)
    assert 0 < flagged < 0.1
    # 'continuous' finds the same columns without being told: the flag takes
    # two values, the sensors many
    guessed = tiny_detector(score_features="continuous", **params).fit(train)
    np.testing.assert_array_equal(guessed.score_features_, [0, 1, 2])
    np.testing.assert_array_equal(guessed.score_samples(test), sensors.score_samples(test))
    assert guessed.offset_ == sensors.offset_


def test_score_features_continuous_leaves_constant_and_flag_columns_out(train_series):
    """Distinct values are counted over every training series of a list;
    a training set with no column of more than two values is rejected
    before any training, with a message that says why."""
    n = len(train_series)
    flag = np.r_[np.zeros(n // 2), np.ones(n - n // 2)]
    three = np.zeros(n)  # values 0 and 1 in the first series, 0 and 2 in the second
    three[[0, -1]] = 1.0, 2.0
    train = np.c_[train_series[:, :1], np.ones(n), flag, three]
    det = tiny_detector(max_epochs=1, score_features="continuous")
    det.fit([train[: n // 2], train[n // 2:]])
    np.testing.assert_array_equal(det.score_features_, [0, 3])
    assert det.feature_error_scale_[1] == det.feature_error_scale_[2] == 1.0
    binary = np.c_[np.ones(n), flag]
    det = tiny_detector(max_epochs=1, score_features="continuous")
    with pytest.raises(ValueError, match="no column with more than two distinct values"):
        det.fit(binary)
    assert not hasattr(det, "denoiser_")
    with pytest.raises(ValueError, match="score_features"):
        tiny_detector(max_epochs=1, score_features="auto").fit(train)


def test_score_features_by_name_and_rescoring(train_series):
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(train_series, columns=["cpu", "mem", "net"])
    by_name = tiny_detector(max_epochs=2, score_features=["net", "cpu"]).fit(df)
    by_index = tiny_detector(max_epochs=2, score_features=[0, 2]).fit(df)
    np.testing.assert_array_equal(by_name.score_features_, [0, 2])
    np.testing.assert_array_equal(by_name.score_samples(df), by_index.score_samples(df))
    # only scoring depends on score_features: recalibrating a model fitted
    # on every column gives the scores of a model fitted with the subset
    every = tiny_detector(max_epochs=2).fit(df)
    every.set_params(score_features=[0, 2])
    assert every.recalibrate(df) is every
    np.testing.assert_allclose(every.score_samples(df), by_index.score_samples(df))
    assert every.offset_ == pytest.approx(by_index.offset_)


@pytest.mark.parametrize("value, match", [
    ([3], r"indices must lie in \[-3, 2\].*3 features"),
    ([-4], r"indices must lie in"),
    ([], "non-empty"),
    ([[0, 1]], "non-empty 1-d"),
    ([0, 0], "repeats a column"),
    ([0.5], "integer column indices or column names"),
    (["cpu"], "no string column names"),
])
def test_score_features_errors(train_series, value, match):
    det = tiny_detector(max_epochs=1, score_features=value)
    with pytest.raises(ValueError, match=match):
        det.fit(train_series[:120])
    assert not hasattr(det, "denoiser_")  # rejected before any training


def test_score_features_unknown_name(train_series):
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(train_series[:120], columns=["cpu", "mem", "net"])
    with pytest.raises(ValueError, match=r"not seen in fit: \['disk'\]"):
        tiny_detector(max_epochs=1, score_features=["cpu", "disk"]).fit(df)



# ------------------------------------------------- second design: the switches
@pytest.mark.parametrize("params", [
    dict(mask_mode="timestamp"), dict(training_masks="interleaved"),
    dict(mask_mode="timestamp", training_masks="interleaved", adnm=False),
    dict(rarity="none"), dict(rarity_combination="sum"), dict(error_normalisation="feature"),
    dict(scale_floor=0.1),
])
def test_second_design_switches_run_and_change_the_scores(params, train_series, test_series):
    """Each part switched away from its default trains, scores and acts."""
    X = test_series[0]
    base = tiny_detector(max_epochs=1).fit(train_series[:200])
    det = tiny_detector(max_epochs=1, **params).fit(train_series[:200])
    scores = det.score_samples(X)
    assert scores.shape == (len(X),) and np.all(np.isfinite(scores))
    if params != dict(scale_floor=0.1):  # the tiny series has no quiet column
        assert not np.allclose(scores, base.score_samples(X))


def test_element_masks_see_the_other_features_at_the_same_instant():
    """Two features that are copies of one noise signal: a timestamp mask
    hides both, so neither can be rebuilt; an element mask hides one at a
    time and the other gives it away."""
    rng = np.random.default_rng(0)
    noise = rng.normal(size=(1200, 1))
    X = np.c_[noise, noise]
    params = dict(max_epochs=8, adnm=False, score_smoothing=1, error_normalisation="none",
                  training_masks="interleaved", rarity="none")
    timestamp = tiny_detector(mask_mode="timestamp", **params).fit(X[:800])
    element = tiny_detector(mask_mode="element", **params).fit(X[:800])
    err_timestamp = -timestamp.score_samples(X[800:]).mean()
    err_element = -element.score_samples(X[800:]).mean()
    assert err_timestamp > 0.5  # about the variance of the signal
    assert err_element < 0.5 * err_timestamp


def test_tail_normalisation_divides_by_the_99th_percentile(train_series):
    """Each feature's scale is the floored 99th percentile of its training
    errors per timestamp, the same errors whose mean 'feature' takes."""
    det = tiny_detector(max_epochs=1, error_normalisation="tail", rarity="none")
    errors, rarity = det.fit(train_series)._anomaly_score(train_series, per_feature=True)
    assert rarity is None
    np.testing.assert_allclose(det.feature_error_scale_,
                               floored(np.quantile(errors, 0.99, axis=0)))
    mean = det.set_params(error_normalisation="feature").recalibrate(train_series)
    np.testing.assert_allclose(mean.feature_error_scale_, floored(errors.mean(axis=0)))


def test_rarity_sees_a_level_never_seen_in_training():
    """Training alternates between two levels; a test segment sits between
    them. It is smooth, so its reconstruction error with timestamp masks is
    small (element masks see that the two features no longer mirror each
    other), but its latent is far from every training centroid."""
    rng = np.random.default_rng(0)
    regime = np.repeat(rng.integers(2, size=30), 40) * 2.0 - 1.0
    X = np.c_[regime, -regime] + 0.05 * rng.normal(size=(1200, 2))
    test = X[:400].copy()
    test[200:240] = 0.05 * rng.normal(size=(40, 2))  # the level in between
    y = np.zeros(400, dtype=int)
    y[200:240] = 1
    det = tiny_detector(max_epochs=4, score_smoothing=1, mask_mode="timestamp",
                        training_masks="interleaved", rarity="none").fit(X)
    none = roc_auc_score(y, -det.score_samples(test))
    det.set_params(rarity="latent").recalibrate(X)
    assert det.rarity_centroids_.shape[1] == det.d_model and det.rarity_scale_ > 0
    latent = roc_auc_score(y, -det.score_samples(test))
    assert latent > 0.9 and latent > none + 0.05


def test_rarity_recalibrates_to_a_fresh_fit_and_back(train_series, test_series):
    X = test_series[0]
    fresh = tiny_detector(max_epochs=2, rarity="latent").fit(train_series)
    det = tiny_detector(max_epochs=2, rarity="none").fit(train_series)
    plain = det.score_samples(X)
    assert det.rarity_centroids_.shape == (0, det.d_model) and det.rarity_scale_ == 1.0
    det.set_params(rarity="latent").recalibrate(train_series)
    np.testing.assert_allclose(det.rarity_centroids_, fresh.rarity_centroids_)
    assert det.imputation_scale_ == pytest.approx(fresh.imputation_scale_)
    assert det.offset_ == pytest.approx(fresh.offset_)
    np.testing.assert_allclose(det.score_samples(X), fresh.score_samples(X), rtol=1e-6)
    det.set_params(rarity="none").recalibrate(train_series)
    np.testing.assert_array_equal(det.score_samples(X), plain)


def test_rarity_centroids_recalibrate_to_a_fresh_fit(train_series, test_series):
    X = test_series[0]
    fresh = tiny_detector(max_epochs=2, rarity_centroids=3).fit(train_series)
    det = tiny_detector(max_epochs=2).fit(train_series)
    assert det.rarity_centroids_.shape == (10, det.d_model)  # the default
    default = det.score_samples(X)
    det.set_params(rarity_centroids=3).recalibrate(train_series)
    assert det.rarity_centroids_.shape == (3, det.d_model)
    np.testing.assert_allclose(det.rarity_centroids_, fresh.rarity_centroids_)
    np.testing.assert_allclose(det.score_samples(X), fresh.score_samples(X), rtol=1e-6)
    assert not np.allclose(det.score_samples(X), default)


def test_the_max_combination_recalibrates_and_splits_exactly(train_series, test_series):
    """rarity_combination='max': terms z-scored on the training series, the
    score the larger of the two; a fresh fit and a recalibration agree, and
    feature_scores still sum to the score."""
    X = test_series[0]
    fresh = tiny_detector(max_epochs=2, rarity="latent", rarity_combination="max")
    fresh.fit(train_series)
    centres = (fresh.imputation_centre_, fresh.rarity_centre_)
    assert min(centres) == 0.0 and max(centres) > 0
    det = tiny_detector(max_epochs=2, rarity="latent", rarity_combination="sum")
    summed = det.fit(train_series).score_samples(X)
    assert det.imputation_centre_ == det.rarity_centre_ == 0.0
    det.set_params(rarity_combination="max").recalibrate(train_series)
    assert det.rarity_scale_ == pytest.approx(fresh.rarity_scale_)
    np.testing.assert_allclose(det.score_samples(X), fresh.score_samples(X), rtol=1e-6)
    assert not np.allclose(det.score_samples(X), summed)
    assert (det.score_samples(X) <= 0).all() and det.predict(train_series).mean() < 1
    parts = det.feature_scores(X)
    np.testing.assert_allclose(parts.sum(axis=1), -det.score_samples(X), rtol=1e-4, atol=1e-4)
    # the rarity shifts a row's features alike: they differ as their errors do
    plain = det.set_params(rarity="none").recalibrate(train_series).feature_scores(X)
    np.testing.assert_allclose(parts - parts.mean(axis=1, keepdims=True),
                               (plain - plain.mean(axis=1, keepdims=True)) / fresh.imputation_scale_,
                               rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("combination", ["sum", "max"])
def test_a_model_with_rarity_saves_and_pickles_bit_for_bit(train_series, test_series, tmp_path,
                                                           combination):
    X = test_series[0]
    det = tiny_detector(max_epochs=1, rarity="latent", rarity_combination=combination,
                        mask_mode="element").fit(train_series)
    det.save(tmp_path / "m.skddmt")
    loaded = DDMTDetector.load(tmp_path / "m.skddmt")
    np.testing.assert_array_equal(loaded.rarity_centroids_, det.rarity_centroids_)
    np.testing.assert_array_equal(loaded.score_samples(X), det.score_samples(X))
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(det)).score_samples(X),
                                  det.score_samples(X))
