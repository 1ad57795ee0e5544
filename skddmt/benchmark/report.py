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


_LABELS = {"vus_pr": "VUS-PR", "vus_roc": "VUS-ROC", "auc_pr": "AUC-PR", "auc_roc": "AUC-ROC",
           "pa_k_auc": "PA%K AUC", "point_f1": "F1", "affiliation_f1": "Aff-F1",
           "pa_precision": "PA P", "pa_recall": "PA R", "pa_f1": "PA F1",
           "fit_seconds": "fit s", "score_seconds": "score s"}


def markdown(summary, n_entities):
    """Markdown tables: one per dataset, sound protocol then paper protocol."""
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
    return "\n".join(lines)
