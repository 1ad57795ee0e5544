"""Tests of skddmt.datasets.smd: load_smd and list_smd_machines on small files
written in OmniAnomaly's ServerMachineDataset layout."""

import numpy as np
import pytest

from skddmt.datasets import list_smd_machines, load_smd

from .datasets_helpers import write


def smd_matrix(n, d, seed):
    return np.round(np.random.default_rng(seed).uniform(size=(n, d)), 6)


def matrix_text(X):
    return "".join(",".join(repr(float(v)) for v in row) + "\n" for row in X)


@pytest.fixture
def smd_root(tmp_path):
    """A 30 x 4 machine (plus a second one) in OmniAnomaly's layout."""
    base = tmp_path / "ServerMachineDataset"
    train, test = smd_matrix(30, 4, 0), smd_matrix(30, 4, 1)
    label = np.zeros(30, dtype=int)
    label[5:9] = 1
    label[20:22] = 1
    for name in ("machine-1-1", "machine-1-10", "machine-1-2"):
        write(base / "train" / f"{name}.txt", matrix_text(train))
        write(base / "test" / f"{name}.txt", matrix_text(test))
        write(base / "test_label" / f"{name}.txt", "".join(f"{v}\n" for v in label))
    write(base / "interpretation_label" / "machine-1-1.txt", "5-9:1,3\n20-22:4\n")
    return tmp_path, train, test, label


def test_load_smd(smd_root):
    root, train, test, label = smd_root
    data = load_smd(root, "machine-1-1")
    assert data.train.shape == (30, 4) and data.test.shape == (30, 4)
    assert data.train.dtype == np.float64 and data.test_label.dtype == np.int64
    np.testing.assert_array_equal(data.train, train)
    np.testing.assert_array_equal(data.test, test)
    np.testing.assert_array_equal(data.test_label, label)
    assert data.name == "machine-1-1"
    assert data.interpretation == [(5, 9, [0, 2]), (20, 22, [3])]
    # the ServerMachineDataset folder itself, a .txt suffix, no interpretation file
    other = load_smd(root / "ServerMachineDataset", "machine-1-2.txt")
    np.testing.assert_array_equal(other.test, test)
    assert "interpretation" not in other


def test_list_smd_machines(smd_root):
    root = smd_root[0]
    expected = ["machine-1-1", "machine-1-2", "machine-1-10"]
    assert list_smd_machines(root) == expected
    assert list_smd_machines(root / "ServerMachineDataset") == expected
    with pytest.raises(FileNotFoundError, match="ServerMachineDataset"):
        list_smd_machines(root / "nowhere")


def test_load_smd_errors(smd_root):
    root = smd_root[0]
    base = root / "ServerMachineDataset"
    with pytest.raises(ValueError, match="machine-1-10"):   # lists the valid names
        load_smd(root, "machine-9-9")
    (base / "test" / "machine-1-2.txt").unlink()
    with pytest.raises(FileNotFoundError, match="machine-1-2.txt"):
        load_smd(root, "machine-1-2")

    def broken(sub, text, name="machine-1-1"):
        write(base / sub / f"{name}.txt", text)
        return name

    broken("train", "0.1,0.2,0.3,0.4\n0.1,0.2,0.3\n", "machine-1-10")
    with pytest.raises(ValueError, match=r"line 2: expected 4 .*found 3"):
        load_smd(root, "machine-1-10")
    broken("train", "0.1,0.2,0.3,0.4\n0.1,abc,0.3,0.4\n", "machine-1-10")
    with pytest.raises(ValueError, match=r"line 2, column 2: cannot read 'abc'"):
        load_smd(root, "machine-1-10")
    broken("train", "0.1,0.2,0.3\n" * 3, "machine-1-10")
    with pytest.raises(ValueError, match="3 columns but .* has 4"):
        load_smd(root, "machine-1-10")

    broken("test_label", "0\n" * 29)
    with pytest.raises(ValueError, match="29 labels but .* 30 rows"):
        load_smd(root, "machine-1-1")
    broken("test_label", "0\n" * 29 + "2\n")
    with pytest.raises(ValueError, match="0 or 1"):
        load_smd(root, "machine-1-1")
    broken("test_label", "0\n" * 30)
    broken("interpretation_label", "5-9:1,3\n20-40:4\n")
    with pytest.raises(ValueError, match="outside the test series"):
        load_smd(root, "machine-1-1")
    broken("interpretation_label", "5-9;1,3\n")
    with pytest.raises(ValueError, match="start-stop:i,j,k"):
        load_smd(root, "machine-1-1")


def test_read_interpretation(tmp_path):
    from skddmt.datasets import read_interpretation

    path = tmp_path / "machine-9-9.txt"
    path.write_text("10-15:1,3\n20-21:38\n")
    assert read_interpretation(path) == [(10, 15, [0, 2]), (20, 21, [37])]
    path.write_text("10-15\n")
    with pytest.raises(ValueError, match="not an SMD interpretation file"):
        read_interpretation(path)
