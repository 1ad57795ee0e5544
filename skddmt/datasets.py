"""Datasets: the bundled SMD machine, readers for benchmark files, synthetic data.

- :func:`load_smd_sample`: the bundled SMD machine ``machine-1-2``;
- :func:`load_npz`: one entity stored as ``.npz`` (``train``, ``test``,
  ``test_label``);
- :func:`load_smd`, :func:`list_smd_machines`, :func:`load_nasa` (SMAP, MSL),
  :func:`load_psm`, :func:`load_swat`: readers for the public file formats
  of the five benchmarks of the DDMT paper;
- :func:`make_synthetic`: a series with injected anomalies of known types.

Nothing here downloads anything: the bundled sample ships inside the
package, and other files are read from paths that the caller gives.
"""

import array
import ast
import csv
import re
from importlib import resources
from numbers import Integral
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


# ---------------------------------------------------------------------------
# Readers for the public file formats of the benchmarks of the DDMT paper.
#
# All readers are pure Python (``csv``, ``ast``) and numpy: pandas is needed
# only to read SWaT's ``.xlsx`` releases, and then imported lazily.
# ---------------------------------------------------------------------------

#: The two spacecraft of NASA's telemanom release.
NASA_DATASETS = ("SMAP", "MSL")

#: The anomaly types of :func:`make_synthetic` (Lai et al., NeurIPS 2021), its default.
ANOMALY_TYPES = ("global", "contextual", "shapelet", "seasonal", "trend")

#: Types :func:`make_synthetic` also makes on request, outside the default
#: rotation (so the default series stay what they were).
EXTRA_ANOMALY_TYPES = ("level",)

_EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")


def _require_file(path):
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    return path


def _natural_key(text):
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def _csv_records(path, delimiter=","):
    """Yield ``(line_number, cells)`` for every non-blank record of a text file."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        for cells in reader:
            if not cells or not any(cell.strip() for cell in cells):
                continue
            yield reader.line_num, cells


def _bad_cell(path, lineno, column, cell, names=None):
    where = f"column {column + 1}"
    if names is not None and column < len(names) and names[column]:
        where += f" ({names[column]!r})"
    return ValueError(f"{path}, line {lineno}, {where}: cannot read {cell!r} as a number.")


def _floats(cells, path, lineno, names=None, missing=False, decimal_comma=False):
    """Convert the cells of one row to floats, or raise a ValueError saying where.

    ``missing``: empty cells (and ``nan``) become NaN instead of an error.
    ``decimal_comma``: ``"2,5"`` reads as 2.5.
    """
    try:
        if decimal_comma:
            return [float(cell.replace(",", ".")) for cell in cells]
        return [float(cell) for cell in cells]
    except ValueError:
        pass
    values = []
    for j, cell in enumerate(cells):
        text = cell.strip()
        if decimal_comma:
            text = text.replace(",", ".")
        if missing and text == "":
            values.append(np.nan)
            continue
        try:
            values.append(float(text))
        except ValueError:
            raise _bad_cell(path, lineno, j, cell, names) from None
    return values


def _read_matrix(path, *, header=False, missing=False):
    """Read a comma-separated file of numbers into a float64 2-D array.

    Returns ``(names, X)``; ``names`` is the stripped header (``None`` when
    ``header`` is false). Every row must have as many cells as the first
    (or as the header).
    """
    path = _require_file(path)
    names, width = None, None
    flat = array.array("d")
    n_rows = 0
    for lineno, cells in _csv_records(path):
        if header and names is None:
            names = [cell.strip() for cell in cells]
            width = len(names)
            continue
        if width is None:
            width = len(cells)
        elif len(cells) != width:
            raise ValueError(
                f"{path}, line {lineno}: expected {width} comma-separated values "
                f"(as in the {'header' if header else 'first row'}), found {len(cells)}."
            )
        flat.extend(_floats(cells, path, lineno, names, missing=missing))
        n_rows += 1
    if width is None:
        raise ValueError(f"{path} is empty.")
    if n_rows == 0:
        raise ValueError(f"{path} has no data rows.")
    return names, np.array(flat, dtype=np.float64).reshape(n_rows, width)


def _as_labels(values, path):
    """0/1 labels as int64; ValueError naming the first bad value otherwise."""
    values = np.asarray(values, dtype=np.float64)
    bad = ~np.isin(values, (0.0, 1.0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"{path}: labels must be 0 or 1 (1 = anomaly); value {values[i]!r} at row {i}."
        )
    return values.astype(np.int64)


def _check_lengths(test, label, test_path, label_path):
    if label.shape[0] != test.shape[0]:
        raise ValueError(
            f"{label_path} has {label.shape[0]} labels but {test_path} has "
            f"{test.shape[0]} rows."
        )


def _check_widths(train, test, train_path, test_path):
    if train.shape[1] != test.shape[1]:
        raise ValueError(
            f"{train_path} has {train.shape[1]} columns but {test_path} has {test.shape[1]}."
        )


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


# -------------------------------------------------------------------- SWaT

_SWAT_LABELS = {"normal": 0, "attack": 1, "0": 0, "1": 1}
_SWAT_HEADER_SCAN = 10


def _swat_key(cell):
    """A header or label cell, without any whitespace (``'A ttack'``), lower-cased."""
    return "".join(str(cell).split()).lower()


def _swat_records_csv(path):
    """(delimiter, iterator of (line_number, cells)) of a SWaT CSV export."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        head = [fh.readline() for _ in range(_SWAT_HEADER_SCAN)]
    line = next((h for h in head if "normal/attack" in _swat_key(h)), None)
    if line is None:
        raise ValueError(f"{path}: no 'Normal/Attack' column header in its first "
                         f"{_SWAT_HEADER_SCAN} lines.")
    delimiter = max((",", ";", "\t"), key=line.count)
    return delimiter, _csv_records(path, delimiter)


