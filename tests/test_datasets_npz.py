"""Tests of skddmt.datasets.npz: load_npz on the shared benchmark data (skipped
without it)."""

import numpy as np
import pytest

from skddmt.datasets import load_npz

from .datasets_helpers import SHARED_DATA


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="no shared benchmark data")
def test_load_npz_shared_data():
    smd = load_npz(SHARED_DATA / "SMD" / "machine-1-2.npz")
    assert smd.train.shape == (23694, 38) and smd.test.shape == (23694, 38)
    assert smd.test_label.shape == (23694,) and smd.name == "machine-1-2"
    msl = load_npz(SHARED_DATA / "MSL" / "ALL_concat.npz")
    assert msl.train.shape == (58317, 55) and msl.test.shape == (73729, 55)
    assert msl.test_label.shape == (73729,)
    assert set(np.unique(msl.test_label)) == {0, 1}
