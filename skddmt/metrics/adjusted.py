"""Point adjustment: the legacy point-adjusted scores and PA%K (Kim et al. 2022)."""


import numpy as np

from ._checks import _check_labels_pred, _interval_cover, _runs
from .point import point_prf


def _segment_hits(y_true, y_pred):
    """Anomaly segments of y_true and the number of predicted points in each."""
    starts, stops = _runs(y_true)
    csum = np.concatenate(([0], np.cumsum(y_pred, dtype=np.int64)))
    hits = csum[stops] - csum[starts]
    return starts, stops, hits


def point_adjust(y_true, y_pred):
    """Point adjustment: a segment with one detected point counts as fully detected.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Ground truth, 1 = anomaly, 0 = normal.
    y_pred : array-like of shape (n_samples,)
        Predictions, 1 = anomaly, 0 = normal.

    Returns
    -------
    y_adjusted : ndarray of shape (n_samples,), dtype int
        ``y_pred`` where, in every labelled anomaly segment (maximal run of
        ones of ``y_true``) that contains at least one predicted point, all
        points are set to 1. Predictions outside anomaly segments are kept.

    Notes
    -----
    **Legacy and optimistic.** This is the protocol of Xu et al. (2018) that
    Anomaly Transformer and many later papers report. It rewards a detector
    for one lucky point per segment, so on data sets with long anomalies even
    random scores reach a high adjusted F1 (Kim et al. 2022 show a random
    detector beating published models); prefer :func:`pa_k_auc`,
    :func:`affiliation_prf` or :func:`vus_pr`.

    The loop of the Anomaly Transformer / TSB-AD code (``for j in range(i,
    0, -1)``) never back-fills index 0, so a segment that starts at the very
    first timestamp and is detected later keeps ``0`` there; this function
    adjusts the whole segment in every case.

    References
    ----------
    .. [1] H. Xu et al., "Unsupervised Anomaly Detection via Variational
       Auto-Encoder for Seasonal KPIs in Web Applications", WWW 2018.
    .. [2] J. Xu, H. Wu, J. Wang and M. Long, "Anomaly Transformer: Time
       Series Anomaly Detection with Association Discrepancy", ICLR 2022.
    .. [3] S. Kim, K. Choi, H.-S. Choi, B. Lee and S. Yoon, "Towards a
       Rigorous Evaluation of Time-series Anomaly Detection", AAAI 2022.
    """
    y_true, y_pred = _check_labels_pred(y_true, y_pred)
    return _point_adjust(y_true, y_pred)


def _point_adjust(y_true, y_pred):
    n = y_true.size
    starts, stops, hits = _segment_hits(y_true, y_pred)
    det = hits > 0
    covered = _interval_cover(starts[det], stops[det] - 1, n)
    return (y_pred.astype(bool) | covered).astype(int)


def pa_prf(y_true, y_pred):
    """Precision, recall and F1 after point adjustment (:func:`point_adjust`).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Ground truth, 1 = anomaly, 0 = normal.
    y_pred : array-like of shape (n_samples,)
        Predictions, 1 = anomaly, 0 = normal.

    Returns
    -------
    precision, recall, f1 : float
        Point-wise scores of the adjusted predictions (0.0 for 0/0).

    Notes
    -----
    **Legacy and optimistic**: reported for comparison with papers that use
    it (Anomaly Transformer, DDMT, ...). Even random scores reach a high F1
    after point adjustment when anomalies are long segments; use
    :func:`pa_k_auc`, :func:`affiliation_prf` or :func:`vus_pr` to rank
    models.

    References
    ----------
    .. [1] H. Xu et al., "Unsupervised Anomaly Detection via Variational
       Auto-Encoder for Seasonal KPIs in Web Applications", WWW 2018.
    .. [2] J. Xu, H. Wu, J. Wang and M. Long, "Anomaly Transformer: Time
       Series Anomaly Detection with Association Discrepancy", ICLR 2022.
    .. [3] S. Kim, K. Choi, H.-S. Choi, B. Lee and S. Yoon, "Towards a
       Rigorous Evaluation of Time-series Anomaly Detection", AAAI 2022.
    """
    y_true, y_pred = _check_labels_pred(y_true, y_pred)
    return point_prf(y_true, _point_adjust(y_true, y_pred))


def pa_k_auc(y_true, y_pred):
    """Area under the PA%K F1 curve over K = 0, 1, ..., 100 (Kim et al., AAAI 2022).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Ground truth, 1 = anomaly, 0 = normal.
    y_pred : array-like of shape (n_samples,)
        Predictions, 1 = anomaly, 0 = normal.

    Returns
    -------
    auc : float in [0, 1]
        ``sum_{K=0}^{99} (F1_K + F1_{K+1}) / 2 * 0.01``: the trapezoid area
        under F1 as a function of ``K / 100``.

    Notes
    -----
    For a given ``K``, an anomaly segment (maximal run of ones of ``y_true``)
    is adjusted to fully detected when **strictly more than K %** of its points
    are predicted, i.e. ``100 * hits > K * length`` (integer arithmetic, no
    rounding); other segments keep their predicted points. Predictions outside
    anomaly segments are never changed. ``F1_K`` is the point-wise F1 of the
    adjusted predictions.

    Boundary conventions: ``K = 0`` adjusts every segment with at least one
    predicted point, so ``F1_0`` is the point-adjusted F1 of :func:`pa_prf`;
    ``K = 100`` asks for more than 100 % and adjusts nothing, so ``F1_100`` is
    exactly the point-wise F1 of :func:`point_prf`. Hence
    ``F1_100 <= pa_k_auc <= F1_0``. Computed for all segments and all 101
    values of ``K`` at once.

    References
    ----------
    .. [1] S. Kim, K. Choi, H.-S. Choi, B. Lee and S. Yoon, "Towards a
       Rigorous Evaluation of Time-series Anomaly Detection", AAAI 2022.
    """
    y_true, y_pred = _check_labels_pred(y_true, y_pred)
    starts, stops, hits = _segment_hits(y_true, y_pred)
    lengths = stops - starts
    n_pos = int(lengths.sum())
    fp = int(np.count_nonzero(~y_true.astype(bool) & y_pred.astype(bool)))
    ks = np.arange(101)[:, None]
    adjusted = 100 * hits[None, :] > ks * lengths[None, :]          # (101, n_seg)
    tp = np.where(adjusted, lengths[None, :], hits[None, :]).sum(axis=1).astype(float)
    denom = tp + fp + n_pos                                          # 2TP + FP + FN
    f1 = np.divide(2 * tp, denom, out=np.zeros_like(tp), where=denom > 0)
    return float(((f1[:-1] + f1[1:]) / 2).sum() / 100)
