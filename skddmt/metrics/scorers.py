"""Scorers for scikit-learn model selection built on the threshold-free metrics."""

import inspect
import warnings

import numpy as np
from sklearn.exceptions import UndefinedMetricWarning

from ._checks import _check_binary
from .point import auc_pr, auc_roc
from .range import range_auc_pr, range_auc_roc, vus_pr, vus_roc

_SCORER_METRICS = {
    "vus_pr": vus_pr,
    "vus_roc": vus_roc,
    "auc_pr": auc_pr,
    "auc_roc": auc_roc,
    "range_auc_pr": range_auc_pr,
    "range_auc_roc": range_auc_roc,
}


class _TSADScorer:
    """Callable ``scorer(estimator, X, y)`` for scikit-learn model selection."""

    def __init__(self, metric_name, kwargs):
        self.metric_name = metric_name
        self.kwargs = dict(kwargs)

    @property
    def _metric(self):
        return _SCORER_METRICS[self.metric_name]

    def __call__(self, estimator, X, y):
        if y is None:
            raise ValueError(
                f"The {self.metric_name} scorer needs labels y (1 = anomaly); got y=None."
            )
        y = _check_binary(y, "y")
        n_pos = int(y.sum())
        if n_pos == 0 or n_pos == y.size:
            what = "no anomalies (y has no 1)" if n_pos == 0 else "only anomalies (y has no 0)"
            warnings.warn(
                f"{self.metric_name} scorer: this fold has {what}; {self.metric_name} "
                "is undefined and NaN is returned. Choose folds that contain both "
                "anomalous and normal timestamps.",
                UndefinedMetricWarning,
                stacklevel=2,
            )
            return float("nan")
        if hasattr(estimator, "decision_function"):
            score = -np.asarray(estimator.decision_function(X), dtype=float)
        elif hasattr(estimator, "score_samples"):
            score = -np.asarray(estimator.score_samples(X), dtype=float)
        else:
            raise TypeError(
                f"{type(estimator).__name__} has neither decision_function nor "
                "score_samples; cannot compute an anomaly score."
            )
        return float(self._metric(y, score, **self.kwargs))

    def __repr__(self):
        args = "".join(f", {k}={v!r}" for k, v in self.kwargs.items())
        return f"make_tsad_scorer({self.metric_name!r}{args})"


def make_tsad_scorer(metric_name, **kwargs):
    """Scorer for ``GridSearchCV`` & co. from a threshold-free TSAD metric.

    Parameters
    ----------
    metric_name : {'vus_pr', 'vus_roc', 'auc_pr', 'auc_roc', 'range_auc_pr', \
'range_auc_roc'}
        Name of the metric of this module to compute.
    **kwargs
        Extra keyword arguments of the metric, e.g. ``window=50`` for the
        VUS and range metrics. Checked against the metric's signature here.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y) -> float`` computing
        ``metric(y, -estimator.decision_function(X), **kwargs)`` (or with
        ``-estimator.score_samples(X)`` when there is no
        ``decision_function``), where ``y`` has 1 = anomaly and 0 = normal.
        Greater is better. A fold whose ``y`` has no anomaly (or only
        anomalies) emits an :class:`~sklearn.exceptions.UndefinedMetricWarning`
        (a ``UserWarning``) saying so and returns NaN. The scorer pickles.

    Notes
    -----
    Scikit-learn outlier detectors (and :class:`~skddmt.DDMTDetector`) return
    *higher = more normal* from ``decision_function``; the scorer negates it so
    that the metric sees higher = more anomalous. With ``TimeSeriesSplit``
    make sure every test fold contains anomalies: with VUS and the range
    metrics the whole test fold is scored as one series.

    References
    ----------
    .. [1] J. Paparrizos, P. Boniol, T. Palpanas, R. S. Tsay, A. Elmore and
       M. J. Franklin, "Volume Under the Surface: A New Accuracy Evaluation
       Measure for Time-Series Anomaly Detection", PVLDB 15(11), 2022.

    Examples
    --------
    >>> from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
    >>> from skddmt.metrics import make_tsad_scorer
    >>> scorer = make_tsad_scorer("vus_pr", window=20)
    >>> search = GridSearchCV(estimator, param_grid, scoring=scorer,
    ...                       cv=TimeSeriesSplit(3))  # doctest: +SKIP
    """
    if metric_name not in _SCORER_METRICS:
        raise ValueError(
            f"Unknown metric_name {metric_name!r}; valid names are "
            f"{sorted(_SCORER_METRICS)}."
        )
    params = inspect.signature(_SCORER_METRICS[metric_name]).parameters
    allowed = [p for p in params if p not in ("y_true", "score")]
    unknown = sorted(set(kwargs) - set(allowed))
    if unknown:
        raise ValueError(
            f"Unknown keyword argument(s) {unknown} for {metric_name}; "
            f"allowed: {allowed}."
        )
    return _TSADScorer(metric_name, kwargs)


#: ``make_tsad_scorer('vus_pr')``: VUS-PR with ``window=100``.
vus_pr_scorer = make_tsad_scorer("vus_pr")
#: ``make_tsad_scorer('vus_roc')``: VUS-ROC with ``window=100``.
vus_roc_scorer = make_tsad_scorer("vus_roc")
#: ``make_tsad_scorer('auc_pr')``: point-wise average precision.
auc_pr_scorer = make_tsad_scorer("auc_pr")
#: ``make_tsad_scorer('auc_roc')``: point-wise ROC AUC.
auc_roc_scorer = make_tsad_scorer("auc_roc")
