"""Sphinx configuration of the skddmt documentation.

Build (from the repository root)::

    pip install -e ".[docs]" && python -m sphinx -W --keep-going -b html docs docs/_build/html
"""

import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "sphinxext"))   # skddmt_gallery (named by string below)
sys.path.insert(0, str(DOCS.parent))          # the checkout's skddmt, installed or not
# The examples fit with a progress bar (verbose=1); on a page it would be a
# line of carriage returns. TQDM_DISABLE sets tqdm's default (tqdm >= 4.66),
# read when tqdm is first imported: before skddmt (whose imports load it).
os.environ["TQDM_DISABLE"] = "1"

import skddmt

project = "skddmt"
author = "skddmt developers"
copyright = "skddmt developers"
release = skddmt.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
templates_path = ["_templates"]
exclude_patterns = ["_build", "sphinxext", "auto_examples/*.ipynb", "auto_examples/*.py",
                    "auto_examples/*.zip", "auto_examples/*.md5", "auto_examples/*.json"]

# -- API reference -----------------------------------------------------------
# Stub pages go to docs/generated/ (gitignored), one per public name, each under
# its public path (skddmt.DDMTDetector, skddmt.metrics.vus_pr, ...), never under
# the private module that defines it.
autosummary_generate = True
autosummary_imported_members = False
autodoc_default_options = {"member-order": "bysource"}
autodoc_typehints = "none"            # numpydoc's Parameters sections carry the types

numpydoc_show_class_members = False   # the class template lists the members itself
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
numpydoc_xref_param_type = False
# numpydoc's own docstring validation (PR01, RT03, ...): off, numpydoc's
# default. Docstring errors that break the rendering still fail the -W build.
numpydoc_validation_checks = set()
# To switch it on once the docstrings pass: every check but the extended
# summary, examples, see-also and a lone named return ("scores : ndarray",
# the house style); scikit-learn's inherited methods and the constants left
# out (numpydoc reads their "#:" comments as docstrings, and takes the
# scorers for functions).
# numpydoc_validation_checks = {"all", "ES01", "EX01", "SA01", "RT02"}
# numpydoc_validation_exclude = {
#     r"\.(get_params|set_params|fit_predict|set_\w+_request)$",
#     r"\.[A-Z][A-Z_]+$", r"^skddmt\.metrics\.\w+_scorer$",
# }

# -- Markdown pages (user guide, speed, benchmarks, history) -----------------
myst_enable_extensions = ["dollarmath", "colon_fence"]
myst_heading_anchors = 3

# -- Examples gallery --------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": str(DOCS.parent / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r".*\.py$",      # run every example, not only plot_*.py
    "ignore_pattern": r"__init__\.py",
    "reset_argv": "skddmt_gallery.reset_argv",   # small settings: see sphinxext/
    "within_subsection_order": "FileNameSortKey",
    "download_all_examples": False,
    "remove_config_comments": True,
    "show_memory": False,
    "abort_on_example_error": True,
}

# -- HTML --------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"skddmt {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
}
html_static_path = []
html_show_sourcelink = False


# -- Every public name is in the API reference --------------------------------
PUBLIC_MODULES = ("skddmt", "skddmt.metrics", "skddmt.datasets", "skddmt.baselines")
NOT_IN_AUTOSUMMARY = {"skddmt.__version__"}   # a string, described in api.rst's prose


def _api_entries(path):
    """{'module.name'} listed in the autosummary tables of api.rst."""
    entries, module, in_table = set(), None, False
    for line in path.read_text().splitlines():
        stripped = line.strip()
        if stripped.startswith(".. currentmodule::"):
            module = stripped.split("::", 1)[1].strip()
        elif stripped.startswith(".. autosummary::"):
            in_table = True
        elif in_table and line.startswith("   ") and stripped and not stripped.startswith(":"):
            entries.add(f"{module}.{stripped}")
        elif in_table and stripped and not line.startswith(" "):
            in_table = False
    return entries


def _check_api_complete(app):
    import importlib

    from sphinx.util import logging

    listed = _api_entries(DOCS / "api.rst")
    for name in PUBLIC_MODULES:
        public = {f"{name}.{attr}" for attr in importlib.import_module(name).__all__}
        for missing in sorted(public - listed - NOT_IN_AUTOSUMMARY):
            logging.getLogger(__name__).warning(
                "%s is in %s.__all__ but not in docs/api.rst", missing, name)


# -- Docstrings of public constants ------------------------------------------
# A constant's docstring is the "#:" comment above it in the module that
# defines it (skddmt.datasets.nasa.NASA_DATASETS); autodoc only reads the
# comments of the module named in the reference (skddmt.datasets) and would
# fall back to the docstring of the constant's type (tuple). Look the comment
# up in the submodules of the public package instead.


def _constant_doc(app, what, name, obj, options, lines):
    import importlib
    import inspect
    import pkgutil

    from sphinx.pycode import ModuleAnalyzer

    if what != "data":
        return
    package_name, _, attr = name.rpartition(".")
    package = importlib.import_module(package_name)
    if ("", attr) in ModuleAnalyzer.for_module(package_name).find_attr_docs():
        return                                  # documented where it is referenced
    type_doc = inspect.cleandoc(type(obj).__doc__ or "")
    if "\n".join(lines).strip() == type_doc.strip():
        lines[:] = []                           # never the docstring of tuple or int
    for info in pkgutil.walk_packages(getattr(package, "__path__", []), package_name + "."):
        module = importlib.import_module(info.name)
        if getattr(module, attr, None) is not obj:
            continue
        doc = ModuleAnalyzer.for_module(info.name).find_attr_docs().get(("", attr))
        if doc:
            lines[:] = list(doc)
            return


def setup(app):
    app.connect("builder-inited", _check_api_complete)
    app.connect("autodoc-process-docstring", _constant_doc)
