"""Tests of skddmt.datasets.synthetic: make_synthetic and its injector table."""

import numpy as np
import pytest

from skddmt.datasets import ANOMALY_TYPES, EXTRA_ANOMALY_TYPES, make_synthetic


def test_make_synthetic_shapes_and_labels():
    data = make_synthetic(n_train=500, n_test=600, n_features=4, n_anomalies=10,
                          random_state=0)
    assert data.train.shape == (500, 4) and data.test.shape == (600, 4)
    assert data.test_label.shape == (600,) and data.test_label.dtype == np.int64
    assert data.train.dtype == np.float64 and np.isfinite(data.test).all()
    assert len(data.anomaly_segments) == 10
    assert sorted(k for _, _, k in data.anomaly_segments) == sorted(ANOMALY_TYPES * 2)
    expected = np.zeros(600, dtype=np.int64)
    previous_stop = 0
    for start, stop, _ in data.anomaly_segments:
        assert previous_stop < start < stop <= 600   # sorted, apart from each other
        expected[start:stop] = 1
        previous_stop = stop
    np.testing.assert_array_equal(data.test_label, expected)
    # anomalies only in the test series: outside the segments, test is clean
    outside = expected == 0
    np.testing.assert_array_equal(data.test[outside], data.test_clean[outside])


def test_make_synthetic_types_at_their_segments():
    data = make_synthetic(n_train=1000, n_test=1000, n_features=3, n_anomalies=5,
                          random_state=3)
    lo = np.minimum(data.train.min(0), data.test_clean.min(0))
    hi = np.maximum(data.train.max(0), data.test_clean.max(0))
    span = hi - lo
    kinds = set()
    for (start, stop, kind), feats in zip(data.anomaly_segments, data.anomaly_features):
        kinds.add(kind)
        diff = np.abs(data.test[start:stop] - data.test_clean[start:stop])
        others = [f for f in range(3) if f not in feats]
        assert (diff[:, others] == 0).all()                # only the listed features
        assert (diff[:, feats].max(axis=0) > 0.25 * span[feats]).all()
        if kind in ("global", "contextual"):
            assert stop == start + 1
            value = data.test[start, feats]
            if kind == "global":
                assert ((value > hi[feats]) | (value < lo[feats])).all()
            else:
                assert ((value > lo[feats]) & (value < hi[feats])).all()
        else:
            assert stop - start >= 10
            if kind == "trend":                            # a ramp: grows along the segment
                assert (diff[-1, feats] > diff[0, feats]).all()
    assert kinds == set(ANOMALY_TYPES)


def test_make_synthetic_level_shift():
    """A level shift moves the listed features by one constant over a long
    segment; shape and noise are kept, and it is only made on request."""
    assert "level" in EXTRA_ANOMALY_TYPES and "level" not in ANOMALY_TYPES
    data = make_synthetic(n_train=1000, n_test=3000, n_features=4, n_anomalies=6,
                          anomaly_types=ANOMALY_TYPES + ("level",), random_state=5)
    lo = np.minimum(data.train.min(0), data.test_clean.min(0))
    span = np.maximum(data.train.max(0), data.test_clean.max(0)) - lo
    levels = [(seg, feats) for seg, feats in zip(data.anomaly_segments, data.anomaly_features)
              if seg[2] == "level"]
    assert len(levels) == 1
    (start, stop, _), feats = levels[0]
    longest_other = max(b - a for a, b, k in data.anomaly_segments if k != "level")
    assert stop - start >= longest_other and stop - start <= 3000 // (2 * 6)
    shift = data.test[start:stop] - data.test_clean[start:stop]
    others = [f for f in range(4) if f not in feats]
    assert (shift[:, others] == 0).all()
    np.testing.assert_allclose(shift[:, feats], shift[:1, feats].repeat(stop - start, 0))
    size = np.abs(shift[0, feats]) / span[feats]
    assert ((size >= 0.25) & (size <= 0.5)).all()
    assert data.test_label[start:stop].all()
    # the default rotation has no level shift
    default = make_synthetic(n_train=300, n_test=600, n_anomalies=12, random_state=5)
    assert {k for _, _, k in default.anomaly_segments} == set(ANOMALY_TYPES)
    with pytest.raises(ValueError, match="'level'"):
        make_synthetic(anomaly_types=["plateau"])


def test_make_synthetic_determinism():
    a = make_synthetic(n_train=300, n_test=300, random_state=7)
    b = make_synthetic(n_train=300, n_test=300, random_state=7)
    c = make_synthetic(n_train=300, n_test=300, random_state=8)
    for key in ("train", "test", "test_label"):
        np.testing.assert_array_equal(a[key], b[key])
    assert a.anomaly_segments == b.anomaly_segments
    assert not np.array_equal(a.train, c.train)
    assert a.anomaly_segments != c.anomaly_segments
    state = np.random.get_state()
    make_synthetic(n_train=50, n_test=50, n_anomalies=2, random_state=None)
    after = np.random.get_state()
    assert state[0] == after[0] and np.array_equal(state[1], after[1])  # global RNG untouched


def test_make_synthetic_options_and_errors():
    only = make_synthetic(n_train=100, n_test=200, n_features=1, anomaly_types="trend",
                          n_anomalies=3, random_state=0)
    assert [k for _, _, k in only.anomaly_segments] == ["trend"] * 3
    assert only.anomaly_features == [[0], [0], [0]]
    none = make_synthetic(n_train=100, n_test=100, n_anomalies=0, random_state=0)
    assert none.test_label.sum() == 0 and none.anomaly_segments == []
    with pytest.raises(ValueError, match="unknown anomaly type.*'global'"):
        make_synthetic(anomaly_types=("global", "spike"))
    with pytest.raises(ValueError, match="n_features"):
        make_synthetic(n_features=0)
    with pytest.raises(ValueError, match="n_anomalies"):
        make_synthetic(n_anomalies=2.5)
    with pytest.raises(ValueError, match="empty"):
        make_synthetic(anomaly_types=())
    with pytest.raises(ValueError, match="too short"):
        make_synthetic(n_test=10, n_anomalies=10)
    with pytest.raises(ValueError, match="random_state"):
        make_synthetic(random_state="seed")


def test_injector_table_covers_every_type():
    """One injector and one length class per anomaly type, no more, no less;
    point types last one step, the others longer."""
    from skddmt.datasets.synthetic import _INJECTORS, _LENGTHS

    every = ANOMALY_TYPES + EXTRA_ANOMALY_TYPES
    assert len(set(every)) == len(every)                   # no type listed twice
    assert set(_INJECTORS) == set(every)
    assert set(_LENGTHS) == set(every)
    assert all(callable(inject) for inject in _INJECTORS.values())
    assert set(_LENGTHS.values()) <= {"point", "pattern", "long"}
    assert {k for k, length in _LENGTHS.items() if length == "point"} == {"global", "contextual"}
    for kind in every:
        data = make_synthetic(n_train=200, n_test=600, n_features=2, anomaly_types=kind,
                              n_anomalies=3, random_state=0)
        lengths = [stop - start for start, stop, k in data.anomaly_segments]
        assert len(lengths) == 3 and {k for _, _, k in data.anomaly_segments} == {kind}
        if _LENGTHS[kind] == "point":
            assert lengths == [1, 1, 1], kind
        else:
            assert min(lengths) > 1, kind
