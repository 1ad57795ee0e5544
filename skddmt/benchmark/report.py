"""The report: means and standard deviations over seeds, and the markdown tables."""

import numpy as np

from .runner import COST, PAPER, SOUND


def variant_label(detector, extra):
    """Row label of a re-scored variant, e.g. ``ddmt[n_reverse_steps=5]``."""
    return f"{detector}[" + ",".join(f"{k}={v}" for k, v in sorted(extra.items())) + "]"


def summarise(runs):
    """Mean and std over seeds of the per-seed means over entities.

    Returns ``{dataset: {detector: {metric: (mean, std, n_seeds)}}}``.
    """
    out = {}
    keys = SOUND + PAPER + COST
    by = {}
    for r in runs:
        by.setdefault((r["dataset"], r["detector"], r["seed"]), []).append(r)
    for (dataset, detector, _), recs in sorted(by.items()):
        per_seed = out.setdefault(dataset, {}).setdefault(detector, {k: [] for k in keys})
        for k in keys:
            per_seed[k].append(float(np.nanmean([rec[k] for rec in recs])))
    for dataset, dets in out.items():
        for detector, vals in dets.items():
            dets[detector] = {
                k: (float(np.mean(v)), float(np.std(v, ddof=1)) if len(v) > 1 else 0.0, len(v))
                for k, v in vals.items()
            }
    return out


def entity_spread(runs, keys=("vus_pr", "auc_pr")):
    """How much the seed alone moves one entity's score.

    For each entity run with two seeds or more, the standard deviation of a
    metric over its seeds; then their mean and maximum over the entities.

    Returns ``{dataset: {detector: {metric: (mean_std, max_std, n_entities)}}}``,
    with only the detectors that have an entity run with several seeds.
    """
    by = {}
    for r in runs:
        by.setdefault((r["dataset"], r["detector"], r["entity"]), []).append(r)
    stds = {}
    for (dataset, detector, _), recs in sorted(by.items()):
        if len({rec["seed"] for rec in recs}) < 2:
            continue
        per = stds.setdefault(dataset, {}).setdefault(detector, {k: [] for k in keys})
        for k in keys:
            per[k].append(float(np.std([rec[k] for rec in recs], ddof=1)))
    return {dataset: {detector: {k: (float(np.mean(v)), float(np.max(v)), len(v))
                                 for k, v in vals.items()}
                      for detector, vals in dets.items()}
            for dataset, dets in stds.items()}


#: The baselines the project's quality target is measured against: DDMT's
#: VUS-PR over the best of them (KMeansAD is reported beside, outside it).
TARGETED = ("hbos", "iforest", "knn", "meansq", "pca")


def _best(dets, names, metric):
    """``(name, mean)`` of the detector of ``names`` in ``dets`` with the
    highest mean ``metric``; None when none of them ran."""
    ran = [(dets[n][metric][0], n) for n in names if n in dets]
    return None if not ran else max(ran)[::-1]


def ratio_markdown(summary, metric="vus_pr"):
    """Markdown table of the quality target: each DDMT row's mean ``metric``
    over that of the best :data:`TARGETED` baseline of the same dataset, and
    over the best of them smoothed alike (their ``[smoothing=W]`` rows, from
    ``--baseline-smoothing``) where those ran. Empty when no dataset has
    both a DDMT row and a targeted baseline."""
    lines = []
    for dataset, dets in summary.items():
        best = _best(dets, TARGETED, metric)
        smoothed = _best(dets, [d for d in dets
                                if d.split("[")[0] in TARGETED and "[smoothing=" in d], metric)
        if best is None or best[1] <= 0:
            continue
        smoothed = smoothed if smoothed and smoothed[1] > 0 else None
        for detector in (d for d in dets if d.split("[")[0] == "ddmt"):
            mean = dets[detector][metric][0]
            cells = [f"{best[1]:.3f} ({best[0]})", f"{mean / best[1]:.2f}"]
            cells += ([f"{smoothed[1]:.3f} ({smoothed[0]})", f"{mean / smoothed[1]:.2f}"]
                      if smoothed else ["", ""])
            lines.append(f"| {dataset} | {detector} | {mean:.3f} | " + " | ".join(cells) + " |")
    if not lines:
        return ""
    name = _LABELS[metric]
    return "\n".join([f"| dataset | detector | {name} | best baseline | ratio | "
                      f"best smoothed baseline | ratio |", "|---|---|---:|---:|---:|---:|---:|",
                      *lines]) + "\n"


_LABELS = {"vus_pr": "VUS-PR", "vus_roc": "VUS-ROC", "auc_pr": "AUC-PR", "auc_roc": "AUC-ROC",
           "pa_k_auc": "PA%K AUC", "point_f1": "F1", "affiliation_f1": "Aff-F1",
           "pa_precision": "PA P", "pa_recall": "PA R", "pa_f1": "PA F1",
           "fit_seconds": "fit s", "score_seconds": "score s"}


def spread_markdown(spread):
    """Markdown table of :func:`entity_spread`: one row per dataset and detector."""
    keys = sorted({k for dets in spread.values() for vals in dets.values() for k in vals})
    lines = ["| dataset | detector | entities | "
             + " | ".join(f"{_LABELS[k]} seed std, mean (max)" for k in keys) + " |",
             "|---|---|---:|" + "---:|" * len(keys)]
    for dataset, dets in spread.items():
        for detector, vals in dets.items():
            n = next(iter(vals.values()))[2]
            cells = [f"{vals[k][0]:.3f} ({vals[k][1]:.3f})" for k in keys]
            lines.append(f"| {dataset} | {detector} | {n} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def markdown(summary, n_entities, spread=None):
    """Markdown tables: one per dataset, sound protocol then paper protocol;
    with ``spread`` (:func:`entity_spread`), then the seed spread per entity."""
    lines = []
    for dataset, dets in summary.items():
        lines.append(f"### {dataset} ({n_entities[dataset]} entities)\n")
        for title, keys in (("Sound protocol (own threshold fitted on training data)",
                             SOUND + COST),
                            ("Paper protocol (threshold from test scores, point-adjusted; "
                             "legacy, for comparison only)", PAPER)):
            lines.append(f"{title}:\n")
            lines.append("| detector | " + " | ".join(_LABELS[k] for k in keys) + " |")
            lines.append("|---|" + "---:|" * len(keys))
            for detector, vals in dets.items():
                cells = []
                for k in keys:
                    mean, std, _ = vals[k]
                    cells.append(f"{mean:.1f}" if k in COST else f"{mean:.3f} ± {std:.3f}")
                lines.append(f"| {detector} | " + " | ".join(cells) + " |")
            lines.append("")
    ratios = ratio_markdown(summary)
    if ratios:
        lines.append("### Quality target: DDMT over the best baseline\n")
        lines.append(f"Mean VUS-PR over the best of {', '.join(TARGETED)} (target 1.10), and "
                     "over the best of them smoothed alike where they ran:\n")
        lines.append(ratios)
    if spread:
        lines.append("### Seed spread per entity\n")
        lines.append("Standard deviation over seeds of one entity's score, mean (and max) "
                     "over the entities:\n")
        lines.append(spread_markdown(spread))
    return "\n".join(lines)
