"""Benchmark runner: ``python -m skddmt.benchmark --help``.

Fits one model per entity (an SMD machine, a NASA channel or a concatenated
series) for each detector and seed, scores the entity's test series and
evaluates it under two protocols:

* the *paper protocol*, for comparison with published tables only: the
  threshold is the (100 - r) percentile of the **test** scores (r = 0.5 % for
  SMD and SWaT, 1 % otherwise) and F1 is point-adjusted;
* the *sound protocol*: threshold-free VUS-PR, VUS-ROC, AUC-PR, AUC-ROC, and
  at the detector's own threshold (fitted on training data) point-wise F1,
  affiliation F1 and the PA%K AUC.

Results are cached per (detector, parameters, entity, seed) as JSON, so an
interrupted run resumes where it stopped. With ``--models``, fitted DDMT
models are kept too, keyed by the parameters that shape training only, so a
later run that changes only scoring-time parameters (a new threshold, other
scored columns, more reverse steps) re-scores them instead of training again.
With ``--fleet FOLDER``, the folder's entities are also run as a fleet, the
way a user with many sensors runs DDMT (:func:`run_fleet`): one model fitted
on the list of their training series, each test series scored alone, the
metrics averaged over the entities; the other detectors are fitted per
entity, as TSB-AD runs them. It is reported as the dataset
``"<folder> channels"``.

With ``--baseline-smoothing W``, every baseline is also reported smoothed
alike (``<name>[smoothing=W]``: the same fitted baseline, its score's centred
moving average of W rows, as DDMT's ``score_smoothing``), and the table of
the quality target gives DDMT's VUS-PR over the best baseline both ways.

A markdown table and a JSON file with every run and the summary (means and
standard deviations over seeds of the per-seed means over entities) are
written to ``--out``.
"""

from .cli import main
from .detectors import DETECTORS, SMOOTHING
from .report import (
                     TARGETED,
                     entity_spread,
                     markdown,
                     ratio_markdown,
                     spread_markdown,
                     summarise,
                     variant_label,
)
from .runner import (
                     CONCATENATED,
                     COST,
                     DEFAULT_RATIO,
                     FLEET_FIT,
                     PAPER,
                     PAPER_RATIO,
                     RESCORABLE,
                     SOUND,
                     entity_paths,
                     evaluate,
                     run_fleet,
                     run_one,
                     select_columns,
)
from .store import load_model, model_file, run_file, save_model, training_key

__all__ = ["main", "entity_spread", "markdown", "ratio_markdown", "spread_markdown",
           "summarise", "variant_label", "CONCATENATED", "COST", "DEFAULT_RATIO", "DETECTORS",
           "FLEET_FIT", "PAPER", "PAPER_RATIO", "RESCORABLE", "SMOOTHING", "SOUND", "TARGETED",
           "entity_paths", "evaluate", "run_fleet", "run_one", "select_columns", "load_model",
           "model_file", "run_file", "training_key", "save_model"]
