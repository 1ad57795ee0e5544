"""Shared helpers of the benchmark tests: tiny DDMT parameters and the
scripts of benchmarks/ loaded by path (the tiny data folder is the
``bench_data`` fixture of conftest)."""

import importlib.util
from pathlib import Path

TINY = {"window_size": 16, "d_model": 8, "n_heads": 2, "n_layers": 1, "max_epochs": 2}


def script(name):
    """benchmarks/<name>.py as a module (a script, not part of the package)."""
    path = Path(__file__).resolve().parents[1] / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
