"""Sliding windows and window -> timestamp aggregation."""

import numpy as np
import pytest

from skddmt._windows import aggregate_windows, coverage_counts, window_index, window_starts


@pytest.mark.parametrize("n, size, stride", [(10, 4, 1), (10, 4, 3), (100, 30, 7), (5, 5, 2)])
def test_window_starts_cover_every_timestamp(n, size, stride):
    """Windows start every `stride` rows and the last one ends at the last row."""
    starts = window_starts(n, size, stride)
    assert starts[0] == 0 and starts[-1] == n - size
    assert np.all(np.diff(starts) > 0) and np.all(np.diff(starts)[:-1] == stride)
    assert np.all(coverage_counts(n, starts, size) >= 1)


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
    assert window_index(np.array([0, 3]), 3).tolist() == [[0, 1, 2], [3, 4, 5]]
