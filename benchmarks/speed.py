"""Speed and memory of DDMTDetector with default parameters.

Fits on one SMD machine (the bundled machine-1-2 by default, 23.7k x 38, or
any ``.npz`` in the shared format via --data), scores its test series, then
scores the test series tiled 4 and 16 times to show that scoring memory does
not grow with the series length beyond the output arrays.

Peak memory is the growth of the resident set (VmHWM after resetting it via
/proc/self/clear_refs) over the resident size just before each phase.

Run:  python benchmarks/speed.py [--data ../shared/data/SMD/machine-1-2.npz]
"""

import argparse
import os
import platform
import time

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
    """Peak resident-set growth (MiB) inside a ``with`` block (Linux)."""

    def __enter__(self):
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        self.start = _status_kib("VmRSS")
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.t0
        self.mib = (_status_kib("VmHWM") - self.start) / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help=".npz with train/test/test_label (default: bundled SMD)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tiles", type=int, nargs="+", default=[1, 4, 16],
                        help="score the test series repeated this many times")
    args = parser.parse_args()

    data = load_npz(args.data) if args.data else load_smd_sample()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"torch {torch.__version__} with {torch.get_num_threads()} threads")
    print(f"data: {data.name}, train {data.train.shape}, test {data.test.shape}")

    det = DDMTDetector(random_state=args.seed)
    with PeakMemory() as fit_mem:
        det.fit(data.train)
    windows = len(range(0, len(data.train) - det.window_size_ + 1, det.train_stride))
    print(f"\nfit: {fit_mem.seconds:.1f} s, {det.n_epochs_} epochs "
          f"(~{windows * 0.9:.0f} training windows/epoch, "
          f"{windows * 0.9 * det.n_epochs_ / fit_mem.seconds:.0f} windows/s incl. validation "
          f"and scoring of the training series), peak memory +{fit_mem.mib:.0f} MiB")

    print("\n| series length | score seconds | timestamps/s | peak memory (MiB) | output (MiB) |")
    print("|---:|---:|---:|---:|---:|")
    for tiles in args.tiles:
        X = np.tile(data.test, (tiles, 1))
        with PeakMemory() as mem:
            scores = det.score_samples(X)
        out_mib = scores.nbytes / 2**20
        print(f"| {len(X):,} | {mem.seconds:.1f} | {len(X) / mem.seconds:,.0f} | "
              f"+{mem.mib:.0f} | {out_mib:.1f} |")
        del X, scores


if __name__ == "__main__":
    main()
