"""The import rules of docs/architecture.md, checked on the source.

* torch modules never import scikit-learn;
* the pure-numpy modules and the metrics never import torch;
* the library never imports the benchmark runner;
* the benchmark runner and benchmarks/ use public names only.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "skddmt"

TORCH_MODULES = ["_device", "_diffusion", "_masks", "_model", "_reconstruction", "_scoring",
                 "_series", "_training"]
NUMPY_MODULES = ["_windows", "_preprocessing", "_thresholds", "_columns", "_params",
                 "_calibration", "_missing", "_parallel", "_base"]


def _imports(path):
    """(module, names) of every import statement of a file, relative ones
    resolved against the package."""
    tree = ast.parse(path.read_text())
    rel = path.relative_to(ROOT).with_suffix("")
    package = list(rel.parts[:-1])  # a module's package; for __init__ its own
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            found.append((module, [alias.name for alias in node.names]))
    return found


def _top(module):
    return module.split(".")[0]


def _package_files(sub=""):
    return sorted((PACKAGE / sub).rglob("*.py"))


@pytest.mark.parametrize("name", TORCH_MODULES)
def test_torch_modules_never_import_scikit_learn(name):
    mods = {_top(m) for m, _ in _imports(PACKAGE / f"{name}.py")}
    assert "torch" in mods and "sklearn" not in mods


@pytest.mark.parametrize("name", NUMPY_MODULES)
def test_numpy_modules_import_neither_torch_nor_scikit_learn(name):
    mods = {_top(m) for m, _ in _imports(PACKAGE / f"{name}.py")}
    assert not mods & {"torch", "sklearn"}


def test_the_rarity_centroids_are_numpy_and_scikit_learn_only():
    mods = {_top(m) for m, _ in _imports(PACKAGE / "_rarity.py")}
    assert "sklearn" in mods and "torch" not in mods


@pytest.mark.parametrize("path", _package_files("metrics"), ids=lambda p: p.name)
def test_metrics_are_numpy_with_scikit_learn_ranking_primitives_only(path):
    for module, _ in _imports(path):
        assert _top(module) != "torch"
        if module.startswith("skddmt"):
            assert module.startswith("skddmt.metrics"), module
        if _top(module) == "sklearn":
            assert module in ("sklearn.metrics", "sklearn.exceptions"), module


@pytest.mark.parametrize("path", _package_files("datasets"), ids=lambda p: p.name)
def test_datasets_never_import_torch_or_the_model(path):
    for module, _ in _imports(path):
        assert _top(module) != "torch"
        if module.startswith("skddmt"):
            assert module.startswith("skddmt.datasets"), module


@pytest.mark.parametrize("path", [p for p in _package_files() if "benchmark" not in p.parts],
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_library_never_imports_the_benchmark(path):
    assert not any(m.startswith("skddmt.benchmark") for m, _ in _imports(path))


def _private(module, names):
    parts = module.split(".")
    return [p for p in parts if p.startswith("_") and p != "__init__"] + \
        [n for n in names if n.startswith("_") and n != "__version__"]


@pytest.mark.parametrize("path", _package_files("benchmark") + sorted((ROOT / "benchmarks")
                                                                       .glob("*.py")),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_benchmark_code_uses_public_names_only(path):
    for module, names in _imports(path):
        if module.startswith("skddmt"):
            assert not _private(module, names), (module, names)
    text = path.read_text()
    for attribute in ("._validate(", "._anomaly_score(", "._training_params(", "._seed"):
        assert attribute not in text, attribute
