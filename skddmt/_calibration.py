"""Calibration arithmetic: each feature's error scale, the weights that turn
node errors into the score, and the rule that combines the imputation and
rarity terms.

Pure numpy, no estimator state; the estimator's calibration pass feeds it
the per-feature errors of the training series.
"""

import numpy as np

from ._missing import interpolate_rows
from ._preprocessing import floored

#: Quantile of each feature's training errors that divides them with
#: ``error_normalisation='tail'``.
TAIL_QUANTILE = 0.99


def feature_error_scales(errors, normalisation, continuous=None):
    """Divisor of each scored feature's node errors.

    Parameters
    ----------
    errors : ndarray of shape (n_timestamps, n_scored)
        Per-feature errors of the training series (means over the windows
        covering each timestamp); NaN where a value was missing.
    normalisation : {'feature', 'tail', 'kind', 'none'}
        The mean, the :data:`TAIL_QUANTILE` quantile, the mean for the
        ``continuous`` columns and the quantile for the others (``'kind'``),
        or 1; all but the last floored at 10 % of their median over features
        (:func:`~skddmt._preprocessing.floored`).
    continuous : ndarray of bool, shape (n_scored,), optional
        Which columns take more than two distinct training values; needed
        by ``'kind'`` only.

    Returns
    -------
    ndarray of shape (n_scored,)
    """
    missing = np.isnan(errors).any()  # NaN: missing values, left out
    if normalisation == "none":
        return np.ones(errors.shape[1])
    mean = np.nanmean(errors, axis=0) if missing else errors.mean(axis=0)
    if normalisation == "feature":
        return floored(mean)
    tail = (np.nanquantile if missing else np.quantile)(errors, TAIL_QUANTILE, axis=0)
    if normalisation == "tail":
        return floored(tail)
    return floored(np.where(continuous, mean, tail))


def feature_weights(n_features, cols, scales):
    """Per-column weights that turn node errors into the score: the mean over
    the scored columns ``cols`` of their errors divided by ``scales[cols]``
    (0 for the other columns), written as a weighted mean over all
    ``n_features`` columns."""
    weights = np.zeros(n_features)
    weights[cols] = n_features / (len(cols) * scales[cols])
    return weights


def positive_mean(parts):
    """Mean of the concatenated arrays ``parts`` (NaN left out); 1.0 when it
    is not positive."""
    values = np.concatenate(parts)
    mean = float(np.nanmean(values) if np.isnan(values).any() else values.mean())
    return mean if mean > 0 else 1.0


def combine_terms(imputation, rarity, imputation_scale, rarity_scale):
    """The score with the rarity term: each term divided by its training mean
    (``imputation_scale``, ``rarity_scale``), added."""
    return imputation / imputation_scale + rarity / rarity_scale


def feature_contributions(errors, cols, scales, rarity=None, imputation_scale=1.0,
                          rarity_scale=1.0, causal=False):
    """The unsmoothed anomaly score split by feature.

    Column ``j`` in ``cols`` is ``errors[:, j] / scales[j] / len(cols)``,
    divided by ``imputation_scale``, plus ``rarity / rarity_scale /
    len(cols)`` when ``rarity`` is given (the rarity term shared equally);
    the other columns are 0. The rows sum to the score
    (:func:`feature_weights`, :func:`combine_terms`). Where ``errors`` is
    NaN (a missing value), the part is 0 and ``len(cols)`` is the number of
    observed columns of ``cols`` in that row, which also share the rarity;
    a row with none observed gets the parts of its neighbours, interpolated
    (:func:`~skddmt._missing.interpolate_rows`, from earlier rows with
    ``causal``), as its score does.

    Parameters
    ----------
    errors : ndarray of shape (n_timestamps, n_features)
    cols : ndarray of int
    scales : ndarray of shape (n_features,)
    rarity : ndarray of shape (n_timestamps,), optional
    imputation_scale, rarity_scale : float
    causal : bool, default=False

    Returns
    -------
    ndarray of shape (n_timestamps, n_features), float64
    """
    parts = np.zeros(errors.shape, dtype=np.float64)
    observed = ~np.isnan(errors[:, cols])
    if observed.all():
        parts[:, cols] = errors[:, cols] / (scales[cols] * len(cols))
        share = len(cols)
    else:  # missing values: the mean over the observed columns, split
        share = observed.sum(axis=1)[:, None].astype(np.float64)
        share[share == 0] = np.nan  # nothing observed: filled in below
        parts[:, cols] = np.where(observed, errors[:, cols], 0.0) / (scales[cols] * share)
    if rarity is not None:
        parts[:, cols] /= imputation_scale
        parts[:, cols] += observed * (rarity[:, None] / (rarity_scale * share))
    if observed.all():
        return parts
    empty = ~observed.any(axis=1)
    parts[empty] = np.nan
    return interpolate_rows(parts, causal)
