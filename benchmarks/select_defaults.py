"""Label-free choice of defaults: synthetic series only, never benchmark test data.

Compares settings of DDMTDetector on series from ``skddmt.datasets.
make_synthetic`` (labels known by construction), in two variants by default:

* ``clean``: the synthetic features only (noisy sines);
* ``mixed``: the same plus unpredictable features, as in real server or
  spacecraft data: two white-noise features, two AR(1) series (phi = 0.95)
  and two on/off status flags that switch at random (probability 0.01 per
  step), identical in distribution in training and test, so they carry no
  anomaly;
* ``levels`` (on request): the noisy sines with long level shifts as the
  only anomalies (``make_synthetic(anomaly_types="level")``: 60 to 166
  steps moved by a constant 0.25 to 0.5 of the range), the kind of anomaly
  once suspected behind DDMT's weakness on SMAP (on these series DDMT
  finds them: ``docs/history.md``);
* ``correlation``, ``rare_level``, ``flags``, ``low_variance``, ``stuck``,
  ``rare_step`` (on request): ``make_synthetic`` with that type only, on
  the series it shapes (features mixed from latent signals; two regimes;
  half the columns on/off flags; quiet features beside loud ones; ``stuck``
  leaves the noisy sines as they are): what each part of a second design
  must catch (``rare_step``, a flat level never seen in training on step
  signals, is the rarity term's).

``clean`` and ``mixed`` have the five anomaly types of ``make_synthetic``'s
default. With ``--baselines``, the simple detectors of the benchmark
(IsolationForest, PCA, nearest neighbours, mean square, HBOS, windowed
k-means, random) are scored
on the same series, for scale.

For each setting it prints VUS-PR and AUC-PR, mean and standard deviation
over seeds, and the fit time. The benchmark datasets (SMD, MSL, SMAP) and
their labels are not read.

A scoring parameter (``DDMTDetector.SCORING_PARAMS``, e.g. ``score_smoothing``)
is compared on one fit per seed, re-scored with each value (``recalibrate``
gives the model a fresh fit would), so the values differ only in scoring.

``--rescore JSON`` (repeatable) adds a row of the first compared value's fit
re-scored with other scoring parameters, e.g. ``--compare rarity none latent
--rescore '{"rarity": "latent", "rarity_combination": "max"}'``.

Run:  python benchmarks/select_defaults.py --compare error_normalisation none feature
      python benchmarks/select_defaults.py --variants clean mixed levels \
          --compare score_smoothing 1 3 5 11 21 51 --baselines
      python benchmarks/select_defaults.py --variants clean levels --compare adnm true \
          --baselines
      python benchmarks/select_defaults.py --variants correlation rare_level flags \
          low_variance --compare adnm true --baselines
"""

import argparse
import json
import time

import numpy as np

from skddmt import DDMTDetector
from skddmt.benchmark import DETECTORS
from skddmt.datasets import ANOMALY_TYPES, make_synthetic
from skddmt.metrics import auc_pr, vus_pr


BASELINES = ("iforest", "pca", "knn", "meansq", "hbos", "kmeans", "random")
#: Variants made of one extra anomaly type of ``make_synthetic``, on the series it shapes.
SHAPED = ("correlation", "rare_level", "flags", "low_variance", "stuck", "rare_step")


