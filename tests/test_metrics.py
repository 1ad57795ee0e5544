"""Tests of skddmt.metrics: hand-computed cases, properties, slow loop references."""

import math
import pickle
import warnings

import numpy as np
import pytest
from sklearn.base import BaseEstimator, OutlierMixin
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_val_score

from skddmt.metrics import (
    affiliation_prf,
    auc_pr,
    auc_pr_scorer,
    auc_roc,
    auc_roc_scorer,
    best_f1,
    make_tsad_scorer,
    pa_k_auc,
    pa_prf,
    point_adjust,
    point_prf,
    range_auc_pr,
    range_auc_roc,
    vus_pr,
    vus_pr_scorer,
    vus_roc,
    vus_roc_scorer,
)

# ---------------------------------------------------------------------------
# Slow, literal references (loops), written step by step after TSB-AD's
# basic_metricor (TSB_AD/evaluation/basic_metrics.py): RangeAUC_volume_opt
# for VUS, RangeAUC for the range AUCs. Only for tiny series.
# ---------------------------------------------------------------------------


def _ref_segments(values):
    """Maximal runs of non-zero values as inclusive (start, end), by scanning."""
    segs, start = [], None
    for i, v in enumerate(values):
        if v != 0 and start is None:
            start = i
        elif v == 0 and start is not None:
            segs.append((start, i - 1))
            start = None
    if start is not None:
        segs.append((start, len(values) - 1))
    return segs


def _ref_widened(segs, n, window):
    """new_sequence: segments widened by window // 2, merged unless separated."""
    half = window // 2
    out = []
    lo = max(segs[0][0] - half, 0)
    for (_, e0), (s1, _) in zip(segs[:-1], segs[1:]):
        if e0 + half < s1 - half:
            out.append((lo, e0 + half))
            lo = s1 - half
    out.append((lo, min(segs[-1][1] + half, n - 1)))
    return out


def _ref_soft_labels_vus(y, segs, window):
    """sequencing: half = window // 2 points each side, sqrt(1 - d / window)."""
    lab = y.astype(float)
    half = window // 2
    for s, e in segs:
        for x in range(e + 1, min(e + half + 1, len(y))):
            lab[x] += math.sqrt(1 - (x - e) / window)
        for x in range(max(s - half, 0), s):
            lab[x] += math.sqrt(1 - (s - x) / window)
    return np.minimum(lab, 1.0)


def _ref_soft_labels_range(y, segs, window):
    """extend_postive_range: from e (included) to e + half - 1, and half before s."""
    lab = y.astype(float)
    half = window // 2
    for s, e in segs:
        for x in range(e, min(e + half, len(y))):
            lab[x] += math.sqrt(1 - (x - e) / window)
        for x in range(max(s - half, 0), s):
            lab[x] += math.sqrt(1 - (s - x) / window)
    return np.minimum(lab, 1.0)


def _ref_areas(tpr, fpr, prec):
    tpr = tpr + [1.0]
    fpr = fpr + [1.0]
    auc = sum((fpr[j + 1] - fpr[j]) * (tpr[j + 1] + tpr[j]) / 2 for j in range(len(fpr) - 1))
    ap = sum((tpr[j] - tpr[j - 1]) * prec[j] for j in range(1, len(prec)))
    return auc, ap


def ref_vus(y, score, window, thre=250):
    n = len(y)
    n_pos = int(y.sum())
    segs = _ref_segments(y)
    outer = _ref_widened(segs, n, window)
    desc = sorted(score.tolist(), reverse=True)
    ranks = np.linspace(0, n - 1, thre).astype(int)
    n_pred = [int(np.sum(score >= desc[i])) for i in ranks]
    aucs, aps = [], []
    for w in range(window + 1):
        soft = _ref_soft_labels_vus(y, segs, w)
        inner = _ref_widened(segs, n, w)
        tpr, fpr, prec = [0.0], [0.0], [1.0]
        for k, i in enumerate(ranks):
            pred = (score >= desc[i]).astype(float)
            lab = soft.copy()
            hit = 0
            for a, b in inner:
                lab[a:b + 1] = soft[a:b + 1] * pred[a:b + 1]
                if pred[a:b + 1].any():
                    hit += 1
            for s, e in segs:
                lab[s:e + 1] = 1.0
            tp, n_lab = 0.0, 0.0
            for a, b in outer:
                tp += float(np.dot(lab[a:b + 1], pred[a:b + 1]))
                n_lab += float(lab[a:b + 1].sum())
            p_new = (n_pos + n_lab) / 2
            recall = min(tp / p_new, 1.0)
            tpr.append(recall * hit / len(inner))
            fpr.append((n_pred[k] - tp) / (n - p_new))
            prec.append(tp / n_pred[k])
        auc, ap = _ref_areas(tpr, fpr, prec)
        aucs.append(auc)
        aps.append(ap)
    return float(np.mean(aucs)), float(np.mean(aps))


