"""From anomaly scores to a threshold: the centred moving average that smooths
a series' scores, and ``offset_`` from the training scores and ``contamination``.

Pure numpy, shared by DDMTDetector and the baselines.
"""

import numpy as np

#: With contamination='auto', a timestamp is an outlier when the robust
#: z-score of its log anomaly score, relative to the training series, exceeds this.
AUTO_Z = 3.0
#: With contamination='auto', at least the top 1 % of training scores are flagged.
AUTO_MAX_QUANTILE = 0.99


#: Rows per block of :func:`moving_average`: its temporary arrays are this
#: long, so smoothing a long series needs no more than its output.
SMOOTHING_BLOCK = 1 << 16


def moving_average(values, width, causal=False):
    """Centred (or trailing) moving average of a 1-d array, as a new float64 array.

    Entry ``t`` is the mean of ``values[t - (width - 1) // 2 : t + width // 2 + 1]``
    clipped to the array, so the average shrinks at the two ends instead of
    padding them; ``width=1`` returns a copy. With ``causal``, the mean of
    ``values[t - width + 1 : t + 1]`` (the ``width`` rows up to ``t``).

    Computed in blocks of :data:`SMOOTHING_BLOCK` rows (each with the
    ``width - 1`` neighbours it needs), so memory beyond the output does not
    grow with the series; each window sum is the same direct sum as on the
    whole array.
    """
    values = np.asarray(values, dtype=np.float64)
    n = len(values)
    if width <= 1 or n <= 1:
        return values.copy()
    if width >= 2 * n and not causal:  # every window holds the whole series
        return np.full(n, values.mean())
    # A direct convolution (no running sums, whose differences lose the
    # small scores' digits on long series); window sums end at t + right.
    kernel = np.ones(width)
    left, right = (width - 1, 0) if causal else ((width - 1) // 2, width // 2)
    block = max(SMOOTHING_BLOCK, 2 * width)
    out = np.empty(n)
    for a in range(0, n, block):
        b = min(n, a + block)
        hi = min(n, b + right)
        lo = max(0, min(a - left, hi - width))  # at least one kernel long
        t = np.arange(a, b)
        # rows that exist in each window: an exact count, as float64
        counts = np.minimum(t + right, n - 1) - np.maximum(t - left, 0) + 1
        sums = np.convolve(values[lo:hi], kernel)[a - lo + right:b - lo + right]
        np.divide(sums, counts, out=out[a:b])
    return out


def auto_threshold(anomaly_scores):
    """Anomaly-score threshold used with ``contamination='auto'``.

    The smaller of ``exp(median(log s) + AUTO_Z * 1.4826 * MAD(log s))``, a
    robust upper tail of the log scores, and the ``AUTO_MAX_QUANTILE``
    quantile of ``s``, over the given (training) anomaly scores ``s``. The
    second bound makes sure that some points are flagged even when the
    training scores have a light tail.
    """
    log_s = np.log(np.maximum(anomaly_scores, 1e-12))
    med = np.median(log_s)
    mad = 1.4826 * np.median(np.abs(log_s - med))
    robust = float(np.exp(med + AUTO_Z * max(mad, 1e-6)))
    return min(robust, float(np.quantile(anomaly_scores, AUTO_MAX_QUANTILE)))


def offset_from_training(anomaly_scores, contamination):
    """``offset_`` (on the ``score_samples`` scale) from training anomaly scores.

    Parameters
    ----------
    anomaly_scores : ndarray of shape (n_samples,)
        Anomaly scores of the training series (higher = more abnormal).
    contamination : 'auto' or float in (0, 0.5]

    Returns
    -------
    offset : float
        ``score_samples(X) - offset < 0`` marks anomalies.
    """
    if contamination == "auto":
        return -auto_threshold(anomaly_scores)
    return float(np.percentile(-np.asarray(anomaly_scores), 100.0 * contamination))
