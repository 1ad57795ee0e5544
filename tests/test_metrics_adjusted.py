"""Tests of skddmt.metrics.adjusted: point_adjust, pa_prf, pa_k_auc."""

import numpy as np
import pytest

from skddmt.metrics import affiliation_prf, pa_k_auc, pa_prf, point_adjust, point_prf

from .metrics_helpers import P_PA, Y_PA, _random_case, _segmented_series

# ---------------------------------------------------------------------------
# Hand-computed cases
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------


def test_perfect_predictions():
    y, _ = _segmented_series()
    assert pa_k_auc(y, y) == pytest.approx(1.0)
    assert point_prf(y, y) == (1.0, 1.0, 1.0)
    assert pa_prf(y, y) == (1.0, 1.0, 1.0)
    assert affiliation_prf(y, y) == pytest.approx((1.0, 1.0, 1.0))
