"""Settings of the examples gallery that conf.py names by import path.

sphinx-gallery accepts callables in its configuration as fully qualified
names; a function defined in conf.py itself would make Sphinx warn that it
cannot cache the configuration, which fails the ``-W`` build.
"""

from pathlib import Path

#: Command-line arguments of each example in the documentation build: small
#: settings, so that the whole gallery runs in about a minute
#: on 2 CPU cores. Each example's docstring says what its page runs with.
SMALL_SETTINGS = {
    "quickstart.py": ["--epochs", "2"],
    "context_columns.py": ["--epochs", "3"],
    "model_selection.py": [],
    "feature_attribution.py": ["--epochs", "2"],
}


def reset_argv(gallery_conf, script_vars):
    """``sys.argv[1:]`` of one example in the documentation build.

    The examples save their PNG under its default name in the working
    directory, which sphinx-gallery sets to ``examples/`` (where
    ``.gitignore`` ignores PNG files).
    """
    return list(SMALL_SETTINGS.get(Path(script_vars["src_file"]).name, []))
