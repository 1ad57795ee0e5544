"""AttributionMixin: ``feature_scores``, the anomaly score split by feature.

The estimator provides ``_anomaly_score(X, per_feature=True)`` (each
feature's error per timestamp, and the rarity term), the fitted scales,
``score_smoothing``, ``causal`` and ``_each_series`` (:mod:`skddmt._context`); this
mixin turns them into one contribution per feature whose sum over features
is the anomaly score.
"""

import numpy as np

from ._calibration import feature_contributions
from ._thresholds import moving_average


class AttributionMixin:
    """``feature_scores``: which features make up the anomaly score."""

    def feature_scores(self, X, context=None):
        """Each feature's share of the anomaly score of every timestamp.

        The anomaly score ``-score_samples(X)`` is a mean over the scored
        features of their normalised reconstruction errors, then smoothed
        over time; both steps are linear, so it splits exactly into one
        term per feature: column ``j`` is feature ``j``'s normalised error
        divided by the number of scored features, smoothed like the score.
        Columns left out by ``score_features`` get 0. With
        ``rarity='latent'`` the rarity term, which belongs to the whole
        timestamp rather than to one feature, is shared equally among the
        scored features (so it shifts each of them by the same amount and
        leaves their ranking at a timestamp unchanged); with
        ``rarity_combination='max'`` the shared amount is how much the
        rarity's z-score exceeds the imputation term's (nothing where it
        does not), and the imputation term's centre is shared equally too.

        Parameters
        ----------
        X : array-like of shape (n_timestamps, n_features), or a list of them
            Series to score, as for :meth:`score_samples`.
        context : array-like or list, default=None
            The rows before ``X`` in time, as for :meth:`score_samples`.

        Returns
        -------
        contributions : ndarray of shape (n_timestamps, n_features), or a list of them
            Non-negative (except with ``rarity_combination='max'``, whose
            centred terms can be negative); each row sums to that
            timestamp's anomaly score ``-score_samples(X)``, up to
            floating-point rounding (the score is summed in float32 per
            batch, the parts in float64).
        """
        out, multi = self._each_series(X, context, self._feature_parts)
        return out if multi else out[0]

    def _feature_parts(self, X):
        """The contributions of one validated raw series."""
        errors, rarity = self._anomaly_score(X, per_feature=True)
        parts = feature_contributions(errors, self.score_features_, self.feature_error_scale_,
                                      rarity, self._term_standardisation(), self.causal)
        return np.column_stack([moving_average(c, self.score_smoothing, self.causal)
                                for c in parts.T])
