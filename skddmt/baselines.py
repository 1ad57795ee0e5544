"""Simple baseline detectors, run beside DDMT in every benchmark.

The literature (Sarfraz et al., ICML 2024; Liu & Paparrizos, NeurIPS 2024)
shows that such baselines match most published deep detectors once the
evaluation is honest, so a result without them means little. Each follows
the same contract as :class:`skddmt.DDMTDetector`: rows are timestamps,
``score_samples`` is higher for normal rows, ``offset_`` comes from the
training series (``contamination``), ``predict`` returns -1 / +1. All
standardise with the training statistics and the scale floor and clipping of
DDMTDetector. (IsolationForest is scikit-learn's own.) :class:`SmoothedDetector`
smooths any of them over time as DDMT smooths its own score.
"""

from numbers import Integral, Real

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.base import BaseEstimator, MetaEstimatorMixin, OutlierMixin, _fit_context, clone
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import check_random_state
from sklearn.utils._available_if import available_if
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from ._base import ThresholdMixin
from ._preprocessing import fit_scaler, standardise
from ._thresholds import moving_average, offset_from_training

__all__ = ["MeanSquareDetector", "PCADetector", "KNNDetector", "HistogramDetector",
           "KMeansDetector", "RandomDetector", "SmoothedDetector"]

#: Values per block of windows when windowed baselines score a series
#: (windows x window_size x features), bounding their working memory.
WINDOW_BLOCK_VALUES = 1 << 22


class _RowScoresMixin:
    """``score_samples`` from ``_anomaly`` (higher = more abnormal) of the
    validated series, as ``_prepare`` turns it into the scored input."""

    def _prepare(self, X):
        return X

    def _scored_input(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, dtype=[np.float64, np.float32], reset=False)
        return self._prepare(X)

    def score_samples(self, X):
        """Normality score of every row (higher = more normal).

        Parameters
        ----------
        X : array-like of shape (n_timestamps, n_features)
            Series to score, with the features seen in ``fit``.

        Returns
        -------
        scores : ndarray of shape (n_timestamps,)
            Minus the anomaly score of each row; ``score_samples(X) -
            offset_ < 0`` marks anomalies.
        """
        return -self._anomaly(self._scored_input(X))


