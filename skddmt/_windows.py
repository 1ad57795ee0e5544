"""Sliding windows over a series: their starts, the gather of their rows,
and window -> timestamp score aggregation.

Pure numpy, no scikit-learn. :func:`gather_windows` is the one window
gather: it is written with indexing that numpy arrays and torch tensors
share, so training and scoring gather their batches on the device with it.
"""

import numpy as np


def window_starts(n_timestamps, window_size, stride):
    """Start indices of sliding windows that cover every timestamp.

    Windows start at ``0, stride, 2 * stride, ...``; when the last regular
    window stops short of the end of the series, one more window is added
    that ends exactly at the last timestamp, so the tail is always covered.

    Parameters
    ----------
    n_timestamps : int
        Length of the series.
    window_size : int
        Length of each window; must not exceed ``n_timestamps``.
    stride : int
        Step between consecutive window starts, >= 1.

    Returns
    -------
    starts : ndarray of shape (n_windows,), dtype int64
        Sorted, unique start indices.
    """
    if window_size > n_timestamps:
        raise ValueError(
            f"window_size={window_size} exceeds the series length {n_timestamps}."
        )
    if stride < 1:
        raise ValueError(f"stride must be >= 1, got {stride}.")
    last = n_timestamps - window_size
    starts = np.arange(0, last + 1, stride, dtype=np.int64)
    if starts[-1] != last:
        starts = np.append(starts, np.int64(last))
    return starts


def window_index(starts, offsets):
    """Row indices of each window, ``starts[:, None] + offsets``, shape
    (n_windows, window_size).

    ``offsets`` is ``0, 1, ..., window_size - 1``: ``np.arange(window_size)``
    for numpy starts, ``torch.arange(window_size, device=...)`` for a tensor.
    """
    return starts[:, None] + offsets


def gather_windows(series, starts, offsets):
    """The windows of ``series`` that begin at ``starts``.

    Parameters
    ----------
    series : ndarray or Tensor of shape (n_timestamps, n_features)
    starts : ndarray or Tensor of shape (n_windows,), int64
    offsets : ndarray or Tensor of shape (window_size,), int64
        ``0, 1, ..., window_size - 1``, of the same kind as ``starts``.

    Returns
    -------
    idx : ndarray or Tensor of shape (n_windows, window_size)
        Row index of every window position.
    windows : ndarray or Tensor of shape (n_windows, window_size, n_features)
        ``series[idx]``, a new array.
    """
    idx = window_index(starts, offsets)
    return idx, series[idx]


def coverage_counts(n_timestamps, starts, window_size):
    """How many windows cover each timestamp, shape (n_timestamps,).

    A running sum of +1 at each window's start and -1 past its end: memory
    is one integer per timestamp (int32 below 2**31 rows), whatever the
    number of windows.
    """
    starts = np.asarray(starts, dtype=np.int64)
    dtype = np.int32 if n_timestamps < np.iinfo(np.int32).max else np.int64
    steps = np.zeros(n_timestamps + 1, dtype=dtype)
    np.add.at(steps, starts, 1)
    np.add.at(steps, np.minimum(starts + window_size, n_timestamps), -1)
    return np.cumsum(steps, out=steps)[:n_timestamps]


def aggregate_windows(n_timestamps, starts, window_scores):
    """Mean over the covering windows of per-window, per-position scores.

    Reference implementation (all windows in memory); the estimator streams
    the same computation batch by batch.

    Parameters
    ----------
    n_timestamps : int
    starts : ndarray of shape (n_windows,)
    window_scores : ndarray of shape (n_windows, window_size)

    Returns
    -------
    scores : ndarray of shape (n_timestamps,)
    """
    window_scores = np.asarray(window_scores, dtype=np.float64)
    idx = window_index(np.asarray(starts),
                       np.arange(window_scores.shape[1], dtype=np.int64)).ravel()
    sums = np.bincount(idx, weights=window_scores.ravel(), minlength=n_timestamps)
    counts = coverage_counts(n_timestamps, starts, window_scores.shape[1])
    if np.any(counts == 0):
        raise ValueError("some timestamps are not covered by any window.")
    return sums / counts
