"""skddmt._thresholds: score smoothing and the offset from training scores."""

import numpy as np
import pytest

from skddmt._thresholds import (AUTO_MAX_QUANTILE, AUTO_Z, auto_threshold, moving_average,
                                offset_from_training)


@pytest.mark.parametrize("n, width", [(1, 1), (1, 5), (2, 2), (7, 1), (7, 3), (7, 4),
                                      (7, 13), (7, 14), (30, 11), (30, 100)])
def test_moving_average_is_the_mean_over_the_rows_that_exist(n, width):
    values = np.random.default_rng(n + width).exponential(size=n)
    kept = values.copy()
    expected = [values[max(0, t - (width - 1) // 2):t + width // 2 + 1].mean() for t in range(n)]
    np.testing.assert_allclose(moving_average(values, width), expected)
    np.testing.assert_array_equal(values, kept)


@pytest.mark.parametrize("n, width", [(1, 1), (1, 5), (7, 1), (7, 3), (7, 14), (30, 11)])
def test_causal_moving_average_is_the_mean_of_the_rows_up_to_each(n, width):
    values = np.random.default_rng(n + width).exponential(size=n)
    expected = [values[max(0, t - width + 1):t + 1].mean() for t in range(n)]
    np.testing.assert_allclose(moving_average(values, width, causal=True), expected)
    np.testing.assert_allclose(moving_average([1.0, 2.0, 6.0], 2, causal=True), [1, 1.5, 4])


@pytest.mark.parametrize("width", [2, 11, 40])
def test_moving_average_in_blocks_equals_one_block(monkeypatch, width):
    """Blocks (here of 37 rows, and the last one short) give the same bits as
    the whole series in one block, ends included."""
    values = np.random.default_rng(width).exponential(size=1_000) * 1e-3
    whole = moving_average(values, width)
    trailing = moving_average(values, width, causal=True)
    monkeypatch.setattr("skddmt._thresholds.SMOOTHING_BLOCK", 37)
    blocks = moving_average(values, width)
    np.testing.assert_array_equal(blocks, whole)
    np.testing.assert_array_equal(moving_average(values, width, causal=True), trailing)
    monkeypatch.setattr("skddmt._thresholds.SMOOTHING_BLOCK", 1 << 20)
    np.testing.assert_array_equal(moving_average(values, width), whole)


def test_moving_average_width_one_is_a_copy():
    values = np.array([1.0, 5.0, 2.0])
    out = moving_average(values, 1)
    np.testing.assert_array_equal(out, values)
    out[0] = 9.0
    assert values[0] == 1.0


@pytest.mark.parametrize("contamination", [0.01, 0.1, 0.5])
def test_float_contamination_flags_that_share_of_training_scores(contamination):
    scores = np.random.default_rng(0).exponential(size=10_000)
    offset = offset_from_training(scores, contamination)
    flagged = np.mean(-scores - offset < 0)
    assert flagged == pytest.approx(contamination, abs=1e-3)


def test_auto_threshold_is_a_robust_tail_capped_at_a_quantile():
    rng = np.random.default_rng(1)
    # 5 % of huge scores: the 99th percentile sits among them, the robust
    # tail of the log scores (median + 3 MAD-sigmas) does not move much
    log_s = np.r_[rng.normal(size=9_500), np.full(500, 10.0)]
    scores = np.exp(log_s)
    med = np.median(log_s)
    expected = np.exp(med + AUTO_Z * 1.4826 * np.median(np.abs(log_s - med)))
    assert 10 < expected < np.exp(4)
    assert auto_threshold(scores) == pytest.approx(expected, rel=1e-12)
    assert offset_from_training(scores, "auto") == -auto_threshold(scores)
    # a log-normal score without outliers: the cap (99th percentile) decides
    plain = np.exp(rng.normal(size=10_000))
    assert auto_threshold(plain) == pytest.approx(np.quantile(plain, AUTO_MAX_QUANTILE))
