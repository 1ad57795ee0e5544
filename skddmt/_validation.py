"""Input validation of the estimator: a series or a list of series, checked
by scikit-learn's ``validate_data`` against the fitted state, as float
arrays; and the checks between parameters that the estimator's table of
constraints cannot express (:func:`check_param_consistency`).

When numpy, pandas or scikit-learn cannot turn the input into floats, the
cause is looked for in the input (a column of strings, complex numbers,
missing values numpy does not know, ...) and reported as a ``ValueError``
in plain words, chained to the original error. Training values must also
be small enough for their standardisation statistics (:data:`MAX_MAGNITUDE`).
"""

import reprlib

import numpy as np
from sklearn.utils.validation import validate_data

from ._series import series_list

#: The dtypes a validated series may have; anything else becomes float64.
FLOAT_DTYPES = (np.float64, np.float32)
#: Largest magnitude of a training value: the standardisation statistics
#: (float64 sums of squares) must not overflow.
MAX_MAGNITUDE = 1e100
#: Short reprs of the values quoted in messages.
_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = 40


class InputTypeError(ValueError, TypeError):
    """Bad input that numpy or scikit-learn reported as a ``TypeError``.

    A ``ValueError``, like every other rejection of bad input, that is still
    a ``TypeError`` for callers (and scikit-learn's estimator checks) that
    expect the type numpy raises for, e.g., an object array holding dicts.
    """


def check_param_consistency(est):
    """Raise a ``ValueError`` naming the parameters of ``est`` (a
    ``DDMTDetector``) that are valid alone but not together."""
    if est.d_model % est.n_heads:
        raise ValueError(f"d_model={est.d_model} must be divisible by n_heads={est.n_heads}.")
    if est.beta_end <= est.beta_start:
        raise ValueError(
            f"beta_end={est.beta_end} must be larger than beta_start={est.beta_start}.")
    if est.t_start is not None and est.t_start > est.n_diffusion_steps:
        raise ValueError(
            f"t_start={est.t_start} exceeds n_diffusion_steps={est.n_diffusion_steps}.")


def validate_series(estimator, X, *, reset, allow_nan=False, **kwargs):
    """Validated arrays of a series or a list of series, and whether ``X``
    was a list.

    Parameters
    ----------
    estimator : BaseEstimator
        Receives (``reset=True``) or checks ``n_features_in_`` and
        ``feature_names_in_``; with a list, the first series sets them.
    X : array-like of shape (n_timestamps, n_features), or a list of them
    reset : bool
        True in ``fit``: the values are also checked against
        :data:`MAX_MAGNITUDE` (:func:`check_magnitude`).
    allow_nan : bool, default=False
        Accept NaN (missing values; infinity is still refused). In ``fit``,
        every column must then have an observed value.
    **kwargs
        Passed on to ``validate_data`` (``ensure_min_samples``, ...).

    Returns
    -------
    arrays : list of ndarray
        float64 or float32 (kept when the input is float32), not copied when
        the input already is one of them.
    multi : bool
        True when ``X`` was a list of series.

    Raises
    ------
    ValueError
        Naming the problem: NaN or infinity, non-numeric values (strings,
        complex numbers, ...; the message names the column), the number of
        dimensions, too few rows, a feature count or names that differ from
        ``fit``, training values beyond :data:`MAX_MAGNITUDE`. With a list, the message
        starts with the series it is about.
    """
    series = series_list(X)
    if series is None:
        arrays = [_validate_one(estimator, X, reset=reset, allow_nan=allow_nan, **kwargs)]
    else:
        arrays = []
        for i, item in enumerate(series):
            try:
                arrays.append(_validate_one(estimator, item, reset=reset and i == 0,
                                            allow_nan=allow_nan, **kwargs))
            except ValueError as exc:
                error = InputTypeError if isinstance(exc, TypeError) else ValueError
                raise error(f"Series {i} of the list: {exc}") from exc
    if reset:
        check_magnitude(arrays)
    return arrays, series is not None


def _validate_one(estimator, X, *, reset, allow_nan=False, **kwargs):
    """``validate_data`` of one series, with a plain message when ``X``
    cannot be read as numbers."""
    complex_problem = _complex_column_problem(X)
    if complex_problem is not None:
        raise ValueError(complex_problem)
    try:
        # sklearn's finiteness check sums X: +inf and -inf together would warn
        # ("invalid value") before the ValueError that names them
        with np.errstate(invalid="ignore", over="ignore"):
            return validate_data(estimator, X, dtype=list(FLOAT_DTYPES), reset=reset,
                                 ensure_all_finite="allow-nan" if allow_nan else True,
                                 **kwargs)
    except (TypeError, ValueError) as exc:
        problem = describe_non_numeric(X)
        error = InputTypeError if isinstance(exc, TypeError) else ValueError
        if problem is not None:
            # the original text stays in a TypeError, for callers that match it
            raise error(f"{problem} ({exc})" if error is InputTypeError else problem) from exc
        if error is InputTypeError:
            raise error(str(exc)) from exc
        raise


def _complex_column_problem(X):
    """The message about the first complex column of a DataFrame, or None.

    Checked before ``validate_data``: beside a pandas nullable column, it
    casts complex columns to float (a ``ComplexWarning``) and accepts them.
    """
    dtypes = getattr(X, "dtypes", None)
    if not hasattr(X, "columns") or dtypes is None:
        return None
    for j, dtype in enumerate(dtypes):
        if getattr(dtype, "kind", None) == "c":
            return _column_problem(repr(X.columns[j]), X.iloc[:, j].to_numpy())
    return None


