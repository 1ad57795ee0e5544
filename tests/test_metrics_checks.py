"""Tests of skddmt.metrics._checks: the input validation shared by every family
(lengths, binary labels, NaN/inf scores, shapes, windows, n_thresholds)."""

import numpy as np
import pytest

from skddmt.metrics import (
    auc_pr,
    auc_roc,
    pa_prf,
    point_prf,
    range_auc_pr,
    vus_pr,
    vus_roc,
)


def test_validation_errors():
    y = np.array([0, 1, 0, 1])
    s = np.array([0.1, 0.9, 0.2, 0.8])
    with pytest.raises(ValueError, match="same length"):
        auc_roc(y, s[:3])
    with pytest.raises(ValueError, match="same length"):
        point_prf(y, y[:3])
    with pytest.raises(ValueError, match="binary"):
        point_prf([0, 2, 0, 1], y)
    with pytest.raises(ValueError, match=r"\(pred == -1\)"):
        pa_prf(y, [1, -1, 1, -1])
    with pytest.raises(ValueError, match="NaN"):
        vus_pr(y, [0.1, np.nan, 0.2, 0.3])
    with pytest.raises(ValueError, match="NaN"):
        point_prf([0, np.nan, 1, 0], y)
    with pytest.raises(ValueError, match="infinite"):
        auc_pr(y, [0.1, np.inf, 0.2, 0.3])
    with pytest.raises(ValueError, match="1-D"):
        auc_pr(y[:, None], s)
    with pytest.raises(ValueError, match="empty"):
        point_prf([], [])
    with pytest.raises(ValueError, match="no anomaly"):
        vus_roc(np.zeros(4, int), s)
    with pytest.raises(ValueError, match="only anomalies"):
        auc_roc(np.ones(4, int), s)
    with pytest.raises(ValueError, match="window"):
        vus_pr(y, s, window=-1)
    with pytest.raises(ValueError, match="window"):
        range_auc_pr(y, s, window=2.5)
    with pytest.raises(ValueError, match="n_thresholds"):
        vus_pr(y, s, window=2, n_thresholds=0)
    # bool labels are fine
    assert point_prf(y.astype(bool), y.astype(bool)) == (1.0, 1.0, 1.0)