def _swat_records_excel(path):
    try:
        import pandas as pd
    except ImportError as exc:
        raise ImportError(f"reading {path} needs pandas and openpyxl "
                          "(pip install pandas openpyxl), or export the sheet to CSV "
                          "and pass the CSV file.") from exc
    engine = "xlrd" if path.suffix.lower() == ".xls" else "openpyxl"
    try:
        frame = pd.read_excel(path, header=None, dtype=object, engine=engine)
    except ImportError as exc:
        raise ImportError(f"reading {path} needs {engine} (pip install {engine}), or export "
                          "the sheet to CSV and pass the CSV file.") from exc

    def cell(value):
        return "" if value is None or (isinstance(value, float) and np.isnan(value)) \
            else str(value)

    def records():
        for i, row in enumerate(frame.itertuples(index=False, name=None)):
            cells = [cell(v) for v in row]
            if any(c.strip() for c in cells):
                yield i + 1, cells   # the sheet's row number
    return records()


def _read_swat(path):
    """feature_names, X (float64), labels (int64) of one SWaT export."""
    path = _require_file(path)
    if path.suffix.lower() in _EXCEL_SUFFIXES:
        delimiter, records = ",", _swat_records_excel(path)
    else:
        delimiter, records = _swat_records_csv(path)
    header = None
    for lineno, cells in records:
        if "normal/attack" in (_swat_key(c) for c in cells):
            header = [c.strip() for c in cells]
            break
        if lineno > _SWAT_HEADER_SCAN:
            break
    if header is None:
        raise ValueError(f"{path}: no 'Normal/Attack' column header in its first "
                         f"{_SWAT_HEADER_SCAN} rows.")
    keys = [_swat_key(c) for c in header]
    label_col = keys.index("normal/attack")
    numeric = [j for j, k in enumerate(keys) if k and k not in ("normal/attack", "timestamp")]
    names = [header[j] for j in numeric]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise ValueError(f"{path}: duplicated column names {duplicated}.")
    width = len(header)
    decimal_comma = delimiter != ","
    flat, labels = array.array("d"), []
    for lineno, cells in records:
        if len(cells) != width:
            raise ValueError(f"{path}, line {lineno}: expected {width} cells (as in the "
                             f"header), found {len(cells)}.")
        label = _SWAT_LABELS.get(_swat_key(cells[label_col]))
        if label is None:
            raise ValueError(f"{path}, line {lineno}: Normal/Attack value "
                             f"{cells[label_col]!r} is not 'Normal' or 'Attack'.")
        labels.append(label)
        values = [cells[j] for j in numeric]
        try:
            flat.extend(_floats(values, path, lineno, decimal_comma=decimal_comma))
        except ValueError:
            for j in numeric:   # say which column of the file
                text = cells[j].strip()
                try:
                    float(text.replace(",", ".") if decimal_comma else text)
                except ValueError:
                    raise _bad_cell(path, lineno, j, cells[j], header) from None
            raise
    if not labels:
        raise ValueError(f"{path} has no data rows.")
    X = np.array(flat, dtype=np.float64).reshape(len(labels), len(numeric))
    return names, X, np.array(labels, dtype=np.int64)


