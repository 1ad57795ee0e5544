"""Synthetic multivariate series with injected anomalies of known types."""

from numbers import Integral
from typing import Callable, NamedTuple

import numpy as np
from sklearn.utils import Bunch

#: The anomaly types of :func:`make_synthetic` (Lai et al., NeurIPS 2021), its default.
ANOMALY_TYPES = ("global", "contextual", "shapelet", "seasonal", "trend")

#: Types :func:`make_synthetic` also makes on request, outside the default
#: rotation (so the default series stay what they were). All but ``"level"``
#: also shape the normal series they are injected into (see its docstring).
EXTRA_ANOMALY_TYPES = ("level", "correlation", "rare_level", "flags", "low_variance", "stuck",
                       "rare_step")

#: How many rows back a ``"correlation"`` anomaly may copy a feature from.
_LAG_RANGE = (200, 2000)


# --------------------------------------------------------------- synthetic

class _Context(NamedTuple):
    """What an injector reads: the generator, the series being edited (``test``,
    changed in place), the clean series and its per-feature range and signal."""

    rng: np.random.Generator
    test: np.ndarray
    clean: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    span: np.ndarray
    main_period: np.ndarray
    noise_std: float
    signal: Callable
    t_test: np.ndarray
    regime_test: np.ndarray
    regime_step: np.ndarray
    step_levels: np.ndarray
    step_test: np.ndarray


# One injector per anomaly type: ``inject(ctx, f, start, stop, steps)`` edits
# feature ``f`` of ``ctx.test`` on rows ``start:stop`` (``steps`` = 0, 1, ...).
# Each draws from ``ctx.rng`` in a fixed order, so a seed gives the same data.

def _inject_global(ctx, f, start, stop, steps):
    sign = ctx.rng.choice((-1.0, 1.0))
    edge = ctx.hi[f] if sign > 0 else ctx.lo[f]
    ctx.test[start, f] = edge + sign * ctx.span[f] * ctx.rng.uniform(0.5, 1.0)


def _inject_contextual(ctx, f, start, stop, steps):
    value = ctx.clean[start, f]
    top, bottom = ctx.hi[f] - 0.05 * ctx.span[f], ctx.lo[f] + 0.05 * ctx.span[f]
    up, down = top - value, value - bottom
    move = up if up >= down else -down
    ctx.test[start, f] = value + move * ctx.rng.uniform(0.7, 1.0)


def _inject_shapelet(ctx, f, start, stop, steps):
    cycle = (steps / ctx.main_period[f]) % 1.0
    if ctx.rng.random() < 0.5:
        wave = np.where(cycle < 0.5, 1.0, -1.0)        # square
    else:
        wave = 2.0 * cycle - 1.0                        # sawtooth
    middle = 0.5 * (ctx.lo[f] + ctx.hi[f])
    ctx.test[start:stop, f] = (middle + 0.4 * ctx.span[f] * wave
                               + ctx.noise_std * ctx.rng.normal(size=stop - start))


def _inject_seasonal(ctx, f, start, stop, steps):
    speed = ctx.rng.uniform(2.0, 3.0)
    warped = ctx.signal(ctx.t_test[start] + speed * steps)[:, f]
    ctx.test[start:stop, f] = warped + (ctx.clean[start:stop, f]
                                        - ctx.signal(ctx.t_test[start:stop])[:, f])


def _inject_trend(ctx, f, start, stop, steps):
    sign = ctx.rng.choice((-1.0, 1.0))
    total = sign * ctx.span[f] * ctx.rng.uniform(0.5, 1.0)
    ctx.test[start:stop, f] += total * (steps + 1) / (stop - start)


def _constant_shift(low, high):
    """An injector that moves the segment up or down by ``low`` r to ``high`` r."""
    def inject(ctx, f, start, stop, steps):
        ctx.test[start:stop, f] += (ctx.rng.choice((-1.0, 1.0)) * ctx.span[f]
                                    * ctx.rng.uniform(low, high))
    return inject


_inject_level = _constant_shift(0.25, 0.5)
_inject_low_variance = _constant_shift(0.5, 1.0)


def _inject_correlation(ctx, f, start, stop, steps):
    # The feature's own clean values from `lag` rows earlier (of 8 candidate
    # lags, the one farthest from the current values), noise kept: the same
    # marginal distribution, smooth, but out of step with the other features.
    t = ctx.t_test[start:stop]
    now = ctx.signal(t)[:, f]
    earlier = [ctx.signal(t - lag)[:, f] for lag in ctx.rng.integers(*_LAG_RANGE, size=8)]
    farthest = max(earlier, key=lambda values: np.mean(np.abs(values - now)))
    ctx.test[start:stop, f] += farthest - now


