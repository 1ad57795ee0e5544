"""eBay's Pooled Server Metrics (PSM)."""

from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

from ._io import _as_labels, _check_lengths, _read_matrix, _require_file

# --------------------------------------------------------------------- PSM


def _ffill_zero(X):
    """Forward-fill NaN down each column, then set the NaN left (leading) to 0."""
    mask = np.isnan(X)
    n_missing = int(mask.sum())
    if n_missing:
        index = np.where(mask, 0, np.arange(X.shape[0])[:, None])
        np.maximum.accumulate(index, axis=0, out=index)
        X = X[index, np.arange(X.shape[1])]
        X[np.isnan(X)] = 0.0
    return X, n_missing


def _split_timestamp(names, X, path):
    stamps = [j for j, n in enumerate(names) if n.lower().startswith("timestamp")]
    if len(stamps) > 1:
        raise ValueError(f"{path} has several timestamp columns: {[names[j] for j in stamps]}.")
    if not stamps:
        return names, X, None
    j = stamps[0]
    keep = [k for k in range(len(names)) if k != j]
    return [names[k] for k in keep], X[:, keep], X[:, j]


def load_psm(root):
    """Load the Pooled Server Metrics dataset from its public CSV files.

    PSM (Abdulaal et al., KDD 2021) holds 25 metrics of application server
    nodes at eBay, one row a minute, with a 132,481-row training series and
    a labelled 87,841-row test series. The files read are those of the
    RANSynCoders repository::

        root/train.csv        timestamp_(min),feature_0,...,feature_24
        root/test.csv         timestamp_(min),feature_0,...,feature_24
        root/test_label.csv   timestamp_(min),label

    The timestamp column is dropped (its header must start with
    ``timestamp``; a file without one is read whole).

    Missing values: the training series of PSM has empty cells. Since the
    detector refuses NaN, every empty (or ``nan``) cell of ``train.csv`` and
    ``test.csv`` is replaced by the last value above it in its column
    (forward fill) and any cell left without one (at the top) by 0, as most
    published loaders do. ``n_filled`` reports how many cells were filled.

    Parameters
    ----------
    root : str or path-like
        The folder holding the three CSV files.

    Returns
    -------
    data : sklearn.utils.Bunch
        ``train`` (n_train, n_features) float64, ``test`` (n_test,
        n_features) float64, ``test_label`` (n_test,) int64 with 1 =
        anomaly, ``name`` (``"PSM"``), ``feature_names`` (the header of
        ``train.csv`` without the timestamp) and ``n_filled``, a dict with
        the number of missing cells filled in ``"train"`` and ``"test"``.

    Raises
    ------
    FileNotFoundError
        If one of the three files is missing.
    ValueError
        If a row has a different number of cells than the header, a cell is
        not a number, ``train.csv`` and ``test.csv`` have different
        columns, ``test_label.csv`` has no ``label`` column or a label
        other than 0 or 1, the number of labels is not the number of test
        rows, or the label timestamps differ from the test timestamps.

    References
    ----------
    .. [1] A. Abdulaal, Z. Liu and T. Lancewicki, "Practical Approach to
       Asynchronous Multivariate Time Series Anomaly Detection and
       Localization", KDD 2021. Data: https://github.com/eBay/RANSynCoders
    """
    root = Path(root)
    paths = [_require_file(root / f) for f in ("train.csv", "test.csv", "test_label.csv")]
    train_path, test_path, label_path = paths
    names, train = _read_matrix(train_path, header=True, missing=True)
    names, train, _ = _split_timestamp(names, train, train_path)
    test_names, test = _read_matrix(test_path, header=True, missing=True)
    test_names, test, test_stamps = _split_timestamp(test_names, test, test_path)
    if test_names != names:
        raise ValueError(f"{train_path} and {test_path} have different columns: "
                         f"{names} and {test_names}.")
    label_names, labels = _read_matrix(label_path, header=True)
    if "label" not in label_names:
        raise ValueError(f"{label_path} has no 'label' column; found {label_names}.")
    label = _as_labels(labels[:, label_names.index("label")], label_path)
    _check_lengths(test, label, test_path, label_path)
    _, _, label_stamps = _split_timestamp(label_names, labels, label_path)
    if test_stamps is not None and label_stamps is not None:
        differ = np.flatnonzero(test_stamps != label_stamps)
        if differ.size:
            i = int(differ[0])
            raise ValueError(f"the timestamps of {label_path} and {test_path} differ, first "
                             f"at row {i}: {label_stamps[i]!r} and {test_stamps[i]!r}.")
    train, n_train = _ffill_zero(train)
    test, n_test = _ffill_zero(test)
    return Bunch(train=train, test=test, test_label=label, name="PSM", feature_names=names,
                 n_filled={"train": n_train, "test": n_test})
