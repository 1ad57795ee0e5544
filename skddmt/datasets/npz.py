"""One entity stored as ``.npz`` (``train``, ``test``, ``test_label``)."""

from pathlib import Path

import numpy as np
from sklearn.utils import Bunch


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
