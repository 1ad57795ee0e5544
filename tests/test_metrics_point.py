"""Tests of skddmt.metrics.point: point_prf, best_f1, auc_roc, auc_pr."""

import numpy as np
import pytest

from skddmt.metrics import auc_pr, auc_roc, best_f1, point_prf

from .metrics_helpers import P_PA, Y_PA, _segmented_series

# ---------------------------------------------------------------------------
# Hand-computed cases
# ---------------------------------------------------------------------------


def test_point_prf_hand():
    # TP = 3 (1, 7, 8), FP = 1 (0), FN = 3 (2, 3, 4): P = 3/4, R = 3/6, F1 = 0.6
    assert point_prf(Y_PA, P_PA) == pytest.approx((0.75, 0.5, 0.6))
    # no prediction: precision 0/0 -> 0, recall 0, F1 0
    assert point_prf(Y_PA, np.zeros(10, int)) == (0.0, 0.0, 0.0)


def test_best_f1_auc_hand():
    y = np.array([0, 0, 1, 1])
    s = np.array([0.1, 0.4, 0.35, 0.8])
    # top-1 {3}: P=1, R=1/2, F1=2/3; top-2 {3,1}: 1/2; top-3 {3,1,2}: P=2/3, R=1, F1=0.8; all: 2/3
    assert best_f1(y, s) == pytest.approx(0.8)
    # positive-negative pairs ranked right: (.35>.1), (.8>.1), (.8>.4) -> 3 of 4
    assert auc_roc(y, s) == pytest.approx(0.75)
    # AP: recall 1/2 at precision 1, recall 1 at precision 2/3 -> 0.5 + 0.5 * 2/3
    assert auc_pr(y, s) == pytest.approx(0.5 + 0.5 * 2 / 3)


# ---------------------------------------------------------------------------
# Properties (the range/VUS metrics have the same ones in test_metrics_range)
# ---------------------------------------------------------------------------

THRESHOLD_FREE = [
    ("auc_roc", lambda y, s: auc_roc(y, s)),
    ("auc_pr", lambda y, s: auc_pr(y, s)),
    ("best_f1", lambda y, s: best_f1(y, s)),
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
