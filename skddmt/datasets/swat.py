"""The Secure Water Treatment testbed (SWaT) exports, CSV or Excel."""

import array

import numpy as np
from sklearn.utils import Bunch

from ._io import (
    _bad_cell,
    _csv_records,
    _floats,
    _require_file,
)

_EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")


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
