"""skddmt._preprocessing: the floored scale, the z-score, distinct values."""

import numpy as np
import pytest
import torch

from skddmt._preprocessing import (CLIP, SCALE_FLOOR, fit_scaler, floored, more_than_two_values,
                                   standardise, zscore)


def test_more_than_two_values_matches_a_count_of_distinct_values():
    """The sort-free check agrees with np.unique on columns of one, two,
    three and many values, wherever the third value first appears."""
    rng = np.random.default_rng(0)
    X = np.c_[np.full(50, 3.0), rng.integers(0, 2, 50), rng.integers(0, 3, 50),
              rng.normal(size=50), np.r_[np.zeros(49), 7.0], np.r_[5.0, np.ones(49)]]
    X[0, 2], X[1, 2] = 0.0, 0.0  # a repeated first value before the others
    expected = [len(np.unique(X[:, j])) > 2 for j in range(X.shape[1])]
    assert expected == [False, False, True, True, False, False]
    np.testing.assert_array_equal(more_than_two_values(X), expected)


def test_floored_scales():
    """Per-feature scales are floored at a share of the median positive one;
    the input is not modified."""
    values = np.array([0.0, 1e-9, 2.0, 4.0, 6.0])
    before = values.copy()
    out = floored(values)
    floor = SCALE_FLOOR * np.median([1e-9, 2.0, 4.0, 6.0])
    np.testing.assert_allclose(out, [floor, floor, 2.0, 4.0, 6.0])
    np.testing.assert_array_equal(values, before)
    np.testing.assert_array_equal(floored(np.zeros(3)), np.ones(3))


def test_fit_scaler_floors_a_constant_column():
    X = np.c_[np.arange(10.0), np.full(10, 3.0), 2 * np.arange(10.0)]
    mean, scale = fit_scaler(X)
    np.testing.assert_allclose(mean, [4.5, 3.0, 9.0])
    assert scale[1] == SCALE_FLOOR * np.median([X[:, 0].std(), X[:, 2].std()])


def test_standardise_clips_and_returns_a_new_array():
    X = np.array([[0.0, 1e6], [2.0, -1e6]])
    before = X.copy()
    z = standardise(X, np.zeros(2), np.ones(2))
    assert z.dtype == np.float32
    np.testing.assert_array_equal(z, [[0.0, CLIP], [2.0, -CLIP]])
    np.testing.assert_array_equal(X, before)


def test_zscore_is_the_same_formula_on_tensors():
    """The scoring stream applies zscore to float32 tensors: the result is the
    numpy formula computed in float32."""
    rng = np.random.default_rng(0)
    X = (rng.normal(size=(50, 4)) * 30).astype(np.float32)
    mean, scale = rng.normal(size=4), rng.uniform(0.5, 2.0, size=4)
    on_tensor = zscore(torch.from_numpy(X), torch.as_tensor(mean, dtype=torch.float32),
                       torch.as_tensor(scale, dtype=torch.float32)).numpy()
    in_numpy = zscore(X, mean.astype(np.float32), scale.astype(np.float32))
    np.testing.assert_array_equal(on_tensor, in_numpy)
    assert np.abs(on_tensor).max() == CLIP


@pytest.mark.parametrize("value", [1e-30, 0.3, 1.7e9, -1e30])
def test_fit_scaler_gives_a_constant_column_its_value_and_no_spread(value):
    """Not the rounding error of a mean of many equal values."""
    X = np.c_[np.full(51, value), np.arange(51.0)]
    mean, scale = fit_scaler(X)
    assert mean[0] == value and scale[0] == pytest.approx(0.1 * np.arange(51.0).std())


def test_fit_scaler_without_a_floor_keeps_each_std_and_gives_a_constant_column_1():
    X = np.c_[np.arange(10.0), np.full(10, 3.0), 1e-3 * np.arange(10.0)]
    mean, scale = fit_scaler(X, floor=0.0)
    np.testing.assert_allclose(scale, [X[:, 0].std(), 1.0, X[:, 2].std()])
    floored_scale = fit_scaler(X)[1]
    assert floored_scale[2] > 10 * scale[2]  # the default floor mutes the quiet column
