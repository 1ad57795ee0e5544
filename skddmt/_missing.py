"""Missing values (``missing='mask'``): the mean over the observed columns
of a row, and the scores of rows with nothing observed, taken from their
context by linear interpolation.

Pure numpy. A missing value is NaN; the arrays here hold NaN exactly where
an input value was missing.
"""

import numpy as np


def observed_mean(values):
    """Mean of every row over its non-NaN columns; NaN for a row with none.

    Without any NaN this is ``values.mean(axis=1)``, bit for bit.

    Parameters
    ----------
    values : ndarray of shape (n_rows, n_columns)

    Returns
    -------
    ndarray of shape (n_rows,)
    """
    missing = np.isnan(values)
    if not missing.any():
        return values.mean(axis=1)
    count = (~missing).sum(axis=1)
    total = np.where(missing, 0.0, values).sum(axis=1)
    out = np.full(len(values), np.nan)
    np.divide(total, count, out=out, where=count > 0)
    return out


def interpolate_rows(values, causal=False):
    """``values`` with its NaN rows filled in from the nearest rows that have
    a value, linearly in the row index (the first or last such row beyond
    the ends); with ``causal``, from the last earlier row that has a value
    (the first such row before it).

    Parameters
    ----------
    values : ndarray of shape (n_rows,) or (n_rows, n_columns)
        In 2-D, a row is either NaN in every column or in none.
    causal : bool, default=False
        Fill a row from earlier rows only (but the leading NaN rows).

    Returns
    -------
    ndarray of the same shape, float64
        ``values`` itself when no row is NaN.

    Raises
    ------
    ValueError
        If every row is NaN: nothing was observed.
    """
    values = np.asarray(values, dtype=np.float64)
    flat = values if values.ndim == 1 else values[:, 0]
    missing = np.isnan(flat)
    if not missing.any():
        return values
    if missing.all():
        raise ValueError("Every row of the series is missing in the scored columns; "
                         "there is nothing to score.")
    rows = np.arange(len(values))
    known = rows[~missing]
    if causal:
        last = np.maximum.accumulate(np.where(missing, -1, rows))
        return values[np.where(last < 0, known[0], last)]
    out = values.copy()
    if values.ndim == 1:
        out[missing] = np.interp(rows[missing], known, values[known])
    else:
        for j in range(values.shape[1]):
            out[missing, j] = np.interp(rows[missing], known, values[known, j])
    return out
