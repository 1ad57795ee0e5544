"""ContextScoringMixin: ``score_samples``, ``decision_function`` and
``predict`` of a series or a list of series, each optionally with its
*context*, the rows that come before it in time; the series of a list are
scored in parallel (joblib, ``n_jobs``).

The estimator provides ``_anomaly_score(X)`` (the anomaly score of one
validated raw series), ``offset_``, ``n_jobs``, ``missing``, ``causal``,
``window_size_`` and ``score_smoothing``. A series and its context are
scored as one series and only the series' own rows are kept, so the cost of
a call grows with ``len(context) + len(X)`` and the rows of ``X`` see the
context as a batch scoring of the whole history would. In the causal mode
the context is first cut to the rows that ``X``'s scores depend on
(:func:`context_reach`), so the cost grows with ``len(X)`` only.
"""

import numpy as np
from sklearn.utils import metadata_routing
from sklearn.utils.validation import check_is_fitted

from ._base import labels, shifted
from ._parallel import map_series
from ._validation import validate_series


def validate_contexts(estimator, context, n_series, multi):
    """The validated context of each series (None where there is none).

    Parameters
    ----------
    estimator : BaseEstimator
        Fitted; the context must match its features, as ``X`` does.
    context : None, array-like of shape (n_rows, n_features), or a list of them
        A list (with None items allowed) when ``X`` is a list of series,
        one item per series.
    n_series : int
    multi : bool
        Whether ``X`` was a list.

    Returns
    -------
    list of (ndarray or None), one per series

    Raises
    ------
    ValueError
        If the context of a list is not a list of the same length, or a
        context does not pass the checks ``X`` passes (the message names
        the context, and the series of a list).
    """
    if context is None:
        return [None] * n_series
    if multi:
        if not isinstance(context, (list, tuple)) or len(context) != n_series:
            raise ValueError(
                f"X is a list of {n_series} series, so context must be a list of "
                f"{n_series} items (an array or None for each series), or None.")
        items = list(context)
    else:
        items = [context]
    out = []
    for i, item in enumerate(items):
        if item is None or (hasattr(item, "__len__") and len(item) == 0):
            out.append(None)
            continue
        try:
            arrays, listed = validate_series(estimator, item, reset=False,
                                             allow_nan=estimator.missing == "mask")
        except ValueError as exc:
            where = f"The context of series {i}" if multi else "The context"
            raise type(exc)(f"{where}: {exc}") from exc
        if listed:
            raise ValueError("context must be one 2-D array per series, not a list of them"
                             + (f" (series {i})." if multi else "."))
        out.append(arrays[0])
    return out


def context_reach(window_size, smoothing):
    """How many rows before a timestamp its causal score depends on: its
    window's ``window_size - 1`` and, through the trailing smoothing, the
    windows of the ``smoothing - 1`` timestamps before it."""
    return window_size + smoothing - 2


class ContextScoringMixin:
    """Scoring of series with their context, in parallel over a list."""

    # ``context`` is the caller's own earlier rows, not per-sample metadata
    # for a meta-estimator to route: no ``set_{method}_request`` methods.
    __metadata_request__score_samples = {"context": metadata_routing.UNUSED}
    __metadata_request__decision_function = {"context": metadata_routing.UNUSED}
    __metadata_request__predict = {"context": metadata_routing.UNUSED}

    def _each_series(self, X, context, function):
        """``function`` of every validated series of ``X`` with its context
        prepended, cut back to the series' own rows; and whether ``X`` was a
        list."""
        check_is_fitted(self)
        arrays, multi = validate_series(self, X, reset=False, allow_nan=self.missing == "mask")
        contexts = validate_contexts(self, context, len(arrays), multi)
        if self.causal:
            reach = context_reach(self.window_size_, self.score_smoothing)
            contexts = [None if c is None or reach == 0 else c[max(0, len(c) - reach):]
                        for c in contexts]
        joined = [a if c is None else np.concatenate([c, a]) for a, c in zip(arrays, contexts)]
        out = map_series(function, joined, self.n_jobs)
        return [o if c is None else o[len(c):] for o, c in zip(out, contexts)], multi

    def score_samples(self, X, context=None):
        """Normality score of every timestamp (the opposite of the anomaly score).

        Parameters
        ----------
        X : array-like of shape (n_timestamps, n_features), or a list of them
            Series to score, rows in time order. Each series of a list is
            scored on its own, with the same noise as if it were given alone;
            with ``n_jobs``, the series are scored in parallel.
        context : array-like of shape (n_rows, n_features), or a list, default=None
            The rows that come just before ``X`` in time, e.g. the last few
            hundred rows of a stream already scored. ``X``'s rows are scored
            as the end of the series ``context`` + ``X`` and only they are
            returned: exactly ``score_samples(concatenate([context, X]))[len(context):]``,
            at a cost that grows with ``len(context) + len(X)``. For a list
            ``X``, a list with one context (or None) per series. The last
            rows of ``X`` lack the future rows that a later, longer call
            would see (user guide, section 11). With ``causal=True`` they
            need none: the context is cut to its last ``window_size_ +
            score_smoothing - 2`` rows (those ``X``'s scores depend on) and
            then scored as above, so the cost grows with ``len(X)`` only.

        Returns
        -------
        scores : ndarray of shape (n_timestamps,), or a list of them
            Higher means more normal; ``-score_samples(X)`` is the mean
            squared standardised reconstruction error of each timestamp.
            A list input gives a list of score arrays, in the same order.
        """
        scores, multi = self._each_series(X, context, self._anomaly_score)
        scores = [np.negative(s) for s in scores]
        return scores if multi else scores[0]

    def decision_function(self, X, context=None):
        """Shifted normality score: negative for anomalies.

        Parameters
        ----------
        X : array-like of shape (n_timestamps, n_features), or a list of them
            As for :meth:`score_samples`.
        context : array-like or list, default=None
            As for :meth:`score_samples`.

        Returns
        -------
        scores : ndarray of shape (n_timestamps,), or a list of them
            ``score_samples(X, context) - offset_``; values < 0 are anomalies.
        """
        return shifted(self.score_samples(X, context=context), self.offset_)

    def predict(self, X, context=None):
        """Label every timestamp as inlier (+1) or anomaly (-1).

        Takes the same ``X`` and ``context`` as :meth:`decision_function`.

        Returns
        -------
        labels : ndarray of shape (n_timestamps,), or a list of them
            -1 where ``decision_function(X, context) < 0``, +1 elsewhere.
        """
        return labels(self.decision_function(X, context=context))