def synthetic(seed, variant, n=4000, n_features=8):
    types = ("level",) if variant == "levels" else (variant,) if variant in SHAPED \
        else ANOMALY_TYPES
    data = make_synthetic(n_train=n, n_test=n, n_features=n_features, n_anomalies=12,
                          anomaly_types=types, random_state=seed)
    if variant == "mixed":
        rng = np.random.default_rng(1000 + seed)
        total = 2 * n
        white = rng.normal(size=(total, 2))
        ar = np.zeros((total, 2))
        shocks = rng.normal(size=(total, 2))
        for t in range(1, total):
            ar[t] = 0.95 * ar[t - 1] + shocks[t]
        flags = (np.cumsum(rng.random((total, 2)) < 0.01, axis=0) % 2).astype(float)
        extra = np.c_[white, ar, flags]
        data.train = np.c_[data.train, extra[:n]]
        data.test = np.c_[data.test, extra[n:]]
    return data


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", nargs="+", required=True, metavar="PARAM VALUE",
                        help="a parameter name then the values to compare (JSON or strings)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--variants", nargs="+", default=["clean", "mixed"],
                        choices=["clean", "mixed", "levels", *SHAPED])
    parser.add_argument("--baselines", action="store_true",
                        help="also score the benchmark's simple detectors on the same series")
    parser.add_argument("--params", default="{}", help="JSON of other DDMTDetector parameters")
    parser.add_argument("--rescore", action="append", default=[], metavar="JSON",
                        help="also the first value's fit re-scored with these scoring "
                             "parameters (repeatable)")
    args = parser.parse_args(argv)

    name, raw_values = args.compare[0], args.compare[1:]
    values = []
    for v in raw_values:
        try:
            values.append(json.loads(v))
        except json.JSONDecodeError:
            values.append(v)
    base = json.loads(args.params)
    rescores = [json.loads(r) for r in args.rescore]
    for extra in rescores:
        other = sorted(set(extra) - set(DDMTDetector.SCORING_PARAMS))
        if other:
            parser.error(f"--rescore takes scoring parameters only, not {', '.join(other)}")
    print(f"{name}: {values}; other parameters {base or 'defaults'}; seeds {args.seeds}\n")
    rescore = name in DDMTDetector.SCORING_PARAMS
    if rescore:
        print("(a scoring parameter: one fit per seed, re-scored with each value through "
              "recalibrate; fit s is that fit's)\n")
    print(f"| variant | {name} | VUS-PR | AUC-PR | fit s |")
    print("|---|---|---:|---:|---:|")
    for variant in args.variants:
        # label -> per seed (VUS-PR, AUC-PR, fit seconds)
        results = {value_label(v): [] for v in values}
        for seed in args.seeds:
            data = synthetic(seed, variant)
            first, first_secs = _timed_fit(
                DDMTDetector(random_state=seed, **{**base, name: values[0]}), data.train)
            results[value_label(values[0])].append((*_metrics(first, data), first_secs))
            for value in values[1:]:
                if rescore:
                    det, secs = first.set_params(**{name: value}), first_secs
                    det.recalibrate(data.train)
                else:
                    det, secs = _timed_fit(DDMTDetector(random_state=seed,
                                                        **{**base, name: value}), data.train)
                results[value_label(value)].append((*_metrics(det, data), secs))
            scoring = {k: v for k, v in first.get_params().items()
                       if k in DDMTDetector.SCORING_PARAMS}
            for extra in rescores:  # each from the first value's scoring, not the last row's
                first.set_params(**{**scoring, name: values[0], **extra}).recalibrate(data.train)
                results.setdefault(value_label(extra), []).append(
                    (*_metrics(first, data), first_secs))
            if args.baselines:
                for b in BASELINES:
                    det, secs = _timed_fit(DETECTORS[b][0](seed, {}), data.train)
                    results.setdefault(b, []).append((*_metrics(det, data), secs))
        for label, rows in results.items():
            vus, ap, secs = np.array(rows).T
            print(f"| {variant} | {label} | {np.mean(vus):.3f} ± {_std(vus):.3f} | "
                  f"{np.mean(ap):.3f} ± {_std(ap):.3f} | {np.mean(secs):.0f} |", flush=True)


def value_label(value):
    """Table label of a compared value (JSON-like, as given)."""
    return json.dumps(value) if not isinstance(value, str) else value


def _timed_fit(det, X):
    t0 = time.perf_counter()
    det.fit(X)
    return det, time.perf_counter() - t0


def _metrics(det, data):
    """VUS-PR and AUC-PR of ``det``'s scores on the synthetic test series."""
    score = -det.score_samples(data.test)
    return vus_pr(data.test_label, score), auc_pr(data.test_label, score)


def _std(values):
    """Standard deviation over seeds (0 for a single seed)."""
    return float(np.std(values, ddof=1)) if len(values) > 1 else 0.0


if __name__ == "__main__":
    main()
