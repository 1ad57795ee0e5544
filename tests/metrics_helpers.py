"""Shared helpers of the metrics tests: a loop segment finder, random and
segmented test series, and the hand-computed labels/predictions Y_PA, P_PA."""

import numpy as np
import pytest


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


# y:    0 1 1 1 1 0 0 1 1 0   segments A = [1..4] (4 points), B = [7, 8] (2 points)
# pred: 1 1 0 0 0 0 0 1 1 0   A: 1 of 4 hit (25 %), B: 2 of 2, one false alarm at 0
Y_PA = np.array([0, 1, 1, 1, 1, 0, 0, 1, 1, 0])
P_PA = np.array([1, 1, 0, 0, 0, 0, 0, 1, 1, 0])


def _segmented_series(seed=0, n=600):
    rng = np.random.default_rng(seed)
    y = np.zeros(n, dtype=int)
    for s in (40, 170, 300, 420, 530):        # well separated segments
        y[s:s + rng.integers(5, 20)] = 1
    score = rng.normal(size=n) + 2.0 * y
    return y, score


# The properties every threshold-free metric has (tested in test_metrics_point
# and test_metrics_range, each over its own metrics).

def check_perfect_score_gives_one(name, metric):
    """A score that ranks every anomaly on top gives 1, ties included."""
    y, _ = _segmented_series()
    noise = np.random.default_rng(1).random(len(y)) * 0.5
    assert metric(y, y + noise) == pytest.approx(1.0)    # anomalies strictly on top
    assert metric(y, y.astype(float)) == pytest.approx(1.0)   # binary score, ties


def check_reversed_score_gives_little(name, metric):
    """The negated score of a good detector scores little."""
    y, score = _segmented_series()
    good, bad = metric(y, score), metric(y, -score)
    assert good > 0.5
    # best_f1 can always flag everything: its floor is 2r / (1 + r) = 0.17 at the
    # anomaly rate r = 0.09 of this series.
    assert bad < 0.3 if name != "best_f1" else bad < 0.2
    assert bad < good


def check_invariant_to_monotone_transforms(name, metric):
    """Threshold-free metrics see the ranking only."""
    y, score = _segmented_series(seed=2)
    base = metric(y, score)
    for transformed in (3 * score + 7, np.exp(score / 2), np.arctan(score)):
        assert metric(y, transformed) == pytest.approx(base, rel=1e-12, abs=1e-12)
