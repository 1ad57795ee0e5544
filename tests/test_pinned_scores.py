"""Pinned outputs: a refactor must leave every score bit-identical.

Small fixed configurations are fitted on the bundled SMD machine (and the
synthetic generator and metrics are run on fixed inputs); their outputs are
compared, bit for bit, with the values stored in ``tests/data/pinned.npz``.
A change that is meant to move scores regenerates the file on purpose, says
so in its commit message and re-measures the benchmarks::

    python tests/test_pinned_scores.py   # rewrites tests/data/pinned.npz

Bit-identity holds on one machine (the same CPU, torch and numpy builds and
thread count). The file records the machine it was written on; on another
machine the outputs are compared to a relative tolerance of 1e-4 instead,
since floating-point kernels differ between CPUs in their last bits.
"""

import hashlib
import platform
from pathlib import Path

import numpy as np
import pytest

from skddmt import DDMTDetector
from skddmt import metrics
from skddmt.baselines import HistogramDetector, KNNDetector, MeanSquareDetector, PCADetector
from skddmt.datasets import load_smd_sample, make_synthetic

PINNED = Path(__file__).parent / "data" / "pinned.npz"

TINY = dict(window_size=32, d_model=16, n_layers=1, n_heads=2, max_epochs=2,
            windows_per_epoch=64, batch_size=16, device="cpu")


def _machine():
    """A fingerprint of what floating-point results depend on."""
    import torch

    try:
        with open("/proc/cpuinfo") as f:
            cpu = [line for line in f if line.startswith(("model name", "flags"))][:2]
    except OSError:
        cpu = [platform.processor()]
    return "|".join([torch.__version__, np.__version__, torch.backends.cpu.get_cpu_capability(),
                     str(torch.get_num_threads()),
                     hashlib.sha256("".join(cpu).encode()).hexdigest()[:16]])


def _sample():
    data = load_smd_sample()
    return data.train[:1500], data.test[4400:5000], data.test_label[4400:5000]


def _ddmt_outputs(prefix, est, fit_X, score_X):
    est.fit(fit_X)
    scores = est.score_samples(score_X)
    if isinstance(scores, list):
        scores = np.concatenate(scores)
    return {
        f"{prefix}_scores": np.asarray(scores, dtype=np.float64),
        f"{prefix}_offset": np.float64(est.offset_),
        f"{prefix}_train_loss": np.array([h["train_loss"] for h in est.history_]),
        f"{prefix}_valid_loss": np.array([h["valid_loss"] for h in est.history_]),
        f"{prefix}_scale": np.asarray(est.feature_error_scale_, dtype=np.float64),
    }


def _digest(*arrays):
    h = hashlib.sha256()
    for a in arrays:
        a = np.ascontiguousarray(a)
        h.update(str(a.dtype).encode() + str(a.shape).encode() + a.tobytes())
    return h.hexdigest()


def compute():
    """Every pinned output, by name."""
    train, test, label = _sample()
    out = {}
    # One series, the default scoring path (ADNM, diffusion, smoothing, 'auto').
    out.update(_ddmt_outputs("single", DDMTDetector(random_state=0, **TINY), train, test))
    # A list of series, a float contamination, scored columns chosen from the data,
    # the scoring-time training steps and two noise draws.
    out.update(_ddmt_outputs(
        "multi",
        DDMTDetector(random_state=1, contamination=0.02, score_features="continuous",
                     timestep_sampling="scoring", n_samples=2, n_reverse_steps=2, prediction="epsilon",
                     **TINY),
        [train[:800], train[800:]], [test[:300], test[300:]]))
    # No ADNM, no diffusion, no attention band, no validation tail, raw errors.
    out.update(_ddmt_outputs(
        "plain",
        DDMTDetector(random_state=2, adnm=False, diffusion=False, validation_fraction=0.0,
                     error_normalisation="none", score_smoothing=1, mask_width=0, **TINY),
        train, test))
    for name, det in [("meansq", MeanSquareDetector()), ("pca", PCADetector()),
                      ("knn", KNNDetector()), ("hbos", HistogramDetector())]:
        det.fit(train)
        out[f"{name}_scores"] = det.score_samples(test)
        out[f"{name}_offset"] = np.float64(det.offset_)
    score = -out["single_scores"]
    for name in ["vus_pr", "vus_roc", "range_auc_pr", "range_auc_roc", "auc_pr", "auc_roc"]:
        out[f"metric_{name}"] = np.float64(getattr(metrics, name)(label, score))
    pred = (score > np.quantile(score, 0.95)).astype(int)
    out["metric_point_prf"] = np.array(metrics.point_prf(label, pred), dtype=np.float64)
    out["metric_pa_k_auc"] = np.float64(metrics.pa_k_auc(label, pred))
    out["metric_pa_prf"] = np.array(metrics.pa_prf(label, pred), dtype=np.float64)
    out["metric_affiliation_prf"] = np.array(metrics.affiliation_prf(label, pred),
                                             dtype=np.float64)
    out["metric_best_f1"] = np.array(metrics.best_f1(label, score), dtype=np.float64)
    for kind in ["global", "contextual", "shapelet", "seasonal", "trend", "level"]:
        d = make_synthetic(n_train=300, n_test=400, n_features=4, anomaly_types=kind,
                           n_anomalies=4, random_state=3)
        out[f"synthetic_{kind}"] = np.array(_digest(d.train, d.test, d.test_label,
                                                    d.test_clean,
                                                    np.array(d.anomaly_segments, dtype=object)
                                                    .astype(str),
                                                    np.array(sum(d.anomaly_features, []))))
    d = make_synthetic(random_state=4)
    out["synthetic_default"] = np.array(_digest(d.train, d.test, d.test_label))
    return out


@pytest.fixture(scope="module")
def outputs():
    return compute()


@pytest.fixture(scope="module")
def stored():
    with np.load(PINNED) as f:
        return {k: f[k] for k in f.files}


def _names():
    if not PINNED.exists():
        return []
    with np.load(PINNED) as f:
        return sorted(k for k in f.files if k != "machine")


def test_every_pinned_output_is_computed(outputs, stored):
    assert sorted(outputs) == sorted(k for k in stored if k != "machine")


@pytest.mark.parametrize("name", _names())
def test_pinned_output_is_bit_identical(outputs, stored, name):
    got, want = np.asarray(outputs[name]), stored[name]
    assert got.shape == want.shape
    if want.dtype.kind == "U":
        assert str(got) == str(want)
    elif str(stored["machine"]) == _machine():
        np.testing.assert_array_equal(got, want, strict=True)
    else:
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-12, strict=True)


if __name__ == "__main__":
    PINNED.parent.mkdir(exist_ok=True)
    np.savez(PINNED, machine=np.array(_machine()), **compute())
    print(f"wrote {PINNED}")
