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
    if spread:
        lines.append("### Seed spread per entity\n")
        lines.append("Standard deviation over seeds of one entity's score, mean (and max) "
                     "over the entities:\n")
        lines.append(spread_markdown(spread))
    return "\n".join(lines)
