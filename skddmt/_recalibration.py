"""RecalibrationMixin: ``recalibrate``, which re-runs the calibration pass
of ``fit`` after a change of scoring parameters, and refuses any other
change.

The estimator provides ``SCORING_PARAMS``, ``NEUTRAL_PARAMS`` and
``_calibrate``; this mixin knows which parameters a trained model depends on.
"""

from sklearn.utils.validation import check_is_fitted

from ._params import changed_params
from ._validation import validate_series


class RecalibrationMixin:
    """``recalibrate`` and the parameters a trained model depends on."""

    def _training_params(self):
        """The parameters that shape the trained model, by name."""
        free = set(self.SCORING_PARAMS) | set(self.NEUTRAL_PARAMS)
        if self.timestep_sampling != "uniform":  # training then draws the scoring steps
            free.discard("n_reverse_steps")
        return {k: v for k, v in self.get_params(deep=False).items() if k not in free}

    def recalibrate(self, X):
        """Set the score normalisation and the threshold again, without training.

        After changing a scoring parameter of a fitted model (see
        ``SCORING_PARAMS``: ``contamination``, ``n_reverse_steps``,
        ``n_samples``, ``score_stride``, ``score_features``,
        ``error_normalisation``, ``rarity``, ``score_smoothing``) with ``set_params``,
        ``feature_error_scale_``, ``score_features_``, the rarity centroids and
        scales and ``offset_`` still belong to the old values.
        This scores the (normal) training series once with the new values and
        sets them again: with the training series of ``fit``, the result is
        the model a fresh ``fit`` with the new parameters would give, at the
        cost of one scoring pass. With ``timestep_sampling='scoring'``,
        training depends on ``n_reverse_steps``, which then needs a new fit.

        Parameters
        ----------
        X : array-like of shape (n_timestamps, n_features), or a list of them
            Normal series, as given to ``fit`` (the training series, or other
            normal data from the same source).

        Returns
        -------
        self : DDMTDetector
            The recalibrated estimator.

        Raises
        ------
        ValueError
            If a parameter other than the scoring ones changed since ``fit``
            (the message names it), or if ``X`` does not match the fitted
            model (feature count, NaN or inf, too few rows).
        """
        check_is_fitted(self)
        self._validate_params()
        trained_with = getattr(self, "_trained_with", None)  # None: pickled before it was kept
        if trained_with is not None:
            now = self._training_params()
            changed = changed_params(trained_with, now)
            if changed:
                raise ValueError(
                    f"{', '.join(changed)} changed since fit, and the trained model depends "
                    f"on {'it' if len(changed) == 1 else 'them'}: call fit again. "
                    f"recalibrate follows changes of {', '.join(self.SCORING_PARAMS)} only"
                    + (" (and not n_reverse_steps with timestep_sampling='scoring')."
                       if self.timestep_sampling != "uniform" else "."))
        arrays, _ = validate_series(self, X, reset=False, ensure_min_samples=2)
        self._calibrate(arrays)
        return self
