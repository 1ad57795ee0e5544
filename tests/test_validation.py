"""Input validation (skddmt._validation), fuzzed through DDMTDetector.

Every input gives either finite scores of the right shape or a ValueError
whose message names the problem, and the caller's data is never changed.
Inputs are drawn by hypothesis as a structure (rows, columns, a dtype and a
value pattern per column, where NaN, infinity or a missing value goes, the
container) and a seed from which numpy fills in the values, so that large
inputs are cheap to draw and still shrink. The problems an input has are
worked out from what was generated, not with the code under test.
"""

import copy
import re
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pytest
import torch
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from skddmt import DDMTDetector
from skddmt._validation import InputTypeError, validate_series

from .conftest import periodic_series

#: The tiny model of the fuzz tests: one training step, a few ms per fit.
FUZZ = {"window_size": 8, "d_model": 8, "n_layers": 1, "n_heads": 2, "max_epochs": 1,
        "windows_per_epoch": 16, "batch_size": 16, "n_diffusion_steps": 20,
        "random_state": 0, "device": "cpu"}
#: Columns of the model the scoring fuzz scores against.
N_FIT_FEATURES = 3

#: A pattern of each problem's message; an input with several problems may
#: be rejected for any of them.
MESSAGES = {
    "nan": r"NaN",
    "inf": r"infinity",
    "string": r"could not convert X to numbers: (column \S+|X) holds strings such as",
    "complex": r"Complex data not supported: .*(column \S+|X) holds complex numbers",
    "rows": r"minimum of 2 is required",
    "ndim": r"Expected 2D array|dim 3",
    "features": rf"X has \d+ features, but DDMTDetector is expecting {N_FIT_FEATURES} features",
    "large": r"too large for DDMTDetector: column \d+ reaches",
}

SPECIALS = (0.0, 1.0, -1.0, 1e30, -1e30, 1e-30, 1.7e9)
WORDS = ("abc", "x", "", "n/a", "high")
PATTERNS = ("noise", "constant", "counter", "timestamps", "extremes", "huge", "tiny")
NUMPY_KINDS = ("float64", "float32", "float16", "bool", "int8", "int16", "int32", "int64",
               "uint8", "uint16", "uint32", "uint64")
ARRAY_KINDS = NUMPY_KINDS + ("object", "object-str", "str", "complex128")
FRAME_KINDS = NUMPY_KINDS + ("Int64", "Float64", "boolean", "category", "category-str",
                             "object", "object-str", "complex128")
#: Kinds, patterns and values that are a problem on their own.
PROBLEM_KINDS = ("object-str", "str", "category-str", "complex128")
PROBLEM_PATTERNS = ("huge",)
BAD_VALUES = (np.nan, np.inf, -np.inf, pd.NA)
#: Kinds that cannot hold NaN, infinity or a missing value.
NO_MISSING = {"bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
              "uint64"}
#: Largest training value accepted (the statistics must not overflow).
MAX_MAGNITUDE = 1e100


# ----------------------------------------------------------------- inputs
def pattern_values(pattern, n, rng):
    """``n`` float64 values of a value pattern."""
    if pattern == "noise":
        return rng.normal(size=n) * rng.choice([1.0, 1e3, 1e30, 1e-30])
    if pattern == "constant":
        return np.full(n, rng.choice(SPECIALS))
    if pattern == "counter":
        return float(rng.integers(0, 10**6)) + np.arange(n, dtype=np.float64)
    if pattern == "timestamps":
        return 1.7e9 + np.arange(n) * rng.choice([1e-3, 1.0, 60.0])
    if pattern == "extremes":
        return rng.choice(SPECIALS, size=n)
    if pattern == "huge":
        return rng.choice([1e308, -1e308, 1e101, 1e39, 0.0], size=n)
    return rng.normal(size=n) * 1e-45  # "tiny"


def _as_ints(values, dtype):
    info = np.iinfo(dtype)
    lo, hi = max(float(info.min), -2.0**62), min(float(info.max), 2.0**62)
    return np.clip(np.round(values), lo, hi).astype(dtype)


def _with_words(values, rng):
    """An object array of ``values`` with one to three words among them."""
    out = values.astype(object)
    for i in rng.choice(len(out), size=min(len(out), rng.integers(1, 4)), replace=False):
        out[i] = str(rng.choice(WORDS))
    return out


