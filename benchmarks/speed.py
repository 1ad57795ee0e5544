"""Speed and memory of DDMTDetector (defaults) beside PyOD's AnomalyTransformer.

One run on one machine prints three tables:

1. Throughput: training windows per second, scoring timestamps per second
   and peak memory, for ``DDMTDetector()`` (fitted on the whole training
   series of one SMD machine) and for PyOD's
   ``ts_anomaly_transformer.AnomalyTransformer`` with its defaults at the
   same window of 100. The AnomalyTransformer is slow on a CPU, so it trains
   one epoch on the first ``--at-train-rows`` rows and scores the first
   ``--at-score-rows`` test rows; a rate per window or per timestamp does
   not depend on the number of epochs or rows.
2. Scaling: DDMT scoring time and peak memory for float32 series of 10^4,
   10^5 and 10^6 timestamps (``--sizes``; the test series repeated), with the
   time per timestamp relative to the longest series.

Peak memory is the growth of the resident set (VmHWM after resetting it via
/proc/self/clear_refs, Linux) over the resident size just before the phase,
so the input arrays, created before, are not counted; the output is. The
scaling table also gives the peak beyond the output (the scores): what
scoring itself holds.

Run:  pip install ".[benchmark]" && python benchmarks/speed.py
      (about 10 minutes on 2 CPU cores; --skip-pyod without pyod)
      python benchmarks/speed.py --skip-pyod --max-epochs 1 --sizes 1000000 10000000
      (the 10^7-row table, about 15 minutes: scoring cost does not depend on
      the number of epochs)
"""

import argparse
import multiprocessing
import os
import platform
import time
import warnings

import numpy as np
import torch

from skddmt import DDMTDetector
from skddmt.datasets import load_npz, load_smd_sample


def _status_kib(field):
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)


class PeakMemory:
    """Seconds and peak resident-set growth (MiB) inside a ``with`` block (Linux)."""

    def __enter__(self):
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        self.start = _status_kib("VmRSS")
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        if torch.cuda.is_available():
            torch.cuda.synchronize()
        self.seconds = time.perf_counter() - self.t0
        self.mib = (_status_kib("VmHWM") - self.start) / 1024


def _timed_anomaly_transformer():
    """PyOD's AnomalyTransformer, recording the time and windows of its training loop."""
    from pyod.models.ts_anomaly_transformer import AnomalyTransformer

    class TimedAnomalyTransformer(AnomalyTransformer):
        def _train(self, windows, device):
            t0 = time.perf_counter()
            super()._train(windows, device)
            self.train_seconds_ = time.perf_counter() - t0
            self.train_windows_ = len(windows) * self.epochs

    return TimedAnomalyTransformer


def ddmt_row(data, args):
    det = DDMTDetector(random_state=args.seed, device=args.device, precision=args.precision)
    if args.max_epochs:
        det.set_params(max_epochs=args.max_epochs)
    with PeakMemory() as fit_mem:
        det.fit(data.train)
    windows = sum(h["n_windows"] for h in det.history_)
    train_seconds = sum(h["dur"] for h in det.history_)
    with PeakMemory() as score_mem:
        det.score_samples(data.test)
    row = {
        "name": "skddmt DDMTDetector() defaults"
                + (f" but max_epochs={args.max_epochs}" if args.max_epochs else ""),
        "train_rows": len(data.train), "epochs": det.n_epochs_,
        "train_wps": windows / train_seconds,
        "fit_seconds": fit_mem.seconds, "fit_mib": fit_mem.mib,
        "score_rows": len(data.test), "score_tps": len(data.test) / score_mem.seconds,
        "score_mib": score_mem.mib,
    }
    return det, row