def load_swat(train_path, test_path):
    """Load the Secure Water Treatment dataset from iTrust's exports.

    SWaT (Goh et al., CRITIS 2016; Mathur & Tippenhauer, 2016) records the
    sensors and actuators (51 in the 2015 release) of a six-stage water
    treatment testbed once a second: seven days of normal operation (the
    training series) and four days with 41 attacks (the test series).
    iTrust distributes it on request as ``SWaT_Dataset_Normal_v1`` and
    ``SWaT_Dataset_Attack_v0`` (``.xlsx``, often converted to ``.csv``).

    What is read: a header row holding a ``Normal/Attack`` column, found
    among the first 10 rows (the ``.xlsx`` sheets have a title row above
    it); whitespace around header names (``" Timestamp"``, ``" MV101"``) is
    stripped. The ``Timestamp`` column is dropped; ``Normal/Attack`` gives
    the labels (``Normal`` -> 0, ``Attack`` and the release's typo
    ``A ttack`` -> 1, in any case; ``0`` and ``1`` are accepted too);
    columns with a blank header are ignored; every other column must be
    numeric. CSV fields may be separated by ``,``,
    ``;`` or tabs (the most frequent one in the header row wins); with
    ``;`` or tab separators a decimal comma (``2,4270``) is read as a
    decimal point, with ``,`` separators it cannot be and the cell is an
    error. Thousands separators are not supported. No rows are dropped (many
    papers drop the first hours of the normal series, while the plant
    stabilises: slice ``train`` to do so). The columns of the test file are
    put in the order of the training file's.

    Parameters
    ----------
    train_path, test_path : str or path-like
        The normal (training) and attack (test) exports, ``.csv`` or
        ``.xlsx``. Excel files are read with pandas and openpyxl (xlrd for
        ``.xls``), which are not dependencies of this package.

    Returns
    -------
    data : sklearn.utils.Bunch
        ``train`` (n_train, n_features) float64, ``test`` (n_test,
        n_features) float64, ``test_label`` (n_test,) int64 with 1 =
        attack, ``train_label`` (n_train,) int64 (the training file's own
        labels, normally all 0), ``name`` (``"SWaT"``) and
        ``feature_names``.

    Raises
    ------
    FileNotFoundError
        If a file is missing.
    ImportError
        For an Excel file when pandas or openpyxl is not installed.
    ValueError
        If no ``Normal/Attack`` header is found, a row has a different
        number of cells than the header, a cell is not a number, a label is
        not Normal/Attack, or the two files have different columns.

    References
    ----------
    .. [1] J. Goh, S. Adepu, K. N. Junejo and A. Mathur, "A Dataset to
       Support Research in the Design of Secure Water Treatment Systems",
       CRITIS 2016.
    .. [2] A. P. Mathur and N. O. Tippenhauer, "SWaT: A Water Treatment
       Testbed for Research and Training on ICS Security", CySWater 2016.
    """
    names, train, train_label = _read_swat(train_path)
    test_names, test, test_label = _read_swat(test_path)
    if set(test_names) != set(names):
        raise ValueError(
            f"{train_path} and {test_path} have different columns: only in the first "
            f"{sorted(set(names) - set(test_names))}, only in the second "
            f"{sorted(set(test_names) - set(names))}.")
    if test_names != names:
        test = test[:, [test_names.index(n) for n in names]]
    return Bunch(train=train, test=test, test_label=test_label, train_label=train_label,
                 name="SWaT", feature_names=names)


