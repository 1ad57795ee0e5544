"""Tests of skddmt.metrics.point: point_prf, best_f1, auc_roc, auc_pr."""

import numpy as np
import pytest

from skddmt.metrics import auc_pr, auc_roc, best_f1, point_prf

from .metrics_helpers import (P_PA, Y_PA, check_invariant_to_monotone_transforms,
                              check_perfect_score_gives_one, check_reversed_score_gives_little)

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
    check_perfect_score_gives_one(name, metric)


@pytest.mark.parametrize("name,metric", THRESHOLD_FREE)
def test_reversed_score_gives_little(name, metric):
    check_reversed_score_gives_little(name, metric)


@pytest.mark.parametrize("name,metric", THRESHOLD_FREE)
def test_invariant_to_monotone_transforms(name, metric):
    check_invariant_to_monotone_transforms(name, metric)
