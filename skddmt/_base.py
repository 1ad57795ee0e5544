"""The threshold layer shared by every detector of the package."""

import numpy as np


class ThresholdMixin:
    """``decision_function`` and ``predict`` from ``score_samples`` and ``offset_``.

    The class using it provides ``score_samples(X)`` (higher = more normal)
    and sets ``offset_`` in ``fit`` from training data.
    """

    def decision_function(self, X):
        """Shifted normality score: negative for anomalies.

        Parameters
        ----------
        X : array-like of shape (n_timestamps, n_features)

        Returns
        -------
        scores : ndarray of shape (n_timestamps,)
            ``score_samples(X) - offset_``; values < 0 are anomalies.
        """
        return self.score_samples(X) - self.offset_

    def predict(self, X):
        """Label every timestamp as inlier (+1) or anomaly (-1).

        Parameters
        ----------
        X : array-like of shape (n_timestamps, n_features)

        Returns
        -------
        labels : ndarray of shape (n_timestamps,)
            -1 where ``decision_function(X) < 0``, +1 elsewhere.
        """
        decision = self.decision_function(X)
        labels = np.ones(decision.shape[0], dtype=int)
        labels[decision < 0] = -1
        return labels
