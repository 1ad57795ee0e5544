"""skddmt._device: the device parameter and host -> device copies."""

import warnings

import numpy as np
import pytest
import torch

from skddmt._device import device_copy, resolve_device


def test_device_resolution():
    assert resolve_device("cpu").type == "cpu"
    assert resolve_device(torch.device("cpu")).type == "cpu"
    assert resolve_device("auto").type in {"cpu", "cuda", "mps"}
    if not torch.cuda.is_available():
        with pytest.warns(RuntimeWarning, match="not available"):
            assert resolve_device("cuda").type == "cpu"


def test_device_copy_never_views_the_callers_array():
    X = np.arange(12.0).reshape(6, 2)
    frozen = X.copy()
    frozen.flags.writeable = False
    for arr in (X, X[::-1], X[:, ::-1], frozen):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            t = device_copy(arr, torch.device("cpu"))
        assert np.array_equal(t.numpy(), arr)
    for arr in (X[::-1], X[:, ::-1], frozen):  # copied, so the caller's array is safe
        device_copy(arr, torch.device("cpu")).zero_()
        assert arr.any()


@pytest.mark.parametrize("bad", ["gpu0", 3.5, "cuda:x"])
def test_device_resolution_rejects_unknown_devices(bad):
    with pytest.raises(ValueError, match="device must be"):
        resolve_device(bad)