def make_column(kind, values, bad, rng):
    """A column of ``kind`` holding ``values`` (float64), with ``bad`` (None,
    NaN, +/-inf or ``pd.NA``) at a random row.

    Returns
    -------
    column : ndarray or pandas array
    numbers : ndarray of float64
        The values as the column holds them (after casting), NaN where one
        is missing.
    problems : set of str
        Those that do not show in ``numbers``: ``'string'``, ``'complex'``.
    """
    values = values.copy()
    if bad is not None and kind not in NO_MISSING:
        values[rng.integers(len(values))] = np.nan if bad is pd.NA else bad
    problems = set()
    with np.errstate(over="ignore", invalid="ignore"):
        if kind.startswith(("float", "complex")):
            column = values.astype(kind)
            numbers = column.real.astype(np.float64)
            problems |= {"complex"} if kind.startswith("complex") else set()
        elif kind == "bool":
            column = values > 0
            numbers = column.astype(np.float64)
        elif kind in NO_MISSING:
            column = _as_ints(values, kind)
            numbers = column.astype(np.float64)
        elif kind in ("Int64", "boolean"):
            finite = np.where(np.isfinite(values), values, 0.0)
            data = _as_ints(finite, np.int64) if kind == "Int64" else finite > 0
            column = pd.array(data, dtype=kind)
            column[~np.isfinite(values)] = pd.NA
            numbers = np.where(np.isfinite(values), data, np.nan)
        elif kind == "Float64":
            column = pd.array(values, dtype=kind)
            numbers = values
        elif kind == "category":
            column = pd.Categorical(values)
            numbers = values
        elif kind == "category-str":
            column = pd.Categorical(rng.choice(WORDS[:3], size=len(values)))
            numbers, problems = values, {"string"}
        elif kind == "object":
            column = values.astype(object)
            if bad is pd.NA:
                column[np.isnan(values)] = pd.NA
            numbers = values
        else:  # "object-str", "str"
            column = _with_words(values, rng)
            if kind == "str":
                column = column.astype(str)
            numbers, problems = values, {"string"}
    return column, numbers, problems


@dataclass
class Case:
    """A drawn input with what is known about it."""

    X: object
    numbers: np.ndarray
    problems: set = field(default_factory=set)

    def expected(self, fit):
        """The problems a ``fit`` (or a scoring, ``fit=False``) must report."""
        problems = set(self.problems)
        finite = np.where(np.isfinite(self.numbers), self.numbers, 0.0)
        problems |= {"nan"} if np.isnan(self.numbers).any() else set()
        problems |= {"inf"} if np.isinf(self.numbers).any() else set()
        if fit:
            problems |= {"large"} if (np.abs(finite) > MAX_MAGNITUDE).any() else set()
            problems |= {"rows"} if len(self.numbers) < 2 else set()
        elif self.numbers.shape[1] != N_FIT_FEATURES:
            problems.add("features")
        return problems


