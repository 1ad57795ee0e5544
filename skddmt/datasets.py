"""Datasets: the bundled SMD machine and a loader for local benchmark files.

Nothing here downloads anything: the bundled sample ships inside the
package, and other files are read from paths that the caller gives.
"""

from importlib import resources
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

_SAMPLE = "machine-1-2"


def load_npz(path):
    """Load one entity stored as ``.npz`` with ``train``, ``test``, ``test_label``.

    This is the format of the project's benchmark data (one file per
    entity: SMD machine, MSL or SMAP channel, or a concatenation).

    Parameters
    ----------
    path : str or path-like
        Path to the ``.npz`` file.

    Returns
    -------
    data : sklearn.utils.Bunch
        ``train`` (n_train, n_features) float array, ``test``
        (n_test, n_features) float array, ``test_label`` (n_test,) int array
        with 1 = anomaly, and ``name`` (the file stem).

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If a key is missing or the shapes disagree.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    with np.load(path, allow_pickle=False) as npz:
        missing = {"train", "test", "test_label"} - set(npz.files)
        if missing:
            raise ValueError(f"{path} lacks the key(s) {sorted(missing)}; found {npz.files}.")
        train, test, label = npz["train"], npz["test"], npz["test_label"]
    if train.ndim != 2 or test.ndim != 2 or train.shape[1] != test.shape[1]:
        raise ValueError(
            f"{path}: train {train.shape} and test {test.shape} must be 2-D with the same "
            "number of columns."
        )
    if label.shape != (test.shape[0],):
        raise ValueError(f"{path}: test_label {label.shape} does not match test {test.shape}.")
    return Bunch(train=train, test=test, test_label=label.astype(np.int64), name=path.stem)


def load_smd_sample():
    """Load the bundled Server Machine Dataset machine (``machine-1-2``).

    One of the 28 machines of SMD (Su et al., KDD 2019): 38 server metrics
    sampled once a minute, min-max scaled by the dataset's authors, a
    23,694-row training series and a 23,694-row test series with labelled
    anomalies (2.3 % of test timestamps). Distributed under the MIT licence
    of its authors (``skddmt/data/LICENSE-SMD``).

    Returns
    -------
    data : sklearn.utils.Bunch
        ``train``, ``test``, ``test_label`` (1 = anomaly) and ``name`` as in
        :func:`load_npz`, plus ``interpretation``: a list of
        ``(start, stop, features)`` for each labelled segment: rows
        ``start:stop`` of ``test`` (0-based, stop excluded, matching
        ``test_label``) and the 0-based feature indices that the dataset's
        authors marked as its cause.

    References
    ----------
    .. [1] Y. Su et al., "Robust Anomaly Detection for Multivariate Time
       Series through Stochastic Recurrent Neural Network", KDD 2019.
    """
    root = resources.files("skddmt") / "data"
    with resources.as_file(root / f"{_SAMPLE}.npz") as path:
        data = load_npz(path)
    text = (root / f"{_SAMPLE}_interpretation_label.txt").read_text()
    data.interpretation = _parse_interpretation(text)
    return data


def _parse_interpretation(text):
    """Parse ``start-stop:i,j,k`` lines (rows 0-based half-open, features
    1-based) into ``(start, stop, [0-based features])``."""
    segments = []
    for line in text.split():
        span, feats = line.split(":")
        start, stop = (int(v) for v in span.split("-"))
        segments.append((start, stop, [int(f) - 1 for f in feats.split(",")]))
    return segments
