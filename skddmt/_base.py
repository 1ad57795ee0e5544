"""The threshold layer shared by every detector of the package."""

import numpy as np


def shifted(scores, offset):
    """``scores - offset``, for one array or a list of them."""
    if isinstance(scores, list):  # a list of series gives a list back
        return [s - offset for s in scores]
    return scores - offset


def labels(decision):
    """-1 where ``decision < 0``, +1 elsewhere, for one array or a list of them."""
    if isinstance(decision, list):
        return [np.where(d < 0, -1, 1) for d in decision]
    return np.where(decision < 0, -1, 1)


class ThresholdMixin:
    """``decision_function`` and ``predict`` from ``score_samples`` and ``offset_``.

    The class using it provides ``score_samples(X)`` (higher = more normal)
    and sets ``offset_`` in ``fit`` from training data. When
    ``score_samples`` returns a list (one array per series), so do
    ``decision_function`` and ``predict``.
    """

    def decision_function(self, X):
        """Shifted normality score: negative for anomalies.

        Parameters
        ----------
        X : array-like of shape (n_timestamps, n_features)
            Or a list of series, for detectors that accept one.

        Returns
        -------
        scores : ndarray of shape (n_timestamps,), or a list of them
            ``score_samples(X) - offset_``; values < 0 are anomalies.
        """
        return shifted(self.score_samples(X), self.offset_)

    def predict(self, X):
        """Label every timestamp as inlier (+1) or anomaly (-1).

        Parameters
        ----------
        X : array-like of shape (n_timestamps, n_features)
            Or a list of series, for detectors that accept one.

        Returns
        -------
        labels : ndarray of shape (n_timestamps,), or a list of them
            -1 where ``decision_function(X) < 0``, +1 elsewhere.
        """
        return labels(self.decision_function(X))