@st.composite
def inputs(draw, max_rows=300, n_cols=None):
    """A :class:`Case`: an ndarray, a DataFrame or nested lists, of 1 to
    ``max_rows`` rows and ``n_cols`` (a strategy; default 1 to 40) columns."""
    n = draw(st.integers(1, max_rows))
    d = draw(st.integers(1, 40) if n_cols is None else n_cols)
    container = draw(st.sampled_from(("ndarray", "frame", "frame", "list")))
    frame = container == "frame"
    # most inputs are clean or have one problem: those show whether each
    # problem is named; "any" piles them up
    mode = draw(st.sampled_from(("clean", "one problem", "any")))
    kinds = FRAME_KINDS if frame else ARRAY_KINDS
    patterns = PATTERNS
    if mode != "any":
        kinds = [k for k in kinds if k not in PROBLEM_KINDS]
        patterns = [p for p in PATTERNS if p not in PROBLEM_PATTERNS]
    if frame:
        col_kinds = draw(st.lists(st.sampled_from(kinds), min_size=d, max_size=d))
    else:
        col_kinds = [draw(st.sampled_from(kinds))] * d
    col_patterns = draw(st.lists(st.sampled_from(patterns), min_size=d, max_size=d))
    bad = (draw(st.lists(st.sampled_from((None,) * 12 + BAD_VALUES), min_size=d, max_size=d))
           if mode == "any" else [None] * d)
    if mode == "one problem":
        j = draw(st.integers(0, d - 1))
        what = draw(st.sampled_from(("kind", "pattern", "bad")))
        if what == "kind":
            kind = draw(st.sampled_from([k for k in PROBLEM_KINDS
                                         if frame or k != "category-str"]))
            col_kinds = [kind if i == j or not frame else k for i, k in enumerate(col_kinds)]
        elif what == "pattern":  # in a column that keeps the values as they are
            col_patterns[j] = draw(st.sampled_from(PROBLEM_PATTERNS))
            kind = draw(st.sampled_from(("float64", "object", "Float64", "category")
                                        if frame else ("float64", "object")))
            col_kinds = [kind if i == j or not frame else k for i, k in enumerate(col_kinds)]
        else:
            bad[j] = draw(st.sampled_from(BAD_VALUES))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    built = [make_column(k, pattern_values(p, n, rng), b, rng)
             for k, p, b in zip(col_kinds, col_patterns, bad)]
    numbers = np.column_stack([numbers for _, numbers, _ in built])
    problems = set().union(*(problems for _, _, problems in built))
    if container == "frame":
        names = [f"c{j}" for j in range(d)] if draw(st.booleans()) else range(d)
        X = pd.DataFrame({name: col for name, (col, _, _) in zip(names, built)})
        return Case(X, numbers, problems)
    X = np.column_stack([col for col, _, _ in built])
    # a 3-D nested list would be a list of 2-D series, which is valid input
    shape = draw(st.sampled_from(["2d"] * 8 + ["1d"] + ["3d"] * (container != "list")))
    if shape != "2d":
        X = X[:, 0] if shape == "1d" else X[:, :, None]
        problems.add("ndim")
    if container == "list":
        return Case(X.tolist(), numbers, problems)
    if draw(st.booleans()):
        X = np.asfortranarray(X)
    if draw(st.booleans()):
        X.setflags(write=False)
    return Case(X, numbers, problems)


# ----------------------------------------------------------------- checks
def _flags(X):
    return (X.flags.writeable, X.flags.f_contiguous) if isinstance(X, np.ndarray) else None


def snapshot(X):
    """A deep copy of ``X`` and its array flags, for :func:`assert_unchanged`."""
    return copy.deepcopy(X), _flags(X)


def assert_unchanged(X, before):
    """The caller's input is as it was: values, dtypes, flags."""
    before, flags = before
    if isinstance(X, pd.DataFrame):
        pd.testing.assert_frame_equal(X, before)
    elif isinstance(X, np.ndarray) and X.dtype != object:
        np.testing.assert_array_equal(X, before, strict=True)
    else:  # nested lists and object arrays, NaN and pd.NA included
        assert type(X) is type(before)
        assert getattr(X, "dtype", None) == getattr(before, "dtype", None)
        assert _items(X) == _items(before)
    assert _flags(X) == flags


def _items(X):
    return repr(np.asarray(X, dtype=object).tolist())


def assert_finite_outputs(det, X, n):
    scores, decision, labels = det.score_samples(X), det.decision_function(X), det.predict(X)
    for out in (scores, decision, labels):
        assert isinstance(out, np.ndarray) and out.shape == (n,)
    assert np.isfinite(scores).all() and np.isfinite(decision).all()
    assert set(np.unique(labels)) <= {-1, 1}


def assert_names_a_problem(exc_info, problems):
    """A ValueError whose message matches one of ``problems``."""
    message = str(exc_info.value)
    assert any(re.search(MESSAGES[p], message) for p in problems), (
        f"expected a message about {sorted(problems)}, got {type(exc_info.value).__name__}: "
        f"{message}")


