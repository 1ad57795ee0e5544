"""Fleets in parallel: scoring a list of series with ``n_jobs``.

Fits one ``DDMTDetector`` (defaults, ``--max-epochs`` epochs: scoring cost
does not depend on training) on the channels of a fleet folder (MSL by
default: one ``.npz`` per channel, ``ALL_concat.npz`` left out), then times
``score_samples`` on the list of test series and ``recalibrate`` (the
calibration pass of ``fit``) on the list of training series, serially and
with ``n_jobs`` workers of each backend (loky processes, threads), best of
``--repeats`` calls after one warm-up call (the loky workers start then).
Every parallel result is checked to equal the serial one computed on the
workers' torch thread count (joblib gives each loky worker
``cpu_count // n_jobs`` threads; a product of a few rows, such as the
diffusion-step MLP of a short last batch, rounds differently on another
thread count, by about 1e-8 relative).

Run:  python benchmarks/fleet_parallel.py          (about 3 minutes on 2 CPU cores)
"""

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np
import torch
from joblib import parallel_config

from skddmt import DDMTDetector
from skddmt.datasets import load_npz

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "MSL"


def best_time(function, repeats):
    """Result of ``function()`` and its best wall time over ``repeats`` calls,
    after one warm-up call."""
    out = function()
    seconds = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        function()
        seconds.append(time.perf_counter() - t0)
    return out, min(seconds)


def serial_on(det, tests, trains, threads):
    """Serial scores of ``tests`` and ``offset_`` after recalibrating on
    ``trains``, on ``threads`` torch threads."""
    n_jobs, before = det.n_jobs, torch.get_num_threads()
    det.set_params(n_jobs=None)
    torch.set_num_threads(threads)
    try:
        return det.score_samples(tests), det.recalibrate(trains).offset_
    finally:
        torch.set_num_threads(before)
        det.set_params(n_jobs=n_jobs)


def main(argv=None):
    """Run the benchmark; print the table and return it as text."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DATA), help="folder of channel .npz files")
    parser.add_argument("--n-jobs", type=int, nargs="+", default=[2])
    parser.add_argument("--max-epochs", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--ddmt-params", default="{}", help="JSON of DDMTDetector parameters")
    args = parser.parse_args(argv)

    paths = sorted(p for p in Path(args.data).glob("*.npz") if p.stem != "ALL_concat")
    channels = [load_npz(p) for p in paths]
    trains = [c.train for c in channels]
    tests = [c.test for c in channels]
    params = {"max_epochs": args.max_epochs, "random_state": 0, "device": "cpu",
              **json.loads(args.ddmt_params)}
    det = DDMTDetector(**params).fit(trains)
    n_rows = sum(len(t) for t in tests)
    lines = [f"{len(paths)} series ({n_rows} test rows, {sum(len(t) for t in trains)} "
             f"training rows), torch {torch.__version__} on {torch.get_num_threads()} "
             f"threads, {os.cpu_count()} CPUs", "",
             "| backend | n_jobs | score s | speedup | calibration s | speedup | identical* |",
             "|---|---:|---:|---:|---:|---:|---|"]
    _, score_s = best_time(lambda: det.score_samples(tests), args.repeats)
    _, calib_s = best_time(lambda: det.recalibrate(trains), args.repeats)
    lines.append(f"| serial | 1 | {score_s:.2f} | 1.00 | {calib_s:.2f} | 1.00 | |")
    for backend in ("loky", "threading"):
        for n_jobs in args.n_jobs:
            det.set_params(n_jobs=n_jobs)
            with parallel_config(backend=backend):
                scores, s = best_time(lambda: det.score_samples(tests), args.repeats)
                _, c = best_time(lambda: det.recalibrate(trains), args.repeats)
            # the reference: serial scores on the workers' torch thread count
            # (loky gives each cpu_count // n_jobs; threads share the caller's)
            threads = (torch.get_num_threads() if backend == "threading"
                       else max(1, (os.cpu_count() or 1) // n_jobs))
            reference, ref_offset = serial_on(det, tests, trains, threads)
            same = (all(np.array_equal(a, b) for a, b in zip(scores, reference))
                    and det.offset_ == ref_offset)
            lines.append(f"| {backend} | {n_jobs} | {s:.2f} | {score_s / s:.2f} | {c:.2f} | "
                         f"{calib_s / c:.2f} | {'yes' if same else 'NO'} |")
    det.set_params(n_jobs=None)
    lines += ["", "*to the serial run on the workers' torch thread count"]
    text = "\n".join(lines)
    print(text)
    return text


if __name__ == "__main__":
    main()
