"""Point-wise metrics: precision/recall/F1, the best F1 over thresholds, and
the point-wise ROC and PR areas."""


import numpy as np
from sklearn.metrics import (
    average_precision_score,
    precision_recall_curve,
    roc_auc_score,
)

from ._checks import _check_labels_pred, _check_labels_score, _prf


def point_prf(y_true, y_pred):
    """Point-wise precision, recall and F1 of binary predictions.

    Every timestamp counts as one sample, as in ordinary classification.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Ground truth, 1 = anomaly, 0 = normal.
    y_pred : array-like of shape (n_samples,)
        Predictions, 1 = anomaly, 0 = normal.

    Returns
    -------
    precision, recall, f1 : float
        Each is 0.0 where its ratio would be 0/0 (no prediction, no anomaly),
        like scikit-learn's ``zero_division=0``.

    Notes
    -----
    Point-wise scores ignore the time structure: detecting one long anomaly
    early and missing the rest counts as many misses. They are the
    ``K = 100`` end of :func:`pa_k_auc`.

    References
    ----------
    .. [1] S. Kim, K. Choi, H.-S. Choi, B. Lee and S. Yoon, "Towards a
       Rigorous Evaluation of Time-series Anomaly Detection", AAAI 2022.
    """
    y_true, y_pred = _check_labels_pred(y_true, y_pred)
    t = y_true.astype(bool)
    p = y_pred.astype(bool)
    tp = int(np.count_nonzero(t & p))
    fp = int(np.count_nonzero(~t & p))
    fn = int(np.count_nonzero(t & ~p))
    return _prf(tp, fp, fn)


def best_f1(y_true, score):
    """Best point-wise F1 over all thresholds of the score (an oracle).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Ground truth, 1 = anomaly, 0 = normal; must contain both classes.
    score : array-like of shape (n_samples,)
        Anomaly score, higher = more anomalous.

    Returns
    -------
    f1 : float
        ``max_t F1(y_true, score >= t)`` over every distinct score value ``t``.

    Notes
    -----
    **This is an oracle**: the threshold is chosen with the test labels, so the
    number is an upper bound on what a deployed detector with a fixed threshold
    reaches, not an estimate of it. It is computed in one pass from
    :func:`sklearn.metrics.precision_recall_curve`; unlike TSB-AD's
    ``metric_PointF1`` no ``1e-5`` is added to the denominator, so a perfect
    score gives exactly 1.

    References
    ----------
    .. [1] S. Kim, K. Choi, H.-S. Choi, B. Lee and S. Yoon, "Towards a
       Rigorous Evaluation of Time-series Anomaly Detection", AAAI 2022.
    .. [2] Q. Liu and J. Paparrizos, "The Elephant in the Room: Towards A
       Reliable Time-Series Anomaly Detection Benchmark", NeurIPS 2024
       Datasets and Benchmarks (TSB-AD, "Standard-F1").
    """
    y_true, score = _check_labels_score(y_true, score)
    precision, recall, _ = precision_recall_curve(y_true, score)
    denom = precision + recall
    f1 = np.divide(2 * precision * recall, denom, out=np.zeros_like(denom), where=denom > 0)
    return float(f1.max())


def auc_roc(y_true, score):
    """Area under the point-wise ROC curve.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Ground truth, 1 = anomaly, 0 = normal; must contain both classes.
    score : array-like of shape (n_samples,)
        Anomaly score, higher = more anomalous.

    Returns
    -------
    auc : float
        :func:`sklearn.metrics.roc_auc_score` of ``(y_true, score)``.

    Notes
    -----
    Threshold-free and invariant to strictly increasing transforms of the
    score. With rare anomalies it is dominated by the many normal points;
    :func:`auc_pr` and :func:`vus_pr` separate detectors better.

    References
    ----------
    .. [1] T. Fawcett, "An introduction to ROC analysis", Pattern Recognition
       Letters 27(8), 2006.
    """
    y_true, score = _check_labels_score(y_true, score)
    return float(roc_auc_score(y_true, score))


def auc_pr(y_true, score):
    """Area under the point-wise precision-recall curve (average precision).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Ground truth, 1 = anomaly, 0 = normal; must contain both classes.
    score : array-like of shape (n_samples,)
        Anomaly score, higher = more anomalous.

    Returns
    -------
    ap : float
        :func:`sklearn.metrics.average_precision_score` of
        ``(y_true, score)`` (the step-wise sum, no interpolation), which is
        what TSB-AD reports as AUC-PR.

    Notes
    -----
    Threshold-free and invariant to strictly increasing transforms of the
    score. A random score has an expected value near the anomaly rate.

    References
    ----------
    .. [1] J. Davis and M. Goadrich, "The relationship between
       Precision-Recall and ROC curves", ICML 2006.
    """
    y_true, score = _check_labels_score(y_true, score)
    return float(average_precision_score(y_true, score))
