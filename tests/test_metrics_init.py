"""Tests of the skddmt.metrics package itself: what its ``__all__`` exports."""

import importlib

import skddmt.metrics


def test_all_names_resolve_to_their_modules():
    """Every name of ``__all__`` is importable; each function (and each scorer
    object) comes from one of the package's modules and is that module's
    object; constants are skipped."""
    names = skddmt.metrics.__all__
    assert len(set(names)) == len(names)
    for name in names:
        obj = getattr(skddmt.metrics, name)           # AttributeError if missing
        if not callable(obj):
            continue
        assert obj.__module__.startswith("skddmt.metrics."), (name, obj.__module__)
        assert getattr(importlib.import_module(obj.__module__), name) is obj, name