class _StandardisedDetector(_RowScoresMixin, ThresholdMixin, OutlierMixin, BaseEstimator):
    """Validation, standardisation and threshold; subclasses score rows."""

    _parameter_constraints = {
        "contamination": [StrOptions({"auto"}), Interval(Real, 0, 0.5, closed="right")],
    }

    def _fit_model(self, Z):
        """Fit on the standardised training rows (nothing to fit by default)."""

    def _anomaly(self, Z):
        raise NotImplementedError

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Fit on a (mostly normal) series.

        Parameters
        ----------
        X : array-like of shape (n_timestamps, n_features)
            Training series, at least 2 rows; standardised with its own
            mean and floored scale.
        y : Ignored
            Not used, present for API consistency.

        Returns
        -------
        self : object
            Fitted estimator; ``offset_`` is set from the training scores.
        """
        X = validate_data(self, X, dtype=[np.float64, np.float32], ensure_min_samples=2)
        self.mean_, self.scale_ = fit_scaler(X)
        Z = standardise(X, self.mean_, self.scale_, np.float64)
        self._fit_model(Z)
        self.offset_ = offset_from_training(self._anomaly(Z), self.contamination)
        return self

    def _prepare(self, X):
        return standardise(X, self.mean_, self.scale_, np.float64)


class _FeatureSplitMixin:
    """``feature_scores`` for detectors whose score is a mean over features
    of a per-feature term (``_feature_anomaly``)."""

    def _anomaly(self, Z):
        return self._feature_anomaly(Z).mean(axis=1)

    def feature_scores(self, X):
        """Each feature's share of the anomaly score of every row.

        Parameters
        ----------
        X : array-like of shape (n_timestamps, n_features)

        Returns
        -------
        ndarray of shape (n_timestamps, n_features)
            Each feature's term divided by the number of features: each row
            sums to the anomaly score ``-score_samples(X)``.
        """
        terms = self._feature_anomaly(self._scored_input(X))
        return terms / terms.shape[1]


class MeanSquareDetector(_FeatureSplitMixin, _StandardisedDetector):
    """Model-free control: the mean of the squared standardised input.

    The anomaly score of a row is ``mean_j z_j ** 2`` with ``z`` the row
    standardised by training statistics: how far the row lies from the
    training mean, feature by feature.

    Parameters
    ----------
    contamination : 'auto' or float in (0, 0.5], default='auto'
        Sets ``offset_`` from the training scores, as in
        :class:`~skddmt.DDMTDetector`.
        As in :class:`skddmt.DDMTDetector`.

    Attributes
    ----------
    offset_, mean_, scale_, n_features_in_ : as in DDMTDetector.

    References
    ----------
    .. [1] M. S. Sarfraz et al., "Position: Quo Vadis, Unsupervised Time
       Series Anomaly Detection?", ICML 2024.
    """

    def __init__(self, *, contamination="auto"):
        self.contamination = contamination

    def _feature_anomaly(self, Z):
        return Z**2


class PCADetector(_FeatureSplitMixin, _StandardisedDetector):
    """PCA reconstruction error of each standardised row.

    Parameters
    ----------
    n_components : int or float, default=0.9
        Passed to :class:`sklearn.decomposition.PCA`: a number of
        components, or the share of training variance to keep.
    contamination : 'auto' or float in (0, 0.5], default='auto'
        Sets ``offset_`` from the training scores, as in
        :class:`~skddmt.DDMTDetector`.

    Attributes
    ----------
    pca_ : sklearn.decomposition.PCA
    """

    _parameter_constraints = {
        **_StandardisedDetector._parameter_constraints,
        "n_components": [Interval(Integral, 1, None, closed="left"),
                         Interval(Real, 0, 1, closed="neither")],
    }

    def __init__(self, *, n_components=0.9, contamination="auto"):
        self.n_components = n_components
        self.contamination = contamination

    def _fit_model(self, Z):
        n_components = self.n_components
        if isinstance(n_components, Integral):
            n_components = min(n_components, *Z.shape)
        self.pca_ = PCA(n_components=n_components, svd_solver="full").fit(Z)

    def _feature_anomaly(self, Z):
        rebuilt = self.pca_.inverse_transform(self.pca_.transform(Z))
        return (Z - rebuilt) ** 2


class KNNDetector(_StandardisedDetector):
    """Mean distance of each standardised row to its nearest training rows.

    Parameters
    ----------
    n_neighbors : int, default=5
        Number of nearest training rows averaged.
    max_train : int, default=10000
        At most this many training rows, drawn at random, are kept as the
        reference set (memory and time of scoring grow with it).
    contamination : 'auto' or float in (0, 0.5], default='auto'
        Sets ``offset_`` from the training scores, as in
        :class:`~skddmt.DDMTDetector`.
    random_state : int, RandomState instance or None, default=None
        Draws the reference rows.

    Attributes
    ----------
    reference_ : ndarray of shape (n_reference, n_features)
        Standardised reference rows.

    Notes
    -----
    ``offset_`` comes from the scores of the whole training series, as
    ``score_samples`` gives them; rows that are in the reference set count
    themselves among their neighbours, so training scores are a little
    lower than those of new normal rows.
    """

    _parameter_constraints = {
        **_StandardisedDetector._parameter_constraints,
        "n_neighbors": [Interval(Integral, 1, None, closed="left")],
        "max_train": [Interval(Integral, 2, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(self, *, n_neighbors=5, max_train=10000, contamination="auto",
                 random_state=None):
        self.n_neighbors = n_neighbors
        self.max_train = max_train
        self.contamination = contamination
        self.random_state = random_state

    def _fit_model(self, Z):
        if len(Z) > self.max_train:
            rng = check_random_state(self.random_state)
            Z = Z[np.sort(rng.choice(len(Z), self.max_train, replace=False))]
        self.reference_ = Z
        self.n_neighbors_ = min(self.n_neighbors, len(Z))
        self.nn_ = NearestNeighbors(n_neighbors=self.n_neighbors_, algorithm="brute").fit(Z)

    def _anomaly(self, Z):
        dist, _ = self.nn_.kneighbors(Z, n_neighbors=self.n_neighbors_)
        return dist.mean(axis=1)


class HistogramDetector(_StandardisedDetector):
    """Histogram-based outlier score (HBOS): how rare each value is.

    One histogram per feature of the standardised training rows, with
    ``n_bins`` equal bins between the feature's training minimum and
    maximum. The anomaly score of a row is ``sum_j -log p_j``, where ``p_j``
    is the share of training rows in the bin of the row's ``j``-th value,
    with one pseudo-count per bin: ``(count + 1) / (n_train + n_bins)``.
    A value outside the training range counts as an empty bin. Unlike a
    distance from the mean (:class:`MeanSquareDetector`), this is high for a
    value *between* the modes of a feature's training values too. Features
    are treated as independent, as in the original method.

    Parameters
    ----------
    n_bins : int, default=10
        Bins per feature (PyOD's default).
    contamination : 'auto' or float in (0, 0.5], default='auto'
        Sets ``offset_`` from the training scores, as in
        :class:`~skddmt.DDMTDetector`.

    Attributes
    ----------
    bin_min_, bin_max_ : ndarray of shape (n_features,)
        Training range of each feature, in standardised units (a feature
        constant in training has one bin, holding only that value).
    log_share_ : ndarray of shape (n_features, n_bins + 1)
        ``log p`` of every bin; the last column is that of an empty bin,
        used for values outside the training range.

    References
    ----------
    .. [1] M. Goldstein and A. Dengel, "Histogram-based Outlier Score (HBOS):
       A fast Unsupervised Anomaly Detection Algorithm", KI-2012 Poster and
       Demo Track, 2012.
    """

    _parameter_constraints = {
        **_StandardisedDetector._parameter_constraints,
        "n_bins": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, *, n_bins=10, contamination="auto"):
        self.n_bins = n_bins
        self.contamination = contamination

    def _bins(self, Z):
        """Bin of every value, ``n_bins`` for values outside the training range."""
        lo, hi = self.bin_min_, self.bin_max_
        width = (hi - lo) / self.n_bins
        rel = np.divide(Z - lo, width, out=np.zeros_like(Z), where=width > 0)
        idx = np.clip(np.floor(rel), 0, self.n_bins - 1).astype(np.int64)
        return np.where((Z < lo) | (Z > hi), self.n_bins, idx)

    def _fit_model(self, Z):
        self.bin_min_, self.bin_max_ = Z.min(axis=0), Z.max(axis=0)
        n_features = Z.shape[1]
        flat = self._bins(Z) + (self.n_bins + 1) * np.arange(n_features)
        counts = np.bincount(flat.ravel(), minlength=n_features * (self.n_bins + 1))
        counts = counts.reshape(n_features, self.n_bins + 1)
        self.log_share_ = np.log((counts + 1.0) / (len(Z) + self.n_bins))

    def _anomaly(self, Z):
        features = np.arange(Z.shape[1])
        return -self.log_share_[features, self._bins(Z)].sum(axis=1)


class KMeansDetector(_StandardisedDetector):
    """Windowed k-means (KMeansAD): the distance of each window to the
    nearest centroid of the training windows.

    Every ``window_size`` consecutive standardised rows, flattened, form a
    window (stride 1). k-means with ``n_clusters`` centroids is fitted on the
    training windows; a window's anomaly score is its Euclidean distance to
    the nearest centroid, and a row's is the mean over the windows that
    cover it. This is KMeansAD as TSB-AD defines it (after TimeEval), which
    leads TSB-AD-M on MSL and SMAP [1]_, except that the centroids come from
    the training series, as every detector here is fitted, rather than from
    the series being scored. A series shorter than ``window_size`` is padded
    by repeating its last row.

    Parameters
    ----------
    window_size : int, default=40
        Rows per window.
    n_clusters : int, default=10
        Number of centroids (fewer when there are fewer training windows).
    max_train : int, default=10000
        At most this many training windows, drawn at random, are clustered
        (the training scores still use every window).
    contamination : 'auto' or float in (0, 0.5], default='auto'
        Sets ``offset_`` from the training scores, as in
        :class:`~skddmt.DDMTDetector`.
    random_state : int, RandomState instance or None, default=None
        Draws the clustered windows and seeds k-means.

    Attributes
    ----------
    kmeans_ : sklearn.cluster.KMeans
        Fitted on the flattened training windows.

    References
    ----------
    .. [1] Q. Liu and J. Paparrizos, "The Elephant in the Room: Towards A
       Reliable Time-Series Anomaly Detection Benchmark", NeurIPS 2024
       Datasets and Benchmarks Track.
    """

    _parameter_constraints = {
        **_StandardisedDetector._parameter_constraints,
        "window_size": [Interval(Integral, 1, None, closed="left")],
        "n_clusters": [Interval(Integral, 1, None, closed="left")],
        "max_train": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(self, *, window_size=40, n_clusters=10, max_train=10000,
                 contamination="auto", random_state=None):
        self.window_size = window_size
        self.n_clusters = n_clusters
        self.max_train = max_train
        self.contamination = contamination
        self.random_state = random_state

    def _windows(self, Z):
        """View of every window of ``Z`` (padded to one window), (n_windows, features, window)."""
        if len(Z) < self.window_size:
            Z = np.pad(Z, ((0, self.window_size - len(Z)), (0, 0)), mode="edge")
        return sliding_window_view(Z, self.window_size, axis=0)

    def _fit_model(self, Z):
        windows = self._windows(Z)
        rng = check_random_state(self.random_state)
        starts = np.arange(len(windows))
        if len(starts) > self.max_train:
            starts = np.sort(rng.choice(len(starts), self.max_train, replace=False))
        flat = windows[starts].reshape(len(starts), -1)
        self.kmeans_ = KMeans(n_clusters=min(self.n_clusters, len(flat)),
                              random_state=rng.randint(np.iinfo(np.int32).max)).fit(flat)

    def _anomaly(self, Z):
        windows = self._windows(Z)
        n_windows = len(windows)
        block = max(1, WINDOW_BLOCK_VALUES // windows[0].size)
        distance = np.empty(n_windows)
        for start in range(0, n_windows, block):
            flat = windows[start:start + block].reshape(-1, windows[0].size)
            distance[start:start + block] = self.kmeans_.transform(flat).min(axis=1)
        # mean over the windows covering each row: window s covers rows s .. s + w - 1
        kernel = np.ones(self.window_size)
        covering = np.convolve(np.ones(n_windows), kernel)
        return (np.convolve(distance, kernel) / covering)[:len(Z)]


class RandomDetector(_StandardisedDetector):
    """Uniform random scores: the floor any metric should be read against.

    Parameters
    ----------
    contamination : 'auto' or float in (0, 0.5], default='auto'
        Sets ``offset_`` from the training scores, as in
        :class:`~skddmt.DDMTDetector`.
    random_state : int, RandomState instance or None, default=None
        The same seed gives the same scores for a series of the same length.
    """

    _parameter_constraints = {
        **_StandardisedDetector._parameter_constraints,
        "random_state": ["random_state"],
    }

    def __init__(self, *, contamination="auto", random_state=None):
        self.contamination = contamination
        self.random_state = random_state

    def _fit_model(self, Z):
        self.seed_ = int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))

    def _anomaly(self, Z):
        return np.random.default_rng(self.seed_).uniform(size=len(Z))


def _estimator_has(name):
    """For ``available_if``: the wrapped estimator has the method ``name``."""
    return lambda self: hasattr(getattr(self, "estimator_", self.estimator), name)


class SmoothedDetector(_RowScoresMixin, ThresholdMixin, MetaEstimatorMixin, OutlierMixin,
                       BaseEstimator):
    """Any detector's anomaly score smoothed over time as DDMTDetector's is.

    :class:`~skddmt.DDMTDetector` smooths its score with a centred moving
    average of ``score_smoothing`` rows (11 by default). A baseline that
    scores each row alone does not, and a smoothed score ranks anomalous
    segments differently (VUS-PR rewards it). Wrapping a baseline in this
    class compares the two *smoothed alike*: the wrapped detector's anomaly
    score ``-score_samples(X)`` is replaced by its centred moving average of
    ``width`` rows (shrunk at the ends of the series, as DDMT's is), and the
    threshold is set on the smoothed training scores.

    Parameters
    ----------
    estimator : estimator object
        An outlier detector with ``fit`` and ``score_samples`` (higher =
        more normal) whose rows are timestamps: a baseline of this module,
        scikit-learn's ``IsolationForest``, or a ``FrozenEstimator`` of a
        fitted one (it is then not fitted again). It is cloned in ``fit``.
    width : int, default=11
        Rows of the centred moving average; 1 leaves the score as it is.
    contamination : 'auto' or float in (0, 0.5], default='auto'
        Sets ``offset_`` from the smoothed training scores, as in
        :class:`~skddmt.DDMTDetector`.

    Attributes
    ----------
    estimator_ : estimator object
        The fitted clone of ``estimator``.
    offset_ : float
        ``score_samples(X) - offset_ < 0`` marks anomalies.
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from skddmt.baselines import PCADetector, SmoothedDetector
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(500, 4))
    >>> det = SmoothedDetector(PCADetector(), width=11).fit(X)
    >>> det.score_samples(X).shape
    (500,)
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "score_samples"])],
        "width": [Interval(Integral, 1, None, closed="left")],
        "contamination": [StrOptions({"auto"}), Interval(Real, 0, 0.5, closed="right")],
    }

    def __init__(self, estimator, *, width=11, contamination="auto"):
        self.estimator = estimator
        self.width = width
        self.contamination = contamination

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y=None):
        """Fit the wrapped detector, then the threshold on its smoothed scores.

        Parameters
        ----------
        X : array-like of shape (n_timestamps, n_features)
            Training series, at least 2 rows.
        y : Ignored
            Not used, present for API consistency.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        X = validate_data(self, X, dtype=[np.float64, np.float32], ensure_min_samples=2)
        self.estimator_ = clone(self.estimator).fit(X, None)
        self.offset_ = offset_from_training(self._anomaly(X), self.contamination)
        return self

    def _anomaly(self, X):
        """The centred moving average (``width`` rows) of the wrapped
        detector's anomaly score."""
        return moving_average(-np.asarray(self.estimator_.score_samples(X), dtype=np.float64),
                              self.width)

    @available_if(_estimator_has("feature_scores"))
    def feature_scores(self, X):
        """Each feature's share of the smoothed anomaly score of every row.

        Available when the wrapped detector has ``feature_scores``: each
        feature's share, smoothed alike (the moving average is linear, so
        each row still sums to ``-score_samples(X)``).

        Parameters
        ----------
        X : array-like of shape (n_timestamps, n_features)

        Returns
        -------
        ndarray of shape (n_timestamps, n_features)
        """
        parts = np.asarray(self.estimator_.feature_scores(self._scored_input(X)),
                           dtype=np.float64)
        return np.column_stack([moving_average(c, self.width) for c in parts.T])
