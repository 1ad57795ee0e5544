"""Tests of skddmt.datasets.nasa: load_nasa (SMAP, MSL) on small files written in
the public layout (labeled_anomalies.csv, train/ and test/ .npy files)."""

import numpy as np
import pytest

from skddmt.datasets import load_nasa

from .datasets_helpers import write

LABELED_ANOMALIES = """\
chan_id,spacecraft,anomaly_sequences,class,num_values
P-1,SMAP,"[[2, 4], [10, 11]]","[contextual, contextual]",15
P-2,SMAP,"[[3, 5]]",[point],12
M-1,MSL,"[[0, 1]]",[point],8
S-1,SMAP,"[[7, 7]]",[point],9
P-2,SMAP,"[[8, 9]]",[point],12
"""


def nasa_channel(root, chan, n_train, n_test, d, seed):
    rng = np.random.default_rng(seed)
    train, test = rng.uniform(-1, 1, (n_train, d)), rng.uniform(-1, 1, (n_test, d))
    for sub, X in (("train", train), ("test", test)):
        (root / sub).mkdir(parents=True, exist_ok=True)
        np.save(root / sub / f"{chan}.npy", X)
    return train, test


@pytest.fixture
def nasa_root(tmp_path):
    write(tmp_path / "labeled_anomalies.csv", LABELED_ANOMALIES)
    arrays = {"P-1": nasa_channel(tmp_path, "P-1", 20, 15, 3, 0),
              "P-2": nasa_channel(tmp_path, "P-2", 11, 12, 3, 1),
              "S-1": nasa_channel(tmp_path, "S-1", 6, 9, 3, 2),
              "M-1": nasa_channel(tmp_path, "M-1", 10, 8, 5, 3)}
    return tmp_path, arrays


def test_load_nasa_channel(nasa_root):
    root, arrays = nasa_root
    data = load_nasa(root, "SMAP", "P-1")
    np.testing.assert_array_equal(data.train, arrays["P-1"][0])
    np.testing.assert_array_equal(data.test, arrays["P-1"][1])
    expected = np.zeros(15, dtype=np.int64)
    expected[[2, 3, 4, 10, 11]] = 1            # pairs are inclusive
    np.testing.assert_array_equal(data.test_label, expected)
    assert data.test_label.dtype == np.int64 and data.name == "P-1"
    # P-2, listed twice, asked for by name: the union of its intervals
    p2 = load_nasa(root, "smap", "P-2")
    np.testing.assert_array_equal(np.flatnonzero(p2.test_label), [3, 4, 5, 8, 9])


def test_load_nasa_concatenation(nasa_root):
    root, arrays = nasa_root
    smap = load_nasa(root, "SMAP")
    assert smap.channels == ["P-1", "S-1"]    # CSV order, P-2 left out
    assert smap.train.shape == (26, 3) and smap.test.shape == (24, 3)
    np.testing.assert_array_equal(smap.train, np.vstack([arrays["P-1"][0], arrays["S-1"][0]]))
    np.testing.assert_array_equal(smap.test, np.vstack([arrays["P-1"][1], arrays["S-1"][1]]))
    np.testing.assert_array_equal(np.flatnonzero(smap.test_label), [2, 3, 4, 10, 11, 15 + 7])
    msl = load_nasa(root, "MSL")
    assert msl.name == "MSL" and msl.channels == ["M-1"] and msl.train.shape == (10, 5)
    np.testing.assert_array_equal(msl.test_label, [1, 1, 0, 0, 0, 0, 0, 0])


def test_load_nasa_errors(nasa_root):
    root, _ = nasa_root
    with pytest.raises(ValueError, match=r"\['SMAP', 'MSL'\]"):
        load_nasa(root, "SWAT")
    with pytest.raises(ValueError, match=r"\['P-1', 'P-2', 'S-1'\]"):
        load_nasa(root, "SMAP", "M-1")
    with pytest.raises(FileNotFoundError, match="labeled_anomalies.csv"):
        load_nasa(root / "nowhere", "MSL")
    (root / "test" / "S-1.npy").unlink()
    with pytest.raises(FileNotFoundError, match="S-1.npy"):
        load_nasa(root, "SMAP")

    def csv_with(row):
        write(root / "labeled_anomalies.csv",
              "chan_id,spacecraft,anomaly_sequences,class,num_values\n" + row)

    csv_with('M-1,MSL,"[[0, 8]]",[point],8\n')       # end 8 is past the 8 rows
    with pytest.raises(ValueError, match="outside"):
        load_nasa(root, "MSL")
    csv_with('M-1,MSL,"[[0, 1]]",[point],9\n')
    with pytest.raises(ValueError, match="num_values"):
        load_nasa(root, "MSL")
    csv_with('M-1,MSL,"__import__(\'os\')",[point],8\n')
    with pytest.raises(ValueError, match="not a list of"):
        load_nasa(root, "MSL")
    csv_with("M-1,MSL,[[0, 1]],[point],8\n")           # unquoted: too many fields
    with pytest.raises(ValueError, match="line 2"):
        load_nasa(root, "MSL")
    write(root / "labeled_anomalies.csv", "chan_id,anomaly_sequences\nM-1,\"[]\"\n")
    with pytest.raises(ValueError, match="spacecraft"):
        load_nasa(root, "MSL")
    csv_with('M-1,MSL,"[[0, 1]]",[point],8\n')
    np.save(root / "test" / "M-1.npy", np.zeros(8))
    with pytest.raises(ValueError, match="2-D"):
        load_nasa(root, "MSL")
