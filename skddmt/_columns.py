"""Column specs: the ``score_features`` parameter (indices, names,
``'continuous'`` or None) resolved to sorted column indices.

Pure numpy.
"""

import numpy as np

from ._preprocessing import more_than_two_values


def resolve_columns(spec, n_features, feature_names, training):
    """Validated, sorted column indices of a column spec.

    Parameters
    ----------
    spec : None, 'continuous' or array-like of int or str
        None means every column; ``'continuous'`` the columns that take more
        than two distinct values in ``training``; integers are indices
        (negative ones count from the end); strings are column names.
    n_features : int
    feature_names : ndarray of str or None
        The column names seen in ``fit``, if any.
    training : list of ndarray
        The validated training series (``'continuous'`` counts their
        distinct values).

    Returns
    -------
    ndarray of int64
        Sorted, unique indices.

    Raises
    ------
    ValueError
        If the spec is empty, not 1-d, repeats a column, names a column not
        seen in ``fit`` or gives an index out of range; the message names
        the problem.
    """
    n = n_features
    if spec is None:
        return np.arange(n)
    if isinstance(spec, str):  # 'continuous', the only option
        idx = np.flatnonzero(more_than_two_values(
            np.concatenate(training) if len(training) > 1 else training[0]))
        if idx.size == 0:
            raise ValueError("score_features='continuous' found no column with more "
                             "than two distinct values in the training series; every "
                             "column is constant or on/off. Name the columns to score.")
        return idx
    items = np.asarray(spec)
    if items.ndim != 1 or items.size == 0:
        raise ValueError("score_features must be a non-empty 1-d list of column indices "
                         f"or names; got {spec!r}.")
    if items.dtype.kind in "OUS":
        if feature_names is None:
            raise ValueError("score_features holds column names, but X had no string "
                             "column names in fit; pass column indices instead.")
        lookup = {str(name): i for i, name in enumerate(feature_names)}
        missing = [str(x) for x in items if str(x) not in lookup]
        if missing:
            raise ValueError(f"score_features names columns not seen in fit: {missing}.")
        idx = np.array([lookup[str(x)] for x in items])
    elif items.dtype.kind in "iu":
        idx = items.astype(np.int64)
        if idx.min() < -n or idx.max() >= n:
            raise ValueError(f"score_features indices must lie in [-{n}, {n - 1}] "
                             f"(the model has {n} features); got {idx.tolist()}.")
        idx = idx % n
    else:
        raise ValueError("score_features must hold integer column indices or column "
                         f"names; got dtype {items.dtype}.")
    if len(np.unique(idx)) != len(idx):
        raise ValueError(f"score_features repeats a column: {spec!r}.")
    return np.sort(idx)
