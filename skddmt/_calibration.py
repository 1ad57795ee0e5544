"""Calibration arithmetic: each feature's error scale, the weights that turn
node errors into the score, and the rules that combine the imputation and
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


#: How ``rarity_combination`` puts the two terms together.
COMBINATIONS = ("sum", "max")


def term_standardisation(parts, combination):
    """``(centre, scale)`` of one term of the score from its training values
    ``parts`` (a list of arrays, NaN left out).

    ``'sum'``: ``(0, mean)``, the term divided by its training mean
    (:func:`positive_mean`). ``'max'``: ``(mean, std)``, the term made a
    z-score of its training distribution; a std that is not positive
    gives 1.0.
    """
    if combination == "sum":
        return 0.0, positive_mean(parts)
    values = np.concatenate(parts).astype(np.float64)
    values = values[~np.isnan(values)]
    if not len(values):
        return 0.0, 1.0
    std = float(values.std())
    return float(values.mean()), std if std > 0 else 1.0


def shifted_to_non_negative(imputation, rarity):
    """The ``(centre, scale)`` pairs of the two terms with ``'max'``, their
    z-scores all raised by one constant, the least that keeps the combined
    score non-negative for non-negative terms: ``min(mean / std)`` standard
    deviations, taken off each centre.

    The larger z-score of two terms that are never negative is at least
    ``-min(mean / std)``, so the shifted score is never negative; it ranks
    timestamps as the z-scores do and gives the same quantile thresholds,
    and the log-scale rule of ``contamination='auto'`` applies to it as to
    any error score.
    """
    terms = (imputation, rarity)
    shift = min(centre / scale for centre, scale in terms)
    # the term with the least mean / std gets centre 0 exactly
    return tuple((max(0.0, centre - shift * scale) if centre / scale > shift else 0.0, scale)
                 for centre, scale in terms)


def combine_terms(imputation, rarity, imputation_scale, rarity_scale, imputation_centre=0.0,
                  rarity_centre=0.0, combination="sum"):
    """The score with the rarity term: each term standardised,
    ``(term - centre) / scale`` (:func:`term_standardisation`), then added
    (``combination='sum'``) or the larger of the two taken (``'max'``)."""
    imputation = (imputation - imputation_centre) / imputation_scale
    rarity = (rarity - rarity_centre) / rarity_scale
    if combination == "max":
        return np.maximum(imputation, rarity)
    return imputation + rarity


def feature_contributions(errors, cols, scales, rarity=None, terms=None, causal=False):
    """The unsmoothed anomaly score split by feature.

    Column ``j`` in ``cols`` is ``errors[:, j] / scales[j] / len(cols)``;
    the other columns are 0. When ``rarity`` is given, the imputation term
    is standardised as :func:`combine_terms` does (its centre shared
    equally among the columns), and the rarity term, standardised, is shared
    equally too: with ``'sum'`` both are added; with ``'max'`` a row holds
    the imputation parts plus an equal share of how much the rarity term
    exceeds the imputation term there (nothing where it does not). Either
    way the rarity shifts every column of a row alike, so the columns rank
    as their errors do. The rows sum to the
    score (:func:`feature_weights`, :func:`combine_terms`). Where ``errors`` is
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
    terms : dict, optional
        With ``rarity``: the keyword arguments of :func:`combine_terms`
        after the two terms (scales, centres and ``combination``).
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
        parts[:, cols] = _combined_parts(parts[:, cols], observed, share, rarity, **terms)
    if observed.all():
        return parts
    empty = ~observed.any(axis=1)
    parts[empty] = np.nan
    return interpolate_rows(parts, causal)


def _combined_parts(imputation, observed, share, rarity, imputation_scale, rarity_scale,
                    imputation_centre=0.0, rarity_centre=0.0, combination="sum"):
    """The scored columns' parts of :func:`combine_terms`: ``imputation`` is
    the imputation term split over the ``observed`` columns (``share`` of
    them per row); each term's centre and the rarity are shared equally."""
    imputation = (imputation - observed * (imputation_centre / share)) / imputation_scale
    rarity = observed * ((rarity - rarity_centre)[:, None] / (rarity_scale * share))
    if combination == "sum":
        return imputation + rarity
    # 'max': the imputation parts, plus an equal share of the rarity's excess
    # over the imputation term where the rarity is the larger
    excess = np.maximum(rarity.sum(axis=1) - imputation.sum(axis=1), 0.0)
    return imputation + observed * (excess[:, None] / share)
