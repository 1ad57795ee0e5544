"""Datasets: the bundled SMD machine, readers for benchmark files, synthetic data.

- :func:`load_smd_sample`: the bundled SMD machine ``machine-1-2``;
- :func:`load_npz`: one entity stored as ``.npz`` (``train``, ``test``,
  ``test_label``);
- :func:`load_smd`, :func:`list_smd_machines`, :func:`load_nasa` (SMAP, MSL),
  :func:`load_psm`, :func:`load_swat`: readers for the public file formats
  of the five benchmarks of the DDMT paper; :func:`read_interpretation`
  for SMD's labelled causes of each anomaly;
- :func:`make_synthetic`: a series with injected anomalies of known types.

Nothing here downloads anything: the bundled sample ships inside the
package, and other files are read from paths that the caller gives.
"""

from .nasa import NASA_DATASETS, load_nasa
from .npz import load_npz
from .psm import load_psm
from .smd import list_smd_machines, load_smd, load_smd_sample, read_interpretation
from .swat import load_swat
from .synthetic import ANOMALY_TYPES, EXTRA_ANOMALY_TYPES, make_synthetic

__all__ = [
    "load_smd_sample",
    "load_npz",
    "list_smd_machines",
    "load_smd",
    "read_interpretation",
    "load_nasa",
    "load_psm",
    "load_swat",
    "make_synthetic",
    "NASA_DATASETS",
    "ANOMALY_TYPES",
    "EXTRA_ANOMALY_TYPES",
]
