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


def _segments_of(data, kind):
    return [(start, stop, feats) for (start, stop, k), feats
            in zip(data.anomaly_segments, data.anomaly_features) if k == kind]


def _assert_others_untouched(data, start, stop, feats):
    """The features an anomaly does not affect keep their clean values there."""
    others = [f for f in range(data.test.shape[1]) if f not in feats]
    np.testing.assert_array_equal(data.test[start:stop, others],
                                  data.test_clean[start:stop, others])


def test_correlation_break_keeps_the_values_and_breaks_the_relation():
    """Mixed features (rank = latent signals); in a segment a feature takes
    values of its own range that no longer fit the other features."""
    data = make_synthetic(n_train=3000, n_test=3000, n_features=8,
                          anomaly_types="correlation", n_anomalies=6, random_state=2)
    sv = np.linalg.svd(data.train - data.train.mean(0), compute_uv=False)
    assert sv[3] < 0.05 * sv[0] and sv[2] > 0.2 * sv[0]  # 3 latent signals, plus noise
    for start, stop, feats in _segments_of(data, "correlation"):
        assert 20 <= stop - start <= 60
        for f in feats:
            others = [g for g in range(8) if g not in feats]
            design = np.c_[data.train[:, others], np.ones(3000)]
            coef = np.linalg.lstsq(design, data.train[:, f], rcond=None)[0]
            normal = np.std(data.train[:, f] - design @ coef)
            seg = np.c_[data.test[start:stop, others], np.ones(stop - start)]
            broken = np.abs(data.test[start:stop, f] - seg @ coef).mean()
            assert broken > 4 * normal                     # the relation breaks
            lo, hi = data.train[:, f].min(), data.train[:, f].max()
            margin = 0.1 * (hi - lo)                       # ... not the marginal
            assert (data.test[start:stop, f] > lo - margin).all()
            assert (data.test[start:stop, f] < hi + margin).all()
            # smooth: no step inside the segment beyond the normal ones
            steps = np.abs(np.diff(data.test[start:stop, f]))
            assert steps.max() < 3 * np.abs(np.diff(data.train[:, f])).max()


def test_rare_level_sits_between_the_training_regimes():
    data = make_synthetic(n_train=3000, n_test=3000, n_features=4, anomaly_types="rare_level",
                          n_anomalies=4, random_state=1)
    assert data.feature_roles == ["continuous"] * 4
    for start, stop, feats in _segments_of(data, "rare_level"):
        for f in feats:
            seg = data.test[start:stop, f]
            train = data.train[:, f]
            assert not ((train >= seg.min()) & (train <= seg.max())).any()  # never in training
            assert train.min() < seg.min() and seg.max() < train.max()      # not extreme
            # both regimes are visited, one on each side
            assert (train < seg.min()).mean() > 0.1 and (train > seg.max()).mean() > 0.1
        _assert_others_untouched(data, start, stop, feats)


def test_flags_are_on_off_columns_that_flip_normally():
    data = make_synthetic(n_train=2000, n_test=2000, n_features=6, anomaly_types="flags",
                          n_anomalies=5, random_state=4)
    flags = [f for f, role in enumerate(data.feature_roles) if role == "flag"]
    assert len(flags) == 3 and set(data.feature_roles) == {"flag", "continuous"}
    for series in (data.train, data.test):
        assert set(np.unique(series[:, flags])) == {0.0, 1.0}
        assert (np.abs(np.diff(series[:, flags], axis=0)).sum(axis=0) >= 3).all()  # flips
    np.testing.assert_array_equal(data.test[:, flags], data.test_clean[:, flags])
    span = np.ptp(np.r_[data.train, data.test_clean], axis=0)
    for start, stop, feats in _segments_of(data, "flags"):
        assert not set(feats) & set(flags)
        shift = data.test[start:stop, feats] - data.test_clean[start:stop, feats]
        np.testing.assert_allclose(shift, np.repeat(shift[:1], stop - start, axis=0))
        assert ((np.abs(shift[0]) >= 0.25 * span[feats])
                & (np.abs(shift[0]) <= 0.5 * span[feats])).all()


