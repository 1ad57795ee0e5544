"""NASA's SMAP and MSL telemetry (the telemanom release)."""

import ast
import csv
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

from ._io import _check_widths, _require_file

#: The two spacecraft of NASA's telemanom release.
NASA_DATASETS = ("SMAP", "MSL")


# -------------------------------------------------------------- SMAP / MSL


def _read_labeled_anomalies(path):
    """Rows of telemanom's ``labeled_anomalies.csv`` as dicts with parsed sequences."""
    path = _require_file(path)
    required = ("chan_id", "spacecraft", "anomaly_sequences")
    rows = []
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        fields = [f.strip() for f in (reader.fieldnames or [])]
        missing = [c for c in required if c not in fields]
        if missing:
            raise ValueError(f"{path} lacks the column(s) {missing}; found {fields}.")
        reader.fieldnames = fields
        for record in reader:
            lineno = reader.line_num
            if None in record or any(record[c] is None for c in required):
                raise ValueError(f"{path}, line {lineno}: expected {len(fields)} "
                                 "comma-separated fields (quote the anomaly_sequences).")
            text = record["anomaly_sequences"]
            try:
                sequences = ast.literal_eval(text.strip())
                sequences = [(int(s), int(e)) for s, e in sequences]
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                raise ValueError(
                    f"{path}, line {lineno}: anomaly_sequences {text!r} is not a list of "
                    "[start, end] pairs such as '[[1899, 2099], [4286, 4594]]'.") from None
            num_values = (record.get("num_values") or "").strip()
            try:
                num_values = int(num_values) if num_values else None
            except ValueError:
                raise ValueError(f"{path}, line {lineno}: num_values {num_values!r} is not "
                                 "an integer.") from None
            rows.append(dict(chan_id=record["chan_id"].strip(),
                             spacecraft=record["spacecraft"].strip(),
                             sequences=sequences, num_values=num_values, lineno=lineno))
    return rows


def _read_npy(path):
    path = _require_file(path)
    try:
        values = np.load(path, allow_pickle=False)
    except ValueError as exc:
        raise ValueError(f"{path} is not a readable .npy array ({exc}).") from None
    if values.ndim != 2:
        raise ValueError(f"{path}: expected a 2-D array (time, features), got shape "
                         f"{values.shape}.")
    if not np.issubdtype(values.dtype, np.number):
        raise ValueError(f"{path}: expected numbers, got dtype {values.dtype}.")
    return values.astype(np.float64)


def _nasa_channel(root, chan, entries, csv_path):
    """train, test, label of one channel; ``entries``: its rows of the CSV."""
    train_path = root / "train" / f"{chan}.npy"
    test_path = root / "test" / f"{chan}.npy"
    train, test = _read_npy(train_path), _read_npy(test_path)
    _check_widths(train, test, train_path, test_path)
    n = test.shape[0]
    label = np.zeros(n, dtype=np.int64)
    for entry in entries:
        if entry["num_values"] is not None and entry["num_values"] != n:
            raise ValueError(
                f"{csv_path}, line {entry['lineno']}: num_values of {chan} is "
                f"{entry['num_values']} but {test_path} has {n} rows.")
        for start, end in entry["sequences"]:
            if not 0 <= start <= end < n:
                raise ValueError(
                    f"{csv_path}, line {entry['lineno']}: anomaly sequence [{start}, {end}] "
                    f"of {chan} lies outside its {n} test rows (pairs are inclusive, "
                    "0-based).")
            label[start:end + 1] = 1
    return train, test, label


