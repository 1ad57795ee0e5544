"""Evaluation metrics for time-series anomaly detection.

Conventions shared by every function of this module:

* ``y_true`` holds one 0/1 label per timestamp, **1 = anomaly**;
* ``y_pred`` holds one 0/1 prediction per timestamp, **1 = predicted anomaly**
  (``DDMTDetector.predict`` returns -1/+1; convert it with
  ``(det.predict(X) == -1).astype(int)``);
* ``score`` is a real-valued anomaly score, **higher = more anomalous**
  (for a fitted :class:`~skddmt.DDMTDetector` use ``-det.score_samples(X)`` or
  ``-det.decision_function(X)``).

The module has four families:

* point-wise scores: :func:`point_prf`, :func:`best_f1`;
* adjusted scores: :func:`point_adjust`, :func:`pa_prf` (legacy, optimistic),
  :func:`pa_k_auc` (PA%K, Kim et al. 2022);
* :func:`affiliation_prf` (Huet, Navarro & Rossi 2022);
* threshold-free scores: :func:`auc_roc`, :func:`auc_pr`,
  :func:`range_auc_roc`, :func:`range_auc_pr`, :func:`vus_roc`,
  :func:`vus_pr` (Paparrizos et al. 2022), and scorers built on them for
  model selection (:func:`make_tsad_scorer`).

Everything is vectorised with NumPy: no Python loop runs over timestamps.
"""

import inspect
import warnings
from numbers import Integral

import numpy as np
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score

__all__ = [
    "point_prf",
    "best_f1",
    "point_adjust",
    "pa_prf",
    "pa_k_auc",
    "affiliation_prf",
    "auc_roc",
    "auc_pr",
    "range_auc_roc",
    "range_auc_pr",
    "vus_roc",
    "vus_pr",
    "make_tsad_scorer",
    "vus_pr_scorer",
    "vus_roc_scorer",
    "auc_pr_scorer",
    "auc_roc_scorer",
]

#: Number of score thresholds of the range AUCs and of VUS, as in TSB-AD
#: (``RangeAUC`` hard-codes 250; ``RangeAUC_volume_opt`` has ``thre=250``).
DEFAULT_N_THRESHOLDS = 250


# --------------------------------------------------------------------------
# Input validation and small helpers
# --------------------------------------------------------------------------


def _check_binary(y, name):
    """1-D int8 copy of a 0/1 vector; ValueError for anything else."""
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got an array of shape {y.shape}.")
    if y.size == 0:
        raise ValueError(f"{name} is empty.")
    if y.dtype == bool:
        return y.astype(np.int8)
    if not (np.issubdtype(y.dtype, np.number)):
        raise ValueError(f"{name} must be numeric 0/1 labels, got dtype {y.dtype}.")
    if np.issubdtype(y.dtype, np.floating) and np.isnan(y).any():
        raise ValueError(f"{name} contains NaN; it must hold 0/1 labels.")
    ok = (y == 0) | (y == 1)
    if not ok.all():
        bad = np.unique(y[~ok])[:5]
        hint = ""
        if np.any(bad == -1):
            hint = (" Outlier-detector predictions use -1 = anomaly, +1 = normal; "
                    "convert them with (pred == -1).astype(int).")
        raise ValueError(
            f"{name} must be binary with 1 = anomaly and 0 = normal; "
            f"found value(s) {bad.tolist()}.{hint}"
        )
    return y.astype(np.int8)