# --------------------------------------------------------------- synthetic

_POINT_TYPES = ("global", "contextual")


def _check_int(value, name, minimum):
    if isinstance(value, bool) or not isinstance(value, Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}.")
    return int(value)


def _as_generator(random_state):
    """A numpy Generator from an int, None, a Generator or a RandomState (never the global one)."""
    if random_state is None or (isinstance(random_state, Integral)
                                and not isinstance(random_state, bool)):
        return np.random.default_rng(random_state)
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(np.iinfo(np.int32).max))
    raise ValueError(f"random_state must be None, an int, a numpy Generator or RandomState; "
                     f"got {random_state!r}.")


def make_synthetic(n_train=2000, n_test=2000, n_features=5, anomaly_types=ANOMALY_TYPES,
                   n_anomalies=10, random_state=None):
    """Generate a multivariate series with labelled anomalies of known types.

    Follows the taxonomy of Lai et al. (NeurIPS 2021 Datasets and
    Benchmarks). Each feature is a sum of three sines with random periods
    (20 to 100 steps), amplitudes and phases, plus Gaussian noise of
    standard deviation 0.05; the test series continues the training series
    in time. The training series is clean; ``n_anomalies`` anomalies are
    injected into the test series only, the types taken in turn from
    ``anomaly_types`` (so each type appears when ``n_anomalies >=
    len(anomaly_types)``) and placed at random, apart from each other. Each
    anomaly affects a random subset of at most half of the features (at
    least one). With ``r`` the range of a feature over the clean series:

    ``"global"`` (point-global)
        one timestamp set beyond the range, 0.5 r to r above the maximum or
        below the minimum.
    ``"contextual"`` (point-contextual)
        one timestamp moved, inside the range (at least 0.05 r from its
        ends), by 0.3 r or more away from its clean value: normal globally,
        abnormal in its context.
    ``"shapelet"`` (pattern-shapelet)
        a segment replaced by a square or sawtooth wave (amplitude 0.4 r
        around the middle of the range, the period of the feature's main
        sine) plus noise.
    ``"seasonal"`` (pattern-seasonal)
        a segment where the feature's sines run 2 to 3 times faster
        (continuous at the segment's start).
    ``"trend"`` (pattern-trend)
        a segment with an added linear ramp from 0 up (or down) to 0.5 r to r.
    ``"level"`` (long level shift; not in the default ``ANOMALY_TYPES``)
        a long segment moved up (or down) by a constant 0.25 r to 0.5 r,
        shape and noise kept: every timestamp is close to its neighbours,
        so only the level, over many steps, is abnormal (a stuck offset, a
        drifted sensor, a spacecraft channel in an unusual mode).

    Point anomalies last one step; pattern anomalies 20 to 60 steps, less
    when ``n_test`` is short for ``n_anomalies``; a level shift from the
    longest pattern length up to ``n_test // (2 * n_anomalies)`` steps.

    Parameters
    ----------
    n_train : int, default=2000
        Length of the training series (at least 1).
    n_test : int, default=2000
        Length of the test series (at least 1).
    n_features : int, default=5
        Number of features (at least 1).
    anomaly_types : sequence of str or str, default=ANOMALY_TYPES
        Types among ``"global"``, ``"contextual"``, ``"shapelet"``,
        ``"seasonal"``, ``"trend"`` and ``"level"`` (a single string means
        one type). The default is the first five.
    n_anomalies : int, default=10
        Number of anomalies in the test series (0 for none).
    random_state : int, numpy.random.Generator, numpy.random.RandomState or None, \
default=None
        Seed or generator; the same int gives the same data. ``None`` draws
        fresh entropy (the global numpy random state is never used).

    Returns
    -------
    data : sklearn.utils.Bunch
        ``train`` (n_train, n_features) float64, ``test`` (n_test,
        n_features) float64, ``test_label`` (n_test,) int64 with 1 inside an
        anomaly, ``anomaly_segments``: a list of ``(start, stop, type)``
        sorted by ``start`` (rows ``start:stop`` of ``test``), ``anomaly_features``:
        for each segment, the list of features it affects, ``test_clean``:
        the test series before injection (noise included), and ``name``
        (``"synthetic"``).

    Raises
    ------
    ValueError
        If a size is not a positive integer (``n_anomalies`` may be 0), a
        type is unknown (the message lists the valid ones), no type is
        given while ``n_anomalies > 0``, or ``n_test`` is too short for
        ``n_anomalies`` separate anomalies.

    References
    ----------
    .. [1] K.-H. Lai, D. Zha, J. Xu, Y. Zhao, G. Wang and X. Hu, "Revisiting
       Time Series Outlier Detection: Definitions and Benchmarks", NeurIPS
       2021 Datasets and Benchmarks Track.

    Examples
    --------
    >>> from skddmt.datasets import make_synthetic
    >>> data = make_synthetic(n_train=500, n_test=500, n_anomalies=5, random_state=0)
    >>> data.train.shape, data.test.shape, data.test_label.shape
    ((500, 5), (500, 5), (500,))
    >>> sorted(kind for _, _, kind in data.anomaly_segments)
    ['contextual', 'global', 'seasonal', 'shapelet', 'trend']
    """
    n_train = _check_int(n_train, "n_train", 1)
    n_test = _check_int(n_test, "n_test", 1)
    n_features = _check_int(n_features, "n_features", 1)
    n_anomalies = _check_int(n_anomalies, "n_anomalies", 0)
    valid = ANOMALY_TYPES + EXTRA_ANOMALY_TYPES
    if isinstance(anomaly_types, str):
        anomaly_types = (anomaly_types,)
    try:
        anomaly_types = tuple(anomaly_types)
    except TypeError:
        raise ValueError(f"anomaly_types must be a sequence of names among "
                         f"{list(valid)}; got {anomaly_types!r}.") from None
    unknown = [t for t in anomaly_types if t not in valid]
    if unknown:
        raise ValueError(f"unknown anomaly type(s) {unknown}; valid types are "
                         f"{list(valid)}.")
    if n_anomalies and not anomaly_types:
        raise ValueError("anomaly_types is empty but n_anomalies > 0.")
    rng = _as_generator(random_state)

    # The clean signal: a function of (fractional) time, so that the test
    # series continues the training series and segments can be time-warped.
    n_sines = 3
    periods = rng.uniform(20.0, 100.0, size=(n_sines, n_features))
    amplitudes = rng.uniform(0.3, 1.0, size=(n_sines, n_features))
    phases = rng.uniform(0.0, 2 * np.pi, size=(n_sines, n_features))
    noise_std = 0.05

    def signal(t):
        t = np.asarray(t, dtype=np.float64)[:, None, None]
        return (amplitudes * np.sin(2 * np.pi * t / periods + phases)).sum(axis=1)

    t_test = np.arange(n_train, n_train + n_test, dtype=np.float64)
    train = signal(np.arange(n_train)) + noise_std * rng.normal(size=(n_train, n_features))
    clean = signal(t_test) + noise_std * rng.normal(size=(n_test, n_features))
    lo = np.minimum(train.min(axis=0), clean.min(axis=0))
    hi = np.maximum(train.max(axis=0), clean.max(axis=0))
    span = hi - lo
    main_period = periods[np.argmax(amplitudes, axis=0), np.arange(n_features)]

    # Where: non-overlapping segments with at least `gap` clean steps around each.
    kinds = [anomaly_types[i % len(anomaly_types)] for i in range(n_anomalies)]
    kinds = [kinds[i] for i in rng.permutation(n_anomalies)]
    budget = n_test // max(n_anomalies, 1)
    min_len = max(2, min(20, budget // 4))
    max_len = max(min_len, min(60, budget // 2))
    gap = max(1, min(10, budget // 8))
    level_max = max(max_len, budget // 2)

    def draw_length(kind):
        if kind in _POINT_TYPES:
            return 1
        if kind == "level":
            return int(rng.integers(max_len, level_max + 1))
        return int(rng.integers(min_len, max_len + 1))

    lengths = [draw_length(k) for k in kinds]
    free = n_test - sum(lengths) - gap * (n_anomalies + 1)
    if free < 0:
        raise ValueError(f"n_test={n_test} is too short for {n_anomalies} separate anomalies; "
                         "use a longer test series or fewer anomalies.")
    cuts = np.sort(rng.integers(0, free + 1, size=n_anomalies))
    starts = [int(cuts[i]) + sum(lengths[:i]) + gap * (i + 1) for i in range(n_anomalies)]

    test = clean.copy()
    label = np.zeros(n_test, dtype=np.int64)
    segments, features = [], []
    max_affected = max(1, n_features // 2)
    for kind, start, length in zip(kinds, starts, lengths):
        stop = start + length
        n_aff = int(rng.integers(1, max_affected + 1))
        feats = sorted(int(f) for f in rng.choice(n_features, size=n_aff, replace=False))
        steps = np.arange(length, dtype=np.float64)
        for f in feats:
            if kind == "global":
                sign = rng.choice((-1.0, 1.0))
                edge = hi[f] if sign > 0 else lo[f]
                test[start, f] = edge + sign * span[f] * rng.uniform(0.5, 1.0)
            elif kind == "contextual":
                value = clean[start, f]
                top, bottom = hi[f] - 0.05 * span[f], lo[f] + 0.05 * span[f]
                up, down = top - value, value - bottom
                move = up if up >= down else -down
                test[start, f] = value + move * rng.uniform(0.7, 1.0)
            elif kind == "shapelet":
                cycle = (steps / main_period[f]) % 1.0
                if rng.random() < 0.5:
                    wave = np.where(cycle < 0.5, 1.0, -1.0)        # square
                else:
                    wave = 2.0 * cycle - 1.0                        # sawtooth
                middle = 0.5 * (lo[f] + hi[f])
                test[start:stop, f] = (middle + 0.4 * span[f] * wave
                                       + noise_std * rng.normal(size=length))
            elif kind == "seasonal":
                speed = rng.uniform(2.0, 3.0)
                warped = signal(t_test[start] + speed * steps)[:, f]
                test[start:stop, f] = warped + (clean[start:stop, f]
                                                - signal(t_test[start:stop])[:, f])
            elif kind == "trend":
                sign = rng.choice((-1.0, 1.0))
                total = sign * span[f] * rng.uniform(0.5, 1.0)
                test[start:stop, f] += total * (steps + 1) / length
            else:  # level
                test[start:stop, f] += rng.choice((-1.0, 1.0)) * span[f] * rng.uniform(0.25, 0.5)
        label[start:stop] = 1
        segments.append((start, stop, kind))
        features.append(feats)
    order = np.argsort([s for s, _, _ in segments], kind="stable")
    return Bunch(train=train, test=test, test_label=label,
                 anomaly_segments=[segments[i] for i in order],
                 anomaly_features=[features[i] for i in order],
                 test_clean=clean, name="synthetic")
