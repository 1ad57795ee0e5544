"""Tests of skddmt.metrics.affiliation: affiliation_prf, hand-computed cases
and a dense sampling of the probabilistic definitions."""

import math

import numpy as np
import pytest

from skddmt.metrics import affiliation_prf

from .metrics_helpers import _random_case, _ref_segments


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
