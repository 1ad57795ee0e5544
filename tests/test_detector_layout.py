"""DDMTDetector and the baselines: the same values give the same bits,
whatever their container (ndarray, DataFrame, read-only memory map), dtype
(float32 or float64) and memory layout (C, Fortran, a strided slice), and
whatever unrelated numpy, scikit-learn or torch work ran before.

On a real-looking series (a slice of the bundled SMD machine, 38 features,
a few epochs): the float32 statistics that once made the layout matter
(a float32 Fortran slice trained 11 epochs, its C copy 13) hide in tiny cases.
"""

import numpy as np
import pytest
import torch
from sklearn.decomposition import PCA
from sklearn.ensemble import IsolationForest

from skddmt import DDMTDetector
from skddmt.baselines import PCADetector
from skddmt.datasets import load_smd_sample


@pytest.fixture(scope="module")
def smd():
    data = load_smd_sample()
    train, test = data.train[:3000], data.test[4000:5000]
    assert train.dtype == np.float32 and not train.flags.c_contiguous  # a Fortran slice
    return train, test


def _containers(train, tmp_path):
    pd = pytest.importorskip("pandas")
    path = tmp_path / f"series_{len(train)}.npy"
    np.save(path, np.ascontiguousarray(train))
    memmap = np.load(path, mmap_mode="r")
    assert not memmap.flags.writeable
    return {
        "float32 Fortran slice": train,
        "float32 C": np.ascontiguousarray(train),
        "float32 Fortran": np.asfortranarray(train),
        "float64 C": np.ascontiguousarray(train, dtype=np.float64),
        "float64 Fortran": np.asfortranarray(train, dtype=np.float64),
        "float64 reversed columns, reversed back": np.array(train[:, ::-1],
                                                            dtype=np.float64)[:, ::-1],
        "DataFrame float32": pd.DataFrame(train),
        "DataFrame float64": pd.DataFrame(train.astype(np.float64)),
        "read-only memmap": memmap,
    }


def _unrelated_work():
    rng = np.random.default_rng(5)
    np.random.seed(123)
    np.random.rand(1000)
    torch.manual_seed(7)
    torch.rand(1000)
    Z = rng.normal(size=(2000, 20)).astype(np.float32)
    PCA(5).fit(Z)
    IsolationForest(n_estimators=10, random_state=0).fit(Z)
    torch.nn.Linear(20, 3)(torch.from_numpy(Z)).sum().backward()


def _ddmt():
    return DDMTDetector(window_size=50, d_model=32, max_epochs=3, windows_per_epoch=256,
                        random_state=0, device="cpu")


def _outputs(det, train, test):
    det.fit(train)
    return det.score_samples(test), det.offset_


def test_ddmt_scores_are_bit_identical_across_containers_dtypes_and_layouts(smd, tmp_path):
    train, test = smd
    want_scores, want_offset = _outputs(_ddmt(), train, test)
    for name, X in _containers(train, tmp_path).items():
        scores, offset = _outputs(_ddmt(), X, test)
        np.testing.assert_array_equal(scores, want_scores, err_msg=name)
        assert offset == want_offset, name
    # the test series too: its layout and container do not matter either
    det = _ddmt().fit(train)
    for name, T in _containers(test, tmp_path).items():
        np.testing.assert_array_equal(det.score_samples(T), want_scores, err_msg=name)


def test_ddmt_scores_do_not_depend_on_unrelated_work_before(smd):
    train, test = smd
    want, _ = _outputs(_ddmt(), train, test)
    _unrelated_work()
    got, _ = _outputs(_ddmt(), train, test)
    np.testing.assert_array_equal(got, want)


def test_baseline_scores_are_bit_identical_across_layouts(smd, tmp_path):
    train, test = smd
    want = PCADetector().fit(train).score_samples(test)
    for name, X in _containers(train, tmp_path).items():
        np.testing.assert_array_equal(PCADetector().fit(X).score_samples(test), want,
                                      err_msg=name)
