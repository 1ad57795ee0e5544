"""skddmt._persistence: DDMTDetector.save / load never unpickle, give the
same bits back, and refuse crafted, truncated, altered and foreign files
with a ValueError."""

import builtins
import io
import json
import pickle

import joblib
import numpy as np
import pytest
import torch
from sklearn.exceptions import NotFittedError

from skddmt import DDMTDetector
from skddmt._persistence import FORMAT, MAGIC, read_model_file, write_model_file

from .conftest import periodic_series, tiny_detector


@pytest.fixture(scope="module")
def series():
    pd = pytest.importorskip("pandas")
    X = periodic_series(400, 4)
    return pd.DataFrame(X, columns=["cpu", "mem", "disk", "net"]), periodic_series(150, 4, seed=3)


@pytest.fixture(scope="module")
def fitted(series):
    X, _ = series
    return tiny_detector(score_features=["cpu", "net"], contamination=0.05).fit(X)


@pytest.fixture
def saved(fitted, tmp_path):
    path = tmp_path / "model.skddmt"
    fitted.save(path)
    return path


class _RunsCode:
    """Unpickling it calls ``exec``: what a malicious model file does."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return builtins.exec, (f"open({self.marker!r}, 'w').write('ran')",)


def _rewrite(path, change, *, new_digest):
    """Read the payload (safely), change it and write it back, with a digest
    of the new content (a genuine file of that content) or the old one."""
    data = path.read_bytes()
    payload = read_model_file(path)
    change(payload)
    write_model_file(payload, path)
    if not new_digest:
        head = len(MAGIC) + 65
        path.write_bytes(data[:head] + path.read_bytes()[head:])


def test_round_trip_gives_the_same_bits(fitted, saved, series):
    X, T = series
    loaded = DDMTDetector.load(saved)
    for method in ("score_samples", "decision_function", "predict"):
        np.testing.assert_array_equal(getattr(loaded, method)(T), getattr(fitted, method)(T))
    np.testing.assert_array_equal(loaded.score_samples(X), fitted.score_samples(X))
    assert loaded.get_params() == fitted.get_params()
    assert loaded.offset_ == fitted.offset_
    np.testing.assert_array_equal(loaded.feature_names_in_, fitted.feature_names_in_)
    for name in ("mean_", "scale_", "feature_error_scale_", "score_features_"):
        got, want = getattr(loaded, name), getattr(fitted, name)
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)
    assert [h["epoch"] for h in loaded.history_] == [h["epoch"] for h in fitted.history_]
    np.testing.assert_array_equal([h["valid_loss"] for h in loaded.history_],
                                  [h["valid_loss"] for h in fitted.history_])
    for key, value in fitted.denoiser_.state_dict().items():
        assert torch.equal(loaded.denoiser_.state_dict()[key], value)
    assert not loaded.denoiser_.training


def test_a_loaded_model_recalibrates_like_the_original(fitted, saved, series):
    X, T = series
    loaded = DDMTDetector.load(saved).set_params(score_smoothing=5).recalibrate(X)
    again = pickle.loads(pickle.dumps(fitted)).set_params(score_smoothing=5).recalibrate(X)
    np.testing.assert_array_equal(loaded.score_samples(T), again.score_samples(T))
    with pytest.raises(ValueError, match="d_model changed since fit"):
        DDMTDetector.load(saved).set_params(d_model=8).recalibrate(X)


def test_a_model_fitted_on_a_list_without_names_round_trips(tmp_path):
    series = [periodic_series(200, 2, seed=s) for s in (0, 1)]
    det = tiny_detector(validation_fraction=0.0).fit(series)
    det.save(tmp_path / "m")
    loaded = DDMTDetector.load(tmp_path / "m")
    assert not hasattr(loaded, "feature_names_in_")
    for got, want in zip(loaded.score_samples(series), det.score_samples(series)):
        np.testing.assert_array_equal(got, want)


def test_a_random_state_generator_is_saved_as_none_with_a_warning(tmp_path):
    X = periodic_series(200, 2)
    det = tiny_detector(random_state=np.random.RandomState(0)).fit(X)
    with pytest.warns(UserWarning, match="random_state is a generator"):
        det.save(tmp_path / "m")
    loaded = DDMTDetector.load(tmp_path / "m")
    assert loaded.random_state is None
    np.testing.assert_array_equal(loaded.score_samples(X), det.score_samples(X))
    loaded.recalibrate(X)  # its training record says None too


def test_an_unfitted_model_cannot_be_saved(tmp_path):
    with pytest.raises(NotFittedError):
        DDMTDetector().save(tmp_path / "m")


@pytest.mark.parametrize("writer", ["pickle", "torch.save", "joblib", "model file"])
def test_a_file_crafted_to_run_code_is_refused_without_running_it(tmp_path, writer):
    marker = tmp_path / "ran.txt"
    path = tmp_path / "evil.skddmt"
    evil = {"format": FORMAT, "format_version": 1, "payload": _RunsCode(marker)}
    if writer == "pickle":
        path.write_bytes(pickle.dumps(evil))
    elif writer == "torch.save":
        torch.save(evil, path)
    elif writer == "joblib":
        joblib.dump(evil, path)
    else:  # the header and a valid digest: only the unpickler stands in the way
        write_model_file(evil, path)
    match = "not a readable" if writer == "model file" else "not a skddmt model file"
    with pytest.raises(ValueError, match=match):
        DDMTDetector.load(path)
    assert not marker.exists()
    if writer == "pickle":  # the file is what it claims: unpickled, it runs its code
        pickle.loads(path.read_bytes())
        assert marker.read_text() == "ran"


def test_a_joblib_dump_of_a_detector_is_refused(fitted, tmp_path):
    joblib.dump(fitted, tmp_path / "model.joblib")
    with pytest.raises(ValueError, match="not a skddmt model file"):
        DDMTDetector.load(tmp_path / "model.joblib")


@pytest.mark.parametrize("keep", [0.0, 0.1, 0.5, 0.9, 0.999])
def test_a_truncated_file_is_refused(saved, keep):
    data = saved.read_bytes()
    saved.write_bytes(data[:int(keep * len(data))])
    with pytest.raises(ValueError, match="skddmt model file|checksum"):
        DDMTDetector.load(saved)


def test_flipped_bytes_anywhere_are_refused(saved):
    data = saved.read_bytes()
    for position in np.linspace(0, len(data) - 1, 40).astype(int):
        altered = bytearray(data)
        altered[position] ^= 0xFF
        saved.write_bytes(bytes(altered))
        with pytest.raises(ValueError):
            DDMTDetector.load(saved)


def test_altered_weights_fail_the_checksum(saved):
    def change(payload):
        key = next(iter(payload["denoiser"]))
        payload["denoiser"][key] = payload["denoiser"][key] + 1e-3

    _rewrite(saved, change, new_digest=False)
    with pytest.raises(ValueError, match="does not match its checksum"):
        DDMTDetector.load(saved)


def _bigger_model(payload):
    payload.update(params=payload["params"].replace('"d_model": 16', '"d_model": 32'))


@pytest.mark.parametrize("change, new_digest, message", [
    (_bigger_model, False, "does not match its checksum"),
    (_bigger_model, True, "inconsistent skddmt model"),
    (lambda p: p.update(skddmt_version="0.0.1"), True,
     r"written by skddmt 0\.0\.1.*Fit the model again"),
    (lambda p: p.update(format_version=3), True, "format 3; this skddmt reads format 2"),
], ids=["altered-parameters", "inconsistent-parameters", "other-skddmt-version",
        "other-format-version"])
def test_altered_or_foreign_contents_are_refused(saved, change, new_digest, message):
    _rewrite(saved, change, new_digest=new_digest)
    with pytest.raises(ValueError, match=message):
        DDMTDetector.load(saved)


@pytest.mark.parametrize("header", [False, True])
def test_a_torch_file_that_is_not_a_model_is_refused(tmp_path, header):
    path = tmp_path / "weights.pt"
    weights = {"weight": torch.zeros(3)}
    if header:
        write_model_file(weights, path)
    else:
        torch.save(weights, path)
    with pytest.raises(ValueError, match="is not a skddmt model file"):
        DDMTDetector.load(path)


def test_a_missing_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        DDMTDetector.load(tmp_path / "nothing.skddmt")


def test_save_and_load_take_file_objects(fitted, series):
    _, T = series
    buf = io.BytesIO()
    fitted.save(buf)
    buf.seek(0)
    np.testing.assert_array_equal(DDMTDetector.load(buf).score_samples(T),
                                  fitted.score_samples(T))


def test_a_file_from_before_rarity_combination_loads_summing_the_terms(series, tmp_path):
    """A model file written before ``rarity_combination`` and the terms'
    centres existed (rarity='latent' then summed the terms) loads with
    ``'sum'`` and centres 0, and scores as it did."""
    X, X_new = series
    det = tiny_detector(max_epochs=1, rarity="latent", rarity_combination="sum").fit(X)
    path = tmp_path / "old.skddmt"
    det.save(path)

    def drop_new_names(payload):
        params = json.loads(payload["params"])
        del params["rarity_combination"], params["rarity_centroids"]
        attributes = json.loads(payload["attributes"])
        del attributes["imputation_centre_"], attributes["rarity_centre_"]
        payload.update(params=json.dumps(params), attributes=json.dumps(attributes))

    _rewrite(path, drop_new_names, new_digest=True)
    loaded = DDMTDetector.load(path)
    assert loaded.rarity_combination == "sum" and loaded.rarity_centroids == 10
    assert loaded.imputation_centre_ == loaded.rarity_centre_ == 0.0
    np.testing.assert_array_equal(loaded.score_samples(X_new), det.score_samples(X_new))


def test_a_pickle_from_before_rarity_combination_sums_the_terms(series):
    X, X_new = series
    det = tiny_detector(max_epochs=1, rarity="latent", rarity_combination="sum").fit(X)
    state = det.__getstate__()
    for name in ("rarity_combination", "rarity_centroids", "imputation_centre_",
                 "rarity_centre_"):
        del state[name]
    clone = DDMTDetector.__new__(DDMTDetector)
    clone.__setstate__(state)
    assert clone.rarity_combination == "sum" and clone.rarity_centroids == 10
    np.testing.assert_array_equal(clone.score_samples(X_new), det.score_samples(X_new))