def load_nasa(root, dataset, channel=None):
    """Load SMAP or MSL from NASA's telemanom release.

    The Soil Moisture Active Passive satellite (SMAP, 55 channels of 25
    dimensions) and the Mars Science Laboratory rover (MSL, 27 channels of
    55 dimensions) data of Hundman et al. (KDD 2018): per channel, column 0
    is the telemetry value (scaled to [-1, 1]) and the other columns are
    one-hot encoded commands. The layout read is telemanom's::

        root/train/<chan>.npy       (n_train, n_features) array
        root/test/<chan>.npy        (n_test, n_features) array
        root/labeled_anomalies.csv  chan_id,spacecraft,anomaly_sequences,class,num_values

    where ``anomaly_sequences`` is a list of ``[start, end]`` index pairs of
    the test series, both ends included, such as
    ``"[[1899, 2099], [4286, 4594]]"`` (parsed with :func:`ast.literal_eval`).

    Parameters
    ----------
    root : str or path-like
        The folder holding ``train/``, ``test/`` and
        ``labeled_anomalies.csv``.
    dataset : {'SMAP', 'MSL'}
        The spacecraft (case-insensitive).
    channel : str or None, default=None
        One channel (``"C-1"``, ``"P-1"``, ...) of ``dataset``. With
        ``None``, every channel of ``dataset`` is read and the training
        series, the test series and the labels are each concatenated in the
        order of ``labeled_anomalies.csv``, leaving out the channels listed
        more than once there: in NASA's file this is SMAP's ``P-2`` only,
        which is listed twice with different intervals. This is the form
        used by Anomaly Transformer and DDMT, and it gives the published
        sizes: MSL 58,317 training and 73,729 test rows, SMAP 135,183 and
        427,617. A channel listed more than once and asked for by name is
        labelled with the union of its intervals.

    Returns
    -------
    data : sklearn.utils.Bunch
        ``train`` (n_train, n_features) float64, ``test`` (n_test,
        n_features) float64, ``test_label`` (n_test,) int64 with 1 =
        anomaly, ``name`` (the channel, or the dataset for a
        concatenation), and ``channels``: the channels read, in order.

    Raises
    ------
    FileNotFoundError
        If ``labeled_anomalies.csv`` or a channel's ``.npy`` file is missing.
    ValueError
        If ``dataset`` or ``channel`` is unknown (the message lists the valid
        names), if the CSV lacks a column or a sequence cannot be parsed, if
        an interval lies outside the test series, if ``num_values`` differs
        from the number of test rows, if an array is not 2-D, or if channels
        differ in width.

    References
    ----------
    .. [1] K. Hundman, V. Constantinou, C. Laporte, I. Colwell and
       T. Soderstrom, "Detecting Spacecraft Anomalies Using LSTMs and
       Nonparametric Dynamic Thresholding", KDD 2018.
       Data: https://github.com/khundman/telemanom
    .. [2] J. Xu, H. Wu, J. Wang and M. Long, "Anomaly Transformer: Time
       Series Anomaly Detection with Association Discrepancy", ICLR 2022.
    """
    root = Path(root)
    name = str(dataset).upper()
    if name not in NASA_DATASETS:
        raise ValueError(f"unknown dataset {dataset!r}; valid names are {list(NASA_DATASETS)}.")
    csv_path = root / "labeled_anomalies.csv"
    rows = [r for r in _read_labeled_anomalies(csv_path) if r["spacecraft"].upper() == name]
    order, entries = [], {}
    for row in rows:
        if row["chan_id"] not in entries:
            order.append(row["chan_id"])
            entries[row["chan_id"]] = []
        entries[row["chan_id"]].append(row)
    if channel is not None:
        channel = str(channel)
        if channel not in entries:
            raise ValueError(f"unknown {name} channel {channel!r}; the {name} channels in "
                             f"{csv_path} are {order}.")
        train, test, label = _nasa_channel(root, channel, entries[channel], csv_path)
        return Bunch(train=train, test=test, test_label=label, name=channel,
                     channels=[channel])
    channels = [chan for chan in order if len(entries[chan]) == 1]
    if not channels:
        raise ValueError(f"{csv_path} lists no {name} channel (once).")
    parts = [_nasa_channel(root, chan, entries[chan], csv_path) for chan in channels]
    widths = {chan: part[0].shape[1] for chan, part in zip(channels, parts)}
    if len(set(widths.values())) > 1:
        raise ValueError(f"the {name} channels differ in their number of columns: {widths}.")
    train, test, label = (np.concatenate(arrays) for arrays in zip(*parts))
    return Bunch(train=train, test=test, test_label=label, name=name, channels=channels)
