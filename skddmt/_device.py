"""Devices: the ``device`` parameter resolved to a usable ``torch.device``,
and host arrays copied onto a device.

Torch and numpy only.
"""

import warnings

import numpy as np
import torch


def resolve_device(device):
    """Turn the ``device`` parameter into a usable ``torch.device``.

    ``'auto'`` picks CUDA, then MPS, then the CPU. A requested accelerator
    that is not available falls back to the CPU with a warning.
    """
    if isinstance(device, str) and device == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        mps = getattr(torch.backends, "mps", None)
        if mps is not None and mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    try:
        dev = torch.device(device)
    except (RuntimeError, TypeError) as exc:
        raise ValueError(
            f"device must be 'auto', 'cpu', 'cuda', 'mps' or a torch.device, got {device!r}."
        ) from exc
    available = {
        "cpu": True,
        "cuda": torch.cuda.is_available(),
        "mps": getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available(),
    }.get(dev.type, False)
    if not available:
        warnings.warn(f"device {str(dev)!r} is not available; using the CPU.", RuntimeWarning)
        return torch.device("cpu")
    return dev


def device_copy(X, device):
    """``X`` as a tensor on ``device`` (for scoring on an accelerator, where
    the transfer is a copy anyway).

    ``torch.as_tensor`` rejects negative strides (``X[::-1]``) and warns on
    read-only arrays (memory maps); those are first copied to a contiguous
    host array, the others go to the device directly.
    """
    if not (X.flags.c_contiguous and X.flags.writeable):
        X = np.array(X, order="C", copy=True)
    return torch.as_tensor(X, device=device)
