"""Shared helpers of the file readers: CSV records, numeric cells, label and
shape checks, with error messages that name the file, line and column.

All readers are pure Python (``csv``, ``ast``) and numpy: pandas is needed
only to read SWaT's ``.xlsx`` releases, and then imported lazily.
"""

import array
import csv
import re
from pathlib import Path

import numpy as np


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
