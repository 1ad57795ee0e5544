"""DDMTDetector: the scikit-learn estimator around the DDMT model."""

import time
import warnings
from numbers import Integral, Real

import numpy as np
import torch
from sklearn.base import BaseEstimator, OutlierMixin, _fit_context
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions

from ._attribution import AttributionMixin
from ._calibration import COMBINATIONS
from ._context import ContextScoringMixin
from ._device import resolve_device
from ._diffusion import GaussianDiffusion, ReverseConfig
from ._masks import MaskingConfig
from ._missing import interpolate_rows, observed_mean
from ._model import DDTDenoiser
from ._persistence import PersistenceMixin
from ._recalibration import RecalibrationMixin
from ._preprocessing import CLIP, fit_scaler
from ._scoring import stream_scores
from ._series import training_windows
from ._thresholds import moving_average
from ._training import Objective, fit_loop
from ._validation import check_param_consistency, validate_series
from ._windows import window_starts

class DDMTDetector(AttributionMixin, RecalibrationMixin, PersistenceMixin, ContextScoringMixin,
                   OutlierMixin, BaseEstimator):
    """Denoising Diffusion Mask Transformer anomaly detector for time series.

    Fits a denoising diffusion model with a Transformer denoiser (DDT) on
    sliding windows of a (mostly normal) multivariate series, then scores
    every timestamp of a series by how badly it is rebuilt from its context.
    Each value is rebuilt with itself hidden (interleaved element masks),
    from its own past and future and from the other features at the same
    instant; with ADNM, the worst-rebuilt nodes are hidden again together
    with a neighbourhood that grows with their error, and rebuilt from
    distant, normal context, so that anomalies are not copied through.

    Rows of ``X`` are timestamps in time order and columns are features.
    Several series (one per machine or sensor) can be given as a list of
    2-D arrays: one model is fitted on all of them, windows never cross from
    one series to the next, and scores come back as a list.

    Parameters
    ----------
    window_size : int, default=100
        Length of the sliding windows. Clamped, with a warning, to the length
        of a shorter training series.
    contamination : 'auto' or float, default='auto'
        Expected share of anomalies, used to set ``offset_`` from the scores
        of the training series. With ``'auto'``, the threshold is the robust
        upper tail (median + 3 MAD) of the log training anomaly scores, but
        never above their 99th percentile.
        A float must be in (0, 0.5].
    d_model : int, default=64
        Width of the Transformer.
    n_layers : int, default=2
        Number of encoder layers.
    n_heads : int, default=4
        Attention heads; must divide ``d_model``.
    mask_width : int, default=2
        Half-width of the neighbour band of the attention: token ``i`` does
        not attend to tokens ``j`` with ``|i - j| <= mask_width``. 0 turns
        the band off.
    n_mask_groups : int, default=4
        Number of interleaved input masks. Each hides every
        ``n_mask_groups``-th timestamp; together they hide every timestamp
        once, so each is rebuilt without its own value.
    mask_mode : {'element', 'timestamp'}, default='element'
        ``'element'``: mask ``g`` hides the (timestamp, feature) elements
        with ``(t + j) % n_mask_groups == g``, so each element is rebuilt
        from its own past and future and from the other features at the
        same instant (as CSDI imputes). ``'timestamp'`` (the first design)
        hides whole rows. Training masks follow the mode.
    training_masks : {'gaps', 'interleaved'}, default='gaps'
        ``'gaps'``: the training loss hides random runs of 1 to 7 timestamps
        (per feature in the element mode), about ``1 / n_mask_groups`` of
        each window. ``'interleaved'`` (the first design): the scoring masks
        at a random phase, so a hidden node always has a visible neighbour.
    adnm : bool, default=True
        Use the Adaptive Dynamic Neighbour Mask in training and scoring.
    adnm_scoring : bool, default=True
        With ``adnm``, also run its second pass when scoring; False keeps
        ADNM in training only (each node scored from the interleaved masks
        alone). A scoring parameter: change it on a fitted model with
        ``set_params`` and ``recalibrate``.
    adnm_ratio : float, default=0.01
        Share of nodes per window and feature treated as suspects by ADNM
        (at least one, above the window's median error); chosen on
        synthetic series (user guide, section 10).
    adnm_max_radius : int or None, default=None
        Largest ADNM neighbourhood radius (timestamps on each side); None
        means a tenth of the window (at least 1), chosen on synthetic series.
    diffusion : bool, default=True
        If False, the same Transformer is trained as a plain masked
        reconstructor, without noise (ablation).
    prediction : {'x0', 'epsilon'}, default='x0'
        Target of the denoiser: the clean window (what the score needs), or
        the noise (x0 then unstable at high noise).
    n_diffusion_steps : int, default=500
        Number of diffusion steps T.
    beta_start, beta_end : float, default=1e-4, 0.05
        Linear noise schedule.
    t_start : int or None, default=None
        Noise level (1..T) the hidden nodes start from at scoring time;
        None means T, i.e. pure noise, so that no hidden value leaks.
    n_reverse_steps : int, default=1
        Deterministic (DDIM) reverse steps from ``t_start``.
    n_samples : int, default=1
        Noise draws averaged per window at scoring time.
    timestep_sampling : {'uniform', 'scoring'}, default='uniform'
        Diffusion steps drawn for the training loss: all
        ``n_diffusion_steps`` (standard DDPM training), or only those the
        reverse process visits when scoring.
    error_normalisation : {'tail', 'feature', 'kind', 'none'}, default='tail'
        ``'tail'`` divides each feature's node errors by the 99th percentile
        of that feature's node errors on the training series (floored at
        10 % of the median over features) before averaging over features, so
        that a feature the model rebuilds well weighs as much as a noisy
        one, and a feature whose errors are mostly tiny but now and then
        large, such as an on/off column whose switches cannot be foreseen,
        is judged by its large errors. ``'feature'`` (the first design)
        divides by the mean training error. ``'kind'`` divides a continuous
        column (more than two distinct training values) by its mean error
        and a constant or on/off column by its 99th percentile (user guide,
        section 2). ``'none'``: raw squared errors.
    rarity : {'latent', 'none'}, default='latent'
        ``'latent'`` adds a rarity term from the model itself: the squared
        distance of each timestamp's latent (the denoiser's last hidden
        state, its window given clean) to the nearest of
        ``rarity_centroids`` k-means centroids of the training latents,
        averaged over covering windows,
        combined with the imputation error as ``rarity_combination`` says.
        ``'none'``: the imputation error alone (the default until
        2026-12-07). Only scoring and the threshold depend on it.
    rarity_combination : {'max', 'sum'}, default='max'
        How ``rarity='latent'`` combines the imputation and rarity terms,
        both standardised on the training series' values of the term (no
        labels): ``'max'`` makes each a z-score (its training mean
        subtracted, divided by its training standard deviation) and takes
        the larger, so a timestamp is as abnormal as the more unusual of
        the two says, raised by one constant that keeps the score
        non-negative; ``'sum'`` divides each term by its training mean and
        adds them (user guide, sections 2 and 10). No effect with
        ``rarity='none'``.
    rarity_centroids : int, default=10
        Number of k-means centroids of the training latents (fewer with
        fewer distinct latents; user guide, section 10).
    scale_floor : float, default=0.0
        Each feature's input scale is at least this share of the median
        standard deviation of the features (0.1 in the first design). 0
        keeps each feature's own (1 for a column constant in training), so
        a feature 100 times quieter than the others keeps its signal.
    score_features : array-like of int or str, or None, default=None
        Columns whose errors make up the anomaly score (indices, or names
        when ``X`` has string column names). The other columns remain model
        input, i.e. context that the denoiser conditions on, but their own
        errors are left out of the score: for instance command or set-point
        flags beside the sensor that should be watched. None scores every
        column. ``'continuous'`` scores the columns that take more than two
        distinct values in the training series, leaving constant and on/off
        (flag) columns out; a label-free guess of the watched columns, opt-in
        because a flag is sometimes what should be watched (user guide,
        section 1). Only scoring and the threshold depend on it, not
        training.
    score_smoothing : int, default=11
        Width, in timestamps, of a centred moving average applied to the
        anomaly score of each series (training scores for the threshold
        included), the mean over the timestamps that exist at the two ends;
        1 leaves each timestamp's own error. Averaging a few neighbours
        lifts anomalies that last longer than a point above the noise of
        the single-node errors, at the cost of blurring a lone spike and
        its exact position by ``score_smoothing // 2`` rows. Only scoring and
        the threshold depend on it, not training (user guide, section 10).
    causal : bool, default=False
        Score every timestamp from its past only, as a stream must: the
        timestamp ``t`` is rebuilt (with the same masks) in the window that
        ends at it, and the smoothing is a trailing mean of the
        ``score_smoothing`` timestamps up to ``t``. A timestamp's score
        then never changes when later rows arrive, and scoring a stream
        call by call with ``context`` gives the scores of scoring it in one
        batch, but for the noise draws. The first ``window_size_ - 1``
        timestamps of a series are scored from its first window. It costs a
        window per timestamp (``score_stride`` is ignored): about
        ``window_size_ // 2`` times the scoring time of the default,
        calibration in ``fit`` included (user guide, section 11). Only
        scoring and the threshold depend on it, not training.
    train_stride : int, default=1
        Step between the training windows an epoch draws from; 1 offers
        every window.
    windows_per_epoch : int or None, default=2048
        Training windows drawn at random (a new draw each epoch) from those
        at ``train_stride``; None uses them all. It bounds the cost of an
        epoch on long series and keeps the number of optimiser steps the
        same on short and long ones: ``fit`` runs at most ``max_epochs *
        min(windows_per_epoch, n_windows)`` training windows.
    score_stride : int or None, default=None
        Step between scoring windows; None means ``window_size // 2``.
    validation_fraction : float, default=0.1
        Share of the training series, taken from its end, held out for the
        validation loss used by early stopping. 0 (or a tail shorter than
        one window) monitors the training loss instead.
    max_epochs : int, default=20
        Upper bound on training epochs.
    patience : int, default=3
        Epochs without improvement of the monitored loss before stopping;
        the best weights are restored.
    batch_size : int, default=32
        Windows per training step and per scoring batch.
    learning_rate : float, default=3e-3
        AdamW learning rate.
    missing : {'raise', 'mask'}, default='raise'
        ``'raise'``: NaN in ``X`` is refused with a ``ValueError``. ``'mask'``:
        NaN marks a missing value, in ``fit`` and in scoring. A missing
        value is hidden from the denoiser in every pass (so it is rebuilt
        from its context but its own entry is never read), left out of the
        training loss, of the standardisation statistics, of the score (a
        timestamp's score is the mean over its observed scored features)
        and of :meth:`feature_scores` (0). A timestamp whose scored features
        are all missing gets the score of its context: linear interpolation
        between the nearest scored timestamps (user guide, section 13).
        Infinity is refused in both modes.
    device : {'auto', 'cpu', 'cuda', 'mps'} or torch.device, default='auto'
        Where to train and score; resolved in ``fit``. An accelerator that is
        not available falls back to the CPU with a ``RuntimeWarning``.
    precision : {'float32', 'bfloat16'}, default='float32'
        ``'bfloat16'`` runs the denoiser under ``torch.autocast`` with
        bfloat16 (training and scoring); the noise schedule, losses and
        errors stay in float32. Meant for GPUs with bfloat16 units; on most
        CPUs it is slower than float32.
    n_jobs : int or None, default=None
        Series of a list scored in parallel (``score_samples`` and the other
        scoring methods, and the calibration pass of ``fit``) through joblib:
        None means 1 unless in a ``joblib.parallel_config`` context, -1
        means all processors. The backend comes from
        ``joblib.parallel_config`` (processes by default; a Dask cluster
        with ``backend='dask'``). Scores do not depend on it, nor on the
        workers' torch thread count (user guide, section 12).
        Training is not parallelised over series.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, shuffling and noise. The global torch
        and numpy generators are left untouched.
    verbose : int, default=0
        If > 0, show a progress bar during ``fit``.

    Attributes
    ----------
    offset_ : float
        Threshold on ``score_samples``: ``decision_function = score_samples
        - offset_``. Set from the training series only.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Feature names, when ``X`` had string column names.
    window_size_ : int
        Window length used (``window_size`` clamped to the series length).
    adnm_max_radius_ : int
        ADNM radius bound used.
    mean_, scale_ : ndarray of shape (`n_features_in_`,)
        Standardisation fitted on the training series.
    feature_error_scale_ : ndarray of shape (`n_features_in_`,)
        Divisor of each feature's node errors in the score: its mean error
        on the training series with ``error_normalisation='feature'``, their
        99th percentile with ``'tail'``, else 1 (and 1 for the columns left
        out by ``score_features``).
    rarity_centroids_ : ndarray of shape (n_centroids, `d_model`)
        Centroids of the training latents with ``rarity='latent'``; no rows
        otherwise.
    imputation_scale_, rarity_scale_ : float
        Divisors of the two terms of the score with ``rarity='latent'``:
        their training means (``rarity_combination='sum'``) or standard
        deviations (``'max'``); 1.0 otherwise.
    imputation_centre_, rarity_centre_ : float
        Subtracted from the two terms before they are divided (with
        ``rarity_combination='max'``: their training means less the same
        number of standard deviations, so the score is never negative).
    score_features_ : ndarray of int
        Sorted indices of the columns that make up the score.
    history_ : list of dict
        Per epoch: ``epoch``, ``train_loss``, ``valid_loss`` (NaN without a
        validation tail), ``n_windows`` (training windows seen) and ``dur``
        in seconds.
    n_epochs_ : int
        Epochs run.
    device_ : torch.device
        Device used.
    denoiser_ : torch.nn.Module
        The trained DDT denoiser.
    diffusion_ : torch.nn.Module
        The noise schedule and reverse process.
    fit_time_ : float
        Seconds spent in ``fit``.

    See Also
    --------
    sklearn.ensemble.IsolationForest : Tree-based detector on independent rows.

    Notes
    -----
    Standardisation: ``(x - mean) / scale`` with ``scale`` each feature's
    standard deviation (at least ``scale_floor`` times the median over
    features when that is positive; 1 for a column constant in training),
    then clipped to +/-10.

    The anomaly score of a timestamp is its squared reconstruction error,
    averaged over features and over the windows that cover it. Timestamps
    near the ends are covered by fewer windows but always by one; a series
    shorter than ``window_size_`` is scored as one shorter window, with a
    warning.

    Timestamps are not exchangeable: scores depend on the neighbours of a
    row, so reordering or sub-setting rows changes them.

    References
    ----------
    .. [1] C. Yang, T. Wang, X. Yan, "DDMT: Denoising Diffusion Mask
       Transformer Models for Multivariate Time Series Anomaly Detection",
       arXiv:2310.08800, 2023.

    Examples
    --------
    >>> import numpy as np
    >>> from skddmt import DDMTDetector
    >>> rng = np.random.default_rng(0)
    >>> t = np.arange(400)
    >>> X = np.c_[np.sin(t / 8), np.cos(t / 8)] + 0.05 * rng.normal(size=(400, 2))
    >>> det = DDMTDetector(window_size=32, d_model=16, max_epochs=2, random_state=0)
    >>> labels = det.fit(X).predict(X)
    >>> labels.shape
    (400,)
    """

    _parameter_constraints = {
        "window_size": [Interval(Integral, 1, None, closed="left")],
        "contamination": [StrOptions({"auto"}), Interval(Real, 0, 0.5, closed="right")],
        "d_model": [Interval(Integral, 1, None, closed="left")],
        "n_layers": [Interval(Integral, 1, None, closed="left")],
        "n_heads": [Interval(Integral, 1, None, closed="left")],
        "mask_width": [Interval(Integral, 0, None, closed="left")],
        "n_mask_groups": [Interval(Integral, 1, None, closed="left")],
        "mask_mode": [StrOptions({"timestamp", "element"})],
        "training_masks": [StrOptions({"interleaved", "gaps"})],
        "adnm": ["boolean"],
        "adnm_scoring": ["boolean"],
        "adnm_ratio": [Interval(Real, 0, 1, closed="right")],
        "adnm_max_radius": [None, Interval(Integral, 0, None, closed="left")],
        "diffusion": ["boolean"],
        "prediction": [StrOptions({"x0", "epsilon"})],
        "n_diffusion_steps": [Interval(Integral, 1, None, closed="left")],
        "beta_start": [Interval(Real, 0, 1, closed="neither")],
        "beta_end": [Interval(Real, 0, 1, closed="neither")],
        "t_start": [None, Interval(Integral, 1, None, closed="left")],
        "n_reverse_steps": [Interval(Integral, 1, None, closed="left")],
        "n_samples": [Interval(Integral, 1, None, closed="left")],
        "timestep_sampling": [StrOptions({"uniform", "scoring"})],
        "error_normalisation": [StrOptions({"feature", "tail", "kind", "none"})],
        "rarity": [StrOptions({"none", "latent"})],
        "rarity_combination": [StrOptions(set(COMBINATIONS))],
        "rarity_centroids": [Interval(Integral, 1, None, closed="left")],
        "scale_floor": [Interval(Real, 0, 1, closed="both")],
        "score_features": [None, "array-like", StrOptions({"continuous"})],
        "score_smoothing": [Interval(Integral, 1, None, closed="left")],
        "causal": ["boolean"],
        "train_stride": [Interval(Integral, 1, None, closed="left")],
        "windows_per_epoch": [None, Interval(Integral, 1, None, closed="left")],
        "score_stride": [None, Interval(Integral, 1, None, closed="left")],
        "validation_fraction": [Interval(Real, 0, 1, closed="left")],
        "max_epochs": [Interval(Integral, 1, None, closed="left")],
        "patience": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "device": [str, torch.device],
        "precision": [StrOptions({"float32", "bfloat16"})],
        "missing": [StrOptions({"raise", "mask"})],
        "n_jobs": [None, Integral],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(self, *, window_size=100, contamination="auto", d_model=64, n_layers=2,
                 n_heads=4, mask_width=2, n_mask_groups=4, mask_mode="element",
                 training_masks="gaps", adnm=True, adnm_scoring=True, adnm_ratio=0.01,
                 adnm_max_radius=None, diffusion=True, prediction="x0", n_diffusion_steps=500,
                 beta_start=1e-4, beta_end=0.05, t_start=None, n_reverse_steps=1,
                 n_samples=1, timestep_sampling="uniform", error_normalisation="tail",
                 rarity="latent", rarity_combination="max", rarity_centroids=10,
                 scale_floor=0.0, score_features=None, score_smoothing=11,
                 causal=False, train_stride=1,
                 windows_per_epoch=2048, score_stride=None, validation_fraction=0.1,
                 max_epochs=20, patience=3, batch_size=32, learning_rate=3e-3,
                 missing="raise", device="auto", precision="float32", n_jobs=None,
                 random_state=None, verbose=0):
        self.window_size = window_size
        self.contamination = contamination
        self.d_model = d_model
        self.n_layers = n_layers
        self.n_heads = n_heads
        self.mask_width = mask_width
        self.n_mask_groups = n_mask_groups
        self.mask_mode = mask_mode
        self.training_masks = training_masks
        self.adnm = adnm
        self.adnm_scoring = adnm_scoring
        self.adnm_ratio = adnm_ratio
        self.adnm_max_radius = adnm_max_radius
        self.diffusion = diffusion
        self.prediction = prediction
        self.n_diffusion_steps = n_diffusion_steps
        self.beta_start = beta_start
        self.beta_end = beta_end
        self.t_start = t_start
        self.n_reverse_steps = n_reverse_steps
        self.n_samples = n_samples
        self.timestep_sampling = timestep_sampling
        self.error_normalisation = error_normalisation
        self.rarity = rarity
        self.rarity_combination = rarity_combination
        self.rarity_centroids = rarity_centroids
        self.scale_floor = scale_floor
        self.score_features = score_features
        self.score_smoothing = score_smoothing
        self.causal = causal
        self.train_stride = train_stride
        self.windows_per_epoch = windows_per_epoch
        self.score_stride = score_stride
        self.validation_fraction = validation_fraction
        self.max_epochs = max_epochs
        self.patience = patience
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.missing = missing
        self.device = device
        self.precision = precision
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    # ------------------------------------------------------------------ fit
    def _masking_config(self, scoring=False):
        adnm = self.adnm and (self.adnm_scoring or not scoring)
        return MaskingConfig(n_mask_groups=self.n_mask_groups, adnm=adnm,
                             adnm_ratio=self.adnm_ratio, adnm_max_radius=self.adnm_max_radius_,
                             mode=self.mask_mode, training=self.training_masks)

    def _reverse_config(self):
        t_start = self.n_diffusion_steps if self.t_start is None else self.t_start
        return ReverseConfig(t_start=t_start - 1, n_reverse_steps=self.n_reverse_steps,
                             n_samples=self.n_samples)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Fit the model on (mostly normal) series.

        Parameters
        ----------
        X : array-like of shape (n_timestamps, n_features), or a list of them
            Training series, rows in time order, at least 2 rows each. With a
            list, the series share the model, the standardisation and
            ``offset_``, but no window spans two series, and each series
            gives its own validation tail.
        y : Ignored
            Not used, present for API consistency.

        Returns
        -------
        self : DDMTDetector
            Fitted estimator.

        Notes
        -----
        Ctrl-C (``KeyboardInterrupt``) during training stops it with a
        warning: the best weights of the complete epochs are kept and the
        model is calibrated as usual, so it is usable. A second Ctrl-C aborts.
        """
        t0 = time.perf_counter()
        check_param_consistency(self)
        arrays, multi = validate_series(self, X, reset=True, ensure_min_samples=2,
                                        allow_nan=self.missing == "mask")
        shortest = min(len(a) for a in arrays)
        self.window_size_ = min(self.window_size, shortest)
        if self.window_size_ < self.window_size:
            which = "the shortest training series" if multi else "the training series"
            warnings.warn(
                f"window_size={self.window_size} is longer than {which} "
                f"({shortest} rows); using window_size_={shortest}.", UserWarning)
        seed = int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))
        self._seed = seed
        self.device_ = resolve_device(self.device)
        self.adnm_max_radius_ = (max(1, self.window_size_ // 10) if self.adnm_max_radius is None
                                 else self.adnm_max_radius)
        self.mean_, self.scale_ = fit_scaler(np.concatenate(arrays) if multi else arrays[0],
                                             self.scale_floor)
        self._resolve_score_features(arrays)  # a bad value fails now, not after training

        denoiser, diffusion = self._new_modules()
        self.denoiser_, self.diffusion_ = denoiser.to(self.device_), diffusion.to(self.device_)

        train, train_starts, valid, valid_starts = training_windows(
            arrays, self.mean_, self.scale_, window_size=self.window_size_,
            validation_fraction=self.validation_fraction, train_stride=self.train_stride,
            device=self.device_)
        objective = Objective(
            self.denoiser_, self.diffusion_, masking=self._masking_config(),
            reverse=self._reverse_config(), timestep_sampling=self.timestep_sampling,
            window_size=self.window_size_, batch_size=self.batch_size, device=self.device_,
            missing=self.missing == "mask")
        self.history_ = fit_loop(
            objective, train, train_starts, valid, valid_starts, max_epochs=self.max_epochs,
            learning_rate=self.learning_rate, patience=self.patience, seed=seed,
            windows_per_epoch=self.windows_per_epoch, verbose=self.verbose)
        self.n_epochs_ = len(self.history_)
        self._trained_with = self._training_params()

        self._calibrate(arrays)
        self.fit_time_ = time.perf_counter() - t0
        return self

    def _new_modules(self):
        """A freshly initialised (seeded) denoiser and the diffusion, on the CPU."""
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(self._seed)
            denoiser = DDTDenoiser(
                self.n_features_in_, d_model=self.d_model, n_layers=self.n_layers,
                n_heads=self.n_heads, mask_width=self.mask_width)
        diffusion = GaussianDiffusion(
            self.n_diffusion_steps, self.beta_start, self.beta_end,
            prediction=self.prediction, enabled=self.diffusion, clip=CLIP,
            autocast_dtype=torch.bfloat16 if self.precision == "bfloat16" else None)
        return denoiser, diffusion

    #: Parameters that only act at scoring time: after changing them on a
    #: fitted model, :meth:`recalibrate` gives the model a fresh ``fit`` would.
    SCORING_PARAMS = ("contamination", "adnm_scoring", "n_reverse_steps", "n_samples",
                      "score_stride", "score_features", "error_normalisation", "rarity",
                      "rarity_combination", "rarity_centroids", "score_smoothing", "causal")
    #: Parameters with no effect on a fitted model's scores.
    NEUTRAL_PARAMS = ("device", "n_jobs", "verbose")

    # -------------------------------------------------------------- scoring
    def _anomaly_score(self, X, per_feature=False):
        """Anomaly score (higher = more abnormal) of one validated raw series;
        with ``per_feature``, ``(errors, rarity)``: each feature's unweighted
        error per timestamp (NaN where a value is missing) and the rarity
        term (None without it)."""
        n = X.shape[0]
        window = self.window_size_
        if n < window:
            warnings.warn(
                f"The series has {n} rows, fewer than window_size_={window}; "
                f"scoring it as one window of {n}.", UserWarning)
            window = n
        stride = 1 if self.causal else self.score_stride or max(1, window // 2)
        starts = window_starts(n, window, min(stride, window))
        device = self.device_
        denoiser = self.denoiser_.to(device)
        diffusion = self.diffusion_.to(device)
        centroids = (torch.as_tensor(self.rarity_centroids_, device=device)
                     if self.rarity == "latent" else None)
        # a series with missing values is scored per feature, then averaged
        # over its observed features
        missing = self.missing == "mask" and bool(np.isnan(X).any())
        out = stream_scores(
            denoiser, diffusion, X, starts, window, self.mean_, self.scale_,
            self._masking_config(scoring=True), self._reverse_config(),
            batch_size=self.batch_size,
            seed=self._seed + 1, device=device,
            feature_weights=None if per_feature or missing else self._feature_weights(),
            per_feature=per_feature or missing, centroids=centroids, missing=missing,
            causal=self.causal,
        )
        scores, rarity = out if centroids is not None else (out, None)
        if per_feature:
            return scores, rarity
        if missing:
            cols = self.score_features_
            scores = observed_mean(scores[:, cols] / self.feature_error_scale_[cols])
        if rarity is not None:
            scores = self._combine(scores, rarity)
        return self._smoothed(scores)

    def _smoothed(self, scores):
        """The unsmoothed anomaly score of a series, its fully missing rows
        filled in, smoothed over time (trailing with ``causal``)."""
        return moving_average(interpolate_rows(scores, self.causal), self.score_smoothing,
                              self.causal)

    def _feature_errors(self, X):
        """``_anomaly_score(X, per_feature=True)``, as a one-argument function."""
        return self._anomaly_score(X, per_feature=True)
