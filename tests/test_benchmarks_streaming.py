"""benchmarks/streaming.py and benchmarks/fleet_parallel.py (maintained
scripts, loaded by path)."""

import json

import numpy as np

from skddmt import DDMTDetector
from skddmt.datasets import load_npz

from .benchmark_helpers import TINY, script


def test_stream_calls_report_their_rows_with_context_and_lag(bench_data):
    streaming = script("streaming")
    data = load_npz(bench_data / "SMD" / "e0.npz")
    det = DDMTDetector(random_state=0, **TINY).fit(data.train)
    X = data.test
    scores, seconds = streaming.stream_scores(det, X, 40, 80, 10, 30)
    assert scores.shape == (40,) and seconds.shape == (4,)
    np.testing.assert_array_equal(scores[10:20], -det.score_samples(X[50:60], context=X[20:50]))
    lagged, _ = streaming.stream_scores(det, X, 45, 85, 10, 30, lag=5)
    # the call at row 45 reports rows 40..49, seeing rows up to 54
    np.testing.assert_array_equal(lagged[:10],
                                  -det.score_samples(X[40:55], context=X[10:40])[:10])
    assert not np.array_equal(lagged, scores)


def test_streaming_script_table(bench_data):
    text = script("streaming").main([
        "--data", str(bench_data / "SMD" / "e0.npz"), "--ddmt-params", json.dumps(TINY),
        "--context", "30", "--stream-rows", "60", "--lags", "5", "--latency-calls", "3"])
    lines = text.splitlines()
    def table(header):
        rows = lines[lines.index(header) + 2:]
        rows = rows[:rows.index("")] if "" in rows else rows
        return [[c.strip() for c in row.split("|")[1:-1]] for row in rows]

    agreement = table("| scoring | call rows | lag | Spearman vs batch |")
    assert [(c[0], c[1], c[2]) for c in agreement] == [
        ("centred", "10", "0"), ("centred", "10", "5"), ("causal", "10", "0")]
    assert all(-1 <= float(c[3]) <= 1 for c in agreement)
    latency = table("| scoring | call rows | p50 ms | p99 ms |")
    assert [c[:2] for c in latency] == [["centred", "1"], ["centred", "10"],
                                        ["causal", "1"], ["causal", "10"]]
    assert any(line.startswith("recalibrated with causal=True") for line in lines)


def test_fleet_parallel_script_finds_identical_scores(bench_data):
    text = script("fleet_parallel").main([
        "--data", str(bench_data / "SMD"), "--ddmt-params", json.dumps(TINY),
        "--repeats", "1"])
    rows = [line.split("|")[1:-1] for line in text.splitlines() if line.startswith("| ")][1:]
    assert [r[0].strip() for r in rows] == ["serial", "loky", "threading"]
    assert [r[-1].strip() for r in rows[1:]] == ["yes", "yes"]
