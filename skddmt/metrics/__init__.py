"""Evaluation metrics for time-series anomaly detection.

Conventions shared by every function of this module:

* ``y_true`` holds one 0/1 label per timestamp, **1 = anomaly**;
* ``y_pred`` holds one 0/1 prediction per timestamp, **1 = predicted anomaly**
  (``DDMTDetector.predict`` returns -1/+1; convert it with
  ``(det.predict(X) == -1).astype(int)``);
* ``score`` is a real-valued anomaly score, **higher = more anomalous**
  (for a fitted :class:`~skddmt.DDMTDetector` use ``-det.score_samples(X)`` or
  ``-det.decision_function(X)``).

The module has five families:

* point-wise scores: :func:`point_prf`, :func:`best_f1`;
* adjusted scores: :func:`point_adjust`, :func:`pa_prf` (legacy, optimistic),
  :func:`pa_k_auc` (PA%K, Kim et al. 2022);
* :func:`affiliation_prf` (Huet, Navarro & Rossi 2022);
* threshold-free scores: :func:`auc_roc`, :func:`auc_pr`,
  :func:`range_auc_roc`, :func:`range_auc_pr`, :func:`vus_roc`,
  :func:`vus_pr` (Paparrizos et al. 2022), and scorers built on them for
  model selection (:func:`make_tsad_scorer`);
* attribution: :func:`interpretation_scores` (HitRate@P% and NDCG@P% of
  per-feature scores against the labelled causes of each anomaly).

Everything is vectorised with NumPy: no Python loop runs over timestamps.
The package has one module per family (``point``, ``adjusted``,
``affiliation``, ``range``, ``scorers``, ``interpretation``); import the functions from
``skddmt.metrics`` itself.
"""


from ._checks import DEFAULT_N_THRESHOLDS  # noqa: F401  (the range metrics' default)
from .adjusted import pa_k_auc, pa_prf, point_adjust
from .affiliation import affiliation_prf
from .interpretation import interpretation_scores
from .point import auc_pr, auc_roc, best_f1, point_prf
from .range import range_auc_pr, range_auc_roc, vus_pr, vus_roc
from .scorers import (
                      auc_pr_scorer,
                      auc_roc_scorer,
                      make_tsad_scorer,
                      vus_pr_scorer,
                      vus_roc_scorer,
)

__all__ = [
    "interpretation_scores",
    "point_prf",
    "best_f1",
    "point_adjust",
    "pa_prf",
    "pa_k_auc",
    "affiliation_prf",
    "auc_roc",
    "auc_pr",
    "range_auc_roc",
    "range_auc_pr",
    "vus_roc",
    "vus_pr",
    "make_tsad_scorer",
    "vus_pr_scorer",
    "vus_roc_scorer",
    "auc_pr_scorer",
    "auc_roc_scorer",
]
