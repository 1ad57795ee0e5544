"""Series handling: a list of series as input, the split of each series into
a training part and a held-out validation tail, and their upload to the
device as standardised tensors with window starts that never cross from one
series to the next.

Torch and numpy only.
"""

import numpy as np
import torch

from ._preprocessing import standardise
from ._windows import window_starts


def series_list(X):
    """The items of ``X`` when it is a list or tuple of 2-D series, else None.

    A list whose first item is 2-D is a list of series (every item must then
    be 2-D); any other input, a nested list of numbers included, is one
    series and is left to ``validate_data``.
    """
    if not isinstance(X, (list, tuple)) or len(X) == 0:
        return None
    try:
        if np.ndim(X[0]) != 2:
            return None
    except ValueError:  # ragged nested lists: one malformed series
        return None
    for i, item in enumerate(X):
        try:
            ndim = np.ndim(item)
        except ValueError:
            ndim = None
        if ndim != 2:
            raise ValueError(
                f"X is a list of series, so every item must be 2-D "
                f"(n_timestamps, n_features); item {i} is not.")
    return list(X)


def split_lengths(n, validation_fraction, window_size):
    """Lengths of the training part and of the held-out validation tail of a
    series of ``n`` rows; no tail when either part would be shorter than a
    window."""
    n_valid = int(round(validation_fraction * n))
    if n_valid < window_size or n - n_valid < window_size:
        return n, 0
    return n - n_valid, n_valid


def training_windows(arrays, mean, scale, *, window_size, validation_fraction, train_stride,
                     device):
    """Standardised training and validation series on the device, with window
    starts that never cross from one input series to the next.

    Each series is split into a training part and a held-out tail
    (:func:`split_lengths`); the parts are concatenated and each window
    start is offset into its own part, ending at least ``window_size`` rows
    before the part's end. Training windows start every ``train_stride``
    rows, validation windows every ``window_size`` rows.

    Returns
    -------
    train : Tensor of shape (n_rows, n_features), float32
    train_starts : ndarray of int64
    valid : Tensor or None
        None when no series has a validation tail.
    valid_starts : ndarray of int64 or None
    """
    parts = {"train": [], "valid": []}
    starts = {"train": [], "valid": []}
    offsets = {"train": 0, "valid": 0}
    for a in arrays:
        z = standardise(a, mean, scale)
        n_train, n_valid = split_lengths(len(a), validation_fraction, window_size)
        pieces = [("train", z[:n_train], train_stride)]
        if n_valid:
            pieces.append(("valid", z[n_train:], window_size))
        for key, piece, stride in pieces:
            parts[key].append(piece)
            starts[key].append(window_starts(len(piece), window_size, stride) + offsets[key])
            offsets[key] += len(piece)

    def to_device(key):
        if not parts[key]:
            return None, None
        series = torch.as_tensor(np.concatenate(parts[key]), device=device)
        return series, np.concatenate(starts[key])

    return (*to_device("train"), *to_device("valid"))
