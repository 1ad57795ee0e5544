"""Input checks and small helpers shared by the metrics (not public)."""

from numbers import Integral

import numpy as np

#: Number of score thresholds of the range AUCs and of VUS, as in TSB-AD
#: (``RangeAUC`` hard-codes 250; ``RangeAUC_volume_opt`` has ``thre=250``).
DEFAULT_N_THRESHOLDS = 250


def _check_binary(y, name):
    """1-D int8 copy of a 0/1 vector; ValueError for anything else."""
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got an array of shape {y.shape}.")
    if y.size == 0:
        raise ValueError(f"{name} is empty.")
    if y.dtype == bool:
        return y.astype(np.int8)
    if not (np.issubdtype(y.dtype, np.number)):
        raise ValueError(f"{name} must be numeric 0/1 labels, got dtype {y.dtype}.")
    if np.issubdtype(y.dtype, np.floating) and np.isnan(y).any():
        raise ValueError(f"{name} contains NaN; it must hold 0/1 labels.")
    ok = (y == 0) | (y == 1)
    if not ok.all():
        bad = np.unique(y[~ok])[:5]
        hint = ""
        if np.any(bad == -1):
            hint = (" Outlier-detector predictions use -1 = anomaly, +1 = normal; "
                    "convert them with (pred == -1).astype(int).")
        raise ValueError(
            f"{name} must be binary with 1 = anomaly and 0 = normal; "
            f"found value(s) {bad.tolist()}.{hint}"
        )
    return y.astype(np.int8)


def _check_score(score, name="score"):
    """1-D float64 copy of a finite score vector; ValueError for anything else."""
    try:
        s = np.asarray(score, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be an array of real numbers.") from exc
    if s.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got an array of shape {s.shape}.")
    if s.size == 0:
        raise ValueError(f"{name} is empty.")
    if np.isnan(s).any():
        raise ValueError(f"{name} contains NaN values.")
    if not np.isfinite(s).all():
        raise ValueError(f"{name} contains infinite values.")
    return s


def _check_same_length(a, b, name_a, name_b):
    if a.shape[0] != b.shape[0]:
        raise ValueError(
            f"{name_a} and {name_b} must have the same length, "
            f"got {a.shape[0]} and {b.shape[0]}."
        )


def _check_labels_pred(y_true, y_pred):
    y_true = _check_binary(y_true, "y_true")
    y_pred = _check_binary(y_pred, "y_pred")
    _check_same_length(y_true, y_pred, "y_true", "y_pred")
    return y_true, y_pred


def _check_labels_score(y_true, score, *, need_both=True):
    y_true = _check_binary(y_true, "y_true")
    score = _check_score(score)
    _check_same_length(y_true, score, "y_true", "score")
    if need_both:
        n_pos = int(y_true.sum())
        if n_pos == 0:
            raise ValueError("y_true contains no anomaly (no 1); the metric is undefined.")
        if n_pos == y_true.size:
            raise ValueError(
                "y_true contains only anomalies (no 0); the metric is undefined."
            )
    return y_true, score


def _check_window(window, name="window"):
    if isinstance(window, bool) or not isinstance(window, Integral) or window < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {window!r}.")
    return int(window)


def _check_n_thresholds(n_thresholds):
    if (isinstance(n_thresholds, bool) or not isinstance(n_thresholds, Integral)
            or n_thresholds < 1):
        raise ValueError(f"n_thresholds must be a positive integer, got {n_thresholds!r}.")
    return int(n_thresholds)


def _runs(mask):
    """Maximal runs of True in a 1-D mask as half-open ``[starts, stops)``."""
    m = np.concatenate(([0], np.asarray(mask, dtype=np.int8), [0]))
    d = np.diff(m)
    return np.flatnonzero(d == 1), np.flatnonzero(d == -1)


def _prf(tp, fp, fn):
    """Precision, recall, F1 from counts, 0 where a ratio is 0/0."""
    precision = tp / (tp + fp) if tp + fp > 0 else 0.0
    recall = tp / (tp + fn) if tp + fn > 0 else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return float(precision), float(recall), float(f1)


def _interval_cover(lo, hi, n):
    """Boolean mask of length n, True on the union of inclusive ``[lo, hi]``."""
    delta = np.bincount(lo, minlength=n + 1)[: n + 1].astype(np.int64)
    delta -= np.bincount(hi + 1, minlength=n + 1)[: n + 1]
    return np.cumsum(delta[:n]) > 0
