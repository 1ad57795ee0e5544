"""Tests of skddmt.datasets.psm: load_psm on small CSV files in the public layout."""

import numpy as np
import pytest

from skddmt.datasets import load_psm

from .datasets_helpers import write

PSM_TRAIN = """\
timestamp_(min),feature_0,feature_1,feature_2
0.0,,0.5,1.0
1.0,0.2,,1.5
2.0,0.3,0.7,
3.0,0.4,0.8,2.5
"""
PSM_TEST = """\
timestamp_(min),feature_0,feature_1,feature_2
4.0,0.5,0.9,3.0
5.0,0.6,1.0,3.5
6.0,0.7,1.1,4.0
"""
PSM_LABEL = """\
timestamp_(min),label
4.0,0
5.0,1
6.0,0
"""


@pytest.fixture
def psm_root(tmp_path):
    for name, text in (("train", PSM_TRAIN), ("test", PSM_TEST), ("test_label", PSM_LABEL)):
        write(tmp_path / f"{name}.csv", text)
    return tmp_path


def test_load_psm(psm_root):
    data = load_psm(psm_root)
    np.testing.assert_array_equal(data.train, [[0.0, 0.5, 1.0], [0.2, 0.5, 1.5],
                                               [0.3, 0.7, 1.5], [0.4, 0.8, 2.5]])
    np.testing.assert_array_equal(data.test, [[0.5, 0.9, 3.0], [0.6, 1.0, 3.5],
                                              [0.7, 1.1, 4.0]])
    np.testing.assert_array_equal(data.test_label, [0, 1, 0])
    assert data.test_label.dtype == np.int64 and data.train.dtype == np.float64
    assert data.feature_names == ["feature_0", "feature_1", "feature_2"]
    assert data.n_filled == {"train": 3, "test": 0} and data.name == "PSM"
    assert np.isfinite(data.train).all()


def test_load_psm_errors(psm_root):
    (psm_root / "test_label.csv").rename(psm_root / "labels.csv")
    with pytest.raises(FileNotFoundError, match="test_label.csv"):
        load_psm(psm_root)
    write(psm_root / "test_label.csv", PSM_LABEL + "7.0,1\n")
    with pytest.raises(ValueError, match="4 labels but .* 3 rows"):
        load_psm(psm_root)
    write(psm_root / "test_label.csv", PSM_LABEL.replace("5.0,1", "5.0,3"))
    with pytest.raises(ValueError, match="0 or 1"):
        load_psm(psm_root)
    write(psm_root / "test_label.csv", PSM_LABEL.replace("label", "attack"))
    with pytest.raises(ValueError, match="no 'label' column"):
        load_psm(psm_root)
    write(psm_root / "test_label.csv", PSM_LABEL.replace("5.0,1", "9.0,1"))
    with pytest.raises(ValueError, match="timestamps .* differ, first at row 1"):
        load_psm(psm_root)
    write(psm_root / "test_label.csv", PSM_LABEL)
    write(psm_root / "test.csv", PSM_TEST.replace("5.0,0.6,1.0,3.5", "5.0,0.6,1.0"))
    with pytest.raises(ValueError, match=r"test.csv, line 3: expected 4 .*found 3"):
        load_psm(psm_root)
    write(psm_root / "test.csv", PSM_TEST.replace("1.0,3.5", "x,3.5"))
    with pytest.raises(ValueError, match=r"line 3, column 3 \('feature_1'\): cannot read 'x'"):
        load_psm(psm_root)
    write(psm_root / "test.csv", PSM_TEST.replace("feature_2", "feature_9"))
    with pytest.raises(ValueError, match="different columns"):
        load_psm(psm_root)