def describe_non_numeric(X):
    """Why ``X`` cannot become a float array, in words, or None when no
    such cause is found (the input is then bad in another way).

    Only called once validation has failed, so it may take a pass over ``X``.

    Parameters
    ----------
    X : array-like

    Returns
    -------
    str or None
    """
    if hasattr(X, "columns") and hasattr(X, "iloc"):  # a DataFrame
        if any(str(dtype).startswith("Sparse") for dtype in X.dtypes):
            return ("X has sparse columns (pandas SparseDtype), but DDMTDetector needs "
                    "dense data: pass X.sparse.to_dense().")
        columns = ((repr(name), X.iloc[:, j].to_numpy())
                   for j, name in enumerate(X.columns))
    else:
        try:
            arr = np.asarray(X)
        except (TypeError, ValueError) as exc:  # ragged nested lists
            return f"X must be a 2-D array of numbers with rows of equal length; {exc}"
        if arr.dtype.names is not None:
            return ("X is a structured array (named fields); pass a plain 2-D array of "
                    "numbers, e.g. with numpy.lib.recfunctions.structured_to_unstructured.")
        if arr.ndim == 0:  # not array-like (a sparse matrix, a scalar, ...)
            return None
        columns = ([(str(j), arr[:, j]) for j in range(arr.shape[1])] if arr.ndim == 2
                   else [(None, arr.ravel())])
    for name, column in columns:
        problem = _column_problem(name, column)
        if problem is not None:
            return problem
    return None


def _column_problem(name, column):
    """What keeps the 1-D array ``column`` from becoming floats, as a
    sentence naming it (``name`` None: all of ``X``), or None."""
    if column.dtype.kind == "c":
        value = column[0] if column.size else 0j
    elif column.dtype.kind in "OUS":
        value = _first_unconvertible(column)
        if value is None:
            return None
    else:
        return None
    value = value.item() if isinstance(value, np.generic) else value
    where = "X" if name is None else f"column {name}"
    if isinstance(value, (str, bytes)):
        return (f"DDMTDetector could not convert X to numbers: {where} holds strings such "
                f"as {_REPR.repr(value)}.")
    if isinstance(value, complex):
        return (f"Complex data not supported: X must hold real numbers; {where} "
                f"holds complex numbers such as {_REPR.repr(value)}.")
    if _is_missing(value):
        return f"Input X contains NaN: {where} holds missing values such as {_REPR.repr(value)}."
    return (f"DDMTDetector could not convert X to numbers: {where} holds values of type "
            f"{type(value).__name__} such as {_REPR.repr(value)}.")


def _first_unconvertible(column):
    """The first item of a 1-D array (of objects or strings) that float64
    cannot take, or None. A bisection: about two passes over the column."""
    def converts(items):
        try:
            np.asarray(items, dtype=np.float64)
        except (TypeError, ValueError):
            return False
        return True

    if converts(column):
        return None
    lo, hi = 0, len(column)  # column[lo:hi] does not convert
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if converts(column[lo:mid]):
            lo = mid
        else:
            hi = mid
    return column[lo]


def _is_missing(value):
    """Whether ``value`` is a missing-value marker that float64 cannot take
    (``pandas.NA``, ``NaT``)."""
    return type(value).__name__ in ("NAType", "NaTType")


def check_magnitude(arrays):
    """Check that training values are small enough for the statistics.

    The mean and standard deviation of each column are float64 sums (of
    squares): beyond +/-:data:`MAX_MAGNITUDE` they could overflow and give
    NaN scores. Scored series may hold any finite value (standardised values
    are clipped). One pass of ``min`` and ``max`` per series, no copy.

    Parameters
    ----------
    arrays : list of ndarray of shape (n_timestamps, n_features)
        Validated series (finite values, or NaN where missing values are allowed).

    Raises
    ------
    ValueError
        Naming the first column out of range, or the first column with no
        observed value (NaN throughout, where missing values are allowed).
    """
    if any(np.isnan(a).any() for a in arrays):  # missing values (allow_nan)
        low = np.fmin.reduce([_column_extreme(np.fmin, a) for a in arrays], axis=0)
        high = np.fmax.reduce([_column_extreme(np.fmax, a) for a in arrays], axis=0)
        unobserved = np.flatnonzero(np.isnan(low))
        if unobserved.size:
            raise ValueError(
                f"Column {unobserved[0]} of X has no observed value in the training "
                f"series (all NaN): nothing to learn it from; drop the column.")
    else:
        low = np.min([a.min(axis=0) for a in arrays], axis=0)
        high = np.max([a.max(axis=0) for a in arrays], axis=0)
    low, high = low.astype(np.float64), high.astype(np.float64)
    largest = np.maximum(np.abs(low), np.abs(high))
    too_large = np.flatnonzero(largest > MAX_MAGNITUDE)
    if too_large.size:
        j = too_large[0]
        raise ValueError(
            f"X holds values too large for DDMTDetector: column {j} reaches "
            f"{largest[j]:.3g}, beyond +/-{MAX_MAGNITUDE:.0e}, where the standardisation "
            f"statistics could overflow; rescale the column.")


def _column_extreme(ufunc, a):
    """The least (``np.fmin``) or largest (``np.fmax``) value of every column
    of ``a``, ignoring NaN, NaN for a column with none; no warning."""
    return ufunc.reduce(a, axis=0, initial=np.nan)