def _inject_rare_step(ctx, f, start, stop, steps):
    # Halfway between two neighbouring levels of the step signal, noise kept:
    # flat, inside the range, never seen in training.
    levels = ctx.step_levels[f]
    gap = int(ctx.rng.integers(len(levels) - 1))
    rare = 0.5 * (levels[gap] + levels[gap + 1])
    ctx.test[start:stop, f] += rare - levels[ctx.step_test[start:stop, f]]


def _inject_rare_level(ctx, f, start, stop, steps):
    # Halfway between the two regimes: inside the range, never seen in training.
    step = ctx.regime_step[f]
    ctx.test[start:stop, f] += step * (0.5 - ctx.regime_test[start:stop])


def _inject_stuck(ctx, f, start, stop, steps):
    # A frozen sensor: the value at the segment's start, held without noise.
    ctx.test[start:stop, f] = ctx.test[start, f]


_INJECTORS = {
    "global": _inject_global,
    "contextual": _inject_contextual,
    "shapelet": _inject_shapelet,
    "seasonal": _inject_seasonal,
    "trend": _inject_trend,
    "level": _inject_level,
    "correlation": _inject_correlation,
    "rare_level": _inject_rare_level,
    "rare_step": _inject_rare_step,
    "flags": _inject_level,
    "low_variance": _inject_low_variance,
    "stuck": _inject_stuck,
}

# How long each type lasts: one step, a pattern (20 to 60 steps) or a long segment.
_LENGTHS = {"global": "point", "contextual": "point", "shapelet": "pattern",
            "seasonal": "pattern", "trend": "pattern", "level": "long",
            "correlation": "pattern", "rare_level": "long", "rare_step": "long", "flags": "pattern",
            "low_variance": "pattern", "stuck": "pattern"}


def _regimes(rng, n, dwell=(150, 400)):
    """A two-state process (0 or 1) that holds each state ``dwell`` rows."""
    return _levels(rng, n, 2, dwell).astype(np.float64)