def ref_range_auc(y, score, window, thre=250):
    n = len(y)
    n_pos = int(y.sum())
    soft = _ref_soft_labels_range(y, _ref_segments(y), window)
    runs = _ref_segments(soft)      # non-zero runs of the extended label
    desc = sorted(score.tolist(), reverse=True)
    tpr, fpr, prec = [0.0], [0.0], [1.0]
    for i in np.linspace(0, n - 1, thre).astype(int):
        pred = (score >= desc[i]).astype(float)
        product = soft * pred
        tp = product.sum()
        new_labels = product.copy()
        new_labels[soft == 1] = 1
        p_new = (n_pos + new_labels.sum()) / 2
        recall = min(tp / p_new, 1.0)
        hit = sum(product[a:b + 1].sum() > 0 for a, b in runs)
        tpr.append(recall * hit / len(runs))
        fpr.append((pred.sum() - tp) / (n - p_new))
        prec.append(tp / pred.sum())
    return _ref_areas(tpr, fpr, prec)


def _random_case(seed, n, ties=False, edge=False):
    rng = np.random.default_rng(seed)
    y = np.zeros(n, dtype=int)
    for _ in range(rng.integers(1, 5)):
        s = rng.integers(0, n)
        y[s:s + rng.integers(1, max(2, n // 6))] = 1
    if edge:                       # anomalies at the very start and end
        y[:3] = 1
        y[-2:] = 1
    if y.sum() == n:
        y[n // 2] = 0
    if ties:
        score = rng.integers(0, 5, n).astype(float)
    else:
        score = rng.normal(size=n) + 1.5 * y * rng.random(n)
    return y, score


# (seed, n, window, n_thresholds, ties, edge)
LOOP_CASES = [
    (0, 40, 0, 250, False, False),
    (1, 50, 1, 250, True, False),
    (2, 60, 5, 250, False, True),
    (3, 70, 20, 60, False, False),
    (4, 45, 20, 250, True, True),
    (5, 80, 2, 40, False, True),
    (6, 30, 3, 300, True, False),   # more thresholds than points
    (7, 90, 5, 80, True, True),
    (8, 25, 20, 50, False, True),   # buffers cover the whole series
]


@pytest.mark.parametrize("seed,n,window,thre,ties,edge", LOOP_CASES)
def test_vus_matches_loop_reference(seed, n, window, thre, ties, edge):
    y, score = _random_case(seed, n, ties, edge)
    ref_roc, ref_pr = ref_vus(y, score, window, thre)
    assert vus_roc(y, score, window, n_thresholds=thre) == pytest.approx(ref_roc, abs=1e-6)
    assert vus_pr(y, score, window, n_thresholds=thre) == pytest.approx(ref_pr, abs=1e-6)


@pytest.mark.parametrize("seed,n,window,thre,ties,edge",
                         LOOP_CASES + [(9, 60, 4, 250, False, False), (10, 40, 33, 250, True, True)])
def test_range_auc_matches_loop_reference(seed, n, window, thre, ties, edge):
    y, score = _random_case(seed, n, ties, edge)
    ref_roc, ref_pr = ref_range_auc(y, score, window, thre)
    assert range_auc_roc(y, score, window, n_thresholds=thre) == pytest.approx(ref_roc, abs=1e-6)
    assert range_auc_pr(y, score, window, n_thresholds=thre) == pytest.approx(ref_pr, abs=1e-6)


def test_vus_single_point_anomaly_and_merging_segments():
    # One point anomaly and two segments 3 apart, which merge for windows >= 4.
    y = np.zeros(40, dtype=int)
    y[5] = 1
    y[20:23] = 1
    y[26:30] = 1
    score = np.random.default_rng(0).normal(size=40) + y
    for window in (0, 4, 9):
        r_roc, r_pr = ref_vus(y, score, window, 100)
        assert vus_roc(y, score, window, n_thresholds=100) == pytest.approx(r_roc, abs=1e-6)
        assert vus_pr(y, score, window, n_thresholds=100) == pytest.approx(r_pr, abs=1e-6)


# ---------------------------------------------------------------------------
# Hand-computed cases
# ---------------------------------------------------------------------------

# y:    0 1 1 1 1 0 0 1 1 0   segments A = [1..4] (4 points), B = [7, 8] (2 points)
# pred: 1 1 0 0 0 0 0 1 1 0   A: 1 of 4 hit (25 %), B: 2 of 2, one false alarm at 0
Y_PA = np.array([0, 1, 1, 1, 1, 0, 0, 1, 1, 0])
P_PA = np.array([1, 1, 0, 0, 0, 0, 0, 1, 1, 0])


def test_point_prf_hand():
    # TP = 3 (1, 7, 8), FP = 1 (0), FN = 3 (2, 3, 4): P = 3/4, R = 3/6, F1 = 0.6
    assert point_prf(Y_PA, P_PA) == pytest.approx((0.75, 0.5, 0.6))
    # no prediction: precision 0/0 -> 0, recall 0, F1 0
    assert point_prf(Y_PA, np.zeros(10, int)) == (0.0, 0.0, 0.0)


def test_point_adjust_hand():
    # A has a hit -> all of A is set; B already full; the false alarm stays.
    np.testing.assert_array_equal(point_adjust(Y_PA, P_PA), [1, 1, 1, 1, 1, 0, 0, 1, 1, 0])
    # TP = 6, FP = 1, FN = 0: P = 6/7, R = 1, F1 = 12/13
    assert pa_prf(Y_PA, P_PA) == pytest.approx((6 / 7, 1.0, 12 / 13))
    # a segment at index 0 detected only later is adjusted from index 0 on
    np.testing.assert_array_equal(point_adjust([1, 1, 1, 0], [0, 0, 1, 0]), [1, 1, 1, 0])
    # no hit -> nothing changes
    np.testing.assert_array_equal(point_adjust([0, 1, 1, 0], [1, 0, 0, 0]), [1, 0, 0, 0])


def test_pa_k_auc_hand():
    # A is adjusted iff 25 > K, i.e. K = 0..24 (25 values), B is complete anyway.
    # K <= 24: TP = 6, FP = 1, FN = 0 -> F1 = 12/13; K >= 25: TP = 3, FP = 1, FN = 3 -> 0.6
    # trapezoid over K/100: 0.01 * (sum_K F1_K - (F1_0 + F1_100) / 2)
    expected = 0.01 * (25 * 12 / 13 + 76 * 0.6 - (12 / 13 + 0.6) / 2)
    assert pa_k_auc(Y_PA, P_PA) == pytest.approx(expected)
    # strictness at the boundary: 1 of 2 points (50 %) is adjusted for K = 0..49 only
    # (50 % is not > 50 %): F1 = 1 for 50 values of K, 2/3 for the 51 others.
    expected = 0.01 * (50 * 1 + 51 * 2 / 3 - (1 + 2 / 3) / 2)
    assert pa_k_auc([1, 1, 0, 0], [1, 0, 0, 0]) == pytest.approx(expected)


def test_pa_k_auc_between_point_and_pa_f1():
    rng = np.random.default_rng(0)
    y, _ = _random_case(3, 200)
    pred = (rng.random(200) < 0.2).astype(int)
    lo, hi = point_prf(y, pred)[2], pa_prf(y, pred)[2]
    assert lo <= pa_k_auc(y, pred) <= hi


def test_best_f1_auc_hand():
    y = np.array([0, 0, 1, 1])
    s = np.array([0.1, 0.4, 0.35, 0.8])
    # top-1 {3}: P=1, R=1/2, F1=2/3; top-2 {3,1}: 1/2; top-3 {3,1,2}: P=2/3, R=1, F1=0.8; all: 2/3
    assert best_f1(y, s) == pytest.approx(0.8)
    # positive-negative pairs ranked right: (.35>.1), (.8>.1), (.8>.4) -> 3 of 4
    assert auc_roc(y, s) == pytest.approx(0.75)
    # AP: recall 1/2 at precision 1, recall 1 at precision 2/3 -> 0.5 + 0.5 * 2/3
    assert auc_pr(y, s) == pytest.approx(0.5 + 0.5 * 2 / 3)


def test_vus_hand_window_0():
    # y = [0 1 0 0], score ranks the anomaly second. With window 0 there is no buffer.
    # thresholds .9, .5, .2, .1 (every rank is among the 250 sampled ranks):
    #   TPR 0, 1, 1, 1; FPR 1/3, 1/3, 2/3, 1; precision 0, 1/2, 1/3, 1/4
    # ROC: (0,0) (1/3,0) (1/3,1) (2/3,1) (1,1) (1,1) -> 2/3; AP: 1 * 1/2
    y = np.array([0, 1, 0, 0])
    s = np.array([0.1, 0.5, 0.9, 0.2])
    assert vus_roc(y, s, window=0) == pytest.approx(2 / 3)
    assert vus_pr(y, s, window=0) == pytest.approx(0.5)
    assert range_auc_roc(y, s, window=0) == pytest.approx(2 / 3)
    assert range_auc_pr(y, s, window=0) == pytest.approx(0.5)


def test_vus_hand_window_2():
    # y = [0 0 1 0 0], score order: 3 (.9), 2 (.8), 4 (.3), 1 (.2), 0 (.1).
    # Buffer lengths 0 and 1 have no buffer: ROC 3/4, AP 1 * 1/2 (as above, FPR over 4 normals).
    # Buffer length 2: points 1 and 3 get r = sqrt(1 - 1/2); segment [1, 3].
    r = math.sqrt(0.5)
    # threshold .9, pred {3}: TP = r, P_new = (1 + 1 + r)/2, existence 1
    p_new1 = (2 + r) / 2
    tpr1 = r / p_new1
    fpr1 = (1 - r) / (5 - p_new1)
    # threshold .8, pred {3, 2}: TP = 1 + r -> recall min(., 1) = 1, same FPR, precision (1+r)/2
    # then TPR stays 1: ROC = fpr1 * tpr1 / 2 + (1 - fpr1) * 1; AP = tpr1 * r + (1 - tpr1) * (1 + r)/2
    auc2 = fpr1 * tpr1 / 2 + (1 - fpr1)
    ap2 = tpr1 * r + (1 - tpr1) * (1 + r) / 2
    y = np.array([0, 0, 1, 0, 0])
    s = np.array([0.1, 0.2, 0.8, 0.9, 0.3])
    assert vus_roc(y, s, window=2) == pytest.approx((0.75 + 0.75 + auc2) / 3)   # 0.81355
    assert vus_pr(y, s, window=2) == pytest.approx((0.5 + 0.5 + ap2) / 3)       # 0.59235


def test_affiliation_hand_single_event():
    # n = 10, J = [4, 6), zone E = [0, 10]: |E| = 10, |J| = 2, margin m = min(4, 4) = 4.
    y = np.zeros(10, int)
    y[4:6] = 1
    pred = np.zeros(10, int)
    pred[8] = 1                     # I = [8, 9), distance to J: d = x - 6 in [2, 3]
    # precision: mean of 1 - (2 + d + min(d, 4))/10 = 0.8 - 0.2 d over d in [2, 3] -> 0.3
    # recall: y in [4, 6), distance to I: d = 8 - y in (2, 4], d <= min(y, 10 - y), so
    #   1 - (d + d)/10 averaged: 1 - 2 * 3 / 10 = 0.4
    p, r, f = affiliation_prf(y, pred)
    assert (p, r) == pytest.approx((0.3, 0.4))
    assert f == pytest.approx(2 * 0.3 * 0.4 / 0.7)


def test_affiliation_hand_far_prediction():
    # J = [1, 2), E = [0, 10], m = min(1, 8) = 1; I = [8, 9), d = x - 2 in [6, 7] > m:
    # precision = mean of 1 - (1 + d + 1)/10 over d in [6, 7] = 0.8 - 0.65 = 0.15
    # recall: y in [1, 2), d = 8 - y > y: 1 - (d + y)/10 = 1 - 8/10 = 0.2
    y = np.zeros(10, int)
    y[1] = 1
    pred = np.zeros(10, int)
    pred[8] = 1
    p, r, f = affiliation_prf(y, pred)
    assert (p, r, f) == pytest.approx((0.15, 0.2, 2 * 0.15 * 0.2 / 0.35))


def test_affiliation_hand_two_events():
    # J1 = [2, 3), J2 = [7, 8); zones split at (3 + 7)/2 = 5: E1 = [0, 5], E2 = [5, 10]
    y = np.zeros(10, int)
    y[[2, 7]] = 1
    # prediction exactly J1: zone 1 precision 1, recall 1; zone 2: no prediction ->
    # precision skipped, recall 0. P = 1, R = 1/2, F1 = 2/3.
    pred = np.zeros(10, int)
    pred[2] = 1
    assert affiliation_prf(y, pred) == pytest.approx((1.0, 0.5, 2 / 3))
    # prediction I = [4, 6) crosses the zone border at 5: pieces [4, 5) and [5, 6).
    # zone 1: |E| = 5, |J| = 1, m = 2, d = x - 3 in [1, 2]:
    #   precision = mean of 1 - (1 + 2d)/5 = 0.8 - 0.4 * 1.5 = 0.2
    #   recall: y in [2, 3), d = 4 - y, m_y >= d: 1 - 2 * 1.5 / 5 = 0.4
    # zone 2 is the mirror image: 0.2 and 0.4.
    pred = np.zeros(10, int)
    pred[4:6] = 1
    assert affiliation_prf(y, pred) == pytest.approx((0.2, 0.4, 2 * 0.2 * 0.4 / 0.6))


def test_affiliation_hand_two_predictions_in_one_zone():
    # n = 12, J = [5, 7), E = [0, 12], m = 5; predictions [2, 3) and [9, 10)
    # precision: [2, 3): d = 5 - x in [2, 3] -> mean 1 - (2 + 2 * 2.5)/12 = 5/12;
    #            [9, 10): d = x - 7 in [2, 3] -> 5/12. Mean 5/12.
    # recall: J is split at the midpoint (3 + 9)/2 = 6 between the predictions:
    #   [5, 6): pivot 3, d = y - 3, integral of 2d = 5; [6, 7): pivot 9, integral of 2d = 5
    #   recall = (2 - 10/12) / 2 = 7/12
    y = np.zeros(12, int)
    y[5:7] = 1
    pred = np.zeros(12, int)
    pred[[2, 9]] = 1
    p, r, f = affiliation_prf(y, pred)
    assert (p, r) == pytest.approx((5 / 12, 7 / 12))
    assert f == pytest.approx(2 * (5 / 12) * (7 / 12) / (12 / 12))


def test_affiliation_edge_cases():
    y = np.zeros(10, int)
    y[[2, 7]] = 1
    p, r, f = affiliation_prf(y, np.zeros(10, int))
    assert math.isnan(p) and r == 0.0 and f == 0.0      # precision undefined
    assert affiliation_prf(y, y) == (1.0, 1.0, 1.0)
    with pytest.raises(ValueError, match="no anomaly"):
        affiliation_prf(np.zeros(5, int), [0, 1, 0, 0, 0])
    # everything predicted, one event covering the whole series
    assert affiliation_prf(np.ones(6, int), np.ones(6, int)) == (1.0, 1.0, 1.0)


def _dense_affiliation(y_true, y_pred, k=40):
    """Affiliation P/R from the probabilistic definitions, by midpoint sampling."""
    n = len(y_true)
    x = (np.arange(n * k) + 0.5) / k
    gs = [s for s, _ in _ref_segments(y_true)]
    ge = [e + 1 for _, e in _ref_segments(y_true)]
    bounds = [0.0] + [(ge[j] + gs[j + 1]) / 2 for j in range(len(gs) - 1)] + [float(n)]
    predicted = np.asarray(y_pred)[np.floor(x).astype(int)] == 1
    precs, recs = [], []
    for j, (s, e) in enumerate(zip(gs, ge)):
        lo, hi = bounds[j], bounds[j + 1]
        size = hi - lo
        xp = x[(x >= lo) & (x < hi) & predicted]
        if xp.size:
            d = np.maximum(np.maximum(s - xp, xp - e), 0)
            # P(dist(X, J) >= d), X uniform on the zone
            near = (e - s) + np.minimum(d, s - lo) + np.minimum(d, hi - e)
            precs.append(np.where(d > 0, 1 - near / size, 1.0).mean())
        units = [i for i in range(n) if y_pred[i] == 1 and min(i + 1, hi) > max(i, lo)]
        if not units:
            recs.append(0.0)
            continue
        a = np.array([max(i, lo) for i in units])
        b = np.array([min(i + 1, hi) for i in units])
        yy = x[(x >= s) & (x < e)][:, None]
        d = np.maximum(np.maximum(a - yy, yy - b), 0).min(axis=1)
        yy = yy[:, 0]
        # P(|X - y| >= d), X uniform on the zone
        recs.append((1 - (np.minimum(d, yy - lo) + np.minimum(d, hi - yy)) / size).mean())
    return (np.mean(precs) if precs else np.nan), np.mean(recs)


@pytest.mark.parametrize("seed", range(12))
def test_affiliation_matches_probabilistic_definition(seed):
    rng = np.random.default_rng(100 + seed)
    n = int(rng.integers(8, 50))
    y, _ = _random_case(seed, n, edge=seed % 3 == 0)
    pred = (rng.random(n) < rng.choice([0.1, 0.3, 0.6])).astype(int)
    p, r, _ = affiliation_prf(y, pred)
    dp, dr = _dense_affiliation(y, pred)
    if np.isnan(dp):
        assert np.isnan(p)
    else:
        assert p == pytest.approx(dp, abs=1e-3)
    assert r == pytest.approx(dr, abs=1e-3)


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------


def _segmented_series(seed=0, n=600):
    rng = np.random.default_rng(seed)
    y = np.zeros(n, dtype=int)
    for s in (40, 170, 300, 420, 530):        # well separated segments
        y[s:s + rng.integers(5, 20)] = 1
    score = rng.normal(size=n) + 2.0 * y
    return y, score


THRESHOLD_FREE = [
    ("auc_roc", lambda y, s: auc_roc(y, s)),
    ("auc_pr", lambda y, s: auc_pr(y, s)),
    ("best_f1", lambda y, s: best_f1(y, s)),
    ("vus_roc", lambda y, s: vus_roc(y, s, window=10)),
    ("vus_pr", lambda y, s: vus_pr(y, s, window=10)),
    ("range_auc_roc", lambda y, s: range_auc_roc(y, s, window=10)),
    ("range_auc_pr", lambda y, s: range_auc_pr(y, s, window=10)),
]


@pytest.mark.parametrize("name,metric", THRESHOLD_FREE)
def test_perfect_score_gives_one(name, metric):
    y, _ = _segmented_series()
    noise = np.random.default_rng(1).random(len(y)) * 0.5
    assert metric(y, y + noise) == pytest.approx(1.0)    # anomalies strictly on top
    assert metric(y, y.astype(float)) == pytest.approx(1.0)   # binary score, ties


@pytest.mark.parametrize("name,metric", THRESHOLD_FREE)
def test_reversed_score_gives_little(name, metric):
    y, score = _segmented_series()
    good, bad = metric(y, score), metric(y, -score)
    assert good > 0.5
    # best_f1 can always flag everything: its floor is 2r / (1 + r) = 0.17 at the
    # anomaly rate r = 0.09 of this series.
    assert bad < 0.3 if name != "best_f1" else bad < 0.2
    assert bad < good


@pytest.mark.parametrize("name,metric", THRESHOLD_FREE)
def test_invariant_to_monotone_transforms(name, metric):
    y, score = _segmented_series(seed=2)
    base = metric(y, score)
    for transformed in (3 * score + 7, np.exp(score / 2), np.arctan(score)):
        assert metric(y, transformed) == pytest.approx(base, rel=1e-12, abs=1e-12)


def test_vus_window_0_and_1_equal_range_auc():
    # Buffers of length 0 and 1 are empty, so both definitions coincide.
    y, score = _random_case(11, 80, edge=True)
    for w in (0, 1):
        assert vus_pr(y, score, w) == pytest.approx(range_auc_pr(y, score, w))
        assert vus_roc(y, score, w) == pytest.approx(range_auc_roc(y, score, w))


def test_vus_does_not_decrease_with_near_misses():
    # Predicting the points right before each segment is rewarded by the buffer.
    y, _ = _segmented_series(seed=3)
    shifted = np.roll(y, -3).astype(float)            # 3 points too early
    assert vus_pr(y, shifted, window=20) > vus_pr(y, shifted, window=0)


def test_perfect_predictions():
    y, _ = _segmented_series()
    assert pa_k_auc(y, y) == pytest.approx(1.0)
    assert point_prf(y, y) == (1.0, 1.0, 1.0)
    assert pa_prf(y, y) == (1.0, 1.0, 1.0)
    assert affiliation_prf(y, y) == pytest.approx((1.0, 1.0, 1.0))


# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------


def test_validation_errors():
    y = np.array([0, 1, 0, 1])
    s = np.array([0.1, 0.9, 0.2, 0.8])
    with pytest.raises(ValueError, match="same length"):
        auc_roc(y, s[:3])
    with pytest.raises(ValueError, match="same length"):
        point_prf(y, y[:3])
    with pytest.raises(ValueError, match="binary"):
        point_prf([0, 2, 0, 1], y)
    with pytest.raises(ValueError, match=r"\(pred == -1\)"):
        pa_prf(y, [1, -1, 1, -1])
    with pytest.raises(ValueError, match="NaN"):
        vus_pr(y, [0.1, np.nan, 0.2, 0.3])
    with pytest.raises(ValueError, match="NaN"):
        point_prf([0, np.nan, 1, 0], y)
    with pytest.raises(ValueError, match="infinite"):
        auc_pr(y, [0.1, np.inf, 0.2, 0.3])
    with pytest.raises(ValueError, match="1-D"):
        auc_pr(y[:, None], s)
    with pytest.raises(ValueError, match="empty"):
        point_prf([], [])
    with pytest.raises(ValueError, match="no anomaly"):
        vus_roc(np.zeros(4, int), s)
    with pytest.raises(ValueError, match="only anomalies"):
        auc_roc(np.ones(4, int), s)
    with pytest.raises(ValueError, match="window"):
        vus_pr(y, s, window=-1)
    with pytest.raises(ValueError, match="window"):
        range_auc_pr(y, s, window=2.5)
    with pytest.raises(ValueError, match="n_thresholds"):
        vus_pr(y, s, window=2, n_thresholds=0)
    # bool labels are fine
    assert point_prf(y.astype(bool), y.astype(bool)) == (1.0, 1.0, 1.0)


# ---------------------------------------------------------------------------
# Scorers
# ---------------------------------------------------------------------------


class MeanDistanceDetector(OutlierMixin, BaseEstimator):
    """Tiny detector: squared distance to the training mean of one feature."""

    def __init__(self, feature=0):
        self.feature = feature

    def fit(self, X, y=None):
        X = np.asarray(X, dtype=float)
        self.mean_ = X.mean(axis=0)
        self.offset_ = float(np.quantile(self.score_samples(X), 0.05))
        return self

    def score_samples(self, X):
        X = np.asarray(X, dtype=float)
        return -(X[:, self.feature] - self.mean_[self.feature]) ** 2

    def decision_function(self, X):
        return self.score_samples(X) - self.offset_

    def predict(self, X):
        return np.where(self.decision_function(X) < 0, -1, 1)


class ScoreSamplesOnly(BaseEstimator):
    def fit(self, X, y=None):
        self.mean_ = np.asarray(X, dtype=float).mean(axis=0)
        return self

    def score_samples(self, X):
        return -((np.asarray(X, dtype=float) - self.mean_) ** 2).sum(axis=1)


def _scorer_data(seed=0, n=600):
    """Three noisy features; anomalies are shifts of feature 1 only, in every fold."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = np.zeros(n, dtype=int)
    for s in range(60, n, 75):
        y[s:s + 6] = 1
    X[y == 1, 1] += 4.0
    return X, y


def test_scorer_equals_metric_on_negated_decision_function():
    X, y = _scorer_data()
    det = MeanDistanceDetector(feature=1).fit(X)
    anomaly_score = -det.decision_function(X)
    assert vus_pr_scorer(det, X, y) == pytest.approx(vus_pr(y, anomaly_score))
    assert vus_roc_scorer(det, X, y) == pytest.approx(vus_roc(y, anomaly_score))
    assert auc_pr_scorer(det, X, y) == pytest.approx(auc_pr(y, anomaly_score))
    assert auc_roc_scorer(det, X, y) == pytest.approx(auc_roc(y, anomaly_score))
    scorer = make_tsad_scorer("range_auc_pr", window=8)
    assert scorer(det, X, y) == pytest.approx(range_auc_pr(y, anomaly_score, window=8))
    # fallback to -score_samples
    plain = ScoreSamplesOnly().fit(X)
    assert auc_roc_scorer(plain, X, y) == pytest.approx(auc_roc(y, -plain.score_samples(X)))
    # pickles (needed for parallel grid searches)
    again = pickle.loads(pickle.dumps(scorer))
    assert again(det, X, y) == scorer(det, X, y)
    assert repr(scorer) == "make_tsad_scorer('range_auc_pr', window=8)"


def test_scorer_in_grid_search_with_time_series_split():
    X, y = _scorer_data()
    search = GridSearchCV(
        MeanDistanceDetector(),
        {"feature": [0, 1, 2]},
        scoring={"vus_pr": make_tsad_scorer("vus_pr", window=10), "auc_roc": auc_roc_scorer},
        refit="vus_pr",
        cv=TimeSeriesSplit(n_splits=3),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")           # no undefined-metric fold here
        search.fit(X, y)
    assert search.best_params_ == {"feature": 1}
    assert search.cv_results_["mean_test_vus_pr"][1] > 0.5
    scores = cross_val_score(MeanDistanceDetector(feature=1), X, y,
                             scoring=vus_pr_scorer, cv=TimeSeriesSplit(n_splits=3))
    assert np.all(np.isfinite(scores))


@pytest.mark.filterwarnings("ignore:One or more of the test scores are non-finite")
def test_scorer_warns_and_returns_nan_on_fold_without_anomalies():
    X, y = _scorer_data()
    det = MeanDistanceDetector(feature=1).fit(X)
    normal = y == 0
    with pytest.warns(UserWarning, match="no anomalies.*undefined"):
        value = vus_pr_scorer(det, X[normal], y[normal])
    assert math.isnan(value)
    with pytest.warns(UserWarning, match="only anomalies"):
        value = auc_pr_scorer(det, X[~normal], y[~normal])
    assert math.isnan(value)
    # inside a grid search: the first test fold (rows 150..299 here) has no anomaly
    y_first_clean = y.copy()
    y_first_clean[150:300] = 0
    search = GridSearchCV(MeanDistanceDetector(), {"feature": [0, 1]},
                          scoring=auc_roc_scorer, cv=TimeSeriesSplit(n_splits=3))
    with pytest.warns(UserWarning, match="no anomalies"):
        search.fit(X, y_first_clean)
    assert np.isnan(search.cv_results_["split0_test_score"]).all()
    assert np.isfinite(search.cv_results_["split1_test_score"]).all()


def test_make_tsad_scorer_errors():
    with pytest.raises(ValueError, match="valid names are.*vus_pr"):
        make_tsad_scorer("f1")
    with pytest.raises(ValueError, match="window"):
        make_tsad_scorer("auc_pr", window=10)
    X, y = _scorer_data()
    det = MeanDistanceDetector().fit(X)
    with pytest.raises(ValueError, match="needs labels"):
        auc_pr_scorer(det, X, None)
    with pytest.raises(ValueError, match="binary"):
        auc_pr_scorer(det, X, np.where(y == 1, -1, 1))