def run_quietly(func, *args):
    """``func(*args)`` with the detector's UserWarnings (short series,
    feature names) silenced and numpy RuntimeWarnings (overflow, invalid
    values) turned into errors: none should reach the caller."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("error", RuntimeWarning)
        return func(*args)


FUZZ_SETTINGS = settings(deadline=None, derandomize=True, print_blob=True,
                         suppress_health_check=[HealthCheck.too_slow,
                                                HealthCheck.data_too_large])


# ------------------------------------------------------------- fuzz tests
@pytest.fixture(scope="module", autouse=True)
def one_torch_thread():
    """Run the tiny models on one thread: their tensors are far too small to
    share, and on a busy machine the thread hand-offs cost ten times the
    work. The caller's setting is restored."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@settings(FUZZ_SETTINGS, max_examples=500)
@given(case=inputs())
def test_fit_gives_finite_scores_or_names_the_problem(case):
    before = snapshot(case.X)
    problems = case.expected(fit=True)
    event(f"fit: {', '.join(sorted(problems)) or 'scored'}")
    det = DDMTDetector(**FUZZ)
    if problems:
        with pytest.raises(ValueError) as info:
            run_quietly(det.fit, case.X)
        assert_names_a_problem(info, problems)
    else:
        run_quietly(det.fit, case.X)
        run_quietly(det.recalibrate, case.X)
        run_quietly(assert_finite_outputs, det, case.X, len(case.numbers))
    assert_unchanged(case.X, before)


@pytest.fixture(scope="module")
def fitted_fuzz():
    return DDMTDetector(**FUZZ).fit(periodic_series(60, n_features=N_FIT_FEATURES))


@settings(FUZZ_SETTINGS, max_examples=500)
@given(case=inputs(n_cols=st.one_of(st.just(N_FIT_FEATURES), st.integers(1, 40))))
def test_scoring_gives_finite_scores_or_names_the_problem(fitted_fuzz, case):
    """Any input the fitted model is given: one of another width names the
    feature count; huge values are scored (clipped), not rejected."""
    before = snapshot(case.X)
    problems = case.expected(fit=False)
    event(f"scoring: {', '.join(sorted(problems)) or 'scored'}")
    if problems:
        for method in (fitted_fuzz.score_samples, fitted_fuzz.predict):
            with pytest.raises(ValueError) as info:
                run_quietly(method, case.X)
            assert_names_a_problem(info, problems)
    else:
        run_quietly(assert_finite_outputs, fitted_fuzz, case.X, len(case.numbers))
    assert_unchanged(case.X, before)


# ------------------------------------------------------- messages, fixed
def _frame(**columns):
    return pd.DataFrame(columns)


N = 30
R = np.arange(N, dtype=np.float64)


@pytest.mark.parametrize("bad, match", [
    (np.array([[1.0, pd.NA]] * N, dtype=object),
     r"^Input X contains NaN: column 1 holds missing values such as <NA>"),
    (np.array([[1 + 2j, 2.0]] * N, dtype=object),
     r"^Complex data not supported: .*column 0 holds complex numbers such as \(1\+2j\)"),
    (np.c_[R, R].astype(complex), r"^Complex data not supported: .*column 0"),
    (_frame(a=R, b=pd.Categorical(["x", "y", "z"] * 10)),
     r"could not convert X to numbers: column 'b' holds strings such as 'x'"),
    (np.array([["1", "abc"]] * N), r"column 1 holds strings such as 'abc'\.$"),
    (np.array([1.0] * (N - 1) + ["late"], dtype=object)[:, None],
     r"column 0 holds strings such as 'late'"),
    (np.array(["a"] * N), r"could not convert X to numbers: X holds strings"),
    (_frame(a=pd.period_range("2020", periods=N, freq="D")),
     r"column 'a' holds values of type Period"),
    (np.array([[[1], 2.0]] * N, dtype=object), r"column 0 holds values of type list"),
    ([[1.0, 2.0], [3.0]], r"rows of equal length"),
    (np.zeros(N, dtype=[("a", "f8"), ("b", "f8")]), r"structured array"),
    (_frame(a=pd.arrays.SparseArray(R)), r"sparse"),
    (_frame(a=R).rename(columns={"a": 0}).assign(b=R), r"Feature names"),
])
def test_unreadable_input_is_a_value_error_in_plain_words(bad, match):
    with pytest.raises(ValueError, match=match) as info:
        DDMTDetector(**FUZZ).fit(bad)
    assert info.value.__cause__ is not None  # the original error is chained


