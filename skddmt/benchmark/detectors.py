"""The detectors a benchmark run can compare, by name."""

from sklearn.ensemble import IsolationForest

from .. import DDMTDetector
from ..baselines import (
                         HistogramDetector,
                         KMeansDetector,
                         KNNDetector,
                         MeanSquareDetector,
                         PCADetector,
                         RandomDetector,
)

#: name -> (factory(seed, params), uses the seed)
DETECTORS = {
    "ddmt": (lambda seed, params: DDMTDetector(random_state=seed, **params), True),
    "iforest": (lambda seed, params: IsolationForest(random_state=seed, **params), True),
    "pca": (lambda seed, params: PCADetector(**params), False),
    "knn": (lambda seed, params: KNNDetector(random_state=seed, **params), True),
    "meansq": (lambda seed, params: MeanSquareDetector(**params), False),
    "hbos": (lambda seed, params: HistogramDetector(**params), False),
    "kmeans": (lambda seed, params: KMeansDetector(random_state=seed, **params), True),
    "random": (lambda seed, params: RandomDetector(random_state=seed, **params), True),
}

#: The key of a baseline's re-scored variant: its anomaly score smoothed over
#: that many rows (:class:`~skddmt.baselines.SmoothedDetector`), as DDMT's is.
SMOOTHING = "smoothing"
