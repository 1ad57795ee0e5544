"""Input scaling shared by DDMTDetector and the baselines: the floored
per-feature scale, the clipped z-score, and the count of distinct values.

Pure numpy, no estimator state. :func:`zscore` is the one standardisation
formula; it is written with operators that numpy arrays and torch tensors
share, so the scoring stream applies it to tensors on the device.
"""

import numpy as np

#: Standardised values are clipped to +/- this bound.
CLIP = 10.0
#: The scale of a feature is at least this share of the median positive
#: standard deviation of all features (guards constant training columns).
SCALE_FLOOR = 0.1


def fit_scaler(X, floor=SCALE_FLOOR):
    """Per-feature centre and scale with a floor (by default
    :data:`SCALE_FLOOR`).

    Computed in float64 on a C-ordered copy: the same values give the same
    bits whatever the dtype (float32 or float64) and memory layout of ``X``
    (a float32 sum along a column depends on the order numpy visits it in).
    A constant column gets its value as mean and a standard deviation of 0
    (then floored). NaN (missing values) are left out of the statistics;
    every column must have an observed value.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    floor : float, default=SCALE_FLOOR
        Share of the median positive standard deviation below which no
        scale falls; 0 leaves every feature its own standard deviation.

    Returns
    -------
    mean, scale : ndarray of shape (n_features,), float64
        ``scale = max(std, floor * median(positive stds))``; 1 where that is
        0 (a constant column with ``floor=0``, or every feature constant).
    """
    X = np.array(X, dtype=np.float64, order="C")
    if np.isnan(X).any():  # missing values: statistics of the observed ones
        mean, std = np.nanmean(X, axis=0), np.nanstd(X, axis=0)
        high, low = np.nanmax(X, axis=0), np.nanmin(X, axis=0)
    else:
        mean, std = X.mean(axis=0), X.std(axis=0)
        high, low = X.max(axis=0), X.min(axis=0)
    # A constant column has std 0 and its own value as mean, not the rounding
    # error of the mean (which would make 1e-30 everywhere a scale of 1e-46).
    constant = high == low
    mean[constant], std[constant] = high[constant], 0.0
    scale = floored(std, floor)
    scale[scale == 0] = 1.0
    return mean, scale


def floored(values, floor=SCALE_FLOOR):
    """``max(values, floor * median(positive values))``, elementwise;
    1 everywhere when no value is positive.

    Parameters
    ----------
    values : ndarray of shape (n_features,)
        Non-negative per-feature scales (standard deviations, mean errors).
    floor : float, default=SCALE_FLOOR

    Returns
    -------
    ndarray of shape (n_features,)
    """
    positive = values[values > 0]
    least = floor * float(np.median(positive)) if positive.size else 1.0
    return np.maximum(values, least)


def more_than_two_values(X):
    """Which columns of ``X`` take more than two distinct values.

    One pass per comparison, no sort: the first row gives each column's
    first value, the first row that differs from it the second, and any
    row equal to neither is a third.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)

    Returns
    -------
    ndarray of bool, shape (n_features,)
    """
    missing = np.isnan(X)
    if missing.any():  # a missing value is none of the values: take the first one
        X = np.where(missing, X[missing.argmin(axis=0), np.arange(X.shape[1])], X)
    differs = X != X[0]
    second = X[differs.argmax(axis=0), np.arange(X.shape[1])]
    return (differs & (X != second)).any(axis=0)


def zscore(x, mean, scale):
    """``clip((x - mean) / scale, -CLIP, CLIP)`` for a numpy array or a torch
    tensor (``mean`` and ``scale`` of the same kind); the caller picks the
    precision."""
    return ((x - mean) / scale).clip(-CLIP, CLIP)


def standardise(X, mean, scale, dtype=np.float32):
    """:func:`zscore` of ``X`` in float64, as a new C-ordered array of ``dtype``
    (whatever the layout of ``X``, so that what is fitted on it does not
    depend on that layout)."""
    Z = zscore(np.asarray(X, dtype=np.float64, order="C"), mean, scale)
    return Z.astype(dtype, order="C", copy=False)
