"""Scoring as data arrives: agreement with batch scoring, and call latency.

``DDMTDetector`` (defaults) is fitted on the training series of one SMD
machine (the bundled ``machine-1-2`` unless ``--data`` or ``--model``), then
its test series is replayed as a stream: after ``--context`` rows, calls of
``--call-rows`` rows, each with the ``--context`` rows before it as
``context``. Printed:

1. Agreement: Spearman's rank correlation between the stream's scores of
   ``--stream-rows`` rows and the batch scores (``score_samples`` of the
   whole test series) of the same rows, with no lag and with each lag of
   ``--lags`` (5, half the default smoothing, and 50, half the default
   window): a call then scores the rows that arrived ``lag`` rows ago,
   with the newest rows as their future (the latency of a flag grows by
   ``lag`` rows).
2. Latency: p50 and p99 wall time of one call of 1 and of 10 rows (and of
   each ``--call-rows``), on this machine's torch threads.

Both for the default (centred) scoring and for ``causal=True`` (the same
model recalibrated with it, whose batch reference is causal too: a
timestamp is scored from its past only, so there is no lag to choose).

Run:  python benchmarks/streaming.py            (about 10 minutes on 2 CPU cores)
      python benchmarks/streaming.py --model benchmarks/models/.../SMD__machine-1-2__seed0.skddmt
"""

import argparse
import json
import platform
import time

import numpy as np
import torch
from scipy.stats import spearmanr

from skddmt import DDMTDetector
from skddmt.datasets import load_npz, load_smd_sample


def stream_scores(det, X, start, stop, call_rows, context, lag=0):
    """Anomaly scores from calls at rows ``start, start + call_rows, ...``
    up to ``stop``: the call at row ``i`` (rows up to ``i + call_rows`` have
    arrived) reports rows ``i - lag .. i - lag + call_rows``, given the
    ``context`` rows before them and the ``lag`` newer rows after them.
    Returns the reported scores (rows ``start - lag .. stop - lag``) and the
    wall time of every call."""
    scores, seconds = [], []
    for i in range(start, stop, call_rows):
        rows = min(call_rows, stop - i)
        first = i - lag  # the first row this call reports
        ctx = X[max(0, first - context):first]
        new = X[first:i + rows]
        t0 = time.perf_counter()
        s = -det.score_samples(new, context=ctx)
        seconds.append(time.perf_counter() - t0)
        scores.append(s[:rows])
    return np.concatenate(scores), np.array(seconds)


def main(argv=None):
    """Run the benchmark; print the tables and return them as text."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help=".npz with train/test/test_label (default: bundled SMD)")
    parser.add_argument("--model", help="a DDMTDetector.save file to use instead of fitting")
    parser.add_argument("--ddmt-params", default="{}", help="JSON of DDMTDetector parameters")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--context", type=int, default=300)
    parser.add_argument("--stream-rows", type=int, default=3000)
    parser.add_argument("--call-rows", type=int, nargs="+", default=[10])
    parser.add_argument("--lags", type=int, nargs="+", default=[5, 50])
    parser.add_argument("--latency-calls", type=int, default=500,
                        help="calls timed per call size")
    args = parser.parse_args(argv)

    data = load_npz(args.data) if args.data else load_smd_sample()
    lines = []
    if args.model:
        det = DDMTDetector.load(args.model)
    else:
        t0 = time.perf_counter()
        params = {"random_state": args.seed, "device": "cpu", **json.loads(args.ddmt_params)}
        det = DDMTDetector(**params).fit(data.train)
        lines.append(f"fit: {time.perf_counter() - t0:.0f} s, {det.n_epochs_} epochs")
    X = data.test
    start, stop = args.context, args.context + args.stream_rows
    if stop + max(args.lags) > len(X):
        parser.error(f"the test series has {len(X)} rows, fewer than context + stream + lag")
    lines += [f"torch {torch.__version__}, {torch.get_num_threads()} threads, "
              f"{platform.processor() or platform.machine()}; stream of {args.stream_rows} "
              f"rows after {args.context} rows, context {args.context} rows, window "
              f"{det.window_size_}, smoothing {det.score_smoothing}"]
    agreement = ["| scoring | call rows | lag | Spearman vs batch |", "|---|---:|---:|---:|"]
    latency = ["| scoring | call rows | p50 ms | p99 ms |", "|---|---:|---:|---:|"]
    for mode, lags in (("centred", [0, *args.lags]), ("causal", [0])):
        if mode == "causal":
            t0 = time.perf_counter()
            det.set_params(causal=True).recalibrate(data.train)
            lines.append(f"recalibrated with causal=True: {time.perf_counter() - t0:.0f} s")
        # causal: the rows after the stream change nothing, so they are not scored
        batch = -det.score_samples(X[:stop] if det.causal else X)[start:stop]
        for call_rows in args.call_rows:
            for lag in lags:
                # calls run lag rows later and report the same rows start:stop
                s, _ = stream_scores(det, X, start + lag, stop + lag, call_rows, args.context,
                                     lag)
                agreement.append(f"| {mode} | {call_rows} | {lag} | "
                                 f"{spearmanr(s, batch).statistic:.3f} |")
        for call_rows in sorted({1, 10, *args.call_rows}):
            n = args.latency_calls
            _, seconds = stream_scores(det, X, start, start + n * call_rows, call_rows,
                                       args.context)
            p50, p99 = np.percentile(seconds * 1e3, [50, 99])
            latency.append(f"| {mode} | {call_rows} | {p50:.1f} | {p99:.1f} |")
    lines += ["", *agreement, "", *latency]
    text = "\n".join(lines)
    print(text)
    return text


if __name__ == "__main__":
    main()
