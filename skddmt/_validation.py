"""Input validation of the estimator: a series or a list of series, checked
by scikit-learn's ``validate_data`` against the fitted state, as float
arrays.
"""

import numpy as np
from sklearn.utils.validation import validate_data

from ._series import series_list

#: The dtypes a validated series may have; anything else becomes float64.
FLOAT_DTYPES = (np.float64, np.float32)


def validate_series(estimator, X, *, reset, **kwargs):
    """Validated arrays of a series or a list of series, and whether ``X``
    was a list.

    Parameters
    ----------
    estimator : BaseEstimator
        Receives (``reset=True``) or checks ``n_features_in_`` and
        ``feature_names_in_``; with a list, the first series sets them.
    X : array-like of shape (n_timestamps, n_features), or a list of them
    reset : bool
    **kwargs
        Passed on to ``validate_data`` (``ensure_min_samples``, ...).

    Returns
    -------
    arrays : list of ndarray
        float64 or float32 (kept when the input is float32), not copied when
        the input already is one of them.
    multi : bool
        True when ``X`` was a list of series.
    """
    series = series_list(X)
    if series is None:
        return [validate_data(estimator, X, dtype=list(FLOAT_DTYPES), reset=reset,
                              **kwargs)], False
    arrays = []
    for i, item in enumerate(series):
        try:
            arrays.append(validate_data(estimator, item, dtype=list(FLOAT_DTYPES),
                                        reset=reset and i == 0, **kwargs))
        except ValueError as exc:
            raise ValueError(f"Series {i} of the list: {exc}") from exc
    return arrays, True
