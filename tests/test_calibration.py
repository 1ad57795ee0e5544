"""skddmt._calibration: error scales, score weights, the two-term rule."""

import numpy as np
import pytest

from skddmt._calibration import (TAIL_QUANTILE, combine_terms, feature_error_scales,
                                 feature_weights, positive_mean, shifted_to_non_negative,
                                 term_standardisation)
from skddmt._preprocessing import floored


def _errors():
    rng = np.random.default_rng(0)
    errors = rng.exponential(size=(1000, 3))
    errors[:, 1] *= 5.0
    errors[:, 2] = 0.0
    errors[::50, 2] = 4.0  # an on/off column: rare large errors
    return errors


def test_feature_scales_are_floored_means():
    errors = _errors()
    np.testing.assert_array_equal(feature_error_scales(errors, "feature"),
                                  floored(errors.mean(axis=0)))


def test_tail_scales_are_floored_quantiles_and_judge_rare_errors_by_their_size():
    errors = _errors()
    tail = feature_error_scales(errors, "tail")
    np.testing.assert_array_equal(tail, floored(np.quantile(errors, TAIL_QUANTILE, axis=0)))
    mean = feature_error_scales(errors, "feature")
    # the on/off column's mean is tiny beside its switches; its 99th percentile is not
    assert errors[0, 2] / mean[2] > 40 and errors[0, 2] / tail[2] <= 1.0


def test_kind_scales_take_the_mean_of_continuous_columns_and_the_tail_of_the_others():
    errors = _errors()
    continuous = np.array([True, True, False])
    kind = feature_error_scales(errors, "kind", continuous)
    raw = np.where(continuous, errors.mean(axis=0), np.quantile(errors, TAIL_QUANTILE, axis=0))
    np.testing.assert_array_equal(kind, floored(raw))
    assert kind[2] == feature_error_scales(errors, "tail")[2]
    np.testing.assert_array_equal(kind[:2], errors.mean(axis=0)[:2])


def test_kind_normalisation_reads_the_column_kinds_of_the_training_series():
    from .conftest import periodic_series, tiny_detector

    X = periodic_series(300, seed=1)
    X[:, 2] = (X[:, 2] > 0).astype(float)  # an on/off column
    det = tiny_detector(error_normalisation="kind").fit(X)
    errors = det._anomaly_score(X, per_feature=True)[0]
    expected = floored(np.r_[errors[:, :2].mean(axis=0),
                             np.quantile(errors[:, 2], TAIL_QUANTILE)])
    np.testing.assert_allclose(det.feature_error_scale_, expected)


def test_no_normalisation_is_ones():
    np.testing.assert_array_equal(feature_error_scales(_errors(), "none"), np.ones(3))


def test_weights_give_the_mean_of_the_scored_normalised_errors():
    errors = _errors()[:5]
    scales = np.array([2.0, 4.0, 8.0])
    weights = feature_weights(3, np.array([0, 2]), scales)
    np.testing.assert_allclose((errors * weights).mean(axis=1),
                               (errors[:, [0, 2]] / scales[[0, 2]]).mean(axis=1))
    assert weights[1] == 0.0


def test_positive_mean_and_the_combination_rule():
    assert positive_mean([np.array([1.0, 3.0]), np.array([5.0])]) == pytest.approx(3.0)
    assert positive_mean([np.zeros(4)]) == 1.0
    got = combine_terms(np.array([2.0, 4.0]), np.array([10.0, 0.0]), 2.0, 5.0)
    np.testing.assert_allclose(got, [3.0, 2.0])


def test_the_sum_rule_divides_by_the_training_mean():
    parts = [np.array([1.0, 3.0]), np.array([5.0, np.nan])]
    assert term_standardisation(parts, "sum") == (0.0, pytest.approx(3.0))


def test_the_max_rule_takes_the_larger_z_score():
    """Imputation trained on {1, 3} (mean 2, std 1), rarity on {10, 30}
    (mean 20, std 10): z-scores (4, -1) and (-1, 3); the max takes 4 and 3."""
    imp_centre, imp_scale = term_standardisation([np.array([1.0, np.nan, 3.0])], "max")
    rar_centre, rar_scale = term_standardisation([np.array([10.0]), np.array([30.0])], "max")
    assert (imp_centre, imp_scale, rar_centre, rar_scale) == (2.0, 1.0, 20.0, 10.0)
    got = combine_terms(np.array([6.0, 1.0]), np.array([10.0, 50.0]), imp_scale, rar_scale,
                        imp_centre, rar_centre, combination="max")
    np.testing.assert_allclose(got, [4.0, 3.0])


def test_a_constant_or_empty_term_gets_scale_one():
    assert term_standardisation([np.full(5, 2.0)], "max") == (2.0, 1.0)
    assert term_standardisation([np.array([np.nan])], "max") == (0.0, 1.0)


def test_the_max_rule_is_shifted_to_a_non_negative_score():
    """Means/stds 2/1 and 20/10 give shift min(2, 2) = 2: both centres 0;
    with 3/1 beside 20/10 the shift is 2, centres 1 and 0. Any non-negative
    pair of terms then scores >= 0, ranked as by the z-scores."""
    assert shifted_to_non_negative((2.0, 1.0), (20.0, 10.0)) == ((0.0, 1.0), (0.0, 10.0))
    (ci, si), (cr, sr) = shifted_to_non_negative((3.0, 1.0), (20.0, 10.0))
    assert (ci, si, cr, sr) == (1.0, 1.0, 0.0, 10.0)
    rng = np.random.default_rng(0)
    imp, rar = rng.exponential(3.0, 500), rng.exponential(20.0, 500)
    shifted = combine_terms(imp, rar, si, sr, ci, cr, combination="max")
    z = combine_terms(imp, rar, 1.0, 10.0, 3.0, 20.0, combination="max")
    assert shifted.min() >= 0
    np.testing.assert_allclose(shifted - z, 2.0)
