"""skddmt._params: comparing parameter snapshots."""

import numpy as np

from skddmt._params import changed_params, same_value


def test_same_value_compares_array_likes_by_content():
    assert same_value(3, 3) and not same_value(3, 4)
    assert same_value([0, 2], np.array([0, 2]))
    assert not same_value(np.array([0, 2]), np.array([0, 1]))
    assert not same_value(np.array([0, 2]), np.array([0, 2, 3]))
    assert same_value(None, None) and not same_value(None, "continuous")


def test_changed_params_names_the_differences_sorted():
    before = {"a": 1, "b": [0, 1], "c": "x"}
    assert changed_params(before, {"a": 1, "b": np.array([0, 1]), "c": "x"}) == []
    assert changed_params(before, {"a": 2, "b": [1], "c": "x"}) == ["a", "b"]
