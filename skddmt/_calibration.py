"""Calibration arithmetic: each feature's error scale, the weights that turn
node errors into the score, and the rule that combines the imputation and
rarity terms.

Pure numpy, no estimator state; the estimator's calibration pass feeds it
the per-feature errors of the training series.
"""

import numpy as np

from ._preprocessing import floored

#: Quantile of each feature's training errors that divides them with
#: ``error_normalisation='tail'``.
TAIL_QUANTILE = 0.99


def feature_error_scales(errors, normalisation):
    """Divisor of each scored feature's node errors.

    Parameters
    ----------
    errors : ndarray of shape (n_timestamps, n_scored)
        Per-feature errors of the training series (means over the windows
        covering each timestamp).
    normalisation : {'feature', 'tail', 'none'}
        The mean, the :data:`TAIL_QUANTILE` quantile, or 1; the first two
        floored at 10 % of their median over features
        (:func:`~skddmt._preprocessing.floored`).

    Returns
    -------
    ndarray of shape (n_scored,)
    """
    if normalisation == "feature":
        return floored(errors.mean(axis=0))
    if normalisation == "tail":
        return floored(np.quantile(errors, TAIL_QUANTILE, axis=0))
    return np.ones(errors.shape[1])


def feature_weights(n_features, cols, scales):
    """Per-column weights that turn node errors into the score: the mean over
    the scored columns ``cols`` of their errors divided by ``scales[cols]``
    (0 for the other columns), written as a weighted mean over all
    ``n_features`` columns."""
    weights = np.zeros(n_features)
    weights[cols] = n_features / (len(cols) * scales[cols])
    return weights


def positive_mean(parts):
    """Mean of the concatenated arrays ``parts``; 1.0 when it is not positive."""
    mean = float(np.concatenate(parts).mean())
    return mean if mean > 0 else 1.0


def combine_terms(imputation, rarity, imputation_scale, rarity_scale):
    """The score with the rarity term: each term divided by its training mean
    (``imputation_scale``, ``rarity_scale``), added."""
    return imputation / imputation_scale + rarity / rarity_scale


def feature_contributions(errors, cols, scales, rarity=None, imputation_scale=1.0,
                          rarity_scale=1.0):
    """The unsmoothed anomaly score split by feature.

    Column ``j`` in ``cols`` is ``errors[:, j] / scales[j] / len(cols)``,
    divided by ``imputation_scale``, plus ``rarity / rarity_scale /
    len(cols)`` when ``rarity`` is given (the rarity term shared equally);
    the other columns are 0. The rows sum to the score
    (:func:`feature_weights`, :func:`combine_terms`).

    Parameters
    ----------
    errors : ndarray of shape (n_timestamps, n_features)
    cols : ndarray of int
    scales : ndarray of shape (n_features,)
    rarity : ndarray of shape (n_timestamps,), optional
    imputation_scale, rarity_scale : float

    Returns
    -------
    ndarray of shape (n_timestamps, n_features), float64
    """
    parts = np.zeros(errors.shape, dtype=np.float64)
    parts[:, cols] = errors[:, cols] / (scales[cols] * len(cols))
    if rarity is not None:
        parts[:, cols] /= imputation_scale
        parts[:, cols] += (rarity / (rarity_scale * len(cols)))[:, None]
    return parts