def _levels(rng, n, n_levels, dwell=(20, 200)):
    """A process over ``n_levels`` states (0, 1, ...) that holds each state
    ``dwell`` rows, then moves to another drawn at random."""
    out = np.empty(n, dtype=np.int64)
    state, t = int(rng.integers(n_levels)), 0
    while t < n:
        length = int(rng.integers(dwell[0], dwell[1] + 1))
        out[t:t + length] = state
        state = (state + int(rng.integers(1, n_levels))) % n_levels
        t += length
    return out


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
    ``"correlation"`` (correlation break; not in the default)
        a segment where a feature takes its own clean values from 200 to
        2,000 rows earlier, noise kept: the same marginal distribution and
        smooth, but out of step with the features it is mixed with.
    ``"rare_level"`` (rare level; not in the default)
        a long segment where a feature sits halfway between the two
        regimes of its series: inside the range, never seen in training.
    ``"flags"`` (beside on/off columns; not in the default)
        a segment of continuous features moved by 0.25 r to 0.5 r while the
        on/off columns flip as they do in training.
    ``"low_variance"`` (on a low-variance feature; not in the default)
        a segment moved by 0.5 r to r, where r is the range of a feature
        100 times quieter than the others.
    ``"stuck"`` (frozen value; not in the default)
        a segment where a feature holds its value of the segment's first
        step, without noise: inside the range and easy to rebuild from its
        neighbours, but a flat line the training series never shows (a
        frozen sensor). It does not shape the normal series.
    ``"rare_step"`` (rare step level; not in the default)
        a long segment where a feature of a step signal holds a level
        halfway between two neighbouring levels of its training series,
        noise kept: flat like its neighbours, so easy to rebuild from them,
        inside the range, but a level never seen (a telemetry channel in an
        unusual mode).

    ``"correlation"``, ``"rare_level"``, ``"flags"``, ``"low_variance"`` and
    ``"rare_step"`` also shape the normal series (training and test alike),
    whichever type an anomaly is:

    * ``"correlation"``: the features are mixed from fewer latent signals
      (about a third as many, at least one, fewer than the features), each
      feature a unit-norm combination of them;
    * ``"rare_level"``: the series switches between two regimes, holding
      each 150 to 400 rows; in the second regime, every continuous feature
      is moved by 2.5 r to 3.5 r (its own sign);
    * ``"flags"``: half of the features (rounded down) are on/off columns,
      exactly 0 or 1, each flipping after 20 to 200 rows;
    * ``"rare_step"``: every continuous feature is a step signal instead
      of sines: one of 4 levels (0.5 to 1.0 apart), held 20 to 200 rows,
      plus the noise;
    * ``"low_variance"``: a third of the remaining features (at least one)
      have signal and noise 100 times smaller.

    Anomalies of these types, and of the default types, affect continuous
    features only (``"low_variance"`` the quiet ones only);
    ``feature_roles`` says which feature is which.

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
        ``"seasonal"``, ``"trend"``, ``"level"``, ``"correlation"``,
        ``"rare_level"``, ``"flags"``, ``"low_variance"``, ``"stuck"`` and
        ``"rare_step"`` (a single
        string means one type). The default is the first five.
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
        the test series before injection (noise included),
        ``feature_roles``: for each feature ``"continuous"``, ``"flag"``
        (on/off) or ``"low_variance"``, and ``name`` (``"synthetic"``).

    Raises
    ------
    ValueError
        If a size is not a positive integer (``n_anomalies`` may be 0), a
        type is unknown (the message lists the valid ones), no type is
        given while ``n_anomalies > 0``, ``n_features`` is too small for the
        series the types shape (``"correlation"``, ``"flags"`` and
        ``"low_variance"`` need 2 features, ``"flags"`` with
        ``"low_variance"`` 3), or ``n_test`` is too short for ``n_anomalies``
        separate anomalies.

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
    shaping = set(anomaly_types)
    needed = max(2 if shaping & {"correlation", "flags", "low_variance"} else 1,
                 1 + len(shaping & {"flags", "low_variance"}))
    if n_features < needed:
        raise ValueError(f"anomaly types {sorted(shaping & set(EXTRA_ANOMALY_TYPES))} need "
                         f"n_features >= {needed}; got {n_features}.")
    rng = _as_generator(random_state)

    # The clean signal: a function of (fractional) time, so that the test
    # series continues the training series and segments can be time-warped.
    n_sines = 3
    periods = rng.uniform(20.0, 100.0, size=(n_sines, n_features))
    amplitudes = rng.uniform(0.3, 1.0, size=(n_sines, n_features))
    phases = rng.uniform(0.0, 2 * np.pi, size=(n_sines, n_features))
    noise_std = 0.05
    main_period = periods[np.argmax(amplitudes, axis=0), np.arange(n_features)]
    mixing, gain, roles = None, None, ["continuous"] * n_features
    if "correlation" in shaping:
        n_latent = max(1, min(n_features - 1, round(n_features / 3)))
        mixing = rng.normal(size=(n_latent, n_features))
        mixing /= np.linalg.norm(mixing, axis=0)
        main_period = main_period[np.argmax(np.abs(mixing), axis=0)]
    if shaping & {"flags", "low_variance"}:
        order = [int(f) for f in rng.permutation(n_features)]
        n_flags = n_features // 2 if "flags" in shaping else 0
        for f in order[:n_flags]:
            roles[f] = "flag"
        if "low_variance" in shaping:
            gain = np.ones(n_features)
            for f in order[n_flags:n_flags + max(1, (n_features - n_flags) // 3)]:
                roles[f], gain[f] = "low_variance", 0.01

    def signal(t):
        t = np.asarray(t, dtype=np.float64)[:, None, None]
        out = (amplitudes * np.sin(2 * np.pi * t / periods + phases)).sum(axis=1)
        if mixing is not None:
            out = out[:, :len(mixing)] @ mixing
        return out if gain is None else out * gain

    def noise(n):
        out = noise_std * rng.normal(size=(n, n_features))
        return out if gain is None else out * gain

    t_test = np.arange(n_train, n_train + n_test, dtype=np.float64)
    train = signal(np.arange(n_train)) + noise(n_train)
    clean = signal(t_test) + noise(n_test)
    flags = [f for f in range(n_features) if roles[f] == "flag"]
    for f in flags:
        state = _regimes(rng, n_train + n_test, dwell=(20, 200))
        train[:, f], clean[:, f] = state[:n_train], state[n_train:]
    n_levels = 4
    step_levels = np.zeros((n_features, n_levels))
    step_state = np.zeros((n_train + n_test, n_features), dtype=np.int64)
    if "rare_step" in shaping:
        for f in range(n_features):
            if roles[f] == "flag":
                continue
            step_levels[f] = np.cumsum(rng.uniform(0.5, 1.0, size=n_levels))
            step_levels[f] -= step_levels[f].mean()
            step_state[:, f] = _levels(rng, n_train + n_test, n_levels)
            steps_f = step_levels[f][step_state[:, f]] + noise_std * rng.normal(size=len(step_state))
            train[:, f], clean[:, f] = steps_f[:n_train], steps_f[n_train:]
    regime = np.zeros(n_train + n_test)
    regime_step = np.zeros(n_features)
    if "rare_level" in shaping:
        base_span = (np.maximum(train.max(axis=0), clean.max(axis=0))
                     - np.minimum(train.min(axis=0), clean.min(axis=0)))
        regime_step = (rng.choice((-1.0, 1.0), size=n_features)
                       * rng.uniform(2.5, 3.5, size=n_features) * base_span)
        regime_step[flags] = 0.0
        regime = _regimes(rng, n_train + n_test)
        train += regime[:n_train, None] * regime_step
        clean += regime[n_train:, None] * regime_step
    lo = np.minimum(train.min(axis=0), clean.min(axis=0))
    hi = np.maximum(train.max(axis=0), clean.max(axis=0))
    span = hi - lo

    # Where: non-overlapping segments with at least `gap` clean steps around each.
    kinds = [anomaly_types[i % len(anomaly_types)] for i in range(n_anomalies)]
    kinds = [kinds[i] for i in rng.permutation(n_anomalies)]
    budget = n_test // max(n_anomalies, 1)
    min_len = max(2, min(20, budget // 4))
    max_len = max(min_len, min(60, budget // 2))
    gap = max(1, min(10, budget // 8))
    level_max = max(max_len, budget // 2)

    length_range = {"point": None, "pattern": (min_len, max_len), "long": (max_len, level_max)}

    def draw_length(kind):
        bounds = length_range[_LENGTHS[kind]]
        return 1 if bounds is None else int(rng.integers(bounds[0], bounds[1] + 1))

    lengths = [draw_length(k) for k in kinds]
    free = n_test - sum(lengths) - gap * (n_anomalies + 1)
    if free < 0:
        raise ValueError(f"n_test={n_test} is too short for {n_anomalies} separate anomalies; "
                         "use a longer test series or fewer anomalies.")
    cuts = np.sort(rng.integers(0, free + 1, size=n_anomalies))
    starts = [int(cuts[i]) + sum(lengths[:i]) + gap * (i + 1) for i in range(n_anomalies)]

    test = clean.copy()
    ctx = _Context(rng=rng, test=test, clean=clean, lo=lo, hi=hi, span=span,
                   main_period=main_period, noise_std=noise_std, signal=signal, t_test=t_test,
                   regime_test=regime[n_train:], regime_step=regime_step,
                   step_levels=step_levels, step_test=step_state[n_train:])
    label = np.zeros(n_test, dtype=np.int64)
    segments, features = [], []
    continuous = np.array([f for f in range(n_features) if roles[f] != "flag"])
    quiet = np.array([f for f in range(n_features) if roles[f] == "low_variance"])
    for kind, start, length in zip(kinds, starts, lengths):
        stop = start + length
        if kind == "low_variance":
            feats = _draw_features(rng, quiet)
        elif flags:
            feats = _draw_features(rng, continuous)
        else:  # every feature, drawn as before the types that shape the series
            n_aff = int(rng.integers(1, max(1, n_features // 2) + 1))
            feats = sorted(int(f) for f in rng.choice(n_features, size=n_aff, replace=False))
        steps = np.arange(length, dtype=np.float64)
        inject = _INJECTORS[kind]
        for f in feats:
            inject(ctx, f, start, stop, steps)
        label[start:stop] = 1
        segments.append((start, stop, kind))
        features.append(feats)
    order = np.argsort([s for s, _, _ in segments], kind="stable")
    return Bunch(train=train, test=test, test_label=label,
                 anomaly_segments=[segments[i] for i in order],
                 anomaly_features=[features[i] for i in order],
                 test_clean=clean, feature_roles=roles, name="synthetic")


def _draw_features(rng, candidates):
    """At least one and at most half (rounded down, at least one) of ``candidates``."""
    n_aff = int(rng.integers(1, max(1, len(candidates) // 2) + 1))
    return sorted(int(f) for f in rng.choice(candidates, size=n_aff, replace=False))
