"""Range-based AUCs and the volume under the surface, VUS (Paparrizos et al. 2022)."""


import textwrap

import numpy as np

from ._checks import (
    DEFAULT_N_THRESHOLDS,
    _check_labels_score,
    _check_n_thresholds,
    _check_window,
    _interval_cover,
    _runs,
)


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



_REFERENCES = """
References
----------
.. [1] J. Paparrizos, P. Boniol, T. Palpanas, R. S. Tsay, A. Elmore and
   M. J. Franklin, "Volume Under the Surface: A New Accuracy Evaluation
   Measure for Time-Series Anomaly Detection", PVLDB 15(11), 2022.
.. [2] Q. Liu and J. Paparrizos, "The Elephant in the Room: Towards A
   Reliable Time-Series Anomaly Detection Benchmark", NeurIPS 2024
   Datasets and Benchmarks (TSB-AD).
"""


def _with_notes(notes):
    """Decorator: put a shared Notes text, then the shared References, into
    the docstring's ``@NOTES@`` line."""
    def decorate(func):
        func.__doc__ = func.__doc__.replace("    @NOTES@\n", notes.lstrip("\n") + "\n"
                                            + textwrap.indent(_REFERENCES.lstrip("\n"), "    "))
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
    """
    y_true, score = _check_labels_score(y_true, score)
    window = _check_window(window)
    return _vus(y_true, score, window, _check_n_thresholds(n_thresholds))[1]
