"""One function over the series of a list, in parallel through joblib.

The backend is joblib's current one (``joblib.parallel_config``), so
processes (loky, the default), threads or a Dask cluster can serve. No
torch or scikit-learn here.
"""

from joblib import Parallel, delayed


def map_series(function, series, n_jobs):
    """``[function(s) for s in series]``, in parallel when ``n_jobs`` asks for it.

    Parameters
    ----------
    function : callable
        Picklable (a bound method of a fitted estimator is) when the backend
        runs in other processes.
    series : list
    n_jobs : int or None
        As in scikit-learn: None means 1 unless a ``joblib.parallel_config``
        context says otherwise, -1 means all processors. A single series is
        always handled here, without a worker.

    Returns
    -------
    list
        The results, in the order of ``series``.
    """
    if len(series) <= 1:
        return [function(s) for s in series]
    return Parallel(n_jobs=n_jobs)(delayed(function)(s) for s in series)
