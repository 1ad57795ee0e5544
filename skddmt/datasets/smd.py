"""The Server Machine Dataset (SMD): the bundled machine and the reader of the
public release (``train/``, ``test/``, ``test_label/``, ``interpretation_label/``)."""

from importlib import resources
from pathlib import Path

from sklearn.utils import Bunch

from ._io import (
    _as_labels,
    _check_lengths,
    _check_widths,
    _natural_key,
    _read_matrix,
    _require_file,
)
from .npz import load_npz

_SAMPLE = "machine-1-2"


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


def read_interpretation(path):
    """Read an SMD ``interpretation_label`` file.

    Parameters
    ----------
    path : str or path-like
        A ``machine-x-y.txt`` file of ``start-stop:i,j,k`` lines (as in
        ``ServerMachineDataset/interpretation_label/``).

    Returns
    -------
    list of (start, stop, features)
        Rows ``start:stop`` of the test series (0-based, stop excluded,
        matching ``test_label``) and the 0-based indices of the features the
        dataset's authors marked as the cause, for
        :func:`skddmt.metrics.interpretation_scores`.

    Raises
    ------
    ValueError
        If a line is not ``start-stop:i,j,k``.
    """
    text = Path(path).read_text()
    try:
        return _parse_interpretation(text)
    except ValueError as exc:
        raise ValueError(f"{path} is not an SMD interpretation file "
                         f"(lines 'start-stop:i,j,k'): {exc}") from exc


def _parse_interpretation(text):
    """Parse ``start-stop:i,j,k`` lines (rows 0-based half-open, features
    1-based) into ``(start, stop, [0-based features])``."""
    segments = []
    for line in text.split():
        span, feats = line.split(":")
        start, stop = (int(v) for v in span.split("-"))
        segments.append((start, stop, [int(f) - 1 for f in feats.split(",")]))
    return segments


# --------------------------------------------------------------------- SMD


def _smd_dir(root):
    root = Path(root)
    for candidate in (root / "ServerMachineDataset", root):
        if all((candidate / sub).is_dir() for sub in ("train", "test", "test_label")):
            return candidate
    raise FileNotFoundError(
        f"no SMD folder at {root}: expected {root / 'ServerMachineDataset'} or {root} "
        "to hold the sub-folders train/, test/ and test_label/."
    )


def list_smd_machines(root):
    """List the machines of a Server Machine Dataset folder.

    Parameters
    ----------
    root : str or path-like
        The folder that holds ``ServerMachineDataset`` (as in the
        OmniAnomaly repository), or the ``ServerMachineDataset`` folder
        itself.

    Returns
    -------
    machines : list of str
        The names (``"machine-1-1"``, ...) of the files in ``train/``, in
        natural order (``machine-1-9`` before ``machine-1-10``).

    Raises
    ------
    FileNotFoundError
        If ``root`` holds no ``train/``, ``test/`` and ``test_label/``
        folders.

    See Also
    --------
    load_smd : Load one machine.

    References
    ----------
    .. [1] Y. Su et al., "Robust Anomaly Detection for Multivariate Time
       Series through Stochastic Recurrent Neural Network", KDD 2019.
    """
    folder = _smd_dir(root)
    return sorted((p.stem for p in (folder / "train").glob("*.txt")), key=_natural_key)


def load_smd(root, machine):
    """Load one machine of the Server Machine Dataset from its public files.

    SMD (Su et al., KDD 2019) holds 28 server machines, each with 38
    metrics sampled once a minute for five weeks, min-max scaled by the
    dataset's authors; the first half of each series is the training
    series, the second half the labelled test series. This reads the layout
    of the OmniAnomaly repository::

        ServerMachineDataset/train/machine-x-y.txt        comma-separated floats
        ServerMachineDataset/test/machine-x-y.txt         comma-separated floats
        ServerMachineDataset/test_label/machine-x-y.txt   one 0/1 label per line
        ServerMachineDataset/interpretation_label/machine-x-y.txt   (optional)

    Parameters
    ----------
    root : str or path-like
        The folder that holds ``ServerMachineDataset``, or that folder itself.
    machine : str
        The machine's name, e.g. ``"machine-1-1"`` (a ``.txt`` suffix is
        accepted).

    Returns
    -------
    data : sklearn.utils.Bunch
        ``train`` (n_train, n_features) float64, ``test`` (n_test,
        n_features) float64, ``test_label`` (n_test,) int64 with 1 =
        anomaly, and ``name`` (the machine). When
        ``interpretation_label/<machine>.txt`` exists, also
        ``interpretation``: a list of ``(start, stop, features)`` for each
        labelled segment, as in :func:`load_smd_sample` (lines
        ``start-stop:i,j,k`` read as rows ``start:stop`` of ``test``,
        0-based with ``stop`` excluded, and features ``i, j, k`` 1-based in
        the file, 0-based here).

    Raises
    ------
    FileNotFoundError
        If the SMD folder or one of the machine's three files is missing.
    ValueError
        If ``machine`` is not in ``train/`` (the message lists the machines
        there), if a row has a different number of values than the first,
        if a cell is not a number, if train and test differ in width, if the
        number of labels is not the number of test rows, if a label is not
        0 or 1, or if the interpretation file is malformed.

    See Also
    --------
    list_smd_machines : The machines of a folder.
    load_smd_sample : The bundled ``machine-1-2``.

    References
    ----------
    .. [1] Y. Su et al., "Robust Anomaly Detection for Multivariate Time
       Series through Stochastic Recurrent Neural Network", KDD 2019.
       Data: https://github.com/NetManAIOps/OmniAnomaly
    """
    folder = _smd_dir(root)
    machine = str(machine)
    if machine.endswith(".txt"):
        machine = machine[:-4]
    train_path = folder / "train" / f"{machine}.txt"
    if not train_path.is_file():
        machines = list_smd_machines(folder)
        if machine in machines or not machines:
            raise FileNotFoundError(f"no such file: {train_path}")
        raise ValueError(f"unknown SMD machine {machine!r}; the machines in {folder} are "
                         f"{machines}.")
    test_path = _require_file(folder / "test" / f"{machine}.txt")
    label_path = _require_file(folder / "test_label" / f"{machine}.txt")
    _, train = _read_matrix(train_path)
    _, test = _read_matrix(test_path)
    _check_widths(train, test, train_path, test_path)
    _, labels = _read_matrix(label_path)
    if labels.shape[1] != 1:
        raise ValueError(f"{label_path}: expected one label per line, found "
                         f"{labels.shape[1]} values per line.")
    label = _as_labels(labels[:, 0], label_path)
    _check_lengths(test, label, test_path, label_path)
    data = Bunch(train=train, test=test, test_label=label, name=machine)
    interp_path = folder / "interpretation_label" / f"{machine}.txt"
    if interp_path.is_file():
        text = interp_path.read_text()
        try:
            segments = _parse_interpretation(text)
        except ValueError as exc:
            raise ValueError(f"{interp_path}: expected lines 'start-stop:i,j,k' of "
                             f"integers ({exc}).") from None
        for start, stop, features in segments:
            if not (0 <= start < stop <= test.shape[0]) or any(
                    not 0 <= f < test.shape[1] for f in features):
                raise ValueError(
                    f"{interp_path}: segment {start}-{stop} with features "
                    f"{[f + 1 for f in features]} (1-based) lies outside the test series "
                    f"({test.shape[0]} rows, {test.shape[1]} features).")
        data.interpretation = segments
    return data
