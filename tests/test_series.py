"""skddmt._series: lists of series, the train/validation split, the upload."""

import numpy as np
import pytest
import torch

from skddmt._preprocessing import fit_scaler, standardise
from skddmt._series import series_list, split_lengths, training_windows

from .conftest import periodic_series


@pytest.fixture(scope="module")
def three_series():
    """Three training series of different lengths, starting at different levels."""
    return [periodic_series(300, seed=1), periodic_series(250, seed=4) + 3.0,
            periodic_series(200, seed=5) - 2.0]


def test_series_list_tells_a_list_of_series_from_one_series():
    a, b = np.zeros((5, 2)), np.ones((4, 2))
    assert series_list([a, b])[1] is b
    assert series_list((a,)) == [a]
    assert series_list(a) is None                        # one array
    assert series_list([[1.0, 2.0], [3.0, 4.0]]) is None  # nested numbers: one series
    assert series_list([]) is None
    with pytest.raises(ValueError, match="item 1 is not"):
        series_list([a, np.zeros(3)])


@pytest.mark.parametrize("n, fraction, window, expected", [
    (1000, 0.1, 50, (900, 100)),
    (1000, 0.0, 50, (1000, 0)),
    (1000, 0.04, 50, (1000, 0)),   # tail shorter than a window: no tail
    (120, 0.5, 80, (120, 0)),      # training part shorter than a window: no tail
    (101, 0.5, 50, (51, 50)),      # round(50.5) = 50 (banker's rounding)
])
def test_split_lengths(n, fraction, window, expected):
    assert split_lengths(n, fraction, window) == expected


def test_training_windows_never_cross_series(three_series):
    w = 32
    mean, scale = fit_scaler(np.concatenate(three_series))
    train, starts, valid, valid_starts = training_windows(
        three_series, mean, scale, window_size=w, validation_fraction=0.2, train_stride=1,
        device=torch.device("cpu"))
    splits = [split_lengths(len(s), 0.2, w) for s in three_series]
    for parts, st in ((np.array([a for a, _ in splits]), starts),
                      (np.array([b for _, b in splits if b]), valid_starts)):
        ends = np.cumsum(parts)
        begins = ends - parts
        seg = np.searchsorted(ends, st, side="right")
        assert np.all(st >= begins[seg]) and np.all(st + w <= ends[seg])
        # every part gives windows, the first at its own start
        assert set(begins) <= set(st.tolist())
    assert len(train) == sum(a for a, _ in splits)
    assert valid is not None and len(valid) == sum(b for _, b in splits)
    # the rows are the standardised series, training parts then validation tails
    first = standardise(three_series[0], mean, scale)
    np.testing.assert_array_equal(train[:splits[0][0]].numpy(), first[:splits[0][0]])
    np.testing.assert_array_equal(valid[:splits[0][1]].numpy(), first[splits[0][0]:])
    assert train.dtype == torch.float32


def test_training_windows_stride_and_no_tail(three_series):
    mean, scale = fit_scaler(three_series[0])
    train, starts, valid, valid_starts = training_windows(
        three_series[:1], mean, scale, window_size=50, validation_fraction=0.0, train_stride=7,
        device=torch.device("cpu"))
    assert valid is None and valid_starts is None
    assert len(train) == 300
    np.testing.assert_array_equal(starts[:-1], np.arange(0, 250, 7)[:len(starts) - 1])
    assert starts[-1] == 250  # the last window ends at the last row