def test_complex_column_beside_a_nullable_one():
    """sklearn cast this complex column to float, with a ComplexWarning, and
    trained on the real parts."""
    X = _frame(a=pd.array(range(N), dtype="Int64"), b=R + 1j)
    with pytest.raises(ValueError, match=r"^Complex data not supported: .*column 'b' holds "
                                         r"complex numbers such as 1j"):
        run_quietly(DDMTDetector(**FUZZ).fit, X)


def test_type_errors_stay_type_errors():
    """What numpy rejects with a TypeError is an InputTypeError: a ValueError
    that scikit-learn's checks (``check_dtype_object``) still see as the
    TypeError numpy raised, message included."""
    X = np.array([[{"foo": "bar"}, 1.0]] * N, dtype=object)
    with pytest.raises(InputTypeError, match=r"argument must be .* string.* number") as info:
        DDMTDetector(**FUZZ).fit(X)
    assert isinstance(info.value, TypeError) and isinstance(info.value, ValueError)
    assert "column 0 holds values of type dict" in str(info.value)


@pytest.mark.parametrize("value, match", [
    (1e308, r"column 1 reaches 1e\+308, beyond \+/-1e\+100"),
    (-1e101, r"column 1 reaches 1e\+101"),
])
def test_values_whose_statistics_could_overflow_are_rejected_in_fit(value, match):
    """Before the check, the mean or scale overflowed and scores were NaN."""
    X = np.c_[R, np.where(R % 2 == 0, value, 0.0)]
    with pytest.raises(ValueError, match=match):
        DDMTDetector(**FUZZ).fit(X)


@pytest.mark.parametrize("value", [1e39, 1e-46])
def test_values_beyond_the_float32_range_train_and_score(value):
    """Standardised in float64, then cast: a column of +/-1e39 (beyond float32)
    or of +/-1e-46 (below its smallest normal) is an ordinary column."""
    X = np.c_[R, np.where(R % 2 == 0, value, -value)]
    det = run_quietly(DDMTDetector(**FUZZ).fit, X)
    run_quietly(assert_finite_outputs, det, X, len(X))


def test_extreme_but_representable_values_score():
    """1e30, -1e30, 1e-30 and timestamps train; 1e308 in a scored series is
    clipped like any large deviation."""
    X = np.c_[np.where(R % 2 == 0, 1e30, -1e30), np.full(N, 1e-30), 1.7e9 + R,
              np.where(R % 3 == 0, 1e-30, 0.0)]
    det = run_quietly(DDMTDetector(**FUZZ).fit, X)
    run_quietly(assert_finite_outputs, det, X, N)
    X[5, 0] = 1e308
    run_quietly(assert_finite_outputs, det, X, N)


def test_constant_tiny_column_scores():
    """Found by the fuzz tests (not derandomized): a constant column is valid input."""
    X = np.full((51, 1), 1e-30)
    det = run_quietly(DDMTDetector(**FUZZ).fit, X)
    run_quietly(assert_finite_outputs, det, X, len(X))


def test_list_of_series_names_the_series():
    good = periodic_series(40)
    bad = good.astype(object)
    bad[3, 2] = "abc"
    with pytest.raises(ValueError, match=r"^Series 1 of the list: .*column 2 holds strings"):
        DDMTDetector(**FUZZ).fit([good, bad])
    with pytest.raises(ValueError, match=r"column 0 reaches 1e\+300"):
        DDMTDetector(**FUZZ).fit([good, np.where(good > 0, 1e300, 0.0)])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("reset", [True, False])
def test_float_arrays_are_not_copied(dtype, reset):
    X = periodic_series(50).astype(dtype)
    det = DDMTDetector(**FUZZ).fit(X)
    (out,), multi = validate_series(det, X, reset=reset)
    assert out is X or np.shares_memory(out, X)
    assert out.dtype == dtype and not multi


def test_other_dtypes_become_float64():
    det = DDMTDetector(**FUZZ)
    for X in (np.ones((5, 2), dtype=np.float16), np.ones((5, 2), dtype=np.int64),
              _frame(a=pd.array(range(5), dtype="Int64"))):
        (out,), _ = validate_series(det, X, reset=True)
        assert out.dtype == np.float64
