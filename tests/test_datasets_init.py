"""Tests of the skddmt.datasets package itself: what its ``__all__`` exports."""

import importlib

import skddmt.datasets


def test_all_names_resolve_to_their_modules():
    """Every name of ``__all__`` is importable; each function comes from one of
    the package's modules (and is that module's object); constants are skipped."""
    names = skddmt.datasets.__all__
    assert len(set(names)) == len(names)
    for name in names:
        obj = getattr(skddmt.datasets, name)          # AttributeError if missing
        if not callable(obj):                         # NASA_DATASETS, ANOMALY_TYPES, ...
            continue
        assert obj.__module__.startswith("skddmt.datasets."), (name, obj.__module__)
        assert getattr(importlib.import_module(obj.__module__), name) is obj, name
