"""Fleets in parallel: scoring a list of series with ``n_jobs``.

Fits one ``DDMTDetector`` (defaults, ``--max-epochs`` epochs: scoring cost
does not depend on training) on the channels of a fleet folder (MSL by
default: one ``.npz`` per channel, ``ALL_concat.npz`` left out), then times
``score_samples`` on the list of test series and ``recalibrate`` (the
calibration pass of ``fit``) on the list of training series, serially and
with ``n_jobs`` workers of each backend (loky processes, threads), best of
``--repeats`` calls after one warm-up call (the loky workers start then).
Every parallel result (scores and the recalibrated ``offset_``) is checked
to equal the serial one bit for bit, although joblib gives each loky worker
fewer torch threads (``cpu_count // n_jobs``) than the serial run has.

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
    reference, score_s = best_time(lambda: det.score_samples(tests), args.repeats)
    _, calib_s = best_time(lambda: det.recalibrate(trains), args.repeats)
    ref_offset = det.offset_
    lines.append(f"| serial | 1 | {score_s:.2f} | 1.00 | {calib_s:.2f} | 1.00 | |")
    for backend in ("loky", "threading"):
        for n_jobs in args.n_jobs:
            det.set_params(n_jobs=n_jobs)
            with parallel_config(backend=backend):
                scores, s = best_time(lambda: det.score_samples(tests), args.repeats)
                _, c = best_time(lambda: det.recalibrate(trains), args.repeats)
            same = (all(np.array_equal(a, b) for a, b in zip(scores, reference))
                    and det.offset_ == ref_offset)
            lines.append(f"| {backend} | {n_jobs} | {s:.2f} | {score_s / s:.2f} | {c:.2f} | "
                         f"{calib_s / c:.2f} | {'yes' if same else 'NO'} |")
    det.set_params(n_jobs=None)
    lines += ["", "*scores and offset_ equal to the serial run's, bit for bit"]
    text = "\n".join(lines)
    print(text)
    return text


if __name__ == "__main__":
    main()
