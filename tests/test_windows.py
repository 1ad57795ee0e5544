"""Sliding windows and window -> timestamp aggregation."""

import numpy as np
import pytest

from skddmt._windows import (
    aggregate_windows,
    coverage_counts,
    window_index,
    window_starts,
)


@pytest.mark.parametrize("n, size, stride", [(10, 4, 1), (10, 4, 3), (100, 30, 7), (5, 5, 2)])
def test_window_starts_cover_every_timestamp(n, size, stride):
    """Windows start every `stride` rows and the last one ends at the last row."""
    starts = window_starts(n, size, stride)
    assert starts[0] == 0 and starts[-1] == n - size
    assert np.all(np.diff(starts) > 0) and np.all(np.diff(starts)[:-1] == stride)
    assert np.all(coverage_counts(n, starts, size) >= 1)


@pytest.mark.parametrize("n, size, stride", [(1, 1, 1), (10, 4, 3), (100, 30, 7), (101, 10, 10)])
def test_coverage_counts_count_the_windows_over_each_row(n, size, stride):
    starts = window_starts(n, size, stride)
    brute = np.zeros(n, dtype=np.int64)
    for s in starts:
        brute[s:s + size] += 1
    np.testing.assert_array_equal(coverage_counts(n, starts, size), brute)


def test_window_starts_rejects_long_window():
    with pytest.raises(ValueError, match="exceeds"):
        window_starts(3, 4, 1)


def test_aggregate_equals_brute_force_mean():
    """Each timestamp gets the mean of the scores of the windows that cover it."""
    rng = np.random.default_rng(0)
    n, size = 23, 6
    starts = window_starts(n, size, 4)
    ws = rng.normal(size=(len(starts), size))
    expected = np.zeros(n)
    for t in range(n):
        vals = [ws[k, t - s] for k, s in enumerate(starts) if s <= t < s + size]
        expected[t] = np.mean(vals)
    np.testing.assert_allclose(aggregate_windows(n, starts, ws), expected)


def test_window_index_rows():
    assert window_index(np.array([0, 3]), np.arange(3)).tolist() == [[0, 1, 2], [3, 4, 5]]


def test_gather_windows_on_arrays_and_tensors_alike():
    import torch

    from skddmt._windows import gather_windows

    X = np.arange(20.0).reshape(10, 2)
    starts = np.array([0, 4, 7])
    idx, windows = gather_windows(X, starts, np.arange(3))
    assert windows.shape == (3, 3, 2)
    np.testing.assert_array_equal(windows[1], X[4:7])
    idx_t, windows_t = gather_windows(torch.from_numpy(X), torch.from_numpy(starts),
                                      torch.arange(3))
    np.testing.assert_array_equal(windows_t.numpy(), windows)
    np.testing.assert_array_equal(idx_t.numpy(), idx)
    windows[0, 0, 0] = -1.0  # a new array, not a view of X
    assert X[0, 0] == 0.0
