"""RecalibrationMixin: the calibration pass of ``fit`` (score scales,
rarity centroids, threshold) and ``recalibrate``, which re-runs it after a
change of scoring parameters and refuses any other change.

The estimator provides ``SCORING_PARAMS``, ``NEUTRAL_PARAMS``, the trained
modules and ``_anomaly_score``; this mixin knows which parameters a trained
model depends on and how its scores are calibrated on the training series.
"""

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ._calibration import (combine_terms, feature_error_scales, feature_weights,
                           shifted_to_non_negative, term_standardisation)
from ._columns import resolve_columns
from ._missing import observed_mean
from ._parallel import map_series
from ._params import changed_params
from ._preprocessing import more_than_two_values
from ._rarity import fit_centroids
from ._scoring import stream_latents
from ._thresholds import offset_from_training
from ._validation import validate_series
from ._windows import window_starts


class RecalibrationMixin:
    """The calibration pass, ``recalibrate`` and the parameters a trained
    model depends on."""

    def _calibrate(self, arrays):
        """Set ``feature_error_scale_``, the rarity centroids, the terms'
        scales and centres, and ``offset_`` from validated training series,
        with the current scoring parameters.

        One pass over the training series gives each feature's error per
        timestamp (and the rarity); the per-feature scale, the terms' scales
        and centres and the training scores (for ``offset_``) all follow from
        it. Training does not depend on
        ``n_reverse_steps``, ``n_samples`` or ``score_stride`` when
        ``timestep_sampling='uniform'``, so after changing only those, this
        gives the model a fresh ``fit`` would.
        """
        self.score_features_ = self._resolve_score_features(arrays)
        cols = self.score_features_
        self.rarity_centroids_ = (self._fit_centroids(arrays) if self.rarity == "latent"
                                  else np.zeros((0, self.d_model), dtype=np.float32))
        self.imputation_scale_ = self.rarity_scale_ = 1.0
        self.imputation_centre_ = self.rarity_centre_ = 0.0
        passes = map_series(self._feature_errors, arrays, self.n_jobs)
        per_series = [errors[:, cols] for errors, _ in passes]
        self.feature_error_scale_ = np.ones(self.n_features_in_)
        continuous = (more_than_two_values(np.concatenate(arrays))[cols]
                      if self.error_normalisation == "kind" else None)
        self.feature_error_scale_[cols] = feature_error_scales(
            np.concatenate(per_series), self.error_normalisation, continuous)
        imputation = [observed_mean(e / self.feature_error_scale_[cols]) for e in per_series]
        if self.rarity == "latent":
            rarity = [r for _, r in passes]
            terms = (term_standardisation(imputation, self.rarity_combination),
                     term_standardisation(rarity, self.rarity_combination))
            if self.rarity_combination == "max":
                terms = shifted_to_non_negative(*terms)
            self.imputation_centre_, self.imputation_scale_ = terms[0]
            self.rarity_centre_, self.rarity_scale_ = terms[1]
            imputation = [self._combine(i, r) for i, r in zip(imputation, rarity)]
        train_scores = np.concatenate([self._smoothed(i) for i in imputation])
        self.offset_ = offset_from_training(train_scores, self.contamination)

    def _combine(self, imputation, rarity):
        """The score of ``rarity='latent'`` (:func:`~skddmt._calibration.combine_terms`)."""
        return combine_terms(imputation, rarity, **self._term_standardisation())

    def _term_standardisation(self):
        """The fitted scales and centres of the two terms and the rule that
        combines them, as keyword arguments of
        :func:`~skddmt._calibration.combine_terms`."""
        return {"imputation_scale": self.imputation_scale_, "rarity_scale": self.rarity_scale_,
                "imputation_centre": self.imputation_centre_,
                "rarity_centre": self.rarity_centre_, "combination": self.rarity_combination}

    def _fit_centroids(self, arrays):
        """Centroids of the latents of the training series' windows (every
        ``window_size_``-th start, so each node once)."""
        latents = []
        for X in arrays:
            window = min(self.window_size_, len(X))
            latents.append(stream_latents(
                self.denoiser_, self.diffusion_, X, window_starts(len(X), window, window),
                window, self.mean_, self.scale_, batch_size=self.batch_size,
                device=self.device_, missing=self.missing == "mask"))
        return fit_centroids(np.concatenate(latents), self._seed, self.rarity_centroids)

    def _resolve_score_features(self, arrays):
        """Sorted column indices of ``score_features`` (see
        :func:`~skddmt._columns.resolve_columns`)."""
        return resolve_columns(self.score_features, self.n_features_in_,
                               getattr(self, "feature_names_in_", None), arrays)

    def _feature_weights(self):
        """Per-column weights that turn node errors into the score
        (:func:`~skddmt._calibration.feature_weights`)."""
        return feature_weights(self.n_features_in_, self.score_features_,
                               self.feature_error_scale_)

    def _training_params(self):
        """The parameters that shape the trained model, by name."""
        free = set(self.SCORING_PARAMS) | set(self.NEUTRAL_PARAMS)
        if self.timestep_sampling != "uniform":  # training then draws the scoring steps
            free.discard("n_reverse_steps")
        return {k: v for k, v in self.get_params(deep=False).items() if k not in free}

    def recalibrate(self, X):
        """Set the score normalisation and the threshold again, without training.

        After changing a scoring parameter of a fitted model (one of
        ``SCORING_PARAMS``) with ``set_params``, ``feature_error_scale_``,
        ``score_features_``, the rarity centroids and scales and ``offset_``
        still belong to the old values.
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
        arrays, _ = validate_series(self, X, reset=False, ensure_min_samples=2,
                                    allow_nan=self.missing == "mask")
        self._calibrate(arrays)
        return self
