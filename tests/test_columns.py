"""skddmt._columns: the score_features spec resolved to column indices."""

import numpy as np
import pytest

from skddmt._columns import resolve_columns

TRAIN = [np.c_[np.arange(10.0), np.zeros(10), np.arange(10) % 2, np.sin(np.arange(10.0))]]
NAMES = np.array(["a", "b", "c", "d"], dtype=object)


@pytest.mark.parametrize("spec, expected", [
    (None, [0, 1, 2, 3]),
    ("continuous", [0, 3]),
    ([3, 0], [0, 3]),
    ([-1], [3]),
    (np.array([2], dtype=np.uint8), [2]),
    (["d", "b"], [1, 3]),
])
def test_resolve_columns(spec, expected):
    out = resolve_columns(spec, 4, NAMES, TRAIN)
    assert out.tolist() == expected


def test_continuous_counts_the_values_of_every_training_series():
    a = np.c_[np.arange(6.0) % 2, np.zeros(6)]
    b = np.c_[np.full(6, 2.0), np.zeros(6)]    # a third value of column 0, in series b only
    assert resolve_columns("continuous", 2, None, [a, b]).tolist() == [0]
    with pytest.raises(ValueError, match="no column with more than two"):
        resolve_columns("continuous", 2, None, [a])


@pytest.mark.parametrize("spec, names, match", [
    ([], NAMES, "non-empty 1-d"),
    ([[0, 1]], NAMES, "non-empty 1-d"),
    ([4], NAMES, r"must lie in \[-4, 3\]"),
    ([0, -4], NAMES, "repeats a column"),
    (["z"], NAMES, r"not seen in fit: \['z'\]"),
    (["a"], None, "no string column names"),
    ([0.5], NAMES, "integer column indices or column names"),
])
def test_resolve_columns_errors_name_the_problem(spec, names, match):
    with pytest.raises(ValueError, match=match):
        resolve_columns(spec, 4, names, TRAIN)