def pyod_row(data, args):
    warnings.simplefilter("ignore")
    cls = _timed_anomaly_transformer()
    at = cls(window_size=100, epochs=1, device=args.device)
    train = data.train[:args.at_train_rows]
    test = data.test[:args.at_score_rows]
    with PeakMemory() as fit_mem:
        at.fit(train)
    with PeakMemory() as score_mem:
        at.decision_function(test)
    return {
        "name": "PyOD AnomalyTransformer defaults (epochs=1)",
        "train_rows": len(train), "epochs": at.epochs,
        "train_wps": at.train_windows_ / at.train_seconds_,
        "fit_seconds": fit_mem.seconds, "fit_mib": fit_mem.mib,
        "score_rows": len(test), "score_tps": len(test) / score_mem.seconds,
        "score_mib": score_mem.mib,
    }


def scaling_rows(det, data, sizes):
    """Score the test series repeated to each length; (n, features, s, MiB, in MiB, out MiB)."""
    results = []
    for n in sizes:
        X = np.resize(data.test.astype(np.float32), (n, data.test.shape[1]))
        with PeakMemory() as mem:
            scores = det.score_samples(X)
        results.append((n, X.shape[1], mem.seconds, mem.mib, X.nbytes / 2**20,
                        scores.nbytes / 2**20))
        del X, scores
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help=".npz with train/test/test_label (default: bundled SMD)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default="cpu", help="cpu (default), cuda or auto")
    parser.add_argument("--precision", default="float32", choices=["float32", "bfloat16"])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000],
                        help="series lengths of the scaling table")
    parser.add_argument("--at-train-rows", type=int, default=1000)
    parser.add_argument("--at-score-rows", type=int, default=1000)
    parser.add_argument("--skip-pyod", action="store_true")
    parser.add_argument("--max-epochs", type=int,
                        help="override DDMT's max_epochs (quick checks only)")
    args = parser.parse_args()

    data = load_npz(args.data) if args.data else load_smd_sample()
    gpu = torch.cuda.get_device_name() if args.device != "cpu" and torch.cuda.is_available() else ""
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"torch {torch.__version__} with {torch.get_num_threads()} threads"
          + (f", GPU {gpu}" if gpu else "") + f"; device={args.device}, "
          f"precision={args.precision}")
    print(f"data: {data.name}, train {data.train.shape}, test {data.test.shape}\n")

    det, ddmt = ddmt_row(data, args)
    scaling = scaling_rows(det, data, args.sizes)
    rows = [ddmt]
    if not args.skip_pyod:
        # In a fresh process, so that its memory neither hides nor adds to DDMT's.
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(1) as pool:
            rows.append(pool.apply(pyod_row, (data, args)))
    print("| detector | train rows | epochs | training windows/s | fit s | fit peak MiB "
          "| scored rows | scoring timestamps/s | score peak MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['name']} | {r['train_rows']:,} | {r['epochs']} | {r['train_wps']:,.1f} | "
              f"{r['fit_seconds']:.1f} | +{r['fit_mib']:.0f} | {r['score_rows']:,} | "
              f"{r['score_tps']:,.1f} | +{r['score_mib']:.0f} |")
    if len(rows) == 2:
        print(f"\nDDMT / AnomalyTransformer: training windows/s x{ddmt['train_wps'] / rows[1]['train_wps']:.1f}, "
              f"scoring timestamps/s x{ddmt['score_tps'] / rows[1]['score_tps']:.1f}")

    print("\n| timestamps | features | score seconds | timestamps/s | us per timestamp "
          "(vs longest) | peak MiB | input MiB | output MiB | peak beyond output MiB |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    ref = scaling[-1][2] / scaling[-1][0]
    for n, f, sec, mib, in_mib, out_mib in scaling:
        per = sec / n
        print(f"| {n:,} | {f} | {sec:.1f} | {n / sec:,.0f} | {per * 1e6:.1f} "
              f"({per / ref - 1:+.0%}) | +{mib:.0f} | {in_mib:.0f} | {out_mib:.1f} "
              f"| +{mib - out_mib:.0f} |")


if __name__ == "__main__":
    main()
