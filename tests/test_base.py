"""skddmt._base: decision_function and predict from score_samples and offset_."""

import numpy as np

from skddmt._base import ThresholdMixin


class _Scored(ThresholdMixin):
    offset_ = -1.0

    def score_samples(self, X):
        if isinstance(X, list):
            return [-np.asarray(x, dtype=float) for x in X]
        return -np.asarray(X, dtype=float)


def test_decision_function_and_predict_follow_the_offset():
    det = _Scored()
    np.testing.assert_array_equal(det.decision_function([0.5, 1.0, 2.0]), [0.5, 0.0, -1.0])
    # 0 is the boundary: only a negative decision is an anomaly
    np.testing.assert_array_equal(det.predict(np.array([0.5, 1.0, 2.0])), [1, 1, -1])


def test_a_list_of_series_gives_lists_back():
    det = _Scored()
    out = det.predict([np.array([0.0, 3.0]), np.array([2.0])])
    assert isinstance(out, list) and [o.tolist() for o in out] == [[1, -1], [-1]]
    dec = det.decision_function([np.array([0.0])])
    assert isinstance(dec, list) and dec[0].tolist() == [1.0]