def test_low_variance_anomaly_is_carried_by_a_quiet_feature():
    data = make_synthetic(n_train=2000, n_test=2000, n_features=7,
                          anomaly_types=("low_variance", "trend"), n_anomalies=6, random_state=3)
    quiet = [f for f, role in enumerate(data.feature_roles) if role == "low_variance"]
    loud = [f for f, role in enumerate(data.feature_roles) if role == "continuous"]
    assert len(quiet) == 2 and len(loud) == 5
    std = data.train.std(axis=0)
    assert std[quiet].max() < 0.02 * np.median(std[loud])
    span = np.ptp(np.r_[data.train, data.test_clean], axis=0)
    carried = _segments_of(data, "low_variance")
    assert carried
    for start, stop, feats in carried:
        assert set(feats) <= set(quiet)
        moved = np.abs(data.test[start:stop] - data.test_clean[start:stop]).max(axis=0)
        assert (moved[feats] >= 0.5 * span[feats]).all()
        assert moved.max() < 0.05 * np.median(span[loud])  # tiny beside the loud features


def test_shaping_types_mix_and_check_the_feature_count():
    every = ANOMALY_TYPES + EXTRA_ANOMALY_TYPES
    data = make_synthetic(n_train=1500, n_test=3000, n_features=9, anomaly_types=every,
                          n_anomalies=len(every), random_state=0)
    assert {k for _, _, k in data.anomaly_segments} == set(every)
    assert np.isfinite(data.train).all() and np.isfinite(data.test).all()
    flags = {f for f, role in enumerate(data.feature_roles) if role == "flag"}
    assert len(flags) == 4 and "low_variance" in data.feature_roles
    for (_, _, kind), feats in zip(data.anomaly_segments, data.anomaly_features):
        assert not set(feats) & flags, kind
    again = make_synthetic(n_train=1500, n_test=3000, n_features=9, anomaly_types=every,
                           n_anomalies=len(every), random_state=0)
    np.testing.assert_array_equal(data.test, again.test)
    for kinds, need in ((("correlation",), 2), (("flags",), 2), (("low_variance",), 2),
                        (("flags", "low_variance"), 3)):
        with pytest.raises(ValueError, match=f"need n_features >= {need}; got 1"):
            make_synthetic(n_features=1, anomaly_types=kinds)


def test_stuck_holds_an_in_range_value_without_noise():
    data = make_synthetic(n_train=2000, n_test=2000, n_features=4, anomaly_types="stuck",
                          n_anomalies=5, random_state=2)
    assert data.feature_roles == ["continuous"] * 4  # it does not shape the series
    lo, hi = data.train.min(axis=0), data.train.max(axis=0)
    for start, stop, feats in _segments_of(data, "stuck"):
        assert 20 <= stop - start <= 60
        for f in feats:
            seg = data.test[start:stop, f]
            assert (seg == data.test_clean[start, f]).all()    # frozen at its first value
            assert lo[f] - 0.1 < seg[0] < hi[f] + 0.1           # inside the range
            assert np.ptp(data.test_clean[start:stop, f]) > 0.1  # the clean series moved
        _assert_others_untouched(data, start, stop, feats)


def test_rare_step_holds_a_level_between_two_training_levels():
    data = make_synthetic(n_train=3000, n_test=3000, n_features=4, anomaly_types="rare_step",
                          n_anomalies=4, random_state=1)
    assert data.feature_roles == ["continuous"] * 4
    # step signals: each feature sits near one of 4 levels, so its values cluster
    assert all(len(np.unique(np.round(data.train[:, f], 1))) < 20 for f in range(4))
    for start, stop, feats in _segments_of(data, "rare_step"):
        for f in feats:
            seg, train = data.test[start:stop, f], data.train[:, f]
            assert np.std(seg) < 0.1                                        # flat, noise kept
            assert train.min() < seg.mean() < train.max()                   # inside the range
            assert (np.abs(train - seg.mean()) < 0.1).mean() < 0.001       # a level never seen
        _assert_others_untouched(data, start, stop, feats)
