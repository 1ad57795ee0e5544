"""Tests of skddmt.metrics.range: range_auc_roc, range_auc_pr, vus_roc, vus_pr
against slow loop references, hand-computed cases and properties."""

import math

import numpy as np
import pytest

from skddmt.metrics import range_auc_pr, range_auc_roc, vus_pr, vus_roc

from .metrics_helpers import (_random_case, _ref_segments, _segmented_series,
                              check_invariant_to_monotone_transforms, check_perfect_score_gives_one,
                              check_reversed_score_gives_little)

# ---------------------------------------------------------------------------
# Slow, literal references (loops), written step by step after TSB-AD's
# basic_metricor (TSB_AD/evaluation/basic_metrics.py): RangeAUC_volume_opt
# for VUS, RangeAUC for the range AUCs. Only for tiny series.
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Properties (the point metrics have the same ones in test_metrics_point)
# ---------------------------------------------------------------------------

THRESHOLD_FREE = [
    ("vus_roc", lambda y, s: vus_roc(y, s, window=10)),
    ("vus_pr", lambda y, s: vus_pr(y, s, window=10)),
    ("range_auc_roc", lambda y, s: range_auc_roc(y, s, window=10)),
    ("range_auc_pr", lambda y, s: range_auc_pr(y, s, window=10)),
]


@pytest.mark.parametrize("name,metric", THRESHOLD_FREE)
def test_perfect_score_gives_one(name, metric):
    check_perfect_score_gives_one(name, metric)


@pytest.mark.parametrize("name,metric", THRESHOLD_FREE)
def test_reversed_score_gives_little(name, metric):
    check_reversed_score_gives_little(name, metric)


@pytest.mark.parametrize("name,metric", THRESHOLD_FREE)
def test_invariant_to_monotone_transforms(name, metric):
    check_invariant_to_monotone_transforms(name, metric)


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