def _check_score(score, name="score"):
    """1-D float64 copy of a finite score vector; ValueError for anything else."""
    try:
        s = np.asarray(score, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be an array of real numbers.") from exc
    if s.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got an array of shape {s.shape}.")
    if s.size == 0:
        raise ValueError(f"{name} is empty.")
    if np.isnan(s).any():
        raise ValueError(f"{name} contains NaN values.")
    if not np.isfinite(s).all():
        raise ValueError(f"{name} contains infinite values.")
    return s


def _check_same_length(a, b, name_a, name_b):
    if a.shape[0] != b.shape[0]:
        raise ValueError(
            f"{name_a} and {name_b} must have the same length, "
            f"got {a.shape[0]} and {b.shape[0]}."
        )


def _check_labels_pred(y_true, y_pred):
    y_true = _check_binary(y_true, "y_true")
    y_pred = _check_binary(y_pred, "y_pred")
    _check_same_length(y_true, y_pred, "y_true", "y_pred")
    return y_true, y_pred


def _check_labels_score(y_true, score, *, need_both=True):
    y_true = _check_binary(y_true, "y_true")
    score = _check_score(score)
    _check_same_length(y_true, score, "y_true", "score")
    if need_both:
        n_pos = int(y_true.sum())
        if n_pos == 0:
            raise ValueError("y_true contains no anomaly (no 1); the metric is undefined.")
        if n_pos == y_true.size:
            raise ValueError(
                "y_true contains only anomalies (no 0); the metric is undefined."
            )
    return y_true, score


def _check_window(window, name="window"):
    if isinstance(window, bool) or not isinstance(window, Integral) or window < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {window!r}.")
    return int(window)


def _check_n_thresholds(n_thresholds):
    if (isinstance(n_thresholds, bool) or not isinstance(n_thresholds, Integral)
            or n_thresholds < 1):
        raise ValueError(f"n_thresholds must be a positive integer, got {n_thresholds!r}.")
    return int(n_thresholds)


def _runs(mask):
    """Maximal runs of True in a 1-D mask as half-open ``[starts, stops)``."""
    m = np.concatenate(([0], np.asarray(mask, dtype=np.int8), [0]))
    d = np.diff(m)
    return np.flatnonzero(d == 1), np.flatnonzero(d == -1)


def _prf(tp, fp, fn):
    """Precision, recall, F1 from counts, 0 where a ratio is 0/0."""
    precision = tp / (tp + fp) if tp + fp > 0 else 0.0
    recall = tp / (tp + fn) if tp + fn > 0 else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return float(precision), float(recall), float(f1)


def _interval_cover(lo, hi, n):
    """Boolean mask of length n, True on the union of inclusive ``[lo, hi]``."""
    delta = np.bincount(lo, minlength=n + 1)[: n + 1].astype(np.int64)
    delta -= np.bincount(hi + 1, minlength=n + 1)[: n + 1]
    return np.cumsum(delta[:n]) > 0


# --------------------------------------------------------------------------
# Point-wise metrics
# --------------------------------------------------------------------------


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


# --------------------------------------------------------------------------
# Point adjustment and PA%K
# --------------------------------------------------------------------------


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


# --------------------------------------------------------------------------
# Affiliation metrics
# --------------------------------------------------------------------------


def _pl_integral(func, u, v, kinks):
    """Exact integral over [u, v] of a function that is linear between kinks.

    ``func`` maps an array of points of shape (k, N) to values of the same
    shape; ``kinks`` (shape (m, N)) holds every point where it may bend.
    """
    pts = np.vstack([u[None, :], v[None, :], np.clip(kinks, u, v)])
    pts.sort(axis=0)
    vals = func(pts)
    return (np.diff(pts, axis=0) * (vals[1:] + vals[:-1]) / 2).sum(axis=0)


def affiliation_prf(y_true, y_pred):
    """Affiliation precision, recall and F1 (Huet, Navarro & Rossi, KDD 2022).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Ground truth, 1 = anomaly, 0 = normal; must contain an anomaly.
    y_pred : array-like of shape (n_samples,)
        Predictions, 1 = anomaly, 0 = normal.

    Returns
    -------
    precision : float
        Mean individual precision over the affiliation zones that contain a
        prediction; **NaN when nothing is predicted** (undefined, as in the
        reference package).
    recall : float
        Mean individual recall over all affiliation zones.
    f1 : float
        ``2 P R / (P + R)``; 0.0 when precision is NaN or ``P + R = 0``.

    Notes
    -----
    Definitions of the authors' reference package ``affiliation-metrics``
    (``affiliation.metrics.pr_from_events`` and its helpers), on a discrete
    series:

    * each 1 at index ``i`` is the interval ``[i, i + 1)`` and consecutive
      ones merge into one event (``convert_vector_to_events``); the time
      range is ``[0, n_samples)``;
    * the ground-truth events ``J_1, ..., J_m`` split the time range into
      zones of affiliation ``E_j`` at the midpoints of the gaps between
      consecutive events; predicted events are cut along these zones;
    * individual precision of zone ``j``: the mean, over the predicted time
      in ``E_j``, of ``P(d(X, J_j) >= d(x, J_j))`` for ``X`` uniform on
      ``E_j``, i.e. ``1 - (|J_j| + d + min(d, m_j)) / |E_j|`` outside
      ``J_j`` (``m_j`` the smaller margin between ``J_j`` and the zone's
      borders) and 1 inside; undefined (skipped) without prediction in
      ``E_j``;
    * individual recall of zone ``j``: the mean, over ``y in J_j``, of
      ``P(|X - y| >= d(y, pred))`` for ``X`` uniform on ``E_j``, where
      ``pred`` is the predicted time inside ``E_j``; 0 without prediction
      in ``E_j``;
    * precision is averaged over zones with predictions, recall over all
      zones, and F1 is computed from the two averages.

    All integrals are computed in closed form (the integrands are piecewise
    linear), vectorised over events and zones.

    References
    ----------
    .. [1] A. Huet, J. M. Navarro and D. Rossi, "Local Evaluation of Time
       Series Anomaly Detection Algorithms", KDD 2022.
    """
    y_true, y_pred = _check_labels_pred(y_true, y_pred)
    n = y_true.size
    gs, ge = _runs(y_true)
    if gs.size == 0:
        raise ValueError(
            "y_true contains no anomaly; affiliation metrics need at least one "
            "ground-truth event."
        )
    ps, pe = _runs(y_pred)
    m = gs.size
    gs = gs.astype(float)
    ge = ge.astype(float)
    zb = np.empty(m + 1)
    zb[0], zb[-1] = 0.0, float(n)
    zb[1:-1] = (ge[:-1] + gs[1:]) / 2
    zl, zr = zb[:-1], zb[1:]
    zlen = zr - zl
    jlen = ge - gs
    margin = np.minimum(gs - zl, zr - ge)

    if ps.size == 0:
        return float("nan"), 0.0, 0.0

    # Predicted events cut along the zones: pieces [pu, pv) in zone pz,
    # ordered by time.
    ps = ps.astype(float)
    pe = pe.astype(float)
    za = np.clip(np.searchsorted(zb, ps, side="right") - 1, 0, m - 1)
    zz = np.clip(np.searchsorted(zb, pe, side="left") - 1, 0, m - 1)
    count = zz - za + 1
    ev = np.repeat(np.arange(ps.size), count)
    offset = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    pz = np.repeat(za, count) + offset
    pu = np.maximum(ps[ev], zl[pz])
    pv = np.minimum(pe[ev], zr[pz])
    keep = pv > pu
    pu, pv, pz = pu[keep], pv[keep], pz[keep]

    # ---- precision: integrate over the pieces, split before / in / after J.
    s, e = gs[pz], ge[pz]
    mg, el, jl = margin[pz], zlen[pz], jlen[pz]

    def g(x):  # d + min(d, m) with d = distance to J (x outside J)
        d = np.maximum(np.maximum(s - x, x - e), 0.0)
        return d + np.minimum(d, mg)

    kinks = np.vstack([s - mg, e + mg])
    bu, bv = pu, np.minimum(pv, s)                      # part before J
    au, av = np.maximum(pu, e), pv                      # part after J
    blen = np.maximum(bv - bu, 0.0)
    alen = np.maximum(av - au, 0.0)
    inside = np.maximum(np.minimum(pv, e) - np.maximum(pu, s), 0.0)
    b_int = np.where(blen > 0, _pl_integral(g, bu, np.maximum(bv, bu), kinks), 0.0)
    a_int = np.where(alen > 0, _pl_integral(g, np.minimum(au, av), av, kinks), 0.0)
    outside_len = blen + alen
    prec_num = inside + outside_len - (jl * outside_len + b_int + a_int) / el
    num = np.bincount(pz, weights=prec_num, minlength=m)
    den = np.bincount(pz, weights=pv - pu, minlength=m)
    has_pred = den > 0
    precision = float(np.mean(num[has_pred] / den[has_pred]))

    # ---- recall: integrate over each J, split at piece borders and at the
    # midpoints between consecutive pieces of the same zone.
    same = pz[:-1] == pz[1:]
    mids = (pv[:-1] + pu[1:])[same] / 2
    cand_val = np.concatenate([gs, ge, pu, pv, mids])
    cand_zone = np.concatenate([np.arange(m), np.arange(m), pz, pz, pz[:-1][same]])
    cand_val = np.clip(cand_val, gs[cand_zone], ge[cand_zone])
    order = np.lexsort((cand_val, cand_zone))
    cand_val, cand_zone = cand_val[order], cand_zone[order]
    ok = (cand_zone[:-1] == cand_zone[1:]) & (cand_val[1:] > cand_val[:-1])
    su, sv, sz = cand_val[:-1][ok], cand_val[1:][ok], cand_zone[:-1][ok]
    mid = (su + sv) / 2
    npc = pu.size
    left = np.searchsorted(pu, mid, side="right") - 1
    lc = np.clip(left, 0, npc - 1)
    rc = np.clip(left + 1, 0, npc - 1)
    left_ok = (left >= 0) & (pz[lc] == sz)
    right_ok = (left + 1 < npc) & (pz[rc] == sz)
    in_pred = left_ok & (mid < pv[lc])
    take_left = left_ok & (~right_ok | (mid < (pv[lc] + pu[rc]) / 2))
    pivot = np.where(take_left, pv[lc], pu[rc])
    lo, hi = zl[sz], zr[sz]

    def f(y):  # d + min(d, distance to the nearer zone border)
        d = np.abs(y - pivot)
        return d + np.minimum(d, np.minimum(y - lo, hi - y))

    kinks = np.vstack([(lo + hi) / 2, (pivot + lo) / 2, (pivot + hi) / 2])
    seg_len = sv - su
    val = seg_len - np.where(in_pred, 0.0, _pl_integral(f, su, sv, kinks) / zlen[sz])
    val = np.where(left_ok | right_ok, val, 0.0)        # zone without prediction
    rec_zone = np.bincount(sz, weights=val, minlength=m) / jlen
    recall = float(np.mean(rec_zone))

    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return precision, recall, float(f1)


# --------------------------------------------------------------------------
# Threshold-free metrics
# --------------------------------------------------------------------------


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


def _thresholds(score, n_thresholds):
    """TSB-AD's thresholds and, for each point, the first one that flags it.

    The thresholds are ``sort(score, descending)[linspace(0, n-1, T).astype(int)]``
    and a point is predicted at threshold ``t`` when ``score >= thr[t]``.
    Returns ``thr`` (non-increasing), ``n_pred[t]`` (number of predicted
    points) and a function mapping scores to the index of the first threshold
    that predicts them (``T`` = never).
    """
    n = score.size
    asc = np.sort(score)
    idx = np.linspace(0, n - 1, n_thresholds).astype(int)
    thr = asc[n - 1 - idx]
    n_pred = (n - np.searchsorted(asc, thr, side="left")).astype(float)
    thr_asc = thr[::-1]

    def first(values):
        return n_thresholds - np.searchsorted(thr_asc, values, side="right")

    return thr, n_pred, first


def _cum_by_threshold(first_idx, n_thresholds, weights=None):
    """``out[t] = sum of weights of the points whose first threshold is <= t``."""
    counts = np.bincount(first_idx, weights=weights, minlength=n_thresholds + 1)
    return np.cumsum(counts[:n_thresholds])


def _range_min(values, lo, hi_excl):
    """Minimum of ``values[lo[k]:hi_excl[k]]`` for every k (non-empty ranges)."""
    ext = np.append(values, np.iinfo(values.dtype).max)
    return np.minimum.reduceat(ext, np.column_stack([lo, hi_excl]).ravel())[::2]


def _auc_ap(tpr, fpr, prec):
    """TSB-AD's areas: trapezoid ROC from (0,0) to (1,1), step-wise AP."""
    tpr_full = np.concatenate(([0.0], tpr, [1.0]))
    fpr_full = np.concatenate(([0.0], fpr, [1.0]))
    auc = float(np.sum(np.diff(fpr_full) * (tpr_full[1:] + tpr_full[:-1]) / 2))
    ap = float(np.sum(np.diff(tpr_full[:-1]) * prec))
    return auc, ap


def _nearest_segment_distances(x, starts, ends, far):
    """Distances from non-anomalous points x to the two nearest segment ends
    before them and the two nearest segment starts after them (``far`` where
    there is none). ``starts``/``ends`` are inclusive segment bounds."""
    k = np.searchsorted(ends, x, side="left")          # number of segments before x
    nseg = starts.size

    def pick(arr, j, sign):
        ok = (j >= 0) & (j < nseg)
        d = sign * (x - arr[np.clip(j, 0, nseg - 1)])
        return np.where(ok, d, far)

    return (pick(ends, k - 1, 1), pick(ends, k - 2, 1),
            pick(starts, k, -1), pick(starts, k + 1, -1))


def _range_auc(y_true, score, window, n_thresholds):
    """Range-AUC-ROC and Range-AUC-PR of TSB-AD's ``RangeAUC`` (one window)."""
    n = y_true.size
    starts, stops = _runs(y_true)
    ends = stops - 1
    n_pos = float(stops.sum() - starts.sum())
    h = window // 2
    # Buffer of extend_postive_range: h points before each segment and h - 1
    # after it, weight sqrt(1 - d / window) at distance d, sum clipped to 1.
    lo = np.maximum(starts - h, 0)
    hi = np.minimum(ends + max(h - 1, 0), n - 1)
    region = np.flatnonzero(_interval_cover(lo, hi, n))
    is_anom = y_true[region].astype(bool)
    labels = np.ones(region.size)
    buf = region[~is_anom]
    if buf.size:
        far = n + window + 2
        d_after1, d_after2, d_before1, d_before2 = _nearest_segment_distances(buf, starts, ends, far)
        total = np.zeros(buf.size)
        for d, top in ((d_after1, h - 1), (d_after2, h - 1), (d_before1, h), (d_before2, h)):
            use = (d >= 1) & (d <= top)
            total = total + np.where(use, np.sqrt(1 - np.where(use, d, 0) / max(window, 1)), 0.0)
        labels[~is_anom] = np.minimum(1.0, total)

    _, n_pred, first = _thresholds(score, n_thresholds)
    fr = first(score[region])
    tp = _cum_by_threshold(fr, n_thresholds, labels)
    partial = labels < 1.0
    n_one = float(np.count_nonzero(~partial))
    new_labels = n_one + _cum_by_threshold(fr[partial], n_thresholds, labels[partial])
    p_new = (n_pos + new_labels) / 2
    recall = np.minimum(tp / p_new, 1.0)
    # Segments for the existence reward: the non-zero runs of the buffered label.
    gap = np.flatnonzero(np.diff(region) > 1)
    run_lo = np.concatenate(([0], gap + 1))
    run_hi = np.concatenate((gap + 1, [region.size]))
    run_first = _range_min(fr, run_lo, run_hi)
    existence = _cum_by_threshold(run_first, n_thresholds) / run_lo.size
    tpr = recall * existence
    fpr = (n_pred - tp) / (n - p_new)
    prec = tp / n_pred
    return _auc_ap(tpr, fpr, prec)


def _vus(y_true, score, window, n_thresholds):
    """VUS-ROC and VUS-PR of TSB-AD's ``RangeAUC_volume_opt``, vectorised."""
    n = y_true.size
    starts, stops = _runs(y_true)
    ends = stops - 1
    nseg = starts.size
    n_pos = float(stops.sum() - starts.sum())
    H = window // 2
    # Everything that can carry weight for some buffer length <= window.
    region = np.flatnonzero(_interval_cover(np.maximum(starts - H, 0),
                                            np.minimum(ends + H, n - 1), n))
    is_anom = y_true[region].astype(bool)
    _, n_pred, first = _thresholds(score, n_thresholds)
    fr = first(score[region])
    fr_anom = _cum_by_threshold(fr[is_anom], n_thresholds)        # predicted anomalies
    buf = region[~is_anom]
    fb = fr[~is_anom]
    far = n + window + 2
    # Every ramp weight is >= sqrt(1/2) (distance <= l // 2), so a point within
    # reach of two ramps is clipped to 1: only the nearest and the second
    # nearest segment distances (d1 <= d2) matter.
    dist = np.sort(np.vstack(_nearest_segment_distances(buf, starts, ends, far)), axis=0)
    order = np.argsort(dist[0], kind="stable")
    d1, d2, fb = dist[0, order], dist[1, order], fb[order]

    roc = np.empty(window + 1)
    pr = np.empty(window + 1)
    for w in range(window + 1):
        h = w // 2
        if h > 0:
            k = np.searchsorted(d1, h, side="right")      # buffer points within h
            weight = np.where(d2[:k] <= h, 1.0, np.sqrt(1 - d1[:k] / w))
            b = _cum_by_threshold(fb[:k], n_thresholds, weight)
        else:
            b = np.zeros(n_thresholds)
        # Buffered segments of this window: [s - h, e + h], merged if they touch.
        new_group = np.concatenate(([True], ends[:-1] + h < starts[1:] - h))
        g_first = np.flatnonzero(new_group)
        g_last = np.append(g_first[1:] - 1, nseg - 1)
        g_lo = np.maximum(starts[g_first] - h, 0)
        g_hi = np.minimum(ends[g_last] + h, n - 1)
        p_lo = np.searchsorted(region, g_lo, side="left")
        p_hi = np.searchsorted(region, g_hi, side="right")
        seg_first = _range_min(fr, p_lo, p_hi)
        existence = _cum_by_threshold(seg_first, n_thresholds) / g_first.size

        tp = fr_anom + b
        p_new = n_pos + b / 2                  # (P + N_labels) / 2, N_labels = P + b
        recall = np.minimum(tp / p_new, 1.0)
        tpr = recall * existence
        fpr = (n_pred - tp) / (n - p_new)
        prec = tp / n_pred
        roc[w], pr[w] = _auc_ap(tpr, fpr, prec)
    return float(roc.mean()), float(pr.mean())


_VUS_NOTES = """
    Definitions of TSB-AD (``TSB_AD/evaluation/basic_metrics.py``, class
    ``basic_metricor``); VUS is ``RangeAUC_volume_opt`` with its default
    ``thre=250`` thresholds. For each buffer length ``l = 0, 1, ..., window``:

    * the labels are extended by ``l // 2`` points on each side of every
      anomaly segment with weight ``sqrt(1 - d / l)`` at distance ``d``
      (weights of overlapping buffers add up, clipped to 1);
    * the thresholds are ``n_thresholds`` values of the score sorted in
      decreasing order, at ranks ``linspace(0, n - 1, n_thresholds)``
      truncated to integers; a point is predicted when ``score >= threshold``;
    * at each threshold, with ``b`` the summed buffer weight of the predicted
      buffer points and ``P`` the number of anomalous points:
      ``TP = (predicted anomalous points) + b``,
      ``recall = min(TP / (P + b / 2), 1)``, the existence reward is the share
      of buffered segments (segments widened by ``l // 2`` on each side and
      merged where they overlap) that contain a predicted point, ``TPR = recall * existence``,
      ``FPR = (n_pred - TP) / (n - P - b / 2)`` and
      ``precision = TP / n_pred``;
    * ``ROC-AUC_l`` is the trapezoid area of (FPR, TPR) from (0, 0) through
      the thresholds to (1, 1); ``PR-AUC_l`` is ``sum (TPR_k - TPR_{k-1})
      precision_k`` over the thresholds, starting from TPR = 0.

    VUS-ROC and VUS-PR are the means of ``ROC-AUC_l`` and ``PR-AUC_l`` over
    ``l = 0, ..., window``. Everything is vectorised over thresholds and over
    the points near anomalies: a series of 10**6 points takes well under a
    second with a few hundred anomaly segments and a few seconds in the worst
    case (buffers covering the whole series), where TSB-AD's loops take minutes.

    **What ``window`` means.** ``window`` is TSB-AD's ``slidingWindow`` as
    passed to ``get_metrics(score, labels, slidingWindow=window)`` (the
    current TSB-AD code and its PyPI release 1.5 call
    ``generate_curve(labels, score, slidingWindow, ...)``, i.e.
    ``RangeAUC_volume_opt(windowSize=slidingWindow)``): the largest buffer
    length, so the largest buffer is ``window // 2`` points on each side.
    Older code (TSB-UAD and early TSB-AD) called
    ``generate_curve(labels, score, 2 * slidingWindow)``; to reproduce those
    numbers pass ``window=2 * slidingWindow``.
"""

_RANGE_NOTES = """
    Definitions of TSB-AD's ``basic_metricor.RangeAUC(labels, score,
    window=window)`` (250 thresholds, ``AUC_type='window'``): the labels are
    extended by ``extend_postive_range``, i.e. ``window // 2`` points before
    each anomaly segment and ``window // 2 - 1`` after it, with weight
    ``sqrt(1 - d / window)`` at distance ``d`` (overlaps add up, clipped to 1).
    At each threshold, with ``w_i`` the extended label:
    ``TP = sum_i w_i pred_i``; ``P_new = (P + #{w_i = 1} + sum_{0 < w_i < 1}
    w_i pred_i) / 2``; ``recall = min(TP / P_new, 1)``; the existence reward is
    the share of non-zero runs of the extended label that contain a predicted
    point; ``TPR = recall * existence``, ``FPR = (n_pred - TP) / (n - P_new)``
    and ``precision = TP / n_pred``. The areas are computed as for
    :func:`vus_roc`.

    TSB-AD segments the *float* extended label with an integer-transition
    detector (``np.diff(label) == 1``), which mis-segments it as soon as there
    is a buffer (``window >= 2``) and typically finds no segment at all from
    ``window = 4`` on, then divides by zero (TSB-AD no longer calls
    ``RangeAUC``). Here the segments are the non-zero runs of the
    extended label, as in the ``VUS`` package's ``range_convers_new``; for
    ``window <= 1`` (no buffer) the two agree. This is a point where TSB-AD
    itself cannot be followed literally.
"""



def _with_notes(notes):
    """Decorator: put a shared Notes text into the docstring's ``@NOTES@`` line."""
    def decorate(func):
        func.__doc__ = func.__doc__.replace("    @NOTES@\n", notes.lstrip("\n") + "\n")
        return func
    return decorate


@_with_notes(_RANGE_NOTES)
def range_auc_roc(y_true, score, window=100, *, n_thresholds=DEFAULT_N_THRESHOLDS):
    """Range-AUC-ROC with a soft label buffer (Paparrizos et al., VLDB 2022).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Ground truth, 1 = anomaly, 0 = normal; must contain both classes.
    score : array-like of shape (n_samples,)
        Anomaly score, higher = more anomalous.
    window : int, default=100
        Buffer length ``window`` of TSB-AD's ``RangeAUC`` (see Notes).
    n_thresholds : int, default=250
        Number of score thresholds (TSB-AD uses 250).

    Returns
    -------
    auc : float
        Area under the range ROC curve.

    Notes
    -----
    @NOTES@
    References
    ----------
    .. [1] J. Paparrizos, P. Boniol, T. Palpanas, R. S. Tsay, A. Elmore and
       M. J. Franklin, "Volume Under the Surface: A New Accuracy Evaluation
       Measure for Time-Series Anomaly Detection", PVLDB 15(11), 2022.
    .. [2] Q. Liu and J. Paparrizos, "The Elephant in the Room: Towards A
       Reliable Time-Series Anomaly Detection Benchmark", NeurIPS 2024
       Datasets and Benchmarks (TSB-AD).
    """
    y_true, score = _check_labels_score(y_true, score)
    window = _check_window(window)
    return _range_auc(y_true, score, window, _check_n_thresholds(n_thresholds))[0]


@_with_notes(_RANGE_NOTES)
def range_auc_pr(y_true, score, window=100, *, n_thresholds=DEFAULT_N_THRESHOLDS):
    """Range-AUC-PR with a soft label buffer (Paparrizos et al., VLDB 2022).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Ground truth, 1 = anomaly, 0 = normal; must contain both classes.
    score : array-like of shape (n_samples,)
        Anomaly score, higher = more anomalous.
    window : int, default=100
        Buffer length ``window`` of TSB-AD's ``RangeAUC`` (see Notes).
    n_thresholds : int, default=250
        Number of score thresholds (TSB-AD uses 250).

    Returns
    -------
    ap : float
        Area under the range precision-recall curve.

    Notes
    -----
    @NOTES@
    References
    ----------
    .. [1] J. Paparrizos, P. Boniol, T. Palpanas, R. S. Tsay, A. Elmore and
       M. J. Franklin, "Volume Under the Surface: A New Accuracy Evaluation
       Measure for Time-Series Anomaly Detection", PVLDB 15(11), 2022.
    .. [2] Q. Liu and J. Paparrizos, "The Elephant in the Room: Towards A
       Reliable Time-Series Anomaly Detection Benchmark", NeurIPS 2024
       Datasets and Benchmarks (TSB-AD).
    """
    y_true, score = _check_labels_score(y_true, score)
    window = _check_window(window)
    return _range_auc(y_true, score, window, _check_n_thresholds(n_thresholds))[1]


@_with_notes(_VUS_NOTES)
def vus_roc(y_true, score, window=100, *, n_thresholds=DEFAULT_N_THRESHOLDS):
    """Volume under the range-ROC surface, VUS-ROC (Paparrizos et al., VLDB 2022).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Ground truth, 1 = anomaly, 0 = normal; must contain both classes.
    score : array-like of shape (n_samples,)
        Anomaly score, higher = more anomalous.
    window : int, default=100
        Largest buffer length; equals TSB-AD's ``slidingWindow`` (see Notes).
    n_thresholds : int, default=250
        Number of score thresholds (TSB-AD's ``thre``).

    Returns
    -------
    vus : float
        Mean range-ROC-AUC over buffer lengths ``0, 1, ..., window``.

    Notes
    -----
    @NOTES@
    References
    ----------
    .. [1] J. Paparrizos, P. Boniol, T. Palpanas, R. S. Tsay, A. Elmore and
       M. J. Franklin, "Volume Under the Surface: A New Accuracy Evaluation
       Measure for Time-Series Anomaly Detection", PVLDB 15(11), 2022.
    .. [2] Q. Liu and J. Paparrizos, "The Elephant in the Room: Towards A
       Reliable Time-Series Anomaly Detection Benchmark", NeurIPS 2024
       Datasets and Benchmarks (TSB-AD).
    """
    y_true, score = _check_labels_score(y_true, score)
    window = _check_window(window)
    return _vus(y_true, score, window, _check_n_thresholds(n_thresholds))[0]


@_with_notes(_VUS_NOTES)
def vus_pr(y_true, score, window=100, *, n_thresholds=DEFAULT_N_THRESHOLDS):
    """Volume under the range-PR surface, VUS-PR (Paparrizos et al., VLDB 2022).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Ground truth, 1 = anomaly, 0 = normal; must contain both classes.
    score : array-like of shape (n_samples,)
        Anomaly score, higher = more anomalous.
    window : int, default=100
        Largest buffer length; equals TSB-AD's ``slidingWindow`` (see Notes).
    n_thresholds : int, default=250
        Number of score thresholds (TSB-AD's ``thre``).

    Returns
    -------
    vus : float
        Mean range-PR-AUC over buffer lengths ``0, 1, ..., window``;
        ``vus_pr(y, s, window=100)`` equals TSB-AD's
        ``get_metrics(s, y, slidingWindow=100)['VUS-PR']``.

    Notes
    -----
    @NOTES@
    References
    ----------
    .. [1] J. Paparrizos, P. Boniol, T. Palpanas, R. S. Tsay, A. Elmore and
       M. J. Franklin, "Volume Under the Surface: A New Accuracy Evaluation
       Measure for Time-Series Anomaly Detection", PVLDB 15(11), 2022.
    .. [2] Q. Liu and J. Paparrizos, "The Elephant in the Room: Towards A
       Reliable Time-Series Anomaly Detection Benchmark", NeurIPS 2024
       Datasets and Benchmarks (TSB-AD).
    """
    y_true, score = _check_labels_score(y_true, score)
    window = _check_window(window)
    return _vus(y_true, score, window, _check_n_thresholds(n_thresholds))[1]


# --------------------------------------------------------------------------
# Scorers for model selection
# --------------------------------------------------------------------------

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
